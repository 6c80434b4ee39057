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

    def cover(self) -> None:
        """Another screen went on top: hide this one's interface."""

    def uncover(self) -> None:
        """The screen on top went away."""

    def handle_event(self, event: pygame.event.Event, consumed: bool) -> None:
        """A pygame or pygame_gui event; ``consumed``: the interface already used it."""

    def update(self, dt: float) -> None:
        """Advance time by ``dt`` seconds (animations, the computer's moves)."""

    def draw(self, surface: pygame.Surface) -> None:
        """Draw everything that is not a pygame_gui element."""


class MapScreen(Screen):
    """A screen with the map, a side panel and a log (play and replay): one routing of input.

    Subclasses provide ``panel``, ``log``, ``widget``, ``run(command)`` and ``click(map_click)``.
    """

    def cover(self) -> None:
        """Hide the side panel while a screen is on top (see :meth:`Screen.cover`)."""
        if self.panel:  # type: ignore[attr-defined]
            self.panel.hide()  # type: ignore[attr-defined]

    def uncover(self) -> None:
        if self.panel:  # type: ignore[attr-defined]
            self.panel.show()  # type: ignore[attr-defined]

    def route(self, event: pygame.event.Event, consumed: bool, bindings: Any) -> None:
        """Panel buttons and key bindings first, then the log's scrolling, then the map."""
        command = self.panel.command_for(event) if self.panel else None  # type: ignore[attr-defined]
        if command is None and not consumed:
            command = command_for(event, bindings)
        if command is not None:
            self.run(command)  # type: ignore[attr-defined]
            return
        if consumed and event.type != pygame.MOUSEMOTION:
            return
        if self.log.handle_event(event, self.widget.mouse):  # type: ignore[attr-defined]
            return
        click = self.widget.handle_event(event)  # type: ignore[attr-defined]
        if click is not None:
            self.click(click)  # type: ignore[attr-defined]
