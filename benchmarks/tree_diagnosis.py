"""Why the tree search does not gain on a side: can its playouts tell a unit's candidates apart?

Run: .venv/bin/python benchmarks/tree_diagnosis.py --scenario lake-khasan-1938 --side japanese --seed 0

Plays one game of ``mcts`` (for ``--side``) against the heuristic.  At each of the searcher's
turns, for the first ``--units`` units its tree plans, it plays every candidate move of the unit
``--playouts`` times, each candidate on the same determinisations of the hidden enemy and the
same dice (as the tree's playouts are played: ``--horizon`` player turns, the heuristic on in
the turn's temper), and prints the paired gain of each candidate over the heuristic's own move,
with its standard error: raw, less the fights' luck (:mod:`nomonhan.ai.luck`), and the part of
it that is steps cut off from supply (each counted half lost by
:func:`~nomonhan.ai.search.worth`).  At the end it counts the candidates whose playouts all give
the heuristic's move's worth exactly, and those better or worse than it by more than a point
and two standard errors (less luck): a side with none better gives the tree nothing to find.
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
from nomonhan.ai.mcts import TreeSearchPlayer
from nomonhan.ai.search import cut_off_steps, play_forward, worth
from nomonhan.replay import Game
from nomonhan.rng import Generator
from nomonhan.scenario.load import load_scenario


class Probe(TreeSearchPlayer):
    """``mcts`` that, before each turn's search, plays out its first planned units' candidates."""

    def __init__(self, units: int, playouts: int, horizon: int) -> None:
        super().__init__(horizon=horizon, skip_settled=True)
        self.probed_units = units
        self.playouts = playouts
        # (turn, unit, (mean gain, standard error) of the raw worth, of it less luck, of its cut-off part)
        self.gains: list[tuple[int, str, list[tuple[float, float]]]] = []

    def _search(self, observation: Any, heuristic: HeuristicPlayer, temper: Any, rng: Generator) -> Any:
        side = observation.side
        base = self.tempers.memory.imagine_ahead(observation)
        enemy = base.scenario.enemy_of(side)
        for unit, choices in self._candidates(base, side, heuristic)[: self.probed_units]:
            scores: list[list[tuple[float, float, float]]] = [[] for _ in choices]
            for n in range(self.playouts):
                for k, choice in enumerate(choices):
                    dice = Generator(7919 * n + 1)  # the same for every candidate
                    state = replace(self._determinise(base, observation, dice), rng_state=dice.randint(0, 2**63 - 1))
                    state = self._play(state, unit.id, choice)
                    ours = temper.player()
                    ours.hold(state, unit.id)
                    luck = Luck(side)
                    end, _ = play_forward(state, side, ours, HeuristicPlayer(), self.horizon, self.max_rollout_actions, dice, luck)
                    value = float(worth(end, side))
                    cut_off = (cut_off_steps(end, enemy) - cut_off_steps(end, side)) / 2
                    scores[k].append((value, value - float(luck.total), cut_off))
            self.gains += [(observation.turn, unit.id, gains(scores[k], scores[0])) for k in range(1, len(choices))]
        return super()._search(observation, heuristic, temper, rng)


def gains(candidate: list[tuple[float, float, float]], own: list[tuple[float, float, float]]) -> list[tuple[float, float]]:
    """The paired gain of a candidate's playouts over the heuristic's move's, for the raw worth,
    the worth less luck and the cut-off part: (mean, standard error) each."""
    out = []
    for part in range(3):
        paired = [mine[part] - theirs[part] for mine, theirs in zip(candidate, own)]
        out.append((statistics.mean(paired), statistics.stdev(paired) / math.sqrt(len(paired))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="lake-khasan-1938")
    parser.add_argument("--side", default="japanese")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--units", type=int, default=2, help="planned units probed a turn (default 2)")
    parser.add_argument("--playouts", type=int, default=8, help="playouts of each candidate (default 8)")
    parser.add_argument("--horizon", type=int, default=2, help="player turns a playout (default 2)")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    probe = Probe(args.units, args.playouts, args.horizon)
    players = {side: probe if side == args.side else HeuristicPlayer() for side in scenario.side_ids}
    generators = {side: Generator.for_player(args.seed, side) for side in scenario.side_ids}
    game = Game.start(scenario, args.seed, args.scenario)
    while not game.state.game_over:
        state = game.state
        side = state.acting_side
        game.play(players[side].choose(engine.observe(state, side), engine.legal_actions(state), generators[side]))
    for turn, unit_id, (raw, less_luck, cut_off) in probe.gains:
        print(
            f"turn {turn:3} {unit_id:12} gain raw {raw[0]:+6.2f} ({raw[1]:.2f})  less luck {less_luck[0]:+6.2f} ({less_luck[1]:.2f})"
            f"  of it cut off {cut_off[0]:+6.2f}"
        )
    rows = [g for _, _, g in probe.gains]
    same = sum(raw == (0.0, 0.0) for raw, _, _ in rows)
    better = sum(luckless[0] > max(1.0, 2 * luckless[1]) for _, luckless, _ in rows)
    worse = sum(luckless[0] < -max(1.0, 2 * luckless[1]) for _, luckless, _ in rows)
    print(
        f"{len(rows)} candidates over {len({t for t, _, _ in probe.gains})} turns: {same} give the heuristic's move's worth "
        f"in every playout, {better} beat it and {worse} fall short of it by more than a point and 2 standard errors (less luck)"
    )


if __name__ == "__main__":
    main()
