"""A headless game told turn by turn: what ``nomonhan run --log`` writes.

The same narrator as the game window's log, with the full view (an analyst reading a finished
game sees both sides), one block per turn, each action's notation followed by what it did;
or, for tools, one JSON object per action with its events as data.
"""

from __future__ import annotations

import json

from nomonhan.events import TurnStarted
from nomonhan.replay import Game
from nomonhan.ui.describe import Narrator, opening_entry


def account_lines(game: Game) -> list[str]:
    """Readable lines: the opening, then per action its notation and its events, indented."""
    everyone = frozenset(game.scenario.unit_order)
    narrator = Narrator(game.scenario, None, everyone, everyone)
    lines = [opening_entry(game.states[0]).text]
    for before, action, events in zip(game.states, game.actions, game.events):
        lines.append(f"  {before.acting_side}: {action.notation()}")
        for event in events:
            text = narrator.line(event)
            lines.append(text if isinstance(event, TurnStarted) else f"      {text}")
    return lines


def account_records(game: Game) -> list[str]:
    """JSON lines: per action, its number, turn, phase, acting side, notation and events."""
    return [
        json.dumps(
            {
                "action": number,
                "turn": before.turn,
                "phase": before.phase.value,
                "side": before.acting_side,
                "notation": action.notation(),
                "events": [event.to_json() for event in events],
            },
            separators=(",", ":"),
        )
        for number, (before, action, events) in enumerate(zip(game.states, game.actions, game.events), start=1)
    ]
