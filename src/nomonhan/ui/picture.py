"""``nomonhan render``: a PNG of the map at one moment of a game, without a window.

The picture is drawn by the game window's own map drawing (:func:`nomonhan.ui.map_widget.draw_map`):
terrain, rivers, borders, roads, places, objectives and the units, from one side's view (its
fog of war and what it knows of the enemy) or the full view.  It covers the whole map at one
zoom level, so its size in pixels follows from the map's size alone (:func:`picture_size`).
SDL's dummy video driver is used unless another is chosen, so it runs on a server.
"""

from __future__ import annotations

import io
import math
import os
from pathlib import Path

from nomonhan import engine
from nomonhan.fileio import check_output, write_atomic
from nomonhan.replay import load_game
from nomonhan.scenario.load import Scenario, load_scenario
from nomonhan.state import GameState
from nomonhan.ui.camera import READABLE_ZOOM, ZOOM_SIZES, Camera, MapExtent

PICTURE_ZOOM = READABLE_ZOOM
"""The zoom level of a picture: the first at which counters show their factors."""


def picture_size(scenario: Scenario, zoom: int = PICTURE_ZOOM) -> tuple[int, int]:
    """Width and height (px) of the picture of the whole map at ``zoom``."""
    left, top, right, bottom = MapExtent(scenario.board.columns, scenario.board.rows).bounds
    size = ZOOM_SIZES[zoom]
    return math.ceil((right - left) * size), math.ceil((bottom - top) * size)


def moment(scenario_ref: str, record: str | None, turn: int | None) -> GameState:
    """The state to draw: the start of ``turn`` in the record (its end when no turn is given),
    or the scenario's set-up when there is no record."""
    if record is None:
        state = engine.new_game(load_scenario(scenario_ref), 0)
        if turn not in (None, 1):
            raise ValueError("--turn needs --record: without a game record only the set-up (turn 1) can be drawn")
        return state
    states = load_game(record, scenario_ref).states
    if turn is None:
        return states[-1]
    found = next((state for state in states if state.turn == turn), None)
    if found is None:
        raise ValueError(f"--turn {turn}: the record plays turns {states[0].turn} to {states[-1].turn}")
    return found


def render(state: GameState, side: str | None, out: Path, zoom: int = PICTURE_ZOOM) -> tuple[int, int]:
    """Draw ``state`` as ``side`` sees it (None: everything) into the PNG ``out``; its size.

    The picture is PNG whatever ``out`` is called (pygame would pick the format from the name,
    TGA for ``.txt``), and it is written as every output is (:func:`nomonhan.fileio.write_atomic`),
    so a folder, a device or an unwritable place is refused with the path, before any drawing."""
    scenario = state.scenario
    if side is not None and side not in {s.id for s in scenario.sides}:
        raise ValueError(f"--side {side!r}: the sides are {', '.join(s.id for s in scenario.sides)}")
    check_output(out)
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from nomonhan.ui.map_widget import draw_map, side_colours
    from nomonhan.ui.overlays import Highlights
    from nomonhan.ui.render_map import MapRenderer
    from nomonhan.ui.view import make_view

    pygame.display.init()
    pygame.font.init()
    if pygame.display.get_surface() is None:
        pygame.display.set_mode((1, 1))  # converting images needs a display format, even a dummy one
    width, height = picture_size(scenario, zoom)
    surface = pygame.Surface((width, height))
    camera = Camera(MapExtent(scenario.board.columns, scenario.board.rows), (0, 0, width, height), zoom)
    renderer = MapRenderer(scenario, frame_budget=None, places_in_tiles=False)
    draw_map(surface, renderer, camera, make_view(state, side), Highlights(), side_colours(scenario), False, side is not None)
    png = io.BytesIO()
    pygame.image.save(surface, png, "picture.png")
    write_atomic(out, png.getvalue())
    return width, height
