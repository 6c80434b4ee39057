"""Luck-adjusted rollouts: a rollout's worth less what the dice of its fights gave beyond their
expectation."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from conftest import make_scenario, seed_for
from test_ai import column_scenario, unit

from nomonhan import engine
from nomonhan.actions import Declare, EndPhase, Resolve
from nomonhan.ai.luck import Fight, Luck
from nomonhan.ai.mcts import TreeSearchPlayer
from nomonhan.ai.search import TEMPERS, SearchPlayer
from nomonhan.hexgrid import parse_hex
from nomonhan.rng import Generator
from nomonhan.state import Phase


def attack_on_the_height(tmp_path):
    """A Soviet tank battalion has declared an attack on a Japanese rifle battalion holding a
    5-point height (2:1 after shifts: A1/D1, A1/D1, D1/R1, D1/R1, D2/R1, D2/R2)."""
    units = [unit("j-1", "8,1"), unit("s-1", "7,1", side="soviet", type_id="tank_bn")]
    objective = {"name": "Height", "hex": "8,1", "points": 5, "initial_holder": "japanese"}
    scenario = make_scenario(tmp_path, ["." * 14] * 3, units, objectives=[objective], last_turn=20)
    state = replace(engine.new_game(scenario, seed=1), turn=3, active_side="soviet", phase=Phase.COMBAT)
    state, _ = engine.step(state, Declare("s-1", parse_hex("8,1")))
    return state


def luck_by_face(state, side):
    lucks = []
    for face in range(1, 7):
        luck = Luck(side)
        luck.step(replace(state, rng_state=seed_for(face)), Resolve())
        lucks.append(luck.total)
    return lucks


def test_the_luck_of_a_fight_is_the_drawn_results_worth_less_its_mean_over_the_die(tmp_path):
    state = attack_on_the_height(tmp_path)
    lucks = luck_by_face(state, "soviet")
    # Neither side is in supply (no depots): each step lost costs a point less the half point
    # it already counted as cut off.  A result that drives the defender off the height also
    # takes its 5 points from the Japanese: a swing of 10.
    a1_d1, d1_r1, d2 = Fraction(0), Fraction(1, 2) + 10, Fraction(1) + 10
    mean = (2 * a1_d1 + 2 * d1_r1 + 2 * d2) / 6
    assert lucks == [a1_d1 - mean] * 2 + [d1_r1 - mean] * 2 + [d2 - mean] * 2
    assert sum(lucks) == 0  # the die is fair: luck has mean zero, so the adjusted worth is unbiased
    assert luck_by_face(state, "japanese") == [-luck for luck in lucks]


def test_a_step_that_resolves_no_fight_brings_no_luck(tmp_path):
    state = engine.new_game(column_scenario(tmp_path, [unit("j-1", "1,1"), unit("s-1", "9,1", side="soviet")]), seed=1)
    luck = Luck("japanese")
    after, _ = luck.step(state, EndPhase())
    assert luck.total == 0 and after == engine.step(state, EndPhase())[0]


def test_adjusted_for_luck_the_search_prefers_the_temper_that_does_better_on_average(tmp_path):
    """A Japanese battalion beside two Soviet ones: the reckless temper attacks at 1:2, which
    costs the side on average; the steady one does not.  On a lucky die the reckless rollout
    scores better than the steady one; adjusted for luck it scores worse on every die."""
    units = [unit("j-1", "6,1"), unit("s-1", "7,1", side="soviet"), unit("s-2", "7,1", side="soviet")]
    state = engine.new_game(column_scenario(tmp_path, units), seed=1)
    steady, reckless = TEMPERS[0], TEMPERS[2]

    def gains(adjust_luck):
        searcher = SearchPlayer(horizon=1, adjust_luck=adjust_luck)
        return [
            searcher._rollout(state, reckless, "japanese", seed_for(face)) - searcher._rollout(state, steady, "japanese", seed_for(face))
            for face in range(1, 7)
        ]

    assert max(gains(adjust_luck=False)) > 0
    assert set(gains(adjust_luck=True)) == {Fraction(-1, 4)}


def test_adjusted_for_luck_a_players_choice_never_depends_on_enemy_units_it_cannot_see(tmp_path, monkeypatch):
    """Hidden information: the luck is worked out on the player's imagined state, never the
    true one, so two true states that differ only out of its sight give the same choice and the
    same work, with fights in its rollouts' reach."""
    units = [unit("j-1", "5,1"), unit("j-2", "5,2"), unit("s-1", "8,1", side="soviet"), unit("s-far", "13,0", side="soviet")]
    state = engine.new_game(column_scenario(tmp_path, units), seed=1)
    elsewhere = state.with_unit(replace(state.unit("s-far"), hex=parse_hex("13,2")))
    for truth in (state, elsewhere):
        assert all(u.id != "s-far" for u in engine.observe(truth, "japanese").enemy_units)
    fights = []
    real = Fight.of

    def spy(state, action):
        fight = real(state, action)
        fights.append(fight is not None)
        return fight

    monkeypatch.setattr(Fight, "of", staticmethod(spy))
    for make in (lambda: SearchPlayer(adjust_luck=True), lambda: TreeSearchPlayer(iterations=6, adjust_luck=True)):
        results = []
        for truth in (state, elsewhere):
            player = make()
            action = player.choose(engine.observe(truth, "japanese"), engine.legal_actions(truth), Generator(4))
            results.append((action, player.nodes))
        assert results[0] == results[1]
        assert results[0][1] > 0
    assert any(fights)  # the rollouts fought, so the luck was counted
