"""The canonical writer: every bundled scenario is kept in the text this module produces.

Load -> save without edits gives the same bytes (tested for every bundled file), so the editor
and ``nomonhan map`` write small diffs and keep the author's comments.  Style: two-space
indentation, block mappings, hex and hexside lists in flow style, the terrain grid as a ``|``
block with one row per line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString
from ruamel.yaml.timestamp import TimeStamp

from nomonhan.fileio import write_atomic
from nomonhan.scenario import companions, yamlio
from nomonhan.scenario.errors import Problem, ScenarioError
from nomonhan.scenario.load import parse_part
from nomonhan.scenario.schema import MapSpec

_FLOW_KEYS = {"hexsides", "hexes", "nations", "bridges", "ratio", "polygon", "points"}


def to_text(tree: Any) -> str:
    return yamlio.dump(tree)


def save_tree(path: str | Path, tree: Any) -> None:
    """Write a round-trip tree atomically in the canonical style."""
    write_atomic(path, to_text(tree))


def timestamp(moment: dt.datetime) -> TimeStamp:
    """A date-time that ruamel writes ``1939-08-20T08:00:00``, as the bundled files do."""
    stamp = TimeStamp(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    stamp._yaml["t"] = True
    return stamp


def styled(value: Any, key: str | None = None) -> Any:
    """Plain data (dicts, lists, str, dates, times) -> round-trip nodes in the project's style."""
    if isinstance(value, dt.datetime):
        return timestamp(value)
    if isinstance(value, dt.time):
        return SingleQuotedScalarString(value.strftime("%H:%M"))
    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = styled(v, k)
        return node
    if isinstance(value, list):
        seq = CommentedSeq(styled(v) for v in value)
        if key in _FLOW_KEYS or all(not isinstance(v, (dict, list)) for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def rebuild_map(ref: str | Path) -> Path:
    """Redraw a scenario's map from its ``map.build`` recipe and save it (``nomonhan map``)."""
    from nomonhan.scenario.load import resolve

    path = resolve(ref)
    write_atomic(path, rebuilt_text(path, yamlio.read_text(path, str(path))))
    return path


def rebuilt_text(path: Path, text: str) -> str:
    """A scenario's text with its map redrawn from its ``map.build`` recipe; ``path`` is where
    the scenario is (or will be) saved: its GeoJSON is found beside it.  The editor's redraw and
    ``nomonhan map`` both come here."""
    from nomonhan.scenario.geomap import build_map, read_geojson

    document, spec = parse_part(path, text, "map", MapSpec)
    recipe = spec.build
    if recipe is None:
        raise ScenarioError([document.problem(("map",), "this scenario has no map.build recipe to draw the map from")])
    georeference = spec.georeference
    if georeference is None:
        raise ScenarioError([document.problem(("map",), "map.build needs map.georeference: the latitude and longitude of hex 0,0")])
    try:
        geojson_path = companions.companion(path, recipe.geojson, "GeoJSON file")
    except companions.CompanionError as exc:
        raise ScenarioError([document.problem(("map", "build", "geojson"), str(exc))]) from None
    try:
        geojson = read_geojson(geojson_path)
    except ValueError as exc:
        raise ScenarioError([document.problem(("map", "build", "geojson"), str(exc))]) from None
    try:
        built = build_map(recipe, geojson, spec.hex_km, georeference, spec.places)
    except ValueError as exc:
        raise ScenarioError([Problem(document.label, *document.where(("map", "build")), "map.build", str(exc))]) from None
    tree_map = document.tree["map"]
    for key in ("terrain", "hexside_lines", "borders", "roads", "places"):
        value = built.get(key)
        if value is None:
            continue
        if not value and key not in tree_map:
            continue
        tree_map[key] = styled(value, key)
    return to_text(document.tree)
