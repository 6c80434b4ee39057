"""The computer's tanks go in with the infantry or keep back, and it breaks off assaults that can
only cost it (issue 15: the Yasuoka detachment at Bain Tsagan, 2-5 July 1939, lost about half
of its tanks and was withdrawn; issue 20: a unit does not advance alone into a stronger stack),
on hand-built positions: a 14 x 3 plain with a Japanese column on an east-west axis through
an objective at 8,1 that a Soviet stack holds."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from conftest import make_scenario
from test_armour import HUNTERS

from nomonhan import engine
from nomonhan.actions import Advance, EndPhase, HoldPosition, Move
from nomonhan.ai import armour
from nomonhan.ai.armour import counter_attack_loss
from nomonhan.ai.heuristic import HeuristicPlayer
from nomonhan.hexgrid import parse_hex
from nomonhan.rng import Generator
from nomonhan.state import GameState, Pending, Phase

TANK_HUNTERS = {**HUNTERS, "per_step": {"men": 400, "anti_tank_guns": 20}}
"""Infantry with close-assault teams and an anti-tank gun company a step."""
STACK = parse_hex("8,1")


def unit(unit_id, hex_, side="japanese", type_id="rifle_bn"):
    entry = {"id": unit_id, "type": type_id, "side": side, "hex": hex_}
    if side == "japanese":
        entry["formation"] = "Column"
    return entry


def new(tmp_path, units, by_turn=None, start="1939-07-02T06:00:00", objectives=()) -> GameState:
    hints = {"posture": "attack", "axes": [{"name": "Column road", "hexes": ["0,1", "13,1"], "formations": ["Column"]}]}
    if by_turn is not None:
        hints["objectives"] = [{"hex": "8,1", "by_turn": by_turn, "goal": "take"}]
    scenario = make_scenario(
        tmp_path,
        ["." * 14] * 3,
        units,
        unit_types=[TANK_HUNTERS],
        objectives=[{"name": "Height", "hex": "8,1", "points": 8, "initial_holder": "soviet"}, *objectives],
        start=start,
        extra={"ai_hints": {"japanese": hints}},
    )
    state = engine.new_game(scenario, seed=1)
    while state.phase is not Phase.MOVEMENT:
        state, _ = engine.step(state, EndPhase())
    return state


def soviet_stack():
    return [unit("s-1", "8,1", side="soviet", type_id="hunter_bn"), unit("s-2", "8,1", side="soviet", type_id="hunter_bn")]


def coming(tank_units):
    """Tank battalions of the side still to come (on the second day): armour it has in the battle."""
    return [
        {
            "id": f"j-r{n}",
            "type": "tank_bn",
            "side": "japanese",
            "formation": "Column",
            "arrive": {"at": "1939-07-03T18:00:00", "hex": "0,1"},
        }
        for n in range(tank_units)
    ]


def tank_move(state, player=None):
    """The Japanese player's moves this phase, unit by unit, until the tank's (None: it stands)."""
    player = player or HeuristicPlayer()
    generator = Generator(1)
    while state.phase is Phase.MOVEMENT:
        action = player.choose(engine.observe(state, "japanese"), engine.legal_actions(state), generator)
        if isinstance(action, Move) and action.unit == "j-tk":
            return action.to
        if not isinstance(action, Move):
            return None
        state, _ = engine.step(state, action)
    return None


def test_a_lone_tank_unit_expects_to_lose_steps_next_to_tank_hunters_and_none_with_infantry_beside_it(tmp_path):
    state = new(tmp_path, [unit("j-tk", "3,1", type_id="tank_bn"), unit("j-1", "7,1"), *soviet_stack()])
    tank, soviets = state.unit("j-tk"), [state.unit("s-1"), state.unit("s-2")]
    alone = counter_attack_loss(state, tank, parse_hex("7,0"), soviets)
    beside_infantry = counter_attack_loss(state, tank, parse_hex("7,1"), soviets)
    assert alone >= 1 and beside_infantry < alone / 2
    assert counter_attack_loss(state, tank, parse_hex("3,1"), soviets) == 0  # out of reach
    assert counter_attack_loss(state, tank, STACK, soviets) == 2  # a move into a known enemy runs into it
    assert counter_attack_loss(state, state.unit("j-1"), parse_hex("7,0"), soviets) == 0  # no tanks


def test_a_tank_unit_keeps_back_from_a_stack_that_would_destroy_it_and_goes_in_with_the_infantry(tmp_path, monkeypatch):
    """A friend stands beside every hex next to the stack (so the old rule against advancing
    alone does not hold the tank back); only the counter-attack it would meet there does.  The
    side has four steps of armour, as Yasuoka's detachment had."""
    friends = [unit("j-a", "7,0"), unit("j-b", "7,2"), unit("j-c", "9,0"), unit("j-d", "9,2"), *coming(1)]
    state = new(tmp_path, [unit("j-tk", "3,1", type_id="tank_bn"), *friends, *soviet_stack()])
    assert tank_move(state).distance(STACK) > 1
    with_infantry = new(tmp_path, [unit("j-tk", "3,1", type_id="tank_bn"), *friends, unit("j-1", "7,1"), *soviet_stack()])
    assert tank_move(with_infantry) == parse_hex("7,1")
    monkeypatch.setattr(armour, "counter_attack_loss", lambda *args: Fraction(0))
    monkeypatch.setattr("nomonhan.ai.heuristic.counter_attack_loss", lambda *args: Fraction(0))
    assert tank_move(state).distance(STACK) == 1  # without the forecast it would walk in


def test_at_night_a_tank_unit_keeps_back_from_the_stack_it_remembers_out_of_sight(tmp_path):
    """In the dark the side sees only the hexes next to its units.  The Soviet stack has come
    up from its start at 11,1 to the objective: a player that never saw it there imagines it at
    its start and walks in; one that saw it there by day keeps back."""
    stack = [unit("s-1", "11,1", side="soviet", type_id="hunter_bn"), unit("s-2", "11,1", side="soviet", type_id="hunter_bn")]
    state = new(tmp_path, [unit("j-tk", "5,1", type_id="tank_bn"), *stack], start="1939-07-02T23:00:00")
    state = replace(state, units=tuple(replace(u, hex=STACK) if u.side == "soviet" else u for u in state.units))
    assert state.is_night and not engine.observe(state, "japanese").enemy_units
    assert tank_move(state).distance(STACK) == 1
    player = HeuristicPlayer()
    player.memory.last_seen.update({u: state.unit(u) for u in ("s-1", "s-2")})
    assert tank_move(state, player).distance(STACK) > 1


def test_a_side_rich_in_tanks_risks_them_where_one_with_few_keeps_them_back(tmp_path):
    """The same tank unit in the same place, its side with no other armour or with seven more
    tank battalions coming (sixteen steps, not two): a step expected lost weighs an eighth as
    much, and the rich side's tanks go nearer the stack."""
    friends = [unit("j-a", "7,0"), unit("j-b", "7,2"), unit("j-c", "9,0"), unit("j-d", "9,2")]
    poor = new(tmp_path, [unit("j-tk", "3,1", type_id="tank_bn"), *friends, *soviet_stack()])
    rich = new(tmp_path, [unit("j-tk", "3,1", type_id="tank_bn"), *friends, *soviet_stack(), *coming(7)])
    assert armour.armour_steps(poor, "japanese") == 2 and armour.armour_steps(rich, "japanese") == 16
    assert tank_move(rich).distance(STACK) < tank_move(poor).distance(STACK)


def test_tanks_do_not_advance_after_combat_out_of_the_infantrys_hex_to_stand_alone_before_a_stack(tmp_path):
    """The tanks and a battalion at 6,1 have driven the enemy off a knoll (an objective, into
    which the heuristic always advanced); the tanks stay with the infantry rather than stand
    alone on it next to the stack at 8,1."""
    knoll = {"name": "Knoll", "hex": "7,1", "points": 1, "initial_holder": "soviet"}
    state = new(tmp_path, [unit("j-tk", "6,1", type_id="tank_bn"), unit("j-1", "6,1"), *soviet_stack()], objectives=[knoll])
    target = parse_hex("7,1")
    state = replace(state, phase=Phase.COMBAT, pending=Pending("advance", "japanese", ("j-tk",), target, attackers=("j-tk", "j-1")))
    legal = engine.legal_actions(state)
    assert Advance("j-tk") in legal
    assert HeuristicPlayer().choose(engine.observe(state, "japanese"), legal, Generator(1)) == HoldPosition()
    lonely = replace(state, units=tuple(replace(u, hex=parse_hex("0,0")) if u.id == "j-1" else u for u in state.units))
    assert HeuristicPlayer().choose(engine.observe(lonely, "japanese"), engine.legal_actions(lonely), Generator(1)) == Advance("j-tk")


LIGHT_TANKS = {
    "id": "light_tank_bn",
    "name": "Light tank battalion",
    "category": "armour",
    "size": "battalion",
    "movement_class": "tracked",
    "move_points": 12,
    "attack": 4,
    "defence": 1,
    "steps": 2,
    "abilities": ["armour"],
    "per_step": {"men": 150, "tanks": 25},
    "stack_points": 2,
}
"""Thin-skinned tanks: a defence far below the attack of a stack of three battalions."""


def test_tanks_go_up_beside_a_strong_stack_where_their_infantry_stands_to_storm_it(tmp_path):
    """Battalions stand on every hex beside the Soviet stack at 8,1 (three battalions of
    tank-hunters) on the tanks' side of it;
    the side is rich in tanks (seven battalions more to come).  The forecast of the counter-attack
    on the stack the tanks would join is small (the infantry takes the blow, and keeps the close
    assault off them), so they go up beside their infantry.  The rough rule against standing
    next to an attack three times the unit's own defence used to weigh that danger a second
    time and hold them a hex back (Lake Khasan: the T-26s stood behind the storm of the crest)."""
    stack = [unit(f"s-{n}", "8,1", side="soviet", type_id="hunter_bn") for n in range(3)]
    infantry = [unit("j-1", "7,1"), unit("j-2", "7,1"), unit("j-a", "7,0"), unit("j-b", "7,2")]
    tanks = unit("j-tk", "4,1", type_id="light_tank_bn")
    hints = {"posture": "attack", "axes": [{"name": "Column road", "hexes": ["0,1", "13,1"], "formations": ["Column"]}]}
    scenario = make_scenario(
        tmp_path,
        ["." * 14] * 3,
        [tanks, *infantry, *stack, *coming(7)],
        unit_types=[TANK_HUNTERS, LIGHT_TANKS],
        objectives=[{"name": "Height", "hex": "8,1", "points": 8, "initial_holder": "soviet"}],
        extra={"ai_hints": {"japanese": hints}},
    )
    state = engine.new_game(scenario, seed=1)
    while state.phase is not Phase.MOVEMENT:
        state, _ = engine.step(state, EndPhase())
    soviets = [state.unit(f"s-{n}") for n in range(3)]
    assert all(counter_attack_loss(state, state.unit("j-tk"), parse_hex(h), soviets) < Fraction(1, 2) for h in ("7,0", "7,1", "7,2"))
    assert tank_move(state).distance(STACK) == 1
