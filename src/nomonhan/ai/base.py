"""The player protocol shared by computer players, the front end and tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from nomonhan.actions import Action
from nomonhan.engine import Observation
from nomonhan.rng import Generator


class Player(Protocol):
    kind: str

    def choose(self, observation: Observation, legal_actions: Sequence[Action], rng: Generator) -> Action:
        """Pick one of ``legal_actions``; ``observation`` is all the player may know."""
        ...
