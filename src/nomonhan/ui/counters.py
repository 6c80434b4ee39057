"""NATO-style unit counters, drawn procedurally and cached.

A counter is a square in the side's colour (from the scenario's ``sides[].colour``) holding an
APP-6 style frame with the branch symbol (infantry X, armour oval, cavalry diagonal, artillery
dot, ...), the size marker above it (II battalion, III regiment, X brigade, XX division), the
combat factors below it (attack-defence-move) and one pip per step along the right edge, hollow
for steps lost.  Small zooms get a plain frame and symbol: text below ~10 px is noise.

Markers are short tags down the counter's left edge (:func:`unit_markers`: out of supply for
so many turns, entrenchment level); a new unit state needs only a new tag there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple

import pygame

from nomonhan.scenario.schema import UnitType
from nomonhan.state import Unit
from nomonhan.ui import style

SIZE_MARKERS = {"company": "I", "battalion": "II", "regiment": "III", "brigade": "X", "division": "XX"}

SymbolPainter = Callable[[pygame.Surface, pygame.Rect, style.Colour, int], None]


def _cross(surface: pygame.Surface, box: pygame.Rect, ink: style.Colour, width: int) -> None:
    pygame.draw.line(surface, ink, box.topleft, (box.right - 1, box.bottom - 1), width)
    pygame.draw.line(surface, ink, (box.left, box.bottom - 1), (box.right - 1, box.top), width)


def _oval(surface: pygame.Surface, box: pygame.Rect, ink: style.Colour, width: int) -> None:
    inner = box.inflate(-box.width * 0.3, -box.height * 0.44)
    pygame.draw.rect(surface, ink, inner, width, border_radius=inner.height // 2)


def _diagonal(surface: pygame.Surface, box: pygame.Rect, ink: style.Colour, width: int) -> None:
    pygame.draw.line(surface, ink, (box.left, box.bottom - 1), (box.right - 1, box.top), width)


def _dot(surface: pygame.Surface, box: pygame.Rect, ink: style.Colour, width: int) -> None:
    pygame.draw.circle(surface, ink, box.center, max(2, box.height // 4))


def _motorized(surface: pygame.Surface, box: pygame.Rect, ink: style.Colour, width: int) -> None:
    _cross(surface, box, ink, width)
    pygame.draw.line(surface, ink, (box.centerx, box.top), (box.centerx, box.bottom - 1), width)


def _airborne(surface: pygame.Surface, box: pygame.Rect, ink: style.Colour, width: int) -> None:
    _cross(surface, box, ink, width)
    wing = pygame.Rect(0, 0, box.width // 3, box.height // 3)
    for centre_x in (box.centerx - wing.width // 2, box.centerx + wing.width // 2):
        wing.midbottom = (centre_x, box.bottom - 1)
        pygame.draw.arc(surface, ink, wing, 0, 3.1416, width)


def _engineer(surface: pygame.Surface, box: pygame.Rect, ink: style.Colour, width: int) -> None:
    inner = box.inflate(-box.width * 0.4, -box.height * 0.5)
    pygame.draw.line(surface, ink, inner.topleft, inner.topright, width)
    for x in (inner.left, inner.centerx, inner.right - 1):
        pygame.draw.line(surface, ink, (x, inner.top), (x, inner.bottom), width)


def _lettered(letters: str) -> SymbolPainter:
    def paint(surface: pygame.Surface, box: pygame.Rect, ink: style.Colour, width: int) -> None:
        label = style.text(letters, max(8, round(box.height * 0.85)), ink, True)
        surface.blit(label, label.get_rect(center=box.center))

    return paint


SYMBOLS: dict[str, SymbolPainter] = {
    "infantry": _cross,
    "armour": _oval,
    "cavalry": _diagonal,
    "artillery": _dot,
    "motorized": _motorized,
    "airborne": _airborne,
    "engineer": _engineer,
    "border_guard": _lettered("BG"),
    "headquarters": _lettered("HQ"),
}
"""UnitType.category -> branch symbol painter (APP-6 conventions where one exists)."""

DETAIL_MIN = 30
"""Counter side (px) from which size marker, factors and step pips are drawn."""


def unit_markers(unit: Unit) -> tuple[str, ...]:
    """Tags for a counter: ``S2`` out of supply two turns, ``E1`` entrenched at level one."""
    marks = []
    if unit.out_of_supply:
        marks.append(f"S{unit.out_of_supply}")
    if unit.entrenchment:
        marks.append(f"E{unit.entrenchment}")
    return tuple(marks)


class CounterParts(NamedTuple):
    """Where a counter's parts lie in its image, in pixels from its top-left corner: what
    anything drawn over a counter (an air mission's aircraft) must leave clear is read here."""

    frame: pygame.Rect
    """The branch symbol's frame."""
    factors: pygame.Rect | None
    """Attack-defence-move, under the frame (None: a counter too small for details)."""
    pips: tuple[pygame.Rect, ...]
    """One per step, down the right edge."""
    tags: tuple[pygame.Rect, ...]
    """The markers' tags (``S2``, ``E1``), down the left edge."""


def counter_parts(side_px: int, factors: str = "", full_steps: int = 0, markers: Sequence[str] = ()) -> CounterParts:
    """The layout of a counter ``side_px`` wide whose factors read ``factors``, with
    ``full_steps`` pips and the tags ``markers`` (the drawing and its tests use the same)."""
    detailed = side_px >= DETAIL_MIN
    frame = pygame.Rect(0, 0, round(side_px * 0.62), round(side_px * (0.38 if detailed else 0.56)))
    frame.center = (side_px // 2, round(side_px * (0.44 if detailed else 0.5)))
    if not detailed:
        return CounterParts(frame, None, (), ())
    numbers = pygame.Rect((0, 0), style.font(_factors_size(side_px), True).size(factors))
    numbers.midtop = (frame.centerx, frame.bottom + max(1, side_px // 24))
    radius = max(2, side_px // 18)
    x = side_px - radius - max(2, side_px // 20)
    pips = tuple(
        pygame.Rect(x - radius, y - radius, 2 * radius + 1, 2 * radius + 1)
        for y in (radius + 3 + n * (2 * radius + 2) for n in range(full_steps))
    )
    tags, y = [], 2
    for text in markers:
        tag = pygame.Rect((2, y), style.font(_tag_size(side_px), True).size(text)).inflate(4, 0)
        tags.append(tag)
        y = tag.bottom + 1
    return CounterParts(frame, numbers, pips, tuple(tags))


def aircraft_spot(side_px: int, markers: Sequence[str] = ()) -> pygame.Rect:
    """Where an air mission's aircraft goes on the counter standing in its hex: a square over
    the branch symbol and the size above it, between the tags ``markers`` down the left edge,
    the pips down the right and the factors below, which it never covers."""
    parts = counter_parts(side_px, markers=markers)
    inset = max(2, side_px // 20)
    left = max([parts.frame.left + inset, *(tag.right for tag in parts.tags)])
    area = pygame.Rect(left, 2, parts.frame.right - inset - left, parts.frame.bottom - 2)
    spot = pygame.Rect(0, 0, min(area.size), min(area.size))
    spot.center = area.center
    return spot


def _factors_size(side_px: int) -> int:
    return max(9, round(side_px * 0.27))


def _tag_size(side_px: int) -> int:
    return max(9, side_px // 5)


def counter_side(hex_size: int) -> int:
    """The counter's side in pixels for a hex size: it fits inside the hex with a margin."""
    return max(8, round(hex_size * 1.12))


def counter(
    unit_type: UnitType,
    colour: style.Colour,
    steps: int,
    full_steps: int,
    side_px: int,
    spent: bool = False,
    markers: Sequence[str] = (),
) -> pygame.Surface:
    """The counter image (cached); ``spent`` greys a unit that can do nothing more this phase."""
    return _counter(
        unit_type.id,
        unit_type.category,
        unit_type.size,
        unit_type.attack,
        unit_type.defence,
        unit_type.move_points,
        colour,
        steps,
        full_steps,
        side_px,
        spent,
        tuple(markers),
    )


@lru_cache(maxsize=1024)
def _counter(
    type_id: str,
    category: str,
    size: str,
    attack: int,
    defence: int,
    move_points: int,
    colour: style.Colour,
    steps: int,
    full_steps: int,
    side_px: int,
    spent: bool,
    markers: tuple[str, ...],
) -> pygame.Surface:
    surface = pygame.Surface((side_px + 2, side_px + 2), pygame.SRCALPHA)
    body = pygame.Rect(0, 0, side_px, side_px)
    pygame.draw.rect(surface, (0, 0, 0, 110), body.move(2, 2), border_radius=max(1, side_px // 10))  # shadow
    fill = style.shade(colour, 0.65) if spent else colour
    ink = style.contrast_ink(fill)
    pygame.draw.rect(surface, fill, body, border_radius=max(1, side_px // 10))
    pygame.draw.rect(surface, style.shade(colour, 0.45), body, 1, border_radius=max(1, side_px // 10))
    factors = f"{attack}-{defence}-{move_points}"
    parts = counter_parts(side_px, factors, full_steps, markers)
    box = parts.frame
    frame_fill = style.shade(fill, 1.55)
    pygame.draw.rect(surface, frame_fill, box)
    line = max(1, side_px // 28)
    SYMBOLS.get(category, _lettered(category[:2].upper()))(surface, box, style.INK, line)
    pygame.draw.rect(surface, style.INK, box, line)
    if parts.factors is not None:
        marker = style.text(SIZE_MARKERS.get(size, "?"), max(9, round(side_px * 0.22)), ink, True)
        surface.blit(marker, marker.get_rect(midbottom=(box.centerx, box.top + 1)))
        surface.blit(style.text(factors, _factors_size(side_px), ink, True), parts.factors)
        for n, pip in enumerate(parts.pips):
            pygame.draw.circle(surface, ink, pip.center, pip.width // 2, 0 if n < steps else 1)
        for text, rect in zip(markers, parts.tags, strict=True):
            pygame.draw.rect(surface, style.INK, rect)
            blit = style.text(text, _tag_size(side_px), style.PAPER, True)
            surface.blit(blit, blit.get_rect(center=rect.center))
    return surface


def stack_badge(count: int, side_px: int) -> pygame.Surface:
    """A small numbered disc telling how many units stand in a hex."""
    return _stack_badge(count, max(7, side_px // 6))


@lru_cache(maxsize=64)
def _stack_badge(count: int, radius: int) -> pygame.Surface:
    surface = pygame.Surface((2 * radius + 2, 2 * radius + 2), pygame.SRCALPHA)
    pygame.draw.circle(surface, style.INK, (radius + 1, radius + 1), radius + 1)
    pygame.draw.circle(surface, style.PAPER, (radius + 1, radius + 1), radius)
    label = style.text(str(count), round(radius * 1.9), style.INK, True)
    surface.blit(label, label.get_rect(center=(radius + 1, radius + 2)))
    return surface
