"""``nomonhan edit``: the editor window and its frame loop.

The window is :class:`nomonhan.ui.app.App` (theme, screen stack, frame stepping) with one
:class:`~nomonhan.editor.screen.EditorScreen`.  :func:`open_editor` is what tests drive;
:func:`run_editor` is what the command line calls.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from nomonhan.editor.document import Draft
from nomonhan.editor.screen import EditorScreen
from nomonhan.scenario.load import resolve
from nomonhan.ui.app import FPS, App

UNTITLED = "untitled.yaml"


def open_draft(ref: str | Path | None) -> Draft:
    """The draft to edit: a bundled id or an existing file; a new skeleton for a path that does
    not exist yet (or for None: ``untitled.yaml`` in the current folder)."""
    if ref is None:
        return Draft.new(Path.cwd() / UNTITLED)
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") and not path.exists():
        return Draft.new(path)
    return Draft.open(resolve(ref))


def open_editor(app: App, draft: Draft, background_checks: bool = True, frame_budget: float | None = 0.006) -> EditorScreen:
    pygame.display.set_caption(f"Nomonhan scenario editor - {draft.path.name}")
    screen = EditorScreen(app, draft, background_checks, frame_budget)
    app.replace_all(screen)
    return screen


def run_editor(ref: str | Path | None = None, *, size: tuple[int, int] | None = None) -> None:
    """Open the editor window on ``ref`` and run until it is closed.

    The file is read before the window opens, so a file that is not YAML raises the project's
    ``ScenarioError`` for the command line to report; a scenario with mistakes opens, with its
    problems listed.  Needs a display (check ``nomonhan.cli.has_display()`` first).
    """
    draft = open_draft(ref)
    app = App(size, scaled=False, magnified=True)  # panels laid out at one size, enlarged 2x at 4K
    screen = open_editor(app, draft)
    clock = pygame.time.Clock()
    while app.running:
        events = [event for event in pygame.event.get() if not screen.intercept_quit(event)]
        app.step_frame(events, dt=clock.tick(FPS) / 1000)
    screen.close()
    pygame.quit()
