"""A headless game told turn by turn: what ``nomonhan run --log`` writes.

The same narrator as the game window's log, with the full view (an analyst reading a finished
game sees both sides), one block per turn: where every unit stands and who holds each
objective as the turn begins, then each action's notation followed by what it did (moves,
combats with their odds and results, supply changes), and a line whenever an objective
changes hands; or, for tools, one JSON object per action with its events as data.
"""

from __future__ import annotations

import json
from typing import Any

from nomonhan.events import TurnStarted
from nomonhan.hexgrid import format_hex
from nomonhan.replay import Game
from nomonhan.state import GameState
from nomonhan.ui.describe import Narrator, opening_entry


def account_lines(game: Game) -> list[str]:
    """Readable lines: the opening and the positions, then per action its notation and its
    events, indented; each new turn's positions after the turn's first line."""
    everyone = frozenset(game.scenario.unit_order)
    narrator = Narrator(game.scenario, None, everyone, everyone)
    lines = [opening_entry(game.states[0]).text, *_position_lines(game.states[0])]
    for before, after, action, events in zip(game.states, game.states[1:], game.actions, game.events):
        lines.append(f"  {before.acting_side}: {action.notation()}")
        for event in events:
            text = narrator.line(event)
            lines.append(text if isinstance(event, TurnStarted) else f"      {text}")
        lines += [f"      {change}" for change in _hands_changed(before, after)]
        if any(isinstance(event, TurnStarted) for event in events):
            lines += _position_lines(after)
    return lines


def _position_lines(state: GameState) -> list[str]:
    """Where each side's units stand (hex, steps, supply) and who holds each objective."""
    lines = []
    for side in state.scenario.side_ids:
        units = [_position(state, unit_id) for unit_id in state.scenario.unit_order if state.unit(unit_id).side == side]
        placed = [text for text in units if text]
        lines.append(f"    {side}: " + ("; ".join(placed) if placed else "no units on the map"))
    holders = ", ".join(
        f"{spec.name} ({spec.hex}) {holder or 'nobody'}" for spec, holder in zip(state.scenario.model.objectives, state.holders)
    )
    if holders:
        lines.append(f"    objectives: {holders}")
    return lines


def _position(state: GameState, unit_id: str) -> str:
    unit = state.unit(unit_id)
    if unit.hex is None:
        return ""
    supply = f", out of supply {unit.out_of_supply}" if unit.out_of_supply else ""
    return f"{unit.id} {format_hex(unit.hex)} ({unit.steps} step{'s' if unit.steps != 1 else ''}{supply})"


def _hands_changed(before: GameState, after: GameState) -> list[str]:
    objectives = before.scenario.model.objectives
    return [
        f"{spec.name} ({spec.hex}) changes hands: {old or 'nobody'} -> {new or 'nobody'}"
        for spec, old, new in zip(objectives, before.holders, after.holders)
        if old != new
    ]


def account_records(game: Game) -> list[str]:
    """JSON lines: per action, its number, turn, phase, acting side, notation and events, the
    objectives that changed hands, and on each turn's first action where every unit stood and
    who held each objective as the turn began."""
    records = []
    turn_begins = True
    for number, (before, after, action, events) in enumerate(zip(game.states, game.states[1:], game.actions, game.events), start=1):
        record: dict[str, Any] = {
            "action": number,
            "turn": before.turn,
            "phase": before.phase.value,
            "side": before.acting_side,
            "notation": action.notation(),
            "events": [event.to_json() for event in events],
        }
        changed = [
            {"objective": spec.name, "from": old, "to": new}
            for spec, old, new in zip(before.scenario.model.objectives, before.holders, after.holders)
            if old != new
        ]
        if changed:
            record["changes_hands"] = changed
        if turn_begins:
            record["positions"] = {
                u.id: {"hex": format_hex(u.hex), "steps": u.steps, "out_of_supply": u.out_of_supply}
                for u in before.units
                if u.hex is not None
            }
            record["holders"] = {spec.name: holder for spec, holder in zip(before.scenario.model.objectives, before.holders)}
        records.append(json.dumps(record, separators=(",", ":")))
        turn_begins = any(isinstance(event, TurnStarted) for event in events)
    return records
