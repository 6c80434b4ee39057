"""Movement queries: where a unit can go now, memoised so that a phase of many moves is cheap."""

from __future__ import annotations

from itertools import chain, filterfalse

from nomonhan.actions import IllegalActionError
from nomonhan.corepath import reference_active
from nomonhan.engine.view import knowledge, stack_points
from nomonhan.hexgrid import Hex
from nomonhan.rules.bridges import passable_bridge_keys
from nomonhan.rules.fast_search import Terms, fast_reach
from nomonhan.rules.movement import Knowledge, Reach, closed_borders, search, zoc_leave_cost
from nomonhan.state import GameState, Unit

_SEARCH_CACHE_LIMIT = 200_000


def interdicted(state: GameState, side: str) -> frozenset[int]:
    """Hex indices that cost ``side``'s units more to enter: enemy interdiction and the hexes around it."""
    key = ("interdicted", side)
    found = state.memo.get(key)
    if found is None:
        board = state.scenario.board
        hexes: set[int] = set()
        for owner, hex_ in state.air.interdiction:
            if owner != side and hex_ in board.index:
                i = board.index[hex_]
                hexes.add(i)
                hexes.update(edge.to for edge in board.edges[i])
        found = state.memo[key] = frozenset(hexes)
    return found


def reach(state: GameState, unit_id: str) -> Reach:
    """Where a unit can move now, planned on what its side knows; memoised on the board (and
    on the fast path on the state too: a move asks it of the mover and of every unit whose
    destinations it might have changed)."""
    if reference_active():
        return _reach(state, unit_id)
    key = ("reaches of", state.unit(unit_id).side)
    kept: dict[str, Reach] | None = state.memo.get(key)
    if kept is None:
        kept = state.memo[key] = {}
    found = kept.get(unit_id)
    if found is None:
        found = kept[unit_id] = _reach(state, unit_id)
    return found


def carry_reaches(before: GameState, after: GameState, mover: Unit, sighted: frozenset[int]) -> None:
    """The fast path: the other units' searches after ``mover``'s move within a movement phase,
    copied from before it (one dict per side), less the mover's and, when ``sighted`` holds hexes
    whose enemy or zone of control the side sees differently now, those of the units whose search
    consulted one of them.  Only for a move that left the side's search terms as they were
    (the same bridge traffic; borders, interdiction and the cost of leaving a zone of control
    do not change within a phase): a unit that did not move, searching on a knowledge that
    differs only where its search never looked, would find the same costs and paths."""
    key = ("reaches of", mover.side)
    kept: dict[str, Reach] | None = before.memo.get(key)
    if kept is not None:
        carried = dict(kept)  # a copy in C, then the few dropped: most moves keep nearly all
        carried.pop(mover.id, None)
        if sighted:
            for unit_id in [unit_id for unit_id, found in carried.items() if not found.consulted.isdisjoint(sighted)]:
                del carried[unit_id]
        after.memo[key] = carried


def _reach(state: GameState, unit_id: str) -> Reach:
    unit = state.unit(unit_id)
    if not unit.on_map:
        raise IllegalActionError(f"{unit_id} is not on the map")
    scenario = state.scenario
    board = scenario.board
    unit_type = scenario.unit_types[unit.type_id]
    bridges = passable_bridge_keys(state, unit)
    start = board.index[unit.position]
    if not reference_active():
        known, taxed, leave_cost, closed = _side_terms(state, unit.side)
        special, tax = scenario.special_rules, scenario.rules.air.interdiction_move_cost
        terms = Terms(unit_type.movement_class, bridges, closed, leave_cost, special.zoc_to_zoc, taxed, tax)
        return fast_reach(board, start, unit.move_points, unit.side, known, terms)
    known, taxed = knowledge(state, unit.side), interdicted(state, unit.side)
    leave_cost, closed = zoc_leave_cost(state, unit.side), closed_borders(state.scenario, unit.side, state.clock)
    key = (unit_type.movement_class, start, unit.move_points, known, bridges, unit.side, closed, taxed, leave_cost)
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
            known,
            bridges,
            closed,
            leave_cost,
            scenario.special_rules.zoc_to_zoc,
            taxed,
            scenario.rules.air.interdiction_move_cost,
        )
    return found


def _side_terms(state: GameState, side: str) -> tuple[Knowledge, frozenset[int], int, frozenset[int]]:
    """The fast path's memo of what every search of ``side`` in this state shares: what it
    knows of the enemy, the hexes interdicted, the cost of leaving a zone of control, the
    borders closed (asked once a state instead of once a unit)."""
    key = ("search terms", side)
    found: tuple[Knowledge, frozenset[int], int, frozenset[int]] | None = state.memo.get(key)
    if found is None:
        found = state.memo[key] = (
            knowledge(state, side),
            interdicted(state, side),
            zoc_leave_cost(state, side),
            closed_borders(state.scenario, side, state.clock),
        )
    return found


def destinations(state: GameState, unit_id: str) -> tuple[Hex, ...]:
    """Hexes the unit may end a move in (reachable, not its own, stacking respected), in hex
    order; memoised on the state (on the fast path in one dict per side, which a move carries
    whole, :func:`carry_destinations`)."""
    if not reference_active():
        unit = state.unit(unit_id)
        key = ("destinations of", unit.side)
        kept: dict[str, tuple[Hex, ...]] | None = state.memo.get(key)
        if kept is None:
            kept = state.memo[key] = {}
        found = kept.get(unit_id)
        if found is None:
            found = kept[unit_id] = _destinations(state, unit)
        return found
    key = ("destinations", unit_id)
    found = state.memo.get(key)
    if found is None:
        found = state.memo[key] = _destinations(state, state.unit(unit_id))
    return found


def _destinations(state: GameState, unit: Unit) -> tuple[Hex, ...]:
    ordered = reach(state, unit.id).destinations
    limit = state.scenario.rules.stacking_limit
    own_points = state.scenario.unit_types[unit.type_id].stack_points
    full = {h for h, points in stack_points(state, unit.side).items() if points + own_points > limit}
    return tuple(filterfalse(full.__contains__, ordered)) if full else ordered


def carry_destinations(
    before: GameState, after: GameState, mover: Unit, changed_rooms: tuple[range, range], sighted: frozenset[int]
) -> bool:
    """The fast path: the other units' destinations after ``mover``'s move, copied whole from
    before it, less those of units whose hexes it may have changed: a unit whose room (the
    stacking limit less its stack points, :attr:`Scenario.unit_rooms`) is in one of
    ``changed_rooms`` (it made a hex full or no longer full for it), and when ``sighted`` holds
    hexes whose enemy or zone of control the side sees differently now, a unit whose search
    consulted one of them (whose search :func:`carry_reaches`, called first, did not carry).
    Whether every other unit's were carried."""
    side = mover.side
    kept: dict[str, tuple[Hex, ...]] | None = before.memo.get(("destinations of", side))
    if kept is None:
        return True
    carried = dict(kept)  # a copy in C, then the few dropped: most moves keep nearly all
    carried.pop(mover.id, None)
    units_by_room = before.scenario.units_by_room
    for room in chain(*changed_rooms):
        for unit_id in units_by_room.get(room, ()):
            carried.pop(unit_id, None)
    if sighted:  # carry_reaches, run first, kept only the searches that looked at none of them
        searched = after.memo.get(("reaches of", side), {})
        for unit_id in [unit_id for unit_id in carried if unit_id not in searched]:
            del carried[unit_id]
    after.memo[("destinations of", side)] = carried
    return len(carried) == len(kept) - (mover.id in kept)
