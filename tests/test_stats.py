"""Batch statistics: the Wilson interval, quartiles and the batch summary."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nomonhan.sim.stats import quartiles, summarise, wilson_interval

SIDES = ("japanese", "soviet")


@st.composite
def proportions(draw: st.DrawFn, max_n: int = 100_000) -> tuple[int, int]:
    n = draw(st.integers(min_value=1, max_value=max_n))
    return draw(st.integers(min_value=0, max_value=n)), n


def test_wilson_known_values() -> None:
    # Textbook figures (Newcombe 1998, and 5 of 10 at 95 %).
    assert wilson_interval(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson_interval(81, 263) == pytest.approx((0.2553, 0.3662), abs=1e-4)


def test_wilson_without_games_knows_nothing() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)


@pytest.mark.parametrize("successes, n", [(-1, 5), (6, 5)])
def test_wilson_refuses_impossible_counts(successes: int, n: int) -> None:
    with pytest.raises(ValueError):
        wilson_interval(successes, n)


@given(proportions())
def test_wilson_holds_the_estimate_inside_0_1(case: tuple[int, int]) -> None:
    successes, n = case
    lo, hi = wilson_interval(successes, n)
    assert 0.0 <= lo <= successes / n <= hi <= 1.0


@given(proportions(max_n=10_000), st.integers(min_value=2, max_value=20))
def test_wilson_narrows_with_more_games(case: tuple[int, int], factor: int) -> None:
    successes, n = case
    lo, hi = wilson_interval(successes, n)
    more_lo, more_hi = wilson_interval(successes * factor, n * factor)
    assert more_hi - more_lo < hi - lo


@given(proportions())
def test_wilson_is_symmetric_between_wins_and_non_wins(case: tuple[int, int]) -> None:
    successes, n = case
    lo, hi = wilson_interval(successes, n)
    other_lo, other_hi = wilson_interval(n - successes, n)
    assert (lo, hi) == pytest.approx((1 - other_hi, 1 - other_lo), abs=1e-12)


@given(proportions(), st.floats(min_value=0.5, max_value=3.0))
def test_wilson_widens_with_confidence(case: tuple[int, int], z: float) -> None:
    successes, n = case
    lo, hi = wilson_interval(successes, n, z)
    wider_lo, wider_hi = wilson_interval(successes, n, z + 0.5)
    assert wider_lo <= lo and hi <= wider_hi


def test_quartiles_interpolate_like_numpy_default() -> None:
    assert quartiles([1, 2, 3, 4]) == (1.75, 2.5, 3.25)
    assert quartiles([7, 1, 3]) == (2.0, 3.0, 5.0)
    assert quartiles([4]) == (4, 4, 4)
    with pytest.raises(ValueError):
        quartiles([])


@given(st.lists(st.integers(min_value=-(10**6), max_value=10**6), min_size=1))
def test_quartiles_are_ordered_within_the_range(values: list[int]) -> None:
    q1, median, q3 = quartiles(values)
    assert min(values) <= q1 <= median <= q3 <= max(values)
    assert median == statistics.median(values)


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1), st.randoms())
def test_quartiles_ignore_order(values: list[int], random) -> None:
    shuffled = list(values)
    random.shuffle(shuffled)
    assert quartiles(shuffled) == quartiles(values)


@given(st.integers(min_value=-1000, max_value=1000), st.integers(min_value=1, max_value=50))
def test_quartiles_of_a_constant_are_the_constant(value: int, count: int) -> None:
    assert quartiles([value] * count) == (value, value, value)


def game(seed: int, winner: str, men: tuple[int, int] = (0, 0), vp: tuple[int, int] = (0, 0), turns: int = 4) -> dict:
    return {
        "seed": seed,
        "winner": winner,
        "turns_played": turns,
        "victory_points": dict(zip(SIDES, vp)),
        "losses": {side: {"men": m, "tanks": 0, "armoured_cars": 0, "guns": 0, "steps": 0} for side, m in zip(SIDES, men)},
    }


outcomes = st.sampled_from([*SIDES, "draw"])


@given(st.lists(outcomes, max_size=60))
def test_summary_counts_every_game_once_with_draws_as_non_wins(winners: list[str]) -> None:
    summary = summarise([game(n, w) for n, w in enumerate(winners)], SIDES)
    n = len(winners)
    assert summary["games"] == n
    assert sum(summary["wins"][s]["count"] for s in SIDES) + summary["draws"]["count"] == n
    for side in SIDES:
        entry = summary["wins"][side]
        assert entry["count"] == winners.count(side)
        assert entry["ci95"] == list(wilson_interval(entry["count"], n))
        if n:
            assert entry["rate"] == entry["count"] / n


def test_summary_spreads_losses_turns_and_vp_margin() -> None:
    games = [game(0, "japanese", (100, 10), (5, 0), 3), game(1, "soviet", (300, 30), (0, 5), 4), game(2, "draw", (200, 20), (2, 2), 5)]
    summary = summarise(games, SIDES)
    assert summary["losses"]["japanese"]["men"] == {"min": 100, "q1": 150, "median": 200, "q3": 250, "max": 300}
    assert summary["losses"]["soviet"]["men"]["median"] == 20
    assert summary["vp_margin"]["median"] == 0 and summary["vp_margin"]["max"] == 5
    assert summary["turns_played"]["median"] == 4
    assert "historical" not in summary


def test_summary_of_no_games_has_no_spreads() -> None:
    summary = summarise([], SIDES)
    assert summary["games"] == 0
    assert summary["wins"]["soviet"] == {"count": 0, "rate": None, "ci95": [0.0, 1.0]}
    assert summary["losses"]["soviet"]["men"] is None and summary["turns_played"] is None


def test_summary_carries_the_historical_figures() -> None:
    historical = {"soviet": {"men": (7000, 10000), "tanks": [200, 400]}}
    summary = summarise([game(0, "soviet")], SIDES, historical)
    assert summary["historical"] == {"soviet": {"men": [7000, 10000], "tanks": [200, 400]}}


def test_summary_carries_what_the_historical_figures_cover() -> None:
    historical = {"soviet": {"men": (7000, 10000), "scope": "whole campaign; the game: 20 Aug - 31 Aug 1939"}}
    summary = summarise([game(0, "soviet")], SIDES, historical)
    assert summary["historical"]["soviet"] == {"men": [7000, 10000], "scope": "whole campaign; the game: 20 Aug - 31 Aug 1939"}
