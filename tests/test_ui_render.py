"""The front end's pure parts: camera arithmetic, what a frame shows, counters, orders, words.

Rendering goes to an in-memory Surface under SDL's dummy video driver; pixels are checked where
the answer is unambiguous (a counter's colour, fog darker than daylight).
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import dataclasses  # noqa: E402
import typing  # noqa: E402
from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402
from conftest import make_scenario  # noqa: E402

from nomonhan import engine  # noqa: E402
from nomonhan.actions import AirMission, Attack, BuildBridge, EndPhase, Move  # noqa: E402
from nomonhan.events import UnitMoved  # noqa: E402
from nomonhan.hexgrid import Hex, Hexside, format_hex, parse_hex, parse_hexside  # noqa: E402
from nomonhan.resources import bundled_scenario_paths  # noqa: E402
from nomonhan.scenario.load import load_scenario  # noqa: E402
from nomonhan.scenario.schema import UnitType  # noqa: E402
from nomonhan.ui import counters, input, overlays, style, terrain_art  # noqa: E402
from nomonhan.ui.camera import ZOOM_SIZES, Camera, MapExtent  # noqa: E402
from nomonhan.ui.describe import Narrator  # noqa: E402
from nomonhan.ui.log_view import Entry, LogView  # noqa: E402
from nomonhan.ui.map_widget import MapWidget  # noqa: E402
from nomonhan.ui.orders import OrderIndex  # noqa: E402
from nomonhan.ui.overlays import Highlights  # noqa: E402
from nomonhan.ui.view import full_steps, make_view  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CROSSING = ROOT / "tests" / "data" / "crossing.yaml"


@pytest.fixture(scope="module", autouse=True)
def display() -> None:
    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode((16, 16))


@pytest.fixture(scope="module")
def crossing():  # type: ignore[no-untyped-def]
    return load_scenario(CROSSING)


# ---------------------------------------------------------------- camera


@pytest.mark.parametrize("zoom", range(len(ZOOM_SIZES)))
def test_hex_to_pixel_and_back_through_the_camera(zoom: int) -> None:
    camera = Camera(MapExtent(60, 50), (30, 40, 900, 700), zoom=zoom)
    for pan in ((0, 0), (137, -59), (-410, 333)):
        camera.pan(*pan)
        for col in range(0, 60, 7):
            for row in range(0, 50, 5):
                hex_ = Hex.from_offset(col, row)
                assert camera.hex_at(*camera.hex_center(hex_)) == hex_
        x, y, w, h = camera.viewport
        for px in range(x, x + w, 53):
            for py in range(y, y + h, 47):
                centre = camera.hex_center(camera.hex_at(px, py))
                assert (centre[0] - px) ** 2 + (centre[1] - py) ** 2 <= camera.size**2 + 1e-6


def test_zoom_keeps_the_map_point_under_the_mouse() -> None:
    camera = Camera(MapExtent(80, 80), (0, 0, 1000, 800), zoom=5)
    mouse = (620, 310)
    before = camera.to_map_units(*mouse)
    camera.zoom_at(2, mouse)
    after = camera.to_map_units(*mouse)
    assert camera.zoom == 7
    assert abs(before[0] - after[0]) * camera.size < 1 and abs(before[1] - after[1]) * camera.size < 1


def test_a_small_map_stays_centred() -> None:
    camera = Camera(MapExtent(10, 8), (0, 0, 1600, 900), zoom=3)
    centre = camera.center
    camera.pan(500, 300)
    assert camera.center == centre


# ---------------------------------------------------------------- what a frame shows


def _render(scenario, state, viewer: str | None, fog: bool = True) -> tuple[pygame.Surface, MapWidget]:  # type: ignore[no-untyped-def]
    surface = pygame.Surface((1200, 900))
    widget = MapWidget(scenario, pygame.Rect(0, 0, 900, 900), pygame.Rect(910, 600, 280, 280))
    widget.renderer.frame_budget = None
    widget.draw(surface, make_view(state, viewer), Highlights(), show_zoc=True, show_fog=fog)
    return surface, widget


def _counter_pixel(widget: MapWidget, hex_: Hex) -> tuple[int, int]:
    """A point on a counter's plain field (left of its symbol box)."""
    x, y = widget.camera.hex_center(hex_)
    side = counters.counter_side(widget.camera.size)
    return round(x - side * 0.4), round(y + side * 0.08)


def test_opening_shows_own_counters_and_hides_unseen_enemies(crossing) -> None:  # type: ignore[no-untyped-def]
    state = engine.new_game(crossing, 1)
    yellow, red = style.parse_colour("#d4ac0d"), style.parse_colour("#b03a2e")
    japanese_view, widget = _render(crossing, state, "japanese")
    full_view, _ = _render(crossing, state, None)
    japanese_tank = state.unit("j-tank").hex
    soviet_battalion = state.unit("s-1").hex
    assert tuple(japanese_view.get_at(_counter_pixel(widget, japanese_tank)))[:3] == yellow
    assert tuple(japanese_view.get_at(_counter_pixel(widget, soviet_battalion)))[:3] != red
    assert tuple(full_view.get_at(_counter_pixel(widget, soviet_battalion)))[:3] == red


def test_a_target_s_tag_shows_over_the_enemy_counter_standing_there(crossing) -> None:  # type: ignore[no-untyped-def]
    """The tag saying what a click does ("Attack") is drawn over the counters: it sat under them."""
    state = engine.new_game(crossing, 1)
    target = state.unit("s-1").hex
    surface = pygame.Surface((1200, 900))
    widget = MapWidget(crossing, pygame.Rect(0, 0, 900, 900), pygame.Rect(910, 600, 280, 280))
    widget.renderer.frame_budget = None
    widget.camera.center_on(target)
    widget.draw(surface, make_view(state, None), Highlights(targets={target: "Attack"}), show_zoc=True, show_fog=False)
    x, y = widget.camera.hex_center(target)
    side = counters.counter_side(widget.camera.size)
    counter = pygame.Rect(0, 0, side, side)
    counter.center = (round(x), round(y))
    tag = [(px, py) for px in range(counter.left, counter.right) for py in range(counter.top, counter.bottom)]
    assert any(tuple(surface.get_at(p))[:3] == style.TARGET_TEXT for p in tag), "the tag is hidden under the counter"


DETAILED_ZOOMS = [n for n, size in enumerate(ZOOM_SIZES) if counters.counter_side(size) >= counters.DETAIL_MIN]


@pytest.mark.parametrize("zoom", DETAILED_ZOOMS)
def test_aircraft_over_a_hex_leave_its_counters_pips_factors_and_tags_clear(tmp_path: Path, zoom: int) -> None:
    """An air mission's aircraft was drawn on the right edge of the counter, over its step pips.
    Drawn with and without missions over a lone counter, stacks of two, four and five beside it
    (one hex with both sides' aircraft), the top counters' pips, factors and tags (out of supply,
    entrenched) read the same, and the aircraft is still a good part of a hex across."""
    units = [
        ("s-1", "rifle_bn", "soviet", "2,2"),
        *[(f"s-b{n}", "rifle_bn", "soviet", "3,2") for n in range(2)],
        *[(f"s-c{n}", "rifle_rgt", "soviet", "2,3") for n in range(4)],
        *[(f"s-d{n}", "rifle_rgt", "soviet", "3,3") for n in range(5)],
        ("j-1", "rifle_bn", "japanese", "0,0"),
    ]
    regiment = {  # four pips down the edge and the widest factors
        **{"id": "rifle_rgt", "name": "Rifle regiment", "category": "infantry", "size": "regiment", "movement_class": "foot"},
        **{"move_points": 14, "attack": 12, "defence": 10, "steps": 4, "stack_points": 1, "source": "test"},
    }
    scenario = make_scenario(tmp_path, ["......"] * 6, units, unit_types=[regiment])
    state = engine.new_game(scenario, 1)
    state = state.with_units([dataclasses.replace(u, out_of_supply=2, entrenchment=1) for u in state.units])
    lone, pair, four, five = (parse_hex(h) for h in ("2,2", "3,2", "2,3", "3,3"))
    flown = dataclasses.replace(
        state.air,
        support=(("japanese", lone), ("japanese", pair), ("japanese", four), ("japanese", four), ("japanese", five)),
        interdiction=(("japanese", lone), ("japanese", four), ("soviet", five)),
    )
    pictures = []
    for air in (state.air, flown):
        surface = pygame.Surface((900, 900))
        widget = MapWidget(scenario, pygame.Rect(0, 0, 900, 900), pygame.Rect(0, 0, 10, 10))
        widget.renderer.frame_budget = None
        widget.camera.zoom = zoom
        widget.camera.center_on(four)
        widget.draw(surface, make_view(dataclasses.replace(state, air=air), None), Highlights(), show_zoc=False, show_fog=False)
        pictures.append(surface)
    camera, view = widget.camera, make_view(state, None)
    side_px = counters.counter_side(camera.size)
    for hex_, stack in view.stacks.items():
        if not widget.viewport.collidepoint(camera.hex_center(hex_)):
            continue
        top = stack[-1]
        kind = scenario.unit_types[top.type_id]
        parts = counters.counter_parts(
            side_px, f"{kind.attack}-{kind.defence}-{kind.move_points}", full_steps(scenario, top), counters.unit_markers(top)
        )
        assert parts.factors is not None and len(parts.pips) == full_steps(scenario, top) and len(parts.tags) == 2
        x, y = camera.hex_center(hex_)
        shift = overlays.stack_shift(len(stack), side_px)
        corner = (round(x + shift - (side_px + 2) / 2), round(y - shift - (side_px + 2) / 2))  # the image, blitted centred
        for name, rect in [("factors", parts.factors), *[("pip", r) for r in parts.pips], *[("tag", r) for r in parts.tags]]:
            area = rect.move(corner)
            changed = [p for p in _points(area) if pictures[0].get_at(p) != pictures[1].get_at(p)]
            assert not changed, f"an aircraft covers the {name} of {top.id} at zoom {camera.size}"
    x, y = camera.hex_center(lone)
    changed = [p for p in _points(pygame.Rect(round(x - camera.size), round(y - camera.size), 2 * camera.size, 2 * camera.size))]
    changed = [p for p in changed if pictures[0].get_at(p) != pictures[1].get_at(p)]
    width = max(p[0] for p in changed) - min(p[0] for p in changed) + 1
    assert width >= 0.35 * camera.size, f"the aircraft is {width} px wide at zoom {camera.size}"


@pytest.mark.parametrize("zoom", [n for n, size in enumerate(ZOOM_SIZES) if size >= overlays.PONTOON_HOURS_FROM])
def test_a_pontoon_s_hours_are_on_a_plate_off_the_river_and_the_counters(tmp_path: Path, zoom: int) -> None:
    """The hours of a pontoon being thrown ("3/6 h") were drawn with a thin halo on the river
    line, hard to read there: now on a plate of their own (nothing but ink and paper in it) and
    clear of every counter: stacks on both banks, a unit in each hex at the hexside's ends."""
    home, side = parse_hex("2,2"), parse_hexside("2,2:NE")
    far = side.high if side.low == home else side.low
    ends = sorted(set(home.neighbours()) & set(far.neighbours()), key=lambda h: h.to_offset())
    units = [
        ("e-1", "engineer_bn", "japanese", "2,2"),
        ("j-0", "rifle_bn", "japanese", "2,2"),
        *[(f"j-far-{n}", "rifle_bn", "japanese", format_hex(far)) for n in range(3)],
        *[(f"j-end-{k}", "rifle_bn", "japanese", format_hex(h)) for k, h in enumerate(ends)],
        ("s-1", "rifle_bn", "soviet", "5,4"),
    ]
    river = [("river", [f"2,{row}:{d}" for row in range(1, 5) for d in ("NE", "SE")])]
    scenario = make_scenario(tmp_path, ["......"] * 5, units, hexside_lines=river)
    state = engine.new_game(scenario, 1)
    pictures = []
    for work in ((), ((side, "japanese", 3),)):
        surface = pygame.Surface((900, 900))
        widget = MapWidget(scenario, pygame.Rect(0, 0, 900, 900), pygame.Rect(0, 0, 10, 10))
        widget.renderer.frame_budget = None
        widget.camera.zoom = zoom
        widget.camera.center_on(side.low)
        widget.draw(
            surface, make_view(dataclasses.replace(state, pontoon_work=work), "japanese"), Highlights(), show_zoc=False, show_fog=False
        )
        pictures.append(surface)
    layout = widget.camera.layout()
    (ax, ay), (bx, by) = layout.hexside_segment(side)
    reach = round(2 * layout.size)
    middle = (round((ax + bx) / 2), round((ay + by) / 2))
    changed = {
        p
        for p in _points(pygame.Rect(middle[0] - reach, middle[1] - reach, 2 * reach, 2 * reach))
        if pictures[0].get_at(p) != pictures[1].get_at(p)
    }
    plank = _component(changed, min(changed, key=lambda p: (p[0] - middle[0]) ** 2 + (p[1] - middle[1]) ** 2))
    tag = changed - plank
    xs, ys = [p[0] for p in tag], [p[1] for p in tag]
    plate = pygame.Rect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)
    assert plate.collidelist(overlays.counter_boxes(layout, make_view(state, "japanese").stacks)) < 0, "the hours lie over a counter"
    for point in _points(plate):
        r, g, b = tuple(pictures[1].get_at(point))[:3]
        t = (r - style.INK[0]) / (style.PAPER[0] - style.INK[0])
        expected = [ink + t * (paper - ink) for ink, paper in zip(style.INK, style.PAPER, strict=True)]
        assert abs(g - expected[1]) <= 12 and abs(b - expected[2]) <= 12, f"{(r, g, b)} shows through the hours' plate at {point}"


def _component(points: set[tuple[int, int]], seed: tuple[int, int]) -> set[tuple[int, int]]:
    """The points of ``points`` joined to ``seed`` through neighbours (eight ways)."""
    found, todo = {seed}, [seed]
    while todo:
        x, y = todo.pop()
        for near in ((x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            if near in points and near not in found:
                found.add(near)
                todo.append(near)
    return found


def _points(rect: pygame.Rect) -> list[tuple[int, int]]:
    return [(px, py) for px in range(rect.left, rect.right) for py in range(rect.top, rect.bottom)]


def test_place_names_grow_with_the_ui_scale(crossing) -> None:  # type: ignore[no-untyped-def]
    """At 4K (UI scale 2) the map opens zoomed in twice as far: its names must grow as much."""
    area, mini = pygame.Rect(0, 0, 1800, 1000), pygame.Rect(0, 0, 200, 200)
    small, large = MapWidget(crossing, area, mini), MapWidget(crossing, area, mini, scale=2.0)
    size = ZOOM_SIZES[-1]  # at the closest zoom, where a 1920x1080 window's names stop growing
    heights = [w.renderer.place_labels(size)[0].label.get_height() for w in (small, large)]
    assert heights[1] >= 1.4 * heights[0]


def test_fog_darkens_hexes_the_side_does_not_observe(crossing) -> None:  # type: ignore[no-untyped-def]
    state = engine.new_game(crossing, 1)
    view = make_view(state, "japanese")
    seen_open = next(h for h in view.seen if crossing.board.terrain_at(h).id == "steppe" and not view.units_at(h))
    unseen_open = next(h for h in crossing.board.hexes if h not in view.seen and crossing.board.terrain_at(h).id == "steppe")
    surface, widget = _render(crossing, state, "japanese")
    unfogged, _ = _render(crossing, state, "japanese", fog=False)

    def brightness(image: pygame.Surface, hex_: Hex) -> int:
        x, y = widget.camera.hex_center(hex_)
        return sum(image.get_at((round(x - widget.camera.size * 0.55), round(y)))[:3])

    assert brightness(surface, unseen_open) < 0.8 * brightness(surface, seen_open)
    assert brightness(unfogged, unseen_open) == brightness(unfogged, seen_open)


def test_every_bundled_scenario_renders_its_opening() -> None:
    for path in [*bundled_scenario_paths(), CROSSING]:
        scenario = load_scenario(path)
        state = engine.new_game(scenario, 1)
        surface, widget = _render(scenario, state, scenario.side_ids[0])
        assert widget.renderer.complete
        assert len({tuple(surface.get_at((x, 450))) for x in range(0, 900, 9)}) > 3  # more than a blank fill


# ---------------------------------------------------------------- art tables cover the rules


def test_every_terrain_and_unit_category_has_its_own_art() -> None:
    categories = typing.get_args(UnitType.model_fields["category"].annotation)
    assert set(categories) <= set(counters.SYMBOLS)
    for path in [*bundled_scenario_paths(), CROSSING]:
        scenario = load_scenario(path)
        assert {t.id for t in scenario.rules.terrain} <= set(terrain_art.PAINTERS)
        for unit_type in scenario.unit_types.values():
            for side_px in (12, 40, 80):
                image = counters.counter(unit_type, (176, 58, 46), 1, unit_type.steps, side_px, markers=("S1",))
                assert image.get_width() == side_px + 2


def test_every_shortcut_is_documented() -> None:
    text = (ROOT / "docs" / "ui.md").read_text(encoding="utf-8")
    for binding in input.BINDINGS:
        assert f"`{binding.label}`" in text, binding.label
    for gesture, _ in input.MOUSE_HELP:
        assert gesture in text


def test_keys_mean_commands_per_context() -> None:
    def key(code: int, mod: int = 0) -> pygame.event.Event:
        return pygame.event.Event(pygame.KEYDOWN, key=code, mod=mod)

    assert input.command_for(key(pygame.K_z), input.PLAY) == "toggle_zoc"
    assert input.command_for(key(pygame.K_z, pygame.KMOD_LCTRL), input.PLAY) == "undo"
    assert input.command_for(key(pygame.K_RIGHT), input.REPLAY) == "step_forward"
    assert input.command_for(key(pygame.K_RIGHT), input.PLAY) is None
    repeated = {"repeat": True}  # a held key's repeats: zooming and stepping go on, ending phases does not
    assert input.command_for(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_e, mod=0, **repeated), input.PLAY) is None
    assert input.command_for(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, **repeated), input.PLAY) is None
    assert input.command_for(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_PLUS, mod=0, **repeated), input.PLAY) == "zoom_in"
    assert input.command_for(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT, mod=0, **repeated), input.REPLAY) == "step_forward"


# ---------------------------------------------------------------- orders and words


def test_orders_are_indexed_by_acting_units_and_target_hex(crossing) -> None:  # type: ignore[no-untyped-def]
    state = engine.new_game(crossing, 1)
    there = parse_hex("5,0")
    actions = [
        Move("j-1", parse_hex("2,1")),
        Attack(("j-1", "j-2"), there),
        BuildBridge("j-2", Hexside.between(state.unit("j-2").hex, parse_hex("3,5"))),
        AirMission("support", there),
        AirMission("superiority"),
        EndPhase(),
    ]
    index = OrderIndex(state, actions)
    assert index.at("j-1", parse_hex("2,1")) == [actions[0]]
    assert index.at("j-2", there) == [actions[1], actions[3]]  # the unit's attack, then the side's air mission
    assert index.at("j-2", parse_hex("3,5")) == [actions[2]]  # a hexside targets the hex across it
    assert index.at(None, there) == [actions[3]]
    assert index.general == [actions[4], actions[5]] and index.first(EndPhase) == actions[5]
    assert index.units_with_orders() == ["j-1", "j-2"]


def test_the_log_tells_a_move_out_of_sight_as_such(crossing) -> None:  # type: ignore[no-untyped-def]
    moved = UnitMoved("s-1", (parse_hex("8,2"), parse_hex("7,2")), 2)
    watching = Narrator(crossing, "japanese", frozenset({"s-1"}), frozenset())
    assert watching.line(moved) == "Rifle Bn moved out of sight"
    assert Narrator(crossing, None, frozenset({"s-1"}), frozenset({"s-1"})).line(moved) == "Rifle Bn moved 8,2 to 7,2 (2 MP)"
    watched = Narrator(crossing, "japanese", frozenset({"s-1"}), frozenset({"s-1"}))
    assert watched.line(moved) == "Rifle Bn moved 8,2 to 7,2"  # an enemy's move points are its own


def test_log_view_wraps_long_lines_and_scrolls() -> None:
    log = LogView()
    log.place(pygame.Rect(0, 0, 200, 120))
    log.set([Entry("a fairly long line of text that cannot fit in two hundred pixels", "combat")] * 10)
    assert len(log._rows) > 10
    assert log.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1), (10, 10))
    assert not log.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1), (500, 10))
    surface = pygame.Surface((200, 120))
    log.draw(surface)
    *rows, (_, hint) = log.placed()  # scrolled back: the hint has a strip of its own, over no row
    assert rows and all(not rect.colliderect(hint) and log.rect.contains(rect) for _, rect in rows)
