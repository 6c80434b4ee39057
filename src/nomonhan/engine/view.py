"""What a side knows: the observation handed to players, and memoised per-state facts.

Movement is planned on :func:`knowledge` (the enemy a side can see); the engine checks moves
against :func:`truth` (every enemy unit) when it carries them out.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import MISSING, dataclass, fields
from typing import Any

from nomonhan.corepath import reference_active
from nomonhan.hexgrid import Hex, Hexside
from nomonhan.rules.air import weather
from nomonhan.rules.movement import Knowledge, zone_of_control
from nomonhan.rules.supply import stockpile
from nomonhan.rules.visibility import seen_hexes, visible_enemies
from nomonhan.scenario.load import Scenario
from nomonhan.state import AirState, Declaration, GameState, Pending, Phase, Unit, UnitStatus, Visibility, replace, visibility


@dataclass(frozen=True)
class Observation:
    """What one side may know: its own units, the enemy units it can see, the public clock.

    Computer players and the front end get this, never the state, so they cannot cheat.  The
    first block of fields is the state's PUBLIC and ACTING fields under their own names, filled
    by :func:`shared_fields` from the marks in ``state.py``; the second is this side's share of
    the PER_SIDE ones and what is derived from them.
    """

    turn: int
    active_side: str
    phase: Phase
    bridges: frozenset[Hexside]
    """The bridges and pontoons standing as this side last saw them."""
    pending: Pending | None
    declaration: Declaration | None
    """The attack or bombardment this side is declaring (None for the side not acting)."""
    air: AirState
    supply_left: int | None
    """This side's supply points left (None: unlimited, or the side not acting)."""
    attacked_hexes: frozenset[Hex]
    withdrawn: frozenset[Hex]
    """Targets this side cancelled a declaration on this phase (empty for the side not acting)."""
    banked_points: tuple[int, int]
    winner: str | None
    game_over: bool
    bridge_traffic: tuple[tuple[Hexside, int], ...]
    """Steps this side has moved across each bridge this player turn (empty for the side not acting)."""
    damaged_bridges: tuple[tuple[Hexside, int], ...]
    """Damaged bridges and the turn each carries again, as this side last saw them."""

    side: str
    is_night: bool
    weather: str
    own_units: tuple[Unit, ...]
    enemy_units: tuple[Unit, ...]
    seen_hexes: AbstractSet[Hex]
    """The hexes in this side's sight (a frozenset, or on the fast path a bitset read as one)."""
    holders: tuple[str | None, ...]
    """The holder of each objective as this side last saw it."""
    stockpile: int
    """This side's own supply stockpile (the enemy's is never shown)."""
    scenario: Scenario
    """The public scenario: this side's own copy (see :meth:`Scenario.for_player`)."""
    pontoon_work: tuple[tuple[Hexside, str, int], ...]
    """This side's own pontoons being thrown (the enemy's are not known)."""
    pontoons_thrown: tuple[tuple[str, Hexside], ...]
    """The pontoons this side's engineers have thrown (their bridging trains spent)."""


SHARED_FIELDS = tuple(f.name for f in fields(GameState) if visibility(f) in (Visibility.PUBLIC, Visibility.ACTING))
"""The state's fields an observation carries under their own names (by their marks in ``state.py``)."""


def check_observation_covers(state_type: type[GameState]) -> None:
    """Fail, naming the field, if a field marked for the players has no slot in the observation
    (run at import on :class:`GameState`, so a new field cannot silently stay out of it)."""
    missing = {f.name for f in fields(state_type) if visibility(f) in (Visibility.PUBLIC, Visibility.ACTING)}
    missing -= {f.name for f in fields(Observation)}
    if missing:
        raise TypeError(
            f"GameState field(s) {sorted(missing)} are marked for the players (PUBLIC or ACTING in state.py) "
            "but Observation has no field for them: declare them on Observation, or mark them PER_SIDE or HIDDEN"
        )
    for f in fields(state_type):
        if visibility(f) is Visibility.ACTING and f.default is MISSING:
            raise TypeError(f"GameState.{f.name} is ACTING: it needs a default, which the side not acting sees")


_PUBLIC = tuple(f.name for f in fields(GameState) if visibility(f) is Visibility.PUBLIC)
_ACTING = tuple((f.name, f.default) for f in fields(GameState) if visibility(f) is Visibility.ACTING)
"""The marks read once at import: observations are built on every decision of every player."""


def shared_fields(state: GameState, side: str | None) -> dict[str, Any]:
    """The state's PUBLIC and ACTING fields as ``side`` knows them (``None``: the full view).

    An ACTING field (what the active side is declaring, its supply left) shows its default to
    the side not acting.
    """
    shared: dict[str, Any] = {name: getattr(state, name) for name in _PUBLIC}
    acting = side in (None, state.active_side)
    for name, default in _ACTING:
        shared[name] = getattr(state, name) if acting else default
    return shared


check_observation_covers(GameState)


def observe(state: GameState, side: str) -> Observation:
    """What ``side`` may know of ``state``.  The fast path (:mod:`nomonhan.corepath`) fills the
    frozen observation's fields directly instead of through its ``__init__`` (which checks
    nothing): every decision of every player builds one."""
    fast = not reference_active()
    observed = dict(
        shared_fields(state, side),
        side=side,
        is_night=state.is_night,
        weather=_weather_now(state) if fast else weather(state.scenario, state.turn),
        own_units=_own_units(state, side) if fast else tuple(u for u in state.units if u.side == side),
        enemy_units=tuple(visible_enemies(state, side)),
        seen_hexes=seen_hexes(state, side),
        holders=state.holders_known_to(side),
        bridges=(known_bridges := state.bridges_known_to(side))[0],
        damaged_bridges=known_bridges[1],
        stockpile=stockpile(state, side),
        scenario=state.scenario.for_player(side),
        pontoon_work=tuple(w for w in state.pontoon_work if w[1] == side),
        pontoons_thrown=tuple(p for p in state.pontoons_thrown if state.unit(p[0]).side == side),
    )
    if not fast:
        return Observation(**observed)
    observation = object.__new__(Observation)
    observation.__dict__.update(observed)
    return observation


def _own_units(state: GameState, side: str) -> tuple[Unit, ...]:
    """The fast path's ``side``'s units (on the map or not), picked by their places in the
    state's units (a unit's side never changes), which are kept on the board."""
    cache = state.scenario.board.search_cache
    places: tuple[int, ...] | None = cache.get(("own-units", side))
    if places is None:
        places = cache[("own-units", side)] = tuple(n for n, u in enumerate(state.units) if u.side == side)
    return tuple(map(state.units.__getitem__, places))


def _weather_now(state: GameState) -> str:
    """The fast path's :func:`weather`, kept on the board by turn."""
    cache = state.scenario.board.search_cache
    found: str | None = cache.get(("weather", state.turn))
    if found is None:
        found = cache[("weather", state.turn)] = weather(state.scenario, state.turn)
    return found


def refresh_known_holders(state: GameState) -> GameState:
    """Each side learns the true holder of every objective it has in sight (flags are seen)."""
    objectives = state.scenario.objective_hexes
    if not objectives:
        return state
    known = state.known_holders or tuple(state.holders for _ in state.scenario.side_ids)
    refreshed = []
    for side, holders in zip(state.scenario.side_ids, known):
        if holders == state.holders:  # nothing to learn: spare the spotting search on every step
            refreshed.append(holders)
            continue
        seen = seen_hexes(state, side)
        refreshed.append(tuple(true if hex_ in seen else last for hex_, true, last in zip(objectives, state.holders, holders)))
    refreshed_tuple = tuple(refreshed)
    return state if refreshed_tuple == state.known_holders else replace(state, known_holders=refreshed_tuple)


def refresh_known_bridges(state: GameState, before: GameState | None = None) -> GameState:
    """Each side learns the truth of every bridge with an end in its sight: whether it stands,
    and whether it is damaged and until when.  A damaged bridge it remembers out of sight
    carries again when its repair time is out (the rule is public), as the true one does.

    What a side knew is ``before``'s (the state the action or phase began from): a state whose
    sides all knew the truth holds no copy of it, so after a bridge is blown the new state alone
    would make every side know the new truth."""
    truth = (state.bridges, state.damaged_bridges)
    earlier = before if before is not None else state
    if not earlier.known_bridges and not state.known_bridges and (earlier.bridges, earlier.damaged_bridges) == truth:
        return state  # every side knew the bridges, and they are as they were: nothing to learn
    known = earlier.known_bridges or tuple((earlier.bridges, earlier.damaged_bridges) for _ in state.scenario.side_ids)
    refreshed = []
    for side, (standing, damaged) in zip(state.scenario.side_ids, known):
        if _is_truth(state, standing, damaged):  # nothing to learn: spare the spotting search on every step
            refreshed.append(truth)
            continue
        seen = seen_hexes(state, side)
        standing = frozenset({b for b in standing if not _in_sight(b, seen)} | {b for b in state.bridges if _in_sight(b, seen)})
        damaged = (
            *(d for d in damaged if d[1] > state.turn and not _in_sight(d[0], seen)),
            *(d for d in state.damaged_bridges if _in_sight(d[0], seen)),
        )
        refreshed.append(truth if _is_truth(state, standing, damaged) else (standing, damaged))
    found = () if all(entry is truth for entry in refreshed) else tuple(refreshed)
    return state if found == state.known_bridges else replace(state, known_bridges=found)


def _is_truth(state: GameState, standing: frozenset[Hexside], damaged: tuple[tuple[Hexside, int], ...]) -> bool:
    return standing == state.bridges and set(damaged) == set(state.damaged_bridges)


def _in_sight(hexside: Hexside, seen: AbstractSet[Hex]) -> bool:
    return hexside.low in seen or hexside.high in seen


def refresh_knowledge(state: GameState, before: GameState | None = None) -> GameState:
    """What each side has in sight after an action or a new phase from ``before`` (None: a new
    game): objectives' holders and bridges."""
    return refresh_known_bridges(refresh_known_holders(state), before)


def believed_state(observation: Observation, rng_state: int = 0) -> GameState:
    """A game state built only from what one side knows, for its own planning.

    Enemy units it cannot see are left off the map, and the dice are the player's own
    (``rng_state``), so a computer player can run the engine's queries and even play games
    forward on it without ever touching the real state.
    """
    scenario = observation.scenario
    known = {u.id: u for u in observation.own_units + observation.enemy_units}
    units = []
    for setup in scenario.units:
        unit = known.get(setup.id)
        if unit is None:
            unit = Unit(setup.id, setup.type, setup.side, None, 0, 0, UnitStatus.RESERVE)
        units.append(unit)
    return GameState(
        **{name: getattr(observation, name) for name in SHARED_FIELDS},
        scenario=scenario,
        units=tuple(units),
        rng_state=rng_state,
        holders=observation.holders,
        known_holders=tuple(observation.holders for _ in scenario.side_ids),
        bridges=observation.bridges,
        damaged_bridges=observation.damaged_bridges,
        pontoon_work=observation.pontoon_work,
        pontoons_thrown=observation.pontoons_thrown,
        stockpiles=tuple(observation.stockpile if s == observation.side else 0 for s in scenario.side_ids),
    )


def _knowledge_of(state: GameState, enemies: list[Unit]) -> Knowledge:
    board = state.scenario.board
    occupied = frozenset(board.index[u.position] for u in enemies)
    return Knowledge(occupied, zone_of_control(state.scenario, enemies, state.clock))


def knowledge(state: GameState, side: str) -> Knowledge:
    """The enemy ``side`` can see: the hexes they hold and the zones they control."""
    key = ("knowledge", side)
    found = state.memo.get(key)
    if found is None:
        found = state.memo[key] = _knowledge_of(state, visible_enemies(state, side))
    return found


def truth(state: GameState, side: str) -> Knowledge:
    """Every enemy unit of ``side``, seen or not: what the engine checks moves against."""
    key = ("truth", side)
    found = state.memo.get(key)
    if found is None:
        found = state.memo[key] = _knowledge_of(state, [u for u in state.units if u.side != side and u.on_map])
    return found


def stack_points(state: GameState, side: str) -> dict[Hex, int]:
    key = ("stack", side)
    found = state.memo.get(key)
    if found is None:
        found = {}
        for unit in state.units:
            if unit.side == side and unit.on_map:
                found[unit.position] = found.get(unit.position, 0) + state.scenario.unit_types[unit.type_id].stack_points
        state.memo[key] = found
    return found


def carry_stacks(before: GameState, after: GameState, mover: Unit, end: Hex) -> None:
    """The fast path: the mover's side's stacks after a move, worked out from those before it
    (the mover's points leave its hex and join ``end``) instead of from every unit again.

    Not where a unit type counts no stack points: a hex such units stand in is listed with 0
    points, so whether the mover leaves its hex listed depends on who else stands there."""
    scenario = before.scenario
    own = scenario.unit_types[mover.type_id].stack_points
    if own == 0 or any(t.stack_points == 0 for t in scenario.unit_types.values()):
        return
    stacks = dict(stack_points(before, mover.side))
    start = mover.position
    left = stacks[start] - own
    if left:
        stacks[start] = left
    else:
        del stacks[start]
    stacks[end] = stacks.get(end, 0) + own
    after.memo[("stack", mover.side)] = stacks


def enemy_units_at(state: GameState, side: str, hex_: Hex) -> list[Unit]:
    return [u for u in state.units if u.on_map and u.side != side and u.hex == hex_]
