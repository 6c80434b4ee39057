"""The game state: frozen values that only :func:`nomonhan.engine.step` replaces.

A unit *type* (rules data) lives in the scenario; a :class:`Unit` here is an instance: where it
is, how many steps it has left, how far it may still move this phase, how long it has been cut
off from supply.
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
    """The sequence of play within one side's player turn, in this order (see docs/rules.md).

    Reinforcement, supply and recovery are carried out by the engine; air, movement,
    bombardment and combat wait for the player's actions.  Retreats and advances after combat
    are pending decisions inside the combat phase (or the movement phase, after an overrun).
    """

    REINFORCEMENT = "reinforcement"
    AIR = "air"
    SUPPLY = "supply"
    MOVEMENT = "movement"
    BOMBARDMENT = "bombardment"
    COMBAT = "combat"
    RECOVERY = "recovery"


PLAYER_PHASES = (Phase.AIR, Phase.MOVEMENT, Phase.BOMBARDMENT, Phase.COMBAT)


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
    out_of_supply: int = 0  # consecutive supply phases without supply; 0 = supplied
    entrenchment: int = 0  # dug-in level earned by staying put
    rest_turns: int = 0  # consecutive turns at rest in supply, towards regaining a step
    moved: bool = False  # this player turn
    attacked: bool = False  # attacked, or fired its guns, this player turn
    fired: bool = False  # artillery: bombarded or supported this player turn
    halted: bool = False
    """Its move ended on entering an enemy zone of control this phase: it may not move on, but
    keeps the move points it had left, so that armour can still overrun from the march."""

    @property
    def on_map(self) -> bool:
        return self.status is UnitStatus.ON_MAP


@dataclass(frozen=True)
class Pending:
    """A decision the rules need in the middle of a phase, answered by an action.

    ``retreat``: ``side`` picks where each unit in ``units`` retreats (the first one next);
    ``advance``: ``side`` picks which of ``units`` advance into ``target``, or holds.
    ``attackers`` and ``overrun`` remember the attack, for the advance after the retreats.
    """

    kind: str
    side: str
    units: tuple[str, ...]
    target: Hex
    distance: int = 0
    attackers: tuple[str, ...] = ()
    overrun: bool = False

    def to_json(self) -> dict:
        return {
            "kind": self.kind, "side": self.side, "units": list(self.units), "target": format_hex(self.target),
            "distance": self.distance, "attackers": list(self.attackers), "overrun": self.overrun,
        }


@dataclass(frozen=True)
class Declaration:
    """An attack (combat phase) or bombardment (bombardment phase) being declared, unit by unit.

    ``units`` are the attackers next to ``target`` (none in a bombardment); ``guns`` fire in
    support, or make the bombardment.  Nothing is spent until it is resolved.
    """

    target: Hex
    units: tuple[str, ...] = ()
    guns: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"target": format_hex(self.target), "units": list(self.units), "guns": list(self.guns)}


@dataclass(frozen=True)
class AirState:
    """Air missions of the current turn: superiority points stand until their side flies again."""

    superiority: tuple[tuple[str, int], ...] = ()  # (side, points) standing patrols
    support: tuple[tuple[str, Hex], ...] = ()  # (side, hex) ground support flown this turn
    interdiction: tuple[tuple[str, Hex], ...] = ()  # (side, hex) until that side's next air phase
    points_left: int = 0  # the active side's unassigned points in its air phase
    flown: tuple[tuple[str, Hex], ...] = ()  # (kind, hex) of this air phase's missions, in the order assigned

    def superiority_of(self, side: str) -> int:
        return sum(points for owner, points in self.superiority if owner == side)

    def to_json(self) -> dict:
        return {
            "superiority": [[s, p] for s, p in self.superiority],
            "support": [[s, format_hex(h)] for s, h in self.support],
            "interdiction": [[s, format_hex(h)] for s, h in self.interdiction],
            "points_left": self.points_left,
            "flown": [[k, format_hex(h)] for k, h in self.flown],
        }


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
    known_holders: tuple[tuple[str | None, ...], ...] = ()
    """Per side (in ``scenario.side_ids`` order), the holder of each objective as that side last
    saw it: an objective out of its sight keeps the holder it had when last in sight."""
    pending: Pending | None = None
    declaration: Declaration | None = None
    """The active side's attack or bombardment being declared, if any."""
    air: AirState = AirState()
    supply_left: int | None = None
    """The active side's supply points left this turn (None: unlimited)."""
    attacked_hexes: frozenset[Hex] = frozenset()
    banked_points: tuple[int, int] = (0, 0)
    """Victory points earned turn by turn (objectives' points_per_turn), first side first."""
    winner: str | None = None
    """Set when a sudden-death condition ends the game."""
    game_over: bool = False
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    """Derived values (what a side knows, who stands where) computed once per state."""

    # --- convenient views (derived, never stored) ---
    def unit(self, unit_id: str) -> Unit:
        return self.units[self.scenario.unit_order[unit_id]]

    def unit_type(self, unit: Unit) -> UnitType:
        return self.scenario.unit_types[unit.type_id]

    @property
    def acting_side(self) -> str:
        """Who must act now: the side owing a pending decision, else the active side."""
        return self.pending.side if self.pending else self.active_side

    @property
    def clock(self) -> datetime:
        return self.scenario.turn_start(self.turn)

    @property
    def is_night(self) -> bool:
        return self.scenario.is_night(self.turn)

    def holders_known_to(self, side: str) -> tuple[str | None, ...]:
        return self.known_holders[self.scenario.side_ids.index(side)] if self.known_holders else self.holders

    def units_of(self, side: str) -> list[Unit]:
        return [u for u in self.units if u.side == side and u.on_map]

    def units_at(self, hex_: Hex) -> list[Unit]:
        return [u for u in self.units if u.hex == hex_ and u.on_map]

    def with_unit(self, unit: Unit) -> GameState:
        i = self.scenario.unit_order[unit.id]
        return replace(self, units=self.units[:i] + (unit,) + self.units[i + 1 :])

    def with_units(self, changed: list[Unit]) -> GameState:
        units = list(self.units)
        for unit in changed:
            units[self.scenario.unit_order[unit.id]] = unit
        return replace(self, units=tuple(units))

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
            "winner": self.winner,
            "bridges": sorted(f"{format_hex(s.low)}|{format_hex(s.high)}" for s in self.bridges),
            "holders": list(self.holders),
            "known_holders": [list(holders) for holders in self.known_holders],
            "pending": self.pending.to_json() if self.pending else None,
            "declaration": self.declaration.to_json() if self.declaration else None,
            "air": self.air.to_json(),
            "supply_left": self.supply_left,
            "attacked_hexes": sorted(format_hex(h) for h in self.attacked_hexes),
            "banked_points": list(self.banked_points),
            "units": [
                [
                    u.id, u.type_id, u.side, format_hex(u.hex) if u.hex else None, u.steps, u.move_points, u.status.value,
                    u.out_of_supply, u.entrenchment, u.rest_turns, u.moved, u.attacked, u.fired, u.halted,
                ]
                for u in self.units
            ],
        }

    def digest(self) -> str:
        text = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
