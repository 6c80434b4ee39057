"""Cross-reference checks of a scenario against its rules data (no rules logic needed).

The schema checks each field alone; these check that names refer to things that exist and
that hexes lie on the map.  Checks that need the rules themselves (stacking at set-up, supply
reach) live in :mod:`nomonhan.validate`, above the rules layer.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable

from nomonhan.hexgrid import Hex, distance
from nomonhan.scenario.errors import Problem
from nomonhan.scenario.schema import RulesData, ScenarioFile, parse_hex, parse_hexside, terrain_rows

ProblemFactory = Callable[..., Problem]


def reference_problems(
    model: ScenarioFile,
    rules: RulesData,
    problem: ProblemFactory,
    row_positions: list[tuple[int, int]] | None = None,
) -> list[Problem]:
    """Every cross-reference problem; ``row_positions`` gives each terrain row's (line, column)."""
    problems: list[Problem] = []
    side_ids = [s.id for s in model.sides]
    problems += _unique([(("sides", i, "id"), s.id) for i, s in enumerate(model.sides)], "side id", problem)
    if model.period.first_side not in side_ids:
        problems.append(problem(("period", "first_side"), f"unknown side {model.period.first_side!r}; sides are {side_ids}"))

    rows = terrain_rows(model.map.terrain)
    columns = len(rows[0])
    codes = {t.code: t for t in rules.terrain}
    key = problem(("map", "terrain"), "")
    if row_positions is None or len(row_positions) != len(rows):
        row_positions = [(key.line, key.column)] * len(rows)

    def grid_problem(row_number: int, col: int, message: str) -> Problem:
        line, column = row_positions[row_number]  # type: ignore[index]
        return Problem(key.file, line, column + col, "map.terrain", message, hex=Hex.from_offset(col, row_number))

    for row_number, row in enumerate(rows):
        if len(row) != columns:
            problems.append(grid_problem(row_number, 0, f"terrain row {row_number} has {len(row)} hexes; row 0 has {columns}"))
            continue
        for col, code in enumerate(row):
            if code not in codes:
                problems.append(grid_problem(row_number, col, f"unknown terrain code {code!r} at hex {col},{row_number}; known codes: {''.join(sorted(codes))}"))
    if any(p.field == "map.terrain" for p in problems):
        return problems

    def on_map(hex_: Hex) -> bool:
        col, row = hex_.to_offset()
        return 0 <= col < columns and 0 <= row < len(rows)

    features = {f.id for f in rules.hexside_features}
    for i, line in enumerate(model.map.hexside_lines):
        if line.feature not in features:
            problems.append(problem(("map", "hexside_lines", i, "feature"), f"unknown hexside feature {line.feature!r}; known: {sorted(features)}"))
        problems += _hexsides_on_map(("map", "hexside_lines", i, "hexsides"), line.hexsides, on_map, problem)
    for i, border in enumerate(model.map.borders):
        problems += _hexsides_on_map(("map", "borders", i, "hexsides"), border.hexsides, on_map, problem)
    problems += _hexsides_on_map(("map", "bridges"), model.map.bridges, on_map, problem)
    road_kinds = {r.id for r in rules.roads}
    for i, road in enumerate(model.map.roads):
        if road.kind not in road_kinds:
            problems.append(problem(("map", "roads", i, "kind"), f"unknown road kind {road.kind!r}; known: {sorted(road_kinds)}"))
        path = [parse_hex(h) for h in road.hexes]
        for j, (a, b) in enumerate(zip(path, path[1:])):
            if distance(a, b) != 1:
                problems.append(problem(("map", "roads", i, "hexes", j + 1), f"road hex {road.hexes[j + 1]} is not adjacent to the one before it ({road.hexes[j]})", hex=b))
            if not on_map(b) or not on_map(a):
                problems.append(problem(("map", "roads", i, "hexes", j + 1), "road runs off the map", hex=b))
    for i, place in enumerate(model.map.places):
        if not on_map(parse_hex(place.hex)):
            problems.append(problem(("map", "places", i, "hex"), f"place {place.name!r} is off the map", hex=parse_hex(place.hex)))

    unit_types = {t.id: t for t in rules.unit_types} | {t.id: t for t in model.unit_types}
    classes = {mc.id for mc in rules.movement_classes}
    for i, unit_type in enumerate(model.unit_types):
        if unit_type.movement_class not in classes:
            problems.append(problem(("unit_types", i, "movement_class"), f"unknown movement class {unit_type.movement_class!r}"))
    problems += _unique([(("units", i, "id"), u.id) for i, u in enumerate(model.units)], "unit id", problem)
    period = model.period
    end = period.start + timedelta(hours=period.turn_hours * period.last_turn)
    for i, unit in enumerate(model.units):
        here: tuple[Any, ...] = ("units", i)
        if unit.side not in side_ids:
            problems.append(problem(here + ("side",), f"unknown side {unit.side!r}; sides are {side_ids}", unit=unit.id))
        unit_type = unit_types.get(unit.type)
        if unit_type is None:
            problems.append(problem(here + ("type",), f"unknown unit type {unit.type!r}", unit=unit.id))
        elif unit.steps is not None and unit.steps > unit_type.steps:
            problems.append(problem(here + ("steps",), f"{unit.steps} steps but a {unit.type} has only {unit_type.steps}", unit=unit.id))
        hex_text, loc = (unit.hex, here + ("hex",)) if unit.hex else (unit.arrive.hex, here + ("arrive", "hex"))  # type: ignore[union-attr]
        hex_ = parse_hex(hex_text)
        if not on_map(hex_):
            problems.append(problem(loc, f"hex {hex_text} is off the map ({columns} x {len(rows)} hexes)", unit=unit.id, hex=hex_))
        elif unit_type is not None and unit_type.movement_class in classes:
            col, row = hex_.to_offset()
            terrain = codes.get(rows[row][col])
            if terrain is not None and terrain.move_cost.get(unit_type.movement_class) is None:
                problems.append(problem(loc, f"{unit.id} stands on {terrain.name}, which a {unit_type.movement_class} unit cannot enter", unit=unit.id, hex=hex_))
        if unit.arrive and not (period.start <= unit.arrive.at < end):
            problems.append(problem(here + ("arrive", "at"), f"arrival {unit.arrive.at} lies outside the scenario period {period.start} .. {end}", unit=unit.id))

    border_ids = {b.id for b in model.map.borders}
    for i, rule in enumerate(model.special_rules.border_crossing_forbidden):
        if rule.side not in side_ids:
            problems.append(problem(("special_rules", "border_crossing_forbidden", i, "side"), f"unknown side {rule.side!r}"))
        if rule.border not in border_ids:
            problems.append(problem(("special_rules", "border_crossing_forbidden", i, "border"), f"unknown border {rule.border!r}; borders are {sorted(border_ids)}"))
    for i, ford in enumerate(model.special_rules.river_fording):
        if ford.movement_class not in classes:
            problems.append(problem(("special_rules", "river_fording", i, "movement_class"), f"unknown movement class {ford.movement_class!r}"))
        if ford.feature not in features:
            problems.append(problem(("special_rules", "river_fording", i, "feature"), f"unknown hexside feature {ford.feature!r}"))
    for i, objective in enumerate(model.objectives):
        if not on_map(parse_hex(objective.hex)):
            problems.append(problem(("objectives", i, "hex"), f"objective {objective.name!r} is off the map", hex=parse_hex(objective.hex)))
        if objective.initial_holder is not None and objective.initial_holder not in side_ids:
            problems.append(problem(("objectives", i, "initial_holder"), f"unknown side {objective.initial_holder!r}"))
    for side in model.briefing.aims if model.briefing else ():
        if side not in side_ids:
            problems.append(problem(("briefing", "aims", side), f"unknown side {side!r}; sides are {side_ids}"))
    return problems


def _unique(items: list[tuple[tuple[Any, ...], str]], label: str, problem: ProblemFactory) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for loc, value in items:
        if value in seen:
            problems.append(problem(loc, f"duplicate {label} {value!r}"))
        seen.add(value)
    return problems


def _hexsides_on_map(loc: tuple[Any, ...], texts: list[str], on_map: Callable[[Hex], bool], problem: ProblemFactory) -> list[Problem]:
    problems = []
    for j, text in enumerate(texts):
        side = parse_hexside(text)
        if not (on_map(side.low) and on_map(side.high)):
            problems.append(problem(loc + (j,), f"hexside {text} is not between two hexes of the map", hex=side.low))
    return problems
