"""The editor window driven frame by frame with synthetic pygame events (no display needed)."""

from __future__ import annotations

import json
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pygame_gui  # noqa: E402
import pytest  # noqa: E402

from nomonhan.editor import keys  # noqa: E402
from nomonhan.editor.app import open_draft, open_editor  # noqa: E402
from nomonhan.editor.document import Draft  # noqa: E402
from nomonhan.editor.screen import EditorScreen  # noqa: E402
from nomonhan.editor.tools import TOOLS  # noqa: E402
from nomonhan.editor.windows import GeoWindow, HelpWindow, SectionWindow, UnderlayWindow  # noqa: E402
from nomonhan.hexgrid import Direction, Hex, Hexside, parse_hex  # noqa: E402
from nomonhan.scenario.load import validate_scenario  # noqa: E402
from nomonhan.ui.app import App  # noqa: E402
from nomonhan.ui.screen import Screen  # noqa: E402
from nomonhan.ui.start_screen import StartScreen  # noqa: E402

H = parse_hex


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> App:
    monkeypatch.setenv("NOMONHAN_HOME", str(tmp_path / "home"))
    application = App((1600, 900))
    yield application
    application.replace_all(StartScreen(application, entries=[]))


def editor(app: App, tmp_path: Path) -> EditorScreen:
    draft = Draft.new(tmp_path / "drawn.yaml", 16, 12, 1.0, datetime(1939, 8, 20, 6), 6, 12)
    screen = open_editor(app, draft, background_checks=False, frame_budget=None)
    app.step_frame()
    return screen


def key(app: App, code: int, mod: int = 0) -> None:
    app.step_frame([pygame.event.Event(pygame.KEYDOWN, key=code, mod=mod, unicode="", scancode=0)])


def at(screen: EditorScreen, hex_: Hex, dx: float = 0, dy: float = 0) -> tuple[int, int]:
    x, y = screen.camera.hex_center(hex_)
    return round(x + dx), round(y + dy)


def drag(app: App, points: list[tuple[int, int]], button: int = 1) -> None:
    app.step_frame([pygame.event.Event(pygame.MOUSEMOTION, pos=points[0], rel=(0, 0), buttons=(0, 0, 0))])
    app.step_frame([pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=points[0], button=button)])
    last = points[0]
    for point in points[1:]:
        app.step_frame([pygame.event.Event(pygame.MOUSEMOTION, pos=point, rel=(point[0] - last[0], point[1] - last[1]), buttons=(1, 0, 0))])
        last = point
    app.step_frame([pygame.event.Event(pygame.MOUSEBUTTONUP, pos=last, button=button)])


def tool(app: App, name: str) -> None:
    index = next(n for n, t in enumerate(TOOLS) if t.name == name)
    key(app, keys.TOOL_KEYS[index])


def test_a_screen_on_top_hides_the_editor_panels_until_it_goes(app: App, tmp_path: Path) -> None:
    """A screen pushed over the editor hides the editor's panels, as one over the map hides its side panel."""
    screen = editor(app, tmp_path)
    assert screen.panels is not None and screen.panels.root.visible
    app.push(Screen(app))
    assert not screen.panels.root.visible
    app.pop()
    assert screen.panels.root.visible


def test_paint_with_the_brush_then_undo_and_redo(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    tool(app, "terrain")
    screen.tool.options.update(code="s", brush="2")
    drag(app, [at(screen, H("4,4")), at(screen, H("5,4")), at(screen, H("6,4"))])
    rows = screen.draft.data()["map"]["terrain"].split()
    assert rows[4][4:7] == "sss" and rows[3][4] == "s" and rows[4][2] == "."
    assert len(screen.draft.undo_stack) == 1  # one stroke, one undo step
    key(app, pygame.K_z, pygame.KMOD_LCTRL)
    assert set("".join(screen.draft.data()["map"]["terrain"].split())) == {"."}
    key(app, pygame.K_y, pygame.KMOD_LCTRL)
    assert screen.draft.data()["map"]["terrain"].split()[4][4] == "s"
    assert screen.picture is not None and screen.picture.board.terrain_at(H("4,4")).code == "s"


def test_draw_a_river_along_hex_edges_and_erase_it(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    tool(app, "hexside")
    layout = screen.camera.layout()
    sides = [Hexside.of(H("6,2"), Direction.SE), Hexside.of(H("6,3"), Direction.NE), Hexside.of(H("6,3"), Direction.SE)]
    points = []
    for s in sides:
        (ax, ay), (bx, by) = layout.hexside_segment(s)
        points.append((round((ax + bx) / 2), round((ay + by) / 2)))
    drag(app, points)
    line = screen.draft.data()["map"]["hexside_lines"][0]
    assert line["feature"] == "river" and line["name"] == "River"
    assert {"6,2:SE", "6,3:NE", "6,3:SE"} <= set(line["hexsides"])
    app.step_frame(
        [
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=points[0], button=3),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=points[0], button=3),
        ]
    )
    assert "6,2:SE" not in screen.draft.data()["map"]["hexside_lines"][0]["hexsides"]


def test_place_a_unit_move_it_and_set_an_objective(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    tool(app, "unit")
    screen.tool.options.update(type="tank_bn", side="soviet", formation="11th Tank Brigade")
    drag(app, [at(screen, H("7,7"))])
    assert screen.editing.selection == ("unit", "soviet-2")
    assert screen.panels.form is not None and screen.panels.form.title == "Unit soviet-2"
    tool(app, "select")
    drag(app, [at(screen, H("7,7")), at(screen, H("8,7")), at(screen, H("9,7"))])
    unit = next(u for u in screen.draft.data()["units"] if u["id"] == "soviet-2")
    assert unit["hex"] == "9,7" and unit["type"] == "tank_bn" and unit["formation"] == "11th Tank Brigade"
    tool(app, "objective")
    screen.tool.options.update(name="Hill 733", points="9", holder="soviet")
    drag(app, [at(screen, H("3,8"))])
    objective = screen.draft.data()["objectives"][-1]
    assert (objective["name"], objective["hex"], objective["points"], objective["initial_holder"]) == ("Hill 733", "3,8", 9, "soviet")
    key(app, pygame.K_DELETE)
    assert all(o["hex"] != "3,8" for o in screen.draft.data()["objectives"])
    key(app, pygame.K_s, pygame.KMOD_LCTRL)
    assert screen.draft.path.exists() and not screen.draft.dirty
    assert [p for p in validate_scenario(screen.draft.path) if p.severity == "error"] == []


def test_inspector_form_edits_the_selected_unit(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    drag(app, [at(screen, H("15,11"))])  # select the skeleton's soviet battalion
    assert screen.editing.selection == ("unit", "soviet-1")
    rows = screen.panels.form_rows
    entry = next(e for e, k in rows.entries.items() if k == ("name",))
    entry.set_text("1st Rifle Battalion (Lt Col Remizov)")
    app.step_frame([pygame.event.Event(pygame_gui.UI_TEXT_ENTRY_FINISHED, ui_element=entry, text=entry.get_text())])
    assert screen.draft.data()["units"][0]["name"] == "1st Rifle Battalion (Lt Col Remizov)"


def test_clicking_a_problem_centres_the_map_on_it(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    screen.camera.zoom = 9
    screen.camera.center_on(H("0,0"))
    screen.attempt(
        lambda: screen.draft.replace_text(
            "break", screen.draft.text.replace("type: rifle_bn\n    side: soviet", "type: nothing\n    side: soviet")
        )
    )
    app.step_frame()
    problems = screen.panels.problems
    assert problems.shown and "nothing" in problems.shown[0].message
    item = problems.list.item_list[0]
    item["selected"] = True
    app.step_frame([pygame.event.Event(pygame_gui.UI_SELECTION_LIST_NEW_SELECTION, ui_element=problems.list, text=item["text"])])
    centre = screen.camera.hex_at(*pygame.Rect(screen.camera.viewport).center)
    assert centre == H("15,11") and screen.editing.selection == ("unit", "soviet-1")


def test_dialogs_open_and_a_section_applies(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    for command, kind in (("help", HelpWindow), ("geography", GeoWindow), ("underlay", UnderlayWindow), ("data", SectionWindow)):
        screen.run(command)
        app.step_frame()
        assert isinstance(screen.dialogs.window, kind)
    window = screen.dialogs.window
    window.box.set_text("notes: |\n  Written in the editor.\n")
    app.step_frame([pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=window.apply_button)])
    assert screen.draft.data()["notes"] == "Written in the editor.\n"


def test_reference_underlay_is_drawn_under_the_grid(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    picture = pygame.Surface((200, 150))
    picture.fill((0, 0, 255))
    path = tmp_path / "scan.png"
    pygame.image.save(picture, str(path))
    assert "Loaded" in screen.load_underlay(str(path))
    assert screen.tool.name == "underlay"
    screen.underlay.opacity = 1.0
    app.step_frame()
    x, y = at(screen, H("8,6"), 4, 4)
    assert app.surface.get_at((x, y))[:3] == (0, 0, 255)
    before = screen.underlay.left
    drag(app, [at(screen, H("8,6")), at(screen, H("9,6"))])
    assert screen.underlay.left > before and screen.draft.undo_stack == []


def test_closing_with_unsaved_changes_warns_once(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    tool(app, "terrain")
    drag(app, [at(screen, H("2,2"))])
    quit_event = pygame.event.Event(pygame.QUIT)
    assert screen.intercept_quit(quit_event)
    assert "Unsaved" in screen.editing.message
    assert not screen.intercept_quit(quit_event)


def test_the_quit_button_warns_about_unsaved_changes_then_quits(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    tool(app, "terrain")
    drag(app, [at(screen, H("2,2"))])
    button = next(b for b, command in screen.panels.commands.items() if command == "quit")
    press = pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=button)
    app.step_frame([press])
    assert app.running and "Unsaved" in screen.editing.message
    app.step_frame([press])
    assert not app.running


def test_long_problem_lines_wrap_instead_of_being_cut(app: App, tmp_path: Path) -> None:
    from nomonhan.scenario.errors import Problem

    screen = editor(app, tmp_path)
    long = Problem(
        "x.yaml",
        12,
        3,
        "units.4.hex",
        "the unit 36th Motorized Rifle Division second regiment stands on "
        "Lake Buir Nur, which a wheeled unit cannot enter; move it to dry ground or change its type",
    )
    listing = screen.panels.problems
    listing.show([long, Problem("x.yaml", 2, 1, "id", "short")], checking=False)
    assert listing.title.text.startswith("Problems: 2 errors, 0 warnings")
    items = listing.list.item_list
    rows = [item["text"] for item in items]
    assert len(rows) > 2 and sum(1 for item in items if item["object_id"] == "0") > 1  # every row picks the problem
    font = app.manager.get_theme().get_font_dictionary().get_default_font()
    assert all(font.size(row)[0] <= listing.list.rect.width - 20 for row in rows)
    assert " ".join(" ".join(rows[:-1]).split()).startswith("the unit 36th Motorized Rifle Division")


def test_opens_every_bundled_scenario(app: App) -> None:
    from nomonhan import resources

    for path in resources.bundled_scenario_paths():
        screen = open_editor(app, open_draft(path.stem), background_checks=False, frame_budget=None)
        app.step_frame()
        assert screen.problems == [] and screen.picture is not None


def test_open_draft_names_what_to_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert open_draft(None).path == tmp_path / "untitled.yaml"
    fresh = open_draft(tmp_path / "battle.yaml")
    assert fresh.dirty and fresh.data()["id"] == "battle" and not (tmp_path / "battle.yaml").exists()
    assert open_draft("lake-khasan-1938").data()["id"] == "lake-khasan-1938"


def test_the_underlay_and_its_placement_come_back_with_the_scenario(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    picture = pygame.Surface((40, 30))
    picture.fill((0, 200, 0))
    (tmp_path / "scans").mkdir()
    pygame.image.save(picture, str(tmp_path / "scans" / "map.png"))
    screen.load_underlay(str(tmp_path / "scans" / "map.png"))
    screen.underlay.move(1.5, -2.0)
    screen.underlay.opacity = 0.3
    placed = (screen.underlay.left, screen.underlay.top, screen.underlay.scale)
    screen.save()
    sidecar = tmp_path / "drawn.underlay.json"
    assert json.loads(sidecar.read_text())["image"] == "scans/map.png"
    again = open_editor(app, open_draft(tmp_path / "drawn.yaml"), background_checks=False, frame_budget=None)
    assert again.underlay is not None
    assert (again.underlay.left, again.underlay.top, again.underlay.scale) == placed
    assert again.underlay.opacity == 0.3 and again.underlay.image.get_size() == (40, 30)


def test_closing_the_editor_keeps_the_underlay_placement(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    screen.save()
    pygame.image.save(pygame.Surface((20, 20)), str(tmp_path / "scan.png"))
    screen.load_underlay(str(tmp_path / "scan.png"))
    screen.underlay.move(3.0, 0.0)
    assert screen.intercept_quit(pygame.event.Event(pygame.QUIT)) is False
    assert json.loads((tmp_path / "drawn.underlay.json").read_text())["left"] == screen.underlay.left


@pytest.mark.parametrize(
    "settings",
    ['{"image": "gone.png", "left": 0, "top": 0, "scale": 1}', "not json", '{"image": "scan.png", "left": 0, "top": 0, "scale": -1}'],
)
def test_an_unreadable_underlay_file_is_reported_and_the_scenario_still_opens(app: App, tmp_path: Path, settings: str) -> None:
    screen = editor(app, tmp_path)
    screen.save()
    pygame.image.save(pygame.Surface((20, 20)), str(tmp_path / "scan.png"))
    (tmp_path / "drawn.underlay.json").write_text(settings)
    again = open_editor(app, open_draft(tmp_path / "drawn.yaml"), background_checks=False, frame_budget=None)
    assert again.underlay is None
    assert "drawn.underlay.json: cannot restore the underlay" in again.editing.message


def test_the_minimap_shows_the_units_and_a_click_on_it_looks_there(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    placed = len(screen.draft.data()["units"])
    tool(app, "unit")
    drag(app, [at(screen, H("3,3"))])
    minimap = screen.minimap
    assert minimap is not None and minimap.rect.width > 0
    assert not minimap.rect.colliderect(pygame.Rect(screen.camera.viewport))  # it hides no hex
    assert len(screen._unit_dots()) == len(screen.draft.data()["units"]) == placed + 1
    screen.camera.zoom_at(3, None)
    before = screen.camera.center
    drag(app, [(minimap.rect.right - 3, minimap.rect.bottom - 3)])
    assert screen.camera.center != before
    assert len(screen.draft.data()["units"]) == placed + 1  # the click looked; it placed no unit


def test_saving_over_a_file_changed_on_disk_asks_first(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    key(app, pygame.K_s, pygame.KMOD_LCTRL)
    path = screen.draft.path
    tool(app, "unit")
    drag(app, [at(screen, H("7,7"))])
    assert screen.draft.dirty
    theirs = path.read_text().replace("title:", "# edited in another program\ntitle:", 1)
    path.write_text(theirs)
    key(app, pygame.K_s, pygame.KMOD_LCTRL)
    assert path.read_text() == theirs and screen.draft.dirty
    assert "changed on disk" in screen.editing.message and screen.dialogs.overwrite is not None
    dialog = screen.dialogs.overwrite[0]
    app.step_frame([pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=dialog.confirm_button)])
    app.step_frame()  # the dialog posts its answer for the next frame
    assert path.read_text() == screen.draft.text and not screen.draft.dirty
    assert screen.dialogs.overwrite is None and not dialog.alive()


def test_save_as_onto_an_existing_file_asks_in_a_dialog(app: App, tmp_path: Path) -> None:
    screen = editor(app, tmp_path)
    notes = tmp_path / "notes.yaml"
    notes.write_text("my notes\n")
    screen.commands.save(notes)  # what the "Save as..." file dialog's answer does
    assert notes.read_text() == "my notes\n" and "exists already" in screen.editing.message
    dialog = screen.dialogs.overwrite[0]
    assert "Exists already" in dialog.confirmation_text.html_text
    app.step_frame([pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=dialog.confirm_button)])
    app.step_frame()
    assert notes.read_text() == screen.draft.text and screen.draft.path == notes


def test_at_4k_the_editor_is_drawn_twice_as_large_and_answers_the_pointer_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The editor's UI scale: at 3840x2160 its 1920x1080 layout is enlarged pixel for pixel, and
    the map and the buttons answer the pointer where they are shown."""
    monkeypatch.setenv("NOMONHAN_HOME", str(tmp_path / "home"))
    app = App((3840, 2160), scaled=False, magnified=True)
    screen = editor(app, tmp_path)
    assert app.size == (1920, 1080) and app.window.get_size() == (3840, 2160) and app.magnification == 2
    tool(app, "terrain")
    screen.tool.options.update(code="s", brush="1")
    x, y = at(screen, H("4,4"))
    drag(app, [(2 * x, 2 * y)])
    assert screen.draft.data()["map"]["terrain"].split()[4][4] == "s"
    button = next(b for b, command in screen.panels.commands.items() if command == "quit")
    cx, cy = button.get_abs_rect().center
    assert app.window.get_at((2 * cx, 2 * cy)) == app.surface.get_at((cx, cy))
    # pygame_gui reads the pointer from the system (none under the dummy driver): its scaling is checked
    assert button.hover_point(*app.manager.calculate_scaled_mouse_position((2 * cx + 1, 2 * cy + 1)))
    app.replace_all(StartScreen(app, entries=[]))
