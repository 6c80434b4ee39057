"""Tests for nomonhan.scenario.geomap: building hex maps from latitude/longitude geography."""

from __future__ import annotations

import json
import math
from collections import deque
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import directions, hexes

from nomonhan.hexgrid import Direction, Hex, Hexside, distance, format_hexside, iter_offset_rect, on_map, parse_hex, parse_hexside
from nomonhan.scenario.geomap import (
    GeoGrid,
    build_map,
    canonical_corner,
    corner_neighbours,
    corner_point,
    paint_terrain,
    trace_hex_path,
    trace_hexsides,
)
from nomonhan.scenario.schema import MapRecipe, Place, TerrainZone, terrain_rows

SQRT3 = math.sqrt(3.0)
GEOJSON_PATH = Path(__file__).resolve().parents[1] / "scenarios" / "geo" / "geography.geojson"
KHALKH = "Khalkh river (WDBII, simplified 0.5 km)"
BAIN_TSAGAN = "Bain Tsagan (EST)"

lats = st.floats(min_value=-60.0, max_value=70.0, allow_nan=False, allow_infinity=False)
lons = st.floats(min_value=-179.0, max_value=179.0, allow_nan=False, allow_infinity=False)
hex_kms = st.floats(min_value=0.1, max_value=10.0, allow_nan=False, allow_infinity=False)
grids = st.builds(GeoGrid, lats, lons, hex_kms)


def khalkhin_gol_grid() -> GeoGrid:
    return GeoGrid(47.86, 118.45, 1.0)


def geojson() -> dict:
    return json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))


def offset_point(grid: GeoGrid, lat: float, lon: float, dx_km: float, dy_km: float) -> tuple[float, float]:
    """The point ``dx_km`` east and ``dy_km`` south of ``(lat, lon)`` in the grid's projection."""
    x, y = grid.km_point(lat, lon)
    return grid.latlon(x + dx_km, y + dy_km)


def side_corners(grid: GeoGrid, side: Hexside) -> tuple[tuple[float, float], tuple[float, float]]:
    return grid.layout.hexside_segment(side)


def share_a_corner(grid: GeoGrid, s: Hexside, t: Hexside) -> bool:
    """Corners computed from two hexes differ in the last bits, so compare within a tolerance."""
    return any(math.dist(p, q) < 1e-6 for p in side_corners(grid, s) for q in side_corners(grid, t))


def assert_chain(grid: GeoGrid, sides: list[Hexside]) -> None:
    assert len(sides) == len(set(sides)), "duplicate hexsides"
    for s, t in zip(sides, sides[1:]):
        assert share_a_corner(grid, s, t), f"{s} and {t} share no corner"


def segment_distance(p, a, b) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.dist(p, (a[0] + t * dx, a[1] + t * dy))


def polyline_distance(p, km_points) -> float:
    return min(segment_distance(p, a, b) for a, b in zip(km_points, km_points[1:]))


def reachable(start: Hex, columns: int, rows: int, walls: set[Hexside]) -> set[Hex]:
    seen = {start}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for there in here.neighbours():
            if there not in seen and on_map(there, columns, rows) and Hexside.between(here, there) not in walls:
                seen.add(there)
                queue.append(there)
    return seen


# ---------------------------------------------------------------- projection and hex lookup


def test_georeference_is_the_centre_of_hex_0_0() -> None:
    grid = khalkhin_gol_grid()
    assert grid.hex_at(47.86, 118.45) == Hex(0, 0)
    assert grid.centre(Hex(0, 0)) == pytest.approx((47.86, 118.45))
    assert grid.km_point(47.86, 118.45) == (0.0, 0.0)
    assert grid.corner_radius == pytest.approx(1.0 / SQRT3)


def test_km_point_axes_are_east_and_south() -> None:
    grid = khalkhin_gol_grid()
    x, y = grid.km_point(47.86 - 0.1, 118.45 + 0.1)
    assert x == pytest.approx(0.1 * 111.320 * math.cos(math.radians(47.86)))
    assert y == pytest.approx(0.1 * 110.574)


def test_adjacent_centres_are_hex_km_apart() -> None:
    grid = GeoGrid(47.86, 118.45, 2.5)
    for direction in Direction:
        a = grid.centre_km(Hex(3, 4))
        b = grid.centre_km(Hex(3, 4).neighbour(direction))
        assert math.dist(a, b) == pytest.approx(2.5)


def test_ten_km_east_west_spans_the_expected_columns() -> None:
    # Flat-topped hexes: column centres are 1.5 corner radii = 0.75 * 2 * hex_km / sqrt(3) apart.
    for hex_km in (0.5, 1.0, 2.0):
        grid = GeoGrid(47.86, 118.45, hex_km)
        lat, lon = grid.centre(Hex.from_offset(2, 5))
        east = offset_point(grid, lat, lon, 10.0, 0.0)
        col_a, _ = grid.hex_at(lat, lon).to_offset()
        col_b, _ = grid.hex_at(*east).to_offset()
        expected = 10.0 / (0.75 * 2.0 * hex_km / SQRT3)
        assert abs((col_b - col_a) - expected) < 1.0


def test_ten_km_north_south_is_ten_rows_at_one_km() -> None:
    grid = khalkhin_gol_grid()
    lat, lon = grid.centre(Hex.from_offset(7, 3))
    south = offset_point(grid, lat, lon, 0.0, 10.0)
    assert grid.hex_at(*south).to_offset() == (7, 13)


def test_real_distance_between_two_named_places() -> None:
    # Bain Tsagan to Fui Heights, 47.800 118.540 -> 47.810 118.615: about 5.7 km, so 5-7 hexes.
    grid = khalkhin_gol_grid()
    a = grid.hex_at(47.800, 118.540)
    b = grid.hex_at(47.810, 118.615)
    assert 5 <= distance(a, b) <= 7


@given(grids, hexes(60))
def test_hex_at_centre_round_trips(grid: GeoGrid, h: Hex) -> None:
    assert grid.hex_at(*grid.centre(h)) == h


@given(grids, hexes(60), st.floats(min_value=0.0, max_value=2 * math.pi, allow_nan=False))
def test_point_near_a_centre_is_in_that_hex(grid: GeoGrid, h: Hex, angle: float) -> None:
    lat, lon = grid.centre(h)
    r = 0.3 * grid.hex_km
    assert grid.hex_at(*offset_point(grid, lat, lon, r * math.cos(angle), r * math.sin(angle))) == h


def test_bad_hex_km_is_rejected() -> None:
    with pytest.raises(ValueError):
        GeoGrid(47.86, 118.45, 0.0)


# ---------------------------------------------------------------- the corner graph


@given(hexes(30), st.integers(min_value=0, max_value=5))
def test_canonical_corner_is_at_the_layout_corner(h: Hex, index: int) -> None:
    grid = GeoGrid(47.86, 118.45, 1.3)
    expected = grid.layout.corners(h)[index]
    assert math.dist(corner_point(grid, canonical_corner(h, index)), expected) < 1e-9


@given(hexes(30), directions())
def test_each_hexside_joins_its_two_corners_in_the_graph(h: Hex, direction: Direction) -> None:
    grid = GeoGrid(47.86, 118.45, 1.0)
    a = canonical_corner(h, int(direction) + 4)
    b = canonical_corner(h, int(direction) + 5)
    side = Hexside.of(h, direction)
    assert (b, side) in corner_neighbours(a)
    assert (a, side) in corner_neighbours(b)
    segment = side_corners(grid, side)
    for corner in (a, b):
        p = corner_point(grid, corner)
        assert any(math.dist(p, q) < 1e-6 for q in segment)


# ---------------------------------------------------------------- tracing hexsides


def test_north_south_line_separates_west_from_east() -> None:
    columns, rows = 12, 9
    grid = GeoGrid(47.86, 118.45, 1.0)
    line_x = 5.3 * 1.5 * grid.corner_radius  # between columns 5 and 6
    top = grid.latlon(line_x, -3.0)
    bottom = grid.latlon(line_x, rows * 1.0 + 3.0)
    sides = trace_hexsides(grid, [top, bottom], columns, rows)
    assert sides
    assert_chain(grid, sides)
    west = [h for h in iter_offset_rect(columns, rows) if grid.centre_km(h)[0] < line_x - 1.0]
    east = [h for h in iter_offset_rect(columns, rows) if grid.centre_km(h)[0] > line_x + 1.0]
    assert west and east
    seen = reachable(west[0], columns, rows, set(sides))
    assert set(west) <= seen
    assert not seen & set(east)


def test_traced_river_lies_along_a_diagonal() -> None:
    columns, rows = 20, 20
    grid = GeoGrid(47.86, 118.45, 1.0)
    start = grid.latlon(2.0, 2.5)
    end = grid.latlon(14.0, 15.0)
    sides = trace_hexsides(grid, [start, end], columns, rows)
    assert_chain(grid, sides)
    for side in sides:
        assert on_map(side.low, columns, rows) and on_map(side.high, columns, rows)
    # The chain starts and ends within a hex of the line's ends.
    first = grid.layout.hexside_segment(sides[0])
    last = grid.layout.hexside_segment(sides[-1])
    assert min(math.dist(p, (2.0, 2.5)) for p in first) <= 1.0
    assert min(math.dist(p, (14.0, 15.0)) for p in last) <= 1.0


def test_trace_drops_hexsides_off_the_map() -> None:
    columns, rows = 6, 6
    grid = GeoGrid(47.86, 118.45, 1.0)
    sides = trace_hexsides(grid, [grid.latlon(-5.0, 2.0), grid.latlon(15.0, 2.5)], columns, rows)
    assert sides
    for side in sides:
        assert on_map(side.low, columns, rows) and on_map(side.high, columns, rows)
    assert trace_hexsides(grid, [grid.latlon(50.0, 50.0), grid.latlon(60.0, 60.0)], columns, rows) == []


def test_closed_ring_encloses_its_inside() -> None:
    columns, rows = 14, 14
    grid = GeoGrid(42.45, 130.61, 0.25)
    centre = (7.0 * 1.5 * grid.corner_radius, 7.0 * 0.25)
    ring_points = [
        grid.latlon(centre[0] + 1.0 * math.cos(t), centre[1] + 0.8 * math.sin(t)) for t in [2 * math.pi * i / 12 for i in range(12)]
    ]
    ring_points.append(ring_points[0])
    sides = trace_hexsides(grid, ring_points, columns, rows)
    assert_chain(grid, sides)
    # The chain closes: its last side touches its first.
    assert share_a_corner(grid, sides[0], sides[-1])
    inside = grid.layout.pixel_to_hex(*centre)
    seen = reachable(inside, columns, rows, set(sides))
    assert Hex.from_offset(0, 0) not in seen
    for h in iter_offset_rect(columns, rows):
        x, y = grid.centre_km(h)
        scaled = math.hypot((x - centre[0]) / 1.0, (y - centre[1]) / 0.8)
        if scaled < 0.7:
            assert h in seen
        elif scaled > 1.4:
            assert h not in seen
    hexes_in_ellipse = math.pi * 1.0 * 0.8 / (SQRT3 / 2 * 0.25**2)
    assert 0.7 * hexes_in_ellipse < len(seen) < 1.3 * hexes_in_ellipse


@st.composite
def interior_polylines(draw) -> tuple[GeoGrid, list[tuple[float, float]], int, int]:
    grid = draw(
        st.builds(
            GeoGrid,
            st.floats(min_value=-50.0, max_value=60.0),
            st.floats(min_value=-170.0, max_value=170.0),
            st.floats(min_value=0.2, max_value=5.0),
        )
    )
    columns, rows = 24, 20
    width = (columns - 1) * 1.5 * grid.corner_radius
    height = (rows - 1) * grid.hex_km
    margin = 2.0 * grid.hex_km
    xs = st.floats(min_value=margin, max_value=width - margin)
    ys = st.floats(min_value=margin, max_value=height - margin)
    km = draw(st.lists(st.tuples(xs, ys), min_size=2, max_size=5))
    return grid, [grid.latlon(x, y) for x, y in km], columns, rows


@settings(max_examples=60, deadline=None)
@given(interior_polylines())
def test_traced_hexsides_form_a_chain_near_the_line(case) -> None:
    grid, points, columns, rows = case
    sides = trace_hexsides(grid, points, columns, rows)
    assert_chain(grid, sides)
    km = [grid.km_point(lat, lon) for lat, lon in points]
    for side in sides:
        assert on_map(side.low, columns, rows) and on_map(side.high, columns, rows)
        for end in grid.layout.hexside_segment(side):
            assert polyline_distance(end, km) <= 1.0 * grid.hex_km + 1e-9


def test_trace_is_deterministic() -> None:
    grid = khalkhin_gol_grid()
    points = [(47.85, 118.46), (47.70, 118.60), (47.62, 118.80)]
    assert trace_hexsides(grid, points, 40, 30) == trace_hexsides(grid, list(points), 40, 30)


# ---------------------------------------------------------------- roads


@settings(max_examples=60, deadline=None)
@given(interior_polylines())
def test_road_runs_are_adjacent_hexes_near_the_line(case) -> None:
    grid, points, columns, rows = case
    runs = trace_hex_path(grid, points, columns, rows)
    assert len(runs) == 1  # an interior line never leaves the map
    km = [grid.km_point(lat, lon) for lat, lon in points]
    for run in runs:
        for a, b in zip(run, run[1:]):
            assert distance(a, b) == 1
        for h in run:
            assert on_map(h, columns, rows)
            assert polyline_distance(grid.centre_km(h), km) <= grid.hex_km
    assert runs[0][0] == grid.hex_at(*points[0])
    assert runs[-1][-1] == grid.hex_at(*points[-1])


def test_road_leaving_the_map_splits_into_runs() -> None:
    columns, rows = 10, 6
    grid = GeoGrid(47.86, 118.45, 1.0)
    # East along row 2, out past the east edge, back in further south, west again.
    points = [grid.latlon(1.0, 2.0), grid.latlon(14.0, 2.0), grid.latlon(14.0, 4.0), grid.latlon(1.0, 4.0)]
    runs = trace_hex_path(grid, points, columns, rows)
    assert len(runs) == 2
    for run in runs:
        assert all(on_map(h, columns, rows) for h in run)
        assert all(distance(a, b) == 1 for a, b in zip(run, run[1:]))


# ---------------------------------------------------------------- terrain


def test_square_zone_paints_exactly_the_centres_inside() -> None:
    columns, rows = 10, 8
    grid = GeoGrid(47.86, 118.45, 1.0)
    x0, y0, x1, y1 = 2.2, 1.7, 6.1, 5.4
    square = [list(grid.latlon(x, y)) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    text = paint_terrain(grid, columns, rows, ".", [TerrainZone(terrain="h", polygon=square)])
    lines = terrain_rows(text)
    assert len(lines) == rows and all(len(line) == columns for line in lines)
    painted = 0
    for h in iter_offset_rect(columns, rows):
        col, row = h.to_offset()
        x, y = grid.centre_km(h)
        inside = x0 < x < x1 and y0 < y < y1
        assert lines[row][col] == ("h" if inside else "."), (col, row)
        painted += inside
    assert painted > 5


def test_later_zones_paint_over_earlier_ones_and_even_odd_holes() -> None:
    columns, rows = 8, 8
    grid = GeoGrid(47.86, 118.45, 1.0)

    def box(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
        return [list(grid.latlon(x, y)) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]

    everything = box(-5, -5, 20, 20)
    corner = box(-1, -1, 2.0, 2.5)
    text = paint_terrain(grid, columns, rows, ".", [TerrainZone(terrain="s", polygon=everything), TerrainZone(terrain="d", polygon=corner)])
    lines = terrain_rows(text)
    assert lines[0][0] == "d" and lines[7][7] == "s"
    # A polygon that winds round twice (outer box, then inner box) leaves a hole by even-odd.
    donut = box(-5, -5, 20, 20) + box(2.0, 2.0, 5.0, 5.5)
    text = paint_terrain(grid, columns, rows, ".", [TerrainZone(terrain="w", polygon=donut)])
    lines = terrain_rows(text)
    assert lines[0][0] == "w"
    hole = grid.layout.pixel_to_hex(3.5, 3.7)
    col, row = hole.to_offset()
    assert lines[row][col] == "."


# ---------------------------------------------------------------- writing hexsides


def test_format_hexside_round_trips_for_every_side_of_a_small_grid() -> None:
    columns, rows = 6, 5
    count = 0
    for h in iter_offset_rect(columns, rows):
        for direction in Direction:
            side = Hexside.of(h, direction)
            other = h.neighbour(direction)
            text = format_hexside(side, columns, rows)
            assert parse_hexside(text) == side, text
            # The hex written is on the map (h is, and the on-map form is preferred).
            assert on_map(parse_hex(text.split(":")[0]), columns, rows), text
            if on_map(other, columns, rows):
                assert text.split(":")[1] in ("S", "NE", "SE")  # both on the map: the low hex names it
            count += 1
    assert count == 6 * columns * rows


@given(hexes(20), directions())
def test_format_hexside_round_trips_when_writable(h: Hex, direction: Direction) -> None:
    side = Hexside.of(h, direction)
    try:
        text = format_hexside(side, 10, 10)
    except ValueError:
        assert all(min(x.to_offset()) < 0 for x in side.hexes())
        return
    assert parse_hexside(text) == side


# ---------------------------------------------------------------- the whole map


def khalkh_recipe(**extra) -> MapRecipe:
    data = {
        "geojson": "geo/geography.geojson",
        "columns": 40,
        "rows": 30,
        "default_terrain": ".",
        "hexside_lines": [{"feature": "river", "name": "Khalkhin Gol", "geojson": KHALKH, "source": "GEO"}],
    }
    data.update(extra)
    return MapRecipe.model_validate(data)


def test_build_map_khalkhin_gol() -> None:
    data = geojson()
    bain = next(f for f in data["features"] if f["properties"]["name"] == BAIN_TSAGAN)
    lon, lat = bain["geometry"]["coordinates"]
    places = [
        Place(name="Bain Tsagan", hex="0,0", lat=lat, lon=lon, source="GEO"),
        Place(name="Somewhere", hex="3,4"),
    ]
    recipe = khalkh_recipe(
        borders=[{"id": "mpr-claim", "name": "Soviet-Mongolian claim", "geojson": "Soviet-Mongolian claim = modern border (WDBII)"}],
        roads=[{"kind": "track", "name": "To Nomonhan", "points": [[47.95, 118.60], [47.7728, 118.7672], [47.70, 118.585]]}],
        terrain_zones=[
            {"terrain": "h", "name": "west bank plateau", "polygon": [[47.86, 118.40], [47.86, 118.53], [47.55, 118.53], [47.55, 118.40]]}
        ],
    )
    grid = khalkhin_gol_grid()
    out = build_map(recipe, data, 1.0, {"lat": 47.86, "lon": 118.45}, places)
    assert set(out) == {"terrain", "hexside_lines", "borders", "roads", "places"}

    assert out["terrain"].endswith("\n")
    lines = terrain_rows(out["terrain"])
    assert len(lines) == 30 and all(len(line) == 40 for line in lines)
    assert lines[10][0] == "h" and lines[10][39] == "."

    (river,) = out["hexside_lines"]
    assert river["feature"] == "river" and river["name"] == "Khalkhin Gol" and river["source"] == "GEO"
    sides = [parse_hexside(text) for text in river["hexsides"]]
    assert len(sides) > 30 and len(set(sides)) == len(sides)
    for side in sides:
        assert on_map(side.low, 40, 30) and on_map(side.high, 40, 30)
    # The river runs between Bain Tsagan (west bank) and Fui Heights (east bank).
    bain_hex = grid.hex_at(47.800, 118.540)
    assert format_hex_of(bain_hex) != "0,0"  # so the check below shows the hex was recomputed
    assert format_hex_of(grid.hex_at(47.810, 118.615)) not in {format_hex_of(h) for h in reachable(bain_hex, 40, 30, set(sides))}

    (border,) = out["borders"]
    assert border["id"] == "mpr-claim" and border["hexsides"]
    for text in border["hexsides"]:
        side = parse_hexside(text)
        assert on_map(side.low, 40, 30) and on_map(side.high, 40, 30)

    assert out["roads"]
    for road in out["roads"]:
        assert road["kind"] == "track" and road["name"] == "To Nomonhan" and len(road["hexes"]) >= 2
        hexes_ = [parse_hex(text) for text in road["hexes"]]
        assert all(distance(a, b) == 1 for a, b in zip(hexes_, hexes_[1:]))

    assert out["places"][0]["hex"] == format_hex_of(grid.hex_at(47.800, 118.540))
    assert out["places"][0]["name"] == "Bain Tsagan" and out["places"][0]["source"] == "GEO"
    assert out["places"][1] == {"name": "Somewhere", "hex": "3,4", "source": "design"}

    # Same inputs, same output (no set ordering leaks).
    assert build_map(recipe, geojson(), 1.0, (47.86, 118.45), places) == out


def format_hex_of(h: Hex) -> str:
    col, row = h.to_offset()
    return f"{col},{row}"


def test_build_map_missing_feature_names_it() -> None:
    recipe = khalkh_recipe(hexside_lines=[{"feature": "river", "name": "Nile", "geojson": "The Nile (nowhere near)"}])
    with pytest.raises(ValueError, match="The Nile"):
        build_map(recipe, geojson(), 1.0, (47.86, 118.45), [])


def test_build_map_rejects_points_and_places_off_the_map() -> None:
    with pytest.raises(ValueError, match="Bain Tsagan"):
        build_map(khalkh_recipe(), geojson(), 1.0, (47.86, 118.45), [Place(name="Bain Tsagan", hex="0,0", lat=47.0, lon=118.54)])
    with pytest.raises(ValueError, match="Point"):
        build_map(khalkh_recipe(hexside_lines=[{"feature": "river", "name": "x", "geojson": BAIN_TSAGAN}]), geojson(), 1.0, (47.86, 118.45))
    with pytest.raises(ValueError, match="Tumen"):
        # The Tumen is 1,500 km away from this grid: no hexside of it lies on the map.
        build_map(
            khalkh_recipe(hexside_lines=[{"feature": "river", "name": "Tumen", "geojson": "Tumen river (WDBII, simplified 0.15 km)"}]),
            geojson(),
            1.0,
            (47.86, 118.45),
        )
