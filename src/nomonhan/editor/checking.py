"""Live validation of the draft: the problems ``nomonhan validate`` would report if it were saved.

The draft is written to a scratch file and checked by
:func:`nomonhan.scenario.load.validate_scenario` itself, so the editor and the command line cannot
disagree.  Only while the rules data are edited but not saved does the editor check against the
draft rules in memory (the loader reads rules from the bundled folder): then it runs the
loader's own steps (schema, then :func:`nomonhan.scenario.checks.scenario_problems`) with the
draft rules.

Problems name the draft's file, not the scratch file.  :class:`Checker` runs the check in a
worker thread so a big scenario never freezes the window while the author draws.
"""

from __future__ import annotations

import dataclasses
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from nomonhan.editor.document import Draft
from nomonhan.scenario.checks import scenario_problems
from nomonhan.scenario.errors import Problem, ScenarioError
from nomonhan.scenario.load import read_document, validate_scenario
from nomonhan.scenario.schema import RulesData, ScenarioFile


def check(scenario_text: str, label: str, rules_text: str | None = None, rules_label: str = "rules") -> list[Problem]:
    """Every problem of a scenario text (errors first, as the loader finds them, then warnings).

    ``rules_text``: check against these rules data instead of the saved file the scenario names.
    """
    with tempfile.TemporaryDirectory(prefix="nomonhan-check-") as folder:
        scratch = Path(folder) / (Path(label).name if label.endswith((".yaml", ".yml")) else "draft.yaml")
        scratch.write_text(scenario_text, encoding="utf-8")
        try:
            if rules_text is None:
                problems = validate_scenario(scratch)
            else:
                rules_scratch = Path(folder) / "rules.yaml"
                rules_scratch.write_text(rules_text, encoding="utf-8")
                problems = _check_with_rules(scratch, label, rules_scratch, rules_label)
        except ScenarioError as exc:
            problems = exc.problems
    return [dataclasses.replace(p, file=label) if p.file == str(scratch) else p for p in problems]


def check_draft(draft: Draft) -> list[Problem]:
    return check(*_job(draft))


def _job(draft: Draft) -> tuple[str, str, str | None, str]:
    rules = draft.rules_file
    edited = rules.text if rules is not None and rules.dirty else None
    return draft.text, str(draft.path), edited, f"scenarios/rules/{draft.rules_id}.yaml"


def _check_with_rules(path: Path, label: str, rules_path: Path, rules_label: str) -> list[Problem]:
    """The loader's and ``validate``'s checks, with the rules read from ``rules_path``."""
    _rules_document, rules = read_document(rules_path, RulesData, rules_label)
    document, model = read_document(path, ScenarioFile, label)
    return scenario_problems(model, rules, document)


class Checker:
    """Validates drafts off the frame loop; :meth:`poll` returns fresh results once.

    ``background=False`` checks at once in the caller's thread (tests, screenshots), so what a
    frame shows never depends on timing.
    """

    def __init__(self, background: bool = True) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nomonhan-check") if background else None
        self._running: tuple[int, Future[list[Problem]]] | None = None
        self._wanted: tuple[int, tuple[str, str, str | None, str]] | None = None
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
