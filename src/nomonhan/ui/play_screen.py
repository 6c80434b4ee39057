"""Live play: the map, the side panel, the selection, and the computer's moves one at a time.

A click is interpreted only through the legal actions (:class:`~nomonhan.ui.orders.OrderIndex`):
with a unit selected, a hex where it has one action plays it, several open a chooser; otherwise
the click selects what stands there.  Reach, costs and paths come from ``engine.reach`` and the
legal moves; changes go through the :class:`~nomonhan.ui.session.Session`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.windows import UIFileDialog

from nomonhan import engine
from nomonhan.actions import Action, EndPhase, IllegalActionError, Move
from nomonhan.events import UnitMoved
from nomonhan.hexgrid import Hex
from nomonhan.rules.movement import Reach
from nomonhan.state import GameState, Phase
from nomonhan.ui import describe, userdata
from nomonhan.ui.input import PLAY
from nomonhan.ui.log_view import LIMIT as LOG_LIMIT
from nomonhan.ui.log_view import LogView
from nomonhan.ui.logbook import LogBook, seen_unit_ids
from nomonhan.ui.map_widget import MapClick, MapWidget
from nomonhan.ui.orders import OrderIndex
from nomonhan.ui.overlays import Highlights
from nomonhan.ui.panels import ChoiceWindow, Layout, SidePanel, draw_chrome, draw_status
from nomonhan.ui.screen import MapScreen
from nomonhan.ui.session import Played, Session
from nomonhan.ui.thinker import Thinker
from nomonhan.ui.view import MapView, make_view

if TYPE_CHECKING:
    from nomonhan.ui.app import App

AI_DELAYS = (1.6, 0.9, 0.45, 0.2, 0.0)
"""Seconds between the computer's visible actions, slowest first ([ and ] change it)."""
AI_SPEED_NAMES = ("very slow", "slow", "normal", "fast", "instant")
AI_FRAME_BUDGET = 200
"""Most computer actions played in one frame (moves the viewer cannot see cost no waiting)."""
GLIDE_SECONDS = 0.3
MESSAGE_SECONDS = 5.0

PHASE_HINTS = {
    Phase.AIR: "Air phase: click a highlighted enemy hex to fly support or interdiction there.",
    Phase.MOVEMENT: "Movement phase.",
    Phase.BOMBARDMENT: "Bombardment phase: select a gun, click a red target.",
    Phase.COMBAT: "Combat phase: select a unit next to the enemy, click the red target.",
}

COMMANDS = (
    ("end_phase", "End phase (E)"),
    ("undo", "Undo (U)"),
    ("next_unit", "Next unit (N)"),
    ("save", "Save (S)"),
    ("load", "Load (L)"),
    ("menu", "Menu"),
    ("toggle_zoc", "ZOC: on (Z)"),
    ("toggle_fog", "Fog: on (F)"),
    ("help", "Help (H)"),
)


class PlayScreen(MapScreen):
    def __init__(self, app: App, session: Session) -> None:
        super().__init__(app)
        self.session = session
        layout = Layout(app.size)
        self.widget = MapWidget(session.game.scenario, layout.map_rect, layout.minimap_rect)
        self.log = LogView()
        self.logbook = LogBook(session.game)
        self.panel: SidePanel | None = None
        self.show_zoc = True
        self.show_fog = True
        self.selected: str | None = None
        self.lights = Highlights()
        self.ai_speed = 2
        self.message = ""
        self._message_age = 0.0
        self._reach: Reach | None = None
        self._index: tuple[GameState, OrderIndex] | None = None
        self._ai_wait = 0.0
        self._glide: tuple[str, list[Hex], float] | None = None
        self._choice: ChoiceWindow | None = None
        self._dialog: UIFileDialog | None = None
        self.thinker = Thinker(app.background_thinking)
        self._shown_viewer = session.viewer
        self._handover_due = session.hotseat
        own = [u.hex for u in session.state.units_of(session.viewer)] if session.viewer else []
        if own:
            self.widget.camera.center_on(own[len(own) // 2])  # type: ignore[arg-type]

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

    # ------------------------------------------------------------ screen protocol
    def enter(self) -> None:
        layout = Layout(self.app.size)
        self.widget.place(layout.map_rect, layout.minimap_rect)
        self.panel = SidePanel(self.app.manager, layout, COMMANDS, with_orders=True)
        self.log.place(self.panel.log_rect)
        self._rebuild_log()
        self.refresh()

    def leave(self) -> None:
        for element in (self.panel, self._choice, self._dialog):
            if element is not None:
                element.kill()
        self.panel = self._choice = self._dialog = None

    def close(self) -> None:
        self.thinker.close()

    def cover(self) -> None:
        if self.panel:
            self.panel.hide()

    def uncover(self) -> None:
        if self.panel:
            self.panel.show()
        if self._shown_viewer != self.session.viewer:
            self._shown_viewer = self.session.viewer
            self.selected = None
            self._rebuild_log()
        self.refresh()

    def handle_event(self, event: pygame.event.Event, consumed: bool) -> None:
        if self._choice is not None:
            action = self._choice.picked(event)
            if action is not None:
                self._close_choice()
                self.play(action)
                return
        order = self.panel.order_for(event) if self.panel else None
        if isinstance(order, list):
            self._choose(order)
            return
        if order is not None:
            self.play(order)
            return
        if event.type == pygame_gui.UI_FILE_DIALOG_PATH_PICKED and event.ui_element is self._dialog:
            self._dialog = None
            self.app.open_saved(event.text, on_error=self.say)
            return
        if event.type == pygame_gui.UI_WINDOW_CLOSE and self._choice is not None and event.ui_element is self._choice.window:
            self._choice = None
        self.route(event, consumed, PLAY)

    def update(self, dt: float) -> None:
        if self._handover_due:
            self._handover_due = False
            self.app.hand_over(self.session)
            return
        self.widget.update(dt)
        self._message_age += dt
        if self._glide is not None:
            unit_id, path, elapsed = self._glide
            self._glide = (unit_id, path, elapsed + dt) if elapsed + dt < GLIDE_SECONDS else None
        self._computer_moves(dt)
        self._track_mouse()

    def draw(self, surface: pygame.Surface) -> None:
        draw_chrome(surface, Layout(self.app.size))
        lights = self.lights
        lights.moving = (self._glide[0], self._glide[1], self._glide[2] / GLIDE_SECONDS) if self._glide else None
        view = self.view
        self.widget.draw(surface, view, lights, self.show_zoc, self.show_fog)
        text = self.message if self.message and self._message_age < MESSAGE_SECONDS else ""
        if not text and lights.hover is not None:
            text = describe.hex_summary(self.state.scenario, view, lights.hover)
        draw_status(surface, Layout(self.app.size).status_rect, text)
        self.log.draw(surface)

    # ------------------------------------------------------------ commands
    def run(self, command: str) -> None:
        handlers: dict[str, Callable[[], None]] = {
            "end_phase": self.end_phase,
            "undo": self.undo,
            "next_unit": self.next_unit,
            "save": self.save,
            "load": self.open_load_dialog,
            "center": self.center_on_selection,
            "deselect": self.deselect,
            "menu": self.to_menu,
            "help": lambda: self.app.show_help(PLAY),
            "toggle_zoc": self.toggle_zoc,
            "toggle_fog": self.toggle_fog,
            "zoom_in": lambda: self.widget.zoom(1),
            "zoom_out": lambda: self.widget.zoom(-1),
            "ai_faster": lambda: self._set_ai_speed(self.ai_speed + 1),
            "ai_slower": lambda: self._set_ai_speed(self.ai_speed - 1),
        }
        handlers[command]()

    def end_phase(self) -> None:
        action = self.orders().first(EndPhase) if self.human_to_move else None
        if action is not None:
            self.play(action)

    def undo(self) -> None:
        if self.session.undo():
            self.logbook.forget_from(len(self.session.game.actions))
            self._glide = None
            self.lights.trail = []
            self._rebuild_log()
            self.say("Move taken back")
            self.refresh()
        else:
            self.say("Nothing to undo (only your own moves this phase that revealed nothing)")

    def next_unit(self) -> None:
        if not self.human_to_move:
            return
        ready = [u for u in self.orders().units_with_orders() if self.state.unit(u).side == self.session.viewer]
        if not ready:
            self.say("No unit can act any more: end the phase (E)")
            return
        after = ready.index(self.selected) + 1 if self.selected in ready else 0
        self.select(ready[after % len(ready)])
        self.center_on_selection()

    def save(self) -> None:
        try:
            path = self.session.save(userdata.quicksave_path(self.state.scenario.id))
        except OSError as exc:
            self.say(f"Not saved: {exc}")
        else:
            self.say(f"Saved to {path}")

    def open_load_dialog(self) -> None:
        if self._dialog is None or not self._dialog.alive():
            folder = userdata.saves_dir()
            folder.mkdir(parents=True, exist_ok=True)
            w, h = self.app.size
            self._dialog = UIFileDialog(pygame.Rect(w // 2 - 300, h // 2 - 250, 600, 500), self.app.manager,
                                        window_title="Load a saved game", initial_file_path=str(folder),
                                        allow_existing_files_only=True, allowed_suffixes={".json"})

    def center_on_selection(self) -> None:
        if self.selected is not None:
            unit = self.state.unit(self.selected)
            if unit.hex is not None:
                self.widget.camera.center_on(unit.hex)

    def deselect(self) -> None:
        if self._choice is not None:
            self._close_choice()
        self.select(None)

    def to_menu(self) -> None:
        if not self.state.game_over:
            self.session.autosave()
        self.app.open_start()

    def toggle_zoc(self) -> None:
        self.show_zoc = not self.show_zoc
        self._refresh_labels()

    def toggle_fog(self) -> None:
        self.show_fog = not self.show_fog
        self._refresh_labels()

    def _set_ai_speed(self, speed: int) -> None:
        self.ai_speed = min(max(speed, 0), len(AI_DELAYS) - 1)
        self.say(f"Computer speed: {AI_SPEED_NAMES[self.ai_speed]}")

    # ------------------------------------------------------------ selection and orders
    def click(self, click: MapClick) -> None:
        if click.button == 3:
            self.deselect()
            return
        if self._choice is not None:
            self._close_choice()
        actions = self.orders().at(self.selected, click.hex) if self.human_to_move else []
        if len(actions) == 1:
            self.play(actions[0])
        elif actions:
            self._choose(actions)
        else:
            self._select_at(click.hex)

    def _choose(self, actions: list[Action]) -> None:
        """Several orders fit one click: let the player pick (attacks show their forecast)."""
        self._close_choice()
        options = [(describe.action_label(self.state, a), a, describe.action_details(self.state, a)) for a in actions]
        self._choice = ChoiceWindow(self.app.manager, self.widget.mouse, options)

    def _select_at(self, hex_: Hex) -> None:
        """Select the unit seen at ``hex_``; clicking the same stack again picks the next unit in it."""
        units = [u.id for u in self.view.units_at(hex_)]
        if not units:
            self.select(None)
        elif self.selected in units:
            self.select(units[(units.index(self.selected) + 1) % len(units)])
        else:
            own = [u for u in units if self.state.unit(u).side == self.session.viewer]
            self.select((own or units)[0])

    def select(self, unit_id: str | None) -> None:
        self.selected = unit_id
        self.refresh()

    def _close_choice(self) -> None:
        if self._choice is not None:
            self._choice.kill()
            self._choice = None

    def play(self, action: Action) -> None:
        self._after_play(self.session.play(action), by_computer=False)

    def _computer_moves(self, dt: float) -> None:
        """Play the computer's actions one at a time, ``AI_DELAYS`` apart when the viewer sees them."""
        if not self.session.computer_to_move():
            self._ai_wait = 0.0
            return
        delay = AI_DELAYS[self.ai_speed]
        self._ai_wait += dt
        for _ in range(AI_FRAME_BUDGET):
            if not self.session.computer_to_move() or self._ai_wait < delay or self.app.top is not self:
                return
            action = self.thinker.answer(self.session)
            if action is None:
                return
            if self._after_play(self._play_computer(action), by_computer=True) and delay > 0:
                self._ai_wait = 0.0
                return

    def _play_computer(self, action: Action) -> Played:
        """Play the computer's choice; if the engine refuses it (a player bug), end its phase instead."""
        try:
            return self.session.play(action)
        except IllegalActionError as exc:
            fallback = engine.legal_actions(self.state)[-1]
            self.say(f"The computer chose an illegal action ({exc}); it plays '{fallback.notation()}' instead")
            return self.session.play(fallback)

    def _after_play(self, played: Played, by_computer: bool) -> bool:
        """Log, animate and hand over after any action; True if the viewer saw something happen."""
        viewer = self._shown_viewer
        lines = self.logbook.action_lines(len(self.session.game.actions) - 1, viewer)
        self.log.add(lines)
        seen = seen_unit_ids(played.before, viewer) | seen_unit_ids(played.after, viewer)
        moved = next((e for e in played.events if isinstance(e, UnitMoved) and e.unit in seen), None)
        if moved is not None:
            self._glide = (moved.unit, list(moved.path), 0.0)
            if by_computer:
                self.lights.trail = list(moved.path)
        if not by_computer:
            self.lights.trail = []
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
            self.panel.set_unit(describe.unit_html(scenario, unit, view.is_own(unit)))
        else:
            self.panel.set_unit(self._idle_text(view))
        self.panel.set_status(self._status_text())
        index = self.orders() if self.human_to_move else None
        self.panel.enable("end_phase", index is not None and index.first(EndPhase) is not None)
        self.panel.enable("undo", self.session.can_undo())
        self.panel.enable("next_unit", index is not None)
        self.panel.set_orders([(describe.action_label(self.state, a), a) for a in self._button_orders(index)])
        self._refresh_labels()

    def _button_orders(self, index: OrderIndex | None) -> list[Action]:
        """Orders no map click can give: the selected unit's and the side's (a pending advance: all)."""
        if index is None:
            return []
        pending = self.state.pending
        units = pending.units if pending is not None else ((self.selected,) if self.selected else ())
        found = [a for u in units for a in index.untargeted(u)] + index.untargeted(None)
        return [a for a in found if not isinstance(a, EndPhase)]

    def _refresh_labels(self) -> None:
        if self.panel is not None:
            self.panel.set_label("toggle_zoc", f"ZOC: {'on' if self.show_zoc else 'off'} (Z)")
            self.panel.set_label("toggle_fog", f"Fog: {'on' if self.show_fog else 'off'} (F)")

    def _refresh_lights(self) -> None:
        """Reach, costs and target hexes of the selection, all from the engine's answers."""
        lights = self.lights
        lights.selected = self.selected
        lights.reach, lights.destinations, lights.targets, lights.path = {}, frozenset(), {}, []
        lights.ready = None
        self._reach = None
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
            self._reach = engine.reach(self.state, unit_id)
            lights.reach = self._reach.hexes()
            lights.destinations = moves
        lights.targets = {h: label for h, actions in targets.items() if (label := describe.target_label(actions))}

    def _track_mouse(self) -> None:
        hover = self.widget.hover_hex()
        self.lights.hover = hover
        if self._reach is not None and hover in self.lights.destinations:
            self.lights.path = self._reach.path_to(hover)
        else:
            self.lights.path = []

    def _status_text(self) -> str:
        state, scenario, view = self.state, self.state.scenario, self.view
        parts = [
            f"Turn {state.turn}/{scenario.model.period.last_turn}",
            describe.when(state.clock),
            ("night" if state.is_night else "day") + ("" if view.weather == "clear" else f", {view.weather}"),
        ]
        if state.game_over:
            parts.append("game over")
        else:
            parts.append(f"{describe.side_name(scenario, state.active_side)}: {state.phase.value} phase")
            if view.pending is not None:
                parts.append(f"{describe.side_name(scenario, view.pending.side)} must {view.pending.kind}")
            elif state.phase is Phase.AIR and self.human_to_move:
                parts.append(f"{view.air.points_left} air points left")
        if self.session.computer_to_move():
            parts.append(f"computer thinking ({AI_SPEED_NAMES[self.ai_speed]}, [ ] to change)")
        elif self.session.viewer is not None and not state.game_over:
            parts.append(f"you: {describe.side_name(scenario, self.session.viewer)}")
        return "   ·   ".join(parts)

    def _idle_text(self, view: MapView) -> str:
        scenario = self.state.scenario
        lines = [f"<b>{html.escape(scenario.model.title)}</b>"]
        if self.human_to_move:
            ready = [u for u in self.orders().units_with_orders() if self.state.unit(u).side == self.session.viewer]
            lines.append(PHASE_HINTS.get(self.state.phase, ""))
            if ready:
                lines.append(f"{len(ready)} of your units can act: click a counter, or press N.")
        reserves = describe.reserves_html(scenario, view.reserves)
        if reserves:
            lines += ["", "<b>Reinforcements to come</b>", reserves]
        return "<br>".join(lines)

    def _rebuild_log(self) -> None:
        lines = self.logbook.recent(self._shown_viewer, len(self.session.game.actions), LOG_LIMIT)
        if len(lines) < LOG_LIMIT:
            lines = [describe.opening_entry(self.session.game.states[0])] + lines
        self.log.set(lines)

    def say(self, message: str) -> None:
        self.message = message
        self._message_age = 0.0

