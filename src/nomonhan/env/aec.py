"""The PettingZoo AEC environment: one agent per side, taking turns as the rules say.

Each agent's observation is a dict: ``observation`` (the planes), ``globals`` (a vector) and
``action_mask`` (``int8``, 1 on the legal action indices), all built from that side's
``engine.observe`` alone (see :mod:`nomonhan.env.observation` and :mod:`nomonhan.env.actions`).
The agent to act is the side that owes the next decision: the active side, or the side that
must answer a pending retreat or advance.  The other agent's mask is all zeros.  The last-seen planes hold what the agent saw at its own
decisions, as a player given observations only at its decisions would remember it; so a policy
trained here sees the same in the arena (:class:`nomonhan.env.policy.PolicyPlayer`).

Rewards, for both agents after every step: the change in the agent's victory-point margin as
its side knows it (:mod:`nomonhan.env.score`: its points less the enemy's, scored by the
scenario's rules on the objectives' holders as last seen, the points banked, its own losses and
the enemy's losses it saw), so a reward is a function of what the agent's side knows, as its
observation is.  At the game's end (termination) each agent is also paid the settlement, the
true final margin (:func:`nomonhan.rules.victory.victory_points`) less the margin it knew, and
``win_reward`` if it won, ``-win_reward`` if it lost, 0 in a draw: so a game's rewards sum to
the final margin less the margin known at the start (in a new game, the true starting one),
plus the win reward.  A truncation pays no settlement: the game goes on past it, and a trainer
that bootstraps a truncated episode from the last observation values what is still to come,
the settlement at the real end included; paid at the cut as well, it would count twice.

``terminated`` is set for both agents when the rules end the game (its last turn played, or a
sudden death); ``truncated`` only when ``max_steps`` actions (both sides') have been taken.
``state()`` is the first side's planes with every unit shown and every hex in sight, for
centralised training; no agent is ever given it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from gymnasium import spaces
from pettingzoo import AECEnv
from pettingzoo.utils import wrappers

from nomonhan import engine
from nomonhan.actions import Action
from nomonhan.env.actions import ActionCodec
from nomonhan.env.observation import GLOBAL_NAMES, ObservationEncoder, Sightings, full_information
from nomonhan.env.score import KnownScore
from nomonhan.events import Event, UnitEliminated
from nomonhan.replay import MAX_SEED
from nomonhan.rules.victory import outcome, victory_points
from nomonhan.scenario.load import Scenario, load_scenario
from nomonhan.state import GameState

ScenarioRef = str | Path | Scenario


def as_scenario(scenario: ScenarioRef) -> Scenario:
    """A loaded scenario, from a bundled id, a path to any scenario file, or a Scenario."""
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


BOUND = 1e6
"""Above any count of steps, move points, victory points or turns a plane or global can hold."""


def observation_space(encoder: ObservationEncoder, codec: ActionCodec) -> spaces.Dict:
    return spaces.Dict(
        {
            "observation": spaces.Box(0, BOUND, encoder.plane_shape, dtype=np.float32),
            "globals": spaces.Box(-1, BOUND, (len(GLOBAL_NAMES),), dtype=np.float32),
            "action_mask": spaces.Box(0, 1, (codec.n,), dtype=np.int8),
        }
    )


def checked_seed(seed: object) -> int | None:
    """A game's seed as ``reset`` takes it: None, or a whole number a record can hold.  A float,
    a bool or text would be turned into some other game's seed (``1.0`` and ``True`` into 1's)."""
    if seed is None:
        return None
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be a whole number from 0 to 2**64-1, or None; not {type(seed).__name__} {_shown(seed)}")
    if not 0 <= int(seed) <= MAX_SEED:
        raise ValueError(f"seed must be a whole number from 0 to 2**64-1, not {_shown(seed)}")
    return int(seed)


def action_index(action: object, space: spaces.Discrete) -> int:
    """An action as ``step`` takes it: a whole number (a NumPy integer, or an array holding one)
    inside the action space; anything else is refused rather than rounded or truncated."""
    value = action.item() if isinstance(action, np.ndarray) and action.shape == () else action
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"an action is a whole number in the action space {space}, not {type(action).__name__} {_shown(action)}")
    if not 0 <= int(value) < int(space.n):
        raise ValueError(f"action {_shown(value)} is outside the action space {space} (0..{int(space.n) - 1})")
    return int(value)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:60]}..."


class raw_env(AECEnv):  # noqa: N801 - PettingZoo's name for the unwrapped environment
    """Nomonhan as a two-agent AEC game (see the module docstring for observations and rewards)."""

    metadata: dict[str, Any] = {"name": "nomonhan_v0", "render_modes": ["ansi"], "render_fps": 1, "is_parallelizable": False}

    def __init__(
        self,
        scenario: ScenarioRef = "khalkhin-gol-1939",
        max_steps: int | None = None,
        win_reward: float = 1.0,
        render_mode: str | None = None,
    ) -> None:
        super().__init__()
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None, not {render_mode!r}")
        self.scenario = as_scenario(scenario)
        self.max_steps = max_steps
        self.win_reward = win_reward
        self.render_mode = render_mode
        self.possible_agents = list(self.scenario.side_ids)
        self.codecs = {side: ActionCodec(self.scenario, side) for side in self.possible_agents}
        self.encoders = {side: ObservationEncoder(self.scenario, side) for side in self.possible_agents}
        self.observation_spaces = {side: observation_space(self.encoders[side], self.codecs[side]) for side in self.possible_agents}
        self.action_spaces = {side: spaces.Discrete(self.codecs[side].n) for side in self.possible_agents}
        self.state_space = spaces.Box(0, BOUND, self.encoders[self.possible_agents[0]].plane_shape, dtype=np.float32)
        self.game_state: GameState | None = None

    def observation_space(self, agent: str) -> spaces.Space[Any]:
        return self.observation_spaces[agent]

    def action_space(self, agent: str) -> spaces.Space[Any]:
        return self.action_spaces[agent]

    def reset(self, seed: int | None = None, options: dict[str, Any] | None = None) -> None:
        # the game's seed: the one given, or a fresh one from the system's entropy
        given = checked_seed(seed)
        self.seed_used = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> 1) if given is None else given
        self._begin(engine.new_game(self.scenario, self.seed_used))

    def start_from(self, state: GameState) -> None:
        """Go on from ``state`` (a position from a game record, or a test's), as if just reset:
        each side remembers and knows only what its observation of ``state`` shows."""
        self.seed_used = 0
        self._begin(state)

    def _begin(self, state: GameState) -> None:
        self.game_state = state
        self.agents = list(self.possible_agents)
        self.rewards = {agent: 0.0 for agent in self.agents}
        self._cumulative_rewards = {agent: 0.0 for agent in self.agents}
        self.terminations = {agent: False for agent in self.agents}
        self.truncations = {agent: False for agent in self.agents}
        self.infos: dict[str, dict[str, Any]] = {agent: {} for agent in self.agents}
        self.sightings = {agent: Sightings() for agent in self.agents}
        self.scores = {agent: KnownScore(self.scenario, agent) for agent in self.agents}
        self.steps = 0
        self._after_change()
        self._margins = self._known_margins()

    @property
    def current(self) -> GameState:
        """The game now (before the first :meth:`reset` there is none, and this says so)."""
        if self.game_state is None:
            raise RuntimeError("the environment has no game yet: call reset() first")
        return self.game_state

    def _known_margins(self) -> dict[str, float]:
        """Each side's margin as it knows it (what the rewards pay the change of)."""
        return {side: float(self.scores[side].margin(self._observations[side])) for side in self.possible_agents}

    def true_margins(self) -> dict[str, float]:
        """Each side's true margin, its points less the enemy's: the trainer's to read, paid to
        the agents only at the game's end."""
        points = victory_points(self.current)
        first, second = self.possible_agents
        return {first: float(points[first] - points[second]), second: float(points[second] - points[first])}

    def _after_change(self, before: GameState | None = None, events: list[Event] | None = None) -> None:
        """The sides' observations of the game now, and what each learnt from the action that
        led from ``before`` with ``events`` (None: a game just begun)."""
        state = self.game_state
        assert state is not None
        self._observations: dict[str, engine.Observation] = {side: engine.observe(state, side) for side in self.possible_agents}
        eliminations: list[Event] = [e for e in events or () if isinstance(e, UnitEliminated)]
        for side, score in self.scores.items():
            told = engine.events_for(side, before, state, eliminations) if before is not None and eliminations else ()
            score.learn(self._observations[side], told)
        self._legal: dict[int, Action] | None = None
        self._cache: dict[str, dict[str, np.ndarray]] = {}
        self.agent_selection = state.acting_side
        # remembered at the side's own decisions, as a Player (and so PolicyPlayer) remembers
        self.sightings[self.agent_selection].update(self._observations[self.agent_selection])

    def legal_indices(self) -> dict[int, Action]:
        """Index -> action for the acting agent's legal actions now."""
        if self._legal is None:
            state = self.game_state
            assert state is not None
            side = state.acting_side
            positions = {u.id: u.hex for u in self._observations[side].own_units}
            self._legal = self.codecs[side].index_legal(engine.legal_actions(state), positions)
        return self._legal

    def index_of(self, action: Action) -> int:
        """The index of one of the acting agent's legal actions (to record a teacher's choice)."""
        found = next((index for index, legal in self.legal_indices().items() if legal == action), None)
        if found is None:
            raise ValueError(f"{action.notation()} is not a legal action of {self.agent_selection} now")
        return found

    def observe(self, agent: str) -> dict[str, np.ndarray]:
        self.current  # noqa: B018 - before the first reset, the RuntimeError that says so
        found = self._cache.get(agent)
        if found is None:
            seen = self._observations[agent]
            acting = agent == self.agent_selection and not (self.terminations[agent] or self.truncations[agent])
            mask = self.codecs[agent].mask(self.legal_indices() if acting else ())
            encoder = self.encoders[agent]
            found = self._cache[agent] = {
                "observation": encoder.planes(seen, self.sightings[agent]),
                "globals": encoder.globals(seen),
                "action_mask": mask,
            }
        return {key: value.copy() for key, value in found.items()}  # the caller may keep or change it

    def state(self) -> np.ndarray:
        first = self.possible_agents[0]
        return self.encoders[first].planes(full_information(self.current, first))

    def step(self, action: int | None) -> None:
        self.current  # noqa: B018 - before the first reset, the RuntimeError that says so
        agent = self.agent_selection
        if self.terminations[agent] or self.truncations[agent]:
            self._was_dead_step(action)
            return
        legal = self.legal_indices()
        index = None if action is None else action_index(action, self.action_spaces[agent])
        if index is None or index not in legal:
            described = "None" if index is None else self.codecs[agent].describe(index)
            raise ValueError(f"action {described} is not legal for {agent} now; choose where observation['action_mask'] is 1")
        self.play(legal[index])

    def play(self, action: Action) -> None:
        """Carry out an engine action for the agent to act (the index-free form of :meth:`step`)."""
        agent = self.agent_selection
        self._cumulative_rewards[agent] = 0.0
        before = self.current
        self.game_state, events = engine.step(before, action)
        self.steps += 1
        self._after_change(before, events)
        margins = self._known_margins()
        self.rewards = {side: margins[side] - self._margins[side] for side in self.agents}
        self._margins = margins
        if self.game_state.game_over:
            settled = self.true_margins()
            result = outcome(self.game_state)
            for side in self.agents:
                self.rewards[side] += settled[side] - margins[side]  # what the side did not know, paid now
                if result is not None and result.winner in self.agents:
                    self.rewards[side] += self.win_reward if result.winner == side else -self.win_reward
                self.terminations[side] = True
        elif self.max_steps is not None and self.steps >= self.max_steps:
            self.truncations = {side: True for side in self.agents}
        self._accumulate_rewards()

    def render(self) -> str | None:
        if self.render_mode is None:
            return None
        state = self.current
        clock = f"turn {state.turn} {state.active_side} {state.phase.value}"
        points = ", ".join(f"{side} {value}" for side, value in victory_points(state).items())
        if state.game_over:
            return f"{clock}; game over; points {points}"
        known = ", ".join(f"{side} {margin:+g}" for side, margin in self._margins.items())
        return f"{clock}; to act: {state.acting_side}; margins as each side knows them: {known}; true points (the trainer's view, no agent's): {points}"

    def close(self) -> None:
        pass


def env(**kwargs: Any) -> AECEnv:
    """The AEC environment wrapped as PettingZoo recommends (checks the call order)."""
    return wrappers.OrderEnforcingWrapper(raw_env(**kwargs))
