"""Companion files beside a scenario (issue 16): its own rules data, extending the standard
rules by id, and its map's GeoJSON; resolved from the scenario's folder and never outside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import scenario_text

from nomonhan.scenario.errors import ScenarioError
from nomonhan.scenario.load import load_scenario, load_with_warnings, validate_file
from nomonhan.scenario.variants import Variant

TERRAIN_IDS = ["steppe", "dunes", "hills", "steep_hills", "marsh", "lake", "village", "forest"]

BOATS = (
    """\
extends: standard
id: amur
title: Amur river rules
movement_classes:
  - id: boat
    name: River boats
terrain:
  - code: '~'
    id: channel
    name: Navigable channel
    move_cost: {foot: null, cavalry: null, wheeled: null, tracked: null, boat: 1}
    defence_shift: 0
    colour: '#4a7fb5'
    armour: {shift: 0, overrun: false, close_assault_pct: 100}
    source: design
  - {id: lake, move_cost: {boat: 2}}
"""
    + "".join(f"  - {{id: {name}, move_cost: {{boat: null}}}}\n" for name in TERRAIN_IDS if name != "lake")
    + """\
roads:
  - {id: road, move_cost: {boat: 1}}
  - {id: track, move_cost: {boat: 1}}
unit_types:
  - id: gunboat
    name: River gunboat
    category: motorized
    size: company
    movement_class: boat
    move_points: 8
    attack: 2
    defence: 2
    steps: 1
    source: design
stacking_limit: 4
"""
)

UNITS = [("j-1", "rifle_bn", "japanese", "1,1"), ("s-1", "gunboat", "soviet", "3,1")]
ROWS = ["....", "..~~", "...."]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def boat_scenario(folder: Path, rules: str = "./amur.yaml", units=UNITS, rows=ROWS) -> Path:
    return write(folder, "amur-island.yaml", scenario_text(rows, units, rules=rules))


def test_rules_beside_the_scenario_extend_the_standard_rules(tmp_path):
    write(tmp_path, "amur.yaml", BOATS)
    scenario = load_scenario(boat_scenario(tmp_path))
    assert scenario.rules.id == "amur" and scenario.rules.stacking_limit == 4
    assert {c.id for c in scenario.rules.movement_classes} == {"foot", "cavalry", "wheeled", "tracked", "boat"}
    terrain = {t.id: t for t in scenario.rules.terrain}
    assert terrain["channel"].move_cost["boat"] == 1 and terrain["lake"].move_cost == {
        "foot": None,
        "cavalry": None,
        "wheeled": None,
        "tracked": None,
        "boat": 2,
    }
    assert terrain["steppe"].defence_shift == 0 and terrain["steppe"].name == "Open steppe"  # kept from standard
    assert scenario.unit_types["gunboat"].movement_class == "boat" and "rifle_bn" in scenario.unit_types


def test_a_rules_folder_beside_the_scenario_is_searched_by_id(tmp_path):
    write(tmp_path, "rules/amur.yaml", BOATS)
    assert load_scenario(boat_scenario(tmp_path, rules="amur")).rules.id == "amur"


def test_bundled_rules_still_work_from_any_folder(tmp_path):
    path = write(tmp_path, "plain.yaml", scenario_text(["...."] * 3, [UNITS[0], ("s-1", "rifle_bn", "soviet", "3,2")]))
    assert load_scenario(path).rules.id == "standard"


def test_the_hash_of_extended_rules_covers_every_file(tmp_path):
    write(tmp_path, "amur.yaml", BOATS)
    first = load_scenario(boat_scenario(tmp_path)).rules_hash
    write(tmp_path, "amur.yaml", BOATS.replace("stacking_limit: 4", "stacking_limit: 5"))
    assert load_scenario(tmp_path / "amur-island.yaml").rules_hash != first


def test_required_fields_are_checked_after_merging_and_reported_where_they_were_set(tmp_path):
    """Forgetting a terrain's cost for the new class is an error naming the terrain; a bad value
    is placed at its line in the extending file, not the standard file."""
    text = BOATS.replace("  - {id: forest, move_cost: {boat: null}}\n", "")
    write(tmp_path, "amur.yaml", text)
    with pytest.raises(ScenarioError, match=r"terrain 'forest': move_cost must name every movement class .*missing boat"):
        load_scenario(boat_scenario(tmp_path))
    write(tmp_path, "amur.yaml", BOATS.replace("move_points: 8", "move_points: 99"))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "amur-island.yaml")
    [problem] = caught.value.problems
    assert problem.file.endswith("amur.yaml") and problem.field == "unit_types.5.move_points"
    assert BOATS.splitlines()[problem.line - 1].strip() == "move_points: 8"


def test_every_problem_between_the_tables_is_reported_at_its_own_line(tmp_path):
    """An author who adds a movement class learns at once of every table still without it, and
    of an unknown class or a repeated terrain code, each at the line of the item (not the file's 1:1)."""
    text = (
        BOATS.replace("  - {id: forest, move_cost: {boat: null}}\n", "")
        .replace("  - {id: track, move_cost: {boat: 1}}", "  - {id: track, move_cost: {boat: 1, ski: 2}}")
        .replace("    movement_class: boat\n", "    movement_class: sail\n")
        .replace("  - code: '~'", "  - code: '.'")
    )
    lines = text.splitlines()
    with pytest.raises(ScenarioError) as caught:
        validate_file(write(tmp_path, "amur.yaml", text))
    found = {(p.file.rsplit("/", 1)[-1], p.field): p for p in caught.value.problems}
    forest = found[("standard.yaml", f"terrain.{TERRAIN_IDS.index('forest')}.move_cost")]
    assert forest.message == "terrain 'forest': move_cost must name every movement class (null: cannot enter); missing boat"
    unknown = [p for p in caught.value.problems if p.field.endswith("move_cost.ski")]
    assert [p.message for p in unknown] == ["unknown movement class 'ski'; known: boat, cavalry, foot, tracked, wheeled"]
    assert "ski: 2" in lines[unknown[0].line - 1]
    sail = next(p for p in caught.value.problems if p.field.endswith("movement_class"))
    assert sail.message.startswith("unknown movement class 'sail'; known: boat,") and "movement_class: sail" in lines[sail.line - 1]
    duplicate = next(p for p in caught.value.problems if p.message.startswith("duplicate"))
    assert duplicate.message == "duplicate terrain code '.'" and "code: '.'" in lines[duplicate.line - 1]


def test_a_missing_rules_file_names_the_folder_searched(tmp_path):
    path = boat_scenario(tmp_path, rules="amur")
    with pytest.raises(ScenarioError, match=f"rules: no rules data named 'amur': looked in {tmp_path.resolve()}"):
        load_scenario(path)
    with pytest.raises(ScenarioError, match=f"no rules data file './amur.yaml' in {tmp_path.resolve()}"):
        load_scenario(boat_scenario(tmp_path))


@pytest.mark.parametrize("ref", ["../amur.yaml", "sub/../../amur.yaml"])
def test_a_rules_path_that_leaves_the_scenario_folder_is_refused(tmp_path, ref):
    write(tmp_path, "amur.yaml", BOATS)
    with pytest.raises(ScenarioError, match=r"leaves the scenario's folder .*; keep companion files inside it"):
        load_scenario(boat_scenario(tmp_path / "mine", rules=ref))


def test_an_extends_loop_is_reported(tmp_path):
    write(tmp_path, "a.yaml", "extends: ./b.yaml\nid: a\n")
    write(tmp_path, "b.yaml", "extends: ./a.yaml\nid: b\n")
    with pytest.raises(ScenarioError, match="extend each other in a loop"):
        load_scenario(boat_scenario(tmp_path, rules="./a.yaml"))


def test_validate_checks_an_extending_rules_file_after_merging(tmp_path):
    assert validate_file(write(tmp_path, "amur.yaml", BOATS)) == []
    broken = write(tmp_path, "broken.yaml", BOATS.replace("stacking_limit: 4", "stacking_limit: 0"))
    with pytest.raises(ScenarioError, match="stacking_limit: must be at least 1, got 0"):
        validate_file(broken)


def test_a_what_if_variant_changes_extended_rules(tmp_path):
    write(tmp_path, "amur.yaml", BOATS)
    variant = Variant.create(boat_scenario(tmp_path), ["rules.stacking_limit=3", "rules.terrain[id=channel].move_cost.boat=2"])
    scenario, _warnings = load_with_warnings(variant.ref)
    assert scenario.rules.stacking_limit == 3
    assert next(t for t in scenario.rules.terrain if t.id == "channel").move_cost["boat"] == 2


GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "River"},
            "geometry": {"type": "LineString", "coordinates": [[130.0, 48.0], [130.05, 48.0]]},
        }
    ],
}


def recipe_scenario(folder: Path, geojson: str) -> Path:
    text = scenario_text(["....."] * 4, [("j-1", "rifle_bn", "japanese", "1,1"), ("s-1", "rifle_bn", "soviet", "3,2")])
    build = (
        "  georeference: {lat: 48.01, lon: 129.99}\n"
        "  build:\n"
        f"    geojson: {geojson}\n"
        "    columns: 5\n    rows: 4\n    default_terrain: '.'\n"
        "    hexside_lines: [{name: River, geojson: River, feature: river}]\n"
    )
    text = text.replace("map:\n", "map:\n" + build, 1)
    return write(folder, "recipe.yaml", text)


def test_map_build_geojson_resolves_beside_the_scenario(tmp_path):
    from nomonhan.scenario.write import rebuild_map

    write(tmp_path, "geo/amur.geojson", json.dumps(GEOJSON))
    path = recipe_scenario(tmp_path, "geo/amur.geojson")
    rebuild_map(path)
    assert load_scenario(path).model.map.hexside_lines[0].feature == "river"


def test_map_build_geojson_missing_or_outside_is_refused(tmp_path):
    from nomonhan.scenario.write import rebuild_map

    with pytest.raises(ScenarioError, match=f"map.build.geojson: no GeoJSON file 'geo/amur.geojson': looked in {tmp_path.resolve()}"):
        rebuild_map(recipe_scenario(tmp_path, "geo/amur.geojson"))
    with pytest.raises(ScenarioError, match="leaves the scenario's folder"):
        rebuild_map(recipe_scenario(tmp_path, "../amur.geojson"))


def test_a_geojson_number_of_thousands_of_digits_is_refused_in_words(tmp_path):
    # json.loads would pass on Python's advice for programmers (sys.set_int_max_str_digits).
    from nomonhan.scenario.geomap import read_geojson

    path = write(tmp_path, "huge.geojson", '{"type": "FeatureCollection", "features": [], "x": ' + "9" * 5000 + "}")
    with pytest.raises(ValueError, match="a number of 5,000 characters; a number may hold at most 100") as caught:
        read_geojson(path)
    assert "set_int_max_str_digits" not in str(caught.value)


def test_map_draws_an_unfinished_scenario(tmp_path):
    """Units not placed yet and a side unnamed: problems outside the map do not stop `nomonhan map`;
    a problem inside it does, at its line."""
    from nomonhan.scenario.load import parse_part
    from nomonhan.scenario.schema import MapSpec
    from nomonhan.scenario.write import rebuild_map

    write(tmp_path, "geo/amur.geojson", json.dumps(GEOJSON))
    path = recipe_scenario(tmp_path, "geo/amur.geojson")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith(("units:", "sides:"))]
    path.write_text("\n".join([*lines, "units: []"]) + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError):
        load_scenario(path)
    assert parse_part(path, path.read_text(encoding="utf-8"), "map", MapSpec)[1].hexside_lines == []
    rebuild_map(path)
    assert parse_part(path, path.read_text(encoding="utf-8"), "map", MapSpec)[1].hexside_lines[0].feature == "river"
    path.write_text(path.read_text(encoding="utf-8").replace("hex_km: 1.0", "hex_km: -1"), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"map.hex_km: must be at least 0.01"):
        rebuild_map(path)


def test_new_with_a_georeference_writes_a_map_build_stub_that_map_can_draw(tmp_path):
    from typer.testing import CliRunner

    from nomonhan.cli import app

    runner = CliRunner()
    path = tmp_path / "amur.yaml"
    result = runner.invoke(app, ["new", "amur", "--size", "12x8", "--georef", "48.5,130.1", "--out", str(path)])
    assert result.exit_code == 0, result.output
    recipe = load_scenario(path).model.map
    assert (recipe.georeference.lat, recipe.georeference.lon) == (48.5, 130.1)
    assert recipe.build is not None and recipe.build.geojson == "geo/amur.geojson" and (recipe.build.columns, recipe.build.rows) == (12, 8)
    assert json.loads((tmp_path / "geo" / "amur.geojson").read_text(encoding="utf-8"))["features"] == []
    assert runner.invoke(app, ["map", str(path)]).exit_code == 0
    result = runner.invoke(app, ["new", "other", "--georef", "north", "--out", str(tmp_path / "other.yaml")])
    assert result.exit_code == 1 and "--georef takes LAT,LON" in result.output and not (tmp_path / "other.yaml").exists()
