"""Computer players: where the heuristic sends its units, and how the search picks its temper."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
from conftest import make_scenario
from hypothesis import given
from hypothesis import strategies as st

from nomonhan import engine
from nomonhan.actions import Advance, Attack, EndPhase, HoldPosition, Move
from nomonhan.ai import make_player, search
from nomonhan.ai.goals import axis_done, goal_for
from nomonhan.ai.heuristic import HeuristicPlayer
from nomonhan.ai.memory import EnemyMemory
from nomonhan.ai.search import TEMPERS, SearchPlayer, Temper, worth
from nomonhan.hexgrid import Hex, format_hex, parse_hex
from nomonhan.rng import Generator, seed_state
from nomonhan.rules.victory import victory_points
from nomonhan.scenario.compiled import axis_path
from nomonhan.state import Pending, Phase, UnitStatus

OFFSET = st.tuples(st.integers(0, 30), st.integers(0, 30)).map(lambda cr: f"{cr[0]},{cr[1]}")


@given(st.lists(OFFSET, min_size=1, max_size=6))
def test_an_axis_path_runs_hex_by_hex_through_every_waypoint_in_order(waypoints):
    path = axis_path(tuple(map(parse_hex, waypoints)))
    assert path[0] == parse_hex(waypoints[0]) and path[-1] == parse_hex(waypoints[-1])
    assert all(a.distance(b) == 1 for a, b in zip(path, path[1:]))
    position = 0
    for waypoint in map(parse_hex, waypoints):
        position = path.index(waypoint, position)


def column_scenario(tmp_path, units, holder="soviet", **extra):
    """A 14 x 3 plain: a Japanese column on an east-west axis through an objective at 8,1;
    ``extra``: more top-level scenario fields."""
    return make_scenario(
        tmp_path,
        ["." * 14] * 3,
        units,
        objectives=[{"name": "Height", "hex": "8,1", "points": 5, "initial_holder": holder}],
        extra={
            "ai_hints": {
                "japanese": {
                    "posture": "attack",
                    "axes": [{"name": "Column road", "hexes": ["0,1", "13,1"], "formations": ["Column"]}],
                }
            },
            **extra,
        },
    )


def unit(unit_id, hex_, side="japanese", type_id="rifle_bn"):
    entry = {"id": unit_id, "type": type_id, "side": side, "hex": hex_}
    if side == "japanese":
        entry["formation"] = "Column"
    return entry


def goal(state, unit_id):
    subject = state.unit(unit_id)
    return goal_for(state, subject, engine.visible_enemies(state, subject.side))


def test_a_unit_heads_four_hexes_down_its_axis(tmp_path):
    state = engine.new_game(column_scenario(tmp_path, [unit("j-1", "0,1")]), seed=1)
    assert goal(state, "j-1") == parse_hex("4,1")


def test_the_axis_goal_stops_at_an_objective_not_yet_held(tmp_path):
    state = engine.new_game(column_scenario(tmp_path, [unit("j-1", "6,1")]), seed=1)
    assert goal(state, "j-1") == parse_hex("8,1")


def test_past_a_held_objective_the_column_rolls_on(tmp_path):
    state = engine.new_game(column_scenario(tmp_path, [unit("j-1", "8,1"), unit("j-2", "6,1")], holder="japanese"), seed=1)
    assert goal(state, "j-2") == parse_hex("10,1")


def test_a_column_turns_back_for_an_objective_just_lost(tmp_path):
    scenario = column_scenario(tmp_path, [unit("j-1", "10,1"), unit("s-1", "13,0", side="soviet")])
    state = engine.new_game(scenario, seed=1)
    assert goal(state, "j-1") == parse_hex("8,1")


def pocket_scenario(tmp_path, units, holder):
    """The column scenario with its height an objective the Japanese hints give it to take."""
    hints = {
        "japanese": {
            "posture": "attack",
            "objectives": [{"hex": "8,1", "by_turn": 2, "goal": "take"}],
            "axes": [{"name": "Column road", "hexes": ["0,1", "13,1"], "formations": ["Column"]}],
        }
    }
    return column_scenario(tmp_path, units, holder=holder, ai_hints=hints)


@pytest.mark.parametrize(("holder", "cut_off", "expected"), [("japanese", 2, "7,2"), ("japanese", 0, "13,1"), ("soviet", 2, "8,1")])
def test_once_its_axis_is_done_a_column_turns_on_the_enemy_cut_off(tmp_path, holder, cut_off, expected):
    units = [unit("j-1", "8,1"), unit("j-2", "9,1"), unit("s-1", "7,2", side="soviet")]
    if holder == "soviet":
        units = [unit("j-2", "9,1"), unit("s-0", "8,1", side="soviet"), unit("s-1", "7,2", side="soviet")]
    state = engine.new_game(pocket_scenario(tmp_path, units, holder), seed=1)
    state = state.with_unit(replace(state.unit("s-1"), out_of_supply=cut_off))
    assert state.unit("s-1") in engine.visible_enemies(state, "japanese")
    assert goal(state, "j-2") == parse_hex(expected)


def test_an_axis_to_hold_ground_is_never_done(tmp_path):
    hints = {
        "japanese": {
            "posture": "attack",
            "objectives": [{"hex": "8,1", "by_turn": 2, "goal": "hold"}],
            "axes": [{"name": "Column road", "hexes": ["0,1", "13,1"], "formations": ["Column"]}],
        }
    }
    units = [unit("j-1", "8,1"), unit("j-2", "9,1"), unit("s-1", "7,2", side="soviet")]
    state = engine.new_game(column_scenario(tmp_path, units, holder="japanese", ai_hints=hints), seed=1)
    state = state.with_unit(replace(state.unit("s-1"), out_of_supply=2))
    assert not axis_done(state, state.scenario.ai_hints["japanese"].axes[0], "japanese")
    assert goal(state, "j-2") == parse_hex("13,1")


def test_the_first_unit_on_a_held_objective_stays_and_the_others_go_on(tmp_path):
    scenario = column_scenario(tmp_path, [unit("j-1", "8,1"), unit("j-2", "8,1")], holder="japanese")
    state = engine.new_game(scenario, seed=1)
    assert goal(state, "j-1") is None
    assert goal(state, "j-2") == parse_hex("12,1")


def test_the_strongest_unit_on_a_held_objective_stays_and_a_weaker_one_never_relieves_it(tmp_path):
    scenario = column_scenario(tmp_path, [unit("j-1", "8,1"), unit("j-2", "8,1")], holder="japanese")
    state = engine.new_game(scenario, seed=1)
    state = state.with_unit(replace(state.unit("j-1"), steps=1))  # first in order, but worn down
    assert goal(state, "j-2") is None
    assert goal(state, "j-1") == parse_hex("12,1")


def test_the_garrison_of_a_held_objective_holds_it_even_cut_off(tmp_path):
    depot = {"supply": {"sources": [{"side": "japanese", "name": "Depot", "hex": "0,1"}]}}
    scenario = column_scenario(tmp_path, [unit("j-1", "8,1"), unit("j-2", "6,1")], holder="japanese", **depot)
    state = engine.new_game(scenario, seed=1)
    state = state.with_units([replace(state.unit(u), out_of_supply=2) for u in ("j-1", "j-2")])
    assert goal(state, "j-1") is None  # stays in its positions
    back = goal(state, "j-2")  # the others fall back to where supply reaches, two hexes behind
    assert back in engine.supplied_hexes(state, "japanese") and back.distance(parse_hex("6,1")) == 2


def test_a_unit_cut_off_makes_for_the_nearest_hex_its_supply_reaches_not_the_source(tmp_path):
    """Not the depot a day's march behind: a Soviet pincer cut off at the edge of its supply
    trace walked back towards Hamar-Daba every other turn and forward again the next."""
    depot = {"supply": {"sources": [{"side": "japanese", "name": "Depot", "hex": "0,1"}]}}
    state = engine.new_game(column_scenario(tmp_path, [unit("j-1", "10,1")], **depot), seed=1)
    state = state.with_unit(replace(state.unit("j-1"), out_of_supply=1))
    traced = engine.supplied_hexes(state, "japanese")
    assert parse_hex("4,1") in traced and parse_hex("5,1") not in traced
    assert goal(state, "j-1") in traced and goal(state, "j-1").distance(parse_hex("10,1")) == 6  # not the depot, 10 away


def test_an_empty_held_objective_under_threat_recalls_the_nearest_fighting_unit(tmp_path):
    units = [unit("j-gun", "9,1", type_id="artillery_bn"), unit("j-1", "11,1"), unit("j-2", "12,1"), unit("s-1", "7,0", side="soviet")]
    state = engine.new_game(column_scenario(tmp_path, units, holder="japanese"), seed=1)
    assert goal(state, "j-1") == parse_hex("8,1")  # the nearest rifle battalion goes back
    assert goal(state, "j-2") == parse_hex("13,1")  # the others keep to the axis
    assert goal(state, "j-gun") != parse_hex("8,1")  # guns do not garrison


def test_a_side_with_only_guns_left_recalls_nobody_to_an_empty_objective(tmp_path):
    units = [unit("j-gun", "10,1", type_id="artillery_bn"), unit("s-1", "7,0", side="soviet")]
    state = engine.new_game(column_scenario(tmp_path, units, holder="japanese"), seed=1)
    assert goal(state, "j-gun") == parse_hex("13,1")


def test_an_empty_held_objective_without_a_threat_is_left_alone(tmp_path):
    state = engine.new_game(column_scenario(tmp_path, [unit("j-1", "11,1")], holder="japanese"), seed=1)
    assert goal(state, "j-1") == parse_hex("13,1")


def test_a_threatened_held_objective_keeps_enough_of_its_units_to_meet_the_threat(tmp_path):
    # Two Soviet tank battalions beside the height (attack 10) against one rifle battalion
    # (defence 3): 3:1 raw odds, so the second battalion on the height stays as well.
    soviets = [unit("s-1", "7,1", side="soviet", type_id="tank_bn"), unit("s-2", "7,1", side="soviet", type_id="tank_bn")]
    state = engine.new_game(column_scenario(tmp_path, [unit("j-1", "8,1"), unit("j-2", "8,1"), *soviets], holder="japanese"), seed=1)
    assert goal(state, "j-1") is None
    assert goal(state, "j-2") is None


def test_without_a_threat_only_the_strongest_unit_stays_on_a_held_objective(tmp_path):
    soviets = [unit("s-1", "3,1", side="soviet", type_id="tank_bn")]  # five hexes off
    state = engine.new_game(column_scenario(tmp_path, [unit("j-1", "8,1"), unit("j-2", "8,1"), *soviets], holder="japanese"), seed=1)
    assert goal(state, "j-1") is None
    assert goal(state, "j-2") == parse_hex("12,1")


def _advance_offered(tmp_path, attackers):
    """The Japanese attackers of 9,1 (a Soviet-held ridge, just emptied) may advance; j-1
    garrisons the Japanese-held height at 8,1 beside it, j-2 stands at 10,1."""
    objectives = [
        {"name": "Height", "hex": "8,1", "points": 5, "initial_holder": "japanese"},
        {"name": "Ridge", "hex": "9,1", "points": 5, "initial_holder": "soviet"},
    ]
    units = [unit("j-1", "8,1"), unit("j-2", "10,1"), unit("s-1", "9,2", side="soviet")]
    state = engine.new_game(make_scenario(tmp_path, ["." * 14] * 3, units, objectives=objectives), seed=1)
    state = replace(state, phase=Phase.COMBAT, active_side="japanese", pending=Pending("advance", "japanese", attackers, parse_hex("9,1")))
    return HeuristicPlayer().choose(engine.observe(state, "japanese"), list(engine.legal_actions(state)), Generator(1))


def test_the_garrison_of_a_held_objective_never_advances_off_it(tmp_path):
    assert _advance_offered(tmp_path, ("j-1", "j-2")) == Advance("j-2")
    assert _advance_offered(tmp_path, ("j-1",)) == HoldPosition()


def test_the_garrison_of_a_held_objective_is_never_sent_to_spot_for_the_guns(tmp_path):
    # The Soviet battalion four hexes off, remembered, is out of sight (three hexes by day) and
    # in the gun's range; the garrison is the nearest fighting unit, but the next one goes.
    units = [unit("j-1", "8,1"), unit("j-gun", "8,2", type_id="artillery_bn"), unit("j-2", "12,1"), unit("s-1", "4,1", side="soviet")]
    state = engine.new_game(column_scenario(tmp_path, units, holder="japanese"), seed=1)
    observation = engine.observe(state, "japanese")
    player = HeuristicPlayer()
    player.memory.last_seen["s-1"] = state.unit("s-1")
    assert parse_hex("4,1") not in observation.seen_hexes
    assert player._spotting(observation, engine.believed_state(observation)) == {"j-2": parse_hex("4,1")}


def test_a_counter_attack_axis_waits_for_its_turn(tmp_path):
    scenario = column_scenario(tmp_path, [unit("j-1", "0,1")])
    axis = replace(scenario.ai_hints["japanese"].axes[0], from_turn=3)
    hints = replace(scenario.ai_hints["japanese"], axes=(axis,))
    scenario = replace(scenario, ai_hints={**scenario.ai_hints, "japanese": hints})
    state = engine.new_game(scenario, seed=1)
    assert goal(state, "j-1") == parse_hex("8,1")  # before it: the posture's objective, not the axis
    assert goal(replace(state, turn=3), "j-1") == parse_hex("4,1")


def test_an_axis_start_turn_is_read_from_the_scenario(tmp_path):
    axes = [{"name": "Later", "hexes": ["0,1", "13,1"], "formations": ["Column"], "from_turn": 5}]
    scenario = column_scenario(tmp_path, [unit("j-1", "0,1")], ai_hints={"japanese": {"posture": "attack", "axes": axes}})
    assert scenario.ai_hints["japanese"].axes[0].from_turn == 5


def _attack_on_the_height(tmp_path, turn):
    """A Soviet tank battalion beside the Japanese-held height it is told to take by turn 10
    (12-hour turns), at ``turn``: its attack's score, and the chance it drives the defender out."""
    hints = {"soviet": {"posture": "attack", "objectives": [{"hex": "8,1", "by_turn": 10, "goal": "take"}]}}
    units = [unit("j-1", "8,1"), unit("s-1", "7,1", side="soviet", type_id="tank_bn")]
    objective = {"name": "Height", "hex": "8,1", "points": 5, "initial_holder": "japanese"}
    scenario = make_scenario(tmp_path, ["." * 14] * 3, units, objectives=[objective], last_turn=20, extra={"ai_hints": hints})
    state = replace(engine.new_game(scenario, seed=1), turn=turn, active_side="soviet")
    attack = Attack(("s-1",), parse_hex("8,1"))
    return HeuristicPlayer().attack_score(state, attack), engine.combat_odds(state, attack).retreat_chance


def test_an_objective_the_plan_takes_later_is_worth_only_the_exchange_until_it_is_due(tmp_path):
    # Due from four turns (48 hours) before its deadline; turns 4 and 6 are both nights.
    (early, retreat), (due, same) = _attack_on_the_height(tmp_path, turn=4), _attack_on_the_height(tmp_path, turn=6)
    assert retreat == same
    assert due - early == Fraction(1, 2) + Fraction(5, 4) * retreat


def _storm_the_height(tmp_path, turn, flank="japanese"):
    """Three Soviet battalions beside the Japanese-held height at 8,1 they are told to take by
    turn 10, at ``turn``; the plan takes the flank objective at 12,1 (held by ``flank``) first,
    by turn 5.  The attack on the height the Soviet player makes, if any."""
    objectives = [{"hex": "12,1", "by_turn": 5, "goal": "take"}, {"hex": "8,1", "by_turn": 10, "goal": "take"}]
    hints = {"soviet": {"posture": "attack", "objectives": objectives}}
    units = [unit("j-1", "8,1"), *(unit(f"s-{n}", hex_, side="soviet", type_id="tank_bn") for n, hex_ in enumerate(["7,0", "7,1", "8,0"]))]
    places = [
        {"name": "Height", "hex": "8,1", "points": 5, "initial_holder": "japanese"},
        {"name": "Flank", "hex": "12,1", "points": 5, "initial_holder": flank},
    ]
    scenario = make_scenario(tmp_path, ["." * 14] * 3, units, objectives=places, last_turn=20, extra={"ai_hints": hints})
    state = replace(engine.new_game(scenario, seed=1), turn=turn, active_side="soviet", phase=Phase.COMBAT)
    attack = Attack(("s-0", "s-1", "s-2"), parse_hex("8,1"))
    assert HeuristicPlayer().attack_score(state, attack) >= HeuristicPlayer().min_attack_score  # worth it for the exchange
    return HeuristicPlayer().best_attack(state, [attack])


def test_an_objective_not_yet_due_is_held_in_front_until_those_due_before_it_are_in(tmp_path):
    # Turn 4 is more than 48 hours before the height's deadline; from turn 6 it is due.
    assert _storm_the_height(tmp_path, turn=4) is None
    assert _storm_the_height(tmp_path, turn=4, flank="soviet") == Attack(("s-0", "s-1", "s-2"), parse_hex("8,1"))
    assert _storm_the_height(tmp_path, turn=6) == Attack(("s-0", "s-1", "s-2"), parse_hex("8,1"))


# ------------------------------------------------------------------ what the search remembers


def imagined_soviets(memory, state):
    return {
        u.id: (format_hex(u.hex), u.steps)
        for u in memory.imagine(engine.observe(state, "japanese")).units
        if u.side == "soviet" and u.on_map
    }


def placed(state, **hexes):
    """``state`` with units moved: ``placed(state, j_1="7,1")`` puts j-1 on 7,1."""
    return replace(
        state,
        units=tuple(
            replace(u, hex=parse_hex(hexes[u.id.replace("-", "_")])) if u.id.replace("-", "_") in hexes else u for u in state.units
        ),
    )


def test_an_enemy_unit_out_of_sight_is_imagined_where_it_was_last_seen_as_it_was_then(tmp_path):
    # Day: the Japanese see 3 hexes along the row.
    state = engine.new_game(column_scenario(tmp_path, [unit("j-1", "2,1"), unit("s-1", "3,1", side="soviet")]), seed=1)
    memory = EnemyMemory()
    memory.update(engine.observe(state.with_unit(replace(state.unit("s-1"), steps=1)), "japanese"))
    assert imagined_soviets(memory, placed(state, j_1="7,1", s_1="12,1")) == {"s-1": ("3,1", 1)}  # both out of sight
    assert imagined_soviets(memory, placed(state, s_1="12,1")) == {}  # 3,1 in sight and empty: moved or died
    assert imagined_soviets(memory, placed(state, j_1="9,1", s_1="12,1")) == {"s-1": ("12,1", 2)}  # seen again: as seen (2 steps)


def reinforced(tmp_path, arrives):
    """A Japanese battalion far west, a Soviet one east and a Soviet reinforcement due at
    ``arrives`` on the east edge."""
    units = [
        unit("j-1", "0,1"),
        unit("s-1", "12,1", side="soviet"),
        {"id": "s-2", "type": "rifle_bn", "side": "soviet", "arrive": {"at": arrives, "hex": "13,1"}},
    ]
    return engine.new_game(column_scenario(tmp_path, units), seed=1)


def test_an_enemy_unit_never_seen_is_imagined_at_its_setup_hex_and_a_reinforcement_not_at_all(tmp_path):
    state = reinforced(tmp_path, "1939-07-02T06:00:00")
    arrived = replace(state.unit("s-2"), hex=parse_hex("13,1"), status=UnitStatus.ON_MAP)
    moved = placed(state.with_unit(arrived), s_1="13,0")
    assert not engine.observe(moved, "japanese").enemy_units
    assert imagined_soviets(EnemyMemory(), moved) == {"s-1": ("12,1", 2)}


def test_played_forward_an_enemy_reinforcement_never_seen_arrives_at_its_date_with_its_steps(tmp_path):
    state = reinforced(tmp_path, "1939-07-02T18:00:00")
    observation = engine.observe(state, "japanese")
    steady = HeuristicPlayer()
    ahead = EnemyMemory().imagine_ahead(observation)
    assert ahead.unit("s-2").status is UnitStatus.RESERVE and ahead.unit("s-2").steps == 2
    end, _ = search.play_forward(ahead, "japanese", steady, steady, 4, 5000, Generator(1))
    assert end.unit("s-2").on_map and end.unit("s-2").steps == 2
    # What the search read before: a placeholder of no steps, arriving as a unit of none.
    end, _ = search.play_forward(EnemyMemory().imagine(observation), "japanese", steady, steady, 4, 5000, Generator(1))
    assert end.unit("s-2").on_map and end.unit("s-2").steps == 0
    # The schedule is public; where the reinforcement really is, out of sight, is not read.
    arrived = state.with_unit(replace(state.unit("s-2"), hex=parse_hex("13,0"), status=UnitStatus.ON_MAP))
    assert not engine.observe(arrived, "japanese").enemy_units
    assert EnemyMemory().imagine_ahead(engine.observe(arrived, "japanese")) == ahead


# ------------------------------------------------------------------ whole games


def skirmish(tmp_path):
    """Two battalions a side and a height between them: a game of a few seconds."""
    units = [unit("j-1", "1,1"), unit("j-2", "1,2"), unit("s-1", "9,1", side="soviet"), unit("s-2", "9,2", side="soviet")]
    return column_scenario(tmp_path, units)


def play(scenario, players, seed, generators=None):
    """Every action of one game between ``players`` (side -> Player), and its end."""
    generators = generators or {side: Generator(seed * 7 + n) for n, side in enumerate(scenario.side_ids)}
    state = engine.new_game(scenario, seed)
    actions = []
    while not state.game_over:
        side = state.acting_side
        action = players[side].choose(engine.observe(state, side), engine.legal_actions(state), generators[side])
        assert action in engine.legal_actions(state)
        actions.append(action)
        state, _ = engine.step(state, action)
    return actions, state


@pytest.mark.parametrize("kind", ["heuristic", "search", "mcts"])
def test_computer_players_replay_exactly_from_the_same_seed(tmp_path, kind):
    scenario = skirmish(tmp_path)
    first, _ = play(scenario, {"japanese": make_player(kind), "soviet": make_player("heuristic")}, seed=3)
    again, _ = play(scenario, {"japanese": make_player(kind), "soviet": make_player("heuristic")}, seed=3)
    assert first == again


def test_search_with_only_the_steady_temper_plays_as_the_heuristic(tmp_path):
    scenario = skirmish(tmp_path)
    heuristic, _ = play(scenario, {"japanese": HeuristicPlayer(), "soviet": HeuristicPlayer()}, seed=5)
    searched, _ = play(scenario, {"japanese": SearchPlayer(rollouts=1, tempers=TEMPERS[:1]), "soviet": HeuristicPlayer()}, seed=5)
    assert searched == heuristic


def test_search_picks_a_temper_once_per_own_turn_and_counts_its_nodes(tmp_path):
    scenario = skirmish(tmp_path)
    searcher = SearchPlayer(rollouts=1)
    _, final = play(scenario, {"japanese": searcher, "soviet": HeuristicPlayer()}, seed=2)
    assert set(searcher.chosen) == {(turn, "japanese") for turn in range(1, final.turn + 1)}
    assert searcher.nodes > 0


def test_the_steady_temper_is_the_heuristic_default():
    assert vars(TEMPERS[0].player()) == vars(HeuristicPlayer())


def test_a_heavier_supply_weight_keeps_a_unit_inside_its_supply_trace(tmp_path):
    """The depot's trace reaches four hexes across country (no roads): the plain heuristic
    pushes on down the axis beyond it, the supply-minded temper stops at its edge."""
    units = [unit("j-1", "3,1"), unit("s-1", "13,0", side="soviet")]
    depots = [{"side": "japanese", "name": "Depot", "hex": "0,1"}, {"side": "soviet", "name": "Depot", "hex": "13,1"}]
    scenario = column_scenario(tmp_path, units, supply={"sources": depots})
    state = engine.new_game(scenario, seed=1)
    while state.phase is not Phase.MOVEMENT:
        state, _ = engine.step(state, EndPhase())
    supplied = engine.supplied_hexes(state, "japanese")

    def first_move(player):
        return player.choose(engine.observe(state, "japanese"), engine.legal_actions(state), Generator(1)).to

    assert first_move(HeuristicPlayer()) not in supplied
    cautious = first_move(HeuristicPlayer(supply_weight=10))
    assert cautious in supplied and cautious.q == 4  # still advancing, to the trace's last column


def test_search_keeps_the_temper_with_the_best_total_and_the_first_on_a_tie(tmp_path, monkeypatch):
    state = engine.new_game(skirmish(tmp_path), seed=1)
    tempers = (Temper("a", Fraction(0), Fraction(1)), Temper("b", Fraction(1), Fraction(1)), Temper("c", Fraction(2), Fraction(1)))
    seeds_seen: dict[str, list[int]] = {}

    def fake_rollout(self, state, temper, side, seed):
        seeds_seen.setdefault(temper.name, []).append(seed)
        return {"a": Fraction(1), "b": Fraction(3), "c": Fraction(3)}[temper.name]

    monkeypatch.setattr(SearchPlayer, "_rollout", fake_rollout)
    searcher = SearchPlayer(rollouts=3, tempers=tempers, switch_margin=Fraction(0))
    assert searcher._pick_temper(state, "japanese", Generator(1)).name == "b"
    assert seeds_seen["a"] == seeds_seen["b"] == seeds_seen["c"]  # common random numbers
    assert len(set(seeds_seen["a"])) == 3


def test_a_side_whose_plan_is_to_attack_never_tries_standing_withdrawing_or_keeping_to_its_supply(tmp_path, monkeypatch):
    state = engine.new_game(skirmish(tmp_path), seed=1)  # the Japanese attack; the Soviets are balanced
    tried: list[str] = []
    monkeypatch.setattr(SearchPlayer, "_rollout", lambda self, state, temper, side, seed: tried.append(temper.name) or Fraction(0))
    searcher = SearchPlayer(rollouts=1)
    searcher._pick_temper(state, "japanese", Generator(1))
    assert tried == ["steady", "bold", "reckless"]
    tried.clear()
    searcher._pick_temper(state, "soviet", Generator(1))
    assert tried == [temper.name for temper in TEMPERS]


def test_a_players_choice_does_not_depend_on_enemy_units_it_cannot_see(tmp_path):
    units = [unit("j-1", "0,1"), unit("s-far", "13,0", side="soviet")]
    state = engine.new_game(column_scenario(tmp_path, units), seed=1)
    assert all(u.id != "s-far" for u in engine.observe(state, "japanese").enemy_units)
    elsewhere = replace(state, units=tuple(replace(u, hex=Hex.from_offset(13, 2)) if u.id == "s-far" else u for u in state.units))
    assert all(u.id != "s-far" for u in engine.observe(elsewhere, "japanese").enemy_units)
    for kind in ("heuristic", "search", "mcts"):
        choices = [
            make_player(kind).choose(engine.observe(s, "japanese"), engine.legal_actions(s), Generator(4)) for s in (state, elsewhere)
        ]
        assert choices[0] == choices[1], kind


def test_search_keeps_the_first_temper_unless_another_beats_it_by_the_switch_margin(tmp_path, monkeypatch):
    state = engine.new_game(skirmish(tmp_path), seed=1)
    tempers = (Temper("plan", Fraction(0), Fraction(1)), Temper("other", Fraction(1), Fraction(1)))
    gain = {"plan": Fraction(0), "other": Fraction(2)}
    monkeypatch.setattr(SearchPlayer, "_rollout", lambda self, state, temper, side, seed: gain[temper.name])
    assert SearchPlayer(rollouts=2, tempers=tempers, switch_margin=Fraction(2))._pick_temper(state, "japanese", Generator(1)).name == "plan"
    assert (
        SearchPlayer(rollouts=2, tempers=tempers, switch_margin=Fraction(1))._pick_temper(state, "japanese", Generator(1)).name == "other"
    )


def test_tempers_that_play_the_turn_alike_are_played_out_once_per_rollout(tmp_path):
    state = engine.new_game(skirmish(tmp_path), seed=1)
    twins = (Temper("steady", Fraction(1, 4), Fraction(1)), Temper("twin", Fraction(1, 4), Fraction(1)))
    searcher = SearchPlayer(rollouts=3, tempers=twins, horizon=4)
    searcher._pick_temper(state, "japanese", Generator(1))
    assert len(searcher._worths) == 3  # one playout per seed: the twin's turn was the steady one's
    worths = {temper.name: searcher._rollout(state, temper, "japanese", 7) for temper in twins}
    assert worths["steady"] == worths["twin"]


def _own_turns_played(tmp_path, monkeypatch, keep_temper):
    """The own turns (turn numbers) on which a rollout let the tried temper decide."""
    state = engine.new_game(skirmish(tmp_path), seed=1)
    turns: set[int] = set()

    class Spy(HeuristicPlayer):
        def choose(self, observation, legal_actions, rng):
            turns.add(observation.turn)
            return super().choose(observation, legal_actions, rng)

    tried = Temper("tried", Fraction(1, 4), Fraction(1))
    searcher = SearchPlayer(horizon=6, keep_temper=keep_temper)
    original = Temper.player
    monkeypatch.setattr(Temper, "player", lambda self: Spy() if self is tried else original(self))
    searcher._rollout(state, tried, "japanese", 3)
    return turns


def test_a_temper_kept_for_the_horizon_decides_every_own_turn_of_the_rollout(tmp_path, monkeypatch):
    assert _own_turns_played(tmp_path, monkeypatch, keep_temper=False) == {1}
    assert _own_turns_played(tmp_path, monkeypatch, keep_temper=True) == {1, 2, 3}


def _pick_against(tmp_path, monkeypatch, others_worths, confidence):
    """The temper picked when the steady one's rollouts are worth 0 and the other's as given."""
    state = engine.new_game(skirmish(tmp_path), seed=1)
    tempers = (Temper("plan", Fraction(0), Fraction(1)), Temper("other", Fraction(1), Fraction(1)))
    worths = iter(others_worths)
    monkeypatch.setattr(SearchPlayer, "_rollout", lambda self, state, temper, side, seed: next(worths) if temper.name == "other" else 0)
    return SearchPlayer(rollouts=2, tempers=tempers, confidence=confidence)._pick_temper(state, "japanese", Generator(1)).name


def test_with_confidence_another_temper_must_beat_the_first_by_more_than_its_noise(tmp_path, monkeypatch):
    # A mean gain of 2 beats the margin of 1; with confidence, only if the two rollouts agree.
    noisy, agreed = [Fraction(6), Fraction(-2)], [Fraction(2), Fraction(2)]
    assert _pick_against(tmp_path, monkeypatch, noisy, Fraction(0)) == "other"
    assert _pick_against(tmp_path, monkeypatch, noisy, Fraction(1)) == "plan"
    assert _pick_against(tmp_path, monkeypatch, agreed, Fraction(1)) == "other"


def test_with_synced_dice_every_later_turn_of_a_rollout_starts_on_the_same_dice(tmp_path, monkeypatch):
    state = engine.new_game(skirmish(tmp_path), seed=1)
    started: list[int] = []
    real = search.play_turn

    def spy(state, *args):
        started.append(state.rng_state)
        return real(state, *args)

    monkeypatch.setattr(search, "play_turn", spy)
    for temper in TEMPERS[:3]:
        SearchPlayer(horizon=3, synced_dice=True)._rollout(state, temper, "japanese", 5)
    assert started[1::3] == [seed_state(6)] * 3 and started[2::3] == [seed_state(7)] * 3


def test_search_counts_steps_cut_off_from_supply_as_half_lost(tmp_path):
    units = [unit("j-near", "2,1"), unit("j-far", "10,1"), unit("s-1", "12,1", side="soviet")]
    extra = {
        "supply": {"sources": [{"side": "japanese", "name": "Depot", "hex": "0,1"}, {"side": "soviet", "name": "Depot", "hex": "13,1"}]}
    }
    scenario = make_scenario(tmp_path, ["." * 14] * 3, units, extra=extra)  # no roads: supply reaches 4 hexes
    state = engine.new_game(scenario, seed=1)
    points = victory_points(state)
    margin = points["japanese"] - points["soviet"]
    assert worth(state, "japanese") == margin - 1  # j-far's two steps, counted half lost
    assert worth(state, "soviet") == -margin + 1


# ------------------------------------------------------------------ variety and concentration


def test_the_players_own_generator_varies_its_game_and_the_same_seed_replays_it(tmp_path):
    """Same game seed (same dice), different player generators: near-equal moves and attacks
    are drawn, so the games differ; the same generator seed gives the same game."""
    scenario = skirmish(tmp_path)

    def game(player_seed):
        generators = {side: Generator.for_player(player_seed, side) for side in scenario.side_ids}
        actions, _ = play(scenario, {side: HeuristicPlayer() for side in scenario.side_ids}, 3, generators)
        return tuple(actions)

    assert game(1) == game(1)
    assert len({game(seed) for seed in range(5)}) >= 3


def first_move_of(state, side="japanese", player=None):
    while state.phase is not Phase.MOVEMENT:
        state, _ = engine.step(state, EndPhase())
    player = player or HeuristicPlayer()
    return player.choose(engine.observe(state, side), engine.legal_actions(state), Generator(1)), state


def test_a_unit_alone_stops_short_of_a_stronger_stack_and_goes_in_beside_a_friend(tmp_path):
    """Two Soviet battalions, in sight, hold the objective on the axis; a lone Japanese
    battalion does not step next to them, but with a friend beside the hex it would enter, it
    closes up."""
    alone = [unit("j-1", "5,1"), unit("s-1", "8,1", side="soviet"), unit("s-2", "8,1", side="soviet")]
    state = engine.new_game(column_scenario(tmp_path, alone), seed=1)
    action, state = first_move_of(state)
    stack = state.unit("s-1").position
    assert not (isinstance(action, Move) and action.to.distance(stack) == 1)
    assert (
        HeuristicPlayer(caution=Fraction(0))
        .choose(engine.observe(state, "japanese"), engine.legal_actions(state), Generator(1))
        .to.distance(stack)
        == 1
    )
    together = alone + [unit("j-2", "7,0")]
    action, state = first_move_of(engine.new_game(column_scenario(tmp_path, together), seed=1))
    assert action.unit == "j-1" and action.to.distance(stack) == 1


def test_idle_guns_send_the_nearest_fighting_unit_to_spot_an_enemy_remembered_out_of_sight(tmp_path):
    """The gun at 3,1 reaches 7,1 (range 4) but sees only 3 hexes; the side remembers a Soviet
    battalion there.  Without hints or objectives nothing else calls j-1 forward."""
    units = [unit("j-gun", "3,1", type_id="artillery_bn"), unit("j-1", "2,0"), unit("j-2", "0,2"), unit("s-1", "7,1", side="soviet")]
    state = engine.new_game(make_scenario(tmp_path, ["." * 14] * 3, units), seed=1)
    while state.phase is not Phase.MOVEMENT:
        state, _ = engine.step(state, EndPhase())
    observation = engine.observe(state, "japanese")
    target = parse_hex("7,1")
    assert not observation.enemy_units and target not in observation.seen_hexes
    player = HeuristicPlayer()
    player.memory.last_seen["s-1"] = state.unit("s-1")  # seen there on an earlier turn
    move = player.choose(observation, engine.legal_actions(state), Generator(1))
    assert move.unit == "j-1" and move.to.distance(target) < parse_hex("2,0").distance(target)
    assert not isinstance(HeuristicPlayer().choose(observation, engine.legal_actions(state), Generator(1)), Move)


def limited_war(tmp_path, attacks, units):
    """A 14 x 3 plain with an objective at 8,1; the Japanese hints say where they attack."""
    return make_scenario(
        tmp_path,
        ["." * 14] * 3,
        units,
        objectives=[{"name": "Crest", "hex": "8,1", "points": 5, "initial_holder": "soviet"}],
        extra={"ai_hints": {"japanese": {"attacks": attacks}}},
    )


def chosen_targets(scenario, seeds=range(8)):
    from nomonhan.ai.declaring import candidate_attacks

    state = engine.new_game(scenario, seed=1)
    while state.phase is not Phase.COMBAT:
        state, _ = engine.step(state, EndPhase())
    choices = {HeuristicPlayer().best_attack(state, candidate_attacks(state), Generator(seed)) for seed in seeds}
    return {None if attack is None else format_hex(attack.target) for attack in choices}


def test_a_side_held_to_objectives_attacks_the_enemy_on_the_crest_and_never_the_one_in_the_field(tmp_path):
    """Three Japanese battalions beside a lone Soviet one in the field (6,1) and one on the
    objective (8,1): told to attack only objectives, they always go for the crest; a weak
    enemy in the field alone is let be, where a side free to attack anywhere takes it on."""
    both = [unit(f"j-{n}", "7,1") for n in range(3)] + [unit("s-field", "6,1", side="soviet"), unit("s-crest", "8,1", side="soviet")]
    assert chosen_targets(limited_war(tmp_path, "objectives", both)) == {"8,1"}
    field_only = [unit(f"j-{n}", "7,1") for n in range(3)] + [unit("s-field", "6,1", side="soviet")]
    assert chosen_targets(limited_war(tmp_path, "objectives", field_only)) == {None}
    assert chosen_targets(limited_war(tmp_path, "anywhere", field_only)) == {"6,1"}
