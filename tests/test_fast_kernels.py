"""The fast path's kernels (nomonhan.corepath) give what the reference's plain ones give.

The lockstep games of ``test_fast_path.py`` prove the whole path equal on the positions random
play reaches; these tests set each kernel beside its reference on positions drawn at random on
the bundled maps (rivers, bridges, roads): enemy and zones of control anywhere, closed borders,
interdiction, supply lines cut anywhere.
"""

from __future__ import annotations

import pickle
import random
from functools import cache
from types import SimpleNamespace

import pytest

from nomonhan.hexgrid import Hex
from nomonhan.resources import bundled_scenario_paths
from nomonhan.rules import fast_search, supply
from nomonhan.rules.movement import Knowledge, search
from nomonhan.rules.visibility import LitHexes, hexes_of
from nomonhan.scenario.load import Scenario, load_scenario

SCENARIOS = [p.stem for p in bundled_scenario_paths()]


@cache
def _scenario(name: str) -> Scenario:
    return load_scenario(next(p for p in bundled_scenario_paths() if p.stem == name))


def _some(draw: random.Random, population: range, most: int) -> frozenset[int]:
    return frozenset(draw.sample(population, draw.randint(0, most)))


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_fast_search_finds_what_the_plain_search_finds(name: str) -> None:
    board = _scenario(name).board
    hexes, keys = range(len(board.hexes)), sorted({edge.key for edges in board.edges for edge in edges})
    draw = random.Random(name)
    for _ in range(60):
        movement_class = draw.choice(sorted(board.edges[0][0].cost))
        occupied = _some(draw, hexes, 40)
        knowledge = Knowledge(occupied, _some(draw, hexes, 120) - occupied)
        start = draw.choice([i for i in hexes if i not in occupied])
        terms = (
            draw.randint(1, 30),
            knowledge,
            frozenset(draw.sample(keys, draw.randint(0, 60))),
            _some(draw, range(len(keys)), 20) if draw.random() < 0.3 else frozenset(),
            draw.choice([0, 1, 3]),
            draw.random() < 0.3,
            _some(draw, hexes, 30),
            draw.choice([0, 2]),
        )
        move_points, known, bridges, closed, leave_cost, zoc_to_zoc, taxed, tax = terms
        expected = search(board, movement_class, start, move_points, known, bridges, closed, leave_cost, zoc_to_zoc, taxed, tax)
        terms = fast_search.Terms(movement_class, bridges, closed, leave_cost, zoc_to_zoc, taxed, tax)
        found = fast_search.fast_search(board, start, move_points, known, terms)
        assert (found.cost, found.previous, found.destinations) == (expected.cost, expected.previous, expected.destinations)


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_kept_search_is_given_back_only_where_its_knowledge_still_holds(name: str) -> None:
    """Knowledge changed away from what a search consulted gives that search back; changed
    where it looked gives a new search, equal to the plain one."""
    board = _scenario(name).board
    board.search_cache.clear()
    start, movement_class = len(board.hexes) // 2, sorted(board.edges[0][0].cost)[0]
    nothing = frozenset[int]()

    def reach(known: Knowledge) -> object:
        return fast_search.fast_reach(
            board, start, 6, "side", known, fast_search.Terms(movement_class, nothing, nothing, 1, False, nothing, 0)
        )

    empty = Knowledge(nothing, nothing)
    first = reach(empty)
    far = next(i for i in range(len(board.hexes)) if i not in first.consulted)  # type: ignore[attr-defined]
    assert reach(Knowledge(frozenset({far}), nothing)) is first
    near = next(i for i in sorted(first.cost) if i != start)  # type: ignore[attr-defined]
    blocked = Knowledge(frozenset({near}), nothing)
    found = reach(blocked)
    assert found is not first
    assert found.cost == search(board, movement_class, start, 6, blocked, nothing, nothing, 1, False).cost  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_supply_trace_by_levels_is_the_plain_trace(name: str) -> None:
    scenario = _scenario(name)
    hexes, keys = range(len(scenario.board.hexes)), sorted({e.key for edges in scenario.board.edges for e in edges})
    draw = random.Random(name)
    for _ in range(40):
        side = draw.choice(scenario.side_ids)
        bridges = frozenset(draw.sample(keys, draw.randint(0, 40)))
        closed = _some(draw, hexes, draw.choice([0, 10, 100, len(hexes) // 3]))
        by_levels, plain = supply._trace_by_levels(scenario, side, bridges, closed), supply._trace(scenario, side, bridges, closed)
        assert by_levels == plain and list(by_levels) == list(plain)  # the hexes found in the same order too


@pytest.mark.parametrize(("road", "country"), [(0, 0), (4, 0), (0, 2), (6, 1)])
def test_the_supply_trace_by_levels_is_the_plain_trace_for_any_line_lengths(road: int, country: int) -> None:
    """Short lines, none across country, none along roads, and sources closed by the enemy."""
    scenario = _scenario(SCENARIOS[0])
    rules = SimpleNamespace(supply=scenario.rules.supply.model_copy(update={"road_trace_hexes": road, "trace_hexes": country}))
    shortened = SimpleNamespace(board=scenario.board, supply=scenario.supply, rules=rules)
    sources = [scenario.board.index[s.hex] for s in scenario.supply.sources]
    draw = random.Random(road * 10 + country)
    for _ in range(10):
        side = draw.choice(scenario.side_ids)
        closed = _some(draw, range(len(scenario.board.hexes)), 100) | frozenset(draw.sample(sources, min(2, len(sources))))
        by_levels, plain = (trace(shortened, side, frozenset(), closed) for trace in (supply._trace_by_levels, supply._trace))  # type: ignore[arg-type]
        assert by_levels == plain and list(by_levels) == list(plain)


def test_a_bitset_lists_its_hexes_in_index_order() -> None:
    board = _scenario(SCENARIOS[0]).board
    chosen = [0, 1, 7, 64, len(board.hexes) - 1]
    assert hexes_of(board, sum(1 << i for i in chosen)) == [board.hexes[i] for i in chosen]
    assert hexes_of(board, 0) == []


def test_the_hexes_in_sight_read_from_a_bitset_behave_as_the_frozenset_of_them() -> None:
    board = _scenario(SCENARIOS[0]).board
    draw = random.Random(5)
    chosen = draw.sample(range(len(board.hexes)), 300)
    lit = LitHexes(board.hexes, board.index, sum(1 << i for i in chosen))
    plain = frozenset(board.hexes[i] for i in chosen)
    assert lit == plain and plain == lit and hash(lit) == hash(plain) and len(lit) == 300
    assert set(lit) == plain and list(lit) == sorted(lit, key=board.index.__getitem__)
    assert all(h in lit for h in plain) and not any(h in lit for h in board.hexes if h not in plain)
    assert Hex(10_000, 10_000) not in lit and "not a hex" not in lit
    other = frozenset(draw.sample(board.hexes, 300))
    assert lit | other == plain | other and other & lit == other & plain and lit - other == plain - other
    assert lit != plain - {board.hexes[chosen[0]]} and lit != LitHexes(board.hexes, board.index, 0)
    assert pickle.loads(pickle.dumps(lit)) == plain
