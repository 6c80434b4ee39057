"""Attacks and bombardments as whole plans, and the declaration steps that carry them out.

The engine takes an attack one unit at a time (``declare``, ``support``, then ``resolve``), so
that every combination the rules allow can be made.  A computer player thinks in whole attacks:
it weighs a few candidate plans per target, picks one, and then plays the declaration steps
towards it, one per call.  Because the plan is recomputed from the declaration in its
observation at every call, a player needs no memory between calls, and once it has begun a
declaration it only ever completes it (the plan it began is among the candidates that extend
the declaration), so it can never loop between declaring and cancelling.
"""

from __future__ import annotations

from nomonhan.actions import Action, Attack, Declare, Resolve, Support
from nomonhan.engine.eligibility import affordable, attack_targets, bombard_targets, eligible_artillery, eligible_attackers
from nomonhan.hexgrid import Hex
from nomonhan.state import GameState, Phase


def candidate_attacks(state: GameState) -> list[Attack]:
    """Per target: everyone with the guns supply can pay for, everyone without guns, and each
    unit alone; while a declaration is under way, only the plans that extend it."""
    declaration = state.declaration
    targets = [declaration.target] if declaration else attack_targets(state)
    plans: list[Attack] = []
    for target in targets:
        attackers = tuple(u.id for u in eligible_attackers(state, target))
        if declaration:
            attackers = declaration.units + tuple(u for u in attackers if u not in declaration.units)
        guns = _affordable_guns(state, target, exclude=attackers, first=declaration.guns if declaration else ())
        options = [Attack(attackers, target, guns)] if guns else []
        options.append(Attack(attackers, target))
        if len(attackers) > 1:
            options.extend(Attack((unit_id,), target) for unit_id in attackers)
        if declaration:
            options.append(Attack(declaration.units, target, declaration.guns))
        plans.extend(dict.fromkeys(p for p in options if _extends(p, state)))
    return plans


def candidate_fire(state: GameState) -> list[Attack]:
    """Bombardments as plans (``units`` empty, the guns in ``artillery``): per target, all the
    guns supply can pay for, then each gun alone; only those extending a declaration under way."""
    declaration = state.declaration
    targets = [declaration.target] if declaration else bombard_targets(state)
    plans: list[Attack] = []
    for target in targets:
        guns = _affordable_guns(state, target, exclude=(), first=declaration.guns if declaration else ())
        options = [Attack((), target, guns)] + ([Attack((), target, (gun,)) for gun in guns] if len(guns) > 1 else [])
        plans.extend(dict.fromkeys(p for p in options if p.artillery and _extends(p, state)))
    return plans


def next_step(state: GameState, plan: Attack) -> Action:
    """The declaration step that brings the declaration under way nearer to ``plan``."""
    declaration = state.declaration
    units = declaration.units if declaration else ()
    guns = declaration.guns if declaration else ()
    for unit_id in plan.units:
        if unit_id not in units:
            return Declare(unit_id, plan.target)
    for gun in plan.artillery:
        if gun not in guns:
            return Support(gun, plan.target)
    return Resolve()


def _affordable_guns(state: GameState, target: Hex, exclude: tuple[str, ...], first: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Guns that may fire at ``target`` (``first`` leading), as many as supply can pay for."""
    eligible = [u for u in eligible_artillery(state, target) if u.id not in exclude and u.id not in first]
    chosen = tuple(first)
    for gun in eligible:
        if affordable(state, gun, chosen):
            chosen += (gun.id,)
    return chosen


def _extends(plan: Attack, state: GameState) -> bool:
    declaration = state.declaration
    if declaration is None:
        return True
    if state.phase is Phase.COMBAT and not plan.units:
        return False
    return set(declaration.units) <= set(plan.units) and set(declaration.guns) <= set(plan.artillery)
