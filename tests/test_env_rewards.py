"""The environments' rewards tell a side only what it knows, and still add up to the game's score.

Before the end, an agent is paid the change of its side's margin as the side knows it
(objectives by the holders it last saw, its own losses, the enemy's losses it saw, the points
banked); at the game's end, the difference to the true margin.  Two games that differ only in
what a side cannot see pay that side the same rewards until the end (the model of
tests/test_information.py), and a side that knows everything knows the true margin.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from conftest import make_scenario, seed_for
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_information import SCENARIOS, _scenario, disguise, hidden_from, sampled_states

from nomonhan import engine
from nomonhan.actions import Action, Declare, EndPhase, HoldPosition, Move, Resolve
from nomonhan.ai import make_player
from nomonhan.env import NomonhanEnv, raw_env
from nomonhan.env.observation import full_information
from nomonhan.env.score import KnownScore
from nomonhan.events import UnitEliminated
from nomonhan.hexgrid import parse_hex
from nomonhan.rng import Generator
from nomonhan.rules.victory import outcome, victory_points
from nomonhan.state import GameState, Phase, UnitStatus

CROSSING = str(Path(__file__).parent / "data" / "crossing.yaml")


def _true_margin(state: GameState, side: str) -> int:
    points = victory_points(state)
    return points[side] - points[state.scenario.enemy_of(side)]


def _win_reward(state: GameState, side: str, win_reward: float) -> float:
    result = outcome(state)
    assert result is not None
    return 0.0 if result.winner == "draw" else win_reward if result.winner == side else -win_reward


# ------------------------------------------------------------------ a hand-built battle


def _hill(tmp_path: Path) -> GameState:
    """Japanese first.  The Soviets hold the hill (11,1; 10 points) with nobody on it and see
    3 hexes: j-far (8,1) can take the hill out of their sight, and j-near (2,1), already a step
    down, stands next to both Soviet battalions, which can finish it with a die of 2."""
    units = [
        ("j-near", "rifle_bn", "japanese", "2,1"),
        ("j-far", "rifle_bn", "japanese", "8,1"),
        ("s-1", "rifle_bn", "soviet", "1,1"),
        ("s-2", "rifle_bn", "soviet", "2,2"),
    ]
    hill = {"name": "Hill", "hex": "11,1", "points": 10, "initial_holder": "soviet"}
    scenario = make_scenario(tmp_path, ["............"] * 3, units, objectives=[hill])
    state = engine.new_game(scenario, 1)
    return replace(state.with_unit(replace(state.unit("j-near"), steps=1)), rng_state=seed_for(2))


def test_a_hill_taken_out_of_sight_pays_at_the_end_and_an_enemy_seen_destroyed_pays_at_once(tmp_path: Path) -> None:
    start = _hill(tmp_path)
    game = raw_env(start.scenario, win_reward=3.0)
    game.start_from(start)
    game.play(Move("j-far", parse_hex("11,1")))
    assert _true_margin(game.current, "soviet") - _true_margin(start, "soviet") == -20  # the hill changed hands
    assert game.rewards["soviet"] == 0.0  # ... out of the Soviets' sight: not a word of it
    paid = [game.rewards["soviet"]]
    while (game.current.active_side, game.current.phase) != ("soviet", Phase.COMBAT):
        game.play(EndPhase())
        paid.append(game.rewards["soviet"])
    assert paid == [0.0] * len(paid)
    for action in (Declare("s-1", parse_hex("2,1")), Declare("s-2", parse_hex("2,1")), Resolve()):
        game.play(action)
    assert game.current.unit("j-near").status is UnitStatus.ELIMINATED
    assert game.rewards["soviet"] == 1.0  # the last step of j-near, which they saw go
    paid.append(game.rewards["soviet"])
    while not game.current.game_over:
        game.play(HoldPosition() if game.current.pending is not None else EndPhase())
        paid.append(game.rewards["soviet"])
    final = game.current
    assert game.rewards["soviet"] == -20.0 + _win_reward(final, "soviet", 3.0)  # the settlement: the hill, and the result
    assert sum(paid) == _true_margin(final, "soviet") - _true_margin(start, "soviet") + _win_reward(final, "soviet", 3.0)


def test_a_truncated_game_pays_no_settlement(tmp_path: Path) -> None:
    """A truncation cuts a game that goes on: what the side did not see stays unpaid."""
    start = _hill(tmp_path)
    game = raw_env(start.scenario, max_steps=1)
    game.start_from(start)
    game.play(Move("j-far", parse_hex("11,1")))
    assert game.truncations["soviet"] and not game.terminations["soviet"]
    assert game.rewards == {"japanese": 20.0, "soviet": 0.0}  # the Japanese know they took it


def test_render_shows_each_sides_known_margin_and_the_true_points_as_the_trainers(tmp_path: Path) -> None:
    start = _hill(tmp_path)
    game = raw_env(start.scenario, render_mode="ansi")
    game.start_from(start)
    game.play(Move("j-far", parse_hex("11,1")))
    assert game.render() == (
        "turn 1 japanese movement; to act: japanese; margins as each side knows them: japanese +9, soviet +11; "
        "true points (the trainer's view, no agent's): japanese 10, soviet 1"
    )
    while not game.current.game_over:
        game.play(EndPhase())
    assert game.render() == "turn 4 soviet recovery; game over; points japanese 10, soviet 1"


# ------------------------------------------------------------------ what a side knows, and the truth


def test_a_side_that_knows_everything_knows_the_true_margin() -> None:
    """The known margin is scored by the scenario's own rules (steps, and men at Lake Khasan):
    shown every enemy unit, every objective and told of every enemy unit eliminated, a side's
    known margin is the true one."""
    scored = 0
    for ref in SCENARIOS:
        for seed in range(2):
            for state in sampled_states(ref, seed):
                for side in state.scenario.side_ids:
                    score = KnownScore(state.scenario, side)
                    enemy = state.scenario.enemy_of(side)
                    eliminated = [UnitEliminated(u.id) for u in state.units if u.side == enemy and u.status is UnitStatus.ELIMINATED]
                    score.learn(full_information(state, side), eliminated)
                    assert score.margin(full_information(state, side)) == _true_margin(state, side), (ref, seed, state.turn, side)
                    scored += any(score.enemy_lost.values())
    assert scored > 50  # many of those states have enemy steps lost


def _lockstep(game: raw_env, other: raw_env, side: str, chooser: Generator, actions: int) -> int:
    """Play both games on, the same actions in each, while ``side`` is shown and told the same
    in both: its own actions at random, the enemy's among those legal in both games.  Asserts
    that ``side`` is paid the same before the end; returns how many of those actions changed
    the true margins differently (a reward paid on the truth would have differed)."""
    unseen_changes = 0
    for _ in range(actions):
        before, before_other = game.current, other.current
        if before.game_over or before.acting_side != before_other.acting_side:
            break
        legal = list(engine.legal_actions(before))
        if before.acting_side == side:
            assert list(engine.legal_actions(before_other)) == legal
            choices: list[Action] = legal
        else:
            legal_other = set(engine.legal_actions(before_other))
            choices = [a for a in legal if a in legal_other]
        if not choices:
            break
        action = chooser.choice(choices)
        _after, events = engine.step(before, action)
        _after_other, events_other = engine.step(before_other, action)
        game.play(action)
        other.play(action)
        if game.current.game_over or other.current.game_over:
            break  # the settlement pays what differs
        told = engine.events_for(side, before, game.current, events)
        if engine.observe(game.current, side) != engine.observe(other.current, side) or told != engine.events_for(
            side, before_other, other.current, events_other
        ):
            break  # the side learnt something that differs: from here its rewards may too
        assert game.rewards[side] == other.rewards[side]
        change = _true_margin(game.current, side) - _true_margin(before, side)
        unseen_changes += change != _true_margin(other.current, side) - _true_margin(before_other, side)
    return unseen_changes


@cache
def _environments(ref: str) -> tuple[raw_env, raw_env]:
    return raw_env(scenario=_scenario(ref)), raw_env(scenario=_scenario(ref))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ref=st.sampled_from(SCENARIOS), seed=st.integers(0, 3), pick=st.integers(0, 10**6), draw=st.data())
def test_what_a_side_cannot_see_changes_nothing_in_its_rewards_until_the_end(ref: str, seed: int, pick: int, draw: st.DataObject) -> None:
    """From two states that differ only in what ``side`` cannot see (hidden units' hexes,
    steps, supply and flags, bridges and pontoons out of sight, the enemy's stockpile), the same
    actions pay ``side`` the same rewards for as long as it is shown and told the same."""
    states = sampled_states(ref, seed)
    state = states[pick % len(states)]
    side = draw.draw(st.sampled_from(state.scenario.side_ids))
    if not hidden_from(state, side):
        return
    other = replace(disguise(state, side, draw), rng_state=state.rng_state)  # the same dice: the side sees them fall
    game, game_other = _environments(ref)
    game.start_from(state)
    game_other.start_from(other)
    event(f"the true margin changed out of sight: {_lockstep(game, game_other, side, Generator(pick), 60) > 0}")


# ------------------------------------------------------------------ the review's case, and whole games


def test_an_advance_out_of_sight_pays_the_side_that_did_not_see_it_nothing() -> None:
    """The hidden-information review's reproduction: heuristic against heuristic at Lake
    Khasan, seed 11.  Japanese battalions advance onto objectives out of the Soviets' sight
    (turn 4: the true margin moves by 26 and 6 points, twice each crest's value); an action after which a side is told
    nothing and shown the same pays it nothing."""
    game = raw_env(scenario="lake-khasan-1938")
    game.reset(seed=11)
    players = {side: make_player("heuristic") for side in game.possible_agents}
    rngs = {side: Generator.for_player(11, side) for side in game.possible_agents}
    unseen = []
    while not game.current.game_over and game.current.turn <= 5:
        before = game.current
        actor = before.acting_side
        watcher = before.scenario.enemy_of(actor)
        action = players[actor].choose(engine.observe(before, actor), engine.legal_actions(before), rngs[actor])
        _after, events = engine.step(before, action)
        game.play(action)
        if not engine.events_for(watcher, before, game.current, events) and _shown(before, watcher) == _shown(game.current, watcher):
            assert game.rewards[watcher] == 0.0, action.notation()
            unseen.append(_true_margin(game.current, watcher) - _true_margin(before, watcher))
    assert -26 in unseen and -6 in unseen


def _shown(state: GameState, side: str) -> tuple[object, ...]:
    """What the review compared of ``side``'s observation: its units, the enemy in sight and
    the objectives' holders."""
    seen = engine.observe(state, side)
    return seen.own_units, seen.enemy_units, seen.holders


@pytest.mark.parametrize("ref", [CROSSING, "lake-khasan-1938"])
def test_a_games_rewards_add_up_to_the_final_margin_and_the_win_reward(ref: str) -> None:
    game = raw_env(scenario=ref, win_reward=5.0)
    game.reset(seed=3)
    start = game.current
    chooser = Generator(3)
    paid = dict.fromkeys(game.possible_agents, 0.0)
    while not game.current.game_over:
        game.play(chooser.choice(engine.legal_actions(game.current)))
        paid = {side: paid[side] + game.rewards[side] for side in paid}
    final = game.current
    for side in paid:
        assert paid[side] == pytest.approx(_true_margin(final, side) - _true_margin(start, side) + _win_reward(final, side, 5.0))


def test_a_gymnasium_episode_adds_up_to_the_final_margin_and_the_win_reward() -> None:
    environment = NomonhanEnv(scenario=CROSSING, side="soviet", opponent="random", win_reward=2.0)
    _observation, info = environment.reset(seed=5)
    start = environment.game.current
    chooser = Generator(5)
    paid, terminated = info["opponent_reward"], False
    while not terminated:
        action = chooser.choice(list(environment.game.legal_indices()))
        _observation, reward, terminated, _truncated, _info = environment.step(action)
        paid += reward
    final = environment.game.current
    assert paid == pytest.approx(_true_margin(final, "soviet") - _true_margin(start, "soviet") + _win_reward(final, "soviet", 2.0))
