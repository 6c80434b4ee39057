"""Typed edits of the map: terrain, rivers and borders on hexsides, bridges, roads, places.

Each function is one undoable step of a :class:`~nomonhan.editor.document.Draft`.  Hexsides
and hexes are written the way :mod:`nomonhan.scenario.geomap` writes them (``col,row:DIR`` named
from the on-map hex, ``col,row``), so hand-drawn and traced lines look alike in the file.
Tracing from GeoJSON goes through :func:`~nomonhan.scenario.geomap.build_map` and the map tool's
:func:`~nomonhan.scenario.write.rebuilt_text`, never a second implementation of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ruamel.yaml.scalarstring import LiteralScalarString

from nomonhan.editor import tree as yt
from nomonhan.editor.document import Draft
from nomonhan.hexgrid import Hex, Hexside, distance, format_hex, format_hexside, line, on_map, parse_hexside
from nomonhan.scenario.geomap import GeoGrid, build_map, named_features
from nomonhan.scenario.schema import BorderRecipe, HexsideLineRecipe, MapRecipe, RoadRecipe, terrain_rows
from nomonhan.scenario.write import rebuilt_text
from nomonhan.ui.wording import plural


def map_size(draft: Draft) -> tuple[int, int]:
    """``(columns, rows)`` of the terrain grid (row 0's width)."""
    rows = terrain_rows(str(yt.get(draft.tree, ("map", "terrain"), "")))
    return (len(rows[0]), len(rows)) if rows else (0, 0)


def _write_grid(tree: Any, rows: list[str]) -> None:
    tree["map"]["terrain"] = LiteralScalarString("\n".join(rows) + "\n")


# ---------------------------------------------------------------- terrain


def paint(draft: Draft, hexes: Iterable[Hex], code: str) -> int:
    """Paint ``code`` on the hexes (those off the map are ignored); returns how many changed."""
    if len(code) != 1 or code.isspace():
        raise ValueError(f"a terrain code is one character, got {code!r}")
    rows = [list(r) for r in terrain_rows(str(yt.get(draft.tree, ("map", "terrain"), "")))]
    changed = 0
    for hex_ in set(hexes):
        col, row = hex_.to_offset()
        if 0 <= row < len(rows) and 0 <= col < len(rows[row]) and rows[row][col] != code:
            rows[row][col] = code
            changed += 1
    if changed:
        with draft.change(f"paint {plural(changed, 'hex', 'hexes')}") as tree:
            _write_grid(tree, ["".join(r) for r in rows])
    return changed


def resize_map(draft: Draft, columns: int, rows: int, fill: str) -> None:
    """Grow or shrink the grid at the east and south edges; new hexes get ``fill``."""
    if not (1 <= columns <= 400 and 1 <= rows <= 400):
        raise ValueError("the map must be 1 to 400 hexes each way")
    old = terrain_rows(str(yt.get(draft.tree, ("map", "terrain"), "")))
    grid = [(r + fill * columns)[:columns] for r in old[:rows]]
    grid += [fill * columns] * (rows - len(grid))
    with draft.change(f"resize map to {columns} x {rows}") as tree:
        _write_grid(tree, grid)


# ---------------------------------------------------------------- hexsides


def _format(draft: Draft, side: Hexside) -> str:
    return format_hexside(side, *map_size(draft))


def parse_sides(texts: Iterable[Any]) -> list[Hexside | None]:
    result: list[Hexside | None] = []
    for text in texts:
        try:
            result.append(parse_hexside(str(text)))
        except ValueError:
            result.append(None)
    return result


def between_map_hexes(draft: Draft, side: Hexside) -> bool:
    """Whether both hexes of a hexside are on the map (the only hexsides a file may name)."""
    size = map_size(draft)
    return on_map(side.low, *size) and on_map(side.high, *size)


def _add_sides(draft: Draft, seq: Any, sides: Iterable[Hexside]) -> None:
    """Append the hexsides not there yet; edges of the map's outline are skipped."""
    present = set(parse_sides(seq))
    for side in sides:
        if side not in present and between_map_hexes(draft, side):
            seq.append(_format(draft, side))
            present.add(side)


def add_hexsides(draft: Draft, feature: str, name: str, sides: Iterable[Hexside], source: str = "design") -> None:
    """Add hexsides to the ``feature`` line called ``name`` (created if there is none)."""
    sides = list(sides)
    if not sides:
        return
    with draft.change(f"draw {feature} {name}") as tree:
        lines = yt.ensure(tree, ("map", "hexside_lines"))
        found = next((item for item in lines if item.get("feature") == feature and item.get("name") == name), None)
        if found is None:
            lines.append(yt.node({"feature": feature, "name": name, "hexsides": [], "source": source}))
            found = lines[-1]
        _add_sides(draft, found["hexsides"], sides)


def add_border(draft: Draft, border_id: str, name: str, sides: Iterable[Hexside], source: str = "design") -> None:
    """Add hexsides to the claimed border ``border_id`` (created, called ``name``, if new)."""
    sides = list(sides)
    if not sides:
        return
    with draft.change(f"draw border {border_id}") as tree:
        borders = yt.ensure(tree, ("map", "borders"))
        found = next((item for item in borders if item.get("id") == border_id), None)
        if found is None:
            borders.append(yt.node({"id": border_id, "name": name or border_id, "hexsides": [], "source": source}))
            found = borders[-1]
        _add_sides(draft, found["hexsides"], sides)


def remove_hexsides(draft: Draft, sides: Iterable[Hexside], group: str = "hexside_lines", match: Mapping[str, str] | None = None) -> int:
    """Take hexsides out of the ``map.hexside_lines`` (or ``map.borders``) entries matching ``match``.

    An entry left with no hexside is removed (the schema needs at least one).  Returns the
    number of hexsides removed.
    """
    gone = set(sides)
    entries = yt.get(draft.tree, ("map", group)) or []
    wanted = [n for n, item in enumerate(entries) if all(item.get(k) == v for k, v in (match or {}).items())]
    count = sum(1 for n in wanted for side in parse_sides(entries[n]["hexsides"]) if side in gone)
    if not count:
        return 0
    with draft.change(f"erase {count} hexsides") as tree:
        entries = tree["map"][group]
        for n in reversed(wanted):
            seq = entries[n]["hexsides"]
            for i in reversed([i for i, side in enumerate(parse_sides(seq)) if side in gone]):
                del seq[i]
            if not seq:
                del entries[n]
    return count


def toggle_bridge(draft: Draft, side: Hexside) -> bool:
    """Put a standing bridge (or pontoon) on a hexside, or take it away; True if one stands now."""
    bridges = yt.get(draft.tree, ("map", "bridges")) or []
    standing = [i for i, other in enumerate(parse_sides(bridges)) if other == side]
    if not standing and not between_map_hexes(draft, side):
        raise ValueError("a bridge must join two hexes of the map")
    with draft.change("remove bridge" if standing else "add bridge") as tree:
        seq = yt.ensure(tree, ("map", "bridges"))
        if not standing:
            seq.append(_format(draft, side))
            seq.fa.set_flow_style()
        for i in reversed(standing):
            del seq[i]
    return not standing


# ---------------------------------------------------------------- roads


def _connected(hexes: list[Hex]) -> list[Hex]:
    """The hexes with gaps filled by straight hex lines, repeats dropped."""
    path: list[Hex] = []
    for hex_ in hexes:
        if path and distance(path[-1], hex_) > 1:
            path.extend(line(path[-1], hex_)[1:-1])
        if not path or path[-1] != hex_:
            path.append(hex_)
    return path


def draw_road(draft: Draft, kind: str, name: str, hexes: list[Hex], source: str = "design") -> None:
    """Add a road through ``hexes`` (gaps filled); it extends a ``kind`` road ending at its first hex."""
    path = _connected(hexes)
    if len(path) < 2:
        return
    with draft.change(f"draw {kind} {name}") as tree:
        roads = yt.ensure(tree, ("map", "roads"))
        start = format_hex(path[0])
        found = next((r for r in roads if r.get("kind") == kind and r.get("hexes") and yt.hex_of(r["hexes"][-1]) == path[0]), None)
        if found is None:
            roads.append(yt.node({"kind": kind, "name": name, "hexes": [start], "source": source}))
            found = roads[-1]
        for hex_ in path[1:]:
            found["hexes"].append(format_hex(hex_))


def cut_roads(draft: Draft, hex_: Hex) -> int:
    """Remove ``hex_`` from every road, splitting roads there; pieces under two hexes go.  Returns roads cut."""
    roads = yt.get(draft.tree, ("map", "roads")) or []
    hit = [n for n, road in enumerate(roads) if any(yt.hex_of(h) == hex_ for h in road.get("hexes", []))]
    if not hit:
        return 0
    with draft.change(f"cut roads at {format_hex(hex_)}") as tree:
        roads = tree["map"]["roads"]
        for n in reversed(hit):
            road = roads[n]
            pieces: list[list[str]] = [[]]
            for text in road["hexes"]:
                if yt.hex_of(text) == hex_:
                    pieces.append([])
                else:
                    pieces[-1].append(str(text))
            del roads[n]
            for offset, piece in enumerate(p for p in pieces if len(p) >= 2):
                fields = {k: yt.plain(v) for k, v in road.items()} | {"hexes": piece}
                roads.insert(n + offset, yt.node(fields, like=road))
    return len(hit)


# ---------------------------------------------------------------- places and geography


def add_place(draft: Draft, name: str, hex_: Hex | None, lat: float | None = None, lon: float | None = None, source: str = "design") -> int:
    """Name a place; with ``lat``/``lon`` (and a georeferenced map) its hex follows from them."""
    if lat is not None and lon is not None:
        hex_ = geogrid(draft).hex_at(lat, lon)
        if not on_map(hex_, *map_size(draft)):
            raise ValueError(f"{lat}, {lon} falls at {format_hex(hex_)}, off the map")
    if hex_ is None:
        raise ValueError("a place needs a hex, or lat and lon")
    entry: dict[str, Any] = {"name": name, "hex": format_hex(hex_)}
    if lat is not None and lon is not None:
        entry |= {"lat": lat, "lon": lon}
    entry["source"] = source
    with draft.change(f"name place {name}") as tree:
        places = yt.ensure(tree, ("map", "places"))
        return yt.append(places, entry)


def geogrid(draft: Draft) -> GeoGrid:
    """The map's grid on the Earth (needs ``map.georeference``)."""
    data = draft.data()["map"]
    if not data.get("georeference"):
        raise ValueError("the map has no georeference (lat/lon of hex 0,0's centre): set it under map first")
    return GeoGrid.from_georeference(data["georeference"], float(data["hex_km"]))


def geojson_features(geojson: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(name, geometry type)`` of every named feature of a GeoJSON FeatureCollection."""
    return [(name, kind) for name, kind, _coordinates in named_features(geojson)]


def trace_geojson(
    draft: Draft,
    geojson: Mapping[str, Any],
    feature_name: str,
    as_: str,
    target: str,
    name: str,
    source: str = "design",
    *,
    in_recipe: bool = False,
) -> None:
    """Trace the GeoJSON line ``feature_name`` onto the map with the map tool's own tracer.

    ``as_`` is ``hexside`` (``target``: a hexside feature id such as ``river``), ``border``
    (``target``: the border id) or ``road`` (``target``: the road kind).  With ``in_recipe``
    (the GeoJSON is the file of the scenario's ``map.build``), the line is also written into
    the recipe, in the same undoable step, so that redrawing the map from it keeps the line.
    """
    data = draft.data()["map"]
    columns, rows = map_size(draft)
    common = {"name": name, "geojson": feature_name, "source": source}
    field = {"hexside": "feature", "border": "id", "road": "kind"}.get(as_)
    if field is None:
        raise ValueError(f"trace as hexside, border or road, not {as_!r}")
    key = {"hexside": "hexside_lines", "border": "borders", "road": "roads"}[as_]
    line = {**common, field: target}
    recipe = MapRecipe(
        geojson="(editor)",
        columns=columns,
        rows=rows,
        default_terrain=".",
        hexside_lines=[HexsideLineRecipe(**line)] if as_ == "hexside" else [],
        borders=[BorderRecipe(**line)] if as_ == "border" else [],
        roads=[RoadRecipe(**line)] if as_ == "road" else [],
    )
    if not data.get("georeference"):
        raise ValueError("the map has no georeference (lat/lon of hex 0,0's centre): set it under map first")
    if in_recipe and not data.get("build"):
        raise ValueError("the map has no map.build recipe to record the line in")
    built = build_map(recipe, geojson, float(data["hex_km"]), data["georeference"])
    with draft.change(f"trace {feature_name}") as tree:
        entries = yt.ensure(tree, ("map", key))
        for entry in built[key]:
            yt.append(entries, entry)
        if in_recipe:
            recorded = yt.ensure(tree, ("map", "build", key))
            if not any(dict(old) == line for old in recorded):
                yt.append(recorded, line)


def rebuild_map(draft: Draft) -> None:
    """Redraw the map from its ``map.build`` recipe, exactly as ``nomonhan map`` does (undoable),
    with the recipe's GeoJSON found beside the draft's file.  Raises ScenarioError when the
    recipe or the draft cannot be read."""
    draft.replace_text("rebuild map from recipe", rebuilt_text(draft.path, draft.text))
