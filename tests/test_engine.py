"""Engine properties under random legal play, and the engine's contract on hand-made positions.

Random play: a :class:`nomonhan.rng.Generator` picks uniformly from ``engine.legal_actions``
(the random player's rule) on the crossing scenario and on generated scenarios, from many seeds.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from enum import Enum

import pytest
from conftest import LORRY, end_player_turn, make_scenario
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nomonhan import engine
from nomonhan.actions import Cancel, EndPhase, IllegalActionError, Move, Resolve, Support
from nomonhan.events import BombardmentResolved, CombatResolved, GameEnded, PhaseStarted, TurnStarted
from nomonhan.hexgrid import Hex, format_hex, parse_hex
from nomonhan.resources import bundled_scenario_paths
from nomonhan.rng import Generator
from nomonhan.rules.bridges import capacity_per_turn
from nomonhan.rules.movement import zone_of_control
from nomonhan.scenario.load import Scenario, load_scenario
from nomonhan.state import GameState, Phase, UnitStatus

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# ------------------------------------------------------------------ generated scenarios


def _east_side(col: int, rows: int, columns: int) -> list[str]:
    """Every hexside along the east side of column ``col`` that lies between two map hexes."""
    sides = []
    for row in range(rows):
        here = Hex.from_offset(col, row)
        for name, direction in (("NE", 1), ("SE", 2)):
            c, r = here.neighbour(direction).to_offset()
            if 0 <= c < columns and 0 <= r < rows:
                sides.append(f"{col},{row}:{name}")
    return sides


def generate_scenario(tmp_path, seed: int) -> Scenario:
    """A random but valid 9 x 7 scenario: mixed terrain, a river with a bridge, a road, a border,
    crowded stacks, units of every movement class, reinforcements, an objective, night turns."""
    rnd = random.Random(seed)
    columns, rows = 9, 7
    grid = [[rnd.choice(".......hmvfsw") for _ in range(columns)] for _ in range(rows)]
    impassable = {"foot": "w", "cavalry": "w", "tracked": "w", "wheeled": "wm"}
    types = {
        "rifle_bn": "foot",
        "tank_bn": "tracked",
        "cavalry_rgt": "cavalry",
        "artillery_bn": "foot",
        "lorry_bn": "wheeled",
        "engineer_bn": "wheeled",
    }
    river_col = rnd.choice([3, 4])
    river = _east_side(river_col, rows, columns)
    bridges = rnd.sample(river, 2)
    road_row = rnd.randrange(rows)
    road = [f"{col},{road_row}" for col in range(columns)]
    for col in range(columns):
        grid[road_row][col] = "."
    stacks: dict[tuple[str, str], int] = {}
    units = []

    def free_hex(side: str, cols: range, movement_class: str) -> str:
        while True:
            col, row = rnd.choice(cols), rnd.randrange(rows)
            text = f"{col},{row}"
            if grid[row][col] not in impassable[movement_class] and stacks.get((side, text), 0) + 2 <= 6:
                stacks[(side, text)] = stacks.get((side, text), 0) + 2
                return text

    for side, cols in (("japanese", range(0, 3)), ("soviet", range(6, 9))):
        for n in range(7):
            type_id = rnd.choice(sorted(types))
            units.append({"id": f"{side[0]}-{n}", "type": type_id, "side": side, "hex": free_hex(side, cols, types[type_id])})
        edge_col = 0 if side == "japanese" else columns - 1
        entry_row = rnd.randrange(1, rows - 1)
        grid[entry_row][edge_col] = "."
        units.append(
            {
                "id": f"{side[0]}-late",
                "type": "rifle_bn",
                "side": side,
                "arrive": {"at": "1939-07-02T21:00:00", "hex": f"{edge_col},{entry_row}"},
            }
        )
    objective = f"{river_col},{road_row}"
    return make_scenario(
        tmp_path,
        ["".join(row) for row in grid],
        units,
        hexside_lines=[("river", river), ("stream", _east_side(6, rows, columns)[:4])],
        bridges=bridges,
        roads=[("road", road)],
        borders=[("claim", _east_side(7, rows, columns))],
        special_rules={"border_crossing_forbidden": [{"side": "soviet", "border": "claim"}], "zoc_to_zoc": bool(seed % 2)},
        unit_types=[LORRY],
        objectives=[{"name": "Crossroads", "hex": objective, "points": 3}],
        start="1939-07-02T15:00:00",
        turn_hours=6,
        last_turn=4,
        scenario_id=f"generated-{seed}",
    )


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory, crossing) -> dict[str, Scenario]:
    folder = tmp_path_factory.mktemp("generated")
    found = {"crossing": crossing}
    for seed in (1, 2, 3):
        found[f"generated-{seed}"] = generate_scenario(folder, seed)
    return found


SCENARIO_NAMES = ["crossing", "generated-1", "generated-2", "generated-3"]

# ------------------------------------------------------------------ random play


def action_bound(scenario: Scenario) -> int:
    """A generous bound on a game's length: each move spends at least one move point (or all of
    them), each unit attacks, fires, retreats or advances a few times a player turn at most."""
    total_mp = sum(scenario.unit_types[u.type].move_points for u in scenario.model.units)
    per_player_turn = 10 + total_mp + 10 * len(scenario.model.units)
    return 2 * scenario.model.period.last_turn * per_player_turn


def random_game(scenario: Scenario, seed: int, check=None) -> tuple[GameState, list]:
    """Play to the end choosing uniformly among the legal actions; returns the end and the actions."""
    state = engine.new_game(scenario, seed)
    chooser = Generator(seed)
    actions = []
    bound = action_bound(scenario)
    while not state.game_over:
        legal = engine.legal_actions(state)
        action = chooser.choice(legal)
        new_state, events = engine.step(state, action)
        if check:
            check(state, legal, action, new_state, events)
        actions.append(action)
        state = new_state
        assert len(actions) <= bound, "the game did not end"
    return state, actions


def snapshot(state: GameState) -> tuple:
    return (state.digest(), state.units, state.turn, state.active_side, state.phase, state.bridges, state.holders, state.game_over)


def check_invariants(state: GameState) -> None:
    scenario = state.scenario
    board = scenario.board
    limit = scenario.rules.stacking_limit
    stacks: dict[tuple[str, Hex], int] = {}
    for unit in state.units:
        unit_type = scenario.unit_types[unit.type_id]
        if unit.status is UnitStatus.ON_MAP:
            assert unit.hex is not None and unit.hex in board, unit
            assert board.terrain_at(unit.hex).move_cost[unit_type.movement_class] is not None, unit
            stacks[(unit.side, unit.hex)] = stacks.get((unit.side, unit.hex), 0) + unit_type.stack_points
        else:
            assert unit.status in (UnitStatus.RESERVE, UnitStatus.ELIMINATED)
            assert unit.hex is None, unit
        assert 0 <= unit.move_points <= unit_type.move_points, unit
        assert 0 <= unit.steps <= unit_type.steps, unit
    for (side, hex_), points in stacks.items():
        assert points <= limit, f"{side} has {points} stack points at {format_hex(hex_)}"
    sides_at: dict[Hex, set[str]] = {}
    for unit in state.units:
        if unit.on_map:
            sides_at.setdefault(unit.hex, set()).add(unit.side)
    assert all(len(sides) == 1 for sides in sides_at.values()), "two sides share a hex"
    for side, crossed in state.bridge_traffic:
        assert crossed <= capacity_per_turn(state, side), f"{side} over a bridge's capacity"


class OncePerTurn:
    """Who attacked and fired, and which hexes were attacked, in the player turn under way: a unit
    attacks once, a hex is attacked once and a gun fires once a player turn (docs/rules.md)."""

    def __init__(self) -> None:
        self.turn: tuple[int, str] | None = None
        self.attackers: Counter[str] = Counter()
        self.targets: Counter[Hex] = Counter()
        self.guns: Counter[str] = Counter()

    def twice(self, state: GameState, events: list) -> list[str]:
        if (state.turn, state.active_side) != self.turn:
            self.turn = (state.turn, state.active_side)
            self.attackers, self.targets, self.guns = Counter(), Counter(), Counter()
        for event in events:
            if isinstance(event, CombatResolved):
                self.attackers.update(event.attackers)
                self.targets[event.target] += 1
            elif isinstance(event, BombardmentResolved):
                self.guns.update(event.guns)
        found = [f"{u} attacked twice" for u, n in self.attackers.items() if n > 1]
        found += [f"{format_hex(h)} attacked twice" for h, n in self.targets.items() if n > 1]
        return found + [f"{g} fired twice" for g, n in self.guns.items() if n > 1]


def test_once_per_turn_catches_a_second_attack() -> None:
    """The check above can fail: an attack told twice in one player turn is caught."""
    state = engine.new_game(load_scenario("lake-khasan-1938"), 1)
    unit = state.units[0].id
    resolved = CombatResolved((unit,), parse_hex("3,1"), "1:1", 0, 1, "-", 0, 0, False)
    tally = OncePerTurn()
    assert tally.twice(state, [resolved]) == []
    assert tally.twice(state, [resolved]) == [f"{unit} attacked twice", "3,1 attacked twice"]


def check_step(before_snapshot):
    tally = OncePerTurn()

    def check(state, legal, action, new_state, events):
        assert snapshot(state) == before_snapshot[0], "step mutated its input"
        check_invariants(new_state)
        assert not tally.twice(new_state, events)
        before_snapshot[0] = snapshot(new_state)

    return check


def named_units(action) -> set[str]:
    """The unit ids an action names, read from its fields whatever they are called (not a copy
    of the engine's own filter, so a unit field the engine forgets to look at shows up)."""
    found = set()
    for declared in dataclasses.fields(action):
        value = getattr(action, declared.name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, str) and not isinstance(item, Enum):
                found.add(item)
    return found


@PROPERTY
@given(name=st.sampled_from(SCENARIO_NAMES), seed=st.integers(0, 2**32))
def test_random_play_keeps_the_invariants(scenarios, name, seed):
    scenario = scenarios[name]
    start = engine.new_game(scenario, seed)
    check_invariants(start)
    holder = [snapshot(start)]
    end, actions = random_game(scenario, seed, check_step(holder))
    assert end.turn == scenario.model.period.last_turn
    assert engine.legal_actions(end) == []
    assert actions


@settings(max_examples=15, deadline=None)
@given(name=st.sampled_from(SCENARIO_NAMES), seed=st.integers(0, 2**32))
def test_legal_actions_are_stable_and_agree_with_unit_actions(scenarios, name, seed):
    scenario = scenarios[name]

    def check(state, legal, action, new_state, events):
        if new_state.game_over:
            return
        first = list(engine.legal_actions(new_state))
        assert first, "a game that is not over always offers an action"
        assert first == list(engine.legal_actions(new_state))  # stable order
        fresh = replace(new_state)  # the same state without the memoised facts carried over
        assert first == list(engine.legal_actions(fresh))
        assert len(set(first)) == len(first)  # no duplicates
        if new_state.declaration is not None:  # resolve or cancel before the phase can end
            assert first[-2:] == [Resolve(), Cancel()] and EndPhase() not in first
        elif new_state.pending is None:
            assert first[-1] == EndPhase() and first.count(EndPhase()) == 1
        else:
            assert EndPhase() not in first
        moves = [a for a in first if isinstance(a, Move)]
        position = {u.id: n for n, u in enumerate(new_state.scenario.model.units)}
        order = [position[a.unit] for a in moves]
        assert order == sorted(order)  # units in scenario order
        for unit in new_state.units:
            assert list(engine.unit_actions(new_state, unit.id)) == [a for a in first if unit.id in named_units(a)]
        for a in moves:
            mover = new_state.unit(a.unit)
            assert mover.side == new_state.active_side and mover.move_points > 0
            assert a.to != mover.hex

    random_game(scenario, seed, check)


def test_new_games_differ_by_seed(crossing):
    assert engine.new_game(crossing, 1).digest() != engine.new_game(crossing, 2).digest()


# ------------------------------------------------------------------ hidden units


def test_legal_actions_never_reveal_a_hidden_enemy(tmp_path):
    rows = ["..........", "..........", "..........", "..........", ".........."]
    scenario = make_scenario(
        tmp_path,
        rows,
        [
            ("j-tank", "tank_bn", "japanese", "0,2"),
            ("j-1", "rifle_bn", "japanese", "0,4"),
            ("j-art", "artillery_bn", "japanese", "1,2"),  # range 4: reaches 5,2, but sees only 3
            ("s-seen", "rifle_bn", "soviet", "2,0"),  # 2 from the tank: visible
            ("s-hidden", "rifle_bn", "soviet", "5,2"),  # 5 from the tank: hidden
        ],
    )
    with_hidden = engine.new_game(scenario, 3)
    hidden = with_hidden.unit("s-hidden")
    assert [u.id for u in engine.observe(with_hidden, "japanese").enemy_units] == ["s-seen"]
    without = with_hidden.with_unit(replace(hidden, status=UnitStatus.ELIMINATED, hex=None))
    elsewhere = with_hidden.with_unit(replace(hidden, hex=parse_hex("9,4")))
    assert [u.id for u in engine.observe(elsewhere, "japanese").enemy_units] == ["s-seen"]
    legal = list(engine.legal_actions(with_hidden))
    assert legal == list(engine.legal_actions(without)) == list(engine.legal_actions(elsewhere))
    for unit_id in ("j-tank", "j-1"):
        assert engine.unit_actions(with_hidden, unit_id) == engine.unit_actions(without, unit_id)
        assert engine.reach(with_hidden, unit_id).hexes() == engine.reach(without, unit_id).hexes()
    # The comparison means something: the tank's moves reach into the hidden unit's zone of
    # control and onto its very hex, which a planner told the truth would not offer.
    board = scenario.board
    true_zoc = {board.hexes[i] for i in zone_of_control(scenario, [hidden], with_hidden.clock)}
    tank_moves = {a.to for a in legal if isinstance(a, Move) and a.unit == "j-tank"}
    assert tank_moves & true_zoc
    assert hidden.hex in tank_moves
    assert parse_hex("6,2") in tank_moves  # the far side of the hidden unit, 12 move points away
    # Nor do the phases after movement: the guns are offered the seen unit, never the hidden one
    # (which is within their range), and the same phases come up either way.
    after_with, _ = engine.step(with_hidden, EndPhase())
    after_without, _ = engine.step(without, EndPhase())
    assert after_with.phase is after_without.phase is Phase.BOMBARDMENT
    assert list(engine.legal_actions(after_with)) == list(engine.legal_actions(after_without))
    assert Support("j-art", parse_hex("2,0")) in list(engine.legal_actions(after_with))
    assert not any(isinstance(a, Support) and a.target == hidden.hex for a in engine.legal_actions(after_with))


# ------------------------------------------------------------------ illegal actions


def test_moving_an_enemy_unit_is_illegal(crossing):
    state = engine.new_game(crossing, 1)
    assert state.active_side == "japanese"
    state = state.with_unit(replace(state.unit("s-1"), move_points=6))  # fresh, as in its own turn
    target = engine.destinations(state, "s-1")[0]
    with pytest.raises(IllegalActionError):
        engine.step(state, Move("s-1", target))
    assert engine.unit_actions(state, "s-1") == []


def test_moving_to_an_unreachable_hex_is_illegal(crossing):
    state = engine.new_game(crossing, 1)  # j-1 at 1,1 with 6 move points
    for to in ("9,7", "1,1", "8,2", "99,99"):  # too far, its own hex, an enemy's hex, off the map
        with pytest.raises(IllegalActionError):
            engine.step(state, Move("j-1", parse_hex(to)))
    next_to_enemy = state.with_unit(replace(state.unit("s-1"), hex=parse_hex("2,1")))
    assert parse_hex("2,1") in engine.reach(state, "j-1").hexes()
    with pytest.raises(IllegalActionError):  # within reach, but a visible enemy holds it
        engine.step(next_to_enemy, Move("j-1", parse_hex("2,1")))
    with pytest.raises(IllegalActionError):
        engine.step(state, Move("nobody", parse_hex("1,2")))
    with pytest.raises(IllegalActionError):
        engine.step(state, Move("s-3", parse_hex("9,4")))  # a reinforcement still in reserve
    moved, _ = engine.step(state, Move("j-1", parse_hex("1,2")))
    assert moved.unit("j-1").move_points == 4
    far = [h for h in engine.reach(state, "j-1").hexes() if h not in engine.reach(moved, "j-1").hexes()]
    assert far  # j-1 has spent move points: some hexes are now beyond it
    with pytest.raises(IllegalActionError):
        engine.step(moved, Move("j-1", far[0]))


def test_unit_without_move_points_cannot_move(crossing):
    state = engine.new_game(crossing, 1)
    tired = state.with_unit(replace(state.unit("j-1"), move_points=0))
    assert engine.unit_actions(tired, "j-1") == []
    with pytest.raises(IllegalActionError):
        engine.step(tired, Move("j-1", parse_hex("1,2")))


def test_no_action_is_legal_in_a_finished_game(crossing):
    state = engine.new_game(crossing, 1)
    while not state.game_over:
        state, events = engine.step(state, EndPhase())
    assert engine.legal_actions(state) == []
    assert list(engine.legal_actions(state)) == []
    assert engine.unit_actions(state, "j-1") == []
    for action in (EndPhase(), Move("j-1", parse_hex("1,2"))):
        with pytest.raises(IllegalActionError):
            engine.step(state, action)


# ------------------------------------------------------------------ the clock


def test_turn_and_clock_advance_after_both_sides_end(crossing):
    state = engine.new_game(crossing, 1)
    period = crossing.model.period
    assert (state.turn, state.active_side, state.phase) == (1, "japanese", Phase.MOVEMENT)
    assert state.clock == period.start
    state, events = end_player_turn(state)
    assert (state.turn, state.active_side, state.phase) == (1, "soviet", Phase.MOVEMENT)
    assert state.clock == period.start
    assert not any(isinstance(e, TurnStarted) for e in events)
    assert PhaseStarted(1, "soviet", "movement") in events
    state, events = end_player_turn(state)
    assert (state.turn, state.active_side, state.phase) == (2, "japanese", Phase.MOVEMENT)
    assert state.clock == period.start + timedelta(hours=period.turn_hours)
    assert TurnStarted(2, "1939-07-02T18:00", False) in events
    assert events.index(TurnStarted(2, "1939-07-02T18:00", False)) < events.index(PhaseStarted(2, "japanese", "movement"))
    state, _ = end_player_turn(state)
    state, events = end_player_turn(state)
    assert state.turn == 3 and state.clock == period.start + timedelta(hours=2 * period.turn_hours)
    assert TurnStarted(3, "1939-07-03T06:00", False) in events


def test_move_points_are_restored_at_the_start_of_each_player_turn(crossing):
    state = engine.new_game(crossing, 1)
    state, _ = engine.step(state, Move("j-1", parse_hex("1,2")))
    assert state.unit("j-1").move_points == 4
    state, _ = end_player_turn(state)
    assert state.unit("j-1").move_points == 4  # the soviet player turn does not refresh japanese units
    state, _ = end_player_turn(state)
    assert state.unit("j-1").move_points == 6


def test_game_ends_after_the_last_turn(crossing):
    state = engine.new_game(crossing, 1)
    last = crossing.model.period.last_turn
    player_turns = 0
    while True:
        state, events = end_player_turn(state)
        player_turns += 1
        if state.game_over:
            break
        assert not any(isinstance(e, GameEnded) for e in events)
    assert player_turns == 2 * last
    assert state.turn == last
    assert events[-1] == GameEnded(last)
    assert sum(isinstance(e, GameEnded) for e in events) == 1


def test_night_turns_follow_the_daylight_times(tmp_path):
    scenario = make_scenario(
        tmp_path, ["...."], [("j-1", "rifle_bn", "japanese", "0,0")], start="1939-07-02T15:00:00", turn_hours=6, last_turn=5
    )
    state = engine.new_game(scenario, 1)
    seen = []
    while not state.game_over:
        if state.active_side == "japanese":
            seen.append((state.clock.strftime("%H:%M"), state.is_night, engine.observe(state, "japanese").is_night))
        state, _ = engine.step(state, EndPhase())
    assert seen == [("15:00", False, False), ("21:00", True, True), ("03:00", True, True), ("09:00", False, False), ("15:00", False, False)]


BUNDLED = [p.stem for p in bundled_scenario_paths()]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("name", BUNDLED)
def test_random_play_keeps_the_invariants_on_the_bundled_scenarios(name, seed):
    """The real maps, with their marshes, tracks, rivers and borders: every state of three
    random games a scenario keeps every invariant (no unit where its class may not stand)."""
    scenario = load_scenario(name)
    start = engine.new_game(scenario, seed)
    check_invariants(start)
    end, _actions = random_game(scenario, seed, check_step([snapshot(start)]))
    assert end.game_over
