"""Nomonhan benchmarks: print speed figures.  Run: .venv/bin/python benchmarks/run.py

Figures, not assertions: tests never time anything.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_scenario  # noqa: E402

from nomonhan import engine  # noqa: E402
from nomonhan.actions import EndPhase  # noqa: E402
from nomonhan.ai.random_player import RandomPlayer  # noqa: E402
from nomonhan.rng import Generator  # noqa: E402
from nomonhan.sim.run import play  # noqa: E402


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_map_scaling() -> None:
    print("Legal actions and reachable hexes of one side (cold: no memoised searches)")
    print(f"{'map':>12} {'hexes':>7} {'units/side':>10} {'all reach ms':>13} {'per unit ms':>12} {'legal ms':>9} {'step ms':>8}")
    # Up to the scenario format's limits (80 x 80 hexes, 100 units: scenario/schema.py), which
    # the synthetic scenarios go through like any file.
    for scale, units in ((1, 12), (4, 25), (16, 50)):
        columns, rows = 20 * int(scale**0.5), 16 * int(scale**0.5)
        scenario = synthetic_scenario(columns, rows, (units, units), seed=scale)
        state = engine.new_game(scenario, seed=1)
        side_units = [u.id for u in state.units_of(state.active_side)]
        reach_times, legal_times, step_times = [], [], []
        for _ in range(5):
            scenario.board.search_cache.clear()
            fresh = engine.new_game(scenario, seed=1)
            start = time.perf_counter()
            for unit_id in side_units:
                engine.reach(fresh, unit_id)
            reach_times.append(time.perf_counter() - start)
            scenario.board.search_cache.clear()
            fresh = engine.new_game(scenario, seed=1)
            start = time.perf_counter()
            actions = engine.legal_actions(fresh)
            legal_times.append(time.perf_counter() - start)
            moves = [a for a in actions if not isinstance(a, EndPhase)]
            gen = Generator(5)
            for _ in range(20):
                action = gen.choice(moves)
                start = time.perf_counter()
                engine.step(fresh, action)
                step_times.append(time.perf_counter() - start)
        reach_ms = _median_ms(reach_times)
        print(
            f"{columns}x{rows:<8} {len(scenario.board.hexes):>7} {units:>10} {reach_ms:>13.1f} {reach_ms / units:>12.3f} "
            f"{_median_ms(legal_times):>9.1f} {_median_ms(step_times):>8.3f}"
        )


def bench_random_game() -> None:
    print("\nRandom players, 10x10 map, 12 against 5 units, 10 turns a side")
    scenario = synthetic_scenario(10, 10, (12, 5), seed=3, turns=10)
    players = {side: RandomPlayer() for side in scenario.side_ids}
    total_actions = total_unit_actions = 0
    start = time.perf_counter()
    games = 20
    for seed in range(games):
        game = play(scenario, seed, players)
        total_actions += len(game.actions)
        total_unit_actions += sum(1 for a in game.actions if not isinstance(a, EndPhase))
    elapsed = time.perf_counter() - start
    print(f"{games} games, {total_unit_actions} unit-actions ({total_actions} actions) in {elapsed:.2f} s")
    print(f"unit-actions per second: {total_unit_actions / elapsed:,.0f}   games per second: {games / elapsed:.1f}")


def bench_scenario_loading() -> None:
    """Loading a bundled scenario: parse, validate, cross-check, compile the board (fresh rules cache each time)."""
    from nomonhan.resources import bundled_scenario_paths
    from nomonhan.scenario import load as loader

    print("\nLoading the bundled scenarios (median of 5)")
    for path in bundled_scenario_paths():
        times = []
        for _ in range(5):
            loader.clear_rules_cache()
            start = time.perf_counter()
            loader.load_scenario(path)
            times.append(time.perf_counter() - start)
        print(f"{path.stem:20} {_median_ms(times):7.0f} ms")


if __name__ == "__main__":
    bench_map_scaling()
    bench_random_game()
    bench_scenario_loading()
