"""Artillery: ammunition by the guns' weight, observed fire, suppression, counter-battery fire
and the dawn counter-barrage (``docs/rules.md``, "Artillery"; numbers in ``artillery`` of the
rules data).

- A unit of guns that fires spends supply points by its weight (light, medium, heavy), so a
  side short of supply fires its light guns longest.
- Guns fire only at hexes a friendly unit observes: within ``observer_day_range`` of one by
  day, ``observer_night_range`` (next to one) at night.
- A bombardment result ``S`` disrupts every unit left in the target hex: its attack, bombard,
  defence and move points are scaled down until the end of its side's next player turn (so that
  it weakens the unit's own turn, not only the enemy's).
- Fire at a hex holding enemy guns is counter-battery fire, with its own column shift.
- Units that moved in a night turn and stand in open ground when the first day turn begins are
  exposed: fire at their hex gets a column shift until they move or that day turn ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from nomonhan.events import Event, UnitDisrupted, UnitExposed, UnitRallied
from nomonhan.hexgrid import Hex
from nomonhan.rules.combat import CombatResult, bombardment_column, disrupted_share, entrenchment_level, resolve_bombardment, strength
from nomonhan.rules.visibility import hexes_near
from nomonhan.state import GameState, Unit, replace

# ------------------------------------------------------------------ ammunition


def fire_cost(state: GameState, unit: Unit) -> int:
    """Supply points ``unit`` spends each time it fires (its gun weight's cost)."""
    weight = state.scenario.unit_types[unit.type_id].gun_weight
    return next(w.fire_cost for w in state.scenario.rules.artillery.gun_weights if w.id == weight)


def ammunition_left(state: GameState, declared: tuple[str, ...]) -> int | None:
    """The active side's supply points left once the guns already ``declared`` have fired
    (None: supply is not counted this turn)."""
    if state.supply_left is None:
        return None
    return state.supply_left - sum(fire_cost(state, state.unit(uid)) for uid in declared)


# ------------------------------------------------------------------ observed fire


def observed_hexes(state: GameState, side: str) -> frozenset[Hex]:
    """Hexes ``side``'s guns may fire at: within observer range of one of its units on the map."""
    key = ("observed", side)
    found = state.memo.get(key)
    if found is None:
        rules = state.scenario.rules.artillery
        radius = rules.observer_night_range if state.is_night else rules.observer_day_range
        found = state.memo[key] = hexes_near(state, side, radius)
    return found


# ------------------------------------------------------------------ fire


@dataclass(frozen=True)
class FirePlan:
    """What decides a bombardment's column, with the reason for each shift."""

    strength: Fraction
    shifts: tuple[tuple[str, int], ...]
    column: int | None  # None: the fire can have no effect


def fire_plan(state: GameState, guns: list[Unit], defenders: list[Unit], target: Hex) -> FirePlan:
    """The column of the active side's guns firing at ``defenders`` in ``target``.

    Cover (entrenchment or fortification, and terrain that helps a defender) moves it left;
    counter-battery fire and fire at exposed units have their own shifts from the data.
    """
    rules = state.scenario.rules.artillery
    types = state.scenario.unit_types
    total = sum(
        (strength(types[g.type_id].bombard, g, types[g.type_id].steps) * disrupted_share(g, rules.disrupted_attack_pct) for g in guns),
        Fraction(0),
    )
    shifts: list[tuple[str, int]] = []
    cover = entrenchment_level(state, defenders, target) + (1 if state.scenario.board.terrain_at(target).defence_shift > 0 else 0)
    if cover:
        shifts.append(("cover", -cover))
    if rules.counter_battery_shift and any(types[d.type_id].bombard > 0 for d in defenders):
        shifts.append(("counter-battery", rules.counter_battery_shift))
    if rules.exposed_shift and any(d.exposed for d in defenders):
        shifts.append(("exposed in the open", rules.exposed_shift))
    column = bombardment_column(state.scenario.rules.bombardment, total, sum(v for _, v in shifts))
    return FirePlan(total, tuple(shifts), column)


def fire_result(state: GameState, plan: FirePlan, die: int) -> CombatResult | None:
    return resolve_bombardment(state.scenario.rules.bombardment, plan.column, die) if plan.column is not None else None


# ------------------------------------------------------------------ disruption


def disrupted_move_points(state: GameState, unit: Unit, points: int) -> int:
    return points * state.scenario.rules.artillery.disrupted_move_pct // 100 if unit.disrupted else points


def disrupt(state: GameState, unit_ids: list[str]) -> tuple[GameState, list[Event]]:
    """Disrupt the units of ``unit_ids`` still on the map (a unit already disrupted stays so)."""
    hit = [state.unit(uid) for uid in unit_ids if state.unit(uid).on_map and not state.unit(uid).disrupted]
    return state.with_units([replace(u, disrupted=True) for u in hit]), [UnitDisrupted(u.id) for u in hit]


def rally(state: GameState, side: str) -> tuple[GameState, list[Event]]:
    """At the end of its player turn, each disrupted unit of ``side`` recovers."""
    shaken = [u for u in state.units if u.side == side and u.disrupted]
    return state.with_units([replace(u, disrupted=False) for u in shaken]), [UnitRallied(u.id) for u in shaken if u.on_map]


# ------------------------------------------------------------------ the dawn counter-barrage


def expose_at_dawn(before: GameState, after: GameState) -> tuple[GameState, list[Event]]:
    """When the clock advances from ``before``'s turn to ``after``'s: from a night turn to a day
    turn, the units that moved in the night and stand in open ground (terrain that gives the
    defender no cover: no defence shift) become exposed; any other turn change ends every
    exposure."""
    dawn = before.is_night and not after.is_night
    board = after.scenario.board
    changed: list[Unit] = []
    events: list[Event] = []
    for unit in after.units:
        exposed = dawn and unit.on_map and unit.moved and board.terrain_at(unit.position).defence_shift <= 0
        if exposed != unit.exposed:
            changed.append(replace(unit, exposed=exposed))
            if exposed:
                events.append(UnitExposed(unit.id))
    return after.with_units(changed), events
