"""Special rules that hold for a while or wait for an event: one place that answers "now?".

- A border rule (``special_rules.border_crossing_forbidden``) may have a window (``start``,
  ``until``): while the turn's start time lies inside it the side may not move, attack, advance
  or retreat across the border, and its zones of control stop there; outside it the line binds
  none of these.  The rules ask one function, :func:`nomonhan.rules.movement.closed_borders`.
- ``special_rules.hold_fire``: guns that may not fire (bombard or support an attack) during a
  window.
- A reinforcement with ``arrive.early`` events enters at the start of its side's turn once one
  of them has happened (an objective changed hands, a unit was eliminated), even before its
  ``arrive.at`` time.

A rule's window answers for itself (:meth:`nomonhan.scenario.compiled.TimeWindow.holds_at`); the
engine asks these functions where it decides eligibility and arrivals.
"""

from __future__ import annotations

from nomonhan.engine.view import refresh_known_holders
from nomonhan.scenario.compiled import UnitSetup
from nomonhan.state import GameState, Unit, UnitStatus


def holds_fire(state: GameState, unit: Unit) -> bool:
    """Whether ``unit``'s guns are silenced by a hold-fire rule this turn."""
    return any(
        rule.side == unit.side and (not rule.units or unit.id in rule.units) and rule.holds_at(state.clock)
        for rule in state.scenario.special_rules.hold_fire
    )


def released(state: GameState, setup: UnitSetup) -> bool:
    """Whether a reinforcement may enter now: its time has come, or an early event happened."""
    arrive = setup.arrive
    if arrive is None:
        return False
    if arrive.at <= state.clock:
        return True
    return any(_happened(state, setup.side, event.objective, event.eliminated) for event in arrive.early)


def _happened(state: GameState, side: str, objective: str | None, eliminated: str | None) -> bool:
    """Whether ``side`` knows the event happened: the end of one of its own units (the
    scenario checks refuse an enemy unit), or an objective's holder as the side sees it now or
    last saw it (the engine refreshes that knowledge only once the action is over, so it is
    refreshed here by the same rule)."""
    if eliminated is not None:
        return state.unit(eliminated).status is UnitStatus.ELIMINATED
    for index, spec in enumerate(state.scenario.objectives):
        if spec.name == objective:
            return refresh_known_holders(state).holders_known_to(side)[index] != _setup_holder(state, index)
    return False


def _setup_holder(state: GameState, index: int) -> str | None:
    """Who held an objective when the game began: the one side set up in it, else its
    ``initial_holder`` (as :func:`nomonhan.engine.attrition.update_holders` first decided)."""
    spec = state.scenario.objectives[index]
    sides = {setup.side for setup in state.scenario.units if setup.hex == spec.hex}
    return next(iter(sides)) if len(sides) == 1 else spec.initial_holder
