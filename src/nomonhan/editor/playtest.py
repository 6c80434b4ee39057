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

from nomonhan import resources
from nomonhan.editor.document import Draft
from nomonhan.scenario import companions
from nomonhan.scenario.errors import Problem, ScenarioError
from nomonhan.ui import userdata
from nomonhan.ui.wording import plural

Launcher = Callable[[Sequence[str]], object]

RUN_APP = "import os, sys; os.environ['NOMONHAN_HOME'] = sys.argv[2]; from nomonhan.ui.app import run_app; run_app(sys.argv[1])"
"""The play-test process: the game on the scratch copy, with the play-test's own home folder."""


def playtest_home() -> Path:
    """Where play-tests keep their autosave, saves and screenshots: never the player's own files."""
    return userdata.home() / "playtest"


def scratch_copy(draft: Draft) -> Path:
    """The draft's text in a temporary file named like the scenario (kept for the game to read),
    with the rules data it brings from its own folder beside it, as the loader will look for them."""
    folder = Path(tempfile.mkdtemp(prefix="nomonhan-playtest-"))
    path = folder / draft.path.name
    path.write_text(draft.text, encoding="utf-8")
    for relative, text in own_rules_files(draft).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    return path


def own_rules_files(draft: Draft) -> dict[Path, str]:
    """The rules files to put beside the scratch copy, by path relative to it, with the text the
    editor holds (unsaved edits included): the file the scenario names, where the loader will
    look for it (where it is in the scenario's folder; ``rules/ID.yaml`` for bundled rules data,
    which then go to the game as edited), and the files of the scenario's folder it extends.
    Bundled files it extends are found as ever."""
    rules = draft.rules
    if rules is None:
        return {}
    home = draft.path.parent.resolve()
    try:
        source = companions.read_rules(rules.path, draft.path.parent, text=rules.text)
    except ScenarioError:  # a broken chain is reported by validation, and the draft cannot be played
        return {}
    bundled = resources.scenarios_dir().resolve()

    def own(path: Path) -> bool:
        return path.is_relative_to(home) and not path.is_relative_to(bundled)

    first, *extended = source.layers
    named = first.path.relative_to(home) if own(first.path) else Path("rules", f"{draft.rules_id}.yaml")
    return {named: first.text} | {layer.path.relative_to(home): layer.text for layer in extended if own(layer.path)}


def play_test(draft: Draft, problems: list[Problem], launch: Launcher = subprocess.Popen) -> str:
    """Start a game of the draft in a new window; returns what to tell the author.

    A draft with errors cannot be played; its rules data are played as edited, saved or not.
    """
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        return f"Fix the {plural(len(errors), 'error')} first (see Problems)"
    path = scratch_copy(draft)
    launch([sys.executable, "-c", RUN_APP, str(path), str(playtest_home())])
    return f"Play-test started in a new window ({path.name})"
