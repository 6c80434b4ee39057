"""The canonical writer: every bundled scenario is kept in the text this module produces.

Load -> save without edits gives the same bytes (tested for every bundled file), so the editor
and ``nomonhan map`` write small diffs and keep the author's comments.  Style: two-space
indentation, block mappings, hex and hexside lists in flow style, the terrain grid as a ``|``
block with one row per line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString
from ruamel.yaml.timestamp import TimeStamp

from nomonhan.fileio import write_atomic
from nomonhan.scenario import companions, yamlio
from nomonhan.scenario.errors import Problem, ScenarioError
from nomonhan.scenario.load import Document, load_text, parse_part
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
    """Redraw a scenario's map from its ``map.build`` recipe and save it (``nomonhan map``).

    A scenario that was valid must stay valid (checked as ``nomonhan validate`` checks it, before
    the file is touched): a redrawn map can put a unit or an objective on water, for one.  One not
    yet whole (its units not placed) is written when its map section reads back (see
    :func:`rebuilt_text`), so that the map can be drawn first."""
    from nomonhan.scenario.load import resolve

    path = resolve(ref)
    text = yamlio.read_text(path, str(path))
    rebuilt = rebuilt_text(path, text)
    try:
        load_text(path, rebuilt)
    except ScenarioError as exc:
        try:
            load_text(path, text)
        except ScenarioError:
            pass  # not valid before either: the author is still making it
        else:
            document = parse_part(path, text, "map", MapSpec)[0]
            raise _at_recipe(document, "the redrawn map would make the scenario invalid", exc.problems) from None
    write_atomic(path, rebuilt)
    return path


def rebuilt_text(path: Path, text: str) -> str:
    """A scenario's text with its map redrawn from its ``map.build`` recipe; ``path`` is where
    the scenario is (or will be) saved: its GeoJSON is found beside it.  The editor's redraw and
    ``nomonhan map`` both come here.

    The text must read back: within the size of a scenario file, and with a ``map:`` section
    that validates (a GeoJSON road of many pieces once wrote more roads than a map holds, and
    every command, this one included, then refused the file).  Else a ScenarioError at
    ``map.build`` says why."""
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
        raise ScenarioError([_recipe_problem(document, str(exc))]) from None
    tree_map = document.tree["map"]
    for key in ("terrain", "hexside_lines", "borders", "roads", "places"):
        value = built.get(key)
        if value is None:
            continue
        if not value and key not in tree_map:
            continue
        tree_map[key] = styled(value, key)
    rebuilt = to_text(document.tree)
    size = len(rebuilt.encode("utf-8"))
    if size > yamlio.MAX_FILE_BYTES:
        message = f"the map it draws makes the file {size:,} bytes, more than the {yamlio.MAX_FILE_BYTES:,} a scenario may have"
        raise ScenarioError([_recipe_problem(document, message)])
    try:
        parse_part(path, rebuilt, "map", MapSpec)
    except ScenarioError as exc:
        problems = [_road_named(problem, built["roads"]) for problem in exc.problems]
        raise _at_recipe(document, "the map it draws would not read back", problems) from None
    return rebuilt


_DRAWN_ROAD = re.compile(r"map\.roads\.(\d+)\b")


def _road_named(problem: Problem, roads: list[dict[str, Any]]) -> Problem:
    """A problem of an entry of ``map.roads`` the redraw made, told by the recipe's road it came
    from: the entry's index is in a text the author never sees."""
    found = _DRAWN_ROAD.match(problem.field)
    if found is None or int(found.group(1)) >= len(roads):
        return problem
    return dataclasses.replace(problem, field=f"road {roads[int(found.group(1))]['name']!r} ({problem.field})")


def _recipe_problem(document: Document, message: str) -> Problem:
    return Problem(document.label, *document.where(("map", "build")), "map.build", message)


SHOWN_PROBLEMS = 5
"""Problems of a redrawn map told: a zone painted with an unknown code gives one per hex."""


def _at_recipe(document: Document, why: str, problems: list[Problem]) -> ScenarioError:
    """The problems of a text not written, told at the recipe that drew it (their own lines
    would point into a file the author never sees), the first few of them."""
    shown = [_recipe_problem(document, f"{why}: {p.field or '(file)'}: {p.message}") for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(_recipe_problem(document, f"and {len(problems) - SHOWN_PROBLEMS} more problems of the redrawn map"))
    return ScenarioError(shown)
