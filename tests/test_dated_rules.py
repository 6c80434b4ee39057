"""Special rules with a time window or a trigger (issue 16): a border closed until a time,
guns holding fire until a time, reinforcements released early by an event."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import end_player_turn, make_scenario, next_turn

from nomonhan import engine
from nomonhan.actions import Declare
from nomonhan.engine.attrition import eliminated, update_holders
from nomonhan.engine.eligibility import can_enter_across, eligible_artillery, eligible_attackers
from nomonhan.hexgrid import parse_hex
from nomonhan.scenario.errors import ScenarioError
from nomonhan.state import Phase, UnitStatus

TURN_2 = "1939-07-02T18:00:00"  # turns are 12 hours from 06:00
ROWS = ["......"] * 3


def start(tmp_path, units, **options):
    return engine.new_game(make_scenario(tmp_path, ROWS, units, **options), 1)


def test_a_border_closed_until_a_time_opens_then(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "3,0"), ("s-1", "rifle_bn", "soviet", "0,2")]
    rule = {"side": "japanese", "border": "claim", "until": TURN_2}
    state = start(tmp_path, units, borders=[("claim", ["3,0:SE"])], special_rules={"border_crossing_forbidden": [rule]})
    assert not can_enter_across(state, state.unit("j-1"), parse_hex("4,1"))
    later, _events = next_turn(state)
    assert later.turn == 2 and can_enter_across(later, later.unit("j-1"), parse_hex("4,1"))


def test_a_border_closed_from_a_time(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "3,0"), ("s-1", "rifle_bn", "soviet", "0,2")]
    rule = {"side": "japanese", "border": "claim", "start": TURN_2}
    state = start(tmp_path, units, borders=[("claim", ["3,0:SE"])], special_rules={"border_crossing_forbidden": [rule]})
    assert can_enter_across(state, state.unit("j-1"), parse_hex("4,1"))
    later, _events = next_turn(state)
    assert not can_enter_across(later, later.unit("j-1"), parse_hex("4,1"))


def test_guns_hold_fire_until_a_time(tmp_path):
    units = [("j-gun", "artillery_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "3,0")]
    target = parse_hex("3,0")
    (tmp_path / "free").mkdir()
    (tmp_path / "held").mkdir()
    free = start(tmp_path / "free", units)
    held = start(tmp_path / "held", units, special_rules={"hold_fire": [{"side": "japanese", "until": TURN_2}]})
    assert [u.id for u in eligible_artillery(free, target)] == ["j-gun"]
    assert eligible_artillery(held, target) == []
    free, held = next_turn(free)[0], next_turn(held)[0]
    assert [u.id for u in eligible_artillery(held, target)] == [u.id for u in eligible_artillery(free, target)]


def test_guns_holding_fire_may_not_attack_an_adjacent_hex_either(tmp_path):
    # An attack next door is one of the ways a gun fires (docs/rules.md, Artillery); a rifle
    # battalion beside it may still attack.
    units = [("j-gun", "artillery_bn", "japanese", "1,1"), ("j-1", "rifle_bn", "japanese", "2,0"), ("s-1", "rifle_bn", "soviet", "2,1")]
    held = replace(start(tmp_path, units, special_rules={"hold_fire": [{"side": "japanese", "until": TURN_2}]}), phase=Phase.COMBAT)
    assert [u.id for u in eligible_attackers(held, parse_hex("2,1"))] == ["j-1"]
    assert Declare("j-gun", parse_hex("2,1")) not in engine.legal_actions(held)


LATE = {"id": "s-2", "type": "rifle_bn", "side": "soviet", "arrive": {"at": "1939-07-03T18:00:00", "hex": "5,1"}}


def test_a_reinforcement_is_released_when_a_named_unit_is_eliminated(tmp_path):
    late = dict(LATE, arrive=dict(LATE["arrive"], early=[{"eliminated": "s-3"}]))
    units = [("j-1", "rifle_bn", "japanese", "0,0"), ("s-3", "rifle_bn", "soviet", "1,2"), ("s-1", "rifle_bn", "soviet", "4,2"), late]
    state = start(tmp_path, units)
    waiting, _events = end_player_turn(state)
    assert waiting.unit("s-2").status is UnitStatus.RESERVE
    state = state.with_unit(eliminated(state.unit("s-3")))
    released, _events = end_player_turn(state)
    assert released.active_side == "soviet" and released.unit("s-2").status is UnitStatus.ON_MAP


def test_a_reinforcement_is_released_when_a_named_objective_changes_hands(tmp_path):
    late = dict(LATE, arrive=dict(LATE["arrive"], early=[{"objective": "Ford"}]))
    units = [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "4,2"), late]
    ford = {"name": "Ford", "hex": "2,1", "points": 5, "initial_holder": "soviet"}
    state = start(tmp_path, units, objectives=[ford])
    assert end_player_turn(state)[0].unit("s-2").status is UnitStatus.RESERVE
    state = update_holders(state.with_unit(replace(state.unit("j-1"), hex=parse_hex("2,1"))))
    assert end_player_turn(state)[0].unit("s-2").status is UnitStatus.ON_MAP


def test_an_objective_lost_out_of_sight_releases_no_one(tmp_path):
    """The release asks the holder as the reinforced side last saw it: a reinforcement that came
    in because the enemy took an objective nobody of its side could see would tell the side so."""
    late = dict(LATE, arrive=dict(LATE["arrive"], early=[{"objective": "Ford"}]))
    units = [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "11,2"), late]
    ford = {"name": "Ford", "hex": "2,1", "points": 5, "initial_holder": "soviet"}
    state = engine.new_game(make_scenario(tmp_path, ["............"] * 3, units, objectives=[ford]), 1)
    state = update_holders(state.with_unit(replace(state.unit("j-1"), hex=parse_hex("2,1"))))
    assert state.holders == ("japanese",)
    assert end_player_turn(state)[0].unit("s-2").status is UnitStatus.RESERVE


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {
                "units": [
                    ("j-1", "rifle_bn", "japanese", "0,0"),
                    ("s-1", "rifle_bn", "soviet", "4,2"),
                    dict(LATE, arrive=dict(LATE["arrive"], early=[{"objective": "Bridge"}])),
                ]
            },
            "units.2.arrive.early.0.objective: unknown objective 'Bridge'",
        ),
        (
            {
                "units": [
                    ("j-1", "rifle_bn", "japanese", "0,0"),
                    ("s-1", "rifle_bn", "soviet", "4,2"),
                    dict(LATE, arrive=dict(LATE["arrive"], early=[{"eliminated": "j-9"}])),
                ]
            },
            "units.2.arrive.early.0.eliminated: unknown unit 'j-9'",
        ),
        (
            {
                "units": [
                    ("j-1", "rifle_bn", "japanese", "0,0"),
                    ("s-1", "rifle_bn", "soviet", "4,2"),
                    dict(LATE, arrive=dict(LATE["arrive"], early=[{"eliminated": "j-1"}])),
                ]
            },
            "units.2.arrive.early.0.eliminated: 'j-1' is a japanese unit: a reinforcement can be released by the end of one of its own side's units only",
        ),
        (
            {"special_rules": {"hold_fire": [{"side": "japanese", "units": ["s-1"]}]}},
            "special_rules.hold_fire.0.units.0: no japanese unit 's-1'; japanese units: j-1",
        ),
        (
            {"special_rules": {"hold_fire": [{"side": "japanese", "start": TURN_2, "until": "1939-07-02T06:00:00"}]}},
            "special_rules.hold_fire.0: 'until' (1939-07-02 06:00:00) must come after 'start'",
        ),
    ],
)
def test_dated_rules_naming_what_does_not_exist_are_refused(tmp_path, options, message):
    units = options.pop("units", [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "4,2")])
    with pytest.raises(ScenarioError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        make_scenario(tmp_path, ROWS, units, **options)


def test_a_window_outside_the_period_is_a_warning(tmp_path):
    from conftest import scenario_text

    from nomonhan.scenario.load import validate_scenario

    path = tmp_path / "s.yaml"
    rule = {"side": "japanese", "until": "1939-08-01T00:00:00"}
    path.write_text(
        scenario_text(
            ROWS, [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "4,2")], special_rules={"hold_fire": [rule]}
        ),
        encoding="utf-8",
    )
    [warning] = validate_scenario(path)
    assert "special_rules.hold_fire.0.until: warning: until 1939-08-01 00:00:00 is not inside the scenario period" in str(warning)


# --- every use of a closed border keeps the same clock ------------------------------------------
# A Japanese battalion at 2,1 on a spit of land (water west, north and south of it) faces a line
# between columns 2 and 3 that the Japanese may not cross until turn 2; the Soviets hold 5,1 and
# draw supply from there.  Inside the window the line binds every rule that honours it; outside
# it, none of them.

SPIT = ["www...", "ww....", "www..."]


def _line_between_columns(left: int, rows: int) -> list[str]:
    from nomonhan.hexgrid import Direction, Hex, Hexside, format_hexside

    sides = []
    for row in range(rows):
        hex_ = Hex.from_offset(left, row)
        across = [d for d in Direction if hex_.neighbour(d).to_offset()[0] == left + 1 and 0 <= hex_.neighbour(d).to_offset()[1] < rows]
        sides += [format_hexside(Hexside.of(hex_, d)) for d in across]
    return sides


def _spit(tmp_path, window):
    rule = {"side": "japanese", "border": "line", **window}
    supply = {"supply": {"sources": [{"side": "soviet", "name": "Depot", "hex": "5,1"}], "capacity": []}}
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("s-1", "rifle_bn", "soviet", "5,1")]
    scenario = make_scenario(
        tmp_path,
        SPIT,
        units,
        borders=[("line", _line_between_columns(2, 3))],
        special_rules={"border_crossing_forbidden": [rule]},
        extra=supply,
    )
    first = engine.new_game(scenario, 1)
    return first, next_turn(first)[0]


ACROSS = {"3,0", "3,1"}  # the hexes next to 2,1 across the line


def _names(state, indices) -> set[str]:
    from nomonhan.hexgrid import format_hex

    return {format_hex(state.scenario.board.hexes[i]) for i in indices}


@pytest.mark.parametrize("window", [{"until": TURN_2}, {"start": TURN_2}], ids=["closed-until", "closed-from"])
def test_a_zone_of_control_extends_across_a_dated_border_only_while_it_is_open(tmp_path, window):
    from nomonhan.engine.view import truth

    first, second = _spit(tmp_path, window)
    closed, opened = (first, second) if "until" in window else (second, first)
    assert not ACROSS & _names(closed, truth(closed, "soviet").zoc)
    assert _names(opened, truth(opened, "soviet").zoc) >= ACROSS


@pytest.mark.parametrize("window", [{"until": TURN_2}, {"start": TURN_2}], ids=["closed-until", "closed-from"])
def test_a_retreat_crosses_a_dated_border_only_while_it_is_open(tmp_path, window):
    from nomonhan.rules.retreat import retreat_options

    first, second = _spit(tmp_path, window)
    closed, opened = (first, second) if "until" in window else (second, first)
    assert retreat_options(closed, closed.unit("j-1"), 1, enemies=[]) == ([], 1)
    ends, shortfall = retreat_options(opened, opened.unit("j-1"), 1, enemies=[])
    assert shortfall == 0 and {f"{h.to_offset()[0]},{h.to_offset()[1]}" for h in ends} == ACROSS


@pytest.mark.parametrize("window", [{"until": TURN_2}, {"start": TURN_2}], ids=["closed-until", "closed-from"])
def test_a_supply_line_is_cut_by_a_zone_of_control_across_a_dated_border_only_while_it_is_open(tmp_path, window):
    from nomonhan.rules.supply import supply_trace

    first, second = _spit(tmp_path, window)
    closed, opened = (first, second) if "until" in window else (second, first)
    assert _names(closed, supply_trace(closed, "soviet")) >= ACROSS
    assert not ACROSS & _names(opened, supply_trace(opened, "soviet"))


@pytest.mark.parametrize("window", [{"until": TURN_2}, {"start": TURN_2}], ids=["closed-until", "closed-from"])
def test_moves_and_attacks_cross_a_dated_border_only_while_it_is_open(tmp_path, window):
    from nomonhan.engine.queries import destinations

    first, second = _spit(tmp_path, window)
    closed, opened = (first, second) if "until" in window else (second, first)
    assert destinations(closed, "j-1") == ()
    assert {f"{h.to_offset()[0]},{h.to_offset()[1]}" for h in destinations(opened, "j-1")} >= ACROSS
    assert not can_enter_across(closed, closed.unit("j-1"), parse_hex("3,1"))
    assert can_enter_across(opened, opened.unit("j-1"), parse_hex("3,1"))
