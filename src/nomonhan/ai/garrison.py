"""Who garrisons the objectives a side holds: which units stay on them, and who is recalled.

A hex is held only while somebody stands in it, and a lone regiment on a fortified height is
levered out by the first attack that makes it retreat (a D1/R1), however strong its positions.
So the units standing on a held objective stay while the threat in front of it needs them, as
the Japanese centre held its heights with what stood on them until the ring closed behind it
(REFERENCE A6 "Encirclement"): the strongest always, then the next strongest while those kept
do not yet meet the enemy's attack strength within :data:`THREAT_HEXES` of the objective
divided by :data:`HELD_ODDS`, the raw odds the garrison denies the attacker before any shift
for its positions.  With no enemy near, only the strongest stays (a weaker unit walking in
never relieves it).  An objective left empty with an enemy within :data:`RECALL_HEXES`
recalls the nearest fighting unit within that distance.  Guns do not garrison.
"""

from __future__ import annotations

from fractions import Fraction

from nomonhan.hexgrid import Hex
from nomonhan.rules.combat import strength
from nomonhan.state import GameState, Unit

THREAT_HEXES = 2
"""Enemy units this close to an objective count towards the threat to it: those that can
attack it this turn or the next."""
HELD_ODDS = 2
"""The raw odds the garrison keeps the attacker below: at 2:1 and above, the table makes the
defender retreat more often than not (docs/rules.md, the combat results table)."""
RECALL_HEXES = 4
"""How far a unit may be from an empty held objective under threat to be recalled to it."""


def _attack(state: GameState, unit: Unit) -> Fraction:
    kind = state.scenario.unit_types[unit.type_id]
    return strength(kind.attack, unit, kind.steps)


def _defence(state: GameState, unit: Unit) -> Fraction:
    kind = state.scenario.unit_types[unit.type_id]
    return strength(kind.defence, unit, kind.steps)


def garrisons(state: GameState, side: str, enemies: list[Unit]) -> dict[str, Hex]:
    """Each unit of ``side`` that garrisons a held objective, with the objective: the unit
    stays there if it stands on it, and heads there if it is recalled."""
    scenario = state.scenario
    types = scenario.unit_types
    order = scenario.unit_order
    own = [u for u in state.units_of(side) if u.on_map]
    held = [h for h, holder in zip(scenario.objective_hexes, state.holders) if holder == side]
    assigned: dict[str, Hex] = {}
    for objective in held:
        standing = [u for u in own if u.hex == objective]
        fighting = [u for u in standing if types[u.type_id].category != "artillery"] or standing
        near = [e for e in enemies if e.position.distance(objective) <= THREAT_HEXES]
        need = sum((_attack(state, e) for e in near), Fraction(0)) / HELD_ODDS
        got = Fraction(0)
        for unit in sorted(fighting, key=lambda u: (-_defence(state, u), order[u.id])):
            if got and got >= need:
                break
            assigned[unit.id] = objective
            got += _defence(state, unit)
    for objective in held:
        if any(u.hex == objective for u in own) or not any(e.position.distance(objective) <= RECALL_HEXES for e in enemies):
            continue
        free = [u for u in own if types[u.type_id].category != "artillery" and u.id not in assigned]
        nearest = min(free, key=lambda u: (u.position.distance(objective), order[u.id]), default=None)
        if nearest is not None and nearest.position.distance(objective) <= RECALL_HEXES:
            assigned[nearest.id] = objective
    return assigned
