"""The event log of a game, per viewer, computed once per action and cut back on undo.

Each viewer reads a different log (fog of war: a hidden enemy's moves never appear), so lines
are kept per ``(viewer, action number)``.  Hot-seat players and replay viewpoints switch freely
without replaying the narrative, and undo simply forgets the lines of the actions taken back.
"""

from __future__ import annotations

from nomonhan import engine
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

    def action_lines(self, number: int, viewer: str | None) -> list[Entry]:
        """The log lines of action ``number`` (0-based) as ``viewer`` may read them."""
        key = (viewer, number)
        found = self._lines.get(key)
        if found is None:
            game = self.game
            narrator = describe.Narrator(
                game.scenario, viewer, seen_unit_ids(game.states[number], viewer), seen_unit_ids(game.states[number + 1], viewer)
            )
            before, after = game.states[number], game.states[number + 1]
            told = game.events[number] if viewer is None else engine.events_for(viewer, before, after, game.events[number])
            found = self._lines[key] = [narrator.entry(event) for event in told]
        return found

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
