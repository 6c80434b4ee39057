"""The ``nomonhan`` command line: exit codes, machine-readable output, and clean error lines."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import crossing_with_history
from typer.testing import CliRunner

from nomonhan.cli import app
from nomonhan.scenario.errors import ScenarioError
from nomonhan.scenario.load import validate_scenario

TESTS = Path(__file__).parent
CROSSING = TESTS / "data" / "crossing.yaml"
BROKEN = TESTS / "data" / "broken"
CONSOLE_SCRIPT = Path(sys.executable).parent / "nomonhan"
COMMANDS = ("play", "run", "batch", "sweep", "replay", "report", "validate", "schema", "scenarios", "new", "edit")
PROBLEM_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<field>\S+): (?P<message>.+)$")
SUMMARY_KEYS = {
    "scenario",
    "seed",
    "players",
    "winner",
    "level",
    "turns_played",
    "final_date",
    "losses",
    "victory_points",
    "digest",
    "version",
    "scenario_hash",
    "rules_hash",
}

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def expected_problems(path: Path) -> list[str]:
    """What nomonhan.validate says about a broken file, one line per problem."""
    try:
        problems = validate_scenario(str(path))
    except ScenarioError as exc:
        problems = exc.problems
    assert problems, path
    return [str(p) for p in problems]


def assert_clean(result) -> None:
    """Ended by the command itself (an exit code), not by an exception; and no traceback printed."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def flat(text: str) -> str:
    """Text with runs of whitespace (line breaks included) made single spaces, for wording checks."""
    return " ".join(text.split())


def run_json(*args: str) -> dict:
    result = invoke("run", str(CROSSING), "--out", "-", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ------------------------------------------------------------ help and the console script


def test_help_lists_every_command() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert re.search(rf"^\W*{command}\b", result.output, re.MULTILINE), (command, result.output)


def test_no_arguments_shows_help() -> None:
    result = invoke()
    assert "validate" in result.output
    assert_clean(result)


def test_console_script_is_installed() -> None:
    assert CONSOLE_SCRIPT.exists(), CONSOLE_SCRIPT
    done = subprocess.run([str(CONSOLE_SCRIPT), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    for command in COMMANDS:
        assert command in done.stdout


def test_console_script_prints_each_problem_on_one_line() -> None:
    # Through a pipe (as an editor or CI reads it): each problem is one whole line on stderr.
    path = BROKEN / "unknown_border_in_rule.yaml"
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    done = subprocess.run([str(CONSOLE_SCRIPT), "validate", str(path)], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    for expected in expected_problems(path):
        assert expected in lines, done.stderr
    assert "Traceback" not in done.stderr + done.stdout


# ------------------------------------------------------------ validate


def test_validate_valid_file_exits_0() -> None:
    result = invoke("validate", CROSSING)
    assert result.exit_code == 0, result.output
    assert f"{CROSSING}: valid" in result.stdout


@pytest.mark.parametrize("name", ["unknown_terrain_code", "unknown_border_in_rule", "yaml_syntax", "python_tag", "stacking_exceeded"])
def test_validate_broken_file_exits_1_with_problem_lines(name: str) -> None:
    path = BROKEN / f"{name}.yaml"
    result = invoke("validate", path)
    assert result.exit_code == 1, result.output
    assert_clean(result)
    lines = result.stderr.splitlines()
    matched = [m for m in map(PROBLEM_LINE.match, lines) if m]
    assert matched, result.stderr
    assert all(m["path"] == str(path) for m in matched)
    # Each problem is printed whole, on its own line, exactly as the loader words it.
    for expected in expected_problems(path):
        assert expected in lines, result.stderr
    assert f"{path}: valid" not in result.stdout


def test_validate_several_files_reports_each() -> None:
    broken = [BROKEN / "unknown_side.yaml", BROKEN / "negative_number.yaml", BROKEN / "stacking_exceeded.yaml"]
    result = invoke("validate", CROSSING, *broken)
    assert result.exit_code == 1, result.output
    assert f"{CROSSING}: valid" in result.stdout
    reported = {m["path"] for m in map(PROBLEM_LINE.match, result.stderr.splitlines()) if m}
    assert reported == {str(p) for p in broken}, result.stderr
    assert_clean(result)


def test_validate_binary_and_missing_files(tmp_path: Path) -> None:
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"format_version: 1\n\x00\x01\x02")
    missing = tmp_path / "missing.yaml"
    result = invoke("validate", binary, missing)
    assert result.exit_code == 1
    assert f"{binary}:1:1: (file): this is a binary file" in flat(result.stderr)
    assert f"{missing}:1:1: (file): no such file" in flat(result.stderr)
    assert_clean(result)


def test_validate_reads_calibration_targets_files(tmp_path: Path) -> None:
    """A targets file is checked as targets (its fields, then its names against its scenario),
    not refused as a scenario missing every scenario field."""
    bundled = Path(__file__).parents[1] / "scenarios" / "targets"
    result = invoke("validate", *sorted(bundled.glob("*.yaml")))
    assert result.exit_code == 0, result.output
    assert result.stdout.count(": valid") == 3
    text = (bundled / "khalkhin-gol-1939.yaml").read_text()
    typo = tmp_path / "typo.yaml"
    typo.write_text(text.replace("jp-64, jp-26]", "jp-64, jp-99]", 1))
    result = invoke("validate", typo)
    assert result.exit_code == 1
    (problem,) = [m for m in map(PROBLEM_LINE.match, result.stderr.splitlines()) if m]
    assert problem["message"].endswith("unknown unit 'jp-99'") and problem["field"].startswith("targets.")
    assert text.splitlines()[int(problem["line"]) - 1].strip().endswith("jp-26]")
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text(text.replace("scenario: khalkhin-gol-1939", "scenario: nowhere", 1))
    result = invoke("validate", unknown)
    assert result.exit_code == 0, result.output
    assert "scenario: warning: no scenario 'nowhere'" in flat(result.stderr)
    assert_clean(result)


# ------------------------------------------------------------ schema and scenarios


def test_schema_is_json_with_units_and_map() -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"units", "map"} <= set(schema["properties"])


def test_rules_schema_is_json_with_terrain() -> None:
    result = invoke("schema", "--rules")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert "terrain" in schema["properties"]
    assert "units" not in schema["properties"]


def test_scenarios_json_is_a_list() -> None:
    from nomonhan.resources import bundled_scenario_paths

    result = invoke("scenarios", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    assert len(rows) == len(bundled_scenario_paths())
    for row in rows:
        assert {"id", "title", "start", "end", "turns", "sides"} <= set(row)


# ------------------------------------------------------------ run and replay


def test_run_prints_the_summary_as_json() -> None:
    result = run_json("--seed", "3")
    assert set(result) >= SUMMARY_KEYS, sorted(SUMMARY_KEYS - set(result))
    assert result["scenario"] == "crossing"
    assert result["seed"] == 3
    assert set(result["players"]) == {"soviet", "japanese"}
    assert set(result["losses"]) == {"soviet", "japanese"}
    for lost in result["losses"].values():
        assert set(lost) == {"men", "killed", "wounded", "missing", "tanks", "tanks_recovered", "armoured_cars", "guns", "steps"}
        assert all(isinstance(v, int) and v >= 0 for v in lost.values())
    assert set(result["victory_points"]) == {"soviet", "japanese"}
    assert 1 <= result["turns_played"] <= 4
    assert result["winner"] in (None, "soviet", "japanese", "draw")
    assert re.fullmatch(r"[0-9a-f]{64}", result["digest"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", result["final_date"])


def test_run_is_reproducible_from_its_seed() -> None:
    first = run_json("--seed", "3")
    again = run_json("--seed", "3")
    assert first["digest"] == again["digest"]
    assert first == again
    digests = {run_json("--seed", str(seed))["digest"] for seed in (1, 2, 4, 5)} | {first["digest"]}
    assert len(digests) > 1


def test_run_out_writes_a_file_and_prints_a_table(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    result = invoke("run", CROSSING, "--seed", "3", "--out", out)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["digest"] == run_json("--seed", "3")["digest"]
    assert "digest" in result.stdout


def test_record_then_replay(tmp_path: Path) -> None:
    record = tmp_path / "game.json"
    result = invoke("run", CROSSING, "--seed", "7", "--record", record)
    assert result.exit_code == 0, result.output
    data = json.loads(record.read_text())
    assert data["seed"] == 7
    assert data["digest"] == run_json("--seed", "7")["digest"]
    replayed = invoke("replay", record)
    assert replayed.exit_code == 0, replayed.output
    assert "matches" in replayed.stdout


def test_tampered_record_fails_replay_cleanly(tmp_path: Path) -> None:
    record = tmp_path / "game.json"
    assert invoke("run", CROSSING, "--seed", "7", "--record", record).exit_code == 0
    data = json.loads(record.read_text())
    data["digest"] = ("0" if data["digest"][0] != "0" else "1") * 64
    record.write_text(json.dumps(data))
    result = invoke("replay", record)
    assert result.exit_code == 1
    assert "replay ends in a different state" in flat(result.stderr)
    assert str(record) in flat(result.stderr)
    assert_clean(result)


def test_replay_of_a_non_record_fails_cleanly(tmp_path: Path) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text("this is not json")
    result = invoke("replay", junk)
    assert result.exit_code == 1
    assert "not a Nomonhan game record" in flat(result.stderr)
    assert_clean(result)
    missing = invoke("replay", tmp_path / "missing.json")
    assert missing.exit_code == 1 and "missing.json: no such file" in flat(missing.stderr)


@pytest.mark.parametrize("players", [["soviet", "human"], "human", {"soviet": ["human"]}])
def test_play_load_of_a_record_with_bad_players_fails_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, players) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")  # the record is read before any window opens
    record = tmp_path / "game.json"
    assert invoke("run", CROSSING, "--seed", "7", "--record", record).exit_code == 0
    record.write_text(json.dumps({**json.loads(record.read_text()), "players": players}))
    result = invoke("play", "--load", record)
    assert result.exit_code == 1
    assert f"{record}: field 'players' must map each side to a player kind" in flat(result.stderr)
    assert_clean(result)


@pytest.mark.parametrize(
    ("spec", "message"),
    [("nosuch=random", "unknown side"), ("soviet=nosuch", "unknown player kind 'nosuch'"), ("soviet", "SIDE=KIND")],
)
def test_run_with_a_bad_player_exits_1_cleanly(spec: str, message: str) -> None:
    result = invoke("run", CROSSING, "--player", spec)
    assert result.exit_code == 1
    assert message in flat(result.stderr)
    assert_clean(result)


def test_run_on_a_broken_scenario_exits_1_cleanly() -> None:
    path = BROKEN / "unit_on_lake.yaml"
    result = invoke("run", path)
    assert result.exit_code == 1
    assert_clean(result)
    for expected in expected_problems(path):
        assert expected in result.stderr.splitlines(), result.stderr


# ------------------------------------------------------------ play and the unbuilt commands


def test_play_without_a_display_points_to_run(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "SDL_VIDEODRIVER", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    result = invoke("play", CROSSING)
    assert result.exit_code != 0
    assert "nomonhan run" in flat(result.output)
    assert_clean(result)


def test_batch_runs_games_and_writes_json_and_csv(tmp_path: Path) -> None:
    out, csv = tmp_path / "batch.json", tmp_path / "batch.csv"
    result = invoke("batch", CROSSING, "--runs", "4", "--workers", "1", "--out", out, "--csv", csv, "--player", "soviet=random")
    assert result.exit_code == 0, result.output
    assert_clean(result)
    data = json.loads(out.read_text())
    assert [g["seed"] for g in data["games"]] == [0, 1, 2, 3]
    assert all(g["winner"] in ("soviet", "japanese", "draw") and len(g["digest"]) == 64 for g in data["games"])
    assert data["players"] == {"soviet": "random", "japanese": "heuristic"}
    assert len(csv.read_text().strip().splitlines()) == 5


def test_run_prints_the_scope_of_every_historical_figure(tmp_path: Path) -> None:
    path = crossing_with_history(tmp_path)
    result = invoke("run", path, "--seed", "3")
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "soviet against history [whole campaign, May-September 1939; the game: 2 Jul - 4 Jul 1939]: men lost (gross)" in text
    assert "(history 5000-6000); tanks lost (gross) 0 (history 40); armoured_cars lost (gross)" in text
    assert "japanese against history [the scenario's dates, 2 Jul - 4 Jul 1939]: men lost (gross)" in text
    assert "net lost men" in text and "net losses: men, tanks, armoured cars, guns and steps still missing at the end" in text
    run = json.loads(invoke("run", path, "--seed", "3", "--out", "-").stdout)
    for side, entry in run["history"].items():  # the figure labelled gross is the gross loss, the table's net one the net
        assert f"men lost (gross) {entry['men']['game']} " in text and entry["men"]["game"] == run["losses_gross"][side]["men"]
    history = json.loads(invoke("run", path, "--seed", "3", "--out", "-").stdout)["history"]
    assert history["soviet"]["scope"] == "whole campaign, May-September 1939; the game: 2 Jul - 4 Jul 1939"
    assert history["japanese"]["scope"] == "the scenario's dates, 2 Jul - 4 Jul 1939"


def test_batch_prints_and_saves_the_scope_of_every_historical_figure(tmp_path: Path) -> None:
    out = tmp_path / "batch.json"
    result = invoke("batch", crossing_with_history(tmp_path), "--runs", "1", "--workers", "1", "--out", out)
    assert result.exit_code == 0, result.output
    text = flat(result.stdout)
    assert "700 - 900 (1)" in text and "5,000 - 6,000 (2)" in text and "40 (2)" in text  # the crossing's Japanese move first
    assert "(1) japanese historical figures: the scenario's dates, 2 Jul - 4 Jul 1939" in text
    assert "(2) soviet historical figures: whole campaign, May-September 1939; the game: 2 Jul - 4 Jul 1939" in text
    historical = json.loads(out.read_text())["summary"]["historical"]
    assert historical == {
        "soviet": {
            "men": [5000, 6000],
            "tanks": [40, 40],
            "armoured_cars": [30, 40],
            "scope": "whole campaign, May-September 1939; the game: 2 Jul - 4 Jul 1939",
        },
        "japanese": {"men": [700, 900], "scope": "the scenario's dates, 2 Jul - 4 Jul 1939"},
    }


@pytest.mark.parametrize(
    "options, hint",
    [
        ([], "nomonhan run khalkhin-gol-1939"),
        (["bain-tsagan-1939"], "nomonhan run bain-tsagan-1939"),
        (["--load", "saves/mine.json"], "nomonhan replay saves/mine.json"),
        (["--replay", "game.json"], "nomonhan replay game.json"),
    ],
)
def test_play_without_a_display_suggests_the_headless_command_for_what_was_asked(
    options: list[str], hint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    result = invoke("play", *options)
    assert result.exit_code == 2 and f"run: {hint}" in flat(result.output)


@pytest.mark.parametrize("command", ["play", "edit"])
def test_window_commands_without_a_display_say_so(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    result = invoke(command)
    assert result.exit_code == 2
    assert "No display found" in flat(result.output)
    assert_clean(result)


def test_new_writes_a_valid_skeleton_and_keeps_existing_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `new` was 'not built yet' (exit 3) at first; now it writes a scenario that validates.
    monkeypatch.chdir(tmp_path)
    result = invoke("new", "my-scenario", "--size", "12x9")
    assert result.exit_code == 0, result.output
    assert_clean(result)
    written = tmp_path / "my-scenario.yaml"
    assert written.is_file()
    assert [str(p) for p in validate_scenario(written) if p.severity == "error"] == []
    assert invoke("validate", written).exit_code == 0
    before = written.read_bytes()
    again = invoke("new", "my-scenario")
    assert again.exit_code == 1
    assert "exists" in flat(again.stderr) and "--force" in flat(again.stderr)
    assert_clean(again)
    assert written.read_bytes() == before
    bad = invoke("new", "other", "--size", "twelve")
    assert bad.exit_code == 1 and "COLSxROWS" in flat(bad.stderr)
    assert_clean(bad)
    assert not (tmp_path / "other.yaml").exists()


def test_run_writes_a_turn_by_turn_account_and_the_end_of_the_last_turn(tmp_path):
    """`run --log`: a readable account (each action and what it did) or JSON lines; the summary's
    final date is the end of the last turn (crossing: 4 turns of 12 hours from 2 July 06:00)."""
    text, lines = tmp_path / "game.txt", tmp_path / "game.jsonl"
    out = tmp_path / "result.json"
    for log in (text, lines):
        result = runner.invoke(app, ["run", str(CROSSING), "--seed", "7", "--log", str(log), "--out", str(out)])
        assert result.exit_code == 0, result.output
    account = text.read_text().splitlines()
    assert account[0].startswith("Turn 1: 2 Jul 1939 06:00") and any(line.startswith("Turn 4:") for line in account)
    assert any(line.startswith("  japanese: move ") for line in account)
    # where every unit stands and who holds each objective as each turn begins, and the moment it changes hands
    assert account[1:3] == [
        "    japanese: j-1 1,1 (2 steps); j-2 2,5 (2 steps); j-tank 1,3 (2 steps)",
        "    soviet: s-1 8,2 (2 steps); s-2 8,6 (2 steps)",
    ]
    assert account[3] == "    objectives: Bridge (4,5) soviet"
    assert sum(line == "    objectives: Bridge (4,5) japanese" for line in account) == 3  # turns 2, 3 and 4
    assert "      Bridge (4,5) changes hands: soviet -> japanese" in account
    records = [json.loads(line) for line in lines.read_text().splitlines()]
    assert records[0]["action"] == 1 and records[0]["events"][0]["event"] == "UnitMoved"
    assert records[0]["positions"]["j-1"] == {"hex": "1,1", "steps": 2, "out_of_supply": 0} and records[0]["holders"] == {
        "Bridge": "soviet"
    }
    assert [r["changes_hands"] for r in records if "changes_hands" in r][0] == [{"objective": "Bridge", "from": "soviet", "to": "japanese"}]
    assert sum("positions" in r for r in records) == 4
    assert len(records) == json.loads(out.read_text())["actions"]
    assert json.loads(out.read_text())["final_date"] == "1939-07-04T06:00"


def test_the_run_summary_wraps_rather_than_cuts_on_an_80_column_terminal():
    result = runner.invoke(app, ["run", str(CROSSING), "--seed", "7"], env={"COLUMNS": "80"})
    assert result.exit_code == 0 and "…" not in result.output
    assert "heuristic" in result.output.replace("\n", "").replace("│", "").replace(" ", "")


def test_map_without_a_georeference_says_so(tmp_path: Path) -> None:
    """A map.build recipe cannot be drawn without knowing where hex 0,0 lies on the earth."""
    bundled = Path(__file__).resolve().parent.parent / "scenarios" / "bain-tsagan-1939.yaml"
    text = "".join(line for line in bundled.read_text(encoding="utf-8").splitlines(keepends=True) if "georeference:" not in line)
    path = tmp_path / "no-georeference.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("map", path)
    assert_clean(result)
    assert result.exit_code == 1
    assert "map.build needs map.georeference" in flat(result.output)


def test_run_reports_gross_losses_beside_net_ones(tmp_path):
    """Steps lost and then recovered count in the gross losses (as history counts wounded who
    returned), not in the net ones; the run JSON gives both (issue 14/18)."""
    out = tmp_path / "result.json"
    result = runner.invoke(app, ["run", "lake-khasan-1938", "--seed", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(out.read_text())
    for side, net in summary["losses"].items():
        gross = summary["losses_gross"][side]
        assert all(gross[kind] >= net[kind] for kind in net)
    assert any(summary["losses_gross"][s]["steps"] > summary["losses"][s]["steps"] for s in summary["losses"]), (
        "no step came back in this game"
    )


def test_per_turn_results_tell_who_held_what_and_who_was_cut_off(tmp_path):
    """The run JSON's per_turn rows carry each objective's holder and the units cut off from
    supply after each turn (issue 15: the story read from results)."""
    out = tmp_path / "result.json"
    assert runner.invoke(app, ["run", "khalkhin-gol-1939", "--seed", "2", "--out", str(out)]).exit_code == 0
    rows = json.loads(out.read_text())["per_turn"]
    from nomonhan.scenario.load import load_scenario

    names = {o.name for o in load_scenario("khalkhin-gol-1939").model.objectives}
    assert all(set(row["holders"]) == names and set(row["cut_off"]) == {"soviet", "japanese"} for row in rows)
    assert any(row["cut_off"]["japanese"] for row in rows)  # the pocket closes at some point
    for row in rows:  # each unit cut off is in a stage (and Japanese units short of water too)
        assert all(set(row["cut_off"][side]) <= set(row["supply_stages"][side]) for side in row["cut_off"])
    first_cut = next(row for row in rows if row["cut_off"]["japanese"])
    assert {first_cut["supply_stages"]["japanese"][unit] for unit in first_cut["cut_off"]["japanese"]} == {"no recovery"}
    assert rows[0]["supply_stages"]["japanese"] and not rows[0]["cut_off"]["japanese"]  # the heights have no wells
    assert rows[-1]["holders"] != rows[0]["holders"]  # objectives change hands


def test_file_names_and_values_are_echoed_as_typed_not_as_markup_or_emoji(tmp_path: Path) -> None:
    named = tmp_path / "[red]x:smile:.yaml"
    named.write_bytes(CROSSING.read_bytes())
    result = CliRunner().invoke(app, ["validate", str(named)])
    assert result.exit_code == 0 and f"{named}: valid" in result.output, result.output
    result = CliRunner().invoke(app, ["sweep", str(CROSSING), "--vary", "x=a:b", "--out", str(tmp_path / "sweep")])
    assert result.exit_code == 1 and "--vary x=a:b: 'a' is not a number" in result.output, result.output
