"""Play-test: the current draft, unsaved, in the player's own window.

pygame has one window per process, so the game runs in a second process started with
:func:`nomonhan.ui.app.run_app` on a scratch copy of the draft; the editor stays open beside it.
The game's home folder is ``<home>/playtest``, so its autosave and saves never replace the
player's own (whose "Continue autosave" would otherwise open the scratch copy).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from nomonhan.editor.document import Draft
from nomonhan.scenario.errors import Problem
from nomonhan.ui import userdata
from nomonhan.ui.wording import plural

Launcher = Callable[[Sequence[str]], object]

RUN_APP = "import os, sys; os.environ['NOMONHAN_HOME'] = sys.argv[2]; from nomonhan.ui.app import run_app; run_app(sys.argv[1])"
"""The play-test process: the game on the scratch copy, with the play-test's own home folder."""


def playtest_home() -> Path:
    """Where play-tests keep their autosave, saves and screenshots: never the player's own files."""
    return userdata.home() / "playtest"


def scratch_copy(draft: Draft) -> Path:
    """The draft's text in a temporary file named like the scenario (kept for the game to read)."""
    folder = Path(tempfile.mkdtemp(prefix="nomonhan-playtest-"))
    path = folder / draft.path.name
    path.write_text(draft.text, encoding="utf-8")
    return path


def play_test(draft: Draft, problems: list[Problem], launch: Launcher = subprocess.Popen) -> str:
    """Start a game of the draft in a new window; returns what to tell the author.

    A draft with errors cannot be played; edited rules data must be saved first, because the
    game reads rules data from the scenarios folder.
    """
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        return f"Fix the {plural(len(errors), 'error')} first (see Problems)"
    if draft.rules_file is not None and draft.rules_file.dirty:
        return "Save the edited rules data first: the game reads them from the scenarios folder"
    path = scratch_copy(draft)
    launch([sys.executable, "-c", RUN_APP, str(path), str(playtest_home())])
    return f"Play-test started in a new window ({path.name})"
