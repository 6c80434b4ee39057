"""Spotting: which enemy units a side can see (fog of war).

A side sees enemy units within spotting range of any of its units on the map (the range is
shorter at night); adjacent units are always within range.  Computer players and the front end
get only what this allows (see ``engine.observe``).
"""

from __future__ import annotations

from functools import lru_cache

from nomonhan.hexgrid import Hex, hex_range
from nomonhan.state import GameState, Unit


@lru_cache(maxsize=65536)
def _disc(center: Hex, radius: int) -> tuple[Hex, ...]:
    return tuple(hex_range(center, radius))


def spotting_range(state: GameState) -> int:
    spotting = state.scenario.rules.spotting
    return spotting.night_range if state.is_night else spotting.day_range


def seen_hexes(state: GameState, side: str) -> frozenset[Hex]:
    """The hexes of the map within spotting range of ``side``'s units (the lit part of the fog)."""
    key = ("seen", side)
    found = state.memo.get(key)
    if found is None:
        found = state.memo[key] = hexes_near(state, side, spotting_range(state))
    return found


def hexes_near(state: GameState, side: str, radius: int) -> frozenset[Hex]:
    """The hexes of the map within ``radius`` of any of ``side``'s units on the map."""
    index = state.scenario.board.index
    near: set[Hex] = set()
    for unit in state.units:
        if unit.side == side and unit.on_map:
            near.update(_disc(unit.position, radius))
    return frozenset(h for h in near if h in index)


def visible_enemies(state: GameState, side: str) -> list[Unit]:
    """Enemy units ``side`` can see now, in scenario order; memoised on the state."""
    key = ("visible", side)
    found = state.memo.get(key)
    if found is None:
        seen = seen_hexes(state, side)
        found = state.memo[key] = [u for u in state.units if u.side != side and u.on_map and u.hex in seen]
    return found
