"""SIGTERM and SIGHUP handled as Ctrl-C is: the polite ways a job scheduler, ``timeout`` or a
closed terminal stop a process.  By default they end it at once, skipping every ``finally``:
a save half-written leaves its temporary file, a batch leaves its workers playing.  Raised as
:class:`Stopped` (a KeyboardInterrupt), they unwind like Ctrl-C: a batch keeps its finished games
and ends its workers, an atomic save removes its temporary file and leaves the old file whole.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stopped(KeyboardInterrupt):
    """One of :data:`STOP_SIGNALS` arrived."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@dataclass
class Received:
    """The stop signal that arrived inside :func:`stop_signals_interrupt`'s block (0: none)."""

    signum: int = 0


@contextmanager
def stop_signals_interrupt() -> Iterator[Received]:
    """Within the block, the stop signals raise :class:`Stopped`.  Only the main thread may set
    signal handlers; elsewhere this does nothing (the signals do not reach other threads).  The
    block is given a :class:`Received`, so that a command can exit with the shell's code for the
    signal that stopped it (128 + its number) after the Ctrl-C handling that caught it."""
    received = Received()
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def stop(signum: int, _frame: Any) -> None:
        received.signum = signum
        raise Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
