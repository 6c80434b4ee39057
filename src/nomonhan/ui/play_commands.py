"""What the command buttons and keys of live play do, by the command names of :mod:`nomonhan.ui.input`.

A button and its key reach the same handler here, so the two cannot behave differently.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from nomonhan.actions import EndPhase
from nomonhan.ui import userdata
from nomonhan.ui.input import PLAY

if TYPE_CHECKING:
    from nomonhan.ui.play_screen import PlayScreen

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
    ("toggle_supply", "Supply: off (P)"),
    ("toggle_reach", "Threat: off (R)"),
    ("toggle_guns", "Guns: off (G)"),
)
"""The side panel's command buttons: (command, label)."""

LAYERS = {"supply": ("Supply", "P"), "reach": ("Threat", "R"), "guns": ("Guns", "G")}
"""The supply and threat overlays (:mod:`nomonhan.ui.intel`): name -> (button title, key)."""


class PlayCommands:
    def __init__(self, screen: PlayScreen) -> None:
        self.screen = screen

    def run(self, command: str) -> None:
        s = self.screen
        handlers: dict[str, Callable[[], None]] = {
            "end_phase": self.end_phase,
            "undo": self.undo,
            "next_unit": self.next_unit,
            "save": self.save,
            "load": lambda: s.dialogs.open_load(userdata.saves_dir()),
            "center": s.center_on_selection,
            "deselect": self.deselect,
            "menu": self.to_menu,
            "help": lambda: s.app.show_help(PLAY),
            "toggle_zoc": self.toggle_zoc,
            "toggle_fog": self.toggle_fog,
            **{f"toggle_{layer}": partial(self.toggle_layer, layer) for layer in LAYERS},
            "zoom_in": lambda: s.widget.zoom(1),
            "zoom_out": lambda: s.widget.zoom(-1),
            "ai_faster": lambda: self.set_speed(s.computer.speed + 1),
            "ai_slower": lambda: self.set_speed(s.computer.speed - 1),
        }
        handlers[command]()

    def end_phase(self) -> None:
        s = self.screen
        action = s.orders().first(EndPhase) if s.human_to_move else None
        if action is not None:
            s.play(action)

    def undo(self) -> None:
        s = self.screen
        if s.session.undo():
            s.logbook.forget_from(len(s.session.game.actions))
            s.glide = None
            s.lights.trail = []
            s.rebuild_log()
            s.say("Move taken back")
            s.refresh()
        else:
            s.say("Nothing to undo (only your own moves this phase that revealed nothing)")

    def next_unit(self) -> None:
        s = self.screen
        if not s.human_to_move:
            return
        ready = s.ready_units()
        if not ready:
            index = s.orders()
            side_orders = bool(index.targets(None)) or any(not isinstance(a, EndPhase) for a in index.untargeted(None))
            s.say(
                "No unit to select: give the side's orders (the ringed hexes, the buttons) or end the phase (E)"
                if side_orders
                else "No unit can act any more: end the phase (E)"
            )
            return
        after = ready.index(s.selected) + 1 if s.selected in ready else 0
        s.select(ready[after % len(ready)])
        s.center_on_selection()

    def set_speed(self, speed: int) -> None:
        """``[`` / ``]``: say the new speed under the map and show it in the top bar at once."""
        self.screen.say(self.screen.computer.set_speed(speed))
        self.screen.refresh()

    def save(self) -> None:
        s = self.screen
        try:
            path = s.session.save(userdata.quicksave_path(s.state.scenario.id))
        except OSError as exc:
            s.say(f"Not saved: {userdata.save_failed(exc)}")
        else:
            s.say(f"Saved to {path}")

    def deselect(self) -> None:
        self.screen.dialogs.close_choice()
        self.screen.select(None)

    def to_menu(self) -> None:
        """Back to the start screen: at once when the game is over, else after the player confirms."""
        if self.screen.state.game_over:
            self.leave()
        else:
            self.screen.dialogs.ask_to_leave()

    def leave(self) -> None:
        s = self.screen
        if not s.state.game_over:
            s.session.autosave()
        s.app.open_start()

    def toggle_zoc(self) -> None:
        self.screen.show_zoc = not self.screen.show_zoc
        self.screen.refresh_labels()

    def toggle_fog(self) -> None:
        self.screen.show_fog = not self.screen.show_fog
        self.screen.refresh_labels()

    def toggle_layer(self, layer: str) -> None:
        """Show or hide one of the supply and threat overlays."""
        self.screen.layers ^= {layer}
        self.screen.refresh()
