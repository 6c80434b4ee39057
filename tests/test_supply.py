"""Supply rules on hand-built positions: tracing, cutting, capacity, and the effects of being
cut off, counted in hours (docs/rules.md, "Supply").

Standard rules data: supply runs along roads up to 30 hexes, then up to 4 hexes across country,
never through an enemy unit nor an enemy zone of control (unless a friendly unit stands there),
across rivers only at bridges.  Cut off, a unit passes through stages: no recovery at once; no
attack after more than 24 hours; defence and move points halved (and the out-of-supply shifts)
after more than 48; a step lost every 24 hours after more than 96.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from fractions import Fraction

import pytest
from conftest import BIG, end_player_turn, make_scenario, next_turn
from hypothesis import given, settings
from hypothesis import strategies as st

from nomonhan import engine
from nomonhan.engine.eligibility import eligible_attackers
from nomonhan.engine.turn import _refresh_move_points
from nomonhan.events import StepLost, SupplyChanged
from nomonhan.hexgrid import Hex, format_hex, parse_hex, parse_hexside
from nomonhan.rules.combat import plan_attack
from nomonhan.rules.movement import zone_of_control
from nomonhan.rules.supply import allocate, hours_cut_off, loses_step, supply_stage, supply_trace
from nomonhan.state import GameState, Phase, UnitStatus

HEAVY = {
    "id": "heavy_bn",
    "name": "Heavy battalion",
    "category": "infantry",
    "size": "battalion",
    "movement_class": "foot",
    "move_points": 6,
    "attack": 3,
    "defence": 3,
    "steps": 2,
    "stack_points": 2,
    "supply_cost": 2,
    "source": "test",
}


def h(text: str) -> Hex:
    return parse_hex(text)


def supply(sources: dict[str, str] | None = None, capacity: dict[str, int] | None = None) -> dict:
    """The scenario's ``supply`` block: side -> source hex, side -> capacity points."""
    return {
        "supply": {
            "sources": [{"side": side, "name": f"{side} depot", "hex": hex_} for side, hex_ in (sources or {}).items()],
            "capacity": [{"side": side, "points": points, "source": "test"} for side, points in (capacity or {}).items()],
        }
    }


def new(tmp_path, rows, units, sources=None, capacity=None, **options) -> GameState:
    extra = supply(sources, capacity)
    return engine.new_game(make_scenario(tmp_path, rows, units, extra=extra, unit_types=[BIG, HEAVY], **options), 1)


def traced(state: GameState, side: str = "japanese") -> dict[str, int]:
    board = state.scenario.board
    return {format_hex(board.hexes[i]): d for i, d in supply_trace(state, side).items()}


def offsets(columns: int, rows: int) -> list[str]:
    return [f"{c},{r}" for r in range(rows) for c in range(columns)]


# ------------------------------------------------------------------ tracing


def test_supply_runs_30_hexes_along_a_road_then_4_across_country(tmp_path):
    columns = 40
    road = [f"{c},0" for c in range(columns)]
    units = [("j-34", "rifle_bn", "japanese", "34,0"), ("j-35", "rifle_bn", "japanese", "35,0"), ("j-far", "rifle_bn", "japanese", "31,1")]
    state = new(tmp_path, ["." * columns] * 2, units, sources={"japanese": "0,0"}, roads=[("road", road)])
    found = traced(state)
    assert found["30,0"] == 30  # the end of the road leg
    assert all(found[f"{c},0"] == c for c in range(31))
    road_reached = [h(f"{c},0") for c in range(31)]
    expected = {x for x in offsets(columns, 2) if min(h(x).distance(r) for r in road_reached) <= 4}
    assert set(found) == expected
    assert "34,0" in found and "35,0" not in found
    assert allocate(state, "japanese").supplied == frozenset({"j-34", "j-far"})
    assert state.unit("j-35").out_of_supply == 1 and state.unit("j-34").out_of_supply == 0
    assert engine.supplied_hexes(state, "japanese") == frozenset(h(x) for x in expected)


def test_supply_runs_4_hexes_across_country_without_roads(tmp_path):
    units = [("j-4", "rifle_bn", "japanese", "4,1"), ("j-5", "rifle_bn", "japanese", "5,1")]
    state = new(tmp_path, ["........"] * 3, units, sources={"japanese": "0,1"})
    found = traced(state)
    assert set(found) == {x for x in offsets(8, 3) if h(x).distance(h("0,1")) <= 4}
    assert all(found[x] == h(x).distance(h("0,1")) for x in found)
    assert state.unit("j-4").out_of_supply == 0 and state.unit("j-5").out_of_supply == 1


def test_supply_does_not_cross_lakes(tmp_path):
    state = new(tmp_path, ["..w..", "..w..", "..w.."], [("j-1", "rifle_bn", "japanese", "3,1")], sources={"japanese": "0,1"})
    assert not any(x.startswith(("2,", "3,", "4,")) for x in traced(state))
    assert state.unit("j-1").out_of_supply == 1


# A corridor: row 0 open (with a road), row 1 lake except 5,1.  A unit at 5,1 (odd column)
# controls only 5,0 of the corridor.
CORRIDOR = ["..........", "wwwww.wwww"]
CORRIDOR_ROAD = [("road", [f"{c},0" for c in range(10)])]


@pytest.mark.parametrize(
    "others, lines, supplied",
    [
        ([], [], True),
        ([("s-1", "rifle_bn", "soviet", "5,1")], [], False),  # enemy ZOC on 5,0 cuts the line
        ([("s-1", "rifle_bn", "soviet", "5,1"), ("j-2", "rifle_bn", "japanese", "5,0")], [], True),  # unless a friend stands there
        ([("s-a", "artillery_bn", "soviet", "5,1")], [], True),  # artillery exerts no ZOC
        ([("s-a", "artillery_bn", "soviet", "5,0")], [], False),  # an enemy unit in the way
        ([("s-1", "rifle_bn", "soviet", "5,1")], [("river", ["5,0:S"])], True),  # no ZOC across a river
    ],
    ids=["open", "enemy-zoc", "friend-in-zoc", "no-zoc-artillery", "enemy-unit", "zoc-across-river"],
)
def test_supply_cut_by_enemy_units_and_zoc(tmp_path, others, lines, supplied):
    units = [("j-1", "rifle_bn", "japanese", "8,0"), *others]
    state = new(tmp_path, CORRIDOR, units, sources={"japanese": "0,0"}, roads=CORRIDOR_ROAD, hexside_lines=lines)
    assert ("8,0" in traced(state)) == supplied
    assert ("j-1" in allocate(state, "japanese").supplied) == supplied
    assert state.unit("j-1").out_of_supply == (0 if supplied else 1)


def test_enemy_source_hex_blocked_supplies_nothing(tmp_path):
    # the source itself in enemy ZOC with no friend on it
    units = [("j-1", "rifle_bn", "japanese", "1,0"), ("s-1", "rifle_bn", "soviet", "5,1")]
    state = new(tmp_path, CORRIDOR, units, sources={"japanese": "5,0"}, roads=CORRIDOR_ROAD)
    assert traced(state) == {}
    assert state.unit("j-1").out_of_supply == 1


RIVER_EAST_OF_COL_1 = ["1,0:NE", "1,0:SE", "1,1:NE", "1,1:SE", "1,2:NE"]


@pytest.mark.parametrize(
    "feature, bridges, supplied",
    [("river", [], False), ("river", ["1,1:NE"], True), ("stream", [], True)],
    ids=["river", "bridge", "stream"],
)
def test_supply_crosses_rivers_only_at_bridges(tmp_path, feature, bridges, supplied):
    state = new(
        tmp_path,
        ["....", "....", "...."],
        [("j-1", "rifle_bn", "japanese", "3,1")],
        sources={"japanese": "0,1"},
        hexside_lines=[(feature, RIVER_EAST_OF_COL_1)],
        bridges=bridges,
    )
    assert ("3,1" in traced(state)) == supplied
    assert state.unit("j-1").out_of_supply == (0 if supplied else 1)


def test_a_pontoon_carries_supply_and_a_blown_bridge_stops_it(tmp_path):
    state = new(
        tmp_path,
        ["....", "....", "...."],
        [("j-1", "rifle_bn", "japanese", "3,1")],
        sources={"japanese": "0,1"},
        hexside_lines=[("river", RIVER_EAST_OF_COL_1)],
        bridges=["1,1:NE"],
    )
    assert "3,1" in traced(state)
    blown = replace(state, bridges=frozenset())
    assert "3,1" not in traced(blown) and "j-1" not in allocate(blown, "japanese").supplied
    pontoon = replace(blown, bridges=frozenset({parse_hexside("1,0:SE")}))
    assert "3,1" in traced(pontoon)


LONG_ROAD_MAP = ["." * 36] * 4  # a road longer than supply runs along it, and a river with two crossings
LONG_ROAD = [("road", [f"{c},1" for c in range(36)])]
RIVER_AT_COL_20 = [("river", [f"20,{r}:SE" for r in range(4)] + [f"20,{r}:NE" for r in range(1, 4)])]
CROSSINGS = [parse_hexside("20,0:SE"), parse_hexside("20,2:NE")]
TRACE_UNITS = [(f"j-{n}", "rifle_bn", "japanese", f"{n},3") for n in range(4)] + [
    (f"s-{n}", "artillery_bn" if n == 0 else "rifle_bn", "soviet", f"{30 + n},3") for n in range(5)
]


@pytest.fixture(scope="module")
def trace_game(tmp_path_factory):
    return new(
        tmp_path_factory.mktemp("trace"),
        LONG_ROAD_MAP,
        TRACE_UNITS,
        sources={"japanese": "0,1", "soviet": "35,1"},
        roads=LONG_ROAD,
        hexside_lines=RIVER_AT_COL_20,
    )


def literal_trace(state: GameState, side: str) -> dict[int, int]:
    """The supply rule read literally: breadth-first over every (hex, hexes run off road) state,
    nothing pruned and nothing kept between calls."""
    board, rules = state.scenario.board, state.scenario.rules.supply
    enemies = [u for u in state.units if u.on_map and u.side != side]
    friendly = {board.index[u.hex] for u in state.units if u.on_map and u.side == side}
    closed = {board.index[u.hex] for u in enemies} | (zone_of_control(state.scenario, enemies, state.clock) - friendly)
    bridges = {board.edge_keys[s] for s in state.bridges}
    sources = [board.index[parse_hex(s.hex)] for s in state.scenario.model.supply.sources if s.side == side]
    queue = deque((i, 0, 0) for i in sources if i not in closed)
    seen, distance = {(i, 0) for i, _, _ in queue}, {}
    while queue:
        here, off_road, length = queue.popleft()
        distance.setdefault(here, length)
        for edge in board.edges[here]:
            if (edge.bridged_cost if edge.key in bridges else edge.cost)[rules.movement_class] is None or edge.to in closed:
                continue
            if edge.road and off_road == 0 and length < rules.road_trace_hexes:
                following = (edge.to, 0)
            elif off_road < rules.trace_hexes:
                following = (edge.to, off_road + 1)
            else:
                continue
            if following not in seen:
                seen.add(following)
                queue.append((*following, length + 1))
    return distance


@settings(max_examples=60, deadline=None)
@given(
    places=st.lists(st.tuples(st.integers(0, 35), st.integers(0, 3)), min_size=len(TRACE_UNITS), max_size=len(TRACE_UNITS), unique=True),
    crossings=st.sets(st.sampled_from(CROSSINGS)),
    side=st.sampled_from(["japanese", "soviet"]),
)
def test_the_supply_trace_equals_the_rule_read_literally(trace_game, places, crossings, side):
    units = tuple(replace(u, hex=Hex.from_offset(c, r)) for u, (c, r) in zip(trace_game.units, places))
    state = replace(trace_game, units=units, bridges=frozenset(crossings))  # a fresh state: nothing memoised
    assert supply_trace(state, side) == literal_trace(state, side)


# ------------------------------------------------------------------ capacity


def test_capacity_is_shared_nearest_first(tmp_path):
    road = [("road", [f"{c},0" for c in range(8)])]
    units = [("j-a", "rifle_bn", "japanese", "3,0"), ("j-b", "rifle_bn", "japanese", "1,0"), ("j-c", "rifle_bn", "japanese", "2,0")]
    state = new(tmp_path, ["........"], units, sources={"japanese": "0,0"}, capacity={"japanese": 2}, roads=road)
    allocation = allocate(state, "japanese")
    assert allocation.supplied == frozenset({"j-b", "j-c"})
    assert allocation.points_left == 0
    assert state.supply_left == 0
    assert [state.unit(u).out_of_supply for u in ("j-a", "j-b", "j-c")] == [1, 0, 0]


@pytest.mark.parametrize("first, second", [("j-a", "j-b"), ("j-b", "j-a")])
def test_capacity_ties_go_by_order_of_battle(tmp_path, first, second):
    # 1,0 and 0,1 are both next to the depot at 0,0
    units = [(first, "rifle_bn", "japanese", "1,0"), (second, "rifle_bn", "japanese", "0,1")]
    state = new(tmp_path, ["....", "...."], units, sources={"japanese": "0,0"}, capacity={"japanese": 1})
    assert allocate(state, "japanese").supplied == frozenset({first})


def test_capacity_counts_each_units_supply_cost(tmp_path):
    units = [("j-h", "heavy_bn", "japanese", "1,0"), ("j-1", "rifle_bn", "japanese", "2,0"), ("j-2", "rifle_bn", "japanese", "3,0")]
    state = new(tmp_path, ["....", "...."], units, sources={"japanese": "0,0"}, capacity={"japanese": 3})
    allocation = allocate(state, "japanese")
    assert allocation.supplied == frozenset({"j-h", "j-1"}) and allocation.points_left == 0  # 2 + 1
    roomy = new(tmp_path, ["....", "...."], units, sources={"japanese": "0,0"}, capacity={"japanese": 10})
    assert allocate(roomy, "japanese").supplied == frozenset({"j-h", "j-1", "j-2"}) and roomy.supply_left == 6


def test_capacity_counts_only_the_sides_own_entries(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "1,0"), ("s-1", "rifle_bn", "soviet", "3,1")]
    state = new(tmp_path, ["....", "...."], units, sources={"japanese": "0,0", "soviet": "3,0"}, capacity={"soviet": 0})
    assert allocate(state, "japanese").supplied == frozenset({"j-1"}) and allocate(state, "japanese").points_left is None
    assert allocate(state, "soviet").supplied == frozenset() and allocate(state, "soviet").points_left == 0


def test_nearest_first_means_the_shortest_supply_line(tmp_path):
    """Capacity goes to the units nearest the source first (docs/rules.md, "Capacity").

    j-a stands 2 hexes across country from the depot at 0,0; j-b stands 5 hexes along the road.
    The road loops round (0,0 -> 5,0 -> 5,2 -> 1,2) and passes next to j-a, but j-a's shortest
    supply line is still 2 hexes, so with capacity for one unit j-a is supplied, not j-b.
    """
    loop = ["0,0", "1,0", "2,0", "3,0", "4,0", "5,0", "5,1", "5,2", "4,2", "3,2", "2,2", "1,2"]
    units = [("j-a", "rifle_bn", "japanese", "0,2"), ("j-b", "rifle_bn", "japanese", "5,0")]
    state = new(tmp_path, ["......"] * 3, units, sources={"japanese": "0,0"}, capacity={"japanese": 1}, roads=[("road", loop)])
    assert allocate(state, "japanese").supplied == frozenset({"j-a"})
    assert traced(state)["0,2"] == 2  # supply_trace: "hexes of supply line from the nearest source"


def test_no_sources_means_always_supplied(tmp_path):
    # the soviets have no sources: their supply is not modelled; the japanese unit far away is cut off
    units = [("j-1", "rifle_bn", "japanese", "9,0"), ("s-1", "rifle_bn", "soviet", "0,2"), ("s-2", "rifle_bn", "soviet", "9,2")]
    state = new(tmp_path, [".........."] * 3, units, sources={"japanese": "0,0"}, capacity={"soviet": 0}, last_turn=3)
    assert allocate(state, "soviet").supplied == frozenset({"s-1", "s-2"})
    for _ in range(2):
        state, _ = next_turn(state)
        assert state.unit("s-1").out_of_supply == 0 and state.unit("s-2").out_of_supply == 0
    assert state.unit("j-1").out_of_supply == 3
    bare = engine.new_game(
        make_scenario(tmp_path, ["...."], [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "3,0")]), 1
    )
    assert allocate(bare, "japanese").supplied == frozenset({"j-1"}) and allocate(bare, "soviet").supplied == frozenset({"s-1"})
    assert bare.supply_left is None


# ------------------------------------------------------------------ being cut off: the stages, in hours


def stage_name(state: GameState, unit) -> str | None:
    stage = supply_stage(state, unit)
    return None if stage is None else stage.name


@pytest.mark.parametrize(
    "turn_hours, out_of_supply, stage, loses",
    [
        (12, 0, None, False),
        (12, 1, "no recovery", False),
        (12, 2, "no recovery", False),
        (12, 3, "no attack", False),
        (12, 4, "no attack", False),
        (12, 5, "weakened", False),
        (12, 8, "weakened", False),
        (12, 9, "wasting", True),
        (12, 10, "wasting", False),
        (12, 11, "wasting", True),
        (3, 1, "no recovery", False),
        (3, 8, "no recovery", False),
        (3, 9, "no attack", False),
        (3, 17, "weakened", False),
        (3, 32, "weakened", False),
        (3, 33, "wasting", True),
        (3, 34, "wasting", False),
        (3, 41, "wasting", True),
        (24, 1, "no recovery", False),
        (24, 2, "no attack", False),
        (24, 3, "weakened", False),
        (24, 5, "wasting", True),
        (24, 6, "wasting", True),
    ],
)
def test_the_stage_follows_the_hours_cut_off(tmp_path, turn_hours, out_of_supply, stage, loses):
    state = engine.new_game(make_scenario(tmp_path, ["...."], [("j-1", "rifle_bn", "japanese", "0,0")], turn_hours=turn_hours), 1)
    unit = replace(state.unit("j-1"), out_of_supply=out_of_supply)
    assert hours_cut_off(state, unit) == out_of_supply * turn_hours
    assert stage_name(state, unit) == stage
    assert loses_step(state, unit) == loses


@pytest.mark.parametrize("turn_hours", [1, 2, 3, 4, 6, 12, 24])
def test_short_turns_are_no_harsher_than_12_hour_turns(tmp_path, turn_hours):
    """At most one step a day, none in the first four days, and by each day's end as many steps
    as with 12-hour turns."""
    state = engine.new_game(make_scenario(tmp_path, ["...."], [("j-1", "rifle_bn", "japanese", "0,0")], turn_hours=turn_hours), 1)
    unit = state.unit("j-1")
    loss_hours = [k * turn_hours for k in range(1, 240 // turn_hours + 1) if loses_step(state, replace(unit, out_of_supply=k))]
    assert all(later - earlier >= 24 for earlier, later in zip(loss_hours, loss_hours[1:]))
    assert all(hours > 96 for hours in loss_hours)
    for day in range(1, 11):
        assert sum(1 for hours in loss_hours if hours <= 24 * day) == max(0, day - 4)


CUT_OFF = ["........", "........"]  # source at 0,0; the unit at 7,1 is 7 hexes away across country


def _cut_off_game(tmp_path, turn_hours: int, last_turn: int, type_id: str = "big_bn", start: str = "1939-07-02T06:00:00") -> GameState:
    units = [("j-1", type_id, "japanese", "7,1"), ("s-1", "rifle_bn", "soviet", "0,1")]
    return new(tmp_path, CUT_OFF, units, sources={"japanese": "0,0"}, turn_hours=turn_hours, last_turn=last_turn, start=start)


def _japanese_turns(state: GameState):
    """(turn, state at the japanese movement phase, events of that turn's start) for every turn."""
    events: list = []
    while True:
        assert state.active_side == "japanese" and state.phase is Phase.MOVEMENT
        yield state.turn, state, events
        state, events = next_turn(state)
        if state.game_over:
            return


def test_a_cut_off_unit_passes_through_the_stages_and_loses_a_step_a_day_after_four_days(tmp_path):
    seen = {}
    for turn, state, events in _japanese_turns(_cut_off_game(tmp_path, 12, 12)):
        unit = state.unit("j-1")
        seen[turn] = (stage_name(state, unit), unit.steps, unit.move_points)
        if turn > 1:
            assert SupplyChanged("j-1", turn) in events
            assert (StepLost("j-1", "out of supply") in events) == (turn in (9, 11))
    assert seen == {
        1: ("no recovery", 6, 6),
        2: ("no recovery", 6, 6),
        3: ("no attack", 6, 6),
        4: ("no attack", 6, 6),
        5: ("weakened", 6, 3),
        6: ("weakened", 6, 3),
        7: ("weakened", 6, 3),
        8: ("weakened", 6, 3),
        9: ("wasting", 5, 3),
        10: ("wasting", 5, 3),
        11: ("wasting", 4, 3),
        12: ("wasting", 4, 3),
    }


@pytest.mark.parametrize("turn_hours", [3, 12])
def test_a_cut_off_regiment_not_in_combat_keeps_at_least_half_its_steps_after_96_hours(tmp_path, turn_hours):
    """The 23rd Division's pocket held from 25-26 to 31 August 1939 (REFERENCE A1): an encircled
    force fights on for days rather than melting away."""
    last_turn = 96 // turn_hours
    for turn, state, _events in _japanese_turns(_cut_off_game(tmp_path, turn_hours, last_turn)):
        unit = state.unit("j-1")
        assert unit.on_map and unit.steps >= 3, (turn, unit.steps)
    assert hours_cut_off(state, unit) == 96


def test_supply_restored_resets_the_count(tmp_path):
    units = [("j-1", "big_bn", "japanese", "8,0"), ("s-a", "artillery_bn", "soviet", "5,0")]
    state = new(tmp_path, CORRIDOR, units, sources={"japanese": "0,0"}, roads=CORRIDOR_ROAD, last_turn=12)
    for _ in range(8):
        state, _ = next_turn(state)
    assert state.unit("j-1").out_of_supply == 9 and state.unit("j-1").steps == 5
    # the blocker goes; at the next japanese supply phase the line is open again
    state = state.with_unit(replace(state.unit("s-a"), status=UnitStatus.ELIMINATED, hex=None, steps=0))
    state, events = next_turn(state)
    unit = state.unit("j-1")
    assert SupplyChanged("j-1", 0) in events
    assert unit.out_of_supply == 0 and unit.steps == 5 and unit.move_points == 6
    assert supply_stage(state, unit) is None
    assert not any(isinstance(e, StepLost) for e in events)


def test_weakened_units_have_halved_move_points_and_night_halves_again(tmp_path):
    # odd turns at 21:00 (night), even turns at 09:00 (day); weakened from turn 5 (60 hours)
    found = {
        turn: state.unit("j-1").move_points
        for turn, state, _ in _japanese_turns(_cut_off_game(tmp_path, 12, 6, "rifle_bn", "1939-07-02T21:00:00"))
    }
    assert found == {1: 3, 2: 6, 3: 3, 4: 6, 5: 1, 6: 3}  # night 6 -> 3; both 6 -> 3 -> 1; weakened 6 -> 3


def test_the_cuts_of_move_points_round_down_in_turn(tmp_path):
    # A designer's rules with fuel at 75%: an 8-point lorried battalion, weakened (50%) and out of
    # fuel, by day: 8 -> 4 -> 3, as each cut rounds down in turn (not 8 x 37% = 2).
    (tmp_path / "custom.yaml").write_text("extends: standard\nid: custom\ntitle: fuel at 75%\nsupply:\n  out_of_fuel_move_pct: 75\n")
    lorried = {"id": "lorry_bn", "name": "Lorried battalion", "category": "motorized", "size": "battalion", "movement_class": "wheeled"}
    lorried |= {"move_points": 8, "attack": 2, "defence": 2, "steps": 2, "fuel_cost": 1, "stack_points": 2, "source": "test"}
    units = [("j-1", "lorry_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "3,1")]
    state = engine.new_game(make_scenario(tmp_path, ["....", "...."], units, unit_types=[lorried], rules="custom"), 1)
    state = state.with_unit(replace(state.unit("j-1"), out_of_supply=5, out_of_fuel=True))  # 60 hours cut off
    assert not state.is_night and stage_name(state, state.unit("j-1")) == "weakened"
    assert _refresh_move_points(state).unit("j-1").move_points == 3


def test_each_stage_weakens_attack_and_defence_as_its_data_says(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("s-1", "rifle_bn", "soviet", "3,1")]
    state = replace(new(tmp_path, ["......"] * 3, units), phase=Phase.COMBAT)

    def plan(japanese_oos: int, soviet_oos: int):
        s = state.with_units([replace(state.unit("j-1"), out_of_supply=japanese_oos), replace(state.unit("s-1"), out_of_supply=soviet_oos)])
        p = plan_attack(s, [s.unit("j-1")], [s.unit("s-1")], h("3,1"), 0, 0, False)
        return p.attack, p.defence, [name for name, _ in p.shifts], [u.id for u in eligible_attackers(s, h("3,1"))]

    assert plan(0, 0) == (3, 3, [], ["j-1"])
    # no recovery (12 h): full strength, no shift
    assert plan(1, 1) == (3, 3, [], ["j-1"])
    # no attack (36 h): it may not attack; its defence is whole
    assert plan(3, 3) == (0, 3, [], [])
    # weakened (60 h): defence halved and the out-of-supply shifts apply
    assert plan(0, 5) == (3, Fraction(3, 2), ["defender out of supply"], ["j-1"])
    assert plan(5, 0)[2:] == (["attacker out of supply"], [])


def test_a_cut_off_unit_does_not_recover(tmp_path):
    units = [("j-1", "big_bn", "japanese", "7,1")]
    state = new(tmp_path, CUT_OFF, units, sources={"japanese": "0,0"}, last_turn=8)
    state = state.with_unit(replace(state.unit("j-1"), steps=4))
    for _ in range(4):
        state, events = next_turn(state)
        assert state.unit("j-1").steps == 4 and state.unit("j-1").out_of_supply > 0
    # back in supply (the source moved next to it), it rests and recovers
    near = new(tmp_path, CUT_OFF, units, sources={"japanese": "6,1"}, last_turn=8)
    near = near.with_unit(replace(near.unit("j-1"), steps=4))
    for _ in range(4):
        near, events = next_turn(near)
    assert near.unit("j-1").steps > 4


def test_only_the_active_sides_supply_is_traced_in_its_phase(tmp_path):
    # both sides have sources; each side's units are checked in that side's own supply phase
    units = [("j-1", "rifle_bn", "japanese", "9,0"), ("s-1", "rifle_bn", "soviet", "0,2")]
    state = new(tmp_path, [".........."] * 3, units, sources={"japanese": "0,0", "soviet": "9,2"}, last_turn=3)
    assert state.unit("j-1").out_of_supply == 1 and state.unit("s-1").out_of_supply == 0
    state, events = end_player_turn(state)
    assert state.active_side == "soviet"
    assert state.unit("s-1").out_of_supply == 1 and SupplyChanged("s-1", 1) in events
    assert state.unit("j-1").out_of_supply == 1


def test_capacity_never_feeds_a_farther_unit_before_a_nearer_one(tmp_path):
    """Nearest first, strictly: when the nearer unit's cost does not fit what is left, the
    farther, cheaper one is not fed in its place (the first edition skipped ahead)."""
    units = [("j-1", "rifle_bn", "japanese", "1,0"), ("j-h", "heavy_bn", "japanese", "2,0"), ("j-2", "rifle_bn", "japanese", "3,0")]
    state = new(tmp_path, ["....", "...."], units, sources={"japanese": "0,0"}, capacity={"japanese": 2})
    allocation = allocate(state, "japanese")
    assert allocation.supplied == frozenset({"j-1"}) and allocation.points_left == 1
