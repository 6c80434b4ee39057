"""Hex grid mathematics: axial coordinates with cube algorithms (Red Blob Games' model).

Storage is axial ``Hex(q, r)``; algorithms use the implied cube coordinate ``s = -q - r``;
offset coordinates (``col, row``) appear only at the edges: scenario files and display.
The text notation of those edges lives here too, once: ``"col,row"`` for a hex and
``"col,row:DIR"`` for a hexside, written by scenario files, action notation and the editor.

Orientation: flat-topped hexes, north up, "odd-q" offset, so odd columns sit half a hex lower
than even ones.  Directions run clockwise from north.  No game words live in this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import IntEnum
from typing import NamedTuple


class Direction(IntEnum):
    """The six neighbour directions of a flat-topped hex, clockwise from north."""

    N = 0
    NE = 1
    SE = 2
    S = 3
    SW = 4
    NW = 5

    @property
    def opposite(self) -> Direction:
        return Direction((self + 3) % 6)


_DIRECTION_VECTORS: tuple[tuple[int, int], ...] = ((0, -1), (1, -1), (1, 0), (0, 1), (-1, 1), (-1, 0))


class Hex(NamedTuple):
    """An axial hex coordinate; its ``repr`` can be pasted back as code."""

    q: int
    r: int

    @property
    def s(self) -> int:
        return -self.q - self.r

    @classmethod
    def from_offset(cls, col: int, row: int) -> Hex:
        """Odd-q offset (column, row) to axial."""
        return cls(col, row - (col - (col & 1)) // 2)

    def to_offset(self) -> tuple[int, int]:
        """Axial to odd-q offset (column, row)."""
        return self.q, self.r + (self.q - (self.q & 1)) // 2

    def neighbour(self, direction: Direction | int) -> Hex:
        dq, dr = _DIRECTION_VECTORS[direction]
        return Hex(self.q + dq, self.r + dr)

    def neighbours(self) -> tuple[Hex, ...]:
        q, r = self
        return tuple(Hex(q + dq, r + dr) for dq, dr in _DIRECTION_VECTORS)

    def distance(self, other: Hex) -> int:
        return distance(self, other)

    def direction_to(self, other: Hex) -> Direction:
        """The direction of an adjacent hex; ``ValueError`` if it is not adjacent."""
        vector = (other.q - self.q, other.r - self.r)
        try:
            return Direction(_DIRECTION_VECTORS.index(vector))
        except ValueError:
            raise ValueError(f"{other!r} is not adjacent to {self!r}") from None


def distance(a: Hex, b: Hex) -> int:
    """Number of hex steps between ``a`` and ``b``."""
    dq = a.q - b.q
    dr = a.r - b.r
    return (abs(dq) + abs(dr) + abs(dq + dr)) // 2


def ring(center: Hex, radius: int) -> list[Hex]:
    """The ``6 * radius`` hexes at exactly ``radius`` from ``center`` (just ``center`` for 0)."""
    if radius < 0:
        raise ValueError("radius must be >= 0")
    if radius == 0:
        return [center]
    dq, dr = _DIRECTION_VECTORS[Direction.SW]
    current = Hex(center.q + dq * radius, center.r + dr * radius)
    result: list[Hex] = []
    for side in range(6):
        for _ in range(radius):
            result.append(current)
            current = current.neighbour(side)
    return result


def hex_range(center: Hex, radius: int) -> list[Hex]:
    """All hexes within ``radius`` of ``center``, in a stable (q, r) order."""
    if radius < 0:
        raise ValueError("radius must be >= 0")
    result = []
    for dq in range(-radius, radius + 1):
        for dr in range(max(-radius, -dq - radius), min(radius, -dq + radius) + 1):
            result.append(Hex(center.q + dq, center.r + dr))
    return result


def round_fractional(q: float, r: float) -> Hex:
    """Round fractional axial coordinates to the hex that contains them (cube rounding).

    Rounding ``q`` and ``r`` independently can land on a hex that does not contain the point;
    rounding all three cube coordinates and then recomputing the one that moved furthest
    restores ``q + r + s == 0`` and picks the right hex.
    """
    s = -q - r
    rq, rr, rs = round(q), round(r), round(s)
    dq, dr, ds = abs(rq - q), abs(rr - r), abs(rs - s)
    if dq > dr and dq > ds:
        rq = -rr - rs
    elif dr > ds:
        rr = -rq - rs
    return Hex(int(rq), int(rr))


def line(a: Hex, b: Hex) -> list[Hex]:
    """The hexes on the straight line from ``a`` to ``b`` inclusive, each adjacent to the next.

    The end points are nudged by a tiny epsilon so that a line running exactly along a hex edge
    always falls to the same side.
    """
    n = distance(a, b)
    if n == 0:
        return [a]
    aq, ar = a.q + 1e-6, a.r + 1e-6
    bq, br = b.q + 1e-6, b.r + 1e-6
    return [round_fractional(aq + (bq - aq) * i / n, ar + (br - ar) * i / n) for i in range(n + 1)]


class Hexside(NamedTuple):
    """The edge between two adjacent hexes, named canonically by the ordered pair (low, high).

    ``Hexside.between(a, b) == Hexside.between(b, a)``, so a river or a bridge has one identity
    whichever side it is looked at from.
    """

    low: Hex
    high: Hex

    @classmethod
    def between(cls, a: Hex, b: Hex) -> Hexside:
        if distance(a, b) != 1:
            raise ValueError(f"{a!r} and {b!r} are not adjacent, so they share no hexside")
        return cls(a, b) if a < b else cls(b, a)

    @classmethod
    def of(cls, hex_: Hex, direction: Direction | int) -> Hexside:
        return cls.between(hex_, hex_.neighbour(direction))

    def hexes(self) -> tuple[Hex, Hex]:
        return self.low, self.high


def iter_offset_rect(cols: int, rows: int) -> Iterator[Hex]:
    """Every hex of a ``cols`` x ``rows`` offset rectangle, row by row."""
    for row in range(rows):
        for col in range(cols):
            yield Hex.from_offset(col, row)


def on_map(hex_: Hex, columns: int, rows: int) -> bool:
    """Whether ``hex_`` lies in the ``columns`` x ``rows`` odd-q offset rectangle."""
    col, row = hex_.to_offset()
    return 0 <= col < columns and 0 <= row < rows


# ---------------------------------------------------------------- the text notation

# ASCII digits only: int() reads full-width digits too, and a hex must have one spelling.
_HEX_RE = re.compile(r"^\s*(\d{1,4})\s*,\s*(\d{1,4})\s*$", re.ASCII)
_HEXSIDE_RE = re.compile(r"^\s*(\d{1,4})\s*,\s*(\d{1,4})\s*:\s*(N|NE|SE|S|SW|NW)\s*$", re.ASCII)


def parse_hex(text: str) -> Hex:
    """``"col,row"`` in odd-q offset coordinates, as scenario files write a hex."""
    match = _HEX_RE.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"expected a hex as 'col,row' (e.g. '12,5'), got {text!r}")
    return Hex.from_offset(int(match.group(1)), int(match.group(2)))


def parse_hexside(text: str) -> Hexside:
    """``"col,row:DIR"``: the side of hex col,row facing DIR (N, NE, SE, S, SW, NW)."""
    match = _HEXSIDE_RE.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"expected a hexside as 'col,row:DIR' with DIR one of N NE SE S SW NW, got {text!r}")
    hex_ = Hex.from_offset(int(match.group(1)), int(match.group(2)))
    return Hexside.of(hex_, Direction[match.group(3)])


def format_hex(hex_: Hex) -> str:
    col, row = hex_.to_offset()
    return f"{col},{row}"


def format_hexside(side: Hexside, columns: int | None = None, rows: int | None = None) -> str:
    """``"col,row:DIR"`` naming ``side`` so that :func:`parse_hexside` reads it back.

    Either of the side's two hexes can name it.  The low hex does unless, given the map's size,
    only the high hex is on the map (an author looks at the hex on the map).  The notation
    cannot write negative coordinates, so a side with no writable hex raises ``ValueError``.
    """
    candidates = [side.low, side.high]
    if columns is not None and rows is not None:
        candidates.sort(key=lambda h: not on_map(h, columns, rows))  # stable: on-map first, low first
    for hex_ in candidates:
        col, row = hex_.to_offset()
        if col >= 0 and row >= 0:
            other = side.high if hex_ == side.low else side.low
            return f"{col},{row}:{hex_.direction_to(other).name}"
    raise ValueError(f"hexside {side!r} lies wholly at negative coordinates and cannot be written")
