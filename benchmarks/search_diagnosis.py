"""Why the temper search does not gain: does a rollout's score tell the tempers apart?

Run: .venv/bin/python benchmarks/search_diagnosis.py --scenario bain-tsagan-1939 --side japanese --seed 0

Plays one game of ``search`` (for ``--side``) against the heuristic.  At the start of each of
the searcher's turns it plays every temper the search would try ``--rollouts`` times from the
searcher's imagined state, each temper on the same dice, the temper for that turn and the
heuristic after it (as the search's rollouts do), on to the end of the game, and records the
rollout's :func:`~nomonhan.ai.search.worth` after 2, 4 and 8 player turns and the final
victory-point margin.  With ``--true`` it plays the same from the true state as well (what
the game would really have given; the player never sees it).

For each horizon it prints, over the (turn, temper) pairs where a temper played differently
from the steady one, the root mean square of the mean gain over steady, the part of it that
pure noise would give (the per-rollout spread of the gain over the square root of the
rollouts), the true effect left after the noise is taken out, and how well each horizon's mean
gain predicts the final one (correlation).  A true effect near 0 against a per-rollout spread
of 10 points says that no handful of rollouts can choose a turn's temper by its result.

With ``--luck`` it measures instead, in a few seconds, how much of the spread the dice of the
fights make (:mod:`nomonhan.ai.luck`): from the searcher's own position at every third of its
turns in one game of the heuristic against itself (the true state), every temper the search
would try played ``--rollouts`` times over ``--horizon`` player turns on the same dice, and the
spread (root mean square of the standard deviations) of a rollout's worth and of a temper's
gain over the steady one, raw and less the luck.
"""

from __future__ import annotations

import argparse
import math
import statistics
from dataclasses import replace
from typing import Any

from nomonhan import engine
from nomonhan.ai.heuristic import HeuristicPlayer
from nomonhan.ai.luck import Luck
from nomonhan.ai.search import SearchPlayer, Temper, play_forward, play_turn, worth
from nomonhan.replay import Game
from nomonhan.rng import Generator
from nomonhan.rules.victory import victory_points
from nomonhan.scenario.load import load_scenario
from nomonhan.state import GameState

MARKS = (2, 4, 8)
"""Horizons, in player turns, at which a rollout's worth is recorded."""


def trajectory(state: GameState, side: str, temper: Temper, seed: int) -> dict[str, float]:
    """Worth after each horizon in :data:`MARKS` and the final margin, ``temper`` playing this turn."""
    ours, steady, dice = temper.player(), HeuristicPlayer(), Generator(seed)
    state = replace(state, rng_state=seed)
    scores: dict[str, float] = {}
    turns = 0
    while not state.game_over:
        state, _ = play_turn(state, side, ours if turns == 0 else steady, steady, 5000, dice)
        turns += 1
        if turns in MARKS:
            scores[str(turns)] = float(worth(state, side))
    for mark in MARKS:
        scores.setdefault(str(mark), float(worth(state, side)))
    points = victory_points(state)
    scores["end"] = points[side] - points[state.scenario.enemy_of(side)]
    return scores


class DiagnosedSearch(SearchPlayer):
    """The search player, recording every temper's rollouts to the end at each of its turns."""

    def __init__(self, rollouts: int, from_truth: bool) -> None:
        super().__init__()
        self.diagnosis_rollouts = rollouts
        self.from_truth = from_truth
        self.true_state: GameState | None = None  # set by the harness, read only with --true
        self.records: list[dict[str, Any]] = []
        self._dice = Generator(12345)  # apart from the player's own stream: the game is unchanged

    def _pick_temper(self, state: GameState, side: str, rng: Generator) -> Temper:
        chosen = super()._pick_temper(state, side, rng)
        seeds = [self._dice.randint(0, 2**63 - 1) for _ in range(self.diagnosis_rollouts)]
        sources = {"imagined": state} | ({"true": self.true_state} if self.from_truth and self.true_state else {})
        record: dict[str, Any] = {"turn": state.turn, "chosen": chosen.name}
        for source, start in sources.items():
            record[source] = {t.name: [trajectory(start, side, t, seed) for seed in seeds] for t in self.tempers_for(state, side)}
        self.records.append(record)
        return chosen


def play(ref: str, side: str, seed: int, rollouts: int, from_truth: bool) -> tuple[int, list[dict[str, Any]]]:
    scenario = load_scenario(ref)
    searcher = DiagnosedSearch(rollouts, from_truth)
    players = {s: searcher if s == side else HeuristicPlayer() for s in scenario.side_ids}
    generators = {s: Generator.for_player(seed, s) for s in scenario.side_ids}
    game = Game.start(scenario, seed, ref)
    while not game.state.game_over:
        state = game.state
        acting = state.acting_side
        if acting == side:
            searcher.true_state = state
        game.play(players[acting].choose(engine.observe(state, acting), engine.legal_actions(state), generators[acting]))
    points = victory_points(game.state)
    return points[side] - points[scenario.enemy_of(side)], searcher.records


def correlation(xs: list[float], ys: list[float]) -> float:
    if len(xs) < 3 or statistics.pstdev(xs) == 0 or statistics.pstdev(ys) == 0:
        return math.nan
    return statistics.correlation(xs, ys)


def report(records: list[dict[str, Any]], source: str, rollouts: int) -> None:
    gains: dict[str, list[float]] = {str(m): [] for m in MARKS} | {"end": []}
    spreads: dict[str, list[float]] = {key: [] for key in gains}
    for record in records:
        rows = record.get(source)
        if not rows:
            continue
        steady = rows["steady"]
        for name, played in rows.items():
            if name == "steady" or played == steady:
                continue
            for key in gains:
                differences = [r[key] - s[key] for r, s in zip(played, steady)]
                gains[key].append(statistics.mean(differences))
                spreads[key].append(statistics.stdev(differences) if rollouts > 1 else 0.0)
    pairs = len(gains["end"])
    if not any(source in record for record in records):
        return
    print(f"  from the {source} state: {pairs} (turn, temper) pairs where a temper played otherwise than steady")
    if not pairs:
        return
    for key in gains:
        mean_square = statistics.mean(g * g for g in gains[key])
        spread = math.sqrt(statistics.mean(s * s for s in spreads[key]))
        noise = spread**2 / rollouts
        print(
            f"    after {key:>3}: gain over steady, RMS {math.sqrt(mean_square):5.2f}; noise alone {math.sqrt(noise):5.2f}; "
            f"true effect ~{math.sqrt(max(mean_square - noise, 0)):5.2f}; per-rollout spread {spread:5.2f}"
            + (f"; correlation with the final gain {correlation(gains[key], gains['end']):+.2f}" if key != "end" else "")
        )


def luck_spread(ref: str, side: str, seed: int, rollouts: int, horizon: int) -> None:
    """Print the spread of rollouts' worths and gains over steady, raw and less their luck."""
    scenario = load_scenario(ref)
    players = {s: HeuristicPlayer() for s in scenario.side_ids}
    generators = {s: Generator.for_player(seed, s) for s in scenario.side_ids}
    game = Game.start(scenario, seed, ref)
    positions: dict[int, GameState] = {}
    while not game.state.game_over:
        state = game.state
        if state.active_side == side == state.acting_side and state.turn % 3 == 1:
            positions.setdefault(state.turn, state)
        acting = state.acting_side
        game.play(players[acting].choose(engine.observe(state, acting), engine.legal_actions(state), generators[acting]))
    spreads: dict[str, list[float]] = {"worth": [], "worth less luck": [], "gain": [], "gain less luck": []}
    for position in positions.values():
        rows: dict[str, list[tuple[float, float]]] = {}
        for temper in SearchPlayer().tempers_for(position, side):
            rows[temper.name] = []
            for dice in range(rollouts):
                luck = Luck(side)
                start = replace(position, rng_state=dice)
                end, _ = play_forward(start, side, temper.player(), HeuristicPlayer(), horizon, 5000, Generator(dice), luck)
                rows[temper.name].append((float(worth(end, side)), float(worth(end, side) - luck.total)))
        for name, played in rows.items():
            for n, key in enumerate(("worth", "worth less luck")):
                spreads[key].append(statistics.stdev(r[n] for r in played))
                if name != "steady" and played != rows["steady"]:
                    spreads[key.replace("worth", "gain")].append(statistics.stdev(r[n] - s[n] for r, s in zip(played, rows["steady"])))
    print(f"{ref} {side} seed {seed}, {len(positions)} positions, {rollouts} rollouts of {horizon} player turns:")
    for key, values in spreads.items():
        print(
            f"    spread of the {key:16}: {math.sqrt(statistics.mean(v * v for v in values)) if values else math.nan:5.2f} ({len(values)} sets)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="bain-tsagan-1939")
    parser.add_argument("--side", default="japanese")
    parser.add_argument("--seed", type=int, action="append")
    parser.add_argument("--rollouts", type=int, default=4, help="rollouts per temper and turn (default 4)")
    parser.add_argument("--true", action="store_true", help="also play the rollouts from the true state")
    parser.add_argument("--luck", action="store_true", help="measure only the spread the fights' dice make (seconds)")
    parser.add_argument("--horizon", type=int, default=2, help="player turns of a rollout, with --luck (default 2)")
    args = parser.parse_args()
    if args.luck:
        for seed in args.seed or [0]:
            luck_spread(args.scenario, args.side, seed, args.rollouts, args.horizon)
        return
    records: list[dict[str, Any]] = []
    for seed in args.seed or [0]:
        final, played = play(args.scenario, args.side, seed, args.rollouts, args.true)
        switched = sum(r["chosen"] != "steady" for r in played)
        print(f"{args.scenario} {args.side} seed {seed}: final margin {final:+d}; search left steady on {switched} of {len(played)} turns")
        records += played
    for source in ("imagined", "true"):
        report(records, source, args.rollouts)


if __name__ == "__main__":
    main()
