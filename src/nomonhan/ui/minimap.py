"""The minimap: the whole map in a corner, the units the viewer sees, and the camera's frame.

The terrain picture is painted once per minimap size.  Hexes are drawn as polygons when they
are at least a few pixels across; on big maps, where a hex is smaller than that, a filled
rectangle per hex looks the same and costs a fifth.
"""

from __future__ import annotations

import math

import pygame

from nomonhan.geometry import Layout
from nomonhan.hexgrid import Hex
from nomonhan.scenario.load import Scenario
from nomonhan.ui import style
from nomonhan.ui.camera import Camera, MapExtent
from nomonhan.ui.render_map import FEATURE_STYLES
from nomonhan.ui.view import MapView

POLYGON_MIN_SIZE = 3.0


class Minimap:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.extent = MapExtent(scenario.board.columns, scenario.board.rows)
        self.rect = pygame.Rect(0, 0, 0, 0)
        self._picture: pygame.Surface | None = None
        self._layout = Layout(1.0)

    def place(self, area: pygame.Rect) -> None:
        """Fit the minimap into ``area`` keeping the map's proportions."""
        left, top, right, bottom = self.extent.bounds
        scale = min(area.width / (right - left), area.height / (bottom - top))
        width, height = math.floor((right - left) * scale), math.floor((bottom - top) * scale)
        rect = pygame.Rect(0, 0, width, height)
        rect.center = area.center
        if rect != self.rect:
            self.rect = rect
            self._layout = Layout(scale, (rect.left - left * scale, rect.top - top * scale))
            self._picture = None

    def to_map_units(self, x: float, y: float) -> tuple[float, float]:
        ox, oy = self._layout.origin
        return (x - ox) / self._layout.size, (y - oy) / self._layout.size

    def draw(self, surface: pygame.Surface, view: MapView, camera: Camera, colours: dict[str, style.Colour]) -> None:
        if self.rect.width < 4 or self.rect.height < 4:
            return
        if self._picture is None:
            self._picture = self._paint()
        surface.blit(self._picture, self.rect)
        layout = self._layout
        dot = max(2, round(layout.size * 0.7))
        for unit in view.units:
            x, y = layout.hex_to_pixel(unit.hex)  # type: ignore[arg-type]
            pygame.draw.rect(surface, style.INK, (round(x) - dot // 2 - 1, round(y) - dot // 2 - 1, dot + 2, dot + 2))
            pygame.draw.rect(surface, colours.get(unit.side, style.NEUTRAL), (round(x) - dot // 2, round(y) - dot // 2, dot, dot))
        left, top, right, bottom = camera.visible_map_rect()
        ox, oy = layout.origin
        s = layout.size
        frame = pygame.Rect(round(ox + left * s), round(oy + top * s), round((right - left) * s), round((bottom - top) * s))
        clip = surface.get_clip()
        surface.set_clip(self.rect)
        pygame.draw.rect(surface, style.PAPER, frame, 2)
        surface.set_clip(clip)
        pygame.draw.rect(surface, style.INK, self.rect, 1)

    def _paint(self) -> pygame.Surface:
        board = self.scenario.board
        picture = pygame.Surface(self.rect.size)
        picture.fill(style.BACKGROUND)
        layout = Layout(self._layout.size, (self._layout.origin[0] - self.rect.left, self._layout.origin[1] - self.rect.top))
        s = layout.size
        for hex_, terrain in zip(board.hexes, board.terrain):
            colour = style.parse_colour(terrain.colour)
            if s >= POLYGON_MIN_SIZE:
                pygame.draw.polygon(picture, colour, layout.corners(hex_))
            else:
                x, y = layout.hex_to_pixel(hex_)
                pygame.draw.rect(picture, colour, (math.floor(x - s * 0.75), math.floor(y - s * 0.87), math.ceil(s * 1.5) + 1, math.ceil(s * 1.74) + 1))
        for side, names in board.features.items():
            colour, fraction = FEATURE_STYLES.get(names[0], (style.RIVER_BANK, 0.05))
            a, b = layout.hexside_segment(side)
            pygame.draw.line(picture, colour, a, b, max(1, round(s * fraction * 2)))
        return picture

    def hex_at(self, x: float, y: float) -> Hex:
        return self._layout.pixel_to_hex(x, y)
