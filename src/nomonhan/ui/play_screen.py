"""Live play: the map, the side panel, the selection, and what the engine says about it.

The screen holds the selection and the highlights and redraws them; what a click means lives in
:mod:`~nomonhan.ui.play_gestures`, what a button or key does in :mod:`~nomonhan.ui.play_commands`,
the windows over the map in :mod:`~nomonhan.ui.play_dialogs` and the computer's pacing in
:mod:`~nomonhan.ui.computer_turn`.  Reach, costs and paths come from ``engine.reach`` and the
legal moves; changes go through the :class:`~nomonhan.ui.session.Session`.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pygame

from nomonhan import engine
from nomonhan.actions import Action, Attack, EndPhase, Move, Resolve
from nomonhan.hexgrid import Hex
from nomonhan.rules.movement import Reach
from nomonhan.state import GameState
from nomonhan.ui import counters, describe, play_text
from nomonhan.ui.computer_turn import ComputerTurn
from nomonhan.ui.input import PLAY
from nomonhan.ui.intel import Intel, intel_for
from nomonhan.ui.log_view import LIMIT as LOG_LIMIT
from nomonhan.ui.log_view import LogView
from nomonhan.ui.logbook import LogBook
from nomonhan.ui.map_widget import MapClick, MapWidget
from nomonhan.ui.orders import OrderIndex
from nomonhan.ui.overlays import Highlights
from nomonhan.ui.panels import SidePanel, draw_chrome, draw_status
from nomonhan.ui.play_commands import COMMANDS, LAYERS, PlayCommands
from nomonhan.ui.play_dialogs import PlayDialogs
from nomonhan.ui.play_gestures import MapGestures
from nomonhan.ui.prediction import Prediction, predict, predict_click
from nomonhan.ui.prediction_panel import PredictionCard
from nomonhan.ui.screen import MapScreen
from nomonhan.ui.session import Played, Session
from nomonhan.ui.thinker import Thinker
from nomonhan.ui.view import MapView, make_view

if TYPE_CHECKING:
    from nomonhan.ui.app import App

GLIDE_SECONDS = 0.3
MESSAGE_SECONDS = 5.0


class PlayScreen(MapScreen):
    def __init__(self, app: App, session: Session) -> None:
        super().__init__(app)
        self.session = session
        self._prediction_key: tuple[int, str | None, Hex] | None = None
        self._prediction: Prediction | None = None
        self.card = PredictionCard()
        self._order_forecast: tuple[tuple[int, Action], Prediction | None] | None = None
        """The forecast of the order button under the pointer, worked out once per position."""
        layout = app.layout()
        self.widget = MapWidget(session.game.scenario, layout.map_rect, layout.minimap_rect, scale=app.scale)
        self.log = LogView()
        self.logbook = LogBook(session.game)
        self.panel: SidePanel | None = None
        self.dialogs = PlayDialogs(app)
        self.commands = PlayCommands(self)
        self.gestures = MapGestures(self)
        self.computer = ComputerTurn(session, Thinker(app.background_thinking))
        self.show_zoc = True
        self.show_fog = True
        self.layers: set[str] = set()
        """Supply and threat overlays shown (``supply``, ``reach``, ``guns``)."""
        self._intel: tuple[GameState, str, Intel] | None = None
        self.selected: str | None = None
        self.lights = Highlights()
        self.reach: Reach | None = None
        """The selected unit's reach, from the engine (the path under the mouse is read from it)."""
        self.glide: tuple[str, list[Hex], float] | None = None
        """A unit sliding along its last move: (unit id, path, seconds elapsed)."""
        self.message = ""
        self._message_age = 0.0
        self._index: tuple[GameState, OrderIndex] | None = None
        self._shown_viewer = session.viewer
        self._cameras: dict[str, tuple[tuple[float, float], int]] = {}
        """Hot-seat: where each player last left the camera (centre, zoom)."""
        self._handover_due = session.hotseat
        self._look_over_own_units(session.viewer)

    # ------------------------------------------------------------ derived
    @property
    def state(self) -> GameState:
        return self.session.state

    @property
    def view(self) -> MapView:
        return make_view(self.state, self.session.viewer)

    @property
    def human_to_move(self) -> bool:
        return self.session.human_to_move()

    def orders(self) -> OrderIndex:
        """The legal actions of the current state, indexed once per state."""
        if self._index is None or self._index[0] is not self.state:
            self._index = (self.state, OrderIndex(self.state))
        return self._index[1]

    def intel(self) -> Intel:
        """The viewer's supply and threat picture (the side on turn's when watching), once per state."""
        side = self.session.viewer or self.state.acting_side
        if self._intel is None or self._intel[0] is not self.state or self._intel[1] != side:
            self._intel = (self.state, side, intel_for(self.state, side))
        return self._intel[2]

    def ready_units(self) -> list[str]:
        """The viewer's units that can still act now (empty when the human is not to move)."""
        if not self.human_to_move:
            return []
        return [u for u in self.orders().units_with_orders() if self.state.unit(u).side == self.session.viewer]

    # ------------------------------------------------------------ screen protocol
    def enter(self) -> None:
        layout = self.app.layout()
        self.widget.place(layout.map_rect, layout.minimap_rect)
        self.panel = SidePanel(self.app.manager, layout, COMMANDS, with_orders=True)
        self.log.place(self.panel.log_rect, self.app.scale)
        self.rebuild_log()
        self.refresh()

    def leave(self) -> None:
        self.dialogs.kill()
        if self.panel is not None:
            self.panel.kill()
        self.panel = None

    def close(self) -> None:
        self.computer.close()

    def uncover(self) -> None:
        super().uncover()
        if self._shown_viewer != self.session.viewer:
            self._hand_the_map_over()
        self.refresh()

    def _hand_the_map_over(self) -> None:
        """Hot-seat: the next player gets a map of their own, with nothing of the last player's
        left on it: no slide or trail still running (it could cross hexes the next one cannot
        see), no selection, and the camera where the next player last left it (or over their
        units), not where the last player was looking."""
        camera = self.widget.camera
        if self._shown_viewer is not None:
            self._cameras[self._shown_viewer] = (camera.center, camera.zoom)
        self._shown_viewer = viewer = self.session.viewer
        self.selected = None
        self.glide = None
        self.lights.trail = []
        kept = self._cameras.get(viewer) if viewer is not None else None
        if kept is not None:
            camera.zoom = kept[1]
            camera.look_at_map_units(kept[0])
        else:
            self._look_over_own_units(viewer)
        self.rebuild_log()

    def _look_over_own_units(self, viewer: str | None) -> None:
        """Centre the camera over the middle of ``viewer``'s units (nothing for the full view)."""
        own = [u.hex for u in self.state.units_of(viewer)] if viewer else []
        if own:
            self.widget.camera.center_on(own[len(own) // 2])  # type: ignore[arg-type]

    def handle_event(self, event: pygame.event.Event, consumed: bool) -> None:
        picked = self.dialogs.handle(event)
        if picked is not None and picked.action is not None:
            self.play(picked.action)
            return
        if picked is not None and picked.select is not None:
            self.select(picked.select)
            return
        if picked is not None and picked.path is not None:
            self.app.open_saved(picked.path, on_error=self.say)
            return
        if picked is not None and picked.leave:
            self.commands.leave()
            return
        order = self.panel.order_for(event) if self.panel else None
        if isinstance(order, list):
            self.dialogs.choose(self.state, order, self.widget.mouse)
            return
        if order is not None:
            self.play(order)
            return
        self.route(event, consumed, PLAY)

    def run(self, command: str) -> None:
        self.commands.run(command)

    def click(self, click: MapClick) -> None:
        self.gestures.click(click)

    def update(self, dt: float) -> None:
        if self._handover_due:
            self._handover_due = False
            self.app.hand_over(self.session)
            return
        self.widget.update(dt)
        self._message_age += dt
        if self.glide is not None:
            unit_id, path, elapsed = self.glide
            self.glide = (unit_id, path, elapsed + dt) if elapsed + dt < GLIDE_SECONDS else None
        self.computer.advance(dt, lambda: self.app.top is self, self._after_computer, self.say)
        self.gestures.track_mouse()

    def animating(self) -> bool:
        """A unit sliding, the computer playing, or the map still painting or scrolling."""
        return self.glide is not None or self.session.computer_to_move() or super().animating()

    def draw(self, surface: pygame.Surface) -> None:
        draw_chrome(surface, self.app.layout())
        lights = self.lights
        lights.moving = (self.glide[0], self.glide[1], self.glide[2] / GLIDE_SECONDS) if self.glide else None
        view = self.view
        self.widget.draw(surface, view, lights, self.show_zoc, self.show_fog)
        prediction = self.hover_prediction(lights.hover) if lights.hover is not None else None
        self.card.placed_at = None
        if prediction is not None and self.dialogs.choice is None:
            self.card.draw(surface, prediction, self.widget.mouse, self.widget.viewport, self.app.scale, self._selected_counter())
        else:
            self._draw_order_forecast(surface)
        text = self.message if self.message and self._message_age < MESSAGE_SECONDS else ""
        if not text and lights.hover is not None:
            text = prediction.summary if prediction else describe.hex_summary(self.state.scenario, view, lights.hover)
        draw_status(surface, self.app.layout().status_rect, text, self.app.scale)
        self.log.draw(surface)

    def _draw_order_forecast(self, surface: pygame.Surface) -> None:
        """The forecast of the order button (or chooser entry) the pointer rests on, as the card a
        target on the map shows, beside the button and on the map: Resolve, an overrun, the air
        patrol are seen in full before anything is rolled."""
        hovered = self.dialogs.hovered() or (self.panel.hovered_order() if self.panel is not None else None)
        if hovered is None or not self.human_to_move:
            return
        button, action = hovered
        key = (len(self.session.game.actions), action)
        if self._order_forecast is None or self._order_forecast[0] != key:
            self._order_forecast = (key, predict(self.state, action))
        prediction = self._order_forecast[1]
        if prediction is not None:
            pointer = (button.left, button.centery) if button.left >= self.widget.viewport.right else (button.right, button.centery)
            chooser = self.dialogs.choice.window.rect if self.dialogs.choice is not None else None
            self.card.draw(surface, prediction, pointer, self.widget.viewport, self.app.scale, chooser)

    def _selected_counter(self) -> pygame.Rect | None:
        """Where the selected unit's counter is on screen (the card keeps off it), or None."""
        unit = self.state.unit(self.selected) if self.selected is not None else None
        if unit is None or unit.hex is None:
            return None
        side = counters.counter_side(self.widget.camera.size)
        rect = pygame.Rect(0, 0, side, side)
        rect.center = tuple(round(v) for v in self.widget.camera.hex_center(unit.hex))
        return rect

    def hover_prediction(self, hex_: Hex) -> Prediction | None:
        """The prediction of the attack, bombardment or air mission a click on ``hex_`` would
        order (an attack: as the declaration would stand with this unit), or else of the
        declaration standing on ``hex_`` as Resolve would roll it; shown while the pointer rests
        there, before anything is committed; worked out once per position."""
        key = (len(self.session.game.actions), self.selected, hex_)
        if self._prediction_key != key:
            self._prediction_key, self._prediction = key, None
            if self.human_to_move:
                self._prediction = predict_click(self.state, self.orders().at(self.selected, hex_))
                declaration = self.state.declaration
                if self._prediction is None and declaration is not None and declaration.target == hex_:
                    self._prediction = predict(self.state, Resolve())  # the declaration as it stands
        return self._prediction

    # ------------------------------------------------------------ selection and play
    def select(self, unit_id: str | None) -> None:
        self.selected = unit_id
        self.refresh()

    def center_on_selection(self) -> None:
        if self.selected is not None:
            unit = self.state.unit(self.selected)
            if unit.hex is not None:
                self.widget.camera.center_on(unit.hex)

    def play(self, action: Action) -> None:
        self._after_play(self.session.play(action), by_computer=False)
        if self.session.idle_bombardment():
            self.play(EndPhase())

    def _after_computer(self, played: Played) -> bool:
        return self._after_play(played, by_computer=True)

    def _after_play(self, played: Played, by_computer: bool) -> bool:
        """Log, animate and hand over after any action; True if the viewer saw something happen."""
        viewer = self._shown_viewer
        lines = self.logbook.action_lines(len(self.session.game.actions) - 1, viewer)
        self.log.add(lines)
        watched = self.logbook.watched_move(len(self.session.game.actions) - 1, viewer)
        if watched is not None:
            self.glide = (watched[0], watched[1], 0.0)
            if by_computer:
                self.lights.trail = watched[1]
        if not by_computer:
            self.lights.trail = []
        if self.session.computer_to_move() and self.selected is not None:
            self.selected = None  # the panel follows the computer's turn, not a unit the player left selected
        if self.session.autosave_error:
            self.say(f"Autosave failed: {self.session.autosave_error}")
            self.session.autosave_error = ""
        self.refresh()
        if self.state.game_over:
            self.app.end_game(self.session)
        elif self.session.hotseat and self.session.viewer != self._shown_viewer:
            self.app.hand_over(self.session)
        return bool(lines)

    # ------------------------------------------------------------ refreshing the panel and highlights
    def refresh(self) -> None:
        view = self.view
        pending = self.state.pending
        if pending is not None and self.human_to_move and pending.kind == "retreat":
            self.selected = pending.units[0]  # the unit whose retreat is owed: its choices show at once
        if self.selected is not None and not any(u.id == self.selected for u in view.units):
            self.selected = None
        self._refresh_lights()
        if self.panel is None:
            return
        scenario = self.state.scenario
        if self.selected is not None:
            unit = self.state.unit(self.selected)
            overrun = self.human_to_move and any(
                isinstance(a, Attack) and a.overrun for actions in self.orders().targets(unit.id).values() for a in actions
            )
            works = describe.pontoon_notes(view, unit.hex) if unit.hex is not None and view.is_own(unit) else []
            self.panel.set_unit("<br>".join([describe.unit_html(scenario, unit, view.is_own(unit), overrun), *map(html.escape, works)]))
        else:
            targets = self.human_to_move and bool(self.orders().targets(None))
            self.panel.set_unit(play_text.idle_html(self.session, view, self.ready_units(), frozenset(self.layers), targets))
        self.panel.set_status(play_text.status_text(self.session, view, self.computer.speed_name))
        index = self.orders() if self.human_to_move else None
        self.panel.enable("end_phase", index is not None and index.first(EndPhase) is not None)
        self.panel.enable("undo", self.session.can_undo())
        self.panel.enable("next_unit", index is not None)
        buttons = self._button_orders(index)
        self.panel.set_orders([(describe.action_label(self.state, a), a) for a in buttons])
        self.log.place(self.panel.log_rect, self.app.scale)  # under the order buttons, as many as there are
        self.refresh_labels()

    def _button_orders(self, index: OrderIndex | None) -> list[Action]:
        """Orders no map click can give: the selected unit's and the side's (a pending advance: all)."""
        if index is None:
            return []
        pending = self.state.pending
        units = pending.units if pending is not None else ((self.selected,) if self.selected else ())
        found = [a for u in units for a in index.untargeted(u)] + index.untargeted(None)
        return [a for a in found if not isinstance(a, EndPhase)]

    def refresh_labels(self) -> None:
        if self.panel is not None:
            self.panel.set_label("toggle_zoc", f"ZOC: {'on' if self.show_zoc else 'off'} (Z)")
            self.panel.set_label("toggle_fog", f"Fog: {'on' if self.show_fog else 'off'} (F)")
            for layer, (title, key) in LAYERS.items():
                self.panel.set_label(f"toggle_{layer}", f"{title}: {'on' if layer in self.layers else 'off'} ({key})")

    def _refresh_lights(self) -> None:
        """Reach, costs and target hexes of the selection, all from the engine's answers."""
        lights = self.lights
        lights.selected = self.selected
        lights.reach, lights.destinations, lights.targets, lights.path = {}, frozenset(), {}, []
        lights.ready = None
        self.reach = None
        lights.layers = frozenset(self.layers)
        lights.intel = self.intel() if self.layers else None
        if not self.human_to_move:
            return
        index = self.orders()
        lights.ready = frozenset(index.units_with_orders())
        unit_id = self.selected
        if unit_id is not None and self.state.unit(unit_id).side != self.session.viewer:
            unit_id = None
        targets = index.targets(unit_id)
        moves = frozenset(h for h, actions in targets.items() if any(isinstance(a, Move) for a in actions))
        if unit_id is not None and moves:
            self.reach = engine.reach(self.state, unit_id)
            lights.reach = self.reach.hexes()
            lights.destinations = moves
        lights.targets = {h: label for h, actions in targets.items() if (label := describe.target_label(actions))}

    def rebuild_log(self) -> None:
        lines = self.logbook.recent(self._shown_viewer, len(self.session.game.actions), LOG_LIMIT)
        if len(lines) < LOG_LIMIT:
            lines = [describe.opening_entry(self.session.game.states[0])] + lines
        self.log.set(lines)

    def say(self, message: str) -> None:
        self.message = message
        self._message_age = 0.0
