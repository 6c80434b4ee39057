"""A least-recently-used cache of square map tiles, painted on demand.

The map is cut into fixed squares of *world* pixels at one zoom level (world: hex (0, 0)'s
centre at pixel (0, 0)).  A frame only blits the tiles it needs; a tile is painted once and kept
until the cache is full.  Tiles rather than one big surface, because a 400 x 400 hex map at high
zoom would be tens of thousands of pixels wide.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator

import pygame

TILE = 256
"""Tile side in pixels: small enough that a scroll paints little, big enough to blit few."""

Painter = Callable[[pygame.Surface, int, int], None]
"""``paint(surface, world_x, world_y)``: draw the tile whose top-left is that world pixel."""


class TileCache:
    def __init__(self, capacity: int = 192) -> None:
        self.capacity = capacity
        self._tiles: OrderedDict[Hashable, pygame.Surface] = OrderedDict()

    def peek(self, key: Hashable, tx: int, ty: int) -> pygame.Surface | None:
        """The tile if it is cached (marking it recently used), else None."""
        full_key = (key, tx, ty)
        tile = self._tiles.get(full_key)
        if tile is not None:
            self._tiles.move_to_end(full_key)
        return tile

    def get(self, key: Hashable, tx: int, ty: int, paint: Painter) -> pygame.Surface:
        """The tile ``(tx, ty)`` of the layer named ``key``, painting it if it is not cached.

        When the cache is full, the least recently used tile's surface is painted over rather
        than a new one allocated.
        """
        tile = self.peek(key, tx, ty)
        if tile is not None:
            return tile
        if len(self._tiles) >= self.capacity:
            _, tile = self._tiles.popitem(last=False)
        else:
            display = pygame.display.get_surface()
            tile = pygame.Surface((TILE, TILE), 0, display) if display is not None else pygame.Surface((TILE, TILE))
        paint(tile, tx * TILE, ty * TILE)
        self._tiles[(key, tx, ty)] = tile
        return tile


def tiles_covering(origin: tuple[int, int], rect: pygame.Rect) -> Iterator[tuple[int, int, int, int]]:
    """``(tx, ty, screen_x, screen_y)`` of every tile overlapping ``rect`` on screen.

    ``origin`` is the screen pixel of world pixel (0, 0).
    """
    ox, oy = origin
    tx0 = math.floor((rect.left - ox) / TILE)
    ty0 = math.floor((rect.top - oy) / TILE)
    tx1 = math.floor((rect.right - 1 - ox) / TILE)
    ty1 = math.floor((rect.bottom - 1 - oy) / TILE)
    for ty in range(ty0, ty1 + 1):
        for tx in range(tx0, tx1 + 1):
            yield tx, ty, ox + tx * TILE, oy + ty * TILE
