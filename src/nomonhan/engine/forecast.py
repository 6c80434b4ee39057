"""``combat_odds``: the exact chance of every result of an attack, before the die is rolled.

It runs the same planning and the same table lookup as ``step`` does, for every face of the die,
so the forecast the player sees and the result the engine draws can never disagree.

The expected losses are the steps each result would really take off, not the table's numbers: a
``D3`` on a stack of two steps takes two, and a defender that cannot retreat the full distance
loses a step for each hex short.  They are worked out on what the attacking side knows (its
believed state: its own units, and the enemy it can see), so the forecast reveals nothing; where
hexes the defender might retreat through are out of the attacker's sight, unseen units there
could still change a retreat, and the forecast names those hexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from nomonhan.actions import Attack
from nomonhan.engine.losses import take_steps
from nomonhan.engine.view import believed_state, enemy_units_at, observe
from nomonhan.hexgrid import Hex, hex_range
from nomonhan.rules.combat import AttackPlan, CombatResult, plan_of, resolve
from nomonhan.rules.retreat import retreat_options
from nomonhan.rules.visibility import seen_hexes
from nomonhan.state import GameState


@dataclass(frozen=True)
class CombatForecast:
    plan: AttackPlan
    outcomes: tuple[tuple[CombatResult, Fraction], ...]
    """Each distinct result with its exact probability."""
    steps_lost: tuple[tuple[CombatResult, int, int], ...]
    """Each result with the steps it would really take: (result, attacker's, defender's)."""
    unseen_retreat_hexes: frozenset[Hex]
    """Hexes within retreat range of the target that the attacker cannot see: units hidden there
    could still block or ease a retreat, and so change the defender's losses."""

    @property
    def expected_attacker_steps(self) -> Fraction:
        lost = {result: attacker for result, attacker, _ in self.steps_lost}
        return sum((p * lost[r] for r, p in self.outcomes), Fraction(0))

    @property
    def expected_defender_steps(self) -> Fraction:
        lost = {result: defender for result, _, defender in self.steps_lost}
        return sum((p * lost[r] for r, p in self.outcomes), Fraction(0))

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
    known = _believed(state)
    steps = tuple((result, *_steps_taken(known, attack, result)) for result in chances)
    reach = max((r.retreat for r in chances), default=0)
    unseen = frozenset(
        h for h in hex_range(attack.target, reach) if h in state.scenario.board and h not in seen_hexes(known, known.active_side)
    )
    return CombatForecast(plan, tuple(chances.items()), steps, unseen if reach else frozenset())


def _believed(state: GameState) -> GameState:
    """The active side's believed state, built once per state: a computer player forecasts
    every candidate attack of a turn on the same state."""
    key = ("believed", state.active_side)
    found = state.memo.get(key)
    if found is None:
        found = state.memo[key] = believed_state(observe(state, state.active_side), state.rng_state)
    return found


def _steps_taken(state: GameState, attack: Attack, result: CombatResult) -> tuple[int, int]:
    """The steps ``result`` would take off each side, as the engine would take them."""
    attackers = [state.unit(u) for u in attack.units]
    attacker_lost = min(result.attacker_steps, sum(u.steps for u in attackers))
    defenders = enemy_units_at(state, state.active_side, attack.target)
    before = sum(d.steps for d in defenders)
    after, _ = take_steps(state, [d.id for d in defenders], result.defender_steps, "forecast")
    survivors = [after.unit(d.id) for d in defenders if after.unit(d.id).on_map]
    lost = before - sum(u.steps for u in survivors)
    if result.retreat:
        blockers = [u for u in after.units if u.on_map and u.side == state.active_side]
        for unit in survivors:
            _hexes, shortfall = retreat_options(after, unit, result.retreat, blockers)
            lost += min(shortfall, unit.steps)
    return attacker_lost, lost
