"""The editor's map gestures (editor/gestures.py): the right button picks or pans by how far it
moves, with the game map's drag threshold; the arrow keys scroll as on the game map."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import test_editor_app  # noqa: E402
from test_editor_app import H, at, editor, tool  # noqa: E402

from nomonhan.ui.app import App  # noqa: E402
from nomonhan.ui.map_widget import DRAG_THRESHOLD  # noqa: E402

app = test_editor_app.app
"""The editor tests' fixture: a fresh window per test, its user folder under tmp_path."""


def _right_button(app: App, start: tuple[int, int], end: tuple[int, int]) -> None:
    app.step_frame([pygame.event.Event(pygame.MOUSEMOTION, pos=start, rel=(0, 0), buttons=(0, 0, 0))])
    app.step_frame([pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=3)])
    rel = (end[0] - start[0], end[1] - start[1])
    app.step_frame([pygame.event.Event(pygame.MOUSEMOTION, pos=end, rel=rel, buttons=(0, 0, 1))])
    app.step_frame([pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=3)])


def test_a_right_click_picks_and_a_right_drag_pans_without_picking(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    screen.camera.zoom_at(3, None)  # closer than the whole map, so that it can scroll
    tool(app, "terrain")
    screen.tool.options["code"] = "s"
    start = at(screen, H("6,6"))
    centre = screen.camera.center
    _right_button(app, start, (start[0] + DRAG_THRESHOLD, start[1]))  # within the threshold: a click
    assert screen.tool.options["code"] == "." and screen.camera.center == centre
    screen.tool.options["code"] = "s"
    _right_button(app, start, (start[0] + 60, start[1] + 20))
    assert screen.tool.options["code"] == "s"  # a drag picks nothing
    assert screen.camera.center != centre


def test_an_arrow_key_held_scrolls_the_editor_map_until_released(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    screen.camera.zoom_at(3, None)  # closer than the whole map, so that it can scroll
    centre = screen.camera.center
    app.step_frame([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT, mod=0, unicode="", scancode=0)], dt=0.1)
    moved = screen.camera.center
    assert moved != centre
    app.step_frame([pygame.event.Event(pygame.KEYUP, key=pygame.K_RIGHT, mod=0, unicode="", scancode=0)], dt=0.1)
    app.step_frame(dt=0.1)
    assert screen.camera.center == moved
