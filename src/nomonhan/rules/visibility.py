"""Spotting: which enemy units a side can see (fog of war).

A side sees enemy units within spotting range of any of its units on the map (the range is
shorter at night); adjacent units are always within range.  Computer players and the front end
get only what this allows (see ``engine.observe``).

The fast path (:mod:`nomonhan.corepath`) keeps what a side sees as an int bitset of hex
indices (bit ``i`` set: ``board.hexes[i]`` is in sight): one OR per unit, each hex's disc
computed once per board; the set of hexes, when asked for, is made from the last one made,
looking up only the hexes whose bit changed.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import compress

from nomonhan.corepath import reference_active
from nomonhan.hexgrid import Hex, hex_range
from nomonhan.scenario.board import Board
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
        else:
            found = _lit_hexes(state.scenario.board, side, seen_mask(state, side))
        state.memo[key] = found
    return found


def hexes_near(state: GameState, side: str, radius: int) -> frozenset[Hex]:
    """The hexes of the map within ``radius`` of any of ``side``'s units on the map."""
    if not reference_active():
        return frozenset(hexes_of(state.scenario.board, mask_near(state, side, radius)))
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


def carry_sight(before: GameState, after: GameState, side: str) -> None:
    """After a move of one of ``side``'s units: the enemy units it sees are those it saw when no
    enemy unit's hex went into or out of its sight (the enemy did not move)."""
    seen = before.memo.get(("visible", side))
    old = before.memo.get(("seen-mask", side))
    if seen is None or old is None:
        return
    enemy = before.memo.get(("enemy-mask", side))
    if enemy is None:
        index = before.scenario.board.index
        enemy = sum(1 << i for i in {index[u.position] for u in before.units if u.side != side and u.on_map})  # a stack is one bit
    after.memo[("enemy-mask", side)] = enemy
    if not (old ^ seen_mask(after, side)) & enemy:
        after.memo[("visible", side)] = seen


def mask_near(state: GameState, side: str, radius: int) -> int:
    """The hexes of the map within ``radius`` of any of ``side``'s units on the map, as a bitset."""
    board = state.scenario.board
    index, discs = board.index, _disc_masks(board, radius)
    mask = 0
    for unit in state.units_on_map(side):
        i = index[unit.hex]  # type: ignore[index]  # on the map: it has a hex
        disc = discs[i]
        if disc is None:
            disc = discs[i] = sum(1 << index[h] for h in _disc(unit.position, radius) if h in index)
        mask |= disc
    return mask


def _disc_masks(board: Board, radius: int) -> list[int | None]:
    """Per hex index, the bitset of the map's hexes within ``radius`` of it (None until a unit
    stands there); kept on the board."""
    key = ("disc-masks", radius)
    found: list[int | None] | None = board.search_cache.get(key)
    if found is None:
        found = board.search_cache[key] = [None] * len(board.hexes)
    return found


def _lit_hexes(board: Board, side: str, mask: int) -> frozenset[Hex]:
    """The hexes of bitset ``mask`` as a set, made from the last set made for ``side`` on this
    board: a move lights and darkens a few hexes at the edge of one unit's disc, so only the
    hexes whose bit differs are looked up, and the rest of the set is copied."""
    key = ("lit-hexes", side)
    last: tuple[int, frozenset[Hex]] | None = board.search_cache.get(key)
    if last is None:
        last = (0, frozenset())
    last_mask, last_set = last
    if mask == last_mask:
        return last_set
    found = last_set.symmetric_difference(hexes_of(board, last_mask ^ mask))
    board.search_cache[key] = (mask, found)
    return found


_BITS = bytes.maketrans(b"01", b"\x00\x01")


def hexes_of(board: Board, mask: int) -> list[Hex]:
    """The hexes whose bits are set in ``mask``, in index order (the bits read in C, not one by one)."""
    bits = bin(mask)[:1:-1].encode().translate(_BITS)  # bit i of the mask is byte i
    return list(compress(board.hexes, bits))
