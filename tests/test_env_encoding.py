"""The canonical action encoding and the observation planes of the RL environments."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from nomonhan import engine
from nomonhan.actions import EndPhase, Move
from nomonhan.engine import Observation
from nomonhan.env import GLOBAL_NAMES, ActionCodec, ObservationEncoder
from nomonhan.env.observation import Sightings
from nomonhan.scenario.load import Scenario, load_scenario
from nomonhan.state import GameState

CROSSING = Path(__file__).parent / "data" / "crossing.yaml"


def test_the_action_space_is_the_sum_of_its_blocks() -> None:
    scenario = load_scenario(CROSSING)
    codec = ActionCodec(scenario, "soviet")
    units, hexes = 3, 80
    assert codec.n == units * hexes + 4 * units * 6 + units + 1 + 2 * hexes + 4
    assert [block for block, _first, _size in codec.layout()] == [
        "to_hex",
        "declare",
        "overrun",
        "bridge",
        "demolish",
        "advance",
        "air",
        "answers",
    ]
    assert codec.encode(EndPhase(), {}) == codec.n - 1
    unit = codec.units[1]
    to = scenario.board.hexes[7]
    assert codec.encode(Move(unit, to), {}) == hexes + 7
    assert codec.describe(hexes + 7) == f"{hexes + 7} (to_hex slot {hexes + 7} of {units * hexes})"


def test_every_legal_action_at_the_start_has_its_own_index() -> None:
    scenario = load_scenario(CROSSING)
    state = engine.new_game(scenario, 1)
    side = state.acting_side
    codec = ActionCodec(scenario, side)
    positions = {u.id: u.hex for u in state.units if u.side == side}
    legal = engine.legal_actions(state)
    indexed = codec.index_legal(legal, positions)
    assert len(indexed) == len(legal) and sorted(indexed.values(), key=str) == sorted(legal, key=str)
    assert codec.mask(indexed).sum() == len(legal)


def _start() -> tuple[Scenario, GameState, ObservationEncoder, Observation]:
    """The crossing's first position, with the encoder and observation of the side to act."""
    scenario = load_scenario(CROSSING)
    state = engine.new_game(scenario, 1)
    return scenario, state, ObservationEncoder(scenario, state.acting_side), engine.observe(state, state.acting_side)


def test_planes_put_each_thing_where_it_is() -> None:
    scenario, _state, encoder, observation = _start()
    planes = encoder.planes(observation, Sightings())
    assert planes.shape == (len(encoder.channel_names), scenario.board.rows, scenario.board.columns)
    assert len(set(encoder.channel_names)) == len(encoder.channel_names)
    terrain = [encoder.channel[f"terrain:{t.id}"] for t in scenario.rules.terrain]
    assert np.all(planes[terrain].sum(axis=0) == 1)
    for unit in observation.own_units:
        col, row = unit.hex.to_offset()
        assert planes[encoder.channel[f"own:{unit.type_id}"], row, col] >= unit.steps
    own = [encoder.channel[f"own:{t}"] for t in encoder.types]
    assert planes[own].sum() == sum(u.steps for u in observation.own_units if u.on_map)
    objective = scenario.objective_hexes[0]
    col, row = objective.to_offset()
    assert planes[encoder.channel["objective:points"], row, col] == scenario.model.objectives[0].points
    vector = encoder.globals(observation)
    assert vector.shape == (len(GLOBAL_NAMES),)
    assert vector[GLOBAL_NAMES.index("turn")] == 1 and vector[GLOBAL_NAMES.index("to_act")] == 1


def test_an_enemy_out_of_sight_is_shown_where_and_when_it_was_last_seen() -> None:
    scenario, state, encoder, observation = _start()
    side = state.acting_side
    enemy = next(u for u in state.units if u.side != side and u.on_map)
    far = next(h for h in scenario.board.hexes if h not in observation.seen_hexes)
    sightings = Sightings({enemy.id: (replace(enemy, hex=far), 0)})
    planes = encoder.planes(observation, sightings)
    col, row = far.to_offset()
    assert planes[encoder.channel["last_seen:steps"], row, col] == enemy.steps
    assert planes[encoder.channel["last_seen:age"], row, col] == observation.turn


@pytest.mark.parametrize("module", ["nomonhan.env"])
def test_the_environments_import_no_front_end(module: str) -> None:
    code = f"import sys, {module}; sys.exit(int(any(m in sys.modules for m in ('pygame', 'nomonhan.ui', 'nomonhan.sim'))))"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
