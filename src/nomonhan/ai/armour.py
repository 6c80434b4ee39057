"""How a computer side handles its tanks: with infantry beside them, or out of reach.

Under the armour rules (:mod:`nomonhan.rules.armour`) tanks that fight with no infantry beside
them lose tanks to close assault and anti-tank guns whatever the table says.  A tank unit that
ends its move alone next to an enemy stack stronger than it is therefore destroyed in the
enemy's counter-attack, often both steps in one fight: so went the Japanese tank regiments at
the Bain Tsagan bridgehead under the first heuristic, where Yasuoka's detachment in fact
attacked on 2-3 July, lost about half of its tanks and was withdrawn on 5 July.

So, before its armour ends a move near the enemy, a computer side forecasts the enemy's
counter-attack on that hex: the fighting units it knows of within :data:`REACH` of it (in
sight, or remembered where they were last seen) coming up next to it and attacking the stack
the unit would make there, without guns or aircraft, by the rules' own odds and loss functions
(:func:`nomonhan.rules.combat.plan_attack`, :func:`nomonhan.engine.attrition.combat_losses`),
as the engine's forecast does.  The heuristic weighs the steps the unit would expect to lose
against the hex, as a share of the armour its side has left (:func:`armour_steps`): tanks go
in with the infantry, whose stack takes the blow and keeps the close assault off them, or keep
back, the more so the fewer the side has.  Nothing here knows a scenario.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from fractions import Fraction

from nomonhan.engine.attrition import combat_losses
from nomonhan.engine.forecast import by_face
from nomonhan.hexgrid import Hex
from nomonhan.rules.armour import has_ability, knockouts
from nomonhan.rules.combat import plan_attack, resolve
from nomonhan.state import GameState, Unit, UnitStatus

REACH = 3
"""Hexes from which the enemy the side knows of comes to counter-attack a hex in its next turn:
the stacks near it, which a night march at Bain Tsagan brought up unseen (its motorised units
and tanks can go further, but seldom all of them to one hex)."""


def armour_steps(state: GameState, side: str) -> int:
    """The steps of the side's units with the ``armour`` ability not yet destroyed: on the map,
    or still to come."""
    return sum(
        u.steps
        for u in state.units
        if u.side == side and u.status is not UnitStatus.ELIMINATED and has_ability(state.scenario, u, "armour")
    )


def counter_attack_loss(state: GameState, unit: Unit, hex_: Hex, enemies: Iterable[Unit]) -> Fraction:
    """The steps ``unit`` (armour) would expect to lose if it stood in ``hex_`` and the
    fighting units among ``enemies`` (those the side knows of) within :data:`REACH` of it came
    up next to it and attacked it there; all its steps if a known enemy stands in the hex (the
    move would run into it); 0 for a unit without the ``armour`` ability or with no known enemy
    within reach (or no hex beside ``hex_`` to attack it from)."""
    if not has_ability(state.scenario, unit, "armour"):
        return Fraction(0)
    types = state.scenario.unit_types
    near = [e for e in enemies if e.on_map and e.position.distance(hex_) <= REACH and types[e.type_id].artillery_range == 0]
    if any(e.position == hex_ for e in near):
        return Fraction(unit.steps)
    board = closed_in(state, hex_, near, replace(unit, hex=hex_)) if near else None
    if board is None:
        return Fraction(0)
    attackers = [board.unit(e.id) for e in near]
    defenders = [u for u in board.units if u.on_map and u.side == unit.side and u.hex == hex_]
    plan = plan_attack(board, attackers, defenders, hex_, 0, 0, False)
    table = state.scenario.rules.crt
    per_step = state.scenario.unit_types[unit.type_id].per_step.tanks
    hunted = (unit.damaged_tanks + knockouts(state.scenario, attackers, defenders, hex_).get(unit.id, 0)) // per_step if per_step else 0
    chances: dict[int, Fraction] = {}  # the defenders' losses depend on their steps lost alone
    for result, chance in by_face(table.die_sides, lambda die: resolve(table, plan.column, die)).items():
        chances[result.defender_steps] = chances.get(result.defender_steps, Fraction(0)) + chance
    expected = Fraction(0)
    for steps, chance in chances.items():
        if steps:
            after, _ = combat_losses(board, attackers, defenders, hex_, 0, steps)
            expected += chance * (unit.steps - after.unit(unit.id).steps)
        else:  # no step off the table: only the tanks hunted down (the engine's count, cheaply)
            expected += chance * min(hunted, unit.steps)
    return expected


def closed_in(state: GameState, hex_: Hex, enemies: list[Unit], moved: Unit | None = None) -> GameState | None:
    """``state`` with each of ``enemies`` (of one side) come up next to ``hex_``, on the hex beside
    it nearest where it stands, and ``moved`` (if given) where it says, the enemies' side to act:
    the board of their attack on ``hex_``, for its odds.  None: no hex beside ``hex_`` to attack
    it from."""
    around = [h for h in (hex_.neighbour(d) for d in range(6)) if h in state.scenario.board]
    if not around:
        return None
    placed = {e.id: replace(e, hex=min(around, key=lambda h: (h.distance(e.position), h.q, h.r))) for e in enemies}
    if moved is not None:
        placed[moved.id] = moved
    return replace(state, units=tuple(placed.get(u.id, u) for u in state.units), active_side=enemies[0].side)
