"""``combat_odds``: the exact chance of every result of an attack, before the die is rolled.

It runs the same planning and the same table lookup as ``step`` does, for every face of the die,
so the forecast the player sees and the result the engine draws can never disagree.

The losses of each result are what it would really take off, not the table's numbers: a ``D3``
on a stack of two steps takes two, a defender that cannot retreat the full distance loses a step
for each hex short, and armour without infantry loses tanks to close assault and anti-tank guns;
they are given in steps, men (killed, wounded, missing) and tanks for each side, by running the
engine's own loss functions on a copy, so the front end shows them and never works them out.  They are worked out on what the attacking side knows (its
believed state: its own units, and the enemy it can see), so the forecast reveals nothing; where
hexes the defender might retreat through are out of the attacker's sight, unseen units there
could still change a retreat, and the forecast names those hexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from nomonhan.actions import Attack
from nomonhan.engine.attrition import combat_losses, take_steps
from nomonhan.engine.view import believed_state, enemy_units_at, observe
from nomonhan.hexgrid import Hex, hex_range
from nomonhan.rules.combat import AttackPlan, CombatResult, plan_of, resolve
from nomonhan.rules.retreat import retreat_options
from nomonhan.rules.victory import Losses, gross_losses
from nomonhan.rules.visibility import seen_hexes
from nomonhan.state import GameState


@dataclass(frozen=True)
class ResultLosses:
    """What one result of the table would cost each side: steps, men (killed, wounded, missing)
    and tanks, as the engine would take them."""

    result: CombatResult
    attacker: Losses
    defender: Losses


@dataclass(frozen=True)
class CombatForecast:
    plan: AttackPlan
    outcomes: tuple[tuple[CombatResult, Fraction], ...]
    """Each distinct result with its exact probability."""
    losses: tuple[ResultLosses, ...]
    """Each result with what it would really cost each side."""
    unseen_retreat_hexes: frozenset[Hex]
    """Hexes within retreat range of the target that the attacker cannot see: units hidden there
    could still block or ease a retreat, and so change the defender's losses."""

    def lost_by(self, result: CombatResult) -> ResultLosses:
        return next(entry for entry in self.losses if entry.result == result)

    @property
    def expected_attacker_steps(self) -> Fraction:
        return sum((p * self.lost_by(r).attacker.steps for r, p in self.outcomes), Fraction(0))

    @property
    def expected_defender_steps(self) -> Fraction:
        return sum((p * self.lost_by(r).defender.steps for r, p in self.outcomes), Fraction(0))

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
    losses = tuple(_losses(known, attack, result) for result in chances)
    reach = max((r.retreat for r in chances), default=0)
    unseen = frozenset(
        h for h in hex_range(attack.target, reach) if h in state.scenario.board and h not in seen_hexes(known, known.active_side)
    )
    return CombatForecast(plan, tuple(chances.items()), losses, unseen if reach else frozenset())


def _believed(state: GameState) -> GameState:
    """The active side's believed state, built once per state: a computer player forecasts
    every candidate attack of a turn on the same state."""
    key = ("believed", state.active_side)
    found = state.memo.get(key)
    if found is None:
        found = state.memo[key] = believed_state(observe(state, state.active_side), state.rng_state)
    return found


def _losses(state: GameState, attack: Attack, result: CombatResult) -> ResultLosses:
    """What ``result`` would cost each side, as the engine would take it."""
    attackers = [state.unit(u) for u in attack.units]
    defenders = enemy_units_at(state, state.active_side, attack.target)
    after, _ = combat_losses(state, attackers, defenders, attack.target, result.attacker_steps, result.defender_steps)
    if result.retreat:
        blockers = [u for u in after.units if u.on_map and u.side == state.active_side]
        for standing in defenders:
            unit = after.unit(standing.id)
            if unit.on_map:
                _hexes, shortfall = retreat_options(after, unit, result.retreat, blockers)
                after, _ = take_steps(after, [unit.id], shortfall, "forecast", "cut_off")
    attacking, defending = state.active_side, state.scenario.enemy_of(state.active_side)
    return ResultLosses(
        result,
        gross_losses(after, attacking) - gross_losses(state, attacking),
        gross_losses(after, defending) - gross_losses(state, defending),
    )
