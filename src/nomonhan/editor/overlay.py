"""What the editor draws over the map tiles: set-up units, markers, bridges, the tool's preview.

Drawn each frame from the draft's plain data (no game state exists while editing), only for
hexes near the viewport.  Counters come from :mod:`nomonhan.ui.counters`, so a unit looks the
same here as in play.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pygame

from nomonhan.editor.dataedits import MARKERS
from nomonhan.editor.preview import MapPicture
from nomonhan.editor.tools import Preview, Selection
from nomonhan.editor.tree import get, hex_of
from nomonhan.geometry import Layout
from nomonhan.hexgrid import Hex, parse_hexside
from nomonhan.scenario.schema import UnitType
from nomonhan.ui import counters, style
from nomonhan.ui.camera import Camera
from nomonhan.ui.render_map import blit_centered, hex_sprite

SELECTED = style.SELECTED
ERASE = (230, 40, 30)
PREVIEW_SIDE = (80, 200, 255)


def colours(data: dict[str, Any]) -> dict[str, style.Colour]:
    found = {}
    for side in data.get("sides") or []:
        try:
            found[str(side.get("id"))] = style.parse_colour(str(side.get("colour")))
        except (ValueError, IndexError):
            found[str(side.get("id"))] = style.NEUTRAL
    return found


def draw_grid(surface: pygame.Surface, camera: Camera, picture: MapPicture) -> None:
    """Hex outlines over the underlay, so the grid stays visible whatever the opacity."""
    layout = camera.layout()
    for hex_ in camera.visible_hexes():
        if hex_ in picture.board.index:
            pygame.draw.lines(surface, style.INK, True, layout.corners(hex_), 1)


def draw(
    surface: pygame.Surface,
    camera: Camera,
    data: dict[str, Any],
    library: dict[str, UnitType],
    picture: MapPicture,
    selection: Selection | None,
    preview: Preview,
    terrain_colours: dict[str, str],
    problem_hex: Hex | None,
) -> None:
    clip = surface.get_clip()
    surface.set_clip(pygame.Rect(camera.viewport))
    layout = camera.layout()
    near = pygame.Rect(camera.viewport).inflate(4 * camera.size, 4 * camera.size)
    sides = colours(data)
    _bridges(surface, layout, data, near)
    _markers(surface, layout, data, sides, near)
    _units(surface, camera, data, library, sides, near)
    _preview(surface, layout, camera.size, preview, terrain_colours)
    _selection(surface, layout, data, selection)
    if problem_hex is not None:
        pygame.draw.lines(surface, ERASE, True, layout.corners(problem_hex), 3)
    surface.set_clip(clip)


def _bridges(surface: pygame.Surface, layout: Layout, data: dict[str, Any], near: pygame.Rect) -> None:
    width = max(3, round(layout.size * 0.28))
    for text in (data.get("map") or {}).get("bridges") or []:
        try:
            side = parse_hexside(str(text))
        except ValueError:
            continue
        low, high = layout.hex_to_pixel(side.low), layout.hex_to_pixel(side.high)
        if not near.collidepoint(low):
            continue
        mx, my = (low[0] + high[0]) / 2, (low[1] + high[1]) / 2
        dx, dy = (high[0] - low[0]) * 0.3, (high[1] - low[1]) * 0.3
        pygame.draw.line(surface, style.INK, (mx - dx, my - dy), (mx + dx, my + dy), width + 2)
        pygame.draw.line(surface, style.BRIDGE, (mx - dx, my - dy), (mx + dx, my + dy), width)


@lru_cache(maxsize=256)
def _badge(letter: str, colour: style.Colour, radius: int, star: bool) -> pygame.Surface:
    """An objective star with its points, or a round tag with a letter (S supply, F fortified)."""
    surface = pygame.Surface((2 * radius + 2, 2 * radius + 2), pygame.SRCALPHA)
    c = radius + 1
    if star:
        points = [
            (
                c + (radius if k % 2 == 0 else radius * 0.5) * math.cos(-math.pi / 2 + k * math.pi / 5),
                c + (radius if k % 2 == 0 else radius * 0.5) * math.sin(-math.pi / 2 + k * math.pi / 5),
            )
            for k in range(10)
        ]
        pygame.draw.polygon(surface, colour, points)
        pygame.draw.polygon(surface, style.INK, points, 1)
    else:
        pygame.draw.circle(surface, style.INK, (c, c), radius)
        pygame.draw.circle(surface, colour, (c, c), radius - 1)
    label = style.text(letter, max(9, radius), style.contrast_ink(colour), True)
    surface.blit(label, label.get_rect(center=(c, c + 1)))
    return surface


def _markers(surface: pygame.Surface, layout: Layout, data: dict[str, Any], sides: dict[str, style.Colour], near: pygame.Rect) -> None:
    radius = max(7, round(layout.size / 3))
    groups: tuple[tuple[list[Any], str, Callable[[dict[str, Any]], str], bool, tuple[float, float]], ...] = (
        ((data.get("objectives") or []), "initial_holder", lambda o: str(o.get("points", "?")), True, (-0.5, -0.55)),
        (((data.get("supply") or {}).get("sources") or []), "side", lambda _o: "S", False, (0.55, -0.55)),
        ((data.get("fortifications") or []), "side", lambda o: f"F{o.get('level', '')}", False, (0.55, 0.5)),
    )
    for entries, colour_key, letter, star, (fx, fy) in groups:
        for entry in entries:
            hex_ = hex_of(entry.get("hex"))
            if hex_ is None:
                continue
            cx, cy = layout.hex_to_pixel(hex_)
            if near.collidepoint(cx, cy):
                badge = _badge(letter(entry), sides.get(str(entry.get(colour_key)), style.NEUTRAL), radius, star)
                blit_centered(surface, badge, (cx + layout.size * fx, cy + layout.inner_radius * fy))


def _units(
    surface: pygame.Surface,
    camera: Camera,
    data: dict[str, Any],
    library: dict[str, UnitType],
    sides: dict[str, style.Colour],
    near: pygame.Rect,
) -> None:
    layout = camera.layout()
    stacks: dict[Hex, list[dict[str, Any]]] = {}
    for unit in data.get("units") or []:
        hex_ = hex_of(unit.get("hex") if "hex" in unit else (unit.get("arrive") or {}).get("hex"))
        if hex_ is not None:
            stacks.setdefault(hex_, []).append(unit)
    side_px = max(8, round(counters.counter_side(camera.size) * 0.8))
    for hex_, units in stacks.items():
        centre = layout.hex_to_pixel(hex_)
        if not near.collidepoint(centre):
            continue
        top = units[-1]
        unit_type = library.get(str(top.get("type")))
        colour = sides.get(str(top.get("side")), style.NEUTRAL)
        if unit_type is None:
            pygame.draw.rect(surface, colour, pygame.Rect(0, 0, side_px, side_px).move(centre[0] - side_px / 2, centre[1] - side_px / 2))
            blit_centered(surface, style.text("?", side_px, style.INK, True), centre)
        else:
            given = top.get("steps")
            steps = given if isinstance(given, int) else unit_type.steps
            image = counters.counter(unit_type, colour, steps, unit_type.steps, side_px, spent="arrive" in top)
            blit_centered(surface, image, centre)
        if "arrive" in top:
            blit_centered(
                surface, _badge("R", style.PAPER, max(6, side_px // 5), False), (centre[0] - side_px / 2, centre[1] + side_px / 2)
            )
        if len(units) > 1:
            badge = counters.stack_badge(len(units), side_px)
            blit_centered(surface, badge, (centre[0] + side_px / 2, centre[1] - side_px / 2))


def _preview(surface: pygame.Surface, layout: Layout, size: int, preview: Preview, terrain_colours: dict[str, str]) -> None:
    if preview.fill is not None:
        hexes, code = preview.fill
        colour = style.parse_colour(terrain_colours.get(code, "#ff00ff"))
        sprite = hex_sprite(size, (*colour, 200))
        for hex_ in hexes:
            blit_centered(surface, sprite, layout.hex_to_pixel(hex_))
    for hex_ in preview.outline:
        pygame.draw.lines(surface, style.PAPER, True, layout.corners(hex_), 2)
    colour = ERASE if preview.erasing else PREVIEW_SIDE
    for side in preview.sides:
        a, b = layout.hexside_segment(side)
        pygame.draw.line(surface, colour, a, b, max(3, size // 6))
    if len(preview.path) >= 2:
        pygame.draw.lines(surface, style.PATH, False, [layout.hex_to_pixel(h) for h in preview.path], max(2, size // 8))


def _selection(surface: pygame.Surface, layout: Layout, data: dict[str, Any], selection: Selection | None) -> None:
    hex_ = selected_hex(data, selection)
    if hex_ is not None:
        pygame.draw.lines(surface, SELECTED, True, layout.corners(hex_), 3)


def selected_hex(data: dict[str, Any], selection: Selection | None) -> Hex | None:
    """Where the selected unit or marker stands (its entry hex for a reinforcement)."""
    if selection is None:
        return None
    kind, key = selection
    if kind == "unit":
        unit = next((u for u in data.get("units") or [] if u.get("id") == key), None)
        return None if unit is None else hex_of(unit.get("hex") if "hex" in unit else (unit.get("arrive") or {}).get("hex"))
    return hex_of(get(data, (*MARKERS[kind], key, "hex")))
