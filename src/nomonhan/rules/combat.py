"""Combat: odds columns, column shifts, the combat results table and its exact distribution.

The die is an argument, never drawn here, so :func:`resolve` is pure and
:func:`forecast` can compute the probability of every result with the very code that resolves
an attack (exact fractions: each face of the die is equally likely).

The rules (also in ``docs/rules.md``): attack strength is the attackers' attack values scaled by
their steps left (and by the stage of a cut-off unit's supply); defence likewise with the defence value.  The odds
column is the highest whose ratio the attack reaches, rounded in the defender's favour, the
lowest column when the attack falls below it.  Shifts move the column right (attacker's favour)
or left, within the scenario's bounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from nomonhan.actions import Attack
from nomonhan.hexgrid import Hex, Hexside
from nomonhan.rules import supply
from nomonhan.rules.armour import armour_shift
from nomonhan.scenario.schema import BombardmentTable, CombatResultsTable
from nomonhan.state import GameState, Unit


@dataclass(frozen=True)
class CombatResult:
    """Steps lost by each side, hexes the defender must retreat, and whether the defenders are
    disrupted (``S``, a bombardment result)."""

    attacker_steps: int
    defender_steps: int
    retreat: int
    text: str
    disrupts: bool = False


@lru_cache(maxsize=256)
def parse_result(text: str) -> CombatResult:
    attacker = defender = retreat = 0
    disrupts = False
    if text != "-":
        for part in text.split("/"):
            if part == "S":
                disrupts = True
                continue
            value = int(part[1:])
            if part[0] == "A":
                attacker += value
            elif part[0] == "D":
                defender += value
            else:
                retreat += value
    return CombatResult(attacker, defender, retreat, text, disrupts)


def odds_column(table: CombatResultsTable, attack: Fraction, defence: Fraction) -> int:
    """Index of the highest column whose ratio ``attack : defence`` reaches (0 if none)."""
    column = 0
    for index, odds in enumerate(table.columns):
        numerator, denominator = odds.ratio
        if defence == 0 or attack * denominator >= defence * numerator:
            column = index
    return column


def resolve(table: CombatResultsTable, column: int, die: int) -> CombatResult:
    return parse_result(table.results[die - 1][column])


def distribution(table: CombatResultsTable, column: int) -> dict[str, Fraction]:
    """Exact probability of each result text in a column, by resolving every face of the die."""
    chances: dict[str, Fraction] = {}
    for die in range(1, table.die_sides + 1):
        text = resolve(table, column, die).text
        chances[text] = chances.get(text, Fraction(0)) + Fraction(1, table.die_sides)
    return chances


def bombardment_column(table: BombardmentTable, strength: Fraction, shift: int) -> int | None:
    """The column for a total firing strength, moved by ``shift`` (negative for cover, see
    :func:`nomonhan.rules.artillery.fire_plan`) and kept on the table; None: no effect possible
    (too weak to reach the first column, or shifted off its left edge)."""
    column = None
    for index, least in enumerate(table.strength_columns):
        if strength >= least:
            column = index
    if column is None:
        return None
    column = min(column + shift, len(table.strength_columns) - 1)
    return column if column >= 0 else None


def resolve_bombardment(table: BombardmentTable, column: int, die: int) -> CombatResult:
    return parse_result(table.results[die - 1][column])


# ------------------------------------------------------------------ strengths and shifts


def strength(value: int, unit: Unit, full_steps: int, percent: int | Fraction = 100) -> Fraction:
    """A unit's attack or defence scaled by its steps left and by a supply penalty."""
    return Fraction(value * unit.steps * percent, full_steps * 100)


@dataclass(frozen=True)
class AttackPlan:
    """Everything that decides an attack's column, with the reason for each shift."""

    attack: Fraction
    defence: Fraction
    base_column: int
    shifts: tuple[tuple[str, int], ...]
    total_shift: int  # the sum of the shifts, bounded as the rules bound it
    column: int
    column_label: str


def attack_strength(state: GameState, attackers: list[Unit]) -> Fraction:
    """Attack values scaled by steps left, reduced by the stage of a cut-off unit's supply and by disruption."""
    types = state.scenario.unit_types
    return sum(
        (
            strength(types[u.type_id].attack, u, types[u.type_id].steps, supply.attack_pct(state, u))
            * disrupted_share(u, state.scenario.rules.artillery.disrupted_attack_pct)
            for u in attackers
        ),
        Fraction(0),
    )


def defence_strength(state: GameState, defenders: list[Unit]) -> Fraction:
    """Defence values scaled by steps left, reduced by the stage of a cut-off unit's supply and by disruption."""
    types = state.scenario.unit_types
    return sum(
        (
            strength(types[u.type_id].defence, u, types[u.type_id].steps, supply.defence_pct(state, u))
            * disrupted_share(u, state.scenario.rules.artillery.disrupted_defence_pct)
            for u in defenders
        ),
        Fraction(0),
    )


def disrupted_share(unit: Unit, percent: int) -> Fraction:
    """The share of its strength a unit fights with: ``percent`` while disrupted by fire
    (:mod:`nomonhan.rules.artillery`), all of it otherwise."""
    return Fraction(percent, 100) if unit.disrupted else Fraction(1)


def plan_of(state: GameState, attack: Attack) -> AttackPlan:
    """The plan of an attack by the active side on the stack in ``attack.target``.

    One function for ``step`` and ``combat_odds``, so the forecast is the attack.
    """
    attackers = [state.unit(uid) for uid in attack.units]
    defenders = [u for u in state.units if u.on_map and u.side != state.active_side and u.hex == attack.target]
    air_support = sum(1 for side, hex_ in state.air.support if side == state.active_side and hex_ == attack.target)
    return plan_attack(state, attackers, defenders, attack.target, len(attack.artillery), air_support, attack.overrun)


def plan_attack(
    state: GameState,
    attackers: list[Unit],
    defenders: list[Unit],
    target: Hex,
    artillery: int,
    air_support: int,
    overrun: bool,
) -> AttackPlan:
    """The odds column of an attack, from the rules data; the caller has checked legality."""
    scenario = state.scenario
    rules = scenario.rules
    shifts_data = rules.shifts
    attack = attack_strength(state, attackers)
    defence = defence_strength(state, defenders)
    base = odds_column(rules.crt, attack, defence)
    shifts: list[tuple[str, int]] = []
    terrain = scenario.board.terrain_at(target)
    if terrain.defence_shift:
        shifts.append((f"defender in {terrain.name.lower()}", -terrain.defence_shift))
    crossing = max(hexside_attack_shift(state, u.position, target) for u in attackers)
    if crossing:
        shifts.append(("attacking across a river or stream", crossing))
    if state.is_night:
        trained = [r.shift for r in scenario.special_rules.night_attack if r.side == state.active_side]
        night = trained[0] if trained else shifts_data.night_attack
        if night:
            shifts.append(("night attack" + (" (trained for it)" if trained else ""), night))
    if any(supply.suffers_combat_shifts(state, u) for u in attackers):
        shifts.append(("attacker out of supply", shifts_data.attacker_out_of_supply))
    if defenders and all(supply.suffers_combat_shifts(state, u) for u in defenders):
        shifts.append(("defender out of supply", shifts_data.defender_out_of_supply))
    armour = armour_shift(scenario, attackers, defenders, target)
    if armour:
        shifts.append((f"armour against infantry in {terrain.name.lower()}", armour))
    if artillery:
        shifts.append(
            (f"artillery support ({artillery})", min(artillery * shifts_data.per_artillery_support, shifts_data.max_artillery_support))
        )
    if air_support:
        shifts.append((f"air support ({air_support})", min(air_support * shifts_data.per_air_support_point, shifts_data.max_air_support)))
    dug_in = entrenchment_level(state, defenders, target)
    if dug_in:
        shifts.append((f"entrenched (level {dug_in})", dug_in * shifts_data.per_entrenchment_level))
    if overrun:
        shifts.append(("overrun from the march", shifts_data.overrun))
    total = max(shifts_data.min_shift, min(shifts_data.max_shift, sum(v for _, v in shifts)))
    column = max(0, min(len(rules.crt.columns) - 1, base + total))
    return AttackPlan(attack, defence, base, tuple(shifts), total, column, rules.crt.columns[column].label)


def hexside_attack_shift(state: GameState, origin: Hex, target: Hex) -> int:
    """The shift for attacking across the hexside between ``origin`` and ``target`` (0 if none)."""
    features = state.scenario.board.features.get(Hexside.between(origin, target), ())
    types = {f.id: f for f in state.scenario.rules.hexside_features}
    return min((types[f].attack_shift for f in features), default=0)


def fortification_level(state: GameState, side: str, hex_: Hex) -> int:
    """The prepared positions of ``side`` in a hex that exist by now."""
    now = state.clock
    return max(
        (level for start, level in state.scenario.fortified.get((side, hex_), ()) if start is None or start <= now),
        default=0,
    )


def entrenchment_level(state: GameState, defenders: list[Unit], target: Hex) -> int:
    """Prepared positions of the defenders' side in the hex, or the least dug-in defender's level."""
    if not defenders:
        return 0
    side = defenders[0].side
    fortified = fortification_level(state, side, target)
    return max(fortified, min(u.entrenchment for u in defenders))
