"""Output paths a careless user gives: every write goes through nomonhan.fileio, which writes a
regular file atomically (through symbolic links), streams into pipes and open descriptors, and
refuses folders, devices and read-only files with one clear line, checked before any game."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import CROSSING_PATH
from typer.testing import CliRunner

from nomonhan import fileio
from nomonhan.cli import app
from nomonhan.fileio import OutputError, check_output, write_atomic
from nomonhan.stopping import Stopped, stop_signals_interrupt

runner = CliRunner()
CONSOLE_SCRIPT = Path(sys.executable).parent / "nomonhan"


def one_clean_error(result, *fragments: str) -> None:
    """Exit 1, no traceback, and one error line that holds every fragment."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


# ------------------------------------------------------------ the writing module


def test_a_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_a_read_only_file_is_refused_and_kept(tmp_path: Path) -> None:
    kept = tmp_path / "kept.json"
    kept.write_text("mine")
    kept.chmod(0o444)
    with pytest.raises(OutputError, match="read-only"):
        write_atomic(kept, "theirs")
    assert kept.read_text() == "mine"


@pytest.mark.parametrize("path", ["/proc/version", "/"])
def test_system_files_and_folders_are_refused(path: str) -> None:
    with pytest.raises(OutputError, match="read-only|folder"):
        write_atomic(path, "x")


def a_device(tmp_path: Path) -> Path:
    """A character device that is no terminal: a copy of /dev/full's node when we may make
    one (so a bug cannot replace the real one), else /dev/full itself."""
    node = tmp_path / "full"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.stat("/dev/full").st_rdev)
    except PermissionError:
        return Path("/dev/full")
    return node


def test_a_device_is_refused_and_never_replaced(tmp_path: Path) -> None:
    device = a_device(tmp_path)
    with pytest.raises(OutputError, match="device"):
        write_atomic(device, "x")
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert not list(device.parent.glob(f".{device.name}.*"))


def test_a_fifo_is_streamed_into_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, '{"a": 1}\n')
    reader.join(5)
    assert received == [b'{"a": 1}\n'] and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_an_open_descriptor_is_streamed_into() -> None:
    read_end, write_end = os.pipe()
    try:
        write_atomic(f"/dev/fd/{write_end}", "through the pipe\n")
        os.close(write_end)
        assert os.read(read_end, 100) == b"through the pipe\n"
    finally:
        os.close(read_end)


def test_standard_output_redirected_to_a_file_is_appended_to_not_truncated(tmp_path: Path) -> None:
    """``batch --out /dev/stdout > log``: the result lands where the shell's descriptor is."""
    log = tmp_path / "log"
    with log.open("w") as stdout:
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "from nomonhan.fileio import write_atomic; print('before', flush=True); "
                "write_atomic('/dev/stdout', 'result\\n'); print('after')",
            ],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    assert log.read_text() == "before\nresult\nafter\n"


def test_an_interrupted_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = tmp_path / "kept.json"
    kept.write_text("old")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fileio.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(kept, "new")
    assert kept.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["kept.json"]


def test_a_sigterm_during_a_save_leaves_the_old_file_and_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the console script runs every command: SIGTERM unwinds like Ctrl-C."""
    kept = tmp_path / "kept.json"
    kept.write_text("old")
    monkeypatch.setattr(fileio.os, "fsync", lambda fd: os.kill(os.getpid(), signal.SIGTERM))
    with pytest.raises(Stopped), stop_signals_interrupt():
        write_atomic(kept, "new")
    assert kept.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["kept.json"]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_full_disk_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    with pytest.raises(OutputError, match="No space left"):
        write_atomic(tmp_path / "x.json", "x")
    assert not list(tmp_path.iterdir())


def test_a_missing_folder_is_made_but_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    assert check_output(tmp_path / "new" / "deeper" / "x.png").stream is False
    (tmp_path / "file").write_text("")
    with pytest.raises(OutputError, match="is not a folder"):
        check_output(tmp_path / "file" / "x.png")


# ------------------------------------------------------------ the commands


@pytest.mark.parametrize("option", ["--out", "--record"])
@pytest.mark.parametrize("path, fragment", [(".", "is a folder"), ("/proc/version", "read-only")])
def test_run_refuses_an_output_it_cannot_write_before_playing(option: str, path: str, fragment: str) -> None:
    one_clean_error(runner.invoke(app, ["run", str(CROSSING_PATH), option, path]), path, fragment)


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["run", str(CROSSING_PATH), "--out", ""], "an empty name is not a file name"),
        (["run", str(CROSSING_PATH), "--record", "-"], "-: standard output is not written here (only by run --out)"),
        (["run", str(CROSSING_PATH), "--log", "-"], "-: standard output is not written here"),
        (["batch", str(CROSSING_PATH), "--runs", "1", "--workers", "1", "--out", "-"], "-: standard output is not written here"),
    ],
)
def test_an_empty_output_name_or_a_dash_is_refused_not_skipped_or_made_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], fragment: str
) -> None:
    """``run --out ''`` wrote nothing and said nothing; ``--record -`` wrote a file called '-'."""
    monkeypatch.chdir(tmp_path)
    one_clean_error(runner.invoke(app, args), fragment)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    "option, name, fragment",
    [
        ("--out", "folder", "is a folder"),
        ("--csv", "folder", "is a folder"),
        ("--plot", "file/x.png", "is not a folder"),
        ("--records", "file", "is not a folder"),
    ],
)
def test_batch_checks_every_output_before_the_first_game(tmp_path: Path, option: str, name: str, fragment: str) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("")
    out = tmp_path / "b.json"
    args = ["batch", str(CROSSING_PATH), "--runs", "2", "--workers", "1", option, str(tmp_path / name)]
    result = runner.invoke(app, args if option == "--out" else [*args, "--out", str(out)])
    one_clean_error(result, name, fragment)
    assert not out.exists() and not list(tmp_path.glob("*.jsonl"))


def test_batch_plot_in_a_missing_folder_is_made(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    plot = tmp_path / "new" / "plot.png"
    result = runner.invoke(app, ["batch", str(CROSSING_PATH), "--runs", "2", "--workers", "1", "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_the_plot_is_written_through_the_writing_module(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from nomonhan.sim.batch import run_batch
    from nomonhan.sim.report import plot_batch

    result = run_batch(CROSSING_PATH, 2, workers=1, progress=False)
    kept = tmp_path / "kept.png"
    kept.write_bytes(b"mine")
    kept.chmod(0o444)
    with pytest.raises(OutputError, match="read-only"):
        plot_batch(result, kept)
    link = tmp_path / "link.png"
    link.symlink_to(tmp_path / "target.png")
    plot_batch(result, link)
    assert kept.read_bytes() == b"mine" and link.is_symlink() and (tmp_path / "target.png").read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.png", "link.png", "target.png"]


def test_run_streams_its_result_into_a_process_substitution(tmp_path: Path) -> None:
    """``nomonhan run ... --out >(jq .)``: the shell passes a pipe as /dev/fd/N."""
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "rb") as reader:
        process = subprocess.Popen(
            [CONSOLE_SCRIPT, "run", CROSSING_PATH, "--out", f"/dev/fd/{write_end}"],
            pass_fds=(write_end,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        os.close(write_end)
        streamed = reader.read()
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert json.loads(streamed)["scenario"] == "crossing"


def test_batch_streams_its_result_to_standard_output_with_no_checkpoint(tmp_path: Path) -> None:
    result = subprocess.run(
        [CONSOLE_SCRIPT, "batch", CROSSING_PATH, "--runs", "2", "--workers", "1", "--out", "/dev/stdout"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    streamed, _end = json.JSONDecoder().raw_decode(result.stdout)  # the summary table follows it
    assert streamed["done_seeds"] == [0, 1]
    assert not list(tmp_path.iterdir())


def test_the_next_save_removes_what_a_killed_writer_left_and_spares_a_live_ones(tmp_path: Path) -> None:
    """A SIGKILL between the temporary file and the rename leaves ``.NAME.PID.*.tmp`` behind;
    the next write of the same file clears it, but not the file of a writer still running."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    target = tmp_path / "game.json"
    stale = tmp_path / f".game.json.{dead.stdout.strip()}.abc123.tmp"
    live = tmp_path / f".game.json.{os.getpid()}.def456.tmp"
    stale.write_text("half a save")
    live.write_text("a save in progress")
    write_atomic(target, "{}\n")
    assert target.read_text() == "{}\n"
    assert not stale.exists() and live.exists()


def _wait_until_it_catches(process: subprocess.Popen[bytes], signum: int) -> None:
    """Wait until the command has installed its handler for ``signum`` (Linux's
    /proc/PID/status lists the signals a process catches): a fixed sleep raced start-up on a
    loaded machine, and a signal before the handler kills the interpreter outright."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        status = Path(f"/proc/{process.pid}/status").read_text()
        caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
        if caught >> (signum - 1) & 1:
            return
        time.sleep(0.05)
    raise AssertionError(f"the command never caught signal {signum}")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_run_stopped_by_a_signal_exits_with_that_signals_code(tmp_path: Path, signum: int) -> None:
    """``timeout`` and job schedulers read 128 + the signal's number; 130 would say Ctrl-C."""
    process = subprocess.Popen(
        [
            CONSOLE_SCRIPT,
            "run",
            "khalkhin-gol-1939",
            "--player",
            "soviet=search",
            "--player",
            "japanese=search",
            "--out",
            str(tmp_path / "out.json"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _wait_until_it_catches(process, signum)  # past start-up, into the game (searching both sides takes several seconds)
    assert process.poll() is None, "the game ended before it could be stopped"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, stderr
    assert b"Traceback" not in stderr and not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_before_any_command_handles_it_exits_with_its_code_and_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], signum: int
) -> None:
    """A stop signal while the command is still starting (parsing, importing) reaches ``main``
    as :class:`Stopped`, not as the command's Ctrl-C exit: it still ends with 128 + its number."""
    from nomonhan import cli

    def starting() -> None:
        os.kill(os.getpid(), signum)
        time.sleep(5)  # the handler raises at the next bytecode, long before this ends

    monkeypatch.setattr(cli, "app", starting)
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 128 + signum
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_a_module_makes_its_classes_exits_with_its_code(monkeypatch: pytest.MonkeyPatch, signum: int) -> None:
    """Python 3.11 wraps an exception raised in ``__set_name__`` (a dataclass field, while a
    module imports) in a RuntimeError: a stop signal landing there still ends the command with
    128 + its number, not exit 1 and a traceback (seen once in CI on ``run`` stopped early)."""
    from nomonhan import cli

    class Field:
        def __set_name__(self, owner: type, name: str) -> None:
            os.kill(os.getpid(), signum)
            time.sleep(5)  # the handler raises here, inside __set_name__

    def importing() -> None:
        type("Made", (), {"field": Field()})

    monkeypatch.setattr(cli, "app", importing)
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 128 + signum
