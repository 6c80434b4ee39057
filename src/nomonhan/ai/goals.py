"""Where each unit of a computer side should be heading, from the scenario's AI hints.

The hints are the historical plan: objectives to take or hold by a turn, and axes of advance
(hex paths) with the formations assigned to them.  Where the hints are absent or partial, the
side's own plan (:mod:`nomonhan.ai.plan`) fills the gaps: its posture, the order in which it
wants the objectives, and which objective each unit heads for.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from nomonhan.ai.garrison import THREAT_HEXES, garrisons
from nomonhan.ai.plan import Plan
from nomonhan.hexgrid import Hex
from nomonhan.rules.combat import strength
from nomonhan.rules.supply import supplied_hexes
from nomonhan.scenario.compiled import AiAxis, AiHints
from nomonhan.state import GameState, Unit

DUE_HOURS = 48
"""How long before a hinted objective's deadline the side starts paying for it in attacks:
two days, the time an attack on a prepared position took to set up and deliver (design)."""


def hints_for(state: GameState, side: str) -> AiHints:
    return state.scenario.ai_hints.get(side, AiHints())


def needs_plan(state: GameState, side: str) -> bool:
    """Whether the side's hints leave out its posture, or both its objectives and its axes."""
    hints = state.scenario.ai_hints.get(side)
    return hints is None or not hints.posture_given or not (hints.objectives or hints.axes)


def plans_own_moves(state: GameState, side: str) -> bool:
    """Whether the side's units head where its own plan sends them: its hints give neither
    objectives nor axes."""
    hints = hints_for(state, side)
    return not (hints.objectives or hints.axes)


def posture(state: GameState, side: str, plan: Plan | None = None) -> str:
    """The hinted posture if the author gave one, else the plan's."""
    hints = state.scenario.ai_hints.get(side)
    if plan is not None and (hints is None or not hints.posture_given):
        return plan.posture
    return hints_for(state, side).posture


def open_objectives(state: GameState, side: str, plan: Plan | None = None) -> list[Hex]:
    """Objective hexes the side still wants: hinted 'take' goals not held, then the others not
    held (in the plan's order of weight when there is a plan)."""
    hints = hints_for(state, side)
    held = {hex_: holder for hex_, holder in zip(state.scenario.objective_hexes, state.holders)}
    wanted = [o.hex for o in sorted(hints.objectives, key=lambda o: o.by_turn) if o.goal == "take"]
    wanted += [h for h in (plan.targets if plan is not None else ()) if h not in wanted]
    wanted += [h for h in state.scenario.objective_hexes if h not in wanted]
    return [h for h in wanted if held.get(h) != side]


def overdue_objectives(state: GameState, side: str, late_turns: int = 0) -> set[Hex]:
    """Hinted objectives the side should have taken ``late_turns`` turns ago or more and does
    not hold: worth paying for."""
    held = dict(zip(state.scenario.objective_hexes, state.holders))
    return {
        o.hex
        for o in hints_for(state, side).objectives
        if o.goal == "take" and state.turn >= o.by_turn + late_turns and held.get(o.hex) != side
    }


def long_overdue(state: GameState, side: str) -> set[Hex]:
    """Hinted objectives to take that the side should have held :data:`DUE_HOURS` ago or more
    and does not hold: the storm of its first days has failed, and the side brings up all it
    has to the ground beside it for the next.  At Lake Khasan the 40th Division's piecemeal
    attacks of 1-3 August failed, and the general assault of 6 August went in with the whole
    corps brought up, the 32nd Division and the 2nd Mechanized Brigade with it (REFERENCE B1,
    B2: G11, PRU, MOK)."""
    return overdue_objectives(state, side, late_turns=state.scenario.turns_spanning(DUE_HOURS))


def not_yet_due(state: GameState, side: str) -> set[Hex]:
    """Hinted objectives to take whose deadline is more than :data:`DUE_HOURS` away: the plan
    takes them later, once the objectives due before them are in, so an attack on one is
    worth its exchange of steps but not yet the objective's points.  Zhukov's centre held the
    Japanese in front while the pincers closed, and stormed Remizov height only then
    (REFERENCE A1); a player that pays for every objective from the first turn storms the
    fortified centre before its flanks are in."""
    turns = state.scenario.turns_spanning(DUE_HOURS)
    return {o.hex for o in hints_for(state, side).objectives if o.goal == "take" and state.turn < o.by_turn - turns}


def fixed_objectives(state: GameState, side: str) -> set[Hex]:
    """Objectives not yet due (:func:`not_yet_due`) while an objective the plan takes before
    them is still to take: the side holds their garrisons in front and does not attack them.
    An attack on one then spends steps the side needs for the objectives due first, on a
    garrison whose flanks are still open; once those are in, or it falls due, the side
    storms it.  Zhukov's centre held the Japanese on Remizov height while the pincers closed
    round Fui and Nomonhan, and stormed it only after they met (REFERENCE A1)."""
    later = not_yet_due(state, side)
    if not later:
        return set()
    held = dict(zip(state.scenario.objective_hexes, state.holders))
    takes = [o for o in hints_for(state, side).objectives if o.goal == "take"]
    return {
        o.hex
        for o in takes
        if o.hex in later and any(first.by_turn < o.by_turn and first.hex != o.hex and held.get(first.hex) != side for first in takes)
    }


def held_objectives(state: GameState, side: str) -> list[Hex]:
    hinted = [o.hex for o in hints_for(state, side).objectives if o.goal == "hold"]
    held = [h for h, holder in zip(state.scenario.objective_hexes, state.holders) if holder == side]
    return list(dict.fromkeys(hinted + held))


def axis_done(state: GameState, axis: AiAxis, side: str) -> bool:
    """Whether an axis has done its work: it runs through objectives the side's hints give it to
    take, and the side holds them all.  An axis through none (a direction, or ground to hold)
    is never done."""
    held = dict(zip(state.scenario.objective_hexes, state.holders))
    takes = {o.hex for o in hints_for(state, side).objectives if o.goal == "take"}
    on_it = [h for h in axis.path if h in takes]
    return bool(on_it) and all(held.get(h) == side for h in on_it)


def axis_goal(state: GameState, unit: Unit, enemies: Sequence[Unit] = (), lookahead: int = 4) -> Hex | None:
    """The hex ``lookahead`` hexes further along the unit's formation's axis, if it has one.

    The goal never passes an objective on the axis that the side does not hold, and turns back
    for one just lost: the axis runs through it because the plan means to take it, not to
    bypass it (Kobayashi's group was to take Bain Tsagan and only then roll south).

    Once the axis is done (:func:`axis_done`), its units go for the nearest of ``enemies`` cut
    off from supply, if they see one: the pocket the axis closed.  The Soviet pincers, having
    met at Nomonhan, turned inwards and destroyed the encircled Japanese by assault, 27-31
    August 1939 (REFERENCE A1), rather than stand at the ring; a cut-off enemy is weakened
    and gives the attacker a column (docs/rules.md, Out of supply).
    """
    formation = state.scenario.units[state.scenario.unit_order[unit.id]].formation
    if not formation:
        return None
    here = unit.hex
    assert here is not None
    for axis in hints_for(state, unit.side).axes:
        if formation in axis.formations and state.turn >= axis.from_turn:
            pocket = [e.position for e in enemies if e.out_of_supply > 0] if axis_done(state, axis, unit.side) else []
            if pocket:
                return min(pocket, key=lambda h: (h.distance(here), h))
            path = axis.path
            nearest = min(range(len(path)), key=lambda i: (path[i].distance(here), i))
            wanted = set(open_objectives(state, unit.side))
            near = [h for h in path[max(nearest - lookahead, 0) : nearest + lookahead + 1] if h in wanted]
            if near:
                return min(near, key=lambda h: (h.distance(here), h))
            return path[min(nearest + lookahead, len(path) - 1)]
    return None


def supply_hexes(state: GameState, side: str) -> list[Hex]:
    return [s.hex for s in state.scenario.supply.sources if s.side == side]


def nearest_supply_source(state: GameState, unit: Unit) -> Hex | None:
    here = unit.hex
    assert here is not None
    sources = supply_hexes(state, unit.side)
    return min(sources, key=lambda h: (h.distance(here), h)) if sources else None


def nearest_supplied_hex(state: GameState, unit: Unit) -> Hex | None:
    """The nearest hex the unit's side can trace supply to, else its nearest supply source."""
    here = unit.hex
    assert here is not None
    traced = supplied_hexes(state, unit.side)
    if traced:
        return min(traced, key=lambda h: (h.distance(here), h))
    return nearest_supply_source(state, unit)


def lost_beyond_reach(state: GameState, unit: Unit, objective: Hex, enemies: Sequence[Unit], plan: Plan | None = None) -> bool:
    """Whether ``unit``, of a side not on the attack (its posture), should give up closing on
    ``objective`` for now: the enemy holds it, and the defence of the enemy in sight on it
    outweighs the attack of the unit and of every unit of its side within
    :data:`~nomonhan.ai.garrison.THREAT_HEXES` of it (raw odds below 1:1: an attack by them
    trades steps at best and seldom levers the hex out).

    A defender's beaten battalions do not linger under the crest they have lost, where the
    victor's fresh battalions fall on them at 3:2 to 4:1 (traced at Lake Khasan: docs/calibration.md,
    change 18); they fall back to regroup until the side can bring up enough to try again
    (design: no source describes the Japanese battalions after the crest fell).  A side on
    the attack still closes on what it must take (:func:`long_overdue`)."""
    side = unit.side
    if posture(state, side, plan) == "attack":
        return False
    holder = dict(zip(state.scenario.objective_hexes, state.holders)).get(objective)
    if holder is None or holder == side:
        return False
    types = state.scenario.unit_types
    theirs = sum((strength(types[e.type_id].defence, e, types[e.type_id].steps) for e in enemies if e.position == objective), Fraction(0))
    near = [u for u in state.units_of(side) if u.on_map and (u.id == unit.id or u.position.distance(objective) <= THREAT_HEXES)]
    ours = sum((strength(types[u.type_id].attack, u, types[u.type_id].steps) for u in near), Fraction(0))
    return theirs > ours


def goal_for(state: GameState, unit: Unit, enemies: list[Unit], plan: Plan | None = None) -> Hex | None:
    """The unit's destination this turn, or None to stay where it is.  A unit whose way leads
    to an objective lost beyond its reach (:func:`lost_beyond_reach`) falls back on its nearest
    supply source instead."""
    goal = _goal_for(state, unit, enemies, plan)
    if goal is not None and lost_beyond_reach(state, unit, goal, enemies, plan):
        back = nearest_supply_source(state, unit)
        return None if back == unit.hex else back
    return goal


def _goal_for(state: GameState, unit: Unit, enemies: list[Unit], plan: Plan | None = None) -> Hex | None:
    side = unit.side
    here = unit.hex
    assert here is not None
    # The garrison of a held objective holds it even cut off, as the 23rd Division's did
    # (REFERENCE A6): walking out of its positions towards supply gives them up for nothing.
    post = garrisons(state, side, enemies).get(unit.id)
    if post is not None:
        return None if post == here else post
    if unit.out_of_supply >= 1:
        back = nearest_supplied_hex(state, unit)
        if back is not None:
            return back
    along_axis = axis_goal(state, unit, enemies)
    if along_axis is not None:
        return along_axis
    if plan is not None and plans_own_moves(state, side) and unit.id in plan.assignment:
        assigned = plan.assignment[unit.id]
        if unit.id in plan.reserves and here.distance(assigned) <= 1:
            return None
        return assigned
    targets = open_objectives(state, side, plan)
    stance = posture(state, side, plan)
    if stance == "defend":
        guard = held_objectives(state, side)
        if guard:
            nearest = min(guard, key=lambda h: (h.distance(here), h))
            if here.distance(nearest) > 1:
                return nearest
            return None
    if targets:
        return min(targets, key=lambda h: (h.distance(here), h))
    if stance == "attack" and enemies:
        return min((e.position for e in enemies), key=lambda h: (h.distance(here), h))
    return None
