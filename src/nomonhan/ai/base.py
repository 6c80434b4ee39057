"""The player protocol shared by computer players, the front end, the arena and tests.

Version 1 (``PLAYER_PROTOCOL``): a player has a ``kind`` (a short name for tables and records)
and ``choose(observation, legal_actions, rng)``, which returns one of ``legal_actions``.  The
observation is the side's information set (``nomonhan.engine.Observation``); ``rng`` is the
player's own generator, apart from the game's dice.  A change to either signature raises the
version, so a third-party player can say which it implements.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from nomonhan.actions import Action
from nomonhan.engine import Observation
from nomonhan.rng import Generator

PLAYER_PROTOCOL = 1


class Player(Protocol):
    kind: str

    def choose(self, observation: Observation, legal_actions: Sequence[Action], rng: Generator) -> Action:
        """Pick one of ``legal_actions``; ``observation`` is all the player may know."""
        ...
