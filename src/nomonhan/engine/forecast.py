"""``combat_odds``: the exact chance of every result of an attack, before the die is rolled.

It runs the same planning and the same table lookup as ``step`` does, for every face of the die,
so the forecast the player sees and the result the engine draws can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from nomonhan.actions import Attack
from nomonhan.rules.combat import AttackPlan, CombatResult, plan_of, resolve
from nomonhan.state import GameState


@dataclass(frozen=True)
class CombatForecast:
    plan: AttackPlan
    outcomes: tuple[tuple[CombatResult, Fraction], ...]  # each distinct result with its exact probability

    @property
    def expected_attacker_steps(self) -> Fraction:
        return sum((p * r.attacker_steps for r, p in self.outcomes), Fraction(0))

    @property
    def expected_defender_steps(self) -> Fraction:
        return sum((p * r.defender_steps for r, p in self.outcomes), Fraction(0))

    @property
    def retreat_chance(self) -> Fraction:
        return sum((p for r, p in self.outcomes if r.retreat), Fraction(0))


def combat_odds(state: GameState, attack: Attack) -> CombatForecast:
    """The forecast of ``attack`` by the active side (its legality is the caller's concern)."""
    plan = plan_of(state, attack)
    table = state.scenario.rules.crt
    chances: dict[CombatResult, Fraction] = {}
    for die in range(1, table.die_sides + 1):
        result = resolve(table, plan.column, die)
        chances[result] = chances.get(result, Fraction(0)) + Fraction(1, table.die_sides)
    return CombatForecast(plan, tuple(chances.items()))
