"""Armour and combined arms: what tanks gain from the terrain and lose without infantry.

The rules (also in ``docs/rules.md``, "Armour and combined arms"):

- Armour attacking a defender with no armour gets its terrain's ``armour.shift`` (the steppe
  favours tanks; crests, marsh and woods hamper them).
- Armour (units with the ``armour`` ability) that fights with no unit of the ``infantry``
  ability beside it in the combat (among the attackers, or in the defending hex) is exposed:
  the enemy units in the combat knock out tanks whatever the table says - each step of a unit
  with the ``close_assault`` ability ``close_assault_tanks_per_step`` tanks, each hundred
  anti-tank guns (``per_step.anti_tank_guns``, steps left) ``anti_tank_kill_pct`` tanks - scaled
  by the combat hex's ``armour.close_assault_pct`` and rounded down.  The knocked-out tanks fall
  on the exposed armour with the most tanks first; they are counted as lost at once, and every
  full step's worth of them costs the unit a step (a step it loses later takes its damaged
  tanks first, so no tank is counted twice).
- Tanks knocked out lie where their unit stood.  At the end of the turn, the side that holds
  that hex (a unit of its own in it, or the hex empty and only its own units next to it)
  recovers ``recovered_pct`` of them, which no longer count as lost (those of a unit still on
  the map that were damaged without a step go back to it).

Like :mod:`nomonhan.rules.combat`, nothing here draws a die, so the forecast of an attack can
give the tanks each result costs exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from nomonhan.hexgrid import Hex
from nomonhan.rules.visibility import visible_enemies
from nomonhan.scenario.load import Scenario
from nomonhan.state import GameState, Unit


def has_ability(scenario: Scenario, unit: Unit, ability: str) -> bool:
    return ability in scenario.unit_types[unit.type_id].abilities


def tanks_of(scenario: Scenario, unit: Unit) -> int:
    """The tanks a unit has: those of its steps left, less those damaged."""
    return unit.steps * scenario.unit_types[unit.type_id].per_step.tanks - unit.damaged_tanks


def exposed_armour(scenario: Scenario, units: list[Unit]) -> list[Unit]:
    """The units with tanks among ``units`` (one side's in a combat), if none of them is infantry."""
    if any(has_ability(scenario, u, "infantry") for u in units):
        return []
    return [u for u in units if has_ability(scenario, u, "armour") and tanks_of(scenario, u) > 0]


def tank_hunting(scenario: Scenario, hunters: list[Unit], target: Hex) -> int:
    """Tanks that ``hunters`` knock out of exposed armour in one combat at ``target``."""
    rules = scenario.rules.armour
    types = scenario.unit_types
    kills = Fraction(0)
    for unit in hunters:
        if has_ability(scenario, unit, "close_assault"):
            kills += unit.steps * rules.close_assault_tanks_per_step
        kills += Fraction(unit.steps * types[unit.type_id].per_step.anti_tank_guns * rules.anti_tank_kill_pct, 100)
    return int(kills * scenario.board.terrain_at(target).armour.close_assault_pct / 100)


def hunts(scenario: Scenario, attackers: list[Unit], defenders: list[Unit], target: Hex) -> list[tuple[list[str], int]]:
    """Each side's exposed armour in one combat (the ids) with the tanks the other side's close
    assault and anti-tank guns knock out of it in all, worked out on the units as they went in:
    the hunters fire as the combat is fought, not after its losses."""
    found = []
    for armour, hunters in ((exposed_armour(scenario, attackers), defenders), (exposed_armour(scenario, defenders), attackers)):
        if armour:
            found.append(([u.id for u in armour], tank_hunting(scenario, hunters, target)))
    return found


def shares(scenario: Scenario, armour: list[Unit], total: int) -> dict[str, int]:
    """``total`` knocked-out tanks spread over ``armour``, the unit with the most tanks first, each
    taking what it has until the total is spent."""
    lost: dict[str, int] = {}
    for unit in sorted(armour, key=lambda u: (-tanks_of(scenario, u), scenario.unit_order[u.id])):
        taken = min(total, tanks_of(scenario, unit))
        if taken > 0:
            lost[unit.id] = taken
            total -= taken
    return lost


def knockouts(scenario: Scenario, attackers: list[Unit], defenders: list[Unit], target: Hex) -> dict[str, int]:
    """Tanks each exposed armour unit would lose to close assault and anti-tank guns in one
    combat if the table took no step (an estimate for the computer players; the combat itself
    spreads the knock-outs over what is left after the table's losses, see
    :func:`nomonhan.engine.attrition.combat_losses`)."""
    by_id = {u.id: u for u in attackers + defenders}
    return {
        unit_id: tanks
        for exposed, total in hunts(scenario, attackers, defenders, target)
        for unit_id, tanks in shares(scenario, [by_id[i] for i in exposed], total).items()
    }


def armour_shift(scenario: Scenario, attackers: list[Unit], defenders: list[Unit], target: Hex) -> int:
    """The terrain's shift for armour attacking a defender without armour (0 otherwise)."""
    if any(has_ability(scenario, u, "armour") for u in attackers) and not any(has_ability(scenario, u, "armour") for u in defenders):
        return scenario.board.terrain_at(target).armour.shift
    return 0


def holds_field(state: GameState, side: str, hex_: Hex) -> bool:
    """A unit of ``side`` stands in ``hex_``, or it is empty and only ``side``'s units are next to
    it, as far as ``side`` can see: an enemy unit next to an empty field but out of its sight (two
    hexes from its nearest unit at night) does not stop the recovery, which would otherwise tell
    the side that a unit it cannot see stands there."""
    seen = {u.id for u in visible_enemies(state, side)}
    known = [u for u in state.units if u.on_map and (u.side == side or u.id in seen)]
    here = {u.side for u in known if u.hex == hex_}
    if here:
        return here == {side}
    near = {u.side for u in known if u.position.distance(hex_) == 1}
    return near == {side}


@dataclass(frozen=True)
class Recovery:
    unit: str
    hex: Hex
    tanks: int


def recoveries(state: GameState) -> list[Recovery]:
    """The tanks each unit gets back from this turn's wrecks, on the fields its side holds."""
    pct = state.scenario.rules.armour.recovered_pct
    found = []
    for wreck in state.wrecks:
        side = state.unit(wreck.unit).side
        tanks = wreck.tanks * pct // 100
        if tanks and holds_field(state, side, wreck.hex):
            found.append(Recovery(wreck.unit, wreck.hex, tanks))
    return found
