"""The digest covers the whole game state by construction, not by a list someone must keep."""

from __future__ import annotations

import dataclasses

from conftest import CROSSING_PATH

from nomonhan import engine
from nomonhan.scenario.load import load_scenario
from nomonhan.state import GameState, Unit, canonical


def test_every_state_field_is_in_the_digest_unless_declared_not_to_be() -> None:
    state = engine.new_game(load_scenario(CROSSING_PATH), seed=3)
    digested = {f.name for f in dataclasses.fields(GameState) if f.metadata.get("digest", True)}
    assert set(state.to_json()) == digested | {"scenario", "scenario_hash"}
    assert {f.name for f in dataclasses.fields(GameState) if not f.metadata.get("digest", True)} == {"scenario", "memo"}


def test_a_field_added_to_the_state_changes_the_digest() -> None:
    """The failure this guards against: a new field that the hand-written digest forgot."""
    extended = dataclasses.make_dataclass("Extended", [("fog", int, dataclasses.field(default=0))], bases=(GameState,), frozen=True)
    state = engine.new_game(load_scenario(CROSSING_PATH), seed=3)
    values = {f.name: getattr(state, f.name) for f in dataclasses.fields(GameState) if f.init}
    plain, foggy = extended(**values), extended(**values, fog=1)
    assert plain.to_json()["fog"] == 0
    assert plain.digest() != foggy.digest()


def test_a_unit_is_digested_field_by_field_in_declaration_order() -> None:
    state = engine.new_game(load_scenario(CROSSING_PATH), seed=3)
    unit = state.units[0]
    assert canonical(unit)[:3] == [unit.id, unit.type_id, unit.side]
    assert len(canonical(unit)) == len(dataclasses.fields(Unit))
