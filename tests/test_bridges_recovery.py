"""Bridges, recovery and digging in on hand-built positions (docs/rules.md, "Combat" > "Bridges"
and "Entrenchment", and "Recovery").

The river runs down the whole east side of column 1 of a 4 x 3 map, so columns 0-1 and 2-3 are
cut apart: 1,1's river hexsides are 1,1:NE (to 2,1) and 1,1:SE (to 2,2).  Engineers
(engineer_bn) are wheeled with 8 move points; rifle battalions are foot with 6.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from conftest import BIG, declared, end_player_turn, make_scenario, next_turn

from nomonhan import engine, rng
from nomonhan.actions import Advance, Attack, BuildBridge, DemolishBridge, IllegalActionError, Move
from nomonhan.events import BridgeBuilt, BridgeDemolished, UnitRecovered
from nomonhan.hexgrid import Hex, format_hex, parse_hex, parse_hexside
from nomonhan.rules.bridges import bridge_options, river_bank
from nomonhan.state import GameState, Phase

RIVER_EAST_OF_COL_1 = ["1,0:NE", "1,0:SE", "1,1:NE", "1,1:SE", "1,2:NE"]
MAP = ["....", "....", "...."]
NE, SE = parse_hexside("1,1:NE"), parse_hexside("1,1:SE")


def h(text: str) -> Hex:
    return parse_hex(text)


def new(tmp_path, units, rows=MAP, feature="river", **options) -> GameState:
    scenario = make_scenario(tmp_path, rows, units, hexside_lines=[(feature, RIVER_EAST_OF_COL_1)], **options)
    return engine.new_game(scenario, 1)


def reachable(state: GameState, unit_id: str) -> dict[str, int]:
    return {format_hex(x): c for x, c in engine.reach(state, unit_id).hexes().items()}


# ------------------------------------------------------------------ pontoons


def test_engineers_throw_a_pontoon_and_units_then_cross(tmp_path):
    state = new(tmp_path, [("e-1", "engineer_bn", "japanese", "1,1"), ("j-1", "rifle_bn", "japanese", "1,1")])
    assert state.phase is Phase.MOVEMENT
    assert set(bridge_options(state)) == {BuildBridge("e-1", NE), BuildBridge("e-1", SE)}
    assert "2,1" not in reachable(state, "j-1")
    after, events = engine.step(state, BuildBridge("e-1", NE))
    assert events == [BridgeBuilt("e-1", NE.low, NE.high)]
    assert NE in after.bridges
    engineer = after.unit("e-1")
    assert engineer.move_points == 0 and engineer.moved and engineer.hex == h("1,1")  # its whole turn's movement
    assert reachable(after, "j-1")["2,1"] == 2
    assert "2,2" in reachable(after, "j-1")  # on through the pontoon
    moved, _ = engine.step(after, Move("j-1", h("2,1")))
    assert moved.unit("j-1").hex == h("2,1")
    # the new bridge can be blown, by the rifle battalion that has not moved
    assert bridge_options(after) == [DemolishBridge("j-1", NE)]


def test_only_engineers_build(tmp_path):
    state = new(tmp_path, [("j-1", "rifle_bn", "japanese", "1,1"), ("j-t", "tank_bn", "japanese", "1,1")])
    assert bridge_options(state) == []
    with pytest.raises(IllegalActionError):
        engine.step(state, BuildBridge("j-1", NE))


def test_only_on_bridgeable_hexsides_next_to_the_engineer(tmp_path):
    state = new(tmp_path, [("e-1", "engineer_bn", "japanese", "0,1")])
    assert bridge_options(state) == []  # no river on 0,1's sides
    for side in (parse_hexside("0,1:NE"), NE):
        with pytest.raises(IllegalActionError):
            engine.step(state, BuildBridge("e-1", side))


def test_a_pontoon_over_a_stream_removes_its_crossing_cost(tmp_path):
    state = new(tmp_path, [("e-1", "engineer_bn", "japanese", "1,1"), ("j-1", "rifle_bn", "japanese", "1,1")], feature="stream")
    assert reachable(state, "j-1")["2,1"] == 3  # steppe 2 + stream 1
    after, _ = engine.step(state, BuildBridge("e-1", NE))
    assert reachable(after, "j-1")["2,1"] == 2


def test_only_before_moving(tmp_path):
    state = new(tmp_path, [("e-1", "engineer_bn", "japanese", "1,0")])
    assert BuildBridge("e-1", parse_hexside("1,0:SE")) in bridge_options(state)
    moved, _ = engine.step(state, Move("e-1", h("1,1")))
    assert moved.unit("e-1").move_points > 0
    assert bridge_options(moved) == []  # now next to 1,1:NE and 1,1:SE, but it has moved
    with pytest.raises(IllegalActionError):
        engine.step(moved, BuildBridge("e-1", NE))


def test_not_toward_an_enemy_occupied_hex(tmp_path):
    state = new(tmp_path, [("e-1", "engineer_bn", "japanese", "1,1"), ("s-1", "rifle_bn", "soviet", "2,1")])
    assert bridge_options(state) == [BuildBridge("e-1", SE)]
    with pytest.raises(IllegalActionError):
        engine.step(state, BuildBridge("e-1", NE))


def test_bridges_only_in_the_movement_phase(tmp_path):
    state = new(tmp_path, [("e-1", "engineer_bn", "japanese", "1,1")])
    for phase in (Phase.COMBAT, Phase.BOMBARDMENT, Phase.AIR):
        with pytest.raises(IllegalActionError):
            engine.step(replace(state, phase=phase), BuildBridge("e-1", NE))


# ------------------------------------------------------------------ blowing bridges


@pytest.mark.parametrize("unit_hex", ["1,1", "2,1"])
@pytest.mark.parametrize("type_id", ["rifle_bn", "tank_bn", "engineer_bn", "artillery_bn"])
def test_any_unit_that_has_not_moved_may_blow_a_bridge_next_to_it(tmp_path, unit_hex, type_id):
    state = new(tmp_path, [("j-1", type_id, "japanese", unit_hex)], bridges=["1,1:NE"])
    assert DemolishBridge("j-1", NE) in bridge_options(state)
    assert BuildBridge("j-1", NE) not in bridge_options(state)  # it stands: nothing to build
    after, events = engine.step(state, DemolishBridge("j-1", NE))
    assert events == [BridgeDemolished("j-1", NE.low, NE.high)]
    assert NE not in after.bridges
    assert after.unit("j-1").moved and after.unit("j-1").move_points == 0
    far = "1,1" if unit_hex == "2,1" else "2,1"
    assert far not in reachable(replace(state, bridges=after.bridges), "j-1")


def test_demolition_needs_a_unit_next_to_the_bridge_that_has_not_moved(tmp_path):
    state = new(tmp_path, [("j-far", "rifle_bn", "japanese", "0,1"), ("j-1", "rifle_bn", "japanese", "1,2")], bridges=["1,1:NE"])
    assert bridge_options(state) == []  # 1,2's river side 1,2:NE has no bridge; 0,1 is not next to it
    with pytest.raises(IllegalActionError):
        engine.step(state, DemolishBridge("j-far", NE))
    moved, _ = engine.step(state, Move("j-1", h("1,1")))
    assert bridge_options(moved) == []


def test_a_blown_scenario_bridge_can_be_rebuilt_by_engineers(tmp_path):
    state = new(tmp_path, [("e-1", "engineer_bn", "japanese", "1,1"), ("j-1", "rifle_bn", "japanese", "1,1")], bridges=["1,1:NE"])
    blown, _ = engine.step(state, DemolishBridge("j-1", NE))
    assert BuildBridge("e-1", NE) in bridge_options(blown)
    rebuilt, _ = engine.step(blown, BuildBridge("e-1", NE))
    assert NE in rebuilt.bridges


# ------------------------------------------------------------------ recovery

FAR = [".......", ".......", "......."]


def _weak(unit_id="j-1", hex_="0,0", type_id="rifle_bn") -> dict:
    return {"id": unit_id, "type": type_id, "side": "japanese", "hex": hex_, "steps": 1}


def _recovery_game(tmp_path, units, **options) -> GameState:
    return engine.new_game(make_scenario(tmp_path, FAR, units, last_turn=6, **options), 1)


def test_rest_is_counted_in_hours_so_short_turns_recover_no_faster(tmp_path):
    """A day at rest (rules data: 24 hours): eight 3-hour turns, as two 12-hour ones."""
    units = [_weak(), ("s-1", "rifle_bn", "soviet", "6,2")]
    state = engine.new_game(make_scenario(tmp_path, FAR, units, last_turn=12, turn_hours=3, start="1939-07-02T06:00:00"), 1)
    for turn in range(1, 8):
        state, events = next_turn(state)
        assert state.unit("j-1").steps == 1 and state.unit("j-1").rest_turns == turn, turn
        assert not any(isinstance(e, UnitRecovered) for e in events)
    state, events = next_turn(state)
    assert state.unit("j-1").steps == 2 and UnitRecovered("j-1") in events


def test_a_unit_resting_two_full_turns_regains_a_step(tmp_path):
    state = _recovery_game(tmp_path, [_weak(), ("s-1", "rifle_bn", "soviet", "6,2")])
    state, events = next_turn(state)
    unit = state.unit("j-1")
    assert (unit.steps, unit.rest_turns, unit.entrenchment) == (1, 1, 1)
    assert not any(isinstance(e, UnitRecovered) for e in events)
    state, events = next_turn(state)
    unit = state.unit("j-1")
    assert (unit.steps, unit.rest_turns) == (2, 0)
    assert UnitRecovered("j-1") in events
    for _ in range(2):
        state, events = next_turn(state)
        assert state.unit("j-1").steps == 2  # never above full strength
        assert not any(isinstance(e, UnitRecovered) for e in events)


def test_recovery_one_step_per_two_turns(tmp_path):
    state = _recovery_game(tmp_path, [_weak("j-b", type_id="big_bn"), ("s-1", "rifle_bn", "soviet", "6,2")], unit_types=[BIG])
    found = []
    while not state.game_over:
        state, _ = next_turn(state)
        found.append(state.unit("j-b").steps)
    assert found == [1, 2, 2, 3, 3, 4]


def _two_turns(state: GameState, each_turn=None) -> tuple[GameState, list]:
    events: list = []
    for _ in range(2):
        if each_turn:
            state = each_turn(state)
        state, more = next_turn(state)
        events += more
    return state, events


def test_no_recovery_next_to_an_enemy(tmp_path):
    state = _recovery_game(tmp_path, [_weak(), ("s-1", "artillery_bn", "soviet", "1,0")])
    state, events = _two_turns(state)
    assert state.unit("j-1").steps == 1 and state.unit("j-1").rest_turns == 0
    assert state.unit("j-1").entrenchment == 1  # it still digs in
    assert not any(isinstance(e, UnitRecovered) for e in events)


def test_no_recovery_out_of_supply(tmp_path):
    supply = {"supply": {"sources": [{"side": "japanese", "name": "Depot", "hex": "6,0"}]}}  # 6 hexes away: cut off
    state = _recovery_game(
        tmp_path, [{**_weak(type_id="big_bn"), "steps": 3}, ("s-1", "rifle_bn", "soviet", "6,2")], extra=supply, unit_types=[BIG]
    )
    assert state.unit("j-1").out_of_supply == 1
    for _ in range(3):  # cut off for up to 48 hours: no step lost, none regained
        state, events = next_turn(state)
        assert state.unit("j-1").rest_turns == 0 and state.unit("j-1").steps == 3
        assert not any(isinstance(e, UnitRecovered) for e in events)


def test_no_recovery_for_a_unit_that_moves(tmp_path):
    state = _recovery_game(tmp_path, [_weak(), ("s-1", "rifle_bn", "soviet", "6,2")])
    hexes = iter(["0,1", "0,0"])
    state, events = _two_turns(state, lambda s: engine.step(s, Move("j-1", h(next(hexes))))[0])
    assert state.unit("j-1").steps == 1 and state.unit("j-1").rest_turns == 0 and state.unit("j-1").entrenchment == 0
    assert not any(isinstance(e, UnitRecovered) for e in events)


def test_no_recovery_for_a_unit_that_attacked(tmp_path):
    state = _recovery_game(tmp_path, [_weak(), ("s-1", "rifle_bn", "soviet", "6,2")])
    state, events = _two_turns(state, lambda s: s.with_unit(replace(s.unit("j-1"), attacked=True)))
    assert state.unit("j-1").steps == 1 and state.unit("j-1").rest_turns == 0
    assert state.unit("j-1").entrenchment == 1


def test_rest_is_counted_in_consecutive_turns(tmp_path):
    state = _recovery_game(tmp_path, [_weak(), ("s-1", "rifle_bn", "soviet", "6,2")])
    state, _ = next_turn(state)  # rest 1
    state, _ = engine.step(state, Move("j-1", h("0,1")))
    state, _ = next_turn(state)  # moved: back to 0
    assert state.unit("j-1").rest_turns == 0
    state, _ = next_turn(state)
    assert state.unit("j-1").steps == 1 and state.unit("j-1").rest_turns == 1
    state, events = next_turn(state)
    assert state.unit("j-1").steps == 2 and UnitRecovered("j-1") in events


# ------------------------------------------------------------------ digging in


def test_units_that_stay_put_dig_in_and_moving_resets_it(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "0,0"), ("j-2", "rifle_bn", "japanese", "0,2"), ("s-1", "rifle_bn", "soviet", "6,2")]
    state = _recovery_game(tmp_path, units)
    assert state.unit("j-1").entrenchment == 0
    state, _ = engine.step(state, Move("j-2", h("1,2")))
    state, _ = end_player_turn(state)
    assert state.unit("j-1").entrenchment == 1 and state.unit("j-2").entrenchment == 0
    assert state.unit("s-1").entrenchment == 0  # the soviets dig in at the end of their own player turn
    state, _ = end_player_turn(state)
    assert state.unit("s-1").entrenchment == 1
    for _ in range(2):  # staying put longer does not dig deeper
        state, _ = next_turn(state)
    assert state.unit("j-1").entrenchment == 1 and state.unit("j-2").entrenchment == 1
    state, _ = engine.step(state, Move("j-1", h("1,0")))
    assert state.unit("j-1").entrenchment == 0 and state.unit("j-1").rest_turns == 0  # at once
    state, _ = end_player_turn(state)
    assert state.unit("j-1").entrenchment == 0


def test_a_unit_that_advanced_after_combat_has_not_stayed_put(tmp_path):
    """docs/rules.md: "A unit that does not move in its turn digs in"; "Moving loses the entrenchment".

    A rifle battalion that destroys the guns at 1,0 and advances into their hex has moved this
    turn: at the end of its player turn it should not be dug in.
    """
    units = [("j-1", "rifle_bn", "japanese", "0,0"), ("s-a", "artillery_bn", "soviet", "1,0")]
    state = _recovery_game(tmp_path, units)
    state = replace(state, phase=Phase.COMBAT)
    seed = next(s for s in range(1000) if rng.roll(s, 6)[0] == 1)  # 3:1, die 1 -> A1/D1: the guns are gone
    state, _ = declared(replace(state, rng_state=seed), Attack(("j-1",), h("1,0")))
    assert state.unit("s-a").steps == 0
    state, _ = engine.step(state, Advance("j-1"))
    assert state.unit("j-1").hex == h("1,0") and state.unit("j-1").entrenchment == 0
    state, _ = end_player_turn(state)
    assert state.unit("j-1").entrenchment == 0


def test_a_river_bank_is_one_set_shared_by_its_hexes_whatever_hex_is_asked_first(tmp_path) -> None:
    """One set a bank, not a set a hex (190 MB on an 80 x 80 map without rivers); a lake hex,
    which no one enters, reaches the land around it but is on no one's bank."""
    scenario = new(tmp_path, [("j-1", "rifle_bn", "japanese", "3,0")], rows=["w...", "....", "...."]).scenario
    index = scenario.board.index
    west = {index[h(text)] for text in ("1,0", "0,1", "1,1", "0,2", "1,2")}
    east = {index[h(f"{c},{r}")] for c in (2, 3) for r in (0, 1, 2)}
    from_lake = river_bank(scenario, h("0,0"))
    assert from_lake == west | {index[h("0,0")]}
    first = river_bank(scenario, h("1,2"))
    assert first == west and first is river_bank(scenario, h("0,1")), "the bank is shared by its hexes"
    assert river_bank(scenario, h("3,2")) == east and river_bank(scenario, h("0,0")) == from_lake
    fresh = new(tmp_path, [("j-1", "rifle_bn", "japanese", "3,1")], rows=["w...", "....", "...."]).scenario
    assert fresh.board is not scenario.board
    assert river_bank(fresh, h("1,1")) == west and river_bank(fresh, h("0,0")) == from_lake, "asked in the other order"


def test_a_bank_reached_one_way_is_not_shared() -> None:
    """A causeway leads from land (0) into a closed lake hex (1), which the land beside it (2)
    cannot enter: 2's bank is itself alone, whichever hex is asked first."""
    from types import SimpleNamespace

    from nomonhan.scenario.board import Edge

    def scenario() -> Any:
        edges = (
            (Edge(1, 1, {"foot": 1}, {"foot": 1}, "causeway"),),
            (Edge(0, 1, {"foot": 1}, {"foot": 1}, "causeway"), Edge(2, 5, {"foot": 1}, {"foot": 1})),
            (Edge(1, 5, {"foot": None}, {"foot": None}),),
        )
        board = SimpleNamespace(index={"h0": 0, "h1": 1, "h2": 2}, edges=edges, search_cache={})
        return SimpleNamespace(board=board, rules=SimpleNamespace(supply=SimpleNamespace(movement_class="foot")))

    alone = scenario()
    assert river_bank(alone, "h2") == {2}
    after_land = scenario()
    assert river_bank(after_land, "h0") == {0, 1, 2}
    assert river_bank(after_land, "h2") == {2} and river_bank(after_land, "h1") == {0, 1, 2}
