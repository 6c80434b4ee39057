"""Actions: what a player asks the engine to do.  Frozen, serialisable, with a text notation.

The notation parses back to the same action, so a game record is a readable list of lines and
a test can write positions by hand:

    move 40rd-119-1 12,5          air superiority | air support 12,5 | air interdiction 12,5
    declare inf-1 12,5            support art-1 12,5 | resolve | cancel
    attack tk-1,tk-2 12,5 overrun retreat inf-3 13,4 | advance inf-1 | hold
    bridge eng-1 4,5:SE           demolish eng-1 4,5:SE          end

Attacks and bombardments are declared as a board wargame declares them, one unit at a time:
``declare`` adds an attacker, ``support`` adds a gun (to an attack, or in the bombardment phase to
a bombardment), ``resolve`` rolls the die, ``cancel`` withdraws the declaration.  So every
combination the rules allow can be made, the odds can be shown as it is built, and a computer
player chooses among a few actions at a time.  An overrun, made from the march by one stack,
stays a single action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from nomonhan.hexgrid import (
    Hex,
    Hexside,
    format_hex,
    format_hexside,
    parse_hex,
    parse_hexside,
)


class ActionSyntaxError(ValueError):
    """Text that is not an action in Nomonhan's notation (as opposed to a legal-but-illegal one)."""


class IllegalActionError(ValueError):
    """A well-formed action that the rules do not allow in this state."""


def _ids(units: tuple[str, ...]) -> str:
    return ",".join(units)


@dataclass(frozen=True, slots=True)
class Move:
    """Move ``unit`` to ``to`` along the cheapest path the moving side can see."""

    unit: str
    to: Hex

    def notation(self) -> str:
        return f"move {self.unit} {format_hex(self.to)}"


@dataclass(frozen=True, slots=True)
class EndPhase:
    """Finish the current phase of the active side."""

    def notation(self) -> str:
        return "end"


AirKind = Literal["superiority", "support", "interdiction"]


@dataclass(frozen=True, slots=True)
class AirMission:
    """Spend one air point: superiority (no hex), ground support or interdiction over ``hex``."""

    kind: AirKind
    hex: Hex | None = None

    def notation(self) -> str:
        return f"air {self.kind}" + (f" {format_hex(self.hex)}" if self.hex is not None else "")


@dataclass(frozen=True, slots=True)
class Declare:
    """Add ``unit`` to the attack being declared on the adjacent hex ``target`` (or begin one)."""

    unit: str
    target: Hex

    def notation(self) -> str:
        return f"declare {self.unit} {format_hex(self.target)}"


@dataclass(frozen=True, slots=True)
class Support:
    """Add the gun ``unit`` to the attack declared on ``target``, or in the bombardment phase to
    the bombardment of ``target`` (beginning it if none is declared)."""

    unit: str
    target: Hex

    def notation(self) -> str:
        return f"support {self.unit} {format_hex(self.target)}"


@dataclass(frozen=True, slots=True)
class Resolve:
    """Roll for the attack or bombardment as declared."""

    def notation(self) -> str:
        return "resolve"


@dataclass(frozen=True, slots=True)
class Cancel:
    """Withdraw the attack or bombardment being declared; nothing has been spent."""

    def notation(self) -> str:
        return "cancel"


@dataclass(frozen=True, slots=True)
class Attack:
    """``units`` attack the adjacent hex ``target``, ``artillery`` supporting from range.

    As an action it is an overrun (``overrun``: armour attacking from the march in the movement
    phase); otherwise it describes an attack as declared, for forecasts and plans.
    """

    units: tuple[str, ...]
    target: Hex
    artillery: tuple[str, ...] = ()
    overrun: bool = False

    def notation(self) -> str:
        text = f"attack {_ids(self.units)} {format_hex(self.target)}"
        if self.artillery:
            text += f" with {_ids(self.artillery)}"
        return text + (" overrun" if self.overrun else "")


@dataclass(frozen=True, slots=True)
class Retreat:
    """The defender's answer to a retreat result: where ``unit`` ends its retreat."""

    unit: str
    to: Hex

    def notation(self) -> str:
        return f"retreat {self.unit} {format_hex(self.to)}"


@dataclass(frozen=True, slots=True)
class Advance:
    """The attacker's answer after combat: ``unit`` advances into the vacated hex."""

    unit: str

    def notation(self) -> str:
        return f"advance {self.unit}"


@dataclass(frozen=True, slots=True)
class HoldPosition:
    """The attacker's answer after combat: no (more) units advance."""

    def notation(self) -> str:
        return "hold"


@dataclass(frozen=True, slots=True)
class BuildBridge:
    """An engineer unit throws a pontoon across a river or stream hexside next to it."""

    unit: str
    hexside: Hexside

    def notation(self) -> str:
        return f"bridge {self.unit} {format_hexside(self.hexside)}"


@dataclass(frozen=True, slots=True)
class DemolishBridge:
    """A unit blows up the bridge or pontoon on a hexside next to it."""

    unit: str
    hexside: Hexside

    def notation(self) -> str:
        return f"demolish {self.unit} {format_hexside(self.hexside)}"


Action = (
    Move
    | EndPhase
    | AirMission
    | Declare
    | Support
    | Resolve
    | Cancel
    | Attack
    | Retreat
    | Advance
    | HoldPosition
    | BuildBridge
    | DemolishBridge
)

_AIR_KINDS = ("superiority", "support", "interdiction")


def parse_action(text: str) -> Action:
    """The action a line of notation names; ``ActionSyntaxError`` if it names none."""
    words = text.split()
    try:
        return _parse(words)
    except (ValueError, IndexError) as exc:
        raise ActionSyntaxError(f"{text!r} is not an action: {exc}") from None


def _parse(words: list[str]) -> Action:
    verb, args = (words[0], words[1:]) if words else ("", [])
    if verb == "end" and not args:
        return EndPhase()
    if verb == "hold" and not args:
        return HoldPosition()
    if verb == "resolve" and not args:
        return Resolve()
    if verb == "cancel" and not args:
        return Cancel()
    if verb in ("declare", "support") and len(args) == 2:
        return (Declare if verb == "declare" else Support)(args[0], parse_hex(args[1]))
    if verb == "move" and len(args) == 2:
        return Move(args[0], parse_hex(args[1]))
    if verb == "air" and args and args[0] in _AIR_KINDS:
        if args[0] == "superiority" and len(args) == 1:
            return AirMission("superiority")
        if args[0] != "superiority" and len(args) == 2:
            return AirMission(cast(AirKind, args[0]), parse_hex(args[1]))
    if verb == "attack" and len(args) >= 2:
        rest = args[2:]
        overrun = bool(rest) and rest[-1] == "overrun"
        if overrun:
            rest = rest[:-1]
        artillery: tuple[str, ...] = ()
        if rest[:1] == ["with"] and len(rest) == 2:
            artillery, rest = _split(rest[1]), []
        if not rest:
            return Attack(_split(args[0]), parse_hex(args[1]), artillery, overrun)
    if verb == "retreat" and len(args) == 2:
        return Retreat(args[0], parse_hex(args[1]))
    if verb == "advance" and len(args) == 1:
        return Advance(args[0])
    if verb in ("bridge", "demolish") and len(args) == 2:
        kind = BuildBridge if verb == "bridge" else DemolishBridge
        return kind(args[0], parse_hexside(args[1]))
    raise ValueError("unknown verb or wrong number of words; see nomonhan.actions for the notation")


def _split(text: str) -> tuple[str, ...]:
    units = tuple(part for part in text.split(",") if part)
    if not units:
        raise ValueError("no unit ids")
    return units
