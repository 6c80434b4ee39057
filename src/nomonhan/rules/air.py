"""Air points by date, weather by turn, and whether aircraft can fly.

Both come from the scenario as dated entries ("from this date on"), so a scenario states each
change once.  No air missions fly at night or in rain or fog.
"""

from __future__ import annotations

from nomonhan.scenario.load import Scenario


def air_points(scenario: Scenario, side: str, turn: int) -> int:
    """The side's air points for a turn: its latest entry starting at or before the turn."""
    now = scenario.turn_start(turn)
    entries = [a for a in scenario.model.air if a.side == side and a.start <= now]
    return max(entries, key=lambda a: a.start).points if entries else 0


def weather(scenario: Scenario, turn: int) -> str:
    now = scenario.turn_start(turn)
    spells = [w for w in scenario.model.weather if w.start <= now]
    return max(spells, key=lambda w: w.start).weather if spells else "clear"


def can_fly(scenario: Scenario, turn: int) -> bool:
    return not scenario.is_night(turn) and weather(scenario, turn) == "clear"
