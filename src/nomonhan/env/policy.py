"""A trained policy as a player: the bridge from the environments to the arena and the game.

Subclass :class:`PolicyPlayer` and write :meth:`~PolicyPlayer.act`, which is given exactly the
dict an environment gives the agent (planes, globals, action mask) and returns an action
index; the class keeps the side's memory of enemy sightings, encodes and decodes.  It then
implements the :class:`~nomonhan.ai.base.Player` protocol, so it plays in ``nomonhan arena``
(``--players mypackage.agents:MyPolicy``), in ``run`` and ``batch`` through the Python API, and
it sees the same observations as in training (the environments remember sightings at the
side's own decisions, as a player does).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nomonhan.actions import Action
from nomonhan.engine import Observation
from nomonhan.env.actions import ActionCodec
from nomonhan.env.observation import ObservationEncoder, Sightings
from nomonhan.rng import Generator


class PolicyPlayer:
    kind = "policy"

    def __init__(self) -> None:
        self._sightings = Sightings()
        self._coding: tuple[str, str, ObservationEncoder, ActionCodec] | None = None

    def act(self, observation: dict[str, np.ndarray], rng: Generator) -> int:
        """The index of the action to take; ``observation["action_mask"]`` is 1 on the legal ones."""
        raise NotImplementedError

    def encode(self, observation: Observation, legal_actions: Sequence[Action]) -> tuple[dict[str, np.ndarray], dict[int, Action]]:
        """The environment's observation dict for this decision, and index -> legal action."""
        if self._coding is None or self._coding[:2] != (observation.scenario.id, observation.side):
            scenario, side = observation.scenario, observation.side
            self._coding = (scenario.id, side, ObservationEncoder(scenario, side), ActionCodec(scenario, side))
            self._sightings = Sightings()
        _, _, encoder, codec = self._coding
        self._sightings.update(observation)
        indexed = codec.index_legal(legal_actions, {u.id: u.hex for u in observation.own_units})
        encoded = {
            "observation": encoder.planes(observation, self._sightings),
            "globals": encoder.globals(observation),
            "action_mask": codec.mask(indexed),
        }
        return encoded, indexed

    def choose(self, observation: Observation, legal_actions: Sequence[Action], rng: Generator) -> Action:
        encoded, indexed = self.encode(observation, legal_actions)
        index = int(self.act(encoded, rng))
        if index not in indexed:
            _, _, _, codec = self._coding  # type: ignore[misc]
            raise ValueError(f"{type(self).__name__} chose action {codec.describe(index)}, which is not legal now")
        return indexed[index]
