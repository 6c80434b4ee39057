"""The editor's interface around the map: command bar, tool palette, tool settings, inspector,
problems list.

It only builds and reads widgets: :meth:`EditorPanels.handle` turns a widget event into an
*intent* (a small tuple) that :class:`~nomonhan.editor.screen.EditorScreen` carries out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID, UIContainer
from pygame_gui.elements import UIButton, UILabel, UIPanel, UIScrollingContainer, UITextBox

from nomonhan.editor import forms
from nomonhan.editor.document import Draft
from nomonhan.editor.keys import TOOL_KEY_NAMES
from nomonhan.editor.tools import TOOLS, Tool
from nomonhan.editor.widgets import GAP, ROW, FieldRows, ProblemsList
from nomonhan.ui.panels import RootPanel

TOP = 40
LEFT = 150
RIGHT = 420
STATUS = 24
MARGIN = 8
PALETTE = 8 + len(TOOLS) * (ROW + GAP)
"""Height of the tool palette; the minimap fills the left column below it."""
COMMANDS = (
    ("open", "Open..."),
    ("save", "Save"),
    ("save_as", "Save as..."),
    ("undo", "Undo"),
    ("redo", "Redo"),
    ("data", "Data..."),
    ("geography", "Geography..."),
    ("underlay", "Underlay..."),
    ("play_test", "Play-test"),
    ("help", "Help"),
    ("quit", "Quit"),
)
Intent = tuple[Any, ...]


@dataclass(frozen=True)
class Areas:
    window: tuple[int, int]

    @property
    def map(self) -> pygame.Rect:
        w, h = self.window
        return pygame.Rect(LEFT, TOP, max(100, w - LEFT - RIGHT), max(100, h - TOP - STATUS))

    @property
    def status(self) -> pygame.Rect:
        return pygame.Rect(self.map.left, self.map.bottom, self.map.width, STATUS)

    @property
    def minimap(self) -> pygame.Rect:
        """Below the tool palette, so that it hides no hex of the map."""
        _w, h = self.window
        top = TOP + PALETTE + 2 * MARGIN
        side = LEFT - 4 * MARGIN
        return pygame.Rect(2 * MARGIN, top, side, max(0, min(side, h - top - 2 * MARGIN)))


class EditorPanels(RootPanel):
    def __init__(self, manager: pygame_gui.UIManager, window: tuple[int, int], tools: list[Tool]) -> None:
        self.manager = manager
        w, h = window
        self.root = UIContainer(pygame.Rect(0, 0, w, h), manager=manager)
        bar = UIPanel(pygame.Rect(0, 0, w, TOP), manager=manager, container=self.root)
        self.commands: dict[UIButton, str] = {}
        x = 4
        for command, label in COMMANDS:
            width = 12 + 8 * len(label)
            self.commands[UIButton(pygame.Rect(x, 2, width, TOP - 10), label, manager=manager, container=bar)] = command
            x += width + 4
        self.status = UILabel(
            pygame.Rect(x + 8, 2, w - x - 20, TOP - 10), "", manager=manager, container=bar, object_id=ObjectID("#left", None)
        )
        palette = UIPanel(pygame.Rect(0, TOP, LEFT, PALETTE), manager=manager, container=self.root)
        self.tool_buttons: dict[UIButton, int] = {}
        for n, tool in enumerate(tools):
            rect = pygame.Rect(4, 4 + n * (ROW + GAP), LEFT - 14, ROW)
            self.tool_buttons[
                UIButton(rect, f"{TOOL_KEY_NAMES[n]}  {tool.label}", manager=manager, container=palette, object_id=ObjectID("#left", None))
            ] = n
        self.side = UIPanel(pygame.Rect(w - RIGHT, TOP, RIGHT, h - TOP), manager=manager, container=self.root)
        self.inner = RIGHT - 2 * MARGIN - 6
        height = h - TOP - 2 * MARGIN
        self.options_height = 236
        self.problems_height = max(150, height // 4)
        self.inspector_top = MARGIN + self.options_height
        self.inspector_height = height - self.options_height - self.problems_height - 2 * MARGIN
        self.problems = ProblemsList(
            manager, self.side, pygame.Rect(MARGIN, h - TOP - MARGIN - self.problems_height - 6, self.inner, self.problems_height)
        )
        self.option_elements: list[Any] = []
        self.option_rows: FieldRows | None = None
        self.option_key: Any = None
        self.form: forms.Form | None = None
        self.form_rows: FieldRows | None = None
        self.form_elements: list[Any] = []
        self.form_key: Any = None
        self.apply_button: UIButton | None = None
        self.delete_button: UIButton | None = None

    # ------------------------------------------------------------ tool settings
    def show_tool(self, tool: Tool, index: int, draft: Draft) -> None:
        """Rebuild the settings of ``tool`` if the tool or any of its choices changed."""
        fields = tool.fields(draft)
        rows = [(f.key, f.label, f.choices(draft) if f.choices else None, tool.options.get(f.key, "")) for f in fields]
        key = (index, repr(rows))
        if key == self.option_key:
            return
        self.option_key = key
        for element in self.option_elements:
            element.kill()
        if self.option_rows:
            self.option_rows.kill()
        for button, n in self.tool_buttons.items():
            if n == index:
                button.select()
            else:
                button.unselect()
        hint = UITextBox(
            f"<b>{tool.label}</b>: {tool.hint}", pygame.Rect(MARGIN, MARGIN, self.inner, 66), manager=self.manager, container=self.side
        )
        self.option_elements = [hint]
        self.option_rows = FieldRows(self.manager, self.side, MARGIN, MARGIN + 70, self.inner, rows)

    # ------------------------------------------------------------ inspector
    def show_form(self, form: forms.Form, texts: dict[tuple[str, ...], str], draft: Draft, force: bool = False) -> None:
        rows = [(f.key, f.label, f.choices(draft) if f.choices else None, texts[f.key]) for f in form.fields]
        key = (form.title, form.path, repr(rows))
        if key == self.form_key and not force:
            return
        self.form_key = key
        self.form = form
        for element in self.form_elements:
            element.kill()
        title = UILabel(
            pygame.Rect(MARGIN, self.inspector_top, self.inner - 220, ROW),
            form.title,
            manager=self.manager,
            container=self.side,
            object_id=ObjectID("#heading", None),
        )
        self.apply_button = UIButton(
            pygame.Rect(MARGIN + self.inner - 216, self.inspector_top, 104, ROW), "Apply", manager=self.manager, container=self.side
        )
        self.delete_button = UIButton(
            pygame.Rect(MARGIN + self.inner - 108, self.inspector_top, 104, ROW), "Delete", manager=self.manager, container=self.side
        )
        if not form.path:
            self.delete_button.disable()
        scroller = UIScrollingContainer(
            pygame.Rect(MARGIN, self.inspector_top + ROW + GAP, self.inner, self.inspector_height - ROW - GAP),
            manager=self.manager,
            container=self.side,
            allow_scroll_x=False,
        )
        self.form_rows = FieldRows(self.manager, scroller, 0, 0, self.inner - 24, rows, label_width=150)
        scroller.set_scrollable_area_dimensions((self.inner - 24, self.form_rows.bottom))
        self.form_elements = [title, self.apply_button, self.delete_button, scroller]

    # ------------------------------------------------------------ events
    def handle(self, event: pygame.event.Event) -> Intent | None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element in self.commands:
                return ("command", self.commands[event.ui_element])
            if event.ui_element in self.tool_buttons:
                return ("tool", self.tool_buttons[event.ui_element])
            if event.ui_element is self.apply_button:
                return ("apply_form",)
            if event.ui_element is self.delete_button:
                return ("command", "delete")
        problem = self.problems.picked(event)
        if problem is not None:
            return ("problem", problem)
        if self.option_rows is not None:
            changed = self.option_rows.handle(event)
            if changed is not None:
                return ("option", changed[0], changed[1])
        if self.form_rows is not None:
            changed = self.form_rows.handle(event)
            if changed is not None and changed[2] and event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED:
                return ("apply_form",)
        return None

    def form_texts(self) -> dict[tuple[str, ...], str]:
        return dict(self.form_rows.values) if self.form_rows else {}  # type: ignore[arg-type]

    def set_status(self, text: str) -> None:
        if self.status.text != text:
            self.status.set_text(text)
