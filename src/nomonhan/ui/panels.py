"""The pygame_gui side panel and top bar shared by play and replay, and the order chooser.

Buttons carry the same command names as the keyboard table in :mod:`nomonhan.ui.input`, so a
screen handles a click on "End phase" and the key ``e`` in one place.  All elements hang off one
root container, so a screen can hide, show or remove its whole interface at once.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

import pygame
import pygame_gui
from pygame_gui.core import ObjectID, UIContainer
from pygame_gui.elements import UIButton, UILabel, UIPanel, UITextBox, UITextEntryLine, UIWindow

from nomonhan.actions import Action
from nomonhan.ui import style, wording

TOP_BAR = 36
SIDEBAR = 360
STATUS_BAR = 24
MARGIN = 8
BUTTON_HEIGHT = 30
UNIT_BOX_HEIGHT = 280
"""Enough for a unit's whole description (a halted unit's, a pontoon's hours) where the window allows."""
UNIT_BOX_MIN = 120
LOG_MIN = 150
"""The event log keeps at least this much height (eight lines) with no order buttons shown; the unit box gives way first."""
LOG_UNDER_ORDERS = 56
"""...and at least this much (two lines) under a full set of ``ORDER_ROWS`` order buttons, which come and go."""
MINIMAP_HEIGHT = 220
ORDER_ROWS = 3
CHOICE_OFFSET = 48

Choice = TypeVar("Choice")


@dataclass(frozen=True)
class Layout:
    """Where the parts of a game screen go for a window size, at a UI ``scale`` (1: up to 1920x1080)."""

    window: tuple[int, int]
    scale: float = 1.0

    def px(self, value: float) -> int:
        return round(value * self.scale)

    @property
    def map_rect(self) -> pygame.Rect:
        w, h = self.window
        top = self.px(TOP_BAR)
        return pygame.Rect(0, top, max(100, w - self.px(SIDEBAR)), max(100, h - top - self.px(STATUS_BAR)))

    @property
    def status_rect(self) -> pygame.Rect:
        m = self.map_rect
        return pygame.Rect(m.left, m.bottom, m.width, self.px(STATUS_BAR))

    @property
    def sidebar_rect(self) -> pygame.Rect:
        w, h = self.window
        top = self.px(TOP_BAR)
        return pygame.Rect(max(100, w - self.px(SIDEBAR)), top, self.px(SIDEBAR), h - top)

    @property
    def minimap_rect(self) -> pygame.Rect:
        """At the foot of the side bar: a fifth of its height, at most ``MINIMAP_HEIGHT`` (scaled)."""
        side = self.sidebar_rect
        margin = self.px(MARGIN)
        height = min(self.px(MINIMAP_HEIGHT), side.height // 5)
        return pygame.Rect(side.left + margin, side.bottom - height - margin, side.width - 2 * margin, height)


class RootPanel:
    """Panels built inside one container, ``root``: hidden, shown and removed together (the
    game's side panel and the editor's panels)."""

    root: UIContainer

    def hide(self) -> None:
        self.root.hide()

    def show(self) -> None:
        self.root.show()

    def kill(self) -> None:
        self.root.kill()


class SidePanel(RootPanel):
    """Top bar, unit box, command buttons, optional entry line and order buttons; room for the log.

    Order buttons show the legal actions a click on the map cannot express (advance, hold,
    air superiority, Resolve...): at most ``ORDER_ROWS``, the last one opening the full list if
    needed.  They take room only while there are some: the log, under them, starts where the
    last button ends, so on a short window no empty band waits for orders that are rarely there
    (the screen places its log at :attr:`log_rect` again after :meth:`set_orders`).
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
        px = layout.px
        w, _ = layout.window
        margin, gap = px(MARGIN), px(4)
        self.margin = margin
        self.button_height = px(BUTTON_HEIGHT)
        self.root = UIContainer(pygame.Rect(0, 0, *layout.window), manager=manager)
        side = layout.sidebar_rect
        self.top = UIPanel(pygame.Rect(0, 0, w, layout.map_rect.top), manager=manager, container=self.root)
        self.status = UILabel(
            pygame.Rect(margin, px(2), w - 2 * margin, layout.map_rect.top - px(8)),
            "",
            manager=manager,
            container=self.top,
            object_id=ObjectID("#status", None),
        )
        self.side = UIPanel(side, manager=manager, container=self.root)
        inner = side.width - 2 * margin - px(6)
        left = margin - px(2)
        per_row = 3
        self.row = row = self.button_height + gap
        command_rows = (len(commands) + per_row - 1) // per_row
        below_unit = command_rows * row + gap + (self.button_height + margin if entry_label else 0)
        self.log_bottom = layout.minimap_rect.top - margin
        log_room = px(LOG_MIN) if not with_orders else max(px(LOG_MIN), ORDER_ROWS * row + px(LOG_UNDER_ORDERS))
        room = self.log_bottom - side.top - 3 * margin - below_unit - log_room
        unit_height = max(px(UNIT_BOX_MIN), min(px(UNIT_BOX_HEIGHT), room))
        """The unit box takes what the log can spare (it scrolls; a log of two lines does not help)."""
        y = margin
        self.unit_box = UITextBox("", pygame.Rect(left, y, inner, unit_height), manager=manager, container=self.side)
        y += unit_height + margin
        self.buttons: dict[UIButton, str] = {}
        self.button_of: dict[str, UIButton] = {}
        width = (inner - (per_row - 1) * gap) // per_row
        for n, (command, label) in enumerate(commands):
            r, col = divmod(n, per_row)
            rect = pygame.Rect(left + col * (width + gap), y + r * row, width, self.button_height)
            button = UIButton(rect, label, manager=manager, container=self.side)
            self.buttons[button] = command
            self.button_of[command] = button
        y += command_rows * row + gap
        self.entry: UITextEntryLine | None = None
        if entry_label:
            UILabel(pygame.Rect(left, y, inner // 2, self.button_height), entry_label, manager=manager, container=self.side)
            self.entry = UITextEntryLine(
                pygame.Rect(left + inner // 2, y, inner // 2, self.button_height), manager=manager, container=self.side
            )
            y += self.button_height + margin
        self.orders_rect = pygame.Rect(left, y, inner, 0) if with_orders else None
        """Where order buttons go, one row each (none: no height)."""
        self.order_buttons: dict[UIButton, Action | None] = {}
        self._all_orders: list[Action] = []
        self._labels: list[str] = []
        self.log_rect = pygame.Rect(0, 0, 0, 0)
        """Where the screen draws its :class:`~nomonhan.ui.log_view.LogView` (plain pygame, below the panel)."""
        self._fit(y)

    def _fit(self, bottom: int) -> None:
        """The side panel down to ``bottom`` (in it), and the log from there to the minimap."""
        side = self.side.rect
        self.side.set_dimensions((side.width, bottom + self.margin))
        top = side.top + bottom + self.margin
        self.log_rect = pygame.Rect(side.left + self.margin, top, side.width - 2 * self.margin, max(self.row, self.log_bottom - top))

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
        """Replace the order buttons (only when the orders or their labels changed, to keep the
        frame cheap); a label cut to fit is whole in the button's tooltip.  An order's forecast is
        not a tooltip (too tall to fit over the panel): the screen draws it as a card beside the
        button the pointer rests on (:meth:`hovered_order`).  The log moves to make room for
        the buttons, or to take it back (:attr:`log_rect`)."""
        actions = [action for _, action in options]
        labels = [label for label, _ in options]
        if self.orders_rect is None or (actions, labels) == (self._all_orders, self._labels):
            return
        self._labels = labels
        for button in self.order_buttons:
            button.kill()
        self.order_buttons = {}
        self._all_orders = actions
        shown = list(options) if len(options) <= ORDER_ROWS else list(options[: ORDER_ROWS - 1])
        rows: list[tuple[str, Action | None]] = [*shown]
        if len(options) > ORDER_ROWS:
            rows.append((f"More orders ({len(options) - len(shown)})...", None))
        self.orders_rect.height = len(rows) * self.row
        self._fit(self.orders_rect.bottom)
        for n, (label, action) in enumerate(rows):
            rect = pygame.Rect(self.orders_rect.left, self.orders_rect.top + n * self.row, self.orders_rect.width, self.button_height)
            text = fitted(self.manager, label, rect.width - 12)
            button = UIButton(
                rect,
                text,
                manager=self.manager,
                container=self.side,
                object_id=ObjectID("#order", None),
                tool_tip_text=html.escape(label) if text != label else None,
            )
            self.order_buttons[button] = action

    def hovered_order(self) -> tuple[pygame.Rect, Action] | None:
        """The order button under the pointer and its action (None over "More orders" or elsewhere)."""
        return next(((button.rect, action) for button, action in self.order_buttons.items() if action and button.hovered), None)

    # ---- showing things
    def set_status(self, text: str) -> None:
        """The top bar's line, shortened (brackets, then trailing parts) if the window is too narrow for it."""
        shown = fitted_in(self.status.font, text, self.status.rect.width - 8)
        if shown != self.status.text:
            self.status.set_text(shown)

    def set_unit(self, html_text: str) -> None:
        if html_text != self.unit_box.html_text:
            self.unit_box.set_text(html_text)

    def set_label(self, command: str, label: str) -> None:
        button = self.button_of[command]
        if button.text != label:
            button.set_text(label)

    def enable(self, command: str, enabled: bool) -> None:
        button = self.button_of[command]
        if enabled and not button.is_enabled:
            button.enable()
        elif not enabled and button.is_enabled:
            button.disable()


class ChoiceWindow(Generic[Choice]):
    """A small window listing what one click may mean (e.g. move there, or attack; or select the
    unit standing there): the window only shows and returns the ``Choice`` picked."""

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        near: tuple[int, int],
        options: Sequence[tuple[str, Choice]],
        scale: float = 1.0,
        title: str = "Choose an order",
    ) -> None:
        """``options``: (label, choice); the screen draws the forecast of the order the pointer
        rests on (:meth:`hovered`) as a card, like a target's on the map."""
        w, h = manager.window_resolution
        font = manager.get_theme().get_font_dictionary().get_default_font()
        longest = max(font.size(label)[0] for label, _ in options)
        row = round((BUTTON_HEIGHT + 4) * scale)
        width, height = (
            min(w - 20, max(round(300 * scale), longest + round(80 * scale))),
            min(h - 20, round(60 * scale) + len(options) * row),
        )
        rect = pygame.Rect(0, 0, width, height)
        below = near[1] + CHOICE_OFFSET if near[1] + CHOICE_OFFSET + height <= h else near[1] - CHOICE_OFFSET - height
        rect.topleft = (min(max(near[0] - width // 2, 0), w - width), max(below, 0))  # clear of the clicked hex
        self.window = UIWindow(rect, manager, window_display_title=title)
        self.choices: dict[UIButton, Choice] = {}
        for n, (label, choice) in enumerate(options):
            text = fitted(manager, label, width - round(52 * scale))
            button = UIButton(
                pygame.Rect(4, 4 + n * row, width - round(40 * scale), row - 4),
                text,
                manager=manager,
                container=self.window,
                tool_tip_text=html.escape(label) if text != label else None,
            )
            self.choices[button] = choice

    def hovered(self) -> tuple[pygame.Rect, Choice] | None:
        """The choice under the pointer (with its button's rectangle), or None."""
        return next(((button.rect, choice) for button, choice in self.choices.items() if button.hovered), None)

    def picked(self, event: pygame.event.Event) -> Choice | None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            return self.choices.get(event.ui_element)
        return None

    @property
    def alive(self) -> bool:
        return bool(self.window.alive())

    def kill(self) -> None:
        self.window.kill()


def fitted(manager: pygame_gui.UIManager, label: str, width: int) -> str:
    """``label`` shortened to fit ``width`` pixels in the theme's font (the full text goes in a tooltip)."""
    return fitted_in(manager.get_theme().get_font_dictionary().get_default_font(), label, width)


def fitted_in(font: Any, label: str, width: int) -> str:
    return wording.fit_text(label, lambda text: font.size(text)[0] <= width)


def draw_chrome(surface: pygame.Surface, layout: Layout) -> None:
    """Fill the top bar and side bar: under a dialog their panels are hidden, and must not leave ghosts."""
    surface.fill(style.PANEL, pygame.Rect(0, 0, layout.window[0], layout.map_rect.top))
    surface.fill(style.PANEL, layout.sidebar_rect)


def draw_status(surface: pygame.Surface, rect: pygame.Rect, text: str, scale: float = 1.0) -> None:
    """The one-line status bar under the map (hovered hex, messages); plain pygame, redrawn each
    frame; a line too long for it is shortened at a word boundary, never cut mid-word."""
    surface.fill(style.PANEL, rect)
    if text:
        size, room = round(20 * scale), rect.width - 2 * round(MARGIN * scale)
        label = style.text(_fitted(text, size, room), size, style.PAPER)
        clip = surface.get_clip()
        surface.set_clip(rect)
        surface.blit(label, label.get_rect(midleft=(rect.left + round(MARGIN * scale), rect.centery)))
        surface.set_clip(clip)


@lru_cache(maxsize=256)
def _fitted(text: str, size: int, room: int) -> str:
    """``text`` shortened to ``room`` pixels at font ``size`` (cached: the status line is drawn every frame)."""
    return wording.fit_text(text, lambda t: style.font(size).size(t)[0] <= room)


def centred(window: tuple[int, int], width: int, height: int) -> pygame.Rect:
    """A dialog's rectangle in the middle of the window (never larger than it)."""
    rect = pygame.Rect(0, 0, min(width, window[0] - 20), min(height, window[1] - 20))
    rect.center = (window[0] // 2, window[1] // 2)
    return rect
