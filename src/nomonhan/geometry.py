"""Hex <-> pixel layout for flat-topped hexes (Red Blob Games' orientation-matrix model).

This module is pure arithmetic on floats and :class:`~nomonhan.hexgrid.Hex`; it deliberately
does not import pygame.  The rules core must stay headless (simulations, tests and servers run
without a display), and keeping the layout here rather than in :mod:`nomonhan.ui` means that
hit-testing, map exports and tests can share one definition of where a hex is on screen.

Conventions match :mod:`nomonhan.hexgrid`: flat-topped hexes, north up, odd-q offset.  Screen
``y`` grows downward, so "north" is smaller ``y`` and odd columns (half a hex lower) have larger
``y`` than their even neighbours in the same offset row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nomonhan.hexgrid import Direction, Hex, Hexside, round_fractional

_SQRT3 = math.sqrt(3.0)

Point = tuple[float, float]


@dataclass(frozen=True)
class Orientation:
    """The forward (``f``) and inverse (``b``) 2x2 matrices and the first corner's angle.

    Kept as data, as Red Blob Games does, so that the conversion code reads as two matrix
    products and a pointy-topped variant would only need another constant.
    """

    f0: float
    f1: float
    f2: float
    f3: float
    b0: float
    b1: float
    b2: float
    b3: float
    start_angle: float  # in multiples of 60 degrees


FLAT = Orientation(
    f0=3.0 / 2.0,
    f1=0.0,
    f2=_SQRT3 / 2.0,
    f3=_SQRT3,
    b0=2.0 / 3.0,
    b1=0.0,
    b2=-1.0 / 3.0,
    b3=_SQRT3 / 3.0,
    start_angle=0.0,
)
"""Flat-topped orientation: the first corner points east, corners then run clockwise on screen."""

# Corner ``i`` of a flat-topped hex lies at screen angle ``60 * i`` degrees with y growing down:
# 0 = E, 1 = lower right, 2 = lower left, 3 = W, 4 = upper left, 5 = upper right.  The edge
# facing direction ``d`` (N = 0, clockwise) therefore joins corners ``d + 4`` and ``d + 5``.
_EDGE_CORNER_OFFSET = 4


@dataclass(frozen=True)
class Layout:
    """Where hexes sit on screen.

    ``size`` is the centre-to-corner radius in pixels (so a hex is ``2 * size`` wide and
    ``sqrt(3) * size`` tall); ``origin`` is the pixel position of the centre of ``Hex(0, 0)``.
    Frozen so a layout can be shared, hashed and cached without anyone moving the map under
    somebody else's feet; zooming or panning makes a new layout.
    """

    size: float
    origin: Point = (0.0, 0.0)
    orientation: Orientation = FLAT

    @property
    def inner_radius(self) -> float:
        """Centre-to-edge distance (the apothem): the radius of the circle inside the hex."""
        return self.size * _SQRT3 / 2.0

    def hex_to_pixel(self, h: Hex) -> Point:
        """The pixel centre of ``h``."""
        o = self.orientation
        x = (o.f0 * h.q + o.f1 * h.r) * self.size
        y = (o.f2 * h.q + o.f3 * h.r) * self.size
        return x + self.origin[0], y + self.origin[1]

    def pixel_to_fractional(self, x: float, y: float) -> tuple[float, float]:
        """Fractional axial ``(q, r)`` of a pixel (the inverse matrix, no rounding)."""
        o = self.orientation
        px = (x - self.origin[0]) / self.size
        py = (y - self.origin[1]) / self.size
        return o.b0 * px + o.b1 * py, o.b2 * px + o.b3 * py

    def pixel_to_hex(self, x: float, y: float) -> Hex:
        """The hex containing pixel ``(x, y)`` (for mouse hit-testing)."""
        return round_fractional(*self.pixel_to_fractional(x, y))

    def corner_offset(self, corner: int) -> Point:
        """Offset of corner ``corner`` (0..5, clockwise on screen from east) from the centre."""
        angle = 2.0 * math.pi * (self.orientation.start_angle + corner) / 6.0
        return self.size * math.cos(angle), self.size * math.sin(angle)

    def corners(self, h: Hex) -> list[Point]:
        """The six corners of ``h``, clockwise on screen starting from the east corner."""
        cx, cy = self.hex_to_pixel(h)
        result = []
        for i in range(6):
            dx, dy = self.corner_offset(i)
            result.append((cx + dx, cy + dy))
        return result

    def edge_corners(self, h: Hex, direction: Direction | int) -> tuple[Point, Point]:
        """The two corners of ``h`` bounding its edge towards ``direction``."""
        corners = self.corners(h)
        first = (int(direction) + _EDGE_CORNER_OFFSET) % 6
        return corners[first], corners[(first + 1) % 6]

    def hexside_segment(self, hexside: Hexside) -> tuple[Point, Point]:
        """The segment shared by the two hexes of ``hexside`` (for drawing rivers, borders).

        Computed from the ``low`` hex's corners; the same points (up to float rounding) are
        corners of the ``high`` hex too, so the side never drifts between the two views.
        """
        direction = hexside.low.direction_to(hexside.high)
        return self.edge_corners(hexside.low, direction)
