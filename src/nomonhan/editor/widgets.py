"""pygame_gui building blocks of the editor: rows of labelled fields, the problems list.

A :class:`FieldRows` lays out ``label: entry`` or ``label: drop-down`` rows and reads their
current texts back, so the tool settings, the inspector and the dialogs share one way of
showing and reading fields.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIDropDownMenu, UILabel, UISelectionList, UITextEntryLine

from nomonhan.scenario.errors import Problem
from nomonhan.ui.wording import plural, wrap_text

ROW = 30
GAP = 4


class FieldRows:
    """``rows``: ``(key, label, choices or None, text)``; choices are ``(label, value)`` pairs."""

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        container: Any,
        left: int,
        top: int,
        width: int,
        rows: Sequence[tuple[Hashable, str, list[tuple[str, str]] | None, str]],
        label_width: int = 130,
    ) -> None:
        self.values: dict[Hashable, str] = {}
        self.entries: dict[UITextEntryLine, Hashable] = {}
        self.menus: dict[UIDropDownMenu, Hashable] = {}
        self.elements: list[Any] = []
        y = top
        for key, label, choices, text in rows:
            self.elements.append(
                UILabel(
                    pygame.Rect(left, y, label_width, ROW), label, manager=manager, container=container, object_id=ObjectID("#left", None)
                )
            )
            rect = pygame.Rect(left + label_width + GAP, y, width - label_width - GAP, ROW)
            self.values[key] = text
            if choices is None:
                entry = UITextEntryLine(rect, manager=manager, container=container, initial_text=text)
                self.entries[entry] = key
                self.elements.append(entry)
            else:
                options: list[str | tuple[str, str]] = list(choices) or [("(none)", "")]
                start = next((o for o in options if o[1] == text), None)
                if start is None:
                    start = (text or "(none)", text)
                    options.insert(0, start)
                    self.values[key] = text
                menu = UIDropDownMenu(options, start, rect, manager=manager, container=container, expansion_height_limit=320)
                self.menus[menu] = key
                self.elements.append(menu)
            y += ROW + GAP
        self.bottom = y

    def handle(self, event: pygame.event.Event) -> tuple[Hashable, str, bool] | None:
        """``(key, text, finished)`` when an event changed a field (finished: Enter or a choice)."""
        if event.type in (pygame_gui.UI_TEXT_ENTRY_CHANGED, pygame_gui.UI_TEXT_ENTRY_FINISHED) and event.ui_element in self.entries:
            key = self.entries[event.ui_element]
            self.values[key] = event.ui_element.get_text()
            return key, self.values[key], event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element in self.menus:
            key = self.menus[event.ui_element]
            self.values[key] = event.selected_option_id
            return key, self.values[key], True
        return None

    def kill(self) -> None:
        for element in self.elements:
            element.kill()
        self.elements.clear()


def problem_line(problem: Problem) -> str:
    """One line for the list: what, then where (the message matters most in a narrow list)."""
    where = f"line {problem.line}" + (f", {problem.field}" if problem.field else "")
    mark = "warning: " if problem.severity == "warning" else ""
    return f"{mark}{problem.message} ({where})"


class ProblemsList:
    """The problems of the draft; picking one reports its index."""

    def __init__(self, manager: pygame_gui.UIManager, container: Any, rect: pygame.Rect) -> None:
        self.title = UILabel(
            pygame.Rect(rect.left, rect.top, rect.width, 24),
            "Problems",
            manager=manager,
            container=container,
            object_id=ObjectID("#left", None),
        )
        self.list = UISelectionList(
            pygame.Rect(rect.left, rect.top + 26, rect.width, rect.height - 26), [], manager=manager, container=container
        )
        self.shown: list[Problem] | None = None

    def show(self, problems: list[Problem], checking: bool) -> None:
        errors = sum(1 for p in problems if p.severity == "error")
        warnings = len(problems) - errors
        state = " (checking...)" if checking else ""
        self.title.set_text(
            f"Problems: {plural(errors, 'error')}, {plural(warnings, 'warning')}{state}"
            if problems
            else f"No problems: the scenario is valid{state}"
        )
        if problems != self.shown:
            self.shown = list(problems)
            self.list.set_item_list(self._rows(problems))

    def _rows(self, problems: list[Problem]) -> list[str | tuple[str, str]]:
        """Each problem wrapped over as many list rows as it needs (every row picks the problem): none is cut off."""
        font = self.list.ui_manager.get_theme().get_font_dictionary().get_default_font()
        room = self.list.rect.width - 44  # the scroll bar and the rows' padding
        return [
            (row, str(n)) for n, p in enumerate(problems) for row in wrap_text(problem_line(p), lambda text: font.size(text)[0] <= room)
        ]

    def picked(self, event: pygame.event.Event) -> Problem | None:
        if event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION and event.ui_element is self.list and self.shown:
            chosen = self.list.get_single_selection(include_object_id=True)
            if chosen is not None:
                return self.shown[int(chosen[1])]
        return None
