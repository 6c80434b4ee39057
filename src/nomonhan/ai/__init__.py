"""Computer players.  Each sees only its side's observation and draws from its own generator."""

from __future__ import annotations

from nomonhan.ai.base import Player
from nomonhan.ai.heuristic import HeuristicPlayer
from nomonhan.ai.mcts import TreeSearchPlayer
from nomonhan.ai.random_player import RandomPlayer
from nomonhan.ai.search import SearchPlayer

PLAYERS: dict[str, type[Player]] = {"random": RandomPlayer, "heuristic": HeuristicPlayer, "search": SearchPlayer, "mcts": TreeSearchPlayer}
DIFFICULTY = {"easy": "random", "normal": "heuristic", "hard": "mcts"}
"""Front-end difficulty levels and the player kind behind each.  Hard is the tree search: on no
side of a bundled scenario measured weaker than the heuristic or the temper search, and stronger
than the heuristic outside chance on more sides than the temper search (``docs/players.md``,
"Where Hard stands")."""
DEFAULT_PLAYER = "heuristic"


def make_player(kind: str) -> Player:
    try:
        return PLAYERS[kind]()
    except KeyError:
        raise ValueError(f"unknown player kind {kind!r}; known: {', '.join(sorted(PLAYERS))}") from None
