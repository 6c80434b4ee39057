"""The screen protocol: what the app asks of a start screen, the map, a dialog over it.

The app keeps a stack of screens.  Only the top one receives input; a ``see_through`` screen
(help, end of game) is drawn over the one below it, whose pygame_gui elements are hidden while
it is covered.  Time is passed in (``dt``), never read from a clock, so a test can drive a
screen frame by frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame

from nomonhan.ui.input import command_for

if TYPE_CHECKING:
    from nomonhan.ui.app import App
    from nomonhan.ui.log_view import LogView
    from nomonhan.ui.map_widget import MapClick, MapWidget
    from nomonhan.ui.panels import RootPanel, SidePanel


class Screen:
    see_through = False

    def __init__(self, app: App) -> None:
        self.app = app

    def enter(self) -> None:
        """Build the interface (called when the screen is pushed, and after a window resize)."""

    def leave(self) -> None:
        """Remove the interface (called when the screen is popped, and before a resize rebuild)."""

    def close(self) -> None:
        """The screen leaves the stack for good: release what outlives a layout (threads)."""

    def covered_panel(self) -> RootPanel | None:
        """The pygame_gui panels hidden while another screen is on top (None: none to hide)."""
        return None

    def cover(self) -> None:
        """Another screen went on top (a hand-over, help, the end of the game): hide this one's
        panels, so the screen on top gets the clicks and hides what it must."""
        panel = self.covered_panel()
        if panel is not None:
            panel.hide()

    def uncover(self) -> None:
        """The screen on top went away: show the panels again."""
        panel = self.covered_panel()
        if panel is not None:
            panel.show()

    def handle_event(self, event: pygame.event.Event, consumed: bool) -> None:
        """A pygame or pygame_gui event; ``consumed``: the interface already used it."""

    def update(self, dt: float) -> None:
        """Advance time by ``dt`` seconds (animations, the computer's moves)."""

    def animating(self) -> bool:
        """Whether something moves without input (the app then keeps its full frame rate)."""
        return False

    def draw(self, surface: pygame.Surface) -> None:
        """Draw everything that is not a pygame_gui element."""


class MapScreen(Screen):
    """A screen with the map, a side panel and a log (play and replay): one routing of input.

    Subclasses build ``panel``, ``log`` and ``widget``, and say what a command and a click do.
    """

    panel: SidePanel | None
    log: LogView
    widget: MapWidget

    def run(self, command: str) -> None:
        raise NotImplementedError

    def click(self, click: MapClick) -> None:
        raise NotImplementedError

    def covered_panel(self) -> RootPanel | None:
        return self.panel

    def animating(self) -> bool:
        """Map tiles still being painted, or the map scrolling under held arrow keys."""
        return not self.widget.renderer.complete or self.widget.scrolling

    def route(self, event: pygame.event.Event, consumed: bool, bindings: Any) -> None:
        """Panel buttons and key bindings first, then the log's scrolling, then the map."""
        command = self.panel.command_for(event) if self.panel else None
        if command is None and not consumed:
            command = command_for(event, bindings)
        if command is not None:
            self.run(command)
            return
        if consumed and event.type != pygame.MOUSEMOTION:
            return
        if self.log.handle_event(event, self.widget.mouse):
            return
        click = self.widget.handle_event(event)
        if click is not None:
            self.click(click)
