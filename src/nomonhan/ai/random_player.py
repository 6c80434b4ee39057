"""The random player: uniform over the legal actions.  A baseline and a fuzzer for the rules."""

from __future__ import annotations

from collections.abc import Sequence

from nomonhan.actions import Action
from nomonhan.engine import Observation
from nomonhan.rng import Generator


class RandomPlayer:
    kind = "random"

    def choose(self, observation: Observation, legal_actions: Sequence[Action], rng: Generator) -> Action:
        return rng.choice(legal_actions)
