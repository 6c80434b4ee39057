"""The windows live play opens over the map: the order chooser, the load dialog, "leave the game?".

Each is owned here, so the screen asks one object what a pygame_gui event meant (an order
picked, a file chosen) and closes everything at once when its layout is rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.windows import UIConfirmationDialog, UIFileDialog

from nomonhan.actions import Action
from nomonhan.state import GameState
from nomonhan.ui import describe
from nomonhan.ui.panels import ChoiceWindow, centred

if TYPE_CHECKING:
    from nomonhan.ui.app import App


@dataclass(frozen=True)
class SelectUnit:
    """A chooser entry that is no order: select this unit of the player's own.  A click on a hex
    where the player's units stand may mean "move the selected unit here" or "that unit now",
    and the chooser offers both; the engine's actions stay the only orders."""

    unit: str


@dataclass(frozen=True)
class Picked:
    """What a dialog event meant: an order to play, a unit to select, a saved game to open, or leaving confirmed."""

    action: Action | None = None
    select: str | None = None
    path: str | None = None
    leave: bool = False


class PlayDialogs:
    def __init__(self, app: App) -> None:
        self.app = app
        self.choice: ChoiceWindow[Action | SelectUnit] | None = None
        self.load: UIFileDialog | None = None
        self.leaving: UIConfirmationDialog | None = None

    def choose(self, state: GameState, actions: list[Action], near: tuple[int, int], select: Sequence[str] = ()) -> None:
        """Several meanings fit one click: let the player pick one of the orders (each that risks
        something shows its forecast) or one of the units ``select`` to select instead."""
        self.close_choice()
        options: list[tuple[str, Action | SelectUnit]] = [(describe.action_label(state, a), a) for a in actions]
        options += [(f"Select {describe.unit_name(state.scenario, u)}", SelectUnit(u)) for u in select]
        title = "Choose an order or a unit" if select else "Choose an order"
        self.choice = ChoiceWindow(self.app.manager, near, options, self.app.scale, title)

    def hovered(self) -> tuple[pygame.Rect, Action] | None:
        """The chooser's order under the pointer (with its button's rectangle), or None (also
        over an entry that only selects a unit: it has no forecast)."""
        hovered = self.choice.hovered() if self.choice is not None else None
        if hovered is None or isinstance(hovered[1], SelectUnit):
            return None
        return hovered[0], hovered[1]

    def close_choice(self) -> None:
        if self.choice is not None:
            self.choice.kill()
            self.choice = None

    def open_load(self, folder: Path) -> None:
        if self.load is None or not self.load.alive():
            folder.mkdir(parents=True, exist_ok=True)
            self.load = UIFileDialog(
                centred(self.app.size, self.app.px(600), self.app.px(500)),
                self.app.manager,
                window_title="Load a saved game",
                initial_file_path=str(folder),
                allow_existing_files_only=True,
                allowed_suffixes={".json"},
            )

    def ask_to_leave(self) -> None:
        """Going back to the menu in the middle of a game is asked first (the game is autosaved)."""
        if self.leaving is None or not self.leaving.alive():
            self.leaving = UIConfirmationDialog(
                centred(self.app.size, self.app.px(420), self.app.px(220)),
                "Leave this game for the start screen? It is autosaved: <b>Continue autosave</b> resumes it.",
                self.app.manager,
                window_title="Leave the game?",
                action_short_name="Leave",
            )

    def handle(self, event: pygame.event.Event) -> Picked | None:
        """What ``event`` picked in one of the dialogs, if anything (a closed window is forgotten)."""
        if self.choice is not None:
            choice = self.choice.picked(event)
            if choice is not None:
                self.close_choice()
                return Picked(select=choice.unit) if isinstance(choice, SelectUnit) else Picked(action=choice)
            if event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is self.choice.window:
                self.choice = None
        if event.type == pygame_gui.UI_FILE_DIALOG_PATH_PICKED and self.load is not None and event.ui_element is self.load:
            self.load = None
            return Picked(path=event.text)
        if event.type == pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED and self.leaving is not None and event.ui_element is self.leaving:
            self.leaving = None
            return Picked(leave=True)
        return None

    def kill(self) -> None:
        self.close_choice()
        if self.load is not None:
            self.load.kill()
        if self.leaving is not None:
            self.leaving.kill()
        self.load = self.leaving = None
