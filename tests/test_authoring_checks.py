"""Checks that catch what play would silently ignore (issue 16): each a small file with one
mistake, reported as a warning at its line and field, while the file still plays."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import scenario_text

from nomonhan.scenario.errors import ScenarioError
from nomonhan.scenario.load import validate_scenario

UNITS = [("j-1", "rifle_bn", "japanese", "1,1"), ("s-1", "rifle_bn", "soviet", "4,1")]
ROWS = ["......"] * 4


def warnings_of(tmp_path: Path, **options) -> list[str]:
    path = tmp_path / "s.yaml"
    path.write_text(scenario_text(ROWS, options.pop("units", UNITS), **options), encoding="utf-8")
    return [str(p) for p in validate_scenario(path)]


def test_a_clean_file_has_no_warnings(tmp_path):
    assert warnings_of(tmp_path) == []


def test_a_source_key_missing_from_sources(tmp_path):
    units = [{"id": "j-1", "type": "rifle_bn", "side": "japanese", "hex": "1,1", "source": "KYH; outline EST"}, UNITS[1]]
    [warning] = warnings_of(tmp_path, units=units)
    assert ": units.0.source: warning: source key 'KYH' is not in `sources`" in warning


def test_an_ai_objective_due_after_the_last_turn(tmp_path):
    hints = {"japanese": {"objectives": [{"hex": "4,1", "by_turn": 9, "goal": "take"}]}}
    [warning] = warnings_of(tmp_path, extra={"ai_hints": hints})
    assert "ai_hints.japanese.objectives.0.by_turn: warning: by_turn 9 comes after the last turn (4)" in warning


def test_an_axis_for_a_formation_no_unit_belongs_to(tmp_path):
    units = [{"id": "j-1", "type": "rifle_bn", "side": "japanese", "hex": "1,1", "formation": "23rd Div"}, UNITS[1]]
    hints = {"japanese": {"axes": [{"name": "north", "hexes": ["1,1", "4,1"], "formations": ["7th Div"]}]}}
    [warning] = warnings_of(tmp_path, units=units, extra={"ai_hints": hints})
    assert "no japanese unit belongs to formation '7th Div'" in warning and "japanese formations: '23rd Div'" in warning


def test_a_reinforcement_arriving_away_from_every_map_edge(tmp_path):
    late = {"id": "s-2", "type": "rifle_bn", "side": "soviet", "arrive": {"at": "1939-07-02T18:00:00", "hex": "3,2"}}
    [warning] = warnings_of(tmp_path, units=[*UNITS, late])
    assert "units.2.arrive.hex: warning: s-2 arrives at 3,2, which is on no map edge" in warning
    on_edge = dict(late, arrive={"at": "1939-07-02T18:00:00", "hex": "5,2"})
    assert warnings_of(tmp_path, units=[*UNITS, on_edge]) == []


def test_an_unknown_movement_class_lists_the_known_ones(tmp_path):
    boat = {
        "id": "boat",
        "name": "River boat",
        "category": "infantry",
        "size": "company",
        "movement_class": "boat",
        "move_points": 6,
        "attack": 1,
        "defence": 1,
        "steps": 1,
        "source": "design",
    }
    with pytest.raises(ScenarioError, match=r"unknown movement class 'boat'; known: cavalry, foot, tracked, wheeled \(a scenario may add"):
        warnings_of(tmp_path, unit_types=[boat])


def test_validate_recognises_a_rules_data_file(tmp_path):
    """`nomonhan validate scenarios/rules/standard.yaml` checks it as rules data (it used to report
    "units: is required"), with the rules schema's errors at their lines."""
    from typer.testing import CliRunner

    from nomonhan.cli import app
    from nomonhan.resources import rules_path

    runner = CliRunner()
    standard = rules_path("standard")
    result = runner.invoke(app, ["validate", str(standard)])
    assert result.exit_code == 0 and "valid" in result.output
    broken = tmp_path / "mine.yaml"
    broken.write_text(standard.read_text(encoding="utf-8").replace("stacking_limit: 6", "stacking_limit: 0"), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 1 and "stacking_limit: must be at least 1, got 0" in result.output


def test_historical_losses_for_a_side_that_does_not_exist(tmp_path):
    losses = {"mongolian": {"men": [100, 200], "source": "test"}}
    historical = {"winner": "soviet", "summary": "test", "losses": losses, "source": "test"}
    with pytest.raises(ScenarioError, match=r"historical\.losses\.mongolian: unknown side 'mongolian'"):
        warnings_of(tmp_path, extra={"historical": historical})


def test_a_reinforcement_arriving_on_a_hex_its_class_cannot_enter(tmp_path):
    late = {"id": "s-2", "type": "rifle_bn", "side": "soviet", "arrive": {"at": "1939-07-02T18:00:00", "hex": "5,2"}}
    path = tmp_path / "lake.yaml"
    path.write_text(scenario_text(["......", "......", ".....w", "......"], [*UNITS, late]), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"units\.2\.arrive\.hex: s-2 stands on .*which a foot unit cannot enter"):
        validate_scenario(path)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"special_rules": {"border_crossing_forbidden": [{"side": "soviet", "border": "nosuch"}]}},
            "unknown border 'nosuch'; borders are none",
        ),
        (
            {"special_rules": {"river_fording": [{"movement_class": "foot", "feature": "canal", "cost": 1}]}},
            "unknown hexside feature 'canal'; known: river, stream",
        ),
        (
            {"units": [*UNITS, {"id": "s-2", "type": "rifle_bn", "side": "mongol", "hex": "5,1"}]},
            "unknown side 'mongol'; sides are japanese, soviet",
        ),
    ],
    ids=["border", "feature", "side"],
)
def test_a_name_from_a_closed_set_lists_the_choices_as_words(tmp_path, options, message):
    with pytest.raises(ScenarioError, match=message):
        warnings_of(tmp_path, **options)
