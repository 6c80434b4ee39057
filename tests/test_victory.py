"""Victory on hand-built positions (docs/rules.md, "Victory"): who holds each objective, points
at the end and turn by turn, points for enemy steps destroyed, the level of the win, sudden
death, and the comparison with history.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import end_player_turn, make_scenario, next_turn

from nomonhan import engine
from nomonhan.actions import Move
from nomonhan.engine.attrition import take_steps
from nomonhan.events import GameEnded, SuddenDeath
from nomonhan.hexgrid import Hex, parse_hex
from nomonhan.rules.victory import against_history, historical_losses, historical_scope, losses, outcome, scenario_dates, victory_points
from nomonhan.state import GameState, UnitStatus

ROWS = [".......", ".......", "......."]
OBJECTIVES = [
    {"name": "Hill", "hex": "2,1", "points": 5, "points_per_turn": 1, "initial_holder": "soviet"},
    {"name": "Ford", "hex": "5,1", "points": 3, "points_per_turn": 2},
]
ARMOURED_CARS = {
    "id": "ac_bn",
    "name": "Armoured car battalion",
    "category": "armour",
    "size": "battalion",
    "movement_class": "wheeled",
    "move_points": 10,
    "attack": 3,
    "defence": 2,
    "steps": 2,
    "abilities": ["overrun", "armour"],
    "per_step": {"men": 100, "tanks": 0, "armoured_cars": 12, "guns": 1},
    "stack_points": 2,
    "source": "test",
}


def h(text: str) -> Hex:
    return parse_hex(text)


def new(tmp_path, units, objectives=OBJECTIVES, **options) -> GameState:
    return engine.new_game(make_scenario(tmp_path, ROWS, units, objectives=objectives, unit_types=[ARMOURED_CARS], **options), 1)


def finished(state: GameState, **changes) -> GameState:
    return replace(state, game_over=True, **changes)


def remove(state: GameState, unit_id: str) -> GameState:
    return state.with_unit(replace(state.unit(unit_id), status=UnitStatus.ELIMINATED, hex=None, steps=0))


# ------------------------------------------------------------------ holding objectives


def test_objective_held_by_the_last_side_to_stand_in_it_alone(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "1,1"), ("s-1", "rifle_bn", "soviet", "6,0")]
    state = new(tmp_path, units)
    assert state.holders == ("soviet", None)  # the initial holder; nobody at the ford yet
    state, _ = engine.step(state, Move("j-1", h("2,1")))
    assert state.holders == ("japanese", None)
    state, _ = engine.step(state, Move("j-1", h("3,1")))
    assert state.holders == ("japanese", None)  # still the last side to stand there
    state, _ = end_player_turn(state)
    state, _ = engine.step(state, Move("s-1", h("5,1")))
    assert state.holders == ("japanese", "soviet")


def test_units_placed_on_an_objective_hold_it_from_the_start(tmp_path):
    state = new(tmp_path, [("j-1", "rifle_bn", "japanese", "2,1"), ("s-1", "rifle_bn", "soviet", "5,1")])
    assert state.holders == ("japanese", "soviet")


def test_eliminated_defender_leaves_the_hex_to_the_last_holder_until_someone_enters(tmp_path):
    state = new(tmp_path, [("j-1", "rifle_bn", "japanese", "1,1"), ("s-1", "artillery_bn", "soviet", "2,1")])
    assert state.holders[0] == "soviet"
    state, _ = take_steps(state, ["s-1"], 1, "combat", "defending")
    assert state.unit("s-1").status is UnitStatus.ELIMINATED
    assert state.holders[0] == "soviet"
    state, _ = engine.step(state, Move("j-1", h("2,1")))
    assert state.holders[0] == "japanese"


# ------------------------------------------------------------------ points


def test_points_per_turn_are_banked_at_each_turns_end(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "1,1"), ("s-1", "rifle_bn", "soviet", "5,1")]
    state = new(tmp_path, units, last_turn=3)
    state, _ = engine.step(state, Move("j-1", h("2,1")))
    state, _ = end_player_turn(state)
    assert state.active_side == "soviet" and state.banked_points == (0, 0)  # not after the first player turn
    state, _ = end_player_turn(state)
    assert state.turn == 2 and state.banked_points == (1, 2)  # hill 1 to japan, ford 2 to the soviets
    state, _ = next_turn(state)
    assert state.banked_points == (2, 4)
    state, events = next_turn(state)  # the last turn ends the game, banked too
    assert state.game_over and state.banked_points == (3, 6)
    assert GameEnded(3) in events
    result = outcome(state)
    assert result.points == {"japanese": 3 + 5, "soviet": 6 + 3}
    assert (result.winner, result.level) == ("soviet", "marginal")


def test_nobody_scores_an_unheld_objective(tmp_path):
    state = new(tmp_path, [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "6,2")], objectives=[OBJECTIVES[1]])
    assert state.holders == (None,)
    state, _ = next_turn(state)
    assert state.banked_points == (0, 0)
    assert victory_points(state) == {"japanese": 0, "soviet": 0}


def test_outcome_only_once_the_game_is_over(tmp_path):
    state = new(tmp_path, [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "6,2")], last_turn=1)
    assert outcome(state) is None
    state, events = next_turn(state)
    assert state.game_over and GameEnded(1) in events
    assert outcome(state) is not None


def test_points_at_the_end_for_objectives_held_and_banked(tmp_path):
    state = new(tmp_path, [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "6,2")])
    state = finished(state, holders=("japanese", "soviet"), banked_points=(4, 7))
    assert victory_points(state) == {"japanese": 4 + 5, "soviet": 7 + 3}


@pytest.mark.parametrize("points_per_step", [0, 1, 3])
def test_points_per_enemy_step_destroyed(tmp_path, points_per_step):
    units = [
        ("j-1", "rifle_bn", "japanese", "0,0"),
        ("j-2", "tank_bn", "japanese", "0,1"),
        ("s-1", "rifle_bn", "soviet", "6,2"),
        ("s-2", "rifle_bn", "soviet", "6,1"),
        {"id": "s-3", "type": "rifle_bn", "side": "soviet", "hex": "6,0", "steps": 1},  # starts weak: nothing destroyed yet
        {"id": "s-late", "type": "rifle_bn", "side": "soviet", "arrive": {"at": "1939-07-02T18:00:00", "hex": "6,0"}},
    ]
    state = new(tmp_path, units, objectives=[], extra={"points_per_step": points_per_step})
    state = remove(state.with_unit(replace(state.unit("s-1"), steps=1)), "s-2")  # 1 + 2 soviet steps gone
    state = state.with_unit(replace(state.unit("j-2"), steps=1))  # 1 japanese step gone
    assert losses(state, "soviet").steps == 3 and losses(state, "japanese").steps == 1
    assert victory_points(state) == {"japanese": 3 * points_per_step, "soviet": 1 * points_per_step}


def test_men_per_point_weighs_each_step_destroyed_by_the_men_it_stands_for(tmp_path):
    """A step of 150 tank crewmen is not worth a step of 400 riflemen: with ``men_per_point``
    a side scores a point for every that many men in the enemy steps destroyed, recovered steps
    not counted, rounded to the nearest point (a half up), on top of ``points_per_step``."""
    units = [
        ("j-1", "rifle_bn", "japanese", "0,0"),
        ("j-2", "tank_bn", "japanese", "0,1"),
        ("s-1", "rifle_bn", "soviet", "6,2"),
        ("s-2", "tank_bn", "soviet", "6,1"),
    ]
    state = new(tmp_path, units, objectives=[], extra={"points_per_step": 0, "men_per_point": 400})
    state = remove(state, "s-1")  # 2 steps of 400 riflemen: 800 men, 2 points
    state = state.with_unit(replace(state.unit("s-2"), steps=1))  # and 150 crewmen: 950 men, 2.4 points
    state = remove(state, "j-2")  # 2 steps of 150 crewmen: 300 men, 0.75 points
    assert victory_points(state) == {"japanese": 2, "soviet": 1}
    state = state.with_unit(replace(state.unit("j-1"), steps=1))  # and 400 riflemen: 700 men, 1.75 points
    assert victory_points(state) == {"japanese": 2, "soviet": 2}
    state = state.with_unit(replace(state.unit("s-1"), status=UnitStatus.ON_MAP, hex=h("6,2"), steps=2))  # s-1 back whole
    assert victory_points(state) == {"japanese": 0, "soviet": 2}  # 150 men: 0.375, rounds to 0
    both = new(tmp_path, units, objectives=[], extra={"points_per_step": 1, "men_per_point": 400})
    both = remove(both, "s-1")
    assert victory_points(both) == {"japanese": 2 + 2, "soviet": 0}
    assert "japanese destroyed 2 enemy steps (800 men)" in outcome(finished(both)).reasons


def test_losses_count_men_tanks_cars_and_guns_per_step(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "0,0"), ("j-2", "tank_bn", "japanese", "0,1"), ("s-1", "ac_bn", "soviet", "6,2")]
    state = new(tmp_path, units, objectives=[])
    share = state.scenario.rules.casualties.defending.men_pct
    state, _ = take_steps(state, ["j-1"], 1, "combat", "defending")
    state, _ = take_steps(state, ["j-2"], 2, "combat", "defending")
    japan = losses(state, "japanese")
    men = 400 * share // 100 + 2 * (150 * share // 100)
    assert (japan.men, japan.tanks, japan.armoured_cars, japan.guns, japan.steps) == (men, 50, 0, 3, 3)
    state, _ = take_steps(state, ["s-1"], 1, "combat", "defending")
    soviet = losses(state, "soviet")
    assert (soviet.men, soviet.tanks, soviet.armoured_cars, soviet.guns, soviet.steps) == (100 * share // 100, 0, 12, 1, 1)


# ------------------------------------------------------------------ levels

LEVELS = {"victory": {"decisive": 5, "marginal": 2}}


@pytest.mark.parametrize(
    "banked, winner, level",
    [
        ((0, 0), "draw", "draw"),
        ((1, 0), "draw", "draw"),
        ((0, 1), "draw", "draw"),
        ((2, 0), "japanese", "marginal"),
        ((4, 0), "japanese", "marginal"),
        ((5, 0), "japanese", "decisive"),
        ((9, 1), "japanese", "decisive"),
        ((3, 1), "japanese", "marginal"),
        ((0, 2), "soviet", "marginal"),
        ((1, 5), "soviet", "marginal"),
        ((0, 5), "soviet", "decisive"),
        ((2, 30), "soviet", "decisive"),
    ],
)
def test_levels_follow_the_scenarios_margins(tmp_path, banked, winner, level):
    state = new(tmp_path, [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "6,2")], objectives=[], extra=LEVELS)
    result = outcome(finished(state, banked_points=banked))
    assert result.points == {"japanese": banked[0], "soviet": banked[1]}
    assert (result.winner, result.level) == (winner, level)


@pytest.mark.parametrize(
    "banked, winner, level",
    [
        ((0, 0), "draw", "draw"),
        ((1, 0), "japanese", "marginal"),
        ((9, 0), "japanese", "marginal"),
        ((10, 0), "japanese", "decisive"),
        ((0, 10), "soviet", "decisive"),
    ],
)
def test_default_margins(tmp_path, banked, winner, level):
    state = new(tmp_path, [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "6,2")], objectives=[])
    result = outcome(finished(state, banked_points=banked))
    assert (result.winner, result.level) == (winner, level)


# ------------------------------------------------------------------ sudden death

SUDDEN = {"sudden_death": [{"side": "japanese", "objectives": ["Hill", "Ford"], "from_turn": 2}]}


def test_sudden_death_ends_the_game_at_once_with_a_decisive_win(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("j-2", "rifle_bn", "japanese", "5,1"), ("s-1", "rifle_bn", "soviet", "6,2")]
    state = new(tmp_path, units, extra=SUDDEN, last_turn=4)
    assert state.holders == ("japanese", "japanese")
    state, events = next_turn(state)  # turn 1: too early
    assert not state.game_over and state.turn == 2 and not any(isinstance(e, SuddenDeath) for e in events)
    state = replace(state, banked_points=(0, 100))  # however far behind on points
    state, events = end_player_turn(state)  # the end of the japanese player turn of turn 2
    assert state.game_over and state.winner == "japanese" and state.turn == 2
    assert SuddenDeath("japanese") in events and GameEnded(2) in events
    assert events.index(SuddenDeath("japanese")) < events.index(GameEnded(2))
    result = outcome(state)
    assert (result.winner, result.level) == ("japanese", "decisive")
    assert result.points["soviet"] > result.points["japanese"]
    assert engine.legal_actions(state) == []


def test_no_sudden_death_without_every_listed_objective(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("s-1", "rifle_bn", "soviet", "5,1")]
    state = new(tmp_path, units, extra=SUDDEN, last_turn=3)
    while not state.game_over:
        state, events = next_turn(state)
        assert not any(isinstance(e, SuddenDeath) for e in events)
    assert state.turn == 3 and state.winner is None
    assert outcome(state).points == {"japanese": 3 + 5, "soviet": 6 + 3}


def test_sudden_death_is_checked_at_the_end_of_either_sides_player_turn(tmp_path):
    extra = {"sudden_death": [{"side": "soviet", "objectives": ["Ford"]}]}
    units = [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "6,1")]
    state = new(tmp_path, units, extra=extra)
    state, events = end_player_turn(state)
    assert not state.game_over and state.active_side == "soviet"
    state, _ = engine.step(state, Move("s-1", h("5,1")))
    assert state.holders[1] == "soviet"
    state, events = end_player_turn(state)
    assert state.game_over and state.winner == "soviet" and state.turn == 1
    assert SuddenDeath("soviet") in events
    assert (outcome(state).winner, outcome(state).level) == ("soviet", "decisive")


# ------------------------------------------------------------------ against history

DATES = "the scenario's dates, 2 Jul - 4 Jul 1939"
"""What historical figures without a ``scope`` cover in these tests: make_scenario's four 12-hour
turns from 06:00 on 2 July 1939."""
HISTORY = {
    "historical": {
        "winner": "soviet",
        "summary": "test",
        "losses": {
            "japanese": {"men": [500, 1000], "tanks": [0, 10], "guns": [0, 5], "source": "test"},
            "soviet": {"men": [0, 100], "armoured_cars": [13, 20], "guns": [1, 1], "source": "test"},
        },
        "held_objectives": {"Hill": "soviet", "Ford": "japanese"},
        "source": "test",
    }
}


def test_against_history_compares_losses_with_the_ranges(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("s-1", "ac_bn", "soviet", "5,1"), ("s-2", "rifle_bn", "soviet", "6,2")]
    state = new(tmp_path, units, extra=HISTORY)
    state, _ = take_steps(state, ["j-1"], 1, "combat", "defending")  # 70% of 400 men, 3 guns
    state, _ = take_steps(state, ["s-1"], 1, "combat", "defending")  # 70% of 100 men, 12 cars, 1 gun
    report = against_history(state)
    assert report["japanese"] == {
        "historical_winner": "soviet",
        "men": {"game": 280, "history": [500, 1000], "compared": "fewer"},
        "tanks": {"game": 0, "history": [0, 10], "compared": "within"},
        "guns": {"game": 3, "history": [0, 5], "compared": "within"},
        "scope": DATES,
        "objectives_held": ["Hill"],
        "objectives_held_historically": ["Ford"],
    }
    assert report["soviet"] == {
        "historical_winner": "soviet",
        "men": {"game": 70, "history": [0, 100], "compared": "within"},
        "armoured_cars": {"game": 12, "history": [13, 20], "compared": "fewer"},
        "guns": {"game": 1, "history": [1, 1], "compared": "within"},
        "scope": DATES,
        "objectives_held": ["Ford"],
        "objectives_held_historically": ["Hill"],
    }
    state, _ = take_steps(state, ["s-2"], 2, "combat", "defending")  # two rifle steps: 560 more men, 6 more guns
    report = against_history(state)["soviet"]
    assert report["men"]["compared"] == "more" and report["guns"] == {"game": 7, "history": [1, 1], "compared": "more"}
    result = outcome(finished(state))
    assert result.history == against_history(state)


def test_historical_figures_say_what_they_cover(tmp_path):
    """A campaign's totals are labelled as such beside the game's own dates; figures without a
    ``scope`` cover the scenario's dates (issue #23: Khalkhin Gol's campaign totals were shown
    beside a 12-day game without saying so)."""
    campaign = {
        "historical": {
            **HISTORY["historical"],
            "losses": {
                "soviet": {"men": [25000, 29000], "scope": "whole campaign, May-September 1939", "source": "test"},
                "japanese": {"men": [17000, 20000], "source": "test"},
            },
        }
    }
    state = new(tmp_path, [("j-1", "rifle_bn", "japanese", "2,1"), ("s-1", "rifle_bn", "soviet", "6,2")], extra=campaign)
    assert scenario_dates(state.scenario) == DATES.removeprefix("the scenario's dates, ")
    assert historical_scope(state.scenario, "soviet") == f"whole campaign, May-September 1939; the game: {scenario_dates(state.scenario)}"
    assert historical_scope(state.scenario, "japanese") == DATES
    assert historical_losses(state.scenario) == {
        "soviet": {"men": [25000, 29000], "scope": historical_scope(state.scenario, "soviet")},
        "japanese": {"men": [17000, 20000], "scope": DATES},
    }
    assert against_history(state)["soviet"]["scope"] == historical_scope(state.scenario, "soviet")


def test_the_scenarios_dates_run_from_the_first_turn_to_the_end_of_the_last(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("s-1", "rifle_bn", "soviet", "6,2")]
    scenario = make_scenario(tmp_path, ROWS, units, start="1938-12-31T08:00:00", turn_hours=12, last_turn=3)
    assert scenario_dates(scenario) == "31 Dec 1938 - 1 Jan 1939"


def test_against_history_when_the_scenario_has_none(tmp_path):
    state = new(tmp_path, [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "6,2")])
    assert against_history(state) == {}
    assert outcome(finished(state)).history == {}


def test_the_battles_winner_stays_the_winner_whatever_history_says(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("s-1", "rifle_bn", "soviet", "6,2")]
    state = finished(new(tmp_path, units, extra=HISTORY), holders=("japanese", "japanese"))
    result = outcome(state)
    assert result.winner == "japanese"
    assert result.history["japanese"]["historical_winner"] == "soviet"
    assert result.history["japanese"]["objectives_held"] == ["Ford", "Hill"]
