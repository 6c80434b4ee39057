"""The map picture: terrain, grid, rivers, roads, borders and names, cached as tiles.

Two tile layers: the *terrain* layer (everything the scenario fixes; painted once per zoom
level) and the *shaded* layer (terrain plus what changes only with the game state: fog, enemy
zones of control, the night tint, the supply and threat overlays).  A frame blits opaque shaded tiles and then draws the few
per-frame things (bridges, objectives, highlights, counters) on top, so scrolling costs a few
blits and a state change costs one cheap recomposition, not a repaint of the terrain.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

import pygame

from nomonhan.geometry import Layout
from nomonhan.hexgrid import Hex, Hexside, format_hex
from nomonhan.scenario.load import Scenario
from nomonhan.ui import style, terrain_art
from nomonhan.ui.camera import Camera, MapExtent, hexes_in_rect
from nomonhan.ui.tiles import TILE, TileCache, tiles_covering

if TYPE_CHECKING:
    from nomonhan.ui.intel_layer import IntelLayer

FEATURE_STYLES: dict[str, tuple[style.Colour, float]] = {"river": (style.RIVER, 0.16), "stream": (style.RIVER, 0.08)}
"""Hexside feature id -> (colour, width as a fraction of the hex size); others get a thin line."""

ROAD_STYLES: dict[str, tuple[style.Colour, float]] = {"road": (style.ROAD, 0.11), "track": (style.TRACK, 0.07)}

GRID_MIN_SIZE = 10
LABEL_MIN_SIZE = 12
COORDINATE_MIN_SIZE = 43
OVERVIEW_SIDE = 1600
"""Longest side (px) of the whole-map overview picture (minimap, placeholder while painting)."""
OVERVIEW_MAX_SIZE = 12.0


@dataclass(frozen=True)
class Shading:
    """What the shaded layer adds to the terrain: which hexes lie in fog, which under enemy ZOC.

    ``seen`` is None when nothing is fogged (full view, or fog shading switched off).
    Frozen and hashable, so it is the cache key of the shaded tiles.
    """

    seen: frozenset[Hex] | None = None
    zoc: frozenset[Hex] = frozenset()
    night: bool = False
    intel: IntelLayer | None = None
    """The supply and threat overlays shown (painted over the night tint, so they read by night)."""


class MapRenderer:
    """Draws one scenario's map through a :class:`Camera`.

    ``frame_budget`` (seconds) caps the time one frame spends painting new tiles, so a zoom or
    a fast scroll never stalls a frame: tiles not painted yet show the previous shading's tile,
    or a scaled-up overview picture, until later frames fill them in (``complete`` says when).
    None paints everything at once (tests, screenshots).
    """

    def __init__(
        self, scenario: Scenario, frame_budget: float | None = 0.006, places_in_tiles: bool = True, text_scale: float = 1.0
    ) -> None:
        """``places_in_tiles``: paint place names into the terrain (the editor); a game draws them over
        its counters instead (:meth:`place_labels`), so a unit standing on a place never hides its name.
        ``text_scale``: the window's UI scale, which bounds the place names' size (a 4K window's
        map is zoomed in twice as far, and its names must grow as much to read as at 1920x1080)."""
        self.scenario = scenario
        self.places_in_tiles = places_in_tiles
        self.text_scale = text_scale
        board = scenario.board
        self.board = board
        self.extent = MapExtent(board.columns, board.rows)
        self.frame_budget = frame_budget
        self.complete = True
        self._warm = False
        self.terrain_tiles = TileCache()
        self.shaded_tiles = TileCache()
        self._shading: dict[int, tuple[Shading, Shading | None]] = {}
        self._overview: tuple[pygame.Surface, float] | None = None
        self._placed_labels: dict[int, list[PlaceLabel]] = {}
        self._fill = [_terrain_colour(t.colour) for t in board.terrain]
        self._grid = [style.shade(c, style.GRID_SHADE) for c in self._fill]
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
        """Blit the shaded tiles covering the camera's viewport (painting new ones within budget)."""
        size = camera.size
        viewport = pygame.Rect(camera.viewport)
        current, previous = self._shading.get(size, (shading, None))
        if current != shading:
            previous = current
        self._shading[size] = (shading, previous)
        budget = self.frame_budget if self._warm else None  # the very first frame paints everything
        self._warm = True
        deadline = None if budget is None else time.perf_counter() + budget
        placed: list[tuple[pygame.Surface, tuple[int, int]]] = []
        missing: pygame.Rect | None = None
        gaps: list[pygame.Rect] = []
        for tx, ty, sx, sy in tiles_covering(camera.origin, viewport):
            if self._tile_outside_map(size, tx, ty):
                gaps.append(pygame.Rect(sx, sy, TILE, TILE))
                continue
            tile = self.shaded_tiles.peek((size, shading), tx, ty)
            if tile is None and (deadline is None or time.perf_counter() < deadline):
                tile = self.shaded_tiles.get((size, shading), tx, ty, lambda t, wx, wy: self._paint_shaded(t, wx, wy, size, shading))
            if tile is None and previous is not None:
                tile = self.shaded_tiles.peek((size, previous), tx, ty)
            if tile is None:
                spot = pygame.Rect(sx, sy, TILE, TILE)
                missing = spot if missing is None else missing.union(spot)
            else:
                placed.append((tile, (sx, sy)))
        self.complete = missing is None
        clip = surface.get_clip()
        surface.set_clip(viewport)
        for gap in gaps:  # only around the map: a whole-viewport fill costs a small map's frame a millisecond
            surface.fill(style.BACKGROUND, gap)
        if missing is not None:
            surface.fill(style.BACKGROUND, missing)
            self._draw_placeholder(surface, camera, missing.clip(viewport), shading.night)
        surface.blits(placed, doreturn=False)
        surface.set_clip(clip)

    def _tile_outside_map(self, size: int, tx: int, ty: int) -> bool:
        left, top, right, bottom = self.extent.bounds
        return (tx + 1) * TILE < left * size or tx * TILE > right * size or (ty + 1) * TILE < top * size or ty * TILE > bottom * size

    def _draw_placeholder(self, surface: pygame.Surface, camera: Camera, area: pygame.Rect, night: bool) -> None:
        """Stand-in for tiles not painted yet: that part of the overview picture, scaled up."""
        picture, scale = self.overview()
        left, top, _, _ = self.extent.bounds
        ox, oy = camera.origin
        ratio = camera.size / scale

        def to_picture(x: float, y: float) -> tuple[float, float]:
            return ((x - ox) / camera.size - left) * scale, ((y - oy) / camera.size - top) * scale

        x0, y0 = to_picture(area.left, area.top)
        x1, y1 = to_picture(area.right, area.bottom)
        source = pygame.Rect(math.floor(x0), math.floor(y0), math.ceil(x1) - math.floor(x0) + 1, math.ceil(y1) - math.floor(y0) + 1)
        source = source.clip(picture.get_rect())
        if source.width < 1 or source.height < 1:
            return
        target = pygame.Rect(
            round(ox + (source.left / scale + left) * camera.size),
            round(oy + (source.top / scale + top) * camera.size),
            round(source.width * ratio),
            round(source.height * ratio),
        )
        scaled = pygame.transform.scale(picture.subsurface(source), target.size)
        if night:
            scaled.fill(style.NIGHT_TINT, special_flags=pygame.BLEND_RGB_MULT)
        surface.blit(scaled, target)

    def overview(self) -> tuple[pygame.Surface, float]:
        """The whole map's terrain and rivers, at most ``OVERVIEW_SIDE`` pixels long, and its scale.

        Pixel ``(x, y)`` of the picture shows map point ``(x / scale + left, y / scale + top)``.
        Shared by the minimap and the placeholder of unpainted tiles.
        """
        if self._overview is None:
            left, top, right, bottom = self.extent.bounds
            scale = min(OVERVIEW_MAX_SIZE, OVERVIEW_SIDE / (right - left), OVERVIEW_SIDE / (bottom - top))
            picture = pygame.Surface((math.ceil((right - left) * scale), math.ceil((bottom - top) * scale)))
            picture.fill(style.BACKGROUND)
            layout = Layout(scale, (-left * scale, -top * scale))
            offsets = _corner_offsets(scale)
            for h, colour in zip(self.board.hexes, self._fill, strict=True):
                cx, cy = layout.hex_to_pixel(h)
                pygame.draw.polygon(picture, colour, [(cx + dx, cy + dy) for dx, dy in offsets])
            for side, names in self.board.features.items():
                colour, fraction = FEATURE_STYLES.get(names[0], (style.RIVER_BANK, 0.05))
                a, b = layout.hexside_segment(side)
                pygame.draw.line(picture, colour, a, b, max(1, round(scale * fraction * 1.5)))
            self._overview = (picture, scale)
        return self._overview

    # ------------------------------------------------------------ shaded layer
    def _paint_shaded(self, tile: pygame.Surface, wx: int, wy: int, size: int, shading: Shading) -> None:
        terrain = self.terrain_tiles.get(size, wx // TILE, wy // TILE, lambda t, x, y: self._paint_terrain(t, x, y, size))
        tile.blit(terrain, (0, 0))
        hexes = self._tile_hexes(wx, wy, size)
        layout = Layout(float(size), (float(-wx), float(-wy)))
        if shading.seen is not None:
            fogged = [h for h in hexes if h not in shading.seen]
            if len(fogged) == len(hexes) and self._tile_inside_map(size, wx, wy):
                tile.fill(style.FOG_MULTIPLY, special_flags=pygame.BLEND_RGB_MULT)
            else:
                fog = _fog_sprite(size)
                for h in fogged:
                    blit_centered(tile, fog, layout.hex_to_pixel(h), pygame.BLEND_RGB_MULT)
        if shading.zoc:
            hatch = hatch_sprite(size)
            for h in hexes:
                if h in shading.zoc:
                    blit_centered(tile, hatch, layout.hex_to_pixel(h))
        if shading.night:
            tile.fill(style.NIGHT_TINT, special_flags=pygame.BLEND_RGB_MULT)
        if shading.intel is not None:
            shading.intel.paint(tile, layout, hexes)
        if size >= COORDINATE_MIN_SIZE:
            self._paint_coordinates(tile, layout, hexes, size, shading)

    def _paint_coordinates(self, tile: pygame.Surface, layout: Layout, hexes: list[Hex], size: int, shading: Shading) -> None:
        """``col,row`` at the top of each hex, after fog and night: in a shade of the ground as the
        player sees it, dark or light enough for 4.5:1 contrast."""
        for h in hexes:
            ground = self._fill[self.board.index[h]]
            if shading.seen is not None and h not in shading.seen:
                ground = style.multiply(ground, style.FOG_MULTIPLY)
            if shading.night:
                ground = style.multiply(ground, style.NIGHT_TINT)
            cx, cy = layout.hex_to_pixel(h)
            label = style.text(format_hex(h), max(10, size // 4), style.readable_on(ground))
            tile.blit(label, label.get_rect(midtop=(round(cx), round(cy - layout.inner_radius + 2))))

    def _tile_inside_map(self, size: int, wx: int, wy: int) -> bool:
        """Whether the tile lies wholly on hexes (no ragged map edge in it)."""
        left, top, right, bottom = self.extent.bounds
        inside_x = (left + 1.5) * size <= wx and wx + TILE <= (right - 1.5) * size
        return inside_x and (top + 1) * size <= wy and wy + TILE <= (bottom - 1) * size

    def _tile_hexes(self, wx: int, wy: int, size: int) -> list[Hex]:
        rect = (wx / size, wy / size, (wx + TILE) / size, (wy + TILE) / size)
        index = self.board.index
        return [h for h in hexes_in_rect(self.extent, rect) if h in index]

    # ------------------------------------------------------------ terrain layer
    def _paint_terrain(self, tile: pygame.Surface, wx: int, wy: int, size: int) -> None:
        tile.fill(style.BACKGROUND)
        layout = Layout(float(size), (float(-wx), float(-wy)))
        board = self.board
        hexes = self._tile_hexes(wx, wy, size)
        offsets = _corner_offsets(size)
        draw_grid = size >= GRID_MIN_SIZE
        for h in hexes:
            i = board.index[h]
            centre = cx, cy = layout.hex_to_pixel(h)
            corners = [(cx + dx, cy + dy) for dx, dy in offsets]
            pygame.draw.polygon(tile, self._fill[i], corners)
            col, row = h.to_offset()
            mark = terrain_art.symbol(board.terrain[i], size, (col + row) % 2 == 1)
            if mark is not None:
                blit_centered(tile, mark, centre)
            if draw_grid:
                pygame.draw.lines(tile, self._grid[i], True, corners)

        for h in hexes:
            for side, kind in self._roads_by_hex.get(h, ()):
                self._paint_road(tile, layout, side, kind, size)
        for h in hexes:
            for side, feature in self._sides_by_hex.get(h, ()):
                self._paint_feature(tile, layout, side, feature, size)
        for h in hexes:
            for side in self._borders_by_hex.get(h, ()):
                self._paint_border(tile, layout, side, size)
        if size >= LABEL_MIN_SIZE and self.places_in_tiles:
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
        ox, oy = layout.origin
        bounds = tile.get_rect()
        for place in self.place_labels(size):
            placed = place.rect.move(round(ox), round(oy))
            if placed.colliderect(bounds):
                tile.blit(place.label, placed)

    def place_labels(self, size: int) -> list[PlaceLabel]:
        """Place names and where they go at this zoom (world pixels), laid out once for the whole map.

        A name goes below its hex's centre, or above it if that would overlap a name already
        placed; if both would, it is left out at this zoom (zooming in makes room).  Each comes
        with its short form (without its bracket), for a frame whose counters leave no room for
        the whole name (:func:`nomonhan.ui.overlays.frame_places`).
        """
        found = self._placed_labels.get(size)
        if found is None:
            layout = Layout(float(size))
            font_size = min(round(22 * self.text_scale), max(12, round(size * 0.5)))
            found = []
            for name, hex_ in sorted(self.board.places.items(), key=lambda item: (item[1].to_offset()[1], item[1].to_offset()[0])):
                label = style.halo_text(name, font_size, style.INK, style.PAPER, True)
                cx, cy = layout.hex_to_pixel(hex_)
                below = label.get_rect(midtop=(round(cx), round(cy + layout.inner_radius * 0.35)))
                above = label.get_rect(midbottom=(round(cx), round(cy - layout.inner_radius * 0.35)))
                rect = next((r for r in (below, above) if r.collidelist([place.rect for place in found]) < 0), None)
                if rect is not None:
                    short = name.split(" (")[0]
                    brief = label if short == name else style.halo_text(short, font_size, style.INK, style.PAPER, True)
                    found.append(PlaceLabel(label, rect, hex_, brief))
            self._placed_labels[size] = found
        return found


class PlaceLabel(NamedTuple):
    """A place name as the renderer lays it out: the name, where it goes at origin (0, 0), its
    hex, and its short form (the name without its bracket; the same picture if it has none)."""

    label: pygame.Surface
    rect: pygame.Rect
    hex: Hex
    short: pygame.Surface


@lru_cache(maxsize=64)
def _terrain_colour(text: str) -> style.Colour:
    return style.parse_colour(text)


def blit_centered(surface: pygame.Surface, sprite: pygame.Surface, center: tuple[float, float], flags: int = 0) -> None:
    surface.blit(sprite, (round(center[0] - sprite.get_width() / 2), round(center[1] - sprite.get_height() / 2)), special_flags=flags)


@lru_cache(maxsize=64)
def _corner_offsets(size: float) -> tuple[tuple[float, float], ...]:
    """The six corner offsets of a hex of ``size`` (computed once, not per hex)."""
    layout = Layout(size)
    return tuple(layout.corner_offset(i) for i in range(6))


@lru_cache(maxsize=32)
def _fog_sprite(size: int) -> pygame.Surface:
    """A hex of the fog colour on white, blitted with multiply: it darkens only inside the hex."""
    surface = pygame.Surface((2 * size + 1, round(size * 1.7320508) + 2))
    surface.fill((255, 255, 255))
    centre = (size + 0.5, surface.get_height() / 2)
    pygame.draw.polygon(surface, style.FOG_MULTIPLY, [(centre[0] + dx, centre[1] + dy) for dx, dy in _corner_offsets(size)])
    return surface


@lru_cache(maxsize=64)
def hex_sprite(size: int, colour: tuple[int, ...]) -> pygame.Surface:
    """A filled hex of ``size`` in ``colour`` (with alpha), for translucent overlays and highlights."""
    layout = Layout(float(size), (float(size), size * 0.8660254 + 0.5))
    surface = pygame.Surface((2 * size + 1, round(size * 1.7320508) + 2), pygame.SRCALPHA)
    pygame.draw.polygon(surface, colour, layout.corners(Hex(0, 0)))
    return surface


@lru_cache(maxsize=64)
def hatch_sprite(size: int, colour: style.Colour = style.ZOC, rising: bool = True) -> pygame.Surface:
    """Diagonal hatching clipped to a hex: red, rising, is the conventional mark of a zone of control;
    other overlays hatch the other way in their own colour, so two can share a hex."""
    surface = hex_sprite(size, (*colour, 40)).copy()
    mask = hex_sprite(size, (255, 255, 255, 255))
    lines = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    step = max(4, size // 4)
    height = surface.get_height()
    for x in range(-height, surface.get_width(), step):
        start, end = ((x, height), (x + height, 0)) if rising else ((x, 0), (x + height, height))
        pygame.draw.line(lines, (*colour, 150), start, end, max(1, size // 14))
    lines.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
    surface.blit(lines, (0, 0))
    return surface
