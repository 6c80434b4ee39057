"""The computer's thinking, off the frame loop, so the window stays live while it searches.

A search player may think for seconds; run in a worker thread, it leaves the map scrollable and
the window responsive.  The choice is a pure function of the observation, the legal actions and
the player's own generator, so where it runs changes nothing in the game.  Tests and the
benchmark use ``background=False`` and get the answer in the same frame.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from nomonhan import engine
from nomonhan.actions import Action
from nomonhan.ui.session import Session


class Thinker:
    def __init__(self, background: bool) -> None:
        self.background = background
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nomonhan-ai") if background else None
        self._future: Future[Action] | None = None
        self._asked_for: int | None = None

    def answer(self, session: Session) -> Action | None:
        """The computer's action for the current state, or None while it is still thinking."""
        moment = len(session.game.actions)
        if self._future is not None and self._asked_for != moment:
            self._future.cancel()  # the game moved on (undo, load): that question is stale
            self._future = None
        if self._future is None:
            side = session.state.acting_side
            arguments = (engine.observe(session.state, side), engine.legal_actions(session.state), session.generators[side])
            choose = session.players[side].choose
            if self._pool is None:
                return choose(*arguments)
            self._future, self._asked_for = self._pool.submit(choose, *arguments), moment
        if not self._future.done():
            return None
        future, self._future = self._future, None
        return future.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
