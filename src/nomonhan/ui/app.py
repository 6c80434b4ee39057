"""The application: the window, the pygame_gui manager, the stack of screens, the frame loop.

:meth:`App.step_frame` is one frame (events in, screens updated by ``dt`` seconds, drawn) and
reads no clock, so tests and the render benchmark drive the real program frame by frame.
:func:`run_app` is the entry point ``nomonhan play`` calls.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

import pygame
import pygame_gui

from nomonhan.ai import DEFAULT_PLAYER
from nomonhan.fileio import write_atomic
from nomonhan.replay import Game, load_game
from nomonhan.scenario.load import load_scenario
from nomonhan.ui import describe, style, userdata
from nomonhan.ui.dialog_screens import EndScreen, HandoverScreen, HelpScreen
from nomonhan.ui.input import is_repeat
from nomonhan.ui.panels import Layout
from nomonhan.ui.play_screen import PlayScreen
from nomonhan.ui.replay_screen import ReplayScreen
from nomonhan.ui.screen import Screen
from nomonhan.ui.session import Session, controllers_for, open_viewpoints
from nomonhan.ui.start_screen import StartScreen

DEFAULT_SIZE = (1600, 900)
"""The window on a display with room for it (see :func:`fitting_size`)."""
MIN_SIZE = (800, 600)
FPS = 60
IDLE_FPS = 10
"""Frames a second once nothing has happened for ``WAKE_SECONDS`` and nothing moves: an idle
window drew 60 a second, about half a core (the reviewer's 4.68 s of CPU in 10 s).  Idle frames
read input (a click waits at most a tenth of a second) but draw only every ``IDLE_REDRAW_SECONDS``
(a message running out still goes)."""
WAKE_SECONDS = 1.0
NOTICE_SECONDS = 4.0
"""How long the app's own notice (a screenshot saved) stays up."""
IDLE_REDRAW_SECONDS = 1.0


def fitting_size(desktop: tuple[int, int] | None, preferred: tuple[int, int] = DEFAULT_SIZE) -> tuple[int, int]:
    """The window to open on a ``desktop``: 85 % of it, at least ``preferred`` where it fits.

    A 1280x720 screen gets the whole screen (the window manager fits the title bar), a 4K
    screen a big window drawn at a bigger UI scale (:func:`nomonhan.ui.style.ui_scale`).
    """
    if not desktop or desktop[0] <= 0 or desktop[1] <= 0:
        return preferred
    return tuple(  # type: ignore[return-value]
        max(low, min(max(round(d * 0.85), p), d)) for d, p, low in zip(desktop, preferred, MIN_SIZE, strict=True)
    )


def desktop_size() -> tuple[int, int] | None:
    sizes = pygame.display.get_desktop_sizes()
    return sizes[0] if sizes else None


class App:
    """``background_thinking``: computer players think in a worker thread (off in tests, so a
    frame's outcome never depends on timing)."""

    def __init__(
        self,
        size: tuple[int, int] | None = None,
        background_thinking: bool = False,
        *,
        fullscreen: bool = False,
        scaled: bool = True,
        magnified: bool = False,
    ) -> None:
        """``size``: None fits the display; ``scaled``: panels grow with the window (off in the editor,
        whose panels are laid out at one size); ``magnified``: instead, a window at least twice the
        reference size (4K) shows the whole interface drawn at half its size and enlarged pixel for
        pixel (the editor's UI scale: its layout needs no change to stay legible on a 4K screen)."""
        self.background_thinking = background_thinking
        self.scaled = scaled
        self.magnified = magnified
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_caption("Nomonhan")
        pygame.key.set_repeat(400, 40)
        self.fullscreen = fullscreen
        self.windowed_size = size or fitting_size(desktop_size())
        self.window = self._set_mode(self.windowed_size)
        self.surface = self._canvas()
        """What screens draw on: the window, or a smaller canvas that a magnified window enlarges."""
        self.scale = self._scale_for(self.size)
        self.manager = self._new_manager()
        self.screens: list[Screen] = []
        self.running = True
        self.notice: tuple[str, float] | None = None
        """A line the app itself says over any screen (a screenshot saved), and its age in seconds."""
        self.keys_down: set[int] = set()
        """Keys pressed and not yet released: a KEYDOWN of one of them is the keyboard's repeat."""

    def _set_mode(self, size: tuple[int, int]) -> pygame.Surface:
        if self.fullscreen:
            return pygame.display.set_mode(desktop_size() or size, pygame.FULLSCREEN)
        return pygame.display.set_mode(size, pygame.RESIZABLE)

    def _scale_for(self, size: tuple[int, int]) -> float:
        return style.ui_scale(size) if self.scaled else 1.0

    @property
    def magnification(self) -> int:
        """How many window pixels show one canvas pixel (1 unless magnified and at least 4K)."""
        return max(1, int(style.ui_scale(self.window.get_size()))) if self.magnified else 1

    def _canvas(self) -> pygame.Surface:
        times = self.magnification
        if times == 1:
            return self.window
        w, h = self.window.get_size()
        return pygame.Surface((w // times, h // times)).convert()

    def _new_manager(self) -> pygame_gui.UIManager:
        manager = pygame_gui.UIManager(self.size, style.gui_theme(self.scale))
        manager.preload_fonts(style.gui_fonts(self.scale))
        manager.mouse_pos_scale_factor = [1 / self.magnification, 1 / self.magnification]
        return manager

    def layout(self) -> Layout:
        """Where a game screen's parts go in this window."""
        return Layout(self.size, self.scale)

    def px(self, value: float) -> int:
        """``value`` pixels at scale 1, at this window's UI scale."""
        return round(value * self.scale)

    @property
    def size(self) -> tuple[int, int]:
        return self.surface.get_size()

    @property
    def top(self) -> Screen | None:
        return self.screens[-1] if self.screens else None

    # ------------------------------------------------------------ the screen stack
    def push(self, screen: Screen) -> None:
        if self.top is not None:
            self.top.cover()
        self.screens.append(screen)
        screen.enter()

    def pop(self) -> None:
        gone = self.screens.pop()
        gone.leave()
        gone.close()
        if self.top is not None:
            self.top.uncover()

    def replace_all(self, screen: Screen) -> None:
        while self.screens:
            gone = self.screens.pop()
            gone.leave()
            gone.close()
        self.push(screen)

    # ------------------------------------------------------------ where screens lead
    def open_start(self) -> None:
        self.replace_all(StartScreen(self))

    def open_play(self, session: Session) -> None:
        self.replace_all(PlayScreen(self, session))
        if session.state.game_over:
            self.end_game(session)

    def open_saved(self, path: str, on_error: Callable[[str], None]) -> None:
        try:
            session = Session.load(path)
        except Exception as exc:  # a bad file must not end the program: say why and carry on
            on_error(describe.file_error("Cannot load", path, exc))
            return
        self.open_play(session)

    def open_replay(self, game: Game, viewpoints: list[str | None] | None = None) -> None:
        self.replace_all(ReplayScreen(self, game, viewpoints=viewpoints))

    def open_replay_file(self, path: str, on_error: Callable[[str], None]) -> None:
        try:
            game = load_game(path)
            viewpoints = open_viewpoints(path, game)
        except Exception as exc:  # as above: report, keep the window
            on_error(describe.file_error("Cannot replay", path, exc))
            return
        self.open_replay(game, viewpoints)

    def hand_over(self, session: Session) -> None:
        self.push(HandoverScreen(self, session))

    def end_game(self, session: Session) -> None:
        self.push(EndScreen(self, session))

    def show_help(self, context: str) -> None:
        self.push(HelpScreen(self, context))

    # ------------------------------------------------------------ frames
    def step_frame(self, events: Iterable[pygame.event.Event] = (), dt: float = 1 / FPS, redraw: bool = True) -> bool:
        """One frame: queued and given events, ``dt`` seconds of time, a drawing (with ``redraw``
        False, only if there were events: an idle frame); True if there were events."""
        arrived = [*pygame.event.get(), *events]
        for event in arrived:
            self.handle_event(event)
            if not self.running:
                return True
        if self.top is not None:
            self.top.update(dt)
        self.manager.update(dt)
        if self.notice is not None:
            self.notice = (self.notice[0], self.notice[1] + dt) if self.notice[1] + dt < NOTICE_SECONDS else None
        if redraw or arrived:
            self.draw()
        return bool(arrived)

    def frame_rate(self, quiet: float) -> int:
        """Frames a second after ``quiet`` seconds without input: ``FPS`` while the player acts or
        something moves on the top screen (:meth:`Screen.animating`), else ``IDLE_FPS``."""
        busy = quiet < WAKE_SECONDS or (self.top is not None and self.top.animating())
        return FPS if busy else IDLE_FPS

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
            return
        if event.type == pygame.VIDEORESIZE:
            self.resize(event.size)
            return
        event = self._mark_repeat(event)
        if is_repeat(event) and event.key in (pygame.K_F11, pygame.K_F12):
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F12:
            try:
                self.notice = (f"Screenshot saved to {self.screenshot()}", 0.0)
            except OSError as exc:  # said over whatever screen is up; the game goes on
                self.notice = (f"Screenshot not saved: {exc}", 0.0)
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.toggle_fullscreen()
            return
        consumed = self.manager.process_events(event)  # pygame_gui scales positions itself
        if self.top is not None:
            self.top.handle_event(self._on_canvas(event), consumed)

    def _mark_repeat(self, event: pygame.event.Event) -> pygame.event.Event:
        """``event``, marked ``repeat`` if it is a KEYDOWN of a key still held (SDL's key repeat,
        kept for text boxes and the map's zoom), so one-press commands and the hot-seat
        hand-over can refuse it (:func:`nomonhan.ui.input.is_repeat`)."""
        if event.type == pygame.KEYUP:
            self.keys_down.discard(event.key)
        elif event.type == pygame.WINDOWFOCUSLOST:
            self.keys_down.clear()  # a key released in another window sends us no KEYUP
        elif event.type == pygame.KEYDOWN:
            if event.key in self.keys_down:
                return pygame.event.Event(event.type, {**event.dict, "repeat": True})
            self.keys_down.add(event.key)
        return event

    def _on_canvas(self, event: pygame.event.Event) -> pygame.event.Event:
        """``event`` with its pointer position on the canvas (as it is, unless magnified)."""
        times = self.magnification
        if times == 1 or not hasattr(event, "pos"):
            return event
        moved = {**event.dict, "pos": (event.pos[0] // times, event.pos[1] // times)}
        if hasattr(event, "rel"):
            moved["rel"] = (event.rel[0] // times, event.rel[1] // times)
        return pygame.event.Event(event.type, moved)

    def draw(self) -> None:
        first = len(self.screens) - 1
        while first > 0 and self.screens[first].see_through:
            first -= 1
        for screen in self.screens[max(first, 0) :]:
            screen.draw(self.surface)
        self.manager.draw_ui(self.surface)
        if self.notice is not None:
            line = style.halo_text(self.notice[0], self.px(20), style.INK, style.PAPER, True)
            self.surface.blit(line, line.get_rect(bottomleft=(self.px(12), self.size[1] - self.px(36))))
        if self.surface is not self.window:
            pygame.transform.scale(self.surface, self.window.get_size(), self.window)
        pygame.display.flip()

    def toggle_fullscreen(self) -> None:
        """F11: fullscreen on the display, or back to the window it left."""
        if not self.fullscreen:
            self.windowed_size = self.window.get_size()
        self.fullscreen = not self.fullscreen
        self.window = self._set_mode(self.windowed_size)
        self.surface = self._canvas()
        self.resize(self.window.get_size())

    def resize(self, size: tuple[int, int]) -> None:
        """Lay every screen out again for the new window size (a new UI scale: a new theme too)."""
        size = (max(size[0], MIN_SIZE[0]), max(size[1], MIN_SIZE[1]))
        if self.window.get_size() != size and not self.fullscreen:
            self.window = self._set_mode(size)
        self.surface = self._canvas()
        for screen in self.screens:
            screen.leave()
        scale = self._scale_for(size)
        if scale != self.scale:
            self.scale = scale
            self.manager = self._new_manager()
        self.manager.set_window_resolution(self.size)
        self.manager.mouse_pos_scale_factor = [1 / self.magnification, 1 / self.magnification]
        for screen in self.screens:
            screen.enter()
        for screen in self.screens[:-1]:
            screen.cover()

    def screenshot(self, path: str | Path | None = None) -> Path:
        """Save the window as PNG (F12), by default into ``<home>/screenshots``."""
        target = Path(path) if path else userdata.home() / "screenshots" / f"nomonhan-{datetime.now():%Y%m%d-%H%M%S-%f}.png"
        picture = io.BytesIO()
        pygame.image.save(self.window, picture, "screenshot.png")
        write_atomic(target, picture.getvalue())
        return target

    def run(self) -> None:
        clock = pygame.time.Clock()
        quiet = undrawn = 0.0
        while self.running:
            rate = self.frame_rate(quiet)
            dt = clock.tick(rate) / 1000
            undrawn += dt
            redraw = rate == FPS or undrawn >= IDLE_REDRAW_SECONDS
            had_events = self.step_frame(dt=dt, redraw=redraw)
            quiet = 0.0 if had_events else quiet + dt
            undrawn = 0.0 if redraw or had_events else undrawn
        pygame.quit()


def run_app(
    scenario_ref: str | None = None,
    side: str | None = None,
    opponent: str | None = None,
    load_path: str | Path | None = None,
    replay_path: str | Path | None = None,
    *,
    seed: int | None = None,
    size: tuple[int, int] | None = None,
    fullscreen: bool = False,
) -> None:
    """Open the window and play until it is closed.

    ``replay_path``: watch a game record.  ``load_path``: continue a saved game (``side``, if
    given, overrides who plays what).  ``scenario_ref`` (bundled id or path): start that
    scenario at once, as ``side`` (a side id, ``hotseat`` or ``watch``; default: the first side
    the scenario lists) against ``opponent`` (a computer player kind).  None of these: the start
    screen.  Files are read before the window opens, so a bad file raises the project's own
    error (``ScenarioError``, ``RecordError``, ``ValueError``) for the command line to report.
    """
    opponent = opponent or DEFAULT_PLAYER
    begin: Callable[[App], None]
    if replay_path is not None:
        game = load_game(replay_path)
        viewpoints = open_viewpoints(replay_path, game)
        begin = lambda app: app.open_replay(game, viewpoints)  # noqa: E731
    elif load_path is not None:
        session = Session.load(load_path, side, opponent)
        begin = lambda app: app.open_play(session)  # noqa: E731
    elif scenario_ref is not None:
        scenario = load_scenario(scenario_ref)
        controllers = controllers_for(scenario, side or scenario.sides[0].id, opponent)
        session = Session.new(scenario, secrets.randbelow(2**31) if seed is None else seed, controllers, str(scenario_ref))
        begin = lambda app: app.open_play(session)  # noqa: E731
    else:
        begin = App.open_start
    app = App(size, background_thinking=True, fullscreen=fullscreen)
    begin(app)
    app.run()
