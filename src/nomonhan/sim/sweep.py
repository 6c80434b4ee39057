"""What-if sweeps: many variants of one scenario, each played on the same seeds.

A sweep varies parameters (``--vary PATH=LOW:HIGH[:STEPS]``, or ``PATH*=LOW:HIGH`` for a
factor), each a path of :mod:`nomonhan.scenario.variants`, and plays every *point* (one set of
values) on seeds ``seed_start .. seed_start + runs_per_point - 1``.  Every point uses the same
seeds (common random numbers), so the differences between points are the parameters', not the
dice's.  Methods:

- ``grid``: every combination of each parameter's STEPS values;
- ``oat``: the scenario as it is, then each parameter through its values with the others as in
  the scenario (one at a time; the tornado chart);
- ``morris``, ``sobol``: SALib's samples of the parameters' ranges, analysed with SALib.

Every point's variant is validated before the first game (a bad path or value stops the sweep
with the loader's ``field: message``).  Games run on the backends of :mod:`nomonhan.sim.batch`;
a task carries the variant's reference, which a worker loads (and keeps for its next games).
Each finished game is appended at once to ``DIR/games.jsonl``, beside the plan
``DIR/sweep.json``: Ctrl-C (or SIGTERM, SIGHUP) ends the workers and keeps every finished game,
and ``resume`` plays only the others.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import os
import re
import signal
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from nomonhan import __version__, safeio
from nomonhan.fileio import OutputError, check_output_folder, write_atomic
from nomonhan.scenario.load import Scenario, load_scenario
from nomonhan.scenario.variants import Variant, format_path, parse_path, split_assignment
from nomonhan.sim.batch import open_backend, progress_bar
from nomonhan.sim.checkpoint import MAX_GAMES, BatchError, Parameters, check_seeds, checked_entry
from nomonhan.sim.run import play, players_for, summary
from nomonhan.stopping import stop_signals_interrupt

METHODS = ("grid", "oat", "morris", "sobol")
DEFAULT_STEPS = 3
MAX_STEPS = 1000
MAX_VARY_CHARS = 1000
"""Characters in one ``--vary``: a path and two or three numbers (each echoed in its errors)."""
"""The most values one parameter takes: a finer grid than this is noise at any games a point."""
DEFAULT_SAMPLES = {"morris": 4, "sobol": 8}
"""Morris trajectories (points: samples x (parameters + 1)); Sobol base samples, a power of two
(points: samples x (parameters + 2))."""
MORRIS_LEVELS = 4
PLAN_FILE = "sweep.json"
LOG_FILE = "games.jsonl"
T = TypeVar("T")


class SweepError(BatchError):
    """A sweep that cannot run or resume as asked; the message says why, for a person."""


def _number(text: str, spec: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise SweepError(f"--vary {spec}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise SweepError(f"--vary {spec}: {text!r} is not a finite number")
    return value


def _is_integer(text: str) -> bool:
    return text.strip().lstrip("+-").isdigit()


def _tidy(value: float) -> float:
    """Six significant digits: 0.30000000000000004 is 0.3 in a column and a path."""
    return float(f"{value:.6g}")


@dataclass(frozen=True)
class Parameter:
    """One ``--vary``: a path set to values from LOW to HIGH, or scaled by factors from LOW to HIGH.

    Values are integers when LOW and HIGH are written as integers (and the path is set, not
    scaled); a scaled integer field is rounded by the variant as ``PATH*=FACTOR`` is.
    """

    path: str
    scale: bool
    low: float
    high: float
    steps: int
    integer: bool

    @classmethod
    def parse(cls, spec: str) -> Parameter:
        if len(spec) > MAX_VARY_CHARS:
            raise SweepError(f"--vary takes at most {MAX_VARY_CHARS:,} characters (a path and numbers), not {len(spec):,}")
        path, operator, bounds = split_assignment(spec, "--vary")
        parse_path(path, "--vary", spec)
        parts = bounds.split(":")
        if len(parts) not in (2, 3):
            raise SweepError(f"--vary takes PATH=LOW:HIGH[:STEPS] or PATH*=LOW:HIGH[:STEPS], not {spec!r}")
        low, high = (_number(part, spec) for part in parts[:2])
        if high < low:
            raise SweepError(f"--vary {spec}: LOW ({parts[0]}) is above HIGH ({parts[1]})")
        steps = DEFAULT_STEPS
        if len(parts) == 3:
            if not re.fullmatch("[0-9]{1,9}", parts[2].strip()) or not 2 <= int(parts[2]) <= MAX_STEPS:
                raise SweepError(f"--vary {spec}: STEPS must be a whole number from 2 to {MAX_STEPS}, not {parts[2]!r}")
            steps = int(parts[2])
        scale = operator == "*="
        if scale and low < 0:
            raise SweepError(f"--vary {spec}: a factor cannot be negative")
        return cls(
            format_path(parse_path(path, "--vary", spec)), scale, low, high, steps, not scale and all(_is_integer(p) for p in parts[:2])
        )

    @property
    def name(self) -> str:
        """The column name: the path, with ``*`` when the values are factors."""
        return f"{self.path}*" if self.scale else self.path

    def value(self, x: float) -> int | float:
        """A sampled number as this parameter's value (rounded for an integer parameter)."""
        return int(math.floor(x + 0.5)) if self.integer else _tidy(x)

    def values(self) -> list[int | float]:
        """STEPS values evenly from LOW to HIGH (an integer parameter's without repeats)."""
        spaced = [self.low + (self.high - self.low) * k / (self.steps - 1) for k in range(self.steps)]
        return list(dict.fromkeys(self.value(x) for x in spaced))

    def change(self, value: int | float) -> str:
        return f"{self.path}{'*=' if self.scale else '='}{value}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "scale": self.scale,
            "low": self.low,
            "high": self.high,
            "steps": self.steps,
            "integer": self.integer,
        }


@dataclass
class Point:
    """One variant of the sweep: its parameters' values (None: as in the scenario) and reference."""

    index: int
    values: dict[str, int | float | None]
    ref: str
    scenario_hash: str = ""
    rules_hash: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "values": self.values,
            "ref": self.ref,
            "scenario_hash": self.scenario_hash,
            "rules_hash": self.rules_hash,
        }


def salib_problem(parameters: Sequence[Parameter]) -> dict[str, Any]:
    return {"num_vars": len(parameters), "names": [p.name for p in parameters], "bounds": [[p.low, p.high] for p in parameters]}


def salib_module(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(f"SALib.{module}")
    except ImportError:
        raise SweepError("the morris and sobol methods need SALib: pip install 'nomonhan[analysis]'") from None


def design(method: str, parameters: Sequence[Parameter], samples: int, sample_seed: int, runs_per_point: int = 1) -> list[list[float]]:
    """The parameters' values at each point, before rounding (SALib analyses these).

    A sample's points (``samples`` x parameters + 1 for morris, + 2 for sobol) are counted
    against MAX_GAMES before SALib is asked: it would build them all in memory first.
    """
    if method == "grid":
        return [list(values) for values in itertools.product(*(p.values() for p in parameters))]
    if method == "oat":
        return []  # points are built from the base and each parameter's values, see plan_points
    if samples < 1:
        raise SweepError(f"--samples must be at least 1, not {samples}")
    points = samples * (len(parameters) + (1 if method == "morris" else 2))
    if points * runs_per_point > MAX_GAMES:
        raise SweepError(
            f"--samples {samples} gives {points:,} points at {runs_per_point} games each, more than {MAX_GAMES:,} games; "
            "take fewer --samples or --runs-per-point"
        )
    problem = salib_problem(parameters)
    if method == "morris":
        rows = salib_module("sample.morris").sample(problem, samples, num_levels=MORRIS_LEVELS, seed=sample_seed)
    else:
        if samples & (samples - 1):
            raise SweepError(f"the sobol method needs --samples to be a power of two (e.g. 8, 16, 32), not {samples}")
        rows = salib_module("sample.sobol").sample(problem, samples, calc_second_order=False, seed=sample_seed)
    return [[float(x) for x in row] for row in rows]


def plan_points(method: str, parameters: Sequence[Parameter], base: Variant, rows: Sequence[Sequence[float]]) -> list[Point]:
    """The sweep's points in order; ``rows`` from :func:`design` (unused for ``oat``)."""
    if method == "oat":
        chosen: list[dict[str, int | float | None]] = [{p.name: None for p in parameters}]
        for parameter in parameters:
            chosen.extend({p.name: (value if p is parameter else None) for p in parameters} for value in parameter.values())
    else:
        chosen = [{p.name: p.value(x) for p, x in zip(parameters, row)} for row in rows]
    each = len(base.ref.encode("utf-8"))
    if len(chosen) * each > MAX_PLAN_BYTES:  # checked before a million copies are made
        raise SweepError(
            f"{len(chosen):,} points would each carry the base variant's {each:,}-byte reference (its overlays' text): "
            f"more than the {MAX_PLAN_BYTES:,} bytes a sweep's plan may hold; plan fewer points or smaller overlays"
        )
    points = []
    for index, values in enumerate(chosen):
        changes = [p.change(value) for p in parameters if (value := values[p.name]) is not None]
        points.append(Point(index, values, base.with_changes(changes).ref))
    return points


@functools.lru_cache(maxsize=4)
def point_scenario(ref: str) -> Scenario:
    """A worker keeps the last few variants it loaded: a sweep's tasks come point by point."""
    return load_scenario(ref)


def play_point(task: tuple[int, str, str, int], kinds: Mapping[str, str]) -> dict[str, Any]:
    """One game of one point: the task a worker runs (module level, so it pickles by name)."""
    index, ref, scenario_hash, seed = task
    scenario = point_scenario(ref)
    if scenario.content_hash != scenario_hash:
        raise SweepError(f"a worker loaded point {index} with another scenario text; give every worker the same nomonhan and files")
    game = play(scenario, seed, players_for(scenario, kinds), ref, keep_states=False)
    return {"point": index, **summary(game, kinds)}


@dataclass
class SweepResult:
    """A sweep's plan and the games played so far, sorted by point and seed."""

    plan: dict[str, Any]
    games: list[dict[str, Any]]
    interrupted: bool
    backend: str = ""
    workers: int = 0
    stopped_by: int = 0
    """The signal that interrupted the sweep (SIGINT for Ctrl-C); 0 when it was not."""
    points: list[Point] = field(init=False)

    def __post_init__(self) -> None:
        self.points = [Point(**p) for p in self.plan["points"]]

    @property
    def parameters(self) -> list[Parameter]:
        return [Parameter(**{k: v for k, v in p.items() if k != "name"}) for p in self.plan["parameters"]]

    @property
    def sides(self) -> tuple[str, str]:
        first, second = self.plan["sides"]
        return first, second

    @property
    def complete(self) -> bool:
        runs_per_point: int = self.plan["runs_per_point"]
        return len(self.games) == len(self.points) * runs_per_point

    def games_of(self, point: Point) -> list[dict[str, Any]]:
        return [game for game in self.games if game["point"] == point.index]


MAX_PLAN_BYTES = 100_000_000
"""The largest ``sweep.json`` read back: its points carry their variants' text, overlays too."""
MAX_GAME_BYTES = 256_000
"""The most one game's line in ``games.jsonl`` may take (a line is a few kilobytes)."""


def _read_plan(path: Path) -> Any:
    """The saved plan, read within a bound (a link to ``/dev/zero``, a FIFO or a folder is refused)."""
    try:
        return safeio.read_json(path, MAX_PLAN_BYTES)
    except safeio.FileRefused as exc:
        raise SweepError(f"{path}: not a sweep plan ({exc})") from None


def _read_log(path: Path, plan: dict[str, Any]) -> list[Any]:
    """The entries of the append-only log, unchecked; a last line cut short by a kill is dropped
    (and cut from the file, so the next game starts a line of its own).  The log is read within
    a bound that the plan's number of games sets (twice it: a game may be logged twice)."""
    if not path.exists() and not path.is_symlink():
        return []
    limit = 2 * max(1, len(plan["points"]) * plan["runs_per_point"]) * MAX_GAME_BYTES
    try:
        data = safeio.read_bytes(path, limit)
    except safeio.FileRefused as exc:
        raise SweepError(f"{path}: not a log of this sweep's games ({exc})") from None
    complete = data[: data.rfind(b"\n") + 1]
    if len(complete) != len(data):
        with open(path, "r+b") as handle:
            handle.truncate(len(complete))
    entries = []
    for number, line in enumerate(complete.split(b"\n")[:-1], start=1):
        try:
            entries.append(json.loads(line))
        except (ValueError, RecursionError):
            raise SweepError(f"{path}:{number}: not a line of JSON") from None
    return entries


def _checked_games(path: Path, entries: list[Any], plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The log's entries, each checked as a resumed batch checks its games (against its own
    point's variant); a game logged twice counts once."""
    points = {point["index"]: point for point in plan["points"]}
    games: dict[tuple[int, int], dict[str, Any]] = {}
    for number, entry in enumerate(entries, start=1):
        index = entry.get("point") if isinstance(entry, dict) else None
        if isinstance(index, bool) or not isinstance(index, int) or index not in points:
            raise SweepError(f"{path}:{number}: not a game of this sweep (no point of its plan)")
        point = points[index]
        if entry.get("scenario_hash") != point["scenario_hash"]:
            raise SweepError(f"{path}:{number}: a game of point {index} was played with another scenario text")
        parameters = Parameters(
            plan["scenario"],
            point["scenario_hash"],
            point["rules_hash"],
            plan["players"],
            plan["runs_per_point"],
            plan["seed_start"],
        )
        game = checked_entry(entry, parameters, point_scenario(point["ref"]), f"{path}:{number}: point {index}")
        games[index, game["seed"]] = game
    return list(games.values())


def _check_new_folder(out: Path) -> None:
    """A new sweep's folder is missing or empty: the sweep writes tables and plots of its own
    names there (``points.json``, ``games.csv``, ...), which must not replace a user's files."""
    if (out / PLAN_FILE).exists() or (out / LOG_FILE).exists():
        raise SweepError(f"{out} holds a sweep already; complete it with --resume, or give another --out folder")
    if not out.is_dir():
        return
    found = sorted(entry.name for entry in itertools.islice(out.iterdir(), 4))
    if found:
        shown = ", ".join(found[:3]) + (", ..." if len(found) > 3 else "")
        raise SweepError(
            f"{out} is not empty (it holds {shown}); a new sweep writes its plan, games, tables and plots "
            "there: give a new or empty --out folder"
        )


def _previous(out: Path, plan: dict[str, Any], resume: bool) -> list[dict[str, Any]]:
    """The games a resumed sweep already played in ``out``, checked against its plan."""
    plan_path, log_path = out / PLAN_FILE, out / LOG_FILE
    if not resume:
        return []
    if not plan_path.exists():
        raise SweepError(f"{out}: no sweep to resume ({PLAN_FILE} is missing)")
    saved = _read_plan(plan_path)
    if not isinstance(saved, dict):
        raise SweepError(f"{plan_path}: not a sweep plan (not a mapping of its fields)")
    if saved != plan:
        differ = sorted(key for key in set(saved) | set(plan) if saved.get(key) != plan.get(key))
        raise SweepError(
            f"{out}: made by another sweep (it differs in: {', '.join(differ)}); resume it with the same command "
            "and the same scenario files, or give another --out folder"
        )
    return _checked_games(log_path, _read_log(log_path, plan), plan)


def run_sweep(
    scenario_ref: str | Path,
    parameters: Sequence[Parameter],
    out: str | Path,
    method: str = "grid",
    runs_per_point: int = 20,
    seed_start: int = 0,
    changes: Sequence[str] = (),
    overlays: Sequence[Path] = (),
    player_kinds: Mapping[str, str] | None = None,
    samples: int | None = None,
    sample_seed: int = 0,
    workers: int | None = None,
    cluster: str | None = None,
    local_cluster: int | None = None,
    resume: bool = False,
    progress: bool = True,
) -> SweepResult:
    """Plan the sweep, validate every point, and play the games not yet in ``out``.

    ``changes`` and ``overlays`` make the base variant every point starts from.  Returns the
    games so far; Ctrl-C returns early with ``interrupted`` set.  Worker processes are spawned,
    so a script calling this needs ``if __name__ == "__main__":``.
    """
    if method not in METHODS:
        raise SweepError(f"--method is one of {', '.join(METHODS)}, not {method!r}")
    if not parameters:
        raise SweepError("give at least one --vary PATH=LOW:HIGH[:STEPS]")
    names = [p.name for p in parameters]
    if len(set(names)) != len(names):
        raise SweepError("each --vary names a different path")
    if runs_per_point < 1:
        raise SweepError(f"--runs-per-point must be at least 1, not {runs_per_point}")
    check_seeds(runs_per_point, seed_start, "--runs-per-point")
    if method == "grid" and math.prod(p.steps for p in parameters) * runs_per_point > MAX_GAMES:
        raise SweepError(
            f"the grid of {' x '.join(str(p.steps) for p in parameters)} points at {runs_per_point} games each is more than "
            f"{MAX_GAMES:,} games; take fewer STEPS or --runs-per-point"
        )
    out_dir = Path(out)
    check_output_folder(out_dir)  # before the variants are checked, so a typo costs seconds
    if not resume:
        _check_new_folder(out_dir)
    base = Variant.create(scenario_ref, list(changes), list(overlays))
    base_scenario = load_scenario(base.ref)
    kinds = {side: player.kind for side, player in players_for(base_scenario, player_kinds or {}).items()}
    samples = DEFAULT_SAMPLES.get(method, 0) if samples is None else samples
    rows = design(method, parameters, samples, sample_seed, runs_per_point)
    points = plan_points(method, parameters, base, rows)
    if len(points) * runs_per_point > MAX_GAMES:
        raise SweepError(f"{len(points):,} points at {runs_per_point} games each is more than {MAX_GAMES:,} games; plan fewer")

    with progress_bar(progress) as bar:
        checking = bar.add_task("checking the variants", total=len(points))
        for point in points:
            loaded = point_scenario(point.ref)  # kept: a sweep played in this process needs it next
            point.scenario_hash, point.rules_hash = loaded.content_hash, loaded.rules_hash
            bar.advance(checking)
        bar.remove_task(checking)
    plan = {
        "scenario": base_scenario.id,
        "base": base.describe(),
        "sides": [side.id for side in base_scenario.sides],
        "colours": {side.id: side.colour for side in base_scenario.sides},
        "method": method,
        "parameters": [p.to_dict() for p in parameters],
        "samples": samples if method in ("morris", "sobol") else None,
        "sample_seed": sample_seed if method in ("morris", "sobol") else None,
        "design": rows if method in ("morris", "sobol") else None,
        "runs_per_point": runs_per_point,
        "seed_start": seed_start,
        "players": kinds,
        "points": [point.to_dict() for point in points],
        "version": __version__,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    games = _previous(out_dir, plan, resume)
    if not resume:
        write_atomic(out_dir / PLAN_FILE, json.dumps(plan, indent=1) + "\n")
    done = {(game["point"], game["seed"]) for game in games}
    seeds = range(seed_start, seed_start + runs_per_point)
    pending = [(p.index, p.ref, p.scenario_hash, seed) for p in points for seed in seeds if (p.index, seed) not in done]
    task = functools.partial(play_point, kinds=kinds)

    interrupted, stopped_by = True, signal.SIGINT
    with (
        stop_signals_interrupt(),
        open(out_dir / LOG_FILE, "ab", buffering=0) as log,
        progress_bar(progress) as bar,
        open_backend(workers, cluster, local_cluster, len(pending)) as backend,
    ):
        bar_task = bar.add_task(
            f"{base_scenario.id}: {len(points)} points on {backend.name} ({backend.workers})",
            total=len(points) * runs_per_point,
            completed=len(games),
        )
        try:
            with closing(backend.results(task, pending)) as finished:
                for game in finished:
                    _append_line(log.fileno(), out_dir / LOG_FILE, json.dumps(game, separators=(",", ":")))
                    games.append(game)
                    bar.advance(bar_task)
            interrupted = False
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM/SIGHUP (nomonhan.stopping)
            stopped_by = getattr(exc, "signum", signal.SIGINT)
            backend.stop()  # the games in flight are lost either way; do not wait for them
        finally:
            _written(out_dir / LOG_FILE, os.fsync, log.fileno())
    games.sort(key=lambda game: (game["point"], game["seed"]))
    return SweepResult(plan, games, interrupted, backend.name, backend.workers, stopped_by if interrupted else 0)


def _append_line(fd: int, path: Path, line: str) -> None:
    """Append a line to the log through its unbuffered descriptor: a write that fails (a full
    disk) leaves nothing in a buffer for the close to fail on again, and is told naming the log."""
    data = memoryview((line + "\n").encode("utf-8"))
    while data:
        data = data[_written(path, os.write, fd, data) :]


def _written(path: Path, call: Callable[..., T], *args: Any) -> T:
    """``call(*args)``, a write or sync of ``path``, with its OSError told as the file's."""
    try:
        return call(*args)
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror or exc})") from None


class _PointShape(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    index: int
    values: dict[str, int | float | None]
    ref: str
    scenario_hash: str
    rules_hash: str


class _ParameterShape(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    name: str
    path: str
    scale: bool
    low: int | float
    high: int | float
    steps: int = Field(ge=2)
    integer: bool


class _PlanShape(BaseModel):
    """What ``run_sweep`` writes as ``sweep.json``: :func:`load_result` reads a folder nobody
    re-plans, so a plan edited by hand or cut short is refused by the field it gets wrong
    rather than failing later, deep in a report, with a traceback."""

    model_config = ConfigDict(extra="forbid", strict=True)
    scenario: str
    base: Any
    sides: list[str] = Field(min_length=2, max_length=2)
    colours: dict[str, str]
    method: str
    parameters: list[_ParameterShape] = Field(min_length=1)
    samples: int | None
    sample_seed: int | None
    design: list[list[int | float]] | None
    runs_per_point: int = Field(ge=1)
    seed_start: int = Field(ge=0)
    players: dict[str, str]
    points: list[_PointShape]
    version: str

    @field_validator("method")
    @classmethod
    def _known_method(cls, method: str) -> str:
        if method not in METHODS:
            raise ValueError(f"one of {', '.join(METHODS)}, not {method!r}")
        return method


def _checked_plan(path: Path, saved: Any) -> dict[str, Any]:
    """``saved`` if it has the shape of a plan ``run_sweep`` writes; else a :class:`SweepError`
    naming the file and the first field that is wrong."""
    try:
        _PlanShape.model_validate(saved)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the whole file"
        raise SweepError(f"{path}: not a sweep plan ({where}: {first['msg']})") from None
    plan: dict[str, Any] = saved
    return plan


def load_result(out: str | Path) -> SweepResult:
    """The plan and the games of a sweep folder, as written so far (the plan checked for its
    shape, each game against its point's variant)."""
    out_dir = Path(out)
    plan = _checked_plan(out_dir / PLAN_FILE, _read_plan(out_dir / PLAN_FILE))
    games = sorted(
        _checked_games(out_dir / LOG_FILE, _read_log(out_dir / LOG_FILE, plan), plan), key=lambda game: (game["point"], game["seed"])
    )
    return SweepResult(plan, games, interrupted=len(games) < len(plan["points"]) * plan["runs_per_point"])
