"""Computer players.  Each sees only its side's observation and draws from its own generator."""

from __future__ import annotations

from nomonhan.ai.base import Player
from nomonhan.ai.random_player import RandomPlayer

PLAYERS: dict[str, type] = {"random": RandomPlayer}


def make_player(kind: str) -> Player:
    try:
        return PLAYERS[kind]()
    except KeyError:
        raise ValueError(f"unknown player kind {kind!r}; known: {', '.join(sorted(PLAYERS))}") from None
