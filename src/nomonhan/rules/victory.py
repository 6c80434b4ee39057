"""Victory: who won the battle, how clearly, and how each side did against history.

A side scores each objective it holds at the end (the last side to stand in it alone), the
objectives' points for every turn held (banked turn by turn), and ``points_per_step`` for every
enemy step destroyed.  The margin decides the level: ``decisive`` and ``marginal`` thresholds
come from the scenario; below them, a draw.  A sudden-death condition ends the game at once
with a decisive win.

Beside the battle's result, :func:`against_history` measures each side by the historical
record: a Japanese player who loses fewer men than the 19th Division did in 1938 has beaten
history even in defeat.  The battle's winner stays the winner.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nomonhan.state import GameState, UnitStatus


@dataclass(frozen=True)
class Losses:
    men: int
    tanks: int
    armoured_cars: int
    guns: int
    steps: int


@dataclass(frozen=True)
class Outcome:
    winner: str  # a side id, or "draw"
    level: str  # "decisive", "marginal" or "draw"
    points: dict[str, int]
    reasons: tuple[str, ...]
    history: dict[str, dict] = field(default_factory=dict)


def losses(state: GameState, side: str) -> Losses:
    """Men, tanks and guns lost by ``side``: steps gone times what one step holds."""
    men = tanks = cars = guns = steps = 0
    for unit, setup in zip(state.units, state.scenario.model.units):
        if unit.side != side or unit.status is UnitStatus.RESERVE:
            continue
        unit_type = state.scenario.unit_types[unit.type_id]
        gone = state.scenario.starting_steps(setup) - (0 if unit.status is UnitStatus.ELIMINATED else unit.steps)
        gone = max(gone, 0)
        steps += gone
        men += gone * unit_type.per_step.men
        tanks += gone * unit_type.per_step.tanks
        cars += gone * unit_type.per_step.armoured_cars
        guns += gone * unit_type.per_step.guns
    return Losses(men, tanks, cars, guns, steps)


def victory_points(state: GameState) -> dict[str, int]:
    scenario = state.scenario
    sides = scenario.side_ids
    points = {side: state.banked_points[n] for n, side in enumerate(sides)}
    for objective, holder in zip(scenario.model.objectives, state.holders):
        if holder in points:
            points[holder] += objective.points
    for side in sides:
        points[side] += scenario.model.points_per_step * losses(state, scenario.enemy_of(side)).steps
    return points


def against_history(state: GameState) -> dict[str, dict]:
    """Per side: losses in men beside the historical range, and objectives held as history ended."""
    historical = state.scenario.model.historical
    if historical is None:
        return {}
    report: dict[str, dict] = {}
    held_now = {o.name: holder for o, holder in zip(state.scenario.model.objectives, state.holders)}
    for side in state.scenario.side_ids:
        entry: dict = {"historical_winner": historical.winner}
        lost = losses(state, side)
        recorded = historical.losses.get(side)
        for kind in ("men", "tanks", "armoured_cars", "guns"):
            span = getattr(recorded, kind) if recorded else None
            if span is not None:
                value = getattr(lost, kind)
                entry[kind] = {"game": value, "history": list(span), "compared": "fewer" if value < span[0] else "more" if value > span[1] else "within"}
        entry["objectives_held"] = sorted(name for name, holder in held_now.items() if holder == side)
        entry["objectives_held_historically"] = sorted(name for name, holder in historical.held_objectives.items() if holder == side)
        report[side] = entry
    return report


def outcome(state: GameState) -> Outcome | None:
    """Who won and how clearly, once the game is over; ``None`` while it goes on."""
    if not state.game_over:
        return None
    scenario = state.scenario
    points = victory_points(state)
    history = against_history(state)
    reasons = [f"{o.name} ({o.points} VP) held by {holder or 'nobody'}" for o, holder in zip(scenario.model.objectives, state.holders)]
    for side in scenario.side_ids:
        reasons.append(f"{side} destroyed {losses(state, scenario.enemy_of(side)).steps} enemy steps")
    if state.winner is not None:
        return Outcome(state.winner, "decisive", points, tuple([f"{state.winner} met a sudden-death condition", *reasons]), history)
    first, second = scenario.side_ids
    margin = points[first] - points[second]
    levels = scenario.model.victory
    if abs(margin) < levels.marginal:
        return Outcome("draw", "draw", points, tuple(reasons), history)
    winner = first if margin > 0 else second
    level = "decisive" if abs(margin) >= levels.decisive else "marginal"
    return Outcome(winner, level, points, tuple(reasons), history)
