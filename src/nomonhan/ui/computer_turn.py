"""The computer's moves in live play, one at a time at a speed the player sets with ``[`` / ``]``.

Moves the viewer cannot see cost no waiting, so a turn spent behind the fog passes at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from nomonhan import engine
from nomonhan.actions import Action, IllegalActionError
from nomonhan.ui.session import Played, Session
from nomonhan.ui.thinker import Thinker

AI_DELAYS = (1.6, 0.9, 0.45, 0.2, 0.0)
"""Seconds between the computer's visible actions, slowest first ([ and ] change it)."""
AI_SPEED_NAMES = ("very slow", "slow", "normal", "fast", "instant")
AI_FRAME_BUDGET = 200
"""Most computer actions played in one frame (moves the viewer cannot see cost no waiting)."""


class ComputerTurn:
    def __init__(self, session: Session, thinker: Thinker) -> None:
        self.session = session
        self.thinker = thinker
        self.speed = 2
        self._wait = 0.0

    @property
    def speed_name(self) -> str:
        return AI_SPEED_NAMES[self.speed]

    def set_speed(self, speed: int) -> str:
        """Change the speed (clamped); returns the feedback line for the player."""
        wanted, self.speed = speed, min(max(speed, 0), len(AI_DELAYS) - 1)
        limit = " (the slowest)" if wanted < 0 else " (the fastest)" if wanted >= len(AI_DELAYS) else ""
        return f"Computer speed: {self.speed_name}{limit}   [ slower, ] faster"

    def advance(self, dt: float, may_play: Callable[[], bool], after: Callable[[Played], bool], say: Callable[[str], None]) -> None:
        """Play the computer's actions, ``AI_DELAYS`` apart when ``after`` says the viewer saw one.

        ``may_play``: whether the screen is still on top (no moves under a dialog or hand-over).
        """
        if not self.session.computer_to_move():
            self._wait = 0.0
            return
        delay = AI_DELAYS[self.speed]
        self._wait += dt
        for _ in range(AI_FRAME_BUDGET):
            if not self.session.computer_to_move() or self._wait < delay or not may_play():
                return
            action = self.thinker.answer(self.session)
            if action is None:
                return
            if after(self._play(action, say)) and delay > 0:
                self._wait = 0.0
                return

    def _play(self, action: Action, say: Callable[[str], None]) -> Played:
        """Play the computer's choice; if the engine refuses it (a player bug), end its phase
        instead.  The engine's reason names the computer's unit and where it was sent, which the
        person watching may not see: it is said on the screen only to the side that made it (or
        to a watcher of a game between computers), and written to standard error for whoever debugs the player."""
        try:
            return self.session.play(action)
        except IllegalActionError as exc:
            fallback = engine.legal_actions(self.session.state)[-1]
            print(f"nomonhan: the computer chose an illegal action: {exc}", file=sys.stderr)
            viewer = self.session.viewer
            reason = f" ({exc})" if viewer is None or viewer == self.session.state.acting_side else ""
            say(f"The computer chose an illegal action{reason}; it plays '{fallback.notation()}' instead")
            return self.session.play(fallback)

    def close(self) -> None:
        self.thinker.close()
