"""The compiled scenario: what the rules read holds the file's hexes as ``Hex`` values, entry
for entry, and a scenario's defaults come through as the file leaves them."""

from __future__ import annotations

import pytest
from conftest import make_scenario

from nomonhan.hexgrid import parse_hex, parse_hexside
from nomonhan.resources import bundled_scenario_paths
from nomonhan.scenario.load import load_scenario


@pytest.mark.parametrize("path", bundled_scenario_paths(), ids=lambda p: p.stem)
def test_every_hex_of_a_bundled_scenario_is_compiled_where_the_file_puts_it(path):
    scenario = load_scenario(path)
    model = scenario.model
    assert [(u.id, u.hex) for u in scenario.units] == [(u.id, parse_hex(u.hex) if u.hex else None) for u in model.units]
    assert [u.arrive.hex for u in scenario.units if u.arrive] == [parse_hex(u.arrive.hex) for u in model.units if u.arrive]
    assert [u.starting_steps for u in scenario.units] == [u.steps or scenario.unit_types[u.type].steps for u in model.units]
    assert [(o.name, o.hex) for o in scenario.objectives] == [(o.name, parse_hex(o.hex)) for o in model.objectives]
    assert scenario.objective_hexes == tuple(o.hex for o in scenario.objectives)
    assert [(s.side, s.hex) for s in scenario.supply.sources] == [(s.side, parse_hex(s.hex)) for s in model.supply.sources]
    assert scenario.bridges == {parse_hexside(text) for text in model.map.bridges}
    assert scenario.crossing_rates == {parse_hexside(c.hexside): c.steps_per_hour for c in model.map.crossings}
    for side, hints in model.ai_hints.items():
        compiled = scenario.ai_hints[side]
        assert [o.hex for o in compiled.objectives] == [parse_hex(o.hex) for o in hints.objectives]
        for axis, raw in zip(compiled.axes, hints.axes, strict=True):
            assert axis.waypoints == tuple(parse_hex(h) for h in raw.hexes)
            assert axis.path[0] == axis.waypoints[0] and axis.path[-1] == axis.waypoints[-1]


def test_a_posture_the_author_left_out_is_marked_as_not_given(tmp_path):
    """The side's own plan picks the posture the author did not: the compiled hints must tell
    a posture written as ``balanced`` from the default."""
    scenario = make_scenario(
        tmp_path,
        ["...."],
        [("a", "rifle_bn", "japanese", "0,0"), ("b", "rifle_bn", "soviet", "3,0")],
        extra={
            "ai_hints": {
                "japanese": {"posture": "balanced"},
                "soviet": {"objectives": [{"hex": "3,0", "by_turn": 2, "goal": "take"}]},
            }
        },
    )
    japanese, soviet = scenario.ai_hints["japanese"], scenario.ai_hints["soviet"]
    assert japanese.posture_given and japanese.posture == "balanced"
    assert not soviet.posture_given and soviet.posture == "balanced"
    assert soviet.objectives[0].hex == parse_hex("3,0")
