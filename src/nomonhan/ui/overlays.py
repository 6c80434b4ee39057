"""What is drawn over the map each frame: bridges, objectives, highlights and counters.

(The supply and threat overlays are painted into the map's tiles instead, once per game state:
:mod:`~nomonhan.ui.intel_layer`; only their labels are drawn here.)

These change with the selection or the mouse, so they are drawn fresh each frame, but only for
hexes on screen and from cached sprites.  Every input comes from a :class:`MapView` (what the
viewer may see) or :class:`Highlights` (what the screen computed through the engine); nothing
here decides a rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sized
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import pygame

from nomonhan.geometry import Layout
from nomonhan.hexgrid import Hex, Hexside, parse_hex
from nomonhan.state import Unit
from nomonhan.ui import counters, style
from nomonhan.ui.camera import Camera
from nomonhan.ui.intel import Intel
from nomonhan.ui.intel_layer import IntelLayer
from nomonhan.ui.render_map import PlaceLabel, blit_centered, hex_sprite
from nomonhan.ui.view import MapView, full_steps
from nomonhan.ui.wording import plural


@dataclass
class Highlights:
    """The selection and what the engine said about it, ready to draw."""

    selected: str | None = None
    reach: dict[Hex, int] = field(default_factory=dict)
    """Every hex the selected unit can get to, with its cost in move points."""
    destinations: frozenset[Hex] = frozenset()
    """Hexes it may end a move in (the engine's ``destinations``: stacking applied)."""
    targets: dict[Hex, str] = field(default_factory=dict)
    """Hexes where it has other kinds of action (attack, bombard, ...), with a label."""
    path: list[Hex] = field(default_factory=list)
    trail: list[Hex] = field(default_factory=list)
    """The last move the viewer saw (the computer's, while it plays)."""
    moving: tuple[str, list[Hex], float] | None = None
    """A unit gliding along a path: ``(unit id, path, progress 0..1)``."""
    hover: Hex | None = None
    ready: frozenset[str] | None = None
    """Units of the acting viewer that can still act (the others are greyed); None: no greying."""
    intel: Intel | None = None
    """The viewer's supply and threat picture, drawn for the ``layers`` switched on."""
    layers: frozenset[str] = frozenset()
    """Which of ``supply``, ``reach`` (the enemy's) and ``guns`` are shown."""
    _layer: IntelLayer | None = field(default=None, repr=False)

    def intel_layer(self) -> IntelLayer | None:
        """The overlays to paint into the map's tiles: the same object while the picture and
        the layers shown stay the same (it keys the tiles, so they are painted once per state)."""
        if self.intel is None or not self.layers:
            return None
        if self._layer is None or self._layer.intel is not self.intel or self._layer.layers != self.layers:
            self._layer = IntelLayer(self.intel, self.layers)
        return self._layer


PlaceLabels = list[PlaceLabel]
"""Place names with where they go at origin (0, 0), their hex and short form: :meth:`MapRenderer.place_labels`."""


class PlacedName(NamedTuple):
    """A place name where this frame draws it (screen pixels); ``under``: below the counters,
    which cover it where no spot leaves them clear (a name never hides a counter's values)."""

    label: pygame.Surface
    rect: pygame.Rect
    under: bool


def draw(
    surface: pygame.Surface,
    camera: Camera,
    view: MapView,
    lights: Highlights,
    colours: dict[str, style.Colour],
    places: PlaceLabels | None = None,
) -> None:
    """Everything above the tiles, clipped to the camera's viewport."""
    clip = surface.get_clip()
    surface.set_clip(pygame.Rect(camera.viewport))
    layout = camera.layout()
    on_screen = pygame.Rect(camera.viewport).inflate(4 * camera.size, 4 * camera.size)
    _bridges(surface, layout, view, on_screen)
    _reach(surface, layout, lights, on_screen)
    _targets(surface, layout, lights)
    _pending(surface, layout, view)
    _declared(surface, layout, view)
    _line(surface, layout, lights.trail, style.LAST_MOVE, max(2, camera.size // 9))
    _path(surface, layout, lights)
    names = _names(layout, view, places or [], on_screen)
    for name in names:
        if name.under:
            surface.blit(name.label, name.rect)
    _counters(surface, layout, view, lights, colours, on_screen)
    # Markers a counter must not hide go on top: air missions (clear of the counters' values),
    # then the tags, objective stars and the names of occupied places, which they must not hide either.
    _air(surface, layout, view, lights, colours)
    _target_tags(surface, layout, lights)
    _declared_tag(surface, layout, view)
    _pontoon_work(surface, layout, view, on_screen)
    _objectives(surface, layout, view, colours, on_screen)
    for name in names:
        if not name.under:
            surface.blit(name.label, name.rect)
    if lights.intel is not None and "supply" in lights.layers:
        _supply_labels(surface, layout, lights.intel, on_screen)
    if lights.hover is not None and lights.hover in view.scenario.board.index:
        pygame.draw.lines(surface, style.PAPER, True, layout.corners(lights.hover), 2)
    surface.set_clip(clip)


def _bridges(surface: pygame.Surface, layout: Layout, view: MapView, on_screen: pygame.Rect) -> None:
    width = max(3, round(layout.size * 0.3))
    for side in view.bridges:
        if side not in view.scenario.board.edge_keys or not on_screen.collidepoint(layout.hex_to_pixel(side.low)):
            continue
        start, end = _plank(layout, side)
        pygame.draw.line(surface, style.INK, start, end, width + 2)
        pygame.draw.line(surface, style.BRIDGE, start, end, width)
        pygame.draw.line(surface, style.shade(style.BRIDGE, 1.6), start, end, max(1, width // 4))


def _pontoon_work(surface: pygame.Surface, layout: Layout, view: MapView, on_screen: pygame.Rect) -> None:
    """A pontoon being thrown: a short plank across its hexside, clear of the counters on either
    bank and drawn over them, as much of it laid as the hours worked are of the hours needed, and
    the hours (``3/6 h``) on a plate near it: nothing of the river line shows through, and no counter is covered."""
    needed = view.scenario.rules.bridges.build_hours
    width = max(3, round(layout.size * 0.3))
    boxes = counter_boxes(layout, view.stacks) if view.pontoon_work else []
    for side, _owner, hours in view.pontoon_work:
        if not on_screen.collidepoint(layout.hex_to_pixel(side.low)):
            continue
        start, end = _plank(layout, side, 0.17)
        dx, dy = end[0] - start[0], end[1] - start[1]
        pygame.draw.line(surface, style.INK, start, end, width + 2)
        pygame.draw.line(surface, style.PAPER, start, end, width)
        laid = min(1.0, hours / needed) if needed else 1.0
        pygame.draw.line(surface, style.BRIDGE, start, (start[0] + dx * laid, start[1] + dy * laid), width)
        if layout.size >= PONTOON_HOURS_FROM:
            tag = style.plate_text(f"{hours}/{needed} h", max(11, round(layout.size / 3)))
            plank = pygame.Rect(min(start[0], end[0]), min(start[1], end[1]), abs(dx), abs(dy)).inflate(width + 4, width + 4)
            surface.blit(tag, pontoon_tag_spot(layout, side, tag.get_size(), plank, boxes))


PONTOON_HOURS_FROM = 21
"""The hex size from which a pontoon's hours are written: below it their plate is wider than a
hex and finds no room among the counters (the plank's brown share still shows the work done)."""


def pontoon_tag_spot(layout: Layout, side: Hexside, size: tuple[int, int], plank: pygame.Rect, boxes: list[pygame.Rect]) -> pygame.Rect:
    """Where a pontoon's hours go: the spot ``size`` big nearest the middle of its hexside, on a
    grid a sixth of a hex fine within a hex and a half of it, that is clear of its ``plank``
    and of the counters' ``boxes``; failing one (counters all round), the nearest clear of the plank."""
    (ax, ay), (bx, by) = layout.hexside_segment(side)
    middle = ((ax + bx) / 2, (ay + by) / 2)
    step, reach = max(2, round(layout.size / 6)), round(layout.size * 1.5)
    offsets = sorted(
        ((dx, dy) for dx in range(-reach, reach + 1, step) for dy in range(-reach, reach + 1, step)),
        key=lambda d: d[0] ** 2 + d[1] ** 2,
    )
    spots = [pygame.Rect((0, 0), size) for _ in offsets]
    for spot, (dx, dy) in zip(spots, offsets, strict=True):
        spot.center = (round(middle[0] + dx), round(middle[1] + dy))
    off_plank = [spot for spot in spots if not spot.colliderect(plank)]
    return next((spot for spot in off_plank if spot.collidelist(boxes) < 0), off_plank[0])


def _plank(layout: Layout, side: Hexside, reach: float = 0.3) -> tuple[tuple[float, float], tuple[float, float]]:
    """Where a bridge's plank goes: across the middle of ``side``, from one hex towards the other,
    ``reach`` of the way between their centres into each."""
    (ax, ay), (bx, by) = layout.hexside_segment(side)
    mx, my = (ax + bx) / 2, (ay + by) / 2
    low, high = layout.hex_to_pixel(side.low), layout.hex_to_pixel(side.high)
    dx, dy = (high[0] - low[0]) * reach, (high[1] - low[1]) * reach
    return (mx - dx, my - dy), (mx + dx, my + dy)


def _supply_labels(surface: pygame.Surface, layout: Layout, intel: Intel, on_screen: pygame.Rect) -> None:
    """ "out of supply 2 turns" under units cut off, "cut off" by each pocket (over the counters)."""
    if layout.size < 16:
        return
    font_size = max(11, round(layout.size / 3))
    for hex_, turns in intel.cut_off.items():
        x, y = layout.hex_to_pixel(hex_)
        if on_screen.collidepoint(x, y):
            label = style.halo_text(f"no supply {plural(turns, 'turn')}", font_size, style.INK, style.PAPER, True)
            surface.blit(label, label.get_rect(midbottom=(round(x), round(y + layout.inner_radius))))
    for group in intel.pockets:
        first = min(group, key=lambda h: h.to_offset()[::-1])
        x, y = layout.hex_to_pixel(first)
        if on_screen.collidepoint(x, y) and first not in intel.cut_off:
            label = style.halo_text("cut off", font_size, style.INK, style.PAPER, True)
            surface.blit(label, label.get_rect(midbottom=(round(x), round(y + layout.inner_radius))))


def objective_spot(layout: Layout, hex_: Hex) -> tuple[float, float]:
    """Where an objective's star goes: the hex's upper-left corner, mostly clear of a counter."""
    cx, cy = layout.hex_to_pixel(hex_)
    return cx - layout.size * 0.62, cy - layout.inner_radius * 0.62


def _objectives(surface: pygame.Surface, layout: Layout, view: MapView, colours: dict[str, style.Colour], on_screen: pygame.Rect) -> None:
    size = round(layout.size)
    for objective, holder in zip(view.scenario.model.objectives, view.holders, strict=True):
        hex_ = parse_hex(objective.hex)
        cx, cy = layout.hex_to_pixel(hex_)
        if not on_screen.collidepoint(cx, cy):
            continue
        colour = colours.get(holder, style.NEUTRAL) if holder else style.NEUTRAL
        marker = _objective_marker(objective.points, colour, max(8, size // 3))
        blit_centered(surface, marker, objective_spot(layout, hex_))


def _names(layout: Layout, view: MapView, places: PlaceLabels, on_screen: pygame.Rect) -> list[PlacedName]:
    ox, oy = round(layout.origin[0]), round(layout.origin[1])
    near = [place for place in places if on_screen.colliderect(place.rect.move(ox, oy))]
    return frame_places(layout, near, view.stacks)


def counter_boxes(layout: Layout, stacks: Mapping[Hex, Sized]) -> list[pygame.Rect]:
    """Where the counters of each stack are on screen, with their stacking offset and badge."""
    side = counters.counter_side(round(layout.size))
    step = _stack_step(side)
    boxes = []
    for hex_, units in stacks.items():
        spread = step * (min(len(units), STACK_DEPTH) - 1) + (side // 3 if len(units) > 1 else 0)
        box = pygame.Rect(0, 0, side + spread, side + spread)
        box.center = tuple(round(v) for v in layout.hex_to_pixel(hex_))
        boxes.append(box)
    return boxes


def _slid(spot: pygame.Rect, cx: float, half_counter: float) -> list[pygame.Rect]:
    """``spot`` centred on its hex, then run west from it (ending at the hex's counter's right
    edge), then east (starting at its left edge): a name too wide for the gap between two
    neighbours' counters may fit on one side of its hex."""
    west, east = spot.copy(), spot.copy()
    west.right = round(cx + half_counter)
    east.left = round(cx - half_counter)
    return [spot, west, east]


def frame_places(layout: Layout, places: PlaceLabels, stacks: Mapping[Hex, Sized]) -> list[PlacedName]:
    """Where this frame draws each place name (screen pixels), none over another or over a counter.

    The renderer lays the names out once per zoom so that none overlaps (:meth:`MapRenderer.place_labels`),
    but a place with units on it has its name moved off its counters: just under them, or just
    over them.  A free place's name goes where the renderer laid it out, or to the other side of
    its hex's centre; each of these centred on the hex, or run west or east from it.  Occupied places go first (where the fighting is, the names matter most).
    A spot must leave every counter clear (the names run two or three hexes wide, over the
    neighbours'): failing one, the name's short form (without its bracket) is tried; failing
    that too, the name goes under the counters, which cover it rather than it them; a name with
    no spot clear of the other names is left out, as the renderer leaves out names at a zoom too
    far out to hold them all."""
    ox, oy = round(layout.origin[0]), round(layout.origin[1])
    half_counter = counters.counter_side(round(layout.size)) / 2 + 2
    boxes = counter_boxes(layout, stacks)
    drawn: list[PlacedName] = []
    for place in sorted(places, key=lambda place: place.hex not in stacks):
        cx, cy = layout.hex_to_pixel(place.hex)
        options: list[tuple[pygame.Surface, pygame.Rect]] = []
        for label in dict.fromkeys((place.label, place.short)):  # the short form only if it differs
            if place.hex in stacks:
                rows = [
                    label.get_rect(midtop=(round(cx), round(cy + half_counter))),
                    label.get_rect(midbottom=(round(cx), round(cy - half_counter))),
                ]
            else:  # where the renderer laid it out, or mirrored over the hex's centre
                laid = label.get_rect(midtop=place.rect.move(ox, oy).midtop)
                mirrored = laid.copy()
                mirrored.bottom = round(2 * cy) - laid.top
                rows = [laid, mirrored]
            options += [(label, spot) for row in rows for spot in _slid(row, cx, half_counter)]
        names = [name.rect for name in drawn]
        spots = [(label, spot) for label, spot in options if spot.collidelist(names) < 0]
        clear = next(((label, spot) for label, spot in spots if spot.collidelist(boxes) < 0), None)
        if clear is not None:
            drawn.append(PlacedName(*clear, under=False))
        elif spots:
            drawn.append(PlacedName(*spots[0], under=True))
    return drawn


@lru_cache(maxsize=128)
def _objective_marker(points: int, colour: style.Colour, radius: int) -> pygame.Surface:
    """A star in the holder's colour with the objective's victory points."""
    surface = pygame.Surface((2 * radius + 2, 2 * radius + 2), pygame.SRCALPHA)
    centre = radius + 1
    star = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.5
        angle = -math.pi / 2 + k * math.pi / 5
        star.append((centre + r * math.cos(angle), centre + r * math.sin(angle)))
    pygame.draw.polygon(surface, colour, star)
    pygame.draw.polygon(surface, style.INK, star, 1)
    label = style.text(str(points), max(9, round(radius * 1.0)), style.contrast_ink(colour), True)
    surface.blit(label, label.get_rect(center=(centre, centre + 1)))
    return surface


def _air(surface: pygame.Surface, layout: Layout, view: MapView, lights: Highlights, colours: dict[str, style.Colour]) -> None:
    """Aircraft over the hexes where missions fly, one per side and hex, lettered with its
    missions (``S`` ground support, ``I`` interdiction, ``2S`` two support missions): on the
    top counter's symbol (:func:`counters.aircraft_spot`), never on its pips, factors or tags."""
    flown: dict[Hex, dict[str, list[str]]] = {}
    for letter, entries in (("S", view.air.support), ("I", view.air.interdiction)):
        for side, hex_ in entries:
            flown.setdefault(hex_, {}).setdefault(side, []).append(letter)
    side_px = counters.counter_side(round(layout.size))
    least = 0 if side_px >= counters.DETAIL_MIN else AIRCRAFT_MIN  # a counter's values bound it; a plain counter does not
    for hex_, sides in flown.items():
        cx, cy = layout.hex_to_pixel(hex_)
        shown = _drawn_stack(view.stacks.get(hex_, []), lights)
        shift = stack_shift(len(shown), side_px)
        counter = pygame.Rect(0, 0, side_px + 2, side_px + 2)  # the top counter's image, blitted centred
        counter.topleft = (round(cx + shift - counter.width / 2), round(cy - shift - counter.height / 2))
        area = counters.aircraft_spot(side_px, counters.unit_markers(shown[-1]) if shown else ()).move(counter.topleft)
        width = area.width // len(sides)  # two sides over one hex (it changed hands): side by side
        for n, (side, letters) in enumerate(sorted(sides.items())):
            slot = pygame.Rect(area.left + n * width, area.top, width, area.height)
            icon = _aircraft(colours.get(side, style.NEUTRAL), _mission_letters(letters), max(least, min(slot.size)))
            surface.blit(icon, icon.get_rect(center=slot.center))


AIRCRAFT_MIN = 20
"""An aircraft over a counter too small to show its values is never smaller than this (pixels)."""


def _mission_letters(letters: list[str]) -> str:
    """``S``, ``I``, ``S I``, ``2S I``: the missions flown over one hex by one side."""
    return " ".join(f"{count if count > 1 else ''}{letter}" for letter in "SI" if (count := letters.count(letter)))


@lru_cache(maxsize=64)
def _aircraft(colour: style.Colour, letters: str, size: int) -> pygame.Surface:
    """A plane seen from above, in the side's colour, ``size`` pixels square, its missions'
    letters on its tail (closer together or smaller on a small plane, left out on a tiny one)."""
    surface = pygame.Surface((size, size), pygame.SRCALPHA)
    radius = size / 2 - 1
    c = size / 2
    body = [
        (c, 0),
        (c + radius * 0.15, c - radius * 0.7),
        (c + radius, c - radius * 0.35),
        (c + radius, c - radius * 0.1),
        (c + radius * 0.15, c - radius * 0.2),
        (c + radius * 0.12, c + radius * 0.45),
        (c + radius * 0.45, c + radius * 0.7),
        (c - radius * 0.45, c + radius * 0.7),
        (c - radius * 0.12, c + radius * 0.45),
        (c - radius * 0.15, c - radius * 0.2),
        (c - radius, c - radius * 0.1),
        (c - radius, c - radius * 0.35),
        (c - radius * 0.15, c - radius * 0.7),
    ]
    pygame.draw.polygon(surface, colour, body)
    pygame.draw.polygon(surface, style.INK, body, 1)
    label = _letters_within(letters, size)
    if label is not None:
        surface.blit(label, label.get_rect(midbottom=(round(c), size + 1)))
    return surface


LETTERS_MIN = 9
"""The smallest font for a mission's letters (as for a counter's factors)."""


def _letters_within(letters: str, width: int) -> pygame.Surface | None:
    """``letters`` as large as they fit ``width`` pixels (from about half of it), closed up if
    they must be, down to ``LETTERS_MIN``; None if even that is too wide."""
    for text in dict.fromkeys((letters, letters.replace(" ", ""))):
        for font_size in range(max(LETTERS_MIN, round(width * 0.42)), LETTERS_MIN - 1, -1):
            label = style.halo_text(text, font_size, style.INK, style.PAPER, True)
            if label.get_width() <= width:
                return label
    return None


def _pending(surface: pygame.Surface, layout: Layout, view: MapView) -> None:
    """The hex a pending retreat or advance is about, ringed, with what is awaited."""
    pending = view.pending
    if pending is None:
        return
    pygame.draw.lines(surface, style.LAST_MOVE, True, layout.corners(pending.target), max(3, round(layout.size / 8)))
    cx, cy = layout.hex_to_pixel(pending.target)
    label = style.halo_text(f"{pending.kind}?", max(12, round(layout.size / 2.6)), style.INK, style.LAST_MOVE, True)
    blit_centered(surface, label, (cx, cy + layout.inner_radius * 0.75))


def _declared(surface: pygame.Surface, layout: Layout, view: MapView) -> None:
    """The attack or bombardment being declared: its target ringed, a line from each unit and
    gun in it (under the counters), so a declaration left standing is seen, after a load too."""
    declaration = view.declaration
    if declaration is None:
        return
    target = layout.hex_to_pixel(declaration.target)
    width = max(2, round(layout.size / 12))
    for unit in view.units:
        if unit.id in declaration.units or unit.id in declaration.guns:
            start = layout.hex_to_pixel(unit.position)
            pygame.draw.line(surface, style.INK, start, target, width + 2)
            pygame.draw.line(surface, style.TARGET, start, target, width)
    pygame.draw.lines(surface, style.INK, True, layout.corners(declaration.target), max(4, round(layout.size / 6)) + 2)
    pygame.draw.lines(surface, style.TARGET, True, layout.corners(declaration.target), max(4, round(layout.size / 6)))


def _declared_tag(surface: pygame.Surface, layout: Layout, view: MapView) -> None:
    """ "Declared" under the target of a declaration, over the counters standing there."""
    if view.declaration is None or layout.size < 16:
        return
    cx, cy = layout.hex_to_pixel(view.declaration.target)
    tag = style.halo_text("Declared", max(11, round(layout.size / 3)), style.TARGET_TEXT, style.PAPER, True)
    blit_centered(surface, tag, (cx, cy + layout.inner_radius * 0.62))


def _reach(surface: pygame.Surface, layout: Layout, lights: Highlights, on_screen: pygame.Rect) -> None:
    if not lights.reach:
        return
    size = round(layout.size)
    passable = hex_sprite(size, (255, 255, 255, 35))
    ending = hex_sprite(size, style.REACH)
    font_size = max(11, round(size * 0.36))
    for hex_, cost in lights.reach.items():
        centre = layout.hex_to_pixel(hex_)
        if not on_screen.collidepoint(centre):
            continue
        if hex_ in lights.destinations:
            blit_centered(surface, ending, centre)
            if size >= 14:
                label = style.halo_text(str(cost), font_size, style.INK, style.PAPER, True)
                blit_centered(surface, label, (centre[0], centre[1] + layout.size * 0.7))
        else:
            blit_centered(surface, passable, centre)


def _targets(surface: pygame.Surface, layout: Layout, lights: Highlights) -> None:
    for hex_ in lights.targets:
        pygame.draw.lines(surface, style.TARGET, True, layout.corners(hex_), max(2, round(layout.size / 10)))


def _target_tags(surface: pygame.Surface, layout: Layout, lights: Highlights) -> None:
    """What a click on each target does ("Attack", "Fire"...), over the counters standing there
    (a target holds the enemy, whose counter would hide a tag drawn under it)."""
    if layout.size < 16:
        return
    for hex_, label in lights.targets.items():
        cx, cy = layout.hex_to_pixel(hex_)
        tag = style.halo_text(label, max(11, round(layout.size / 3)), style.TARGET_TEXT, style.PAPER, True)
        blit_centered(surface, tag, (cx, cy - layout.inner_radius * 0.62))


def _line(surface: pygame.Surface, layout: Layout, hexes: list[Hex], colour: style.Colour, width: int) -> None:
    if len(hexes) < 2:
        return
    points = [layout.hex_to_pixel(h) for h in hexes]
    pygame.draw.lines(surface, style.INK, False, points, width + 2)
    pygame.draw.lines(surface, colour, False, points, width)
    for point in points:
        pygame.draw.circle(surface, colour, point, width * 0.9)


def _path(surface: pygame.Surface, layout: Layout, lights: Highlights) -> None:
    path = lights.path
    _line(surface, layout, path, style.PATH, max(3, round(layout.size / 7)))
    if len(path) >= 2:
        end = layout.hex_to_pixel(path[-1])
        pygame.draw.circle(surface, style.INK, end, max(5, layout.size / 4.5))
        pygame.draw.circle(surface, style.PATH, end, max(4, layout.size / 5.5))


def _counters(
    surface: pygame.Surface, layout: Layout, view: MapView, lights: Highlights, colours: dict[str, style.Colour], on_screen: pygame.Rect
) -> None:
    size = round(layout.size)
    side_px = counters.counter_side(size)
    step = _stack_step(side_px)
    for hex_, units in view.stacks.items():
        centre = layout.hex_to_pixel(hex_)
        if not on_screen.collidepoint(centre):
            continue
        shown = _drawn_stack(units, lights)
        depth = min(len(shown), STACK_DEPTH)
        for level, unit in enumerate(shown[-depth:]):
            offset = _level_shift(level, depth, step)
            image = _counter_image(view, unit, lights, colours, side_px)
            blit_centered(surface, image, (centre[0] + offset, centre[1] - offset))
            if unit.id == lights.selected:
                rect = image.get_rect(center=(round(centre[0] + offset), round(centre[1] - offset))).inflate(4, 4)
                pygame.draw.rect(surface, style.SELECTED, rect, 3, border_radius=4)
        if len(shown) > 1:
            badge = counters.stack_badge(len(shown), side_px)
            top = _level_shift(depth - 1, depth, step)
            blit_centered(surface, badge, (centre[0] + side_px / 2 + top, centre[1] - side_px / 2 - top))
    if lights.moving:
        unit_id, path, progress = lights.moving
        gliding_unit = next((u for u in view.units if u.id == unit_id), None)
        if gliding_unit is not None and len(path) > 1:
            blit_centered(surface, _counter_image(view, gliding_unit, lights, colours, side_px), _along(layout, path, progress))


STACK_DEPTH = 4
"""Counters drawn of a stack (the others are under them; the badge counts them all)."""


def _drawn_stack(units: list[Unit], lights: Highlights) -> list[Unit]:
    """The units of a stack drawn in their hex, bottom to top: all but one gliding out of it,
    the selected unit on top."""
    gliding = lights.moving[0] if lights.moving else None
    shown = [u for u in units if u.id != gliding]
    return sorted(shown, key=lambda u: u.id == lights.selected)


def _stack_step(side_px: int) -> int:
    """How far each counter of a stack is drawn from the one under it: the drawing, the top
    counter's shift and the stacks' boxes the names keep clear of all read it here."""
    return max(2, side_px // 10)


def _level_shift(level: int, depth: int, step: int) -> float:
    """How far right (and as far up) from its hex's centre the ``level``-th of ``depth`` stacked counters is drawn."""
    return (level - (depth - 1) / 2) * step


def stack_shift(count: int, side_px: int) -> float:
    """How far right (and up) the top counter of ``count`` units stands from its hex's centre."""
    depth = min(count, STACK_DEPTH)
    return _level_shift(depth - 1, depth, _stack_step(side_px)) if depth else 0.0


def _counter_image(view: MapView, unit: Unit, lights: Highlights, colours: dict[str, style.Colour], side_px: int) -> pygame.Surface:
    spent = lights.ready is not None and view.is_own(unit) and unit.id not in lights.ready
    return counters.counter(
        view.scenario.unit_types[unit.type_id],
        colours.get(unit.side, style.NEUTRAL),
        unit.steps,
        full_steps(view.scenario, unit),
        side_px,
        spent,
        counters.unit_markers(unit),
    )


def _along(layout: Layout, path: list[Hex], progress: float) -> tuple[float, float]:
    """The point ``progress`` (0..1) of the way along ``path``, hex centre to hex centre."""
    position = min(max(progress, 0.0), 1.0) * (len(path) - 1)
    n = min(int(position), len(path) - 2)
    t = position - n
    (ax, ay), (bx, by) = layout.hex_to_pixel(path[n]), layout.hex_to_pixel(path[n + 1])
    return ax + (bx - ax) * t, ay + (by - ay) * t
