"""Many headless games: in this process, on local worker processes, or on a Dask cluster.

A game depends only on its seed, so each seed is one independent task and the results, sorted by
seed, are the same whatever the backend and the number of workers.  Tasks carry the scenario's
*reference* (bundled id or path), not the compiled Scenario: each worker process loads it once
and caches it, which is cheaper than pickling the compiled tables for every game and is all a
remote Dask worker can use.  Such a worker needs the same nomonhan and scenario files; every
game's scenario and rules hashes are checked against this machine's so a mismatch is refused.
Records are written by the worker that plays the game: on a remote cluster, give a shared folder.

Ctrl-C stops the batch, keeps the finished games and writes them (``interrupted: true``) to the
output file; ``resume=True`` then plays only the seeds missing from that file.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, ContextManager, Iterator, Mapping, Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from nomonhan.fileio import write_atomic
from nomonhan.scenario.load import Scenario, load_scenario
from nomonhan.sim.run import play, players_for, summary
from nomonhan.sim.stats import Historical, summarise

Task = Callable[[int], dict[str, Any]]


class BatchError(ValueError):
    """A batch that cannot run or resume as asked; the message says why, for a person."""


@functools.cache
def cached_scenario(ref: str, content_hash: str | None = None) -> Scenario:
    """Once per worker process: loading compiles the board, far dearer than one small game.

    ``content_hash`` (the one the batch expects) is only part of the key, so that a long-lived
    process reloads a scenario file edited since its last batch.  The cache also keeps each
    Scenario alive, which nomonhan.state's caches keyed on id() need.
    """
    return load_scenario(ref)


def record_path(records_dir: str | Path, scenario_id: str, seed: int) -> Path:
    return Path(records_dir) / f"{scenario_id}-seed{seed}.json"


def play_seed(
    scenario_ref: str, seed: int, kinds: Mapping[str, str], records_dir: str | None = None, scenario_hash: str | None = None
) -> dict[str, Any]:
    """One game: the task a worker runs (module level, so it pickles by name)."""
    scenario = cached_scenario(scenario_ref, scenario_hash)
    game = play(scenario, seed, players_for(scenario, kinds), scenario_ref)
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
    results: Callable[[Task, Sequence[int]], Iterator[dict[str, Any]]]
    """Run the task for each seed and yield its summaries as they finish, in any order."""


def _serial_results(task: Task, seeds: Sequence[int]) -> Iterator[dict[str, Any]]:
    for seed in seeds:
        yield task(seed)


def _ignore_sigint() -> None:
    """Ctrl-C reaches the whole process group; only the parent should handle it, else the
    workers die mid-game and the pool breaks instead of stopping cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_ignore_sigint)

    def results(task: Task, seeds: Sequence[int]) -> Iterator[dict[str, Any]]:
        futures = [pool.submit(task, seed) for seed in seeds]
        return (future.result() for future in as_completed(futures))

    try:
        yield Backend("processes", workers, results)
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

    def results(client: Any, task: Task, seeds: Sequence[int]) -> Iterator[dict[str, Any]]:
        futures = client.map(task, seeds, pure=False)
        return (future.result() for future in dask_completed(futures))

    if address is not None:
        try:
            client = Client(address)
        except OSError as exc:
            raise BatchError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        with client:
            yield Backend("dask", len(client.scheduler_info()["workers"]), functools.partial(results, client))
        return
    with _children_ignore_sigint():
        cluster = LocalCluster(n_workers=local_workers, processes=True, threads_per_worker=1)
    with cluster, Client(cluster) as client:
        yield Backend("dask-local", local_workers, functools.partial(results, client))


def _backend(workers: int | None, cluster: str | None, local_cluster: int | None, pending: int) -> ContextManager[Backend]:
    if cluster is not None and local_cluster is not None:
        raise BatchError("give either a cluster address or a local cluster size, not both")
    if (cluster is not None or local_cluster is not None) and workers is not None:
        raise BatchError("the number of workers of a Dask cluster is the cluster's; do not give workers too")
    if local_cluster is not None and local_cluster < 1:
        raise BatchError(f"a local cluster needs at least one worker, not {local_cluster}")
    if cluster is not None or local_cluster is not None:
        return _dask(cluster, local_cluster)
    if workers is not None and workers < 1:
        raise BatchError(f"workers must be at least 1, not {workers}")
    count = min(workers or os.cpu_count() or 1, max(pending, 1))
    if count == 1:
        return nullcontext(Backend("in-process", 1, _serial_results))
    return _process_pool(count)


def _previous_games(out_path: Path, scenario: Scenario, kinds: Mapping[str, str]) -> dict[int, dict[str, Any]]:
    """The games of an earlier (interrupted) run of the same batch, by seed."""
    if not out_path.exists():
        return {}
    try:
        data = json.loads(out_path.read_text(encoding="utf-8"))
        games = {game["seed"]: game for game in data["games"]}
        made_with = (data["scenario_hash"], data["rules_hash"], data["players"])
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise BatchError(f"{out_path}: not a batch result that can be resumed ({exc})") from None
    if made_with != (scenario.content_hash, scenario.rules_hash, dict(kinds)):
        raise BatchError(
            f"{out_path}: made with another scenario version, rules data or players; "
            "resume it with the same ones, or write to another file"
        )
    return games


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
    (Ctrl-C, which returns the games finished so far with ``interrupted`` set) or fails;
    ``resume`` reuses the games found in ``out_path`` and plays only the missing seeds.
    ``historical`` losses ({side: {men: [lo, hi], ...}}) go into the summary to compare with.

    Worker processes are spawned, so a script calling this needs ``if __name__ == "__main__":``.
    """
    if runs < 0:
        raise BatchError(f"runs must be at least 0, not {runs}")
    if resume and out_path is None:
        raise BatchError("resuming needs the output file of the interrupted batch")
    ref = str(scenario_ref)
    scenario = load_scenario(ref)
    kinds = {side: player.kind for side, player in players_for(scenario, player_kinds or {}).items()}
    seeds = range(seed_start, seed_start + runs)
    previous = _previous_games(Path(out_path), scenario, kinds) if resume else {}
    games = {seed: previous[seed] for seed in seeds if seed in previous}
    missing = [seed for seed in seeds if seed not in games]
    task = functools.partial(
        play_seed, ref, kinds=kinds, records_dir=None if records_dir is None else str(records_dir), scenario_hash=scenario.content_hash
    )

    with _progress_bar(progress) as bar, _backend(workers, cluster, local_cluster, len(missing)) as backend:
        bar_task = bar.add_task(f"{scenario.id} on {backend.name} ({backend.workers})", total=runs, completed=len(games))
        interrupted = True
        try:
            with closing(backend.results(task, missing)) as finished:
                for game in finished:
                    games[game["seed"]] = _checked(game, scenario)
                    bar.advance(bar_task)
            interrupted = False
        except KeyboardInterrupt:
            pass
        finally:
            # Also on a failure, so that a resume keeps what was played before it.
            final = BatchResult(
                scenario.id, ref, scenario.content_hash, scenario.rules_hash, scenario.side_ids, runs, seed_start, kinds,
                backend.name, backend.workers, [games[seed] for seed in sorted(games)], interrupted, historical,
            )
            if out_path is not None:
                final.save(out_path)
    return final
