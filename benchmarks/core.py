"""The rules core's two paths side by side: unit-actions per second, fast against reference.

Run: .venv/bin/python benchmarks/core.py [--games N] [--equal SEEDS] [--keep-states]

Random against random on the 10x10 map with 12 v 5 units (Atlatl's reference size) and on
each bundled scenario, the same seeds on both paths (:mod:`nomonhan.corepath`), each path's
games one after another from an empty search cache.  A unit-action is any action but
``EndPhase``; the time is the whole headless game loop (players, observations, records), in
CPU seconds of this process (``time.process_time``), so that other work on a shared machine
does not count against either path.  Games keep their record only, as a batch's do
(``keep_states=False``); ``--keep-states`` keeps every state, as the window's games do.
``--equal SEEDS`` first plays SEEDS games per scenario through both paths in lockstep
(:func:`nomonhan.sim.pathcheck.compare_paths`) and stops at the first difference.
Figures, not assertions: tests never time anything.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_scenario  # noqa: E402

from nomonhan.actions import EndPhase  # noqa: E402
from nomonhan.ai.random_player import RandomPlayer  # noqa: E402
from nomonhan.corepath import reference_path  # noqa: E402
from nomonhan.resources import bundled_scenario_paths  # noqa: E402
from nomonhan.rules.visibility import forget_discs  # noqa: E402
from nomonhan.scenario.load import Scenario, load_scenario  # noqa: E402
from nomonhan.sim.pathcheck import compare_paths  # noqa: E402
from nomonhan.sim.run import play  # noqa: E402


def scenarios() -> list[Scenario]:
    return [synthetic_scenario(10, 10, (12, 5), seed=3, turns=10)] + [load_scenario(p) for p in bundled_scenario_paths()]


def timed_games(scenario: Scenario, games: int, keep_states: bool = False) -> float:
    """Unit-actions per CPU second of ``games`` random-vs-random games on the path in force.

    The board's search cache and the process's memo of spotting discs are emptied first (both
    paths fill them), then kept from game to game, as in a batch of games in one process."""
    players = {side: RandomPlayer() for side in scenario.side_ids}
    scenario.board.search_cache.clear()
    forget_discs()
    actions, start = 0, time.process_time()
    for seed in range(games):
        game = play(scenario, seed, players, keep_states=keep_states)
        actions += sum(1 for a in game.actions if not isinstance(a, EndPhase))
    return actions / (time.process_time() - start)


def bench(scenario: Scenario, games: int, keep_states: bool) -> tuple[float, float]:
    """Unit-actions per second of the reference path and of the fast path, the same seeds."""
    with reference_path():
        reference = timed_games(scenario, games, keep_states)
    return reference, timed_games(scenario, games, keep_states)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--games", type=int, default=10, help="games per scenario and path (default 10; 0: only --equal)")
    parser.add_argument("--equal", type=int, default=0, metavar="SEEDS", help="first prove the paths equal over SEEDS games a scenario")
    parser.add_argument("--keep-states", action="store_true", help="keep every state of each game, as the window does")
    args = parser.parse_args()
    chosen = scenarios()
    if args.equal:
        for scenario in chosen:
            start = time.perf_counter()
            decisions = sum(compare_paths(scenario, seed) for seed in range(args.equal))
            print(f"{scenario.id:20} {args.equal} games, {decisions} decisions: equal on both paths ({time.perf_counter() - start:.0f} s)")
    if args.games <= 0:
        return
    kept = "every state kept" if args.keep_states else "the record kept"
    print(f"Random against random, {args.games} games a scenario and path, {kept}: unit-actions per second (CPU time)")
    print("| scenario | reference | fast | speed-up |\n|---|---|---|---|")
    rates = {scenario.id: bench(scenario, args.games, args.keep_states) for scenario in chosen}
    print("\n".join(f"| {name} | {reference:,.0f} | {fast:,.0f} | {fast / reference:.2f}x |" for name, (reference, fast) in rates.items()))


if __name__ == "__main__":
    main()
