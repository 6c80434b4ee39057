"""Ratings from head-to-head games: Bradley-Terry with a side-advantage term.

The model: the player on the scenario's first side scores against the player on the second with
probability ``sigmoid(r_first - r_second + h)``, where ``h`` is what playing the first side is
worth in this scenario (a scenario is rarely balanced, so a rating that ignored the side each
player had would reward the luck of the draw).  A draw scores half.  Ratings are fitted by
maximum likelihood with a weak normal prior (so that a player who won every game gets a large
finite rating, not an infinite one), centred on 0, and reported on the Elo scale (400 points:
ten to one).  The 95% intervals come from a bootstrap over the games.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

ELO = 400 / math.log(10)
PRIOR = 0.01
"""Precision of the normal prior on each rating and on the side advantage (natural-log units)."""


@dataclass(frozen=True)
class Result:
    """One game: ``first`` played the scenario's first side, ``score`` is what ``first`` scored
    (1 a win, 0.5 a draw, 0 a loss)."""

    first: str
    second: str
    score: float


@dataclass(frozen=True)
class Ratings:
    ratings: dict[str, float]
    """Elo-scale rating of each player, centred on 0."""
    side_advantage: float
    """Elo points that playing the first side is worth."""


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def fit(players: Sequence[str], results: Sequence[Result], sweeps: int = 500) -> Ratings:
    """Maximum a posteriori Bradley-Terry ratings with a side advantage, by coordinate Newton steps
    (the log-likelihood is concave, so each step climbs and the sweeps converge)."""
    pairs: dict[tuple[str, str], list[float]] = {}
    for result in results:
        tally = pairs.setdefault((result.first, result.second), [0.0, 0.0])
        tally[0] += 1
        tally[1] += result.score
    rating = {player: 0.0 for player in players}
    side = 0.0
    for _ in range(sweeps):
        largest = 0.0
        for player in (*players, None):
            gradient = -PRIOR * (rating[player] if player is not None else side)
            curvature = PRIOR
            for (first, second), (games, score) in pairs.items():
                sign = 1 if player is None or player == first else -1 if player == second else 0
                if sign == 0:
                    continue
                p = _sigmoid(rating[first] - rating[second] + side)
                gradient += sign * (score - games * p)
                curvature += games * p * (1 - p)
            change = gradient / curvature
            if player is None:
                side += change
            else:
                rating[player] += change
            largest = max(largest, abs(change))
        if largest < 1e-10:
            break
    mean = sum(rating.values()) / len(rating)
    return Ratings({player: (value - mean) * ELO for player, value in rating.items()}, side * ELO)


def bootstrap(players: Sequence[str], results: Sequence[Result], samples: int = 200, seed: int = 0) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of each rating, and of the side advantage (key ``"side"``), over
    ``samples`` resamplings of the games with replacement."""
    chooser = random.Random(seed)
    draws: dict[str, list[float]] = {player: [] for player in (*players, "side")}
    for _ in range(samples):
        fitted = fit(players, chooser.choices(results, k=len(results)), sweeps=200)
        for player, value in fitted.ratings.items():
            draws[player].append(value)
        draws["side"].append(fitted.side_advantage)
    return {key: _percentiles(values) for key, values in draws.items()}


def _percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    last = len(ordered) - 1
    return ordered[round(0.025 * last)], ordered[round(0.975 * last)]
