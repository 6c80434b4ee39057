"""``combat_odds`` and ``bombardment_odds``: the exact chance of every result of an attack or a
bombardment, before the die is rolled (air missions: :mod:`nomonhan.engine.air_forecast`).

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

A bombardment is forecast the same way: the rules' own fire plan (every column shift with its
reason) and table lookup for every face of the die, each result's losses taken off the
defenders the side can see by the engine's loss function, and the chance of each result of the
bridge table for every bridge ending in the target hex (the guns fire at those too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

from nomonhan.actions import Attack
from nomonhan.engine.attrition import combat_losses, take_steps
from nomonhan.engine.view import believed_state, enemy_units_at, observe, stack_points
from nomonhan.hexgrid import Hex, Hexside, hex_range
from nomonhan.rules.artillery import FirePlan, ammunition_left, fire_plan, fire_result
from nomonhan.rules.bridges import bridge_attack_result, bridges_at
from nomonhan.rules.combat import AttackPlan, CombatResult, parse_result, plan_of, resolve
from nomonhan.rules.retreat import retreat_options
from nomonhan.rules.victory import NO_LOSSES, Losses, gross_losses
from nomonhan.rules.visibility import seen_hexes
from nomonhan.state import GameState, replace

Result = TypeVar("Result")


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


def by_face(sides: int, result_of: Callable[[int], Result]) -> dict[Result, Fraction]:
    """Each distinct result of a roll and its exact chance: ``result_of`` on every face of the die."""
    chances: dict[Result, Fraction] = {}
    for die in range(1, sides + 1):
        result = result_of(die)
        chances[result] = chances.get(result, Fraction(0)) + Fraction(1, sides)
    return chances


def combat_odds(state: GameState, attack: Attack) -> CombatForecast:
    """The forecast of ``attack`` by the active side (its legality is the caller's concern)."""
    plan = plan_of(state, attack)
    table = state.scenario.rules.crt
    chances = by_face(table.die_sides, lambda die: resolve(table, plan.column, die))
    known = known_to_active(state)
    losses = tuple(_losses(known, attack, result) for result in chances)
    reach = max((r.retreat for r in chances), default=0)
    unseen = frozenset(
        h for h in hex_range(attack.target, reach) if h in state.scenario.board and h not in seen_hexes(known, known.active_side)
    )
    return CombatForecast(plan, tuple(chances.items()), losses, unseen if reach else frozenset())


@dataclass(frozen=True)
class BridgeOdds:
    """The chance of each result of the bridge table for one bridge under fire or bombs."""

    hexside: Hexside
    results: tuple[tuple[str, Fraction], ...]


def bridge_odds(state: GameState, target: Hex, by: str) -> tuple[BridgeOdds, ...]:
    """Each standing bridge ending in ``target`` with the chance of each result of an attack on
    it (``by``: ``air`` or ``guns``), by the engine's lookup on every face of the bridge die."""
    sides = state.scenario.rules.bridges.attack_die_sides
    chances = tuple(by_face(sides, lambda die: bridge_attack_result(state, by, die)).items())
    return tuple(BridgeOdds(hexside, chances) for hexside in bridges_at(state, target))


NO_EFFECT = parse_result("-")
"""What fire too weak for the table's first column does (the engine reports it as ``-``)."""


@dataclass(frozen=True)
class BombardmentForecast:
    plan: FirePlan
    """The firing strength and every column shift with its reason (the rules' own plan)."""
    outcomes: tuple[tuple[CombatResult, Fraction], ...]
    """Each distinct result with its exact probability (``-`` with certainty: no effect possible)."""
    losses: tuple[ResultLosses, ...]
    """Each result with what it would cost the defenders the side can see (the guns lose nothing)."""
    bridges: tuple[BridgeOdds, ...]
    """The bridges ending in the target, each with the chance of every result of the guns' fire."""
    supply_spent: int | None
    """Supply points the guns spend by firing (None: supply is not counted this turn)."""

    def lost_by(self, result: CombatResult) -> ResultLosses:
        return next(entry for entry in self.losses if entry.result == result)

    @property
    def expected_defender_steps(self) -> Fraction:
        return sum((p * self.lost_by(r).defender.steps for r, p in self.outcomes), Fraction(0))

    @property
    def disruption_chance(self) -> Fraction:
        return sum((p for r, p in self.outcomes if r.disrupts), Fraction(0))


def bombardment_odds(state: GameState, guns: tuple[str, ...], target: Hex) -> BombardmentForecast:
    """The forecast of the active side's ``guns`` firing at ``target`` (legality is the caller's
    concern), worked out on what that side knows."""
    known = known_to_active(state)
    defenders = enemy_units_at(known, known.active_side, target)
    plan = fire_plan(known, [known.unit(g) for g in guns], defenders, target)
    chances = by_face(known.scenario.rules.bombardment.die_sides, lambda die: fire_result(known, plan, die) or NO_EFFECT)
    enemy = known.scenario.enemy_of(known.active_side)
    losses = []
    for result in chances:
        after, _ = take_steps(known, [d.id for d in defenders], result.defender_steps, "forecast", "bombarded")
        losses.append(ResultLosses(result, NO_LOSSES, gross_losses(after, enemy) - gross_losses(known, enemy)))
    left, before = ammunition_left(known, guns), ammunition_left(known, ())
    spent = None if left is None or before is None else before - left
    return BombardmentForecast(plan, tuple(chances.items()), tuple(losses), bridge_odds(known, target, "guns"), spent)


def known_to_active(state: GameState) -> GameState:
    """The active side's believed state, built once per state: a computer player forecasts
    every candidate attack of a turn on the same state."""
    key = ("believed", state.active_side)
    found = state.memo.get(key)
    if found is None:
        found = state.memo[key] = believed_state(observe(state, state.active_side), state.rng_state)
    return found


def _retreat_in_turn(state: GameState, defenders: list[str], distance: int) -> GameState:
    """The defenders' retreats played one after another, as the engine takes them, each to the
    hex of its options with the most room left: the first to go may fill the only open hex, and
    the next then loses a step for each hex it falls short (its losses are the forecast's)."""
    blockers = [u for u in state.units if u.on_map and u.side == state.active_side]
    for unit_id in defenders:
        unit = state.unit(unit_id)
        if not unit.on_map:
            continue
        hexes, shortfall = retreat_options(state, unit, distance, blockers)
        state, _ = take_steps(state, [unit_id], shortfall, "forecast", "cut_off")
        if hexes and state.unit(unit_id).on_map:
            stacks = stack_points(state, unit.side)
            to = min(hexes, key=lambda h: stacks.get(h, 0))
            state = state.with_unit(replace(state.unit(unit_id), hex=to))
    return state


def _losses(state: GameState, attack: Attack, result: CombatResult) -> ResultLosses:
    """What ``result`` would cost each side, as the engine would take it."""
    attackers = [state.unit(u) for u in attack.units]
    defenders = enemy_units_at(state, state.active_side, attack.target)
    after, _ = combat_losses(state, attackers, defenders, attack.target, result.attacker_steps, result.defender_steps)
    if result.retreat:
        after = _retreat_in_turn(after, [d.id for d in defenders], result.retreat)
    attacking, defending = state.active_side, state.scenario.enemy_of(state.active_side)
    return ResultLosses(
        result,
        gross_losses(after, attacking) - gross_losses(state, attacking),
        gross_losses(after, defending) - gross_losses(state, defending),
    )
