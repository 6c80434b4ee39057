"""Procedural terrain symbols: a small pattern per terrain type, so each is recognisable.

Colour alone fails for colour-blind players and under the night tint, so every terrain gets a
symbol drawn in a darker shade of its own colour (map conventions: tufts for steppe, arcs for
dunes, humps for hills, hachured peaks for steep hills, reeds for marsh, ripples for water,
houses for villages, trees for woods).  Patterns are keyed by terrain *id*; a terrain that a
future rules file adds without art here shows its one-letter code instead, so any scenario
still draws.  Nothing is downloaded: everything is pygame.draw calls.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

import pygame

from nomonhan.scenario.schema import TerrainType
from nomonhan.ui import style

Painter = Callable[[pygame.Surface, float, float, float, style.Colour], None]


def _tufts(surface: pygame.Surface, cx: float, cy: float, s: float, ink: style.Colour) -> None:
    for dx, dy in ((-0.45, -0.2), (0.3, -0.35), (0.05, 0.35)):
        x, y = cx + dx * s, cy + dy * s
        w = max(1, round(s * 0.09))
        pygame.draw.line(surface, ink, (x - 2 * w, y - 2 * w), (x, y), 1)
        pygame.draw.line(surface, ink, (x, y - 3 * w), (x, y), 1)
        pygame.draw.line(surface, ink, (x + 2 * w, y - 2 * w), (x, y), 1)


def _dunes(surface: pygame.Surface, cx: float, cy: float, s: float, ink: style.Colour) -> None:
    for dy in (-0.35, 0.05, 0.45):
        rect = pygame.Rect(0, 0, s * 0.9, s * 0.35)
        rect.center = (round(cx), round(cy + dy * s))
        pygame.draw.arc(surface, ink, rect, math.radians(20), math.radians(160), max(1, round(s / 20)))


def _hills(surface: pygame.Surface, cx: float, cy: float, s: float, ink: style.Colour) -> None:
    width = max(1, round(s / 16))
    for dx, dy, r in ((-0.3, 0.15, 0.32), (0.3, 0.2, 0.26)):
        rect = pygame.Rect(0, 0, 2 * r * s, 2 * r * s)
        rect.center = (round(cx + dx * s), round(cy + dy * s + r * s * 0.5))
        pygame.draw.arc(surface, ink, rect, math.radians(10), math.radians(170), width)


def _steep(surface: pygame.Surface, cx: float, cy: float, s: float, ink: style.Colour) -> None:
    for dx, h in ((-0.28, 0.5), (0.25, 0.62)):
        base = cy + 0.35 * s
        peak = (cx + dx * s, base - h * s)
        pygame.draw.polygon(surface, ink, [(peak[0] - 0.3 * s, base), peak, (peak[0] + 0.3 * s, base)], max(1, round(s / 18)))
        for k in range(1, 4):  # hachures down the shaded face
            t = k / 4
            top = (peak[0] + 0.3 * s * t, peak[1] + (base - peak[1]) * t)
            pygame.draw.line(surface, ink, top, (top[0] - 0.12 * s, min(base, top[1] + 0.18 * s)), 1)


def _marsh(surface: pygame.Surface, cx: float, cy: float, s: float, ink: style.Colour) -> None:
    for dx, dy in ((-0.35, -0.25), (0.25, -0.05), (-0.15, 0.35)):
        x, y = cx + dx * s, cy + dy * s
        pygame.draw.line(surface, ink, (x - 0.22 * s, y), (x + 0.22 * s, y), max(1, round(s / 20)))
        for k in (-0.12, 0.0, 0.12):
            pygame.draw.line(surface, ink, (x + k * s, y), (x + k * s * 1.6, y - 0.16 * s), 1)


def _water(surface: pygame.Surface, cx: float, cy: float, s: float, ink: style.Colour) -> None:
    for dy in (-0.3, 0.1, 0.5):
        points = [(cx + (t / 8 - 0.5) * s, cy + dy * s + math.sin(t * math.pi / 2) * s * 0.07) for t in range(9)]
        pygame.draw.lines(surface, ink, False, points, max(1, round(s / 22)))


def _village(surface: pygame.Surface, cx: float, cy: float, s: float, ink: style.Colour) -> None:
    for dx, dy in ((-0.3, -0.15), (0.12, -0.3), (0.05, 0.2)):
        w, h = 0.26 * s, 0.2 * s
        x, y = cx + dx * s, cy + dy * s
        pygame.draw.rect(surface, ink, pygame.Rect(round(x), round(y), max(2, round(w)), max(2, round(h))))
        pygame.draw.polygon(surface, ink, [(x - 0.04 * s, y), (x + w / 2, y - 0.14 * s), (x + w + 0.04 * s, y)])


def _forest(surface: pygame.Surface, cx: float, cy: float, s: float, ink: style.Colour) -> None:
    for dx, dy in ((-0.35, -0.1), (0.3, -0.2), (-0.02, 0.3)):
        x, y = cx + dx * s, cy + dy * s
        pygame.draw.line(surface, ink, (x, y), (x, y + 0.2 * s), max(1, round(s / 24)))
        pygame.draw.circle(surface, ink, (x, y - 0.02 * s), max(2, round(0.15 * s)))


PAINTERS: dict[str, Painter] = {
    "steppe": _tufts,
    "dunes": _dunes,
    "hills": _hills,
    "steep_hills": _steep,
    "marsh": _marsh,
    "lake": _water,
    "village": _village,
    "forest": _forest,
}
"""Terrain id -> symbol painter.  Add an entry when the rules data gains a terrain type."""

MIN_SYMBOL_SIZE = 12
"""Below this hex size symbols would be noise; the fill colour alone shows the terrain."""


def _code_letter(code: str) -> Painter:
    def paint(surface: pygame.Surface, cx: float, cy: float, s: float, ink: style.Colour) -> None:
        label = style.text(code, max(8, round(s * 0.8)), ink)
        surface.blit(label, label.get_rect(center=(round(cx), round(cy))))

    return paint


def symbol(terrain: TerrainType, size: int, mirrored: bool) -> pygame.Surface | None:
    """The terrain symbol for one hex of ``size`` (transparent, centred), or None when too small.

    ``mirrored`` gives a second variant so a plain of identical hexes does not look stamped.
    """
    if size < MIN_SYMBOL_SIZE:
        return None
    return _symbol(terrain.id, terrain.code, terrain.colour, size, mirrored)


@lru_cache(maxsize=256)
def _symbol(terrain_id: str, code: str, colour: str, size: int, mirrored: bool) -> pygame.Surface:
    height = math.ceil(math.sqrt(3) * size)
    surface = pygame.Surface((2 * size, height), pygame.SRCALPHA)
    painter = PAINTERS.get(terrain_id) or _code_letter(code)
    # Steppe is the canvas of these maps: its tufts stay faint so features and counters stand out.
    factor = 0.86 if terrain_id == "steppe" else 0.62
    painter(surface, size, height / 2, size * 0.8, style.shade(style.parse_colour(colour), factor))
    return pygame.transform.flip(surface, True, False) if mirrored else surface
