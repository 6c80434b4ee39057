"""What a batch keeps while it runs, and the checks a resumed batch puts its old games through.

Beside ``--out`` a batch keeps ``OUT.games.jsonl``: a first line with the batch's parameters,
then one JSON line per finished game, appended and flushed as each game finishes, so a batch
that is killed (SIGKILL, a power cut of the process) loses at most the games in flight.  The
checkpoint is removed once the batch completes and ``--out`` holds every game.

A resumed batch trusts nothing it reads: the parameters must be the same (the message says
which differ), and every game entry must have the fields the summary uses, with values of the
right kind, a seed of the batch seen once, a winner that follows from its victory points, and,
when its record exists in ``--records``, the record's digest.  A file edited by hand is refused
with one line naming the file, the game and the field, never a traceback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, TypeGuard

from nomonhan import safeio
from nomonhan.fileio import write_atomic
from nomonhan.replay import MAX_SEED, RecordError, read_record
from nomonhan.scenario.load import Scenario
from nomonhan.sim.stats import LOSS_KINDS

CHECKPOINT_FORMAT = "nomonhan-batch-checkpoint"
DIGEST = re.compile(r"^[0-9a-f]{64}$")
LEVELS = ("decisive", "marginal", "draw")


class BatchError(ValueError):
    """A batch that cannot run or resume as asked; the message says why, for a person."""


MAX_GAMES = 1_000_000
"""The most games one batch or sweep plans (a million games is days of a cluster's time); a
larger plan is refused before any memory goes to it."""


MAX_RESULT_BYTES = 200_000_000
"""The largest batch result (``batch --out``) read back (by ``--resume`` and ``targets``):
parsed, JSON takes about 25 times its size in memory, so 200 MB is about 5 GB (some 5,000
Khalkhin Gol games of 40 kB; a longer study is several batches, by ``--seed-start``)."""


def check_seeds(runs: int, seed_start: int, option: str) -> None:
    """Refuse a plan of ``runs`` games from ``seed_start`` that is negative, larger than
    :data:`MAX_GAMES`, or runs past the last seed a record can hold (2**64 - 1)."""
    if runs < 0:
        raise BatchError(f"{option} must be at least 0, not {runs}")
    if runs > MAX_GAMES:
        raise BatchError(f"{option} {runs:,} is more games than one run plans (at most {MAX_GAMES:,}); split it")
    if seed_start < 0 or seed_start + max(runs, 1) - 1 > MAX_SEED:
        raise BatchError(f"--seed-start {seed_start} with {runs:,} games runs past the seeds a record holds (0 to 2**64-1)")


def record_path(records_dir: str | Path, scenario_id: str, seed: int) -> Path:
    return Path(records_dir) / f"{scenario_id}-seed{seed}.json"


def checkpoint_path(out_path: str | Path) -> Path:
    out = Path(out_path)
    return out.with_name(out.name + ".games.jsonl")


@dataclass(frozen=True)
class Parameters:
    """What makes two runs the same batch: a resume must match every one of them."""

    scenario: str
    scenario_hash: str
    rules_hash: str
    players: dict[str, str]
    runs: int
    seed_start: int

    def differences(self, saved: Mapping[str, Any]) -> list[str]:
        """``name (VALUE now, VALUE in the file)`` for each parameter that differs."""
        return [
            f"{name} ({_short(value)} now, {_short(saved.get(name))} in the file)"
            for name, value in asdict(self).items()
            if saved.get(name) != value
        ]

    @property
    def seeds(self) -> range:
        return range(self.seed_start, self.seed_start + self.runs)


def _short(value: Any) -> str:
    """A value as JSON, cut to a length a one-line message can hold (a hash to 12 digits)."""
    if isinstance(value, str) and DIGEST.match(value):
        return value[:12]
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Checkpoint:
    """The append-only file of finished games (see the module's docstring)."""

    def __init__(self, path: Path, parameters: Parameters, games: Iterable[Mapping[str, Any]]) -> None:
        """Start it afresh with ``games`` (those resumed), written atomically, then append to it."""
        self.path = path
        lines = [json.dumps({"format": CHECKPOINT_FORMAT, **asdict(parameters)})]
        lines += [json.dumps(game) for game in games]
        write_atomic(path, "".join(line + "\n" for line in lines))
        self._file: IO[str] | None = path.open("a", encoding="utf-8")

    def add(self, game: Mapping[str, Any]) -> None:
        assert self._file is not None
        self._file.write(json.dumps(game) + "\n")
        self._file.flush()

    def close(self, finished: bool) -> None:
        """Close it, and remove it when the batch finished (``--out`` then holds everything)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if finished:
            self.path.unlink(missing_ok=True)


def previous_games(out_path: Path, parameters: Parameters, scenario: Scenario, records_dir: Path | None) -> dict[int, dict[str, Any]]:
    """The checked games of an earlier run of the batch: from its checkpoint, else from ``--out``."""
    checkpoint = checkpoint_path(out_path)
    if checkpoint.exists():
        saved, entries = _read_checkpoint(checkpoint)
        source = checkpoint
    elif out_path.exists():
        saved, entries = _read_result(out_path)
        source = out_path
    else:
        return {}
    differ = parameters.differences(saved)
    if differ:
        raise BatchError(f"{source}: made by another batch: {'; '.join(differ)}; resume with the same ones, or write to another file")
    games: dict[int, dict[str, Any]] = {}
    for number, entry in enumerate(entries, start=1):
        game = checked_entry(entry, parameters, scenario, f"{source}: game {number}")
        if game["seed"] in games:
            raise BatchError(f"{source}: game {number}: seed {game['seed']} appears twice")
        if records_dir is not None and not _matches_its_record(game, records_dir, scenario.id, f"{source}: game {number}"):
            continue  # its record is missing: play it again so that --records ends complete
        games[game["seed"]] = game
    return games


def _read_checkpoint(path: Path) -> tuple[dict[str, Any], list[Any]]:
    # The last piece is "" after a complete last line, or a line cut short by a kill while it
    # was written: that game is played again.
    lines = _read_text(path).split("\n")[:-1]
    parsed = []
    for number, line in enumerate(lines, start=1):
        try:
            parsed.append(json.loads(line))
        except (ValueError, RecursionError):
            raise BatchError(f"{path}:{number}: not a line of JSON") from None
    if not parsed or not isinstance(parsed[0], dict) or parsed[0].get("format") != CHECKPOINT_FORMAT:
        raise BatchError(f"{path}: not a batch checkpoint (no 'format: {CHECKPOINT_FORMAT}' first line)")
    return parsed[0], parsed[1:]


def _read_result(path: Path) -> tuple[dict[str, Any], list[Any]]:
    try:
        data = json.loads(_read_text(path))
    except (ValueError, RecursionError):
        raise BatchError(f"{path}: not a batch result that can be resumed (not JSON)") from None
    if not isinstance(data, dict) or not isinstance(data.get("games"), list):
        raise BatchError(f"{path}: not a batch result that can be resumed (no list of games)")
    return data, data["games"]


def _read_text(path: Path) -> str:
    """The file's text, read within a bound: a FIFO, a device or a folder is refused, never waited on."""
    try:
        return safeio.read_text(path, MAX_RESULT_BYTES)
    except safeio.FileRefused as exc:
        raise BatchError(f"{path}: cannot be read ({exc})") from None


def checked_entry(entry: Any, parameters: Parameters, scenario: Scenario, where: str) -> dict[str, Any]:
    """The entry if it is a game of this batch as :func:`nomonhan.sim.run.summary` writes it."""
    if not isinstance(entry, dict):
        raise BatchError(f"{where}: not a game entry")
    seed = entry.get("seed")
    if not _is_int(seed) or seed not in parameters.seeds:
        raise BatchError(f"{where}: seed {_short(seed)} is not one of this batch's seeds")
    where = f"{where} (seed {seed})"
    for key, expected in (
        ("scenario_hash", parameters.scenario_hash),
        ("rules_hash", parameters.rules_hash),
        ("players", parameters.players),
    ):
        if entry.get(key) != expected:
            raise BatchError(f"{where}: {key} is not this batch's")
    sides = scenario.side_ids
    points = entry.get("victory_points")
    if not isinstance(points, dict) or set(points) != set(sides) or not all(_is_int(points[s]) for s in sides):
        raise BatchError(f"{where}: victory_points must give a whole number for each of {list(sides)}")
    # Gross losses feed the summary as net ones do; a result written before they were recorded
    # has none, and the summary then counts its net losses (stats.gross).
    for key in ("losses", "losses_gross") if "losses_gross" in entry else ("losses",):
        if not _is_losses(entry.get(key), sides):
            raise BatchError(f"{where}: {key} must give {list(LOSS_KINDS)} as whole numbers for each side")
    turns = entry.get("turns_played")
    if not _is_int(turns) or not 0 <= turns <= scenario.model.period.last_turn + 1:
        raise BatchError(f"{where}: turns_played {_short(turns)} is not a turn of the scenario")
    if not isinstance(entry.get("digest"), str) or not DIGEST.match(entry["digest"]):
        raise BatchError(f"{where}: digest is not 64 hexadecimal digits")
    if (entry.get("winner"), entry.get("level")) not in _verdicts(points, entry.get("reasons"), scenario):
        raise BatchError(
            f"{where}: winner {_short(entry.get('winner'))} ({_short(entry.get('level'))}) does not follow from its victory points"
        )
    return entry


def _is_losses(losses: Any, sides: Sequence[str]) -> bool:
    """Whether ``losses`` gives each side, and only those, each kind of loss as a whole number >= 0."""
    return (
        isinstance(losses, dict)
        and set(losses) == set(sides)
        and all(isinstance(losses[s], dict) and all(_is_int(losses[s].get(k)) and losses[s][k] >= 0 for k in LOSS_KINDS) for s in sides)
    )


def _verdicts(points: Mapping[str, int], reasons: Any, scenario: Scenario) -> list[tuple[str, str]]:
    """The (winner, level) the victory points give (as :func:`nomonhan.rules.victory.outcome`
    decides it), and a decisive win by sudden death if the reasons claim one for a side the
    scenario gives a sudden-death condition."""
    first, second = scenario.side_ids
    margin = points[first] - points[second]
    levels = scenario.model.victory
    if abs(margin) < levels.marginal:
        verdicts = [("draw", "draw")]
    else:
        verdicts = [(first if margin > 0 else second, "decisive" if abs(margin) >= levels.decisive else "marginal")]
    if isinstance(reasons, list) and reasons and isinstance(reasons[0], str):
        for side in {condition.side for condition in scenario.model.sudden_death}:
            if reasons[0] == f"{side} met a sudden-death condition":
                verdicts.append((side, "decisive"))
    return verdicts


def _matches_its_record(game: Mapping[str, Any], records_dir: Path, scenario_id: str, where: str) -> bool:
    """Whether the game's record exists; refuses a record that contradicts the entry."""
    path = record_path(records_dir, scenario_id, game["seed"])
    if not path.exists():
        return False
    try:
        record = read_record(path)
    except RecordError as exc:
        raise BatchError(f"{where}: its record cannot be read: {exc}") from None
    if record["seed"] != game["seed"] or record["digest"] != game["digest"]:
        raise BatchError(f"{where} (seed {game['seed']}): digest differs from its record {path}")
    return True


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
