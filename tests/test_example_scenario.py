"""The example in docs/examples/amur-island/ brings its own rules data (navigable water, river
boats) and geography: it validates, plays headless, and opens in the editor (issue 16)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pytest  # noqa: E402

from nomonhan.events import ReinforcementArrived  # noqa: E402
from nomonhan.scenario.load import load_scenario, validate_file, validate_scenario  # noqa: E402
from nomonhan.sim.run import play, players_for  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "amur-island"
SCENARIO = EXAMPLE / "amur-island.yaml"


def test_the_example_and_its_rules_data_validate_without_warnings():
    assert validate_scenario(SCENARIO) == []
    assert validate_file(EXAMPLE / "amur.yaml") == []
    scenario = load_scenario(SCENARIO)
    assert {t.id for t in scenario.rules.terrain} >= {"channel", "steppe"}
    assert scenario.unit_types["gunboat"].movement_class == "boat"
    assert {
        scenario.board.terrain_at(scenario.objective_hexes[0]).id,
        scenario.board.terrain_at(scenario.board.places["Soviet post"]).id,
    } == {
        "marsh",
        "forest",
    }


def test_the_example_plays_headless_and_its_gunboats_come_early():
    scenario = load_scenario(SCENARIO)
    game = play(scenario, 1, players_for(scenario, {}))
    assert game.state.game_over and game.state.turn == scenario.model.period.last_turn
    arrived = {
        e.unit: state.turn for state, events in zip(game.states[1:], game.events) for e in events if isinstance(e, ReinforcementArrived)
    }
    period = scenario.model.period
    due = 1 + (scenario.model.units[3].arrive.at - period.start) // timedelta(hours=period.turn_hours)
    assert arrived["s-gunboats-1"] < due == 5  # released when Bolshoi Island changed hands


def test_the_map_recipe_redraws_the_same_map(tmp_path):
    """The example's terrain, rivers and borders are what `nomonhan map` draws from its GeoJSON."""
    import shutil

    from nomonhan.scenario.write import rebuild_map

    copy = tmp_path / "amur-island"
    shutil.copytree(EXAMPLE, copy)
    rebuild_map(copy / "amur-island.yaml")
    assert (copy / "amur-island.yaml").read_text(encoding="utf-8") == SCENARIO.read_text(encoding="utf-8")


@pytest.fixture
def app(tmp_path, monkeypatch):
    from nomonhan.ui.app import App
    from nomonhan.ui.start_screen import StartScreen

    monkeypatch.setenv("NOMONHAN_HOME", str(tmp_path / "home"))
    application = App((1280, 800))
    yield application
    application.replace_all(StartScreen(application, entries=[]))


def test_the_example_opens_in_the_editor_with_its_own_terrain_and_types(app):
    from nomonhan.editor.app import open_draft, open_editor

    screen = open_editor(app, open_draft(SCENARIO), background_checks=False, frame_budget=None)
    app.step_frame()
    assert screen.picture is not None and "~" in {t.code for t in screen.picture.rules.terrain}
    assert [p for p in screen.problems if p.severity == "error"] == []
    assert "gunboat" in screen.library


def test_the_editor_redraws_the_example_from_the_geojson_beside_it(tmp_path):
    import shutil

    from nomonhan.editor import mapedits
    from nomonhan.editor.document import Draft

    copy = tmp_path / "amur-island"
    shutil.copytree(EXAMPLE, copy)
    draft = Draft.open(copy / "amur-island.yaml")
    original = draft.text
    draft.replace_text("clear the channel", original.replace("~~~~~~~~~~~~~~~~", "................"))
    mapedits.rebuild_map(draft)
    assert draft.text == original
