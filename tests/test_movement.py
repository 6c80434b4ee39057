"""Movement rules on hand-built positions: every test states a position and its exact result.

Maps are small and drawn inline (``make_scenario``); hexes are 'col,row' (odd-q, north up).
Standard rules data: steppe 2, road 1, marsh 4 (foot) / impassable (wheeled), lake impassable,
river impassable without a bridge and blocking ZOC, stacking limit 6 (battalions are 2 points),
ZOC leave cost 2, spotting 3 hexes by day and 1 at night.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import LORRY, end_player_turn, make_scenario, next_turn

from nomonhan import engine
from nomonhan.actions import IllegalActionError, Move
from nomonhan.events import MoveInterrupted, ReinforcementArrived, ReinforcementDelayed, UnitMoved
from nomonhan.hexgrid import Hexside, format_hex, parse_hex, parse_hexside
from nomonhan.rules.movement import zone_of_control
from nomonhan.state import GameState, UnitStatus

# Column 1's whole eastern edge on a 4 x 3 map: cols 0-1 and cols 2-3 are cut apart.
RIVER_EAST_OF_COL_1 = ["1,0:NE", "1,0:SE", "1,1:NE", "1,1:SE", "1,2:NE"]


def h(text: str):
    return parse_hex(text)


def costs(state: GameState, unit_id: str) -> dict[str, int]:
    """Every hex the unit can reach (its own at 0) -> cost, as 'col,row' text."""
    return {format_hex(hex_): cost for hex_, cost in engine.reach(state, unit_id).hexes().items()}


def dests(state: GameState, unit_id: str) -> set[str]:
    return {format_hex(hex_) for hex_ in engine.destinations(state, unit_id)}


def place(state: GameState, unit_id: str, hex_text: str, move_points: int | None = None) -> GameState:
    unit = state.unit(unit_id)
    changes = {"hex": h(hex_text), "status": UnitStatus.ON_MAP}
    if move_points is not None:
        changes["move_points"] = move_points
    return state.with_unit(replace(unit, **changes))


# ------------------------------------------------------------------ rivers and bridges


def test_river_without_bridge_cannot_be_crossed(tmp_path):
    scenario = make_scenario(
        tmp_path, ["....", "....", "...."], [("j-1", "rifle_bn", "japanese", "1,1")], hexside_lines=[("river", RIVER_EAST_OF_COL_1)]
    )
    state = engine.new_game(scenario, 1)
    reached = costs(state, "j-1")
    assert not any(text.startswith(("2,", "3,")) for text in reached)
    assert "2,1" not in dests(state, "j-1")
    assert reached == {"0,0": 4, "0,1": 2, "0,2": 2, "1,0": 2, "1,1": 0, "1,2": 2}
    with pytest.raises(IllegalActionError):
        engine.step(state, Move("j-1", h("2,1")))


def test_river_with_bridge_can_be_crossed(tmp_path):
    scenario = make_scenario(
        tmp_path,
        ["....", "....", "...."],
        [("j-1", "rifle_bn", "japanese", "1,1")],
        hexside_lines=[("river", RIVER_EAST_OF_COL_1)],
        bridges=["1,1:NE"],  # 1,1 <-> 2,1
    )
    state = engine.new_game(scenario, 1)
    reached = costs(state, "j-1")
    assert reached["2,1"] == 2  # a bridge crosses as if the river were absent
    assert reached["2,0"] == 4 and reached["2,2"] == 4  # on through the bridge, not across the river
    assert engine.reach(state, "j-1").path_to(h("2,2")) == [h("1,1"), h("2,1"), h("2,2")]
    new_state, events = engine.step(state, Move("j-1", h("2,1")))
    assert new_state.unit("j-1").hex == h("2,1")
    assert new_state.unit("j-1").move_points == 4
    assert events == [UnitMoved("j-1", (h("1,1"), h("2,1")), 2)]


def test_crossing_bridge_is_the_only_way_over(crossing):
    state = engine.new_game(crossing, 1)
    reach = engine.reach(state, "j-2")  # 2,5 on the road, 6 move points
    assert reach.path_to(h("5,5")) == [h("2,5"), h("3,5"), h("4,5"), h("5,5")]
    assert reach.hexes()[h("5,5")] == 4  # road 1 + 1, then steppe 2 over the bridge
    assert h("5,4") in reach.hexes()  # via the bridge (6), never straight over 4,5:NE
    assert reach.path_to(h("5,4"))[-2] == h("5,5")
    unbridged = replace(state, bridges=frozenset())
    assert not any(hex_.to_offset()[0] >= 5 for hex_ in engine.reach(unbridged, "j-2").hexes())


# ------------------------------------------------------------------ terrain and road costs


def test_terrain_and_road_costs(tmp_path):
    scenario = make_scenario(
        tmp_path,
        [".....", ".mw..", "....."],
        [
            ("j-road", "rifle_bn", "japanese", "0,0"),
            ("j-foot", "rifle_bn", "japanese", "0,1"),
            {"id": "j-lorry", "type": "lorry_bn", "side": "japanese", "hex": "0,1"},
        ],
        roads=[("road", ["0,0", "1,0", "2,0", "3,0", "4,0"])],
        unit_types=[LORRY],
    )
    state = engine.new_game(scenario, 1)
    road = costs(state, "j-road")
    assert [road[f"{col},0"] for col in range(5)] == [0, 1, 2, 3, 4]  # 1 per hex along the road
    assert road["0,1"] == 2  # off the road: steppe 2
    foot = costs(state, "j-foot")
    assert foot["1,1"] == 4  # marsh costs foot 4
    assert foot["0,0"] == 2 and foot["0,2"] == 2  # steppe 2
    assert foot["1,0"] == 2  # a road hex entered from off the road costs its terrain
    assert "2,1" not in foot  # lake: impassable
    lorry = costs(state, "j-lorry")
    assert "1,1" not in lorry  # marsh: impassable for wheeled units
    assert "2,1" not in lorry
    assert lorry["0,2"] == 2 and lorry["1,2"] == 4 and lorry["2,2"] == 6  # round the marsh
    assert "1,1" in dests(state, "j-foot") and "1,1" not in dests(state, "j-lorry")


def test_tracked_marsh_and_hills_costs_on_crossing(crossing):
    state = place(engine.new_game(crossing, 1), "j-tank", "3,2")  # next to the marsh at 4,2
    tank = costs(state, "j-tank")
    assert tank["4,2"] == 6  # marsh costs tracked 6
    j2 = costs(engine.new_game(crossing, 1), "j-2")
    assert j2["2,4"] == 3  # hills cost foot 3


# ------------------------------------------------------------------ zones of control

# A corridor: row 0 is open; row 1 is lake except 4,1.  A unit at 4,1 controls 3,0, 4,0 and 5,0.
CORRIDOR = ["..........", "wwww.wwwww"]


def corridor(tmp_path, units, **options):
    return engine.new_game(make_scenario(tmp_path, CORRIDOR, units, **options), 1)


def test_entering_enemy_zoc_ends_the_move(tmp_path):
    state = corridor(tmp_path, [("j-tank", "tank_bn", "japanese", "1,0"), ("s-1", "rifle_bn", "soviet", "4,1")])
    assert {u.id for u in engine.observe(state, "japanese").enemy_units} == {"s-1"}
    assert costs(state, "j-tank") == {"0,0": 2, "1,0": 0, "2,0": 2, "3,0": 4}  # 12 MP, but 3,0 is ZOC
    assert dests(state, "j-tank") == {"0,0", "2,0", "3,0"}
    new_state, events = engine.step(state, Move("j-tank", h("3,0")))
    tank = new_state.unit("j-tank")
    assert tank.hex == h("3,0")
    assert tank.halted and tank.move_points == 12 - 4  # kept for an overrun, but it moves no further
    assert events == [UnitMoved("j-tank", (h("1,0"), h("2,0"), h("3,0")), 4)]
    assert all(not (isinstance(a, Move) and a.unit == "j-tank") for a in engine.legal_actions(new_state))


def test_leaving_enemy_zoc_costs_extra(tmp_path):
    state = corridor(tmp_path, [("j-1", "rifle_bn", "japanese", "3,0"), ("s-1", "rifle_bn", "soviet", "4,1")])
    reached = costs(state, "j-1")
    assert reached == {"1,0": 6, "2,0": 4, "3,0": 0}  # steppe 2 + leave_cost 2, then 2 more
    new_state, _ = engine.step(state, Move("j-1", h("2,0")))
    assert new_state.unit("j-1").move_points == 6 - 4


def test_zoc_to_zoc_forbidden_by_default(tmp_path):
    state = corridor(tmp_path, [("j-1", "rifle_bn", "japanese", "3,0"), ("s-1", "rifle_bn", "soviet", "4,1")])
    assert "4,0" not in dests(state, "j-1")
    with pytest.raises(IllegalActionError):
        engine.step(state, Move("j-1", h("4,0")))


def test_zoc_to_zoc_allowed_by_special_rule(tmp_path):
    state = corridor(
        tmp_path,
        [("j-1", "rifle_bn", "japanese", "3,0"), ("s-1", "rifle_bn", "soviet", "4,1")],
        special_rules={"zoc_to_zoc": True},
    )
    reached = costs(state, "j-1")
    assert reached["4,0"] == 4  # steppe 2 + leave cost 2
    assert "5,0" not in reached  # entering 4,0 (ZOC) still ends the move
    new_state, _ = engine.step(state, Move("j-1", h("4,0")))
    assert new_state.unit("j-1").hex == h("4,0") and new_state.unit("j-1").halted


def test_zoc_does_not_extend_across_a_river(tmp_path):
    units = [("j-tank", "tank_bn", "japanese", "1,0"), ("s-1", "rifle_bn", "soviet", "4,1")]
    plain = corridor(tmp_path, units)
    river = corridor(tmp_path, units, hexside_lines=[("river", ["3,0:SE"])])  # 3,0 | 4,1

    def controlled(state: GameState) -> set[str]:
        board = state.scenario.board
        return {format_hex(board.hexes[i]) for i in zone_of_control(state.scenario, [state.unit("s-1")], state.clock)}

    assert controlled(plain) == {"3,0", "4,0", "5,0", "3,1", "5,1"}  # 3,1 and 5,1 are lake
    assert controlled(river) == {"4,0", "5,0", "3,1", "5,1"}
    reached = costs(river, "j-tank")
    assert reached["3,0"] == 4 and reached["4,0"] == 6  # 3,0 no longer stops the tank
    assert "5,0" not in reached  # 4,0 still is ZOC
    new_state, _ = engine.step(river, Move("j-tank", h("3,0")))
    assert new_state.unit("j-tank").move_points == 12 - 4


# ------------------------------------------------------------------ stacking


def test_zoc_does_not_extend_across_a_border_its_side_may_not_cross(tmp_path):
    # Troops ordered to stay behind a line cannot interdict beyond it (Lake Khasan, 1938).
    units = [("j-tank", "tank_bn", "japanese", "1,0"), ("s-1", "rifle_bn", "soviet", "4,1")]
    border = [("claim", ["3,0:SE"])]  # 3,0 | 4,1
    bound = corridor(tmp_path, units, borders=border, special_rules={"border_crossing_forbidden": [{"side": "soviet", "border": "claim"}]})
    free = corridor(tmp_path, units, borders=border)

    def controlled(state: GameState) -> set[str]:
        return {format_hex(state.scenario.board.hexes[i]) for i in zone_of_control(state.scenario, [state.unit("s-1")], state.clock)}

    assert "3,0" in controlled(free)
    assert "3,0" not in controlled(bound)


def test_stacking_limit_applies_where_a_move_ends_not_on_the_way(tmp_path):
    scenario = make_scenario(
        tmp_path,
        ["......."],
        [
            ("j-mover", "rifle_bn", "japanese", "0,0"),
            ("j-a", "rifle_bn", "japanese", "1,0"),
            ("j-b", "rifle_bn", "japanese", "1,0"),  # 1,0: 4 points, room for 2 more
            ("j-c", "rifle_bn", "japanese", "2,0"),
            ("j-d", "rifle_bn", "japanese", "2,0"),
            ("j-e", "rifle_bn", "japanese", "2,0"),  # 2,0: 6 points, full
        ],
    )
    state = engine.new_game(scenario, 1)
    assert costs(state, "j-mover")["2,0"] == 4
    assert dests(state, "j-mover") == {"1,0", "3,0"}  # 2,0 is full; 4+2 = 6 at 1,0 is allowed
    assert Move("j-mover", h("2,0")) not in list(engine.legal_actions(state))
    new_state, events = engine.step(state, Move("j-mover", h("3,0")))  # through the full stack
    assert new_state.unit("j-mover").hex == h("3,0")
    assert events == [UnitMoved("j-mover", (h("0,0"), h("1,0"), h("2,0"), h("3,0")), 6)]
    with pytest.raises(IllegalActionError):
        engine.step(state, Move("j-mover", h("2,0")))


# ------------------------------------------------------------------ borders and fording


def test_border_stops_soviet_units_but_not_japanese(crossing):
    state = engine.new_game(crossing, 1)
    for unit_id in ("s-1", "s-2"):
        assert all(hex_.to_offset()[0] >= 8 for hex_ in engine.reach(state, unit_id).hexes())
    japanese = place(state, "j-1", "7,4")
    assert costs(japanese, "j-1")["8,4"] == 2  # 7,4:NE is on the claimed border line
    assert "8,4" in dests(japanese, "j-1")
    # The soviet unit at 8,4 cannot step back over the line to 7,4 (the same hexside).
    soviet = place(state, "s-1", "8,4")
    assert "7,4" not in costs(soviet, "s-1")
    assert "7,3" not in costs(soviet, "s-1")


def test_river_fording_lets_one_class_cross_at_its_cost(tmp_path):
    scenario = make_scenario(
        tmp_path,
        ["....", "....", "...."],
        [("j-cav", "cavalry_rgt", "japanese", "1,1"), ("j-foot", "rifle_bn", "japanese", "1,0")],
        hexside_lines=[("river", RIVER_EAST_OF_COL_1)],
        special_rules={"river_fording": [{"movement_class": "cavalry", "feature": "river", "cost": 3}]},
    )
    state = engine.new_game(scenario, 1)
    cavalry = costs(state, "j-cav")
    assert cavalry["2,1"] == 2 + 3 and cavalry["2,2"] == 2 + 3
    assert cavalry["3,1"] == 2 + 3 + 2
    assert not any(text.startswith(("2,", "3,")) for text in costs(state, "j-foot"))  # foot may not ford


# ------------------------------------------------------------------ paths


def _step_cost(state: GameState, a, b, movement_class: str) -> int:
    """An independent price of one step, from the rules data (not the compiled edge table)."""
    scenario = state.scenario
    board = scenario.board
    side = Hexside.between(a, b)
    roads = {r.id: r for r in scenario.rules.roads}
    features = {f.id: f for f in scenario.rules.hexside_features}
    fording = {(f.movement_class, f.feature): f.cost for f in scenario.model.special_rules.river_fording}
    kind = board.roads.get(side)
    total = roads[kind].move_cost[movement_class] if kind else board.terrain_at(b).move_cost[movement_class]
    assert total is not None
    for name in board.features.get(side, ()):
        feature = features[name]
        if side in state.bridges and feature.bridgeable:
            continue
        extra = feature.crossing_cost.get(movement_class, 0)
        if extra is None:
            extra = fording[(movement_class, name)]
        total += extra
    return total


def _check_paths(state: GameState, unit_id: str) -> int:
    unit = state.unit(unit_id)
    scenario = state.scenario
    board = scenario.board
    movement_class = scenario.unit_types[unit.type_id].movement_class
    enemies = [u for u in engine.observe(state, unit.side).enemy_units if scenario.unit_types[u.type_id].exerts_zoc]
    zoc = zone_of_control(scenario, enemies, state.clock)
    reach = engine.reach(state, unit_id)
    checked = 0
    for target, cost in reach.hexes().items():
        path = reach.path_to(target)
        assert path[0] == unit.hex and path[-1] == target
        total = 0
        for a, b in zip(path, path[1:]):
            assert a.distance(b) == 1
            total += _step_cost(state, a, b, movement_class)
            if board.index[a] in zoc:
                assert a == unit.hex  # only the start of a path may lie in enemy ZOC
                total += scenario.rules.zoc.leave_cost
        assert total == cost, (unit_id, format_hex(target))
        checked += 1
    return checked


def test_path_to_sums_to_the_reported_cost(crossing, tmp_path):
    state = engine.new_game(crossing, 1)
    checked = sum(_check_paths(state, u.id) for u in state.units if u.on_map)
    # Positions that exercise the bridge, the marsh and leaving a ZOC.
    state = place(place(state, "j-1", "7,3"), "j-tank", "3,4")
    checked += _check_paths(state, "j-1") + _check_paths(state, "j-tank")
    zoc_state = corridor(tmp_path, [("j-1", "rifle_bn", "japanese", "3,0"), ("s-1", "rifle_bn", "soviet", "4,1")])
    checked += _check_paths(zoc_state, "j-1")
    assert checked > 50
    with pytest.raises(KeyError):
        engine.reach(state, "j-1").path_to(h("0,7"))


# ------------------------------------------------------------------ hidden enemies


def test_hidden_enemy_zoc_interrupts_a_planned_move(tmp_path):
    state = corridor(tmp_path, [("j-tank", "tank_bn", "japanese", "0,0"), ("s-h", "rifle_bn", "soviet", "4,1")])
    assert engine.observe(state, "japanese").enemy_units == ()  # 4 hexes away, spotting range 3
    assert "6,0" in dests(state, "j-tank")  # planned on what japanese know: 12 MP = 6 hexes
    new_state, events = engine.step(state, Move("j-tank", h("6,0")))
    tank = new_state.unit("j-tank")
    assert tank.hex == h("3,0")  # the first hex of the path in the hidden unit's ZOC
    assert tank.halted and tank.move_points == 12 - 6
    assert events == [
        UnitMoved("j-tank", (h("0,0"), h("1,0"), h("2,0"), h("3,0")), 6),
        MoveInterrupted("j-tank", h("3,0"), ("s-h",)),
    ]
    assert [u.id for u in engine.observe(new_state, "japanese").enemy_units] == ["s-h"]


def test_move_into_hidden_enemy_hex_stops_before_it(tmp_path):
    # Artillery exerts no ZOC, so nothing warns the tank before it bumps into the hex.
    state = engine.new_game(
        make_scenario(tmp_path, [".........."], [("j-tank", "tank_bn", "japanese", "0,0"), ("s-art", "artillery_bn", "soviet", "4,0")]),
        1,
    )
    assert engine.observe(state, "japanese").enemy_units == ()
    assert "4,0" in dests(state, "j-tank") and "5,0" in dests(state, "j-tank")
    new_state, events = engine.step(state, Move("j-tank", h("5,0")))
    tank = new_state.unit("j-tank")
    assert tank.hex == h("3,0")
    assert tank.move_points == 12 - 6
    assert new_state.unit("s-art").hex == h("4,0")
    assert events == [
        UnitMoved("j-tank", (h("0,0"), h("1,0"), h("2,0"), h("3,0")), 6),
        MoveInterrupted("j-tank", h("3,0"), ("s-art",)),
    ]
    assert "4,0" not in dests(new_state, "j-tank")  # now seen, so no longer a destination


def test_spotting_range_is_shorter_at_night(tmp_path):
    # Turn 1 starts at 21:00 (night), turn 2 at 09:00 (day).
    scenario = make_scenario(
        tmp_path,
        ["......", "......", "......"],
        [
            ("j-1", "rifle_bn", "japanese", "0,1"),
            ("s-near", "rifle_bn", "soviet", "1,1"),
            ("s-two", "rifle_bn", "soviet", "2,1"),
            ("s-far", "rifle_bn", "soviet", "5,1"),
        ],
        start="1939-07-02T21:00:00",
    )
    state = engine.new_game(scenario, 1)
    night = engine.observe(state, "japanese")
    assert night.is_night
    assert [u.id for u in night.enemy_units] == ["s-near"]  # night range 1
    state, _events = next_turn(state)
    day = engine.observe(state, "japanese")
    assert state.turn == 2 and not day.is_night
    assert [u.id for u in day.enemy_units] == ["s-near", "s-two"]  # day range 3; 5,1 is 5 away
    assert "s-far" not in {u.id for u in day.enemy_units}


# ------------------------------------------------------------------ reinforcements

EAST = ["......", "......", "......", "......", "......", "......", "......"]  # 6 x 7: east edge is col 5


def _to_turn_2(state: GameState) -> tuple[GameState, list]:
    return next_turn(state)


def _reinforcement(entry: str) -> dict:
    return {"id": "j-late", "type": "rifle_bn", "side": "japanese", "arrive": {"at": "1939-07-02T18:00:00", "hex": entry}}


def test_reinforcement_arrives_on_its_date_at_its_entry_hex(tmp_path):
    scenario = make_scenario(tmp_path, EAST, [("j-1", "rifle_bn", "japanese", "0,3"), _reinforcement("5,3")])
    state = engine.new_game(scenario, 1)
    assert state.unit("j-late").status is UnitStatus.RESERVE and state.unit("j-late").hex is None
    state, _ = end_player_turn(state)
    assert state.unit("j-late").status is UnitStatus.RESERVE  # not yet: soviet half of turn 1
    state, events = end_player_turn(state)
    late = state.unit("j-late")
    assert state.turn == 2 and state.clock.isoformat() == "1939-07-02T18:00:00"
    assert late.status is UnitStatus.ON_MAP and late.hex == h("5,3")
    assert late.move_points == 6
    assert ReinforcementArrived("j-late", h("5,3")) in events
    assert any(isinstance(a, Move) and a.unit == "j-late" for a in engine.legal_actions(state))


def test_blocked_entry_hex_uses_nearest_free_hex_on_the_same_edge(tmp_path):
    scenario = make_scenario(
        tmp_path,
        EAST,
        [
            ("j-1", "rifle_bn", "japanese", "0,3"),
            ("s-1", "rifle_bn", "soviet", "5,3"),  # on the entry hex
            ("s-2", "rifle_bn", "soviet", "5,2"),  # and one neighbour on the edge
            _reinforcement("5,3"),
        ],
    )
    state, events = _to_turn_2(engine.new_game(scenario, 1))
    assert state.unit("j-late").hex == h("5,4")  # the only free east-edge hex at distance 1
    assert ReinforcementArrived("j-late", h("5,4")) in events


def test_reinforcement_delayed_while_its_whole_edge_is_blocked(tmp_path):
    scenario = make_scenario(
        tmp_path,
        ["....", "....", "...."],  # the east edge is column 3: 3,0 3,1 3,2 (corners included)
        [
            ("j-1", "rifle_bn", "japanese", "0,1"),
            ("s-1", "rifle_bn", "soviet", "3,0"),
            ("s-2", "rifle_bn", "soviet", "3,1"),
            ("s-3", "rifle_bn", "soviet", "3,2"),
            _reinforcement("3,1"),
        ],
    )
    state, events = _to_turn_2(engine.new_game(scenario, 1))
    assert ReinforcementDelayed("j-late") in events
    assert not any(isinstance(e, ReinforcementArrived) for e in events)
    assert state.unit("j-late").status is UnitStatus.RESERVE and state.unit("j-late").hex is None
    # The blocker on the entry hex leaves; the unit comes in next turn.
    state = state.with_unit(replace(state.unit("s-2"), status=UnitStatus.ELIMINATED, hex=None))
    state, events = _to_turn_2(state)
    assert state.turn == 3
    assert ReinforcementArrived("j-late", h("3,1")) in events
    assert state.unit("j-late").hex == h("3,1")


def test_crossing_reinforcement_arrives_turn_2(crossing):
    state = engine.new_game(crossing, 1)
    assert state.unit("s-3").status is UnitStatus.RESERVE
    state, _ = end_player_turn(state)  # japanese end turn 1; soviet turn 1 (06:00): too early
    assert state.unit("s-3").status is UnitStatus.RESERVE
    state, _ = end_player_turn(state)  # turn 2, japanese first
    assert state.unit("s-3").status is UnitStatus.RESERVE
    state, events = end_player_turn(state)  # soviet turn 2 at 18:00
    assert ReinforcementArrived("s-3", h("9,4")) in events
    assert state.unit("s-3").hex == h("9,4")
    assert parse_hexside("4,5:SE") in state.bridges
