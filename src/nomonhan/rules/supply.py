"""Supply: tracing lines from sources, and sharing out each side's limited capacity.

Supply runs from a side's sources along roads for up to ``road_trace_hexes`` hexes, then up to
``trace_hexes`` hexes across country, never through a hex holding an enemy unit or in an enemy
zone of control (unless a friendly unit stands there), and across rivers only where the supply
movement class could cross (bridges and pontoons).  This follows Unity of Command's supply
model: roads carry it far, open country only a little.

Capacity (the Soviet 700 km lorry haul against the Japanese 200 km from the Hailar railhead) is
shared out nearest-first: units traced to a source but beyond what the side can haul this turn
count as out of supply.  The effects escalate by stages, counted in hours cut off, as in Unity
of Command (see ``docs/rules.md``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from fractions import Fraction

from nomonhan.corepath import reference_active
from nomonhan.hexgrid import Hex
from nomonhan.rules.movement import working_bridge_keys, zone_of_control
from nomonhan.scenario.compiled import SupplyCapacity
from nomonhan.scenario.load import Scenario
from nomonhan.scenario.schema import SupplyRules, SupplyStage
from nomonhan.state import GameState, Unit


def supply_trace(state: GameState, side: str) -> dict[int, int]:
    """Hex index -> hexes of supply line from the nearest source, for every hex in supply.

    The trace depends only on the bridges standing and on the hexes closed to the line (enemy
    units, and enemy zones of control not held by a friendly unit), so it is kept per board for
    those two: most moves of a phase change neither, and computer players ask for the trace on
    every move of every rollout.  The returned dict is shared; do not change it.
    """
    key = ("supply_trace", side)
    found = state.memo.get(key)
    if found is None:
        found = state.memo[key] = _trace_for(state.scenario, side, working_bridge_keys(state), _closed_hexes(state, side))
    return found


def _closed_hexes(state: GameState, side: str) -> frozenset[int]:
    """Hexes a supply line of ``side`` cannot enter: enemy units, and enemy zones of control
    unless a friendly unit stands there."""
    board = state.scenario.board
    enemies = [u for u in state.units if u.on_map and u.side != side]
    friendly = {board.index[u.position] for u in state.units if u.on_map and u.side == side}
    enemy_hexes = {board.index[u.position] for u in enemies}
    return frozenset(enemy_hexes | (zone_of_control(state.scenario, enemies, state.clock) - friendly))


_TRACES_KEPT = 64  # per board: plenty for both sides' front lines through a phase of moves


def _trace_for(scenario: Scenario, side: str, bridges: frozenset[int], closed: frozenset[int]) -> dict[int, int]:
    traces: dict[tuple[str, frozenset[int], frozenset[int], bool], dict[int, int]] = scenario.board.search_cache.setdefault(
        "supply_traces", {}
    )
    fast = not reference_active()  # each path keeps its own traces, so the lockstep test compares two
    key = (side, bridges, closed, fast)
    found = traces.get(key)
    if found is None:
        if len(traces) >= _TRACES_KEPT:
            traces.clear()  # one call, so safe beside the front end's thinking thread
        found = traces[key] = _trace_by_levels(scenario, side, bridges, closed) if fast else _trace(scenario, side, bridges, closed)
    return found


def _trace(scenario: Scenario, side: str, bridges: frozenset[int], closed: frozenset[int]) -> dict[int, int]:
    """Breadth-first over (hex, hexes already run across country): a line runs along roads from
    a source, then leaves them for at most ``trace_hexes``.

    Every step is one hex, so states come off the queue shortest first and a hex's first state
    gives its shortest line.  A state is dropped when its hex was already reached with no more
    hexes run across country: that earlier state is no longer and can go everywhere it can.
    """
    board = scenario.board
    rules = scenario.rules.supply
    steps = _supply_steps(scenario, bridges)
    sources = sorted({board.index[s.hex] for s in scenario.supply.sources if s.side == side})
    least_off_road = {i: 0 for i in sources if i not in closed}
    queue = deque((i, 0, 0) for i in least_off_road)
    distance: dict[int, int] = {}
    while queue:
        here, off_road, length = queue.popleft()
        distance.setdefault(here, length)
        for to, road in steps[here]:
            if to in closed:
                continue
            if road and off_road == 0 and length < rules.road_trace_hexes:
                following = 0
            elif off_road < rules.trace_hexes:
                following = off_road + 1
            else:
                continue
            if following < least_off_road.get(to, following + 1):
                least_off_road[to] = following
                queue.append((to, following, length + 1))
    return distance


def _trace_by_levels(scenario: Scenario, side: str, bridges: frozenset[int], closed: frozenset[int]) -> dict[int, int]:
    """The fast path's :func:`_trace` (:mod:`nomonhan.corepath`): the same breadth-first search,
    one line length at a time, in the same order, each state's tests hoisted out of its
    neighbours' loop (a state that may still follow a road, one that may only go on across
    country, one at the end of its line).

    The fewest hexes run across country that reached each hex are a list by hex index, a closed
    hex holding -1, which no line's count is below: one subscript a neighbour, where the plain
    trace tests the closed set and looks the hex up in a dict.  With no hexes allowed across
    country (``trace_hexes`` 0) every count is at most 0 or 1, so no line leaves a road."""
    board = scenario.board
    road_hexes, country_hexes = scenario.rules.supply.road_trace_hexes, scenario.rules.supply.trace_hexes
    steps = _supply_steps(scenario, bridges)
    least_off_road = [country_hexes + 1] * len(board.hexes)
    for i in closed:
        least_off_road[i] = -1
    level = []
    for i in sorted({board.index[s.hex] for s in scenario.supply.sources if s.side == side}):
        if least_off_road[i] > 0:
            least_off_road[i] = 0
            level.append((i, 0))
    distance: dict[int, int] = {}
    length = 0
    while level:
        following: list[tuple[int, int]] = []
        append = following.append
        for here, off_road in level:
            if here not in distance:
                distance[here] = length
            if off_road == 0 and length < road_hexes:
                for to, road in steps[here]:
                    off = 0 if road else 1
                    if off < least_off_road[to]:
                        least_off_road[to] = off
                        append((to, off))
            elif off_road < country_hexes:
                off = off_road + 1
                for to, _road in steps[here]:
                    if off < least_off_road[to]:
                        least_off_road[to] = off
                        append((to, off))
        level = following
        length += 1
    return distance


def _supply_steps(scenario: Scenario, bridges: frozenset[int]) -> tuple[tuple[tuple[int, bool], ...], ...]:
    """Per hex, (neighbour, along a road) for each step the supply movement class can take with
    these bridges standing; kept per board, since bridges change a few times a game."""
    board = scenario.board
    key = ("supply_steps", bridges)
    found = board.search_cache.get(key)
    if found is None:
        cls = scenario.rules.supply.movement_class
        found = board.search_cache[key] = tuple(
            tuple(
                (edge.to, bool(edge.road)) for edge in edges if (edge.bridged_cost if edge.key in bridges else edge.cost)[cls] is not None
            )
            for edges in board.edges
        )
    return found


@dataclass(frozen=True)
class SupplyAllocation:
    supplied: frozenset[str]  # unit ids in supply this turn
    fuelled: frozenset[str]  # units in supply that need fuel and got it
    points_left: int | None  # for artillery fire, then carried over (None: unlimited)


def haul_points(rules: SupplyRules, entry: SupplyCapacity) -> int:
    """Supply points a turn that one capacity entry brings up.

    A lorry on a run of ``railhead_km`` each way makes a round trip every
    2 x railhead_km / lorry_km_per_day days, so the side's lorries bring up
    lorries x lorry_load_kg x lorry_km_per_day / (2 x railhead_km) kg a day, and one supply
    point a turn stands for ``tonnes_per_point_day`` tonnes a day (rounded down).  Units' costs
    are per turn whatever the turn's length, and so is the haul.
    """
    if entry.railhead_km is None or entry.lorries is None:
        return entry.points or 0
    kg_a_day = entry.lorries * rules.lorry_load_kg * rules.lorry_km_per_day // (2 * entry.railhead_km)
    return kg_a_day // (1000 * rules.tonnes_per_point_day)


def capacity(state: GameState, side: str) -> int | None:
    """The side's haul, supply points a turn (None: the scenario does not limit it)."""
    rules = state.scenario.rules.supply
    entries = [c for c in state.scenario.supply.capacity if c.side == side]
    return sum(haul_points(rules, c) for c in entries) if entries else None


def initial_stockpile(scenario: Scenario, side: str) -> int:
    """What the side stocked before the scenario starts: the build-up for an offensive."""
    return sum(c.stockpile for c in scenario.supply.capacity if c.side == side)


def stockpile(state: GameState, side: str) -> int:
    """Supply points the side has stocked now (the build-up, then unused haul carried over)."""
    if not state.stockpiles:
        return 0
    return state.stockpiles[state.scenario.side_ids.index(side)]


def carried_over(state: GameState, side: str) -> int:
    """The stockpile ``side`` keeps at the end of its player turn: what it has left of its haul
    and stockpile, up to ``stockpile_limit_turns`` turns' haul (a build-up larger than that is
    spent down, never topped up)."""
    limit = capacity(state, side)
    if limit is None or state.supply_left is None:
        return stockpile(state, side)
    room = max(state.scenario.rules.supply.stockpile_limit_turns * limit, stockpile(state, side))
    return max(0, min(state.supply_left, room))


def allocate(state: GameState, side: str) -> SupplyAllocation:
    """Which units of ``side`` are supplied this turn, and which are fuelled: traced, then fed
    nearest-first from the turn's haul and the stockpile, then fuelled nearest-first from what
    is left; what remains pays for artillery fire."""
    scenario = state.scenario
    board = scenario.board
    types = scenario.unit_types
    limit = capacity(state, side)
    pool = None if limit is None else limit + stockpile(state, side)
    on_map = [u for u in state.units if u.side == side and u.on_map]
    if not any(source.side == side for source in scenario.supply.sources):
        # A scenario that gives a side no supply sources does not model its supply.
        return SupplyAllocation(frozenset(u.id for u in on_map), frozenset(u.id for u in on_map), pool)
    trace = supply_trace(state, side)
    traced = [(trace[board.index[u.position]], n, u) for n, u in enumerate(on_map) if board.index[u.position] in trace]
    traced.sort(key=lambda item: (item[0], item[1]))
    supplied: list[Unit] = []
    used = 0
    for _, _, unit in traced:
        cost = types[unit.type_id].supply_cost
        if pool is not None and used + cost > pool:
            break  # nearest first: a farther unit is never fed before a nearer one
        used += cost
        supplied.append(unit)
    fuelled: list[str] = []
    for unit in supplied:
        fuel = types[unit.type_id].fuel_cost
        if fuel == 0:
            continue
        if pool is not None and used + fuel > pool:
            break  # nearest first again
        used += fuel
        fuelled.append(unit.id)
    return SupplyAllocation(frozenset(u.id for u in supplied), frozenset(fuelled), None if pool is None else pool - used)


def out_of_fuel(state: GameState, unit: Unit, allocation: SupplyAllocation) -> bool:
    """In supply but not fuelled: a unit that needs fuel got none this turn.  A unit cut off runs
    on what it carries, so it stays as it was: out of fuel if it already was (being cut off must
    not refill its tanks), else governed by its stage of being cut off alone."""
    if state.scenario.unit_types[unit.type_id].fuel_cost == 0:
        return False
    if unit.id not in allocation.supplied:
        return unit.out_of_fuel
    return unit.id not in allocation.fuelled


def hours_cut_off(state: GameState, unit: Unit) -> int:
    return unit.out_of_supply * state.scenario.period.turn_hours


def _stage_after(stages: list[SupplyStage], hours: int) -> int:
    """Index of the stage a unit cut off for ``hours`` is in (-1: supplied)."""
    if hours <= 0:
        return -1
    return max(n for n, stage in enumerate(stages) if hours > stage.after_hours)


def supply_stage(state: GameState, unit: Unit) -> SupplyStage | None:
    """The stage of being cut off whose effects ``unit`` suffers now (None: none).

    It follows from the hours the unit has been cut off, which its side knows and the enemy
    sees on any unit it can see; so the stage needs no hiding of its own.
    """
    stages = state.scenario.rules.supply.stages
    index = max(_stage_after(stages, hours_cut_off(state, unit)), _water_stage(state, unit))
    return None if index < 0 else stages[index]


def _water_stage(state: GameState, unit: Unit) -> int:
    """Index of the stage a scenario's water shortage puts ``unit`` in where it stands (-1: none)."""
    shortages = state.scenario.supply.water_shortage
    if not shortages or not unit.on_map:
        return -1
    code = state.scenario.board.terrain_at(unit.position).code
    names = [stage.name for stage in state.scenario.rules.supply.stages]
    return max((names.index(s.stage) for s in shortages if s.side == unit.side and code in s.terrain), default=-1)


def attack_pct(state: GameState, unit: Unit) -> Fraction:
    """Attack strength, per cent: the stage of being cut off, then a shortage of fuel, exactly
    (strength is a fraction: 50% of 75% is 37.5%, not 37)."""
    stage = supply_stage(state, unit)
    fuel = state.scenario.rules.supply.out_of_fuel_attack_pct if unit.out_of_fuel else 100
    return Fraction((100 if stage is None else stage.attack_pct) * fuel, 100)


def defence_pct(state: GameState, unit: Unit) -> int:
    stage = supply_stage(state, unit)
    return 100 if stage is None else stage.defence_pct


def move_cuts(state: GameState, unit: Unit) -> tuple[int, ...]:
    """The cuts of a unit's move points from its supply, per cent, in the order they apply (the
    stage of being cut off, then a shortage of fuel): each rounds down in turn, as every cut of
    move points does (docs/rules.md, Movement), so 8 points at 50% then 75% are 4 then 3, not
    8 x 37% = 2."""
    stage = supply_stage(state, unit)
    cuts = [] if stage is None else [stage.move_pct]
    if unit.out_of_fuel:
        cuts.append(state.scenario.rules.supply.out_of_fuel_move_pct)
    return tuple(cuts)


def may_attack(state: GameState, unit: Unit) -> bool:
    """A unit in a stage that leaves it no attack strength husbands what it has: it may not attack.
    Nor may a gun cut off: it has no ammunition coming from the first supply phase missed, and
    an attack on an adjacent hex is one of the ways a gun fires (docs/rules.md, Artillery)."""
    if unit.out_of_supply > 0 and state.scenario.unit_types[unit.type_id].bombard > 0:
        return False
    return attack_pct(state, unit) > 0


def suffers_combat_shifts(state: GameState, unit: Unit) -> bool:
    """Whether the out-of-supply column shifts count against ``unit`` (from the stage that says so)."""
    stage = supply_stage(state, unit)
    return stage is not None and stage.combat_shifts


def recovers(state: GameState, unit: Unit) -> bool:
    """Cut off, a unit gets nothing back: every stage stops recovery."""
    return supply_stage(state, unit) is None


def loses_step(state: GameState, unit: Unit) -> bool:
    """Whether a unit cut off this long loses a step in this supply phase (at most one a turn):
    one every ``step_loss_every_hours`` of its stage, counted from the stage's start.  Only the
    hours cut off count (a shortage of water wastes no steps of itself)."""
    stages = state.scenario.rules.supply.stages
    hours = hours_cut_off(state, unit)
    index = _stage_after(stages, hours)
    if index < 0 or stages[index].step_loss_every_hours == 0:
        return False
    stage = stages[index]
    turn_hours = state.scenario.period.turn_hours
    return (hours - stage.after_hours - 1) % stage.step_loss_every_hours < turn_hours


def supplied_hexes(state: GameState, side: str) -> frozenset[Hex]:
    """The hexes a side's supply reaches now (for the front end's supply overlay)."""
    board = state.scenario.board
    return frozenset(board.hexes[i] for i in supply_trace(state, side))
