"""Air power, weather and night on hand-built positions (docs/rules.md, "Artillery and air",
"Movement", "Sequence of play").

Air points come by date from the scenario (the latest entry at or before the turn), none fly at
night or in rain or fog.  Superiority fights first: the flying side's patrols shoot at the
enemy's standing patrol, then each surviving enemy patrol point turns back one mission on a die
of 1-3 (the last assigned first).  Dice are pinned by choosing ``rng_state`` values whose rolls
are computed with :func:`nomonhan.rng.roll`.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import end_player_turn, make_scenario, next_turn, seed_for

from nomonhan import engine, rng
from nomonhan.actions import AirMission, Attack, EndPhase, IllegalActionError
from nomonhan.events import AirMissionCancelled, AirMissionFlown, TurnStarted
from nomonhan.hexgrid import Hex, format_hex, parse_hex
from nomonhan.rules.air import air_points, can_fly, weather
from nomonhan.rules.visibility import spotting_range, visible_enemies
from nomonhan.state import AirState, GameState, Phase


def h(text: str) -> Hex:
    return parse_hex(text)


def after_rolls(seed: int, count: int) -> int:
    for _ in range(count):
        _value, seed = rng.roll(seed, 6)
    return seed


def air(*entries: tuple[str, str, int]) -> list[dict]:
    return [{"side": side, "start": start, "points": points, "source": "test"} for side, start, points in entries]


UNITS = [("j-1", "rifle_bn", "japanese", "1,1"), ("s-1", "rifle_bn", "soviet", "3,1"), ("s-far", "rifle_bn", "soviet", "6,1")]
ROWS = [".......", ".......", "......."]


def new(tmp_path, units=UNITS, rows=ROWS, air_entries=(), weather_entries=(), **options) -> GameState:
    extra = {"air": list(air_entries), "weather": [{"start": s, "weather": w} for s, w in weather_entries]}
    return engine.new_game(make_scenario(tmp_path, rows, units, extra=extra, **options), 1)


# ------------------------------------------------------------------ air points, weather, night


DATED = air(
    ("japanese", "1939-07-03T06:00:00", 5),
    ("japanese", "1939-07-02T00:00:00", 2),
    ("soviet", "1939-07-02T18:00:00", 3),
    ("soviet", "1939-07-04T06:00:00", 0),
)


@pytest.mark.parametrize(
    "turn, japanese, soviet",
    [(1, 2, 0), (2, 2, 3), (3, 5, 3), (4, 5, 3), (5, 5, 0), (6, 5, 0)],
)
def test_air_points_by_date(tmp_path, turn, japanese, soviet):
    # turn 1 is 2 July 06:00, turn 2 18:00, turn 3 3 July 06:00 ... (an entry at the turn's start counts)
    scenario = make_scenario(tmp_path, ROWS, UNITS, extra={"air": DATED}, last_turn=6)
    assert air_points(scenario, "japanese", turn) == japanese
    assert air_points(scenario, "soviet", turn) == soviet


def test_air_phase_offers_the_points_of_the_day(tmp_path):
    state = new(tmp_path, air_entries=DATED)
    assert state.phase is Phase.AIR and state.active_side == "japanese"
    assert state.air.points_left == 2
    state, _ = end_player_turn(state)  # the soviets have none on turn 1: their air phase is skipped
    assert state.active_side == "soviet" and state.phase is Phase.MOVEMENT and state.air.points_left == 0


WEATHER = [("1939-07-02T18:00:00", "rain"), ("1939-07-03T06:00:00", "fog"), ("1939-07-03T18:00:00", "clear")]


@pytest.mark.parametrize("turn, expected", [(1, "clear"), (2, "rain"), (3, "fog"), (4, "clear")])
def test_weather_by_date(tmp_path, turn, expected):
    state = new(tmp_path, air_entries=air(("japanese", "1939-07-01T00:00:00", 2)), weather_entries=WEATHER)
    assert weather(state.scenario, turn) == expected
    assert can_fly(state.scenario, turn) == (expected == "clear")
    assert engine.observe(replace(state, turn=turn), "soviet").weather == expected


def test_no_air_missions_in_rain_or_fog(tmp_path):
    state = new(tmp_path, air_entries=air(("japanese", "1939-07-01T00:00:00", 2)), weather_entries=WEATHER)
    phases = {}
    while not state.game_over and state.turn <= 4:
        phases[state.turn] = (state.phase, state.air.points_left)
        state, _ = next_turn(state)
    assert phases == {1: (Phase.AIR, 2), 2: (Phase.MOVEMENT, 0), 3: (Phase.MOVEMENT, 0), 4: (Phase.AIR, 2)}


def test_no_air_missions_at_night(tmp_path):
    # turn 1 at 21:00 (night), turn 2 at 09:00 (day)
    state = new(tmp_path, air_entries=air(("japanese", "1939-07-01T00:00:00", 2)), start="1939-07-02T21:00:00")
    assert state.is_night and not can_fly(state.scenario, 1)
    assert air_points(state.scenario, "japanese", 1) == 2  # the points exist; the night grounds them
    assert state.phase is Phase.MOVEMENT and state.air.points_left == 0
    with pytest.raises(IllegalActionError):
        engine.step(replace(state, phase=Phase.AIR), AirMission("superiority"))
    state, _ = next_turn(state)
    assert not state.is_night and state.phase is Phase.AIR and state.air.points_left == 2


# ------------------------------------------------------------------ assigning missions


def test_air_missions_legality_and_spending(tmp_path):
    state = new(tmp_path, air_entries=air(("japanese", "1939-07-01T00:00:00", 2)))
    assert [u.id for u in visible_enemies(state, "japanese")] == ["s-1"]  # s-far is 5 hexes away
    assert list(engine.legal_actions(state)) == [
        AirMission("superiority"),
        AirMission("support", h("3,1")),
        AirMission("interdiction", h("3,1")),
        EndPhase(),
    ]
    for wrong in (AirMission("support", h("6,1")), AirMission("interdiction", h("2,1")), AirMission("support", h("1,1"))):
        with pytest.raises(IllegalActionError):
            engine.step(state, wrong)  # a hidden enemy, an empty hex, a friendly hex
    state, events = engine.step(state, AirMission("support", h("3,1")))
    assert events == [AirMissionFlown("japanese", "support", h("3,1"))]
    assert state.air.points_left == 1 and state.air.support == (("japanese", h("3,1")),)
    state, events = engine.step(state, AirMission("superiority"))
    assert state.air.points_left == 0 and state.air.superiority_of("japanese") == 1
    assert list(engine.legal_actions(state)) == [EndPhase()]
    with pytest.raises(IllegalActionError):
        engine.step(state, AirMission("superiority"))
    state, _ = engine.step(state, EndPhase())
    assert state.phase is Phase.MOVEMENT
    with pytest.raises(IllegalActionError):
        engine.step(state, AirMission("superiority"))  # only in the air phase


def test_unspent_air_points_are_lost(tmp_path):
    state = new(tmp_path, air_entries=air(("japanese", "1939-07-01T00:00:00", 3)))
    state, _ = engine.step(state, AirMission("superiority"))
    state, _ = engine.step(state, EndPhase())
    assert state.air.points_left == 0 and state.air.superiority_of("japanese") == 1


# ------------------------------------------------------------------ superiority fights first

X, Y = h("3,1"), h("4,1")


def air_phase(tmp_path, standing: int, escorts: int, support=(), interdiction=(), dice=()) -> GameState:
    """The japanese air phase, missions assigned, soviet patrols standing; the next rolls are ``dice``."""
    state = new(tmp_path, air_entries=air(("japanese", "1939-07-01T00:00:00", 1)))
    assert state.phase is Phase.AIR
    superiority = (("soviet", standing),) * (standing > 0) + (("japanese", 1),) * escorts
    assigned = AirState(
        superiority=superiority,
        support=tuple(("japanese", x) for x in support),
        interdiction=tuple(("japanese", x) for x in interdiction),
        points_left=0,
        flown=tuple(("support", x) for x in support) + tuple(("interdiction", x) for x in interdiction),
    )
    return replace(state, air=assigned, rng_state=seed_for(*dice) if dice else 12345)


def cancelled(events) -> list[tuple[str, Hex]]:
    return [(e.kind, e.hex) for e in events if isinstance(e, AirMissionCancelled)]


@pytest.mark.parametrize("die, cancels", [(1, True), (2, True), (3, True), (4, False), (5, False), (6, False)])
def test_a_patrol_turns_back_a_mission_on_1_to_3(tmp_path, die, cancels):
    state = air_phase(tmp_path, standing=1, escorts=0, support=[X], dice=[die])
    seed = state.rng_state
    after, events = engine.step(state, EndPhase())
    assert cancelled(events) == ([("support", X)] if cancels else [])
    assert after.air.support == (() if cancels else (("japanese", X),))
    assert after.rng_state == after_rolls(seed, 1)
    assert after.air.points_left == 0


def test_escorts_shoot_down_patrols_first(tmp_path):
    state = air_phase(tmp_path, standing=1, escorts=1, support=[X], dice=[2])  # the escort hits: no patrol left
    seed = state.rng_state
    after, events = engine.step(state, EndPhase())
    assert cancelled(events) == []
    assert after.air.support == (("japanese", X),)
    assert after.rng_state == after_rolls(seed, 1)


def test_patrol_points_shot_down_no_longer_stand(tmp_path):
    """docs/rules.md: each patrol point "on 1-3 shoots down one enemy patrol point".

    A shot-down soviet patrol point is gone: the air state must not show it standing any more.
    """
    state = air_phase(tmp_path, standing=2, escorts=1, support=[X], dice=[2, 6])  # one shot down; the other misses
    after, events = engine.step(state, EndPhase())
    assert cancelled(events) == []
    assert after.air.superiority_of("soviet") == 1
    assert engine.observe(after, "japanese").air.superiority_of("soviet") == 1


def test_escort_misses_and_the_patrol_turns_back_a_mission(tmp_path):
    state = air_phase(tmp_path, standing=1, escorts=1, interdiction=[X], dice=[5, 1])
    seed = state.rng_state
    after, events = engine.step(state, EndPhase())
    assert cancelled(events) == [("interdiction", X)]
    assert after.air.interdiction == ()
    assert after.rng_state == after_rolls(seed, 2)


def test_two_escorts_against_two_patrols(tmp_path):
    # escorts roll 1 (hit) and 6 (miss): one patrol survives and rolls 3: one mission turned back
    state = air_phase(tmp_path, standing=2, escorts=2, support=[X, Y], dice=[1, 6, 3])
    seed = state.rng_state
    after, events = engine.step(state, EndPhase())
    assert cancelled(events) == [("support", Y)]  # the last assigned first
    assert after.air.support == (("japanese", X),)
    assert after.rng_state == after_rolls(seed, 3)


def test_patrols_turn_back_the_last_assigned_missions_first(tmp_path):
    state = air_phase(tmp_path, standing=2, escorts=0, support=[X, Y], dice=[1, 2])
    after, events = engine.step(state, EndPhase())
    assert cancelled(events) == [("support", Y), ("support", X)]
    assert after.air.support == ()


def test_patrols_stop_rolling_when_every_mission_is_turned_back(tmp_path):
    state = air_phase(tmp_path, standing=3, escorts=0, support=[X], dice=[1])
    seed = state.rng_state
    after, _ = engine.step(state, EndPhase())
    assert after.rng_state == after_rolls(seed, 1)


def test_no_patrols_no_dice(tmp_path):
    state = air_phase(tmp_path, standing=0, escorts=2, support=[X])
    seed = state.rng_state
    after, events = engine.step(state, EndPhase())
    assert after.rng_state == seed and cancelled(events) == []
    assert after.air.support == (("japanese", X),)


def test_patrol_turns_back_the_last_assigned_mission_of_either_kind(tmp_path):
    """docs/rules.md: surviving patrols turn back support *or interdiction* missions, the last assigned first.

    The japanese assign interdiction over 3,1, then ground support over 3,1.  One soviet patrol
    rolls a 1: the support mission, assigned last, is the one turned back.
    """
    state = new(tmp_path, air_entries=air(("japanese", "1939-07-01T00:00:00", 2)))
    state = replace(state, air=replace(state.air, superiority=(("soviet", 1),)))
    state, _ = engine.step(state, AirMission("interdiction", X))
    state, _ = engine.step(state, AirMission("support", X))
    after, events = engine.step(replace(state, rng_state=seed_for(1)), EndPhase())
    assert cancelled(events) == [("support", X)]
    assert after.air.interdiction == (("japanese", X),) and after.air.support == ()


def test_standing_patrols_last_until_their_sides_next_air_phase(tmp_path):
    both = air(("japanese", "1939-07-01T00:00:00", 1), ("soviet", "1939-07-01T00:00:00", 1))
    state = new(tmp_path, air_entries=both)
    state, _ = engine.step(state, AirMission("superiority"))
    state, _ = engine.step(state, EndPhase())
    assert state.air.superiority == (("japanese", 1),)
    state, _ = end_player_turn(state)
    assert state.active_side == "soviet" and state.phase is Phase.AIR
    assert state.air.superiority == (("japanese", 1),)  # still standing over the soviet air phase
    state, _ = engine.step(state, EndPhase())
    state, _ = end_player_turn(state)
    assert state.turn == 2 and state.active_side == "japanese" and state.phase is Phase.AIR
    assert state.air.superiority == ()  # gone when the japanese fly again


# ------------------------------------------------------------------ ground support and interdiction


@pytest.mark.parametrize("missions, shift", [(0, 0), (1, 1), (2, 2), (3, 2)])
def test_ground_support_adds_shifts_capped(tmp_path, missions, shift):
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("s-1", "rifle_bn", "soviet", "3,1")]
    state = new(tmp_path, units, air_entries=air(("japanese", "1939-07-01T00:00:00", 3)))
    for _ in range(missions):
        state, _ = engine.step(state, AirMission("support", h("3,1")))
    state, _ = engine.step(state, EndPhase())  # air -> movement
    state, _ = engine.step(state, EndPhase())  # movement -> (no bombardment) -> combat
    assert state.phase is Phase.COMBAT
    forecast = engine.combat_odds(state, Attack(("j-1",), h("3,1")))
    assert forecast.plan.base_column == 2 and forecast.plan.total_shift == shift and forecast.plan.column == 2 + shift
    # ground support lasts this player turn only
    state, _ = engine.step(state, EndPhase())
    assert state.active_side == "soviet" and state.air.support == ()


# One row: the japanese tank at 3,0, the soviet guns (no ZOC) at 6,0.
LINE = [".........."]
LINE_UNITS = [("j-t", "tank_bn", "japanese", "3,0"), ("s-a", "artillery_bn", "soviet", "6,0")]


def costs(state: GameState, unit_id: str) -> dict[str, int]:
    return {format_hex(x): c for x, c in engine.reach(state, unit_id).hexes().items()}


def test_interdiction_taxes_entering_the_hex_and_its_neighbours(tmp_path):
    state = new(tmp_path, LINE_UNITS, LINE)
    plain = {"0,0": 6, "1,0": 4, "2,0": 2, "3,0": 0, "4,0": 2, "5,0": 4}
    assert costs(state, "j-t") == plain
    over_tank = replace(state, air=AirState(interdiction=(("soviet", h("3,0")),)))
    assert costs(over_tank, "j-t") == {"0,0": 8, "1,0": 6, "2,0": 4, "3,0": 0, "4,0": 4, "5,0": 6}  # 2,0 and 4,0 +2
    over_far = replace(state, air=AirState(interdiction=(("soviet", h("0,0")),)))
    assert costs(over_far, "j-t") == {"0,0": 10, "1,0": 6, "2,0": 2, "3,0": 0, "4,0": 2, "5,0": 4}  # 1,0 and 0,0 each +2
    own = replace(state, air=AirState(interdiction=(("japanese", h("3,0")),)))
    assert costs(own, "j-t") == plain  # a side's own interdiction does not slow it


def test_interdiction_stands_until_the_flying_sides_next_air_phase(tmp_path):
    state = new(tmp_path, LINE_UNITS, LINE, air_entries=air(("soviet", "1939-07-01T00:00:00", 1)), last_turn=3)
    assert state.phase is Phase.MOVEMENT  # no japanese air
    state, _ = end_player_turn(state)
    assert state.active_side == "soviet" and state.phase is Phase.AIR
    assert AirMission("interdiction", h("3,0")) in list(engine.legal_actions(state))
    state, _ = engine.step(state, AirMission("interdiction", h("3,0")))
    state, _ = end_player_turn(state)
    assert state.turn == 2 and state.active_side == "japanese" and state.phase is Phase.MOVEMENT
    assert state.air.interdiction == (("soviet", h("3,0")),)
    assert costs(state, "j-t")["2,0"] == 4
    state, _ = end_player_turn(state)
    assert state.active_side == "soviet" and state.phase is Phase.AIR
    assert state.air.interdiction == ()  # the soviet air phase opens: the old mission is over
    state, _ = end_player_turn(state)
    assert state.turn == 3 and costs(state, "j-t")["2,0"] == 2


# ------------------------------------------------------------------ day and night


@pytest.mark.parametrize(
    "clock, night",
    [("00:00", True), ("04:59", True), ("05:00", False), ("12:00", False), ("19:59", False), ("20:00", True), ("23:30", True)],
)
def test_night_follows_dawn_and_dusk(tmp_path, clock, night):
    scenario = make_scenario(tmp_path, ROWS, UNITS, start=f"1939-07-02T{clock}:00")
    assert scenario.is_night(1) == night
    assert engine.new_game(scenario, 1).is_night == night


def test_night_turns_come_from_the_clock(tmp_path):
    # 12-hour turns from 06:00 with dusk at 17:00: day, night, day, night
    state = new(tmp_path, dusk="17:00", last_turn=4)
    nights = {state.turn: state.is_night}
    while True:
        state, events = next_turn(state)
        if state.game_over:
            break
        [started] = [e for e in events if isinstance(e, TurnStarted)]
        assert started.night == state.is_night and started.turn == state.turn
        nights[state.turn] = state.is_night
    assert nights == {1: False, 2: True, 3: False, 4: True}


@pytest.mark.parametrize(
    "type_id, day, night",
    [("rifle_bn", 6, 3), ("tank_bn", 12, 6), ("cavalry_rgt", 10, 5), ("artillery_bn", 4, 2), ("engineer_bn", 8, 4)],
)
def test_night_halves_move_points(tmp_path, type_id, day, night):
    units = [("j-1", type_id, "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "6,2")]
    by_day = new(tmp_path, units)
    by_night = new(tmp_path, units, start="1939-07-02T21:00:00")
    assert not by_day.is_night and by_night.is_night
    assert by_day.unit("j-1").move_points == day
    assert by_night.unit("j-1").move_points == night


@pytest.mark.parametrize("distance, by_day, by_night", [(1, True, True), (2, True, False), (3, True, False), (4, False, False)])
def test_spotting_range_is_shorter_at_night(tmp_path, distance, by_day, by_night):
    units = [("j-1", "rifle_bn", "japanese", "0,1"), ("s-1", "artillery_bn", "soviet", f"{distance},1")]
    day = new(tmp_path, units)
    night = new(tmp_path, units, start="1939-07-02T21:00:00")
    assert (spotting_range(day), spotting_range(night)) == (3, 1)
    assert h("0,1").distance(h(f"{distance},1")) == distance
    assert bool(visible_enemies(day, "japanese")) == by_day
    assert bool(visible_enemies(night, "japanese")) == by_night
    assert bool(engine.observe(night, "japanese").enemy_units) == by_night
    assert bool(visible_enemies(night, "soviet")) == by_night  # the same range both ways
