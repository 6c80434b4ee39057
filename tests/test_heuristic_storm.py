"""The heuristic player holding the objectives it has (ai/heuristic.py): no spotter walks off a
held objective.  Hand-built positions; docs/players.md says why, docs/calibration.md what it
measured at Lake Khasan."""

from __future__ import annotations

from conftest import make_scenario

from nomonhan import engine
from nomonhan.ai.heuristic import HeuristicPlayer
from nomonhan.hexgrid import parse_hex

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
