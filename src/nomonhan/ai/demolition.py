"""When a computer side blows a bridge: once none of its units is left across it and the enemy
is near (the Japanese blew their Bain Tsagan pontoon behind the Kobayashi group on 5 July 1939).

A bridge's "far bank" is what can be reached from its far end without crossing any river or
stream a man on foot cannot cross (the supply rules' movement class), bridges left out: the
units there would be cut off by blowing it.  The banks are a property of the map, computed once
per scenario.
"""

from __future__ import annotations

from collections.abc import Iterable

from nomonhan import engine
from nomonhan.actions import Action, DemolishBridge
from nomonhan.hexgrid import Hex
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
        across = far_bank(state, far)
        if not any(u.on_map and u.side == side and state.scenario.board.index[u.position] in across for u in state.units):
            return action
    return None


def far_bank(state: GameState, far: Hex) -> frozenset[int]:
    """Hex indices reachable from ``far`` on foot without a bridge (memoised on the board)."""
    board = state.scenario.board
    cls = state.scenario.rules.supply.movement_class
    start = board.index[far]
    key = ("bank", cls, start)
    found = board.search_cache.get(key)
    if found is None:
        seen = {start}
        frontier = [start]
        while frontier:
            here = frontier.pop()
            for edge in board.edges[here]:
                if edge.to not in seen and edge.cost[cls] is not None:
                    seen.add(edge.to)
                    frontier.append(edge.to)
        found = board.search_cache[key] = frozenset(seen)
    return found
