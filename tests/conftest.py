"""Shared fixtures and helpers for the rules tests.

* ``crossing``: the hand-made test scenario ``tests/data/crossing.yaml``, loaded once.
* :func:`end_player_turn`, :func:`next_turn`: run the clock on with ``EndPhase`` actions.
* :func:`make_scenario`: write a small but complete scenario file into a temporary folder and
  load it through the real loader, so a test can state a position in a few lines::

      from conftest import make_scenario
      scenario = make_scenario(tmp_path, ["....", "...."], [("j-1", "rifle_bn", "japanese", "0,0")])

  (or use the ``scenario_maker`` fixture, which binds ``tmp_path``).

Hexes are written ``'col,row'`` (odd-q offset) everywhere, exactly as in scenario files.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from nomonhan import rng
from nomonhan.scenario.load import Scenario, load_scenario

TESTS_DIR = Path(__file__).resolve().parent
DATA_DIR = TESTS_DIR / "data"
CROSSING_PATH = DATA_DIR / "crossing.yaml"

# Property tests assert behaviour, never speed (that is measured in benchmarks/): no per-example
# deadline, which a loaded machine (eight suites on two cores, or coverage) missed at random.
settings.register_profile("nomonhan", deadline=None)
settings.load_profile("nomonhan")

# A wheeled unit type for tests (the standard rules have none that moves on wheels and fights).
LORRY = {
    "id": "lorry_bn",
    "name": "Lorried battalion",
    "category": "motorized",
    "size": "battalion",
    "movement_class": "wheeled",
    "move_points": 8,
    "attack": 2,
    "defence": 2,
    "steps": 2,
    "abilities": ["overrun"],
    "stack_points": 2,
    "source": "test",
}


def seed_for(*faces: int, sides: int = 6) -> int:
    """An rng_state whose next rolls of a d``sides`` are exactly ``faces``."""
    for candidate in range(10_000_000):
        state, ok = candidate, True
        for face in faces:
            value, state = rng.roll(state, sides)
            if value != face:
                ok = False
                break
        if ok:
            return candidate
    raise AssertionError(f"no seed rolls {faces}")


SIDES = (
    {"id": "japanese", "name": "Kwantung Army", "nations": ["Japan"], "colour": "#d4ac0d"},
    {"id": "soviet", "name": "Soviet-Mongolian forces", "nations": ["USSR"], "colour": "#b03a2e"},
)

_counter = itertools.count(1)


def _unit_entry(unit: Mapping[str, Any] | Sequence[Any]) -> dict[str, Any]:
    """A unit as a dict; ``(id, type, side, hex)`` tuples are accepted as shorthand."""
    if isinstance(unit, Mapping):
        entry = dict(unit)
    else:
        unit_id, type_id, side, hex_ = unit
        entry = {"id": unit_id, "type": type_id, "side": side, "hex": hex_}
    entry.setdefault("name", entry["id"])
    entry.setdefault("source", "test")
    return entry


def _pairs(items: Iterable[Any], first: str, second: str, third: str | None = None) -> list[dict[str, Any]]:
    """Dicts, or ``(first, second)`` tuples for hexside lines, borders and roads."""
    result = []
    for n, item in enumerate(items):
        entry = dict(item) if isinstance(item, Mapping) else {first: item[0], second: list(item[1])}
        entry.setdefault("name", f"{entry[first]} {n}")
        result.append(entry)
    return result


def scenario_text(
    terrain_rows: Sequence[str] | str,
    units: Iterable[Mapping[str, Any] | Sequence[Any]],
    *,
    hexside_lines: Iterable[Any] = (),
    borders: Iterable[Any] = (),
    roads: Iterable[Any] = (),
    bridges: Iterable[str] = (),
    crossings: Iterable[Mapping[str, Any]] = (),
    places: Iterable[Mapping[str, Any]] = (),
    special_rules: Mapping[str, Any] | None = None,
    unit_types: Iterable[Mapping[str, Any]] = (),
    objectives: Iterable[Mapping[str, Any]] = (),
    start: str = "1939-07-02T06:00:00",
    turn_hours: int = 12,
    last_turn: int = 4,
    dawn: str = "05:00",
    dusk: str = "20:00",
    first_side: str = "japanese",
    sides: Sequence[Mapping[str, Any]] = SIDES,
    scenario_id: str = "test",
    rules: str = "standard",
    extra: Mapping[str, Any] | None = None,
) -> str:
    """The YAML text of a complete scenario (see :func:`make_scenario` for the arguments)."""
    rows = terrain_rows.split() if isinstance(terrain_rows, str) else list(terrain_rows)
    dump = functools.partial(json.dumps, ensure_ascii=False)
    map_entries: dict[str, Any] = {
        "hexside_lines": _pairs(hexside_lines, "feature", "hexsides"),
        "borders": _pairs(borders, "id", "hexsides"),
        "roads": _pairs(roads, "kind", "hexes"),
        "bridges": list(bridges),
        "crossings": [dict(c) for c in crossings],
        "places": [dict(p) for p in places],
    }
    top: dict[str, Any] = {
        "unit_types": [dict(t) for t in unit_types],
        "units": [_unit_entry(u) for u in units],
        "special_rules": dict(special_rules or {}),
        "objectives": [dict(o) for o in objectives],
    }
    top.update(extra or {})
    lines = [
        "format_version: 1",
        f"id: {scenario_id}",
        "title: Generated test scenario",
        f"rules: {rules}",
        "period: "
        + dump(
            {
                "start": start,
                "turn_hours": turn_hours,
                "last_turn": last_turn,
                "daylight": {"dawn": dawn, "dusk": dusk},
                "first_side": first_side,
            }
        ),
        "sides: " + dump(list(sides)),
        "map:",
        "  hex_km: 1.0",
        "  terrain: |",
        *(f"    {row}" for row in rows),
        *(f"  {key}: {dump(value)}" for key, value in map_entries.items()),
        *(f"{key}: {dump(value)}" for key, value in top.items()),
    ]
    return "\n".join(lines) + "\n"


BIG = {
    # A six-step infantry type, for rules that need a unit with steps to spare (recovery, attrition).
    "id": "big_bn",
    "name": "Big battalion",
    "category": "infantry",
    "size": "regiment",
    "movement_class": "foot",
    "move_points": 6,
    "attack": 3,
    "defence": 3,
    "steps": 6,
    "stack_points": 2,
    "source": "test",
}


def make_scenario(tmp_path: Path, terrain_rows: Sequence[str] | str, units: Iterable[Any], **options: Any) -> Scenario:
    """Write a complete scenario YAML into ``tmp_path`` and load it with the real loader.

    ``terrain_rows``: one string per row (north first), one terrain code per hex, e.g.
    ``["....", ".mm.", "...."]`` (or the same as one whitespace-separated string).
    ``units``: dicts as in a scenario file (``name`` and ``source`` default), or
    ``(id, type, side, 'col,row')`` tuples.  Reinforcements are dicts with ``arrive``.

    Keyword options (all optional): ``hexside_lines`` (dicts or ``(feature, [hexsides])``),
    ``borders`` (dicts or ``(id, [hexsides])``), ``roads`` (dicts or ``(kind, [hexes])``),
    ``bridges``, ``crossings``, ``places``, ``special_rules`` (dict), ``unit_types`` (extra unit type dicts),
    ``objectives``, ``start`` (ISO date-time of turn 1), ``turn_hours``, ``last_turn``,
    ``dawn``, ``dusk``, ``first_side`` (default ``japanese``; the other side is ``soviet``),
    ``sides``, ``scenario_id``, ``rules`` (default ``standard``), ``extra`` (more top-level
    fields), ``filename``.  Sides are ``japanese`` and ``soviet``.
    """
    filename = options.pop("filename", None) or f"{options.get('scenario_id', 'test')}-{next(_counter)}.yaml"
    path = Path(tmp_path) / filename
    path.write_text(scenario_text(terrain_rows, units, **options), encoding="utf-8")
    return load_scenario(path)


def end_player_turn(state):
    """End every phase of the active side's player turn; returns (state, all events on the way).

    Only for positions with no pending decision (no attack made): ``EndPhase`` answers none.
    """
    from nomonhan import engine  # here, so that a broken engine fails only the tests that use it
    from nomonhan.actions import EndPhase

    side, turn = state.active_side, state.turn
    events: list = []
    while not state.game_over and state.active_side == side and state.turn == turn:
        state, more = engine.step(state, EndPhase())
        events.extend(more)
    return state, events


def next_turn(state):
    """End player turns until the next game turn begins (or the game ends)."""
    turn = state.turn
    events: list = []
    while not state.game_over and state.turn == turn:
        state, more = end_player_turn(state)
        events.extend(more)
    return state, events


@pytest.fixture(scope="session")
def crossing_path() -> Path:
    return CROSSING_PATH


@pytest.fixture(scope="session")
def crossing() -> Scenario:
    """The loaded ``tests/data/crossing.yaml`` (shared: never mutate it)."""
    return load_scenario(CROSSING_PATH)


def crossing_with_history(tmp_path: Path) -> Path:
    """The crossing with historical losses, written into ``tmp_path``: the Soviet figures are a
    campaign's (``scope``), the Japanese ones cover the scenario's own dates (no ``scope``)."""
    path = Path(tmp_path) / "crossing-history.yaml"
    path.write_text(
        CROSSING_PATH.read_text()
        + """historical:
  winner: soviet
  summary: test
  losses:
    soviet: {men: [5000, 6000], tanks: [40, 40], armoured_cars: [30, 40], scope: 'whole campaign, May-September 1939', source: design}
    japanese: {men: [700, 900], source: design}
  source: design
"""
    )
    return path


@pytest.fixture
def scenario_maker(tmp_path: Path):
    """``make_scenario`` with this test's ``tmp_path`` bound: ``scenario_maker(rows, units, ...)``."""
    return functools.partial(make_scenario, tmp_path)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The game window, headless (the test module sets the dummy video driver before pygame is
    imported), with its user folder in ``tmp_path``; left on an empty start screen."""
    from nomonhan.ui.app import App  # here: only window tests import pygame
    from nomonhan.ui.start_screen import StartScreen

    monkeypatch.setenv("NOMONHAN_HOME", str(tmp_path / "home"))
    application = App((1280, 800))
    yield application
    application.replace_all(StartScreen(application, entries=[]))


def declared(state, attack):
    """Declare ``attack`` unit by unit and resolve it, through the engine's own actions
    (``declare`` each attacker, ``support`` each gun, ``resolve``); in the bombardment phase
    ``attack.artillery`` bombard ``attack.target``.  Returns (state, events of the resolution)."""
    from nomonhan import engine  # here, so that a broken engine fails only the tests that use it
    from nomonhan.actions import Declare, Resolve, Support

    for unit_id in attack.units:
        state, _ = engine.step(state, Declare(unit_id, attack.target))
    for gun in attack.artillery:
        state, _ = engine.step(state, Support(gun, attack.target))
    return engine.step(state, Resolve())


def bombardment(guns, target):
    """A bombardment plan for :func:`declared`: ``guns`` fire at ``target``."""
    from nomonhan.actions import Attack

    return Attack((), target, tuple(guns))
