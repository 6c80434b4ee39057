"""The words of live play: the top bar's status line and the side panel when no unit is selected."""

from __future__ import annotations

import html

from nomonhan.state import Declaration, Phase
from nomonhan.ui import describe
from nomonhan.ui.session import Session
from nomonhan.ui.view import MapView

PHASE_HINTS = {
    Phase.AIR: "Air phase: click a highlighted enemy hex to fly support or interdiction there.",
    Phase.MOVEMENT: "Movement phase.",
    Phase.BOMBARDMENT: "Bombardment phase: select a gun, click a red target.",
    Phase.COMBAT: "Combat phase: select a unit next to the enemy, click the red target.",
}


def status_text(session: Session, view: MapView, speed_name: str) -> str:
    """Turn, date, light and weather, whose phase, what is awaited, and who you are."""
    state = session.state
    scenario = state.scenario
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
        elif state.phase is Phase.AIR and session.human_to_move():
            parts.append(f"{view.air.points_left} air points left")
    if session.computer_to_move():
        parts.append("computer thinking ([ ] change its speed)")
    elif session.viewer is not None and not state.game_over:
        parts.append(f"you: {describe.side_name(scenario, session.viewer)}")
    if session.players and not state.game_over:
        parts.append(f"computer speed: {speed_name}")
    return "   ·   ".join(parts)


OVERLAY_KEYS = {
    "supply": "<b>Supply</b>: blue tint, dashed blue edge; magenta: out of supply, cut off",
    "reach": "<b>Threat</b>: orange hatching: where the enemy could move next turn",
    "guns": "<b>Guns</b>: cyan dots: where your guns can fire",
}
"""What each overlay's marks mean, shown while it is on (the map has no other key)."""


def declaration_html(session: Session, declaration: Declaration) -> str:
    """The declaration standing, in words: what, on which hex, by whom, and how to commit it."""
    scenario = session.state.scenario
    units = ", ".join(describe.unit_name(scenario, u) for u in declaration.units)
    guns = ", ".join(describe.unit_name(scenario, u) for u in declaration.guns)
    kind = "Attack" if session.state.phase is Phase.COMBAT else "Bombardment"
    by = " and ".join(part for part in (units, f"guns {guns}" if units and guns else guns) if part)
    return (
        f"<b>{kind} declared on {html.escape(describe.where(scenario, declaration.target))}</b> by {html.escape(by)}: "
        "nothing is rolled until you press <b>Resolve</b> (rest the pointer on it, or on the target, "
        "for the forecast); <b>Cancel</b> withdraws it."
    )


NO_AIR_TARGET = (
    "Air phase: no enemy hex in sight to fly support or interdiction over; "
    "fly the air superiority patrol (its button), or end the phase (E)."
)


def idle_html(session: Session, view: MapView, ready: list[str], layers: frozenset[str] = frozenset(), map_targets: bool = True) -> str:
    """The side panel with no unit selected: the scenario, the phase's hint, the key to the
    overlays switched on, reinforcements to come.  ``map_targets``: a click on some hex orders
    something with nothing selected (an air mission), so the air phase's hint may say "click"."""
    state = session.state
    scenario = state.scenario
    lines = [f"<b>{html.escape(scenario.model.title)}</b>"]
    if session.human_to_move():
        lines.append(NO_AIR_TARGET if state.phase is Phase.AIR and not map_targets else PHASE_HINTS.get(state.phase, ""))
        if view.declaration is not None:
            lines.append(declaration_html(session, view.declaration))
        if ready:
            lines.append(f"{len(ready)} of your units can act: click a counter, or press N.")
    elif session.computer_to_move():
        side = describe.side_name(scenario, state.acting_side)
        lines.append(f"The computer ({html.escape(side)}) is playing: what you can see of its moves shows on the map and in the log.")
    lines += [OVERLAY_KEYS[layer] for layer in OVERLAY_KEYS if layer in layers]
    reserves = describe.reserves_html(scenario, view.reserves)
    if reserves:
        lines += ["", "<b>Reinforcements to come</b>", reserves]
    return "<br>".join(lines)
