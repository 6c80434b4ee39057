"""CPU time of whole games with the default players on one core, per bundled scenario.

Run: .venv/bin/python benchmarks/games.py [--seeds N]

The rules' second edition promises a game of each scenario in under 2 s with the default
players (issue #14); this prints the figure.  Process time, not wall time, so that a busy
machine does not inflate it.  Figures, not assertions: tests never time anything.
"""

from __future__ import annotations

import argparse
import statistics
import time

from nomonhan.resources import bundled_scenario_paths
from nomonhan.scenario.load import load_scenario
from nomonhan.sim.run import play, players_for


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="games per scenario (seeds 0..N-1)")
    seeds = parser.parse_args().seeds
    print(f"{'scenario':<22} {'median s':>9} {'max s':>7}   (CPU seconds a game, default players, seeds 0-{seeds - 1})")
    for path in bundled_scenario_paths():
        scenario = load_scenario(path)
        times = []
        for seed in range(seeds):
            start = time.process_time()
            play(scenario, seed, players_for(scenario, {}))
            times.append(time.process_time() - start)
        print(f"{scenario.id:<22} {statistics.median(times):>9.2f} {max(times):>7.2f}")


if __name__ == "__main__":
    main()
