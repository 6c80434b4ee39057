"""The event log as a plain pygame widget: wrapped lines rendered once, scrolled with the wheel.

pygame_gui's text box lays out its whole text again on every append, which costs tens of
milliseconds once a game has a few hundred lines and stalls a computer turn of many moves.
Here each line is wrapped and rendered once, when it arrives, and a frame only blits the rows
that fit.
"""

from __future__ import annotations

import pygame

from nomonhan.ui import style
from nomonhan.ui.describe import Entry
from nomonhan.ui.wording import wrap_text

FONT_SIZE = 19
ROW_GAP = 2
PADDING = 6
SCROLL_ROWS = 3
LIMIT = 2000
"""Lines kept; older ones are dropped (the whole story stays in the game record)."""

KIND_COLOURS: dict[str, tuple[style.Colour, bool]] = {
    "normal": (style.PAPER, False),
    "turn": ((255, 255, 255), True),
    "phase": ((154, 162, 172), False),
    "combat": ((255, 236, 170), True),
    "alert": ((255, 176, 96), False),
}


class LogView:
    def __init__(self) -> None:
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.entries: list[Entry] = []
        self._rows: list[pygame.Surface] = []
        self._scroll = 0
        """Rows scrolled up from the bottom (0: the newest line is visible)."""
        self.font_size = FONT_SIZE

    def place(self, rect: pygame.Rect, scale: float = 1.0) -> None:
        """Put the log in ``rect``, its text at the window's UI ``scale`` (rows wrapped again if needed)."""
        font_size = round(FONT_SIZE * scale)
        rewrap = rect.width != self.rect.width or font_size != self.font_size
        self.rect = pygame.Rect(rect)
        self.font_size = font_size
        if rewrap:
            self._rows = [row for entry in self.entries for row in self._wrap(entry)]

    def set(self, entries: list[Entry]) -> None:
        self.entries = list(entries[-LIMIT:])
        self._rows = [row for entry in self.entries for row in self._wrap(entry)]
        self._scroll = 0

    def add(self, entries: list[Entry]) -> None:
        self.entries.extend(entries)
        for entry in entries:
            self._rows.extend(self._wrap(entry))
        if len(self.entries) > LIMIT:
            self.set(self.entries)

    def handle_event(self, event: pygame.event.Event, mouse: tuple[int, int]) -> bool:
        """Scroll on the wheel over the log; True if the event was the log's."""
        if event.type == pygame.MOUSEWHEEL and self.rect.collidepoint(mouse):
            self._scroll = min(max(self._scroll + event.y * SCROLL_ROWS, 0), max(0, len(self._rows) - self._visible_rows()))
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(style.shade(style.PANEL, 0.8), self.rect)
        pygame.draw.rect(surface, style.shade(style.PANEL, 1.3), self.rect, 1)
        clip = surface.get_clip()
        surface.set_clip(self.rect.inflate(-2, -2))
        for row, rect in self.placed():
            surface.blit(row, rect)
        surface.set_clip(clip)

    def placed(self) -> list[tuple[pygame.Surface, pygame.Rect]]:
        """What the log draws and where: its visible rows, whole, bottom up (none cut at the top),
        and when scrolled back the "newer rows below" hint in a strip of its own under them."""
        hint = style.text(f"{self._scroll} newer rows below", round(self.font_size * 0.85), style.SELECTED) if self._scroll else None
        reserved = hint.get_height() if hint is not None else 0
        end = len(self._rows) - self._scroll
        y = self.rect.bottom - PADDING - reserved
        shown = []
        for row in reversed(self._rows[max(0, end - self._visible_rows(reserved)) : end]):
            y -= row.get_height() + ROW_GAP
            shown.append((row, row.get_rect(topleft=(self.rect.left + PADDING, y))))
        if hint is not None:
            shown.append((hint, hint.get_rect(bottomright=(self.rect.right - PADDING, self.rect.bottom - 2))))
        return shown

    def _visible_rows(self, reserved: int = 0) -> int:
        """Whole rows that fit, ``reserved`` pixels at the bottom left free."""
        return max(1, (self.rect.height - 2 * PADDING - reserved) // (style.font(self.font_size).get_linesize() + ROW_GAP))

    def _wrap(self, entry: Entry) -> list[pygame.Surface]:
        """The entry's rows, word-wrapped to the log's width (continuation rows indented)."""
        colour, bold = KIND_COLOURS.get(entry.kind, KIND_COLOURS["normal"])
        face = style.font(self.font_size, bold)
        width = max(40, self.rect.width - 2 * PADDING)
        return [face.render(text, True, colour) for text in wrap_text(entry.text, lambda text: face.size(text)[0] <= width)]
