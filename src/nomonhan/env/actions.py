"""The canonical action encoding: every action a side can ever take as one index of a fixed
``Discrete(n)`` space per scenario and side, so a policy network has a fixed-size output.

The space is cut into blocks, in this order (``U`` = the side's units in scenario order,
``H`` = the map's hexes in board order, row by row, ``D`` = the six directions clockwise from
north):

==============  ===========  =====================================================================
block           size         meaning
==============  ===========  =====================================================================
``to_hex``      ``U x H``    unit *u* to hex *h*: a move in the movement phase, a gun's support
                             or bombardment of *h* in the bombardment and combat phases, the
                             retreat of *u* to *h* when a retreat is pending (these never meet)
``declare``     ``U x D``    unit *u* joins the attack on its neighbour in direction *d*
``overrun``     ``U x D``    the overrun, led by *u* (the first unit of its stack), of the
                             neighbour in direction *d*
``bridge``      ``U x D``    engineer *u* throws a pontoon across its hexside in direction *d*
``demolish``    ``U x D``    *u* blows the bridge on its hexside in direction *d*
``advance``     ``U``        *u* advances into the hex its attack emptied
``air``         ``1+2H``     air superiority; air support over *h*; air interdiction over *h*
``answers``     ``4``        resolve, cancel, hold position, end phase
==============  ===========  =====================================================================

At any decision at most one legal action falls on each index (the property tests check it,
both ways), so :meth:`ActionCodec.mask` and :meth:`ActionCodec.decode` are exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from nomonhan.actions import (
    Action,
    Advance,
    AirMission,
    Attack,
    BuildBridge,
    Cancel,
    Declare,
    DemolishBridge,
    EndPhase,
    HoldPosition,
    Move,
    Resolve,
    Retreat,
    Support,
)
from nomonhan.hexgrid import Hex, Hexside
from nomonhan.scenario.load import Scenario

DIRECTIONS = 6
ANSWERS = (Resolve(), Cancel(), HoldPosition(), EndPhase())


class ActionCodec:
    """Action <-> index for one side of one scenario (the layout is in the module docstring)."""

    def __init__(self, scenario: Scenario, side: str) -> None:
        self.side = side
        self.units = tuple(u.id for u in scenario.units if u.side == side)
        self.unit_index = {unit_id: n for n, unit_id in enumerate(self.units)}
        self.hex_index = scenario.board.index
        self.hexes = scenario.board.hexes
        units, hexes = len(self.units), len(self.hexes)
        sizes = {
            "to_hex": units * hexes,
            "declare": units * DIRECTIONS,
            "overrun": units * DIRECTIONS,
            "bridge": units * DIRECTIONS,
            "demolish": units * DIRECTIONS,
            "advance": units,
            "air": 1 + 2 * hexes,
            "answers": len(ANSWERS),
        }
        self.offsets: dict[str, int] = {}
        total = 0
        for block, size in sizes.items():
            self.offsets[block] = total
            total += size
        self.sizes = sizes
        self.n = total

    def layout(self) -> list[tuple[str, int, int]]:
        """(block, first index, size) for each block, in order."""
        return [(block, self.offsets[block], size) for block, size in self.sizes.items()]

    def encode(self, action: Action, positions: Mapping[str, Hex | None]) -> int:
        """The index of ``action``; ``positions`` gives the side's units' hexes now (a
        direction is counted from the acting unit's hex)."""
        hexes = len(self.hexes)
        if isinstance(action, (Move, Retreat)):
            return self.offsets["to_hex"] + self.unit_index[action.unit] * hexes + self.hex_index[action.to]
        if isinstance(action, Support):
            return self.offsets["to_hex"] + self.unit_index[action.unit] * hexes + self.hex_index[action.target]
        if isinstance(action, Declare):
            return self._unit_direction("declare", action.unit, action.target, positions)
        if isinstance(action, Attack):
            return self._unit_direction("overrun", action.units[0], action.target, positions)
        if isinstance(action, (BuildBridge, DemolishBridge)):
            block = "bridge" if isinstance(action, BuildBridge) else "demolish"
            return self._unit_direction(block, action.unit, _far_side(action.hexside, positions[action.unit]), positions)
        if isinstance(action, Advance):
            return self.offsets["advance"] + self.unit_index[action.unit]
        if isinstance(action, AirMission):
            if action.kind == "superiority":
                return self.offsets["air"]
            shift = 1 if action.kind == "support" else 1 + hexes
            return self.offsets["air"] + shift + self.hex_index[action.hex]  # type: ignore[index]
        return self.offsets["answers"] + ANSWERS.index(action)

    def _unit_direction(self, block: str, unit_id: str, target: Hex, positions: Mapping[str, Hex | None]) -> int:
        origin = positions[unit_id]
        if origin is None:
            raise ValueError(f"unit {unit_id} is off the map, so it has no neighbour")
        return self.offsets[block] + self.unit_index[unit_id] * DIRECTIONS + int(origin.direction_to(target))

    def index_legal(self, legal: Iterable[Action], positions: Mapping[str, Hex | None]) -> dict[int, Action]:
        """Index -> action for every legal action."""
        return {self.encode(action, positions): action for action in legal}

    def mask(self, indexed: Iterable[int]) -> np.ndarray:
        """The ``int8`` action mask with a 1 at each of ``indexed``."""
        mask = np.zeros(self.n, dtype=np.int8)
        mask[list(indexed)] = 1
        return mask

    def block(self, index: int) -> str:
        """The name of the block ``index`` falls in."""
        if not 0 <= index < self.n:
            raise IndexError(f"action index {index} outside 0..{self.n - 1}")
        return next(block for block, first, size in self.layout() if first <= index < first + size)

    def describe(self, index: int) -> str:
        """The block and slot of an index, for error messages (``12 (to_hex slot 12 of 240)``)."""
        if not 0 <= index < self.n:
            return f"{index} (outside 0..{self.n - 1})"
        block = self.block(index)
        return f"{index} ({block} slot {index - self.offsets[block]} of {self.sizes[block]})"


def _far_side(hexside: Hexside, origin: Hex | None) -> Hex:
    return hexside.high if hexside.low == origin else hexside.low
