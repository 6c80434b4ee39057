"""The plan a computer side derives for itself when the scenario's ``ai_hints`` give none."""

from __future__ import annotations

from dataclasses import replace

from conftest import make_scenario

from nomonhan import engine
from nomonhan.ai.goals import posture
from nomonhan.ai.heuristic import HeuristicPlayer
from nomonhan.ai.plan import derive_plan
from nomonhan.hexgrid import parse_hex
from nomonhan.rng import Generator
from nomonhan.scenario.load import load_scenario
from nomonhan.scenario.variants import Variant


def plain(tmp_path, units, objectives, hints=None):
    """A 16 x 5 plain without roads, 12 turns long; ``hints``: the scenario's ai_hints (none by default)."""
    extra = {"ai_hints": hints} if hints else {}
    return make_scenario(tmp_path, ["." * 16] * 5, units, objectives=objectives, last_turn=12, extra=extra)


def rifles(side, *hexes, prefix=None):
    return [{"id": f"{prefix or side[0]}-{n}", "type": "rifle_bn", "side": side, "hex": h} for n, h in enumerate(hexes)]


def objective(name, hex_, points, holder=None):
    entry = {"name": name, "hex": hex_, "points": points}
    return entry | ({"initial_holder": holder} if holder else {})


def test_objectives_are_weighed_by_points_over_distance(tmp_path):
    units = rifles("japanese", "1,2") + rifles("soviet", "15,0")
    near_small = objective("Knoll", "3,2", 2)
    far_big = objective("Crest", "12,2", 20)
    near_big = objective("Ridge", "4,4", 10)
    state = engine.new_game(plain(tmp_path, units, [near_small, far_big, near_big]), seed=1)
    assert derive_plan(state, "japanese").targets == tuple(parse_hex(h) for h in ("4,4", "12,2", "3,2"))


def test_an_objective_out_of_reach_in_the_turns_left_counts_little(tmp_path):
    units = rifles("japanese", "0,2") + rifles("soviet", "15,4")
    scenario = make_scenario(
        tmp_path, ["." * 16] * 5, units, objectives=[objective("Far", "15,2", 30), objective("Near", "3,2", 4)], last_turn=2
    )
    state = engine.new_game(scenario, seed=1)
    assert derive_plan(state, "japanese").targets[0] == parse_hex("3,2")  # 15 hexes at 2 a turn: out of reach


def test_a_side_behind_on_points_attacks_and_one_ahead_and_no_stronger_defends(tmp_path):
    units = rifles("japanese", "1,1", "1,2") + rifles("soviet", "12,1", "12,2")
    state = engine.new_game(plain(tmp_path, units, [objective("Height", "10,2", 5, holder="soviet")]), seed=1)
    assert derive_plan(state, "japanese").posture == "attack"
    assert derive_plan(state, "soviet").posture == "defend"
    assert posture(state, "soviet", derive_plan(state, "soviet")) == "defend"


def test_a_hinted_posture_still_steers_the_side(tmp_path):
    units = rifles("japanese", "1,1", "1,2") + rifles("soviet", "12,1", "12,2")
    hints = {"soviet": {"posture": "attack"}}
    state = engine.new_game(plain(tmp_path, units, [objective("Height", "10,2", 5, holder="soviet")], hints), seed=1)
    assert posture(state, "soviet", derive_plan(state, "soviet")) == "attack"


def test_units_concentrate_on_the_weightiest_objective_until_it_has_enough(tmp_path):
    """Three defenders stand on the Crest: it needs half as much again as their strength, so
    all four attackers go there, none to the Knoll, which is worth less."""
    units = rifles("japanese", "2,0", "2,1", "2,3", "2,4") + rifles("soviet", "9,2", "9,2", "10,2", prefix="s")
    objectives = [objective("Crest", "9,2", 10, holder="soviet"), objective("Knoll", "4,4", 2, holder="soviet")]
    state = engine.new_game(plain(tmp_path, units, objectives), seed=1)
    plan = derive_plan(state, "japanese")
    assert plan.targets[0] == parse_hex("9,2")
    assert set(plan.assignment.values()) == {parse_hex("9,2")}


def test_an_objective_with_enough_strength_lets_the_next_have_its_share_and_the_rest_join_the_first(tmp_path):
    units = rifles("japanese", "2,0", "2,1", "2,3", "2,4") + rifles("soviet", "15,4")
    objectives = [objective("Crest", "6,1", 10), objective("Knoll", "6,4", 5)]
    state = engine.new_game(plain(tmp_path, units, objectives), seed=1)
    plan = derive_plan(state, "japanese")
    crest, knoll = parse_hex("6,1"), parse_hex("6,4")
    assert sorted(plan.assignment.values()).count(crest) == 3 and list(plan.assignment.values()).count(knoll) == 1
    assert plan.assignment["j-0"] == plan.assignment["j-1"] == crest


def test_a_held_objective_under_threat_keeps_a_reserve_before_anything_goes_forward(tmp_path):
    units = rifles("japanese", "3,2", "4,2", "1,2") + rifles("soviet", "6,2", "15,4")
    objectives = [objective("Post", "3,2", 5, holder="japanese"), objective("Hill", "14,4", 5, holder="soviet")]
    state = engine.new_game(plain(tmp_path, units, objectives), seed=1)
    plan = derive_plan(state, "japanese")
    assert {u for u, h in plan.assignment.items() if h == parse_hex("3,2")} == {"j-0", "j-1"} == set(plan.reserves)


def test_the_heuristic_replans_when_an_objective_changes_hands(tmp_path):
    units = rifles("japanese", "1,2") + rifles("soviet", "15,4")
    objectives = [objective("Crest", "5,2", 10), objective("Knoll", "5,4", 1)]
    state = engine.new_game(plain(tmp_path, units, objectives), seed=1)
    player = HeuristicPlayer()
    player.choose(engine.observe(state, "japanese"), engine.legal_actions(state), Generator(1))
    assert player.plan is not None and player.plan.targets[0] == parse_hex("5,2")
    taken = replace(state, holders=("japanese", None), known_holders=(("japanese", None),) * 2)
    player.choose(engine.observe(taken, "japanese"), engine.legal_actions(taken), Generator(1))
    assert player.plan.targets == (parse_hex("5,4"),)


def test_a_fully_hinted_side_makes_no_plan_of_its_own(tmp_path):
    units = rifles("japanese", "1,2") + rifles("soviet", "15,4")
    hints = {"japanese": {"posture": "attack", "objectives": [{"hex": "5,2", "by_turn": 3, "goal": "take"}]}}
    state = engine.new_game(plain(tmp_path, units, [objective("Crest", "5,2", 10)], hints), seed=1)
    player = HeuristicPlayer()
    player.choose(engine.observe(state, "japanese"), engine.legal_actions(state), Generator(1))
    assert player.plan is None


def test_the_plan_does_not_depend_on_enemy_units_the_side_has_never_seen_move(tmp_path):
    """The plan is drawn from what the side has seen: a Soviet unit out of sight moved
    elsewhere leaves it unchanged (it is imagined at its set-up hex)."""
    units = rifles("japanese", "0,2") + rifles("soviet", "12,2")
    state = engine.new_game(plain(tmp_path, units, [objective("Crest", "11,2", 10, holder="soviet")]), seed=1)
    assert not engine.observe(state, "japanese").enemy_units
    moved = state.with_unit(replace(state.unit("s-0"), hex=parse_hex("15,0")))
    plans = []
    for truth in (state, moved):
        player = HeuristicPlayer()
        player.choose(engine.observe(truth, "japanese"), engine.legal_actions(truth), Generator(1))
        plans.append(player.plan)
    assert plans[0] == plans[1]


def test_a_bundled_scenario_loads_with_its_hints_removed():
    ref = Variant.create("lake-khasan-1938", ["ai_hints={}"]).ref
    assert load_scenario("lake-khasan-1938").model.ai_hints
    assert load_scenario(ref).model.ai_hints == {}
