"""Computer players' strength and thinking time.  Run: .venv/bin/python benchmarks/players.py

Prints, for every bundled scenario and side:
- heuristic against random: wins out of N games with a 95% Wilson interval (draws count as
  non-wins);
- for each ``--compare NEW:OLD`` (default ``search:heuristic``): the change in that side's mean
  victory-point margin when ``NEW`` replaces ``OLD`` on it, same seeds, same heuristic opponent,
  with a 95% interval of the paired differences;
- thinking time per player turn, in CPU seconds of the process (one core, whatever else the
  machine is running);
- with ``--no-hints``, every game is played on the scenario with its ``ai_hints`` removed (the
  variant ``--set ai_hints={}``), and heuristic against random also prints the mean margin of
  the *hinted* heuristic on the same seeds and the share of it the hint-free one keeps;
- with ``--distinct N``, how many distinct results (men, tanks and guns lost per side) the
  default players give over N seeds.

Options: --games N (heuristic vs random, default 100), --seeds M (the comparisons, default 50;
--seed-start S: seeds S to S+M-1),
--compare NEW:OLD (repeatable; a kind may carry settings, ``search[horizon=6]``), --distinct N (default 0), --scenario ID (repeatable), --side ID (repeatable), --workers K.
A count of 0 skips that part.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction
from typing import Any

from nomonhan import engine
from nomonhan.ai import PLAYERS, make_player
from nomonhan.replay import Game
from nomonhan.resources import bundled_scenario_paths
from nomonhan.rng import Generator
from nomonhan.rules.victory import losses, outcome, victory_points
from nomonhan.scenario.load import load_scenario
from nomonhan.scenario.variants import Variant
from nomonhan.sim.stats import wilson_interval

_SCENARIOS: dict[str, Any] = {}


def _scenario(ref: str):  # type: ignore[no-untyped-def]
    if ref not in _SCENARIOS:
        _SCENARIOS[ref] = load_scenario(ref)
    return _SCENARIOS[ref]


def player(spec: str) -> Any:
    """A player from its kind, with settings to try in brackets: ``search[horizon=6,rollouts=3]``
    (whole numbers, or fractions such as ``switch_margin=1/2``)."""
    kind, _, settings = spec.partition("[")
    if not settings:
        return make_player(kind)
    values = dict(item.split("=") for item in settings.rstrip("]").split(","))
    return PLAYERS[kind](**{name: Fraction(value) if "/" in value else int(value) for name, value in values.items()})


def timed_game(ref: str, seed: int, kinds: dict[str, str]) -> dict[str, Any]:
    """Play one game; return winner, VP margins and seconds spent choosing, per side."""
    scenario = _scenario(ref)
    players = {side: player(kinds[side]) for side in scenario.side_ids}
    generators = {side: Generator.for_player(seed, side) for side in scenario.side_ids}
    game = Game.start(scenario, seed, ref)
    thinking = {side: 0.0 for side in scenario.side_ids}
    player_turns = {side: 0 for side in scenario.side_ids}
    last = None
    while not game.state.game_over:
        state = game.state
        side = state.acting_side
        if (state.turn, state.active_side) != last:
            last = (state.turn, state.active_side)
            player_turns[state.active_side] += 1
        start = time.process_time()
        action = players[side].choose(engine.observe(state, side), engine.legal_actions(state), generators[side])
        thinking[side] += time.process_time() - start
        game.play(action)
    points = victory_points(game.state)
    first, second = scenario.side_ids
    return {
        "winner": outcome(game.state).winner,  # type: ignore[union-attr]
        "margin": {first: points[first] - points[second], second: points[second] - points[first]},
        "seconds_per_turn": {s: thinking[s] / max(player_turns[s], 1) for s in scenario.side_ids},
        "losses": tuple((lost.men, lost.tanks, lost.guns) for lost in (losses(game.state, s) for s in scenario.side_ids)),
    }


def _run(jobs: list[tuple[str, int, dict[str, str]]], workers: int) -> list[dict[str, Any]]:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(timed_game, *zip(*jobs), chunksize=4))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=100)
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--seed-start", type=int, default=0, help="first seed of the comparisons (default 0)")
    parser.add_argument("--distinct", type=int, default=0)
    parser.add_argument(
        "--compare",
        action="append",
        metavar="NEW:OLD",
        help="player kinds to compare on the same seeds (repeatable; default search:heuristic)",
    )
    parser.add_argument("--no-hints", action="store_true", help="play every scenario with its ai_hints removed")
    parser.add_argument("--scenario", action="append")
    parser.add_argument("--side", action="append", help="only this side as the hero (repeatable)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    for name in args.scenario or [p.stem for p in bundled_scenario_paths()]:
        ref = Variant.create(name, ["ai_hints={}"]).ref if args.no_hints else name
        sides = _scenario(ref).side_ids
        heroes = [s for s in sides if not args.side or s in args.side]
        label = f"{name}{' (no hints)' if args.no_hints else ''}"
        if args.distinct:
            results = _run([(ref, seed, {s: "heuristic" for s in sides}) for seed in range(args.distinct)], args.workers)
            print(f"{label:30} heuristic vs heuristic: {len({r['losses'] for r in results})} distinct results in {args.distinct} seeds")
        for hero in heroes if args.games else ():
            other = next(s for s in sides if s != hero)
            results = _run([(ref, seed, {hero: "heuristic", other: "random"}) for seed in range(args.games)], args.workers)
            wins = sum(r["winner"] == hero for r in results)
            low, high = wilson_interval(wins, len(results))
            think = statistics.median(r["seconds_per_turn"][hero] for r in results)
            margin = statistics.mean(r["margin"][hero] for r in results)
            print(
                f"{label:30} heuristic as {hero:9} beats random {wins:3}/{len(results)}  95% CI [{low:.2f}, {high:.2f}]  "
                f"mean margin {margin:+.1f}  median {think * 1000:.0f} ms per turn"
            )
            if args.no_hints:
                hinted = _run([(name, seed, {hero: "heuristic", other: "random"}) for seed in range(args.games)], args.workers)
                base = statistics.mean(r["margin"][hero] for r in hinted)
                print(f"{'':30}   hinted heuristic's mean margin {base:+.1f}: the hint-free one keeps {margin / base:.0%} of it")
        for hero in heroes if args.seeds else ():
            other = next(s for s in sides if s != hero)
            margins: dict[str, list[dict[str, Any]]] = {}
            for pair in args.compare or ["search:heuristic"]:
                new, old = pair.split(":")
                for kind in (new, old):
                    if kind not in margins:
                        seeds = range(args.seed_start, args.seed_start + args.seeds)
                        margins[kind] = _run([(ref, seed, {hero: kind, other: "heuristic"}) for seed in seeds], args.workers)
                deltas = [n["margin"][hero] - o["margin"][hero] for n, o in zip(margins[new], margins[old])]
                mean = statistics.mean(deltas)
                half = 1.96 * statistics.stdev(deltas) / math.sqrt(len(deltas)) if len(deltas) > 1 else float("inf")
                think = statistics.median(r["seconds_per_turn"][hero] for r in margins[new])
                print(
                    f"{label:30} {new} as {hero:9} vs {old} (opponent heuristic, {args.seeds} seeds): VP margin "
                    f"{statistics.mean(o['margin'][hero] for o in margins[old]):+.1f} -> {statistics.mean(n['margin'][hero] for n in margins[new]):+.1f}, "
                    f"change {mean:+.2f}  95% CI [{mean - half:+.2f}, {mean + half:+.2f}]  median {think * 1000:.0f} ms CPU per turn"
                )


if __name__ == "__main__":
    main()
