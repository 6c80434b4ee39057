"""The pygame_gui side panel and top bar shared by play and replay, and the order chooser.

Buttons carry the same command names as the keyboard table in :mod:`nomonhan.ui.input`, so a
screen handles a click on "End phase" and the key ``e`` in one place.  All elements hang off one
root container, so a screen can hide, show or remove its whole interface at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygame
import pygame_gui
from pygame_gui.core import ObjectID, UIContainer
from pygame_gui.elements import UIButton, UILabel, UIPanel, UITextBox, UITextEntryLine, UIWindow

from nomonhan.actions import Action
from nomonhan.ui import style

TOP_BAR = 36
SIDEBAR = 360
STATUS_BAR = 24
MARGIN = 8
BUTTON_HEIGHT = 30
UNIT_BOX_HEIGHT = 230
ORDER_ROWS = 3
CHOICE_OFFSET = 48


@dataclass(frozen=True)
class Layout:
    """Where the parts of a game screen go for a window size."""

    window: tuple[int, int]

    @property
    def map_rect(self) -> pygame.Rect:
        w, h = self.window
        return pygame.Rect(0, TOP_BAR, max(100, w - SIDEBAR), max(100, h - TOP_BAR - STATUS_BAR))

    @property
    def status_rect(self) -> pygame.Rect:
        m = self.map_rect
        return pygame.Rect(m.left, m.bottom, m.width, STATUS_BAR)

    @property
    def sidebar_rect(self) -> pygame.Rect:
        w, h = self.window
        return pygame.Rect(max(100, w - SIDEBAR), TOP_BAR, SIDEBAR, h - TOP_BAR)

    @property
    def minimap_rect(self) -> pygame.Rect:
        side = self.sidebar_rect
        height = min(220, side.height // 4)
        return pygame.Rect(side.left + MARGIN, side.bottom - height - MARGIN, side.width - 2 * MARGIN, height)


class SidePanel:
    """Top bar, unit box, command buttons, optional order buttons and entry line; room for the log.

    Order buttons show the legal actions a click on the map cannot express (advance, hold,
    air superiority...): at most ``ORDER_ROWS``, the last one opening the full list if needed.
    """

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        layout: Layout,
        commands: Sequence[tuple[str, str]],
        entry_label: str | None = None,
        with_orders: bool = False,
    ) -> None:
        self.manager = manager
        w, _ = layout.window
        self.root = UIContainer(pygame.Rect(0, 0, *layout.window), manager=manager)
        side = layout.sidebar_rect
        self.top = UIPanel(pygame.Rect(0, 0, w, layout.map_rect.top), manager=manager, container=self.root)
        self.status = UILabel(pygame.Rect(MARGIN, 2, w - 2 * MARGIN, TOP_BAR - 8), "", manager=manager, container=self.top,
                              object_id=ObjectID("#status", None))
        self.side = UIPanel(side, manager=manager, container=self.root)
        inner = side.width - 2 * MARGIN - 6
        y = MARGIN
        self.unit_box = UITextBox("", pygame.Rect(MARGIN - 2, y, inner, UNIT_BOX_HEIGHT), manager=manager, container=self.side)
        y += UNIT_BOX_HEIGHT + MARGIN
        self.buttons: dict[UIButton, str] = {}
        self.button_of: dict[str, UIButton] = {}
        per_row = 3
        width = (inner - (per_row - 1) * 4) // per_row
        for n, (command, label) in enumerate(commands):
            row, col = divmod(n, per_row)
            rect = pygame.Rect(MARGIN - 2 + col * (width + 4), y + row * (BUTTON_HEIGHT + 4), width, BUTTON_HEIGHT)
            button = UIButton(rect, label, manager=manager, container=self.side)
            self.buttons[button] = command
            self.button_of[command] = button
        y += ((len(commands) + per_row - 1) // per_row) * (BUTTON_HEIGHT + 4) + 4
        self.orders_rect = pygame.Rect(MARGIN - 2, y, inner, ORDER_ROWS * (BUTTON_HEIGHT + 4)) if with_orders else None
        self.order_buttons: dict[UIButton, Action | None] = {}
        self._all_orders: list[Action] = []
        if self.orders_rect is not None:
            y = self.orders_rect.bottom + 4
        self.entry: UITextEntryLine | None = None
        if entry_label:
            UILabel(pygame.Rect(MARGIN - 2, y, inner // 2, BUTTON_HEIGHT), entry_label, manager=manager, container=self.side)
            self.entry = UITextEntryLine(pygame.Rect(MARGIN - 2 + inner // 2, y, inner // 2, BUTTON_HEIGHT), manager=manager,
                                         container=self.side)
            y += BUTTON_HEIGHT + MARGIN
        self.side.set_dimensions((side.width, y + MARGIN))
        self.log_rect = pygame.Rect(side.left + MARGIN, side.top + y + MARGIN, side.width - 2 * MARGIN,
                                    max(60, layout.minimap_rect.top - MARGIN - side.top - y - MARGIN))
        """Where the screen draws its :class:`~nomonhan.ui.log_view.LogView` (plain pygame, below the panel)."""

    # ---- reading input
    def command_for(self, event: pygame.event.Event) -> str | None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            return self.buttons.get(event.ui_element)
        return None

    def order_for(self, event: pygame.event.Event) -> Action | list[Action] | None:
        """The order button pressed: its action, or the whole list for "more orders"."""
        if event.type != pygame_gui.UI_BUTTON_PRESSED or event.ui_element not in self.order_buttons:
            return None
        return self.order_buttons[event.ui_element] or list(self._all_orders)

    def set_orders(self, options: Sequence[tuple[str, Action]]) -> None:
        """Replace the order buttons (only when the orders changed, to keep the frame cheap)."""
        actions = [action for _, action in options]
        if self.orders_rect is None or actions == self._all_orders:
            return
        for button in self.order_buttons:
            button.kill()
        self.order_buttons = {}
        self._all_orders = actions
        shown = list(options) if len(options) <= ORDER_ROWS else list(options[: ORDER_ROWS - 1])
        rows: list[tuple[str, Action | None]] = [*shown]
        if len(options) > ORDER_ROWS:
            rows.append((f"More orders ({len(options) - len(shown)})...", None))
        for n, (label, action) in enumerate(rows):
            rect = pygame.Rect(self.orders_rect.left, self.orders_rect.top + n * (BUTTON_HEIGHT + 4), self.orders_rect.width, BUTTON_HEIGHT)
            button = UIButton(rect, label, manager=self.manager, container=self.side, object_id=ObjectID("#order", None))
            self.order_buttons[button] = action

    # ---- showing things
    def set_status(self, text: str) -> None:
        self.status.set_text(text)

    def set_unit(self, html_text: str) -> None:
        if html_text != self.unit_box.html_text:
            self.unit_box.set_text(html_text)

    def set_label(self, command: str, label: str) -> None:
        self.button_of[command].set_text(label)

    def enable(self, command: str, enabled: bool) -> None:
        button = self.button_of[command]
        if enabled and not button.is_enabled:
            button.enable()
        elif not enabled and button.is_enabled:
            button.disable()

    def hide(self) -> None:
        self.root.hide()

    def show(self) -> None:
        self.root.show()

    def kill(self) -> None:
        self.root.kill()


class ChoiceWindow:
    """A small window listing several actions for one click (e.g. move there, or attack)."""

    def __init__(self, manager: pygame_gui.UIManager, near: tuple[int, int], options: Sequence[tuple[str, Action, str | None]]) -> None:
        """``options``: (label, action, tooltip) — an attack's tooltip lists every result's exact chance."""
        w, h = manager.window_resolution
        font = manager.get_theme().get_font_dictionary().get_default_font()
        longest = max(font.size(label)[0] for label, _, _ in options)
        width, height = min(w - 20, max(300, longest + 80)), min(h - 20, 60 + len(options) * (BUTTON_HEIGHT + 4))
        rect = pygame.Rect(0, 0, width, height)
        below = near[1] + CHOICE_OFFSET if near[1] + CHOICE_OFFSET + height <= h else near[1] - CHOICE_OFFSET - height
        rect.topleft = (min(max(near[0] - width // 2, 0), w - width), max(below, 0))  # clear of the clicked hex
        self.window = UIWindow(rect, manager, window_display_title="Choose an order")
        self.choices: dict[UIButton, Action] = {}
        for n, (label, action, details) in enumerate(options):
            button = UIButton(pygame.Rect(4, 4 + n * (BUTTON_HEIGHT + 4), width - 40, BUTTON_HEIGHT), label,
                              manager=manager, container=self.window, tool_tip_text=details)
            self.choices[button] = action

    def picked(self, event: pygame.event.Event) -> Action | None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            return self.choices.get(event.ui_element)
        return None

    @property
    def alive(self) -> bool:
        return self.window.alive()

    def kill(self) -> None:
        self.window.kill()


def draw_chrome(surface: pygame.Surface, layout: Layout) -> None:
    """Fill the top bar and side bar: under a dialog their panels are hidden, and must not leave ghosts."""
    surface.fill(style.PANEL, pygame.Rect(0, 0, layout.window[0], layout.map_rect.top))
    surface.fill(style.PANEL, layout.sidebar_rect)


def draw_status(surface: pygame.Surface, rect: pygame.Rect, text: str) -> None:
    """The one-line status bar under the map (hovered hex, messages); plain pygame, redrawn each frame."""
    surface.fill(style.PANEL, rect)
    if text:
        label = style.text(text, 20, style.PAPER)
        clip = surface.get_clip()
        surface.set_clip(rect)
        surface.blit(label, label.get_rect(midleft=(rect.left + MARGIN, rect.centery)))
        surface.set_clip(clip)
