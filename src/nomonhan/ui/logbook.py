"""The event log of a game, per viewer, computed once per action and cut back on undo.

Each viewer reads a different log (fog of war: a hidden enemy's moves never appear), so lines
are kept per ``(viewer, action number)``.  Hot-seat players and replay viewpoints switch freely
without replaying the narrative, and undo simply forgets the lines of the actions taken back.
"""

from __future__ import annotations

from nomonhan import engine
from nomonhan.events import Event, UnitMoved
from nomonhan.hexgrid import Hex
from nomonhan.replay import Game
from nomonhan.state import GameState
from nomonhan.ui import describe
from nomonhan.ui.describe import Entry


def seen_unit_ids(state: GameState, viewer: str | None) -> frozenset[str]:
    """Units ``viewer`` knows of in ``state``: all its own, and the enemy units it observes."""
    if viewer is None:
        return frozenset(state.scenario.unit_order)
    observation = engine.observe(state, viewer)
    return frozenset(u.id for u in observation.own_units) | frozenset(u.id for u in observation.enemy_units)


class LogBook:
    def __init__(self, game: Game) -> None:
        self.game = game
        self._lines: dict[tuple[str | None, int], list[Entry]] = {}
        self._told: dict[tuple[str | None, int], list[Event]] = {}

    def told(self, number: int, viewer: str | None) -> list[Event]:
        """The events of action ``number`` (0-based) as ``viewer`` may know them: every event for
        the full view (``None``), else :func:`engine.events_for`'s, cut to what it watched."""
        key = (viewer, number)
        found = self._told.get(key)
        if found is None:
            events = self.game.events[number]
            if viewer is not None:
                events = engine.events_for(viewer, self.game.states[number], self.game.states[number + 1], events)
            found = self._told[key] = events
        return found

    def action_lines(self, number: int, viewer: str | None) -> list[Entry]:
        """The log lines of action ``number`` (0-based) as ``viewer`` may read them."""
        key = (viewer, number)
        found = self._lines.get(key)
        if found is None:
            game = self.game
            narrator = describe.Narrator(
                game.scenario, viewer, seen_unit_ids(game.states[number], viewer), seen_unit_ids(game.states[number + 1], viewer)
            )
            found = self._lines[key] = [narrator.entry(event) for event in self.told(number, viewer)]
        return found

    def watched_move(self, number: int, viewer: str | None) -> tuple[str, list[Hex]] | None:
        """The unit and path of the first move of action ``number`` that ``viewer`` watched, when
        it watched the way without a break (the trail and the counter's slide follow it): a move
        seen going and seen arriving, but not between, is not drawn across hexes out of sight."""
        move = next((e for e in self.told(number, viewer) if isinstance(e, UnitMoved) and e.path), None)
        if move is None or any(a.distance(b) != 1 for a, b in zip(move.path, move.path[1:], strict=False)):
            return None
        return move.unit, list(move.path)

    def recent(self, viewer: str | None, end: int, limit: int) -> list[Entry]:
        """Up to ``limit`` lines of the actions before ``end``, oldest first."""
        collected: list[list[Entry]] = []
        count = 0
        number = end - 1
        while number >= 0 and count < limit:
            lines = self.action_lines(number, viewer)
            collected.append(lines)
            count += len(lines)
            number -= 1
        return [line for lines in reversed(collected) for line in lines][-limit:]

    def forget_from(self, number: int) -> None:
        """Drop the lines of actions ``number`` and later (they were undone)."""
        for key in [k for k in self._lines if k[1] >= number]:
            del self._lines[key]
        for key in [k for k in self._told if k[1] >= number]:
            del self._told[key]
