"""What the mouse means on the map in live play: clicks to select or order, the path under the mouse.

A click is interpreted only through the legal actions (:class:`~nomonhan.ui.orders.OrderIndex`):
with a unit selected, a hex where it has one action plays it, several open a chooser; otherwise
the click selects what stands there.  An order that rolls the die at once (an overrun) is never
played by a single click: the chooser opens, with its forecast, and picking it there commits.
Nor is an order on a hex where other units of the player's own stand: the click may as well
mean "that unit now", so the chooser offers the orders and selecting each of those units.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nomonhan.actions import Attack
from nomonhan.hexgrid import Hex
from nomonhan.ui import describe
from nomonhan.ui.map_widget import MapClick

if TYPE_CHECKING:
    from nomonhan.ui.play_screen import PlayScreen


class MapGestures:
    def __init__(self, screen: PlayScreen) -> None:
        self.screen = screen

    def click(self, click: MapClick) -> None:
        s = self.screen
        if click.button == 3:
            s.commands.deselect()
            return
        s.dialogs.close_choice()
        actions = s.orders().at(s.selected, click.hex) if s.human_to_move else []
        others = self.own_units_besides_selected(click.hex) if actions else []
        if len(actions) == 1 and not isinstance(actions[0], Attack) and not others:
            s.play(actions[0])
        elif actions:
            s.dialogs.choose(s.state, actions, s.widget.mouse, select=others)
        else:
            refused = self.why_nothing(click.hex)
            self.select_at(click.hex)
            if refused:
                s.say(refused)

    def own_units_besides_selected(self, hex_: Hex) -> list[str]:
        """The player's units at ``hex_`` other than the selected one, which a click there may
        mean to select; none while a retreat or an advance is awaited (the pending unit's order comes first)."""
        s = self.screen
        if s.state.pending is not None:
            return []
        return [u.id for u in s.view.units_at(hex_) if u.side == s.session.viewer and u.id != s.selected]

    def why_nothing(self, hex_: Hex) -> str:
        """Why a click on an empty ``hex_`` gives the selected unit no order, in the engine's
        terms (its reach and its orders), or "" when the click only selects or deselects."""
        s = self.screen
        if s.selected is None or not s.human_to_move or s.view.units_at(hex_):
            return ""
        unit = s.state.unit(s.selected)
        if unit.side != s.session.viewer:
            return ""
        name, there = describe.unit_name(s.state.scenario, unit.id), describe.where(s.state.scenario, hex_)
        if unit.id not in s.orders().units_with_orders():
            return f"{name} can do nothing more this phase"
        if hex_ in s.lights.reach:
            return f"{name} can pass through {there} but not stop there"
        if s.reach is not None:
            return f"{there} is out of reach of {name} ({unit.move_points} move points left)"
        return f"No order for {name} at {there} in this phase"

    def select_at(self, hex_: Hex) -> None:
        """Select the unit seen at ``hex_``; clicking the same stack again picks the next unit in it."""
        s = self.screen
        units = [u.id for u in s.view.units_at(hex_)]
        if not units:
            s.select(None)
        elif s.selected in units:
            s.select(units[(units.index(s.selected) + 1) % len(units)])
        else:
            own = [u for u in units if s.state.unit(u).side == s.session.viewer]
            s.select((own or units)[0])

    def track_mouse(self) -> None:
        """The hovered hex, and the selected unit's path to it when it can end its move there."""
        s = self.screen
        lights = s.lights
        hover = s.widget.hover_hex()
        lights.hover = hover
        if s.reach is not None and hover in lights.destinations:
            lights.path = s.reach.path_to(hover)
        else:
            lights.path = []
