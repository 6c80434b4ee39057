"""Who may do what now: one source of truth for both ``legal_actions`` and ``step``.

``legal_actions`` enumerates from these functions; ``step`` checks an action against them, so
the two can never disagree about what is legal.
"""

from __future__ import annotations

from collections.abc import Callable

from nomonhan.actions import AirMission, Attack, Declare, Support
from nomonhan.corepath import reference_active
from nomonhan.engine import dated
from nomonhan.engine.view import enemy_units_at, stack_points
from nomonhan.hexgrid import Hex
from nomonhan.rules.artillery import ammunition_left, fire_cost, observed_hexes
from nomonhan.rules.movement import closed_borders, working_bridge_keys
from nomonhan.rules.overrun import may_overrun, overrun_allowed
from nomonhan.rules.supply import may_attack
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
    if reference_active():
        return sorted({u.position for u in visible_enemies(state, state.active_side)})
    found: list[Hex] | None = state.memo.get("enemy-hexes")
    if found is None:
        found = state.memo["enemy-hexes"] = sorted({u.position for u in visible_enemies(state, state.active_side)})
    return found


def near_enemy_in_sight(state: GameState) -> frozenset[Hex]:
    """The fast path's memo of the hexes next to an enemy the active side sees (the only hexes
    an overrun can start from)."""
    found: frozenset[Hex] | None = state.memo.get("enemy-near")
    if found is None:
        cache = state.scenario.board.search_cache
        near: set[Hex] = set()
        for target in visible_enemy_hexes(state):
            around = cache.get(("neighbours", target))
            if around is None:
                around = cache[("neighbours", target)] = frozenset(target.neighbours())
            near |= around
        found = state.memo["enemy-near"] = frozenset(near)
    return found


def can_enter_across(state: GameState, unit: Unit, target: Hex) -> bool:
    """Whether ``unit`` could step from its hex into ``target`` (terrain, river, bridges)."""
    board = state.scenario.board
    i = board.index.get(unit.position)
    j = board.index.get(target)
    if i is None or j is None:
        return False
    cls = state.scenario.unit_types[unit.type_id].movement_class
    bridges = working_bridge_keys(state)
    forbidden = closed_borders(state.scenario, unit.side, state.clock)
    for edge in board.edges[i]:
        if edge.to == j:
            return edge.key not in forbidden and (edge.bridged_cost if edge.key in bridges else edge.cost)[cls] is not None
    return False


def eligible_attackers(state: GameState, target: Hex) -> list[Unit]:
    """Active-side units that may attack ``target`` in the combat phase, in scenario order."""
    types = state.scenario.unit_types
    if not reference_active():
        ready = _ready(state, "ready-attackers", lambda u: not u.attacked and types[u.type_id].attack > 0 and _may_attack(state, u))
        return [u for u in ready if u.position.distance(target) == 1 and can_enter_across(state, u, target)]
    return [
        u
        for u in state.units
        if u.side == state.active_side
        and u.on_map
        and not u.attacked
        and types[u.type_id].attack > 0
        and _may_attack(state, u)
        and u.position.distance(target) == 1
        and can_enter_across(state, u, target)
    ]


def _may_attack(state: GameState, unit: Unit) -> bool:
    """The supply rules let ``unit`` attack, and if it is a gun no hold-fire rule silences it:
    an attack on an adjacent hex is one of the ways a gun fires (docs/rules.md, Artillery)."""
    return may_attack(state, unit) and not (state.scenario.unit_types[unit.type_id].bombard > 0 and dated.holds_fire(state, unit))


def eligible_artillery(state: GameState, target: Hex) -> list[Unit]:
    """Guns of the active side that could fire at ``target`` now: in range, and only at a hex a
    friendly unit observes (how many of them supply can pay for is :func:`affordable`'s concern:
    the player chooses which)."""
    if target not in observed_hexes(state, state.active_side):
        return []
    types = state.scenario.unit_types
    if not reference_active():
        ready = _ready(
            state,
            "ready-guns",
            lambda u: not u.fired and u.out_of_supply == 0 and types[u.type_id].bombard > 0 and not dated.holds_fire(state, u),
        )
        return [u for u in ready if u.position.distance(target) <= types[u.type_id].artillery_range]
    guns = [
        u
        for u in state.units
        if u.side == state.active_side
        and u.on_map
        and not u.fired
        and u.out_of_supply == 0
        and types[u.type_id].bombard > 0
        and not dated.holds_fire(state, u)
        and u.position.distance(target) <= types[u.type_id].artillery_range
    ]
    return guns


def _ready(state: GameState, key: str, ready: Callable[[Unit], bool]) -> list[Unit]:
    """The fast path's memo of the active side's units on the map that pass ``ready`` (the
    tests that do not depend on the target), asked once a state instead of once per target."""
    found: list[Unit] | None = state.memo.get(key)
    if found is None:
        found = state.memo[key] = [u for u in state.units_on_map(state.active_side) if ready(u)]
    return found


def affordable(state: GameState, gun: Unit, declared: tuple[str, ...] = ()) -> bool:
    """Whether the active side's supply left this turn pays for ``gun`` to fire as well as the
    guns already ``declared`` (the cost is by the gun's weight)."""
    left = ammunition_left(state, declared)
    return left is None or fire_cost(state, gun) <= left


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
    declared = declaration.guns if declaration else ()
    return [
        Support(u.id, target)
        for target in targets
        for u in eligible_artillery(state, target)
        if u.id not in joined and affordable(state, u, declared)
    ]


def attack_targets(state: GameState) -> list[Hex]:
    """Enemy hexes in sight that a unit of the active side may attack now (on the fast path
    memoised on the state: the phase's start asks it, then its first legal actions)."""
    if state.phase is not Phase.COMBAT or state.pending is not None or state.game_over:
        return []
    if not reference_active():
        return _targets(state, "attack-targets", _attack_targets)
    return _attack_targets(state)


def _attack_targets(state: GameState) -> list[Hex]:
    closed = state.attacked_hexes | state.withdrawn
    return [h for h in visible_enemy_hexes(state) if h not in closed and eligible_attackers(state, h)]


def bombard_targets(state: GameState) -> list[Hex]:
    """Enemy hexes in sight that a gun the side can pay for may fire at (memoised on the state
    on the fast path, as :func:`attack_targets` is)."""
    if state.phase is not Phase.BOMBARDMENT or state.pending is not None or state.game_over:
        return []
    if not reference_active():
        return _targets(state, "bombard-targets", _bombard_targets)
    return _bombard_targets(state)


def _bombard_targets(state: GameState) -> list[Hex]:
    return [
        h
        for h in visible_enemy_hexes(state)
        if h not in state.withdrawn and any(affordable(state, g) for g in eligible_artillery(state, h))
    ]


def _targets(state: GameState, key: str, targets: Callable[[GameState], list[Hex]]) -> list[Hex]:
    """``targets(state)``, memoised on the state under ``key`` (the fast path's)."""
    found: list[Hex] | None = state.memo.get(key)
    if found is None:
        found = state.memo[key] = targets(state)
    return found


def overrun_options(state: GameState) -> list[Attack]:
    """Stacks that may overrun an adjacent enemy now (the rule: :mod:`nomonhan.rules.overrun`)."""
    if state.phase is not Phase.MOVEMENT or state.pending is not None or state.game_over:
        return []
    stacks: dict[Hex, list[Unit]] = {}
    if reference_active():
        for u in state.units:
            if may_overrun(state, u):
                stacks.setdefault(u.position, []).append(u)
    else:  # only a stack next to an enemy in sight can overrun: look at no other
        near = near_enemy_in_sight(state)
        for u in state.units_on_map(state.active_side):
            if u.hex in near and may_overrun(state, u):
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
