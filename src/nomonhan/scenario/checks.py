"""The scenario validator: every check across fields and files, in one place.

The schema checks each field alone; this module checks what needs more than one field or the
rules data: that every name refers to something that exists (sides, objectives, unit types,
borders, features), that every hex lies on the map, that lists meant to be in time order are,
and that the set-up is legal (stacking, no enemies sharing a hex).  The loader runs it on
every scenario it loads, ``nomonhan validate`` reports what the loader found, and the editor
runs it live on the draft, so what validates can be played and no two of them disagree.

Hexes are compared as :class:`Hex` values parsed from the text, never as text, so ``'16, 22'``
and ``'16,22'`` are the same hex.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from nomonhan.hexgrid import Hex, distance, format_hex, parse_hex, parse_hexside
from nomonhan.scenario.errors import Problem
from nomonhan.scenario.schema import RulesData, ScenarioFile, UnitType, gun_weight_problem, terrain_rows

if TYPE_CHECKING:
    from nomonhan.scenario.load import Document

ProblemFactory = Callable[..., Problem]
Loc = tuple[Any, ...]


def terrain_row_positions(document: Document) -> list[tuple[int, int]]:
    """(line, column) of the first hex of each terrain row, for errors inside the text grid.

    The grid is a block scalar after the ``terrain:`` key: its rows are the following lines
    indented deeper than the key, blank lines skipped (as the grid itself skips them).
    """
    key_line, key_column = document.positions.get(("map", "terrain"), (0, 0))
    if not key_line:
        return []
    rows = []
    for number, text in enumerate(document.text.splitlines()[key_line:], start=key_line + 1):
        if not text.strip():
            continue
        indent = len(text) - len(text.lstrip())
        if indent < key_column:
            break
        rows.append((number, indent + 1))
    return rows


def listed(values: Iterable[str]) -> str:
    """A closed set of names as an author reads it in a message: ``a, b, c`` (sorted; "none" if empty)."""
    return ", ".join(sorted(values)) or "none"


def scenario_problems(model: ScenarioFile, rules: RulesData, document: Document) -> list[Problem]:
    """Every problem of a scenario under its rules data: errors (it cannot be played), then warnings."""
    problem = document.problem
    problems = _unique([(("sides", i, "id"), s.id) for i, s in enumerate(model.sides)], "side id", problem)
    side_ids = [s.id for s in model.sides]
    if model.period.first_side not in side_ids:
        problems.append(problem(("period", "first_side"), f"unknown side {model.period.first_side!r}; sides are {listed(side_ids)}"))
    grid = _grid_problems(model, rules, problem, terrain_row_positions(document))
    if grid:
        return problems + grid
    check = _Checker(model, rules, problem, side_ids)
    for part in (
        _map_features,
        _unit_types,
        _units,
        _special_rules,
        _objectives,
        _time_lines,
        _supply_and_forts,
        _ai_hints,
        _historical,
        _reinforcement_edges,
        _early_releases,
        _briefing,
    ):
        part(check)
    problems += check.problems + _source_keys(model, document)
    if not any(p.severity == "error" for p in problems):
        problems += _setup_problems(check)
    return sorted(problems, key=lambda p: p.severity != "error")


def _grid_problems(model: ScenarioFile, rules: RulesData, problem: ProblemFactory, row_positions: list[tuple[int, int]]) -> list[Problem]:
    """Ragged rows and unknown codes in the terrain grid, each at its own line and column."""
    rows = terrain_rows(model.map.terrain)
    columns = len(rows[0])
    codes = {t.code for t in rules.terrain}
    key = problem(("map", "terrain"), "")
    if len(row_positions) != len(rows):
        row_positions = [(key.line, key.column)] * len(rows)

    def grid_problem(row_number: int, col: int, message: str) -> Problem:
        line, column = row_positions[row_number]
        return Problem(key.file, line, column + col, "map.terrain", message, hex=Hex.from_offset(col, row_number))

    problems = []
    for row_number, row in enumerate(rows):
        if len(row) != columns:
            problems.append(grid_problem(row_number, 0, f"terrain row {row_number} has {len(row)} hexes; row 0 has {columns}"))
            continue
        for col, code in enumerate(row):
            if code not in codes:
                problems.append(
                    grid_problem(
                        row_number, col, f"unknown terrain code {code!r} at hex {col},{row_number}; known codes: {''.join(sorted(codes))}"
                    )
                )
    return problems


@dataclass
class _Checker:
    """What the checks share: the model, the rules, the map's size and the problems found so far."""

    model: ScenarioFile
    rules: RulesData
    problem: ProblemFactory
    side_ids: list[str]

    def __post_init__(self) -> None:
        self.problems: list[Problem] = []
        self.rows = terrain_rows(self.model.map.terrain)
        self.columns = len(self.rows[0])
        self.terrain = {t.code: t for t in self.rules.terrain}
        self.classes = {mc.id for mc in self.rules.movement_classes}
        self.features = {f.id for f in self.rules.hexside_features}
        self.unit_types: dict[str, UnitType] = {t.id: t for t in self.rules.unit_types} | {t.id: t for t in self.model.unit_types}
        self.objective_names = {o.name for o in self.model.objectives}
        period = self.model.period
        self.end = period.start + timedelta(hours=period.turn_hours * period.last_turn)

    def add(self, loc: Loc, message: str, **extra: Any) -> None:
        self.problems.append(self.problem(loc, message, **extra))

    def warn(self, loc: Loc, message: str, **extra: Any) -> None:
        """A problem the file can still be played with, though probably not as meant."""
        self.problems.append(self.problem(loc, message, severity="warning", **extra))

    def known_classes(self) -> str:
        return f"known: {', '.join(sorted(self.classes))} (a scenario may add classes in its own rules data)"

    def on_map(self, hex_: Hex) -> bool:
        col, row = hex_.to_offset()
        return 0 <= col < self.columns and 0 <= row < len(self.rows)

    def side(self, loc: Loc, side: str, **extra: Any) -> None:
        if side not in self.side_ids:
            self.add(loc, f"unknown side {side!r}; sides are {listed(self.side_ids)}", **extra)

    def hex_on_map(self, loc: Loc, text: str, what: str, **extra: Any) -> Hex:
        hex_ = parse_hex(text)
        if not self.on_map(hex_):
            self.add(loc, f"{what} {text} is off the map ({self.columns} x {len(self.rows)} hexes)", hex=hex_, **extra)
        return hex_

    def hexsides_on_map(self, loc: Loc, texts: list[str]) -> None:
        for j, text in enumerate(texts):
            side = parse_hexside(text)
            if not (self.on_map(side.low) and self.on_map(side.high)):
                self.add(loc + (j,), f"hexside {text} is not between two hexes of the map", hex=side.low)


def _map_features(check: _Checker) -> None:
    model, rules = check.model, check.rules
    for i, line in enumerate(model.map.hexside_lines):
        if line.feature not in check.features:
            check.add(("map", "hexside_lines", i, "feature"), f"unknown hexside feature {line.feature!r}; known: {listed(check.features)}")
        check.hexsides_on_map(("map", "hexside_lines", i, "hexsides"), line.hexsides)
    for i, border in enumerate(model.map.borders):
        check.hexsides_on_map(("map", "borders", i, "hexsides"), border.hexsides)
    check.problems += _unique([(("map", "borders", i, "id"), b.id) for i, b in enumerate(model.map.borders)], "border id", check.problem)
    check.hexsides_on_map(("map", "bridges"), model.map.bridges)
    for i, crossing in enumerate(model.map.crossings):
        check.hexsides_on_map(("map", "crossings", i, "hexside"), [crossing.hexside])
    road_kinds = {r.id for r in rules.roads}
    for i, road in enumerate(model.map.roads):
        if road.kind not in road_kinds:
            check.add(("map", "roads", i, "kind"), f"unknown road kind {road.kind!r}; known: {listed(road_kinds)}")
        path = [parse_hex(h) for h in road.hexes]
        for j, (a, b) in enumerate(zip(path, path[1:])):
            if distance(a, b) != 1:
                check.add(
                    ("map", "roads", i, "hexes", j + 1),
                    f"road hex {road.hexes[j + 1]} is not adjacent to the one before it ({road.hexes[j]})",
                    hex=b,
                )
            if not check.on_map(b) or not check.on_map(a):
                check.add(("map", "roads", i, "hexes", j + 1), "road runs off the map", hex=b)
    for i, place in enumerate(model.map.places):
        if not check.on_map(parse_hex(place.hex)):
            check.add(("map", "places", i, "hex"), f"place {place.name!r} is off the map", hex=parse_hex(place.hex))


def _unit_types(check: _Checker) -> None:
    rules_types = {t.id for t in check.rules.unit_types}
    check.problems += _unique(
        [(("unit_types", i, "id"), t.id) for i, t in enumerate(check.model.unit_types)], "unit type id", check.problem
    )
    for i, unit_type in enumerate(check.model.unit_types):
        if unit_type.id in rules_types:
            check.add(
                ("unit_types", i, "id"),
                f"unit type {unit_type.id!r} is already in the rules data {check.rules.id!r}; give the scenario's type an id of its own",
            )
        if unit_type.movement_class not in check.classes:
            check.add(("unit_types", i, "movement_class"), f"unknown movement class {unit_type.movement_class!r}; {check.known_classes()}")
        weight_problem = gun_weight_problem(unit_type, check.rules.artillery)
        if weight_problem:
            check.add(("unit_types", i, "gun_weight"), weight_problem)


def _units(check: _Checker) -> None:
    model = check.model
    check.problems += _unique([(("units", i, "id"), u.id) for i, u in enumerate(model.units)], "unit id", check.problem)
    period = model.period
    for i, unit in enumerate(model.units):
        here: Loc = ("units", i)
        check.side(here + ("side",), unit.side, unit=unit.id)
        unit_type = check.unit_types.get(unit.type)
        if unit_type is None:
            check.add(here + ("type",), f"unknown unit type {unit.type!r}; known: {', '.join(sorted(check.unit_types))}", unit=unit.id)
        elif unit.steps is not None and unit.steps > unit_type.steps:
            check.add(here + ("steps",), f"{unit.steps} steps but a {unit.type} has only {unit_type.steps}", unit=unit.id)
        if unit.hex is not None:
            hex_text, loc = unit.hex, here + ("hex",)
        else:
            assert unit.arrive is not None, "the schema gives every unit a hex or an arrival"
            hex_text, loc = unit.arrive.hex, here + ("arrive", "hex")
        hex_ = parse_hex(hex_text)
        if not check.on_map(hex_):
            check.add(loc, f"hex {hex_text} is off the map ({check.columns} x {len(check.rows)} hexes)", unit=unit.id, hex=hex_)
        elif unit_type is not None and unit_type.movement_class in check.classes:
            col, row = hex_.to_offset()
            terrain = check.terrain.get(check.rows[row][col])
            if terrain is not None and terrain.move_cost.get(unit_type.movement_class) is None:
                check.add(
                    loc, f"{unit.id} stands on {terrain.name}, which a {unit_type.movement_class} unit cannot enter", unit=unit.id, hex=hex_
                )
        if unit.arrive and not (period.start <= unit.arrive.at < check.end):
            check.add(
                here + ("arrive", "at"),
                f"arrival {unit.arrive.at} lies outside the scenario period {period.start} .. {check.end}",
                unit=unit.id,
            )


def _setup_problems(check: _Checker) -> list[Problem]:
    """Units on the map at the start: no hex over the stacking limit, no hex held by both sides.

    Run only on an otherwise valid scenario (every type known, every hex on the map).
    """
    problems = []
    limit = check.rules.stacking_limit
    stacks: Counter[Hex] = Counter()
    holder: dict[Hex, str] = {}
    for i, setup in enumerate(check.model.units):
        if setup.hex is None:
            continue
        hex_ = parse_hex(setup.hex)
        if holder.setdefault(hex_, setup.side) != setup.side:
            problems.append(
                check.problem(
                    ("units", i, "hex"),
                    f"{setup.id} is set up in hex {format_hex(hex_)}, which {holder[hex_]} units hold",
                    unit=setup.id,
                    hex=hex_,
                )
            )
            continue
        stacks[hex_] += check.unit_types[setup.type].stack_points
        if stacks[hex_] > limit:
            problems.append(
                check.problem(
                    ("units", i, "hex"),
                    f"stacking limit exceeded at set-up: {stacks[hex_]} stack points in hex {format_hex(hex_)}, at most {limit}",
                    unit=setup.id,
                    hex=hex_,
                )
            )
    return problems


def _special_rules(check: _Checker) -> None:
    rules = check.model.special_rules
    border_ids = {b.id for b in check.model.map.borders}
    for i, rule in enumerate(rules.border_crossing_forbidden):
        check.side(("special_rules", "border_crossing_forbidden", i, "side"), rule.side)
        if rule.border not in border_ids:
            check.add(
                ("special_rules", "border_crossing_forbidden", i, "border"),
                f"unknown border {rule.border!r}; borders are {listed(border_ids)}",
            )
    for i, ford in enumerate(rules.river_fording):
        if ford.movement_class not in check.classes:
            check.add(
                ("special_rules", "river_fording", i, "movement_class"),
                f"unknown movement class {ford.movement_class!r}; {check.known_classes()}",
            )
        if ford.feature not in check.features:
            check.add(
                ("special_rules", "river_fording", i, "feature"),
                f"unknown hexside feature {ford.feature!r}; known: {listed(check.features)}",
            )
    for i, night in enumerate(rules.night_attack):
        check.side(("special_rules", "night_attack", i, "side"), night.side)
    units = {u.id: u for u in check.model.units}
    for i, hold in enumerate(rules.hold_fire):
        here: Loc = ("special_rules", "hold_fire", i)
        check.side(here + ("side",), hold.side)
        for j, unit_id in enumerate(hold.units):
            unit = units.get(unit_id)
            if unit is None or unit.side != hold.side:
                known = ", ".join(sorted(u.id for u in units.values() if u.side == hold.side)) or "none"
                check.add(here + ("units", j), f"no {hold.side} unit {unit_id!r}; {hold.side} units: {known}")
    windows: list[tuple[str, list[Any]]] = [("border_crossing_forbidden", rules.border_crossing_forbidden), ("hold_fire", rules.hold_fire)]
    for kind, entries in windows:
        for index, window in enumerate(entries):
            for key in ("start", "until"):
                moment = getattr(window, key)
                if moment is not None and not (check.model.period.start < moment < check.end):
                    check.warn(
                        ("special_rules", kind, index, key),
                        f"{key} {moment} is not inside the scenario period {check.model.period.start} .. {check.end}, so it changes nothing",
                    )


def _early_releases(check: _Checker) -> None:
    """Each event that can bring a reinforcement in early names an objective or a unit of its
    own side that exists: a side always learns of its own unit's end, but an enemy unit may end
    out of its sight, and a release on that would tell the side what it could not see."""
    sides = {u.id: u.side for u in check.model.units}
    for i, unit in enumerate(check.model.units):
        for j, event in enumerate(unit.arrive.early if unit.arrive else ()):
            here: Loc = ("units", i, "arrive", "early", j)
            if event.objective is not None and event.objective not in check.objective_names:
                check.add(here + ("objective",), f"unknown objective {event.objective!r}; objectives are {listed(check.objective_names)}")
            if event.eliminated is None:
                continue
            if event.eliminated not in sides:
                check.add(here + ("eliminated",), f"unknown unit {event.eliminated!r}; units are {listed(sides)}", unit=unit.id)
            elif sides[event.eliminated] != unit.side:
                check.add(
                    here + ("eliminated",),
                    f"{event.eliminated!r} is a {sides[event.eliminated]} unit: a reinforcement can be released by the end of "
                    f"one of its own side's units only (the enemy's may end out of its sight)",
                    unit=unit.id,
                )


def _objectives(check: _Checker) -> None:
    model = check.model
    check.problems += _unique(
        [(("objectives", i, "name"), o.name) for i, o in enumerate(model.objectives)], "objective name", check.problem
    )
    seen: dict[Hex, str] = {}
    for i, objective in enumerate(model.objectives):
        hex_ = parse_hex(objective.hex)
        if not check.on_map(hex_):
            check.add(("objectives", i, "hex"), f"objective {objective.name!r} is off the map", hex=hex_)
        elif hex_ in seen:
            check.add(("objectives", i, "hex"), f"objective {objective.name!r} is in the same hex as {seen[hex_]!r}", hex=hex_)
        seen.setdefault(hex_, objective.name)
        if objective.initial_holder is not None:
            check.side(("objectives", i, "initial_holder"), objective.initial_holder)
    for i, rule in enumerate(model.sudden_death):
        check.side(("sudden_death", i, "side"), rule.side)
        for j, name in enumerate(rule.objectives):
            if name not in check.objective_names:
                check.add(
                    ("sudden_death", i, "objectives", j), f"unknown objective {name!r}; objectives are {listed(check.objective_names)}"
                )


def _time_lines(check: _Checker) -> None:
    """Weather holds "until the next entry", so spells must run forward in time; a side's air
    points go by the latest entry started, so two of its entries must not start together."""
    model = check.model
    air_starts: set[tuple[str, datetime]] = set()
    for i, entry in enumerate(model.air):
        check.side(("air", i, "side"), entry.side)
        if (entry.side, entry.start) in air_starts:
            check.add(("air", i, "start"), f"two air point entries of {entry.side} start at {entry.start}")
        air_starts.add((entry.side, entry.start))
    for i, (before, spell) in enumerate(zip(model.weather, model.weather[1:]), start=1):
        if spell.start <= before.start:
            check.add(
                ("weather", i, "start"), f"weather spells must be in order of start: {spell.start} does not come after {before.start}"
            )


def _supply_and_forts(check: _Checker) -> None:
    model = check.model
    for i, source in enumerate(model.supply.sources):
        check.side(("supply", "sources", i, "side"), source.side)
        check.hex_on_map(("supply", "sources", i, "hex"), source.hex, f"supply source {source.name!r} at hex")
    for i, capacity in enumerate(model.supply.capacity):
        check.side(("supply", "capacity", i, "side"), capacity.side)
    stages = [stage.name for stage in check.rules.supply.stages]
    for i, shortage in enumerate(model.supply.water_shortage):
        check.side(("supply", "water_shortage", i, "side"), shortage.side)
        for j, code in enumerate(shortage.terrain):
            if code not in check.terrain:
                check.add(
                    ("supply", "water_shortage", i, "terrain", j),
                    f"unknown terrain code {code!r}; known codes: {''.join(sorted(check.terrain))}",
                )
        if shortage.stage not in stages:
            check.add(
                ("supply", "water_shortage", i, "stage"), f"unknown supply stage {shortage.stage!r}; the rules' stages are {listed(stages)}"
            )
    for i, fort in enumerate(model.fortifications):
        check.side(("fortifications", i, "side"), fort.side)
        check.hex_on_map(("fortifications", i, "hex"), fort.hex, f"fortification {fort.name!r} at hex")


def _ai_hints(check: _Checker) -> None:
    last_turn = check.model.period.last_turn
    for side, hints in check.model.ai_hints.items():
        check.side(("ai_hints", side), side)
        formations = {u.formation for u in check.model.units if u.side == side and u.formation}
        for j, objective in enumerate(hints.objectives):
            check.hex_on_map(("ai_hints", side, "objectives", j, "hex"), objective.hex, "AI objective at hex")
            if objective.by_turn > last_turn:
                check.warn(
                    ("ai_hints", side, "objectives", j, "by_turn"),
                    f"by_turn {objective.by_turn} comes after the last turn ({last_turn}): the computer player will never be due to {objective.goal} it",
                )
        for j, axis in enumerate(hints.axes):
            for k, text in enumerate(axis.hexes):
                check.hex_on_map(("ai_hints", side, "axes", j, "hexes", k), text, f"axis {axis.name!r} hex")
            for k, formation in enumerate(axis.formations):
                if formation not in formations:
                    known = ", ".join(repr(f) for f in sorted(formations)) or "none"
                    check.warn(
                        ("ai_hints", side, "axes", j, "formations", k),
                        f"no {side} unit belongs to formation {formation!r}, so nothing follows axis {axis.name!r}; {side} formations: {known}",
                    )


def _briefing(check: _Checker) -> None:
    briefing = check.model.briefing
    for side in briefing.aims if briefing else ():
        check.side(("briefing", "aims", side), side)


def _reinforcement_edges(check: _Checker) -> None:
    """A reinforcement enters at its hex if free, else at a free hex on the same map edge; an
    arrival hex on no edge has nowhere to go when it is held, and the unit waits."""
    for i, unit in enumerate(check.model.units):
        if unit.arrive is None:
            continue
        hex_ = parse_hex(unit.arrive.hex)
        col, row = hex_.to_offset()
        inside = 0 < col < check.columns - 1 and 0 < row < len(check.rows) - 1
        if check.on_map(hex_) and inside:
            check.warn(
                ("units", i, "arrive", "hex"),
                f"{unit.id} arrives at {unit.arrive.hex}, which is on no map edge: if that hex is held when it arrives, it waits a turn",
                unit=unit.id,
                hex=hex_,
            )


def _historical(check: _Checker) -> None:
    historical = check.model.historical
    if historical is None:
        return
    check.side(("historical", "winner"), historical.winner)
    for side in historical.losses:
        check.side(("historical", "losses", side), side)
    for name, side in historical.held_objectives.items():
        if name not in check.objective_names:
            check.add(
                ("historical", "held_objectives", name), f"unknown objective {name!r}; objectives are {listed(check.objective_names)}"
            )
        check.side(("historical", "held_objectives", name), side)


def _unique(items: list[tuple[Loc, str]], label: str, problem: ProblemFactory) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for loc, value in items:
        if value in seen:
            problems.append(problem(loc, f"duplicate {label} {value!r}"))
        seen.add(value)
    return problems


_SOURCE_KEY = re.compile(r"\b[A-Z][A-Z0-9]+\b")
STANDARD_SOURCE_KEYS = frozenset({"DOC", "EST"})
"""Keys every scenario may use without listing them: the source document and an estimate."""


def _source_keys(model: ScenarioFile, document: Document) -> list[Problem]:
    """Every key a ``source:`` field names (the capitalised words, such as ``GEO`` in
    ``'GEO,KYH; outline EST'``) must be a key of the scenario's ``sources``."""
    known = set(model.sources) | STANDARD_SOURCE_KEYS
    problems = []
    for loc, text in _source_fields(document.tree, ()):
        for key in dict.fromkeys(_SOURCE_KEY.findall(text)):
            if key not in known:
                listed = ", ".join(sorted(model.sources)) or "none"
                problems.append(
                    document.problem(loc, f"source key {key!r} is not in `sources` (keys: {listed}; also DOC and EST)", severity="warning")
                )
    return problems


def _source_fields(node: Any, loc: Loc) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                found.append((loc + (key,), value))
            elif key != "sources":
                found += _source_fields(value, loc + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _source_fields(value, loc + (i,))
    return found
