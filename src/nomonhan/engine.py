"""The engine: the only code that changes a game.

``legal_actions(state)`` lists what the active side may do, in a stable order, from that side's
view; ``step(state, action)`` returns the next state and the events that explain it.  Random
draws come only from ``state.rng_state``, so scenario + seed + actions fix a game exactly.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from nomonhan import rng
from nomonhan.actions import Action, EndPhase, IllegalActionError, Move
from nomonhan.events import (
    Event,
    GameEnded,
    MoveInterrupted,
    PhaseStarted,
    ReinforcementArrived,
    ReinforcementDelayed,
    TurnStarted,
    UnitMoved,
)
from nomonhan.hexgrid import Hex, Hexside
from nomonhan.rules.movement import Knowledge, Reach, search, zone_of_control
from nomonhan.scenario.load import Scenario
from nomonhan.scenario.schema import parse_hex, parse_hexside
from nomonhan.state import GameState, Phase, Unit, UnitStatus

_SEARCH_CACHE_LIMIT = 200_000


# ------------------------------------------------------------------ set-up


def new_game(scenario: Scenario, seed: int) -> GameState:
    """The state before the first action: units placed, turn 1's reinforcements arrived."""
    units = []
    for setup in scenario.model.units:
        unit_type = scenario.unit_types[setup.type]
        on_map = setup.hex is not None
        units.append(
            Unit(
                id=setup.id,
                type_id=setup.type,
                side=setup.side,
                hex=parse_hex(setup.hex) if setup.hex else None,
                steps=setup.steps or unit_type.steps,
                move_points=unit_type.move_points,
                status=UnitStatus.ON_MAP if on_map else UnitStatus.RESERVE,
            )
        )
    state = GameState(
        scenario=scenario,
        turn=1,
        active_side=scenario.side_ids[0],
        phase=Phase.REINFORCEMENT,
        units=tuple(units),
        rng_state=rng.seed_state(seed),
        bridges=frozenset(parse_hexside(text) for text in scenario.model.map.bridges),
        holders=tuple(o.initial_holder for o in scenario.model.objectives),
    )
    state, _events = _begin_player_turn(state, [])
    return state


# ------------------------------------------------------------------ what a side sees


def visible_enemies(state: GameState, side: str) -> list[Unit]:
    """Enemy units ``side`` can see: within spotting range of one of its units (shorter at night)."""
    key = ("visible", side)
    found = state.memo.get(key)
    if found is None:
        spotting = state.scenario.rules.spotting
        radius = spotting.night_range if state.is_night else spotting.day_range
        seen: set[Hex] = set()
        for unit in state.units:
            if unit.side == side and unit.on_map:
                seen.update(_disc(unit.hex, radius))  # type: ignore[arg-type]
        found = [u for u in state.units if u.side != side and u.on_map and u.hex in seen]
        state.memo[key] = found
    return found


_DISCS: dict[tuple[Hex, int], tuple[Hex, ...]] = {}


def _disc(center: Hex, radius: int) -> tuple[Hex, ...]:
    found = _DISCS.get((center, radius))
    if found is None:
        from nomonhan.hexgrid import hex_range

        found = _DISCS[(center, radius)] = tuple(hex_range(center, radius))
    return found


@dataclass(frozen=True)
class Observation:
    """What one side may know: its own units, the enemy units it can see, the public clock.

    Computer players and the front end get this, never the state, so they cannot cheat.
    """

    side: str
    turn: int
    active_side: str
    phase: Phase
    is_night: bool
    game_over: bool
    own_units: tuple[Unit, ...]
    enemy_units: tuple[Unit, ...]
    bridges: frozenset[Hexside]
    holders: tuple[str | None, ...]
    scenario: Scenario


def observe(state: GameState, side: str) -> Observation:
    return Observation(
        side=side,
        turn=state.turn,
        active_side=state.active_side,
        phase=state.phase,
        is_night=state.is_night,
        game_over=state.game_over,
        own_units=tuple(u for u in state.units if u.side == side),
        enemy_units=tuple(visible_enemies(state, side)),
        bridges=state.bridges,
        holders=state.holders,
        scenario=state.scenario,
    )


def _knowledge(state: GameState, side: str, enemies: list[Unit]) -> Knowledge:
    board = state.scenario.board
    occupied = frozenset(board.index[u.hex] for u in enemies)  # type: ignore[index]
    holders = [board.index[u.hex] for u in enemies if state.scenario.unit_types[u.type_id].exerts_zoc]  # type: ignore[index]
    return Knowledge(occupied, zone_of_control(board, holders))


def _known(state: GameState, side: str) -> Knowledge:
    key = ("knowledge", side)
    found = state.memo.get(key)
    if found is None:
        found = state.memo[key] = _knowledge(state, side, visible_enemies(state, side))
    return found


def _truth(state: GameState, side: str) -> Knowledge:
    key = ("truth", side)
    found = state.memo.get(key)
    if found is None:
        enemies = [u for u in state.units if u.side != side and u.on_map]
        found = state.memo[key] = _knowledge(state, side, enemies)
    return found


def _stack_points(state: GameState, side: str) -> dict[Hex, int]:
    key = ("stack", side)
    found = state.memo.get(key)
    if found is None:
        found = {}
        for unit in state.units:
            if unit.side == side and unit.on_map:
                found[unit.hex] = found.get(unit.hex, 0) + state.scenario.unit_types[unit.type_id].stack_points  # type: ignore[index]
        state.memo[key] = found
    return found


def _bridge_keys(state: GameState) -> frozenset[int]:
    found = state.memo.get("bridges")
    if found is None:
        board = state.scenario.board
        found = state.memo["bridges"] = frozenset(board.hexside_key(side) for side in state.bridges if side in board.edge_keys)
    return found


# ------------------------------------------------------------------ movement queries


def reach(state: GameState, unit_id: str) -> Reach:
    """Where a unit can move now, planned on what its side knows; memoised on the board."""
    unit = state.unit(unit_id)
    if not unit.on_map:
        raise IllegalActionError(f"{unit_id} is not on the map")
    scenario = state.scenario
    board = scenario.board
    unit_type = scenario.unit_types[unit.type_id]
    knowledge = _known(state, unit.side)
    bridges = _bridge_keys(state)
    forbidden = _forbidden_edges(scenario, unit.side)
    start = board.index[unit.hex]  # type: ignore[index]
    key = (unit_type.movement_class, start, unit.move_points, knowledge, bridges, unit.side)
    cache = board.search_cache
    found = cache.get(key)
    if found is None:
        if len(cache) > _SEARCH_CACHE_LIMIT:
            cache.clear()
        found = cache[key] = search(
            board,
            unit_type.movement_class,
            start,
            unit.move_points,
            knowledge,
            bridges,
            forbidden,
            scenario.rules.zoc.leave_cost,
            scenario.model.special_rules.zoc_to_zoc,
        )
    return found


def _forbidden_edges(scenario: Scenario, side: str) -> frozenset[int]:
    cache = scenario.board.search_cache
    found = cache.get(("forbidden", side))
    if found is None:
        keys: set[int] = set()
        for rule in scenario.model.special_rules.border_crossing_forbidden:
            if rule.side == side:
                keys |= scenario.board.borders.get(rule.border, frozenset())
        found = cache[("forbidden", side)] = frozenset(keys)
    return found


def destinations(state: GameState, unit_id: str) -> tuple[Hex, ...]:
    """Hexes the unit may end a move in (reachable, not its own, stacking respected), in hex order."""
    key = ("destinations", unit_id)
    found = state.memo.get(key)
    if found is None:
        unit = state.unit(unit_id)
        ordered = reach(state, unit_id).destinations
        limit = state.scenario.rules.stacking_limit
        own_points = state.scenario.unit_types[unit.type_id].stack_points
        full = {h for h, points in _stack_points(state, unit.side).items() if points + own_points > limit}
        found = state.memo[key] = tuple(h for h in ordered if h not in full) if full else ordered
    return found


def _can_act(state: GameState, unit: Unit) -> bool:
    return (
        not state.game_over
        and state.phase is Phase.MOVEMENT
        and unit.side == state.active_side
        and unit.on_map
        and unit.move_points > 0
    )


def unit_actions(state: GameState, unit_id: str) -> list[Action]:
    """The actions of one unit, cheaply (a player need not enumerate the whole side)."""
    unit = state.unit(unit_id)
    if not _can_act(state, unit):
        return []
    return [Move(unit_id, h) for h in destinations(state, unit_id)]


class LegalActions(Sequence[Action]):
    """The active side's legal actions as a lazy, stably ordered sequence.

    Units come in scenario order, each unit's moves in hex order, then ``EndPhase``.  Only the
    count of each unit's destinations is needed to index it, so a player that picks one action
    does not pay for building every other one (Atlatl's bottleneck).
    """

    def __init__(self, state: GameState) -> None:
        self._state = state
        self._per_unit: list[tuple[str, tuple[Hex, ...]]] = []
        if not state.game_over:
            for unit in state.units:
                if _can_act(state, unit):
                    found = destinations(state, unit.id)
                    if found:
                        self._per_unit.append((unit.id, found))
        self._length = sum(len(hexes) for _, hexes in self._per_unit) + (0 if state.game_over else 1)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        for unit_id, hexes in self._per_unit:
            if index < len(hexes):
                return Move(unit_id, hexes[index])
            index -= len(hexes)
        return EndPhase()

    def __iter__(self) -> Iterator[Action]:
        for unit_id, hexes in self._per_unit:
            for hex_ in hexes:
                yield Move(unit_id, hex_)
        if self._length:
            yield EndPhase()

    def __contains__(self, action: object) -> bool:
        if isinstance(action, EndPhase):
            return self._length > 0
        if isinstance(action, Move):
            return any(unit_id == action.unit and action.to in hexes for unit_id, hexes in self._per_unit)
        return False

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (LegalActions, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"LegalActions({len(self)} actions)"


def legal_actions(state: GameState) -> LegalActions:
    """Every legal action of the active side, from its own view (it reveals no hidden unit)."""
    return LegalActions(state)


# ------------------------------------------------------------------ step


def step(state: GameState, action: Action) -> tuple[GameState, list[Event]]:
    """Apply one action; never mutates ``state``.  Raises IllegalActionError for a bad action."""
    if state.game_over:
        raise IllegalActionError("the game is over")
    if isinstance(action, Move):
        return _move(state, action)
    if isinstance(action, EndPhase):
        return _end_phase(state)
    raise IllegalActionError(f"unknown action {action!r}")


def _move(state: GameState, action: Move) -> tuple[GameState, list[Event]]:
    if action.unit not in state.scenario.unit_order:
        raise IllegalActionError(f"no unit {action.unit!r} in this scenario")
    unit = state.unit(action.unit)
    if state.phase is not Phase.MOVEMENT:
        raise IllegalActionError(f"units move only in the movement phase, not the {state.phase.value} phase")
    if unit.side != state.active_side:
        raise IllegalActionError(f"{unit.id} belongs to {unit.side}; it is {state.active_side}'s turn")
    if not unit.on_map or unit.move_points <= 0:
        raise IllegalActionError(f"{unit.id} cannot move (no move points left or not on the map)")
    if action.to not in destinations(state, unit.id):
        raise IllegalActionError(f"{unit.id} cannot reach {action.notation().split()[-1]} this phase")
    planned = reach(state, unit.id)
    path = planned.path_to(action.to)
    board = state.scenario.board
    truth = _truth(state, unit.side)
    known = _known(state, unit.side)
    events: list[Event] = []
    stop = len(path) - 1
    revealed: list[str] = []
    for n, hex_ in enumerate(path[1:], start=1):
        i = board.index[hex_]
        if i in truth.occupied:
            stop = n - 1
            revealed = [u.id for u in state.units if u.on_map and u.side != unit.side and u.hex == hex_]
            break
        if i in truth.zoc and i not in known.zoc:
            stop = n
            revealed = _hidden_controllers(state, unit.side, hex_)
            break
    stop = _back_off_overstack(state, unit, path, stop)
    end = path[stop]
    spent = planned.cost[board.index[end]]
    move_points = 0 if board.index[end] in truth.zoc else unit.move_points - spent
    moved = replace(unit, hex=end, move_points=move_points)
    new_state = _update_holders(state.with_unit(moved))
    _carry_over(state, new_state, unit, end)
    if stop > 0:
        events.append(UnitMoved(unit.id, tuple(path[: stop + 1]), spent))
    if revealed:
        events.append(MoveInterrupted(unit.id, end, tuple(sorted(revealed))))
    return new_state, events


def _carry_over(before: GameState, after: GameState, mover: Unit, end: Hex) -> None:
    """Reuse what a friendly move cannot have changed, so a phase of many moves stays cheap.

    The enemy did not move, so the truth about it stands.  If the side still sees the same
    enemy units, its knowledge stands too, and so does every other unit's set of destinations,
    unless the move filled or emptied a stack that unit could have ended in.  Tests prove the
    result equal to computing from scratch.
    """
    side = mover.side
    for key in (("truth", side), "bridges"):
        if key in before.memo:
            after.memo[key] = before.memo[key]
    if visible_enemies(after, side) != visible_enemies(before, side) or ("knowledge", side) not in before.memo:
        return
    after.memo[("knowledge", side)] = before.memo[("knowledge", side)]
    old_stacks, new_stacks = _stack_points(before, side), _stack_points(after, side)
    limit = before.scenario.rules.stacking_limit
    changed = (mover.hex, end)
    for unit in before.units:
        key = ("destinations", unit.id)
        if unit.id == mover.id or unit.side != side or key not in before.memo:
            continue
        own = before.scenario.unit_types[unit.type_id].stack_points
        if all((old_stacks.get(h, 0) + own > limit) == (new_stacks.get(h, 0) + own > limit) for h in changed):
            after.memo[key] = before.memo[key]


def _hidden_controllers(state: GameState, side: str, hex_: Hex) -> list[str]:
    visible = {u.id for u in visible_enemies(state, side)}
    blocked = state.scenario.board.zoc_blocked
    board = state.scenario.board
    i = board.index[hex_]
    neighbours = {e.to for e in board.edges[i] if e.key not in blocked}
    return [
        u.id
        for u in state.units
        if u.on_map and u.side != side and u.id not in visible and board.index[u.hex] in neighbours  # type: ignore[index]
        and state.scenario.unit_types[u.type_id].exerts_zoc
    ]


def _back_off_overstack(state: GameState, unit: Unit, path: list[Hex], stop: int) -> int:
    """A move cut short must not end over the stacking limit: step back to the last hex that fits."""
    stacks = _stack_points(state, unit.side)
    limit = state.scenario.rules.stacking_limit
    own = state.scenario.unit_types[unit.type_id].stack_points
    while stop > 0 and stacks.get(path[stop], 0) + own > limit:
        stop -= 1
    return stop


def _update_holders(state: GameState) -> GameState:
    objectives = state.scenario.model.objectives
    if not objectives:
        return state
    holders = list(state.holders)
    for n, objective in enumerate(objectives):
        sides = {u.side for u in state.units_at(parse_hex(objective.hex))}
        if len(sides) == 1:
            holders[n] = sides.pop()
    new_holders = tuple(holders)
    return state if new_holders == state.holders else replace(state, holders=new_holders)


def _end_phase(state: GameState) -> tuple[GameState, list[Event]]:
    first, second = state.scenario.side_ids
    events: list[Event] = []
    if state.active_side == first:
        state = replace(state, active_side=second, phase=Phase.REINFORCEMENT)
        return _begin_player_turn(state, events)
    if state.turn >= state.scenario.model.period.last_turn:
        events.append(GameEnded(state.turn))
        return replace(state, game_over=True), events
    state = replace(state, turn=state.turn + 1, active_side=first, phase=Phase.REINFORCEMENT)
    events.append(TurnStarted(state.turn, state.clock.isoformat(timespec="minutes"), state.is_night))
    return _begin_player_turn(state, events)


def _begin_player_turn(state: GameState, events: list[Event]) -> tuple[GameState, list[Event]]:
    side = state.active_side
    events.append(PhaseStarted(state.turn, side, Phase.REINFORCEMENT.value))
    state = _arrive_reinforcements(state, events)
    refreshed = tuple(
        replace(u, move_points=state.scenario.unit_types[u.type_id].move_points) if u.side == side and u.on_map else u
        for u in state.units
    )
    state = replace(state, units=refreshed, phase=Phase.MOVEMENT)
    events.append(PhaseStarted(state.turn, side, Phase.MOVEMENT.value))
    return state, events


def _arrive_reinforcements(state: GameState, events: list[Event]) -> GameState:
    now = state.clock
    for setup in state.scenario.model.units:
        if setup.arrive is None or setup.side != state.active_side or setup.arrive.at > now:
            continue
        unit = state.unit(setup.id)
        if unit.status is not UnitStatus.RESERVE:
            continue
        entry = _entry_hex(state, unit, parse_hex(setup.arrive.hex))
        if entry is None:
            events.append(ReinforcementDelayed(unit.id))
            continue
        state = _update_holders(state.with_unit(replace(unit, hex=entry, status=UnitStatus.ON_MAP)))
        events.append(ReinforcementArrived(unit.id, entry))
    return state


def _entry_hex(state: GameState, unit: Unit, wanted: Hex) -> Hex | None:
    """The entry hex, or the nearest free hex on the same map edge, or None (try next turn)."""
    board = state.scenario.board
    unit_type = state.scenario.unit_types[unit.type_id]
    limit = state.scenario.rules.stacking_limit
    enemy_hexes = {u.hex for u in state.units if u.on_map and u.side != unit.side}
    stacks = _stack_points(state, unit.side)

    def free(hex_: Hex) -> bool:
        return (
            hex_ not in enemy_hexes
            and board.terrain_at(hex_).move_cost[unit_type.movement_class] is not None
            and stacks.get(hex_, 0) + unit_type.stack_points <= limit
        )

    if free(wanted):
        return wanted
    edge = board.edge_hexes(wanted)
    if edge is None:
        return None
    candidates = [h for h in board.hexes if board.edge_hexes(h) == edge and free(h)]
    if not candidates:
        return None
    return min(candidates, key=lambda h: (h.distance(wanted), h))

