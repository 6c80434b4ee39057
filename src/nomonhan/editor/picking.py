"""Which hexside a pointer is on: drawing rivers and borders is clicking near hex edges."""

from __future__ import annotations

import math

from nomonhan.geometry import Layout
from nomonhan.hexgrid import Direction, Hexside


def nearest_hexside(layout: Layout, x: float, y: float) -> Hexside:
    """The hexside whose midpoint is nearest the pixel: an edge of the hex under the pointer."""
    hex_ = layout.pixel_to_hex(x, y)
    best: tuple[float, Hexside] | None = None
    for direction in Direction:
        side = Hexside.of(hex_, direction)
        (ax, ay), (bx, by) = layout.hexside_segment(side)
        d = math.dist((x, y), ((ax + bx) / 2, (ay + by) / 2))
        if best is None or d < best[0]:
            best = (d, side)
    assert best is not None
    return best[1]


def hexsides_between(layout: Layout, start: tuple[float, float], end: tuple[float, float]) -> list[Hexside]:
    """The hexsides met sampling the pointer's path from ``start`` to ``end`` (a fast drag skips none)."""
    steps = max(1, math.ceil(math.dist(start, end) / max(2.0, layout.size / 3)))
    sides: list[Hexside] = []
    for n in range(1, steps + 1):
        t = n / steps
        side = nearest_hexside(layout, start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t)
        if not sides or sides[-1] != side:
            sides.append(side)
    return sides
