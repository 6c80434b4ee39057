"""The sequence of play: what the engine does itself between the players' phases.

    reinforcement -> air -> supply -> movement -> bombardment -> combat -> recovery

for the first side, then for the second; then the turn's victory points are banked and the
clock advances.  Air, movement, bombardment and combat wait for the player (air, bombardment
and combat are skipped when the side has nothing to do in them); the others run at once.
"""

from __future__ import annotations

from nomonhan import rng
from nomonhan.engine import dated
from nomonhan.engine.attrition import take_steps, update_holders
from nomonhan.engine.eligibility import attack_targets
from nomonhan.engine.view import refresh_knowledge, stack_points
from nomonhan.events import (
    Event,
    GameEnded,
    PhaseStarted,
    ReinforcementArrived,
    ReinforcementDelayed,
    SuddenDeath,
    SupplyChanged,
    TanksRecovered,
    TurnStarted,
)
from nomonhan.hexgrid import Hex
from nomonhan.rules.air import air_fights, air_points, can_fly
from nomonhan.rules.armour import recoveries
from nomonhan.rules.artillery import disrupted_move_points, expose_at_dawn, rally
from nomonhan.rules.bridges import attack_bridges_from_air, new_player_turn
from nomonhan.rules.recovery import recover
from nomonhan.rules.supply import allocate, carried_over, initial_stockpile, loses_step, move_cuts, out_of_fuel
from nomonhan.scenario.load import Scenario
from nomonhan.state import AirState, GameState, Phase, Tally, Unit, UnitStatus, replace


def new_game(scenario: Scenario, seed: int) -> GameState:
    """The state before the first action: units placed, turn 1 begun up to its first decision."""
    scenario.board.trim_search_cache()
    units = []
    for setup in scenario.units:
        units.append(
            Unit(
                id=setup.id,
                type_id=setup.type,
                side=setup.side,
                hex=setup.hex,
                steps=setup.starting_steps,
                move_points=0,
                status=UnitStatus.ON_MAP if setup.hex is not None else UnitStatus.RESERVE,
            )
        )
    state = GameState(
        scenario=scenario,
        turn=1,
        active_side=scenario.side_ids[0],
        phase=Phase.REINFORCEMENT,
        units=tuple(units),
        rng_state=rng.derive(seed, "game"),
        bridges=scenario.bridges,
        holders=tuple(o.initial_holder for o in scenario.objectives),
        stockpiles=tuple(initial_stockpile(scenario, side) for side in scenario.side_ids),
    )
    state, _events = enter(update_holders(state), Phase.REINFORCEMENT, [])
    return refresh_knowledge(state)


def end_phase(state: GameState) -> tuple[GameState, list[Event]]:
    """The active side finishes its current phase; the engine runs on to the next decision."""
    events: list[Event] = []
    following = {Phase.AIR: Phase.SUPPLY, Phase.MOVEMENT: Phase.BOMBARDMENT, Phase.BOMBARDMENT: Phase.COMBAT, Phase.COMBAT: Phase.RECOVERY}
    if state.phase is Phase.AIR:
        state = attack_bridges_from_air(air_fights(state, events), events)
    return enter(state, following[state.phase], events)


def enter(state: GameState, phase: Phase, events: list[Event]) -> tuple[GameState, list[Event]]:
    """Run automatic phases from ``phase`` on until a player must act or the game ends."""
    while True:
        state = replace(state, phase=phase)
        if phase is Phase.REINFORCEMENT:
            events.append(PhaseStarted(state.turn, state.active_side, phase.value))
            state = _start_player_turn(state, events)
            phase = Phase.AIR
        elif phase is Phase.AIR:
            state = _open_air_phase(state)
            if state.air.points_left > 0:
                events.append(PhaseStarted(state.turn, state.active_side, phase.value))
                return state, events
            phase = Phase.SUPPLY
        elif phase is Phase.SUPPLY:
            events.append(PhaseStarted(state.turn, state.active_side, phase.value))
            state = _supply_phase(state, events)
            if state.game_over:
                return state, events
            phase = Phase.MOVEMENT
        elif phase is Phase.MOVEMENT:
            state = _refresh_move_points(state)
            events.append(PhaseStarted(state.turn, state.active_side, phase.value))
            return state, events
        elif phase is Phase.BOMBARDMENT:
            # Held for a side with guns even when none can fire: skipped only then, it would
            # tell the enemy that an unseen gun has a target in range (docs/rules.md).
            if state.active_side in state.scenario.sides_with_guns:
                events.append(PhaseStarted(state.turn, state.active_side, phase.value))
                return state, events
            phase = Phase.COMBAT
        elif phase is Phase.COMBAT:
            if attack_targets(state):
                events.append(PhaseStarted(state.turn, state.active_side, phase.value))
                return state, events
            phase = Phase.RECOVERY
        else:
            events.append(PhaseStarted(state.turn, state.active_side, phase.value))
            state = recover(state, events)
            state, rallied = rally(state, state.active_side)
            events += rallied
            state = _end_player_turn(state, events)
            if state.game_over:
                return state, events
            phase = Phase.REINFORCEMENT


# ------------------------------------------------------------------ automatic phases


def _start_player_turn(state: GameState, events: list[Event]) -> GameState:
    side = state.active_side
    fresh = [replace(u, moved=False, attacked=False, fired=False) for u in state.units if u.side == side]
    state = new_player_turn(replace(state.with_units(fresh), attacked_hexes=frozenset(), supply_left=None))
    return _arrive_reinforcements(state, events)


def _arrive_reinforcements(state: GameState, events: list[Event]) -> GameState:
    for setup in state.scenario.units:
        if setup.arrive is None or setup.side != state.active_side or not dated.released(state, setup):
            continue
        unit = state.unit(setup.id)
        if unit.status is not UnitStatus.RESERVE:
            continue
        entry = _entry_hex(state, unit, setup.arrive.hex)
        if entry is None:
            events.append(ReinforcementDelayed(unit.id))
            continue
        state = update_holders(state.with_unit(replace(unit, hex=entry, status=UnitStatus.ON_MAP)))
        events.append(ReinforcementArrived(unit.id, entry))
    return state


def _entry_hex(state: GameState, unit: Unit, wanted: Hex) -> Hex | None:
    """The entry hex, or the nearest free hex on the same map edge, or None (try next turn)."""
    board = state.scenario.board
    unit_type = state.scenario.unit_types[unit.type_id]
    limit = state.scenario.rules.stacking_limit
    enemy_hexes = {u.hex for u in state.units if u.on_map and u.side != unit.side}
    stacks = stack_points(state, unit.side)

    def free(hex_: Hex) -> bool:
        return (
            hex_ not in enemy_hexes
            and board.terrain_at(hex_).move_cost[unit_type.movement_class] is not None
            and stacks.get(hex_, 0) + unit_type.stack_points <= limit
        )

    if free(wanted):
        return wanted
    edges = board.map_edges(wanted)
    if not edges:
        return None
    candidates = [h for h in board.hexes if board.map_edges(h) & edges and free(h)]
    return min(candidates, key=lambda h: (h.distance(wanted), h)) if candidates else None


def _open_air_phase(state: GameState) -> GameState:
    """The side's standing patrols and interdiction end when it flies again; count its points."""
    side = state.active_side
    air = state.air
    points = air_points(state.scenario, side, state.turn) if can_fly(state.scenario, state.turn) else 0
    return replace(
        state,
        air=AirState(
            superiority=tuple(entry for entry in air.superiority if entry[0] != side),
            support=(),
            interdiction=tuple(entry for entry in air.interdiction if entry[0] != side),
            points_left=points,
        ),
    )


def _supply_phase(state: GameState, events: list[Event]) -> GameState:
    side = state.active_side
    allocation = allocate(state, side)
    changed = []
    starving = []
    for unit in state.units_of(side):
        level = 0 if unit.id in allocation.supplied else unit.out_of_supply + 1
        short_of_fuel = out_of_fuel(state, unit, allocation)
        if level != unit.out_of_supply or short_of_fuel != unit.out_of_fuel:
            if level != unit.out_of_supply:
                events.append(SupplyChanged(unit.id, level))
            unit = replace(unit, out_of_supply=level, out_of_fuel=short_of_fuel)
            changed.append(unit)
        if loses_step(state, unit):
            starving.append(unit.id)
    state = replace(state.with_units(changed), supply_left=allocation.points_left)
    for unit_id in starving:
        state, lost = take_steps(state, [unit_id], 1, "out of supply", "out_of_supply")
        events.extend(lost)
    return state


def _refresh_move_points(state: GameState) -> GameState:
    scenario = state.scenario
    night_pct = scenario.rules.night.move_points_pct if state.is_night else 100
    refreshed = []
    for unit in state.units_of(state.active_side):
        points = scenario.unit_types[unit.type_id].move_points * night_pct // 100
        for cut in move_cuts(state, unit):
            points = points * cut // 100
        points = disrupted_move_points(state, unit, points)
        refreshed.append(replace(unit, move_points=points, halted=False))
    return state.with_units(refreshed)


def _recover_tanks(state: GameState, events: list[Event]) -> GameState:
    """At the turn's end, each side gets back some of the tanks knocked out on fields it holds."""
    for found in recoveries(state):
        unit = state.unit(found.unit)
        state = state.with_tally(unit.side, Tally(tanks_recovered=found.tanks))
        if unit.damaged_tanks:
            state = state.with_unit(replace(unit, damaged_tanks=max(0, unit.damaged_tanks - found.tanks)))
        events.append(TanksRecovered(found.unit, found.hex, found.tanks))
    return replace(state, wrecks=())


def _end_player_turn(state: GameState, events: list[Event]) -> GameState:
    scenario = state.scenario
    side_index = scenario.side_ids.index(state.active_side)
    stockpiles = list(state.stockpiles or (0,) * len(scenario.side_ids))
    stockpiles[side_index] = carried_over(state, state.active_side)
    state = replace(state, air=replace(state.air, support=()), supply_left=None, attacked_hexes=frozenset(), stockpiles=tuple(stockpiles))
    for rule in scenario.sudden_death:
        held = {o.name: holder for o, holder in zip(scenario.objectives, state.holders)}
        if state.turn >= rule.from_turn and all(held.get(name) == rule.side for name in rule.objectives):
            events.append(SuddenDeath(rule.side))
            events.append(GameEnded(state.turn))
            return replace(state, winner=rule.side, game_over=True)
    first, second = scenario.side_ids
    if state.active_side == first:
        return replace(state, active_side=second)
    banked = list(state.banked_points)
    for objective, holder in zip(scenario.objectives, state.holders):
        if holder in (first, second):
            banked[(first, second).index(holder)] += objective.points_per_turn
    state = _recover_tanks(replace(state, banked_points=(banked[0], banked[1])), events)
    if state.turn >= scenario.period.last_turn:
        events.append(GameEnded(state.turn))
        return replace(state, game_over=True)
    before = state
    state = replace(state, turn=state.turn + 1, active_side=first)
    events.append(TurnStarted(state.turn, state.clock.isoformat(timespec="minutes"), state.is_night))
    state, exposed = expose_at_dawn(before, state)
    events += exposed
    return state
