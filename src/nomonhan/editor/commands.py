"""What the editor's commands do, by the names of :data:`nomonhan.editor.keys.KEYS` and the
command bar: undo and redo, save and open (with their questions), quit, play-test, delete,
brush size, zoom, and the tool windows.  A button and its key reach the same handler here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from nomonhan.editor.checking import check_draft
from nomonhan.editor.document import ChangedOnDisk, Draft
from nomonhan.editor.playtest import play_test
from nomonhan.editor.tools import TerrainTool, remove_thing
from nomonhan.scenario.errors import Problem, ScenarioError
from nomonhan.ui.wording import plural

if TYPE_CHECKING:
    from nomonhan.editor.screen import EditorScreen


class EditorCommands:
    def __init__(self, screen: EditorScreen) -> None:
        self.screen = screen
        self._discard_armed = ""
        """The request ("open", "quit") that was warned about unsaved changes, to go ahead if repeated."""

    def run(self, command: str) -> None:
        s = self.screen
        if command in ("undo", "redo"):
            label = s.draft.undo() if command == "undo" else s.draft.redo()
            done = "undone" if command == "undo" else "redone"
            s.editing.say(f"{done}: {label}" if label else f"nothing to {command}")
            s.refresh()
        elif command == "save":
            self.save()
        elif command == "save_as":
            s.dialogs.pick_file("save_as", "Save the scenario as", False)
        elif command == "open":
            if self.confirm_discard("open"):
                s.dialogs.pick_file("open", "Open a scenario", True)
        elif command == "quit":
            if self.confirm_discard("quit"):
                s.keep_underlay()
                s.app.running = False
        elif command == "play_test":
            s.editing.say(play_test(s.draft, s.problems if s.checker.checked_revision == s.draft.revision else self._check_now()))
            s.update_panels()
        elif command == "delete" and s.editing.selection is not None:
            selection = s.editing.selection
            s.editing.selection = None
            s.attempt(lambda: remove_thing(s.draft, selection))
        elif command == "deselect":
            s.editing.selection = None
            s.update_panels()
        elif command in ("brush_smaller", "brush_larger"):
            terrain = next(t for t in s.tools if isinstance(t, TerrainTool))
            terrain.resize(1 if command == "brush_larger" else -1)
            s.update_panels()
        elif command in ("zoom_in", "zoom_out"):
            s.camera.zoom_at(1 if command == "zoom_in" else -1)
        else:
            s.dialogs.open_window(command)

    def _check_now(self) -> list[Problem]:
        self.screen.problems = check_draft(self.screen.draft)
        return self.screen.problems

    def save(self, path: str | Path | None = None, overwrite: bool = False) -> None:
        s = self.screen
        try:
            saved = s.draft.save(path, overwrite)
        except ChangedOnDisk as exc:
            s.dialogs.ask_to_overwrite(exc, path)
            s.editing.say(f"Not saved: {exc} {exc.reason}")
        except OSError as exc:
            s.editing.say(f"Not saved: {exc}")
        else:
            errors = sum(1 for p in s.problems if p.severity == "error")
            s.editing.say(f"saved {saved}" + (f" (it still has {plural(errors, 'error')})" if errors else ""))
            s.keep_underlay()
        s.update_panels()

    def open(self, path: str | Path) -> None:
        s = self.screen
        try:
            draft = Draft.open(path)
        except ScenarioError as exc:
            s.editing.say(f"Cannot open {path}: {exc.problems[0]}")
            s.update_panels()
            return
        s.load(draft)

    def confirm_discard(self, what: str) -> bool:
        """With unsaved changes, the first request only warns; the same request again goes ahead."""
        s = self.screen
        if not s.draft.dirty or self._discard_armed == what:
            self._discard_armed = ""
            return True
        self._discard_armed = what
        s.editing.say("Unsaved changes: save them, or do that again to discard them")
        s.update_panels()
        return False

    def intercept_quit(self, event: pygame.event.Event) -> bool:
        """Closing the window with unsaved changes warns once (see :func:`~nomonhan.editor.app.run_editor`)."""
        if event.type != pygame.QUIT:
            return False
        if not self.confirm_discard("quit"):
            return True
        self.screen.keep_underlay()
        return False
