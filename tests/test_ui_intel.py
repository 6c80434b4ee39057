"""The supply and threat overlays: from what the side knows only, and drawn when switched on."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import itertools  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

from nomonhan import engine  # noqa: E402
from nomonhan.hexgrid import Hex, hex_range  # noqa: E402
from nomonhan.scenario.load import load_scenario  # noqa: E402
from nomonhan.state import GameState  # noqa: E402
from nomonhan.ui import style  # noqa: E402
from nomonhan.ui.intel import intel_for  # noqa: E402
from nomonhan.ui.session import Session, controllers_for  # noqa: E402

SCENARIO = "khalkhin-gol-1939"


@pytest.fixture(scope="module")
def start() -> GameState:
    return engine.new_game(load_scenario(SCENARIO), 1)


def _moved(state: GameState, unit_id: str, to: Hex | None, **changes: object) -> GameState:
    return replace(state, units=tuple(replace(u, hex=to, **changes) if u.id == unit_id else u for u in state.units))


def _unseen_enemy(state: GameState, side: str) -> str:
    seen = {u.id for u in engine.observe(state, side).enemy_units}
    return next(u.id for u in state.units if u.side != side and u.on_map and u.id not in seen)


def test_an_unseen_enemy_changes_nothing_in_the_overlays(start: GameState) -> None:
    """Moving an enemy the Soviets cannot see, or taking it off the map, leaves their picture as it was."""
    side = "soviet"
    hidden = _unseen_enemy(start, side)
    before = intel_for(start, side)
    elsewhere = next(
        h
        for h in start.scenario.board.index
        if h.distance(start.unit(hidden).hex) >= 2
        and h not in engine.observe(start, side).seen_hexes
        and not any(u.hex == h for u in start.units)
    )
    for changed in (_moved(start, hidden, elsewhere), _moved(start, hidden, None)):
        assert engine.observe(changed, side).enemy_units == engine.observe(start, side).enemy_units
        assert intel_for(changed, side) == before


def test_the_enemy_reach_is_every_seen_enemy_moving_with_full_move_points(start: GameState) -> None:
    side = "soviet"
    intel = intel_for(start, side)
    believed = engine.believed_state(engine.observe(start, side))
    for enemy in engine.observe(start, side).enemy_units:
        assert enemy.hex in intel.enemy_reach
        assert set(engine.reach(believed, enemy.id).hexes()) <= intel.enemy_reach
    assert not any(
        u.hex in intel.enemy_reach
        for u in start.units
        if u.side != side and u.on_map and all(u.hex.distance(e.hex) > 12 for e in engine.observe(start, side).enemy_units)
    )


def test_gun_range_covers_the_hexes_within_range_of_guns_in_supply(start: GameState) -> None:
    side = "soviet"
    types = start.scenario.unit_types
    guns = [u for u in start.units if u.side == side and u.on_map and types[u.type_id].bombard > 0]
    assert guns
    gun = guns[0]
    within = {h for h in hex_range(gun.hex, types[gun.type_id].artillery_range) if h in start.scenario.board.index}
    assert within <= intel_for(start, side).gun_range
    silenced = start
    for other in guns:
        silenced = _moved(silenced, other.id, other.hex, out_of_supply=1)
    assert intel_for(silenced, side).gun_range == frozenset()  # guns out of supply cannot fire


def test_supply_shows_units_out_of_supply_and_cut_off_pockets(start: GameState) -> None:
    side = "soviet"
    intel = intel_for(start, side)
    assert intel.supplied and not intel.pockets and not intel.cut_off
    for edge in intel.supply_edge:  # the line where supply ends runs between a supplied and an unsupplied hex
        assert (edge.low in intel.supplied) != (edge.high in intel.supplied)
    assert intel.supply_edge
    unit = next(u for u in start.units if u.side == side and u.on_map)
    far = max(
        (h for h in start.scenario.board.index if h not in intel.supplied and not any(u.hex == h for u in start.units)),
        key=lambda h: min(h.distance(x) for x in intel.supplied),
    )
    stranded = _moved(start, unit.id, far, out_of_supply=2)
    picture = intel_for(stranded, side)
    assert picture.cut_off == {far: 2}
    assert picture.pockets == (frozenset({far}),)


def test_area_overlays_stay_apart_for_a_deuteranope() -> None:
    for (a, ca), (b, cb) in itertools.combinations(style.AREA_OVERLAYS.items(), 2):
        distance = style.lab_distance(style.as_deuteranope(ca), style.as_deuteranope(cb))
        assert distance >= 20, f"{a} and {b} look alike to a deuteranope (ΔE {distance:.1f})"


def test_the_keys_switch_the_overlays_on_the_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOMONHAN_HOME", str(tmp_path))
    from nomonhan.ui.app import App
    from nomonhan.ui.play_screen import PlayScreen

    app = App((1280, 720))
    scenario = load_scenario(SCENARIO)
    app.open_play(Session.new(scenario, 1, controllers_for(scenario, "soviet", "random"), SCENARIO))
    app.step_frame()
    screen = app.top
    assert isinstance(screen, PlayScreen) and screen.lights.intel is None
    plain = app.surface.copy()
    for key, layer in ((pygame.K_p, "supply"), (pygame.K_r, "reach"), (pygame.K_g, "guns")):
        app.step_frame([pygame.event.Event(kind, key=key, mod=0, unicode="", scancode=0) for kind in (pygame.KEYDOWN, pygame.KEYUP)])
        assert layer in screen.lights.layers
    assert screen.lights.intel == intel_for(screen.state, "soviet")
    assert screen.panel.button_of["toggle_supply"].text == "Supply: on (P)"
    key = screen.panel.unit_box.html_text  # nothing selected: the panel gives the key to the overlays on
    assert screen.selected is None and all(words in key for words in ("blue tint", "orange hatching", "cyan dots"))
    app.step_frame()
    changed = sum(1 for x in range(0, 900, 7) for y in range(40, 690, 7) if app.surface.get_at((x, y)) != plain.get_at((x, y)))
    assert changed > 500, "the overlays drew nothing"
    app.step_frame([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_p, mod=0, unicode="", scancode=0)])  # a fresh press
    assert "supply" not in screen.lights.layers
    assert "blue tint" not in screen.panel.unit_box.html_text and "cyan dots" in screen.panel.unit_box.html_text


def test_the_overlays_are_painted_into_the_tiles_once_per_picture() -> None:
    """The overlays key the map's shaded tiles: the key stays the same object while the picture
    and the layers do (the tiles are only blitted), and changes with either (they are repainted)."""
    from nomonhan.ui.overlays import Highlights

    state = engine.new_game(load_scenario(SCENARIO), 1)
    picture = intel_for(state, "soviet")
    lights = Highlights(intel=picture, layers=frozenset({"supply"}))
    layer = lights.intel_layer()
    assert layer is not None and lights.intel_layer() is layer and layer.intel is picture
    lights.intel = intel_for(state, "soviet")  # the next state's picture, equal or not: painted anew
    assert lights.intel_layer() is not layer
    again = lights.intel_layer()
    lights.layers = frozenset({"supply", "guns"})
    assert lights.intel_layer() is not again and lights.intel_layer().layers == {"supply", "guns"}
    lights.layers = frozenset()
    assert lights.intel_layer() is None
