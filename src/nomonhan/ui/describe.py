"""Words for people: events as log lines, units and hexes as panel text, actions as labels.

The log respects fog of war.  A :class:`Narrator` speaks for one viewer: an event about enemy
units the viewer never saw is left out, an unseen unit in an event it may read (the guns that
shelled it) is "an unseen unit", and an enemy that moves out of sight is said to, without
saying where it went.  Event kinds this module does not know yet still get a generic line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from nomonhan import engine
from nomonhan.actions import (
    Action,
    Advance,
    AirMission,
    Attack,
    BuildBridge,
    Cancel,
    Declare,
    DemolishBridge,
    EndPhase,
    HoldPosition,
    Move,
    Resolve,
    Retreat,
    Support,
)
from nomonhan.events import (
    AirMissionCancelled,
    AirMissionFlown,
    BombardmentResolved,
    BridgeAttacked,
    BridgeBuilt,
    BridgeDemolished,
    BridgeFoundGone,
    CombatResolved,
    Event,
    GameEnded,
    MoveInterrupted,
    PhaseStarted,
    PontoonWorked,
    ReinforcementArrived,
    ReinforcementDelayed,
    RetreatInterrupted,
    StepLost,
    SuddenDeath,
    SupplyChanged,
    TurnStarted,
    UnitAdvanced,
    UnitDisrupted,
    UnitEliminated,
    UnitExposed,
    UnitMoved,
    UnitRallied,
    UnitRecovered,
    UnitRetreated,
)
from nomonhan.hexgrid import Hex, Hexside, format_hex, format_hexside
from nomonhan.rules.victory import outcome, victory_points
from nomonhan.scenario.errors import ScenarioError
from nomonhan.scenario.load import Scenario
from nomonhan.state import GameState, Phase, Unit
from nomonhan.ui.view import MapView, full_steps
from nomonhan.ui.wording import plural

UNSEEN = "an unseen unit"


@dataclass(frozen=True)
class Entry:
    """One log line: its text and how it reads (``turn``, ``phase``, ``combat``, ``alert``...)."""

    text: str
    kind: str = "normal"


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


def error_text(exc: Exception) -> str:
    """One line saying why a saved game or scenario could not be opened."""
    if isinstance(exc, ScenarioError) and exc.problems:
        return str(exc.problems[0])
    return str(exc) or type(exc).__name__


def file_error(doing: str, path: str, exc: Exception) -> str:
    """``Cannot load autosave.json: made by Nomonhan 0.1.0, ...``: the file by its name and why,
    the reason first (an error that names the path again has it taken off), for one line."""
    reason = error_text(exc).removeprefix(f"{path}: ")
    return f"{doing} {Path(path).name}: {reason}"


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class Narrator:
    """Tells one viewer's story of one action, knowing which units it saw before and after."""

    scenario: Scenario
    viewer: str | None
    seen_before: frozenset[str]
    seen_after: frozenset[str]

    @property
    def seen(self) -> frozenset[str]:
        return self.seen_before | self.seen_after

    def name(self, unit_id: str) -> str:
        return unit_name(self.scenario, unit_id) if unit_id in self.seen else UNSEEN

    def names(self, unit_ids: tuple[str, ...]) -> str:
        shown = [self.name(u) for u in unit_ids]
        hidden = shown.count(UNSEEN)
        listed = [n for n in shown if n != UNSEEN] + ([f"{hidden} unseen unit{'s' if hidden > 1 else ''}"] if hidden else [])
        return ", ".join(listed)

    def own(self, unit_id: str) -> bool:
        return self.viewer is None or self.scenario.model.units[self.scenario.unit_order[unit_id]].side == self.viewer

    def line(self, event: Event) -> str:
        """One readable line (plain text)."""
        s = self.scenario
        if isinstance(event, UnitMoved):
            if not self.own(event.unit) and event.unit not in self.seen_after:
                return f"{self.name(event.unit)} moved out of sight"
            if not self.own(event.unit) and event.unit not in self.seen_before:
                return f"{self.name(event.unit)} spotted at {where(s, event.path[-1])}"
            spent = f" ({event.cost} MP)" if self.own(event.unit) else ""  # an enemy's cost is its own
            return f"{self.name(event.unit)} moved {where(s, event.path[0])} to {where(s, event.path[-1])}{spent}"
        if isinstance(event, MoveInterrupted):
            return f"{self.name(event.unit)} stopped at {where(s, event.at)}: ran into {self.names(event.revealed)}"
        if isinstance(event, BridgeFoundGone):
            return f"{self.name(event.unit)} stopped at {where(s, event.at)}: the bridge between {format_hex(event.low)} and {format_hex(event.high)} is not there or does not carry"
        if isinstance(event, RetreatInterrupted):
            return f"{self.name(event.unit)}'s retreat was cut short at {where(s, event.at)} by {self.names(event.revealed)}"
        if isinstance(event, ReinforcementArrived):
            return f"{self.name(event.unit)} arrives at {where(s, event.at)}"
        if isinstance(event, ReinforcementDelayed):
            return f"{self.name(event.unit)} is delayed: its entry hex is blocked"
        if isinstance(event, PhaseStarted):
            return f"{side_name(s, event.side)}: {event.phase} phase"
        if isinstance(event, TurnStarted):
            return f"Turn {event.turn}: {when(datetime.fromisoformat(event.date))}{' (night)' if event.night else ''}"
        if isinstance(event, GameEnded):
            return f"The game ends after turn {event.turn}"
        if isinstance(event, CombatResolved):
            kind = "Overrun" if event.overrun else "Attack"
            shift = f", shift {event.shift:+d}" if event.shift else ""
            return (
                f"{kind} on {where(s, event.target)} by {self.names(event.attackers)}: {event.odds}{shift}, "
                f"die {event.die}: {event.result}; attacker lost {event.attacker_steps_lost}, "
                f"defender {plural(event.defender_steps_lost, 'step')}"
            )
        if isinstance(event, BombardmentResolved):
            return (
                f"{self.names(event.guns)} shelled {where(s, event.target)}: die {event.die}: {event.result}, "
                f"{plural(event.defender_steps_lost, 'step')} lost"
            )
        if isinstance(event, (AirMissionFlown, AirMissionCancelled)):
            over = f" over {where(s, event.hex)}" if event.hex is not None else ""
            done = "turned back by fighters" if isinstance(event, AirMissionCancelled) else "flown"
            return f"{side_name(s, event.side)} air {event.kind}{over}: {done}"
        if isinstance(event, SupplyChanged):
            state = "back in supply" if event.out_of_supply == 0 else f"out of supply ({event.out_of_supply})"
            return f"{self.name(event.unit)} is {state}"
        if isinstance(event, StepLost):
            return f"{self.name(event.unit)} loses a step ({event.reason})"
        if isinstance(event, UnitEliminated):
            return f"{self.name(event.unit)} is eliminated"
        if isinstance(event, UnitRetreated):
            lost = f", losing {plural(event.steps_lost, 'step')}" if event.steps_lost else ""
            return f"{self.name(event.unit)} retreats to {where(s, event.to)}{lost}"
        if isinstance(event, UnitAdvanced):
            return f"{self.name(event.unit)} advances into {where(s, event.to)}"
        if isinstance(event, (BridgeBuilt, BridgeDemolished)):
            verb = "throws a pontoon" if isinstance(event, BridgeBuilt) else "blows the bridge"
            return f"{self.name(event.unit)} {verb} between {format_hex(event.low)} and {format_hex(event.high)}"
        if isinstance(event, PontoonWorked):
            return f"{self.name(event.unit)} works on a pontoon between {format_hex(event.low)} and {format_hex(event.high)} ({event.hours} of {event.needed} hours)"
        if isinstance(event, BridgeAttacked):
            result = {"-": "no effect", "damaged": "damaged", "destroyed": "destroyed"}[event.result]
            return f"{event.by.capitalize()} attack the bridge between {format_hex(event.low)} and {format_hex(event.high)} (die {event.die}): {result}"
        if isinstance(event, UnitRecovered):
            return f"{self.name(event.unit)} recovers a step"
        if isinstance(event, UnitDisrupted):
            return f"{self.name(event.unit)} is disrupted by the fire"
        if isinstance(event, UnitRallied):
            return f"{self.name(event.unit)} rallies (no longer disrupted)"
        if isinstance(event, UnitExposed):
            return f"{self.name(event.unit)} is caught in the open at dawn"
        if isinstance(event, SuddenDeath):
            return f"Sudden death: {side_name(s, event.side)} wins at once"
        fields = ", ".join(f"{k}={v}" for k, v in event.to_json().items() if k != "event")
        return f"{type(event).__name__}: {fields}"

    def entry(self, event: Event) -> Entry:
        """The line with how it should read: turn starts and combat stand out, phases recede."""
        if isinstance(event, TurnStarted):
            kind = "turn"
        elif isinstance(event, (CombatResolved, BombardmentResolved, SuddenDeath)):
            kind = "combat"
        elif isinstance(event, PhaseStarted):
            kind = "phase"
        elif isinstance(event, (MoveInterrupted, BridgeFoundGone, RetreatInterrupted, GameEnded, UnitEliminated, StepLost)):
            kind = "alert"
        else:
            kind = "normal"
        return Entry(self.line(event), kind)


def opening_entry(state: GameState) -> Entry:
    """The log's first line: when the game begins."""
    night = " (night)" if state.is_night else ""
    return Entry(f"Turn {state.turn}: {when(state.clock)}{night}, the battle begins", "turn")


# ---------------------------------------------------------------- actions


def with_side_names(scenario: Scenario, text: str) -> str:
    """``text`` with each side id (``japanese``) as the side's name, for rules text shown to players."""
    for side in scenario.sides:
        text = re.sub(rf"\b{re.escape(side.id)}\b", side.name, text)
    return text


def attack_after(state: GameState, action: Action) -> Attack | None:
    """The attack as it would stand after ``action``: an overrun, or the declaration in the
    combat phase with one more unit or gun (or resolved as it is)."""
    if isinstance(action, Attack):
        return action
    declaration = state.declaration
    if state.phase is not Phase.COMBAT or not isinstance(action, (Declare, Support, Resolve)):
        return None
    units, guns = (declaration.units, declaration.guns) if declaration else ((), ())
    if isinstance(action, Declare):
        return Attack(units + (action.unit,), action.target, guns)
    if isinstance(action, Support) and declaration is not None:
        return Attack(units, action.target, guns + (action.unit,))
    return Attack(units, declaration.target, guns) if declaration is not None and units else None


def action_label(state: GameState, action: Action) -> str:
    """A button label for an action; attacks carry the engine's exact forecast."""
    s = state.scenario
    if isinstance(action, Move):
        return f"Move {unit_name(s, action.unit)} to {where(s, action.to)}"
    if isinstance(action, Cancel):
        return "Cancel the declaration (nothing is spent)"
    if isinstance(action, Support) and state.phase is Phase.BOMBARDMENT:
        return f"Bombard {where(s, action.target)} with {unit_name(s, action.unit)}"
    if isinstance(action, Resolve) and state.phase is Phase.BOMBARDMENT and state.declaration is not None:
        guns = ", ".join(unit_name(s, u) for u in state.declaration.guns)
        return f"Fire: {guns} on {where(s, state.declaration.target)}"
    attack = attack_after(state, action)
    if attack is not None and isinstance(action, Resolve):
        # short enough not to be cut in the side panel: the target and the column; resting the
        # pointer on the button shows the whole forecast
        guns = f" + {plural(len(attack.artillery), 'gun')}" if attack.artillery else ""
        return f"Resolve: attack on {format_hex(attack.target)}{guns} at {engine.combat_odds(state, attack).plan.column_label}"
    if attack is not None:
        forecast = engine.combat_odds(state, attack)
        guns = f" + {len(attack.artillery)} guns" if attack.artillery else ""
        kind = "Overrun" if attack.overrun else "Declare: attack"
        return (
            f"{kind} with {', '.join(unit_name(s, u) for u in attack.units)}{guns}: {forecast.plan.column_label}; "
            f"expected steps lost: you {float(forecast.expected_attacker_steps):.1f}, "
            f"enemy {float(forecast.expected_defender_steps):.1f}; retreat {float(forecast.retreat_chance):.0%}"
        )
    if isinstance(action, AirMission):
        return f"Air {action.kind}" + (f" over {where(s, action.hex)}" if action.hex is not None else " patrol")
    if isinstance(action, Retreat):
        return f"Retreat {unit_name(s, action.unit)} to {where(s, action.to)}"
    if isinstance(action, Advance):
        return f"Advance {unit_name(s, action.unit)}"
    if isinstance(action, HoldPosition):
        return "Hold position (no advance)"
    if isinstance(action, BuildBridge):
        return f"Throw a pontoon at {format_hexside(action.hexside)}"
    if isinstance(action, DemolishBridge):
        return f"Blow the bridge at {format_hexside(action.hexside)}"
    if isinstance(action, EndPhase):
        return "End phase"
    return action.notation()


def target_label(actions: list[Action]) -> str:
    """A short tag for a highlighted target hex: the kinds of order a click there offers."""
    names = {"AirMission": "Air", "BuildBridge": "Pontoon", "DemolishBridge": "Blow bridge", "Declare": "Attack", "Support": "Fire"}
    kinds = sorted({names.get(type(a).__name__, type(a).__name__) for a in actions if not isinstance(a, Move)})
    return " / ".join(kinds)


# ---------------------------------------------------------------- units and hexes


def result_headline(state: GameState) -> str:
    """Who won a finished game and how, from the rules' outcome ("A draw" else)."""
    result = outcome(state)
    if result is None or result.winner == "draw":
        return "A draw"
    return f"{side_name(state.scenario, result.winner).split(' (')[0]} wins, a {result.level} victory"


def result_words(state: GameState) -> str:
    """The result of a finished game in one line: :func:`result_headline` and each side's
    victory points (the replay viewer's panel; its top bar has room for the headline)."""
    scenario = state.scenario
    points = victory_points(state)
    score = ", ".join(f"{side_name(scenario, side).split(' (')[0]} {points[side]}" for side in scenario.side_ids)
    return f"{result_headline(state)}; VP {score}"


def unit_html(scenario: Scenario, unit: Unit, own: bool, may_overrun: bool = False) -> str:
    """The selected-unit panel: type, formation, strength, steps, men/tanks/guns, state.

    ``may_overrun``: the engine offers the unit an overrun now (a halted unit is told it may
    still overrun only then, not for want of the ability, the move points or the phase)."""
    setup = scenario.model.units[scenario.unit_order[unit.id]]
    unit_type = scenario.unit_types[unit.type_id]
    per = unit_type.per_step
    lines = [
        f"<b>{html.escape(setup.name)}</b> <font color='#9aa2ac'>({html.escape(unit.id)})</font>",
        f"{html.escape(unit_type.name)} ({unit_type.size})",
        html.escape(setup.formation or side_name(scenario, unit.side)),
        f"Attack {unit_type.attack}  Defence {unit_type.defence}  Move {unit_type.move_points}"
        + (f"  Range {unit_type.artillery_range}" if unit_type.artillery_range else ""),
        f"Steps {unit.steps}/{full_steps(scenario, unit)}: {per.men * unit.steps} men, {per.tanks * unit.steps} tanks, "
        f"{per.guns * unit.steps} guns",
    ]
    state = []
    if own:
        state.append(f"move points <b>{unit.move_points}</b>/{unit_type.move_points}")
        if unit.halted:
            state.append("halted by an enemy zone of control" + (" (may still overrun)" if may_overrun else ""))
    if unit.out_of_supply:
        state.append(f"<font color='#ffb060'>out of supply {plural(unit.out_of_supply, 'turn')}</font>")
    if unit.entrenchment:
        state.append(f"entrenched {unit.entrenchment}")
    if state:
        lines.append(", ".join(state))
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


def pontoon_notes(view: MapView, hex_: Hex) -> list[str]:
    """The pontoons the viewer sees being thrown from or to ``hex_``: where to, and the hours
    worked of the hours the rules need (``pontoon to 18,11: 3 of 6 hours``)."""
    needed = view.scenario.rules.bridges.build_hours
    return [
        f"pontoon to {format_hex(side.high if side.low == hex_ else side.low)}: {hours} of {needed} hours"
        for side, _owner, hours in view.pontoon_work
        if hex_ in (side.low, side.high)
    ]


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
    parts += pontoon_notes(view, hex_)
    units = view.units_at(hex_)
    if units:
        parts.append(", ".join(unit_name(scenario, u.id) for u in units))
    if view.seen is not None and hex_ not in view.seen:
        parts.append("not observed")
    return " · ".join(parts)
