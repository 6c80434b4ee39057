"""The windows the editor opens over its map, owned in one place: the one tool window at a time
(a section as YAML, the underlay, geography, help: :mod:`nomonhan.editor.windows`), the file
chooser for open and save-as, and "the file changed on disk: overwrite it?".

The screen hands every event here first; a file picked or an overwrite confirmed comes back to
the screen's commands, and :meth:`EditorDialogs.kill` closes everything when the layout is rebuilt.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.windows import UIConfirmationDialog, UIFileDialog

from nomonhan.editor.windows import Dialog, GeoWindow, HelpWindow, SectionWindow, UnderlayWindow

if TYPE_CHECKING:
    from nomonhan.editor.document import ChangedOnDisk
    from nomonhan.editor.screen import EditorScreen

WINDOWS: dict[str, Callable[[EditorScreen], Dialog]] = {
    "data": SectionWindow,
    "geography": GeoWindow,
    "underlay": UnderlayWindow,
    "help": HelpWindow,
}
"""The commands that open a tool window, and the window each opens."""


class EditorDialogs:
    def __init__(self, screen: EditorScreen) -> None:
        self.screen = screen
        self.window: Dialog | None = None
        self.file: tuple[UIFileDialog, str] | None = None
        """The file chooser open, and what the file is for ("open" or "save_as")."""
        self.overwrite: tuple[UIConfirmationDialog, str | Path | None] | None = None
        """The overwrite question open, and the save-as path to save to (None: the draft's own)."""

    def open_window(self, command: str) -> bool:
        """Open the tool window of ``command`` in place of the one open; False if it names none."""
        maker = WINDOWS.get(command)
        if maker is None:
            return False
        if self.window is not None:
            self.window.kill()
        self.window = maker(self.screen)
        return True

    def pick_file(self, purpose: str, title: str, existing: bool) -> None:
        if self.file is not None:
            self.file[0].kill()
        w, h = self.screen.app.size
        dialog = UIFileDialog(
            pygame.Rect(w // 2 - 320, h // 2 - 260, 640, 520),
            self.screen.app.manager,
            window_title=title,
            initial_file_path=str(self.screen.draft.path),
            allow_existing_files_only=existing,
            allowed_suffixes={".yaml", ".yml"},
        )
        self.file = (dialog, purpose)

    def ask_to_overwrite(self, refused: ChangedOnDisk, save_as: str | Path | None) -> None:
        """Ask: the files changed on disk, exist already or are the bundled data (as the refused
        save says); overwrite them with the draft, or cancel."""
        if self.overwrite is not None:
            self.overwrite[0].kill()
        names = "<br>".join(html.escape(str(p)) for p in refused.paths)
        w, h = self.screen.app.size
        dialog = UIConfirmationDialog(
            pygame.Rect(w // 2 - 260, h // 2 - 110, 520, 220),
            f"{html.escape(refused.reason.capitalize())}:<br>{names}<br><br>Overwrite with the editor's version?",
            self.screen.app.manager,
            window_title="Overwrite?",
            action_short_name="Overwrite",
        )
        self.overwrite = (dialog, save_as)

    def handle(self, event: pygame.event.Event) -> bool:
        """Pass ``event`` to the open window; True if it was a file picked or an overwrite
        confirmed (then carried out), which nothing else should see."""
        if self.window is not None:
            if self.window.alive:
                self.window.handle(event)
            else:
                self.window = None
        return self._file_picked(event) or self._overwrite_confirmed(event)

    def _file_picked(self, event: pygame.event.Event) -> bool:
        if self.file is None or event.type != pygame_gui.UI_FILE_DIALOG_PATH_PICKED or event.ui_element is not self.file[0]:
            return False
        purpose = self.file[1]
        self.file = None
        if purpose == "open":
            self.screen.commands.open(event.text)
        elif purpose == "save_as":
            self.screen.commands.save(event.text)
        return True

    def _overwrite_confirmed(self, event: pygame.event.Event) -> bool:
        if self.overwrite is None or event.type != pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED:
            return False
        dialog, save_as = self.overwrite
        if event.ui_element is not dialog:
            return False
        self.overwrite = None
        self.screen.commands.save(save_as, overwrite=True)
        return True

    def kill(self) -> None:
        for window in (self.window, self.file[0] if self.file else None, self.overwrite[0] if self.overwrite else None):
            if window is not None:
                window.kill()
        self.window = self.file = self.overwrite = None
