"""The draft's map compiled for drawing, even while the draft has errors.

:class:`nomonhan.ui.render_map.MapRenderer` draws a compiled board and reads nothing else of a
scenario but ``board`` and ``rules``; :class:`MapPicture` is exactly that.  A draft being edited
may name an unknown terrain code, have a ragged row or a river off the map; the picture draws
what it can (unknown codes in magenta, strays left out) so the author sees the map while the
problems list says what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from nomonhan.hexgrid import Hex, distance, on_map, parse_hex, parse_hexside
from nomonhan.scenario.board import Board, build_board
from nomonhan.scenario.schema import MapSpec, RulesData, SpecialRules, TerrainArmour, TerrainType, UnitType, terrain_rows

UNKNOWN_COLOUR = "#ff00ff"


@dataclass(frozen=True)
class MapPicture:
    """The part of a :class:`~nomonhan.scenario.load.Scenario` the map renderer reads."""

    board: Board
    rules: RulesData


def rules_model(data: dict[str, Any]) -> RulesData | None:
    try:
        return RulesData.model_validate(data)
    except ValidationError:
        return None


def map_picture(map_data: Any, rules: RulesData) -> MapPicture | None:
    """The map as drawn, or None when there is no grid at all to draw."""
    try:
        spec = MapSpec.model_validate(map_data)
    except ValidationError:
        return None
    rows = terrain_rows(spec.terrain)
    columns = len(rows[0])
    codes = {t.code for t in rules.terrain}
    grid = [(row + "?" * columns)[:columns] for row in rows]
    unknown = sorted({c for row in grid for c in row} - codes)
    if unknown:
        classes = [mc.id for mc in rules.movement_classes]
        extra = [
            TerrainType(
                code=c,
                id="unknown",
                name=f"unknown terrain code {c!r}",
                move_cost={k: None for k in classes},
                defence_shift=0,
                colour=UNKNOWN_COLOUR,
                armour=TerrainArmour(shift=0, overrun=False, close_assault_pct=100),
            )
            for c in unknown
        ]
        rules = rules.model_copy(update={"terrain": [*rules.terrain, *extra]})

    def inside(hex_: Hex) -> bool:
        return on_map(hex_, columns, len(grid))

    def sides(texts: list[str]) -> list[str]:
        return [t for t in texts if inside(parse_hexside(t).low) and inside(parse_hexside(t).high)]

    features = {f.id for f in rules.hexside_features}
    clean = spec.model_copy(
        update={
            "terrain": "\n".join(grid),
            "hexside_lines": [
                line.model_copy(update={"hexsides": sides(line.hexsides)}) for line in spec.hexside_lines if line.feature in features
            ],
            "borders": [border.model_copy(update={"hexsides": sides(border.hexsides)}) for border in spec.borders],
            "roads": [road.model_copy(update={"hexes": run}) for road in spec.roads for run in _runs(road.hexes, inside)],
            "places": [place for place in spec.places if inside(parse_hex(place.hex))],
            "bridges": sides(spec.bridges),
        }
    )
    return MapPicture(build_board(clean, rules, SpecialRules()), rules)


def _runs(texts: list[str], inside: Any) -> list[list[str]]:
    """The on-map stretches of a road in which each hex is next to the one before."""
    runs: list[list[str]] = [[]]
    previous: Hex | None = None
    for text in texts:
        hex_ = parse_hex(text)
        if not inside(hex_) or (previous is not None and distance(previous, hex_) != 1):
            runs.append([])
        if inside(hex_):
            runs[-1].append(text)
        previous = hex_
    return [run for run in runs if len(run) >= 2]


def unit_types(scenario_data: dict[str, Any], rules: RulesData | None) -> dict[str, UnitType]:
    """The unit-type library the draft can use: the rules data's and the scenario's own valid types."""
    library = {t.id: t for t in rules.unit_types} if rules else {}
    for item in scenario_data.get("unit_types") or []:
        try:
            unit_type = UnitType.model_validate(item)
        except ValidationError:
            continue
        library[unit_type.id] = unit_type
    return library
