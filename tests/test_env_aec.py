"""The PettingZoo environment: PettingZoo's own tests, rewards, termination, truncation, state()."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pettingzoo.test import api_test, seed_test

from nomonhan import engine
from nomonhan.actions import Resolve
from nomonhan.env import env, raw_env
from nomonhan.rules.victory import outcome, victory_points

CROSSING = str(Path(__file__).parent / "data" / "crossing.yaml")


def test_pettingzoo_api_test_passes() -> None:
    api_test(env(scenario=CROSSING, max_steps=150), num_cycles=60)


def test_pettingzoo_seed_test_passes() -> None:
    seed_test(lambda: env(scenario=CROSSING, max_steps=150), num_cycles=60)


def _play_out(aec: raw_env, seed: int) -> dict[str, float]:
    """Play masked-random actions to the end; the rewards each agent was given, summed."""
    rng = np.random.default_rng(seed)
    totals = {agent: 0.0 for agent in aec.possible_agents}
    for agent in aec.agent_iter():
        observation, reward, terminated, truncated, _info = aec.last()
        totals[agent] += reward
        if terminated or truncated:
            aec.step(None)
            continue
        aec.step(int(rng.choice(np.flatnonzero(observation["action_mask"]))))
    return totals


def test_a_game_runs_to_its_end_and_the_rewards_add_up_to_the_final_margin_and_result() -> None:
    aec = raw_env(scenario=CROSSING, win_reward=5.0)
    aec.reset(seed=4)
    first, second = aec.possible_agents
    start = victory_points(aec.game_state)
    totals = _play_out(aec, 4)
    final = aec.game_state
    assert final.game_over and aec.agents == []
    points = victory_points(final)
    result = outcome(final)
    bonus = {first: 0.0, second: 0.0}
    if result.winner in bonus:
        bonus = {side: 5.0 if side == result.winner else -5.0 for side in bonus}
    margin = {first: points[first] - points[second] - (start[first] - start[second])}
    margin[second] = -margin[first]
    assert totals == pytest.approx({side: margin[side] + bonus[side] for side in bonus})


def test_the_step_limit_truncates_and_does_not_terminate() -> None:
    aec = raw_env(scenario=CROSSING, max_steps=7)
    aec.reset(seed=1)
    _play_out(aec, 1)
    assert aec.steps == 7 and not aec.game_state.game_over


def test_only_the_agent_to_act_has_legal_actions_and_they_are_the_engines() -> None:
    aec = raw_env(scenario=CROSSING)
    aec.reset(seed=2)
    acting = aec.agent_selection
    other = next(a for a in aec.possible_agents if a != acting)
    assert acting == aec.game_state.acting_side
    assert aec.observe(other)["action_mask"].sum() == 0
    assert aec.observe(acting)["action_mask"].sum() == len(engine.legal_actions(aec.game_state))


def test_an_illegal_index_is_refused_with_its_block_named() -> None:
    aec = raw_env(scenario=CROSSING)
    aec.reset(seed=2)
    illegal = int(np.flatnonzero(aec.observe(aec.agent_selection)["action_mask"] == 0)[0])
    with pytest.raises(ValueError, match=r"to_hex slot \d+ of \d+\) is not legal for japanese now.*action_mask"):
        aec.step(illegal)


def test_state_shows_what_no_agent_sees_and_observations_do_not() -> None:
    aec = raw_env(scenario=CROSSING)
    aec.reset(seed=0)
    first = aec.possible_agents[0]
    encoder = aec.encoders[first]
    enemy = [encoder.channel[f"enemy:{t}"] for t in encoder.types]
    hidden = [
        u for u in aec.game_state.units if u.side != first and u.on_map and u not in engine.observe(aec.game_state, first).enemy_units
    ]
    assert hidden, "the crossing scenario starts with an enemy unit out of sight"
    total = sum(u.steps for u in aec.game_state.units if u.side != first and u.on_map)
    assert aec.state().shape == aec.state_space.shape
    assert aec.state()[enemy].sum() == total
    assert aec.observe(first)["observation"][enemy].sum() < total


def test_a_teachers_action_is_found_by_its_index_and_an_illegal_one_is_named() -> None:
    aec = raw_env(scenario=CROSSING)
    aec.reset(seed=2)
    legal = engine.legal_actions(aec.game_state)
    assert aec.legal_indices()[aec.index_of(legal[3])] == legal[3]
    with pytest.raises(ValueError, match="resolve is not a legal action of japanese now"):
        aec.index_of(Resolve())


@pytest.mark.parametrize("ask", ["state", "step", "observe", "render"])
def test_asking_for_the_game_before_a_reset_says_to_reset_first(ask: str) -> None:
    aec = raw_env(CROSSING, render_mode="ansi")
    calls = {"state": aec.state, "step": lambda: aec.step(0), "observe": lambda: aec.observe("soviet"), "render": aec.render}
    with pytest.raises(RuntimeError, match=r"call reset\(\) first"):
        calls[ask]()


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        (-1, ValueError, "not -1"),
        (2**64, ValueError, "not 18446744073709551616"),
        (1.0, TypeError, "not float 1.0"),
        (True, TypeError, "not bool True"),
        (float("nan"), TypeError, "not float nan"),
        ("abc", TypeError, "not str 'abc'"),
    ],
)
def test_a_seed_that_is_not_a_whole_number_a_record_holds_is_refused(seed: object, error: type, message: str) -> None:
    with pytest.raises(error, match=rf"seed must be a whole number from 0 to 2\*\*64-1.*{message}"):
        raw_env(scenario=CROSSING).reset(seed=seed)  # type: ignore[arg-type]


def test_a_numpy_seed_and_action_are_taken_as_the_numbers_they_hold() -> None:
    aec, same = raw_env(scenario=CROSSING), raw_env(scenario=CROSSING)
    aec.reset(seed=np.uint64(2**64 - 1))
    same.reset(seed=2**64 - 1)
    legal = min(aec.legal_indices())
    aec.step(np.array(legal))
    same.step(legal)
    assert aec.game_state == same.game_state


@pytest.mark.parametrize(
    ("action", "error", "message"),
    [
        (1.5, TypeError, r"an action is a whole number in the action space Discrete\(\d+\), not float 1.5"),
        (float("inf"), TypeError, "not float inf"),
        (np.array([1, 2]), TypeError, r"not ndarray array\(\[1, 2\]\)"),
        ("3", TypeError, "not str '3'"),
        (-1, ValueError, r"action -1 is outside the action space Discrete\((\d+)\) \(0\.\.\d+\)"),
        (10**30, ValueError, r"action 10{30} is outside the action space"),
    ],
)
def test_an_action_that_is_not_an_index_of_the_space_is_refused(action: object, error: type, message: str) -> None:
    aec = raw_env(scenario=CROSSING)
    aec.reset(seed=2)
    with pytest.raises(error, match=message):
        aec.step(action)  # type: ignore[arg-type]
