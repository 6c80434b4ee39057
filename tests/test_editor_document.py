"""The editor's headless model: round trips, scripted edits, undo/redo, atomic saves, checks.

Scripted edits on a ``nomonhan new`` skeleton must give the scenario one expects, validate, and
play a whole game with the computer players.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest

from nomonhan import resources
from nomonhan.editor import checking, forms, playtest
from nomonhan.editor import dataedits as de
from nomonhan.editor import mapedits as me
from nomonhan.editor import tree as yt
from nomonhan.editor.document import BundledData, ChangedOnDisk, Draft, ExistsAlready
from nomonhan.hexgrid import Direction, Hexside, format_hex, parse_hex
from nomonhan.scenario.errors import ScenarioError
from nomonhan.scenario.geomap import GeoGrid
from nomonhan.scenario.load import load_scenario, validate_scenario
from nomonhan.sim.run import play, players_for
from nomonhan.ui import userdata

BUNDLED = resources.bundled_scenario_paths()
H = parse_hex


SKI_BN = {
    "id": "ski_bn",
    "name": "Ski battalion",
    "category": "infantry",
    "size": "battalion",
    "movement_class": "foot",
    "move_points": 8,
    "attack": 2,
    "defence": 2,
    "steps": 2,
    "source": "design",
}


def side(text: str, direction: str) -> Hexside:
    return Hexside.of(H(text), Direction[direction])


def errors(problems: list) -> list:
    return [p for p in problems if p.severity == "error"]


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_scenario_saves_byte_identical(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    draft = Draft.open(copy)
    assert not draft.dirty
    draft.save()
    assert copy.read_bytes() == path.read_bytes()
    assert draft.rules is not None and draft.rules.text == draft.rules.saved  # the rules data round-trip too


def new_draft(tmp_path: Path, columns: int = 14, rows: int = 10) -> Draft:
    return Draft.new(tmp_path / "my-scenario.yaml", columns, rows, 1.0, datetime(1939, 8, 20, 6), 6, 12)


def scripted(draft: Draft) -> None:
    """Paint, draw a river with a bridge, a border and a road, place units, set an objective."""
    me.paint(draft, [H("5,3"), H("5,4"), H("6,4")], "h")
    me.add_hexsides(draft, "river", "Halha", [side("3,0", "SE"), side("3,1", "NE"), side("3,1", "SE"), side("3,2", "NE")])
    me.toggle_bridge(draft, side("3,1", "SE"))
    me.add_border(draft, "claim", "Claim", [side("10,2", "SE")])
    me.draw_road(draft, "track", "Track", [H("0,5"), H("4,5")])
    me.add_place(draft, "Halha crossing", H("3,2"))
    de.place_unit(draft, "tank_bn", "soviet", H("12,7"), formation="11th Tank Brigade", name="Tank Bn")
    de.place_unit(draft, "rifle_bn", "japanese", H("0,2"), arrive=datetime(1939, 8, 20, 18), name="Late Bn")
    de.set_objective(draft, H("6,4"), "Hill 752", 8, holder="japanese")
    de.add_supply_source(draft, "soviet", "Depot", H("13,9"))
    de.add_weather(draft, datetime(1939, 8, 21, 6), "rain")
    de.add_air(draft, "soviet", datetime(1939, 8, 20, 6), 2, "design")


def test_scripted_edits_give_the_expected_scenario(tmp_path: Path) -> None:
    draft = new_draft(tmp_path)
    scripted(draft)
    data = draft.data()
    rows = data["map"]["terrain"].split()
    assert rows[3][5] == rows[4][5] == rows[4][6] == "h" and rows[0] == "." * 14
    assert data["map"]["hexside_lines"] == [
        {"feature": "river", "name": "Halha", "hexsides": ["3,0:SE", "3,1:NE", "3,1:SE", "3,2:NE"], "source": "design"}
    ]
    assert data["map"]["bridges"] == ["3,1:SE"]
    assert data["map"]["borders"][0]["hexsides"] == ["10,2:SE"]
    assert data["map"]["roads"][0]["hexes"] == ["0,5", "1,5", "2,5", "3,5", "4,5"]
    units = {u["id"]: u for u in data["units"]}
    assert units["soviet-2"] == {
        "id": "soviet-2",
        "name": "Tank Bn",
        "type": "tank_bn",
        "side": "soviet",
        "formation": "11th Tank Brigade",
        "hex": "12,7",
        "source": "design",
    }
    assert units["japanese-2"]["arrive"] == {"at": datetime(1939, 8, 20, 18), "hex": "0,2"}
    objective = next(o for o in data["objectives"] if o["hex"] == "6,4")
    assert (objective["name"], objective["points"], objective["initial_holder"]) == ("Hill 752", 8, "japanese")
    assert "at: 1939-08-20T18:00:00" in draft.text  # dates written as the bundled files write them
    assert errors(checking.check_draft(draft)) == []


def test_new_scenario_with_edits_validates_and_plays_a_whole_game(tmp_path: Path) -> None:
    draft = new_draft(tmp_path)
    scripted(draft)
    path = draft.save()
    assert errors(validate_scenario(path)) == []
    scenario = load_scenario(path)
    game = play(scenario, 5, players_for(scenario, {}), str(path))
    assert game.state.game_over
    assert game.state.turn >= 1


def test_every_edit_undoes_and_redoes_exactly(tmp_path: Path) -> None:
    draft = new_draft(tmp_path)
    texts = [draft.text]
    for step in (
        lambda: me.paint(draft, [H("1,1")], "m"),
        lambda: me.add_hexsides(draft, "stream", "Holsten", [side("4,4", "S")]),
        lambda: me.remove_hexsides(draft, [side("4,4", "S")]),
        lambda: me.draw_road(draft, "road", "Road", [H("2,2"), H("2,6")]),
        lambda: me.cut_roads(draft, H("2,4")),
        lambda: de.place_unit(draft, "cavalry_rgt", "soviet", H("9,9")),
        lambda: de.move_unit(draft, "soviet-2", H("8,8")),
        lambda: de.schedule_arrival(draft, "soviet-2", datetime(1939, 8, 20, 18)),
        lambda: de.remove_unit(draft, "japanese-1"),
        lambda: de.set_period(draft, last_turn=8, turn_hours=6, dawn=datetime(1, 1, 1, 4, 30).time()),
        lambda: de.set_notes(draft, "Notes of the author."),
        lambda: de.set_source(draft, "W", "Wikipedia"),
        lambda: de.set_unit_type(
            draft,
            dict(SKI_BN),
        ),
        lambda: de.set_value(draft, ("historical",), {"winner": "soviet", "summary": "Won.", "source": "W"}),
        lambda: me.resize_map(draft, 16, 11, "."),
    ):
        step()
        texts.append(draft.text)
    assert len(set(texts)) == len(texts), "every step changed the text"
    for expected in reversed(texts[:-1]):
        assert draft.undo() is not None
        assert draft.text == expected
    assert draft.undo() is None
    for expected in texts[1:]:
        draft.redo()
        assert draft.text == expected
    assert draft.data()["units"][-1]["arrive"]["hex"] == "8,8"


def test_cut_roads_splits_and_drops_short_pieces(tmp_path: Path) -> None:
    draft = new_draft(tmp_path)
    me.draw_road(draft, "road", "Long", [H("0,3"), H("6,3")])
    assert me.cut_roads(draft, H("1,3")) == 1
    assert [r["hexes"][0] for r in draft.data()["map"]["roads"]] == ["2,3"]


def test_a_failed_save_leaves_the_file_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = new_draft(tmp_path)
    path = draft.save()
    before = path.read_bytes()
    me.paint(draft, [H("0,0")], "w")

    def broken(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        draft.save()
    assert path.read_bytes() == before
    assert draft.dirty
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary file left behind


def test_a_file_changed_on_disk_is_not_overwritten_unless_asked(tmp_path: Path) -> None:
    draft = new_draft(tmp_path)
    path = draft.save()
    me.paint(draft, [H("0,0")], "w")
    theirs = path.read_text() + "# theirs\n"
    path.write_text(theirs)
    with pytest.raises(ChangedOnDisk) as raised:
        draft.save()
    assert raised.value.paths == [path] and path.read_text() == theirs and draft.dirty
    assert draft.save(overwrite=True) == path and path.read_text() == draft.text
    path.unlink()  # a file deleted meanwhile: writing it again loses nothing
    me.paint(draft, [H("1,0")], "w")
    assert draft.save() == path and path.read_text() == draft.text


def test_a_fifo_or_a_folder_put_in_the_files_place_counts_as_a_change_and_never_blocks(tmp_path: Path) -> None:
    """Opening a FIFO blocks until a writer comes: the check before a save read it with a plain
    open, and the editor's window hung (hostile-input review, left over)."""
    draft = new_draft(tmp_path)
    path = draft.save()
    me.paint(draft, [H("0,0")], "w")
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(ChangedOnDisk) as raised:
        draft.save()
    assert raised.value.paths == [path] and stat.S_ISFIFO(path.stat().st_mode)
    path.unlink()
    path.mkdir()
    with pytest.raises(ChangedOnDisk):
        draft.save()
    path.rmdir()
    path.write_text("x" * 10_000_000)  # grown huge: changed, not read whole
    with pytest.raises(ChangedOnDisk):
        draft.save()


def test_save_as_onto_a_file_that_exists_asks_first(tmp_path: Path) -> None:
    """The file dialog of "Save as..." does not ask: the save does, as for a file changed on disk."""
    draft = new_draft(tmp_path)
    draft.save()
    notes = tmp_path / "notes.yaml"
    notes.write_text("my notes\n")
    with pytest.raises(ExistsAlready) as raised:
        draft.save(notes)
    assert raised.value.paths == [notes] and "exists already" in raised.value.reason
    assert notes.read_text() == "my notes\n" and draft.path == tmp_path / "my-scenario.yaml"
    assert draft.save(notes, overwrite=True) == notes and notes.read_text() == draft.text
    assert draft.save(tmp_path / "new.yaml") == tmp_path / "new.yaml"  # a free name is written at once


def test_saving_into_the_bundled_scenarios_asks_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The game's own files, read by every game of them (in a wheel, among its program files)."""
    bundled = tmp_path / "scenarios"
    bundled.mkdir()
    shutil.copyfile(resources.scenarios_dir() / "lake-khasan-1938.yaml", bundled / "lake-khasan-1938.yaml")
    (bundled / "rules").symlink_to(resources.scenarios_dir() / "rules")
    monkeypatch.setattr(resources, "scenarios_dir", lambda: bundled)
    path = bundled / "lake-khasan-1938.yaml"
    before = path.read_text()
    draft = Draft.open(path)
    me.paint(draft, [H("0,0")], "w")
    with pytest.raises(BundledData) as raised:
        draft.save()
    assert raised.value.paths == [path] and path.read_text() == before and draft.dirty
    assert draft.save(overwrite=True) == path and path.read_text() == draft.text
    me.paint(draft, [H("1,0")], "w")
    assert draft.save() == path and path.read_text() == draft.text  # agreed once for this draft
    elsewhere = Draft.open(path)
    me.paint(elsewhere, [H("2,0")], "w")
    with pytest.raises(BundledData):
        elsewhere.save(bundled / "copy.yaml")  # a new file in the folder is the bundled data too
    assert elsewhere.save(tmp_path / "mine.yaml") == tmp_path / "mine.yaml"


def test_section_text_round_trips_and_keeps_comments(tmp_path: Path) -> None:
    source = resources.scenarios_dir() / "khalkhin-gol-1939.yaml"
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    draft = Draft.open(copy)
    text = yt.fragment(draft.tree, ("supply",))
    assert "# Soviet: the truck roads" in text
    de.set_section(draft, ("supply",), text)
    assert draft.text == source.read_text(encoding="utf-8") and not draft.undo_stack
    de.set_section(draft, ("supply",), text.replace("lorries: 4900", "lorries: 4500"))
    assert "lorries: 4500" in draft.text and "# Soviet: the truck roads" in draft.text
    assert errors(checking.check_draft(draft)) == []


def test_emptying_a_list_under_comments_saves_a_file_that_opens_again_with_its_comments(tmp_path: Path) -> None:
    copy = tmp_path / "lk.yaml"
    shutil.copyfile(resources.scenarios_dir() / "lake-khasan-1938.yaml", copy)
    draft = Draft.open(copy)
    while draft.tree["weather"]:
        de.remove_entry(draft, ("weather",), 0)
    draft.save()
    reopened = Draft.open(copy)
    assert reopened.data()["weather"] == [] and "# Fog and rain stopped the Soviet artillery" in reopened.text
    assert load_scenario(copy).weather == ()
    de.add_entry(reopened, ("weather",), {"start": datetime(1938, 7, 31, 8), "weather": "rain"}, "add weather")
    assert Draft.open(reopened.save()).data()["weather"][0]["weather"] == "rain"


def test_a_change_whose_text_does_not_read_back_is_rolled_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = new_draft(tmp_path)
    draft.save()
    before, steps = draft.text, len(draft.undo_stack)
    monkeypatch.setattr("nomonhan.editor.document.to_text", lambda _tree: "weather:\n  # a comment\n[]\nsupply: sources:\n")
    with pytest.raises(ScenarioError, match=r"my-scenario\.yaml:4:1: .*YAML syntax error"):
        me.paint(draft, [H("0,0")], "w")
    monkeypatch.undo()
    assert draft.text == before and len(draft.undo_stack) == steps and not draft.dirty
    assert yt.plain(draft.tree) == yt.plain(Draft.open(draft.save()).tree)


def test_rules_edits_are_checked_in_memory_and_saved_with_the_scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules_dir = tmp_path / "scenarios" / "rules"
    rules_dir.mkdir(parents=True)
    shutil.copyfile(resources.rules_path("standard"), rules_dir / "standard.yaml")
    monkeypatch.setattr(resources, "scenarios_dir", lambda: tmp_path / "scenarios")
    draft = new_draft(tmp_path)
    de.set_unit_type(
        draft,
        dict(SKI_BN),
        "rules",
    )
    de.place_unit(draft, "ski_bn", "soviet", H("5,5"))
    assert draft.rules_file is not None and draft.rules_file.dirty
    assert errors(checking.check_draft(draft)) == []
    launched: list = []
    assert "started" in playtest.play_test(draft, [], launch=launched.append)  # the game gets the edited rules data
    assert "ski_bn" in load_scenario(launched[0][3]).unit_types
    de.remove_unit_type(draft, "rifle_bn", "rules")
    problems = errors(checking.check_draft(draft))
    assert problems and all("rifle_bn" in p.message for p in problems)
    draft.undo()
    with pytest.raises(BundledData):  # the rules data every bundled scenario shares: asked first
        draft.save()
    draft.save(overwrite=True)
    assert "ski_bn" in (rules_dir / "standard.yaml").read_text(encoding="utf-8")
    assert errors(validate_scenario(draft.path)) == []


def test_forms_apply_only_what_changed(tmp_path: Path) -> None:
    draft = new_draft(tmp_path)
    unit = ("unit", "soviet-1")
    form = forms.form_for(draft, unit)
    texts = forms.values(draft, form)
    forms.apply(draft, form, texts)
    assert not draft.undo_stack
    forms.apply(draft, form, texts | {("arrive", "at"): "1939-08-20 18:00", ("source",): "W; EST"})
    unit_data = draft.data()["units"][0]
    assert unit_data["arrive"] == {"at": datetime(1939, 8, 20, 18), "hex": "13,9"} and "hex" not in unit_data
    assert unit_data["source"] == "W; EST"
    forms.apply(draft, form, forms.values(draft, form) | {("arrive", "at"): ""})
    assert draft.data()["units"][0]["hex"] == "13,9"
    with pytest.raises(ValueError, match=r"^Hex \(start or entry\): must be a hex written col,row \(e.g. 12,5\), got 'nowhere'$"):
        forms.apply(draft, form, forms.values(draft, form) | {("hex",): "nowhere"})
    with pytest.raises(ValueError, match=r"^Steps \(blank: full\): must be a whole number, got 'x'$"):
        forms.apply(draft, form, forms.values(draft, form) | {("steps",): "x"})
    scenario = forms.form_for(draft, None)
    forms.apply(draft, scenario, forms.values(draft, scenario) | {("columns",): "20", ("period", "last_turn"): "9"})
    assert me.map_size(draft) == (20, 10) and draft.data()["period"]["last_turn"] == 9


def test_map_recipe_and_geojson_tracing(tmp_path: Path) -> None:
    source = resources.scenarios_dir() / "khalkhin-gol-1939.yaml"
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    draft = Draft.open(copy)
    me.paint(draft, [H("0,0")], "w")
    me.rebuild_map(draft)
    assert draft.text == source.read_text(encoding="utf-8")  # the recipe redraws what the file holds
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Test stream"},
                "geometry": {"type": "LineString", "coordinates": [[118.50, 47.90], [118.56, 47.86]]},
            },
            {"type": "Feature", "properties": {"name": "Test well"}, "geometry": {"type": "Point", "coordinates": [118.52, 47.88]}},
        ],
    }
    assert ("Test well", "Point") in me.geojson_features(geojson)
    me.trace_geojson(draft, geojson, "Test stream", "hexside", "stream", "Traced stream")
    traced = draft.data()["map"]["hexside_lines"][-1]
    assert traced["feature"] == "stream" and len(traced["hexsides"]) >= 3
    me.add_place(draft, "Test well", None, 47.88, 118.52)
    expected = GeoGrid(47.9255, 118.4277, 1.0).hex_at(47.88, 118.52)
    assert draft.data()["map"]["places"][-1]["hex"] == format_hex(expected)
    assert errors(checking.check_draft(draft)) == []


def test_play_test_launches_the_game_on_a_copy_of_the_draft(tmp_path: Path) -> None:
    draft = new_draft(tmp_path)
    scripted(draft)
    launched: list = []
    message = playtest.play_test(draft, checking.check_draft(draft), launch=launched.append)
    assert "started" in message
    command = launched[0]
    assert command[2] == playtest.RUN_APP
    assert load_scenario(command[3]).id == "my-scenario"
    broken = checking.check(draft.text.replace("hex: 12,7", "hex: 99,99"), "x.yaml")
    assert "Fix the" in playtest.play_test(draft, broken, launch=launched.append) and len(launched) == 1


def test_a_play_test_brings_the_scenarios_own_rules_data_as_edited(tmp_path: Path) -> None:
    """The example brings its own rules data (``rules: ./amur.yaml``, extending the standard
    rules); the play-test's scratch copy must find them, with the editor's unsaved changes."""
    example = tmp_path / "amur-island"
    shutil.copytree(Path(__file__).resolve().parents[1] / "docs" / "examples" / "amur-island", example)
    draft = Draft.open(example / "amur-island.yaml")
    de.set_unit_type(draft, dict(SKI_BN), "rules")
    launched: list = []
    assert "started" in playtest.play_test(draft, checking.check_draft(draft), launch=launched.append)
    played = load_scenario(launched[0][3])
    assert "gunboat" in played.unit_types and "ski_bn" in played.unit_types
    assert "ski_bn" not in (example / "amur.yaml").read_text(encoding="utf-8")  # the author's file is untouched


def test_a_play_test_keeps_its_own_saves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The play-test's game runs with ``<home>/playtest`` as its home: its autosave is not the player's."""
    monkeypatch.setenv("NOMONHAN_HOME", str(tmp_path / "home"))
    draft = new_draft(tmp_path)
    scripted(draft)
    launched: list = []
    playtest.play_test(draft, checking.check_draft(draft), launch=launched.append)
    python, _, code, scenario, home = launched[0]
    probe = (
        "import nomonhan.ui.app as app; from nomonhan.ui import userdata; "
        "app.run_app = lambda ref: print(userdata.autosave_path()); exec(" + repr(code) + ")"
    )
    autosave = subprocess.run([python, "-c", probe, scenario, home], capture_output=True, text=True, check=True).stdout.split()[-1]
    assert Path(autosave) == tmp_path / "home" / "playtest" / "autosave.json"
    assert Path(autosave) != userdata.autosave_path()


def test_background_checker_reports_the_latest_revision(tmp_path: Path) -> None:
    draft = new_draft(tmp_path)
    checker = checking.Checker(background=True)
    try:
        checker.submit(draft)
        de.place_unit(draft, "no_such_type", "soviet", H("3,3"))
        checker.submit(draft)
        results = []
        for _ in range(400):
            found = checker.poll()
            if found:
                results.append(found)
            if not checker.busy and results and results[-1][0] == draft.revision:
                break
            time.sleep(0.01)
        revision, problems = results[-1]
        assert revision == draft.revision
        assert any("no_such_type" in p.message and p.unit == "soviet-2" for p in problems)
        assert problems[0].file == str(draft.path)
    finally:
        checker.close()


@pytest.mark.parametrize("in_recipe", [True, False])
def test_a_line_traced_into_the_recipe_survives_a_redraw_and_one_outside_it_does_not(tmp_path: Path, in_recipe: bool) -> None:
    source = resources.scenarios_dir() / "khalkhin-gol-1939.yaml"
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    draft = Draft.open(copy)
    geojson = json.loads((resources.scenarios_dir() / "geo" / "geography.geojson").read_text(encoding="utf-8"))
    feature = "Khailastyn/Holsten (EST)"
    roads_before = len(draft.data()["map"].get("roads") or [])
    me.trace_geojson(draft, geojson, feature, "road", "track", "Holsten valley track", in_recipe=in_recipe)
    assert len(draft.data()["map"]["roads"]) > roads_before
    recorded = [r for r in draft.data()["map"]["build"].get("roads") or [] if r.get("geojson") == feature]
    assert len(recorded) == (1 if in_recipe else 0)
    me.rebuild_map(draft)
    kept = [r for r in draft.data()["map"].get("roads") or [] if r.get("name") == "Holsten valley track"]
    assert bool(kept) == in_recipe
    draft.undo()
    draft.undo()
    assert draft.text == source.read_text(encoding="utf-8")  # tracing and recording were one step


def test_tracing_into_a_missing_recipe_is_refused(tmp_path: Path) -> None:
    source = resources.scenarios_dir() / "khalkhin-gol-1939.yaml"
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    draft = Draft.open(copy)
    with draft.change("drop the recipe") as tree:
        del tree["map"]["build"]
    geojson = json.loads((resources.scenarios_dir() / "geo" / "geography.geojson").read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="no map.build recipe"):
        me.trace_geojson(draft, geojson, "Khailastyn/Holsten (EST)", "road", "track", "x", in_recipe=True)


def test_the_map_picture_draws_unknown_terrain_codes_as_unknown() -> None:
    """A half-typed grid still draws: codes the rules data lacks become an impassable 'unknown'."""
    from nomonhan.editor.preview import map_picture
    from nomonhan.scenario.load import load_rules

    _document, rules = load_rules("standard")
    picture = map_picture({"hex_km": 1.0, "terrain": "..Z\n...\n"}, rules)
    assert picture is not None
    assert picture.board.terrain_at(H("2,0")).id == "unknown" and picture.board.terrain_at(H("1,0")).id == "steppe"
