"""A policy written against the environments plays the game as a Player and sees the same."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nomonhan.env import PolicyPlayer, raw_env
from nomonhan.rng import Generator
from nomonhan.scenario.load import load_scenario
from nomonhan.sim.arena import run_arena
from nomonhan.sim.run import play

CROSSING = Path(__file__).parent / "data" / "crossing.yaml"


def _pick(observation: dict[str, np.ndarray]) -> int:
    """A choice that depends on every plane and global, so two different views choose apart.
    It never cancels a declaration (a deterministic choice could declare and cancel forever)."""
    mask = observation["action_mask"].copy()
    mask[len(mask) - 3] = 0  # the answers block is resolve, cancel, hold, end
    legal = np.flatnonzero(mask)
    signature = float(observation["observation"].sum() * 7 + (observation["observation"] ** 2).sum() + observation["globals"].sum())
    return int(legal[int(signature * 1000) % len(legal)])


class SignaturePolicy(PolicyPlayer):
    def act(self, observation: dict[str, np.ndarray], rng: Generator) -> int:
        return _pick(observation)


class IllegalPolicy(PolicyPlayer):
    def act(self, observation: dict[str, np.ndarray], rng: Generator) -> int:
        return int(np.flatnonzero(observation["action_mask"] == 0)[0])


@pytest.mark.parametrize("seed", [1, 4])  # games where an enemy passes through sight in its own turn
def test_a_policy_plays_as_a_player_exactly_as_in_the_environment(seed: int) -> None:
    scenario = load_scenario(CROSSING)
    game = play(scenario, seed, {side: SignaturePolicy() for side in scenario.side_ids})
    aec = raw_env(scenario=scenario)
    aec.reset(seed=seed)
    while not aec.game_state.game_over:
        aec.step(_pick(aec.observe(aec.agent_selection)))
    assert aec.steps == len(game.actions) and aec.game_state.digest() == game.state.digest()


def test_a_policy_plays_in_the_arena_by_import_path() -> None:
    result = run_arena(str(CROSSING), ["random", "test_env_policy:SignaturePolicy"], 1, workers=1)
    assert len(result.results) == 2


def test_a_policy_choosing_outside_the_mask_is_named() -> None:
    scenario = load_scenario(CROSSING)
    with pytest.raises(ValueError, match=r"IllegalPolicy chose action \d+ \(to_hex slot"):
        play(scenario, 5, {side: IllegalPolicy() for side in scenario.side_ids})
