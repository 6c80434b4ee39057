"""Logistics on hand-built positions: the haul from railhead distance and lorries, the stockpile
carried over (the build-up), fuel for the units farthest out, and the water shortage a
scenario can switch on (docs/rules.md, "Supply").

Standard rules data: a lorry carries 1,300 kg and covers 280 km a day; one supply point a turn
stands for 20 t a day; unused haul is carried over up to six turns' haul; a unit its side could
not fuel moves and attacks at half.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import make_scenario, next_turn
from pydantic import ValidationError

from nomonhan import engine
from nomonhan.engine.view import believed_state
from nomonhan.hexgrid import parse_hex
from nomonhan.rules.artillery import ammunition_left
from nomonhan.rules.combat import plan_attack
from nomonhan.rules.supply import allocate, capacity, haul_points, stockpile, supply_stage
from nomonhan.scenario.load import ScenarioError, load_rules
from nomonhan.scenario.schema import SupplyCapacity
from nomonhan.state import GameState, Phase

TANKS = {
    "id": "fuelled_tank_bn",
    "name": "Tank battalion needing fuel",
    "category": "armour",
    "size": "battalion",
    "movement_class": "tracked",
    "move_points": 12,
    "attack": 6,
    "defence": 3,
    "steps": 2,
    "abilities": ["overrun", "armour"],
    "supply_cost": 1,
    "fuel_cost": 1,
    "source": "test",
}


def game(tmp_path, rows, units, capacity: dict | None = None, water: list | None = None, **options) -> GameState:
    """Japanese source at 0,0; ``capacity``: the japanese capacity entry's fields."""
    supply = {"sources": [{"side": "japanese", "name": "Depot", "hex": "0,0"}]}
    if capacity is not None:
        supply["capacity"] = [{"side": "japanese", "source": "test", **capacity}]
    if water is not None:
        supply["water_shortage"] = water
    return engine.new_game(make_scenario(tmp_path, rows, units, extra={"supply": supply}, unit_types=[TANKS], **options), 1)


# ------------------------------------------------------------------ the haul


@pytest.mark.parametrize(
    "railhead_km, lorries, points",
    [
        (700, 4900, 63),  # Khalkhin Gol, Soviet: 1,274 t a day
        (1400, 4900, 31),  # twice as far: half the haul
        (700, 2450, 31),  # half the lorries: half the haul
        (200, 1000, 45),  # Khalkhin Gol, Japanese: 910 t a day
        (700, 2636, 34),  # Bain Tsagan, Soviet
        (700, 0, 0),
    ],
)
def test_the_haul_comes_from_the_railhead_distance_and_the_lorries(railhead_km, lorries, points):
    _document, rules = load_rules("standard")
    entry = SupplyCapacity(side="soviet", railhead_km=railhead_km, lorries=lorries, source="test")
    assert haul_points(rules.supply, entry) == points
    # lorries x 1,300 kg x 280 km a day / (2 x railhead_km) / 20,000 kg a point, rounded down
    assert points == lorries * 1300 * 280 // (2 * railhead_km) // 20_000


@pytest.mark.parametrize(
    "fields",
    [{"railhead_km": 700}, {"lorries": 10}, {"railhead_km": 700, "lorries": 10, "points": 3}, {}],
    ids=["no-lorries", "no-distance", "both", "neither"],
)
def test_a_capacity_entry_gives_the_haul_one_way(fields):
    with pytest.raises(ValidationError, match="give either railhead_km and lorries, or points"):
        SupplyCapacity(side="soviet", source="test", **fields)


def test_a_far_railhead_starves_the_units_farthest_out(tmp_path):
    units = [("j-near", "rifle_bn", "japanese", "1,0"), ("j-far", "rifle_bn", "japanese", "3,0")]
    far = game(tmp_path, ["......"], units, capacity={"railhead_km": 700, "lorries": 100})  # 26 t a day: 1 point
    assert capacity(far, "japanese") == 1
    assert far.unit("j-near").out_of_supply == 0 and far.unit("j-far").out_of_supply == 1
    nearer = game(tmp_path, ["......"], units, capacity={"railhead_km": 350, "lorries": 100})  # 52 t a day: 2 points
    assert capacity(nearer, "japanese") == 2 and nearer.unit("j-far").out_of_supply == 0


# ------------------------------------------------------------------ the stockpile


def test_unused_haul_is_carried_over_up_to_six_turns_haul(tmp_path):
    state = game(tmp_path, ["...."], [("j-1", "rifle_bn", "japanese", "1,0")], capacity={"points": 5}, last_turn=12)
    assert stockpile(state, "japanese") == 0 and state.supply_left == 5 - 1
    found = []
    for _ in range(10):
        state, _ = next_turn(state)
        found.append(stockpile(state, "japanese"))
    assert found == [4, 8, 12, 16, 20, 24, 28, 30, 30, 30]  # 4 unused a turn, at most 6 x 5
    assert state.supply_left == 30 + 5 - 1  # the pool: the turn's haul and the stockpile


def test_a_build_up_feeds_more_than_the_haul_until_it_is_spent(tmp_path):
    units = [("j-near", "rifle_bn", "japanese", "1,0"), ("j-far", "rifle_bn", "japanese", "2,0")]
    state = game(tmp_path, ["...."], units, capacity={"points": 1, "stockpile": 3}, last_turn=6)
    far = []
    for _ in range(4):
        far.append(state.unit("j-far").out_of_supply)
        state, _ = next_turn(state)
    # pools 4, 3, 2 feed both; then the haul of 1 feeds only the nearer
    assert far == [0, 0, 0, 1]
    without = game(tmp_path, ["...."], units, capacity={"points": 1}, last_turn=6)
    assert without.unit("j-far").out_of_supply == 1


def test_a_side_sees_its_own_stockpile_only(tmp_path):
    state = game(
        tmp_path,
        ["...."],
        [("j-1", "rifle_bn", "japanese", "1,0"), ("s-1", "rifle_bn", "soviet", "3,0")],
        capacity={"points": 5, "stockpile": 7},
    )
    assert engine.observe(state, "japanese").stockpile == 7
    assert engine.observe(state, "soviet").stockpile == 0
    richer = replace(state, stockpiles=(7, 99))
    assert engine.observe(richer, "japanese") == engine.observe(state, "japanese")
    assert believed_state(engine.observe(richer, "japanese")).stockpiles == (7, 0)


# ------------------------------------------------------------------ fuel


def test_the_units_farthest_out_go_without_fuel_when_the_haul_runs_short(tmp_path):
    units = [("j-rifle", "rifle_bn", "japanese", "1,0"), ("j-tank", "fuelled_tank_bn", "japanese", "2,0")]
    full = game(tmp_path, ["......"], units, capacity={"points": 3})
    assert allocate(full, "japanese").fuelled == frozenset({"j-tank"})
    assert not full.unit("j-tank").out_of_fuel and full.unit("j-tank").move_points == 12
    short = game(tmp_path, ["......"], units, capacity={"points": 2})  # upkeep of both, no fuel
    tank = short.unit("j-tank")
    assert allocate(short, "japanese").supplied == frozenset({"j-rifle", "j-tank"})
    assert tank.out_of_supply == 0 and tank.out_of_fuel
    assert tank.move_points == 6  # half
    target = [("s-1", "rifle_bn", "soviet", "3,0")]
    fight = game(tmp_path, ["......"], units + target, capacity={"points": 2})
    fight = replace(fight, phase=Phase.COMBAT)
    plan = plan_attack(fight, [fight.unit("j-tank")], [fight.unit("s-1")], parse_hex("3,0"), 0, 0, False)
    assert plan.attack == 3  # 6 halved


def test_fuel_goes_nearest_first_after_every_units_upkeep(tmp_path):
    units = [
        ("j-t1", "fuelled_tank_bn", "japanese", "1,0"),
        ("j-t2", "fuelled_tank_bn", "japanese", "2,0"),
        ("j-r", "rifle_bn", "japanese", "3,0"),
    ]
    state = game(tmp_path, ["......"], units, capacity={"points": 4})
    allocation = allocate(state, "japanese")
    assert allocation.supplied == frozenset({"j-t1", "j-t2", "j-r"})  # upkeep 3 first
    assert allocation.fuelled == frozenset({"j-t1"})  # then fuel for the nearer tank
    assert allocation.points_left == 0
    assert state.unit("j-t2").out_of_fuel and not state.unit("j-t1").out_of_fuel


def test_fuel_runs_out_when_the_build_up_is_spent(tmp_path):
    state = game(
        tmp_path, ["......"], [("j-tank", "fuelled_tank_bn", "japanese", "2,0")], capacity={"points": 1, "stockpile": 1}, last_turn=4
    )
    assert not state.unit("j-tank").out_of_fuel and state.unit("j-tank").move_points == 12  # haul 1 + stockpile 1
    state, _ = next_turn(state)
    assert state.unit("j-tank").out_of_fuel and state.unit("j-tank").move_points == 6  # the haul alone: upkeep only
    assert state.unit("j-tank").out_of_supply == 0


def test_guns_draw_ammunition_from_what_upkeep_and_fuel_left(tmp_path):
    state = game(tmp_path, ["......"], [("j-1", "rifle_bn", "japanese", "1,0")], capacity={"points": 3})
    assert state.supply_left == 2
    assert ammunition_left(state, ()) == 2  # fire is paid from what the upkeep left
    assert ammunition_left(replace(state, supply_left=None), ()) is None


# ------------------------------------------------------------------ water


WATER = [{"side": "japanese", "terrain": ["h"], "stage": "no recovery", "source": "test"}]


def test_a_water_shortage_puts_units_on_the_terrain_named_in_a_stage(tmp_path):
    units = [("j-hill", "rifle_bn", "japanese", "1,0"), ("j-flat", "rifle_bn", "japanese", "2,0"), ("s-hill", "rifle_bn", "soviet", "5,0")]
    state = game(tmp_path, [".h...h"], units, water=WATER, last_turn=6)
    assert supply_stage(state, state.unit("j-hill")).name == "no recovery"
    assert supply_stage(state, state.unit("j-flat")) is None
    assert supply_stage(state, state.unit("s-hill")) is None  # the other side has its wells
    assert state.unit("j-hill").out_of_supply == 0  # in supply all the same
    weak = [replace(state.unit(u), steps=1) for u in ("j-hill", "j-flat")]
    state = state.with_units(weak)
    for _ in range(3):
        state, _ = next_turn(state)
    assert state.unit("j-hill").steps == 1 and state.unit("j-flat").steps == 2  # no recovery on the heights
    off = game(tmp_path, [".h...h"], units)
    assert supply_stage(off, off.unit("j-hill")) is None  # off unless the scenario switches it on


def test_a_water_shortage_weakens_as_its_stage_says_but_wastes_no_steps(tmp_path):
    harsh = [{**WATER[0], "stage": "wasting"}]
    state = game(
        tmp_path, [".h...."], [("j-hill", "rifle_bn", "japanese", "1,0"), ("s-1", "rifle_bn", "soviet", "2,0")], water=harsh, last_turn=8
    )
    state = replace(state, phase=Phase.COMBAT)
    plan = plan_attack(state, [state.unit("s-1")], [state.unit("j-hill")], parse_hex("1,0"), 0, 0, False)
    assert plan.defence == 3 * 1 // 2 or plan.defence == pytest.approx(1.5)
    assert ("defender out of supply", 1) in plan.shifts
    for _ in range(6):
        state, _ = next_turn(state)
    assert state.unit("j-hill").steps == 2


@pytest.mark.parametrize(
    "shortage, message",
    [
        ({"terrain": ["q"]}, "unknown terrain code 'q'"),
        ({"stage": "parched"}, "unknown supply stage 'parched'"),
        ({"side": "mongol"}, "unknown side 'mongol'"),
    ],
)
def test_a_bad_water_shortage_is_refused_naming_the_field(tmp_path, shortage, message):
    with pytest.raises(ScenarioError) as error:
        game(tmp_path, [".h.."], [("j-1", "rifle_bn", "japanese", "1,0")], water=[{**WATER[0], **shortage}])
    assert message in str(error.value) and "water_shortage" in str(error.value)


def test_a_tank_out_of_fuel_stays_out_of_fuel_when_cut_off(tmp_path):
    """Cut off, a unit runs on what it carries: one that got no fuel carries none, so being cut
    off must not give it back its full move (docs/rules.md: out of fuel until a supply phase fuels it)."""
    units = [
        ("j-rifle", "rifle_bn", "japanese", "1,0"),
        ("j-tank", "fuelled_tank_bn", "japanese", "2,0"),
        ("s-far", "rifle_bn", "soviet", "11,3"),
    ]
    state = game(tmp_path, ["............"] * 4, units, capacity={"points": 2})
    assert state.unit("j-tank").out_of_fuel and state.unit("j-tank").move_points == 6
    state = state.with_unit(replace(state.unit("j-tank"), hex=parse_hex("9,0")))  # beyond the trace
    state, _ = next_turn(state)
    tank = state.unit("j-tank")
    assert tank.out_of_supply == 1 and tank.out_of_fuel and tank.move_points == 6
