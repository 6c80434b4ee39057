"""Attrition: taking steps and tanks off units, and counting what they cost in men and tanks.

One place for combat, bombardment, retreat shortfalls, supply and anti-tank fire, so that every
loss is counted in the side's tally (:class:`nomonhan.state.Tally`) the same way.  (The
victory rules' :func:`nomonhan.rules.victory.losses` reads those tallies.)
"""

from __future__ import annotations

from fractions import Fraction

from nomonhan.corepath import reference_active
from nomonhan.events import Event, StepLost, TanksKnockedOut, UnitEliminated
from nomonhan.hexgrid import Hex
from nomonhan.rules.armour import hunts, shares, tanks_of
from nomonhan.rules.casualties import Cause, step_lost
from nomonhan.state import GameState, Tally, Unit, UnitStatus, replace


def take_steps(state: GameState, unit_ids: list[str], steps: int, reason: str, cause: Cause) -> tuple[GameState, list[Event]]:
    """Remove ``steps`` from the given units, each from the one bearing the brunt.

    That is the unit with the greatest strength left in its role (attack when ``cause`` is
    attacking, defence otherwise): the tanks leading an assault lose tanks, the strongest
    defender holds the line.  Ties go to scenario order, so a result always falls on the same
    unit.  A unit at zero steps is eliminated and leaves the map.
    """
    events: list[Event] = []
    types = state.scenario.unit_types
    role = "attack" if cause == "attacking" else "defence"
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
        state, lost = _lose_step(state, victim, reason, cause)
        events += lost
    return update_holders(state), events


def knock_out(state: GameState, unit_id: str, tanks: int, reason: str, cause: Cause) -> tuple[GameState, list[Event]]:
    """Knock ``tanks`` out of a unit (at most those it has): they count as lost at once, and
    each full step's worth of damaged tanks costs it a step."""
    unit = state.unit(unit_id)
    tanks = min(tanks, tanks_of(state.scenario, unit)) if unit.on_map else 0
    if tanks <= 0:
        return state, []
    per_step = state.scenario.unit_types[unit.type_id].per_step.tanks
    state = state.with_tally(unit.side, replace(_NOTHING, tanks=tanks)).with_wreck(unit, tanks)
    state = state.with_unit(replace(unit, damaged_tanks=unit.damaged_tanks + tanks))
    events: list[Event] = [TanksKnockedOut(unit_id, tanks, reason)]
    while state.unit(unit_id).on_map and state.unit(unit_id).damaged_tanks >= per_step:
        state, lost = _lose_step(state, state.unit(unit_id), reason, cause)
        events += lost
    return update_holders(state), events


def _lose_step(state: GameState, victim: Unit, reason: str, cause: Cause) -> tuple[GameState, list[Event]]:
    """One step off ``victim``, counted in its side's tally; its damaged tanks go first, so only
    the step's sound tanks are newly lost."""
    unit_type = state.scenario.unit_types[victim.type_id]
    damaged = min(victim.damaged_tanks, unit_type.per_step.tanks)
    cost = step_lost(state.scenario.rules.casualties, unit_type, cause, damaged, state.scenario.battle_casualties.get(victim.side))
    state = state.with_tally(victim.side, cost)
    if cost.tanks:
        state = state.with_wreck(victim, cost.tanks)
    events: list[Event] = [StepLost(victim.id, reason)]
    if victim.steps > 1:  # a unit under fire is not resting: its count towards recovery restarts
        state = state.with_unit(replace(victim, steps=victim.steps - 1, rest_turns=0, damaged_tanks=victim.damaged_tanks - damaged))
    else:
        state = state.with_unit(eliminated(victim))
        events.append(UnitEliminated(victim.id))
    return state, events


_NOTHING = Tally()


def eliminated(unit: Unit) -> Unit:
    return replace(unit, steps=0, hex=None, status=UnitStatus.ELIMINATED, move_points=0, damaged_tanks=0)


def update_holders(state: GameState) -> GameState:
    """An objective is held by the last side to stand in it alone."""
    objectives = state.scenario.objective_hexes
    if not objectives:
        return state
    occupants: dict[Hex, set[str]] = {}
    where = objectives if reference_active() else objective_set(state)
    for unit in state.units:
        if unit.hex in where and unit.on_map:
            occupants.setdefault(unit.position, set()).add(unit.side)
    holders = tuple(
        next(iter(occupants[hex_])) if len(occupants.get(hex_, ())) == 1 else holder for hex_, holder in zip(objectives, state.holders)
    )
    return state if holders == state.holders else replace(state, holders=holders)


def objective_set(state: GameState) -> frozenset[Hex]:
    """The fast path's set of objective hexes, kept on the board (asked of every unit, every move)."""
    cache = state.scenario.board.search_cache
    found: frozenset[Hex] | None = cache.get("objective-hexes")
    if found is None:
        found = cache["objective-hexes"] = frozenset(state.scenario.objective_hexes)
    return found


def combat_losses(
    state: GameState, attackers: list[Unit], defenders: list[Unit], target: Hex, attacker_steps: int, defender_steps: int
) -> tuple[GameState, list[Event]]:
    """A combat's losses: the result's steps off each side, then the tanks close assault and
    anti-tank guns knock out of armour that fought without infantry: how many is worked out on
    the units as they went in, and they fall on what the table left, the unit with the most
    tanks first, so none is lost on a unit the table already took (docs/rules.md, "Tanks, not
    only steps").  One function for ``step`` and the forecast, so that the two agree."""
    hunted = hunts(state.scenario, attackers, defenders, target)
    state, events = take_steps(state, [u.id for u in attackers], attacker_steps, "combat", "attacking")
    state, lost = take_steps(state, [d.id for d in defenders], defender_steps, "combat", "defending")
    events += lost
    attacking = {u.id for u in attackers}
    for exposed, total in hunted:
        cause: Cause = "attacking" if exposed[0] in attacking else "defending"
        left = [u for u in map(state.unit, exposed) if u.on_map]
        for unit_id, tanks in shares(state.scenario, left, total).items():
            state, lost = knock_out(state, unit_id, tanks, "close assault and anti-tank fire", cause)
            events += lost
    return state, events
