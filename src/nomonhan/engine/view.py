"""What a side knows: the observation handed to players, and memoised per-state facts.

Movement is planned on :func:`knowledge` (the enemy a side can see); the engine checks moves
against :func:`truth` (every enemy unit) when it carries them out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from nomonhan.hexgrid import Hex, Hexside
from nomonhan.rules.air import weather
from nomonhan.rules.movement import Knowledge, zone_of_control
from nomonhan.rules.supply import stockpile
from nomonhan.rules.visibility import seen_hexes, visible_enemies
from nomonhan.scenario.load import Scenario
from nomonhan.state import AirState, Declaration, GameState, Pending, Phase, Unit, UnitStatus


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
    weather: str
    game_over: bool
    own_units: tuple[Unit, ...]
    enemy_units: tuple[Unit, ...]
    seen_hexes: frozenset[Hex]
    bridges: frozenset[Hexside]
    holders: tuple[str | None, ...]
    """The holder of each objective as this side last saw it."""
    pending: Pending | None
    declaration: Declaration | None
    """The attack or bombardment this side is declaring (None for the side not acting)."""
    withdrawn: frozenset[Hex]
    """Targets this side cancelled a declaration on this phase (empty for the side not acting)."""
    air: AirState
    supply_left: int | None
    stockpile: int
    """This side's own supply stockpile (the enemy's is never shown)."""
    attacked_hexes: frozenset[Hex]
    banked_points: tuple[int, int]
    scenario: Scenario
    """The public scenario: this side's own copy (see :meth:`Scenario.for_player`)."""


def observe(state: GameState, side: str) -> Observation:
    return Observation(
        side=side,
        turn=state.turn,
        active_side=state.active_side,
        phase=state.phase,
        is_night=state.is_night,
        weather=weather(state.scenario, state.turn),
        game_over=state.game_over,
        own_units=tuple(u for u in state.units if u.side == side),
        enemy_units=tuple(visible_enemies(state, side)),
        seen_hexes=seen_hexes(state, side),
        bridges=state.bridges,
        holders=state.holders_known_to(side),
        pending=state.pending,
        declaration=state.declaration if side == state.active_side else None,
        withdrawn=state.withdrawn if side == state.active_side else frozenset(),
        air=state.air,
        supply_left=state.supply_left if side == state.active_side else None,
        stockpile=stockpile(state, side),
        attacked_hexes=state.attacked_hexes,
        banked_points=state.banked_points,
        scenario=state.scenario.for_player(side),
    )


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


def believed_state(observation: Observation, rng_state: int = 0) -> GameState:
    """A game state built only from what one side knows, for its own planning.

    Enemy units it cannot see are left off the map, and the dice are the player's own
    (``rng_state``), so a computer player can run the engine's queries and even play games
    forward on it without ever touching the real state.
    """
    scenario = observation.scenario
    known = {u.id: u for u in observation.own_units + observation.enemy_units}
    units = []
    for setup in scenario.model.units:
        unit = known.get(setup.id)
        if unit is None:
            unit = Unit(setup.id, setup.type, setup.side, None, 0, 0, UnitStatus.RESERVE)
        units.append(unit)
    return GameState(
        scenario=scenario,
        turn=observation.turn,
        active_side=observation.active_side,
        phase=observation.phase,
        units=tuple(units),
        rng_state=rng_state,
        bridges=observation.bridges,
        holders=observation.holders,
        known_holders=tuple(observation.holders for _ in scenario.side_ids),
        pending=observation.pending,
        declaration=observation.declaration,
        withdrawn=observation.withdrawn,
        air=observation.air,
        supply_left=observation.supply_left,
        stockpiles=tuple(observation.stockpile if s == observation.side else 0 for s in scenario.side_ids),
        attacked_hexes=observation.attacked_hexes,
        banked_points=observation.banked_points,
        game_over=observation.game_over,
    )


def _knowledge_of(state: GameState, enemies: list[Unit]) -> Knowledge:
    board = state.scenario.board
    occupied = frozenset(board.index[u.position] for u in enemies)
    return Knowledge(occupied, zone_of_control(state.scenario, enemies))


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


def enemy_units_at(state: GameState, side: str, hex_: Hex) -> list[Unit]:
    return [u for u in state.units if u.on_map and u.side != side and u.hex == hex_]
