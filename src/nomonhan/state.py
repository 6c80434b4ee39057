"""The game state: frozen values that only :func:`nomonhan.engine.step` replaces.

A unit *type* (rules data) lives in the scenario; a :class:`Unit` here is an instance: where it
is, how many steps it has left, how far it may still move this phase, how long it has been cut
off from supply.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import Field, dataclass, field, fields, is_dataclass
from datetime import datetime
from enum import Enum
from operator import attrgetter
from typing import Any, TypeVar

from nomonhan.corepath import reference_active
from nomonhan.hexgrid import Hex, Hexside, format_hex
from nomonhan.scenario.load import Scenario
from nomonhan.scenario.schema import UnitType

NOT_DIGESTED = {"digest": False}
"""Field metadata for what :meth:`GameState.to_json` leaves out (derived or caches)."""


class Visibility(str, Enum):
    """Who may know a :class:`GameState` field: declared once, on the field, as ``metadata``.

    :func:`nomonhan.engine.observe` copies every PUBLIC and ACTING field into the observation,
    and :func:`nomonhan.engine.believed_state` copies them back, by this mark alone: a field
    added to the state reaches players (or fails loudly at import, if the observation has no
    slot for it) without anyone remembering to copy it.  Unmarked fields are PUBLIC.
    """

    PUBLIC = "public"
    """Both sides know it as it is (the clock, the bridges, the air missions flown)."""
    ACTING = "acting"
    """Only the active side knows it; the other side sees the field's default."""
    PER_SIDE = "per_side"
    """Each side knows its own share (units it sees, holders it saw): the engine's view says how."""
    HIDDEN = "hidden"
    """No side knows it (the game's dice); a believed state holds the player's own."""


def visibility(declared: Field[Any]) -> Visibility:
    """The :class:`Visibility` a state field is declared with (PUBLIC unless marked)."""
    mark = declared.metadata.get("visibility", Visibility.PUBLIC)
    assert isinstance(mark, Visibility)
    return mark


ACTING_SIDE_ONLY = {"visibility": Visibility.ACTING}
PER_SIDE = {"visibility": Visibility.PER_SIDE}
HIDDEN = {"visibility": Visibility.HIDDEN}


def canonical(value: Any) -> Any:
    """``value`` as JSON data that sorts and spells the same on every run (the digest's input).

    Hexes are written in the scenario notation and a hexside as ``low|high``; sets are sorted; a
    unit is the list of its fields in declaration order, any other dataclass a mapping of them.
    """
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Hex):
        return format_hex(value)
    if isinstance(value, Hexside):
        return f"{format_hex(value.low)}|{format_hex(value.high)}"
    if isinstance(value, frozenset):
        return sorted(canonical(item) for item in value)
    if isinstance(value, tuple):
        return [canonical(item) for item in value]
    if isinstance(value, Unit):
        return [canonical(getattr(value, f.name)) for f in fields(value)]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in fields(value)}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    raise TypeError(f"no canonical form for {type(value).__name__} in the game state")


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
    damaged_tanks: int = 0
    """Tanks knocked out without a step lost (:mod:`nomonhan.rules.armour`): the unit fights on
    at its steps' strength but has that many tanks fewer; the next step it loses takes them first.
    Seen with the unit, as its steps are."""
    out_of_fuel: bool = False
    """In supply, but its side's haul ran out before its fuel (rules/supply.py): it moves and
    attacks at the rules data's out-of-fuel per cent until a supply phase fuels it."""
    disrupted: bool = False
    """Suppressed by artillery fire: weaker in attack, defence and movement until the end of its
    side's next player turn (:mod:`nomonhan.rules.artillery`)."""
    exposed: bool = False
    """Seen in the open at dawn after moving in the night: fire at its hex is stronger until it
    moves or the day turn ends (:mod:`nomonhan.rules.artillery`)."""

    @property
    def on_map(self) -> bool:
        return self.status is UnitStatus.ON_MAP

    @property
    def position(self) -> Hex:
        """The hex of a unit on the map, typed as a hex: code that asks it of a unit still in
        reserve has a bug, and hears so here instead of meeting ``None`` further on."""
        if self.hex is None:
            raise ValueError(f"unit {self.id} is not on the map")
        return self.hex


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


@dataclass(frozen=True)
class Declaration:
    """An attack (combat phase) or bombardment (bombardment phase) being declared, unit by unit.

    ``units`` are the attackers next to ``target`` (none in a bombardment); ``guns`` fire in
    support, or make the bombardment.  Nothing is spent until it is resolved.
    """

    target: Hex
    units: tuple[str, ...] = ()
    guns: tuple[str, ...] = ()


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


@dataclass(frozen=True)
class Tally:
    """One side's losses so far, gross: every step, man and tank lost, and what came back.

    Kept as the game goes because men and tanks lost depend on how each step was lost (the
    cause's split, :mod:`nomonhan.rules.casualties`) and tanks can be lost without a step
    (:mod:`nomonhan.rules.armour`), so they cannot be worked out from the units at the end.
    """

    steps: int = 0
    killed: int = 0
    wounded: int = 0
    """Wounded and sick."""
    missing: int = 0
    """Missing and captured."""
    returned: int = 0
    """Wounded who came back to the ranks with a step regained by recovery."""
    tanks: int = 0
    """Tanks knocked out, with a step or without."""
    tanks_recovered: int = 0
    armoured_cars: int = 0
    guns: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(getattr(self, name) + getattr(other, name) for name in _TALLY_FIELDS))


_TALLY_FIELDS = tuple(f.name for f in fields(Tally))


@dataclass(frozen=True)
class Wreck:
    """Tanks a unit had knocked out in ``hex`` this turn: some come back if its side holds the hex
    at the turn's end (:func:`nomonhan.rules.armour.recoveries`)."""

    unit: str
    hex: Hex
    tanks: int


@dataclass(frozen=True)
class GameState:
    """Where everything stands.  Each field says who may know it (:class:`Visibility`, PUBLIC
    unless marked) and whether the digest holds it (``NOT_DIGESTED``)."""

    scenario: Scenario = field(repr=False, compare=False, metadata=NOT_DIGESTED | PER_SIDE)
    """In the digest by its id and content hash; a player gets its own copy (``for_player``)."""
    turn: int
    active_side: str
    phase: Phase
    units: tuple[Unit, ...] = field(metadata=PER_SIDE)
    rng_state: int = field(metadata=HIDDEN)
    bridges: frozenset[Hexside] = field(metadata=PER_SIDE)
    """The bridges and pontoons standing; each side knows them as it last saw them
    (:attr:`known_bridges`)."""
    holders: tuple[str | None, ...] = field(metadata=PER_SIDE)
    """For each scenario objective, the side that last held it alone (None: nobody yet)."""
    known_holders: tuple[tuple[str | None, ...], ...] = field(default=(), metadata=PER_SIDE)
    """Per side (in ``scenario.side_ids`` order), the holder of each objective as that side last
    saw it: an objective out of its sight keeps the holder it had when last in sight."""
    pending: Pending | None = None
    declaration: Declaration | None = field(default=None, metadata=ACTING_SIDE_ONLY)
    """The active side's attack or bombardment being declared, if any."""
    air: AirState = AirState()
    supply_left: int | None = field(default=None, metadata=ACTING_SIDE_ONLY)
    """The active side's supply points left this turn (None: unlimited)."""
    attacked_hexes: frozenset[Hex] = frozenset()
    withdrawn: frozenset[Hex] = field(default=frozenset(), metadata=ACTING_SIDE_ONLY)
    """Targets whose declaration the active side cancelled this phase: none may be declared on
    them again before the phase ends, so declaring and cancelling cannot go on for ever."""
    banked_points: tuple[int, int] = (0, 0)
    """Victory points earned turn by turn (objectives' points_per_turn), first side first."""
    winner: str | None = None
    """Set when a sudden-death condition ends the game."""
    game_over: bool = False
    pontoon_work: tuple[tuple[Hexside, str, int], ...] = field(default=(), metadata=PER_SIDE)
    """Pontoons being thrown, not yet standing: (hexside, side, hours of engineers' work done).
    Each side knows its own (the enemy's bridging is not seen until the bridge stands)."""
    bridge_traffic: tuple[tuple[Hexside, int], ...] = field(default=(), metadata=ACTING_SIDE_ONLY)
    """Steps the active side has moved across each bridge this player turn (hexside order)."""
    damaged_bridges: tuple[tuple[Hexside, int], ...] = field(default=(), metadata=PER_SIDE)
    """Damaged bridges: (hexside, the turn from which it carries again); each side knows them as
    it last saw them (:attr:`known_bridges`)."""
    known_bridges: tuple[tuple[frozenset[Hexside], tuple[tuple[Hexside, int], ...]], ...] = field(default=(), metadata=PER_SIDE)
    """Per side (in ``scenario.side_ids`` order; empty: every side knows the truth), the bridges
    standing and the damaged ones as that side last saw them: a bridge with neither end in its
    sight keeps what it was when last seen (a pontoon thrown or a bridge blown out of sight is
    news only when a unit comes near)."""
    pontoons_thrown: tuple[tuple[str, Hexside], ...] = field(default=(), metadata=PER_SIDE)
    """Every pontoon thrown this game: (the engineer unit that threw it, hexside), in order; each
    side knows its own engineers' (their bridging trains spent)."""
    stockpiles: tuple[int, ...] = field(default=(), metadata=PER_SIDE)
    """Per side (in ``scenario.side_ids`` order), the supply points stocked: the scenario's
    build-up, then each turn's unused haul carried over (rules/supply.py).  A side sees only
    its own."""
    memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False, metadata=NOT_DIGESTED | HIDDEN)
    """Derived values (what a side knows, who stands where) computed once per state."""
    tallies: tuple[Tally, ...] = field(default=(), metadata=HIDDEN)
    """Each side's losses so far (in ``scenario.side_ids`` order; empty: none yet).  Hidden: a
    side learns the enemy's losses from the end-of-game report only, and plays without its own
    (its units' steps tell it what it has left)."""
    wrecks: tuple[Wreck, ...] = field(default=(), metadata=HIDDEN)
    """Tanks knocked out this turn, per unit and hex, awaiting the end-of-turn recovery (hidden:
    the wrecks of the enemy's units are no side's to count)."""

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

    def bridges_known_to(self, side: str) -> tuple[frozenset[Hexside], tuple[tuple[Hexside, int], ...]]:
        """The bridges standing and the damaged ones as ``side`` knows them."""
        if self.known_bridges:
            return self.known_bridges[self.scenario.side_ids.index(side)]
        return self.bridges, self.damaged_bridges

    def holders_known_to(self, side: str) -> tuple[str | None, ...]:
        return self.known_holders[self.scenario.side_ids.index(side)] if self.known_holders else self.holders

    def units_of(self, side: str) -> list[Unit]:
        return [u for u in self.units if u.side == side and u.on_map]

    def units_on_map(self, side: str) -> tuple[Unit, ...]:
        """``side``'s units on the map in scenario order, memoised (the fast path's loops)."""
        key = ("on-map", side)
        found: tuple[Unit, ...] | None = self.memo.get(key)
        if found is None:
            found = self.memo[key] = tuple(u for u in self.units if u.side == side and u.on_map)
        return found

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

    def tally(self, side: str) -> Tally:
        return self.tallies[self.scenario.side_ids.index(side)] if self.tallies else Tally()

    def with_tally(self, side: str, added: Tally) -> GameState:
        """The state with ``added`` counted among ``side``'s losses."""
        tallies = list(self.tallies or (Tally() for _ in self.scenario.side_ids))
        i = self.scenario.side_ids.index(side)
        tallies[i] = tallies[i] + added
        return replace(self, tallies=tuple(tallies))

    def with_wreck(self, unit: Unit, tanks: int) -> GameState:
        """The state with ``tanks`` of ``unit`` knocked out where it stands, for the turn's recovery."""
        hex_ = unit.position
        for n, wreck in enumerate(self.wrecks):
            if wreck.unit == unit.id and wreck.hex == hex_:
                merged = Wreck(unit.id, hex_, wreck.tanks + tanks)
                return replace(self, wrecks=self.wrecks[:n] + (merged,) + self.wrecks[n + 1 :])
        return replace(self, wrecks=self.wrecks + (Wreck(unit.id, hex_, tanks),))

    def to_json(self) -> dict[str, Any]:
        """A canonical, order-stable description of the state (the digest hashes this).

        Every field is in it unless its declaration says ``metadata=NOT_DIGESTED``, so a field
        added to the state is in the digest without anyone remembering to add it here.
        """
        described = {f.name: canonical(getattr(self, f.name)) for f in fields(self) if f.metadata.get("digest", True)}
        return {"scenario": self.scenario.id, "scenario_hash": self.scenario.content_hash, **described}

    def digest(self) -> str:
        text = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


_STATE_FIELDS = frozenset(f.name for f in fields(GameState) if f.init)
_UNIT_FIELDS = {f.name: n for n, f in enumerate(fields(Unit))}
_unit_values = attrgetter(*_UNIT_FIELDS)
T = TypeVar("T")


def replace(value: T, /, **changes: Any) -> T:
    """:func:`dataclasses.replace`, cheaper on the fast path (:mod:`nomonhan.corepath`) for the
    two values the engine copies several times an action: a :class:`GameState` is copied
    without re-running its frozen ``__init__`` (it checks nothing on creation, so copying its
    fields is the same value; the copy starts with an empty ``memo``, as a new state does), a
    :class:`Unit` is built from its fields by position."""
    kind = type(value)
    if reference_active() or kind not in (GameState, Unit):
        return dataclasses.replace(value, **changes)  # type: ignore[type-var]
    if kind is Unit:
        values = list(_unit_values(value))
        try:
            for name, changed in changes.items():
                values[_UNIT_FIELDS[name]] = changed
        except KeyError:  # not a field: dataclasses.replace says so
            return dataclasses.replace(value, **changes)  # type: ignore[type-var]
        return Unit(*values)  # type: ignore[return-value]
    if kind is GameState and _STATE_FIELDS.issuperset(changes):
        copy = object.__new__(GameState)
        copy.__dict__.update(value.__dict__)
        copy.__dict__.update(changes)
        copy.__dict__["memo"] = {}
        return copy  # type: ignore[return-value]
    return dataclasses.replace(value, **changes)  # type: ignore[type-var]
