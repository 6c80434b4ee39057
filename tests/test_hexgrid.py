"""Fixed vectors and hypothesis properties for nomonhan.hexgrid."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import adjacent_pairs, directions, hexes, hexsides, offsets, radii

from nomonhan.hexgrid import (
    Direction,
    Hex,
    Hexside,
    distance,
    format_hex,
    format_hexside,
    hex_range,
    iter_offset_rect,
    line,
    parse_hex,
    parse_hexside,
    ring,
)

ORIGIN = Hex(0, 0)


def rotate_cw(h: Hex, center: Hex = ORIGIN) -> Hex:
    """Rotate ``h`` 60 degrees clockwise about ``center`` using cube coordinates.

    Cube ``(q, r, s)`` -> ``(-r, -s, -q)`` (Red Blob Games' "rotate right").
    """
    q, r = h.q - center.q, h.r - center.r
    s = -q - r
    return Hex(center.q - r, center.r - s)


# ---------------------------------------------------------------- fixed vectors


@pytest.mark.parametrize(
    ("offset", "axial"),
    [
        ((0, 0), Hex(0, 0)),
        ((1, 0), Hex(1, 0)),  # q=1, r = 0 - (1 - 1)//2 = 0
        ((2, 1), Hex(2, 0)),  # q=2, r = 1 - (2 - 0)//2 = 0
        ((3, 3), Hex(3, 2)),  # q=3, r = 3 - (3 - 1)//2 = 2
        ((0, 5), Hex(0, 5)),
        ((4, 2), Hex(4, 0)),  # r = 2 - 4//2
        ((5, 0), Hex(5, -2)),  # r = 0 - (5 - 1)//2
        ((-1, 0), Hex(-1, 1)),  # r = 0 - (-1 - 1)//2 = 1
        ((-2, 0), Hex(-2, 1)),  # r = 0 - (-2 - 0)//2 = 1
    ],
)
def test_known_odd_q_conversions(offset: tuple[int, int], axial: Hex) -> None:
    assert Hex.from_offset(*offset) == axial
    assert axial.to_offset() == offset


def test_direction_vectors_clockwise_from_north() -> None:
    c = Hex(3, 4)
    assert c.neighbour(Direction.N) == Hex(3, 3)
    assert c.neighbour(Direction.NE) == Hex(4, 3)
    assert c.neighbour(Direction.SE) == Hex(4, 4)
    assert c.neighbour(Direction.S) == Hex(3, 5)
    assert c.neighbour(Direction.SW) == Hex(2, 5)
    assert c.neighbour(Direction.NW) == Hex(2, 4)
    assert c.neighbours() == tuple(c.neighbour(d) for d in Direction)


def test_odd_q_neighbours_in_offset_terms() -> None:
    # Even column 2, row 2: NE/SE neighbours are in column 3 rows 1 and 2.
    even = Hex.from_offset(2, 2)
    assert even.neighbour(Direction.NE).to_offset() == (3, 1)
    assert even.neighbour(Direction.SE).to_offset() == (3, 2)
    assert even.neighbour(Direction.N).to_offset() == (2, 1)
    # Odd column 3, row 2 sits lower: NE/SE neighbours are in column 4 rows 2 and 3.
    odd = Hex.from_offset(3, 2)
    assert odd.neighbour(Direction.NE).to_offset() == (4, 2)
    assert odd.neighbour(Direction.SE).to_offset() == (4, 3)
    assert odd.neighbour(Direction.NW).to_offset() == (2, 2)
    assert odd.neighbour(Direction.SW).to_offset() == (2, 3)


def test_opposite_directions() -> None:
    assert [d.opposite for d in Direction] == [
        Direction.S,
        Direction.SW,
        Direction.NW,
        Direction.N,
        Direction.NE,
        Direction.SE,
    ]


def test_fixed_distances() -> None:
    assert distance(ORIGIN, ORIGIN) == 0
    assert distance(ORIGIN, Hex(3, 0)) == 3
    assert distance(ORIGIN, Hex(2, -5)) == 5
    assert distance(Hex(-2, 3), Hex(1, -1)) == 4
    assert Hex(1, 1).distance(Hex(-1, -1)) == 4


def test_fixed_ring_and_range() -> None:
    assert ring(ORIGIN, 0) == [ORIGIN]
    assert sorted(ring(ORIGIN, 1)) == sorted(ORIGIN.neighbours())
    assert ring(ORIGIN, 2)[0] == Hex(-2, 2)  # starts at SW * radius
    assert hex_range(ORIGIN, 0) == [ORIGIN]
    assert sorted(hex_range(ORIGIN, 1)) == sorted([ORIGIN, *ORIGIN.neighbours()])


def test_fixed_line() -> None:
    assert line(ORIGIN, ORIGIN) == [ORIGIN]
    assert line(ORIGIN, Hex(3, 0)) == [Hex(0, 0), Hex(1, 0), Hex(2, 0), Hex(3, 0)]
    assert line(ORIGIN, Hex(0, -2)) == [Hex(0, 0), Hex(0, -1), Hex(0, -2)]


@pytest.mark.parametrize("function", [ring, hex_range])
def test_negative_radius_raises(function) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        function(ORIGIN, -1)


def test_direction_to_rejects_non_adjacent() -> None:
    with pytest.raises(ValueError):
        ORIGIN.direction_to(Hex(2, 0))
    with pytest.raises(ValueError):
        ORIGIN.direction_to(ORIGIN)


def test_hexside_fixed() -> None:
    a, b = Hex(0, 0), Hex(1, 0)
    assert Hexside.between(a, b) == Hexside(a, b)
    assert Hexside.between(b, a) == Hexside(a, b)
    assert Hexside.of(b, Direction.NW) == Hexside(a, b)
    assert Hexside(a, b).hexes() == (a, b)
    with pytest.raises(ValueError):
        Hexside.between(a, a)
    with pytest.raises(ValueError):
        Hexside.between(a, Hex(2, -1))


def test_iter_offset_rect() -> None:
    hexes_ = list(iter_offset_rect(3, 2))
    assert [h.to_offset() for h in hexes_] == [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1)]


def test_rotate_helper_steps_through_directions() -> None:
    for d in Direction:
        assert rotate_cw(ORIGIN.neighbour(d)) == ORIGIN.neighbour((d + 1) % 6)


# ---------------------------------------------------------------- properties


@given(hexes())
def test_six_distinct_neighbours_at_distance_one(h: Hex) -> None:
    ns = h.neighbours()
    assert len(set(ns)) == 6
    assert all(distance(h, n) == 1 for n in ns)
    assert h not in ns


@given(hexes(), directions())
def test_direction_to_round_trips(h: Hex, d: Direction) -> None:
    n = h.neighbour(d)
    assert h.direction_to(n) == d
    assert n.direction_to(h) == d.opposite
    assert n.neighbour(d.opposite) == h


@given(hexes(), hexes())
def test_distance_symmetric_and_identity(a: Hex, b: Hex) -> None:
    assert distance(a, b) == distance(b, a) >= 0
    assert (distance(a, b) == 0) == (a == b)
    assert distance(a, a) == 0
    # agrees with the cube-coordinate max form
    assert distance(a, b) == max(abs(a.q - b.q), abs(a.r - b.r), abs(a.s - b.s))


@given(hexes(), hexes(), hexes())
def test_distance_triangle_inequality(a: Hex, b: Hex, c: Hex) -> None:
    assert distance(a, c) <= distance(a, b) + distance(b, c)


@given(hexes(), radii())
def test_ring_size_distance_distinct(center: Hex, k: int) -> None:
    hs = ring(center, k)
    assert len(hs) == (6 * k if k else 1)
    assert len(set(hs)) == len(hs)
    assert all(distance(center, h) == k for h in hs)
    if k:  # a closed walk: each hex is adjacent to the next, the last to the first
        assert all(distance(hs[i], hs[(i + 1) % len(hs)]) == 1 for i in range(len(hs)))


@given(hexes(), radii())
def test_hex_range_size_and_membership(center: Hex, k: int) -> None:
    hs = hex_range(center, k)
    assert len(hs) == 3 * k * (k + 1) + 1
    assert len(set(hs)) == len(hs)
    assert all(distance(center, h) <= k for h in hs)
    assert hs == sorted(hs)  # documented stable (q, r) order
    assert set(hs) == {h for i in range(k + 1) for h in ring(center, i)}


@settings(max_examples=200)
@given(hexes(), hexes())
def test_line_properties(a: Hex, b: Hex) -> None:
    hs = line(a, b)
    n = distance(a, b)
    assert len(hs) == n + 1
    assert hs[0] == a
    assert hs[-1] == b
    assert all(distance(hs[i], hs[i + 1]) == 1 for i in range(n))
    assert all(distance(a, h) == i for i, h in enumerate(hs))


@given(offsets())
def test_offset_to_axial_round_trip(offset: tuple[int, int]) -> None:
    assert Hex.from_offset(*offset).to_offset() == offset


@given(hexes())
def test_axial_to_offset_round_trip(h: Hex) -> None:
    assert Hex.from_offset(*h.to_offset()) == h


@given(offsets())
def test_from_offset_matches_formula(offset: tuple[int, int]) -> None:
    col, row = offset
    assert Hex.from_offset(col, row) == Hex(col, row - (col - (col & 1)) // 2)


@given(adjacent_pairs())
def test_hexside_between_symmetric(pair: tuple[Hex, Hex]) -> None:
    a, b = pair
    side = Hexside.between(a, b)
    assert side == Hexside.between(b, a)
    assert side.low < side.high
    assert set(side.hexes()) == {a, b}


@given(hexes(), hexes())
def test_hexside_between_rejects_non_adjacent(a: Hex, b: Hex) -> None:
    if distance(a, b) == 1:
        Hexside.between(a, b)
    else:
        with pytest.raises(ValueError):
            Hexside.between(a, b)


@given(hexes(), directions())
def test_hexside_of_same_from_both_sides(h: Hex, d: Direction) -> None:
    assert Hexside.of(h, d) == Hexside.of(h.neighbour(d), d.opposite)


@given(hexes())
def test_six_hexsides_of_a_hex_are_distinct(h: Hex) -> None:
    assert len({Hexside.of(h, d) for d in Direction}) == 6


@given(hexsides())
def test_hexside_hexes_are_adjacent(side: Hexside) -> None:
    assert distance(side.low, side.high) == 1


@given(hexes(), hexes())
def test_rotating_six_times_is_identity(h: Hex, center: Hex) -> None:
    rotated = h
    for _ in range(6):
        rotated = rotate_cw(rotated, center)
        assert distance(center, rotated) == distance(center, h)
    assert rotated == h


@given(hexes(), directions(), st.integers(min_value=0, max_value=5))
def test_rotation_commutes_with_directions(h: Hex, d: Direction, turns: int) -> None:
    # Rotating a neighbour about its hex by ``turns`` steps moves it ``turns`` directions clockwise.
    n = h.neighbour(d)
    for _ in range(turns):
        n = rotate_cw(n, h)
    assert n == h.neighbour((d + turns) % 6)


# ---------------------------------------------------------------- the text notation


@given(st.integers(0, 9999), st.integers(0, 9999))
def test_hex_notation_round_trips(col: int, row: int) -> None:
    hex_ = Hex.from_offset(col, row)
    assert parse_hex(format_hex(hex_)) == hex_


def test_a_hexside_is_named_from_its_low_hex_when_that_can_be_written() -> None:
    side = Hexside.of(Hex.from_offset(3, 4), Direction.SE)
    assert format_hexside(side) == f"{format_hex(side.low)}:{side.low.direction_to(side.high).name}"
    assert parse_hexside(format_hexside(side)) == side


def test_a_hexside_on_the_map_edge_is_named_from_the_hex_that_can_be_written() -> None:
    """Named from its low hex, this side would be ``-1,-1:SE``, which no parser reads back."""
    side = Hexside.of(Hex.from_offset(0, 0), Direction.NW)
    assert side.low != Hex.from_offset(0, 0)
    assert format_hexside(side) == "0,0:NW"
    assert parse_hexside(format_hexside(side)) == side
