"""Bridges and pontoons: who may throw or blow one, and what doing so changes.

A bridge or pontoon is game state (``GameState.bridges``): engineers throw a pontoon across a
bridgeable hexside (river or stream) next to them, and any unit next to a bridge may blow it.
Either takes the unit's whole movement for the phase.  See docs/rules.md, "Bridges".
"""

from __future__ import annotations

from dataclasses import replace

from nomonhan.actions import Action, BuildBridge, DemolishBridge
from nomonhan.events import BridgeBuilt, BridgeDemolished, Event
from nomonhan.rules.visibility import visible_enemies
from nomonhan.state import GameState, Phase


def bridge_options(state: GameState) -> list[Action]:
    """Pontoons engineers can throw, and bridges any unit can blow, next to units yet to move."""
    if state.phase is not Phase.MOVEMENT or state.pending is not None or state.game_over:
        return []
    sites = state.scenario.board.bridge_sites
    types = state.scenario.unit_types
    enemy_hexes = {u.hex for u in visible_enemies(state, state.active_side)}  # the far bank is adjacent, so always in sight
    options: list[Action] = []
    for u in state.units:
        if u.side != state.active_side or not u.on_map or u.moved or u.move_points <= 0 or u.hex not in sites:
            continue
        for side in sites[u.position]:
            far = side.high if side.low == u.hex else side.low
            if side in state.bridges:
                options.append(DemolishBridge(u.id, side))
            elif "engineer" in types[u.type_id].abilities and far not in enemy_hexes:
                options.append(BuildBridge(u.id, side))
    return options


def build_or_blow(state: GameState, action: BuildBridge | DemolishBridge) -> tuple[GameState, list[Event]]:
    """Carry out a bridge action already checked against :func:`bridge_options`."""
    unit = state.unit(action.unit)
    if isinstance(action, BuildBridge):
        bridges = state.bridges | {action.hexside}
        event: Event = BridgeBuilt(unit.id, action.hexside.low, action.hexside.high)
    else:
        bridges = state.bridges - {action.hexside}
        event = BridgeDemolished(unit.id, action.hexside.low, action.hexside.high)
    return replace(state.with_unit(replace(unit, move_points=0, moved=True)), bridges=bridges), [event]
