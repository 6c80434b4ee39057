"""The map picture: terrain, grid, rivers, roads, borders and names, cached as tiles.

Two tile layers: the *terrain* layer (everything the scenario fixes; painted once per zoom
level) and the *shaded* layer (terrain plus what changes only with the game state: fog, enemy
zones of control, the night tint).  A frame blits opaque shaded tiles and then draws the few
per-frame things (bridges, objectives, highlights, counters) on top, so scrolling costs a few
blits and a state change costs one cheap recomposition, not a repaint of the terrain.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pygame

from nomonhan.geometry import Layout
from nomonhan.hexgrid import Hex, Hexside
from nomonhan.scenario.load import Scenario
from nomonhan.scenario.schema import format_hex
from nomonhan.ui import style, terrain_art
from nomonhan.ui.camera import Camera, MapExtent, hexes_in_rect
from nomonhan.ui.tiles import TILE, TileCache, tiles_covering

FEATURE_STYLES: dict[str, tuple[style.Colour, float]] = {"river": (style.RIVER, 0.16), "stream": (style.RIVER, 0.08)}
"""Hexside feature id -> (colour, width as a fraction of the hex size); others get a thin line."""

ROAD_STYLES: dict[str, tuple[style.Colour, float]] = {"road": (style.ROAD, 0.11), "track": (style.TRACK, 0.07)}

GRID_MIN_SIZE = 10
LABEL_MIN_SIZE = 12
COORDINATE_MIN_SIZE = 34


@dataclass(frozen=True)
class Shading:
    """What the shaded layer adds to the terrain: which hexes lie in fog, which under enemy ZOC.

    ``seen`` is None when nothing is fogged (full view, or fog shading switched off).
    Frozen and hashable, so it is the cache key of the shaded tiles.
    """

    seen: frozenset[Hex] | None = None
    zoc: frozenset[Hex] = frozenset()
    night: bool = False


class MapRenderer:
    """Draws one scenario's map through a :class:`Camera`."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        board = scenario.board
        self.board = board
        self.extent = MapExtent(board.columns, board.rows)
        self.terrain_tiles = TileCache()
        self.shaded_tiles = TileCache()
        self._sides_by_hex: dict[Hex, list[tuple[Hexside, str]]] = {}
        for side, names in board.features.items():
            for name in names:
                self._sides_by_hex.setdefault(side.low, []).append((side, name))
        self._roads_by_hex: dict[Hex, list[tuple[Hexside, str]]] = {}
        for side, kind in board.roads.items():
            self._roads_by_hex.setdefault(side.low, []).append((side, kind))
        hexside_of_key = {key: side for side, key in board.edge_keys.items()}
        self._borders_by_hex: dict[Hex, list[Hexside]] = {}
        for keys in board.borders.values():
            for key in keys:
                side = hexside_of_key[key]
                self._borders_by_hex.setdefault(side.low, []).append(side)
        self._feature_types = {f.id: f for f in scenario.rules.hexside_features}

    # ------------------------------------------------------------ frame drawing
    def draw(self, surface: pygame.Surface, camera: Camera, shading: Shading) -> None:
        """Blit the shaded tiles covering the camera's viewport."""
        size = camera.size
        viewport = pygame.Rect(camera.viewport)
        surface.fill(style.BACKGROUND, viewport)
        clip = surface.get_clip()
        surface.set_clip(viewport)
        key = (size, shading)
        for tx, ty, sx, sy in tiles_covering(camera.origin, viewport):
            if self._tile_outside_map(size, tx, ty):
                continue
            tile = self.shaded_tiles.get(key, tx, ty, lambda tile, wx, wy: self._paint_shaded(tile, wx, wy, size, shading))
            surface.blit(tile, (sx, sy))
        surface.set_clip(clip)

    def _tile_outside_map(self, size: int, tx: int, ty: int) -> bool:
        left, top, right, bottom = self.extent.bounds
        return (tx + 1) * TILE < left * size or tx * TILE > right * size or (ty + 1) * TILE < top * size or ty * TILE > bottom * size

    # ------------------------------------------------------------ shaded layer
    def _paint_shaded(self, tile: pygame.Surface, wx: int, wy: int, size: int, shading: Shading) -> None:
        terrain = self.terrain_tiles.get(size, wx // TILE, wy // TILE, lambda t, x, y: self._paint_terrain(t, x, y, size))
        tile.blit(terrain, (0, 0))
        layout = Layout(float(size), (float(-wx), float(-wy)))
        hexes = [h for h in self._tile_hexes(wx, wy, size) if h in self.board.index]
        if shading.seen is not None:
            fog = hex_sprite(size, style.FOG)
            for h in hexes:
                if h not in shading.seen:
                    blit_centered(tile, fog, layout.hex_to_pixel(h))
        if shading.zoc:
            hatch = _hatch_sprite(size)
            for h in hexes:
                if h in shading.zoc:
                    blit_centered(tile, hatch, layout.hex_to_pixel(h))
        if shading.night:
            tile.fill(style.NIGHT_TINT, special_flags=pygame.BLEND_RGB_MULT)

    def _tile_hexes(self, wx: int, wy: int, size: int) -> list[Hex]:
        rect = (wx / size, wy / size, (wx + TILE) / size, (wy + TILE) / size)
        return list(hexes_in_rect(self.extent, rect))

    # ------------------------------------------------------------ terrain layer
    def _paint_terrain(self, tile: pygame.Surface, wx: int, wy: int, size: int) -> None:
        tile.fill(style.BACKGROUND)
        layout = Layout(float(size), (float(-wx), float(-wy)))
        board = self.board
        hexes = [h for h in self._tile_hexes(wx, wy, size) if h in board.index]
        for h in hexes:
            terrain = board.terrain_at(h)
            corners = layout.corners(h)
            colour = _terrain_colour(terrain.colour)
            pygame.draw.polygon(tile, colour, corners)
            col, row = h.to_offset()
            mark = terrain_art.symbol(terrain, size, (col + row) % 2 == 1)
            if mark is not None:
                blit_centered(tile, mark, layout.hex_to_pixel(h))
            if size >= GRID_MIN_SIZE:
                pygame.draw.lines(tile, style.shade(colour, style.GRID_SHADE), True, corners)
            if size >= COORDINATE_MIN_SIZE:
                label = style.text(format_hex(h), max(9, size // 4), style.shade(colour, 0.55))
                cx, cy = layout.hex_to_pixel(h)
                tile.blit(label, label.get_rect(midtop=(round(cx), round(cy - layout.inner_radius + 2))))
        for h in hexes:
            for side, kind in self._roads_by_hex.get(h, ()):
                self._paint_road(tile, layout, side, kind, size)
        for h in hexes:
            for side, feature in self._sides_by_hex.get(h, ()):
                self._paint_feature(tile, layout, side, feature, size)
        for h in hexes:
            for side in self._borders_by_hex.get(h, ()):
                self._paint_border(tile, layout, side, size)
        if size >= LABEL_MIN_SIZE:
            self._paint_places(tile, layout, size)

    def _paint_road(self, tile: pygame.Surface, layout: Layout, side: Hexside, kind: str, size: int) -> None:
        colour, fraction = ROAD_STYLES.get(kind, (style.TRACK, 0.06))
        width = max(1, round(size * fraction))
        a, b = layout.hex_to_pixel(side.low), layout.hex_to_pixel(side.high)
        pygame.draw.line(tile, colour, a, b, width)
        for point in (a, b):
            pygame.draw.circle(tile, colour, point, width / 2)

    def _paint_feature(self, tile: pygame.Surface, layout: Layout, side: Hexside, feature: str, size: int) -> None:
        colour, fraction = FEATURE_STYLES.get(feature, (style.RIVER_BANK, 0.05))
        width = max(2, round(size * fraction))
        a, b = layout.hexside_segment(side)
        if self._feature_types.get(feature) is not None and self._feature_types[feature].blocks_zoc:
            pygame.draw.line(tile, style.RIVER_BANK, a, b, width + 2)
        pygame.draw.line(tile, colour, a, b, width)
        for point in (a, b):
            pygame.draw.circle(tile, colour, point, width / 2)

    def _paint_border(self, tile: pygame.Surface, layout: Layout, side: Hexside, size: int) -> None:
        width = max(2, round(size * 0.07))
        (ax, ay), (bx, by) = layout.hexside_segment(side)
        for start, end in ((0.0, 0.38), (0.62, 1.0)):  # two dashes per hexside: a dashed line
            p = (ax + (bx - ax) * start, ay + (by - ay) * start)
            q = (ax + (bx - ax) * end, ay + (by - ay) * end)
            pygame.draw.line(tile, style.PAPER, p, q, width + 2)
            pygame.draw.line(tile, style.BORDER, p, q, width)

    def _paint_places(self, tile: pygame.Surface, layout: Layout, size: int) -> None:
        font_size = min(22, max(12, round(size * 0.5)))
        bounds = tile.get_rect()
        for name, h in self.board.places.items():
            label = style.halo_text(name, font_size, style.INK, style.PAPER, True)
            cx, cy = layout.hex_to_pixel(h)
            rect = label.get_rect(midtop=(round(cx), round(cy + layout.inner_radius * 0.35)))
            if rect.colliderect(bounds):
                tile.blit(label, rect)


@lru_cache(maxsize=64)
def _terrain_colour(text: str) -> style.Colour:
    return style.parse_colour(text)


def blit_centered(surface: pygame.Surface, sprite: pygame.Surface, center: tuple[float, float]) -> None:
    surface.blit(sprite, (round(center[0] - sprite.get_width() / 2), round(center[1] - sprite.get_height() / 2)))


@lru_cache(maxsize=64)
def hex_sprite(size: int, colour: tuple[int, ...]) -> pygame.Surface:
    """A filled hex of ``size`` in ``colour`` (with alpha), for translucent overlays and highlights."""
    layout = Layout(float(size), (float(size), size * 0.8660254 + 0.5))
    surface = pygame.Surface((2 * size + 1, round(size * 1.7320508) + 2), pygame.SRCALPHA)
    pygame.draw.polygon(surface, colour, layout.corners(Hex(0, 0)))
    return surface


@lru_cache(maxsize=32)
def _hatch_sprite(size: int) -> pygame.Surface:
    """Diagonal red hatching clipped to a hex: the conventional mark of a zone of control."""
    surface = hex_sprite(size, (*style.ZOC, 40)).copy()
    mask = hex_sprite(size, (255, 255, 255, 255))
    lines = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    step = max(4, size // 4)
    height = surface.get_height()
    for x in range(-height, surface.get_width(), step):
        pygame.draw.line(lines, (*style.ZOC, 150), (x, height), (x + height, 0), max(1, size // 14))
    lines.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
    surface.blit(lines, (0, 0))
    return surface

