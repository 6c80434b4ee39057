"""The hover prediction drawn beside the pointer: a dark card with the odds, the shifts and the results.

The card is rendered once per prediction and scale and then only blitted, so resting the pointer
on a target costs a frame no more than a blit.  It sits beside the pointer, never over it, and
inside the map (see :func:`placed`).
"""

from __future__ import annotations

import pygame

from nomonhan.ui import style
from nomonhan.ui.prediction import Prediction
from nomonhan.ui.wording import wrap_text

TEXT_SIZE = 21
TITLE_SIZE = 23
PAD = 8
GAP = 14
WIDEST = 600
"""Lines longer than this (at scale 1) wrap, so the card fits a 1280x720 window's map."""
OFFSET = 22
HEADER: style.Colour = (200, 206, 214)
"""Column headers and notes: lighter than the panel, 4.5:1 against it (tested with the style's colours)."""
EDGE: style.Colour = (120, 128, 138)


class PredictionCard:
    def __init__(self) -> None:
        self._cached: tuple[Prediction, float, pygame.Surface] | None = None
        self.placed_at: pygame.Rect | None = None
        """Where the card is on screen this frame (None: not shown); the screen clears it before drawing."""

    def render(self, prediction: Prediction, scale: float) -> pygame.Surface:
        if self._cached is None or self._cached[0] is not prediction or self._cached[1] != scale:
            self._cached = (prediction, scale, card(prediction, scale))
        return self._cached[2]

    def draw(
        self,
        surface: pygame.Surface,
        prediction: Prediction,
        pointer: tuple[int, int],
        area: pygame.Rect,
        scale: float,
        keep_clear: pygame.Rect | None = None,
    ) -> pygame.Rect:
        """Draw the card near ``pointer`` inside ``area``, off ``keep_clear`` where it can be
        (the selected unit's counter); returns where it went."""
        picture = self.render(prediction, scale)
        rect = placed(picture.get_size(), pointer, area, round(OFFSET * scale), keep_clear)
        surface.blit(picture, rect)
        self.placed_at = rect
        return rect


def placed(
    size: tuple[int, int], pointer: tuple[int, int], area: pygame.Rect, offset: int, keep_clear: pygame.Rect | None = None
) -> pygame.Rect:
    """Beside the pointer and inside ``area``: below right of it if that fits, else below left,
    above right, above left, then right or left of it at any height, the first of these that
    also leaves ``keep_clear`` uncovered, else the first that fits; failing all (a card wider
    than half the map), as close as the area allows."""
    x, y = pointer
    w, h = size
    fitting = []
    for left, top in (
        (x + offset, y + offset),
        (x - offset - w, y + offset),
        (x + offset, y - offset - h),
        (x - offset - w, y - offset - h),
        (x + offset, y - h // 2),
        (x - offset - w, y - h // 2),
    ):
        moved = pygame.Rect(left, top, w, h).clamp(area)
        if area.contains(moved) and not moved.inflate(offset, offset).collidepoint(pointer):
            fitting.append(moved)
    clear = [rect for rect in fitting if keep_clear is None or not rect.colliderect(keep_clear)]
    return (clear or fitting or [pygame.Rect(x + offset, y + offset, w, h).clamp(area)])[0]


def card(prediction: Prediction, scale: float) -> pygame.Surface:
    """The prediction as one picture: title, reasons, the results table, notes."""
    size, title_size = round(TEXT_SIZE * scale), round(TITLE_SIZE * scale)
    pad, gap = round(PAD * scale), round(GAP * scale)
    widest = round(WIDEST * scale)

    def rows(text: str, font_size: int, colour: style.Colour, bold: bool = False) -> list[pygame.Surface]:
        fits = lambda row: style.font(font_size, bold).size(row)[0] <= widest  # noqa: E731
        return [style.text(row, font_size, colour, bold) for row in wrap_text(text, fits)]

    lines = rows(prediction.title, title_size, style.PAPER, bold=True)
    lines += [row for reason in prediction.reasons for row in rows(reason, size, style.PAPER)]
    table = _table(prediction, size, gap)
    notes = [row for note in prediction.notes for row in rows(note, size, HEADER)]
    parts = lines + ([table] if table is not None else []) + notes
    width = max(p.get_width() for p in parts) + 2 * pad
    height = sum(p.get_height() for p in parts) + 2 * pad + (gap // 2 if table is not None else 0)
    picture = pygame.Surface((width, height))
    picture.fill(style.PANEL)
    pygame.draw.rect(picture, EDGE, picture.get_rect(), max(1, round(scale)))
    y = pad
    for part in parts:
        if part is table:
            y += gap // 4
        picture.blit(part, (pad, y))
        y += part.get_height() + (gap // 4 if part is table else 0)
    return picture


def _table(prediction: Prediction, size: int, gap: int) -> pygame.Surface | None:
    """The results in aligned columns under their headers."""
    if not prediction.rows:
        return None
    cells = [[style.text(h, size, HEADER, bold=True) for h in prediction.headers]]
    cells += [[style.text(value, size, style.PAPER) for value in row] for row in prediction.rows]
    widths = [max(row[c].get_width() for row in cells) for c in range(len(cells[0]))]
    line = max(c.get_height() for row in cells for c in row)
    table = pygame.Surface((sum(widths) + gap * (len(widths) - 1), line * len(cells)))
    table.fill(style.PANEL)
    for r, row in enumerate(cells):
        x = 0
        for c, cell in enumerate(row):
            table.blit(cell, (x, r * line))
            x += widths[c] + gap
    return table
