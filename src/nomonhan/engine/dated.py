"""Special rules that hold for a while or wait for an event: one place that answers "now?".

- A border rule (``special_rules.border_crossing_forbidden``) may have a window (``start``,
  ``until``): the side may not move or attack across the border while the turn's start time
  lies inside it.  Outside the window the line is open to moves and attacks; retreats and zones
  of control (:func:`nomonhan.rules.movement.forbidden_edges`) keep to the line whatever the
  time, so a side is never pushed or projected across a border it is ever forbidden to cross.
- ``special_rules.hold_fire``: guns that may not fire (bombard or support an attack) during a
  window.
- A reinforcement with ``arrive.early`` events enters at the start of its side's turn once one
  of them has happened (an objective changed hands, a unit was eliminated), even before its
  ``arrive.at`` time.

The engine asks these functions where it decides eligibility and arrivals; nothing else about
them lives in the engine.
"""

from __future__ import annotations

from datetime import datetime

from nomonhan.scenario.compiled import TimeWindow, UnitSetup
from nomonhan.state import GameState, Unit, UnitStatus


def in_force(window: TimeWindow, moment: datetime) -> bool:
    """Whether a rule with this window holds at ``moment`` (a turn's start time)."""
    return (window.start is None or window.start <= moment) and (window.until is None or moment < window.until)


def closed_edges(state: GameState, side: str) -> frozenset[int]:
    """Hexside keys ``side`` may not move or attack across this turn (memoised on the state)."""
    key = ("closed-borders", side)
    if key not in state.memo:
        borders = state.scenario.board.borders
        rules = state.scenario.special_rules.border_crossing_forbidden
        closed = [borders.get(rule.border, frozenset()) for rule in rules if rule.side == side and in_force(rule, state.clock)]
        state.memo[key] = frozenset().union(*closed)
    found: frozenset[int] = state.memo[key]
    return found


def holds_fire(state: GameState, unit: Unit) -> bool:
    """Whether ``unit``'s guns are silenced by a hold-fire rule this turn."""
    return any(
        rule.side == unit.side and (not rule.units or unit.id in rule.units) and in_force(rule, state.clock)
        for rule in state.scenario.special_rules.hold_fire
    )


def released(state: GameState, setup: UnitSetup) -> bool:
    """Whether a reinforcement may enter now: its time has come, or an early event happened."""
    arrive = setup.arrive
    if arrive is None:
        return False
    if arrive.at <= state.clock:
        return True
    return any(_happened(state, event.objective, event.eliminated) for event in arrive.early)


def _happened(state: GameState, objective: str | None, eliminated: str | None) -> bool:
    if eliminated is not None:
        return state.unit(eliminated).status is UnitStatus.ELIMINATED
    for index, spec in enumerate(state.scenario.objectives):
        if spec.name == objective:
            return state.holders[index] != _setup_holder(state, index)
    return False


def _setup_holder(state: GameState, index: int) -> str | None:
    """Who held an objective when the game began: the one side set up in it, else its
    ``initial_holder`` (as :func:`nomonhan.engine.attrition.update_holders` first decided)."""
    spec = state.scenario.objectives[index]
    sides = {setup.side for setup in state.scenario.units if setup.hex == spec.hex}
    return next(iter(sides)) if len(sides) == 1 else spec.initial_holder
