"""The players' briefing: written in each bundled scenario's file, shown on the start screen
instead of the designer's notes, and checked against the scenario it describes."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import re  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from nomonhan.resources import bundled_scenario_paths  # noqa: E402
from nomonhan.scenario.load import load_scenario  # noqa: E402
from nomonhan.ui.start_screen import Entry, briefing_html  # noqa: E402

BUNDLED = [p.stem for p in bundled_scenario_paths()]
DESIGNER_TALK = re.compile(r"\bEST\b|GARBLED|REFERENCE|GEOGRAPHY|audit|\(#\d|\b[A-Z]{2,4}\d+\b")
"""Source keys (KAS20), audit numbers and estimate marks belong in the notes, not the briefing."""


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_every_bundled_scenario_briefs_its_players(scenario_id: str) -> None:
    scenario = load_scenario(scenario_id)
    briefing = scenario.model.briefing
    assert briefing is not None
    assert set(briefing.aims) == set(scenario.side_ids)
    texts = [briefing.situation, briefing.victory, briefing.special_rules, briefing.history, *briefing.aims.values()]
    assert all(text.strip() for text in texts)
    for text in texts:
        assert not DESIGNER_TALK.search(text), f"designer's talk in the briefing: {DESIGNER_TALK.search(text).group()!r}"


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_the_victory_text_gives_the_scenario_s_own_numbers(scenario_id: str) -> None:
    model = load_scenario(scenario_id).model
    victory = model.briefing.victory  # type: ignore[union-attr]
    numbers = {int(n) for n in re.findall(r"\b\d+\b", victory)}
    assert {o.points for o in model.objectives} <= numbers
    losses = {n for n in (model.points_per_step, model.men_per_point) if n}  # a loss rule the scenario uses
    assert {model.victory.decisive, model.victory.marginal} | losses <= numbers
    assert f"{model.period.last_turn} turns of {model.period.turn_hours} hours" in model.briefing.situation  # type: ignore[union-attr]


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_the_start_screen_shows_the_briefing_not_the_notes(scenario_id: str) -> None:
    path = next(p for p in bundled_scenario_paths() if p.stem == scenario_id)
    scenario = load_scenario(path)
    text = briefing_html(Entry(path).load())
    first_note = scenario.model.notes.split("\n\n")[0].split()[:6]
    assert " ".join(first_note) not in text
    for heading in ("Situation", "your aims", "Victory", "Special rules", "History"):
        assert heading in text
    assert not DESIGNER_TALK.search(text)


def test_aims_must_name_the_scenario_s_sides(tmp_path: Path) -> None:
    from nomonhan.scenario.errors import ScenarioError

    source = next(p for p in bundled_scenario_paths() if p.stem == "lake-khasan-1938")
    text = source.read_text(encoding="utf-8").replace("  aims:\n    soviet:", "  aims:\n    sovjet:", 1)
    path = tmp_path / "lake-khasan-1938.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert "briefing" in str(caught.value) and "sovjet" in str(caught.value)
