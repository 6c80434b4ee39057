"""The window's layouts at 1280x720, 1920x1080 and 3840x2160: nothing outside, overlapping or clipped.

Every pygame_gui element the screen shows is collected with its rectangle; the plain-pygame parts
(map, status line, event log, minimap) come from the screen's layout.  Text must fit its button
or label: a label wider than its rectangle would be cut off on screen.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402
from pygame_gui.core import UIContainer  # noqa: E402
from pygame_gui.elements import UIButton, UILabel, UIPanel, UITextBox, UITextEntryLine  # noqa: E402

from nomonhan.actions import Advance  # noqa: E402
from nomonhan.scenario.load import load_scenario  # noqa: E402
from nomonhan.ui import counters, style  # noqa: E402
from nomonhan.ui.app import App, fitting_size  # noqa: E402
from nomonhan.ui.panels import MARGIN, ORDER_ROWS  # noqa: E402
from nomonhan.ui.play_screen import PlayScreen  # noqa: E402
from nomonhan.ui.prediction import Prediction  # noqa: E402
from nomonhan.ui.replay_screen import ReplayScreen  # noqa: E402
from nomonhan.ui.session import Session, controllers_for  # noqa: E402
from nomonhan.ui.start_screen import StartScreen  # noqa: E402

SIZES = [(1280, 720), (1920, 1080), (3840, 2160)]
LEAVES = (UIButton, UILabel, UITextBox, UITextEntryLine)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NOMONHAN_HOME", str(tmp_path / "home"))
    return tmp_path


def _leaves(container: UIContainer | UIPanel) -> list:
    """The visible buttons, labels and text boxes under ``container``."""
    found = []
    inner = container.get_container() if isinstance(container, UIPanel) else container
    for element in inner.elements:
        if not element.visible:
            continue
        if isinstance(element, (UIContainer, UIPanel)):
            found += _leaves(element)
        elif isinstance(element, LEAVES):
            found.append(element)
    return found


def _check_elements(elements: list, window: pygame.Rect) -> None:
    elements = list({id(e): e for e in elements}.values())  # a panel's own container is listed under the root too
    for element in elements:
        assert window.contains(element.rect), f"{element} at {element.rect} leaves the {window.size} window"
        text = getattr(element, "text", None)
        if isinstance(element, (UIButton, UILabel)) and text:
            assert element.font.size(text)[0] <= element.rect.width - 4, f"{text!r} is cut off in {element.rect}"
    whole = [e for e in elements if e.parent_element is None]  # not the parts of a scroll bar or a list
    for n, a in enumerate(whole):
        for b in whole[n + 1 :]:
            assert not a.rect.colliderect(b.rect), f"{a} {a.rect} overlaps {b} {b.rect}"


def _check_map_screen(app: App, screen: PlayScreen | ReplayScreen) -> None:
    window = pygame.Rect((0, 0), app.size)
    layout = app.layout()
    _check_elements(_leaves(screen.panel.root), window)
    parts = {"map": layout.map_rect, "status": layout.status_rect, "log": screen.log.rect, "minimap": screen.widget.minimap.area}
    for name, rect in parts.items():
        assert window.contains(rect), f"the {name} at {rect} leaves the window"
    for first in parts:
        for second in parts:
            if first < second:
                assert not parts[first].colliderect(parts[second]), f"the {first} overlaps the {second}"
    assert not screen.log.rect.colliderect(screen.panel.side.rect.inflate(0, -2))
    assert screen.log._visible_rows() >= 5, "the event log shows fewer than five lines"
    assert not screen.widget.viewport.colliderect(layout.sidebar_rect)
    camera = screen.widget.camera
    board = screen.state.scenario.board
    right = max(board.index, key=lambda h: h.to_offset())  # a hex of the last column
    camera.center_on(right)
    x, _ = camera.hex_center(right)
    assert x + counters.counter_side(camera.size) / 2 <= screen.widget.viewport.right, "a counter at the right edge is under the panel"


def _play(app: App) -> PlayScreen:
    scenario = load_scenario("khalkhin-gol-1939")
    app.open_play(Session.new(scenario, 3, controllers_for(scenario, "soviet", "random"), "khalkhin-gol-1939"))
    app.step_frame()
    screen = app.screens[0]
    assert isinstance(screen, PlayScreen)
    return screen


@pytest.mark.parametrize("size", SIZES)
def test_the_game_screen_fits_each_size(home: Path, size: tuple[int, int]) -> None:
    app = App(size)
    screen = _play(app)
    _check_map_screen(app, screen)
    assert app.scale == {1280: 1.0, 1920: 1.0, 3840: 2.0}[size[0]]
    assert screen.panel.status.font.size("Ag")[1] >= 19 * app.scale  # text grows with the UI scale


@pytest.mark.parametrize("size", SIZES)
def test_the_side_panel_has_no_empty_band_and_order_buttons_take_their_room_from_the_log(home: Path, size: tuple[int, int]) -> None:
    """The log starts under the last button, with or without order buttons (a band three buttons
    high was kept empty for them, and the unit box at 1280x720 scrolled after four lines); a
    selected unit's whole description shows; three rows of orders still leave the log two lines."""
    app = App(size)
    screen = _play(app)
    screen.select("su-82-2")
    panel = screen.panel
    assert screen.log.rect == panel.log_rect  # the screen keeps its log where the panel says, under today's orders
    assert panel.unit_box.scroll_bar is None, "the selected unit's description does not fit its box"
    for count in (0, 1, 2, 5):
        panel.set_orders([(f"Advance unit {n}", Advance(f"u-{n}")) for n in range(count)])
        screen.log.place(panel.log_rect, app.scale)
        buttons = [*panel.buttons, *panel.order_buttons]
        last = max(button.rect.bottom for button in buttons)
        assert len(panel.order_buttons) == min(count, ORDER_ROWS)
        assert 0 <= screen.log.rect.top - last <= app.layout().px(3 * MARGIN), f"an empty band above the log with {count} orders"
        assert screen.log._visible_rows() >= (5 if count == 0 else 2)
        _check_elements(_leaves(panel.root), pygame.Rect((0, 0), app.size))
        assert not screen.log.rect.colliderect(panel.side.rect.inflate(0, -2))
        assert screen.log.rect.bottom <= screen.widget.minimap.area.top


@pytest.mark.parametrize("size", SIZES)
def test_the_start_screen_fits_each_size(home: Path, size: tuple[int, int]) -> None:
    app = App(size)
    app.open_start()
    app.step_frame()
    screen = app.top
    assert isinstance(screen, StartScreen)
    window = pygame.Rect((0, 0), app.size)
    elements = _leaves(screen.root)
    _check_elements(elements, window)
    assert window.contains(screen.preview_rect)
    assert not any(screen.preview_rect.colliderect(e.rect) for e in elements)
    menus = [screen.side_menu, screen.opponent_menu]
    assert all(window.contains(m.rect) and not screen.preview_rect.colliderect(m.rect) for m in menus)


def test_resizing_lays_the_game_out_again(home: Path) -> None:
    """From full HD down to 1280x720 and up to 4K: the log keeps its lines, the minimap its place."""
    app = App((1920, 1080))
    screen = _play(app)
    for size in [(1280, 720), (3840, 2160), (1600, 900)]:
        app.step_frame([pygame.event.Event(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])])
        assert app.size == size
        _check_map_screen(app, screen)
    assert app.scale == 1.0 and app.manager.window_resolution == (1600, 900)


def test_the_replay_screen_fits_the_smallest_size(home: Path, tmp_path: Path) -> None:
    app = App((1280, 720))
    screen = _play(app)
    app.open_replay(screen.session.game)
    app.step_frame()
    assert isinstance(app.top, ReplayScreen)
    _check_map_screen(app, app.top)


def test_the_window_opens_at_a_size_that_fits_the_display() -> None:
    assert fitting_size((1280, 720)) == (1280, 720)
    assert fitting_size((1920, 1080)) == (1632, 918)
    big = fitting_size((3840, 2160))
    assert big == (3264, 1836) and style.ui_scale(big) == 1.5
    assert fitting_size((1024, 600)) == (1024, 600)
    assert fitting_size(None) == (1600, 900)


def test_ui_scale_steps_with_the_window() -> None:
    assert [style.ui_scale(s) for s in [(800, 600), (1920, 1080), (2560, 1440), (3840, 2160)]] == [1.0, 1.0, 1.25, 2.0]


@pytest.mark.parametrize("size", [(800, 600), *SIZES])
def test_the_help_fits_the_window(home: Path, size: tuple[int, int]) -> None:
    """No line of the help runs off the right edge: long lines wrap (bright text pixels near the edge would be cut text)."""
    app = App(size)
    _play(app)
    app.show_help("play")
    app.step_frame()
    w, h = app.size
    edge = [app.surface.get_at((x, y)) for x in range(w - 8, w) for y in range(0, h, 2)]
    assert not any(min(c.r, c.g, c.b) > 200 for c in edge)


def test_f11_fills_the_screen_and_gives_the_window_back(home: Path) -> None:
    from nomonhan.ui.app import desktop_size

    app = App((1280, 720))
    screen = _play(app)
    app.step_frame([pygame.event.Event(kind, key=pygame.K_F11, mod=0, unicode="", scancode=0) for kind in (pygame.KEYDOWN, pygame.KEYUP)])
    assert app.fullscreen and app.size == desktop_size()
    _check_map_screen(app, screen)
    app.step_frame([pygame.event.Event(kind, key=pygame.K_F11, mod=0, unicode="", scancode=0) for kind in (pygame.KEYDOWN, pygame.KEYUP)])
    assert not app.fullscreen and app.size == (1280, 720)
    _check_map_screen(app, screen)


def test_an_order_with_a_long_unit_name_is_shortened_with_the_full_text_in_its_tooltip(home: Path) -> None:
    from nomonhan.actions import HoldPosition

    app = App((1280, 720))
    screen = _play(app)
    label = "Advance 36th Motorized Rifle Division second regiment into the hex it took"
    screen.panel.set_orders([(label, HoldPosition())])
    button = next(iter(screen.panel.order_buttons))
    assert button.text != label and button.text.startswith("Advance 36th") and button.text.endswith("…")
    assert button.font.size(button.text)[0] <= button.rect.width - 4
    assert button.tool_tip_text == label


LONG_PREDICTION = Prediction(
    "Attack on Remizov Heights (24,13) by 36th Motorized Rifle Division second regiment, 11th Tank Brigade + 3 guns",
    tuple(f"a column shift with a long reason, number {n}: +1" for n in range(8)),
    ("result", "chance", "you lose", "enemy loses"),
    tuple((f"A{n}/D{n}/R{n}", "1/6 (17%)", "2 steps, 1200 men, 50 tanks", "2 steps, 800 men") for n in range(6)),
    ("Expected steps lost: you 1.33, enemy 2.50; defender retreats 50%", "A click declares this unit into the attack."),
)


@pytest.mark.parametrize("size", SIZES)
def test_the_prediction_card_stays_on_the_map_beside_the_pointer(home: Path, size: tuple[int, int]) -> None:
    app = App(size)
    screen = _play(app)
    viewport = screen.widget.viewport
    picture = screen.card.render(LONG_PREDICTION, app.scale)
    assert picture.get_width() <= viewport.width * 0.7 and picture.get_height() <= viewport.height * 0.7
    for fx in (0.02, 0.3, 0.5, 0.7, 0.98):
        for fy in (0.02, 0.5, 0.98):
            pointer = (viewport.left + round(viewport.width * fx), viewport.top + round(viewport.height * fy))
            screen.widget.mouse = pointer
            surface = pygame.Surface(app.size)
            rect = screen.card.draw(surface, LONG_PREDICTION, pointer, viewport, app.scale)
            assert viewport.contains(rect), f"the card at {rect} leaves the map {viewport}"
            if fx != 0.5:
                assert not rect.collidepoint(pointer), f"the card at {rect} hides the pointer at {pointer}"
