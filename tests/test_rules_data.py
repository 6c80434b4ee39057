"""The rules data file holds every number of the rules (docs/rules.md, first paragraphs).

No rules number has a default in code: a file without one is refused, naming the field.  Dice
have their faces in the data and the tables are checked against their die when loaded.  What a
unit type may do (overrun, armour, pontoons) is an ability flag in the data, not its category.
The tables of docs/rules.md are printed from the data (tools/rules_doc.py).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import bombardment, declared, make_scenario, seed_for
from pydantic import ValidationError

from nomonhan import engine, resources, rng
from nomonhan.actions import BuildBridge, EndPhase
from nomonhan.engine.eligibility import overrun_options
from nomonhan.events import AirMissionCancelled, BombardmentResolved
from nomonhan.hexgrid import parse_hex, parse_hexside
from nomonhan.rules.bridges import bridge_options
from nomonhan.rules.combat import plan_attack
from nomonhan.rulesdoc import update
from nomonhan.scenario import yamlio
from nomonhan.scenario.errors import ScenarioError
from nomonhan.scenario.load import load_rules
from nomonhan.scenario.schema import RulesData
from nomonhan.state import AirState, Phase

STANDARD_TEXT = resources.rules_path("standard").read_text(encoding="utf-8")
RULES_DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
SECTIONS = ["zoc", "spotting", "shifts", "overrun", "supply", "air", "night", "recovery", "bridges"]
PROBLEM_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<column>\d+): (?P<field>\S+): (?P<message>.+)$")


def _standard_plain() -> dict:
    return yamlio.parse(STANDARD_TEXT, "standard")[1]


def _variant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *edits: tuple[str, str]) -> str:
    """A rules file ``variant`` (the standard one with ``edits``) where the loader looks for rules."""
    text = STANDARD_TEXT
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    rules_dir = tmp_path / "scenarios" / "rules"
    rules_dir.mkdir(parents=True)
    (rules_dir / "variant.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(resources, "scenarios_dir", lambda: tmp_path / "scenarios")
    return text


# ------------------------------------------------------------------ every number in the data


@pytest.mark.parametrize("section, key", [(s, k) for s in SECTIONS for k in _standard_plain()[s]], ids=lambda v: str(v))
def test_every_rules_number_is_required(section: str, key: str) -> None:
    plain = _standard_plain()
    del plain[section][key]
    with pytest.raises(ValidationError) as caught:
        RulesData.model_validate(plain)
    assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [((section, key), "missing")]


@pytest.mark.parametrize("section", SECTIONS + ["crt", "bombardment"])
def test_every_rules_section_is_required(section: str) -> None:
    plain = _standard_plain()
    del plain[section]
    with pytest.raises(ValidationError) as caught:
        RulesData.model_validate(plain)
    assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [((section,), "missing")]


def test_a_missing_number_is_reported_at_its_section_in_the_file(tmp_path, monkeypatch) -> None:
    text = _variant(tmp_path, monkeypatch, ("  rest_hours_per_step: 24\n", ""))
    with pytest.raises(ScenarioError) as caught:
        load_rules("variant")
    [problem] = caught.value.problems
    match = PROBLEM_LINE.match(str(problem))
    assert match and match["path"] == "scenarios/rules/variant.yaml"
    assert match["field"] == "recovery.rest_hours_per_step" and match["message"] == "is required"
    assert text.splitlines()[problem.line - 1].startswith("recovery:")


# ------------------------------------------------------------------ dice sized by the data

SIX_ROWS = "    - [D1/S, D1/S, D1/S, D2/S]\n    - [D1/S, D1/S, D2/S, D2/S]\n"


def test_a_bombardment_table_short_of_its_die_is_refused_at_load(tmp_path, monkeypatch) -> None:
    """Five rows for a six-sided die: refused with its position, not an IndexError at the roll."""
    text = _variant(tmp_path, monkeypatch, (SIX_ROWS, "    - [D1/S, D1/S, D1/S, D2/S]\n"))
    with pytest.raises(ScenarioError) as caught:
        load_rules("variant")
    [problem] = caught.value.problems
    assert PROBLEM_LINE.match(str(problem))
    assert problem.field == "bombardment" and "results needs one row per die face (6), has 5" in problem.message
    assert text.splitlines()[problem.line - 1] == "bombardment:"


def test_a_bombardment_row_short_of_the_columns_is_refused(tmp_path, monkeypatch) -> None:
    _variant(tmp_path, monkeypatch, (SIX_ROWS, "    - [D1/S, D1/S, D1/S, D2/S]\n    - [D1, D1, D2]\n"))
    with pytest.raises(ScenarioError, match="results row 6 has 3 entries, there are 4 columns"):
        load_rules("variant")


def test_bombardment_rolls_the_die_of_its_table(tmp_path, monkeypatch) -> None:
    """An eight-sided bombardment table: only an 8 hits, and the roll is a d8."""
    eight_rows = "    - ['-', '-', '-', '-']\n" * 7 + "    - [D1, D1, D1, D1]\n"
    start = STANDARD_TEXT.index("bombardment:")
    old_rows = STANDARD_TEXT[STANDARD_TEXT.index("  results:\n", start) + len("  results:\n") : STANDARD_TEXT.index("  source:", start)]
    _variant(
        tmp_path,
        monkeypatch,
        ("  strength_columns: [1, 4, 8, 12]\n  die_sides: 6\n", "  strength_columns: [1, 4, 8, 12]\n  die_sides: 8\n"),
        (old_rows, eight_rows),
    )
    units = [("g-1", "artillery_bn", "japanese", "1,2"), ("s-1", "rifle_bn", "soviet", "3,2")]
    state = engine.new_game(make_scenario(tmp_path, ["......."] * 5, units, rules="variant"), 1)
    for face, lost in [(8, 1), (7, 0)]:
        ready = replace(state, phase=Phase.BOMBARDMENT, rng_state=seed_for(face, sides=8))
        after, events = declared(ready, bombardment(("g-1",), parse_hex("3,2")))
        assert events[0] == BombardmentResolved(("g-1",), parse_hex("3,2"), face, "D1" if lost else "-", lost)
        assert after.rng_state == rng.roll(ready.rng_state, 8)[1]


@pytest.mark.parametrize("face, cancels", [(5, True), (6, False), (9, False), (10, False)])
def test_air_fights_roll_the_die_of_the_data(tmp_path, monkeypatch, face: int, cancels: bool) -> None:
    """A ten-sided air die, missions turned back on 1-5: a patrol rolling ``face`` on a d10."""
    _variant(tmp_path, monkeypatch, ("  die_sides: 6\n  cancel_on_die_at_most: 3\n", "  die_sides: 10\n  cancel_on_die_at_most: 5\n"))
    air = [{"side": "japanese", "start": "1939-07-01T00:00:00", "points": 1, "source": "test"}]
    units = [("j-1", "rifle_bn", "japanese", "1,1"), ("s-1", "rifle_bn", "soviet", "3,1")]
    state = engine.new_game(make_scenario(tmp_path, ["......."] * 3, units, extra={"air": air}, rules="variant"), 1)
    assert state.phase is Phase.AIR
    target = parse_hex("3,1")
    flown = AirState(
        superiority=(("soviet", 1),), support=(("japanese", target),), interdiction=(), points_left=0, flown=(("support", target),)
    )
    state = replace(state, air=flown, rng_state=seed_for(face, sides=10))
    after, events = engine.step(state, EndPhase())
    assert [e.hex for e in events if isinstance(e, AirMissionCancelled)] == ([target] if cancels else [])
    assert after.rng_state == rng.roll(state.rng_state, 10)[1]


def test_an_air_threshold_beyond_its_die_is_refused(tmp_path, monkeypatch) -> None:
    _variant(tmp_path, monkeypatch, ("  cancel_on_die_at_most: 3\n", "  cancel_on_die_at_most: 7\n"))
    with pytest.raises(ScenarioError, match=r"air: cancel_on_die_at_most \(7\) is more than the die has faces \(6\)"):
        load_rules("variant")


# ------------------------------------------------------------------ abilities, not categories


def _unit_type(type_id: str, category: str, abilities: list[str], movement_class: str = "tracked") -> dict:
    return {
        "id": type_id,
        "name": type_id,
        "category": category,
        "size": "battalion",
        "movement_class": movement_class,
        "move_points": 12,
        "attack": 5,
        "defence": 3,
        "steps": 2,
        "abilities": abilities,
        "stack_points": 2,
        "source": "test",
    }


FLAGGED = [
    _unit_type("tankette_coy", "infantry", ["overrun", "armour"]),  # abilities without the armour category
    _unit_type("tractor_bn", "armour", []),  # the armour category without abilities
    _unit_type("sapper_coy", "infantry", ["engineer"], movement_class="foot"),
    _unit_type("bridging_bn", "engineer", [], movement_class="foot"),
]


@pytest.mark.parametrize("type_id, can", [("tankette_coy", True), ("tractor_bn", False)])
def test_overrun_is_for_types_with_the_overrun_ability(tmp_path, type_id: str, can: bool) -> None:
    units = [("j-1", type_id, "japanese", "2,1"), ("s-1", "artillery_bn", "soviet", "3,1")]
    state = engine.new_game(make_scenario(tmp_path, ["......."] * 3, units, unit_types=FLAGGED), 1)
    assert state.phase is Phase.MOVEMENT
    assert bool(overrun_options(state)) == can


@pytest.mark.parametrize("type_id, shift", [("tankette_coy", 1), ("tractor_bn", 0)])
def test_the_armour_shift_is_for_types_with_the_armour_ability(tmp_path, type_id: str, shift: int) -> None:
    units = [("j-1", type_id, "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", "3,2")]
    state = engine.new_game(make_scenario(tmp_path, ["......."] * 5, units, unit_types=FLAGGED), 1)
    plan = plan_attack(state, [state.unit("j-1")], [state.unit("s-1")], parse_hex("3,2"), 0, 0, False)
    assert plan.total_shift == shift


def test_pontoons_are_for_types_with_the_engineer_ability(tmp_path) -> None:
    river = ["1,0:NE", "1,0:SE", "1,1:NE", "1,1:SE", "1,2:NE"]
    units = [("j-1", "sapper_coy", "japanese", "1,1"), ("j-2", "bridging_bn", "japanese", "1,0")]
    scenario = make_scenario(tmp_path, ["...."] * 3, units, unit_types=FLAGGED, hexside_lines=[("river", river)])
    state = engine.new_game(scenario, 1)
    builds = {(o.unit, o.hexside) for o in bridge_options(state) if isinstance(o, BuildBridge)}
    assert builds == {("j-1", parse_hexside("1,1:NE")), ("j-1", parse_hexside("1,1:SE"))}


def test_an_unknown_ability_is_refused_with_the_valid_ones(tmp_path) -> None:
    with pytest.raises(ScenarioError) as caught:
        make_scenario(tmp_path, ["...."], [("j-1", "flyer", "japanese", "0,0")], unit_types=[_unit_type("flyer", "infantry", ["flying"])])
    [problem] = caught.value.problems
    assert PROBLEM_LINE.match(str(problem))
    assert problem.field == "unit_types.0.abilities.0"
    assert problem.message == "must be one of: overrun, armour, engineer, infantry, close_assault, got 'flying'"


# ------------------------------------------------------------------ docs/rules.md from the data


def test_the_rules_document_tables_are_current() -> None:
    """Fails when scenarios/rules/standard.yaml changed and tools/rules_doc.py was not rerun."""
    _document, rules = load_rules("standard")
    text = RULES_DOC.read_text(encoding="utf-8")
    assert update(text, rules) == text, "docs/rules.md is out of date: run .venv/bin/python tools/rules_doc.py"


def test_the_rules_document_follows_a_change_to_the_data() -> None:
    _document, rules = load_rules("standard")
    text = RULES_DOC.read_text(encoding="utf-8")
    changed = rules.model_copy(update={"zoc": rules.zoc.model_copy(update={"leave_cost": 5})})
    new = update(text, changed)
    assert "| `zoc.leave_cost` | extra move points to leave a hex in an enemy zone of control | 5 |" in new
    assert new.replace("control | 5 |", "control | 2 |") == text


def test_a_table_missing_from_the_rules_document_is_an_error() -> None:
    _document, rules = load_rules("standard")
    text = RULES_DOC.read_text(encoding="utf-8").replace("<!-- generated: recovery -->", "")
    with pytest.raises(ValueError, match=r"missing \['recovery'\]"):
        update(text, rules)


# Sentences of docs/rules.md's prose that restate a number of the data, written as templates of
# the rules data ``r``: a change to the data fails here until the prose is brought up to date.
PROSE = [
    "Open steppe costs {r_terrain[steppe].move_cost[foot]} and a road {r_roads[road].move_cost[foot]}, so roads double",
    "sand dunes bog down lorries ({r_terrain[dunes].move_cost[wheeled]}) more than tanks ({r_terrain[dunes].move_cost[tracked]})",
    "leaving one costs {r.zoc.leave_cost} more",
    "At most {r.stacking_limit} stack points may end a move in one hex",
    "cost {r.air.interdiction_move_cost} more to enter",
    "within {r.spotting.day_range} hexes of one of yours ({r.spotting.night_range} at night)",
    "is the highest of {columns} that the attack reaches",
    "at least {r.overrun.move_point_cost} move points left",
    "at {r.overrun.min_odds[0]}:{r.overrun.min_odds[1]} or better (before shifts)",
    "It costs {r.overrun.move_point_cost} move points, gets +{r.shifts.overrun} column",
    "+{r.shifts.per_air_support_point} column for attacks on it this turn (at most +{r.shifts.max_air_support})",
    "cost enemy units {r.air.interdiction_move_cost} more move points",
    "rolls a die and on 1–{r.air.cancel_on_die_at_most} shoots down one enemy patrol point",
    "rolls and on 1–{r.air.cancel_on_die_at_most} turns back one",
    "along roads for up to {r.supply.road_trace_hexes} hexes, then up to {r.supply.trace_hexes} hexes across country",
    "−{minus_attacker} column when attacking, +{r.shifts.defender_out_of_supply} to the enemy attacking it",
    "moves and attacks at {r.supply.out_of_fuel_move_pct}% until a supply phase fuels it",
    "up to {r.supply.stockpile_limit_turns} turns' haul",
    "(1,300 kg a lorry, {r.supply.lorry_km_per_day} km a day, {r.supply.tonnes_per_point_day} t a day a point",
    "After {r.recovery.rest_hours_per_step} hours of rest",
    "within {r.artillery.observer_day_range} hexes of one by day",
]


def test_the_rules_documents_prose_states_the_datas_numbers() -> None:
    _document, rules = load_rules("standard")
    prose = " ".join(RULES_DOC.read_text(encoding="utf-8").split())
    values = {
        "r": rules,
        "r_terrain": {t.id: t for t in rules.terrain},
        "r_roads": {road.id: road for road in rules.roads},
        "columns": ", ".join(c.label for c in rules.crt.columns[:-1]) + f" and {rules.crt.columns[-1].label}",
        "minus_attacker": -rules.shifts.attacker_out_of_supply,
    }
    stale = [sentence for sentence in (template.format(**values) for template in PROSE) if sentence not in prose]
    assert stale == [], "docs/rules.md no longer says these (fix the prose or this list)"
    # Numbers the prose says in words.
    assert rules.night.move_points_pct == 50  # "halve"
    # "a day's rations and ammunition carried, two days before the unit weakens, four before it
    # loses a step a day"
    stages = {stage.name: stage for stage in rules.supply.stages}
    assert (stages["no attack"].after_hours, stages["weakened"].after_hours, stages["wasting"].after_hours) == (24, 48, 96)
    assert stages["wasting"].step_loss_every_hours == 24
    assert rules.supply.out_of_fuel_attack_pct == rules.supply.out_of_fuel_move_pct  # "moves and attacks at"
    assert rules.supply.lorry_load_kg == 1300  # "1,300 kg a lorry"
    artillery = rules.artillery
    # "attacks and fires at half strength, defends at three quarters, and moves at half"
    assert (artillery.disrupted_attack_pct, artillery.disrupted_defence_pct, artillery.disrupted_move_pct) == (50, 75, 50)
    # "only the hexes next to one at night", "one column left", "one column right"
    assert (artillery.observer_night_range, artillery.counter_battery_shift, artillery.exposed_shift) == (1, -1, 1)
