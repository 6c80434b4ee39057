"""Movement: which hexes a unit can reach, at what cost, and by which path.

The rules (in ``docs/rules.md`` too):

* Entering a hex costs the terrain's move points for the unit's movement class, or the road's
  when the step follows a road; a hexside feature adds its crossing cost, or forbids the step
  (a river without a bridge or pontoon, unless the scenario lets the class ford it).
* A unit may not enter a hex holding an enemy unit.  Entering an enemy zone of control (ZOC:
  the hexes next to an enemy unit that exerts one, not across a river) ends its move; leaving
  one costs ``zoc.leave_cost`` more (at night, the side's night-attack doctrine's cost: a
  side trained for night attack may infiltrate), and going straight from one enemy ZOC hex to another is
  forbidden unless the scenario's ``zoc_to_zoc`` switch allows it.
* A side may be forbidden to cross a border line (scenario ``border_crossing_forbidden``), for
  a while when the rule has a window (:func:`closed_borders`).
* Enemy air interdiction makes hexes under it, and next to it, cost more to enter.
* Stacking counts only where a move ends: friendly stack points there, plus the mover's, may not
  exceed ``stacking_limit``.

All of it is computed on what the moving side *knows* (:class:`Knowledge`): a path planned
through a hex next to an enemy the side cannot see is cut short by the engine when it executes.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from nomonhan.hexgrid import Hex, Hexside
from nomonhan.scenario.board import Board
from nomonhan.scenario.load import Scenario
from nomonhan.state import GameState, Unit


@dataclass(frozen=True)
class Knowledge:
    """What a moving side knows of the enemy: the hexes they hold and the hexes they control."""

    occupied: frozenset[int]
    zoc: frozenset[int]


def bridge_keys(state: GameState) -> frozenset[int]:
    """Hexside keys where a bridge or pontoon stands now; memoised on the state."""
    found = state.memo.get("bridges")
    if found is None:
        board = state.scenario.board
        found = state.memo["bridges"] = frozenset(board.edge_keys[s] for s in state.bridges if s in board.edge_keys)
    return found


def working_bridge_keys(state: GameState) -> frozenset[int]:
    """Hexside keys of the bridges that carry anything now: standing and not damaged.  A damaged
    bridge carries nothing (docs/rules.md, Attacks on bridges): no move, attack, advance,
    retreat or supply line crosses it until it is repaired.  Memoised on the state."""
    found = state.memo.get("working bridges")
    if found is None:
        found = state.memo["working bridges"] = _less_damaged(state, bridge_keys(state), state.damaged_bridges)
    return found


def known_working_bridge_keys(state: GameState, side: str) -> frozenset[int]:
    """:func:`working_bridge_keys` as ``side`` knows the bridges (:meth:`GameState.bridges_known_to`):
    what it plans its moves on.  The truth's when it knows the truth.  Memoised on the state."""
    if not state.known_bridges:
        return working_bridge_keys(state)
    key = ("known working bridges", side)
    found: frozenset[int] | None = state.memo.get(key)
    if found is None:
        standing, damaged = state.bridges_known_to(side)
        edge_keys = state.scenario.board.edge_keys
        found = state.memo[key] = _less_damaged(state, frozenset(edge_keys[s] for s in standing if s in edge_keys), damaged)
    return found


def _less_damaged(state: GameState, standing: frozenset[int], damaged: tuple[tuple[Hexside, int], ...]) -> frozenset[int]:
    """``standing`` (hexside keys) less the ``damaged`` bridges' keys."""
    if not damaged:
        return standing
    edge_keys = state.scenario.board.edge_keys
    return standing - {edge_keys[side] for side, _ in damaged if side in edge_keys}


def zoc_leave_cost(state: GameState, side: str) -> int:
    """Move points ``side`` pays to leave an enemy ZOC hex now: the rules' cost, or at night the
    side's night-attack doctrine's (its ``zoc_leave_cost``; 0 is infiltration)."""
    if state.is_night:
        for doctrine in state.scenario.special_rules.night_attack:
            if doctrine.side == side:
                return doctrine.zoc_leave_cost
    return state.scenario.rules.zoc.leave_cost


def closed_borders(scenario: Scenario, side: str, moment: datetime) -> frozenset[int]:
    """Hexside keys ``side`` may not cross at ``moment`` (a turn's start): the borders of its
    ``border_crossing_forbidden`` rules whose window holds then.

    The one test of a border closure: moves, attacks (and so advances after combat), retreats
    and zones of control (and so supply lines) all ask it, so a line closed until a time binds
    all of them before it and none after.  Kept on the board per side and moment (asked
    thousands of times a turn), and per set of rules in force.
    """
    cache = scenario.board.search_cache
    asked = ("closed-borders-at", side, moment)
    known: frozenset[int] | None = cache.get(asked)
    if known is not None:
        return known
    rules = scenario.special_rules.border_crossing_forbidden
    in_force = tuple(i for i, rule in enumerate(rules) if rule.side == side and rule.holds_at(moment))
    key = ("closed-borders", in_force)
    found: frozenset[int] | None = cache.get(key)
    if found is None:
        borders = scenario.board.borders
        found = cache[key] = frozenset().union(*(borders.get(rules[i].border, frozenset()) for i in in_force))
    cache[asked] = found
    return found


def zone_of_control(scenario: Scenario, units: Iterable[Unit], moment: datetime) -> frozenset[int]:
    """Hex indices controlled by ``units`` at ``moment`` (a turn's start): next to each that exerts a ZOC.

    Not across a river (a hexside feature that blocks ZOC), nor across a border line the unit's
    side may not cross then: troops ordered to stay behind a line cannot interdict beyond it.
    """
    board = scenario.board
    controlled: set[int] = set()
    closed: dict[str, frozenset[int]] = {}
    for unit in units:
        if not scenario.unit_types[unit.type_id].exerts_zoc:
            continue
        if unit.side not in closed:
            closed[unit.side] = closed_borders(scenario, unit.side, moment)
        blocked = closed[unit.side]
        for edge in board.edges[board.index[unit.position]]:
            if edge.key not in board.zoc_blocked and edge.key not in blocked:
                controlled.add(edge.to)
    return frozenset(controlled)


@dataclass(frozen=True)
class Reach:
    """The result of one search: cost to and predecessor of every hex the unit can get to."""

    board: Board
    start: int
    cost: dict[int, int]
    previous: dict[int, int]

    def hexes(self) -> dict[Hex, int]:
        """Every reachable hex (the start included, at cost 0) with its cost, in index order."""
        return {self.board.hexes[i]: c for i, c in sorted(self.cost.items())}

    @cached_property
    def destinations(self) -> tuple[Hex, ...]:
        """Reachable hexes other than the start, in index order (before stacking is applied)."""
        return tuple(self.board.hexes[i] for i in sorted(self.cost) if i != self.start)

    @cached_property
    def consulted(self) -> frozenset[int]:
        """Every hex whose enemy or zone of control the search may have asked about: the hexes
        it reached and those one step from them.  Knowledge changed elsewhere only would give
        the same search (the fast path's carry-over, ``engine.step``)."""
        around = self.board.search_cache.get("hexes-around")
        if around is None:
            around = self.board.search_cache["hexes-around"] = tuple(
                frozenset((i, *(edge.to for edge in edges))) for i, edges in enumerate(self.board.edges)
            )
        return frozenset().union(*(around[i] for i in self.cost))

    def path_to(self, hex_: Hex) -> list[Hex]:
        """Start to ``hex_`` inclusive; ``KeyError`` if it cannot be reached."""
        i = self.board.index[hex_]
        if i not in self.cost:
            raise KeyError(hex_)
        path = [i]
        while path[-1] != self.start:
            path.append(self.previous[path[-1]])
        return [self.board.hexes[j] for j in reversed(path)]


def search(
    board: Board,
    movement_class: str,
    start: int,
    move_points: int,
    knowledge: Knowledge,
    bridges: frozenset[int],
    forbidden: frozenset[int],
    leave_cost: int,
    zoc_to_zoc: bool,
    taxed: frozenset[int] = frozenset(),
    tax: int = 0,
) -> Reach:
    """Dijkstra over the compiled board; ties break on hex index, so results are stable.

    ``taxed`` hexes (under enemy air interdiction) cost ``tax`` more to enter.  Both paths of
    :mod:`nomonhan.corepath` search here, on the board's steps for the class as plain tuples.
    """
    cost = {start: 0}
    previous: dict[int, int] = {}
    queue = [(0, start)]
    steps = _class_steps(board, movement_class)
    occupied, zoc = knowledge.occupied, knowledge.zoc
    pop, push, unreached = heapq.heappop, heapq.heappush, 1 << 30
    while queue:
        spent, here = pop(queue)
        if spent > cost[here]:
            continue
        in_zoc = here in zoc
        if in_zoc and here != start:
            continue  # entering an enemy ZOC ended the move
        for there, side, plain, bridged in steps[here]:
            if there in occupied or side in forbidden:
                continue
            step = bridged if side in bridges else plain
            if step is None:
                continue
            if in_zoc:
                if there in zoc and not zoc_to_zoc:
                    continue
                step += leave_cost
            if there in taxed:
                step += tax
            total = spent + step
            if total <= move_points and total < cost.get(there, unreached):
                cost[there] = total
                previous[there] = here
                push(queue, (total, there))
    return Reach(board, start, cost, previous)


def _class_steps(board: Board, movement_class: str) -> tuple[tuple[tuple[int, int, int | None, int | None], ...], ...]:
    """Per hex, its steps for one movement class as plain tuples (to, hexside key, cost, cost
    over a bridge), kept on the board: the search reads no edge object or dict."""
    key = ("class-steps", movement_class)
    found: tuple[tuple[tuple[int, int, int | None, int | None], ...], ...] | None = board.search_cache.get(key)
    if found is None:
        found = board.search_cache[key] = tuple(
            tuple((e.to, e.key, e.cost[movement_class], e.bridged_cost[movement_class]) for e in edges) for edges in board.edges
        )
    return found
