"""A player that is another program, spoken to in JSON lines over its standard input and output
(as chess engines speak UCI), so that agents in any language can play.

Protocol version 1.  For each decision the program reads one line, a JSON object:

    {"protocol": 1, "scenario": ID, "side": SIDE, "turn": N, "active_side": SIDE,
     "phase": "air"|"movement"|"bombardment"|"combat", "night": BOOL, "weather": TEXT,
     "pending": {kind, side, units, target, ...} or null, "declaration": {target, units, guns} or null,
     "own_units": [UNIT, ...], "enemy_units": [UNIT, ...] (the enemy in sight),
     "seen_hexes": ["col,row", ...], "holders": [SIDE or null per objective, as last seen],
     "legal": ["move inf-1 12,5", "end", ...]}

where a UNIT is ``{"id", "type", "side", "hex" ("col,row" or null), "steps", "move_points",
"status", "out_of_supply", "entrenchment", "moved", "attacked", "fired", "halted", "disrupted",
"exposed", "out_of_fuel", "damaged_tanks", "rest_turns"}`` and each legal
action is in the game's notation (:mod:`nomonhan.actions`).  It answers with one line,
``{"action": I}`` (an index into ``legal``) or ``{"action": "notation"}``.  When the game ends its
standard input is closed.  It is given only its side's observation, like any player.
"""

from __future__ import annotations

import json
import os
import select
import shlex
import subprocess
import time
from collections.abc import Sequence
from typing import Any

from nomonhan.actions import Action, parse_action
from nomonhan.engine import Observation
from nomonhan.hexgrid import format_hex
from nomonhan.rng import Generator
from nomonhan.state import Unit, canonical

PROTOCOL = 1
REPLY_SECONDS = 60.0
"""How long the program may take over one decision, reading it and writing its whole answer's
line, before the game is given up (half a line and then silence counts as no answer; so does a
program that answers without reading, once the pipe to it is full)."""
MAX_REPLY_BYTES = 65_536
"""Bytes in one answer line.  An answer is an index or one action's notation, a few dozen bytes;
a program writing without end (or without a newline) is stopped here, not read into memory."""


class ExternalPlayerError(ValueError):
    """The program did not answer, or answered with something that is not a legal action."""


def _unit(unit: Unit) -> dict[str, Any]:
    """A unit as the observation holds it: every field a player in the game's process is given,
    so a program behind the protocol knows no less (disrupted, exposed, short of fuel, ...)."""
    return {
        "id": unit.id,
        "type": unit.type_id,
        "side": unit.side,
        "hex": format_hex(unit.hex) if unit.hex else None,
        "steps": unit.steps,
        "move_points": unit.move_points,
        "status": unit.status.value,
        "out_of_supply": unit.out_of_supply,
        "entrenchment": unit.entrenchment,
        "moved": unit.moved,
        "attacked": unit.attacked,
        "fired": unit.fired,
        "halted": unit.halted,
        "disrupted": unit.disrupted,
        "exposed": unit.exposed,
        "out_of_fuel": unit.out_of_fuel,
        "damaged_tanks": unit.damaged_tanks,
        "rest_turns": unit.rest_turns,
    }


def message(observation: Observation, legal_actions: Sequence[Action]) -> dict[str, Any]:
    """The protocol's line for one decision."""
    return {
        "protocol": PROTOCOL,
        "scenario": observation.scenario.id,
        "side": observation.side,
        "turn": observation.turn,
        "active_side": observation.active_side,
        "phase": observation.phase.value,
        "night": observation.is_night,
        "weather": observation.weather,
        "pending": canonical(observation.pending),
        "declaration": canonical(observation.declaration),
        "own_units": [_unit(u) for u in observation.own_units],
        "enemy_units": [_unit(u) for u in observation.enemy_units],
        "seen_hexes": sorted(format_hex(h) for h in observation.seen_hexes),
        "holders": list(observation.holders),
        "legal": [action.notation() for action in legal_actions],
    }


class ExternalPlayer:
    """Runs ``command`` (started at its first decision) and asks it for each action."""

    kind = "external"

    def __init__(self, command: str) -> None:
        self._process: subprocess.Popen[bytes] | None = None  # first: __del__ runs even when __init__ raises
        self._unread = b""
        try:
            self.command = shlex.split(command)
        except ValueError as exc:  # an unclosed quote
            raise ExternalPlayerError(f"cmd:{command}: {exc}") from None
        if not self.command:
            raise ExternalPlayerError("an external player needs a command to run")
        typed = shlex.join(self.command)
        self.name = typed if len(typed) <= 80 else "..." + typed[-77:]
        """The command as typed (its end, which names the script, when long): what goes wrong names it."""

    def choose(self, observation: Observation, legal_actions: Sequence[Action], rng: Generator) -> Action:
        process = self._started()
        assert process.stdin is not None and process.stdout is not None
        deadline = time.monotonic() + REPLY_SECONDS
        self._send(process, (json.dumps(message(observation, legal_actions)) + "\n").encode("utf-8"), deadline)
        return _answer(self._line(process.stdout.fileno(), deadline), legal_actions, self.name)

    def _send(self, process: subprocess.Popen[bytes], data: bytes, deadline: float) -> None:
        """Write ``data`` to the program's input as it reads it, by the ``deadline``: a blocking
        write to a program that answers without reading would wait for ever once the pipe (64 kB;
        one decision on Khalkhin Gol is up to 40 kB) is full."""
        assert process.stdin is not None
        fd = process.stdin.fileno()
        view = memoryview(data)
        while view:
            _, ready, _ = select.select([], [fd], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise ExternalPlayerError(f"{self.name} did not read its input within {REPLY_SECONDS:.0f} s")
            try:
                view = view[os.write(fd, view) :]
            except BlockingIOError:
                continue  # the pipe filled between select and write
            except BrokenPipeError:
                raise ExternalPlayerError(f"{self.name} exited (code {process.poll()}) before the game ended") from None

    def _line(self, fd: int, deadline: float) -> str:
        """The program's next line, read as it comes, by the ``deadline`` and within MAX_REPLY_BYTES."""
        name = self.name
        while b"\n" not in self._unread:
            if len(self._unread) > MAX_REPLY_BYTES:
                raise ExternalPlayerError(f"{name} wrote more than {MAX_REPLY_BYTES:,} bytes without ending its answer's line")
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(fd, MAX_REPLY_BYTES + 1) if ready else b""
            if not chunk:
                raise ExternalPlayerError(f"{name} gave no answer within {REPLY_SECONDS:.0f} s (or exited)")
            self._unread += chunk
        line, _, self._unread = self._unread.partition(b"\n")
        if len(line) > MAX_REPLY_BYTES:
            raise ExternalPlayerError(f"{name} wrote more than {MAX_REPLY_BYTES:,} bytes without ending its answer's line")
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError:
            raise ExternalPlayerError(f"{name} answered {line[:80]!r}, which is not UTF-8 text") from None

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            try:
                self._process = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            except OSError as exc:
                raise ExternalPlayerError(f"cannot run {self.name}: {exc}") from None
            assert self._process.stdin is not None
            os.set_blocking(self._process.stdin.fileno(), False)  # written under select (_send)
        return self._process

    def close(self) -> None:
        """End the program: its input is closed, as at a game's end; it is killed if it lingers."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __del__(self) -> None:
        self.close()


def _answer(line: str, legal_actions: Sequence[Action], name: str) -> Action:
    try:
        choice = json.loads(line)["action"]
    except (ValueError, KeyError, TypeError, RecursionError):
        raise ExternalPlayerError(f'{name} answered {line.strip()[:80]!r}, not {{"action": INDEX or NOTATION}}') from None
    if isinstance(choice, int) and not isinstance(choice, bool):
        if 0 <= choice < len(legal_actions):
            return legal_actions[choice]
        raise ExternalPlayerError(f"{name} chose action {choice}, outside 0..{len(legal_actions) - 1}")
    if isinstance(choice, str):
        try:
            action = parse_action(choice)
        except ValueError as exc:
            raise ExternalPlayerError(f"{name}: {exc}") from None
        if action in legal_actions:
            return action
        raise ExternalPlayerError(f"{name} chose {choice!r}, which is not legal now")
    raise ExternalPlayerError(f'{name} answered {line.strip()[:80]!r}, not {{"action": INDEX or NOTATION}}')
