"""Shared hypothesis strategies for the hex grid, geometry and RNG tests.

Import as ``from strategies import hexes`` (pytest puts ``tests/`` on ``sys.path`` because the
directory has no ``__init__.py``).
"""

from __future__ import annotations

from hypothesis import strategies as st

from nomonhan.hexgrid import Direction, Hex, Hexside

MASK64 = (1 << 64) - 1


def coords(max_coord: int = 50) -> st.SearchStrategy[int]:
    return st.integers(min_value=-max_coord, max_value=max_coord)


def hexes(max_coord: int = 50) -> st.SearchStrategy[Hex]:
    """Axial hexes with ``|q|, |r| <= max_coord``."""
    return st.builds(Hex, coords(max_coord), coords(max_coord))


def offsets(max_coord: int = 50) -> st.SearchStrategy[tuple[int, int]]:
    """Odd-q offset ``(col, row)`` pairs, negative ones included."""
    return st.tuples(coords(max_coord), coords(max_coord))


def directions() -> st.SearchStrategy[Direction]:
    return st.sampled_from(Direction)


def radii(max_radius: int = 8) -> st.SearchStrategy[int]:
    return st.integers(min_value=0, max_value=max_radius)


def adjacent_pairs(max_coord: int = 50) -> st.SearchStrategy[tuple[Hex, Hex]]:
    """``(a, b)`` with ``b`` a neighbour of ``a``."""
    return st.builds(lambda h, d: (h, h.neighbour(d)), hexes(max_coord), directions())


def hexsides(max_coord: int = 50) -> st.SearchStrategy[Hexside]:
    return st.builds(Hexside.of, hexes(max_coord), directions())


def rng_states() -> st.SearchStrategy[int]:
    """Any 64-bit splitmix64 state."""
    return st.integers(min_value=0, max_value=MASK64)


def dice_sides() -> st.SearchStrategy[int]:
    """Mostly small dice, sometimes huge ones that make rejection sampling actually reject."""
    return st.one_of(
        st.integers(min_value=1, max_value=100),
        st.integers(min_value=1, max_value=1 << 64),
    )
