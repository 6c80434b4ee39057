"""The batch runner: same seeds, same games on every backend; records; interruption and resume;
CSV, plot and summary table."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import gc
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CROSSING_PATH
from rich.console import Console

from nomonhan.replay import load_game
from nomonhan.sim import batch
from nomonhan.sim.batch import BatchError, record_path, run_batch
from nomonhan.sim.report import csv_header, plot_batch, print_summary, write_csv
from nomonhan.sim.run import DEFAULT_PLAYER

REF = str(CROSSING_PATH)
RUNS = 6


@pytest.fixture(scope="module")
def serial() -> batch.BatchResult:
    """The reference: the same seeds played one after the other in this process."""
    return run_batch(REF, RUNS, workers=1, progress=False)


def test_in_process_batch_holds_one_game_per_seed_in_order(serial: batch.BatchResult) -> None:
    assert serial.backend == "in-process" and serial.workers == 1 and not serial.interrupted
    assert [g["seed"] for g in serial.games] == list(range(RUNS))
    data = serial.to_dict()
    assert data["scenario"] == "crossing" and data["runs"] == RUNS and data["seed_start"] == 0
    assert data["players"] == {"japanese": DEFAULT_PLAYER, "soviet": DEFAULT_PLAYER}
    assert all({"seed", "digest", "winner"} <= set(game) for game in data["games"])
    assert data["summary"]["games"] == RUNS
    json.dumps(data)


def test_in_process_games_are_played_with_the_collector_set_for_games_then_set_back() -> None:
    """Long-lived objects frozen and the older generations collected more rarely while the
    games run (docs/benchmarks.md), and the process's collector as it was once they are done."""
    before = gc.get_threshold(), gc.get_freeze_count()
    during = list(batch._serial_results(lambda seed: (gc.get_threshold(), gc.get_freeze_count()), [0, 1]))
    assert gc.get_threshold() == before[0] and gc.get_freeze_count() == before[1]
    young, middle, old = before[0]
    assert all(thresholds == (young, middle * batch.FULL_COLLECTIONS_RARER, old) and frozen > 0 for thresholds, frozen in during)


def test_process_pool_plays_the_same_games(serial: batch.BatchResult) -> None:
    pooled = run_batch(REF, RUNS, workers=2, progress=False)
    assert (pooled.backend, pooled.workers) == ("processes", 2)
    assert pooled.games == serial.games
    assert pooled.summary == serial.summary


def test_a_later_seed_range_plays_the_same_games(serial: batch.BatchResult) -> None:
    assert run_batch(REF, 3, seed_start=3, workers=1, progress=False).games == serial.games[3:]


@pytest.mark.slow
def test_dask_local_cluster_plays_the_same_games(serial: batch.BatchResult) -> None:
    clustered = run_batch(REF, RUNS, local_cluster=2, progress=False)
    assert (clustered.backend, clustered.workers) == ("dask-local", 2)
    assert clustered.games == serial.games


def test_records_replay_to_the_same_digest(serial: batch.BatchResult, tmp_path: Path) -> None:
    run_batch(REF, RUNS, workers=2, records_dir=tmp_path, progress=False)
    assert len(list(tmp_path.glob("*.json"))) == RUNS
    for game in serial.games:
        replayed = load_game(record_path(tmp_path, "crossing", game["seed"]))
        assert replayed.seed == game["seed"]
        assert replayed.state.digest() == game["digest"]


def test_interrupted_batch_keeps_its_games_and_resume_plays_only_the_missing(
    serial: batch.BatchResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "batch.json"
    played: list[int] = []
    real_play_seed = batch.play_seed

    def ctrl_c_at_seed_3(scenario_ref, seed, **options):
        if seed == 3:
            raise KeyboardInterrupt
        played.append(seed)
        return real_play_seed(scenario_ref, seed, **options)

    monkeypatch.setattr(batch, "play_seed", ctrl_c_at_seed_3)
    partial = run_batch(REF, RUNS, workers=1, out_path=out, progress=False)
    assert partial.interrupted and partial.done_seeds == [0, 1, 2]
    saved = json.loads(out.read_text())
    assert saved["interrupted"] is True and saved["done_seeds"] == [0, 1, 2]
    assert saved["summary"]["games"] == 3

    played.clear()
    monkeypatch.setattr(
        batch, "play_seed", lambda scenario_ref, seed, **options: played.append(seed) or real_play_seed(scenario_ref, seed, **options)
    )
    resumed = run_batch(REF, RUNS, workers=1, out_path=out, resume=True, progress=True)
    assert played == [3, 4, 5]
    assert not resumed.interrupted
    assert resumed.to_dict() == serial.to_dict()
    assert json.loads(out.read_text()) == json.loads(json.dumps(serial.to_dict()))


def test_a_failing_game_still_saves_the_finished_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "batch.json"
    real_play_seed = batch.play_seed

    def fail_at_seed_2(scenario_ref, seed, **options):
        if seed == 2:
            raise RuntimeError("engine bug")
        return real_play_seed(scenario_ref, seed, **options)

    monkeypatch.setattr(batch, "play_seed", fail_at_seed_2)
    with pytest.raises(RuntimeError, match="engine bug"):
        run_batch(REF, RUNS, workers=1, out_path=out, progress=False)
    saved = json.loads(out.read_text())
    assert saved["interrupted"] is True and saved["done_seeds"] == [0, 1]


def test_resume_refuses_a_result_of_another_scenario_version(serial: batch.BatchResult, tmp_path: Path) -> None:
    out = tmp_path / "batch.json"
    data = serial.to_dict()
    data["scenario_hash"] = "0" * 64
    out.write_text(json.dumps(data))
    with pytest.raises(BatchError, match=rf"another batch: scenario_hash \({serial.scenario_hash[:12]} now, 000000000000 in the file\)"):
        run_batch(REF, RUNS, workers=1, out_path=out, resume=True, progress=False)


def test_resume_of_a_missing_file_plays_everything(serial: batch.BatchResult, tmp_path: Path) -> None:
    assert run_batch(REF, RUNS, workers=1, out_path=tmp_path / "new.json", resume=True, progress=False).games == serial.games


def test_a_game_from_another_scenario_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real_play_seed = batch.play_seed
    monkeypatch.setattr(batch, "play_seed", lambda *args, **options: {**real_play_seed(*args, **options), "rules_hash": "x"})
    with pytest.raises(BatchError, match="same nomonhan and scenario files"):
        run_batch(REF, 1, workers=1, progress=False)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"cluster": "tcp://127.0.0.1:1", "local_cluster": 2}, "not both"),
        ({"local_cluster": 2, "workers": 2}, "workers"),
        ({"workers": 0}, "at least 1"),
        ({"local_cluster": 0}, "at least one"),
        ({"local_cluster": 100_000}, "--local-cluster 100000: at most 256 processes on one machine"),
        ({"workers": 100_000}, "--workers 100000: at most 256 processes on one machine"),
        ({"resume": True}, "output file"),
    ],
)
def test_contradictory_options_are_refused(options: dict, message: str) -> None:
    with pytest.raises(BatchError, match=message):
        run_batch(REF, RUNS, progress=False, **options)


def test_a_local_cluster_starts_no_more_workers_than_games(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int | None] = []

    @contextlib.contextmanager
    def fake_dask(address: str | None, local_workers: int | None) -> Iterator[batch.Backend]:
        started.append(local_workers)
        yield batch.Backend("fake", 1, batch._serial_results)

    monkeypatch.setattr(batch, "_dask", fake_dask)
    run_batch(REF, 2, local_cluster=200, progress=False)
    assert started == [2]


def test_dask_missing_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(BatchError, match=r"nomonhan\[cluster\]"):
        run_batch(REF, RUNS, local_cluster=2, progress=False)


def test_unreachable_cluster_is_a_clean_error() -> None:
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), pytest.raises(BatchError, match="cannot reach"):
        run_batch(REF, RUNS, cluster="tcp://127.0.0.1:9", progress=False)


def test_csv_has_a_header_and_a_row_per_game(serial: batch.BatchResult, tmp_path: Path) -> None:
    path = tmp_path / "games.csv"
    write_csv(serial, path)
    rows = list(csv.reader(path.open()))
    assert rows[0] == csv_header(serial.sides)
    assert {"seed", "winner", "digest", "soviet_vp", "japanese_men", "soviet_steps"} <= set(rows[0])
    assert len(rows) == RUNS + 1
    assert [(int(r[0]), r[1], r[4]) for r in rows[1:]] == [(g["seed"], g["winner"], g["digest"]) for g in serial.games]


def test_plot_is_a_png(serial: batch.BatchResult, tmp_path: Path) -> None:
    path = tmp_path / "plots" / "batch.png"
    plot_batch(serial, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_says_what_the_historical_figures_cover(serial: batch.BatchResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import pyplot

    drawn = []
    monkeypatch.setattr(pyplot, "close", drawn.append)
    historical = {"soviet": {"men": [7000, 10000], "scope": "whole campaign; the game: 2 Jul - 4 Jul 1939"}}
    plot_batch(dataclasses.replace(serial, historical=historical), tmp_path / "batch.png")
    assert "soviet historical figures: whole campaign; the game: 2 Jul - 4 Jul 1939" in drawn[0].get_suptitle()


def test_summary_table_shows_rates_and_historical_losses(serial: batch.BatchResult) -> None:
    historical = {"soviet": {"men": [7000, 10000]}}
    shown = dataclasses.replace(serial, interrupted=True, historical=historical)
    console = Console(record=True, width=120)
    print_summary(shown, console)
    text = console.export_text()
    for expected in ("japanese wins", "soviet wins", "draw", "95% CI", "median", "7,000 - 10,000", "turns played", "--resume"):
        assert expected in text


def test_summary_table_gives_gross_losses_and_the_net_median(serial: batch.BatchResult) -> None:
    """History counts gross losses, so the quartiles are gross; the net median stands beside."""
    games = [
        {**game, "losses_gross": {side: {**lost, "men": lost["men"] + 4321} for side, lost in game["losses"].items()}}
        for game in serial.games
    ]
    shown = dataclasses.replace(serial, games=games)
    console = Console(record=True, width=160)
    print_summary(shown, console)
    [row] = [line for line in console.export_text().splitlines() if "soviet" in line and " men " in line]
    gross_men, net_men = shown.summary["losses_gross"]["soviet"]["men"], shown.summary["losses"]["soviet"]["men"]
    expected = [gross_men["q1"], gross_men["median"], gross_men["q3"], net_men["median"]]
    assert row.replace("│", " ").split()[2:6] == [f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}" for v in expected]
    assert gross_men["median"] == net_men["median"] + 4321


def test_a_scenario_edited_between_batches_is_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "crossing.yaml"
    path.write_text(CROSSING_PATH.read_text())
    before = run_batch(path, 1, workers=1, progress=False)
    path.write_text(CROSSING_PATH.read_text().replace("last_turn: 4", "last_turn: 2"))
    after = run_batch(path, 1, workers=1, progress=False)
    assert after.scenario_hash != before.scenario_hash
    assert after.games[0]["scenario_hash"] == after.scenario_hash


def test_plot_has_no_empty_panel_and_names_every_series(serial: batch.BatchResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The crossing's games lose nothing: no loss panel, but the margin and outcomes, each with
    a legend naming every series, in the colours given for the sides."""
    from matplotlib import pyplot
    from matplotlib.colors import to_rgb
    from matplotlib.container import BarContainer

    drawn = []
    monkeypatch.setattr(pyplot, "close", drawn.append)
    plot_batch(serial, tmp_path / "batch.png", {"soviet": "#b03a2e", "japanese": "#d4ac0d"})
    shown = [axis for axis in drawn[0].axes if axis.get_visible()]
    assert [axis.get_title() for axis in shown] == ["victory point margin", "outcomes (95% Wilson intervals)"]
    for axis in shown:
        named = [text.get_text() for text in axis.get_legend().get_texts()]
        series = [c for c in axis.containers if isinstance(c, BarContainer)]
        assert len(named) == len(series) and all(named), named
    colours = {bar.get_label(): bar.patches[0].get_facecolor()[:3] for bar in shown[1].containers if isinstance(bar, BarContainer)}
    assert colours["soviet wins"] == to_rgb("#b03a2e") and colours["japanese wins"] == to_rgb("#d4ac0d")


def test_plot_sets_gross_losses_beside_history(serial: batch.BatchResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """History counts the wounded who came back, so the histograms are of gross losses: a game
    whose steps all came back (net 0, gross 400 men) still shows its 400 men."""
    from matplotlib import pyplot

    drawn = []
    monkeypatch.setattr(pyplot, "close", drawn.append)
    games = [{**game, "losses_gross": {side: {**lost, "men": 400} for side, lost in game["losses"].items()}} for game in serial.games]
    plot_batch(dataclasses.replace(serial, games=games), tmp_path / "batch.png")
    [men] = [axis for axis in drawn[0].axes if axis.get_title() == "men lost (gross)"]
    drawn_values = {patch.get_x() <= 400 <= patch.get_x() + patch.get_width() for patch in men.patches if patch.get_height() > 0}
    assert drawn_values == {True}
