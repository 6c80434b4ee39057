"""``air_odds``: the exact chance that an air mission gets through, before any die is rolled.

The fights come when the side ends its air phase (:func:`nomonhan.rules.air.air_fights`): each
of its own patrols (superiority missions) rolls once to shoot down one of the enemy's standing
patrols, then each enemy patrol left rolls once to turn back one of the side's support and
interdiction missions, the last assigned first.  Every roll hits on the same faces of the die,
so the number of hits is worked out exactly, roll by roll, as the fights run them; a mission
about to be assigned is the last one, so the first hit turns it back.

Everything here is public (the air missions up and the rules data) or the side's own, read from
its believed state, so the forecast reveals nothing.  It assumes the mission is the last of the
phase: a mission assigned after it would be turned back before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from nomonhan.actions import AirMission
from nomonhan.engine.forecast import BridgeOdds, bridge_odds, known_to_active
from nomonhan.state import GameState


@dataclass(frozen=True)
class AirResult:
    """How the fights may end for a mission: turned back or not, and enemy patrols left up."""

    turned_back: bool
    enemy_patrols_left: int


@dataclass(frozen=True)
class AirForecast:
    mission: AirMission
    enemy_patrols: int
    """Enemy patrols standing when the side's air phase ends, before its own patrols fight them."""
    escorts: int
    """The side's own patrols that fight them first (this mission included if it is one)."""
    hit: Fraction
    """The chance one roll of the air die hits (shoots down a patrol or turns back a mission)."""
    outcomes: tuple[tuple[AirResult, Fraction], ...]
    """Each way the fights may end for this mission, with its exact probability."""
    column_shift: int
    """A support mission's gain in column shift for attacks on its hex this turn, if it gets
    through (the bound on all air support counted, with the missions already assigned there)."""
    move_cost: int
    """An interdiction mission's extra move points for enemy units entering its hex or one next to it."""
    bridges: tuple[BridgeOdds, ...]
    """An interdiction mission's bridges (ending in its hex): each result's chance if it gets through."""

    @property
    def turned_back(self) -> Fraction:
        return sum((p for r, p in self.outcomes if r.turned_back), Fraction(0))

    @property
    def patrols_left(self) -> tuple[tuple[int, Fraction], ...]:
        """How many enemy patrols stay up after the side's own patrols fight them, and the chance of each."""
        found: dict[int, Fraction] = {}
        for result, p in self.outcomes:
            found[result.enemy_patrols_left] = found.get(result.enemy_patrols_left, Fraction(0)) + p
        return tuple(sorted(found.items()))


def air_odds(state: GameState, mission: AirMission) -> AirForecast:
    """The forecast of ``mission`` assigned now by the active side (legality is the caller's concern)."""
    known = known_to_active(state)
    rules = known.scenario.rules
    side, enemy = known.active_side, known.scenario.enemy_of(known.active_side)
    air = known.air
    hit = Fraction(rules.air.cancel_on_die_at_most, rules.air.die_sides)
    enemy_patrols = air.superiority_of(enemy)
    escorts = air.superiority_of(side) + (1 if mission.kind == "superiority" else 0)
    outcomes: dict[AirResult, Fraction] = {}
    for downed, p_downed in _hits(escorts, enemy_patrols, hit):
        left = enemy_patrols - downed
        if mission.kind == "superiority":
            turned_back = {False: Fraction(1)}
        else:  # the first hit of the patrols left turns this mission back: it is the last assigned
            missed = (1 - hit) ** left
            turned_back = {True: 1 - missed, False: missed}
        for back, p in turned_back.items():
            if p:
                key = AirResult(back, left)
                outcomes[key] = outcomes.get(key, Fraction(0)) + p_downed * p
    shift, cost = 0, 0
    bridges: tuple[BridgeOdds, ...] = ()
    if mission.kind == "support":
        flown = sum(1 for owner, h in air.support if owner == side and h == mission.hex)
        per, most = rules.shifts.per_air_support_point, rules.shifts.max_air_support
        shift = min((flown + 1) * per, most) - min(flown * per, most)
    elif mission.kind == "interdiction" and mission.hex is not None:
        cost = rules.air.interdiction_move_cost
        bridges = bridge_odds(known, mission.hex, "air")
    return AirForecast(mission, enemy_patrols, escorts, hit, tuple(outcomes.items()), shift, cost, bridges)


def _hits(rolls: int, most: int, hit: Fraction) -> list[tuple[int, Fraction]]:
    """The chance of each number of hits in ``rolls`` rolls that stop once ``most`` have hit."""
    chances = {0: Fraction(1)}
    for _ in range(rolls):
        following: dict[int, Fraction] = {}
        for hits, p in chances.items():
            if hits == most:
                following[hits] = following.get(hits, Fraction(0)) + p
                continue
            following[hits + 1] = following.get(hits + 1, Fraction(0)) + p * hit
            following[hits] = following.get(hits, Fraction(0)) + p * (1 - hit)
        chances = following
    return sorted((h, p) for h, p in chances.items() if p)
