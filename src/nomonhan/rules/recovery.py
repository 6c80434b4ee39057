"""The recovery phase: units that stayed put dig in; those that also rested recover a step.

See docs/rules.md, "Entrenchment" and "Recovery".
"""

from __future__ import annotations

from nomonhan.events import Event, UnitRecovered
from nomonhan.rules.casualties import returned
from nomonhan.rules.supply import recovers
from nomonhan.state import GameState, replace


def recover(state: GameState, events: list[Event]) -> GameState:
    """Units that stayed put dig in; those that also rested in supply, away from the enemy, recover."""
    scenario = state.scenario
    per_step = scenario.turns_spanning(scenario.rules.recovery.rest_hours_per_step)
    enemy_hexes = {u.hex for u in state.units if u.on_map and u.side != state.active_side}
    changed = []
    for unit in state.units_of(state.active_side):
        if unit.moved:
            changed.append(replace(unit, entrenchment=0, rest_turns=0))
            continue
        entrenchment = max(unit.entrenchment, 1)
        near_enemy = any(n in enemy_hexes for n in unit.position.neighbours())
        if unit.attacked or not recovers(state, unit) or near_enemy:
            changed.append(replace(unit, entrenchment=entrenchment, rest_turns=0))
            continue
        rest = unit.rest_turns + 1
        steps = unit.steps
        full = scenario.unit_types[unit.type_id].steps
        if rest >= per_step and steps < full:
            steps, rest = steps + 1, 0
            events.append(UnitRecovered(unit.id))
            state = state.with_tally(unit.side, returned(state.tally(unit.side), scenario.unit_types[unit.type_id]))
        changed.append(replace(unit, entrenchment=entrenchment, rest_turns=rest, steps=steps))
    return state.with_units(changed)
