"""Live validation of the draft: the problems ``nomonhan validate`` would report if it were saved.

The draft's text goes through the loader itself (:func:`nomonhan.scenario.load.load_text`, the
function behind ``validate`` and every game), with the rules data file's unsaved text when the
author is editing it, so the editor and the command line cannot disagree: one validator,
:mod:`nomonhan.scenario.checks`, run by one loader.

:class:`Checker` runs the check in a worker thread so a big scenario never freezes the window
while the author draws.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from nomonhan.editor.document import Draft
from nomonhan.scenario.errors import Problem, ScenarioError
from nomonhan.scenario.load import load_text


def check(scenario_text: str, label: str, rules_text: str | None = None) -> list[Problem]:
    """Every problem of a scenario text (errors first, as the loader finds them, then warnings).

    ``label``: the draft's path (companion files resolve beside it); ``rules_text``: the unsaved
    text of the rules data file the scenario names, checked instead of the saved file.
    """
    try:
        _scenario, warnings = load_text(Path(label), scenario_text, label=label, unsaved_rules=rules_text)
    except ScenarioError as exc:
        return exc.problems
    return warnings


def check_draft(draft: Draft) -> list[Problem]:
    return check(*_job(draft))


def _job(draft: Draft) -> tuple[str, str, str | None]:
    rules = draft.rules_file
    edited = rules.text if rules is not None and rules.dirty else None
    return draft.text, str(draft.path), edited


class Checker:
    """Validates drafts off the frame loop; :meth:`poll` returns fresh results once.

    ``background=False`` checks at once in the caller's thread (tests, screenshots), so what a
    frame shows never depends on timing.
    """

    def __init__(self, background: bool = True) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nomonhan-check") if background else None
        self._running: tuple[int, Future[list[Problem]]] | None = None
        self._wanted: tuple[int, tuple[str, str, str | None]] | None = None
        self._result: tuple[int, list[Problem]] | None = None
        self.checked_revision = -1

    def submit(self, draft: Draft) -> None:
        job = _job(draft)
        if self._pool is None:
            self._result = (draft.revision, check(*job))
            return
        self._wanted = (draft.revision, job)
        self._start()

    def _start(self) -> None:
        if self._pool is None or self._wanted is None or (self._running and not self._running[1].done()):
            return
        revision, job = self._wanted
        self._wanted = None
        self._running = (revision, self._pool.submit(check, *job))

    def poll(self) -> tuple[int, list[Problem]] | None:
        """``(revision, problems)`` when a check finished since the last poll, else None."""
        if self._running is not None and self._running[1].done():
            revision, future = self._running
            self._running = None
            try:
                self._result = (revision, future.result())
            except Exception as exc:  # a crash in a check must show, not kill the editor
                self._result = (revision, [Problem("(editor)", 1, 1, "", f"the check failed: {exc!r}")])
            self._start()
        result, self._result = self._result, None
        if result is not None:
            self.checked_revision = result[0]
        return result

    @property
    def busy(self) -> bool:
        return self._running is not None or self._wanted is not None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
