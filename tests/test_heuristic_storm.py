"""The heuristic player storming an overdue objective and holding the ones it has
(ai/heuristic.py): no spotter walks off a held objective, an overdue objective in sight is the
main effort, and a side not on the attack pays for an overdue objective only with an attack
that can clear it (the guns kept for the attack on an objective: tests/test_heuristic_fire.py).  Hand-built positions;
docs/players.md says why, docs/calibration.md what each measured at Lake Khasan."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from conftest import make_scenario

from nomonhan import engine
from nomonhan.actions import Attack
from nomonhan.ai.goals import goal_for
from nomonhan.ai.heuristic import HeuristicPlayer
from nomonhan.hexgrid import parse_hex
from nomonhan.state import GameState

PLAIN = ["." * 14] * 3


def unit(unit_id: str, hex_: str, side: str = "japanese", type_id: str = "rifle_bn") -> dict:
    return {"id": unit_id, "type": type_id, "side": side, "hex": hex_}


def height(holder: str) -> list[dict]:
    return [{"name": "Height", "hex": "8,1", "points": 8, "initial_holder": holder}]


# ------------------------------------------------------------------ spotters


def test_no_unit_on_a_held_objective_is_sent_to_spot_for_the_guns(tmp_path) -> None:
    """The Soviet battalion remembered at 4,1 is out of sight and in the gun's range.  j-3
    stands on the held height beside its garrison and is the nearest fighting unit; it stays
    (walking off would leave the height open at dawn, beside the enemy massing below it), and
    j-2, further off, goes."""
    units = [
        unit("j-1", "8,1"),
        unit("j-3", "8,1"),
        unit("j-gun", "8,2", type_id="artillery_bn"),
        unit("j-2", "12,1"),
        unit("s-1", "4,1", side="soviet"),
    ]
    state = engine.new_game(make_scenario(tmp_path, PLAIN, units, objectives=height("japanese")), seed=1)
    observation = engine.observe(state, "japanese")
    player = HeuristicPlayer()
    player.memory.last_seen["s-1"] = state.unit("s-1")
    assert parse_hex("4,1") not in observation.seen_hexes
    assert player._spotting(observation, engine.believed_state(observation)) == {"j-2": parse_hex("4,1")}


# ------------------------------------------------------------------ the main effort


def _soviets_facing_the_height(tmp_path, turn: int) -> GameState:
    """Two Soviet tank battalions beside a Japanese battalion at 4,1, one rifle battalion beside
    the Japanese-held height at 8,1, which the Soviets are told to take by turn 3 (turns 1
    and 3 are days)."""
    hints = {"soviet": {"posture": "attack", "objectives": [{"hex": "8,1", "by_turn": 3, "goal": "take"}]}}
    units = [
        unit("j-1", "8,1"),
        unit("j-2", "4,1"),
        unit("s-1", "3,1", side="soviet", type_id="tank_bn"),
        unit("s-2", "5,1", side="soviet", type_id="tank_bn"),
        unit("s-3", "7,1", side="soviet"),
    ]
    scenario = make_scenario(tmp_path, PLAIN, units, objectives=height("japanese"), last_turn=10, extra={"ai_hints": hints})
    return replace(engine.new_game(scenario, seed=1), turn=turn, active_side="soviet")


def test_an_overdue_objective_in_sight_is_the_main_effort(tmp_path) -> None:
    """Before the height is due the main effort is where most attack strength stands (the tanks
    round 4,1); once it is overdue, the height, though one battalion faces it."""
    assert HeuristicPlayer()._main_effort(_soviets_facing_the_height(tmp_path, turn=1)) == parse_hex("4,1")
    assert HeuristicPlayer()._main_effort(_soviets_facing_the_height(tmp_path, turn=3)) == parse_hex("8,1")


# ------------------------------------------------------------------ paying for an overdue objective


def _attack_on_the_lost_height(tmp_path, posture: str, defenders: int) -> tuple[Fraction, Fraction]:
    """One Japanese battalion beside the Soviet-held height it is told to take by turn 1, held
    by ``defenders`` Soviet battalions: the score of its attack on it, and the score it would
    have were the height worth nothing."""
    hints = {"japanese": {"posture": posture, "objectives": [{"hex": "8,1", "by_turn": 1, "goal": "take"}]}}
    soviets = [unit(f"s-{n}", "8,1", side="soviet") for n in range(defenders)]
    units = [unit("j-1", "7,1"), *soviets]
    state = engine.new_game(make_scenario(tmp_path, PLAIN, units, objectives=height("soviet"), extra={"ai_hints": hints}), seed=1)
    attack = Attack(("j-1",), parse_hex("8,1"))
    forecast = engine.combat_odds(state, attack)
    exchange = forecast.expected_defender_steps - forecast.expected_attacker_steps + forecast.retreat_chance / 2
    return HeuristicPlayer().attack_score(state, attack), exchange + forecast.retreat_chance * 2 + Fraction(1, 2)


def test_a_side_not_on_the_attack_pays_for_an_overdue_objective_only_if_it_can_clear_it(tmp_path) -> None:
    """At 1:2 against two battalions no result empties the height: a side on the attack still
    pays a quarter of its points (2) whatever the odds, a balanced one does not.  Against one
    battalion a result can clear it, and both pay."""
    hopeless_attack, hopeless = _attack_on_the_lost_height(tmp_path, "attack", defenders=2)
    assert hopeless_attack == hopeless + 2
    hopeless_balanced, hopeless = _attack_on_the_lost_height(tmp_path, "balanced", defenders=2)
    assert hopeless_balanced == hopeless
    clear_balanced, clear = _attack_on_the_lost_height(tmp_path, "balanced", defenders=1)
    assert clear_balanced == clear + 2


# ------------------------------------------------------------------ closing on an objective long overdue


def _closing_gain(tmp_path, turn: int, posture: str = "attack") -> Fraction:
    """What s-1, two hexes from the Japanese-held height (three battalions: attack 9 against its
    defence 3), gains by standing beside it at 7,1 rather than at 6,1, on ``turn``: the height
    is due by turn 1, turns 1, 3 and 5 are days, and 48 hours are four turns.  s-2 stands beside
    7,1, so s-1 would not go in alone."""
    hints = {"soviet": {"posture": posture, "objectives": [{"hex": "8,1", "by_turn": 1, "goal": "take"}]}}
    units = [
        unit("j-1", "8,1"),
        unit("j-2", "8,1"),
        unit("j-3", "8,1"),
        unit("s-1", "6,1", side="soviet"),
        unit("s-2", "7,2", side="soviet"),
    ]
    scenario = make_scenario(tmp_path, PLAIN, units, objectives=height("japanese"), last_turn=10, extra={"ai_hints": hints})
    state = replace(engine.new_game(scenario, seed=1), turn=turn, active_side="soviet")
    player = HeuristicPlayer()
    enemies = engine.visible_enemies(state, "soviet")
    ground = player._ground(state, "soviet", enemies, engine.supplied_hexes(state, "soviet"))
    s1, goal = state.unit("s-1"), parse_hex("8,1")
    assert parse_hex("7,1").distance(goal) == 1 and parse_hex("7,2").distance(parse_hex("7,1")) == 1
    return player._place_score(state, s1, parse_hex("7,1"), goal, ground) - player._place_score(state, s1, parse_hex("6,1"), goal, ground)


def test_a_side_on_the_attack_closes_on_an_objective_two_days_overdue(tmp_path) -> None:
    """Overdue by a day (turn 3), the height's garrison still keeps s-1 off the hex beside it
    (a hex nearer, 3, against the threat, 9/3); two days overdue (turn 5) its first storm has
    failed and it brings everything up beside it.  A side not on the attack keeps off."""
    assert _closing_gain(tmp_path, turn=3) == 0
    assert _closing_gain(tmp_path, turn=5) == 3
    assert _closing_gain(tmp_path, turn=5, posture="balanced") == 0


# ------------------------------------------------------------------ falling back from a lost objective


def _beaten_battalion_goal(tmp_path, posture: str, defenders: int, steps: int = 1):
    """Where j-1 (``steps`` steps left), beside the Soviet-held height at 8,1 it is told to
    take by turn 1, heads when ``defenders`` Soviet battalions hold it; the Japanese supply
    source is at 13,1, and j-2 stands three hexes off, too far to help."""
    hints = {"japanese": {"posture": posture, "objectives": [{"hex": "8,1", "by_turn": 1, "goal": "take"}]}}
    soviets = [unit(f"s-{n}", "8,1", side="soviet") for n in range(defenders)]
    units = [unit("j-1", "9,1"), unit("j-2", "11,1"), *soviets]
    depot = {"supply": {"sources": [{"side": "japanese", "name": "Depot", "hex": "13,1"}]}}
    scenario = make_scenario(tmp_path, PLAIN, units, objectives=height("soviet"), extra={"ai_hints": hints, **depot})
    state = engine.new_game(scenario, seed=1)
    state = state.with_unit(replace(state.unit("j-1"), steps=steps))
    j1 = state.unit("j-1")
    return goal_for(state, j1, engine.visible_enemies(state, "japanese"))


def test_a_beaten_unit_of_a_side_not_on_the_attack_falls_back_from_an_objective_beyond_its_reach(tmp_path) -> None:
    """A half-strength battalion (attack 1.5) beside a height held by two battalions (defence
    6) falls back on its supply source instead of standing under it; at full strength against
    one battalion (3 against 3) it closes on the height, and so does a side on the attack
    whatever the odds."""
    assert _beaten_battalion_goal(tmp_path, "balanced", defenders=2) == parse_hex("13,1")
    assert _beaten_battalion_goal(tmp_path, "defend", defenders=2) == parse_hex("13,1")
    assert _beaten_battalion_goal(tmp_path, "balanced", defenders=1, steps=2) == parse_hex("8,1")
    assert _beaten_battalion_goal(tmp_path, "attack", defenders=2) == parse_hex("8,1")
