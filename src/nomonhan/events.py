"""Events: what happened, as data, so the front end can animate and the log can narrate.

Events derive from the record (scenario + seed + actions); they are never stored in it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from nomonhan.hexgrid import Hex, format_hex


@dataclass(frozen=True, slots=True)
class Event:
    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"event": type(self).__name__}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Hex):
                value = format_hex(value)
            elif isinstance(value, tuple):
                value = [format_hex(v) if isinstance(v, Hex) else v for v in value]
            data[f.name] = value
        return data


@dataclass(frozen=True, slots=True)
class UnitMoved(Event):
    unit: str
    path: tuple[Hex, ...]
    cost: int


@dataclass(frozen=True, slots=True)
class MoveInterrupted(Event):
    """A move ran into enemy units its side could not see; it stopped at ``at``."""

    unit: str
    at: Hex
    revealed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReinforcementArrived(Event):
    unit: str
    at: Hex


@dataclass(frozen=True, slots=True)
class ReinforcementDelayed(Event):
    """The entry hex and its map edge were blocked; the unit tries again next turn."""

    unit: str


@dataclass(frozen=True, slots=True)
class PhaseStarted(Event):
    turn: int
    side: str
    phase: str


@dataclass(frozen=True, slots=True)
class TurnStarted(Event):
    turn: int
    date: str
    night: bool


@dataclass(frozen=True, slots=True)
class GameEnded(Event):
    turn: int


@dataclass(frozen=True, slots=True)
class CombatResolved(Event):
    """An attack (or overrun): its column after shifts, the die, the result and who lost what."""

    attackers: tuple[str, ...]
    target: Hex
    odds: str
    shift: int
    die: int
    result: str
    attacker_steps_lost: int
    defender_steps_lost: int
    overrun: bool


@dataclass(frozen=True, slots=True)
class BombardmentResolved(Event):
    guns: tuple[str, ...]
    target: Hex
    die: int
    result: str
    defender_steps_lost: int


@dataclass(frozen=True, slots=True)
class AirMissionFlown(Event):
    side: str
    kind: str
    hex: Hex | None


@dataclass(frozen=True, slots=True)
class AirMissionCancelled(Event):
    """Enemy fighters turned back a mission (air superiority fights first)."""

    side: str
    kind: str
    hex: Hex | None


@dataclass(frozen=True, slots=True)
class SupplyChanged(Event):
    unit: str
    out_of_supply: int


@dataclass(frozen=True, slots=True)
class StepLost(Event):
    unit: str
    reason: str


@dataclass(frozen=True, slots=True)
class UnitEliminated(Event):
    unit: str


@dataclass(frozen=True, slots=True)
class UnitRetreated(Event):
    unit: str
    to: Hex
    steps_lost: int


@dataclass(frozen=True, slots=True)
class RetreatInterrupted(Event):
    """A retreat ran into enemy units its side could not see; it stopped at ``at``."""

    unit: str
    at: Hex
    revealed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnitAdvanced(Event):
    unit: str
    to: Hex


@dataclass(frozen=True, slots=True)
class BridgeBuilt(Event):
    unit: str
    low: Hex
    high: Hex


@dataclass(frozen=True, slots=True)
class BridgeDemolished(Event):
    unit: str
    low: Hex
    high: Hex


@dataclass(frozen=True, slots=True)
class BridgeFoundGone(Event):
    """A move planned across a bridge its side last saw standing found it gone, damaged or full,
    and stopped at ``at``, on the near bank (told to the mover's side, and to an enemy that sees
    the mover, which sees that end of the bridge too)."""

    unit: str
    at: Hex
    low: Hex
    high: Hex


@dataclass(frozen=True, slots=True)
class PontoonWorked(Event):
    """Engineers worked a turn on a pontoon not yet standing: ``hours`` done of ``needed``."""

    unit: str
    low: Hex
    high: Hex
    hours: int
    needed: int


@dataclass(frozen=True, slots=True)
class BridgeAttacked(Event):
    """Aircraft or guns (``by``) attacked the bridge on hexside ``low``-``high``: the die and the result."""

    by: str
    low: Hex
    high: Hex
    die: int
    result: str


@dataclass(frozen=True, slots=True)
class UnitRecovered(Event):
    unit: str


@dataclass(frozen=True, slots=True)
class UnitDisrupted(Event):
    """Artillery fire suppressed the unit (a bombardment result ``S``)."""

    unit: str


@dataclass(frozen=True, slots=True)
class UnitRallied(Event):
    """The unit is no longer disrupted (the end of its side's player turn)."""

    unit: str


@dataclass(frozen=True, slots=True)
class UnitExposed(Event):
    """Dawn found the unit in open ground after a night move: fire at its hex is stronger."""

    unit: str


@dataclass(frozen=True, slots=True)
class SuddenDeath(Event):
    side: str


@dataclass(frozen=True, slots=True)
class TanksKnockedOut(Event):
    """Tanks of ``unit`` knocked out by close assault or anti-tank guns (beside any steps it lost)."""

    unit: str
    tanks: int
    reason: str


@dataclass(frozen=True, slots=True)
class TanksRecovered(Event):
    """Knocked-out tanks of ``unit`` recovered from ``hex``, a field its side held at the turn's end."""

    unit: str
    hex: Hex
    tanks: int
