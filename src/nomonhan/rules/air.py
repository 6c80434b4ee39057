"""Air points by date, weather by turn, whether aircraft can fly, and the air fights' dice.

Points and weather come from the scenario as dated entries ("from this date on"), so a
scenario states each change once.  No air missions fly at night or in rain or fog.
"""

from __future__ import annotations

from nomonhan import rng
from nomonhan.events import AirMissionCancelled, Event
from nomonhan.hexgrid import Hex
from nomonhan.scenario.load import Scenario
from nomonhan.state import GameState, replace


def air_points(scenario: Scenario, side: str, turn: int) -> int:
    """The side's air points for a turn: its latest entry starting at or before the turn."""
    now = scenario.turn_start(turn)
    entries = [a for a in scenario.air if a.side == side and a.start <= now]
    return max(entries, key=lambda a: a.start).points if entries else 0


def weather(scenario: Scenario, turn: int) -> str:
    now = scenario.turn_start(turn)
    spells = [w for w in scenario.weather if w.start <= now]
    return max(spells, key=lambda w: w.start).weather if spells else "clear"


def can_fly(scenario: Scenario, turn: int) -> bool:
    return not scenario.is_night(turn) and weather(scenario, turn) == "clear"


def air_fights(state: GameState, events: list[Event]) -> GameState:
    """Superiority fights first: escorts roll to shoot down patrols, patrols roll to turn back missions."""
    side = state.active_side
    enemy = state.scenario.enemy_of(side)
    threshold = state.scenario.rules.air.cancel_on_die_at_most
    seed = state.rng_state
    patrols = state.air.superiority_of(enemy)
    for _ in range(state.air.superiority_of(side)):
        if patrols == 0:
            break
        die, seed = rng.roll(seed, state.scenario.rules.air.die_sides)
        patrols -= 1 if die <= threshold else 0
    last_first = list(reversed(state.air.flown))
    cancelled: list[tuple[str, Hex]] = []
    for _ in range(patrols):
        if len(cancelled) == len(last_first):
            break
        die, seed = rng.roll(seed, state.scenario.rules.air.die_sides)
        if die <= threshold:
            cancelled.append(last_first[len(cancelled)])
    support = list(state.air.support)
    interdiction = list(state.air.interdiction)
    for kind, hex_ in cancelled:
        events.append(AirMissionCancelled(side, kind, hex_))
        (support if kind == "support" else interdiction).remove((side, hex_))
    standing = tuple(entry for entry in state.air.superiority if entry[0] != enemy) + (((enemy, patrols),) if patrols else ())
    air = replace(state.air, superiority=standing, support=tuple(support), interdiction=tuple(interdiction), points_left=0, flown=())
    return replace(state, rng_state=seed, air=air)
