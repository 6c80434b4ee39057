"""Victory: who won the battle, how clearly, and how each side did against history.

A side scores each objective it holds at the end (the last side to stand in it alone), the
objectives' points for every turn held (banked turn by turn), and ``points_per_step`` for every
enemy step destroyed, with, where the scenario sets ``men_per_point``, a point for every that many
men those steps stood for.  The margin decides the level: ``decisive`` and ``marginal`` thresholds
come from the scenario; below them, a draw.  A sudden-death condition ends the game at once
with a decisive win.

Beside the battle's result, :func:`against_history` measures each side by the historical
record: a Japanese player who loses fewer men than the 19th Division did in 1938 has beaten
history even in defeat.  The battle's winner stays the winner.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from nomonhan.scenario.compiled import UnitSetup
from nomonhan.scenario.load import Scenario
from nomonhan.scenario.schema import StepContents
from nomonhan.state import GameState, Unit, UnitStatus, replace

LOSS_FIGURES = ("men", "tanks", "armoured_cars", "guns")
"""The losses a scenario's ``historical.losses`` can give per side, each as ``[low, high]``."""


@dataclass(frozen=True)
class Losses:
    """A side's losses as a report gives them: men (killed + wounded + missing), tanks, armoured
    cars, guns and steps, with the tanks recovered beside them."""

    men: int
    tanks: int
    armoured_cars: int
    guns: int
    steps: int
    killed: int
    wounded: int
    missing: int
    tanks_recovered: int

    def __add__(self, other: Losses) -> Losses:
        return Losses(*(getattr(self, name) + getattr(other, name) for name in _LOSS_FIELDS))

    def __sub__(self, other: Losses) -> Losses:
        return Losses(*(getattr(self, name) - getattr(other, name) for name in _LOSS_FIELDS))


_LOSS_FIELDS = tuple(f.name for f in fields(Losses))
"""Field names in order (``dataclasses.astuple`` deep-copies, too slow for the forecast's use)."""
NO_LOSSES = Losses(0, 0, 0, 0, 0, 0, 0, 0, 0)


@dataclass(frozen=True)
class Outcome:
    winner: str  # a side id, or "draw"
    level: str  # "decisive", "marginal" or "draw"
    points: dict[str, int]
    reasons: tuple[str, ...]
    history: dict[str, dict[str, Any]] = field(default_factory=dict)


def losses(state: GameState, side: str) -> Losses:
    """What ``side`` has lost and not got back: the steps still missing, the men lost less the
    wounded who came back, the tanks knocked out less those recovered (victory points count the
    steps)."""
    gone = 0
    cars = guns = 0
    for steps, per in _steps_missing(state, side):
        gone, cars, guns = gone + steps, cars + steps * per.armoured_cars, guns + steps * per.guns
    tally = state.tally(side)
    gross = gross_losses(state, side)
    return replace(
        gross,
        men=gross.men - tally.returned,
        wounded=gross.wounded - tally.returned,
        tanks=gross.tanks - tally.tanks_recovered,
        armoured_cars=cars,
        guns=guns,
        steps=gone,
    )


def _steps_missing(state: GameState, side: str) -> Iterator[tuple[int, StepContents]]:
    """Each of ``side``'s units that has come into the game: the steps it is missing now (lost
    and not recovered) and what one of its steps holds."""
    for unit, setup in zip(state.units, state.scenario.units):
        if unit.side != side or unit.status is UnitStatus.RESERVE:
            continue
        yield steps_missing(unit, setup), state.scenario.unit_types[unit.type_id].per_step


def steps_missing(unit: Unit, setup: UnitSetup) -> int:
    """The steps ``unit`` has lost and not recovered since it came into the game: none while in
    reserve, all it started with once eliminated, and none (not fewer than none) once it has
    recovered above the strength it was set up with."""
    if unit.status is UnitStatus.RESERVE:
        return 0
    return max(setup.starting_steps - (0 if unit.status is UnitStatus.ELIMINATED else unit.steps), 0)


def step_men_lost(state: GameState, side: str) -> int:
    """The men that ``side``'s missing steps stand for (each step weighs its type's
    ``per_step.men``): what a scenario's ``men_per_point`` scores, so that a border post's step
    of 40 men does not count as much as a battalion's of 500."""
    return sum(steps * per.men for steps, per in _steps_missing(state, side))


def loss_points(state: GameState, side: str) -> int:
    """The victory points ``side``'s losses give its enemy: ``points_per_step`` for each step
    missing and, with ``men_per_point``, one more for every that many men those steps stand for
    (rounded to the nearest point, a half up)."""
    return points_for_losses(state.scenario, _steps_missing(state, side))


def points_for_losses(scenario: Scenario, missing: Iterable[tuple[int, StepContents]]) -> int:
    """The victory points steps lost give the enemy, from each unit's count of steps missing and
    what one of its steps holds: :func:`loss_points` on the true losses, and the environments'
    rewards on the losses a side knows of (:mod:`nomonhan.env.score`), by the one rule."""
    steps = men = 0
    for lost, per in missing:  # one pass, not the whole loss account
        steps, men = steps + lost, men + lost * per.men
    points = scenario.points_per_step * steps
    if scenario.men_per_point:
        points += (2 * men + scenario.men_per_point) // (2 * scenario.men_per_point)
    return points


def gross_losses(state: GameState, side: str) -> Losses:
    """Everything ``side`` lost in the game, what came back included: history counts the wounded
    who returned to the ranks and the tanks repaired among the losses, so a game is set beside
    history by these."""
    tally = state.tally(side)
    return Losses(
        men=tally.killed + tally.wounded + tally.missing,
        tanks=tally.tanks,
        armoured_cars=tally.armoured_cars,
        guns=tally.guns,
        steps=tally.steps,
        killed=tally.killed,
        wounded=tally.wounded,
        missing=tally.missing,
        tanks_recovered=tally.tanks_recovered,
    )


def victory_points(state: GameState) -> dict[str, int]:
    scenario = state.scenario
    conceded = {side: loss_points(state, side) for side in scenario.side_ids}
    return points_scored(scenario, state.banked_points, state.holders, conceded)


def points_scored(
    scenario: Scenario, banked_points: tuple[int, int], holders: tuple[str | None, ...], conceded: dict[str, int]
) -> dict[str, int]:
    """Each side's points: those it banked, its objectives' (by ``holders``, one per objective)
    and what the enemy's losses give it (``conceded``: per side, the points its own losses give
    the enemy).  :func:`victory_points` scores the truth with it, a side's known score
    (:mod:`nomonhan.env.score`) what the side knows."""
    sides = scenario.side_ids
    points = dict(zip(sides, banked_points))
    for objective, holder in zip(scenario.objectives, holders):
        if holder in points:
            points[holder] += objective.points
    for side in sides:
        points[side] += conceded[scenario.enemy_of(side)]
    return points


def scenario_dates(scenario: Scenario) -> str:
    """The days the game covers, first turn's start to last turn's end: ``20 Aug - 31 Aug 1939``."""
    first = scenario.turn_start(1)
    end = scenario.turn_end(scenario.period.last_turn)
    year = "" if first.year == end.year else f" {first.year}"
    return f"{first.day} {first:%b}{year} - {end.day} {end:%b %Y}"


def historical_scope(scenario: Scenario, side: str) -> str:
    """What ``side``'s historical loss figures cover, to print beside every one of them.

    A campaign's totals set beside a 12-day battle mislead unless they say so: the scenario's
    ``scope`` text is given with the game's own dates; without one, the figures cover the
    scenario's dates.
    """
    recorded = scenario.historical.losses.get(side) if scenario.historical else None
    dates = scenario_dates(scenario)
    if recorded is not None and recorded.scope:
        return f"{recorded.scope}; the game: {dates}"
    return f"the scenario's dates, {dates}"


def historical_losses(scenario: Scenario) -> dict[str, dict[str, Any]]:
    """Per side, the historical losses as ``{men: [low, high], ..., scope: text}``, for reports."""
    if scenario.historical is None:
        return {}
    report: dict[str, dict[str, Any]] = {}
    for side, recorded in scenario.historical.losses.items():
        figures: dict[str, Any] = {kind: list(getattr(recorded, kind)) for kind in LOSS_FIGURES if getattr(recorded, kind) is not None}
        if figures:
            figures["scope"] = historical_scope(scenario, side)
            report[side] = figures
    return report


def against_history(state: GameState) -> dict[str, dict[str, Any]]:
    """Per side: gross losses (what came back included, as history counts) beside the
    historical ranges (with what those cover, ``scope``), and objectives held as history ended."""
    historical = state.scenario.historical
    if historical is None:
        return {}
    report: dict[str, dict[str, Any]] = {}
    held_now = {o.name: holder for o, holder in zip(state.scenario.objectives, state.holders)}
    for side in state.scenario.side_ids:
        entry: dict[str, Any] = {"historical_winner": historical.winner}
        lost = gross_losses(state, side)
        recorded = historical.losses.get(side)
        for kind in LOSS_FIGURES:
            span = getattr(recorded, kind) if recorded else None
            if span is not None:
                value = getattr(lost, kind)
                entry[kind] = {
                    "game": value,
                    "history": list(span),
                    "compared": "fewer" if value < span[0] else "more" if value > span[1] else "within",
                }
        if recorded is not None:
            entry["scope"] = historical_scope(state.scenario, side)
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
    reasons = [f"{o.name} ({o.points} VP) held by {holder or 'nobody'}" for o, holder in zip(scenario.objectives, state.holders)]
    for side in scenario.side_ids:
        enemy = scenario.enemy_of(side)
        men = f" ({step_men_lost(state, enemy):,} men)" if scenario.men_per_point else ""
        reasons.append(f"{side} destroyed {losses(state, enemy).steps} enemy steps{men}")
    if state.winner is not None:
        return Outcome(state.winner, "decisive", points, tuple([f"{state.winner} met a sudden-death condition", *reasons]), history)
    first, second = scenario.side_ids
    margin = points[first] - points[second]
    levels = scenario.victory
    if abs(margin) < levels.marginal:
        return Outcome("draw", "draw", points, tuple(reasons), history)
    winner = first if margin > 0 else second
    level = "decisive" if abs(margin) >= levels.decisive else "marginal"
    return Outcome(winner, level, points, tuple(reasons), history)
