"""Taking steps off units: one place for combat, bombardment, retreat shortfalls and supply."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from nomonhan.events import Event, StepLost, UnitEliminated
from nomonhan.hexgrid import Hex
from nomonhan.state import GameState, Unit, UnitStatus


def take_steps(state: GameState, unit_ids: list[str], steps: int, reason: str, role: str = "defence") -> tuple[GameState, list[Event]]:
    """Remove ``steps`` from the given units, each from the one bearing the brunt.

    That is the unit with the greatest strength left in its ``role`` (attack for attackers,
    defence otherwise): the tanks leading an assault lose tanks, the strongest defender holds
    the line.  Ties go to scenario order, so a result always falls on the same unit.  A unit at
    zero steps is eliminated and leaves the map.
    """
    events: list[Event] = []
    types = state.scenario.unit_types
    for _ in range(steps):
        alive = [state.unit(uid) for uid in unit_ids if state.unit(uid).on_map]
        if not alive:
            break
        victim = max(
            alive,
            key=lambda u: (
                Fraction(getattr(types[u.type_id], role) * u.steps, types[u.type_id].steps),
                -state.scenario.unit_order[u.id],
            ),
        )
        events.append(StepLost(victim.id, reason))
        if victim.steps > 1:  # a unit under fire is not resting: its count towards recovery restarts
            state = state.with_unit(replace(victim, steps=victim.steps - 1, rest_turns=0))
        else:
            state = state.with_unit(eliminated(victim))
            events.append(UnitEliminated(victim.id))
    return update_holders(state), events


def eliminated(unit: Unit) -> Unit:
    return replace(unit, steps=0, hex=None, status=UnitStatus.ELIMINATED, move_points=0)


def update_holders(state: GameState) -> GameState:
    """An objective is held by the last side to stand in it alone."""
    objectives = state.scenario.objective_hexes
    if not objectives:
        return state
    occupants: dict[Hex, set[str]] = {}
    for unit in state.units:
        if unit.on_map and unit.hex in objectives:
            occupants.setdefault(unit.hex, set()).add(unit.side)
    holders = tuple(
        next(iter(occupants[hex_])) if len(occupants.get(hex_, ())) == 1 else holder for hex_, holder in zip(objectives, state.holders)
    )
    return state if holders == state.holders else replace(state, holders=holders)
