"""Which path the rules core takes: the fast one (the default) or the reference one.

The reference path is the core as first written: plain, obviously right, slow.  The fast path
computes the same things with int bitsets, caches carried from one state to the next and
cheaper copies of the frozen state.  Both stay in the code, behind the same ``engine.step`` and
``engine.legal_actions``; tests play games through both and require identical digests and legal
actions at every decision (``tests/test_fast_path.py``), and ``benchmarks/core.py`` times both.

    with reference_path():
        ...  # every engine call in here takes the reference path

The switch is process-wide (not per thread): it is for tests and benchmarks, not for play.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

_reference = False


def reference_active() -> bool:
    """Whether the core takes the reference path now (see :func:`reference_path`)."""
    return _reference


@contextmanager
def reference_path() -> Iterator[None]:
    """Run the enclosed code on the reference path, then go back to the path taken before."""
    global _reference
    before, _reference = _reference, True
    try:
        yield
    finally:
        _reference = before
