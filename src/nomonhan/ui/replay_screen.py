"""The replay viewer: step through a game record action by action or turn by turn.

The record is replayed once into a :class:`nomonhan.replay.Game` (which checks its digest), so
every position is at hand and stepping back costs nothing.  The view can be either side's, with
its fog of war, or the full picture.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame
import pygame_gui

from nomonhan.hexgrid import Hex
from nomonhan.replay import Game
from nomonhan.state import GameState
from nomonhan.ui import describe
from nomonhan.ui.input import REPLAY
from nomonhan.ui.log_view import LIMIT as LOG_LIMIT
from nomonhan.ui.log_view import LogView
from nomonhan.ui.logbook import LogBook
from nomonhan.ui.map_widget import MapClick, MapWidget
from nomonhan.ui.overlays import Highlights
from nomonhan.ui.panels import SidePanel, draw_chrome, draw_status
from nomonhan.ui.screen import MapScreen
from nomonhan.ui.view import MapView, make_view

if TYPE_CHECKING:
    from nomonhan.ui.app import App

PLAY_DELAY = 0.5
"""Seconds per action while the replay plays."""

COMMANDS = (
    ("first", "|< Start"),
    ("turn_back", "<< Turn"),
    ("step_back", "< Action"),
    ("step_forward", "Action >"),
    ("turn_forward", "Turn >>"),
    ("last", "End >|"),
    ("play_pause", "Play (Space)"),
    ("viewpoint", "View (V)"),
    ("menu", "Menu (Esc)"),
    ("toggle_zoc", "ZOC (Z)"),
    ("toggle_fog", "Fog (F)"),
    ("help", "Help (H)"),
)


class ReplayScreen(MapScreen):
    def __init__(self, app: App, game: Game, viewpoint: str | None = None, viewpoints: list[str | None] | None = None) -> None:
        """``viewpoints``: the views V cycles through (default: the full view and each side's);
        ``viewpoint`` must be one of them (default: the first)."""
        super().__init__(app)
        self.game = game
        self.cursor = 0
        self.viewpoints: list[str | None] = viewpoints or [None, *game.scenario.side_ids]
        self.viewpoint = viewpoint if viewpoint in self.viewpoints else self.viewpoints[0]
        layout = app.layout()
        self.widget = MapWidget(game.scenario, layout.map_rect, layout.minimap_rect, arrow_scroll=False, scale=app.scale)
        self.log = LogView()
        self.logbook = LogBook(game)
        self.panel: SidePanel | None = None
        self.lights = Highlights()
        self.show_zoc = False
        self.show_fog = True
        self.playing = False
        self._wait = 0.0

    @property
    def state(self) -> GameState:
        return self.game.states[self.cursor]

    @property
    def view(self) -> MapView:
        return make_view(self.state, self.viewpoint)

    @property
    def last(self) -> int:
        return len(self.game.actions)

    # ------------------------------------------------------------ screen protocol
    def enter(self) -> None:
        layout = self.app.layout()
        self.widget.place(layout.map_rect, layout.minimap_rect)
        self.panel = SidePanel(self.app.manager, layout, COMMANDS, entry_label="Jump to turn:")
        self.log.place(self.panel.log_rect, self.app.scale)
        self.go(self.cursor)

    def leave(self) -> None:
        if self.panel is not None:
            self.panel.kill()
            self.panel = None

    def handle_event(self, event: pygame.event.Event, consumed: bool) -> None:
        if event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and self.panel and event.ui_element is self.panel.entry:
            self.jump_to_turn(event.text)
            return
        self.route(event, consumed, REPLAY)

    def animating(self) -> bool:
        """Playing the record, or the map still painting or scrolling."""
        return self.playing or super().animating()

    def update(self, dt: float) -> None:
        self.widget.update(dt)
        self.lights.hover = self.widget.hover_hex()
        if self.playing:
            self._wait += dt
            if self._wait >= PLAY_DELAY:
                self._wait = 0.0
                if self.cursor < self.last:
                    self.go(self.cursor + 1)
                else:
                    self.playing = False
                    self._refresh_panel()

    def draw(self, surface: pygame.Surface) -> None:
        draw_chrome(surface, self.app.layout())
        view = self.view
        self.widget.draw(surface, view, self.lights, self.show_zoc, self.show_fog)
        hover = self.lights.hover
        draw_status(
            surface, self.app.layout().status_rect, describe.hex_summary(self.game.scenario, view, hover) if hover else "", self.app.scale
        )
        self.log.draw(surface)

    # ------------------------------------------------------------ commands
    def run(self, command: str) -> None:
        handlers: dict[str, Callable[[], None]] = {
            "first": lambda: self.go(0),
            "last": lambda: self.go(self.last),
            "step_back": lambda: self.go(self.cursor - 1),
            "step_forward": lambda: self.go(self.cursor + 1),
            "turn_back": self.turn_back,
            "turn_forward": self.turn_forward,
            "play_pause": self.play_pause,
            "viewpoint": self.next_viewpoint,
            "menu": self.app.open_start,
            "help": lambda: self.app.show_help(REPLAY),
            "toggle_zoc": self._toggle_zoc,
            "toggle_fog": self._toggle_fog,
            "zoom_in": lambda: self.widget.zoom(1),
            "zoom_out": lambda: self.widget.zoom(-1),
        }
        handlers[command]()

    def go(self, index: int) -> None:
        """Show the position after ``index`` actions (0: the start)."""
        index = min(max(index, 0), self.last)
        forward_one = index == self.cursor + 1
        self.cursor = index
        self.lights.trail = self._last_move()
        if forward_one:
            self.log.add(self.logbook.action_lines(index - 1, self.viewpoint))
        else:
            self.log.set(self.logbook.recent(self.viewpoint, index, LOG_LIMIT))
        self._refresh_panel()

    def turn_forward(self) -> None:
        turn = self.state.turn
        self.go(next((i for i in range(self.cursor + 1, self.last + 1) if self.game.states[i].turn > turn), self.last))

    def turn_back(self) -> None:
        start = self._turn_start(self.cursor)
        self.go(start if start < self.cursor else self._turn_start(max(start - 1, 0)))

    def _turn_start(self, index: int) -> int:
        turn = self.game.states[index].turn
        while index > 0 and self.game.states[index - 1].turn == turn:
            index -= 1
        return index

    def jump_to_turn(self, text: str) -> None:
        try:
            turn = int(text.strip())
        except ValueError:
            return
        self.go(next((i for i, s in enumerate(self.game.states) if s.turn >= turn), self.last))

    def play_pause(self) -> None:
        self.playing = not self.playing and self.cursor < self.last
        self._wait = 0.0
        self._refresh_panel()

    def next_viewpoint(self) -> None:
        self.viewpoint = self.viewpoints[(self.viewpoints.index(self.viewpoint) + 1) % len(self.viewpoints)]
        self.go(self.cursor)

    def _toggle_zoc(self) -> None:
        self.show_zoc = not self.show_zoc
        self._refresh_panel()

    def _toggle_fog(self) -> None:
        self.show_fog = not self.show_fog
        self._refresh_panel()

    def click(self, click: MapClick) -> None:
        units = [u.id for u in self.view.units_at(click.hex)] if click.button == 1 else []
        if self.lights.selected in units:
            self.lights.selected = units[(units.index(self.lights.selected) + 1) % len(units)]
        else:
            self.lights.selected = units[0] if units else None
        self._refresh_panel()

    # ------------------------------------------------------------ panel
    def _last_move(self) -> list[Hex]:
        watched = self.logbook.watched_move(self.cursor - 1, self.viewpoint) if self.cursor > 0 else None
        return watched[1] if watched else []

    def _refresh_panel(self) -> None:
        if self.panel is None:
            return
        scenario, state, view = self.game.scenario, self.state, self.view
        if self.lights.selected is not None and not any(u.id == self.lights.selected for u in view.units):
            self.lights.selected = None
        if self.lights.selected is not None:
            unit = state.unit(self.lights.selected)
            self.panel.set_unit(describe.unit_html(scenario, unit, own=True))
        else:
            before = self.game.states[self.cursor - 1] if self.cursor else None
            last = describe.action_label(before, self.game.actions[self.cursor - 1]) if before else "(the start)"
            if before is not None and self.viewpoint not in (None, before.acting_side):
                last = "(the other side acted)"
            result = f"<b>Game over</b>: {html.escape(describe.result_words(state))}<br>" if state.game_over else ""
            self.panel.set_unit(
                f"<b>Replay</b> of {html.escape(scenario.model.title)}<br>{result}"
                f"Last action: {html.escape(last)}<br>Click a counter for its details."
            )
        who = "full view" if self.viewpoint is None else f"seen by {describe.side_name(scenario, self.viewpoint)}"
        phase = (
            f"game over: {describe.result_headline(state)}"
            if state.game_over
            else f"{describe.side_name(scenario, state.active_side)}: {state.phase.value}"
        )
        self.panel.set_status(
            "   ·   ".join(
                [
                    f"Replay: action {self.cursor}/{self.last}",
                    *([phase] if state.game_over else []),  # the result before what a narrow bar may cut
                    f"Turn {state.turn}/{scenario.model.period.last_turn}",
                    describe.when(state.clock),
                    "night" if state.is_night else "day",
                    *([] if state.game_over else [phase]),
                    who,
                ]
            )
        )
        self.panel.set_label("play_pause", "Pause (Space)" if self.playing else "Play (Space)")
        self.panel.set_label("toggle_zoc", f"ZOC: {'on' if self.show_zoc else 'off'} (Z)")
        self.panel.set_label("toggle_fog", f"Fog: {'on' if self.show_fog else 'off'} (F)")
