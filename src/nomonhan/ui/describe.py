"""Words for people: events as log lines, units and hexes as panel text, actions as labels.

The log respects fog of war: a line about an enemy unit appears only if the viewer could see
that unit before or after the action, so the narrative never betrays a hidden move.  Event kinds
this module does not know yet (combat, supply) still get a generic line from their fields.
"""

from __future__ import annotations

import html
from datetime import datetime

from nomonhan.actions import Action, Move
from nomonhan.events import (
    Event,
    GameEnded,
    MoveInterrupted,
    PhaseStarted,
    ReinforcementArrived,
    ReinforcementDelayed,
    TurnStarted,
    UnitMoved,
)
from nomonhan.hexgrid import Hex, Hexside
from nomonhan.scenario.errors import ScenarioError
from nomonhan.scenario.load import Scenario
from nomonhan.scenario.schema import format_hex
from nomonhan.state import GameState, Unit
from nomonhan.ui.orders import first_hex, units_named
from nomonhan.ui.view import MapView


def when(moment: datetime) -> str:
    return moment.strftime("%d %b %Y %H:%M").lstrip("0")


def side_name(scenario: Scenario, side: str) -> str:
    return next((s.name for s in scenario.sides if s.id == side), side)


def unit_name(scenario: Scenario, unit_id: str) -> str:
    return scenario.model.units[scenario.unit_order[unit_id]].name


def where(scenario: Scenario, hex_: Hex) -> str:
    """``12,5`` or ``Bridge (12,5)`` when the hex has a place name."""
    for name, place in scenario.board.places.items():
        if place == hex_:
            return f"{name} ({format_hex(hex_)})"
    return format_hex(hex_)


# ---------------------------------------------------------------- events


def event_line(scenario: Scenario, event: Event) -> str:
    """One readable line for an event (plain text)."""
    if isinstance(event, UnitMoved):
        return f"{unit_name(scenario, event.unit)} moved {where(scenario, event.path[0])} → {where(scenario, event.path[-1])} ({event.cost} MP)"
    if isinstance(event, MoveInterrupted):
        found = ", ".join(unit_name(scenario, u) for u in event.revealed)
        return f"{unit_name(scenario, event.unit)} stopped at {where(scenario, event.at)}: ran into {found}"
    if isinstance(event, ReinforcementArrived):
        return f"{unit_name(scenario, event.unit)} arrives at {where(scenario, event.at)}"
    if isinstance(event, ReinforcementDelayed):
        return f"{unit_name(scenario, event.unit)} is delayed: its entry hex is blocked"
    if isinstance(event, PhaseStarted):
        return f"{side_name(scenario, event.side)}: {event.phase} phase"
    if isinstance(event, TurnStarted):
        night = " (night)" if event.night else ""
        return f"Turn {event.turn}: {when(datetime.fromisoformat(event.date))}{night}"
    if isinstance(event, GameEnded):
        return f"The game ends after turn {event.turn}"
    fields = ", ".join(f"{k}={v}" for k, v in event.to_json().items() if k != "event")
    return f"{type(event).__name__}: {fields}"


def opening_line(state: GameState) -> str:
    """The log's first line: the scenario and when the game begins."""
    night = ", night" if state.is_night else ""
    return f"<b>{html.escape(state.scenario.model.title)}: turn {state.turn}, {html.escape(when(state.clock))}{night}</b>"


def event_visible(event: Event, scenario: Scenario, seen_ids: set[str]) -> bool:
    """Whether a viewer who saw the units ``seen_ids`` (before or after) may read about ``event``."""
    return all(unit_id in seen_ids for unit_id in units_named(event, scenario.unit_order))


def event_html(scenario: Scenario, event: Event) -> str:
    """The log line with emphasis: turn starts in bold, phase changes dimmed."""
    line = html.escape(event_line(scenario, event))
    if isinstance(event, TurnStarted):
        return f"<b>{line}</b>"
    if isinstance(event, PhaseStarted):
        return f"<font color='#9aa2ac'>{line}</font>"
    if isinstance(event, (MoveInterrupted, GameEnded)):
        return f"<font color='#ffb060'>{line}</font>"
    return line


# ---------------------------------------------------------------- actions


def action_label(scenario: Scenario, action: Action) -> str:
    """A button label for an action: words for known kinds, the notation for the rest."""
    if isinstance(action, Move):
        return f"Move to {where(scenario, action.to)}"
    units = ", ".join(unit_name(scenario, u) for u in units_named(action, scenario.unit_order))
    target = first_hex(action)
    parts = [type(action).__name__] + ([units] if units else []) + ([f"→ {where(scenario, target)}"] if target else [])
    return " ".join(parts)


# ---------------------------------------------------------------- units and hexes


def unit_html(scenario: Scenario, unit: Unit, own: bool) -> str:
    """The selected-unit panel: type, formation, strength, steps, men/tanks/guns, move points."""
    setup = scenario.model.units[scenario.unit_order[unit.id]]
    unit_type = scenario.unit_types[unit.type_id]
    full = setup.steps or unit_type.steps
    per = unit_type.per_step
    lines = [
        f"<b>{html.escape(setup.name)}</b> <font color='#9aa2ac'>({html.escape(unit.id)})</font>",
        f"{html.escape(unit_type.name)}: {unit_type.category.replace('_', ' ')}, {unit_type.size}",
        f"{html.escape(side_name(scenario, unit.side))}" + (f", {html.escape(setup.formation)}" if setup.formation else ""),
        f"Attack {unit_type.attack}  Defence {unit_type.defence}  Move {unit_type.move_points}",
        f"Steps {unit.steps}/{full}: {per.men * unit.steps} men, {per.tanks * unit.steps} tanks, {per.guns * unit.steps} guns",
    ]
    if own:
        lines.append(f"Move points left: <b>{unit.move_points}</b> of {unit_type.move_points}")
    if unit.hex is not None:
        lines.append(f"At {html.escape(where(scenario, unit.hex))}, {html.escape(scenario.board.terrain_at(unit.hex).name.lower())}")
    return "<br>".join(lines)


def reserves_html(scenario: Scenario, reserves: tuple[Unit, ...]) -> str:
    """Reinforcements still to come, with date and entry hex."""
    lines = []
    for unit in reserves:
        arrive = scenario.model.units[scenario.unit_order[unit.id]].arrive
        if arrive is not None:
            lines.append(f"{html.escape(unit_name(scenario, unit.id))}: {when(arrive.at)} at {arrive.hex}")
    return "<br>".join(lines)


def hex_summary(scenario: Scenario, view: MapView, hex_: Hex) -> str:
    """One status-bar line about the hex under the mouse."""
    board = scenario.board
    parts = [where(scenario, hex_), board.terrain_at(hex_).name]
    for n, objective in enumerate(scenario.model.objectives):
        if objective.hex == format_hex(hex_):
            holder = view.holders[n]
            parts.append(f"objective {objective.points} VP, held by {side_name(scenario, holder) if holder else 'nobody'}")
    for other in hex_.neighbours():
        side = Hexside.between(hex_, other)
        names = board.features.get(side)
        if names:
            bridged = " (bridged)" if side in view.bridges else ""
            parts.append(f"{'/'.join(names)} towards {format_hex(other)}{bridged}")
    units = view.units_at(hex_)
    if units:
        parts.append(", ".join(unit_name(scenario, u.id) for u in units))
    if view.seen is not None and hex_ not in view.seen:
        parts.append("not observed")
    return " · ".join(parts)



def error_text(exc: Exception) -> str:
    """One line saying why a saved game or scenario could not be opened."""
    if isinstance(exc, ScenarioError) and exc.problems:
        return str(exc.problems[0])
    return str(exc) or type(exc).__name__
