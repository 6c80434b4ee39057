"""Game records and the play session built on them: save = replay = play-by-mail file.

A record is the scenario (id and content hash), the rules data's hash, the seed and the list of
actions in notation.  Loading replays every action through :func:`engine.step` and checks the
final digest, so a record made under other rules data or another scenario version is refused
instead of silently diverging.  The record holds the seed, so play by mail is trust-based: a
player who reads the file can foresee the dice.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nomonhan import __version__, engine, resources, safeio
from nomonhan.actions import Action, ActionSyntaxError, IllegalActionError, Move, parse_action
from nomonhan.events import BridgeFoundGone, Event, MoveInterrupted
from nomonhan.fileio import write_atomic
from nomonhan.scenario.errors import ScenarioError
from nomonhan.scenario.load import Scenario, load_scenario
from nomonhan.scenario.variants import Variant, is_variant_ref
from nomonhan.state import GameState

RECORD_FORMAT = "nomonhan-record"
RECORD_VERSION = 3
LAST_PLAYED_BY = {1: "Nomonhan 0.1.0 (git commit 9cc45ec)", 2: "Nomonhan 0.2.0.dev0 (git commit 60219fb)"}
"""The last release that replays each older record format: version 1 holds the first edition's
dice, version 2 the first edition's rules (before the second edition's armour, supply stages,
artillery, bridges and losses in men)."""


class RecordError(Exception):
    """A game record that cannot be read or replayed; the message says why, for a person."""


@dataclass(frozen=True)
class TurnEnd:
    """An action after which a turn ended, or the game did: the game's checkpoints and its
    per-turn report (:func:`nomonhan.sim.run.per_turn`) are read from these alone."""

    number: int
    """Actions played, this one included."""
    turn: int
    """The turn the action was played in."""
    state: GameState
    """The state after it."""


class HistoryNotKept(RuntimeError):
    """Past states or events asked of a game played with ``keep_states=False``."""


@dataclass(init=False)
class Game:
    """A game in progress: the record (seed + actions) and the states it passed through.

    ``undo`` takes back the active side's last move of the current movement phase, as long as it
    rolled no die and revealed nothing; it truncates the record rather than adding an action.

    With ``keep_states=False`` (headless runs: ``run``, ``batch``, arena and sweep workers) the
    game keeps its record, its current state and the states at the end of each turn, not every
    past state and its events: each kept state holds some thirty objects that every collection
    of the garbage collector's older generations walks again (a sixth to a third of a random
    game's time on the fast path, docs/benchmarks.md).  Its past is rebuilt by replaying the
    record (:func:`load_game` of its save).
    """

    scenario: Scenario
    seed: int
    scenario_ref: str
    actions: list[Action]
    keep_states: bool
    turn_ends: list[TurnEnd]
    _states: list[GameState] = field(repr=False)
    _events: list[list[Event]] = field(repr=False)

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        scenario_ref: str,
        actions: list[Action] | None = None,
        states: list[GameState] | None = None,
        events: list[list[Event]] | None = None,
        keep_states: bool = True,
    ) -> None:
        """A game from its states so far (the first one at least; :meth:`start` makes it), with
        the actions and events between them."""
        self.scenario, self.seed, self.scenario_ref = scenario, seed, scenario_ref
        self.actions = actions if actions is not None else []
        self.keep_states = keep_states
        states, events = states or [], events if events is not None else []
        self.turn_ends = [
            TurnEnd(number, before.turn, after)
            for number, (before, after) in enumerate(zip(states, states[1:]), start=1)
            if _ends_turn(before, after)
        ]
        self._states, self._events = (states, events) if keep_states else (states[-1:], [])

    @classmethod
    def start(cls, scenario: Scenario, seed: int, scenario_ref: str | None = None, keep_states: bool = True) -> Game:
        return cls(scenario, seed, scenario_ref or scenario.id, states=[engine.new_game(scenario, seed)], keep_states=keep_states)

    @property
    def state(self) -> GameState:
        return self._states[-1]

    @property
    def states(self) -> list[GameState]:
        """Every state from the start, the current one last."""
        return self._kept(self._states)

    @property
    def events(self) -> list[list[Event]]:
        """Each action's events, in the order played."""
        return self._kept(self._events)

    def _kept(self, history: list[Any]) -> list[Any]:
        if not self.keep_states:
            raise HistoryNotKept("this game kept only its record (keep_states=False): replay it for its past states and events")
        return history

    def play(self, action: Action) -> list[Event]:
        before = self.state
        after, events = engine.step(before, action)
        self.actions.append(action)
        if _ends_turn(before, after):
            self.turn_ends.append(TurnEnd(len(self.actions), before.turn, after))
        if self.keep_states:
            self._states.append(after)
            self._events.append(events)
        else:
            self._states[-1] = after
        return events

    def can_undo(self) -> bool:
        """Only a move that rolled no die and taught its side nothing: no enemy unit came into
        sight, no objective's holder or bridge was learnt.  Otherwise undo would be a free scout.
        An objective the move took is not learnt: that it stood empty is what any move shows of
        the empty ground it lights, which undo allows (docs/rules.md, Undo)."""
        if not self.keep_states or not self.actions or not isinstance(self.actions[-1], Move):
            return False
        before, after = self.states[-2], self.states[-1]
        side = before.active_side
        spotted = {u.id for u in engine.visible_enemies(after, side)} - {u.id for u in engine.visible_enemies(before, side)}
        known = zip(before.holders_known_to(side), after.holders_known_to(side), strict=True)
        holder_learnt = any(then != now and now != side for then, now in known)
        bridge_learnt = after.bridges_known_to(side) != before.bridges_known_to(side)
        revealed = any(isinstance(e, (MoveInterrupted, BridgeFoundGone)) for e in self.events[-1])
        return before.rng_state == after.rng_state and not (revealed or spotted or holder_learnt or bridge_learnt)

    def undo(self) -> bool:
        if not self.can_undo():
            return False
        self.actions.pop()
        self._states.pop()
        self._events.pop()
        while self.turn_ends and self.turn_ends[-1].number > len(self.actions):
            self.turn_ends.pop()
        return True

    def record(self, players: dict[str, str] | None = None) -> dict[str, Any]:
        return {
            "format": RECORD_FORMAT,
            "format_version": RECORD_VERSION,
            "nomonhan_version": __version__,
            "scenario": self.scenario_ref,
            "scenario_id": self.scenario.id,
            "scenario_hash": self.scenario.content_hash,
            "rules_hash": self.scenario.rules_hash,
            "seed": self.seed,
            "players": players or {},
            "actions": [a.notation() for a in self.actions],
            "checkpoints": self.checkpoints(),
            "digest": self.state.digest(),
        }

    def checkpoints(self) -> list[list[Any]]:
        """``[actions played, turn, digest]`` at the end of each turn: where a replay that
        goes astray first leaves the record, so a failing replay says which turn differs."""
        return [[end.number, end.turn, end.state.digest()] for end in self.turn_ends if end.state.turn != end.turn]

    def save(self, path: str | Path, players: dict[str, str] | None = None) -> None:
        """Write the record atomically; a scenario file is named relative to the record's folder."""
        record = self.record(players)
        if _is_path(self.scenario_ref):
            record["scenario"] = os.path.relpath(Path(self.scenario_ref).resolve(), Path(path).resolve().parent)
        write_atomic(path, json.dumps(record, indent=1) + "\n")


def _ends_turn(before: GameState, after: GameState) -> bool:
    """Whether the action from ``before`` to ``after`` ended a turn, or the game."""
    return after.turn != before.turn or (after.game_over and not before.game_over)


def _is_path(ref: str) -> bool:
    """A scenario named by a file rather than by a bundled id (or a what-if variant's reference)."""
    return not is_variant_ref(ref) and (ref.endswith((".yaml", ".yml")) or os.sep in ref)


MAX_RECORD_BYTES = 5_000_000
"""A long game's record is about 12 kB; the cap is a bound on memory, far above any real game."""
MAX_SEED = 2**64 - 1
MAX_NUMBER_CHARS = 100
"""Characters in a number of a record (a seed has at most 20 digits)."""
MAX_SCENARIO_REF = 4096
"""The longest path most systems accept (PATH_MAX)."""


def read_record(path: str | Path) -> dict[str, Any]:
    """The record's fields, checked for kind and range (the actions are checked by replaying them)."""
    try:
        data = safeio.read_json(path, MAX_RECORD_BYTES, MAX_NUMBER_CHARS)
    except safeio.NotJson as exc:
        raise RecordError(f"{path}: not a Nomonhan game record: {_shorten(str(exc), 200)}") from None
    except safeio.FileRefused as exc:
        raise RecordError(f"{path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT:
        raise RecordError(f"{path}: not a Nomonhan game record (no 'format: {RECORD_FORMAT}')")
    version = data.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version != RECORD_VERSION:
        made = f"made by {_made_by(data)}, record format version {version}"
        if version > RECORD_VERSION:
            raise RecordError(f"{path}: {made}, comes from a newer Nomonhan; this one ({__version__}) reads version {RECORD_VERSION}")
        last = f", and the last that plays it is {LAST_PLAYED_BY[version]}" if version in LAST_PLAYED_BY else ""
        raise RecordError(
            f"{path}: {made}, comes from an earlier edition of the rules and dice; "
            f"this Nomonhan ({__version__}) reads version {RECORD_VERSION}{last}"
        )
    if version != RECORD_VERSION or not isinstance(version, int):  # 3.0 equals 3, but no Nomonhan writes it
        raise RecordError(f"{path}: record format version {_shorten(repr(version))}; this Nomonhan reads version {RECORD_VERSION}")
    kinds = {str: "a string", int: "a whole number", list: "a list"}
    for key, kind in (("scenario", str), ("scenario_hash", str), ("rules_hash", str), ("seed", int), ("actions", list), ("digest", str)):
        value = data.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise RecordError(f"{path}: field {key!r} is missing or not {kinds[kind]}")
    check_scenario_ref(data["scenario"], f"{path}: field 'scenario'")
    if not 0 <= data["seed"] <= MAX_SEED:
        raise RecordError(f"{path}: field 'seed' must be a whole number from 0 to 2**64-1, not {_shorten(str(data['seed']))}")
    for number, action in enumerate(data["actions"], start=1):
        if not isinstance(action, str):
            raise RecordError(f"{path}: action {number} is not a line of action notation (a string)")
    return data


def check_scenario_ref(ref: Any, field: str) -> None:
    """A scenario reference read from a file (a record, a batch's results; ``field`` names
    where) is a bundled scenario id, a scenario file (``.yaml``) or a what-if variant of one:
    any other path (``../../etc/shadow``) would be read, and its lines shown in errors.  It is
    bounded too: a what-if reference carries its overlays' texts, parsed at some seconds a MB."""
    if not isinstance(ref, str):
        raise RecordError(f"{field} is not a scenario id, path or what-if reference (a string)")
    if len(ref) > MAX_SCENARIO_REF:
        raise RecordError(f"{field} is {len(ref):,} characters, too long to name a scenario")
    try:
        base = Variant.from_ref(ref).base if is_variant_ref(ref) else ref
    except ScenarioError as exc:
        raise RecordError(f"{field}: {_shorten(exc.problems[0].message, 200)}") from None
    if not base.endswith((".yaml", ".yml")) and base not in {p.stem for p in resources.bundled_scenario_paths()}:
        raise RecordError(f"{field} names {_shorten(repr(base))}, neither a bundled scenario id nor a scenario file (.yaml)")


def _made_by(data: dict[str, Any]) -> str:
    """``Nomonhan 0.1.0``: the version that wrote a record, as the record says (every record
    since the first names it), for messages that refuse an older or newer save."""
    version = data.get("nomonhan_version")
    return f"Nomonhan {_shorten(version, 40)}" if isinstance(version, str) and version else "an unnamed version of Nomonhan"


def _shorten(text: str, limit: int = 80) -> str:
    """A value from a file, cut short for an error message (a record may hold megabytes in one field)."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def load_game(path: str | Path, scenario_ref: str | None = None, keep_states: bool = True) -> Game:
    """Replay a record into a Game, refusing it if the scenario, rules or final digest differ
    (``keep_states=False``: only to check it, see :class:`Game`)."""
    data = read_record(path)
    ref = scenario_ref or data["scenario"]
    if not scenario_ref and _is_path(ref) and not Path(ref).is_absolute():
        ref = str(Path(path).resolve().parent / ref)
    scenario = load_scenario(ref)
    if scenario_ref and isinstance(data.get("scenario_id"), str) and data["scenario_id"] != scenario.id:
        raise RecordError(f"{path}: the record is a game of scenario {_shorten(data['scenario_id'])!r}, not {scenario.id!r}")
    if scenario.content_hash != data["scenario_hash"]:
        raise RecordError(
            f"{path}: the record was made with another version of scenario {data['scenario']!r} "
            f"(hash {data['scenario_hash'][:12]}, this one is {scenario.content_hash[:12]}); it cannot be replayed"
        )
    if scenario.rules_hash != data["rules_hash"]:
        raise RecordError(
            f"{path}: the record was made by {_made_by(data)} under other rules data (hash {data['rules_hash'][:12]}, "
            f"these are {scenario.rules_hash[:12]}, Nomonhan {__version__}); it cannot be replayed"
        )
    game = Game.start(scenario, data["seed"], data["scenario"], keep_states)
    checkpoints = _checkpoints(path, data.get("checkpoints", []))
    for number, text in enumerate(data["actions"], start=1):
        try:
            game.play(parse_action(text))
        except (ActionSyntaxError, IllegalActionError) as exc:
            raise RecordError(f"{path}: action {number} ({_shorten(repr(text))}) cannot be replayed: {_shorten(str(exc), 200)}") from None
        if number in checkpoints and game.state.digest() != checkpoints[number][1]:
            turn, digest = checkpoints[number]
            raise RecordError(
                f"{path}: replay leaves the record at the end of turn {turn} (after action {number}): "
                f"digest {game.state.digest()[:12]}, record says {digest[:12]}"
            )
    if game.state.digest() != data["digest"]:
        raise RecordError(
            f"{path}: replay ends in a different state (digest {game.state.digest()[:12]}, record says {data['digest'][:12]})"
        )
    return game


def _checkpoints(path: str | Path, entries: Any) -> dict[int, tuple[int, str]]:
    """The record's per-turn digests by action number (a record may have none)."""
    if not isinstance(entries, list) or not all(
        isinstance(e, list) and len(e) == 3 and isinstance(e[0], int) and isinstance(e[1], int) and isinstance(e[2], str) for e in entries
    ):
        raise RecordError(f"{path}: field 'checkpoints' must be a list of [actions, turn, digest]")
    return {number: (turn, digest) for number, turn, digest in entries}
