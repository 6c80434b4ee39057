"""Pontoons that take time to throw, bridges that carry so many steps a turn, air and gun
attacks on bridges, the computer's demolition of its own bridge, and night infiltration, on
hand-built positions (docs/rules.md, "Bridges and pontoons" and "Movement").

The river runs down the east side of column 1 (as in test_bridges_recovery): 1,1's river
hexsides are 1,1:NE (to 2,1) and 1,1:SE (to 2,2).  With the standard rules a pontoon needs 6
hours of work and a bridge carries 2 steps an hour: 6 steps on 3-hour turns.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import end_player_turn, make_scenario, next_turn, seed_for
from test_bridges_recovery import BIG

from nomonhan import engine
from nomonhan.actions import AirMission, BuildBridge, DemolishBridge, EndPhase, IllegalActionError, Move, Resolve, Support
from nomonhan.ai.demolition import bridge_to_blow
from nomonhan.ai.heuristic import HeuristicPlayer
from nomonhan.events import BridgeAttacked, BridgeBuilt, PontoonWorked
from nomonhan.hexgrid import Hex, format_hex, parse_hex, parse_hexside
from nomonhan.rng import Generator
from nomonhan.state import GameState, Phase

RIVER_EAST_OF_COL_1 = ["1,0:NE", "1,0:SE", "1,1:NE", "1,1:SE", "1,2:NE"]
NE, SE = parse_hexside("1,1:NE"), parse_hexside("1,1:SE")


def h(text: str) -> Hex:
    return parse_hex(text)


def new(tmp_path, units, rows=("....", "....", "...."), turn_hours=3, **options) -> GameState:
    scenario = make_scenario(tmp_path, list(rows), units, hexside_lines=[("river", RIVER_EAST_OF_COL_1)], turn_hours=turn_hours, **options)
    return engine.new_game(scenario, 1)


def reachable(state: GameState, unit_id: str) -> dict[str, int]:
    return {format_hex(x): c for x, c in engine.reach(state, unit_id).hexes().items()}


def to_movement(state: GameState, side: str) -> GameState:
    """End player turns until ``side``'s next movement phase."""
    while not (state.active_side == side and state.phase is Phase.MOVEMENT):
        state, _ = engine.step(state, EndPhase())
    return state


# ------------------------------------------------------------------ building time


def test_a_pontoon_stands_only_after_its_hours_of_work(tmp_path):
    state = new(tmp_path, [("e-1", "engineer_bn", "japanese", "1,1"), ("j-1", "rifle_bn", "japanese", "1,1")])
    state, events = engine.step(state, BuildBridge("e-1", NE))
    assert events == [PontoonWorked("e-1", NE.low, NE.high, 3, 6)]
    assert NE not in state.bridges and state.pontoon_work == ((NE, "japanese", 3),)
    assert state.unit("e-1").moved and state.unit("e-1").move_points == 0  # a turn's work
    assert "2,1" not in reachable(state, "j-1")
    state, _ = next_turn(state)
    assert NE not in state.bridges  # work done is kept, but it takes another turn
    state, events = engine.step(state, BuildBridge("e-1", NE))
    assert events == [BridgeBuilt("e-1", NE.low, NE.high)]
    assert NE in state.bridges and state.pontoon_work == ()
    assert reachable(state, "j-1")["2,1"] == 2


def test_on_turns_as_long_as_the_work_the_pontoon_stands_at_once(tmp_path):
    state = new(tmp_path, [("e-1", "engineer_bn", "japanese", "1,1")], turn_hours=6)
    state, events = engine.step(state, BuildBridge("e-1", NE))
    assert events == [BridgeBuilt("e-1", NE.low, NE.high)] and NE in state.bridges


def test_an_engineer_unit_throws_one_pontoon_a_game(tmp_path):
    state = new(tmp_path, [("e-1", "engineer_bn", "japanese", "1,1")], turn_hours=6)
    state, _ = engine.step(state, BuildBridge("e-1", NE))
    assert state.pontoons_thrown == (("e-1", NE),)
    state, _ = next_turn(state)
    assert BuildBridge("e-1", SE) not in engine.legal_actions(state)  # its bridging train is spent
    with pytest.raises(IllegalActionError):
        engine.step(state, BuildBridge("e-1", SE))
    assert DemolishBridge("e-1", NE) in engine.legal_actions(state)


def test_the_enemy_is_not_told_of_a_pontoon_being_thrown(tmp_path):
    state = new(tmp_path, [("e-1", "engineer_bn", "japanese", "1,1"), ("s-1", "rifle_bn", "soviet", "3,0")])
    state, _ = engine.step(state, BuildBridge("e-1", NE))
    assert engine.observe(state, "japanese").pontoon_work == ((NE, "japanese", 3),)
    assert engine.observe(state, "soviet").pontoon_work == ()


# ------------------------------------------------------------------ capacity per turn

CROSSERS = [
    ("j-1", "rifle_bn", "japanese", "1,1"),
    ("j-2", "rifle_bn", "japanese", "1,1"),
    ("j-3", "rifle_bn", "japanese", "1,1"),
    ("j-4", "rifle_bn", "japanese", "0,1"),
]


def test_a_bridge_carries_so_many_steps_a_turn_and_refuses_the_next_unit(tmp_path):
    state = new(tmp_path, CROSSERS, bridges=["1,1:NE"])
    for unit_id, to in (("j-1", "2,1"), ("j-2", "3,1"), ("j-3", "3,0")):
        state, _ = engine.step(state, Move(unit_id, h(to)))
    assert state.bridge_traffic == ((NE, 6),)  # three two-step battalions: the 3-hour turn's six steps
    assert "1,1" in reachable(state, "j-4") and "2,2" not in reachable(state, "j-4")
    assert Move("j-4", h("2,2")) not in engine.legal_actions(state)
    assert Move("j-4", h("1,1")) in engine.legal_actions(state)
    with pytest.raises(IllegalActionError):
        engine.step(state, Move("j-4", h("2,2")))
    state, _ = next_turn(state)  # next turn: the count starts again
    assert state.phase is Phase.MOVEMENT and state.active_side == "japanese" and state.bridge_traffic == ()
    moved, _ = engine.step(state, Move("j-4", h("2,2")))
    assert moved.unit("j-4").hex == h("2,2") and moved.bridge_traffic == ((NE, 2),)


def test_a_crossing_rated_by_the_scenario_carries_what_it_says(tmp_path):
    rated = [{"hexside": "1,1:NE", "name": "Narrow pontoon", "steps_per_hour": 1, "source": "test"}]
    for crossings, second_crosses in (([], True), (rated, False)):  # 6 steps a 3-hour turn, or 3
        state = new(tmp_path, CROSSERS, bridges=["1,1:NE"], crossings=crossings)
        state, _ = engine.step(state, Move("j-1", h("2,1")))
        assert ("2,1" in reachable(state, "j-2")) is second_crosses


def test_a_blown_bridge_takes_its_turns_traffic_with_it(tmp_path):
    state = new(tmp_path, CROSSERS, bridges=["1,1:NE"])
    state, _ = engine.step(state, Move("j-1", h("2,1")))
    assert state.bridge_traffic == ((NE, 2),)
    state, _ = engine.step(state, DemolishBridge("j-2", NE))
    assert NE not in state.bridges and state.bridge_traffic == ()


def test_an_empty_bridge_always_takes_one_unit(tmp_path):
    state = new(tmp_path, [("j-b", "big_bn", "japanese", "1,1")], bridges=["1,1:NE"], turn_hours=1, unit_types=[BIG])
    assert "2,1" in reachable(state, "j-b")  # six steps over a bridge carrying two this turn


# ------------------------------------------------------------------ air and guns against bridges

AIR = {"air": [{"side": "soviet", "start": "1939-07-02T06:00:00", "points": 1, "source": "test"}]}


def test_guns_firing_at_a_bridge_end_damage_it_and_it_carries_nothing_for_a_while(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("j-2", "rifle_bn", "japanese", "1,0"), ("s-g", "artillery_bn", "soviet", "3,2")]
    state = to_movement(new(tmp_path, units, bridges=["1,1:NE"]), "soviet")
    state, _ = engine.step(state, EndPhase())  # to the bombardment phase
    assert state.phase is Phase.BOMBARDMENT
    state = replace(state, rng_state=seed_for(1, 6))  # the bombardment misses; the bridge roll is a 6
    state, _ = engine.step(state, Support("s-g", h("2,1")))
    state, events = engine.step(state, Resolve())
    assert BridgeAttacked("guns", NE.low, NE.high, 6, "damaged") in events
    assert NE in state.bridges and state.damaged_bridges == ((NE, state.turn + 2),)
    state = to_movement(state, "japanese")
    assert "1,1" not in reachable(state, "j-1")  # turn 2: still damaged
    state = to_movement(end_player_turn(state)[0], "japanese")
    assert state.damaged_bridges == () and "1,1" in reachable(state, "j-1")  # turn 3: patched


def test_a_gun_roll_below_the_table_leaves_the_bridge(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("s-g", "artillery_bn", "soviet", "3,2")]
    state = to_movement(new(tmp_path, units, bridges=["1,1:NE"]), "soviet")
    state, _ = engine.step(state, EndPhase())
    state = replace(state, rng_state=seed_for(1, 5))
    state, _ = engine.step(state, Support("s-g", h("2,1")))
    state, events = engine.step(state, Resolve())
    assert BridgeAttacked("guns", NE.low, NE.high, 5, "-") in events and state.damaged_bridges == ()


def test_an_air_mission_over_a_bridge_end_can_destroy_it(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("s-1", "rifle_bn", "soviet", "3,2")]
    state = new(tmp_path, units, bridges=["1,1:NE"], extra=AIR)
    state, _ = end_player_turn(state)
    assert state.active_side == "soviet" and state.phase is Phase.AIR
    state, _ = engine.step(state, AirMission("interdiction", h("2,1")))
    state = replace(state, rng_state=seed_for(6))
    state, events = engine.step(state, EndPhase())
    assert BridgeAttacked("air", NE.low, NE.high, 6, "destroyed") in events
    assert NE not in state.bridges


# ------------------------------------------------------------------ the computer blows its bridge


def _blow_position(tmp_path, japanese_across: bool) -> GameState:
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("s-1", "rifle_bn", "soviet", "0,1")]
    if japanese_across:
        units.append(("j-2", "rifle_bn", "japanese", "0,0"))
    return new(tmp_path, units, bridges=["1,1:NE"])


def test_the_heuristic_blows_its_bridge_once_its_units_are_back_and_the_enemy_near(tmp_path):
    state = _blow_position(tmp_path, japanese_across=False)
    action = HeuristicPlayer().choose(engine.observe(state, "japanese"), engine.legal_actions(state), Generator(1))
    assert action == DemolishBridge("j-1", NE)


def test_the_heuristic_keeps_its_bridge_while_its_units_are_across(tmp_path):
    state = _blow_position(tmp_path, japanese_across=True)
    assert bridge_to_blow(engine.believed_state(engine.observe(state, "japanese")), engine.legal_actions(state).others()) is None


def test_the_heuristic_keeps_the_bridge_to_an_objective_it_still_wants(tmp_path):
    """Its own pontoon, thrown to reach an objective over the river, is not blown before anyone
    has crossed: the far bank is where the side is going."""
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("s-1", "rifle_bn", "soviet", "0,1")]
    objective = {"name": "Height", "hex": "0,0", "points": 5, "initial_holder": "soviet"}
    state = new(tmp_path, units, bridges=["1,1:NE"], objectives=[objective])
    action = HeuristicPlayer().choose(engine.observe(state, "japanese"), engine.legal_actions(state), Generator(1))
    assert not isinstance(action, DemolishBridge)
    assert bridge_to_blow(state, engine.legal_actions(state).others(), wanted=[h("0,0")]) is None
    assert bridge_to_blow(state, engine.legal_actions(state).others(), wanted=[h("3,1")]) == DemolishBridge("j-1", NE)


def test_a_bridge_the_side_has_been_over_is_blown_even_with_the_objective_still_wanted(tmp_path):
    """Once its units have been across and come back, the bridge is a way back no longer
    needed, not the way forward: the enemy near, it goes."""
    objective = {"name": "Height", "hex": "0,2", "points": 5, "initial_holder": "soviet"}
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("s-1", "rifle_bn", "soviet", "0,1")]
    across = new(tmp_path, [*units, ("j-2", "rifle_bn", "japanese", "0,0")], bridges=["1,1:NE"], objectives=[objective])
    back = new(tmp_path, units, bridges=["1,1:NE"], objectives=[objective])
    player = HeuristicPlayer()
    assert not isinstance(player.choose(engine.observe(across, "japanese"), engine.legal_actions(across), Generator(1)), DemolishBridge)
    assert player.choose(engine.observe(back, "japanese"), engine.legal_actions(back), Generator(1)) == DemolishBridge("j-1", NE)
    fresh = HeuristicPlayer()
    assert not isinstance(fresh.choose(engine.observe(back, "japanese"), engine.legal_actions(back), Generator(1)), DemolishBridge)


def test_the_heuristic_keeps_its_bridge_with_no_enemy_near(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "2,1")]
    state = new(tmp_path, units, bridges=["1,1:NE"])
    assert bridge_to_blow(state, engine.legal_actions(state).others()) is None


# ------------------------------------------------------------------ night infiltration

NIGHT = "1939-07-02T22:00:00"
DAY = "1939-07-02T06:00:00"
TRAINED = {"night_attack": [{"side": "japanese", "shift": 0, "zoc_leave_cost": 0, "source": "test"}]}
CONTACT = [("j-1", "rifle_bn", "japanese", "1,1"), ("s-1", "rifle_bn", "soviet", "2,1")]
OPEN = ("....", "....", "....")


def _contact(tmp_path, start, special) -> GameState:
    scenario = make_scenario(tmp_path, list(OPEN), CONTACT, start=start, special_rules=special, turn_hours=3)
    return engine.new_game(scenario, 1)


def test_a_side_trained_for_night_attack_leaves_an_enemy_zoc_free_at_night(tmp_path):
    state = _contact(tmp_path, NIGHT, TRAINED)
    assert state.is_night and state.unit("j-1").move_points == 3  # night halves the 6
    assert reachable(state, "j-1")["0,1"] == 2  # steppe 2, no ZOC exit cost


def test_by_day_the_trained_side_pays_to_leave(tmp_path):
    state = _contact(tmp_path, DAY, TRAINED)
    assert reachable(state, "j-1")["0,1"] == 4  # steppe 2 + ZOC exit 2


def test_at_night_an_untrained_side_pays_to_leave(tmp_path):
    state = _contact(tmp_path, NIGHT, {})
    assert "0,1" not in reachable(state, "j-1")  # 2 + 2 is more than its 3 night move points
