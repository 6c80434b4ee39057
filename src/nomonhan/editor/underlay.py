"""A reference image under the grid (a scanned 1939 map, a satellite picture) to trace terrain over.

It lives in *map units* (the camera's units: hex size 1, hex 0,0's centre at the origin), so it
stays put under the hexes at every zoom.  It is not part of the scenario (players never see
it), but placing it is work: its image and placement are kept in a small JSON file beside the
scenario (``NAME.underlay.json``), written when the scenario is saved or the editor closed, and
read when the scenario is opened again.  With a georeferenced map it can be placed exactly by
the latitudes and longitudes of its edges.
"""

from __future__ import annotations

import io
import json
import math
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame

from nomonhan import safeio
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
        """Read a PNG and fit it over the whole map; ValueError naming the file if it cannot be used."""
        underlay = cls(read_png(Path(path)), Path(path))
        underlay.fit(extent)
        return underlay

    def save_beside(self, scenario_path: Path) -> Path:
        """Write the image's path (relative to the scenario's folder) and placement, atomically."""
        sidecar = sidecar_path(scenario_path)
        image = os.path.relpath(self.path.resolve(), sidecar.parent.resolve())
        settings = {
            "image": Path(image).as_posix(),
            "left": self.left,
            "top": self.top,
            "scale": self.scale,
            "opacity": self.opacity,
            "visible": self.visible,
        }
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
            settings = safeio.read_json(sidecar, MAX_SIDECAR_BYTES)
            if not isinstance(settings, dict) or not isinstance(settings.get("image"), str):
                raise ValueError("it is not an object naming an 'image'")
            left, top, scale = (_number(settings, key) for key in ("left", "top", "scale"))
            if not (abs(left) <= MAX_PLACEMENT and abs(top) <= MAX_PLACEMENT and MIN_SCALE <= scale <= MAX_SCALE):
                raise ValueError(
                    f"its placement is out of range (|left|, |top| at most {MAX_PLACEMENT:g}; scale {MIN_SCALE:g} to {MAX_SCALE:g})"
                )
            image_path = sidecar.parent / settings["image"]
            underlay = cls(read_png(image_path), image_path, left, top, scale)
            underlay.opacity = min(max(_number(settings, "opacity", 0.6), 0.0), 1.0)
            underlay.visible = bool(settings.get("visible", True))
        except (safeio.FileRefused, ValueError) as exc:
            raise ValueError(f"{sidecar}: cannot restore the underlay ({exc})") from None
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
        screen = pygame.Rect(
            round(ox + self.left * size), round(oy + self.top * size), max(1, round(width * px)), max(1, round(height * px))
        )
        shown = screen.clip(pygame.Rect(camera.viewport))
        if shown.width <= 0 or shown.height <= 0:
            return
        source = pygame.Rect(
            math.floor((shown.left - screen.left) / px),
            math.floor((shown.top - screen.top) / px),
            math.ceil(shown.width / px) + 1,
            math.ceil(shown.height / px) + 1,
        ).clip(self.image.get_rect())
        if source.width <= 0 or source.height <= 0:
            return
        target = pygame.Rect(
            round(screen.left + source.left * px),
            round(screen.top + source.top * px),
            max(1, round(source.width * px)),
            max(1, round(source.height * px)),
        )
        part = pygame.transform.scale(self.image.subsurface(source), target.size)
        part.set_alpha(round(255 * self.opacity))
        clip = surface.get_clip()
        surface.set_clip(shown)
        surface.blit(part, target)
        surface.set_clip(clip)


MAX_SIDECAR_BYTES = 100_000
MAX_PLACEMENT = 1e6
"""Map units (a hex is about 1.7 across): far beyond any map, small enough for screen integers."""
MIN_SCALE, MAX_SCALE = 1e-4, 1e3
MAX_IMAGE_BYTES = 100_000_000
MAX_IMAGE_SIDE = 16_384
MAX_IMAGE_PIXELS = 40_000_000
"""A 40-megapixel image takes 160 MB once decoded; a big map scan is 10 to 30 megapixels."""
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _number(settings: dict[str, Any], key: str, default: float | None = None) -> float:
    value = settings.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"its {key!r} is not a finite number")
    return float(value)


def png_size(header: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's first 24 bytes (the signature and the IHDR chunk)."""
    if len(header) < 24 or header[:8] != _PNG_SIGNATURE or header[12:16] != b"IHDR":
        raise ValueError("it is not a PNG image")
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def read_png(path: Path) -> pygame.Surface:
    """A PNG as a Surface; its size is checked in its header before a pixel is decoded.

    ValueError naming the file when it is missing, not a PNG, too big or damaged.
    """
    try:
        data = safeio.read_bytes(path, MAX_IMAGE_BYTES)
        width, height = png_size(data[:24])
        if not (0 < width <= MAX_IMAGE_SIDE and 0 < height <= MAX_IMAGE_SIDE and width * height <= MAX_IMAGE_PIXELS):
            raise ValueError(f"the image is {width} x {height} pixels; at most {MAX_IMAGE_SIDE} a side and {MAX_IMAGE_PIXELS:,} in all")
        return pygame.image.load(io.BytesIO(data), path.name)
    except (safeio.FileRefused, ValueError, pygame.error) as exc:
        raise ValueError(f"cannot load {path}: {exc}") from None


def sidecar_path(scenario_path: Path) -> Path:
    """``maps/khasan.yaml`` -> ``maps/khasan.underlay.json``."""
    return scenario_path.with_name(f"{scenario_path.stem}.underlay.json")
