"""Outputs that would destroy an input, plans too large to hold, seeds past a record's range,
and a results file that is not one: each refused up front with a clear message, no traceback,
and the user's files left as they were."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from test_hostile import CONSOLE_SCRIPT, CROSSING, assert_refused, invoke


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(CROSSING.read_text())
    return path


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (["run", "{s}", "--out", "{s}"], "--out"),
        (["run", "{s}", "--record", "{s}"], "--record"),
        (["run", "{s}", "--log", "{s}"], "--log"),
        (["batch", "{s}", "--runs", "2", "--workers", "1", "--out", "{s}"], "--out"),
        (["batch", "{s}", "--runs", "2", "--workers", "1", "--csv", "{s}"], "--csv"),
        (["batch", "{s}", "--runs", "2", "--workers", "1", "--plot", "{s}"], "--plot"),
        (["arena", "{s}", "--players", "random,random", "--games", "1", "--workers", "1", "--out", "{s}"], "--out"),
        (["render", "{s}", "--out", "{s}"], "--out"),
    ],
)
def test_an_output_never_overwrites_the_scenario_being_read(scenario: Path, command: list[str], option: str) -> None:
    before = scenario.read_bytes()
    result = invoke(*(part.format(s=scenario) for part in command))
    assert_refused(result, f"{option} would overwrite the scenario")
    assert scenario.read_bytes() == before


def test_two_outputs_on_one_file_are_refused(scenario: Path, tmp_path: Path) -> None:
    result = invoke("batch", scenario, "--runs", 2, "--workers", 1, "--out", tmp_path / "b.json", "--csv", tmp_path / "b.json")
    assert_refused(result, "--csv and --out name the same file")
    assert not (tmp_path / "b.json").exists()


def test_an_output_may_not_overwrite_an_overlay_or_targets_file(scenario: Path, tmp_path: Path) -> None:
    overlay = tmp_path / "o.yaml"
    overlay.write_text("units: []\n")
    assert_refused(invoke("run", scenario, "--overlay", overlay, "--out", overlay), f"--out would overwrite --overlay {overlay}")
    assert overlay.read_text() == "units: []\n"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--runs", "99999999999999999999999"], "more games than one run plans"),
        (["--runs", "2", "--seed-start", str(2**64 - 1)], "runs past the seeds a record holds"),
    ],
)
def test_a_batch_too_large_or_past_the_last_seed_is_refused_before_it_starts(tmp_path: Path, args: list[str], fragment: str) -> None:
    assert_refused(invoke("batch", CROSSING, "--workers", 1, "--out", tmp_path / "b.json", *args), fragment)
    assert not (tmp_path / "b.json").exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--vary", "objectives[0].points=1:5:999999999999"], "STEPS must be a whole number from 2 to 1000"),
        (["--vary", "objectives[0].points=1:5:1000", "--vary", "objectives[1].points=1:5:1000"], "more than 1,000,000 games"),
        (["--vary", "objectives[0].points=1:5", "--seed-start", "-1"], "runs past the seeds a record holds"),
        (["--vary", "objectives[0].points=1:5", "--seed-start", str(2**64)], "runs past the seeds a record holds"),
    ],
)
def test_a_sweep_too_large_or_past_the_last_seed_is_refused(tmp_path: Path, args: list[str], fragment: str) -> None:
    result = invoke("sweep", CROSSING, "--runs-per-point", 2, "--workers", 1, "--no-plots", "--out", tmp_path / "d", *args)
    assert_refused(result, fragment)


def test_targets_refuses_a_results_file_that_is_a_device_or_not_a_batch(tmp_path: Path) -> None:
    assert_refused(invoke("targets", "/dev/zero"), "/dev/zero")
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]")
    assert_refused(invoke("targets", listed), "not a batch result")


def test_a_reader_that_leaves_early_is_not_an_error() -> None:
    """`nomonhan run ... --out - | head -1`: when the reader closes the pipe, the command stops
    quietly with the shell's SIGPIPE code, no error message and no traceback."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written
    try:
        done = subprocess.run(
            [str(CONSOLE_SCRIPT), "run", str(CROSSING), "--out", "-"], stdout=write, stderr=subprocess.PIPE, text=True, timeout=120
        )
    finally:
        os.close(write)
    assert done.returncode == 128 + signal.SIGPIPE, done.stderr
    assert done.stderr == ""
