"""Batches that are killed, stopped or resumed from files edited by hand: finished games survive
a kill, the workers end with the batch, and a resume refuses what is not this batch's."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import CROSSING_PATH
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nomonhan.cli import app
from nomonhan.scenario.load import Scenario, load_scenario
from nomonhan.sim import batch
from nomonhan.sim.batch import BatchError, run_batch
from nomonhan.sim.checkpoint import Checkpoint, Parameters, checkpoint_path, previous_games, record_path
from nomonhan.sim.stats import summarise

REF = str(CROSSING_PATH)
CONSOLE_SCRIPT = Path(sys.executable).parent / "nomonhan"
SLOW_PLAYERS = ["--player", "soviet=search", "--player", "japanese=search"]
"""About 0.15 s a game on the crossing: slow enough to kill a batch in the middle."""


# ------------------------------------------------------------ real kills of a batch process


def start_batch(folder: Path, runs: int) -> subprocess.Popen:
    return subprocess.Popen(
        [CONSOLE_SCRIPT, "batch", REF, "--runs", str(runs), "--workers", "2", "--out", "b.json", "--records", "records", *SLOW_PLAYERS],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_games(folder: Path, count: int, process: subprocess.Popen) -> None:
    checkpoint = folder / "b.json.games.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if checkpoint.exists() and checkpoint.read_text().count("\n") > count:
            return
        time.sleep(0.05)
    raise AssertionError(f"the batch did not finish {count} games in time (exit {process.poll()})")


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def alive(pids: set[int]) -> set[int]:
    """Those still running (a zombie has finished: it only waits to be reaped)."""
    running = set()
    for pid in pids:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                running.add(pid)
        except FileNotFoundError:
            pass
    return running


def resume(folder: Path, runs: int) -> dict:
    result = subprocess.run(
        [
            CONSOLE_SCRIPT,
            "batch",
            REF,
            "--runs",
            str(runs),
            "--workers",
            "2",
            "--out",
            "b.json",
            "--records",
            "records",
            "--resume",
            *SLOW_PLAYERS,
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads((folder / "b.json").read_text())


def assert_same_as_played_alone(games: list[dict], seeds: list[int]) -> None:
    kinds = {"soviet": "search", "japanese": "search"}
    for seed in seeds:
        assert games[seed]["digest"] == batch.play_seed(REF, seed, kinds)["digest"]


@pytest.mark.slow  # two subprocess batches each: 4 s alone, 10 s on a busy machine
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the workers through Linux's /proc")
@pytest.mark.parametrize("signum, code", [(signal.SIGKILL, -signal.SIGKILL), (signal.SIGTERM, 128 + signal.SIGTERM)])
def test_a_killed_batch_keeps_its_finished_games_and_resumes_without_replaying_them(tmp_path: Path, signum: int, code: int) -> None:
    runs = 12
    process = start_batch(tmp_path, runs)
    wait_for_games(tmp_path, 3, process)
    workers = children(process.pid)
    process.send_signal(signum)
    assert process.wait(20) == code

    saved = [json.loads(line) for line in (tmp_path / "b.json.games.jsonl").read_text().splitlines()[1:]]
    assert len(saved) >= 3 and len({game["seed"] for game in saved}) == len(saved)
    deadline = time.monotonic() + 5
    while alive(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(workers), "the workers outlived their batch"
    if signum == signal.SIGTERM:
        stopped = json.loads((tmp_path / "b.json").read_text())
        assert stopped["interrupted"] is True and len(stopped["games"]) >= len(saved)
        assert not list((tmp_path / "records").glob(".*.tmp"))
    kept = {game["seed"]: record_path(tmp_path / "records", "crossing", game["seed"]).stat().st_mtime_ns for game in saved}

    (tmp_path / "records" / ".crossing-seed11.json.x1y2z3.tmp").write_text("{")  # as a kill mid-save leaves
    final = resume(tmp_path, runs)
    assert not list(tmp_path.rglob(".*.tmp"))
    assert final["interrupted"] is False and final["done_seeds"] == list(range(runs))
    assert {seed: record_path(tmp_path / "records", "crossing", seed).stat().st_mtime_ns for seed in kept} == kept
    assert not (tmp_path / "b.json.games.jsonl").exists()
    assert_same_as_played_alone(final["games"], [runs - 1])


def test_sighup_stops_a_batch_as_ctrl_c_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_play_seed = batch.play_seed

    def hang_up_at_seed_2(scenario_ref, seed, **options):
        if seed == 2:
            os.kill(os.getpid(), signal.SIGHUP)
        return real_play_seed(scenario_ref, seed, **options)

    monkeypatch.setattr(batch, "play_seed", hang_up_at_seed_2)
    result = run_batch(REF, 5, workers=1, out_path=tmp_path / "b.json", progress=False)
    assert result.interrupted and result.stopped_by == signal.SIGHUP and result.done_seeds == [0, 1]
    assert signal.getsignal(signal.SIGHUP) is signal.SIG_DFL


# ------------------------------------------------------------ a cluster address that is no Dask scheduler


@pytest.fixture()
def stranger() -> Iterator[Callable[[bytes | None], str]]:
    """A TCP service that is not Dask: it answers every connection with ``reply``, or never."""
    listeners: list[socket.socket] = []

    def serve(reply: bytes | None) -> str:
        listener = socket.create_server(("127.0.0.1", 0))
        listeners.append(listener)

        def answer() -> None:
            with contextlib.suppress(OSError):
                while True:
                    connection, _ = listener.accept()
                    if reply is not None:
                        connection.sendall(reply)
                    listeners.append(connection)  # kept open, closed at the end

        threading.Thread(target=answer, daemon=True).start()
        return f"tcp://127.0.0.1:{listener.getsockname()[1]}"

    yield serve
    for item in listeners:
        item.close()


@pytest.mark.parametrize(
    "reply, message",
    [
        (b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 8, "is not a Dask scheduler"),
        (None, "no Dask scheduler answered within 2 s"),
    ],
)
def test_a_cluster_address_that_is_not_dask_is_refused_in_seconds(stranger, tmp_path: Path, reply: bytes | None, message: str) -> None:
    import dask
    import dask.distributed  # its defaults join the configuration before config.set saves it

    address = stranger(reply)
    started = time.monotonic()
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), pytest.raises(BatchError, match=message):
        run_batch(REF, 2, cluster=address, out_path=tmp_path / "b.json", progress=False)
    assert time.monotonic() - started < 10
    assert not list(tmp_path.iterdir()), "a batch that never started left files"


def test_a_real_scheduler_address_passes_the_check() -> None:
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=1, processes=False, threads_per_worker=1, protocol="tcp") as cluster:
        result = run_batch(REF, 2, cluster=cluster.scheduler_address, progress=False)
    assert result.backend == "dask" and result.done_seeds == [0, 1]


# ------------------------------------------------------------ resuming from files edited by hand


@pytest.fixture()
def stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The --out of a 6-game batch with records, stopped by Ctrl-C after seeds 0-3."""
    real_play_seed = batch.play_seed

    def ctrl_c_at_seed_4(scenario_ref, seed, **options):
        if seed == 4:
            raise KeyboardInterrupt
        return real_play_seed(scenario_ref, seed, **options)

    monkeypatch.setattr(batch, "play_seed", ctrl_c_at_seed_4)
    out = tmp_path / "b.json"
    run_batch(REF, 6, workers=1, out_path=out, records_dir=tmp_path / "records", progress=False)
    monkeypatch.setattr(batch, "play_seed", real_play_seed)
    return out


def resume_cli(out: Path, *options: str):
    return CliRunner().invoke(
        app, ["batch", REF, "--workers", "1", "--out", str(out), "--records", str(out.parent / "records"), "--resume", *options]
    )


def one_line_error(result, *fragments: str) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    "options, differ",
    [
        (["--runs", "8"], "runs (8 now, 6 in the file)"),
        (["--runs", "6", "--seed-start", "1"], "seed_start (1 now, 0 in the file)"),
        (["--runs", "6", "--player", "soviet=random"], "players"),
    ],
)
def test_resume_refuses_other_parameters_and_says_which(stopped: Path, options: list[str], differ: str) -> None:
    one_line_error(resume_cli(stopped, *options), "made by another batch", differ)


def edit_games(out: Path, edit) -> None:
    """Apply ``edit`` to the list of game entries of the checkpoint."""
    checkpoint = checkpoint_path(out)
    header, *games = [json.loads(line) for line in checkpoint.read_text().splitlines()]
    games = edit(games)
    checkpoint.write_text("".join(json.dumps(entry) + "\n" for entry in [header, *games]))


def flip_winner(games: list[dict]) -> list[dict]:
    game = games[1]
    game["winner"] = "soviet" if game["winner"] != "soviet" else "japanese"
    return games


def claim_sudden_death(games: list[dict]) -> list[dict]:
    """A win by a sudden death that the crossing scenario does not have."""
    game = games[1]
    loser = "soviet" if game["winner"] != "soviet" else "japanese"
    game.update(winner=loser, level="decisive", reasons=[f"{loser} met a sudden-death condition", *game["reasons"]])
    return games


@pytest.mark.parametrize(
    "edit, fragments",
    [
        (lambda games: [{k: v for k, v in games[0].items() if k != "losses"}, *games[1:]], ("game 1 (seed 0)", "losses")),
        (lambda games: [{**games[0], "losses_gross": "x"}, *games[1:]], ("game 1 (seed 0)", "losses_gross must give")),
        (lambda games: [games[0], {**games[1], "losses_gross": {"soviet": {}}}, *games[2:]], ("game 2 (seed 1)", "losses_gross must give")),
        (lambda games: [{**games[0], "seed": "0"}, *games[1:]], ("game 1", 'seed "0" is not one of this batch\'s seeds')),
        (lambda games: [{**games[0], "seed": 99}, *games[1:]], ("seed 99",)),
        (lambda games: [*games, games[0]], ("seed 0 appears twice",)),
        (lambda games: [{**games[0], "victory_points": {"soviet": None}}, *games[1:]], ("victory_points",)),
        (lambda games: [{**games[0], "digest": "forged"}, *games[1:]], ("digest",)),
        (lambda games: [{**games[0], "digest": "0" * 64}, *games[1:]], ("differs from its record",)),
        (flip_winner, ("game 2 (seed 1)", "does not follow from its victory points")),
        (claim_sudden_death, ("game 2 (seed 1)", "does not follow from its victory points")),
        (lambda games: ["a game", *games], ("game 1", "not a game entry")),
    ],
)
def test_a_tampered_entry_is_one_clear_error(stopped: Path, edit, fragments: tuple[str, ...]) -> None:
    edit_games(stopped, edit)
    one_line_error(resume_cli(stopped, "--runs", "6"), str(checkpoint_path(stopped)), *fragments)


def test_running_again_without_resume_keeps_an_interrupted_batch_and_says_how_to_go_on(stopped: Path) -> None:
    checkpoint = checkpoint_path(stopped)
    before = stopped.read_bytes(), checkpoint.read_bytes()
    again = CliRunner().invoke(app, ["batch", REF, "--workers", "1", "--runs", "2", "--seed-start", "100", "--out", str(stopped)])
    one_line_error(again, str(checkpoint), "--resume", f"remove {checkpoint}")
    assert (stopped.read_bytes(), checkpoint.read_bytes()) == before
    checkpoint.unlink()  # starting afresh, as the message says
    assert (
        CliRunner().invoke(app, ["batch", REF, "--workers", "1", "--runs", "2", "--seed-start", "100", "--out", str(stopped)]).exit_code
        == 0
    )
    assert json.loads(stopped.read_text())["done_seeds"] == [100, 101]


def test_targets_judging_a_resumed_game_name_the_file_it_is_in(stopped: Path) -> None:
    """A resumed game is judged against the targets after the batch: the error names --out,
    which then holds the games in the order the message counts them."""
    targets = stopped.parent / "targets.yaml"
    targets.write_text(
        "format_version: 1\nscenario: crossing\ntargets:\n  - {id: any, kind: win_rate, says: s, source: s, side: soviet, at_least: 0}\n"
    )
    edit_games(stopped, lambda games: [{**games[0], "per_turn": "x"}, *games[1:]])
    result = resume_cli(stopped, "--runs", "6", "--targets", str(targets))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert result.output.strip().splitlines()[-1].startswith(f"error: {stopped}: game 1: per_turn"), result.output


def test_a_game_entry_written_before_gross_losses_were_recorded_is_resumed(stopped: Path) -> None:
    edit_games(stopped, lambda games: [{k: v for k, v in game.items() if k != "losses_gross"} for game in games])
    result = resume_cli(stopped, "--runs", "6")
    assert result.exit_code == 0, result.output
    assert json.loads(stopped.read_text())["done_seeds"] == list(range(6))


def test_a_line_that_is_not_json_is_refused_but_a_torn_last_line_is_played_again(stopped: Path) -> None:
    checkpoint = checkpoint_path(stopped)
    lines = checkpoint.read_text().splitlines(keepends=True)
    checkpoint.write_text("".join(lines[:2]) + '{"seed": 1, "win' + "\n" + "".join(lines[2:]))
    one_line_error(resume_cli(stopped, "--runs", "6"), f"{checkpoint}:3: not a line of JSON")
    checkpoint.write_text("".join(lines[:-1]) + lines[-1][:40])  # killed while the last line was written
    result = resume_cli(stopped, "--runs", "6")
    assert result.exit_code == 0, result.output
    assert json.loads(stopped.read_text())["done_seeds"] == list(range(6))


def test_resume_without_a_checkpoint_checks_the_output_file(stopped: Path) -> None:
    checkpoint_path(stopped).unlink()
    data = json.loads(stopped.read_text())
    data["games"][0]["losses"] = "none"
    stopped.write_text(json.dumps(data))
    one_line_error(resume_cli(stopped, "--runs", "6"), str(stopped), "losses")


def test_resume_replays_the_records_a_killed_batch_wrote_instead_of_playing_again(stopped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records written by workers whose results never reached the checkpoint."""
    full = run_batch(REF, 6, workers=1, progress=False)
    records = stopped.parent / "records"
    run_batch(REF, 6, workers=1, records_dir=records, progress=False)
    checkpoint_path(stopped).unlink()
    stopped.unlink()
    monkeypatch.setattr(batch, "play_seed", lambda *args, **options: pytest.fail("a game was played again"))
    assert run_batch(REF, 6, workers=1, out_path=stopped, records_dir=records, resume=True, progress=False).games == full.games


def test_a_resumed_game_whose_record_is_missing_is_played_again(stopped: Path) -> None:
    record_path(stopped.parent / "records", "crossing", 1).unlink()
    resumed = run_batch(REF, 6, workers=1, out_path=stopped, records_dir=stopped.parent / "records", resume=True, progress=False)
    assert resumed.done_seeds == list(range(6)) and record_path(stopped.parent / "records", "crossing", 1).exists()


def test_resume_refuses_a_pipe_as_its_output() -> None:
    with pytest.raises(BatchError, match="not a pipe"):
        run_batch(REF, 2, workers=1, out_path="/dev/stdout", resume=True, progress=False)


def test_a_sudden_death_win_against_the_points_is_accepted_where_the_scenario_has_one() -> None:
    from nomonhan.sim.checkpoint import _verdicts

    scenario = load_scenario("bain-tsagan-1939")  # the Japanese win at once by holding two objectives
    points = {"soviet": 40, "japanese": 10}
    assert _verdicts(points, ["japanese met a sudden-death condition"], scenario) == [("soviet", "decisive"), ("japanese", "decisive")]
    assert _verdicts(points, ["soviet met a sudden-death condition"], scenario) == [("soviet", "decisive")]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
ENTRY_KEYS = (
    "seed",
    "players",
    "winner",
    "level",
    "reasons",
    "turns_played",
    "losses",
    "losses_gross",
    "victory_points",
    "digest",
    "scenario_hash",
    "rules_hash",
)


@pytest.fixture(scope="module")
def clean_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], Parameters, Scenario]:
    """The lines of a finished 3-game checkpoint, its parameters and its scenario."""
    folder = tmp_path_factory.mktemp("fuzz")
    result = run_batch(REF, 3, workers=1, progress=False)
    scenario = load_scenario(REF)
    parameters = Parameters(scenario.id, scenario.content_hash, scenario.rules_hash, result.players, 3, 0)
    Checkpoint(folder / "c.jsonl", parameters, result.games).close(finished=False)
    return (folder / "c.jsonl").read_text().splitlines(), parameters, scenario


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=st.integers(0, 3), path=st.lists(st.sampled_from(ENTRY_KEYS) | st.text(max_size=4), min_size=1, max_size=3), value=JSON)
def test_any_edit_of_a_checkpoint_is_resumed_or_refused_with_a_batch_error(
    clean_checkpoint, tmp_path_factory: pytest.TempPathFactory, line: int, path: list[str], value: object
) -> None:
    """Whatever a hand puts anywhere in a checkpoint, resuming (its summary included) never fails
    with another error."""
    lines, parameters, scenario = clean_checkpoint
    entries = [json.loads(text) for text in lines]
    target = entries[line]
    for key in path[:-1]:
        if not isinstance(target, dict):
            break
        target = target.setdefault(key, {})
    if isinstance(target, dict):
        target[path[-1]] = value
    out = tmp_path_factory.mktemp("edit") / "b.json"
    checkpoint_path(out).write_text("".join(json.dumps(entry) + "\n" for entry in entries))
    try:
        games = previous_games(out, parameters, scenario, None)
    except BatchError as exc:
        assert "\n" not in str(exc)
    else:
        assert set(games) <= set(parameters.seeds)
        summarise(list(games.values()), scenario.side_ids)  # what a resumed batch then reads of them


def test_resume_refuses_a_checkpoint_that_is_a_fifo_without_waiting_on_it(tmp_path: Path) -> None:
    """A process with a timeout: reading a FIFO would hang, and that must fail the test, not freeze the suite."""
    os.mkfifo(tmp_path / "b.json.games.jsonl")
    done = subprocess.run(
        [CONSOLE_SCRIPT, "batch", REF, "--runs", "2", "--workers", "1", "--out", "b.json", "--resume"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "b.json.games.jsonl: cannot be read (this is a pipe (FIFO), not a regular file)" in " ".join(done.stderr.split())


def test_a_batch_leaves_no_save_a_killed_writer_cut_short(tmp_path: Path) -> None:
    """A record's temporary file whose writer is dead (a worker of an earlier run, killed while
    saving) is gone once the batch has played its games, whatever its seed: a killed run's
    workers may have been saving seeds that its resume finds already played."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    records = tmp_path / "records"
    records.mkdir()
    stale = records / f".crossing-seed7.json.{int(dead.stdout)}.abc123.tmp"
    stale.write_text("{")
    alive = records / f".crossing-seed1.json.{os.getpid()}.def456.tmp"  # a save in progress here
    alive.write_text("{")
    run_batch(REF, 2, workers=1, records_dir=records, progress=False)
    assert not stale.exists() and alive.exists()
    assert sorted(p.name for p in records.glob("*.json")) == ["crossing-seed0.json", "crossing-seed1.json"]
