"""A reference image under the grid (a scanned 1939 map, a satellite picture) to trace terrain over.

It lives in *map units* (the camera's units: hex size 1, hex 0,0's centre at the origin), so it
stays put under the hexes at every zoom.  It is not part of the scenario (players never see
it), but placing it is work: its image and placement are kept in a small JSON file beside the
scenario (``NAME.underlay.json``), written when the scenario is saved or the editor closed, and
read when the scenario is opened again.  With a georeferenced map it can be placed exactly by
the latitudes and longitudes of its edges.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import pygame

from nomonhan.fileio import write_atomic
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

    def save_beside(self, scenario_path: Path) -> Path:
        """Write the image's path (relative to the scenario's folder) and placement, atomically."""
        sidecar = sidecar_path(scenario_path)
        image = os.path.relpath(self.path.resolve(), sidecar.parent.resolve())
        settings = {"image": Path(image).as_posix(), "left": self.left, "top": self.top, "scale": self.scale,
                    "opacity": self.opacity, "visible": self.visible}
        write_atomic(sidecar, json.dumps(settings, indent=2) + "\n")
        return sidecar

    @classmethod
    def restore(cls, scenario_path: Path) -> Underlay | None:
        """The underlay saved beside ``scenario_path``, or None if there is none.

        Raises ``ValueError`` naming the file when the settings or the image cannot be read.
        """
        sidecar = sidecar_path(scenario_path)
        if not sidecar.exists():
            return None
        try:
            settings = json.loads(sidecar.read_text(encoding="utf-8"))
            image_path = sidecar.parent / settings["image"]
            underlay = cls(pygame.image.load(str(image_path)), image_path)
            underlay.left, underlay.top = float(settings["left"]), float(settings["top"])
            underlay.scale = float(settings["scale"])
            underlay.opacity = min(max(float(settings.get("opacity", 0.6)), 0.0), 1.0)
            underlay.visible = bool(settings.get("visible", True))
        except (OSError, pygame.error, ValueError, TypeError, KeyError) as exc:
            raise ValueError(f"{sidecar}: cannot restore the underlay ({type(exc).__name__}: {exc})") from None
        if underlay.scale <= 0 or not all(map(math.isfinite, (underlay.left, underlay.top, underlay.scale))):
            raise ValueError(f"{sidecar}: cannot restore the underlay (its placement is not a finite positive scale)")
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


def sidecar_path(scenario_path: Path) -> Path:
    """``maps/khasan.yaml`` -> ``maps/khasan.underlay.json``."""
    return scenario_path.with_name(f"{scenario_path.stem}.underlay.json")
