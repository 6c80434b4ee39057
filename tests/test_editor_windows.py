"""The editor's dialogs (editor/windows.py) driven through their own buttons, menus and fields:
what each shows, what it changes in the draft, and what it says when it cannot."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pygame  # noqa: E402
import pygame_gui  # noqa: E402
import pytest  # noqa: E402
import test_editor_app  # noqa: E402
from test_editor_app import editor  # noqa: E402

from nomonhan import resources  # noqa: E402
from nomonhan.editor.app import open_draft, open_editor  # noqa: E402
from nomonhan.editor.screen import EditorScreen  # noqa: E402
from nomonhan.editor.widgets import FieldRows  # noqa: E402
from nomonhan.editor.windows import SECTION_TEMPLATES, GeoWindow, HelpWindow, SectionWindow, UnderlayWindow  # noqa: E402
from nomonhan.ui.app import App  # noqa: E402

app = test_editor_app.app
"""The editor tests' fixture: a fresh window per test, its user folder under tmp_path."""


def press(app: App, button: Any) -> None:
    app.step_frame([pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=button)])


def choose(app: App, menu: Any, option: str) -> None:
    app.step_frame([pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED, ui_element=menu, selected_option_id=option, text=option)])


def type_into(app: App, rows: FieldRows, key: str, text: str) -> None:
    entry = next(e for e, k in rows.entries.items() if k == key)
    entry.set_text(text)
    app.step_frame([pygame.event.Event(pygame_gui.UI_TEXT_ENTRY_CHANGED, ui_element=entry, text=text)])


def dialog(app: App, screen: EditorScreen, command: str, kind: type) -> Any:
    screen.run(command)
    app.step_frame()
    assert isinstance(screen.dialogs.window, kind)
    return screen.dialogs.window


# ------------------------------------------------------------------ a section as YAML text


def test_a_section_is_shown_as_its_yaml_and_reload_drops_what_was_typed(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    window = dialog(app, screen, "data", SectionWindow)
    choose(app, window.menu, "scenario:period")
    shown = window.box.get_text()
    assert shown.startswith("period:") and "last_turn: 6" in shown
    window.box.set_text("period: nonsense\n")
    press(app, window.reload_button)
    assert window.box.get_text() == shown
    choose(app, window.menu, "rules:zoc")
    assert window.box.get_text().startswith("zoc:") and "shared by every scenario" in window.note.text


def test_yaml_that_does_not_parse_is_refused_with_the_reason_and_the_draft_is_unchanged(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    window = dialog(app, screen, "data", SectionWindow)
    before = screen.draft.text
    window.box.set_text("notes: [unclosed\n")
    press(app, window.apply_button)
    assert window.note.text.startswith("Cannot do that:") and screen.draft.text == before and screen.draft.undo_stack == []


def test_a_missing_briefing_starts_from_its_fields_and_an_emptied_section_goes(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    window = dialog(app, screen, "data", SectionWindow)
    choose(app, window.menu, "scenario:briefing")
    assert "briefing" not in screen.draft.data() and window.box.get_text() == SECTION_TEMPLATES["briefing"]
    choose(app, window.menu, "scenario:notes")
    window.box.set_text("notes: |\n  Kept for a moment.\n")
    press(app, window.apply_button)
    assert window.note.text == "Applied." and screen.draft.data()["notes"] == "Kept for a moment.\n"
    window.box.set_text("notes:")
    press(app, window.apply_button)
    assert "notes" not in screen.draft.data() and len(screen.draft.undo_stack) == 2


# ------------------------------------------------------------------ the reference underlay


def test_the_underlay_window_loads_an_image_then_fits_shows_and_fades_it(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    window = dialog(app, screen, "underlay", UnderlayWindow)
    press(app, window.fit_button)
    assert window.note.text == "Load an image first" and screen.underlay is None
    type_into(app, window.rows, "path", str(tmp_path / "missing.png"))
    press(app, window.load_button)
    assert screen.underlay is None and "missing.png" in window.note.text
    pygame.image.save(pygame.Surface((40, 30)), str(tmp_path / "scan.png"))
    type_into(app, window.rows, "path", str(tmp_path / "scan.png"))
    press(app, window.load_button)
    assert window.note.text.startswith("Loaded scan.png") and screen.underlay is not None
    screen.underlay.move(5.0, 5.0)
    moved = screen.underlay.left
    press(app, window.fit_button)
    assert screen.underlay.left != moved
    press(app, window.show_button)
    assert not screen.underlay.visible
    window.slider.set_current_value(0.25)
    app.step_frame([pygame.event.Event(pygame_gui.UI_HORIZONTAL_SLIDER_MOVED, ui_element=window.slider, value=0.25)])
    assert screen.underlay.opacity == pytest.approx(0.25)


def test_placing_the_underlay_by_coordinates_says_what_is_missing(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    pygame.image.save(pygame.Surface((40, 30)), str(tmp_path / "scan.png"))
    screen.load_underlay(str(tmp_path / "scan.png"))
    window = dialog(app, screen, "underlay", UnderlayWindow)
    assert window.rows.values["path"] == str(tmp_path / "scan.png")  # the loaded image is shown
    press(app, window.place_button)
    assert window.note.text.startswith("Cannot place it:")
    for key, value in (("north", "48.0"), ("west", "118.0"), ("south", "47.8"), ("east", "118.5")):
        type_into(app, window.rows, key, value)
    press(app, window.place_button)
    assert "georeference" in window.note.text  # a fresh draft's map is not placed on the Earth yet


# ------------------------------------------------------------------ GeoJSON and the map recipe


def _geography(app: App, scenario: str) -> tuple[EditorScreen, GeoWindow]:
    screen = open_editor(app, open_draft(scenario), background_checks=False, frame_budget=None)
    app.step_frame()
    window = dialog(app, screen, "geography", GeoWindow)
    return screen, window


def _pick(app: App, window: GeoWindow, feature: str) -> None:
    for item in window.features.item_list:
        item["selected"] = item["text"] == feature
    app.step_frame([pygame.event.Event(pygame_gui.UI_SELECTION_LIST_NEW_SELECTION, ui_element=window.features, text=feature)])


def test_the_geography_window_reads_the_recipe_s_file_and_lists_its_named_features(app: App) -> None:
    _screen, window = _geography(app, "bain-tsagan-1939")
    assert window.rows.values["path"] == str(resources.scenarios_dir() / "geo/geography.geojson")
    press(app, window.trace_button)
    assert window.note.text == "Read a GeoJSON file and choose a feature first"
    press(app, window.load_button)
    names = [item["text"] for item in window.features.item_list]
    assert "Khalkh river (WDBII, simplified 0.5 km)" in names and "Fui Heights (EST)" in names
    assert window.note.text == f"{len(names)} named features"


def test_a_file_that_is_not_geojson_is_said(app: App, tmp_path: Path) -> None:
    _screen, window = _geography(app, "bain-tsagan-1939")
    (tmp_path / "notes.geojson").write_text("not json")
    type_into(app, window.rows, "path", str(tmp_path / "notes.geojson"))
    press(app, window.load_button)
    assert window.features.item_list == [] and "notes.geojson" in window.note.text


def test_a_point_is_placed_as_a_named_place_and_a_line_is_not(app: App) -> None:
    screen, window = _geography(app, "khalkhin-gol-1939")
    type_into(app, window.rows, "path", str(resources.scenarios_dir() / "geo/geography.geojson"))
    press(app, window.load_button)
    choose(app, next(iter(window.target.menus)), "place:")
    _pick(app, window, "Khalkh river (WDBII, simplified 0.5 km)")
    assert window.target.values["name"] == "Khalkh river (WDBII, simplified 0.5 km)"  # the name follows the pick
    press(app, window.trace_button)
    assert window.note.text.endswith("is not a Point") and screen.draft.undo_stack == []
    type_into(app, window.target, "name", "Heights")
    _pick(app, window, "Fui Heights (EST)")
    press(app, window.trace_button)
    assert window.note.text == "Placed Fui Heights (EST) (undoable)"
    assert any(place["name"] == "Heights" and "lat" in place for place in screen.draft.data()["map"]["places"])


def test_a_line_traced_from_the_recipe_s_file_is_recorded_in_the_recipe(app: App) -> None:
    screen, window = _geography(app, "bain-tsagan-1939")
    press(app, window.load_button)
    river = "Khalkh river (WDBII, simplified 0.5 km)"
    before = len(screen.draft.data()["map"].get("hexside_lines") or [])
    _pick(app, window, river)
    type_into(app, window.target, "name", "Khalkh again")
    press(app, window.trace_button)
    assert window.note.text == f"Traced {river} and added it to map.build (undoable)"
    assert len(screen.draft.undo_stack) == 1
    assert len(screen.draft.data()["map"]["hexside_lines"]) > before  # the hexsides it crosses
    assert any(line.get("name") == "Khalkh again" for line in screen.draft.data()["map"]["build"]["hexside_lines"])


def test_the_editor_help_lists_every_tool(app: App, tmp_path: Path) -> None:
    from nomonhan.editor.tools import TOOLS

    screen = editor(app, tmp_path)
    window = dialog(app, screen, "help", HelpWindow)
    text = next(e for e in window.window.get_container().elements if isinstance(e, pygame_gui.elements.UITextBox)).html_text
    assert all(tool.label in text for tool in TOOLS)
