"""The supply and threat overlays, painted into the map's shaded tiles rather than every frame.

The supply tint and its edge, cut-off pockets, the enemy's reach (falling hatch) and the guns'
range (dots) change only when the game state does, yet drawn sprite by sprite they cost a
frame several milliseconds on a map full of them.  An :class:`IntelLayer` is part of the shaded
tiles' key (:class:`~nomonhan.ui.render_map.Shading`): equal only to itself, and kept by the
:class:`~nomonhan.ui.overlays.Highlights` while the picture and the layers shown stay the same,
so the tiles are painted once per state and then only blitted.  The labels (``no supply 2
turns``, ``cut off``) stay over the counters, drawn each frame by the overlays.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pygame

from nomonhan.geometry import Layout
from nomonhan.hexgrid import Hex
from nomonhan.ui import style
from nomonhan.ui.intel import Intel
from nomonhan.ui.render_map import blit_centered, hatch_sprite, hex_sprite


@dataclass(frozen=True, eq=False)
class IntelLayer:
    """One side's picture and the overlays switched on (``supply``, ``reach``, ``guns``)."""

    intel: Intel
    layers: frozenset[str]

    def paint(self, tile: pygame.Surface, layout: Layout, hexes: list[Hex]) -> None:
        """Paint the overlays of ``hexes`` (those a tile shows) onto it, ``layout`` placing them."""
        intel, layers = self.intel, self.layers
        size = round(layout.size)
        here = frozenset(hexes)
        if "supply" in layers:
            tint = hex_sprite(size, (*style.SUPPLIED, 48))
            for hex_ in hexes:
                if hex_ in intel.supplied:
                    blit_centered(tile, tint, layout.hex_to_pixel(hex_))
            edge = max(2, size // 8)  # where supply ends: dashes (a river is a solid line) that read by night too
            for side in intel.supply_edge:
                if side.low in here or side.high in here:
                    (ax, ay), (bx, by) = layout.hexside_segment(side)
                    start, end = (ax + (bx - ax) * 0.2, ay + (by - ay) * 0.2), (ax + (bx - ax) * 0.8, ay + (by - ay) * 0.8)
                    pygame.draw.line(tile, style.SUPPLIED, start, end, edge)
            pocket = hex_sprite(size, (*style.POCKET, 80))
            width = max(2, size // 9)
            for group in intel.pockets:
                for hex_ in group & here:
                    blit_centered(tile, pocket, layout.hex_to_pixel(hex_))
                    pygame.draw.lines(tile, style.POCKET, True, layout.corners(hex_), width)
            for hex_ in intel.cut_off.keys() & here:
                pygame.draw.lines(tile, style.POCKET, True, layout.corners(hex_), width)
        if "reach" in layers:
            hatch = hatch_sprite(size, style.ENEMY_REACH, rising=False)
            for hex_ in hexes:
                if hex_ in intel.enemy_reach:
                    blit_centered(tile, hatch, layout.hex_to_pixel(hex_))
        if "guns" in layers:
            dot = _dot(max(3, size // 7), style.GUN_RANGE)
            for hex_ in hexes:
                if hex_ in intel.gun_range:
                    cx, cy = layout.hex_to_pixel(hex_)
                    blit_centered(tile, dot, (cx, cy - layout.inner_radius * 0.72))


@lru_cache(maxsize=16)
def _dot(radius: int, colour: style.Colour) -> pygame.Surface:
    surface = pygame.Surface((2 * radius + 2, 2 * radius + 2), pygame.SRCALPHA)
    pygame.draw.circle(surface, style.INK, (radius + 1, radius + 1), radius + 1)
    pygame.draw.circle(surface, colour, (radius + 1, radius + 1), radius)
    return surface
