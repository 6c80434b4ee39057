"""The start screen (ui/start_screen.py) driven through its list, menus, buttons and file
dialogs: what it shows for each scenario, and where each choice leads."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pygame  # noqa: E402
import pygame_gui  # noqa: E402
import test_ui_app  # noqa: E402

from nomonhan.replay import Game  # noqa: E402
from nomonhan.resources import bundled_scenario_paths  # noqa: E402
from nomonhan.scenario.load import load_scenario  # noqa: E402
from nomonhan.ui import userdata  # noqa: E402
from nomonhan.ui.app import App  # noqa: E402
from nomonhan.ui.play_screen import PlayScreen  # noqa: E402
from nomonhan.ui.replay_screen import ReplayScreen  # noqa: E402
from nomonhan.ui.session import HOTSEAT, WATCH, Session, controllers_for  # noqa: E402
from nomonhan.ui.start_screen import StartScreen, briefing_html, find_scenarios  # noqa: E402

CROSSING = test_ui_app.CROSSING


def _start(app: App, extra: list[Path], selected: Path | None = None) -> StartScreen:
    app.replace_all(StartScreen(app, find_scenarios(extra), selected=selected))
    app.step_frame()
    screen = app.top
    assert isinstance(screen, StartScreen)
    return screen


def _press(app: App, screen: StartScreen, command: str) -> None:
    button = next(b for b, c in screen.buttons.items() if c == command)
    app.step_frame([pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=button)])


def _choose(app: App, menu: Any, option: str) -> None:
    app.step_frame([pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED, ui_element=menu, selected_option_id=option, text=option)])


def _broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    return path


def test_picking_a_scenario_shows_its_briefing_and_offers_its_sides(app: App, tmp_path: Path) -> None:
    screen = _start(app, [CROSSING, _broken(tmp_path)])
    index = next(n for n, e in enumerate(screen.entries) if e.path == CROSSING)
    for n, item in enumerate(screen.scenario_list.item_list):
        item["selected"] = n == index
    app.step_frame([pygame.event.Event(pygame_gui.UI_SELECTION_LIST_NEW_SELECTION, ui_element=screen.scenario_list, text="")])
    assert screen.current is screen.entries[index]
    assert "Test crossing" in screen.briefing.html_text and "turns of" in screen.briefing.html_text
    assert screen.side_menu is not None
    offered = [option_id for _label, option_id in screen.side_menu.options_list]
    assert offered == [*(side.id for side in screen.current.scenario.sides), HOTSEAT, WATCH]  # in the file's order


def test_a_scenario_that_does_not_load_shows_why_and_cannot_be_started(app: App, tmp_path: Path) -> None:
    broken = _broken(tmp_path)
    screen = _start(app, [broken], selected=broken)
    assert "broken.yaml" in screen.briefing.html_text and screen.current is not None and screen.current.problem
    assert screen.side_menu is None
    _press(app, screen, "start")
    assert app.top is screen and screen.error.text == "Choose a scenario that loads"


def test_with_no_scenario_at_all_it_says_where_to_put_them(app: App) -> None:
    app.replace_all(StartScreen(app, entries=[]))
    app.step_frame()
    assert "No scenario found: put scenario files in" in app.top.briefing.html_text


def test_the_side_and_opponent_chosen_are_who_plays(app: App) -> None:
    screen = _start(app, [CROSSING], selected=CROSSING)
    _choose(app, screen.side_menu, "soviet")
    _choose(app, screen.opponent_menu, "random")
    app.step_frame([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0)])
    assert isinstance(app.top, PlayScreen)
    assert app.top.session.controllers == {"soviet": "human", "japanese": "random"}
    assert app.top.session.game.scenario.model.title == "Test crossing"


def test_hard_is_the_tree_search_and_the_temper_search_is_offered_by_name(app: App) -> None:
    screen = _start(app, [CROSSING], selected=CROSSING)
    offered = screen.opponent_menu.options_list
    assert ("Hard (mcts)", "mcts") in offered and ("Search (search)", "search") in offered  # named like the others


def test_the_sides_long_names_are_shortened_at_a_word_to_fit_the_menu(app: App) -> None:
    khasan = next(path for path in bundled_scenario_paths() if path.stem == "lake-khasan-1938")
    screen = _start(app, [khasan], selected=khasan)
    font = app.manager.get_theme().get_font_dictionary().get_default_font()
    labels = [label for label, _ in screen.side_menu.options_list]
    names = [side.name for side in screen.current.scenario.sides]
    assert any(font.size(name)[0] > screen.side_rect.width for name in names)  # "Soviet Far Eastern Front (39th Rifle Corps, ..."
    assert all(font.size(label)[0] <= screen.side_rect.width - app.px(40) for label in labels)

    def words(text: str) -> set[str]:
        return set(text.rstrip("…").translate(str.maketrans("(),", "   ")).split())

    for label, name in zip(labels, names, strict=False):  # whole words of the name, never cut mid-word
        assert words(label) <= words(name)


def test_continue_says_there_is_no_autosave_then_resumes_the_one_written(app: App) -> None:
    screen = _start(app, [CROSSING], selected=CROSSING)
    _press(app, screen, "continue")
    assert app.top is screen and screen.error.text.startswith("No autosave yet")
    scenario = load_scenario(CROSSING)
    saved = Session.new(scenario, 4, controllers_for(scenario, "japanese", "random"), str(CROSSING))
    saved.save(userdata.autosave_path())
    fresh = _start(app, [CROSSING], selected=CROSSING)  # the button says what it resumes
    tip = next(b for b, c in fresh.buttons.items() if c == "continue").tool_tip_text
    assert tip.startswith("Resumes crossing, autosaved ") and tip.endswith("after 0 actions")
    _press(app, fresh, "continue")
    assert isinstance(app.top, PlayScreen) and app.top.state.digest() == saved.state.digest()


def test_load_and_replay_pick_a_file_and_a_bad_one_is_said(app: App, tmp_path: Path) -> None:
    screen = _start(app, [CROSSING], selected=CROSSING)
    _press(app, screen, "load")
    assert screen._dialog is not None and screen._dialog[0].alive() and screen._dialog[1] == "load"
    assert userdata.saves_dir().is_dir()
    junk = tmp_path / "junk.json"
    junk.write_text("{", encoding="utf-8")
    picked = pygame.event.Event(pygame_gui.UI_FILE_DIALOG_PATH_PICKED, ui_element=screen._dialog[0], text=str(junk))
    app.step_frame([picked])
    assert app.top is screen and screen.error.text.startswith(f"Cannot load {junk.name}: not a Nomonhan game record")
    record = tmp_path / "record.json"
    Game.start(load_scenario(CROSSING), 2, str(CROSSING)).save(record)
    _press(app, screen, "replay")
    assert screen._dialog is not None and screen._dialog[1] == "replay"
    app.step_frame([pygame.event.Event(pygame_gui.UI_FILE_DIALOG_PATH_PICKED, ui_element=screen._dialog[0], text=str(record))])
    assert isinstance(app.top, ReplayScreen), screen.error.text


def test_quit_ends_the_program(app: App) -> None:
    screen = _start(app, [CROSSING], selected=CROSSING)
    _press(app, screen, "quit")
    assert not app.running


def test_a_scenario_without_a_briefing_shows_the_first_paragraph_of_its_notes(tmp_path: Path) -> None:
    text = CROSSING.read_text(encoding="utf-8")
    assert "briefing:" not in text
    path = tmp_path / "noted.yaml"
    path.write_text(text.replace("title: Test crossing", "title: Test crossing\nnotes: |\n  First thoughts.\n\n  Second thoughts.", 1))
    shown = briefing_html(find_scenarios([path])[-1])
    assert "<b>Designer's notes</b><br>First thoughts." in shown and "Second" not in shown
