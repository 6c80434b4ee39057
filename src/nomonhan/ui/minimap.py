"""The minimap: the whole map in a corner, a dot per unit, and the camera's frame.

Its picture is the renderer's overview, scaled once per minimap size; the dots (a hex and a
colour each: the units the viewer sees in a game, the draft's units in the editor) and the
frame are drawn over it each frame.
"""

from __future__ import annotations

import math

import pygame

from nomonhan.geometry import Layout
from nomonhan.hexgrid import Hex
from nomonhan.ui import style
from nomonhan.ui.camera import Camera
from nomonhan.ui.render_map import MapRenderer

MARGIN = 8
Dots = tuple[tuple[Hex, style.Colour], ...]


class Minimap:
    def __init__(self, renderer: MapRenderer) -> None:
        self.renderer = renderer
        self.extent = renderer.extent
        self.area = pygame.Rect(0, 0, 0, 0)
        self.rect = pygame.Rect(0, 0, 0, 0)
        self._picture: pygame.Surface | None = None
        self._dotted: tuple[Dots, pygame.Surface] | None = None
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

    def draw(self, surface: pygame.Surface, camera: Camera, dots: Dots) -> None:
        if self.rect.width < 4 or self.rect.height < 4:
            return
        surface.fill(style.PANEL, self.area.inflate(2 * MARGIN, 2 * MARGIN))
        surface.blit(self._with_dots(dots), self.rect)
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

    def _with_dots(self, dots: Dots) -> pygame.Surface:
        """The picture with its dots, redrawn only when they change."""
        if self._picture is None:
            self._picture = self._paint()
            self._dotted = None
        if self._dotted is None or self._dotted[0] != dots:
            picture = self._picture.copy()
            layout = Layout(self._layout.size, (self._layout.origin[0] - self.rect.left, self._layout.origin[1] - self.rect.top))
            dot = max(2, round(layout.size * 0.7))
            for hex_, colour in dots:
                x, y = layout.hex_to_pixel(hex_)
                pygame.draw.rect(picture, style.INK, (round(x) - dot // 2 - 1, round(y) - dot // 2 - 1, dot + 2, dot + 2))
                pygame.draw.rect(picture, colour, (round(x) - dot // 2, round(y) - dot // 2, dot, dot))
            self._dotted = (dots, picture)
        return self._dotted[1]

    def _paint(self) -> pygame.Surface:
        picture, _ = self.renderer.overview()
        return pygame.transform.smoothscale(picture, self.rect.size)
