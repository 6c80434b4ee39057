"""The documentation's examples are real: the scenario in docs/scenario-format.md loads and plays."""

from __future__ import annotations

import re
from pathlib import Path

from nomonhan.scenario import yamlio
from nomonhan.scenario.load import load_scenario, validate_scenario
from nomonhan.scenario.write import to_text
from nomonhan.sim.run import play, players_for

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _example(tmp_path: Path) -> Path:
    text = (DOCS / "scenario-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 1, "the format document has exactly one complete example"
    path = tmp_path / "example.yaml"
    path.write_text(blocks[0], encoding="utf-8")
    return path


def test_the_format_example_validates_and_plays(tmp_path: Path) -> None:
    path = _example(tmp_path)
    assert [str(p) for p in validate_scenario(path)] == []
    scenario = load_scenario(path)
    assert scenario.id == "river-crossing-example"
    assert scenario.board.places["Ferry"] == scenario.objective_hexes[0]
    game = play(scenario, 3, players_for(scenario, {}))
    assert game.state.game_over and game.state.turn == 4


def test_the_format_example_is_in_canonical_style(tmp_path: Path) -> None:
    text = _example(tmp_path).read_text(encoding="utf-8")
    tree, _plain, _positions = yamlio.parse(text, "example")
    assert to_text(tree) == text


def test_every_documented_field_exists_in_the_schema() -> None:
    from nomonhan.scenario.schema import ScenarioFile

    text = (DOCS / "scenario-format.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)(?:\.[a-z_]+)?` \|", text, flags=re.M))
    assert documented == set(ScenarioFile.model_fields)
