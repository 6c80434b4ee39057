"""A side's plan derived from the scenario itself, for when its ``ai_hints`` say nothing.

An author should not have to program the computer to get a sensible opponent.  Without hints,
the heuristic reads the plan off the battlefield as it knows it (its own units, the enemy it
sees or remembers, the objectives, the clock):

- **objectives** are weighed by what holding them is worth at the end (their points, plus their
  points per turn for the turns left), discounted by how far the side's nearest fighting unit is
  from them measured against the turns left;
- a **posture** for the side from the balance of points and of strength: behind (or level) and
  not much weaker, it attacks; ahead and not much stronger, it defends; otherwise it is balanced;
- an **assignment** of every fighting unit to one objective, made greedily in order of the
  objectives' weight, each taking the nearest units until its *need* (half as much again as the
  enemy strength known near it) is met, so that attacks go in concentrated, one objective at a
  time, rather than spread thinly over all of them;
- **reserves**: held objectives under threat keep the nearest units back until their own need is
  met, before anything is sent forward; with posture ``defend`` every unit not needed elsewhere
  guards.

The plan is a pure function of the state it is given, and the heuristic derives it afresh each
of its turns and whenever an objective changes hands, so it re-plans as the battle moves.  A
unit's path to its objective is left to the heuristic's move scoring, which already keeps it
inside the supply trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from nomonhan.hexgrid import Hex
from nomonhan.state import GameState, Unit

NEAR = 3
"""Hexes round an objective within which strength counts towards taking or holding it."""
MARGIN = Fraction(3, 2)
"""How much more strength than the enemy's an objective needs before more units go elsewhere."""


@dataclass(frozen=True)
class Plan:
    posture: str
    targets: tuple[Hex, ...]
    """Objectives the side does not hold, the weightiest first."""
    assignment: dict[str, Hex]
    """Each fighting unit's objective: one to take, or one held that it guards (a reserve)."""
    reserves: frozenset[str]


def strength(state: GameState, unit: Unit) -> Fraction:
    """A unit's fighting worth: its type's attack and defence, scaled by the steps it has left."""
    kind = state.scenario.unit_types[unit.type_id]
    return Fraction((kind.attack + kind.defence) * unit.steps, 2 * kind.steps)


def objective_values(state: GameState) -> dict[Hex, int]:
    """What holding each objective hex is worth from now on: its points at the end, and its
    points per turn for the turns left (two objectives on one hex add up)."""
    turns_left = state.scenario.period.last_turn - state.turn + 1
    values: dict[Hex, int] = {}
    for objective in state.scenario.objectives:
        values[objective.hex] = values.get(objective.hex, 0) + objective.points + objective.points_per_turn * turns_left
    return values


def derive_plan(state: GameState, side: str) -> Plan:
    """The side's plan in ``state``: a state the side may know (its own units and the enemy it
    sees or imagines; never the true state of a side that cannot see it)."""
    enemy = state.scenario.enemy_of(side)
    own = [u for u in state.units_of(side) if u.on_map]
    fighters = [u for u in own if state.scenario.unit_types[u.type_id].category != "artillery"]
    foes = [u for u in state.units_of(enemy) if u.on_map and u.hex is not None]
    values = objective_values(state)
    held = {hex_: holder for hex_, holder in zip(state.scenario.objective_hexes, state.holders)}
    stance = _posture(state, side, own, foes, values, held)

    def enemy_near(hex_: Hex) -> Fraction:
        return sum((strength(state, e) for e in foes if e.position.distance(hex_) <= NEAR), Fraction(0))

    free = list(fighters)
    assignment: dict[str, Hex] = {}
    reserves: set[str] = set()

    def take(hex_: Hex, need: Fraction) -> list[str]:
        chosen: list[str] = []
        got = Fraction(0)
        for unit in sorted(free, key=lambda u: (u.position.distance(hex_), state.scenario.unit_order[u.id])):
            if got >= need and chosen:
                break
            chosen.append(unit.id)
            assignment[unit.id] = hex_
            got += strength(state, unit)
        free[:] = [u for u in free if u.id not in chosen]
        return chosen

    guarded = sorted((h for h, holder in held.items() if holder == side), key=lambda h: (-values[h], h))
    for hex_ in guarded:
        threat = enemy_near(hex_)
        if threat:
            reserves.update(take(hex_, MARGIN * threat))
    targets = _weighed_targets(state, side, fighters, values, held)
    if stance != "defend":
        for hex_ in targets:
            if not free:
                break
            take(hex_, MARGIN * enemy_near(hex_) + 1)
    for unit in free:  # what is left joins the main effort, or guards the nearest held objective
        if stance == "defend" and guarded:
            assignment[unit.id] = min(guarded, key=lambda h: (h.distance(unit.position), h))
            reserves.add(unit.id)
        elif targets:
            assignment[unit.id] = targets[0]
    return Plan(stance, tuple(targets), assignment, frozenset(reserves))


def _weighed_targets(state: GameState, side: str, fighters: list[Unit], values: dict[Hex, int], held: dict[Hex, str | None]) -> list[Hex]:
    """Objectives the side does not hold, by value over distance: one the side cannot reach
    in the turns left counts a quarter."""
    turns_left = state.scenario.period.last_turn - state.turn + 1

    def weight(hex_: Hex) -> Fraction:
        if not fighters:
            return Fraction(values[hex_])
        nearest = min(fighters, key=lambda u: u.position.distance(hex_))
        distance = nearest.position.distance(hex_)
        speed = max(1, state.scenario.unit_types[nearest.type_id].move_points // 3)
        reachable = distance <= speed * turns_left
        return Fraction(values[hex_], 1 + distance) * (1 if reachable else Fraction(1, 4))

    wanted = [h for h in values if held.get(h) != side and values[h] > 0]
    return sorted(wanted, key=lambda h: (-weight(h), h))


def _posture(state: GameState, side: str, own: list[Unit], foes: list[Unit], values: dict[Hex, int], held: dict[Hex, str | None]) -> str:
    ours = sum((strength(state, u) for u in own), Fraction(0))
    theirs = sum((strength(state, u) for u in foes), Fraction(0))
    ratio = ours / theirs if theirs else Fraction(10)
    points_ahead = sum(v for h, v in values.items() if held.get(h) == side) - sum(
        v for h, v in values.items() if held.get(h) not in (side, None)
    )
    if points_ahead <= 0 and ratio >= Fraction(2, 3):
        return "attack"
    if points_ahead > 0 and ratio < MARGIN:
        return "defend"
    return "attack" if ratio >= MARGIN else "balanced"
