"""The search player: Monte Carlo rollouts over the heuristic's candidate actions.

At the decisions that the dice make uncertain (which attack to make, whether to stop
attacking, where to retreat) it tries the heuristic's best few candidates, plays each forward
``rollouts`` times to the end of the current player turn with the heuristic on both sides and
dice drawn from its own generator, and keeps the candidate with the best mean victory-point
margin.  Elsewhere it plays as the heuristic does.  It searches the state it believes in
(``engine.believed_state``): enemy units it cannot see are not in it.  Budgets count rollouts,
never seconds, so its games replay exactly.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Sequence

from nomonhan import engine
from nomonhan.actions import Action, Attack, EndPhase, Retreat
from nomonhan.ai.heuristic import HeuristicPlayer
from nomonhan.engine import Observation
from nomonhan.rng import Generator
from nomonhan.rules.victory import victory_points
from nomonhan.state import GameState, Phase


class SearchPlayer:
    kind = "search"

    def __init__(self, rollouts: int = 12, candidates: int = 4, max_rollout_actions: int = 400) -> None:
        self.rollouts = rollouts
        self.candidates = candidates
        self.max_rollout_actions = max_rollout_actions
        self.heuristic = HeuristicPlayer()
        self.nodes = 0  # actions simulated so far: the budget's unit, reported by benchmarks

    def choose(self, observation: Observation, legal_actions: Sequence[Action], rng: Generator) -> Action:
        state = engine.believed_state(observation)
        options = self._candidates(state, legal_actions, observation, rng)
        if len(options) == 1:
            return options[0]
        side = observation.side
        best: tuple[Fraction, int, Action] | None = None
        for n, option in enumerate(options):
            total = Fraction(0)
            for _ in range(self.rollouts):
                total += self._rollout(state, option, side, rng)
            mean = total / self.rollouts
            if best is None or mean > best[0]:
                best = (mean, -n, option)
        assert best is not None
        return best[2]

    def _candidates(self, state: GameState, legal: Sequence[Action], observation: Observation, rng: Generator) -> list[Action]:
        default = self.heuristic.choose(observation, legal, rng)
        if state.pending is not None and state.pending.kind == "retreat":
            retreats = [a for a in legal if isinstance(a, Retreat)]
            return [default] + [a for a in retreats if a != default][: self.candidates - 1]
        if state.phase is Phase.COMBAT and state.pending is None:
            attacks = [a for a in legal if isinstance(a, Attack)]
            ranked = sorted(attacks, key=lambda a: self.heuristic.attack_score(state, a), reverse=True)
            others = [a for a in ranked if a != default][: self.candidates - 2]
            return list(dict.fromkeys([default, *others, EndPhase()]))
        return [default]

    def _rollout(self, state: GameState, first: Action, side: str, rng: Generator) -> Fraction:
        state = replace(state, rng_state=rng.randint(0, 2**63 - 1))
        state, _ = engine.step(state, first)
        self.nodes += 1
        turn, active = state.turn, state.active_side
        sim_rng = Generator(rng.randint(0, 2**31 - 1))
        for _ in range(self.max_rollout_actions):
            if state.game_over or state.turn != turn or state.active_side != active:
                break
            acting = state.acting_side
            action = self.heuristic.choose(engine.observe(state, acting), engine.legal_actions(state), sim_rng)
            state, _ = engine.step(state, action)
            self.nodes += 1
        points = victory_points(state)
        return Fraction(points[side] - points[state.scenario.enemy_of(side)])
