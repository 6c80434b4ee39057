"""Armour, combined arms and losses in men and tanks, on hand-built positions (docs/rules.md,
"Armour and combined arms" and "Losses in men").

The standard position of test_combat: a 7 x 5 map, the defenders in ``3,2``, attackers in its
neighbours 2,2, 3,1 and 4,2.  Standard data: ``tank_bn`` 5/3, two steps of 25 tanks, armour;
``rifle_bn`` 3/3, infantry; ``armour.close_assault_tanks_per_step`` 2,
``armour.anti_tank_kill_pct`` 25, ``armour.recovered_pct`` 20; tank-hunting 100% on the steppe,
150% in dunes, 200% in villages.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
from conftest import SIDES, declared, make_scenario, next_turn, seed_for
from hypothesis import given
from hypothesis import strategies as st

from nomonhan import engine
from nomonhan.actions import Attack
from nomonhan.engine.attrition import knock_out, take_steps
from nomonhan.engine.audience import events_for
from nomonhan.engine.forecast import combat_odds
from nomonhan.events import CombatResolved, TanksKnockedOut, TanksRecovered
from nomonhan.hexgrid import parse_hex
from nomonhan.rules.armour import holds_field, knockouts
from nomonhan.rules.casualties import men_lost
from nomonhan.rules.victory import gross_losses, losses
from nomonhan.rules.visibility import seen_hexes
from nomonhan.scenario.schema import CasualtySplit
from nomonhan.state import GameState, Phase, UnitStatus

STEPPE = [".......", ".......", ".......", ".......", "......."]
T = "3,2"

HUNTERS = {
    "id": "hunter_bn",
    "name": "Infantry battalion with tank-hunting teams",
    "category": "infantry",
    "size": "battalion",
    "movement_class": "foot",
    "move_points": 6,
    "attack": 3,
    "defence": 3,
    "steps": 2,
    "abilities": ["infantry", "close_assault"],
    "per_step": {"men": 500},
    "stack_points": 2,
    "source": "test",
}
GUNS = {
    "id": "at_bn",
    "name": "Anti-tank gun battalion",
    "category": "artillery",
    "size": "battalion",
    "movement_class": "foot",
    "move_points": 4,
    "attack": 1,
    "defence": 2,
    "steps": 2,
    "per_step": {"men": 200, "anti_tank_guns": 20},
    "stack_points": 1,
    "source": "test",
}
HEAVY_GUNS = GUNS | {"id": "heavy_at_bn", "per_step": {"men": 200, "anti_tank_guns": 60}}


def h(text: str):
    return parse_hex(text)


def rows_with(code: str, at: str = T) -> list[str]:
    col, row = (int(part) for part in at.split(","))
    rows = [list(r) for r in STEPPE]
    rows[row][col] = code
    return ["".join(r) for r in rows]


def game(tmp_path, units, rows=STEPPE, phase: Phase | None = Phase.COMBAT) -> GameState:
    state = engine.new_game(make_scenario(tmp_path, rows, units, unit_types=[HUNTERS, GUNS, HEAVY_GUNS]), 1)
    return replace(state, phase=phase) if phase else state


def hunted(state: GameState, attackers: list[str], target: str = T) -> dict[str, int]:
    defenders = [u for u in state.units if u.on_map and u.hex == h(target)]
    return knockouts(state.scenario, [state.unit(a) for a in attackers], defenders, h(target))


# ------------------------------------------------------------------ close assault and anti-tank guns


def test_tanks_attacking_without_infantry_lose_tanks_to_close_assault_beyond_the_table(tmp_path):
    # tank 5 against hunters 3: 3:2, +1 armour on the steppe: 2:1; die 3 -> D1/R1 (the attacker
    # loses no step), but two steps of hunters knock out 2 x 2 = 4 tanks.
    units = [("j-t", "tank_bn", "japanese", "2,2"), ("s-h", "hunter_bn", "soviet", T)]
    state = replace(game(tmp_path, units), rng_state=seed_for(3))
    after, events = declared(state, Attack(("j-t",), h(T)))
    [combat] = [e for e in events if isinstance(e, CombatResolved)]
    assert (combat.odds, combat.result) == ("2:1", "D1/R1")
    assert TanksKnockedOut("j-t", 4, "close assault and anti-tank fire") in events
    tank = after.unit("j-t")
    assert tank.steps == 2 and tank.damaged_tanks == 4
    lost = losses(after, "japanese")
    assert (lost.steps, lost.tanks) == (0, 4)  # tanks lost beyond the steps lost


def test_infantry_with_the_tanks_stops_the_close_assault(tmp_path):
    units = [("j-t", "tank_bn", "japanese", "2,2"), ("j-r", "rifle_bn", "japanese", "3,1"), ("s-h", "hunter_bn", "soviet", T)]
    state = replace(game(tmp_path, units), rng_state=seed_for(3))
    assert hunted(state, ["j-t"]) == {"j-t": 4}
    assert hunted(state, ["j-t", "j-r"]) == {}
    after, events = declared(state, Attack(("j-t", "j-r"), h(T)))
    assert not any(isinstance(e, TanksKnockedOut) for e in events)
    assert after.unit("j-t").damaged_tanks == 0 and losses(after, "japanese").tanks == 0


def test_infantry_without_the_close_assault_ability_knocks_out_nothing(tmp_path):
    units = [("j-t", "tank_bn", "japanese", "2,2"), ("s-r", "rifle_bn", "soviet", T)]
    assert hunted(game(tmp_path, units), ["j-t"]) == {}


def test_anti_tank_guns_knock_out_tanks_of_armour_without_infantry(tmp_path):
    # two steps of 20 anti-tank guns, 25 tanks knocked out per 100 guns: 10 tanks
    units = [("j-t", "tank_bn", "japanese", "2,2"), ("s-g", "at_bn", "soviet", T)]
    assert hunted(game(tmp_path, units), ["j-t"]) == {"j-t": 10}


def test_defending_armour_without_infantry_is_hunted_by_the_attackers(tmp_path):
    units = [("j-h", "hunter_bn", "japanese", "2,2"), ("s-t", "tank_bn", "soviet", T)]
    assert hunted(game(tmp_path, units), ["j-h"]) == {"s-t": 4}
    units.append(("s-r", "rifle_bn", "soviet", T))
    assert hunted(game(tmp_path, units), ["j-h"]) == {}


@pytest.mark.parametrize("code, tanks", [(".", 4), ("s", 6), ("v", 8)])
def test_the_terrain_sets_how_much_tank_hunting_there_is(tmp_path, code, tanks):
    # 4 tanks on the steppe (100%), 6 in the dunes (150%), 8 in a village (200%)
    units = [("j-t", "tank_bn", "japanese", "2,2"), ("s-h", "hunter_bn", "soviet", T)]
    assert hunted(game(tmp_path, units, rows_with(code)), ["j-t"]) == {"j-t": tanks}


def test_the_tanks_knocked_out_fall_on_the_unit_with_most_tanks_first(tmp_path):
    # 10 tanks against a full battalion (50 tanks) and one at one step (25): all on the full one
    units = [("j-t1", "tank_bn", "japanese", "2,2"), ("j-t2", "tank_bn", "japanese", "3,1"), ("s-g", "at_bn", "soviet", T)]
    state = game(tmp_path, units)
    state = state.with_unit(replace(state.unit("j-t1"), steps=1))
    assert hunted(state, ["j-t1", "j-t2"]) == {"j-t2": 10}


def test_the_knocked_out_tanks_fall_on_what_the_table_left_and_none_is_lost_on_a_unit_it_took(tmp_path):
    # 2 x 120 guns at 25 per 100 knock out 60 tanks of two exposed battalions of 50; die 1 at 3:1
    # is A1/D1: the table takes a step (25 tanks) from one, so 25 fall on what it has left and the
    # other 35 on the other battalion (one step, 10 damaged), 85 tanks lost in all.
    gunline = GUNS | {"id": "gunline_bn", "defence": 5, "per_step": {"men": 200, "anti_tank_guns": 120}}
    units = [("j-t1", "tank_bn", "japanese", "2,2"), ("j-t2", "tank_bn", "japanese", "2,2"), ("s-g", "gunline_bn", "soviet", T)]
    state = engine.new_game(make_scenario(tmp_path, STEPPE, units, unit_types=[gunline]), 1)
    state = replace(state, phase=Phase.COMBAT, rng_state=seed_for(1))
    after, events = declared(state, Attack(("j-t1", "j-t2"), h(T)))
    [combat] = [e for e in events if isinstance(e, CombatResolved)]
    assert (combat.odds, combat.result) == ("3:1", "A1/D1")
    assert sum(e.tanks for e in events if isinstance(e, TanksKnockedOut)) == 60
    assert gross_losses(after, "japanese").tanks == 85
    survivor = next(after.unit(u) for u in ("j-t1", "j-t2") if after.unit(u).on_map)
    assert (survivor.steps, survivor.damaged_tanks) == (1, 10)


def test_a_full_step_of_knocked_out_tanks_costs_a_step_and_no_tank_is_counted_twice(tmp_path):
    # 2 x 60 guns at 25 per 100: 30 tanks - one step (25) and 5 damaged; the last step then holds 20
    units = [("j-t", "tank_bn", "japanese", "2,2"), ("s-g", "heavy_at_bn", "soviet", T)]
    state = game(tmp_path, units)
    assert hunted(state, ["j-t"]) == {"j-t": 30}
    after, _ = knock_out(state, "j-t", 30, "test", "attacking")
    assert (after.unit("j-t").steps, after.unit("j-t").damaged_tanks) == (1, 5)
    assert gross_losses(after, "japanese").tanks == 30 and gross_losses(after, "japanese").steps == 1
    after, _ = take_steps(after, ["j-t"], 1, "test", "attacking")
    assert after.unit("j-t").status is UnitStatus.ELIMINATED
    assert gross_losses(after, "japanese").tanks == 50  # the battalion's 50 tanks, not 55


# ------------------------------------------------------------------ recovery of knocked-out tanks


def _knocked_out_at_start(tmp_path, units, tanks=10) -> GameState:
    state = game(tmp_path, units, phase=None)
    state, _ = knock_out(state, "j-t", tanks, "test", "defending")
    return state


def test_tanks_are_recovered_only_if_the_side_holds_the_field(tmp_path):
    units = [("j-t", "tank_bn", "japanese", "2,2"), ("s-r", "rifle_bn", "soviet", "5,3")]
    held = _knocked_out_at_start(tmp_path, units)
    after, events = next_turn(held)
    assert TanksRecovered("j-t", h("2,2"), 2) in events  # 20% of 10
    assert losses(after, "japanese").tanks == 8 and gross_losses(after, "japanese").tanks == 10
    assert after.unit("j-t").damaged_tanks == 8 and after.wrecks == ()

    # the field lost: the tanks' hex held by the enemy at the turn's end
    lost = held.with_unit(replace(held.unit("j-t"), hex=h("0,0")))
    lost = lost.with_unit(replace(lost.unit("s-r"), hex=h("2,2")))
    after, events = next_turn(lost)
    assert not any(isinstance(e, TanksRecovered) for e in events)
    assert losses(after, "japanese").tanks == 10 and after.wrecks == ()


def test_holding_the_field_means_standing_in_the_hex_or_alone_next_to_it_when_it_is_empty(tmp_path):
    units = [("j-t", "tank_bn", "japanese", "2,2"), ("s-r", "rifle_bn", "soviet", "5,3")]
    state = game(tmp_path, units)
    assert holds_field(state, "japanese", h("2,2")) and not holds_field(state, "soviet", h("2,2"))
    assert holds_field(state, "japanese", h("3,2"))  # empty, only japanese next to it
    state = state.with_unit(replace(state.unit("s-r"), hex=h("4,2")))
    assert not holds_field(state, "japanese", h("3,2")) and not holds_field(state, "soviet", h("3,2"))


def test_an_enemy_the_side_cannot_see_does_not_stop_its_recovery(tmp_path):
    """At night (sight 1) an enemy unit next to the empty field but two hexes from the side's
    tanks is out of its sight: whether the tanks come back must not tell the side it is there."""
    units = [("j-t", "tank_bn", "japanese", "2,2"), ("s-r", "rifle_bn", "soviet", "4,2")]
    night = engine.new_game(make_scenario(tmp_path, STEPPE, units, start="1939-07-02T22:00:00"), 1)
    assert night.is_night and h("4,2").distance(h("3,2")) == 1 and h("4,2").distance(h("2,2")) == 2
    assert "s-r" not in {u.id for u in engine.visible_enemies(night, "japanese")}
    assert holds_field(night, "japanese", h("3,2"))  # what the Japanese see next to it: only their own
    day = engine.new_game(make_scenario(tmp_path, STEPPE, units, start="1939-07-02T09:00:00"), 1)
    assert "s-r" in {u.id for u in engine.visible_enemies(day, "japanese")}
    assert not holds_field(day, "japanese", h("3,2"))


# ------------------------------------------------------------------ losses in men


@pytest.mark.parametrize("cause", ["attacking", "defending", "bombarded", "cut_off", "out_of_supply"])
def test_each_cause_splits_a_steps_men_by_its_ratios(tmp_path, cause):
    state = game(tmp_path, [("j-r", "rifle_bn", "japanese", "2,2"), ("s-r", "rifle_bn", "soviet", T)])
    share = getattr(state.scenario.rules.casualties, cause)
    after, _ = take_steps(state, ["s-r"], 1, "test", cause)
    lost = gross_losses(after, "soviet")
    total = 400 * share.men_pct // 100
    assert lost.men == lost.killed + lost.wounded + lost.missing == total
    assert (lost.killed, lost.missing) == (total * share.killed_pct // 100, total * share.missing_pct // 100)


def test_men_lost_depend_on_how_the_step_was_lost(tmp_path):
    state = game(tmp_path, [("j-r", "rifle_bn", "japanese", "2,2"), ("s-r", "rifle_bn", "soviet", T)])
    attacked, _ = take_steps(state, ["j-r"], 1, "test", "attacking")
    cut_off, _ = take_steps(state, ["j-r"], 1, "test", "cut_off")
    assert gross_losses(cut_off, "japanese").men > gross_losses(attacked, "japanese").men
    assert gross_losses(cut_off, "japanese").missing > gross_losses(attacked, "japanese").missing


@pytest.mark.parametrize("cause", ["attacking", "defending", "bombarded", "cut_off", "out_of_supply"])
def test_a_sides_own_count_divides_its_battle_casualties(tmp_path, cause):
    # The Soviet side's count (60% killed, 10% missing) divides the men it loses in battle; the
    # total is still the cause's, and steps lost cut off or out of supply keep the rules' split.
    soviet = {"id": "soviet", "name": "Soviet", "nations": ["USSR"], "colour": "#b03a2e"}
    counted = soviet | {"battle_casualties": {"killed_pct": 60, "missing_pct": 10, "source": "test"}}
    japanese = next(side for side in SIDES if side["id"] == "japanese")
    units = [("j-r", "rifle_bn", "japanese", "2,2"), ("s-r", "rifle_bn", "soviet", T)]
    plain = engine.new_game(make_scenario(tmp_path, STEPPE, units, sides=[japanese, soviet]), 1)
    own = engine.new_game(make_scenario(tmp_path, STEPPE, units, sides=[japanese, counted]), 1)
    by_rules = gross_losses(take_steps(plain, ["s-r"], 1, "test", cause)[0], "soviet")
    by_count = gross_losses(take_steps(own, ["s-r"], 1, "test", cause)[0], "soviet")
    assert by_count.men == by_rules.men
    if cause in ("cut_off", "out_of_supply"):
        assert by_count == by_rules
    else:
        assert (by_count.killed, by_count.missing) == (by_count.men * 60 // 100, by_count.men * 10 // 100)
        assert by_count.killed != by_rules.killed


@given(
    men=st.integers(0, 100_000),
    men_pct=st.integers(0, 100),
    killed_pct=st.integers(0, 100),
    missing_pct=st.integers(0, 100),
)
def test_the_split_always_sums_to_the_total(men, men_pct, killed_pct, missing_pct):
    missing_pct = min(missing_pct, 100 - killed_pct)
    share = CasualtySplit(men_pct=men_pct, killed_pct=killed_pct, missing_pct=missing_pct, source="test")
    lost = men_lost(men, share)
    assert lost.killed + lost.wounded + lost.missing == men * men_pct // 100
    assert min(lost.killed, lost.wounded, lost.missing) >= 0


def test_a_split_with_more_killed_and_missing_than_casualties_is_refused():
    with pytest.raises(ValueError, match="killed_pct \\+ missing_pct"):
        CasualtySplit(men_pct=50, killed_pct=60, missing_pct=50, source="test")


# ------------------------------------------------------------------ the forecast


@pytest.mark.parametrize("die", range(1, 7))
def test_the_forecast_gives_steps_men_and_tanks_per_result_as_step_takes_them(tmp_path, die):
    # two tank battalions (10) without infantry against hunters (3) and anti-tank guns (2) in the
    # open: 2:1, +1 armour: 3:1, every face; the forecast must give each result's losses exactly
    # as the engine takes them.
    units = [
        ("j-t", "tank_bn", "japanese", "2,2"),
        ("j-t2", "tank_bn", "japanese", "3,1"),
        ("s-h", "hunter_bn", "soviet", T),
        ("s-g", "at_bn", "soviet", T),
    ]
    state = replace(game(tmp_path, units), rng_state=seed_for(die))
    attack = Attack(("j-t", "j-t2"), h(T))
    forecast = combat_odds(state, attack)
    assert sum(p for _, p in forecast.outcomes) == Fraction(1)
    after, events = declared(state, attack)
    [combat] = [e for e in events if isinstance(e, CombatResolved)]
    expected = next(entry for entry in forecast.losses if entry.result.text == combat.result)
    assert expected.attacker == gross_losses(after, "japanese") - gross_losses(state, "japanese")
    assert expected.defender == gross_losses(after, "soviet") - gross_losses(state, "soviet")
    # the tanks: 2 x 2 by close assault and 2 x 20 x 25% by the guns, on top of the table's steps
    assert expected.attacker.tanks == 14 + 25 * combat.attacker_steps_lost
    assert expected.attacker.men == expected.attacker.killed + expected.attacker.wounded + expected.attacker.missing
    assert expected.defender.men > 0 or combat.defender_steps_lost == 0


def test_the_forecast_plays_the_defenders_retreats_in_turn(tmp_path):
    """Two battalions in 0,2 must retreat and the hexes open to them have room for one: the first
    to go fills it and the second loses a step where it stands.  The forecast says so, as the
    engine takes it, rather than giving each the room as if the other had not moved."""
    units = [
        ("j-1", "tank_bn", "japanese", "1,1"),
        ("j-2", "tank_bn", "japanese", "1,2"),
        ("s-1", "rifle_bn", "soviet", "0,2"),
        ("s-2", "rifle_bn", "soviet", "0,2"),
        ("s-3", "rifle_bn", "soviet", "0,1"),
        ("s-4", "rifle_bn", "soviet", "0,1"),
    ]
    state = replace(engine.new_game(make_scenario(tmp_path, ["......"] * 5, units), 1), phase=Phase.COMBAT)
    attack = Attack(("j-1", "j-2"), h("0,2"))
    forecast = combat_odds(state, attack)
    faces = {_result_on(state, attack, face): face for face in range(1, 7)}
    retreats = [result for result, _p in forecast.outcomes if result.retreat and result.text in faces]
    assert retreats
    for result in retreats:
        after, _ = declared(replace(state, rng_state=seed_for(faces[result.text])), attack)
        while after.pending is not None and after.pending.kind == "retreat":
            after, _ = engine.step(after, next(a for a in engine.legal_actions(after) if type(a).__name__ == "Retreat"))
        lost = sum(u.steps for u in state.units if u.side == "soviet") - sum(
            u.steps for u in after.units if u.side == "soviet" and u.on_map
        )
        assert forecast.lost_by(result).defender.steps == lost, result.text


def _result_on(state, attack, face):
    after, events = declared(replace(state, rng_state=seed_for(face)), attack)
    return next(e.result for e in events if isinstance(e, CombatResolved))


# ------------------------------------------------------------------ information sets


def test_a_side_is_told_nothing_of_the_enemys_losses_or_wrecks(tmp_path):
    units = [("j-t", "tank_bn", "japanese", "2,2"), ("s-r", "rifle_bn", "soviet", "5,3")]
    state = game(tmp_path, units, phase=None)
    hurt, _ = knock_out(state, "j-t", 10, "test", "defending")
    hurt, _ = take_steps(hurt, ["j-t"], 1, "test", "attacking")
    hidden = hurt.with_unit(state.unit("j-t"))  # the tally and wrecks stay, the unit looks whole
    assert hidden.tally("japanese") != state.tally("japanese") and hidden.wrecks
    assert engine.observe(hidden, "soviet") == engine.observe(state, "soviet")


def test_an_enemy_units_recovered_tanks_are_told_only_where_the_side_sees_their_field(tmp_path):
    """The tanks lay where the unit was knocked out, a field the other side may never have seen:
    the Soviets see the Japanese tank battalion beside them, not the hex far off where its wrecks
    lay, and are not told of that recovery; of one on a field in sight they are."""
    units = [("j-t", "tank_bn", "japanese", "5,2"), ("s-r", "rifle_bn", "soviet", "5,3")]
    state = game(tmp_path, units, phase=None)
    far, near = h("0,0"), h("5,2")
    assert far not in seen_hexes(state, "soviet") and near in seen_hexes(state, "soviet")
    assert events_for("soviet", state, state, [TanksRecovered("j-t", far, 2)]) == []
    assert events_for("soviet", state, state, [TanksRecovered("j-t", near, 2)]) == [TanksRecovered("j-t", near, 2)]
    assert events_for("japanese", state, state, [TanksRecovered("j-t", far, 2)]) == [TanksRecovered("j-t", far, 2)]
