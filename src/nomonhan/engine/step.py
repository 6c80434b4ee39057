"""``step``: the only function that changes a game.  One handler per kind of action.

Every handler checks the action against :mod:`eligibility` (the same functions that
``legal_actions`` enumerates from), draws dice only from ``state.rng_state``, and returns the new
state with the events that explain it.  The input state is never mutated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nomonhan import rng
from nomonhan.actions import (
    Action,
    Advance,
    AirMission,
    Attack,
    BuildBridge,
    Cancel,
    Declare,
    DemolishBridge,
    EndPhase,
    HoldPosition,
    IllegalActionError,
    Move,
    Resolve,
    Retreat,
    Support,
)
from nomonhan.corepath import reference_active
from nomonhan.engine.attrition import combat_losses, objective_set, take_steps, update_holders
from nomonhan.engine.eligibility import (
    advance_candidates,
    air_options,
    declare_options,
    overrun_options,
    support_options,
)
from nomonhan.engine.legal import carry_legal, legal_actions
from nomonhan.engine.queries import carry_destinations, carry_reaches, destinations, reach
from nomonhan.engine.turn import end_phase
from nomonhan.engine.view import carry_stacks, enemy_units_at, knowledge, refresh_knowledge, stack_points, truth
from nomonhan.events import (
    AirMissionFlown,
    BombardmentResolved,
    BridgeFoundGone,
    CombatResolved,
    Event,
    MoveInterrupted,
    RetreatInterrupted,
    UnitAdvanced,
    UnitMoved,
    UnitRetreated,
)
from nomonhan.hexgrid import Hex, Hexside, format_hex
from nomonhan.rules.artillery import ammunition_left, disrupt, fire_plan, fire_result
from nomonhan.rules.bridges import attack_bridges, bridge_options, build_or_blow, count_crossings, passable_bridge_keys
from nomonhan.rules.combat import plan_of, resolve
from nomonhan.rules.fast_search import changed_hexes
from nomonhan.rules.retreat import retreat_options, retreat_route
from nomonhan.rules.visibility import carry_sight, visible_enemies
from nomonhan.state import Declaration, GameState, Pending, Phase, Unit, replace


def step(state: GameState, action: Action) -> tuple[GameState, list[Event]]:
    """Apply one action; never mutates ``state``.  Raises IllegalActionError for a bad action."""
    if state.game_over:
        raise IllegalActionError("the game is over")
    if state.pending is not None:
        new_state, events = _answer_pending(state, action)
    else:
        handler = _HANDLERS.get(type(action))
        if handler is None:
            raise IllegalActionError(f"{action!r} is not an action")
        new_state, events = handler(state, action)
    return refresh_knowledge(new_state, state), events


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise IllegalActionError(message)


def _unit(state: GameState, unit_id: str) -> Unit:
    _require(unit_id in state.scenario.unit_order, f"no unit {unit_id!r} in this scenario")
    return state.unit(unit_id)


# ------------------------------------------------------------------ movement phase


def _move(state: GameState, action: Move) -> tuple[GameState, list[Event]]:
    unit = _unit(state, action.unit)
    _require(state.phase is Phase.MOVEMENT, f"units move only in the movement phase, not the {state.phase.value} phase")
    _require(unit.side == state.active_side, f"{unit.id} belongs to {unit.side}; it is {state.active_side}'s turn")
    _require(unit.on_map and unit.move_points > 0, f"{unit.id} cannot move (no move points left or not on the map)")
    _require(not unit.halted, f"{unit.id} entered an enemy zone of control and moves no further this phase")
    _require(action.to in destinations(state, unit.id), f"{unit.id} cannot reach {format_hex(action.to)} this phase")
    planned = reach(state, unit.id)
    path = planned.path_to(action.to)
    board = state.scenario.board
    real, known = truth(state, unit.side), knowledge(state, unit.side)
    stop, revealed = len(path) - 1, []
    gone = _bridge_found_gone(state, unit, path)
    for n, hex_ in enumerate(path[1:], start=1):
        i = board.index[hex_]
        if gone is not None and n == gone[0] + 1:
            stop = gone[0]
            break
        if i in real.occupied:
            stop, revealed = n - 1, [u.id for u in state.units if u.on_map and u.side != unit.side and u.hex == hex_]
            break
        if i in real.zoc and i not in known.zoc:
            stop, revealed = n, _hidden_controllers(state, unit.side, hex_)
            break
    # A move cut short ends next to the hidden enemy, so no friendly unit can stand there (it
    # would have seen that enemy): the stop hex always has room, as the destination did.
    end = path[stop]
    spent = planned.cost[board.index[end]]
    halted = board.index[end] in real.zoc
    moved = replace(
        unit, hex=end, move_points=unit.move_points - spent, moved=True, halted=halted, entrenchment=0, rest_turns=0, exposed=False
    )
    new_state = count_crossings(_held_after_move(state, state.with_unit(moved), unit.position, end), unit, path[: stop + 1])
    if not reference_active():
        new_state.memo["holders settled"] = True
    _carry_over(state, new_state, unit, end)
    events: list[Event] = []
    if stop > 0:
        events.append(UnitMoved(unit.id, tuple(path[: stop + 1]), spent))
    if revealed:
        events.append(MoveInterrupted(unit.id, end, tuple(sorted(revealed))))
    elif gone is not None and stop == gone[0]:
        events.append(BridgeFoundGone(unit.id, end, gone[1].low, gone[1].high))
    return new_state, events


def _bridge_found_gone(state: GameState, unit: Unit, path: list[Hex]) -> tuple[int, Hexside] | None:
    """Where ``unit``'s path, planned on the bridges its side last saw, first crosses one that is
    gone, damaged or full now: the place in the path of the near bank, and the hexside."""
    if not state.known_bridges:
        return None  # the side plans on the true bridges
    planned = passable_bridge_keys(state, unit)
    if not planned:
        return None
    real = passable_bridge_keys(state, unit, known=False)
    if planned <= real:
        return None
    board = state.scenario.board
    for n, (a, b) in enumerate(zip(path, path[1:])):
        hexside = Hexside.between(a, b)
        key = board.edge_keys.get(hexside)
        if key is not None and key in planned and key not in real:
            return n, hexside
    return None


def _held_after_move(before: GameState, after: GameState, start: Hex, end: Hex) -> GameState:
    """``update_holders(after)``; on the fast path, ``after`` itself when the move neither left
    nor entered an objective and ``before``'s holders were already those its units make (a
    state ``update_holders`` gave, marked "holders settled"): no objective's occupants changed."""
    if reference_active() or not before.memo.get("holders settled"):
        return update_holders(after)
    objectives = objective_set(before)
    return after if start not in objectives and end not in objectives else update_holders(after)


def _carry_over(before: GameState, after: GameState, mover: Unit, end: Hex) -> None:
    """Reuse what a friendly move cannot have changed, so a phase of many moves stays cheap.

    The enemy did not move, so the truth about it stands.  If the side still sees the same
    enemy units, its knowledge stands too, and so does every other unit's set of destinations,
    unless the move filled or emptied a stack that unit could have ended in, or used a bridge.
    Tests prove the result equal to computing from scratch.

    On the fast path a move that brings enemy units into sight (or loses them) keeps a unit's
    destinations too when its search never looked at a hex whose enemy or zone of control
    changed (:attr:`Reach.consulted`): the search would find the same hexes at the same costs.
    """
    side = mover.side
    for key in (("truth", side), "bridges", ("interdicted", side)):
        if key in before.memo:
            after.memo[key] = before.memo[key]
    if not reference_active():
        _carry_units_on_map(before, after, mover)
        carry_stacks(before, after, mover, end)
        carry_sight(before, after, mover, end)
    known = before.memo.get(("knowledge", side))
    same_sight = known is not None and visible_enemies(after, side) == visible_enemies(before, side)
    if known is None or (not same_sight and reference_active()):
        return
    if after.bridge_traffic != before.bridge_traffic:
        return  # a bridge filled up: other units' ways across may have closed
    if same_sight:
        after.memo[("knowledge", side)] = known
        if ("search terms", side) in before.memo:  # the fast path's: knowledge, interdiction, borders, leave cost
            after.memo[("search terms", side)] = before.memo[("search terms", side)]
        sighted: frozenset[int] = frozenset()
    else:
        sighted = changed_hexes(known, knowledge(after, side))
    old_stacks, new_stacks = stack_points(before, side), stack_points(after, side)
    limit = before.scenario.rules.stacking_limit
    (left_before, left_after), (entered_before, entered_after) = (
        (old_stacks.get(h, 0), new_stacks.get(h, 0)) for h in (mover.position, end)
    )

    if not reference_active():
        carry_reaches(before, after, mover, sighted)
        # A hex was made full, or no longer full, for a unit whose room (the stacking limit less
        # its stack points) lies between the points there before and after the move.
        changed_rooms = (range(*sorted((left_before, left_after))), range(*sorted((entered_before, entered_after))))
        every = carry_destinations(before, after, mover, changed_rooms, sighted)
        carry_legal(before, after, mover, every, same_sight)
        return
    for unit in before.units:
        key = ("destinations", unit.id)
        if unit.id == mover.id or unit.side != side or key not in before.memo:
            continue
        room = limit - before.scenario.unit_types[unit.type_id].stack_points  # a hex with more points is full for it
        if (
            (left_before > room) == (left_after > room)
            and (entered_before > room) == (entered_after > room)
            and (not sighted or reach(before, unit.id).consulted.isdisjoint(sighted))
        ):
            after.memo[key] = before.memo[key]


def _carry_units_on_map(before: GameState, after: GameState, mover: Unit) -> None:
    """The fast path: each side's units on the map after a move, from those before it (the
    mover's entry replaced; the enemy's the same units)."""
    moved = after.unit(mover.id)
    for side in before.scenario.side_ids:
        kept: tuple[Unit, ...] | None = before.memo.get(("on-map", side))
        if kept is not None:
            after.memo[("on-map", side)] = tuple(moved if u is mover else u for u in kept) if side == mover.side else kept


def _hidden_controllers(state: GameState, side: str, hex_: Hex) -> list[str]:
    visible = {u.id for u in visible_enemies(state, side)}
    board = state.scenario.board
    i = board.index[hex_]
    neighbours = {e.to for e in board.edges[i] if e.key not in board.zoc_blocked}
    return [
        u.id
        for u in state.units
        if u.on_map
        and u.side != side
        and u.id not in visible
        and board.index[u.position] in neighbours
        and state.scenario.unit_types[u.type_id].exerts_zoc
    ]


def _bridge(state: GameState, action: BuildBridge | DemolishBridge) -> tuple[GameState, list[Event]]:
    _require(action in bridge_options(state), f"{action.notation()} is not possible now")
    return build_or_blow(state, action)


# ------------------------------------------------------------------ air and fire


def _air(state: GameState, action: AirMission) -> tuple[GameState, list[Event]]:
    _require(action in air_options(state), f"{action.notation()} is not possible now")
    side = state.active_side
    air = state.air
    if action.kind == "superiority" or action.hex is None:  # air_options offers no other mission without a hex
        air = replace(air, superiority=air.superiority + ((side, 1),))
    elif action.kind == "support":
        air = replace(air, support=air.support + ((side, action.hex),), flown=air.flown + ((action.kind, action.hex),))
    else:
        air = replace(air, interdiction=air.interdiction + ((side, action.hex),), flown=air.flown + ((action.kind, action.hex),))
    air = replace(air, points_left=air.points_left - 1)
    return replace(state, air=air), [AirMissionFlown(side, action.kind, action.hex)]


# ------------------------------------------------------------------ declaring attacks and fire


def _declare(state: GameState, action: Declare | Support) -> tuple[GameState, list[Event]]:
    """Add one attacker or gun to the declaration (each checked as it joins, so a declaration
    is always one the rules allow; nothing else can happen before it is resolved)."""
    options = declare_options(state) if isinstance(action, Declare) else support_options(state)
    _require(action in options, f"{action.notation()} is not possible now")
    declaration = state.declaration or Declaration(action.target)
    if isinstance(action, Declare):
        declaration = replace(declaration, units=declaration.units + (action.unit,))
    else:
        declaration = replace(declaration, guns=declaration.guns + (action.unit,))
    return replace(state, declaration=declaration), []


def _resolve(state: GameState, action: Resolve) -> tuple[GameState, list[Event]]:
    declaration = state.declaration
    _require(declaration is not None, "there is no attack or bombardment declared to resolve")
    assert declaration is not None
    state = replace(state, declaration=None)
    if state.phase is Phase.BOMBARDMENT:
        return _fire(state, declaration)
    return _fight(state, Attack(declaration.units, declaration.target, declaration.guns))


def _cancel(state: GameState, action: Cancel) -> tuple[GameState, list[Event]]:
    declaration = state.declaration
    _require(declaration is not None, "there is no attack or bombardment declared to cancel")
    assert declaration is not None
    return replace(state, declaration=None, withdrawn=state.withdrawn | {declaration.target}), []


def _fire(state: GameState, declaration: Declaration) -> tuple[GameState, list[Event]]:
    """A bombardment as declared: the guns' strength against the target's cover, one die."""
    guns = [state.unit(uid) for uid in declaration.guns]
    target = declaration.target
    defenders = enemy_units_at(state, state.active_side, target)
    plan = fire_plan(state, guns, defenders, target)
    die, seed = rng.roll(state.rng_state, state.scenario.rules.bombardment.die_sides)
    result = fire_result(state, plan, die)
    state = replace(
        state.with_units([replace(g, fired=True, attacked=True) for g in guns]),
        rng_state=seed,
        supply_left=ammunition_left(state, declaration.guns),
    )
    lost_events: list[Event] = []
    if result and result.defender_steps:
        state, lost_events = take_steps(state, [d.id for d in defenders], result.defender_steps, "bombardment", "bombarded")
    if result and result.disrupts:
        state, disrupted = disrupt(state, [d.id for d in defenders])
        lost_events += disrupted
    event = BombardmentResolved(declaration.guns, target, die, result.text if result else "-", result.defender_steps if result else 0)
    state, bridge_events = attack_bridges(state, target, "guns")
    return state, [event, *lost_events, *bridge_events]


# ------------------------------------------------------------------ combat


def _overrun(state: GameState, action: Attack) -> tuple[GameState, list[Event]]:
    _require(
        action.overrun,
        f"{action.notation()}: attacks are declared unit by unit (declare UNIT HEX, support GUN HEX, then resolve); "
        "only an overrun is one action",
    )
    _require(action in overrun_options(state), f"{action.notation()}: no such overrun is possible now")
    return _fight(state, action)


def _fight(state: GameState, action: Attack) -> tuple[GameState, list[Event]]:
    """One attack, checked already (an overrun's option, or a declaration unit by unit)."""
    attackers = [state.unit(uid) for uid in action.units]
    defenders = enemy_units_at(state, state.active_side, action.target)
    plan = plan_of(state, action)
    die, seed = rng.roll(state.rng_state, state.scenario.rules.crt.die_sides)
    result = resolve(state.scenario.rules.crt, plan.column, die)
    overrun_cost = state.scenario.rules.overrun.move_point_cost if action.overrun else 0
    types = state.scenario.unit_types
    # A gun that attacks from next door has used its fire for the turn, as one that supports has.
    marked = [
        replace(u, attacked=True, fired=u.fired or types[u.type_id].bombard > 0, move_points=max(0, u.move_points - overrun_cost))
        for u in attackers
    ]
    marked += [replace(state.unit(uid), fired=True, attacked=True) for uid in action.artillery]
    state = replace(
        state.with_units(marked),
        rng_state=seed,
        attacked_hexes=state.attacked_hexes | {action.target},
        supply_left=ammunition_left(state, action.artillery),
    )
    events: list[Event] = [
        CombatResolved(
            action.units,
            action.target,
            plan.column_label,
            plan.total_shift,
            die,
            result.text,
            result.attacker_steps,
            result.defender_steps,
            action.overrun,
        )
    ]
    state, lost = combat_losses(state, attackers, defenders, action.target, result.attacker_steps, result.defender_steps)
    events += lost
    survivors = tuple(d.id for d in defenders if state.unit(d.id).on_map)
    if result.retreat and survivors:
        pending = Pending("retreat", defenders[0].side, survivors, action.target, result.retreat, action.units, action.overrun)
        return _next_retreat(replace(state, pending=pending), events, action)
    return _offer_advance(state, events, action)


def _next_retreat(state: GameState, events: list[Event], attack: Attack) -> tuple[GameState, list[Event]]:
    """Work through the retreat queue: units with no way out lose their steps at once."""
    pending = state.pending
    while pending is not None and pending.units:
        unit = state.unit(pending.units[0])
        hexes, shortfall = retreat_options(state, unit, pending.distance)
        if hexes:
            return state, events
        state, lost = take_steps(state, [unit.id], shortfall, "could not retreat", "cut_off")
        events += lost
        pending = replace(pending, units=pending.units[1:])
        state = replace(state, pending=pending if pending.units else None)
    return _offer_advance(replace(state, pending=None), events, attack)


def _offer_advance(state: GameState, events: list[Event], attack: Attack) -> tuple[GameState, list[Event]]:
    if attack.overrun:
        return _free_overrunners(state, attack), events
    if any(u.hex == attack.target for u in state.units if u.on_map):
        return state, events
    survivors = tuple(uid for uid in attack.units if state.unit(uid).on_map)
    if not survivors:
        return state, events
    state = replace(state, pending=Pending("advance", state.active_side, survivors, attack.target))
    return state, events


def _free_overrunners(state: GameState, attack: Attack) -> GameState:
    """After an overrun the attackers may move on with the points they have left, unless an
    enemy zone of control still holds them (the overrun defender's, if it stood its ground)."""
    zoc = truth(state, state.active_side).zoc
    board = state.scenario.board
    survivors = [state.unit(uid) for uid in attack.units if state.unit(uid).on_map]
    return state.with_units([replace(u, halted=board.index[u.position] in zoc) for u in survivors])


def _answer_pending(state: GameState, action: Action) -> tuple[GameState, list[Event]]:
    pending = state.pending
    assert pending is not None
    _require(action in legal_actions(state), f"{_notation(action)} does not answer the pending {pending.kind} decision")
    if isinstance(action, Retreat):
        unit = state.unit(action.unit)
        route = retreat_route(state, unit, pending.distance, action.to)
        state = update_holders(state.with_unit(replace(unit, hex=route.end, entrenchment=0, rest_turns=0, exposed=False)))
        events: list[Event] = [UnitRetreated(unit.id, route.end, route.shortfall)]
        if route.revealed:
            events.append(RetreatInterrupted(unit.id, route.end, route.revealed))
        if route.shortfall:
            state, lost = take_steps(state, [unit.id], route.shortfall, "retreat cut short", "cut_off")
            events += lost
        remaining = replace(pending, units=pending.units[1:])
        state = replace(state, pending=remaining if remaining.units else None)
        if remaining.units:
            return _next_retreat(state, events, _attack_of(remaining))
        return _offer_advance(state, events, _attack_of(remaining))
    if isinstance(action, Advance):
        unit = state.unit(action.unit)
        state = update_holders(state.with_unit(replace(unit, hex=pending.target, entrenchment=0, rest_turns=0, moved=True, exposed=False)))
        remaining = replace(pending, units=tuple(u for u in pending.units if u != unit.id))
        state = replace(state, pending=remaining)
        if not advance_candidates(state):
            state = replace(state, pending=None)
        return state, [UnitAdvanced(unit.id, pending.target)]
    return replace(state, pending=None), []  # HoldPosition


def _attack_of(pending: Pending) -> Attack:
    """The attack a retreat decision answers, so that the attackers may advance afterwards."""
    return Attack(pending.attackers, pending.target, (), pending.overrun)


def _notation(action: Action) -> str:
    return action.notation() if hasattr(action, "notation") else repr(action)


def _end(state: GameState, action: EndPhase) -> tuple[GameState, list[Event]]:
    _require(state.declaration is None, "resolve or cancel the attack or bombardment being declared before ending the phase")
    return end_phase(replace(state, withdrawn=frozenset()))


def _not_now(state: GameState, action: Action) -> tuple[GameState, list[Event]]:
    raise IllegalActionError(f"{_notation(action)}: there is no pending decision to answer")


_HANDLERS: dict[type, Callable[[GameState, Any], tuple[GameState, list[Event]]]] = {
    Move: _move,
    EndPhase: _end,
    AirMission: _air,
    Declare: _declare,
    Support: _declare,
    Resolve: _resolve,
    Cancel: _cancel,
    Attack: _overrun,
    BuildBridge: _bridge,
    DemolishBridge: _bridge,
    Retreat: _not_now,
    Advance: _not_now,
    HoldPosition: _not_now,
}
