"""Actions: what a player asks the engine to do.  Frozen, serialisable, with a text notation.

The notation (``move 40rd-119-1 12,5`` / ``end``) parses back to the same action, so a game
record is a readable list of lines and a test can write positions by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from nomonhan.hexgrid import Hex
from nomonhan.scenario.schema import format_hex, parse_hex


class ActionSyntaxError(ValueError):
    """Text that is not an action in Nomonhan's notation (as opposed to a legal-but-illegal one)."""


class IllegalActionError(ValueError):
    """A well-formed action that the rules do not allow in this state."""


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


Action = Union[Move, EndPhase]


def parse_action(text: str) -> Action:
    words = text.split()
    try:
        if words == ["end"]:
            return EndPhase()
        if len(words) == 3 and words[0] == "move":
            return Move(words[1], parse_hex(words[2]))
    except ValueError as exc:
        raise ActionSyntaxError(f"{text!r}: {exc}") from None
    raise ActionSyntaxError(f"{text!r} is not an action; expected 'move UNIT COL,ROW' or 'end'")
