"""Batch runner figures: one game's wall time and memory, and games per minute by backend.

Run: .venv/bin/python benchmarks/batch.py [--seconds S] [--samples N] [SCENARIO ...]
(default: tests/data/crossing.yaml and every bundled scenario).

Per scenario, in a fresh process (so nothing else inflates the figures): the median wall time of
``--samples`` games, the peak the Python heap reaches while one game is played (tracemalloc),
and the process's maximum resident size after loading the scenario and after that one game.
Then the same seeds as a batch on 1 worker, 2 local processes and a local Dask cluster of 2
workers, sized so that one worker needs about ``--seconds``; the wall times include starting the
workers, as a user waits for them too.  Efficiency = rate / (workers x one worker's rate).
Figures, not assertions: tests never time anything.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from nomonhan.resources import bundled_scenario_paths
from nomonhan.sim.batch import cached_scenario, play_seed, run_batch

CROSSING = Path(__file__).resolve().parents[1] / "tests" / "data" / "crossing.yaml"
BACKENDS = (("1 worker", {"workers": 1}), ("2 processes", {"workers": 2}), ("dask local x2", {"local_cluster": 2}))


def _max_rss_mb() -> float:
    """ru_maxrss is in KiB on Linux but bytes on macOS."""
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def one_game_figures(ref: str, samples: int) -> dict[str, float]:
    """Run in a fresh process: memory of the first game, then the median time of ``samples``."""
    cached_scenario(ref)  # what a worker does first, kept out of the game's figures
    loaded_rss = _max_rss_mb()
    tracemalloc.start()
    play_seed(ref, 0, {})
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    game_rss = _max_rss_mb()
    times = []
    for seed in range(1, samples + 1):
        start = time.perf_counter()
        play_seed(ref, seed, {})
        times.append(time.perf_counter() - start)
    return {"median_s": statistics.median(times), "traced_peak_mb": traced_peak, "loaded_rss_mb": loaded_rss, "game_rss_mb": game_rss}


def in_fresh_process(ref: str, samples: int) -> dict[str, float]:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(one_game_figures, ref, samples).result()


def bench_scenario(ref: str, seconds: float, samples: int) -> None:
    figures = in_fresh_process(ref, samples)
    median = figures["median_s"]
    print(
        f"\n{ref}\n  one game: median {median * 1000:.1f} ms over {samples} games; "
        f"Python heap peak {figures['traced_peak_mb']:.1f} MB (tracemalloc); "
        f"process max RSS {figures['loaded_rss_mb']:.0f} MB loaded, {figures['game_rss_mb']:.0f} MB after one game"
    )
    runs = max(10, round(seconds / median))
    print(f"  {runs} games per batch")
    print(f"  {'backend':<15} {'wall s':>8} {'games/min':>10} {'efficiency':>10}")
    single_rate = None
    for label, options in BACKENDS:
        start = time.perf_counter()
        result = run_batch(ref, runs, progress=False, **options)
        wall = time.perf_counter() - start
        rate = len(result.games) / wall * 60
        single_rate = single_rate or rate
        print(f"  {label:<15} {wall:>8.2f} {rate:>10.0f} {rate / (result.workers * single_rate):>10.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", help="scenario ids or paths (default: the test scenario and all bundled)")
    parser.add_argument("--seconds", type=float, default=15.0, help="about how long one worker plays each batch")
    parser.add_argument("--samples", type=int, default=9, help="games timed one by one for the median")
    args = parser.parse_args()
    refs = args.scenarios or [str(CROSSING), *(str(p) for p in bundled_scenario_paths())]
    print(f"{multiprocessing.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    for ref in refs:
        try:
            bench_scenario(ref, args.seconds, args.samples)
        except Exception as exc:  # a scenario broken by work in progress must not hide the others' figures
            print(f"\n{ref}\n  failed: {type(exc).__name__}: {exc}")


if __name__ == "__main__":
    main()
