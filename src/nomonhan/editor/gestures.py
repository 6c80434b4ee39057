"""What the mouse and the keys do on the editor's map: the current tool's strokes, the underlay
dragged and scaled, the map panned, zoomed and scrolled, the minimap looked through.

The left button belongs to the tool (or moves the underlay, with the Underlay tool); the right
button is the tool's secondary action unless it drags, and then, like the middle button, it pans
the map with the game map's own :class:`~nomonhan.ui.map_widget.Panning`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from nomonhan.editor import keys
from nomonhan.editor.picking import nearest_hexside
from nomonhan.editor.tools import Pointer, UnderlayTool
from nomonhan.ui.map_widget import KeyScroll, Panning

if TYPE_CHECKING:
    from nomonhan.editor.screen import EditorScreen


class EditorGestures:
    def __init__(self, screen: EditorScreen) -> None:
        self.screen = screen
        self.mouse = (0, 0)
        self.hover: Pointer | None = None
        """The hex and hexside under the pointer, when it is over the map."""
        self.held_button: int | None = None
        self.panning = Panning()
        self.scrolling = KeyScroll()
        self.minimap_drag = False

    # ------------------------------------------------------------ keys
    def key_down(self, event: pygame.event.Event) -> None:
        s = self.screen
        command = keys.command_for(event)
        index = keys.tool_for(event)
        if command is not None:
            s.run(command)
        elif index is not None and index < len(s.tools):
            s.choose_tool(index)
        else:
            self.scrolling.key_down(event.key)

    def key_up(self, event: pygame.event.Event) -> None:
        self.scrolling.key_up(event.key)

    def update(self, dt: float) -> None:
        self.scrolling.update(self.screen.camera, dt)

    # ------------------------------------------------------------ where the pointer is
    def pointer(self, pos: tuple[int, int]) -> Pointer:
        layout = self.screen.camera.layout()
        self.screen.editing.layout = layout
        return Pointer(layout.pixel_to_hex(*pos), pos, nearest_hexside(layout, *pos))

    def on_map(self, pos: tuple[int, int]) -> bool:
        s = self.screen
        return pygame.Rect(s.camera.viewport).collidepoint(pos) and s.picture is not None and not self.on_minimap(pos)

    def on_minimap(self, pos: tuple[int, int]) -> bool:
        minimap = self.screen.minimap
        return minimap is not None and minimap.rect.collidepoint(pos)

    # ------------------------------------------------------------ the mouse
    def mouse_event(self, event: pygame.event.Event, consumed: bool) -> None:
        if event.type == pygame.MOUSEWHEEL:
            self._wheel(event, consumed)
            return
        self.mouse = event.pos
        self.hover = self.pointer(event.pos) if self.on_map(event.pos) else None
        if self._minimap_gesture(event, consumed):
            return
        if event.type == pygame.MOUSEBUTTONDOWN:
            self._press(event, consumed)
        elif event.type == pygame.MOUSEMOTION and self.held_button is not None:
            self._drag(event)
        elif event.type == pygame.MOUSEBUTTONUP and event.button == self.held_button:
            self._release(event)

    def _wheel(self, event: pygame.event.Event, consumed: bool) -> None:
        s = self.screen
        if consumed or not self.on_map(self.mouse):
            return
        if isinstance(s.tool, UnderlayTool) and s.underlay is not None:
            s.underlay.zoom(1.1 if event.y > 0 else 1 / 1.1, s.camera.to_map_units(*self.mouse))
        else:
            s.camera.zoom_at(1 if event.y > 0 else -1, self.mouse)

    def _minimap_gesture(self, event: pygame.event.Event, consumed: bool) -> bool:
        """Click or drag on the minimap: look there.  True when the event was the minimap's."""
        s = self.screen
        if event.type == pygame.MOUSEBUTTONDOWN and not consumed and self.held_button is None and self.on_minimap(event.pos):
            self.minimap_drag = True
        elif event.type == pygame.MOUSEBUTTONUP and self.minimap_drag:
            self.minimap_drag = False
            return True
        if self.minimap_drag and event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEMOTION) and s.minimap is not None:
            s.camera.look_at_map_units(s.minimap.to_map_units(*event.pos))
            return True
        return False

    def _press(self, event: pygame.event.Event, consumed: bool) -> None:
        s = self.screen
        if consumed or not self.on_map(event.pos) or self.held_button is not None:
            return
        self.held_button = event.button
        s.problem_hex = None
        if event.button == 1:
            if not isinstance(s.tool, UnderlayTool):
                s.attempt(lambda: s.tool.press(s.editing, self.pointer(event.pos)))
        else:
            self.panning.press(event.pos)

    def _drag(self, event: pygame.event.Event) -> None:
        s = self.screen
        if self.held_button != 1:
            self.panning.motion(s.camera, event.pos, event.rel)
        elif isinstance(s.tool, UnderlayTool) and s.underlay is not None:
            s.underlay.move(event.rel[0] / s.camera.size, event.rel[1] / s.camera.size)
        else:
            s.attempt(lambda: s.tool.drag(s.editing, self.pointer(event.pos)))

    def _release(self, event: pygame.event.Event) -> None:
        s = self.screen
        self.held_button = None
        at = self.pointer(event.pos)
        if event.button == 1:
            if not isinstance(s.tool, UnderlayTool):
                s.attempt(lambda: s.tool.release(s.editing, at))
            return
        dragged = self.panning.release()
        if event.button == 3 and not dragged and self.on_map(event.pos):
            s.attempt(lambda: s.tool.secondary(s.editing, at))
