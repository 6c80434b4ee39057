"""``nomonhan sweep``: parameters, plans, common random numbers, outputs, interruption and resume."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nomonhan.cli import app
from nomonhan.scenario.variants import Variant
from nomonhan.sim import sweep
from nomonhan.sim.sweep import Parameter, SweepError, plan_points

CROSSING = Path(__file__).parent / "data" / "crossing.yaml"
CONSOLE_SCRIPT = Path(sys.executable).parent / "nomonhan"
POINTS_VARY = "objectives[name=Bridge].points=0:10"
FACTOR_VARY = "rules.unit_types[id=rifle_bn].attack*=0.5:2:2"
runner = CliRunner()


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def sweep_args(out: Path, *extra: object) -> list[object]:
    return ["sweep", CROSSING, "--vary", POINTS_VARY, "--vary", FACTOR_VARY, "--runs-per-point", 2, "--workers", 1, "--out", out, *extra]


def small_sweep_args(out: Path, *extra: object) -> list[object]:
    """Three points of three games: scenario values only, the quickest variants to load."""
    return ["sweep", CROSSING, "--vary", POINTS_VARY, "--runs-per-point", 3, "--workers", 1, "--out", out, "--no-plots", *extra]


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_parameter_spaces_its_values_and_keeps_integers_whole() -> None:
    assert Parameter.parse("units[id=a].steps=1:4").values() == [1, 3, 4]  # three steps by default, 2.5 rounded up
    assert Parameter.parse("units[id=a].steps=1:4:4").values() == [1, 2, 3, 4]
    assert Parameter.parse("units[id=a].steps=1:2:5").values() == [1, 2]  # rounded, no repeats
    factor = Parameter.parse("air[side=soviet].points*=0.5:1.5")
    assert factor.scale and factor.name == "air[side=soviet].points*" and factor.values() == [0.5, 1.0, 1.5]
    assert factor.change(0.5) == "air[side=soviet].points*=0.5"
    assert Parameter.parse("x=0.0:1:4").values() == [0.0, 0.333333, 0.666667, 1.0]  # a decimal point: not integers


@pytest.mark.parametrize(
    "spec, message",
    [
        ("x=2:1", "above HIGH"),
        ("x=1:2:1", "from 2 to 1000"),
        ("x=a:2", "not a number"),
        ("x=1", "LOW:HIGH"),
        ("x*=-1:2", "negative"),
        ("x=1:5:\u00b3", "STEPS must be a whole number from 2 to 1000, not '\u00b3'"),
        ("x=1:5:" + "9" * 5000, r"--vary takes at most 1,000 characters \(a path and numbers\), not 5,006"),
    ],
)
def test_a_bad_vary_says_why(spec: str, message: str) -> None:
    with pytest.raises(SweepError, match=message):
        Parameter.parse(spec)


def test_plans_of_each_method() -> None:
    a, b = Parameter.parse("objectives[0].points=0:10"), Parameter.parse("objectives[0].points_per_turn=0:2")
    base = Variant.create(CROSSING)
    grid = plan_points("grid", [a, b], base, sweep.design("grid", [a, b], 0, 0))
    assert len(grid) == 9 and grid[4].values == {a.name: 5, b.name: 1}
    oat = plan_points("oat", [a, b], base, [])
    assert oat[0].values == {a.name: None, b.name: None} and oat[0].ref == str(CROSSING)
    assert [p.values for p in oat[1:4]] == [{a.name: v, b.name: None} for v in (0, 5, 10)]
    morris = sweep.design("morris", [a, b], 3, 0)
    assert len(morris) == 3 * 3 and morris == sweep.design("morris", [a, b], 3, 0)  # the sample is seeded
    assert len(sweep.design("sobol", [a, b], 4, 0)) == 4 * 4
    with pytest.raises(SweepError, match="power of two"):
        sweep.design("sobol", [a, b], 6, 0)


@pytest.mark.parametrize(("method", "samples", "runs"), [("sobol", 2**40, 1), ("morris", 99_999_999_999, 1), ("sobol", 2**17, 2)])
def test_a_sample_past_the_game_limit_is_refused_before_salib_builds_it(method: str, samples: int, runs: int) -> None:
    a, b = Parameter.parse("objectives[0].points=0:10"), Parameter.parse("objectives[0].points_per_turn=0:2")
    with pytest.raises(SweepError, match=rf"--samples {samples} gives [\d,]+ points at {runs} games each, more than 1,000,000"):
        sweep.design(method, [a, b], samples, 0, runs)


def test_a_plan_whose_references_pass_the_plan_limit_is_refused_before_they_are_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    overlay = tmp_path / "big.yaml"
    overlay.write_text("# " + "x" * 5_000 + "\nname: A big overlay\n", encoding="utf-8")
    base = Variant.create(CROSSING, overlays=[overlay])
    points = Parameter.parse("objectives[0].points=0:10:5")
    monkeypatch.setattr(sweep, "MAX_PLAN_BYTES", 35_000)
    assert len(plan_points("oat", [points], base, [])) == 6  # 6 x 5.2 kB fits
    with pytest.raises(SweepError, match=r"7 points would each carry the base variant's 5,\d{3}-byte reference .* 35,000 bytes"):
        plan_points("oat", [Parameter.parse("objectives[0].points=0:10:6")], base, [])


def test_a_grid_sweep_end_to_end_with_common_random_numbers(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    result = invoke(*sweep_args(out))
    assert result.exit_code == 0, result.output
    games = read_csv(out / "games.csv")
    assert len(games) == 6 * 2
    assert {g[POINTS_VARY.split("=0")[0]] for g in games} == {"0", "5", "10"}
    seeds: dict[str, list[str]] = {}
    for game in games:
        seeds.setdefault(game["point"], []).append(game["seed"])
    assert all(s == ["0", "1"] for s in seeds.values()) and len(seeds) == 6
    points = read_csv(out / "points.csv")
    assert len(points) == 6 and {"soviet_win_ci95_low", "japanese_men_gross_median", "turns_median", "scenario_hash"} <= set(points[0])
    assert len({(p["scenario_hash"], p["rules_hash"]) for p in points}) == 6
    summary = json.loads((out / "points.json").read_text())
    assert summary["points"][0]["wins"]["japanese"]["ci95"]
    assert (out / "win-rate.png").stat().st_size > 0 and (out / "win-rate-map.png").stat().st_size > 0
    assert not (out / "tornado.png").exists() and not (out / "indices.json").exists()  # oat only; morris and sobol only


def test_common_random_numbers_make_equal_variants_play_the_same_games(tmp_path: Path) -> None:
    """The oat sweep's base point and the point whose value is the file's own (5) differ only in
    their text: on the same seeds they must play exactly the same games."""
    out = tmp_path / "oat"
    result = invoke(
        "sweep",
        CROSSING,
        "--vary",
        "objectives[name=Bridge].points=4:6",
        "--method",
        "oat",
        "--runs-per-point",
        3,
        "--workers",
        1,
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    log = [json.loads(line) for line in (out / "games.jsonl").read_text().splitlines()]
    base = [g for g in log if g["point"] == 0]
    same = [g for g in log if g["point"] == 2]  # points=5, as in the file
    assert [(g["seed"], g["actions"], g["winner"], g["victory_points"]) for g in base] == [
        (g["seed"], g["actions"], g["winner"], g["victory_points"]) for g in same
    ]
    assert (out / "tornado.png").stat().st_size > 0


def test_a_morris_sweep_reports_salib_indices(tmp_path: Path) -> None:
    out = tmp_path / "morris"
    result = invoke(*sweep_args(out, "--method", "morris", "--samples", 2))
    assert result.exit_code == 0, result.output
    indices = json.loads((out / "indices.json").read_text())
    assert indices["method"] == "morris"
    assert set(indices["outputs"]) == {
        f"{side} {output}" for side in ("soviet", "japanese") for output in ("win rate", "men lost, gross (mean)")
    }
    win = indices["outputs"]["japanese win rate"]
    assert set(win) == {"objectives[name=Bridge].points", "rules.unit_types[id=rifle_bn].attack*"}
    assert win["objectives[name=Bridge].points"]["mu_star"] > 0  # the bridge worth nothing: a draw, not a Japanese win
    assert win["rules.unit_types[id=rifle_bn].attack*"]["mu_star"] == 0  # no attack is made in these games
    assert len(read_csv(out / "indices.csv")) == 4 * 2
    assert (out / "indices.png").stat().st_size > 0


def test_an_interrupted_sweep_keeps_its_games_and_resume_plays_only_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "sweep"
    real = sweep.play_point
    played: list[tuple[int, int]] = []

    def ctrl_c_at_the_fifth(task, kinds):
        if len(played) == 4:
            raise KeyboardInterrupt
        played.append((task[0], task[3]))
        return real(task, kinds)

    monkeypatch.setattr(sweep, "play_point", ctrl_c_at_the_fifth)
    result = invoke(*small_sweep_args(out))
    assert result.exit_code == 130 and "--resume" in result.output
    assert len((out / "games.jsonl").read_text().splitlines()) == 4
    assert len(read_csv(out / "games.csv")) == 4  # what finished is summarised

    with open(out / "games.jsonl", "a") as log:
        log.write('{"point": 2, "cut short by a ki')  # a kill in the middle of a line
    again: list[tuple[int, int]] = []
    monkeypatch.setattr(sweep, "play_point", lambda task, kinds: again.append((task[0], task[3])) or real(task, kinds))
    assert invoke(*small_sweep_args(out)).exit_code == 1  # without --resume the folder is not overwritten
    result = invoke(*small_sweep_args(out, "--resume"))
    assert result.exit_code == 0, result.output
    assert len(again) == 9 - 4 and not set(again) & set(played)
    assert len(read_csv(out / "games.csv")) == 9


def test_resume_refuses_another_sweep(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    assert invoke(*small_sweep_args(out)).exit_code == 0
    result = invoke("sweep", CROSSING, "--vary", POINTS_VARY, "--runs-per-point", 4, "--workers", 1, "--out", out, "--resume")
    assert result.exit_code == 1 and "made by another sweep" in result.output and "runs_per_point" in result.output


def test_a_new_sweep_refuses_a_folder_holding_other_files_and_leaves_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The sweep writes points.json, games.csv, ... under its own names: a user's file of the
    # same name in --out would be replaced. It is refused before any variant is checked.
    (tmp_path / "points.json").write_text("my own points\n")
    import nomonhan.sim.sweep_report  # noqa: F401  # binds point_scenario when imported: not to the patch below

    monkeypatch.setattr(sweep, "point_scenario", lambda ref: pytest.fail("variants checked before the folder"))
    result = invoke(*small_sweep_args(tmp_path))
    assert result.exit_code == 1 and "is not empty (it holds points.json)" in result.output
    assert "Traceback" not in result.output and sorted(p.name for p in tmp_path.iterdir()) == ["points.json"]
    assert (tmp_path / "points.json").read_text() == "my own points\n"


def test_a_sweep_out_of_empty_text_is_refused_not_read_as_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(*small_sweep_args(Path("x"))[:-3], "--out", "", "--no-plots")
    assert result.exit_code == 1 and "--out needs a folder's name" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_new_sweep_may_use_an_empty_folder(tmp_path: Path) -> None:
    assert invoke(*small_sweep_args(tmp_path)).exit_code == 0
    assert (tmp_path / "points.json").exists()


CROSSING_TARGETS = """format_version: 1
scenario: crossing
targets:
  - {id: soviet-wins, kind: win_rate, says: Soviets win, side: soviet, at_least: 0.5, source: test}
  - {id: bridge-held, kind: objective_held_at_end, says: Soviets hold the bridge, objective: Bridge, side: soviet, more_than: 0.5, source: test}
"""


def test_a_sweep_judges_every_point_against_calibration_targets(tmp_path: Path) -> None:
    targets = tmp_path / "targets.yaml"
    targets.write_text(CROSSING_TARGETS)
    out = tmp_path / "sweep"
    result = invoke(*small_sweep_args(out, "--targets", targets))
    assert result.exit_code == 0, result.output
    assert "targets" in result.output and len(re.findall(r"\b[0-2]/2\b", result.output)) == 3  # a point's count of targets met
    rows = read_csv(out / "targets.csv")
    assert [(row["point"], row["target"]) for row in rows] == [(str(p), t) for p in range(3) for t in ("soviet-wins", "bridge-held")]
    games = read_csv(out / "games.csv")
    for row in rows:  # each verdict is the point's own games'
        mine = [game for game in games if game["point"] == row["point"]]
        if row["target"] == "soviet-wins":
            share = sum(game["winner"] == "soviet" for game in mine) / len(mine)
            assert row["measured"] == f"{share:.1%}" and row["met"] == str(share >= 0.5)
    summary = json.loads((out / "points.json").read_text())
    assert [verdict["id"] for verdict in summary["points"][0]["targets"]] == ["soviet-wins", "bridge-held"]


def test_a_resume_without_targets_removes_the_verdicts_judged_on_fewer_games(tmp_path: Path) -> None:
    targets = tmp_path / "targets.yaml"
    targets.write_text(CROSSING_TARGETS)
    out = tmp_path / "sweep"
    assert invoke(*small_sweep_args(out, "--targets", targets)).exit_code == 0
    assert (out / "targets.csv").exists()
    result = invoke(*small_sweep_args(out, "--resume"))
    assert result.exit_code == 0 and "removed" in result.output and "give --targets" in result.output
    assert not (out / "targets.csv").exists() and "targets" not in json.loads((out / "points.json").read_text())["points"][0]


def test_a_point_without_games_shows_no_count_of_targets_met() -> None:
    from nomonhan.sim.sweep_report import _met

    assert _met({"games": 0, "targets": [{"met": False}, {"met": False}]}) == "-"
    assert _met({"games": 3, "targets": [{"met": True}, {"met": False}]}) == "1/2"


def test_a_sweep_refuses_targets_naming_what_its_scenario_lacks_before_any_game(tmp_path: Path) -> None:
    targets = tmp_path / "targets.yaml"
    targets.write_text(CROSSING_TARGETS.replace("objective: Bridge", "objective: Ford"))
    out = tmp_path / "sweep"
    result = invoke(*small_sweep_args(out, "--targets", targets))
    assert result.exit_code == 1 and "Ford" in result.output and "Traceback" not in result.output
    assert not out.exists()


@pytest.fixture(scope="module")
def finished_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("finished") / "sweep"
    assert invoke(*small_sweep_args(out)).exit_code == 0
    return out


def edit_first_game(out: Path, edit) -> None:
    lines = (out / "games.jsonl").read_text().splitlines()
    game = json.loads(lines[0])
    edit(game)
    (out / "games.jsonl").write_text("\n".join([json.dumps(game), *lines[1:]]) + "\n")


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda g: g.update(losses="x"), "games.jsonl:1: point 0 (seed 0): losses must give"),
        (lambda g: g.pop("losses"), "games.jsonl:1: point 0 (seed 0): losses must give"),
        (lambda g: g.update(losses_gross="x"), "games.jsonl:1: point 0 (seed 0): losses_gross must give"),
        (lambda g: g.update(seed="0"), 'games.jsonl:1: point 0: seed "0" is not one of'),
        (lambda g: g.update(turns_played="many"), 'games.jsonl:1: point 0 (seed 0): turns_played "many" is not a turn'),
        (lambda g: g.update(winner=[1]), "games.jsonl:1: point 0 (seed 0): winner [1]"),
        (lambda g: g.update(point="0"), "games.jsonl:1: not a game of this sweep"),
    ],
)
def test_resume_checks_every_logged_game(finished_sweep: Path, tmp_path: Path, edit, message: str) -> None:
    out = tmp_path / "sweep"
    shutil.copytree(finished_sweep, out)
    edit_first_game(out, edit)
    before = (out / "games.jsonl").read_bytes()
    result = invoke(*small_sweep_args(out, "--resume"))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert message in " ".join(result.output.split())
    assert (out / "games.jsonl").read_bytes() == before  # nothing the user made is lost


@pytest.mark.parametrize("name, what", [("sweep.json", "not a sweep plan"), ("games.jsonl", "not a log of this sweep's games")])
@pytest.mark.parametrize("kind", ["a device", "a pipe (FIFO)", "a folder"])
def test_resume_refuses_a_plan_or_log_that_is_no_file(finished_sweep: Path, tmp_path: Path, name: str, what: str, kind: str) -> None:
    out = tmp_path / "sweep"
    shutil.copytree(finished_sweep, out)
    (out / name).unlink()
    if kind == "a device":
        (out / name).symlink_to("/dev/zero")
    elif kind == "a folder":
        (out / name).mkdir()
    else:
        os.mkfifo(out / name)
    args = [str(a) for a in small_sweep_args(out, "--resume")]
    if kind == "a pipe (FIFO)":  # a process with a timeout: a hang fails the test instead of freezing the suite
        done = subprocess.run([CONSOLE_SCRIPT, *args], capture_output=True, text=True, timeout=60)
        code, said = done.returncode, done.stderr
    else:
        result = runner.invoke(app, args)
        code, said = result.exit_code, result.output
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert code == 1 and "Traceback" not in said, said
    assert f"{name}: {what} (this is {kind}, not a regular file)" in " ".join(said.split())


def test_resume_refuses_a_plan_that_is_not_a_mapping(finished_sweep: Path, tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    shutil.copytree(finished_sweep, out)
    (out / "sweep.json").write_text("[1, 2]\n")
    result = invoke(*small_sweep_args(out, "--resume"))
    assert result.exit_code == 1 and "sweep.json: not a sweep plan (not a mapping of its fields)" in result.output


def test_a_bad_point_stops_the_sweep_before_any_game(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    result = invoke("sweep", CROSSING, "--vary", "units[id=s-1].steps=1:30", "--out", out, "--workers", 1)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert re.search(r"crossing.yaml \(what-if\):\d+:\d+: units.3.steps: must be at most 12, got \d+", result.output)
    assert not (out / "games.jsonl").exists()
    result = invoke("sweep", CROSSING, "--vary", "units[id=s-1].stepz=1:2", "--out", out, "--workers", 1)
    assert result.exit_code == 1 and "stepz: is not a known field (known: " in result.output


def test_the_summary_table_names_each_parameter_with_its_selector(tmp_path: Path) -> None:
    from rich.console import Console

    from nomonhan.sim.sweep_report import point_summaries, print_summary

    out = tmp_path / "sweep"
    assert invoke(*small_sweep_args(out, "--method", "oat")).exit_code == 0
    console = Console(record=True, width=250)
    result = sweep.load_result(out)
    print_summary(result, point_summaries(result), console, [])
    text = console.export_text()
    assert "p1: objectives[name=Bridge].points" in text  # not eaten as rich markup
    assert re.search(r"│\s+0 │\s+- │\s+3 │", text)  # the base point: the value as in the scenario
    narrow = Console(record=True, width=60)
    print_summary(result, point_summaries(result), narrow, [])
    assert "…" not in narrow.export_text()  # a narrow terminal wraps the cells, never cuts them


@pytest.mark.slow
def test_local_processes_and_dask_play_the_same_games(tmp_path: Path) -> None:
    """Spawning two worker processes and a Dask cluster takes seconds: marked slow."""
    outs = [tmp_path / name for name in ("serial", "processes", "dask")]
    backends = [("--workers", 1), ("--workers", 2), ("--local-cluster", 1)]
    for out, backend in zip(outs, backends):
        result = invoke(
            "sweep", CROSSING, "--vary", POINTS_VARY, "--vary", FACTOR_VARY, "--runs-per-point", 2, *backend, "--out", out, "--no-plots"
        )
        assert result.exit_code == 0, result.output
    first, *others = [(out / "games.csv").read_text() for out in outs]
    assert all(other == first for other in others)


def test_a_sobol_sweep_reports_first_order_and_total_indices(tmp_path: Path) -> None:
    out = tmp_path / "sobol"
    result = invoke(
        "sweep",
        CROSSING,
        "--set",
        "victory={decisive: 10, marginal: 1}",
        "--vary",
        POINTS_VARY,
        "--vary",
        "victory.marginal=1:10",
        "--method",
        "sobol",
        "--samples",
        4,
        "--runs-per-point",
        1,
        "--workers",
        1,
        "--out",
        out,
        "--no-plots",
    )
    assert result.exit_code == 0, result.output
    indices = json.loads((out / "indices.json").read_text())
    assert indices["method"] == "sobol" and len(json.loads((out / "sweep.json").read_text())["points"]) == 4 * (2 + 2)
    by_parameter = indices["outputs"]["japanese win rate"]
    assert set(by_parameter[POINTS_VARY.split("=0")[0]]) == {"S1", "S1_conf", "ST", "ST_conf"}
    assert by_parameter[POINTS_VARY.split("=0")[0]]["ST"] > 0  # the bridge's points against the margin a win needs


def test_an_out_that_is_a_file_is_refused_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "not-a-folder"
    out.write_text("keep me")
    result = invoke(*small_sweep_args(out))
    assert result.exit_code == 1 and "is not a folder" in result.output and out.read_text() == "keep me"


def test_a_log_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    """A full disk, as the operating system tells it to a file grown past the size a process
    may write (RLIMIT_FSIZE): one line naming the log, not a bare errno."""
    import resource
    import signal

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the process is killed, not told
        resource.setrlimit(resource.RLIMIT_FSIZE, (4000, 4000))  # the plan fits, not every game

    done = subprocess.run(
        [CONSOLE_SCRIPT, *(str(arg) for arg in small_sweep_args(tmp_path / "sweep"))],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=small_files,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"error: {tmp_path / 'sweep' / 'games.jsonl'}: cannot be written (File too large)" in " ".join(done.stderr.split())


@pytest.mark.parametrize(
    "edit, field",
    [
        (lambda plan: plan.pop("points"), "points: Field required"),
        (lambda plan: plan.update(runs_per_point="3"), "runs_per_point: Input should be a valid integer"),
        (lambda plan: plan.update(runs_per_point=0), "runs_per_point: Input should be greater than or equal to 1"),
        (lambda plan: plan["points"][1].pop("ref"), "points.1.ref: Field required"),
        (lambda plan: plan["points"][0].update(index=None), "points.0.index: Input should be a valid integer"),
        (lambda plan: plan.update(sides=["soviet"]), "sides: List should have at least 2 items after validation, not 1"),
        (lambda plan: plan.update(method="monte-carlo"), "method: Value error, one of grid, oat, morris, sobol, not 'monte-carlo'"),
        (lambda plan: plan["parameters"][0].pop("steps"), "parameters.0.steps: Field required"),
    ],
)
def test_a_finished_sweep_whose_plan_was_edited_is_refused_by_the_field_it_gets_wrong(
    finished_sweep: Path, tmp_path: Path, edit, field: str
) -> None:
    """``load_result`` reads a folder nobody plans again: a plan edited by hand is refused with
    the file and the field (a KeyError or TypeError deep in the report before)."""
    out = tmp_path / "sweep"
    shutil.copytree(finished_sweep, out)
    assert len(sweep.load_result(out).games) == 9  # as written, it reads
    plan = json.loads((out / "sweep.json").read_text())
    edit(plan)
    (out / "sweep.json").write_text(json.dumps(plan))
    with pytest.raises(SweepError) as refused:
        sweep.load_result(out)
    assert str(refused.value) == f"{out / 'sweep.json'}: not a sweep plan ({field})"
