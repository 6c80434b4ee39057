"""The observation, the believed state and the map view copy the state's fields by the marks
declared on them in ``state.py``, never by hand: a field cannot silently drop out of them."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import CROSSING_PATH

from nomonhan import engine
from nomonhan.engine.view import SHARED_FIELDS, check_observation_covers
from nomonhan.hexgrid import Hex
from nomonhan.scenario.load import load_scenario
from nomonhan.state import HIDDEN, GameState, Visibility, visibility
from nomonhan.ui.view import make_view


def _start() -> GameState:
    return engine.new_game(load_scenario(CROSSING_PATH), seed=3)


def test_every_field_is_marked_and_the_players_get_the_public_and_acting_ones() -> None:
    marks = {f.name: visibility(f) for f in dataclasses.fields(GameState)}
    assert marks["rng_state"] is Visibility.HIDDEN
    assert marks["tallies"] is marks["wrecks"] is Visibility.HIDDEN  # losses are told at the end only
    assert {name for name, mark in marks.items() if mark is Visibility.ACTING} == {
        "declaration",
        "withdrawn",
        "supply_left",
        "bridge_traffic",
    }
    assert set(SHARED_FIELDS) == {name for name, mark in marks.items() if mark in (Visibility.PUBLIC, Visibility.ACTING)}


def test_the_winner_reaches_the_observation_and_the_believed_state() -> None:
    """It did not: the hand-written observation had no winner, so a player's believed state of a
    finished game said nobody had won."""
    over = dataclasses.replace(_start(), winner="japanese", game_over=True)
    for side in over.scenario.side_ids:
        observation = engine.observe(over, side)
        assert observation.winner == "japanese"
        assert engine.believed_state(observation).winner == "japanese"


def test_the_believed_state_of_the_active_side_keeps_every_shared_field() -> None:
    state = dataclasses.replace(_start(), attacked_hexes=frozenset({Hex(1, 1)}), banked_points=(2, 5), supply_left=4)
    believed = engine.believed_state(engine.observe(state, state.active_side))
    for name in SHARED_FIELDS:
        assert getattr(believed, name) == getattr(state, name), name


def test_the_side_not_acting_sees_the_acting_fields_defaults() -> None:
    state = dataclasses.replace(_start(), supply_left=4, withdrawn=frozenset({Hex(2, 2)}))
    other = state.scenario.enemy_of(state.active_side)
    observation = engine.observe(state, other)
    assert (observation.supply_left, observation.withdrawn) == (None, frozenset())
    assert engine.observe(state, state.active_side).supply_left == 4


def test_a_public_field_without_a_slot_in_the_observation_fails_naming_it() -> None:
    public = dataclasses.make_dataclass("Public", [("fog", int, dataclasses.field(default=0))], bases=(GameState,), frozen=True)
    with pytest.raises(TypeError, match="fog"):
        check_observation_covers(public)
    hidden = dataclasses.make_dataclass(
        "Hidden", [("fog", int, dataclasses.field(default=0, metadata=HIDDEN))], bases=(GameState,), frozen=True
    )
    check_observation_covers(hidden)


def test_every_map_view_shows_the_states_clock_bridges_and_air() -> None:
    state = _start()
    for viewer in (None, *state.scenario.side_ids):
        view = make_view(state, viewer)
        assert (view.turn, view.active_side, view.phase, view.bridges, view.air) == (
            state.turn,
            state.active_side,
            state.phase,
            state.bridges,
            state.air,
        )
