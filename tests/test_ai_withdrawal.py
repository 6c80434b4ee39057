"""The computer gives up a bridgehead over a river it cannot hold, brings its units back over the
bridge along real paths, and blows the bridge behind them (issue 15: the Kobayashi group's
withdrawal over the Khalkhin Gol, 4-5 July 1939), on hand-built positions.

The river runs down the east side of column 1 (as in test_bridges_night): the bridge on
1,1:NE joins 1,1 (west bank) to 2,1 (east bank).  The Japanese supply source is on the east
bank, so Japanese units west of the river stand in a bridgehead.
"""

from __future__ import annotations

from dataclasses import replace

from conftest import make_scenario

from nomonhan import engine
from nomonhan.actions import BuildBridge, DemolishBridge, EndPhase, Move
from nomonhan.ai.demolition import bridge_left_behind, tended_bridge_end
from nomonhan.ai.heuristic import HeuristicPlayer, exposed
from nomonhan.ai.withdrawal import bridgeheads, path_distances, untenable
from nomonhan.hexgrid import Hex, parse_hex, parse_hexside
from nomonhan.rng import Generator
from nomonhan.rules.bridges import river_bank
from nomonhan.state import GameState, Phase

RIVER = ["1,0:NE", "1,0:SE", "1,1:NE", "1,1:SE", "1,2:NE", "1,2:SE", "1,3:NE", "1,3:SE", "1,4:NE"]
BRIDGE = parse_hexside("1,1:NE")
SUPPLY = {"supply": {"sources": [{"side": "japanese", "name": "Depot", "hex": "3,1", "source": "test"}]}}


def h(text: str) -> Hex:
    return parse_hex(text)


def new(tmp_path, units, last_turn=12) -> GameState:
    scenario = make_scenario(
        tmp_path, ["......"] * 5, units, hexside_lines=[("river", RIVER)], bridges=["1,1:NE"], last_turn=last_turn, extra=SUPPLY
    )
    return engine.new_game(scenario, 1)


def enemies_of(state: GameState) -> list:
    return [u for u in state.units_of("soviet") if u.on_map]


ACROSS = ("j-1", "rifle_bn", "japanese", "0,3")
SOVIETS = [(f"s-{n}", "rifle_bn", "soviet", "0,0") for n in range(3)]


def test_japanese_units_over_the_river_from_their_supply_stand_in_a_bridgehead(tmp_path):
    state = new(tmp_path, [ACROSS, ("j-2", "rifle_bn", "japanese", "4,2")])
    (head,) = bridgeheads(state, "japanese")
    assert [u.id for u in head.units] == ["j-1"]
    assert head.crossings == ((BRIDGE, h("2,1")),)


def test_a_bridgehead_three_times_outnumbered_is_untenable_and_one_stronger_than_the_enemy_is_not(tmp_path):
    state = new(tmp_path, [ACROSS, *SOVIETS])
    (head,) = bridgeheads(state, "japanese")
    assert untenable(state, head, enemies_of(state))
    state = new(tmp_path, [ACROSS, ("j-2", "rifle_bn", "japanese", "0,3"), SOVIETS[0]])
    (head,) = bridgeheads(state, "japanese")
    assert not untenable(state, head, enemies_of(state))


def test_a_bridgehead_with_no_objective_is_brought_back_while_there_is_time(tmp_path):
    """Unthreatened, it is kept while the game has turns to spare, given up near the end."""
    early = new(tmp_path, [ACROSS], last_turn=12)
    late = new(tmp_path, [ACROSS], last_turn=3)
    assert not untenable(early, bridgeheads(early, "japanese")[0], [])
    assert untenable(late, bridgeheads(late, "japanese")[0], [])


def test_the_way_home_goes_over_the_bridge_not_in_a_straight_line(tmp_path):
    state = new(tmp_path, [ACROSS])
    hops = path_distances(state, "foot", h("2,3"))
    board = state.scenario.board
    # 1,3 is next to 2,3 across the river: its way there runs up the bank, over at 1,1 and down.
    assert h("1,3").distance(h("2,3")) == 1
    assert hops[board.index[h("1,3")]] == 2 + 1 + 2


def test_the_heuristic_brings_its_units_back_over_the_bridge_from_an_untenable_bridgehead(tmp_path):
    state = new(tmp_path, [ACROSS, *SOVIETS])
    state = _japanese_movement(state)
    player = HeuristicPlayer()
    action = player.choose(engine.observe(state, "japanese"), engine.legal_actions(state), Generator(1))
    assert isinstance(action, Move) and action.unit == "j-1"
    home = river_bank(state.scenario, h("3,1"))
    assert player.given_up == {BRIDGE: river_bank(state.scenario, h("0,3"))}
    # Nearer home along the way over the bridge than it stood.
    hops = path_distances(state, "foot", h("2,1"))
    board = state.scenario.board
    assert board.index[action.to] in home or hops[board.index[action.to]] < hops[board.index[h("0,3")]]


def test_the_bridge_given_up_is_blown_once_no_unit_is_left_across_enemy_near_or_not(tmp_path):
    back = new(tmp_path, [("j-1", "rifle_bn", "japanese", "2,1")])
    given_up = {BRIDGE: river_bank(back.scenario, h("0,3"))}
    assert bridge_left_behind(back, engine.legal_actions(back).others(), given_up) == DemolishBridge("j-1", BRIDGE)
    assert bridge_left_behind(back, engine.legal_actions(back).others(), {}) is None
    still_across = new(tmp_path, [("j-1", "rifle_bn", "japanese", "2,1"), ("j-2", "rifle_bn", "japanese", "0,3")])
    assert bridge_left_behind(still_across, engine.legal_actions(still_across).others(), given_up) is None


def test_good_ground_next_to_a_stronger_enemy_stack_is_exposed(tmp_path):
    state = new(tmp_path, [("j-1", "rifle_bn", "japanese", "4,2"), *[(f"s-{n}", "rifle_bn", "soviet", "4,0") for n in range(2)]])
    assert exposed(state, "j-1", h("4,1"), enemies_of(state))
    assert not exposed(state, "j-1", h("4,3"), enemies_of(state))


def _japanese_movement(state: GameState) -> GameState:
    while not (state.active_side == "japanese" and state.phase is Phase.MOVEMENT):
        state, _ = engine.step(state, EndPhase())
    return state


def test_a_bridgehead_cut_off_for_a_turn_is_kept_and_one_cut_off_until_it_cannot_attack_is_not(tmp_path):
    """An enemy straying across the trace for a turn is no reason to give the bank up; a
    bridgehead cut off long enough to stop attacking (a day, the standard rules' second
    supply stage) is starving."""
    state = new(tmp_path, [ACROSS], last_turn=40)
    hours = state.scenario.period.turn_hours
    for turns_cut_off, given_up in ((1, False), (-(-25 // hours), True)):
        cut = state.with_unit(replace(state.unit("j-1"), out_of_supply=turns_cut_off))
        assert untenable(cut, bridgeheads(cut, "japanese")[0], []) is given_up


# ------------------------------------------------------------------ over a river by the side's own plan

OVER = {"name": "Ford", "hex": "0,4", "points": 5, "initial_holder": "soviet"}


def _own_plan(tmp_path, units, turn_hours=3) -> GameState:
    scenario = make_scenario(
        tmp_path,
        ["......"] * 5,
        units,
        hexside_lines=[("river", RIVER)],
        bridges=["1,1:NE"],
        objectives=[OVER],
        last_turn=12,
        turn_hours=turn_hours,
        extra=SUPPLY,
    )
    return engine.new_game(scenario, 1)


def test_without_hints_a_unit_bound_over_the_river_heads_for_the_bridge(tmp_path):
    """Its objective straight across the water, it goes round by the bridge instead of waiting
    on the bank facing it (the hinted side's axes give their own route)."""
    state = _own_plan(tmp_path, [("j-1", "rifle_bn", "japanese", "3,4"), ("s-1", "rifle_bn", "soviet", "0,0")])
    action = HeuristicPlayer().choose(engine.observe(state, "japanese"), engine.legal_actions(state), Generator(1))
    assert isinstance(action, Move) and action.unit == "j-1"
    assert action.to.distance(h("2,1")) <= 1  # next to the bridge's home end, 2,1


def test_without_hints_an_engineer_keeps_to_the_home_end_of_its_pontoon(tmp_path):
    """It mans its bridge rather than going over alone ahead of the troops (a lone vanguard the
    side would give the far bank up for)."""
    units = [("e-1", "engineer_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", "0,0")]
    state = _own_plan(tmp_path, units, turn_hours=6)
    pontoon = parse_hexside("1,2:NE")
    state, _ = engine.step(state, BuildBridge("e-1", pontoon))
    assert pontoon in state.bridges and tended_bridge_end(state, state.unit("e-1")) == h("2,2")
    state = _japanese_movement(engine.step(state, EndPhase())[0])
    player = HeuristicPlayer()
    while True:
        action = player.choose(engine.observe(state, "japanese"), engine.legal_actions(state), Generator(1))
        assert not (isinstance(action, Move) and action.unit == "e-1")
        if isinstance(action, EndPhase):
            break
        state, _ = engine.step(state, action)
