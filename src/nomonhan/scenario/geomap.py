"""Build a scenario map from geography: latitude/longitude lines and points to hexes and hexsides.

The bundled maps are drawn from real coordinates (``scenarios/geo/geography.geojson``, whose
provenance is the history reference ``GEOGRAPHY.md``) rather than typed in by hand, so that a
map can be redrawn at another scale, or corrected when a better source turns up, by editing a
recipe (:class:`~nomonhan.scenario.schema.MapRecipe`) and rerunning ``nomonhan map``.  This module
is the pure part of that tool: plain data in, plain data out, no files, no pygame.

Projection.  The battlefields are a few tens of kilometres across, so a local equirectangular
projection about the map's georeference is far more accurate than the sources (WDBII lines are
good to about 0.2-1.5 km, estimated battle features to 3-5 km; the projection's distortion over
50 km at 47 N is a few metres).  Kilometres then go through the same
:class:`~nomonhan.geometry.Layout` the screen uses, so the map builder and the display can never
disagree about where a hex is.

Why rivers and borders are traced onto hexsides while roads are traced through hexes: in the
rules a river, a stream, a claimed border, a bridge and a ford are properties of the *edge*
between two hexes (crossing it costs, blocks zones of control, or is forbidden to a side), whereas
a road is a property of a chain of hexes (moving hex to hex along it is cheaper).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nomonhan import safeio
from nomonhan.geometry import Layout
from nomonhan.hexgrid import (
    Hex,
    Hexside,
    distance,
    format_hex,
    format_hexside,
    line,
    on_map,
)
from nomonhan.scenario.schema import MAX_ROADS, Georeference, MapRecipe
from nomonhan.scenario.yamlio import MAX_NUMBER_CHARS

__all__ = [
    "KM_PER_DEG_LAT",
    "KM_PER_DEG_LON_EQUATOR",
    "Corner",
    "GeoGrid",
    "build_map",
    "lat_lon_point",
    "named_features",
    "read_geojson",
    "canonical_corner",
    "corner_neighbours",
    "corner_point",
    "paint_terrain",
    "point_in_polygon",
    "trace_hex_path",
    "trace_hexsides",
]

KM_PER_DEG_LAT = 110.574
"""Kilometres per degree of latitude (WGS84, at mid latitudes; the spec fixes this constant)."""

KM_PER_DEG_LON_EQUATOR = 111.320
"""Kilometres per degree of longitude at the equator; scaled by cos(latitude) elsewhere."""

_SQRT3 = math.sqrt(3.0)

LatLon = tuple[float, float]
Point = tuple[float, float]

Corner = tuple[int, int, int]
"""A hex corner named canonically as ``(q, r, k)``: the east (``k == 0``) or west (``k == 1``)
corner of ``Hex(q, r)``.

Every corner of a flat-topped grid is the east corner of exactly one hex or the west corner of
exactly one hex (the honeycomb's vertices form two interleaved lattices), so this naming is exact
integer arithmetic, with no rounding of floating-point positions and no ambiguity between the
three hexes that meet at a corner.
"""

_EAST = 0
_WEST = 1


# ---------------------------------------------------------------- the georeferenced grid


@dataclass(frozen=True)
class GeoGrid:
    """A hex grid laid over the Earth.

    ``lat``/``lon`` are the WGS84 degrees of the *centre* of hex offset ``(0, 0)``, the map's
    north-west corner hex (the same meaning as the scenario's ``map.georeference``).  ``hex_km``
    is the distance between the centres of adjacent hexes (the flat-to-flat width), so the
    centre-to-corner radius is ``hex_km / sqrt(3)``.

    Points are projected to kilometres with a local equirectangular projection about the
    georeference: ``x`` east, ``y`` south (screen convention, matching
    :class:`~nomonhan.geometry.Layout`, whose ``origin`` is the centre of ``Hex(0, 0)``).
    """

    lat: float
    lon: float
    hex_km: float
    layout: Layout = field(init=False, repr=False, compare=False)
    _km_per_deg_lon: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not (self.hex_km > 0 and math.isfinite(self.hex_km)):
            raise ValueError(f"hex_km must be a positive number, got {self.hex_km!r}")
        if not (-90.0 < self.lat < 90.0) or not (-180.0 <= self.lon <= 180.0):
            raise ValueError(f"georeference {self.lat!r}, {self.lon!r} is not a usable latitude/longitude")
        object.__setattr__(self, "layout", Layout(self.hex_km / _SQRT3, (0.0, 0.0)))
        object.__setattr__(self, "_km_per_deg_lon", KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(self.lat)))

    @classmethod
    def from_georeference(cls, georeference: Georeference | Mapping[str, float] | Sequence[float], hex_km: float) -> GeoGrid:
        """A grid from a :class:`Georeference`, a ``{"lat", "lon"}`` mapping or a ``(lat, lon)`` pair."""
        lat, lon = _lat_lon_of(georeference)
        return cls(lat, lon, hex_km)

    @property
    def corner_radius(self) -> float:
        """Centre-to-corner distance in km (the layout's ``size``)."""
        return self.layout.size

    def km_point(self, lat: float, lon: float) -> Point:
        """``(x, y)`` in km from the centre of hex 0,0: ``x`` east, ``y`` south."""
        return (lon - self.lon) * self._km_per_deg_lon, (self.lat - lat) * KM_PER_DEG_LAT

    def latlon(self, x: float, y: float) -> LatLon:
        """The inverse of :meth:`km_point`."""
        return self.lat - y / KM_PER_DEG_LAT, self.lon + x / self._km_per_deg_lon

    def hex_at(self, lat: float, lon: float) -> Hex:
        """The hex containing the point (axial; ``format_hex`` gives its ``col,row``)."""
        return self.layout.pixel_to_hex(*self.km_point(lat, lon))

    def centre(self, hex_: Hex) -> LatLon:
        """``(lat, lon)`` of the centre of ``hex_``."""
        return self.latlon(*self.layout.hex_to_pixel(hex_))

    def centre_km(self, hex_: Hex) -> Point:
        return self.layout.hex_to_pixel(hex_)


def _lat_lon_of(georeference: Any) -> LatLon:
    if georeference is None:
        raise ValueError("the map needs a georeference (lat/lon of the centre of hex 0,0) to be built from geography")
    if hasattr(georeference, "lat") and hasattr(georeference, "lon"):
        return float(georeference.lat), float(georeference.lon)
    if isinstance(georeference, Mapping):
        return float(georeference["lat"]), float(georeference["lon"])
    lat, lon = georeference
    return float(lat), float(lon)


# ---------------------------------------------------------------- hex corners as a graph

# Derivation (flat-topped, y down, size s): hex h's east corner is at centre + (s, 0) and is
# shared by h, h+NE and h+SE; its three edges run to the west corners of h+SE (along the side
# h|h+SE), h+NE (along h|h+NE) and h+(2,-1) (along h+NE|h+SE).  Mirror-wise for a west corner.
# Each entry: (neighbour hex offset, neighbour corner kind, hexside hex a offset, hex b offset).
_CORNER_EDGES: dict[int, tuple[tuple[tuple[int, int], int, tuple[int, int], tuple[int, int]], ...]] = {
    _EAST: (
        ((1, -1), _WEST, (0, 0), (1, -1)),  # up-right, along h|NE
        ((2, -1), _WEST, (1, -1), (1, 0)),  # east, along NE|SE
        ((1, 0), _WEST, (0, 0), (1, 0)),  # down-right, along h|SE
    ),
    _WEST: (
        ((-1, 0), _EAST, (0, 0), (-1, 0)),  # up-left, along h|NW
        ((-2, 1), _EAST, (-1, 0), (-1, 1)),  # west, along NW|SW
        ((-1, 1), _EAST, (0, 0), (-1, 1)),  # down-left, along h|SW
    ),
}

# Corner i of Layout.corners (0 = E, clockwise on screen) as a canonical corner of a nearby hex.
_CORNER_INDEX_CANON: tuple[tuple[tuple[int, int], int], ...] = (
    ((0, 0), _EAST),
    ((1, 0), _WEST),  # lower right = west corner of the SE neighbour
    ((-1, 1), _EAST),  # lower left = east corner of the SW neighbour
    ((0, 0), _WEST),
    ((-1, 0), _EAST),  # upper left = east corner of the NW neighbour
    ((1, -1), _WEST),  # upper right = west corner of the NE neighbour
)


def canonical_corner(hex_: Hex, index: int) -> Corner:
    """Corner ``index`` of ``hex_`` (numbered as :meth:`Layout.corners`) in canonical form."""
    (dq, dr), kind = _CORNER_INDEX_CANON[index % 6]
    return (hex_.q + dq, hex_.r + dr, kind)


def corner_neighbours(corner: Corner) -> list[tuple[Corner, Hexside]]:
    """The three corners joined to ``corner`` by one hex edge, each with that edge's hexside."""
    q, r, kind = corner
    result = []
    for (dq, dr), other_kind, (aq, ar), (bq, br) in _CORNER_EDGES[kind]:
        side = Hexside.between(Hex(q + aq, r + ar), Hex(q + bq, r + br))
        result.append(((q + dq, r + dr, other_kind), side))
    return result


def corner_point(grid: GeoGrid, corner: Corner) -> Point:
    """Position of ``corner`` in km."""
    q, r, kind = corner
    x, y = grid.layout.hex_to_pixel(Hex(q, r))
    s = grid.layout.size
    return (x + s, y) if kind == _EAST else (x - s, y)


def _nearest_corner(grid: GeoGrid, point: Point) -> Corner:
    # The nearest honeycomb vertex to a point is always a corner of the hex containing it (the
    # vertex Voronoi cells are the triangles between three hex centres), so six candidates do.
    hex_ = grid.layout.pixel_to_hex(*point)
    best: Corner | None = None
    best_d = math.inf
    for index in range(6):
        corner = canonical_corner(hex_, index)
        d = math.dist(point, corner_point(grid, corner))
        if d < best_d - 1e-12 or (abs(d - best_d) <= 1e-12 and best is not None and corner < best):
            best, best_d = corner, d
    assert best is not None
    return best


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / length2))
    return math.dist(p, (ax + t * dx, ay + t * dy))


def _edge_path(grid: GeoGrid, start: Corner, goal: Corner, a: Point, b: Point) -> list[Corner]:
    """Fewest-edges path ``start`` -> ``goal`` (both included), ties going nearest segment ``a b``.

    Each edge costs 1 plus a small penalty for how far its midpoint strays from the segment, so
    among the equally short routes around a hex the one hugging the line wins; the penalty is
    too small ever to make a longer route win.  Heap ties fall back to corner order, which keeps
    the result deterministic.
    """
    size = grid.layout.size
    best: dict[Corner, float] = {start: 0.0}
    previous: dict[Corner, Corner] = {}
    heap: list[tuple[float, Corner]] = [(0.0, start)]
    while heap:
        cost, corner = heapq.heappop(heap)
        if corner == goal:
            break
        if cost > best.get(corner, math.inf):
            continue
        here = corner_point(grid, corner)
        for other, _side in corner_neighbours(corner):
            there = corner_point(grid, other)
            mid = ((here[0] + there[0]) / 2.0, (here[1] + there[1]) / 2.0)
            step = 1.0 + 1e-3 * min(_segment_distance(mid, a, b) / size, 100.0)
            new_cost = cost + step
            if new_cost < best.get(other, math.inf) - 1e-12:
                best[other] = new_cost
                previous[other] = corner
                heapq.heappush(heap, (new_cost, other))
    path = [goal]
    while path[-1] != start:
        path.append(previous[path[-1]])
    path.reverse()
    return path


def _sample_km(grid: GeoGrid, points_latlon: Sequence[Sequence[float]]) -> list[Point]:
    """The polyline in km, with extra points so no two consecutive points are over hex_km/4 apart."""
    km = [grid.km_point(float(lat), float(lon)) for lat, lon in points_latlon]
    if not km:
        return []
    step = grid.hex_km / 4.0
    pieces = [max(1, math.ceil(math.dist(a, b) / step)) for a, b in zip(km, km[1:])]
    if sum(pieces) > MAX_LINE_SAMPLES:
        raise ValueError(f"a line runs {sum(pieces) * step:,.0f} km, far beyond any map of {grid.hex_km:g} km hexes")
    samples = [km[0]]
    for ((x0, y0), (x1, y1)), n in zip(zip(km, km[1:]), pieces):
        for i in range(1, n):
            t = i / n
            samples.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
        samples.append((x1, y1))  # the vertex itself: x0 + (x1 - x0) can round off a hex's edge
    return samples


def _is_closed(points_latlon: Sequence[Sequence[float]]) -> bool:
    if len(points_latlon) < 4:
        return False
    (lat0, lon0), (lat1, lon1) = points_latlon[0], points_latlon[-1]
    return abs(lat0 - lat1) < 1e-9 and abs(lon0 - lon1) < 1e-9


def _drop_backtracks(walk: list[Any]) -> list[Any]:
    """Remove immediate reversals (``... X, Y, X ...`` -> ``... X ...``), spurs of any length."""
    stack: list[Any] = []
    for item in walk:
        if stack and stack[-1] == item:
            continue
        if len(stack) >= 2 and stack[-2] == item:
            stack.pop()
            continue
        stack.append(item)
    return stack


def _erase_loops(walk: list[Corner]) -> list[Corner]:
    """Chronological loop erasure: revisiting a corner cuts out everything since the last visit."""
    stack: list[Corner] = []
    where: dict[Corner, int] = {}
    for corner in walk:
        if corner in where:
            keep = where[corner] + 1
            for gone in stack[keep:]:
                del where[gone]
            del stack[keep:]
            continue
        where[corner] = len(stack)
        stack.append(corner)
    return stack


def _corner_walk(grid: GeoGrid, points_latlon: Sequence[Sequence[float]]) -> list[Corner]:
    samples = _sample_km(grid, points_latlon)
    if not samples:
        return []
    walk = [_nearest_corner(grid, samples[0])]
    for a, b in zip(samples, samples[1:]):
        corner = _nearest_corner(grid, b)
        if corner != walk[-1]:
            walk.extend(_edge_path(grid, walk[-1], corner, a, b)[1:])
    return walk


def trace_hexsides(grid: GeoGrid, points_latlon: Sequence[Sequence[float]], columns: int, rows: int) -> list[Hexside]:
    """The hexsides a line drawn along hex edges follows: for rivers, streams and borders.

    ``points_latlon`` is the polyline as ``(lat, lon)`` pairs.  Rivers lie on hexsides because
    in the rules rivers, bridges, fords and claimed borders are hexside features: a unit crosses
    them between two hexes, and a hex is wholly on one bank.  The line is sampled every
    ``hex_km / 4``; each sample snaps to its nearest hex corner, and consecutive corners are
    joined by the shortest route along hex edges (ties going to the route nearer the line).
    Spurs and small loops that snapping noise makes are then erased, so an open line gives a
    simple chain of edges; a closed line (first point equal to the last, e.g. a lake shore)
    gives a ring.

    Only hexsides with both hexes on the map (``0 <= col < columns``, ``0 <= row < rows``) are
    kept.  The result is in path order without duplicates; consecutive hexsides share a corner
    except where the line leaves the map and comes back.
    """
    walk = _corner_walk(grid, points_latlon)
    if len(walk) < 2:
        return []
    if _is_closed(points_latlon) and walk[0] == walk[-1]:
        # Trim spurs across the seam (..., Q, S | S, Q, ...), then erase loops in the body and
        # close the ring again; erasing loops over the whole walk would erase the ring itself.
        walk = _drop_backtracks(walk)
        while len(walk) >= 3 and walk[1] == walk[-2]:
            walk = walk[1:-1]
        if len(walk) < 3:
            return []
        body = _erase_loops(walk[:-1])
        walk = body + [walk[-1]] if len(body) >= 3 else body
    else:
        walk = _erase_loops(walk)
    result: list[Hexside] = []
    seen: set[Hexside] = set()
    for here, there in zip(walk, walk[1:]):
        side = next(s for c, s in corner_neighbours(here) if c == there)
        if side in seen:
            continue
        seen.add(side)
        if on_map(side.low, columns, rows) and on_map(side.high, columns, rows):
            result.append(side)
    return result


# ---------------------------------------------------------------- roads


def trace_hex_path(grid: GeoGrid, points_latlon: Sequence[Sequence[float]], columns: int, rows: int) -> list[list[Hex]]:
    """A road as runs of on-map hexes, each hex adjacent to the next.

    Roads are hex features in the rules (moving from hex to hex along the road is cheaper), so a
    road is the chain of hexes its line passes through.  The line is sampled every
    ``hex_km / 4``; where samples skip a hex (the line clips a corner) the gap is filled with
    :func:`nomonhan.hexgrid.line`, and immediate back-and-forth (``A, B, A``, a line running
    along a hex edge) collapses to ``A``.  Where the road leaves the map the chain is split, so
    each run lies wholly on the map.  Runs of a single hex are kept here; :func:`build_map` drops
    them, because a one-hex road does nothing.
    """
    samples = _sample_km(grid, points_latlon)
    chain: list[Hex] = []
    for point in samples:
        hex_ = grid.layout.pixel_to_hex(*point)
        if chain and hex_ == chain[-1]:
            continue
        if chain and distance(chain[-1], hex_) > 1:
            chain.extend(line(chain[-1], hex_)[1:-1])
        chain.append(hex_)
    chain = _drop_backtracks(chain)
    runs: list[list[Hex]] = []
    current: list[Hex] = []
    for hex_ in chain:
        if on_map(hex_, columns, rows):
            current.append(hex_)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


# ---------------------------------------------------------------- terrain


def point_in_polygon(point: Point, polygon: Sequence[Point]) -> bool:
    """Even-odd rule: a ray to the east crosses the boundary an odd number of times.

    The polygon may or may not repeat its first vertex at the end.  Points exactly on an edge
    fall to one side or the other consistently (half-open crossing test).
    """
    x, y = point
    inside = False
    n = len(polygon)
    for i in range(n):
        x0, y0 = polygon[i]
        x1, y1 = polygon[(i + 1) % n]
        if (y0 > y) != (y1 > y):
            x_cross = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
            if x < x_cross:
                inside = not inside
    return inside


def paint_terrain(grid: GeoGrid, columns: int, rows: int, default_code: str, zones: Iterable[Any]) -> str:
    """The terrain text grid: one line per row, one code per hex, north at the top.

    Every hex starts as ``default_code``; a hex whose centre lies inside a zone's polygon (even-odd
    rule, in km) takes that zone's code, later zones painting over earlier ones, so a recipe can
    lay broad steppe first and then the river valley, dunes and hills on top.  ``zones`` are
    :class:`~nomonhan.scenario.schema.TerrainZone` objects (anything with ``terrain`` and a
    ``polygon`` of ``[lat, lon]`` points).  The text has no trailing newline.
    """
    if len(default_code) != 1:
        raise ValueError(f"a terrain code is one character, got {default_code!r}")
    prepared: list[tuple[str, list[Point], tuple[float, float, float, float]]] = []
    for zone in zones:
        code = zone.terrain
        if len(code) != 1:
            raise ValueError(f"a terrain code is one character, got {code!r} in zone {getattr(zone, 'name', '')!r}")
        polygon = [grid.km_point(float(lat), float(lon)) for lat, lon in zone.polygon]
        xs = [p[0] for p in polygon]
        ys = [p[1] for p in polygon]
        prepared.append((code, polygon, (min(xs), min(ys), max(xs), max(ys))))
    prepared.reverse()  # the last zone that contains a centre wins
    lines = []
    for row in range(rows):
        codes = []
        for col in range(columns):
            x, y = grid.centre_km(Hex.from_offset(col, row))
            code = default_code
            for zone_code, polygon, (x0, y0, x1, y1) in prepared:
                if x0 <= x <= x1 and y0 <= y <= y1 and point_in_polygon((x, y), polygon):
                    code = zone_code
                    break
            codes.append(code)
        lines.append("".join(codes))
    return "\n".join(lines)


# ---------------------------------------------------------------- writing hexsides


def _format_hexsides(sides: Iterable[Hexside], columns: int, rows: int) -> list[str]:
    return [format_hexside(side, columns, rows) for side in sides]


# ---------------------------------------------------------------- the whole map


MAX_GEOJSON_BYTES = 5_000_000
"""The bundled geography is 9 kB; the cap bounds what ``nomonhan map`` and the editor read."""
MAX_LINE_SAMPLES = 10_000
"""Quarter-hex samples of one traced line: the longest bundled line takes 1,176, and a line
longer than this lies mostly far off any allowed map (80 x 80 hexes)."""


def read_geojson(path: Path) -> dict[str, Any]:
    """A GeoJSON file as plain data; ValueError naming the file if it cannot be read or parsed."""
    try:
        data = safeio.read_json(path, MAX_GEOJSON_BYTES, MAX_NUMBER_CHARS)
    except safeio.FileRefused as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"cannot read {path}: a GeoJSON file holds an object (a FeatureCollection)")
    return data


def named_features(geojson: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """``(name, geometry type, coordinates)`` of every named feature of a GeoJSON FeatureCollection.

    Anything else in the file (features without a name, properties that are not objects) is
    skipped, so a malformed file gives a short list, never an exception.
    """
    features = geojson.get("features") if isinstance(geojson, Mapping) else None
    if not isinstance(features, list):
        raise ValueError("the GeoJSON file has no 'features' list (expected a FeatureCollection)")
    found = []
    for feature in features:
        if not isinstance(feature, Mapping):
            continue
        properties, geometry = feature.get("properties"), feature.get("geometry")
        name = properties.get("name") if isinstance(properties, Mapping) else None
        kind = geometry.get("type") if isinstance(geometry, Mapping) else None
        if isinstance(name, (str, int, float)) and isinstance(kind, str) and isinstance(geometry, Mapping):
            found.append((str(name), kind, geometry.get("coordinates")))
    return found


def lat_lon_point(point: Any, name: str) -> LatLon:
    """GeoJSON's ``[lon, lat, ...]`` as ``(lat, lon)``; ValueError unless both are degrees on the globe."""
    if not isinstance(point, list) or len(point) < 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in point[:2]):
        raise ValueError(f"GeoJSON feature {name!r} has a point that is not [longitude, latitude]")
    lon, lat = float(point[0]), float(point[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"GeoJSON feature {name!r} has a point off the globe ({point[0]!r}, {point[1]!r})")
    return lat, lon


def _geojson_lines(geojson: Mapping[str, Any], name: str) -> list[list[LatLon]]:
    """The ``(lat, lon)`` parts of the LineString (or MultiLineString) called ``name``.

    GeoJSON writes coordinates ``[lon, lat]``; recipes and this module use ``(lat, lon)``.
    """
    features = named_features(geojson)
    matches = [(kind, coordinates) for found, kind, coordinates in features if found == name]
    if not matches:
        known = sorted(found for found, kind, _ in features if kind in ("LineString", "MultiLineString"))
        raise ValueError(f"GeoJSON has no feature named {name!r}; its lines are: {known}")
    if len(matches) > 1:
        raise ValueError(f"GeoJSON has {len(matches)} features named {name!r}; names must be unique")
    kind, coordinates = matches[0]
    if kind == "LineString":
        parts = [coordinates]
    elif kind == "MultiLineString":
        parts = coordinates if isinstance(coordinates, list) else [None]
    else:
        raise ValueError(f"GeoJSON feature {name!r} is a {kind}, not a LineString")
    result = []
    for part in parts:
        if not isinstance(part, list):
            raise ValueError(f"GeoJSON line {name!r} has coordinates that are not a list of points")
        points = [lat_lon_point(p, name) for p in part]
        if len(points) < 2:
            raise ValueError(f"GeoJSON line {name!r} has a part with fewer than two points")
        result.append(points)
    return result


def _recipe_lines(item: Any, geojson: Mapping[str, Any]) -> list[list[LatLon]]:
    if item.geojson is not None:
        return _geojson_lines(geojson, item.geojson)
    return [[(float(lat), float(lon)) for lat, lon in item.points]]


def _dedupe(sides: Iterable[Hexside]) -> list[Hexside]:
    seen: set[Hexside] = set()
    result = []
    for side in sides:
        if side not in seen:
            seen.add(side)
            result.append(side)
    return result


def _traced_sides(grid: GeoGrid, item: Any, geojson: Mapping[str, Any], columns: int, rows: int, what: str) -> list[Hexside]:
    sides = _dedupe(s for part in _recipe_lines(item, geojson) for s in trace_hexsides(grid, part, columns, rows))
    if not sides:
        raise ValueError(f"{what} {item.name!r} has no hexside on the {columns} x {rows} map")
    return sides


def build_map(
    recipe: MapRecipe,
    geojson: Mapping[str, Any],
    hex_km: float,
    georeference: Georeference | Mapping[str, float] | Sequence[float],
    places: Iterable[Any] = (),
) -> dict[str, Any]:
    """The map fields a :class:`MapRecipe` regenerates, as plain data ready to write.

    Returns ``{"terrain", "hexside_lines", "borders", "roads", "places"}``:

    - ``terrain``: the text grid with a trailing newline;
    - ``hexside_lines``: ``{"feature", "name", "hexsides", "source"}`` per recipe line;
    - ``borders``: ``{"id", "name", "hexsides", "source"}`` per recipe border;
    - ``roads``: ``{"kind", "name", "hexes", "source"}``, one per on-map run of two or more hexes
      (a road leaving and re-entering the map gives several entries with the same name);
    - ``places``: the given places (``Place`` models or dicts) as dicts, with ``hex`` recomputed
      from ``lat``/``lon`` when both are given.

    Hexsides are written with :func:`format_hexside` and hexes as ``"col,row"``.  Raises
    ``ValueError`` naming the problem when a recipe names a GeoJSON feature the file lacks, when a
    line or road misses the map entirely (the schema needs at least one hexside or two hexes),
    when the roads make more entries than ``map.roads`` holds, or when a place's coordinates
    fall off the map.  The output depends only on the inputs (no
    set or dict-of-set ordering leaks into it).
    """
    columns, rows = recipe.columns, recipe.rows
    grid = GeoGrid.from_georeference(georeference, hex_km)

    terrain = paint_terrain(grid, columns, rows, recipe.default_terrain, recipe.terrain_zones) + "\n"

    hexside_lines = []
    for item in recipe.hexside_lines:
        sides = _traced_sides(grid, item, geojson, columns, rows, "hexside line")
        hexside_lines.append(
            {"feature": item.feature, "name": item.name, "hexsides": _format_hexsides(sides, columns, rows), "source": item.source}
        )

    borders = []
    for border in recipe.borders:
        sides = _traced_sides(grid, border, geojson, columns, rows, "border")
        borders.append({"id": border.id, "name": border.name, "hexsides": _format_hexsides(sides, columns, rows), "source": border.source})

    roads: list[dict[str, Any]] = []
    for road in recipe.roads:
        before = len(roads)
        for part in _recipe_lines(road, geojson):
            for run in trace_hex_path(grid, part, columns, rows):
                if len(run) < 2:
                    continue
                if len(roads) == MAX_ROADS:  # stop here: a GeoJSON of thousands of pieces took seconds more
                    raise ValueError(
                        f"road {road.name!r} takes map.roads past {MAX_ROADS} entries, the most a scenario holds "
                        "(one per GeoJSON piece and per run back onto the map): merge its GeoJSON pieces into fewer lines"
                    )
                roads.append({"kind": road.kind, "name": road.name, "hexes": [format_hex(h) for h in run], "source": road.source})
        if len(roads) == before:
            raise ValueError(f"road {road.name!r} does not cross two hexes of the {columns} x {rows} map")

    placed = []
    for place in places:
        data = place.model_dump(exclude_none=True) if hasattr(place, "model_dump") else dict(place)
        lat, lon = data.get("lat"), data.get("lon")
        if lat is not None and lon is not None:
            hex_ = grid.hex_at(float(lat), float(lon))
            if not on_map(hex_, columns, rows):
                col, row = hex_.to_offset()
                raise ValueError(
                    f"place {data.get('name')!r} at {lat}, {lon} falls at column {col}, row {row}, off the {columns} x {rows} map"
                )
            data["hex"] = format_hex(hex_)
        placed.append(data)

    return {"terrain": terrain, "hexside_lines": hexside_lines, "borders": borders, "roads": roads, "places": placed}
