"""Who may do what now: one source of truth for both ``legal_actions`` and ``step``.

``legal_actions`` enumerates from these functions; ``step`` checks an action against them, so
the two can never disagree about what is legal.
"""

from __future__ import annotations

from nomonhan.actions import AirMission, Attack, Declare, Support
from nomonhan.engine.view import enemy_units_at, stack_points
from nomonhan.hexgrid import Hex
from nomonhan.rules.movement import bridge_keys, forbidden_edges
from nomonhan.rules.overrun import may_overrun, overrun_allowed
from nomonhan.rules.visibility import visible_enemies
from nomonhan.state import GameState, Phase, Unit


def can_move(state: GameState, unit: Unit) -> bool:
    return (
        not state.game_over
        and state.pending is None
        and state.phase is Phase.MOVEMENT
        and unit.side == state.active_side
        and unit.on_map
        and unit.move_points > 0
        and not unit.halted
    )


def visible_enemy_hexes(state: GameState) -> list[Hex]:
    """Hexes holding enemy units the active side can see, in (q, r) order."""
    return sorted({u.position for u in visible_enemies(state, state.active_side)})


def can_enter_across(state: GameState, unit: Unit, target: Hex) -> bool:
    """Whether ``unit`` could step from its hex into ``target`` (terrain, river, bridges)."""
    board = state.scenario.board
    i = board.index.get(unit.position)
    j = board.index.get(target)
    if i is None or j is None:
        return False
    cls = state.scenario.unit_types[unit.type_id].movement_class
    bridges = bridge_keys(state)
    forbidden = forbidden_edges(state.scenario, unit.side)
    for edge in board.edges[i]:
        if edge.to == j:
            return edge.key not in forbidden and (edge.bridged_cost if edge.key in bridges else edge.cost)[cls] is not None
    return False


def eligible_attackers(state: GameState, target: Hex) -> list[Unit]:
    """Active-side units that may attack ``target`` in the combat phase, in scenario order."""
    types = state.scenario.unit_types
    return [
        u
        for u in state.units
        if u.side == state.active_side
        and u.on_map
        and not u.attacked
        and types[u.type_id].attack > 0
        and u.position.distance(target) == 1
        and can_enter_across(state, u, target)
    ]


def eligible_artillery(state: GameState, target: Hex) -> list[Unit]:
    """Guns of the active side that could fire at ``target`` now (how many of them may fire
    together is :func:`guns_affordable`'s concern: the player chooses which)."""
    types = state.scenario.unit_types
    guns = [
        u
        for u in state.units
        if u.side == state.active_side
        and u.on_map
        and not u.fired
        and u.out_of_supply == 0
        and types[u.type_id].bombard > 0
        and u.position.distance(target) <= types[u.type_id].artillery_range
    ]
    return guns


def guns_affordable(state: GameState) -> int | None:
    """How many guns the active side's supply left this turn can pay to fire (None: no limit)."""
    cost = state.scenario.rules.supply.artillery_fire_cost
    if state.supply_left is None or cost <= 0:
        return None
    return state.supply_left // cost


def declare_options(state: GameState) -> list[Declare]:
    """Attackers that may join the attack being declared (or begin one), by target then unit."""
    if state.phase is not Phase.COMBAT or state.pending is not None or state.game_over:
        return []
    declaration = state.declaration
    targets = [declaration.target] if declaration else attack_targets(state)
    joined = set(declaration.units + declaration.guns) if declaration else set()
    return [Declare(u.id, target) for target in targets for u in eligible_attackers(state, target) if u.id not in joined]


def support_options(state: GameState) -> list[Support]:
    """Guns that may join the attack or bombardment being declared (or begin a bombardment),
    while the side's supply can pay for one more to fire."""
    if state.pending is not None or state.game_over:
        return []
    declaration = state.declaration
    if state.phase is Phase.COMBAT:
        if declaration is None:
            return []  # an attack begins with an attacker
        targets = [declaration.target]
    elif state.phase is Phase.BOMBARDMENT:
        targets = [declaration.target] if declaration else bombard_targets(state)
    else:
        return []
    joined = set(declaration.units + declaration.guns) if declaration else set()
    affordable = guns_affordable(state)
    if affordable is not None and len(declaration.guns if declaration else ()) >= affordable:
        return []
    return [Support(u.id, target) for target in targets for u in eligible_artillery(state, target) if u.id not in joined]


def attack_targets(state: GameState) -> list[Hex]:
    if state.phase is not Phase.COMBAT or state.pending is not None or state.game_over:
        return []
    closed = state.attacked_hexes | state.withdrawn
    return [h for h in visible_enemy_hexes(state) if h not in closed and eligible_attackers(state, h)]


def bombard_targets(state: GameState) -> list[Hex]:
    if state.phase is not Phase.BOMBARDMENT or state.pending is not None or state.game_over or guns_affordable(state) == 0:
        return []
    return [h for h in visible_enemy_hexes(state) if h not in state.withdrawn and eligible_artillery(state, h)]


def overrun_options(state: GameState) -> list[Attack]:
    """Stacks that may overrun an adjacent enemy now (the rule: :mod:`nomonhan.rules.overrun`)."""
    if state.phase is not Phase.MOVEMENT or state.pending is not None or state.game_over:
        return []
    stacks: dict[Hex, list[Unit]] = {}
    for u in state.units:
        if may_overrun(state, u):
            stacks.setdefault(u.position, []).append(u)
    options = []
    for origin in sorted(stacks):
        for target in visible_enemy_hexes(state):
            if target.distance(origin) != 1 or target in state.attacked_hexes:
                continue
            attackers = [u for u in stacks[origin] if can_enter_across(state, u, target)]
            if attackers and overrun_allowed(state, attackers, enemy_units_at(state, state.active_side, target), target):
                options.append(Attack(tuple(u.id for u in attackers), target, (), True))
    return options


def air_options(state: GameState) -> list[AirMission]:
    if state.phase is not Phase.AIR or state.pending is not None or state.game_over or state.air.points_left <= 0:
        return []
    targets = visible_enemy_hexes(state)
    return [AirMission("superiority")] + [AirMission("support", h) for h in targets] + [AirMission("interdiction", h) for h in targets]


def advance_candidates(state: GameState) -> list[Unit]:
    """Attackers that may still advance into the pending target (stacking respected)."""
    pending = state.pending
    if pending is None or pending.kind != "advance":
        return []
    types = state.scenario.unit_types
    room = state.scenario.rules.stacking_limit - stack_points(state, pending.side).get(pending.target, 0)
    return [state.unit(uid) for uid in pending.units if state.unit(uid).on_map and types[state.unit(uid).type_id].stack_points <= room]
