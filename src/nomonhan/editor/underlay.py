"""A reference image under the grid (a scanned 1939 map, a satellite picture) to trace terrain over.

It lives in *map units* (the camera's units: hex size 1, hex 0,0's centre at the origin), so it
stays put under the hexes at every zoom.  It belongs to the editing session, not the scenario:
nothing of it is written to the file.  With a georeferenced map it can be placed exactly by the
latitudes and longitudes of its edges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pygame

from nomonhan.scenario.geomap import GeoGrid
from nomonhan.ui.camera import Camera, MapExtent


@dataclass
class Underlay:
    image: pygame.Surface
    path: Path
    left: float = 0.0
    top: float = 0.0
    scale: float = 0.05
    """Map units per image pixel."""
    opacity: float = 0.6
    visible: bool = True

    @classmethod
    def load(cls, path: str | Path, extent: MapExtent) -> Underlay:
        """Read a PNG (or any image pygame reads) and fit it over the whole map."""
        image = pygame.image.load(str(path))
        underlay = cls(image, Path(path))
        underlay.fit(extent)
        return underlay

    def fit(self, extent: MapExtent) -> None:
        """Stretch-free fit: the image covers the map's width or height, centred on it."""
        left, top, right, bottom = extent.bounds
        width, height = self.image.get_size()
        self.scale = max((right - left) / width, (bottom - top) / height)
        self.left = (left + right) / 2 - width * self.scale / 2
        self.top = (top + bottom) / 2 - height * self.scale / 2

    def place_by_bounds(self, grid: GeoGrid, north: float, west: float, south: float, east: float) -> None:
        """Put the image's corners at these latitudes and longitudes (the map's own projection).

        The image keeps its proportions: the scale is set from its width, and the height follows.
        """
        size = grid.layout.size  # km per map unit
        x0, y0 = grid.km_point(north, west)
        x1, _y1 = grid.km_point(south, east)
        if x1 <= x0 or south >= north:
            raise ValueError("the bounds must have north above south and west left of east")
        self.left, self.top = x0 / size, y0 / size
        self.scale = (x1 - x0) / size / self.image.get_width()

    def move(self, dx: float, dy: float) -> None:
        self.left += dx
        self.top += dy

    def zoom(self, factor: float, around: tuple[float, float]) -> None:
        """Scale by ``factor`` keeping the map point ``around`` fixed."""
        ax, ay = around
        self.left = ax + (self.left - ax) * factor
        self.top = ay + (self.top - ay) * factor
        self.scale *= factor

    def draw(self, surface: pygame.Surface, camera: Camera) -> None:
        """Blit the part of the image in the viewport, scaled to the camera's zoom, at ``opacity``."""
        if not self.visible:
            return
        size = camera.size
        ox, oy = camera.origin
        width, height = self.image.get_size()
        px = size * self.scale
        screen = pygame.Rect(round(ox + self.left * size), round(oy + self.top * size), max(1, round(width * px)), max(1, round(height * px)))
        shown = screen.clip(pygame.Rect(camera.viewport))
        if shown.width <= 0 or shown.height <= 0:
            return
        source = pygame.Rect(math.floor((shown.left - screen.left) / px), math.floor((shown.top - screen.top) / px),
                             math.ceil(shown.width / px) + 1, math.ceil(shown.height / px) + 1).clip(self.image.get_rect())
        if source.width <= 0 or source.height <= 0:
            return
        target = pygame.Rect(round(screen.left + source.left * px), round(screen.top + source.top * px),
                             max(1, round(source.width * px)), max(1, round(source.height * px)))
        part = pygame.transform.scale(self.image.subsurface(source), target.size)
        part.set_alpha(round(255 * self.opacity))
        clip = surface.get_clip()
        surface.set_clip(shown)
        surface.blit(part, target)
        surface.set_clip(clip)
