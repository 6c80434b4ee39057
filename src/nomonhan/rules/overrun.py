"""Overrun from the march: armour attacking a much weaker stack in the course of its move.

The rules (also in ``docs/rules.md``, "Overrun"): units with the ``overrun`` ability that have
not attacked this turn and have ``overrun.move_point_cost`` move points left may attack an
adjacent enemy stack in terrain whose ``armour.overrun`` allows it, if their attack reaches
``overrun.min_odds`` before shifts.  It is resolved as an attack (with the ``shifts.overrun``
column shift) and costs those move points; the engine lists the possible overruns
(:func:`nomonhan.engine.eligibility.overrun_options`) from these tests.
"""

from __future__ import annotations

from nomonhan.hexgrid import Hex
from nomonhan.rules.combat import attack_strength, defence_strength
from nomonhan.rules.supply import may_attack
from nomonhan.state import GameState, Unit


def may_overrun(state: GameState, unit: Unit) -> bool:
    """Whether ``unit`` could overrun now, wherever the enemy is."""
    return (
        unit.side == state.active_side
        and unit.on_map
        and not unit.attacked
        and "overrun" in state.scenario.unit_types[unit.type_id].abilities
        and may_attack(state, unit)
        and unit.move_points >= state.scenario.rules.overrun.move_point_cost
    )


def overrun_allowed(state: GameState, attackers: list[Unit], defenders: list[Unit], target: Hex) -> bool:
    """The terrain of ``target`` allows an overrun and the odds before shifts reach the minimum."""
    return state.scenario.board.terrain_at(target).armour.overrun and overrun_odds_met(state, attackers, defenders)


def overrun_odds_met(state: GameState, attackers: list[Unit], defenders: list[Unit]) -> bool:
    """The odds before shifts, counted as in any attack, reach the overrun minimum (5:1)."""
    numerator, denominator = state.scenario.rules.overrun.min_odds
    return attack_strength(state, attackers) * denominator >= defence_strength(state, defenders) * numerator
