"""Statistics of a batch of games: win rates with confidence intervals, loss quartiles.

Pure functions of the per-game summaries (see :func:`nomonhan.sim.run.summary`), so a summary
can be recomputed from a saved batch result and tested without playing a game.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

LOSS_KINDS = ("men", "tanks", "armoured_cars", "guns", "steps")
Historical = Mapping[str, Mapping[str, Any]]
"""Historical losses per side, each a ``[low, high]`` range, with the text saying what they
cover: ``{side: {men: [lo, hi], ..., scope: "whole campaign ..."}}``."""


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval for a proportion (z = 1.96: 95 %).

    Chosen over the textbook normal interval because it stays inside [0, 1] and does not collapse
    to a zero width when a side never (or always) wins, which small batches often show.  With no
    games at all nothing is known: (0, 1).
    """
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be between 0 and n, not {successes} of {n}")
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half_width = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # At 0 (n) successes the lower (upper) end is exactly 0 (1); rounding would miss it by an ulp.
    lo = 0.0 if successes == 0 else centre - half_width
    hi = 1.0 if successes == n else centre + half_width
    return lo, hi


def quartiles(values: Iterable[float]) -> tuple[float, float, float]:
    """(first quartile, median, third quartile) by linear interpolation between order statistics.

    This is Hyndman and Fan's type 7, the default of numpy, R and spreadsheets (QUARTILE.INC), so
    the figures match what a reader recomputes from the CSV: the q-quantile of n sorted values
    sits at position (n - 1) * q.  A single value is its own quartiles.
    """
    data = sorted(values)
    if not data:
        raise ValueError("quartiles of no values")
    if len(data) == 1:
        return data[0], data[0], data[0]
    q1, median, q3 = statistics.quantiles(data, n=4, method="inclusive")
    return q1, median, q3


def spread(values: Sequence[float]) -> dict[str, float] | None:
    """Minimum, quartiles and maximum, or None for no values (a batch interrupted at once)."""
    if not values:
        return None
    q1, median, q3 = quartiles(values)
    return {"min": min(values), "q1": q1, "median": median, "q3": q3, "max": max(values)}


def rate(count: int, n: int) -> dict[str, Any]:
    lo, hi = wilson_interval(count, n)
    return {"count": count, "rate": count / n if n else None, "ci95": [lo, hi]}


def vp_margin(game: Mapping[str, Any], sides: Sequence[str]) -> int:
    """First side's victory points minus the second's: positive favours ``sides[0]``."""
    points: Mapping[str, int] = game["victory_points"]
    return points[sides[0]] - points[sides[1]]


def gross(game: Mapping[str, Any]) -> Mapping[str, Mapping[str, int]]:
    """A game's gross losses per side (everything lost, recovered steps included, as history
    counts them); a result written before they were recorded has only its net ones."""
    found: Mapping[str, Mapping[str, int]] = game.get("losses_gross") or game["losses"]
    return found


def summarise(games: Sequence[Mapping[str, Any]], sides: Sequence[str], historical: Historical | None = None) -> dict[str, Any]:
    """Win rates (a draw is a non-win for both sides), loss and turn spreads, VP margins.

    ``historical`` is passed through (as given) so the report can show it beside the losses.
    """
    n = len(games)
    wins = {side: sum(1 for g in games if g["winner"] == side) for side in sides}
    result: dict[str, Any] = {
        "games": n,
        "wins": {side: rate(count, n) for side, count in wins.items()},
        "draws": rate(n - sum(wins.values()), n),
        "losses": {side: {kind: spread([g["losses"][side][kind] for g in games]) for kind in LOSS_KINDS} for side in sides},
        "losses_gross": {side: {kind: spread([gross(g)[side][kind] for g in games]) for kind in LOSS_KINDS} for side in sides},
        "vp_margin": spread([vp_margin(g, sides) for g in games]),
        "turns_played": spread([g["turns_played"] for g in games]),
    }
    if historical is not None:
        result["historical"] = {
            side: {kind: figure if isinstance(figure, str) else list(figure) for kind, figure in kinds.items()}
            for side, kinds in historical.items()
        }
    return result
