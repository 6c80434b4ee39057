"""When a computer side blows a bridge: once none of its units is left across it and the enemy
is near (the Japanese blew their Bain Tsagan pontoon behind the Kobayashi group on 5 July 1939).

A bridge's far bank is what a man on foot reaches from its far end without a bridge
(:func:`nomonhan.rules.bridges.river_bank`): the side's units there would be cut off by blowing it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from nomonhan import engine
from nomonhan.actions import Action, DemolishBridge
from nomonhan.hexgrid import Hexside
from nomonhan.rules.bridges import river_bank
from nomonhan.state import GameState

ENEMY_NEAR_HEXES = 3
"""An enemy seen this close to either end of a bridge threatens to take it."""


def bridge_to_blow(state: GameState, options: Iterable[Action]) -> DemolishBridge | None:
    """The first legal demolition of a bridge with none of the side's units across it and an
    enemy unit in sight within :data:`ENEMY_NEAR_HEXES` of it, or None."""
    side = state.active_side
    enemies = [e.position for e in engine.visible_enemies(state, side)]
    if not enemies:
        return None
    for action in options:
        if not isinstance(action, DemolishBridge):
            continue
        here = state.unit(action.unit).position
        far = action.hexside.high if action.hexside.low == here else action.hexside.low
        if not any(min(e.distance(here), e.distance(far)) <= ENEMY_NEAR_HEXES for e in enemies):
            continue
        across = river_bank(state.scenario, far)
        if not any(u.on_map and u.side == side and state.scenario.board.index[u.position] in across for u in state.units):
            return action
    return None


def bridge_left_behind(state: GameState, options: Iterable[Action], given_up: Mapping[Hexside, frozenset[int]]) -> DemolishBridge | None:
    """The first legal demolition of a bridge back from a bridgehead the side has given up
    (:mod:`nomonhan.ai.withdrawal`), once none of its units is left on that bank, enemy near
    or not: the side has chosen to be rid of the bank, and a standing bridge is the enemy's way
    over after it."""
    side = state.active_side
    for action in options:
        if isinstance(action, DemolishBridge) and action.hexside in given_up:
            bank = given_up[action.hexside]
            if not any(u.on_map and u.side == side and state.scenario.board.index[u.position] in bank for u in state.units):
                return action
    return None
