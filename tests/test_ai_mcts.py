"""The tree-search player: information-set Monte Carlo tree search over the units' moves."""

from __future__ import annotations

from dataclasses import replace

from conftest import make_scenario
from test_ai import play

from nomonhan import engine
from nomonhan.actions import Attack, EndPhase
from nomonhan.ai import make_player
from nomonhan.ai.armour import closed_in
from nomonhan.ai.mcts import Node, TreeSearchPlayer
from nomonhan.ai.search import loss_chance, threatened_points, worth
from nomonhan.hexgrid import parse_hex
from nomonhan.rng import Generator
from nomonhan.state import Phase


def skirmish(tmp_path, soviet_hexes=("9,1", "9,2")):
    units = [
        {"id": "j-1", "type": "rifle_bn", "side": "japanese", "hex": "1,1"},
        {"id": "j-2", "type": "rifle_bn", "side": "japanese", "hex": "1,2"},
        {"id": "j-3", "type": "tank_bn", "side": "japanese", "hex": "0,1"},
    ] + [{"id": f"s-{n}", "type": "rifle_bn", "side": "soviet", "hex": h} for n, h in enumerate(soviet_hexes, 1)]
    objectives = [{"name": "Height", "hex": "8,1", "points": 5, "initial_holder": "soviet"}]
    return make_scenario(tmp_path, ["." * 14] * 3, units, objectives=objectives, last_turn=4)


def at_movement(state):
    while state.phase is not Phase.MOVEMENT:
        state, _ = engine.step(state, EndPhase())
    return state


def test_ucb_tries_every_option_once_in_order_then_the_best_mean():
    node = Node(visits=3)
    assert node.pick(2, 1.0) == 0
    node.children = {0: Node(visits=2, total=2.0), 1: Node(visits=1, total=9.0)}
    assert node.pick(2, 0.0) == 1
    assert node.pick(3, 0.0) == 2


def test_its_choice_never_depends_on_enemy_units_it_cannot_see(tmp_path):
    """Hidden information: the search samples the enemy from what the side has seen, so two
    true states that differ only out of its sight give the same moves and the same work."""
    state = at_movement(engine.new_game(skirmish(tmp_path), seed=1))
    assert not engine.observe(state, "japanese").enemy_units
    elsewhere = state.with_unit(replace(state.unit("s-1"), hex=parse_hex("13,0")))
    assert not engine.observe(elsewhere, "japanese").enemy_units
    results = []
    for truth in (state, elsewhere):
        player = TreeSearchPlayer(iterations=6)
        action = player.choose(engine.observe(truth, "japanese"), engine.legal_actions(truth), Generator(4))
        results.append((action, player.plans, player.nodes))
    assert results[0] == results[1]
    assert results[0][2] > 0


def test_a_determinisation_moves_hidden_units_at_most_one_hex_and_only_onto_hexes_out_of_sight(tmp_path):
    state = at_movement(engine.new_game(skirmish(tmp_path), seed=1))
    observation = engine.observe(state, "japanese")
    player = TreeSearchPlayer()
    player.tempers.memory.update(observation)
    imagined = player.tempers.memory.imagine(observation)
    rng = Generator(3)
    moved = set()
    for _ in range(20):
        sample = player._determinise(imagined, observation, rng)
        for before, after in zip(imagined.units, sample.units):
            if before.side == "soviet" and before.on_map:
                assert before.position.distance(after.position) <= 1
                assert after.position not in observation.seen_hexes
                moved.add(after.hex != before.hex)
            else:
                assert after == before
    assert moved == {True, False}


def test_it_plans_its_moves_and_counts_its_work_in_a_whole_game(tmp_path):
    searcher = TreeSearchPlayer(iterations=4)
    play(skirmish(tmp_path), {"japanese": searcher, "soviet": make_player("heuristic")}, seed=5)
    assert searcher.plans and searcher.tree_nodes > 0 and searcher.nodes > searcher.tree_nodes


def test_a_unit_with_no_choice_but_to_stand_leaves_its_place_in_the_tree_to_one_with_a_choice(tmp_path):
    """With ``skip_settled``: the Japanese unit nearest the enemy stands on an island (no move at
    all); with room for one unit in the tree, the search plans the next one, which has moves to
    choose among."""
    units = [
        {"id": "j-1", "type": "rifle_bn", "side": "japanese", "hex": "5,1"},
        {"id": "j-2", "type": "rifle_bn", "side": "japanese", "hex": "1,2"},
        {"id": "j-3", "type": "tank_bn", "side": "japanese", "hex": "0,1"},
        {"id": "s-1", "type": "rifle_bn", "side": "soviet", "hex": "9,1"},
    ]
    objectives = [{"name": "Height", "hex": "8,1", "points": 5, "initial_holder": "soviet"}]
    scenario = make_scenario(tmp_path, ["....www.......", "....w.w.......", "....www......."], units, objectives=objectives, last_turn=4)
    state = at_movement(engine.new_game(scenario, seed=1))
    assert not engine.destinations(state, "j-1")
    player = TreeSearchPlayer(iterations=4, depth=1, skip_settled=True)
    player.choose(engine.observe(state, "japanese"), engine.legal_actions(state), Generator(4))
    (plan,) = player.plans.values()
    assert [unit_id for unit_id, _ in plan] == ["j-2"]


def holding(tmp_path, japanese_hexes=("10,1", "11,1", "13,1"), soviet_hex="8,1"):
    """The Soviets hold the Height (8,1) with a rifle battalion, Japanese rifle battalions to
    the east of it, the side to move the Japanese."""
    units = [{"id": "s-1", "type": "rifle_bn", "side": "soviet", "hex": soviet_hex}] + [
        {"id": f"j-{n}", "type": "rifle_bn", "side": "japanese", "hex": h} for n, h in enumerate(japanese_hexes, 1)
    ]
    objectives = [{"name": "Height", "hex": "8,1", "points": 5, "initial_holder": "soviet"}]
    return at_movement(engine.new_game(make_scenario(tmp_path, ["." * 14] * 3, units, objectives=objectives, last_turn=4), seed=1))


def test_an_objective_is_lost_on_the_results_of_the_enemys_best_attack_that_clear_the_hex(tmp_path):
    """The chance is the forecast's: the Japanese within reach (two of three) come up beside the
    Height and attack, and the Soviets lose it on a result that makes them retreat or takes
    their steps; more attackers within reach, more chance; none, none; nobody in it, certain."""
    state = holding(tmp_path)
    height = parse_hex("8,1")
    chance = loss_chance(state, height, "soviet")
    beside = closed_in(state, height, [state.unit("j-1"), state.unit("j-2")])
    assert beside is not None and {beside.unit(u).position.distance(height) for u in ("j-1", "j-2")} == {1}
    forecast = engine.combat_odds(beside, Attack(("j-1", "j-2"), height))
    steps = state.unit("s-1").steps
    assert chance == sum(p for result, p in forecast.outcomes if result.retreat or result.defender_steps >= steps)
    assert 0 < chance < 1
    assert threatened_points(state, "soviet") == 2 * 5 * chance and threatened_points(state, "japanese") == 0
    assert loss_chance(holding(tmp_path, ("10,1", "11,1", "11,0")), height, "soviet") > chance
    assert loss_chance(holding(tmp_path, ("12,1", "13,1", "13,0")), height, "soviet") == 0
    assert loss_chance(holding(tmp_path, soviet_hex="7,1"), height, "soviet") == 1


def test_with_threats_a_playout_is_scored_less_what_its_objectives_are_likely_to_lose(tmp_path):
    """A holding side's position is for the attack that comes after the playout: ``threats``
    takes off the margin its objectives are likely to lose then; ``threats_made`` credits the
    side's own threats on the enemy's."""
    state = holding(tmp_path)
    at_risk = threatened_points(state, "soviet")
    assert at_risk > 0
    assert TreeSearchPlayer(threats=True)._value(state, "soviet") == worth(state, "soviet") - at_risk
    assert TreeSearchPlayer()._value(state, "soviet") == worth(state, "soviet")
    assert TreeSearchPlayer(threats_made=True)._value(state, "japanese") == worth(state, "japanese") + at_risk
