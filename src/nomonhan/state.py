"""The game state: frozen values that only :func:`nomonhan.engine.step` replaces.

A unit *type* (rules data) lives in the scenario; a :class:`Unit` here is an instance: where it
is, how many steps it has left, how far it may still move this phase.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum

from nomonhan.hexgrid import Hex, Hexside
from nomonhan.scenario.load import Scenario
from nomonhan.scenario.schema import UnitType, format_hex


class Phase(str, Enum):
    """The sequence of play within one side's player turn, in order.

    Reinforcements arrive automatically at the start of a player turn (the phase is recorded
    in events); the side then moves.  The rules issue adds the later phases in their place.
    """

    REINFORCEMENT = "reinforcement"
    MOVEMENT = "movement"


class UnitStatus(str, Enum):
    RESERVE = "reserve"  # not yet arrived: a reinforcement waiting for its date
    ON_MAP = "on_map"
    ELIMINATED = "eliminated"


@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    type_id: str
    side: str
    hex: Hex | None
    steps: int
    move_points: int
    status: UnitStatus

    @property
    def on_map(self) -> bool:
        return self.status is UnitStatus.ON_MAP


@dataclass(frozen=True)
class GameState:
    scenario: Scenario = field(repr=False, compare=False)
    turn: int
    active_side: str
    phase: Phase
    units: tuple[Unit, ...]
    rng_state: int
    bridges: frozenset[Hexside]
    holders: tuple[str | None, ...]
    """For each scenario objective, the side that last held it alone (None: nobody yet)."""
    game_over: bool = False
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    """Derived values (what a side knows, who stands where) computed once per state."""

    # --- convenient views (derived, never stored) ---
    def unit(self, unit_id: str) -> Unit:
        return self.units[self.scenario.unit_order[unit_id]]

    def unit_type(self, unit: Unit) -> UnitType:
        return self.scenario.unit_types[unit.type_id]

    @property
    def clock(self) -> datetime:
        return self.scenario.turn_start(self.turn)

    @property
    def is_night(self) -> bool:
        return self.scenario.is_night(self.turn)

    def units_of(self, side: str) -> list[Unit]:
        return [u for u in self.units if u.side == side and u.on_map]

    def units_at(self, hex_: Hex) -> list[Unit]:
        return [u for u in self.units if u.hex == hex_ and u.on_map]

    def with_unit(self, unit: Unit) -> GameState:
        i = self.scenario.unit_order[unit.id]
        return replace(self, units=self.units[:i] + (unit,) + self.units[i + 1 :])

    def to_json(self) -> dict:
        """A canonical, order-stable description of the state (the digest hashes this)."""
        return {
            "scenario": self.scenario.id,
            "scenario_hash": self.scenario.content_hash,
            "turn": self.turn,
            "active_side": self.active_side,
            "phase": self.phase.value,
            "rng_state": self.rng_state,
            "game_over": self.game_over,
            "bridges": sorted(f"{format_hex(s.low)}|{format_hex(s.high)}" for s in self.bridges),
            "holders": list(self.holders),
            "units": [
                [u.id, u.type_id, u.side, format_hex(u.hex) if u.hex else None, u.steps, u.move_points, u.status.value]
                for u in self.units
            ],
        }

    def digest(self) -> str:
        text = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

