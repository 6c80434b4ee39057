"""The start screen: choose a scenario (with its dates and briefing), a side and an opponent,
or continue a saved game, or watch a replay.

It lists the bundled scenarios and any the player keeps in ``<home>/scenarios``; a file that
does not load is listed with the reason, so a broken download is visible rather than missing.
"""

from __future__ import annotations

import html
import json
import secrets
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.core import ObjectID, UIContainer
from pygame_gui.elements import UIButton, UIDropDownMenu, UILabel, UISelectionList, UITextBox
from pygame_gui.windows import UIFileDialog

from nomonhan.ai import DEFAULT_PLAYER, DIFFICULTY, PLAYERS
from nomonhan.resources import bundled_scenario_paths, scenarios_dir
from nomonhan.scenario.errors import ScenarioError
from nomonhan.scenario.load import Scenario, load_scenario
from nomonhan.ui import describe, style, userdata, wording
from nomonhan.ui.panels import centred
from nomonhan.ui.render_map import MapRenderer
from nomonhan.ui.screen import Screen
from nomonhan.ui.session import HOTSEAT, WATCH, Session, controllers_for

if TYPE_CHECKING:
    from nomonhan.ui.app import App

PREVIEW_HEIGHT = 240


class Entry:
    """One scenario file in the list, loaded when it is first shown or chosen (a folder of a
    thousand files must not hold up the start screen): then its scenario, or the reason it
    would not load.  Until then the list shows its file name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._scenario: Scenario | None = None
        self._problem: str | None = None
        """None until loading was tried; then "" or why the file does not load."""

    def load(self) -> Entry:
        if self._problem is None:
            try:
                self._scenario, self._problem = load_scenario(self.path), ""
            except ScenarioError as exc:
                self._problem = describe.error_text(exc)
        return self

    @property
    def scenario(self) -> Scenario | None:
        return self.load()._scenario

    @property
    def problem(self) -> str:
        return self.load()._problem or ""

    @property
    def ref(self) -> str:
        """How a game record names the scenario: the bundled id, else the file's path."""
        if self.scenario is not None and self.path.parent == scenarios_dir():
            return self.scenario.id
        return str(self.path)

    @property
    def label(self) -> str:
        if self._problem is None:
            return self.path.name
        return self._scenario.model.title if self._scenario else f"{self.path.name} (cannot be loaded)"


def find_scenarios(extra: list[Path] | None = None) -> list[Entry]:
    """The bundled scenarios (loaded: there are few, and their titles make the list), then the
    player's own and ``extra`` (loaded when shown)."""
    bundled = [Entry(path).load() for path in bundled_scenario_paths()]
    return bundled + [Entry(path) for path in [*userdata.user_scenarios(), *(extra or [])]]


def briefing_html(entry: Entry) -> str:
    """Title, dates, size and sides, then the players' briefing (the scenario's ``briefing``)."""
    if entry.scenario is None:
        return f"<b>{html.escape(entry.path.name)}</b><br><br>{html.escape(entry.problem)}"
    scenario = entry.scenario
    model, period = scenario.model, scenario.model.period
    end = scenario.turn_start(period.last_turn + 1)
    sides = "<br>".join(f"<b>{html.escape(s.name)}</b> ({html.escape(', '.join(s.nations))})" for s in scenario.sides)
    counts = {side: sum(1 for u in model.units if u.side == side) for side in scenario.side_ids}
    return (
        f"<font size=5><b>{html.escape(model.title)}</b></font><br>"
        f"{describe.when(scenario.turn_start(1))} to {describe.when(end)}: {period.last_turn} turns of {period.turn_hours} h<br>"
        f"Map {scenario.board.columns} x {scenario.board.rows} hexes of {model.map.hex_km:g} km; "
        + ", ".join(f"{describe.side_name(scenario, s)} {n} units" for s, n in counts.items())
        + f"<br><br>{sides}<br><br>{_players_briefing(scenario)}"
    )


def _players_briefing(scenario: Scenario) -> str:
    """The situation, each side's aims, victory, special rules and history; without a briefing,
    the first paragraph of the designer's notes, labelled as such."""
    briefing = scenario.model.briefing
    if briefing is None:
        first = next((p.strip().replace("\n", " ") for p in scenario.model.notes.split("\n\n") if p.strip()), "")
        return f"<b>Designer's notes</b><br>{html.escape(first)}" if first else "<i>No briefing.</i>"
    parts = [("Situation", briefing.situation)]
    parts += [(f"{describe.side_name(scenario, side)}: your aims", text) for side, text in briefing.aims.items()]
    parts += [("Victory", briefing.victory), ("Special rules", briefing.special_rules), ("History", briefing.history)]
    return "<br><br>".join(f"<b>{html.escape(title)}</b><br>{html.escape(' '.join(text.split()))}" for title, text in parts if text)


def autosave_note(path: Path) -> str:
    """What **Continue autosave** resumes: the scenario and when it was saved (or that there is none)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        saved = datetime.fromtimestamp(path.stat().st_mtime)
    except FileNotFoundError:
        return "No autosave yet: one is written at the end of every turn"
    except (OSError, ValueError) as exc:
        return f"The autosave cannot be read: {exc}"
    name = record.get("scenario_id") or record.get("scenario") if isinstance(record, dict) else None
    actions = record.get("actions") if isinstance(record, dict) else None
    if not isinstance(name, str) or not isinstance(actions, list):
        return "The autosave is not a game record"
    return f"Resumes {name}, autosaved {saved:%d %b %Y %H:%M} after {len(actions)} actions"


class StartScreen(Screen):
    COMMANDS = (
        ("start", "Start game"),
        ("load", "Load saved game..."),
        ("continue", "Continue autosave"),
        ("replay", "Watch a replay..."),
        ("quit", "Quit"),
    )

    def __init__(self, app: App, entries: list[Entry] | None = None, selected: Path | None = None) -> None:
        super().__init__(app)
        self.entries = entries if entries is not None else find_scenarios()
        self.current = next((e for e in self.entries if e.path == selected), self.entries[0] if self.entries else None)
        self.side_choice = ""
        self.opponent_choice = DEFAULT_PLAYER
        self.root: UIContainer | None = None
        self.buttons: dict[UIButton, str] = {}
        self._dialog: tuple[UIFileDialog, str] | None = None
        self._previews: dict[Path, pygame.Surface] = {}

    def enter(self) -> None:
        manager = self.app.manager
        w, h = self.app.size
        px = self.app.px
        edge = px(24)
        self.root = UIContainer(pygame.Rect(0, 0, w, h), manager=manager)
        UILabel(
            pygame.Rect(edge, px(12), w - 2 * edge, px(46)),
            "Nomonhan",
            manager=manager,
            container=self.root,
            object_id=ObjectID("#title", None),
        )
        UILabel(
            pygame.Rect(edge, px(60), w - 2 * edge, px(26)),
            "The Soviet-Japanese border battles, 1938-39: a hex-and-counter wargame",
            manager=manager,
            container=self.root,
            object_id=ObjectID("#left", None),
        )
        list_width = max(px(300), min(px(480), w // 4))
        top, bottom = px(100), h - px(100)
        font = manager.get_theme().get_font_dictionary().get_default_font()
        room = list_width - px(48)  # the scroll bar and the item's padding
        labels: list[str | tuple[str, str]] = [
            (wording.fit_text(e.label, lambda t: font.size(t)[0] <= room), str(n)) for n, e in enumerate(self.entries)
        ]
        self.scenario_list = UISelectionList(
            pygame.Rect(edge, top, list_width, bottom - top),
            labels,
            manager=manager,
            container=self.root,
            default_selection=labels[self.entries.index(self.current)] if self.current else None,
        )
        right = edge + list_width + px(16)
        choices = px(110) + px(320)
        preview_height = min(px(PREVIEW_HEIGHT), (bottom - top) // 2, (w - right - edge - px(24) - choices) * 3 // 4)
        self.preview_rect = pygame.Rect(right, bottom - preview_height, preview_height * 4 // 3, preview_height)
        self.briefing = UITextBox(
            "", pygame.Rect(right, top, w - right - edge, self.preview_rect.top - top - px(12)), manager=manager, container=self.root
        )
        x = self.preview_rect.right + px(24)
        row = px(32)
        UILabel(
            pygame.Rect(x, self.preview_rect.top, px(110), row),
            "Play as",
            manager=manager,
            container=self.root,
            object_id=ObjectID("#left", None),
        )
        self.side_rect = pygame.Rect(x + px(110), self.preview_rect.top, px(320), row)
        UILabel(
            pygame.Rect(x, self.preview_rect.top + px(48), px(110), row),
            "Opponent",
            manager=manager,
            container=self.root,
            object_id=ObjectID("#left", None),
        )
        levels: list[str | tuple[str, str]] = [(f"{level.capitalize()} ({kind})", kind) for level, kind in DIFFICULTY.items()]
        levels += [(f"{kind.capitalize()} ({kind})", kind) for kind in sorted(PLAYERS) if kind not in DIFFICULTY.values()]
        start = next((option for option in levels if option[1] == self.opponent_choice), levels[0])
        self.opponent_menu = UIDropDownMenu(
            levels, start, pygame.Rect(x + px(110), self.preview_rect.top + px(48), px(320), row), manager=manager, container=self.root
        )
        self.side_menu: UIDropDownMenu | None = None
        width = min(px(196), (w - 2 * edge) // len(self.COMMANDS) - px(10))
        for n, (command, label) in enumerate(self.COMMANDS):
            button = UIButton(
                pygame.Rect(edge + n * (width + px(10)), h - px(84), width, px(44)),
                label,
                manager=manager,
                container=self.root,
                tool_tip_text=html.escape(autosave_note(userdata.autosave_path())) if command == "continue" else None,
            )
            self.buttons[button] = command
        self.error = UILabel(
            pygame.Rect(edge, h - px(36), w - 2 * edge, px(28)), "", manager=manager, container=self.root, object_id=ObjectID("#left", None)
        )
        self._show(self.current)

    def draw(self, surface: pygame.Surface) -> None:
        """The background and a picture of the chosen scenario's map."""
        surface.fill(style.BACKGROUND)
        if self.current is None or self.current.scenario is None or self.root is None:
            return
        picture = self._previews.get(self.current.path)
        if picture is None:
            picture = self._previews[self.current.path] = MapRenderer(self.current.scenario).overview()[0]
        fitted = picture.get_rect().fit(self.preview_rect)
        surface.blit(pygame.transform.smoothscale(picture, fitted.size), fitted)
        pygame.draw.rect(surface, style.INK, fitted, 1)

    def _show(self, entry: Entry | None) -> None:
        """Fill the briefing and the side menu for ``entry``'s scenario."""
        self.current = entry
        self.briefing.set_text(
            briefing_html(entry) if entry else f"No scenario found: put scenario files in {html.escape(str(userdata.home() / 'scenarios'))}"
        )
        if self.side_menu is not None:
            self.side_menu.kill()
            self.side_menu = None
        if entry is None or entry.scenario is None:
            return
        named = [
            *((s.name, s.id) for s in entry.scenario.sides),
            ("Hot-seat: two players", HOTSEAT),
            ("Watch: computer vs computer", WATCH),
        ]
        font = self.app.manager.get_theme().get_font_dictionary().get_default_font()
        room = self.side_rect.width - self.app.px(40)  # the menu's arrow and padding: a long name is shortened at a word
        options: list[str | tuple[str, str]] = [(wording.fit_text(label, lambda t: font.size(t)[0] <= room), key) for label, key in named]
        ids = [o[1] for o in options]
        if self.side_choice not in ids:
            self.side_choice = ids[0]
        self.side_menu = UIDropDownMenu(
            options, options[ids.index(self.side_choice)], self.side_rect, manager=self.app.manager, container=self.root
        )

    def leave(self) -> None:
        if self.root is not None:
            self.root.kill()
            self.root = None
        if self._dialog is not None:
            self._dialog[0].kill()
            self._dialog = None

    def handle_event(self, event: pygame.event.Event, consumed: bool) -> None:
        if event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION and event.ui_element is self.scenario_list:
            picked = self.scenario_list.get_single_selection(include_object_id=True)
            if picked is not None:
                self._show(self.entries[int(picked[1])])
        elif event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED:
            if event.ui_element is self.side_menu:
                self.side_choice = event.selected_option_id
            elif event.ui_element is self.opponent_menu:
                self.opponent_choice = event.selected_option_id
        elif event.type == pygame_gui.UI_FILE_DIALOG_PATH_PICKED and self._dialog and event.ui_element is self._dialog[0]:
            purpose = self._dialog[1]
            self._dialog = None
            if purpose == "load":
                self.app.open_saved(event.text, on_error=self.say)
            else:
                self.app.open_replay_file(event.text, on_error=self.say)
        elif event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element in self.buttons:
            self.run(self.buttons[event.ui_element])
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and not consumed:
            self.run("start")

    def run(self, command: str) -> None:
        if command == "start":
            self.start()
        elif command == "load":
            self._open_dialog("Load a saved game", "load", userdata.saves_dir())
        elif command == "replay":
            self._open_dialog("Watch a game record", "replay", userdata.saves_dir())
        elif command == "continue":
            path = userdata.autosave_path()
            if path.exists():
                self.app.open_saved(str(path), on_error=self.say)
            else:
                self.say("No autosave yet: one is written at the end of every turn")
        else:
            self.app.running = False

    def start(self) -> None:
        entry = self.current
        if entry is None or entry.scenario is None:
            self.say("Choose a scenario that loads")
            return
        controllers = controllers_for(entry.scenario, self.side_choice, self.opponent_choice)
        self.app.open_play(Session.new(entry.scenario, secrets.randbelow(2**31), controllers, entry.ref))

    def _open_dialog(self, title: str, purpose: str, folder: Path) -> None:
        if self._dialog is not None and self._dialog[0].alive():
            return
        folder.mkdir(parents=True, exist_ok=True)
        dialog = UIFileDialog(
            centred(self.app.size, self.app.px(600), self.app.px(500)),
            self.app.manager,
            window_title=title,
            initial_file_path=str(folder),
            allow_existing_files_only=True,
            allowed_suffixes={".json"},
        )
        self._dialog = (dialog, purpose)

    def say(self, message: str) -> None:
        """One line at the foot of the screen, shortened at a word boundary if the window is narrow."""
        room = self.error.rect.width - self.app.px(8)
        font = self.error.font
        assert font is not None  # a label has its theme's font from the moment it is built
        self.error.set_text(wording.fit_text(message, lambda text: font.size(text)[0] <= room))
