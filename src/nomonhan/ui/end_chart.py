"""The end screen's chart: victory points and steps lost by turn, drawn with pygame (no matplotlib).

Two plots side by side from the game's per-turn results (:func:`nomonhan.sim.run.per_turn`):
each side's victory points, and each side's steps lost, gross (every step lost so far, recovered
ones included: solid) and net (still missing: dashed).  Lines are in the sides' colours, lightened
where needed to stand out on the dark panel, and each line is named at its end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pygame

from nomonhan.replay import Game
from nomonhan.sim.run import per_turn
from nomonhan.ui import describe, style

AXIS: style.Colour = (200, 206, 214)
GRID: style.Colour = (70, 76, 84)
TEXT_SIZE = 16
TITLE_SIZE = 18
MIN_LINE_CONTRAST = 3.0
"""A line (not text) needs 3:1 against the panel (WCAG's non-text contrast)."""


@dataclass(frozen=True)
class Series:
    label: str
    colour: style.Colour
    values: tuple[int, ...]
    dashed: bool = False


@dataclass(frozen=True)
class Plot:
    title: str
    series: tuple[Series, ...]


def game_chart(game: Game, size: tuple[int, int], scale: float) -> pygame.Surface:
    """The chart of a finished (or any) game, ``size`` pixels."""
    scenario = game.scenario
    sides = [(s.id, describe.side_name(scenario, s.id).split(" (")[0], style.parse_colour(s.colour)) for s in scenario.sides]
    turns, panels = plots(per_turn(game), sides)
    return chart(size, turns, panels, scale)


def plots(rows: Sequence[dict[str, Any]], sides: Sequence[tuple[str, str, style.Colour]]) -> tuple[list[int], list[Plot]]:
    """The turns and the two plots from ``per_turn`` rows; ``sides``: (id, short name, colour)."""
    turns = [row["turn"] for row in rows]
    points = Plot("Victory points", tuple(Series(name, c, tuple(r["victory_points"][side] for r in rows)) for side, name, c in sides))
    lost = Plot(
        "Steps lost (solid: gross, dashed: net)",
        tuple(
            Series(name + suffix, colour, tuple(r[key][side]["steps"] for r in rows), dashed)
            for side, name, colour in sides
            for key, suffix, dashed in (("losses_gross", "", False), ("losses", " net", True))
        ),
    )
    return turns, [points, lost]


def line_colour(colour: style.Colour) -> style.Colour:
    """``colour`` lightened until it stands 3:1 against the panel."""
    while style.contrast_ratio(colour, style.PANEL) < MIN_LINE_CONTRAST:
        colour = tuple(min(255, round(c + (255 - c) * 0.15)) for c in colour)  # type: ignore[assignment]
    return colour


def chart(size: tuple[int, int], turns: list[int], panels: list[Plot], scale: float) -> pygame.Surface:
    """The plots side by side on one picture of ``size``."""
    picture = pygame.Surface(size)
    picture.fill(style.PANEL)
    gap = round(16 * scale)
    width = (size[0] - gap * (len(panels) - 1)) // max(1, len(panels))
    for n, plot in enumerate(panels):
        _plot(picture, pygame.Rect(n * (width + gap), 0, width, size[1]), turns, plot, scale)
    return picture


def _plot(surface: pygame.Surface, rect: pygame.Rect, turns: list[int], plot: Plot, scale: float) -> None:
    size = round(TEXT_SIZE * scale)
    title = style.text(plot.title, round(TITLE_SIZE * scale), style.PAPER, bold=True)
    surface.blit(title, (rect.left, rect.top))
    top = rect.top + title.get_height() + round(6 * scale)
    high = max([1] + [v for s in plot.series for v in s.values])
    label_room = style.font(size).size(str(high))[0] + round(6 * scale)
    names_room = max(style.font(size).size(s.label)[0] for s in plot.series) + round(8 * scale)
    area = pygame.Rect(rect.left + label_room, top, rect.width - label_room - names_room, rect.bottom - top - size - round(6 * scale))
    if area.width < 10 or area.height < 10:
        return
    for value in sorted({0, high // 2, high}):
        y = area.bottom - round(area.height * value / high)
        pygame.draw.line(surface, GRID, (area.left, y), (area.right, y))
        label = style.text(str(value), size, AXIS)
        surface.blit(label, label.get_rect(midright=(area.left - round(3 * scale), y)))
    pygame.draw.line(surface, AXIS, area.bottomleft, area.topleft, max(1, round(scale)))
    first, last = (turns[0], turns[-1]) if turns else (1, 1)
    span = max(1, last - first)

    def at(turn: int, value: int) -> tuple[int, int]:
        return area.left + round(area.width * (turn - first) / span), area.bottom - round(area.height * value / high)

    for turn in sorted({first, (first + last) // 2, last}):
        label = style.text(f"turn {turn}", size, AXIS)
        x = at(turn, 0)[0]
        surface.blit(label, label.get_rect(midtop=(min(max(x, area.left + label.get_width() // 2), area.right), area.bottom + 2)))
    ends: list[int] = []
    for series in plot.series:
        colour = line_colour(series.colour)
        points = [at(t, v) for t, v in zip(turns, series.values)]
        width = max(2, round(2.5 * scale))
        if len(points) > 1:
            if series.dashed:
                _dashed(surface, colour, points, width, round(8 * scale))
            else:
                pygame.draw.lines(surface, colour, False, points, width)
        if points:
            y = points[-1][1]
            while any(abs(y - e) < size for e in ends):
                y += size  # names of lines that end together are stacked, not overprinted
            ends.append(y)
            label = style.text(series.label, size, colour)
            surface.blit(label, label.get_rect(midleft=(area.right + round(4 * scale), min(y, rect.bottom - size // 2))))


def _dashed(surface: pygame.Surface, colour: style.Colour, points: list[tuple[int, int]], width: int, dash: int) -> None:
    """A polyline drawn in dashes of ``dash`` pixels."""
    on, left = True, float(dash)
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        length = max(1.0, ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5)
        done = 0.0
        while done < length:
            step = min(left, length - done)
            a, b = done / length, (done + step) / length
            if on:
                pygame.draw.line(surface, colour, (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b), width)
            done += step
            left -= step
            if left <= 0:
                on, left = not on, float(dash)
