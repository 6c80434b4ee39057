"""When a computer side blows a bridge: once none of its units is left across it and the enemy
is near (the Japanese blew their Bain Tsagan pontoon behind the Kobayashi group on 5 July 1939).
A bridge the side has not yet crossed is spared while its far bank holds an objective the side
still wants: it is the way forward, not a way back (the Kobayashi group threw its pontoon on the
night of 2/3 July to reach Bain Tsagan, with nobody over yet and Mongolian cavalry near).

A bridge's far bank is what a man on foot reaches from its far end without a bridge
(:func:`nomonhan.rules.bridges.river_bank`): the side's units there would be cut off by blowing it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from nomonhan import engine
from nomonhan.actions import Action, DemolishBridge
from nomonhan.hexgrid import Hex, Hexside
from nomonhan.rules.bridges import river_bank
from nomonhan.state import GameState, Unit

ENEMY_NEAR_HEXES = 3
"""An enemy seen this close to either end of a bridge threatens to take it."""


def bridge_to_blow(
    state: GameState, options: Iterable[Action], wanted: Collection[Hex] = (), crossed: Collection[Hexside] = ()
) -> DemolishBridge | None:
    """The first legal demolition of a bridge with none of the side's units across it and an
    enemy unit in sight within :data:`ENEMY_NEAR_HEXES` of it, or None.  A bridge not in
    ``crossed`` (see :func:`bridges_crossed`) with a ``wanted`` objective on its far bank is
    spared."""
    board = state.scenario.board
    enemies = [e.position for e in engine.visible_enemies(state, state.active_side)]
    if not enemies:
        return None
    for action in options:
        if not isinstance(action, DemolishBridge):
            continue
        here = state.unit(action.unit).position
        far = action.hexside.high if action.hexside.low == here else action.hexside.low
        if not any(min(e.distance(here), e.distance(far)) <= ENEMY_NEAR_HEXES for e in enemies):
            continue
        if action.hexside not in crossed and any(board.index[goal] in _far_bank(state, action) for goal in wanted):
            continue
        if not _units_across(state, action):
            return action
    return None


def bridges_crossed(state: GameState, options: Iterable[Action]) -> set[Hexside]:
    """The bridges among the legal demolitions with some of the side's units across them now:
    the player remembers them as bridges it has been over."""
    return {a.hexside for a in options if isinstance(a, DemolishBridge) and _units_across(state, a)}


def tended_bridge_end(state: GameState, unit: Unit) -> Hex | None:
    """Where an engineer unit whose pontoon stands keeps: the end of that bridge on its own bank.
    It mans the crossing and is there to blow it; sent on with the assault it would stand alone
    over the river before the troops, a vanguard the side would give up the bank for."""
    board = state.scenario.board
    for engineer, hexside in state.pontoons_thrown:
        if engineer == unit.id and hexside in state.bridges and unit.hex is not None:
            bank = river_bank(state.scenario, unit.hex)
            return next((end for end in (hexside.low, hexside.high) if board.index[end] in bank), None)
    return None


def _units_across(state: GameState, action: DemolishBridge) -> bool:
    """Whether any of the side's units stands on the bank across the bridge from the demolisher."""
    across = _far_bank(state, action)
    index = state.scenario.board.index
    return any(u.on_map and u.side == state.active_side and index[u.position] in across for u in state.units)


def _far_bank(state: GameState, action: DemolishBridge) -> frozenset[int]:
    """The hex indices of the bank across the bridge from the unit that would blow it."""
    here = state.unit(action.unit).position
    return river_bank(state.scenario, action.hexside.high if action.hexside.low == here else action.hexside.low)


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
