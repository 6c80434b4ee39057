"""The camera: which part of the map the viewport shows, and at what zoom.

Zoom is a small set of fixed hex sizes rather than a free scale, so the static map layer can be
cached per level (a free scale would invalidate the cache on every wheel click).  The centre is
kept in *map units* (pixels divided by the hex size), so it stays put when the zoom changes.
The screen layout's origin is rounded to whole pixels, so cached tiles land on exact pixels and
never shimmer while scrolling.  All hex <-> pixel arithmetic goes through
:class:`nomonhan.geometry.Layout`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from nomonhan.geometry import Layout
from nomonhan.hexgrid import Hex

ZOOM_SIZES: tuple[int, ...] = (7, 9, 12, 16, 21, 27, 34, 43, 54, 68)
"""Hex sizes (centre to corner, pixels) of the zoom levels, smallest first."""
READABLE_ZOOM = 6
"""The first zoom level whose counters show their factors: where a game opens on a big map."""

_SQRT3 = math.sqrt(3.0)


@dataclass(frozen=True)
class MapExtent:
    """The size of the hex rectangle in map units: hex (0, 0)'s centre is the origin."""

    columns: int
    rows: int

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(left, top, right, bottom)`` of the map's outline in map units."""
        half_height = _SQRT3 / 2
        right = 1.5 * (self.columns - 1) + 1
        bottom = _SQRT3 * (self.rows - 1) + half_height + (half_height if self.columns > 1 else 0)
        return -1.0, -half_height, right, bottom


class Camera:
    """Pan and zoom over one map shown in a viewport rectangle of the window."""

    def __init__(self, extent: MapExtent, viewport: tuple[int, int, int, int], zoom: int | None = None) -> None:
        self.extent = extent
        self.viewport = viewport
        left, top, right, bottom = extent.bounds
        self.center = ((left + right) / 2, (top + bottom) / 2)
        self.zoom = self.fitting_zoom() if zoom is None else zoom

    # ---- state
    @property
    def size(self) -> int:
        return ZOOM_SIZES[self.zoom]

    @property
    def origin(self) -> tuple[int, int]:
        """Screen pixel of hex (0, 0)'s centre."""
        x, y, w, h = self.viewport
        return round(x + w / 2 - self.center[0] * self.size), round(y + h / 2 - self.center[1] * self.size)

    def layout(self) -> Layout:
        origin = self.origin
        return Layout(float(self.size), (float(origin[0]), float(origin[1])))

    def fitting_zoom(self) -> int:
        """The largest zoom that shows the whole map, but never so small that counters are unreadable."""
        left, top, right, bottom = self.extent.bounds
        _, _, w, h = self.viewport
        for level in range(len(ZOOM_SIZES) - 1, -1, -1):
            size = ZOOM_SIZES[level]
            if (right - left) * size <= w and (bottom - top) * size <= h:
                return max(level, READABLE_ZOOM)
        return READABLE_ZOOM

    # ---- conversions
    def hex_at(self, x: float, y: float) -> Hex:
        return self.layout().pixel_to_hex(x, y)

    def hex_center(self, hex_: Hex) -> tuple[float, float]:
        return self.layout().hex_to_pixel(hex_)

    def to_map_units(self, x: float, y: float) -> tuple[float, float]:
        ox, oy = self.origin
        return (x - ox) / self.size, (y - oy) / self.size

    # ---- movement
    def pan(self, dx: float, dy: float) -> None:
        """Move the map by ``(dx, dy)`` screen pixels (drag direction)."""
        self.center = (self.center[0] - dx / self.size, self.center[1] - dy / self.size)
        self._clamp()

    def zoom_at(self, steps: int, screen_point: tuple[float, float] | None = None) -> None:
        """Change zoom by ``steps`` levels, keeping the map point under ``screen_point`` still."""
        new_zoom = min(max(self.zoom + steps, 0), len(ZOOM_SIZES) - 1)
        if new_zoom == self.zoom:
            return
        x, y, w, h = self.viewport
        point = screen_point or (x + w / 2, y + h / 2)
        held = self.to_map_units(*point)
        self.zoom = new_zoom
        size = self.size
        self.center = ((x + w / 2 - point[0]) / size + held[0], (y + h / 2 - point[1]) / size + held[1])
        self._clamp()

    def center_on(self, hex_: Hex) -> None:
        px, py = Layout(1.0).hex_to_pixel(hex_)
        self.center = (px, py)
        self._clamp()

    def look_at_map_units(self, point: tuple[float, float]) -> None:
        self.center = point
        self._clamp()

    def set_viewport(self, viewport: tuple[int, int, int, int]) -> None:
        self.viewport = viewport
        self._clamp()

    def _clamp(self) -> None:
        """Keep the map in view; along an axis where it fits entirely, keep it centred."""
        left, top, right, bottom = self.extent.bounds
        _, _, w, h = self.viewport
        x = (left + right) / 2 if (right - left) * self.size <= w else min(max(self.center[0], left), right)
        y = (top + bottom) / 2 if (bottom - top) * self.size <= h else min(max(self.center[1], top), bottom)
        self.center = (x, y)

    # ---- what is on screen
    def visible_map_rect(self) -> tuple[float, float, float, float]:
        """The viewport in map units: ``(left, top, right, bottom)``."""
        x, y, w, h = self.viewport
        left, top = self.to_map_units(x, y)
        right, bottom = self.to_map_units(x + w, y + h)
        return left, top, right, bottom

    def visible_hexes(self) -> Iterator[Hex]:
        """Hexes that may show in the viewport (the editor's grid walks these)."""
        return hexes_in_rect(self.extent, self.visible_map_rect())


def hexes_in_rect(extent: MapExtent, rect: tuple[float, float, float, float], margin: float = 1.0) -> Iterator[Hex]:
    """Map hexes whose outline may touch ``rect`` (map units), padded by ``margin`` hexes."""
    left, top, right, bottom = rect
    col_low = max(0, math.floor((left - margin) / 1.5))
    col_high = min(extent.columns - 1, math.ceil((right + margin) / 1.5))
    row_low = max(0, math.floor((top - margin) / _SQRT3) - 1)
    row_high = min(extent.rows - 1, math.ceil((bottom + margin) / _SQRT3))
    for col in range(col_low, col_high + 1):
        for row in range(row_low, row_high + 1):
            yield Hex.from_offset(col, row)
