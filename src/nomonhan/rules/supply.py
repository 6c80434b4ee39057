"""Supply: tracing lines from sources, and sharing out each side's limited capacity.

Supply runs from a side's sources along roads for up to ``road_trace_hexes`` hexes, then up to
``trace_hexes`` hexes across country, never through a hex holding an enemy unit or in an enemy
zone of control (unless a friendly unit stands there), and across rivers only where the supply
movement class could cross (bridges and pontoons).  This follows Unity of Command's supply
model: roads carry it far, open country only a little.

Capacity (the Soviet 700 km lorry haul against the Japanese 200 km from the Hailar railhead) is
shared out nearest-first: units traced to a source but beyond what the side can haul this turn
count as out of supply.  The effects escalate turn by turn (see ``docs/rules.md``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from nomonhan.rules.movement import bridge_keys, zone_of_control
from nomonhan.scenario.schema import parse_hex
from nomonhan.state import GameState, Unit


def supply_trace(state: GameState, side: str) -> dict[int, int]:
    """Hex index -> hexes of supply line from the nearest source, for every hex in supply."""
    key = ("supply_trace", side)
    found = state.memo.get(key)
    if found is not None:
        return found
    scenario = state.scenario
    board = scenario.board
    rules = scenario.rules.supply
    cls = rules.movement_class
    enemies = [u for u in state.units if u.on_map and u.side != side]
    enemy_hexes = {board.index[u.hex] for u in enemies}  # type: ignore[index]
    enemy_zoc = zone_of_control(scenario, enemies)
    friendly = {board.index[u.hex] for u in state.units if u.on_map and u.side == side}  # type: ignore[index]
    bridges = bridge_keys(state)

    def open_hex(i: int) -> bool:
        return i not in enemy_hexes and (i not in enemy_zoc or i in friendly)

    def passable(edge) -> bool:  # type: ignore[no-untyped-def]
        return (edge.bridged_cost if edge.key in bridges else edge.cost)[cls] is not None

    # Breadth-first over (hex, hexes already run across country): a line runs along roads from a
    # source, then leaves them for at most trace_hexes.  Every step is one hex, so states come
    # off the queue shortest first, and a hex's first state gives its shortest supply line.
    sources = sorted({board.index[parse_hex(s.hex)] for s in scenario.model.supply.sources if s.side == side})
    queue = deque((i, 0, 0) for i in sources if open_hex(i))
    seen = {(i, 0) for i, _, _ in queue}
    distance: dict[int, int] = {}
    while queue:
        here, off_road, length = queue.popleft()
        distance.setdefault(here, length)
        for edge in board.edges[here]:
            if not passable(edge) or not open_hex(edge.to):
                continue
            if edge.road and off_road == 0 and length < rules.road_trace_hexes:
                following = (edge.to, 0)
            elif off_road < rules.trace_hexes:
                following = (edge.to, off_road + 1)
            else:
                continue
            if following not in seen:
                seen.add(following)
                queue.append((*following, length + 1))
    state.memo[key] = distance
    return distance


@dataclass(frozen=True)
class SupplyAllocation:
    supplied: frozenset[str]  # unit ids in supply this turn
    points_left: int | None  # capacity left for artillery fire (None: unlimited)


def capacity(state: GameState, side: str) -> int | None:
    entries = [c.points for c in state.scenario.model.supply.capacity if c.side == side]
    return sum(entries) if entries else None


def allocate(state: GameState, side: str) -> SupplyAllocation:
    """Which units of ``side`` are supplied this turn: traced, then nearest-first within capacity."""
    scenario = state.scenario
    board = scenario.board
    if not any(source.side == side for source in scenario.model.supply.sources):
        # A scenario that gives a side no supply sources does not model its supply.
        return SupplyAllocation(frozenset(u.id for u in state.units if u.side == side and u.on_map), capacity(state, side))
    trace = supply_trace(state, side)
    traced = [
        (trace[board.index[u.hex]], n, u)  # type: ignore[index]
        for n, u in enumerate(state.units)
        if u.side == side and u.on_map and board.index[u.hex] in trace  # type: ignore[index]
    ]
    traced.sort(key=lambda item: (item[0], item[1]))
    limit = capacity(state, side)
    supplied: list[str] = []
    used = 0
    for _, _, unit in traced:
        cost = scenario.unit_types[unit.type_id].supply_cost
        if limit is not None and used + cost > limit:
            continue
        used += cost
        supplied.append(unit.id)
    return SupplyAllocation(frozenset(supplied), None if limit is None else limit - used)


def hours_cut_off(state: GameState, unit: Unit) -> int:
    return unit.out_of_supply * state.scenario.model.period.turn_hours


def weakened(state: GameState, unit: Unit) -> bool:
    """Cut off long enough that movement and defence suffer (counted in hours, whatever the turn length)."""
    return unit.out_of_supply > 0 and hours_cut_off(state, unit) > state.scenario.rules.supply.weakened_after_hours


def loses_step(state: GameState, unit: Unit) -> bool:
    """Whether a unit cut off this long loses a step in this supply phase (at most one a turn)."""
    rules = state.scenario.rules.supply
    hours = hours_cut_off(state, unit)
    if unit.out_of_supply == 0 or hours <= rules.step_loss_after_hours:
        return False
    turn_hours = state.scenario.model.period.turn_hours
    return (hours - rules.step_loss_after_hours - 1) % rules.step_loss_every_hours < turn_hours


def supplied_hexes(state: GameState, side: str) -> frozenset:
    """The hexes a side's supply reaches now (for the front end's supply overlay)."""
    board = state.scenario.board
    return frozenset(board.hexes[i] for i in supply_trace(state, side))
