"""The fast path of the rules core equals the reference path (nomonhan.corepath).

Random games on every bundled scenario, the hand-made crossing and a random 10x10 map (12 v 5
units, the benchmark's) are played through both paths in lockstep: the same legal actions and
observation at every decision, the same events and state after every action, the same digest
at the end.  ``benchmarks/core.py --equal 100`` does the same over 100 seeds a scenario.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import CROSSING_PATH

from nomonhan import corepath, engine
from nomonhan.actions import Move
from nomonhan.engine import queries
from nomonhan.resources import bundled_scenario_paths
from nomonhan.rng import Generator
from nomonhan.rules import visibility
from nomonhan.scenario.load import Scenario, load_scenario
from nomonhan.sim.pathcheck import PathsDiverged, compare_paths
from nomonhan.state import GameState, Unit

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _random_map() -> Scenario:
    """The benchmark's random 10x10 map with 12 v 5 units (benchmarks/synthetic.py)."""
    spec = importlib.util.spec_from_file_location("synthetic", BENCHMARKS / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synthetic", module)
    spec.loader.exec_module(module)
    scenario: Scenario = module.synthetic_scenario(10, 10, (12, 5), seed=3, turns=10)
    return scenario


def _scenario(name: str) -> Scenario:
    if name == "random-10x10":
        return _random_map()
    paths = {p.stem: p for p in bundled_scenario_paths()} | {"crossing": CROSSING_PATH}
    return load_scenario(paths[name])


GAMES = [(name, seed) for name in ("random-10x10", *(p.stem for p in bundled_scenario_paths())) for seed in range(3)] + [("crossing", 0)]


@pytest.mark.parametrize(("name", "seed"), GAMES)
def test_fast_path_plays_the_reference_game(name: str, seed: int) -> None:
    assert compare_paths(_scenario(name), seed) > 10


def test_a_fast_path_that_errs_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: a fast path that loses sight of one enemy unit is named at once."""
    honest = visibility.visible_enemies

    def blinkered(state: GameState, side: str) -> list[Unit]:
        seen = honest(state, side)
        return seen if corepath.reference_active() else seen[1:]

    monkeypatch.setattr(visibility, "visible_enemies", blinkered)
    for module in (
        engine,
        *(sys.modules[m] for m in list(sys.modules) if m.startswith("nomonhan.") and hasattr(sys.modules[m], "visible_enemies")),
    ):
        if getattr(module, "visible_enemies", None) is honest:
            monkeypatch.setattr(module, "visible_enemies", blinkered)
    with pytest.raises(PathsDiverged, match="differs from the reference path"):
        compare_paths(_scenario("crossing"), 0)


def test_the_reference_switch_is_restored() -> None:
    assert not corepath.reference_active()
    with pytest.raises(RuntimeError), corepath.reference_path():
        assert corepath.reference_active()
        raise RuntimeError
    assert not corepath.reference_active()


@pytest.mark.parametrize("name", ["random-10x10", "bain-tsagan-1939"])
def test_the_searches_a_move_carries_are_those_searched_afresh(name: str) -> None:
    """After every move of a random game on the fast path, each search carried to the new state
    (:func:`queries.carry_reaches`) has the costs and paths the reference path's search finds on
    that state from scratch (a copy with an empty memo)."""
    scenario = _scenario(name)
    state = engine.new_game(scenario, 1)
    generators = {side: Generator.for_player(1, side) for side in scenario.side_ids}
    carried = 0
    while not state.game_over:
        action = generators[state.acting_side].choice(engine.legal_actions(state))
        state, _events = engine.step(state, action)
        if not isinstance(action, Move):
            continue
        for unit_id, found in state.memo.get(("reaches of", state.unit(action.unit).side), {}).items():
            with corepath.reference_path():
                fresh = queries.reach(dataclasses.replace(state), unit_id)
            assert (found.cost, found.previous) == (fresh.cost, fresh.previous), f"{unit_id} after {action!r}"
            carried += 1
    assert carried > 100
