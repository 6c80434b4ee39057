"""The Gymnasium environment: one side played by the agent, the other by a built-in player.

Registered as ``nomonhan/KhalkhinGol-v0``, ``nomonhan/LakeKhasan-v0`` and
``nomonhan/BainTsagan-v0`` for the bundled battles, and ``nomonhan/Scenario-v0`` for any
scenario file (``gym.make("nomonhan/Scenario-v0", scenario="my.yaml")``).  Observations,
actions and rewards are the PettingZoo environment's (:mod:`nomonhan.env.aec`) for the agent's
side (paid on the margin as the side knows it, the difference to the true margin settled at the
game's end); the opponent's moves are played between the agent's, and their rewards to the agent
are summed into the agent's next reward.

Gymnasium has no action masks, so an index outside the mask is not refused: it changes
nothing in the game, earns ``-illegal_penalty`` and sets ``info["illegal_action"]``; the agent
is asked again.  ``truncated`` comes only after ``max_steps`` of the agent's actions, with no
settlement (the game has not ended).
"""

from __future__ import annotations

from typing import Any

import gymnasium

from nomonhan import engine
from nomonhan.ai import make_player
from nomonhan.ai.base import Player
from nomonhan.env.aec import ScenarioRef, action_index, checked_seed, raw_env
from nomonhan.rng import Generator

BUNDLED = {"KhalkhinGol": "khalkhin-gol-1939", "LakeKhasan": "lake-khasan-1938", "BainTsagan": "bain-tsagan-1939"}


class NomonhanEnv(gymnasium.Env):
    """One side of a Nomonhan battle against ``opponent`` (a player kind or a ``Player``)."""

    metadata = {"render_modes": ["ansi"], "render_fps": 1}

    def __init__(
        self,
        scenario: ScenarioRef = "khalkhin-gol-1939",
        side: str | None = None,
        opponent: str | Player = "heuristic",
        max_steps: int | None = None,
        win_reward: float = 1.0,
        illegal_penalty: float = 1.0,
        render_mode: str | None = None,
    ) -> None:
        self.game = raw_env(scenario=scenario, win_reward=win_reward, render_mode=render_mode)
        sides = self.game.possible_agents
        self.side = side or sides[0]
        if self.side not in sides:
            raise ValueError(f"unknown side {self.side!r}; the sides of {self.game.scenario.id} are {sides}")
        self.opponent_side = next(s for s in sides if s != self.side)
        self.opponent = make_player(opponent) if isinstance(opponent, str) else opponent
        self.max_steps = max_steps
        self.illegal_penalty = illegal_penalty
        self.render_mode = render_mode
        self.observation_space = self.game.observation_space(self.side)
        self.action_space = self.game.action_space(self.side)

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
        super().reset(seed=checked_seed(seed))
        game_seed = int(self.np_random.integers(2**62))
        self.game.reset(seed=game_seed)
        self._opponent_rng = Generator.for_player(game_seed, self.opponent_side)
        self.steps = 0
        reward = self._opponent_moves()
        # The game's seed is the trainer's (``self.game.seed_used``, to save or replay the game),
        # never the agent's: with it and its own actions an agent could replay the game and see
        # every hidden unit and every die to come.
        return self.game.observe(self.side), {"opponent_reward": reward}

    def _opponent_moves(self) -> float:
        """Let the opponent play until the agent must act or the game ends; the agent's rewards."""
        game = self.game
        reward = 0.0
        while not game.current.game_over and game.agent_selection == self.opponent_side:
            state = game.current
            action = self.opponent.choose(engine.observe(state, self.opponent_side), engine.legal_actions(state), self._opponent_rng)
            game.play(action)
            reward += game.rewards[self.side]
        return reward

    def step(self, action: int) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        game = self.game
        game.current  # noqa: B018 - before the first reset, the RuntimeError that says so
        index = action_index(action, game.action_spaces[self.side])
        self.steps += 1
        truncated = self.max_steps is not None and self.steps >= self.max_steps
        legal = game.legal_indices()
        if index not in legal:
            return game.observe(self.side), -self.illegal_penalty, False, truncated, {"illegal_action": True}
        game.play(legal[index])
        reward = game.rewards[self.side] + self._opponent_moves()
        terminated = game.current.game_over
        return game.observe(self.side), reward, terminated, truncated and not terminated, {}

    def render(self) -> str | None:
        return self.game.render()


ENTRY_POINT = f"{__name__}:NomonhanEnv"
"""Gymnasium's ``module:Class`` name for :class:`NomonhanEnv` (what ``gymnasium.make`` builds)."""


def register() -> None:
    """Register the environment ids with Gymnasium (done on ``import nomonhan.env``)."""
    for name, scenario in BUNDLED.items():
        env_id = f"nomonhan/{name}-v0"
        if env_id not in gymnasium.registry:
            gymnasium.register(env_id, entry_point=ENTRY_POINT, kwargs={"scenario": scenario}, disable_env_checker=True)
    if "nomonhan/Scenario-v0" not in gymnasium.registry:
        gymnasium.register("nomonhan/Scenario-v0", entry_point=ENTRY_POINT, disable_env_checker=True)
