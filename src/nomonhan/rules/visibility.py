"""Spotting: which enemy units a side can see (fog of war).

A side sees enemy units within spotting range of any of its units on the map (the range is
shorter at night); adjacent units are always within range.  Computer players and the front end
get only what this allows (see ``engine.observe``).

The fast path (:mod:`nomonhan.corepath`) keeps what a side sees as an int bitset of hex
indices (bit ``i`` set: ``board.hexes[i]`` is in sight): one OR per unit, each unit's disc of
hexes computed once per board; the set of hexes, when asked for, is the union of the units'
discs, each kept on the board as a set.
"""

from __future__ import annotations

from functools import lru_cache

from nomonhan.corepath import reference_active
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
        if reference_active():
            found = hexes_near(state, side, spotting_range(state))
        else:  # the same lit hexes over and over in a phase of moves: kept on the board by bitset
            cache, mask = state.scenario.board.search_cache, seen_mask(state, side)
            found = cache.get(("seen-hexes", mask))
            if found is None:
                found = cache[("seen-hexes", mask)] = _near_set(state, side, spotting_range(state))
        state.memo[key] = found
    return found


def hexes_near(state: GameState, side: str, radius: int) -> frozenset[Hex]:
    """The hexes of the map within ``radius`` of any of ``side``'s units on the map."""
    if not reference_active():
        return _near_set(state, side, radius)
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
        if reference_active():
            seen = seen_hexes(state, side)
            found = [u for u in state.units if u.side != side and u.on_map and u.hex in seen]
        else:
            mask, index = seen_mask(state, side), state.scenario.board.index
            found = [u for u in state.units if u.hex is not None and u.side != side and mask >> index[u.hex] & 1 and u.on_map]
        state.memo[key] = found
    return found


# ------------------------------------------------------------------ the fast path's bitsets


def seen_mask(state: GameState, side: str) -> int:
    """The hexes ``side`` sees, as a bitset of hex indices; memoised on the state."""
    key = ("seen-mask", side)
    found: int | None = state.memo.get(key)
    if found is None:
        found = state.memo[key] = mask_near(state, side, spotting_range(state))
    return found


def mask_near(state: GameState, side: str, radius: int) -> int:
    """The hexes of the map within ``radius`` of any of ``side``'s units on the map, as a bitset."""
    board = state.scenario.board
    index, cache = board.index, board.search_cache
    mask = 0
    for unit in state.units_on_map(side):
        if unit.hex is not None:
            key = ("disc-mask", index[unit.hex], radius)
            disc = cache.get(key)
            if disc is None:
                disc = cache[key] = sum(1 << index[h] for h in _disc(unit.hex, radius) if h in index)
            mask |= disc
    return mask


def _near_set(state: GameState, side: str, radius: int) -> frozenset[Hex]:
    """:func:`hexes_near` on the fast path: the union of each unit's disc, each disc's set of
    map hexes kept on the board."""
    board = state.scenario.board
    cache, index = board.search_cache, board.index
    discs = []
    for unit in state.units_on_map(side):
        key = ("disc", unit.hex, radius)
        disc = cache.get(key)
        if disc is None:
            disc = cache[key] = frozenset(h for h in _disc(unit.position, radius) if h in index)
        discs.append(disc)
    return frozenset().union(*discs)
