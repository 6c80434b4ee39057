"""The minimap: the whole map in a corner, the units the viewer sees, and the camera's frame.

Its picture is the renderer's overview, scaled once per minimap size; units and the frame are
drawn over it each frame.
"""

from __future__ import annotations

import math

import pygame

from nomonhan.geometry import Layout
from nomonhan.ui import style
from nomonhan.ui.camera import Camera
from nomonhan.ui.render_map import MapRenderer
from nomonhan.ui.view import MapView

MARGIN = 8


class Minimap:
    def __init__(self, renderer: MapRenderer) -> None:
        self.renderer = renderer
        self.extent = renderer.extent
        self.area = pygame.Rect(0, 0, 0, 0)
        self.rect = pygame.Rect(0, 0, 0, 0)
        self._picture: pygame.Surface | None = None
        self._dotted: tuple[MapView, pygame.Surface] | None = None
        self._layout = Layout(1.0)

    def place(self, area: pygame.Rect) -> None:
        """Fit the minimap into ``area`` keeping the map's proportions."""
        self.area = pygame.Rect(area)
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
        surface.fill(style.PANEL, self.area.inflate(2 * MARGIN, 2 * MARGIN))
        surface.blit(self._with_units(view, colours), self.rect)
        layout = self._layout
        left, top, right, bottom = camera.visible_map_rect()
        ox, oy = layout.origin
        s = layout.size
        frame = pygame.Rect(round(ox + left * s), round(oy + top * s), round((right - left) * s), round((bottom - top) * s))
        clip = surface.get_clip()
        surface.set_clip(self.rect)
        pygame.draw.rect(surface, style.PAPER, frame, 2)
        surface.set_clip(clip)
        pygame.draw.rect(surface, style.INK, self.rect, 1)

    def _with_units(self, view: MapView, colours: dict[str, style.Colour]) -> pygame.Surface:
        """The picture with a dot per unit seen, redrawn only when the view changes."""
        if self._picture is None:
            self._picture = self._paint()
            self._dotted = None
        if self._dotted is None or self._dotted[0] is not view:
            picture = self._picture.copy()
            layout = Layout(self._layout.size, (self._layout.origin[0] - self.rect.left, self._layout.origin[1] - self.rect.top))
            dot = max(2, round(layout.size * 0.7))
            for unit in view.units:
                x, y = layout.hex_to_pixel(unit.hex)  # type: ignore[arg-type]
                pygame.draw.rect(picture, style.INK, (round(x) - dot // 2 - 1, round(y) - dot // 2 - 1, dot + 2, dot + 2))
                pygame.draw.rect(picture, colours.get(unit.side, style.NEUTRAL), (round(x) - dot // 2, round(y) - dot // 2, dot, dot))
            self._dotted = (view, picture)
        return self._dotted[1]

    def _paint(self) -> pygame.Surface:
        picture, _ = self.renderer.overview()
        return pygame.transform.smoothscale(picture, self.rect.size)
