"""The rules' invariants held over whole games, after every action (docs/rules.md): the hand-built
cases test each rule in one position; these play every bundled scenario with a player that tries
nearly every kind of action, as a player hunting for a loophole would, and check after each step
what must never happen whatever was played before."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import pytest
from conftest import make_scenario

from nomonhan import engine
from nomonhan.actions import Action, EndPhase
from nomonhan.engine.view import Observation, stack_points
from nomonhan.events import BombardmentResolved, CombatResolved, Event
from nomonhan.hexgrid import parse_hex
from nomonhan.resources import bundled_scenario_paths
from nomonhan.rng import Generator
from nomonhan.rules.bridges import capacity_per_turn
from nomonhan.scenario.load import load_scenario
from nomonhan.state import GameState


class Restless:
    """Plays a random legal action, ending a phase only one time in twenty while anything else is
    offered: the units move, attack, fire and retreat as much as the rules let them."""

    def choose(self, observation: Observation, legal_actions: Sequence[Action], rng: Generator) -> Action:
        others = [a for a in legal_actions if not isinstance(a, EndPhase)]
        if others and rng.randint(1, 20) > 1:
            return rng.choice(others)
        return rng.choice(legal_actions)


def broken_invariants(before: GameState, state: GameState) -> list[str]:
    """What is wrong in ``state``, reached from ``before`` by one action."""
    scenario = state.scenario
    types = scenario.unit_types
    found = []
    sides_in: dict[object, set[str]] = {}
    for unit in state.units:
        if not unit.on_map:
            continue
        sides_in.setdefault(unit.hex, set()).add(unit.side)
        if unit.steps <= 0 or unit.move_points < 0:
            found.append(f"{unit.id} on the map with {unit.steps} steps and {unit.move_points} move points")
        if scenario.board.terrain_at(unit.position).move_cost[types[unit.type_id].movement_class] is None:
            found.append(f"{unit.id} on ground its class cannot enter, {unit.hex}")
    found += [f"both sides in {hex_}" for hex_, sides in sides_in.items() if len(sides) > 1]
    for side in scenario.side_ids:
        now, then = stack_points(state, side), stack_points(before, side)
        limit = scenario.rules.stacking_limit
        found += [f"{side} over the stacking limit in {h}" for h, points in now.items() if points > limit and points > then.get(h, 0)]
        found += [f"{s} over a bridge's capacity" for s, steps in state.bridge_traffic if s == side and steps > capacity_per_turn(state, s)]
    return found


class Tally:
    """Who attacked and fired, and which hexes were attacked, in the player turn under way."""

    def __init__(self) -> None:
        self.turn: tuple[int, str] | None = None
        self.attackers: Counter[str] = Counter()
        self.targets: Counter[object] = Counter()
        self.guns: Counter[str] = Counter()

    def broken(self, state: GameState, events: list[Event]) -> list[str]:
        if (state.turn, state.active_side) != self.turn:
            self.turn = (state.turn, state.active_side)
            self.attackers, self.targets, self.guns = Counter(), Counter(), Counter()
        for event in events:
            if isinstance(event, CombatResolved):
                self.attackers.update(event.attackers)
                self.targets[event.target] += 1
            elif isinstance(event, BombardmentResolved):
                self.guns.update(event.guns)
        twice = [f"{u} attacked twice" for u, n in self.attackers.items() if n > 1]
        twice += [f"{h} attacked twice" for h, n in self.targets.items() if n > 1]
        return twice + [f"{g} fired twice" for g, n in self.guns.items() if n > 1]


@pytest.mark.parametrize("path", bundled_scenario_paths(), ids=lambda p: p.stem)
def test_no_action_breaks_the_rules_invariants_in_a_whole_game(path) -> None:
    scenario = load_scenario(path)
    seed = 3
    state = engine.new_game(scenario, seed)
    dice = {side: Generator.for_player(seed, side) for side in scenario.side_ids}
    player, tally, played = Restless(), Tally(), 0
    while not state.game_over:
        side = state.acting_side
        action = player.choose(engine.observe(state, side), engine.legal_actions(state), dice[side])
        before = state
        state, events = engine.step(state, action)
        played += 1
        broken = broken_invariants(before, state) + tally.broken(state, events)
        assert not broken, f"after action {played} ({action}): {broken}"
    assert played > 500


def test_the_invariants_catch_what_they_look_for(tmp_path) -> None:
    """The checks above can fail: a unit put by hand into the enemy's hex is caught, and so is an
    attack told twice in one player turn."""
    units = [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "3,1")]
    state = engine.new_game(make_scenario(tmp_path, ["....", "...."], units), 1)
    crowded = state.with_unit(replace(state.unit("j-1"), hex=state.unit("s-1").hex))
    assert [b for b in broken_invariants(state, crowded) if b.startswith("both sides in")]
    resolved = CombatResolved(("j-1",), parse_hex("3,1"), "1:1", 0, 1, "-", 0, 0, False)
    tally = Tally()
    assert tally.broken(state, [resolved]) == []
    assert len(tally.broken(state, [resolved])) == 2  # the unit and the hex, each twice
