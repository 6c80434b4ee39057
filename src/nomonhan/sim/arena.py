"""The arena: a round robin between players on both sides of a scenario, and their ratings.

Every ordered pair of distinct players plays ``games`` games, the first named on the
scenario's first side, so each pairing is played both ways round and a scenario's bias
towards one side is measured (:mod:`nomonhan.sim.rating`) rather than credited to a player.
Game ``k`` of every pairing uses seed ``seed_start + k``, so all pairings meet the same dice.
Unless given, ``seed_start`` is drawn from the operating system's randomness (and reported, so
the tournament can be played again): a game is a function of its seed, and an agent that could
guess the seed (the first games of a run from 0) could replay the game with its own actions and
see every unit hidden from it and every die to come.  The games run where ``batch`` runs them:
local processes or a Dask cluster.

A player is a built-in kind (``random``, ``heuristic``, ``search``) or a third party's class
named by import path, ``package.module:Class``: any class whose instances have ``choose(
observation, legal_actions, rng)`` (the :class:`~nomonhan.ai.base.Player` protocol), built with
no arguments, once per game, in the worker that plays it; or another program, ``cmd:COMMAND
ARGS``, speaking JSON lines (:mod:`nomonhan.ai.external`).
"""

from __future__ import annotations

import functools
import importlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nomonhan.actions import Action
from nomonhan.ai import PLAYERS, make_player
from nomonhan.ai.base import Player
from nomonhan.ai.external import ExternalPlayer, ExternalPlayerError
from nomonhan.engine import Observation
from nomonhan.replay import MAX_SEED
from nomonhan.rng import Generator
from nomonhan.rules.victory import outcome
from nomonhan.sim.batch import _backend, cached_scenario
from nomonhan.sim.rating import Ratings, Result, bootstrap, fit
from nomonhan.sim.run import play


class ArenaError(ValueError):
    """An arena that cannot be held as asked (a player that cannot be loaded, too few players)."""


def load_player(spec: str) -> Player:
    """A built-in player by kind, a third party's by ``package.module:Class``, or another program
    by ``cmd:COMMAND ARGS`` (see :mod:`nomonhan.ai.external`)."""
    if spec in PLAYERS:
        return make_player(spec)
    if spec.startswith("cmd:"):
        return ExternalPlayer(spec[len("cmd:") :])
    module_name, colon, class_name = spec.partition(":")
    if not colon or not module_name or not class_name:
        raise ArenaError(f"player {spec!r} is neither a built-in kind ({', '.join(sorted(PLAYERS))}), package.module:Class nor cmd:COMMAND")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ArenaError(f"player {spec!r}: cannot import {module_name} ({exc})") from None
    cls = getattr(module, class_name, None)
    if cls is None:
        raise ArenaError(f"player {spec!r}: {module_name} has no {class_name}")
    if not isinstance(cls, type):
        raise ArenaError(f"player {spec!r}: {module_name}.{class_name} is not a class (a player is a class with a choose method)")
    try:
        player: Player = cls()
    except TypeError as exc:  # its constructor wants arguments: the arena gives none
        raise ArenaError(f"player {spec!r}: {class_name}() cannot be made without arguments ({exc})") from None
    if not callable(getattr(player, "choose", None)):
        raise ArenaError(f"player {spec!r}: {class_name} has no choose(observation, legal_actions, rng) method")
    return player


@dataclass(frozen=True)
class Fixture:
    first: str
    second: str
    seed: int


def fixtures(players: Sequence[str], games: int, seed_start: int) -> list[Fixture]:
    """Every ordered pair of distinct players, ``games`` times, seeds ``seed_start`` on."""
    return [Fixture(a, b, seed_start + k) for a in players for b in players if a != b for k in range(games)]


class _Named:
    """A player whose failures name it: a class that raises, or answers with what is not a legal
    action, stops the arena with one line naming it, its side and the game's seed, where it gave a
    traceback or the engine's "None is not an action" (in-process players are trusted code, but a
    round robin of several should say whose fault stopped it).  A program's own errors
    (:class:`ExternalPlayerError`) name it already and pass as they are."""

    def __init__(self, player: Player, spec: str, side: str, seed: int) -> None:
        self.player, self.spec, self.side, self.seed = player, spec, side, seed
        self.kind = getattr(player, "kind", spec)  # the protocol asks for one; a class may lack it

    def choose(self, observation: Observation, legal_actions: Sequence[Action], rng: Generator) -> Action:
        where = f"player {self.spec!r} (as {self.side}, seed {self.seed})"
        try:
            action = self.player.choose(observation, legal_actions, rng)
        except ExternalPlayerError:
            raise
        except Exception as exc:  # a third party's code: any failure is its own
            raise ArenaError(f"{where} failed: {type(exc).__name__}: {exc}") from None
        if not isinstance(action, Action) or action not in legal_actions:
            raise ArenaError(f"{where} chose {action!r}, which is not one of its legal actions")
        return action


def play_fixture(scenario_ref: str, schedule: tuple[Fixture, ...], number: int) -> dict[str, Any]:
    """Play fixture ``number`` of ``schedule`` (module level, so a worker process can run it)."""
    fixture = schedule[number]
    scenario = cached_scenario(scenario_ref)
    first, second = scenario.side_ids
    players = {first: load_player(fixture.first), second: load_player(fixture.second)}
    named = {
        side: _Named(player, spec, side, fixture.seed) for (side, player), spec in zip(players.items(), (fixture.first, fixture.second))
    }
    try:
        game = play(scenario, fixture.seed, named, scenario_ref, keep_states=False)
    finally:
        for player in players.values():
            close = getattr(player, "close", None)
            if callable(close):
                close()
    result = outcome(game.state)
    winner = result.winner if result else "draw"
    score = 1.0 if winner == first else 0.0 if winner == second else 0.5
    return {"first": fixture.first, "second": fixture.second, "seed": fixture.seed, "score": score}


@dataclass(frozen=True)
class ArenaResult:
    players: tuple[str, ...]
    results: tuple[Result, ...]
    ratings: Ratings
    intervals: dict[str, tuple[float, float]]
    seed_start: int
    seeds: tuple[int, ...]
    """The seed of each game of ``results``, in the same order."""

    def record(self, player: str) -> tuple[int, int, int]:
        """(wins, draws, losses) of ``player`` over all its games, on either side."""
        wins = draws = losses = 0
        for result in self.results:
            if player not in (result.first, result.second):
                continue
            score = result.score if player == result.first else 1 - result.score
            wins += score == 1
            draws += score == 0.5
            losses += score == 0
        return wins, draws, losses

    def pairings(self) -> list[tuple[str, str, int, int, int]]:
        """(first, second, first's wins, draws, second's wins) per ordered pairing."""
        rows = []
        for first in self.players:
            for second in self.players:
                games = [r.score for r in self.results if (r.first, r.second) == (first, second)]
                if games:
                    rows.append((first, second, games.count(1.0), games.count(0.5), games.count(0.0)))
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "players": list(self.players),
            "ratings": {p: {"rating": self.ratings.ratings[p], "interval": list(self.intervals[p])} for p in self.players},
            "side_advantage": {"rating": self.ratings.side_advantage, "interval": list(self.intervals["side"])},
            "seed_start": self.seed_start,
            "games": [{"first": r.first, "second": r.second, "seed": seed, "score": r.score} for r, seed in zip(self.results, self.seeds)],
        }


def run_arena(
    scenario_ref: str,
    players: Sequence[str],
    games: int,
    workers: int | None = None,
    seed_start: int | None = None,
    cluster: str | None = None,
    local_cluster: int | None = None,
) -> ArenaResult:
    """Play the round robin on local processes, or a Dask cluster as ``batch`` does, and rate it
    (``seed_start`` None: drawn at random, see the module's docstring)."""
    if len(set(players)) < 2 or len(set(players)) != len(players):
        raise ArenaError(f"an arena needs at least two different players, each named once, not {list(players)}")
    if games < 1:
        raise ArenaError(f"games must be at least 1, not {games}")
    for spec in players:
        load_player(spec)  # fail here, with one clear line, rather than in every worker
    cached_scenario(scenario_ref)
    if seed_start is None:
        seed_start = secrets.randbelow(MAX_SEED - games + 2)
    schedule = tuple(fixtures(players, games, seed_start))
    task = functools.partial(play_fixture, scenario_ref, schedule)
    with _backend(workers, cluster, local_cluster, len(schedule)) as backend:
        played = sorted(
            backend.results(task, range(len(schedule))), key=lambda g: (players.index(g["first"]), players.index(g["second"]), g["seed"])
        )
    results = tuple(Result(g["first"], g["second"], g["score"]) for g in played)
    seeds = tuple(g["seed"] for g in played)
    return ArenaResult(tuple(players), results, fit(players, results), bootstrap(players, results), seed_start, seeds)


def print_arena(result: ArenaResult, sides: tuple[str, str], console: Any) -> None:
    """The rating table (best first), the side advantage, and each pairing's results."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="ratings (Bradley-Terry, Elo scale, 95% bootstrap intervals)")
    for column in ("player", "rating", "95% interval", "won", "drawn", "lost"):
        table.add_column(column, justify="left" if column == "player" else "right")
    for player in sorted(result.players, key=lambda p: -result.ratings.ratings[p]):
        low, high = result.intervals[player]
        table.add_row(
            escape(player), f"{result.ratings.ratings[player]:+.0f}", f"{low:+.0f} to {high:+.0f}", *map(str, result.record(player))
        )
    console.print(table)
    low, high = result.intervals["side"]
    console.print(
        f"playing {sides[0]} (the first side) is worth {result.ratings.side_advantage:+.0f} ({low:+.0f} to {high:+.0f})", highlight=False
    )
    pairings = Table(title=f"pairings ({sides[0]} vs {sides[1]})")
    for column in (sides[0], sides[1], f"{sides[0]} won", "drawn", f"{sides[1]} won"):
        pairings.add_column(column, justify="left" if column in sides else "right")
    for first, second, won, drawn, lost in result.pairings():
        pairings.add_row(escape(first), escape(second), str(won), str(drawn), str(lost))
    console.print(pairings)
    last = max(result.seeds)
    console.print(f"seeds {result.seed_start} to {last}: --seed-start {result.seed_start} plays the same games again", highlight=False)
