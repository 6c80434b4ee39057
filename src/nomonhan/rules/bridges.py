"""Bridges and pontoons: throwing, crossing, attacking and blowing them.

A bridge or pontoon is game state (``GameState.bridges``).  The rules (docs/rules.md,
"Bridges and pontoons"; the numbers are the rules data's ``bridges`` section):

* Engineers throw a pontoon across a bridgeable hexside (river or stream) next to them by
  working there, a whole movement phase at a time, until their hours of work add up to
  ``build_hours``; work done is kept if they stop.  An engineer unit throws at most
  ``pontoons_per_engineer`` pontoons a game (its bridging train).  Any unit next to a bridge
  may blow it.
  Either takes the unit's whole movement for the phase.
* A bridge carries ``steps_per_hour`` steps an hour of the turn, or what the scenario rates that
  crossing (``map.crossings``), in the active side's moves, both ways together; a unit that
  would take it past that waits for the next turn, except that a bridge nothing has crossed
  this turn always takes one unit.  Retreats and advances after
  combat are part of the fight and are not counted.
* Air missions (interdiction) and bombardments over either end of a bridge roll on the bridge
  table: a damaged bridge carries nothing for the rest of the turn and ``damaged_hours`` after
  it, a destroyed one is gone.
"""

from __future__ import annotations

from collections import Counter

from nomonhan import rng
from nomonhan.actions import Action, BuildBridge, DemolishBridge
from nomonhan.corepath import reference_active
from nomonhan.events import BridgeAttacked, BridgeBuilt, BridgeDemolished, Event, PontoonWorked
from nomonhan.hexgrid import Hex, Hexside
from nomonhan.rules.movement import known_working_bridge_keys, working_bridge_keys
from nomonhan.rules.visibility import visible_enemies
from nomonhan.scenario.load import Scenario
from nomonhan.state import GameState, Phase, Unit, replace


def bridge_options(state: GameState) -> list[Action]:
    """Pontoons engineers can work on, and bridges any unit can blow, next to units yet to move."""
    if state.phase is not Phase.MOVEMENT or state.pending is not None or state.game_over:
        return []
    sites = state.scenario.board.bridge_sites
    types = state.scenario.unit_types
    enemy_hexes = {u.hex for u in visible_enemies(state, state.active_side)}  # the far bank is adjacent, so always in sight
    spent = Counter(unit for unit, _ in state.pontoons_thrown)
    trains = state.scenario.rules.bridges.pontoons_per_engineer
    options: list[Action] = []
    for u in state.units:
        if u.side != state.active_side or not u.on_map or u.moved or u.move_points <= 0 or u.hex not in sites:
            continue
        for side in sites[u.position]:
            far = side.high if side.low == u.hex else side.low
            if side in state.bridges:
                options.append(DemolishBridge(u.id, side))
            elif "engineer" in types[u.type_id].abilities and far not in enemy_hexes and spent[u.id] < trains:
                options.append(BuildBridge(u.id, side))
    return options


def build_or_blow(state: GameState, action: BuildBridge | DemolishBridge) -> tuple[GameState, list[Event]]:
    """Carry out a bridge action already checked against :func:`bridge_options`."""
    unit = state.unit(action.unit)
    state = state.with_unit(replace(unit, move_points=0, moved=True))
    side = action.hexside
    if isinstance(action, DemolishBridge):
        return _without_bridge(state, side), [BridgeDemolished(unit.id, side.low, side.high)]
    needed = state.scenario.rules.bridges.build_hours
    done = work_done(state, unit.side, side) + state.scenario.period.turn_hours
    others = tuple(w for w in state.pontoon_work if w[:2] != (side, unit.side))
    if done < needed:
        work = (*others, (side, unit.side, done))
        return replace(state, pontoon_work=work), [PontoonWorked(unit.id, side.low, side.high, done, needed)]
    thrown = (*state.pontoons_thrown, (unit.id, side))
    built = replace(state, pontoon_work=others, bridges=state.bridges | {side}, pontoons_thrown=thrown)
    return built, [BridgeBuilt(unit.id, side.low, side.high)]


def work_done(state: GameState, owner: str, side: Hexside) -> int:
    """Hours ``owner``'s engineers have worked on a pontoon across ``side`` that is not yet standing."""
    return next((hours for where, who, hours in state.pontoon_work if where == side and who == owner), 0)


def _without_bridge(state: GameState, side: Hexside) -> GameState:
    """The bridge gone, with its damage and this turn's traffic (a new one starts afresh)."""
    damaged = tuple(d for d in state.damaged_bridges if d[0] != side)
    traffic = tuple(t for t in state.bridge_traffic if t[0] != side)
    return replace(state, bridges=state.bridges - {side}, damaged_bridges=damaged, bridge_traffic=traffic)


# ------------------------------------------------------------------ what a bridge carries


def capacity_per_turn(state: GameState, side: Hexside) -> int:
    """Steps the bridge on ``side`` carries in a player turn: the scenario's rating of that
    crossing, or the rules data's for any bridge or pontoon."""
    per_hour = state.scenario.crossing_rates.get(side, state.scenario.rules.bridges.steps_per_hour)
    return per_hour * state.scenario.period.turn_hours


def passable_bridge_keys(state: GameState, unit: Unit, known: bool = True) -> frozenset[int]:
    """Hexside keys of the bridges ``unit`` may cross now: standing, not damaged, and with room
    for its steps this turn (or nothing across yet); as its side knows the bridges (what its
    moves are planned on), or with ``known=False`` as they are (what a move finds when it gets
    there).  Memoised on the state."""
    key = ("passable bridges", unit.side if known else None, unit.steps)
    found = state.memo.get(key)
    if found is None:
        working = known_working_bridge_keys(state, unit.side) if known else working_bridge_keys(state)
        if not state.bridge_traffic:
            found = working
        else:
            board = state.scenario.board
            full = {
                board.edge_keys[side]
                for side, steps in state.bridge_traffic
                if side in board.edge_keys and steps + unit.steps > capacity_per_turn(state, side)
            }
            found = working - full
        state.memo[key] = found
    return found


def count_crossings(state: GameState, unit: Unit, path: list[Hex]) -> GameState:
    """Add ``unit``'s steps to the traffic of every bridge its path crossed."""
    if not state.bridges:
        return state
    if not reference_active() and sum(h in _bridge_ends(state) for h in path) < 2:
        return state  # the fast path: a path that crosses a bridge holds both its ends
    traffic = dict(state.bridge_traffic)
    for a, b in zip(path, path[1:]):
        side = Hexside.between(a, b)
        if side in state.bridges:
            traffic[side] = traffic.get(side, 0) + unit.steps
    if traffic == dict(state.bridge_traffic):
        return state
    return replace(state, bridge_traffic=tuple(sorted(traffic.items())))


def _bridge_ends(state: GameState) -> frozenset[Hex]:
    """The hexes at either end of a standing bridge; kept on the board per set of bridges (a
    state's memo starts empty, and the bridges change a few times a game)."""
    cache = state.scenario.board.search_cache
    found: frozenset[Hex] | None = cache.get(("bridge ends", state.bridges))
    if found is None:
        found = cache[("bridge ends", state.bridges)] = frozenset(h for side in state.bridges for h in (side.low, side.high))
    return found


def new_player_turn(state: GameState) -> GameState:
    """Traffic counts start again, and bridges whose repair time has run out carry again."""
    damaged = tuple(d for d in state.damaged_bridges if d[1] > state.turn)
    return replace(state, bridge_traffic=(), damaged_bridges=damaged)


def river_bank(scenario: Scenario, start: Hex) -> frozenset[int]:
    """Hex indices a man on foot (the supply rules' movement class) reaches from ``start``
    without a bridge: one bank of the rivers.  A property of the map, memoised on the board,
    one set shared by every hex that reaches ``start`` back (what it reaches is the same; a set a
    hex asked took 190 MB on an 80 x 80 map without rivers).  Not every hex reached: a causeway
    leads into a closed lake hex that the land beside it cannot enter, a one-way step."""
    board = scenario.board
    cls = scenario.rules.supply.movement_class
    banks: dict[int, frozenset[int]] = board.search_cache.setdefault(("banks", cls), {})
    first = board.index[start]
    found = banks.get(first)
    if found is None:
        seen, frontier = {first}, [first]
        back: dict[int, list[int]] = {}  # the steps walked, backwards
        while frontier:
            here = frontier.pop()
            for edge in board.edges[here]:
                if edge.cost.get(cls) is not None:
                    back.setdefault(edge.to, []).append(here)
                    if edge.to not in seen:
                        seen.add(edge.to)
                        frontier.append(edge.to)
        found = frozenset(seen)
        same, frontier = {first}, [first]
        while frontier:
            for before in back.get(frontier.pop(), ()):
                if before not in same:
                    same.add(before)
                    frontier.append(before)
        banks.update(dict.fromkeys(same, found))
    return found


# ------------------------------------------------------------------ attacks on bridges


def bridges_at(state: GameState, hex_: Hex) -> list[Hexside]:
    """Standing bridges with an end in ``hex_``, in hexside order."""
    return sorted(side for side in state.bridges if hex_ in side)


def bridge_attack_result(state: GameState, by: str, die: int) -> str:
    """The bridge table's result (``by``: ``air`` or ``guns``) on ``die``: one lookup for the
    attack and for the engine's forecast of it."""
    data = state.scenario.rules.bridges
    return (data.air_attack if by == "air" else data.gun_attack)[die - 1]


def attack_bridges(state: GameState, target: Hex, by: str) -> tuple[GameState, list[Event]]:
    """Roll on the bridge table (``by``: ``air`` or ``guns``) for each bridge ending in ``target``."""
    data = state.scenario.rules.bridges
    events: list[Event] = []
    for side in bridges_at(state, target):
        die, seed = rng.roll(state.rng_state, data.attack_die_sides)
        state = replace(state, rng_state=seed)
        result = bridge_attack_result(state, by, die)
        events.append(BridgeAttacked(by, side.low, side.high, die, result))
        if result == "destroyed":
            state = _without_bridge(state, side)
        elif result == "damaged":
            turns = state.scenario.turns_spanning(data.damaged_hours)
            damaged = tuple(d for d in state.damaged_bridges if d[0] != side)
            state = replace(state, damaged_bridges=(*damaged, (side, state.turn + 1 + turns)))
    return state, events


def attack_bridges_from_air(state: GameState, events: list[Event]) -> GameState:
    """The active side's interdiction missions that got through attack the bridges under them."""
    for owner, hex_ in state.air.interdiction:
        if owner == state.active_side:
            state, more = attack_bridges(state, hex_, "air")
            events.extend(more)
    return state
