"""Hostile files (issue 22): what a careless user or a hostile author can hand the program.

Every case must end in the project's own clear error (a scenario problem, a record error, a
ValueError naming the file), never a traceback, a hang or gigabytes of memory.  The fixed
hostile files live in ``tests/data/hostile/``; files that git cannot hold (devices, FIFOs,
links to devices, multi-megabyte files) are made in a temporary folder by the tests.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import zlib
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nomonhan import resources, safeio
from nomonhan.cli import app
from nomonhan.replay import RecordError, load_game, read_record
from nomonhan.scenario import yamlio
from nomonhan.scenario.load import load_scenario
from nomonhan.scenario.skeleton import skeleton
from nomonhan.scenario.write import save_tree, styled

TESTS = Path(__file__).parent
HOSTILE = TESTS / "data" / "hostile"
CROSSING = TESTS / "data" / "crossing.yaml"
GOLDEN_CROSSING = TESTS / "golden" / "crossing-seed7.json"
CONSOLE_SCRIPT = Path(sys.executable).parent / "nomonhan"

runner = CliRunner()


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_refused(result, fragment: str) -> None:
    """Exit 1 through the command's own error handling, the fragment said, no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert fragment in flat(result.stderr), result.stderr


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


# ---------------------------------------------------------------- 1. bounded reads


def test_read_bytes_refuses_devices_folders_and_fifos(tmp_path: Path, fifo: Path) -> None:
    for path, kind in ((Path("/dev/zero"), "a device"), (tmp_path, "a folder"), (fifo, "a pipe (FIFO)")):
        with pytest.raises(safeio.FileRefused, match=re.escape(f"this is {kind}")):
            safeio.read_bytes(path, 1000)


def test_read_bytes_applies_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 101)
    assert safeio.read_bytes(path, 101) == b"x" * 101
    with pytest.raises(safeio.FileRefused, match="larger than 100 bytes"):
        safeio.read_bytes(path, 100)


def test_read_bytes_stops_at_the_limit_while_reading(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A file that grows (or lies about its size, as /proc files do) is read no further than the limit."""
    path = tmp_path / "endless"
    path.write_bytes(b"x")
    asked: list[int] = []

    def endless(fd: int, size: int) -> bytes:
        asked.append(size)
        return b"x" * size

    monkeypatch.setattr(os, "read", endless)
    with pytest.raises(safeio.FileRefused, match="larger than"):
        safeio.read_bytes(path, 200_000)
    assert sum(asked) == 200_001


@pytest.mark.parametrize("command", ["validate", "run"])
def test_scenario_commands_refuse_special_files(command: str, tmp_path: Path) -> None:
    assert_refused(invoke(command, "/dev/zero"), "/dev/zero:1:1: (file): this is a device, not a regular file")
    assert_refused(invoke(command, tmp_path), f"{tmp_path}:1:1: (file): this is a folder")


@pytest.mark.parametrize("command", ["validate", "run", "replay"])
def test_a_file_name_too_long_for_the_system_is_refused(command: str) -> None:
    result = invoke(command, "n" * 5000 + ".yaml")
    assert_refused(result, "File name too long")


def test_a_fifo_as_scenario_or_record_does_not_hang(fifo: Path) -> None:
    """Run as a process with a timeout: a hang fails the test instead of freezing the suite."""
    for command in ("validate", "run", "replay"):
        done = subprocess.run([str(CONSOLE_SCRIPT), command, str(fifo)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 1, (command, done.stderr)
        assert "pipe (FIFO)" in done.stderr and "Traceback" not in done.stderr


def test_an_oversized_scenario_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: takes no disk, would take 50 MB to read
    assert_refused(invoke("validate", path), "larger than 1,000,000 bytes")


RECORD_CASES = {
    "scenario_dev_zero": "field 'scenario' names '/dev/zero', neither a bundled scenario id nor a scenario file (.yaml)",
    "scenario_folder": "field 'scenario' names '/', neither a bundled scenario id nor a scenario file (.yaml)",
    "scenario_outside": "field 'scenario' names '../../../../../../../../etc/passwd', neither a bundled scenario id nor",
    "scenario_variant_base_number": "field 'scenario': not a what-if variant reference: its field 'scenario' is not a scenario id",
    "scenario_variant_set_number": "field 'scenario': not a what-if variant reference: its field 'set' is not a list of PATH=VALUE",
    "scenario_variant_overlay_number": "field 'scenario': not a what-if variant reference: its field 'overlays' is not a list of",
    "scenario_nul": "(file): the file name holds a NUL character",
    "nested": "not a Nomonhan game record: the JSON nests too deep",
    "not_json": "not a Nomonhan game record: not valid JSON",
    "list": "not a Nomonhan game record (no 'format: nomonhan-record')",
    "format_missing": "not a Nomonhan game record (no 'format: nomonhan-record')",
    "seed_true": "field 'seed' is missing or not a whole number",
    "seed_text": "field 'seed' is missing or not a whole number",
    "seed_negative": "field 'seed' must be a whole number from 0 to 2**64-1, not -1",
    "seed_too_big": "field 'seed' must be a whole number from 0 to 2**64-1, not 18446744073709551616",
    "format_version_float": "record format version 3.0; this Nomonhan reads version 3",
    "seed_digits": "not valid JSON (a number of 5,000 characters; a number may hold at most 100)",
    "action_not_text": "action 2 is not a line of action notation",
    "action_unknown_verb": "action 1 ('fly j-1 3,3') cannot be replayed",
}


def current_record(name: str, folder: Path) -> Path:
    """The hostile record ``name``, with the crossing's hashes brought up to date in a copy.

    A record made under other rules data is refused before its actions are read, so without this
    every change of the rules would turn the tests of the later checks (an action that is not
    text, an unknown verb) into tests of the hash check."""
    source = HOSTILE / "records" / f"{name}.json"
    try:
        record = json.loads(source.read_text(encoding="utf-8"))
    except (ValueError, RecursionError):  # the cases that are not JSON, or nest too deep
        return source
    if not isinstance(record, dict) or record.get("scenario") != "../../crossing.yaml":
        return source
    crossing = load_scenario(CROSSING)
    record.update(scenario=str(CROSSING), scenario_hash=crossing.content_hash, rules_hash=crossing.rules_hash)
    copy = folder / source.name
    copy.write_text(json.dumps(record), encoding="utf-8")
    return copy


@pytest.mark.parametrize(("name", "fragment"), sorted(RECORD_CASES.items()))
def test_hostile_record_is_refused_clearly(name: str, fragment: str, tmp_path: Path) -> None:
    result = invoke("replay", current_record(name, tmp_path))
    assert_refused(result, fragment)
    assert len(result.stderr) < 1000


@pytest.mark.parametrize("option", ["--load", "--replay"])
def test_play_refuses_every_hostile_record_before_opening_a_window(option: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window opens only after the file is read, so each of these ends at the command line."""
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    for path in sorted((HOSTILE / "records").glob("*.json")):
        result = invoke("play", option, path)
        assert_refused(result, ":1:1: (file): " if path.stem == "scenario_nul" else f"{path}: ")


def test_every_hostile_record_has_a_case() -> None:
    on_disk = list((HOSTILE / "records").glob("*.json"))
    assert {p.stem for p in on_disk} == set(RECORD_CASES)
    assert all(p.stat().st_size < 20_000 for p in on_disk)


def test_a_huge_action_is_not_echoed_whole(tmp_path: Path) -> None:
    record = json.loads(GOLDEN_CROSSING.read_text(encoding="utf-8"))
    record["scenario"] = str(CROSSING)
    record["actions"] = ["move " + "j" * 4_000_000 + " 3,3"]
    path = tmp_path / "long.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        load_game(path)
    message = str(caught.value)
    assert len(message) < 600 and "(4,000,011 characters)" in message


def test_a_scenario_name_of_megabytes_is_not_echoed(tmp_path: Path) -> None:
    record = dict(json.loads(GOLDEN_CROSSING.read_text(encoding="utf-8")), scenario="s" * 1_000_000 + ".yaml")
    path = tmp_path / "long.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(RecordError, match="field 'scenario' is 1,000,005 characters, too long") as caught:
        load_game(path)
    assert len(str(caught.value)) < 300


def test_an_oversized_record_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text('{"format": "nomonhan-record", "pad": "' + "x" * 5_000_000 + '"}')
    with pytest.raises(RecordError, match="larger than 5,000,000 bytes"):
        read_record(path)


def test_a_user_scenario_linked_to_a_device_is_listed_as_broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nomonhan.ui.start_screen import find_scenarios

    monkeypatch.setenv("NOMONHAN_HOME", str(tmp_path))
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "zero.yaml").symlink_to("/dev/zero")
    entries = {entry.path.name: entry for entry in find_scenarios()}
    assert entries["zero.yaml"].scenario is None
    assert "this is a device, not a regular file" in entries["zero.yaml"].problem


# ---------------------------------------------------------------- 9. nomonhan map on hostile GeoJSON


@pytest.fixture
def map_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scenarios/ folder of its own (with the real rules) holding a scenario with a map recipe."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "rules").symlink_to(resources.scenarios_dir() / "rules")
    monkeypatch.setattr(resources, "scenarios_dir", lambda: folder)
    return folder


def _recipe_scenario(folder: Path, geojson: str) -> Path:
    data = skeleton("mapped", 12, 10, 1.0, datetime(1939, 8, 20, 6), 4, 12)
    data["map"]["georeference"] = {"lat": 47.7, "lon": 118.5}
    data["map"]["build"] = {
        "geojson": geojson,
        "columns": 12,
        "rows": 10,
        "default_terrain": ".",
        "hexside_lines": [{"name": "Khalkhin Gol", "feature": "river", "geojson": "Khalkhin Gol"}],
    }
    path = folder / "mapped.yaml"
    save_tree(path, styled(data))
    return path


GEOJSON_CASES = {
    "deep": "the JSON nests too deep",
    "not_an_object": "a GeoJSON file holds an object",
    "no_features": "no 'features' list",
    "point_not_numbers": "has a point that is not [longitude, latitude]",
    "point_off_globe": "has a point off the globe",
    "point_nan": "has a point off the globe",
    "line_round_the_world": "far beyond any map",
    "coordinates_not_a_list": "coordinates that are not a list of points",
}


@pytest.mark.parametrize(("name", "fragment"), sorted(GEOJSON_CASES.items()))
def test_map_command_refuses_hostile_geojson(map_folder: Path, name: str, fragment: str) -> None:
    (map_folder / "bad.geojson").write_bytes((HOSTILE / "geojson" / f"{name}.geojson").read_bytes())
    path = _recipe_scenario(map_folder, "bad.geojson")
    before = path.read_text(encoding="utf-8")
    assert_refused(invoke("map", path), fragment)
    assert path.read_text(encoding="utf-8") == before


def test_every_hostile_geojson_has_a_case() -> None:
    assert {p.stem for p in (HOSTILE / "geojson").glob("*.geojson")} == set(GEOJSON_CASES)


@pytest.mark.parametrize(
    ("geojson", "message"),
    [
        ("../../../../etc/passwd", "leaves the scenario's folder"),
        ("/etc/passwd", "must be a path relative to the scenario's folder"),
        ("/dev/zero", "must be a path relative to the scenario's folder"),
    ],
)
def test_map_command_reads_geojson_only_inside_the_scenario_folder(map_folder: Path, geojson: str, message: str) -> None:
    path = _recipe_scenario(map_folder, geojson)
    assert_refused(invoke("map", path), message)


def test_map_command_refuses_a_fifo_or_device_link_inside_the_folder(map_folder: Path) -> None:
    os.mkfifo(map_folder / "pipe.geojson")
    path = _recipe_scenario(map_folder, "pipe.geojson")
    assert_refused(invoke("map", path), "this is a pipe (FIFO), not a regular file")


def _drawn_scenario(folder: Path, size: int, build: dict, features: list[dict]) -> Path:
    """A valid ``nomonhan new`` scenario of ``size`` x ``size`` hexes of 1 km whose recipe adds
    ``build`` to a plain map, with ``features`` in its GeoJSON."""
    data = skeleton("drawn", size, size, 1.0, datetime(1939, 8, 20, 6), 4, 12)
    data["map"]["georeference"] = {"lat": 47.7, "lon": 118.5}
    data["map"]["build"] = {"geojson": "lines.geojson", "columns": size, "rows": size, "default_terrain": ".", **build}
    (folder / "lines.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    path = folder / "drawn.yaml"
    save_tree(path, styled(data))
    assert invoke("validate", path).exit_code == 0
    return path


def assert_map_refused(path: Path, *fragments: str, smaller: int = 0) -> None:
    """``nomonhan map`` refuses, saying why, and the scenario is left as it was, still valid.
    ``smaller``: the largest scenario file, for the redraw only (the rules data is larger)."""
    before = path.read_bytes()
    with pytest.MonkeyPatch.context() as patch:
        if smaller:
            patch.setattr(yamlio, "MAX_FILE_BYTES", smaller)
        result = invoke("map", path)
    for fragment in fragments:
        assert_refused(result, fragment)
    assert path.read_bytes() == before
    assert invoke("validate", path).exit_code == 0


def test_map_command_refuses_a_road_of_more_pieces_than_a_map_holds(map_folder: Path) -> None:
    """An OSM road exported as a MultiLineString of 150 ways: one map.roads entry each."""
    pieces = [
        [[118.5 + 0.012 * (i % 8), 47.69 - 0.008 * (i // 8 % 10)], [118.53 + 0.012 * (i % 8), 47.69 - 0.008 * (i // 8 % 10)]]
        for i in range(150)
    ]
    feature = {"type": "Feature", "properties": {"name": "track"}, "geometry": {"type": "MultiLineString", "coordinates": pieces}}
    path = _drawn_scenario(map_folder, 12, {"roads": [{"name": "Track", "kind": "track", "geojson": "track"}]}, [feature])
    assert_map_refused(path, "map.build: road 'Track' takes map.roads past 100 entries", "merge its GeoJSON pieces")


def test_map_command_refuses_a_map_whose_section_would_not_read_back(map_folder: Path) -> None:
    """A road zigzagging 18 times across an 80-hex map: more hexes than one road may have.  The
    problem names the recipe's road, not only the index of an entry in a text never written."""
    points = [[47.7 - row * 0.018, lon] for row in range(18) for lon in ((118.5, 119.3) if row % 2 == 0 else (119.3, 118.5))]
    path = _drawn_scenario(map_folder, 80, {"roads": [{"name": "Zigzag", "kind": "track", "points": points}]}, [])
    assert_map_refused(
        path, "map.build: the map it draws would not read back: road 'Zigzag' (map.roads.", ".hexes): may have at most 1000 items"
    )


def test_map_command_refuses_a_map_that_makes_the_file_too_big(map_folder: Path) -> None:
    path = _drawn_scenario(map_folder, 12, {"roads": [{"name": "Track", "kind": "track", "points": [[47.69, 118.5], [47.69, 118.6]]}]}, [])
    limit = path.stat().st_size + 10  # the road's hexes take more
    assert_map_refused(path, "map.build: the map it draws makes the file", f"bytes, more than the {limit:,}", smaller=limit)


def test_map_command_keeps_a_valid_scenario_valid_but_draws_one_not_yet_whole(map_folder: Path) -> None:
    """A zone of a code the rules do not know makes the set-up invalid: refused, as `validate`
    would refuse the file, and said once for a few hexes, not once for every hex.  Before any
    unit is placed (the scenario not yet valid) the map is drawn, as the docs promise."""
    zone = {"terrain": "Q", "name": "unknown ground", "polygon": [[47.8, 118.4], [47.8, 118.8], [47.5, 118.8], [47.5, 118.4]]}
    path = _drawn_scenario(map_folder, 12, {"terrain_zones": [zone]}, [])
    assert_map_refused(path, "map.build: the redrawn map would make the scenario invalid: map.terrain: unknown terrain code 'Q'")
    assert len(invoke("map", path).stderr.splitlines()) == 6
    path.write_text(re.sub(r"(?ms)^units:.*?^objectives:", "units: []\nobjectives:", path.read_text()))
    assert invoke("map", path).exit_code == 0 and "|\n    QQQQ" in path.read_text()


# ---------------------------------------------------------------- 9. editor underlays


def _png_header(width: int, height: int) -> bytes:
    """A PNG's signature and IHDR chunk: enough for the size check, no pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))


def test_a_huge_png_is_refused_before_decoding(tmp_path: Path) -> None:
    from nomonhan.editor.underlay import read_png

    path = tmp_path / "huge.png"
    path.write_bytes(_png_header(40000, 40000) + b"\x00" * 100)
    with pytest.raises(ValueError, match="40000 x 40000 pixels"):
        read_png(path)
    path.write_bytes(b"GIF89a not a png at all, but long enough")
    with pytest.raises(ValueError, match="not a PNG image"):
        read_png(path)
    with pytest.raises(ValueError, match="this is a device"):
        read_png(Path("/dev/zero"))


@pytest.mark.parametrize(
    ("settings", "fragment"),
    [
        ({"left": 1e300, "top": 0, "scale": 0.05}, "placement is out of range"),
        ({"left": 0, "top": 0, "scale": 0}, "placement is out of range"),
        ({"left": "0", "top": 0, "scale": 0.05}, "'left' is not a finite number"),
        ({"left": 0, "top": 0}, "'scale' is not a finite number"),
        ([1, 2], "not an object naming an 'image'"),
    ],
)
def test_a_hostile_underlay_sidecar_is_refused(tmp_path: Path, settings: object, fragment: str) -> None:
    import pygame

    from nomonhan.editor.underlay import Underlay

    pygame.image.save(pygame.Surface((4, 3)), str(tmp_path / "scan.png"))
    if isinstance(settings, dict):
        settings = {"image": "scan.png", **settings}
    (tmp_path / "map.underlay.json").write_text(json.dumps(settings), encoding="utf-8")
    with pytest.raises(ValueError, match="cannot restore the underlay") as caught:
        Underlay.restore(tmp_path / "map.yaml")
    assert fragment in str(caught.value)


# ---------------------------------------------------------------- 2. what validate refuses, nothing plays


@pytest.mark.parametrize("path", sorted((TESTS / "data" / "broken").glob("*.yaml")), ids=lambda p: p.stem)
def test_run_and_batch_refuse_what_validate_refuses(path: Path, tmp_path: Path) -> None:
    """One validator: run and batch report exactly the lines validate reports, and play nothing."""
    expected = invoke("validate", path)
    assert expected.exit_code == 1
    for args in (["run", path], ["batch", path, "--runs", "1", "--workers", "1", "--out", tmp_path / "out.json"]):
        result = invoke(*args)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert result.stderr == expected.stderr
    assert not (tmp_path / "out.json").exists()


# ---------------------------------------------------------------- 4. limits and 9. smaller misuses


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--size", "100000x100000"], "--size: a map has 2 to 80 columns and 2 to 80 rows"),
        (["--size", "\uff13x3"], "--size takes COLSxROWS"),
        (["--hex-km", "nan"], "map.hex_km: must be a finite number"),
    ],
)
def test_new_checks_its_options_first(tmp_path: Path, args: list[str], fragment: str) -> None:
    assert_refused(invoke("new", "big", "--out", tmp_path / "big.yaml", *args), fragment)
    assert not (tmp_path / "big.yaml").exists()


@pytest.mark.parametrize("seed", ["-1", str(2**64)])
def test_run_refuses_seeds_a_record_cannot_hold(seed: str) -> None:
    result = invoke("run", CROSSING, "--seed", seed)
    assert result.exit_code == 2 and "Invalid value for '--seed'" in flat(result.output)


def _crossing_with(old: str, new: str) -> str:
    text = CROSSING.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def _grid(columns: int, rows: int) -> str:
    return "  terrain: |\n" + "".join(f"    {'.' * columns}\n" for _ in range(rows))


def _crossing_grid() -> str:
    text = CROSSING.read_text(encoding="utf-8")
    start = text.index("  terrain: |\n")
    return text[start : text.index("  hexside_lines:")]


UNIT = "  - {{id: x-{0}, name: Extra {0}, type: rifle_bn, side: soviet, hex: '{1},{2}', source: test}}\n"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda: _crossing_with(_crossing_grid(), _grid(81, 8)), "the map may be at most 80 x 80 hexes"),
        (lambda: _crossing_with(_crossing_grid(), _grid(10, 400)), "the map may be at most 80 x 80 hexes"),
        (
            lambda: _crossing_with("special_rules:", "".join(UNIT.format(i, 9, i % 8) for i in range(95)) + "special_rules:"),
            "units: may have at most 100 items, has 101",
        ),
        (lambda: _crossing_with("last_turn: 4", "last_turn: 101"), "period.last_turn: must be at most 100, got 101"),
        (lambda: _crossing_with("title: Test crossing", "title: " + "T" * 4_000_000), "larger than 1,000,000 bytes"),
        (lambda: _crossing_with("title: Test crossing", "title: " + "T" * 1001), "title: may have at most 1000 characters, has 1001"),
        (
            lambda: _crossing_with("objectives:", "sources: {" + ",\n  ".join(f"k{i}: v" for i in range(12_000)) + "}\nobjectives:"),
            "more than 20,000 values",
        ),
        (lambda: _crossing_with("  hex_km: 1.0", "  hex_km: .nan"), "map.hex_km: must be a finite number"),
        (lambda: _crossing_with("  hex_km: 1.0", "  hex_km: 1e-300"), "map.hex_km: must be at least 0.01"),
    ],
    ids=["columns", "rows", "units", "turns", "4 MB title", "long title", "flow mapping", "NaN hex_km", "tiny hex_km"],
)
def test_scenario_over_a_limit_is_refused_clearly(tmp_path: Path, change, fragment: str) -> None:
    path = tmp_path / "over.yaml"
    path.write_text(change(), encoding="utf-8")
    assert_refused(invoke("validate", path), fragment)


def test_a_scenario_at_the_limits_validates(tmp_path: Path) -> None:
    """The limits agree with each other: the biggest map with the most units and turns is valid."""
    text = _crossing_with(_crossing_grid(), _grid(80, 80))
    text = text.replace("last_turn: 4", "last_turn: 100")
    extra = "".join(UNIT.format(i, 20 + i % 40, 10 + i // 40) for i in range(94))
    path = tmp_path / "limits.yaml"
    path.write_text(text.replace("special_rules:", extra + "special_rules:"), encoding="utf-8")
    result = invoke("validate", path)
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- fuzz of record files

from hypothesis import HealthCheck, event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

GOLDEN_RECORD = json.loads(GOLDEN_CROSSING.read_text(encoding="utf-8"))
RECORD_FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)
verbs = st.sampled_from(["move", "attack", "bombard", "air", "end", "hold", "retreat", "advance", "fly"])
arguments = st.sampled_from(
    [
        "with",
        "overrun",
        "j-1",
        "s-1",
        "j-2,j-tank",
        "j-1,j-1",
        "3,3",
        "8,3",
        "2,5",
        "99,99",
        "-1,0",
        "interdict",
        "superiority",
        "support",
        "",
        "\x00",
    ]
)
action_texts = st.builds(lambda verb, args: " ".join([verb, *args]), verbs, st.lists(arguments, max_size=4))


@st.composite
def tampered_records(draw: st.DrawFn) -> dict:
    """The crossing golden record with fields replaced, dropped or added and actions rewritten."""
    record = dict(GOLDEN_RECORD, scenario=str(CROSSING))
    for key in draw(st.lists(st.sampled_from(sorted(record) + ["extra"]), max_size=3)):
        if draw(st.booleans()):
            record[key] = draw(json_values)
        else:
            record.pop(key, None)
    if isinstance(record.get("actions"), list) and draw(st.booleans()):
        actions = list(record["actions"])
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(actions)))
            actions[at : at + draw(st.integers(0, 1))] = [draw(action_texts)]
        record["actions"] = actions
    return record


def _replay_or_refuse(path: Path) -> None:
    from nomonhan.scenario.errors import ScenarioError

    try:
        load_game(path)
    except (RecordError, ScenarioError) as exc:
        assert len(str(exc)) < 2000
        event(f"refused: {str(exc).split(': ', 1)[-1][:30]}")
    else:
        event("replayed")


@RECORD_FUZZ
@given(record=tampered_records())
def test_fuzz_tampered_records_only_raise_record_errors(tmp_path: Path, record: dict) -> None:
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    _replay_or_refuse(path)


@settings(RECORD_FUZZ, max_examples=50)
@given(cut=st.integers(0, 2000), junk=st.binary(max_size=20))
def test_fuzz_damaged_record_bytes_only_raise_record_errors(tmp_path: Path, cut: int, junk: bytes) -> None:
    text = json.dumps(dict(GOLDEN_RECORD, scenario=str(CROSSING))).encode()
    path = tmp_path / "damaged.json"
    path.write_bytes(text[:cut] + junk + text[cut + len(junk) :])
    _replay_or_refuse(path)
