"""Many headless games: in this process, on local worker processes, or on a Dask cluster.

A game depends only on its seed, so each seed is one independent task and the results, sorted by
seed, are the same whatever the backend and the number of workers.  Tasks carry the scenario's
*reference* (bundled id or path), not the compiled Scenario: each worker process loads it once
and caches it, which is cheaper than pickling the compiled tables for every game and is all a
remote Dask worker can use.  Such a worker needs the same nomonhan and scenario files; every
game's scenario and rules hashes are checked against this machine's so a mismatch is refused.
Records are written by the worker that plays the game: on a remote cluster, give a shared folder.

Each finished game goes at once into a checkpoint beside the output file (see
:mod:`nomonhan.sim.checkpoint`), so a kill loses at most the games in flight.  Ctrl-C, SIGTERM
and SIGHUP stop the batch alike: the worker processes are ended at once, and the finished games
are written (``interrupted: true``) to the output file; ``resume=True`` then plays only the
seeds missing from the checkpoint (or the output file), and reuses the records already written.
"""

from __future__ import annotations

import functools
import gc
import glob
import json
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import AbstractContextManager, closing, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from nomonhan.fileio import check_output, check_output_folder, remove_stale_temp_files, remove_temp_files, write_atomic
from nomonhan.replay import RecordError, load_game, read_record
from nomonhan.scenario.load import Scenario, load_scenario
from nomonhan.sim.checkpoint import BatchError, Checkpoint, Parameters, check_seeds, checkpoint_path, previous_games, record_path
from nomonhan.sim.run import play, players_for, summary
from nomonhan.sim.stats import Historical, summarise
from nomonhan.stopping import STOP_SIGNALS, stop_signals_interrupt

Task = Callable[[Any], dict[str, Any]]
"""A game to play for one work item (a seed; for a sweep, a point and a seed), giving its summary."""
Results = Generator[dict[str, Any], None, None]


@functools.cache
def cached_scenario(ref: str, content_hash: str | None = None) -> Scenario:
    """Once per worker process: loading compiles the board, far dearer than one small game.

    ``content_hash`` (the one the batch expects) is only part of the key, so that a long-lived
    process reloads a scenario file edited since its last batch.  The cache also keeps each
    Scenario alive, which nomonhan.state's caches keyed on id() need.
    """
    return load_scenario(ref)


def play_seed(
    scenario_ref: str, seed: int, kinds: Mapping[str, str], records_dir: str | None = None, scenario_hash: str | None = None
) -> dict[str, Any]:
    """One game: the task a worker runs (module level, so it pickles by name)."""
    scenario = cached_scenario(scenario_ref, scenario_hash)
    game = play(scenario, seed, players_for(scenario, kinds), scenario_ref, keep_states=False)
    if records_dir is not None:
        game.save(record_path(records_dir, scenario.id, seed), dict(kinds))
    return summary(game, kinds)


@dataclass
class BatchResult:
    """The games of a batch sorted by seed, and whether the batch was cut short."""

    scenario: str
    scenario_ref: str
    scenario_hash: str
    rules_hash: str
    sides: tuple[str, str]
    runs: int
    seed_start: int
    players: dict[str, str]
    backend: str
    workers: int
    games: list[dict[str, Any]]
    interrupted: bool
    historical: Historical | None = None
    stopped_by: int = 0
    """The signal that interrupted the batch (SIGINT for Ctrl-C); 0 when it was not."""
    summary: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.summary = summarise(self.games, self.sides, self.historical)

    @property
    def done_seeds(self) -> list[int]:
        return [game["seed"] for game in self.games]

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "scenario_ref": self.scenario_ref,
            "scenario_hash": self.scenario_hash,
            "rules_hash": self.rules_hash,
            "sides": list(self.sides),
            "runs": self.runs,
            "seed_start": self.seed_start,
            "players": self.players,
            "backend": self.backend,
            "workers": self.workers,
            "interrupted": self.interrupted,
            "done_seeds": self.done_seeds,
            "summary": self.summary,
            "games": self.games,
        }

    def save(self, path: str | Path) -> None:
        write_atomic(path, json.dumps(self.to_dict(), indent=1) + "\n")


@dataclass(frozen=True)
class Backend:
    name: str
    workers: int
    results: Callable[[Task, Sequence[Any]], Results]
    """Run the task for each seed and yield its summaries as they finish, in any order."""
    stop: Callable[[], None] = lambda: None
    """End the games in flight at once, when the batch is interrupted."""


FULL_COLLECTIONS_RARER = 10
"""How many times rarer a games process makes the collector's older generations' collections."""


def collector_for_games() -> Callable[[], None]:
    """Set the garbage collector for a process about to play many games; returns what sets it
    back.

    What is alive when the games begin (the modules, any scenario already loaded) is frozen out
    of the collector's scans, and the two older generations are collected ten times more rarely.
    A game's garbage is short-lived states and their memos, collected young; each collection of
    the oldest generation walks every long-lived object (the scenario's tables, the board's kept
    searches) for nothing.  Measured (docs/benchmarks.md): some 5-8% less time on random
    players' games, 1-4% on the heuristic's.  A process that froze its heap itself is left
    frozen as it was.
    """
    thresholds = gc.get_threshold()
    freezes = gc.get_freeze_count() == 0
    if freezes:
        gc.collect()
        gc.freeze()
    young, middle, old = thresholds
    gc.set_threshold(young, middle * FULL_COLLECTIONS_RARER, old)

    def restore() -> None:
        gc.set_threshold(*thresholds)
        if freezes:
            gc.unfreeze()

    return restore


def _serial_results(task: Task, seeds: Sequence[Any]) -> Results:
    restore = collector_for_games()
    try:
        for seed in seeds:
            yield task(seed)
    finally:
        restore()


def _worker_start() -> None:
    """Ctrl-C and the stop signals may reach the whole process group; only the parent handles
    them (it ends the workers itself), else the workers die mid-game and the pool breaks instead
    of stopping cleanly.  On Linux a worker also dies with the parent, so that a killed batch
    leaves no process playing on.  The worker only plays games: its collector is set for them
    for good (:func:`collector_for_games`)."""
    collector_for_games()
    for signum in (signal.SIGINT, *STOP_SIGNALS):
        signal.signal(signum, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


@contextmanager
def _children_ignore_sigint() -> Iterator[None]:
    """Processes started meanwhile inherit SIGINT ignored (as :func:`_ignore_sigint` does for
    the pool), for the processes that a local Dask cluster starts and whose code is not ours.
    Only the main thread may set signal handlers; elsewhere Ctrl-C does not reach us anyway."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _process_pool(workers: int) -> Iterator[Backend]:
    """Local processes, started with 'spawn': a forked child would inherit the progress bar's
    refresh thread and any lock it holds; spawn behaves the same on every OS and costs one
    interpreter start per worker, once per batch."""
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_start)

    def results(task: Task, seeds: Sequence[Any]) -> Results:
        futures = [pool.submit(task, seed) for seed in seeds]
        return (future.result() for future in as_completed(futures))

    def stop() -> None:
        """Kill the workers (they ignore the polite signals): else shutting the pool down would
        wait for every game in flight, which may take minutes with the search player."""
        processes = list((getattr(pool, "_processes", None) or {}).values())
        terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
        if terminate is not None:
            terminate()
        else:
            for process in processes:
                process.kill()
        for process in processes:
            # Reaped, not a zombie: until then its process id still answers, and the temporary
            # record file it was writing would be taken for a live writer's and left behind.
            process.join(5)

    try:
        yield Backend("processes", workers, results, stop)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _dask(address: str | None, local_workers: int | None) -> Iterator[Backend]:
    """A Dask cluster at ``address``, or a local one of ``local_workers`` single-threaded
    processes (the rules are pure Python: threads would only contend for the GIL).  Closing the
    client releases its futures, which cancels the games not yet played."""
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise BatchError("running on a Dask cluster needs Dask: pip install 'nomonhan[cluster]'") from None

    def results(client: Any, task: Task, seeds: Sequence[Any]) -> Results:
        futures = client.map(task, seeds, pure=False)
        return (future.result() for future in dask_completed(futures))

    if address is not None:
        seconds = _check_scheduler(address)
        try:
            client = Client(address, timeout=seconds)
        except OSError as exc:
            raise BatchError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        with client:
            yield Backend("dask", len(client.scheduler_info()["workers"]), functools.partial(results, client))
        return
    assert local_workers is not None  # no address: open_backend asked for a local cluster of this size
    with _children_ignore_sigint():
        cluster = LocalCluster(n_workers=local_workers, processes=True, threads_per_worker=1)
    with cluster, Client(cluster) as client:
        yield Backend("dask-local", local_workers, functools.partial(results, client))


CLUSTER_TIMEOUT = 5.0
"""Seconds a Dask scheduler has to answer (less if Dask's own connect timeout is shorter)."""


def _check_scheduler(address: str) -> float:
    """Ask ``address`` who it is, within a few seconds, before Dask's client connects: given
    anything else (a web server, a silent port), the client reads garbage as a frame length
    (a MemoryError of exabytes) or waits for a minute and more.  Returns the timeout to use."""
    import asyncio

    import dask
    from dask.utils import parse_timedelta
    from distributed.comm.core import connect
    from distributed.security import Security

    seconds: float = min(CLUSTER_TIMEOUT, parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), default="seconds"))

    security = Security().get_connection_args("client")  # TLS settings from Dask's configuration

    async def identity() -> Any:
        comm = await connect(address, timeout=seconds, **security)
        try:
            await comm.write({"op": "identity"})
            return await comm.read()
        finally:
            comm.abort()

    try:
        reply = asyncio.run(asyncio.wait_for(identity(), seconds + 1))
    except TimeoutError:  # before OSError, of which it is one
        raise BatchError(f"{address}: no Dask scheduler answered within {seconds:g} s") from None
    except OSError as exc:
        raise BatchError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    except Exception:  # noqa: BLE001 - whatever a stranger's bytes make Dask's reader raise
        reply = None
    if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
        raise BatchError(f"{address}: this is not a Dask scheduler (its answer is not one)")
    return seconds


MAX_LOCAL_WORKERS = 256
"""Processes started on this machine (``--workers``, ``--local-cluster``): more than its cores
only share them, and a hundred thousand would exhaust it before the first game."""


def _backend(workers: int | None, cluster: str | None, local_cluster: int | None, pending: int) -> AbstractContextManager[Backend]:
    if cluster is not None and local_cluster is not None:
        raise BatchError("give either a cluster address or a local cluster size, not both")
    if (cluster is not None or local_cluster is not None) and workers is not None:
        raise BatchError("the number of workers of a Dask cluster is the cluster's; do not give workers too")
    if local_cluster is not None and local_cluster < 1:
        raise BatchError(f"a local cluster needs at least one worker, not {local_cluster}")
    if workers is not None and workers < 1:
        raise BatchError(f"workers must be at least 1, not {workers}")
    for option, asked in (("--workers", workers), ("--local-cluster", local_cluster)):
        if asked is not None and asked > MAX_LOCAL_WORKERS:
            raise BatchError(f"{option} {asked}: at most {MAX_LOCAL_WORKERS} processes on one machine (a Dask --cluster has more)")
    if cluster is not None or local_cluster is not None:
        return _dask(cluster, None if local_cluster is None else min(local_cluster, max(pending, 1)))
    count = min(workers or os.cpu_count() or 1, max(pending, 1))
    if count == 1:
        return nullcontext(Backend("in-process", 1, _serial_results))
    return _process_pool(count)


def _checked(game: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    if (game["scenario_hash"], game["rules_hash"]) != (scenario.content_hash, scenario.rules_hash):
        raise BatchError(
            f"a worker played seed {game['seed']} with another version of scenario {scenario.id!r} or of the "
            "rules data; give every worker the same nomonhan and scenario files"
        )
    return game


def _progress_bar(enabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
    )


# The same backends and progress bar for runners of other tasks (nomonhan.sim.sweep).
open_backend = _backend
progress_bar = _progress_bar


def run_batch(
    scenario_ref: str | Path,
    runs: int,
    seed_start: int = 0,
    player_kinds: Mapping[str, str] | None = None,
    workers: int | None = None,
    cluster: str | None = None,
    local_cluster: int | None = None,
    records_dir: str | Path | None = None,
    out_path: str | Path | None = None,
    resume: bool = False,
    progress: bool = True,
    historical: Historical | None = None,
) -> BatchResult:
    """Play seeds ``seed_start .. seed_start + runs - 1`` and summarise them.

    Backend: ``cluster`` (a Dask scheduler address), ``local_cluster`` (start a local Dask
    cluster of that many workers), else ``workers`` local processes (default: all cores; 1 plays
    in this process).  ``out_path`` receives the JSON result, also when the batch is interrupted
    (Ctrl-C, SIGTERM or SIGHUP, which return the games finished so far with ``interrupted`` set)
    or fails; meanwhile its checkpoint keeps each game as it finishes.  ``resume`` reuses the
    games of the checkpoint (or of ``out_path``) and the records in ``records_dir``, and plays
    only the other seeds.  ``historical`` losses ({side: {men: [lo, hi], ...}}) go into the
    summary to compare with.

    Worker processes are spawned, so a script calling this needs ``if __name__ == "__main__":``.
    """
    check_seeds(runs, seed_start, "--runs")
    out = _output_file(out_path, resume)
    if records_dir is not None:
        check_output_folder(records_dir)
    ref = str(scenario_ref)
    scenario = load_scenario(ref)
    kinds = {side: player.kind for side, player in players_for(scenario, player_kinds or {}).items()}
    parameters = Parameters(scenario.id, scenario.content_hash, scenario.rules_hash, kinds, runs, seed_start)
    records = None if records_dir is None else Path(records_dir)
    games = previous_games(out, parameters, scenario, records) if resume and out is not None else {}
    if resume and records is not None:
        games.update(_replayed_records(records, ref, scenario, kinds, [seed for seed in parameters.seeds if seed not in games]))
    missing = [seed for seed in parameters.seeds if seed not in games]
    if resume and out is not None:  # what a killed run of this batch was writing when it died
        for path in (out, checkpoint_path(out)):
            remove_temp_files(path)
        _remove_cut_short_records(records, scenario.id)
    task = functools.partial(
        play_seed, ref, kinds=kinds, records_dir=None if records is None else str(records), scenario_hash=scenario.content_hash
    )

    stopped_by = signal.SIGINT
    with stop_signals_interrupt(), _backend(workers, cluster, local_cluster, len(missing)) as backend, _progress_bar(progress) as bar:
        checkpoint = None if out is None else Checkpoint(checkpoint_path(out), parameters, (games[seed] for seed in sorted(games)))
        bar_task = bar.add_task(f"{scenario.id} on {backend.name} ({backend.workers})", total=runs, completed=len(games))
        interrupted = True
        try:
            with closing(backend.results(task, missing)) as finished:
                for game in finished:
                    games[game["seed"]] = _checked(game, scenario)
                    if checkpoint is not None:
                        checkpoint.add(game)
                    bar.advance(bar_task)
            interrupted = False
            _remove_cut_short_records(records, scenario.id)  # a killed run's, even of seeds it finished
        except KeyboardInterrupt as exc:
            stopped_by = getattr(exc, "signum", signal.SIGINT)
            _stop(backend, records, scenario.id)
        except BaseException:
            _stop(backend, records, scenario.id)
            raise
        finally:
            # Also on a failure, so that a resume keeps what was played before it.
            final = BatchResult(
                scenario.id,
                ref,
                scenario.content_hash,
                scenario.rules_hash,
                scenario.side_ids,
                runs,
                seed_start,
                kinds,
                backend.name,
                backend.workers,
                [games[seed] for seed in sorted(games)],
                interrupted,
                historical,
                stopped_by if interrupted else 0,
            )
            if out_path is not None:
                final.save(out_path)
            if checkpoint is not None:
                checkpoint.close(finished=not interrupted)
    return final


def _stop(backend: Backend, records: Path | None, scenario_id: str) -> None:
    """End the games in flight, and remove the temporary files of the records they were writing."""
    backend.stop()
    _remove_cut_short_records(records, scenario_id)


def _remove_cut_short_records(records: Path | None, scenario_id: str) -> None:
    """Remove the temporary files of this scenario's records whose writers are dead (a worker
    stopped or killed while saving), in one scan of the folder however many seeds it holds."""
    if records is not None:
        remove_stale_temp_files(records, f"{glob.escape(scenario_id)}-seed*.json")


def _output_file(out_path: str | Path | None, resume: bool) -> Path | None:
    """The regular file a checkpoint goes beside, after checking ``out_path`` can be written.

    None without ``out_path``, or when it is a pipe or terminal: then no checkpoint is kept.
    Without ``resume``, the checkpoint of an interrupted batch there is refused, not replaced:
    forgetting ``--resume`` would throw away games that may have taken hours."""
    if out_path is None:
        if resume:
            raise BatchError("resuming needs the output file of the interrupted batch")
        return None
    if check_output(out_path).stream:
        if resume:
            raise BatchError(f"{out_path}: resuming needs the output file of the interrupted batch, not a pipe or device")
        return None
    checkpoint = checkpoint_path(out_path)
    check_output(checkpoint)
    if not resume and checkpoint.exists():
        raise BatchError(
            f"{out_path}: an interrupted batch keeps its games in {checkpoint}; complete it with --resume, "
            f"or remove {checkpoint} (or give another --out) to start afresh"
        )
    return Path(out_path)


def _replayed_records(
    records: Path, ref: str, scenario: Scenario, kinds: Mapping[str, str], seeds: Sequence[int]
) -> dict[int, dict[str, Any]]:
    """The games of ``seeds`` whose records a killed batch already wrote, replayed (which checks
    their digests) rather than played again: replaying needs no player's thinking."""
    games = {}
    for seed in seeds:
        path = record_path(records, scenario.id, seed)
        if not path.exists():
            continue
        try:
            players = read_record(path).get("players")
            game = load_game(path, ref)
        except RecordError as exc:
            raise BatchError(f"{exc} (a record of this batch's --records; remove it to play seed {seed} again)") from None
        if game.seed != seed or players != dict(kinds):
            raise BatchError(f"{path}: not seed {seed} played by {dict(kinds)}; remove it to play that seed again")
        games[seed] = summary(game, kinds)
    return games
