"""Hex <-> pixel layout tests for nomonhan.geometry (flat-topped, y down, north up)."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import directions, hexes, hexsides, offsets

import nomonhan
from nomonhan.geometry import Layout, round_fractional
from nomonhan.hexgrid import Direction, Hex, Hexside

SQRT3 = math.sqrt(3.0)
TOL = 1e-6

sizes = st.floats(min_value=5.0, max_value=80.0, allow_nan=False, allow_infinity=False)
origin_coords = st.floats(min_value=-2000.0, max_value=2000.0, allow_nan=False, allow_infinity=False)
origins = st.tuples(origin_coords, origin_coords)
layouts = st.builds(Layout, sizes, origins)


def close(p: tuple[float, float], q: tuple[float, float], tol: float = TOL) -> bool:
    return math.dist(p, q) <= tol


# ---------------------------------------------------------------- fixed vectors


def test_fixed_centres() -> None:
    layout = Layout(10.0, (100.0, 50.0))
    assert layout.hex_to_pixel(Hex(0, 0)) == (100.0, 50.0)
    x, y = layout.hex_to_pixel(Hex(1, 0))
    assert x == pytest.approx(115.0)
    assert y == pytest.approx(50.0 + 5.0 * SQRT3)
    x, y = layout.hex_to_pixel(Hex(0, 1))
    assert x == pytest.approx(100.0)
    assert y == pytest.approx(50.0 + 10.0 * SQRT3)


def test_fixed_corners_start_east_and_go_clockwise_on_screen() -> None:
    layout = Layout(10.0, (0.0, 0.0))
    cs = layout.corners(Hex(0, 0))
    expected = [(10, 0), (5, 5 * SQRT3), (-5, 5 * SQRT3), (-10, 0), (-5, -5 * SQRT3), (5, -5 * SQRT3)]
    assert len(cs) == 6
    for got, want in zip(cs, expected):
        assert close(got, want)


def test_north_edge_is_the_top_edge() -> None:
    layout = Layout(10.0, (0.0, 0.0))
    (x1, y1), (x2, y2) = layout.hexside_segment(Hexside.of(Hex(0, 0), Direction.N))
    assert y1 == pytest.approx(-5 * SQRT3)
    assert y2 == pytest.approx(-5 * SQRT3)
    assert sorted([x1, x2]) == pytest.approx([-5.0, 5.0])


def test_odd_columns_sit_half_a_hex_lower() -> None:
    layout = Layout(20.0, (0.0, 0.0))
    x0, y0 = layout.hex_to_pixel(Hex.from_offset(0, 0))
    x1, y1 = layout.hex_to_pixel(Hex.from_offset(1, 0))
    x2, y2 = layout.hex_to_pixel(Hex.from_offset(2, 0))
    assert y1 > y0
    assert y1 - y0 == pytest.approx(layout.inner_radius)  # half a hex height
    assert y2 == pytest.approx(y0)
    assert x0 < x1 < x2


def test_round_fractional_fixed() -> None:
    assert round_fractional(0.0, 0.0) == Hex(0, 0)
    assert round_fractional(0.3, 0.5) == Hex(0, 1)  # independent rounding would give (0, 0)
    assert round_fractional(0.5, 0.3) == Hex(1, 0)
    assert round_fractional(0.9, -0.1) == Hex(1, 0)
    assert round_fractional(-1.2, 2.1) == Hex(-1, 2)


def test_layout_is_frozen() -> None:
    layout = Layout(10.0, (0.0, 0.0))
    with pytest.raises(AttributeError):
        layout.size = 5.0  # type: ignore[misc]


def test_geometry_does_not_import_pygame() -> None:
    # In a fresh interpreter, since pygame may already be loaded in this one by other tests.
    src = os.path.dirname(os.path.dirname(nomonhan.__file__))
    code = "import sys, nomonhan.geometry; sys.exit(int('pygame' in sys.modules))"
    env = {**os.environ, "PYTHONPATH": src}
    assert subprocess.run([sys.executable, "-c", code], env=env).returncode == 0


# ---------------------------------------------------------------- properties


@settings(max_examples=200)
@given(layouts, hexes())
def test_pixel_round_trip(layout: Layout, h: Hex) -> None:
    assert layout.pixel_to_hex(*layout.hex_to_pixel(h)) == h


@settings(max_examples=200)
@given(
    layouts,
    hexes(),
    st.floats(min_value=0.0, max_value=0.8, allow_nan=False),
    st.floats(min_value=0.0, max_value=2 * math.pi, allow_nan=False),
)
def test_jittered_points_stay_in_hex(layout: Layout, h: Hex, fraction: float, angle: float) -> None:
    cx, cy = layout.hex_to_pixel(h)
    radius = fraction * layout.inner_radius
    assert layout.pixel_to_hex(cx + radius * math.cos(angle), cy + radius * math.sin(angle)) == h


@given(layouts, hexes())
def test_corners_at_distance_size(layout: Layout, h: Hex) -> None:
    centre = layout.hex_to_pixel(h)
    cs = layout.corners(h)
    assert len(cs) == 6
    for c in cs:
        assert math.dist(centre, c) == pytest.approx(layout.size, rel=1e-9, abs=1e-6)
    # consecutive corners are one side length (== size) apart
    for i in range(6):
        assert math.dist(cs[i], cs[(i + 1) % 6]) == pytest.approx(layout.size, rel=1e-9, abs=1e-6)


@given(layouts, hexsides())
def test_hexside_segment_endpoints_are_shared_corners(layout: Layout, side: Hexside) -> None:
    p1, p2 = layout.hexside_segment(side)
    assert math.dist(p1, p2) == pytest.approx(layout.size, rel=1e-9, abs=1e-6)
    for h in side.hexes():
        cs = layout.corners(h)
        assert any(close(p1, c) for c in cs)
        assert any(close(p2, c) for c in cs)
    # the midpoint of the side is halfway between the two centres
    a, b = (layout.hex_to_pixel(h) for h in side.hexes())
    mid = ((p1[0] + p2[0]) / 2, (p1[1] + p2[1]) / 2)
    assert close(mid, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))


@given(layouts, hexes(), directions())
def test_hexside_segment_same_from_either_side(layout: Layout, h: Hex, d: Direction) -> None:
    seg = layout.hexside_segment(Hexside.of(h, d))
    assert seg == layout.hexside_segment(Hexside.of(h.neighbour(d), d.opposite))
    e1, e2 = layout.edge_corners(h, d)
    assert {close(e1, seg[0]) or close(e1, seg[1]), close(e2, seg[0]) or close(e2, seg[1])} == {True}


@given(layouts, hexes())
def test_north_neighbour_is_higher_on_screen(layout: Layout, h: Hex) -> None:
    _, y = layout.hex_to_pixel(h)
    _, y_north = layout.hex_to_pixel(h.neighbour(Direction.N))
    _, y_south = layout.hex_to_pixel(h.neighbour(Direction.S))
    assert y_north < y < y_south


@given(layouts, hexes(), directions())
def test_neighbour_centres_are_two_inner_radii_apart(layout: Layout, h: Hex, d: Direction) -> None:
    a = layout.hex_to_pixel(h)
    b = layout.hex_to_pixel(h.neighbour(d))
    assert math.dist(a, b) == pytest.approx(2 * layout.inner_radius, rel=1e-9, abs=1e-6)
    # and in the right compass direction: angle from north, clockwise on a y-down screen
    bearing = math.degrees(math.atan2(b[0] - a[0], -(b[1] - a[1]))) % 360
    assert min(abs(bearing - 60 * d), 360 - abs(bearing - 60 * d)) == pytest.approx(0, abs=1e-6)


@given(layouts, offsets(20))
def test_odd_offset_columns_lower_than_even_neighbour_column(layout: Layout, offset: tuple[int, int]) -> None:
    col, row = offset
    _, y_here = layout.hex_to_pixel(Hex.from_offset(col, row))
    _, y_next = layout.hex_to_pixel(Hex.from_offset(col + 1, row))
    if col & 1:  # odd here, even next: next is higher
        assert y_next < y_here
    else:
        assert y_next > y_here
