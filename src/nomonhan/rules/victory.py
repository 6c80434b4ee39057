"""Victory: points for objectives held and enemy steps destroyed, and the level of the win.

A side scores each objective it holds (the last side to stand in it alone) and
``points_per_step`` for every enemy step destroyed.  The margin between the two scores decides
the level: ``decisive`` and ``marginal`` thresholds come from the scenario; below them, a draw.
"""

from __future__ import annotations

from dataclasses import dataclass

from nomonhan.state import GameState, UnitStatus


@dataclass(frozen=True)
class Outcome:
    winner: str  # a side id, or "draw"
    level: str  # "decisive", "marginal" or "draw"
    points: dict[str, int]
    reasons: tuple[str, ...]


def steps_lost(state: GameState, side: str) -> int:
    """Steps of ``side`` destroyed so far (units still in reserve have lost none)."""
    lost = 0
    for unit, setup in zip(state.units, state.scenario.model.units):
        if unit.side == side and unit.status is not UnitStatus.RESERVE:
            full = setup.steps or state.scenario.unit_types[unit.type_id].steps
            lost += full - (0 if unit.status is UnitStatus.ELIMINATED else unit.steps)
    return lost


def victory_points(state: GameState) -> dict[str, int]:
    scenario = state.scenario
    points = {side: 0 for side in scenario.side_ids}
    for objective, holder in zip(scenario.model.objectives, state.holders):
        if holder in points:
            points[holder] += objective.points
    for side in scenario.side_ids:
        points[side] += scenario.model.points_per_step * steps_lost(state, scenario.enemy_of(side))
    return points


def outcome(state: GameState) -> Outcome | None:
    """Who won and how clearly, once the game is over; ``None`` while it goes on."""
    if not state.game_over:
        return None
    scenario = state.scenario
    points = victory_points(state)
    first, second = scenario.side_ids
    margin = points[first] - points[second]
    levels = scenario.model.victory
    reasons = []
    for objective, holder in zip(scenario.model.objectives, state.holders):
        reasons.append(f"{objective.name} ({objective.points} VP) held by {holder or 'nobody'}")
    for side in scenario.side_ids:
        reasons.append(f"{side} destroyed {steps_lost(state, scenario.enemy_of(side))} enemy steps")
    if abs(margin) < levels.marginal:
        return Outcome("draw", "draw", points, tuple(reasons))
    winner = first if margin > 0 else second
    level = "decisive" if abs(margin) >= levels.decisive else "marginal"
    return Outcome(winner, level, points, tuple(reasons))
