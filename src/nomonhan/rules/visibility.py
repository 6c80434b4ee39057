"""Spotting: which enemy units a side can see (fog of war).

A side sees enemy units within spotting range of any of its units on the map (the range is
shorter at night); adjacent units are always within range.  Computer players and the front end
get only what this allows (see ``engine.observe``).

The fast path (:mod:`nomonhan.corepath`) keeps what a side sees as an int bitset of hex
indices (bit ``i`` set: ``board.hexes[i]`` is in sight): one OR per unit, each hex's disc
computed once per board, and after a move that leaves a friendly unit in the mover's hex one
OR of the hex it entered (:func:`carry_sight`).  The hexes in sight are that bitset read as a
set (:class:`LitHexes`), not a set of a thousand hexes made after every move.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from functools import lru_cache
from itertools import compress
from typing import Any

from nomonhan.corepath import reference_active
from nomonhan.hexgrid import Hex, hex_range
from nomonhan.scenario.board import Board
from nomonhan.state import GameState, Unit


@lru_cache(maxsize=65536)
def _disc(center: Hex, radius: int) -> tuple[Hex, ...]:
    return tuple(hex_range(center, radius))


def forget_discs() -> None:
    """Empty the process's memo of discs (the reference path's spotting), so that a benchmark
    can start each path from empty memos."""
    _disc.cache_clear()


def spotting_range(state: GameState) -> int:
    spotting = state.scenario.rules.spotting
    return spotting.night_range if state.is_night else spotting.day_range


def seen_hexes(state: GameState, side: str) -> AbstractSet[Hex]:
    """The hexes of the map within spotting range of ``side``'s units (the lit part of the fog):
    a frozenset on the reference path, the seen bitset read as a set on the fast path."""
    key = ("seen", side)
    found: AbstractSet[Hex] | None = state.memo.get(key)
    if found is None:
        if reference_active():
            found = hexes_near(state, side, spotting_range(state))
        else:
            board = state.scenario.board
            found = LitHexes(board.hexes, board.index, seen_mask(state, side))
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


def carry_sight(before: GameState, after: GameState, mover: Unit, end: Hex) -> None:
    """After ``mover`` moved to ``end``: what its side sees, from what it saw.

    When a friendly unit still stands in the hex it left (its side's stacks after the move say
    so, :func:`nomonhan.engine.view.carry_stacks`), every hex lit before is still lit, so the
    bitset is the old one with the disc of ``end`` added.  The enemy units in sight are those
    it saw when no enemy unit's hex went into or out of its sight (the enemy did not move)."""
    side = mover.side
    old = before.memo.get(("seen-mask", side))
    stacks = after.memo.get(("stack", side))
    if old is not None and stacks is not None and mover.position in stacks:
        board = after.scenario.board
        after.memo[("seen-mask", side)] = old | _disc_mask(board, spotting_range(after), board.index[end])
    seen = before.memo.get(("visible", side))
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
        mask |= discs[i] or _disc_mask(board, radius, i)
    return mask


def _disc_mask(board: Board, radius: int, i: int) -> int:
    """The bitset of the map's hexes within ``radius`` of hex index ``i``; kept on the board
    (the disc's hexes are not kept: a few thousand discs of some 40 hexes each would be objects
    that every full garbage collection of the process walks through)."""
    discs = _disc_masks(board, radius)
    disc = discs[i]
    if disc is None:
        index = board.index
        disc = discs[i] = sum(1 << index[h] for h in hex_range(board.hexes[i], radius) if h in index)
    return disc


def _disc_masks(board: Board, radius: int) -> list[int | None]:
    """Per hex index, the bitset of the map's hexes within ``radius`` of it (None until a unit
    stands there, :func:`_disc_mask`); kept on the board."""
    key = ("disc-masks", radius)
    found: list[int | None] | None = board.search_cache.get(key)
    if found is None:
        found = board.search_cache[key] = [None] * len(board.hexes)
    return found


class LitHexes(AbstractSet[Hex]):
    """A bitset of hex indices read as a set of hexes: the fast path's hexes in sight.

    Equal to the frozenset of the same hexes (and hashed as it is), so an observation that holds
    one equals the reference path's; set operations with it give frozensets.  Membership is a
    bit test and the hexes are listed only when iterated, so a player that never reads them
    pays nothing.  It holds the map's hexes and their index, which every side knows, not the
    board (whose search cache is built from the true state).
    """

    def __init__(self, hexes: tuple[Hex, ...], index: dict[Hex, int], mask: int) -> None:
        self.hexes, self.index, self.mask = hexes, index, mask

    def __contains__(self, hex_: object) -> bool:
        i = self.index.get(hex_)  # type: ignore[call-overload]  # any object may be asked about
        return i is not None and self.mask >> i & 1 == 1

    def __iter__(self) -> Iterator[Hex]:
        return compress(self.hexes, _bytes_of(self.mask))

    def __len__(self) -> int:
        return self.mask.bit_count()

    @classmethod
    def _from_iterable(cls, hexes: Iterable[Any]) -> frozenset[Any]:
        return frozenset(hexes)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LitHexes) and other.hexes is self.hexes:
            return other.mask == self.mask
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash(frozenset(self))

    def __reduce__(self) -> tuple[type[frozenset[Hex]], tuple[tuple[Hex, ...]]]:
        return frozenset, (tuple(self),)

    def __repr__(self) -> str:
        return f"LitHexes({set(self)!r})"


_BITS = bytes.maketrans(b"01", b"\x00\x01")


def hexes_of(board: Board, mask: int) -> list[Hex]:
    """The hexes whose bits are set in ``mask``, in index order."""
    return list(compress(board.hexes, _bytes_of(mask)))


def _bytes_of(mask: int) -> bytes:
    """Byte ``i`` is bit ``i`` of ``mask`` (the bits read in C, not one by one)."""
    return bin(mask)[:1:-1].encode().translate(_BITS)
