"""The Gymnasium environment: Gymnasium's checker, the registered ids, vectors, an opponent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import nomonhan.env  # noqa: F401 - registers the ids
from nomonhan.env import NomonhanEnv

CROSSING = str(Path(__file__).parent / "data" / "crossing.yaml")


def test_gymnasium_check_env_passes() -> None:
    check_env(gym.make("nomonhan/Scenario-v0", scenario=CROSSING, opponent="random", max_steps=40).unwrapped)


@pytest.mark.parametrize(
    ("env_id", "side", "size"),
    [
        ("nomonhan/KhalkhinGol-v0", "soviet", 57439),
        ("nomonhan/LakeKhasan-v0", "japanese", 4784),
        ("nomonhan/BainTsagan-v0", "japanese", 30754),
    ],
)
def test_each_bundled_battle_is_registered_with_the_action_space_documented(env_id: str, side: str, size: int) -> None:
    environment = gym.make(env_id, opponent="random")
    observation, _info = environment.reset(seed=0)
    assert environment.unwrapped.side == side and environment.action_space.n == size
    assert environment.observation_space.contains(observation) and observation["action_mask"].any()


def _masked_random_episode(environment: gym.Env, seed: int) -> tuple[float, bool, bool]:
    rng = np.random.default_rng(seed)
    observation, _info = environment.reset(seed=seed)
    total, terminated, truncated = 0.0, False, False
    while not (terminated or truncated):
        action = int(rng.choice(np.flatnonzero(observation["action_mask"])))
        observation, reward, terminated, truncated, _info = environment.step(action)
        total += reward
    return total, terminated, truncated


def test_a_game_against_the_heuristic_player_ends_terminated() -> None:
    environment = NomonhanEnv(scenario=CROSSING, side="soviet", opponent="heuristic")
    _total, terminated, truncated = _masked_random_episode(environment, 3)
    assert terminated and not truncated and environment.game.game_state.game_over


def test_an_illegal_index_changes_nothing_and_is_penalised() -> None:
    environment = NomonhanEnv(scenario=CROSSING, opponent="random", illegal_penalty=2.0, max_steps=2)
    observation, _info = environment.reset(seed=1)
    before = environment.game.game_state
    illegal = int(np.flatnonzero(observation["action_mask"] == 0)[0])
    after, reward, terminated, truncated, info = environment.step(illegal)
    assert environment.game.game_state is before and reward == -2.0 and info == {"illegal_action": True}
    assert not terminated and not truncated
    assert environment.step(illegal)[3], "the step limit counts every action"


def test_a_bad_seed_or_action_is_refused_and_a_step_before_reset_says_so() -> None:
    environment = NomonhanEnv(scenario=CROSSING, opponent="random")
    with pytest.raises(RuntimeError, match=r"call reset\(\) first"):
        environment.step(0)
    with pytest.raises(TypeError, match="seed must be a whole number"):
        environment.reset(seed=1.0)  # type: ignore[arg-type]
    environment.reset(seed=1)
    with pytest.raises(TypeError, match=r"an action is a whole number in the action space Discrete\(\d+\), not float 1.5"):
        environment.step(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="action -1 is outside the action space"):
        environment.step(-1)


def test_an_unknown_side_is_named_with_the_real_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown side 'mongolian'.*\['japanese', 'soviet'\]"):
        NomonhanEnv(scenario=CROSSING, side="mongolian")


def test_it_runs_in_an_async_vector_of_two() -> None:
    vector = gym.vector.AsyncVectorEnv([lambda: gym.make("nomonhan/Scenario-v0", scenario=CROSSING, opponent="random", max_steps=30)] * 2)
    try:
        observations, _infos = vector.reset(seed=[5, 6])
        rng = np.random.default_rng(0)
        for _ in range(10):
            actions = [int(rng.choice(np.flatnonzero(mask))) for mask in observations["action_mask"]]
            observations, rewards, _terminated, _truncated, _infos = vector.step(np.array(actions))
        assert observations["observation"].shape[0] == 2 and rewards.shape == (2,)
    finally:
        vector.close()


def test_an_id_naming_its_module_needs_no_import_first() -> None:
    code = "import gymnasium as gym; print(gym.make('nomonhan.env:nomonhan/LakeKhasan-v0').action_space)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "Discrete(4784)", done.stderr


def test_the_agent_is_not_given_the_game_seed() -> None:
    """With the seed and its own actions an agent could replay the game and see every hidden
    unit and every die to come: ``reset``'s info leaves it out; the trainer finds it on the game."""
    environment = NomonhanEnv(scenario=CROSSING, opponent="random")
    _observation, info = environment.reset()
    assert set(info) == {"opponent_reward"}
    assert environment.game.game_state.rng_state is not None and isinstance(environment.game.seed_used, int)
