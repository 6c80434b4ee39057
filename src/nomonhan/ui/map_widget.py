"""The map as a widget: camera, tiles, overlays and minimap, with scroll, zoom and clicks.

Shared by live play and the replay viewer (the editor shares its :class:`Panning` and
:class:`KeyScroll`).  It turns mouse and keyboard gestures into camera moves, and reports a click on a hex as a :class:`MapClick` for the screen to interpret; it never
decides what a click means for the game.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from nomonhan.hexgrid import Hex
from nomonhan.scenario.load import Scenario
from nomonhan.ui import overlays, style
from nomonhan.ui.camera import READABLE_ZOOM, ZOOM_SIZES, Camera
from nomonhan.ui.input import SCROLL_KEYS
from nomonhan.ui.minimap import Dots, Minimap
from nomonhan.ui.overlays import Highlights
from nomonhan.ui.render_map import LABEL_MIN_SIZE, MapRenderer, Shading
from nomonhan.ui.view import MapView

DRAG_THRESHOLD = 5
"""Pixels the mouse must travel with a button down before a press becomes a drag, not a click."""
KEY_SCROLL_SPEED = 900.0
"""Pixels per second the arrow keys scroll the map."""


class Panning:
    """A button held down on the map: a click until the pointer has travelled ``DRAG_THRESHOLD``
    pixels, from then on a drag that pans the camera (the game's map and the editor's alike)."""

    def __init__(self) -> None:
        self.start: tuple[int, int] | None = None
        self.dragging = False

    @property
    def held(self) -> bool:
        return self.start is not None

    def press(self, pos: tuple[int, int]) -> None:
        self.start, self.dragging = pos, False

    def motion(self, camera: Camera, pos: tuple[int, int], rel: tuple[int, int]) -> None:
        if self.start is None:
            return
        if self.dragging:
            camera.pan(*rel)
        elif abs(pos[0] - self.start[0]) + abs(pos[1] - self.start[1]) > DRAG_THRESHOLD:
            camera.pan(pos[0] - self.start[0], pos[1] - self.start[1])  # catch up with the pointer
            self.dragging = True

    def release(self) -> bool:
        """End the press; True if it had become a drag (so it is no click)."""
        dragged = self.dragging
        self.start, self.dragging = None, False
        return dragged


class KeyScroll:
    """The arrow keys held down scroll the camera at ``KEY_SCROLL_SPEED``."""

    def __init__(self) -> None:
        self.held: set[int] = set()

    def key_down(self, key: int) -> bool:
        """True if ``key`` scrolls (and is now held)."""
        if key not in SCROLL_KEYS:
            return False
        self.held.add(key)
        return True

    def key_up(self, key: int) -> None:
        self.held.discard(key)

    def update(self, camera: Camera, dt: float) -> None:
        """Scroll for ``dt`` seconds of the keys held."""
        dx = sum(SCROLL_KEYS[k][0] for k in self.held)
        dy = sum(SCROLL_KEYS[k][1] for k in self.held)
        if dx or dy:
            camera.pan(dx * KEY_SCROLL_SPEED * dt, dy * KEY_SCROLL_SPEED * dt)


@dataclass(frozen=True)
class MapClick:
    hex: Hex
    button: int


class MapWidget:
    def __init__(
        self, scenario: Scenario, viewport: pygame.Rect, minimap_area: pygame.Rect, arrow_scroll: bool = True, scale: float = 1.0
    ) -> None:
        """``scale``: the window's UI scale; a high-DPI window opens the map zoomed in as much."""
        self.scenario = scenario
        self.renderer = MapRenderer(scenario, places_in_tiles=False, text_scale=scale)
        self.camera = Camera(self.renderer.extent, tuple(viewport))  # type: ignore[arg-type]
        readable = ZOOM_SIZES[READABLE_ZOOM] * scale
        while self.camera.size < readable and self.camera.zoom < len(ZOOM_SIZES) - 1:
            self.camera.zoom_at(1)
        self.minimap = Minimap(self.renderer)
        self.minimap.place(minimap_area)
        self.colours = side_colours(scenario)
        self.arrow_scroll = arrow_scroll
        self.mouse = viewport.center
        self._panning = Panning()
        self._minimap_drag = False
        self._keys = KeyScroll()
        self._dots: tuple[MapView, Dots] | None = None

    def place(self, viewport: pygame.Rect, minimap_area: pygame.Rect) -> None:
        self.camera.set_viewport(tuple(viewport))  # type: ignore[arg-type]
        self.minimap.place(minimap_area)

    @property
    def viewport(self) -> pygame.Rect:
        return pygame.Rect(self.camera.viewport)

    def hover_hex(self) -> Hex | None:
        if not self.viewport.collidepoint(self.mouse):
            return None
        hex_ = self.camera.hex_at(*self.mouse)
        return hex_ if hex_ in self.scenario.board.index else None

    # ------------------------------------------------------------ input
    def handle_event(self, event: pygame.event.Event) -> MapClick | None:
        """Scroll/zoom on gestures; return a click on a map hex (left or right button)."""
        if event.type == pygame.MOUSEMOTION:
            self._motion(event)
            return None
        if event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 2, 3):
            self.mouse = event.pos
            if self.minimap.rect.collidepoint(event.pos):
                self._minimap_drag = True
                self._look_minimap(event.pos)
            elif self.viewport.collidepoint(event.pos):
                self._panning.press(event.pos)
            return None
        if event.type == pygame.MOUSEBUTTONUP and event.button in (1, 2, 3):
            self.mouse = event.pos
            pressed = self._panning.held
            dragged = self._panning.release()
            self._minimap_drag = False
            if not pressed or dragged or not self.viewport.collidepoint(event.pos):
                return None
            hex_ = self.camera.hex_at(*event.pos)
            return MapClick(hex_, event.button) if hex_ in self.scenario.board.index else None
        if event.type == pygame.MOUSEWHEEL and self.viewport.collidepoint(self.mouse):
            self.camera.zoom_at(1 if event.y > 0 else -1, self.mouse)
        elif event.type == pygame.KEYDOWN and self.arrow_scroll:
            self._keys.key_down(event.key)
        elif event.type == pygame.KEYUP:
            self._keys.key_up(event.key)
        return None

    def _motion(self, event: pygame.event.Event) -> None:
        self.mouse = event.pos
        if self._minimap_drag:
            self._look_minimap(event.pos)
        else:
            self._panning.motion(self.camera, event.pos, event.rel)
        return None

    def _look_minimap(self, pos: tuple[int, int]) -> None:
        self.camera.look_at_map_units(self.minimap.to_map_units(*pos))

    def zoom(self, steps: int) -> None:
        self.camera.zoom_at(steps, self.mouse if self.viewport.collidepoint(self.mouse) else None)

    def update(self, dt: float) -> None:
        """Scroll while arrow keys are held (``dt`` in seconds)."""
        self._keys.update(self.camera, dt)

    @property
    def scrolling(self) -> bool:
        """Arrow keys are held: the map moves with no event coming."""
        return bool(self._keys.held)

    # ------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface, view: MapView, lights: Highlights, show_zoc: bool, show_fog: bool) -> None:
        draw_map(surface, self.renderer, self.camera, view, lights, self.colours, show_zoc, show_fog)
        if self._dots is None or self._dots[0] is not view:
            self._dots = (view, tuple((u.hex, self.colours.get(u.side, style.NEUTRAL)) for u in view.units))  # type: ignore[misc]
        self.minimap.draw(surface, self.camera, self._dots[1])


def side_colours(scenario: Scenario) -> dict[str, style.Colour]:
    return {side.id: style.parse_colour(side.colour) for side in scenario.sides}


def draw_map(
    surface: pygame.Surface,
    renderer: MapRenderer,
    camera: Camera,
    view: MapView,
    lights: Highlights,
    colours: dict[str, style.Colour],
    show_zoc: bool,
    show_fog: bool,
) -> None:
    """The map as a game window shows it: shaded tiles, then counters, objectives and names.

    Shared by the window and ``nomonhan render`` (:mod:`nomonhan.ui.picture`), so a picture of
    a headless game is what a player would have seen.
    """
    shading = Shading(
        seen=view.seen if show_fog else None,
        zoc=view.enemy_zoc if show_zoc else frozenset(),
        night=view.is_night,
        intel=lights.intel_layer(),
    )
    renderer.draw(surface, camera, shading)
    places = renderer.place_labels(camera.size) if camera.size >= LABEL_MIN_SIZE else []
    overlays.draw(surface, camera, view, lights, colours, places)
