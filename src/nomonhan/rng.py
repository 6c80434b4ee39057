"""A tiny deterministic PRNG whose whole state is one integer (splitmix64).

It lives inside the game state so that a game is fully determined by scenario, seed and
actions on any machine and any Python version; ``random.Random`` gives no such promise across
versions, and its state is not a value that can be hashed into a digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

_MASK = (1 << 64) - 1


def next_u64(state: int) -> tuple[int, int]:
    """One splitmix64 step: returns (64-bit output, new state)."""
    state = (state + 0x9E3779B97F4A7C15) & _MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31), state


def roll(state: int, sides: int) -> tuple[int, int]:
    """An unbiased value in ``1..sides`` and the new state (rejection sampling, no modulo bias)."""
    if sides < 1:
        raise ValueError("sides must be >= 1")
    limit = (1 << 64) - ((1 << 64) % sides)
    while True:
        value, state = next_u64(state)
        if value < limit:
            return value % sides + 1, state


def seed_state(seed: int) -> int:
    """Turn any integer seed into a starting state (so seeds 0, 1, 2 are not near each other)."""
    value, _ = next_u64(seed & _MASK)
    return value


def derive(seed: int, *purpose: str) -> int:
    """A 64-bit starting state for one stream of a game (``"game"``, ``"player", side``, ...).

    BLAKE2b is one-way: a player handed the stream ``derive(seed, "player", side)`` cannot work
    back to the seed, nor so to the game's dice (``derive(seed, "game")``).  A linear mix of the
    seed, as splitmix64's is, would give the seed away at the first draw.
    """
    text = "\x1f".join([str(seed), *purpose]).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8, person=b"nomonhan-rng").digest(), "big")


class Generator:
    """A mutable wrapper for players and tools that need their own stream; never the engine's."""

    def __init__(self, seed: int) -> None:
        self.state = seed_state(seed)

    @classmethod
    def for_player(cls, game_seed: int, side: str) -> Generator:
        """The generator of the player of ``side`` in the game of ``game_seed`` (see :func:`derive`)."""
        generator = cls(0)
        generator.state = derive(game_seed, "player", side)
        return generator

    def randint(self, low: int, high: int) -> int:
        value, self.state = roll(self.state, high - low + 1)
        return low + value - 1

    def choice(self, items: Sequence[T]) -> T:
        if not items:
            raise IndexError("choice from an empty sequence")
        return items[self.randint(0, len(items) - 1)]
