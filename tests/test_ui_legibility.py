"""Legibility: text contrast (WCAG 4.5:1), colours a deuteranope can tell apart, labels no counter hides,
and player-facing words (plurals, side names, text shortened or wrapped instead of cut)."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import itertools  # noqa: E402
from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

from nomonhan.geometry import Layout  # noqa: E402
from nomonhan.hexgrid import Hex  # noqa: E402
from nomonhan.resources import bundled_scenario_paths  # noqa: E402
from nomonhan.scenario.load import load_scenario  # noqa: E402
from nomonhan.ui import counters, log_view, overlays, style  # noqa: E402
from nomonhan.ui.describe import with_side_names  # noqa: E402
from nomonhan.ui.render_map import PlaceLabel  # noqa: E402
from nomonhan.ui.session import Session, controllers_for  # noqa: E402
from nomonhan.ui.wording import fit_text, plural, wrap_text  # noqa: E402

THEME = {k: style.parse_colour(v) for k, v in style.GUI_THEME["defaults"]["colours"].items()}
DISTINCT = 20.0
"""CIE76 ΔE that counts as clearly different at a glance."""


def _terrain_colours() -> list[style.Colour]:
    rules = load_scenario("khalkhin-gol-1939").rules
    return [style.parse_colour(t.colour) for t in rules.terrain]


@pytest.mark.parametrize(
    "text, ground",
    [
        ("normal_text", "normal_bg"),
        ("hovered_text", "hovered_bg"),
        ("disabled_text", "disabled_bg"),
        ("selected_text", "selected_bg"),
        ("normal_text", "dark_bg"),
        ("link_text", "dark_bg"),
    ],
)
def test_theme_text_keeps_its_contrast(text: str, ground: str) -> None:
    assert style.contrast_ratio(THEME[text], THEME[ground]) >= style.MIN_CONTRAST


def test_drawn_text_keeps_its_contrast() -> None:
    order = style.parse_colour(style.GUI_THEME["#order"]["colours"]["normal_bg"])
    log_ground = style.shade(style.PANEL, 0.8)
    pairs = [
        (THEME["normal_text"], order),
        (style.PAPER, style.PANEL),  # the status lines
        (style.INK, style.PAPER),  # map labels on their halo
        (style.TARGET_TEXT, style.PAPER),
        (style.parse_colour("#9aa2ac"), THEME["dark_bg"]),  # the unit id in the unit box
        (style.parse_colour("#ffb060"), THEME["dark_bg"]),  # out of supply
        *((colour, log_ground) for colour, _ in log_view.KIND_COLOURS.values()),
    ]
    for text, ground in pairs:
        assert style.contrast_ratio(text, ground) >= style.MIN_CONTRAST, (text, ground)


def test_hex_numbers_are_readable_on_every_terrain_by_day_night_and_fog() -> None:
    """The numbers are painted after fog and night, on the ground as the player sees it."""
    for terrain in _terrain_colours():
        for tint in [None, style.FOG_MULTIPLY, style.NIGHT_TINT]:
            ground = terrain if tint is None else style.multiply(terrain, tint)
            assert style.contrast_ratio(style.readable_on(ground), ground) >= style.MIN_CONTRAST


def test_the_night_tint_keeps_the_terrain_visible() -> None:
    for ground in _terrain_colours():
        assert style.luminance(style.multiply(ground, style.NIGHT_TINT)) >= 0.5 * style.luminance(ground)
    distances = [
        style.lab_distance(style.multiply(a, style.NIGHT_TINT), style.multiply(b, style.NIGHT_TINT))
        for a, b in itertools.combinations(_terrain_colours(), 2)
    ]
    assert min(distances) >= 0.75 * min(style.lab_distance(a, b) for a, b in itertools.combinations(_terrain_colours(), 2))


@pytest.mark.parametrize("path", bundled_scenario_paths(), ids=lambda p: Path(p).stem)
def test_side_colours_stay_apart_for_a_deuteranope(path: Path) -> None:
    colours = [style.parse_colour(side.colour) for side in load_scenario(path).sides]
    for a, b in itertools.combinations(colours, 2):
        assert style.lab_distance(style.as_deuteranope(a), style.as_deuteranope(b)) >= DISTINCT


def test_the_deuteranopia_simulation_confuses_red_and_green() -> None:
    """The matrix must be right for the test above to mean anything: red/green collapse, blue/yellow do not."""
    red, green = (200, 60, 40), (90, 130, 30)
    assert style.lab_distance(style.as_deuteranope(red), style.as_deuteranope(green)) < 0.3 * style.lab_distance(red, green)
    blue, yellow = (40, 80, 220), (230, 200, 40)
    assert style.lab_distance(style.as_deuteranope(blue), style.as_deuteranope(yellow)) >= DISTINCT


def test_objective_stars_and_place_names_clear_the_counter() -> None:
    for size in (16, 34, 68):
        layout = Layout(float(size), (500.0, 500.0))
        hex_ = Hex(2, 1)
        cx, cy = layout.hex_to_pixel(hex_)
        side = counters.counter_side(size)
        counter = pygame.Rect(0, 0, side, side)
        counter.center = (round(cx), round(cy))
        assert not counter.collidepoint(overlays.objective_spot(layout, hex_)), "the star's centre is under the counter"
        label = pygame.Surface((4 * size, size // 2))
        (below,) = overlays.frame_places(layout, [PlaceLabel(label, label.get_rect(), hex_, label)], {hex_: ["a unit"]})
        assert below.rect.top > counter.bottom and not below.under


@pytest.mark.parametrize("scenario_id", ["lake-khasan-1938", "khalkhin-gol-1939"])
def test_place_names_never_cover_each_other_when_units_stand_on_places(scenario_id: str) -> None:
    """A name moved off the counters on its place must not land on a neighbour's name: at Lake
    Khasan, Zaozyornaya's name under a Soviet counter covered Zhanggu Lake's beside it."""
    from nomonhan.ui.render_map import MapRenderer

    pygame.font.init()
    scenario = load_scenario(scenario_id)
    renderer = MapRenderer(scenario, frame_budget=None, places_in_tiles=False)
    places = scenario.board.places
    for size in (16, 34, 68):
        layout = Layout(float(size), (0.0, 0.0))
        laid_out = renderer.place_labels(size)
        for occupied in (
            set(places.values()),
            {h for i, h in enumerate(places.values()) if i % 2},
            {places[name] for name in list(places)[:1]},
        ):
            drawn = overlays.frame_places(layout, laid_out, {h: ["a unit"] for h in occupied})
            rects = [name.rect for name in drawn]
            assert not any(a.colliderect(b) for a, b in itertools.combinations(rects, 2)), (size, occupied)
            boxes = overlays.counter_boxes(layout, {h: ["a unit"] for h in occupied})
            assert all(name.under or name.rect.collidelist(boxes) < 0 for name in drawn), "a name over a counter"
    zaozyornaya = next(h for name, h in places.items() if name.startswith("Zaozyornaya")) if scenario_id == "lake-khasan-1938" else None
    if zaozyornaya is not None:
        layout = Layout(34.0, (0.0, 0.0))
        drawn = overlays.frame_places(layout, renderer.place_labels(34), {zaozyornaya: ["a unit"]})
        assert len(drawn) == len(renderer.place_labels(34)), "every name still drawn"


@pytest.mark.parametrize("scenario_id", ["lake-khasan-1938", "khalkhin-gol-1939", "bain-tsagan-1939"])
def test_place_names_never_run_over_the_counters_of_neighbouring_hexes(scenario_id: str) -> None:
    """A name two or three hexes wide ran over the counters beside its place (Zhanggu Lake over
    the Japanese 4-4-10s at Lake Khasan, the Kawamata bridge over a 4-2-14 at Bain Tsagan): now it
    is shortened or moved where a counter would be hidden, and failing that goes under the
    counters; every name is still drawn somewhere."""
    from nomonhan import engine
    from nomonhan.ui.render_map import MapRenderer
    from nomonhan.ui.view import make_view

    pygame.font.init()
    scenario = load_scenario(scenario_id)
    renderer = MapRenderer(scenario, frame_budget=None, places_in_tiles=False)
    stacks = make_view(engine.new_game(scenario, 1), None).stacks  # the set-up, both sides' units
    for size in (16, 34, 68):
        layout = Layout(float(size), (0.0, 0.0))
        laid_out = renderer.place_labels(size)
        drawn = overlays.frame_places(layout, laid_out, stacks)
        boxes = overlays.counter_boxes(layout, stacks)
        assert len(drawn) == len(laid_out)
        assert [name.rect for name in drawn if not name.under and name.rect.collidelist(boxes) >= 0] == [], size


def test_plurals_and_side_names() -> None:
    assert [plural(1, "error"), plural(2, "error"), plural(0, "step"), plural(1, "hex", "hexes"), plural(3, "hex", "hexes")] == [
        "1 error",
        "2 errors",
        "0 steps",
        "1 hex",
        "3 hexes",
    ]
    scenario = load_scenario("lake-khasan-1938")
    names = {s.id: s.name for s in scenario.sides}
    text = with_side_names(scenario, "Zaozernaya (5 VP) held by japanese")
    assert text == f"Zaozernaya (5 VP) held by {names['japanese']}"


def test_long_text_is_shortened_at_words_or_wrapped() -> None:
    name = "Advance 36th Motorized Rifle Division second regiment"
    short = fit_text(name, lambda t: len(t) <= 40)
    assert short == "Advance 36th Motorized Rifle Division…"
    assert fit_text("Khalkhin Gol (Nomonhan), Zhukov's offensive, 1939", lambda t: len(t) <= 32) == "Khalkhin Gol, Zhukov's offensive"
    rows = wrap_text("a problem line that is far too long for one row of the list", lambda t: len(t) <= 20)
    assert (
        all(len(r) <= 20 for r in rows)
        and " ".join(r.strip() for r in rows) == "a problem line that is far too long for one row of the list"
    )


def test_the_hot_seat_top_bar_fits_at_1600(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOMONHAN_HOME", str(tmp_path))
    from nomonhan.ui.app import App
    from nomonhan.ui.play_screen import PlayScreen

    app = App((1600, 900))
    scenario = load_scenario("khalkhin-gol-1939")
    app.open_play(Session.new(scenario, 1, controllers_for(scenario, "hotseat", "random"), "khalkhin-gol-1939"))
    app.step_frame()
    app.pop()  # past the hand-over
    screen = app.top
    assert isinstance(screen, PlayScreen)
    label = screen.panel.status
    assert label.text and label.font.size(label.text)[0] <= label.rect.width - 4
