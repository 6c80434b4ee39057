"""Calibration targets: what history says a batch of games should look like, and the check.

A scenario's targets (``scenarios/targets/<scenario id>.yaml``) state the battle's shape and size
as a batch of games should reproduce it: who wins how often, the median game's losses beside the
sourced figures, when an objective first fell, when units were first cut off, whether a force
withdrew across a river.  Each target is measured on every game first (one number, date or
yes/no a game), then judged on the batch (a rate, a median, a spread), so the per-game figures
can be kept beside the verdict and a reader can recompute it.

Targets are data, never code: they are read by the same loader as scenario files (line and
column in every error) and name their source.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from nomonhan.hexgrid import Hex, parse_hex, parse_hexside
from nomonhan.rules.bridges import river_bank
from nomonhan.rules.victory import Losses
from nomonhan.scenario.errors import Problem, ScenarioError
from nomonhan.scenario.load import Document, Scenario, load_scenario, read_document
from nomonhan.scenario.messages import author_message
from nomonhan.scenario.schema import FormatVersion, HexRef, HexsideRef, Identifier
from nomonhan.sim.stats import quartiles

FORMAT_VERSION = 1


def _in_order(bounds: tuple[Any, Any]) -> tuple[Any, Any]:
    low, high = bounds
    if low > high:
        raise ValueError(f"the first bound ({low}) is after the second ({high}), so no game could meet it")
    return bounds


Finite = Annotated[float, Field(allow_inf_nan=False)]
Range = Annotated[tuple[Finite, Finite], AfterValidator(_in_order)]
"""LOW and HIGH, inclusive, LOW not above HIGH (no .nan or .inf: no game could be judged by them)."""
Days = Annotated[tuple[date, date], AfterValidator(_in_order)]
"""First and last day, inclusive, the first not after the last."""


LOSS_KINDS = tuple(field.name for field in dataclasses.fields(Losses))
"""What a game's losses give per side (men, tanks, ..., as :class:`Losses` holds them)."""


def _loss_kinds(names: tuple[str, ...]) -> tuple[str, ...]:
    """Checked as a whole: an item refused alone would also be reported as an empty list."""
    unknown = [name for name in names if name not in LOSS_KINDS]
    if unknown:
        raise ValueError(f"not a kind of loss: {', '.join(map(repr, unknown))}; the kinds are {', '.join(LOSS_KINDS)}")
    return names


LossKinds = Annotated[tuple[str, ...], AfterValidator(_loss_kinds)]


class _Target(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    says: str
    """The target in words, as the report prints it."""
    source: str
    """Where the historical figure comes from (REFERENCE.md section, the issue that set it)."""


class WinRate(_Target):
    kind: Literal["win_rate"]
    side: str
    at_least: float = Field(ge=0, le=1)


class MedianLosses(_Target):
    """The median game's losses (summed over ``fields``), or their share of the side's force."""

    kind: Literal["median_losses"]
    side: str
    fields: LossKinds = Field(min_length=1)
    gross: bool
    """Gross losses count steps that came back by recovery, as history counts returned wounded."""
    share_of_force: bool = False
    """Divide by what the side's whole order of battle holds of the same fields."""
    within: Range


class LossesVary(_Target):
    """The interquartile range of a side's losses is above zero: outcomes are not all alike."""

    kind: Literal["losses_vary"]
    side: str
    fields: LossKinds = Field(min_length=1)
    gross: bool


class ObjectiveTaken(_Target):
    """The day an objective is first held by ``side`` at a turn's end, in the median game."""

    kind: Literal["objective_taken"]
    objective: str
    side: str
    between: Days
    """First and last day, inclusive.  A game where it never falls counts as after the last."""


class ObjectiveHeldAtEnd(_Target):
    kind: Literal["objective_held_at_end"]
    objective: str
    side: str
    more_than: float = Field(ge=0, le=1)
    """Share of the games."""


class FirstCutOff(_Target):
    """For each unit, the day it is first out of supply at a turn's end, in the median game."""

    kind: Literal["first_cut_off"]
    units: tuple[str, ...] = Field(min_length=1)
    between: Days


class Withdrawn(_Target):
    """A formation's surviving units end on one bank of the rivers, and no bridge built during
    the game still stands (demolished by its owner or destroyed)."""

    kind: Literal["withdrawn"]
    formation: str
    bank_of: HexRef
    """A hex on the bank the formation withdraws to ("col,row")."""
    more_than: float = Field(ge=0, le=1)


Target = Annotated[
    WinRate | MedianLosses | LossesVary | ObjectiveTaken | ObjectiveHeldAtEnd | FirstCutOff | Withdrawn,
    Field(discriminator="kind"),
]


class TargetsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format_version: FormatVersion
    scenario: Identifier = Field(description="the id of the scenario the targets judge (scenarios/ID.yaml)")
    targets: tuple[Target, ...]


def load_targets(path: str | Path) -> TargetsFile:
    """Read and check a targets file (errors name the file, line and field)."""
    return read_targets(path)[1]


def read_targets(path: str | Path) -> tuple[Document, TargetsFile]:
    """A targets file with its document (the positions of its fields), ids checked unique."""
    document, targets = read_document(Path(path), TargetsFile)
    seen: set[str] = set()
    for index, target in enumerate(targets.targets):
        if target.id in seen:
            raise ScenarioError([document.problem(("targets", index, "id"), f"a second target with the id {target.id!r}")])
        seen.add(target.id)
    return document, targets


def bundled_targets(scenario_id: str) -> Path:
    """Where a bundled scenario's targets live (beside the scenarios, shipped with the package)."""
    from nomonhan.resources import scenarios_dir

    return scenarios_dir() / "targets" / f"{scenario_id}.yaml"


def check_names(targets: TargetsFile, scenario: Scenario) -> list[tuple[tuple[Any, ...], str]]:
    """Names in the targets that the scenario does not know (a typo would otherwise read as a
    miss), each as (its field's path in the file, the message).  Targets of another scenario are
    told so, alone: each of its names would be unknown here."""
    if targets.scenario != scenario.id:
        return [(("scenario",), f"the targets are for {targets.scenario!r}, not {scenario.id!r}")]
    sides = set(scenario.side_ids)
    objectives = {o.name for o in scenario.model.objectives}
    units = {u.id for u in scenario.model.units}
    formations = {u.formation for u in scenario.model.units}
    problems: list[tuple[tuple[Any, ...], str]] = []
    for index, target in enumerate(targets.targets):
        at = ("targets", index)
        side = getattr(target, "side", None)
        if side is not None and side not in sides:
            problems.append(((*at, "side"), f"{target.id}: unknown side {side!r}; sides are {sorted(sides)}"))
        objective = getattr(target, "objective", None)
        if objective is not None and objective not in objectives:
            problems.append(((*at, "objective"), f"{target.id}: unknown objective {objective!r}; objectives are {sorted(objectives)}"))
        for number, unit in enumerate(getattr(target, "units", ())):
            if unit not in units:
                problems.append(((*at, "units", number), f"{target.id}: unknown unit {unit!r}"))
        formation = getattr(target, "formation", None)
        if formation is not None and formation not in formations:
            known = sorted(f for f in formations if f)
            problems.append(((*at, "formation"), f"{target.id}: unknown formation {formation!r}; formations are {known}"))
    return problems


# --- the games read back ----------------------------------------------------------------------


class _Read(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, frozen=True)


class _TurnEnd(_Read):
    turn: StrictInt
    holders: dict[StrictStr, StrictStr | None]
    cut_off: dict[StrictStr, list[StrictStr]]


class _End(_Read):
    positions: dict[StrictStr, HexRef | None]
    bridges: list[HexsideRef]


class GameFigures(_Read):
    """The fields of a game (as :func:`nomonhan.sim.run.summary` writes it) that targets measure:
    a batch result read back from a file is checked against it, so a hand-edited or foreign file
    is refused with the game and the field, not a traceback in the middle of a measure."""

    winner: StrictStr
    losses: dict[StrictStr, dict[StrictStr, StrictInt]]
    losses_gross: dict[StrictStr, dict[StrictStr, StrictInt]]
    per_turn: list[_TurnEnd]
    end: _End


def check_games(games: Any, scenario: Scenario, where: str) -> list[Mapping[str, Any]]:
    """``games`` if it is a list of games of ``scenario`` with every figure targets read, of the
    right type; else a ``ValueError`` naming ``where`` (the results file), the game and the field.

    Game by game, each first held to the size a game of this scenario can have: the schema's
    check of a whole file at once, or of a game swollen with thousands of entries, makes an
    error object for every bad entry before the first is shown (a 20 MB file of empty games
    took 24 GB), where one game of the largest scenario holds a few thousand."""
    if not isinstance(games, list):
        raise ValueError(f"{where}: games: must be a list of games, not {type(games).__name__}")
    most = _most_entries(scenario)
    checked = []
    for number, game in enumerate(games, start=1):
        if _entries_beyond(game, most):
            raise ValueError(f"{where}: game {number}: holds more than the {most:,} entries a game of {scenario.id} can have")
        try:
            checked.append(GameFigures.model_validate(game))
        except ValidationError as exc:
            error = exc.errors()[0]
            at = ".".join(str(part) for part in error["loc"]) or "(the game)"
            raise ValueError(f"{where}: game {number}: {at}: {author_message(error)}") from None
    last_turn = scenario.model.period.last_turn
    for number, game in enumerate(checked, start=1):
        for name, losses in (("losses", game.losses), ("losses_gross", game.losses_gross)):
            missing = [side for side in scenario.side_ids if side not in losses]
            if missing:
                raise ValueError(f"{where}: game {number}: {name}: gives nothing for {', '.join(missing)}")
        for row, turn_end in enumerate(game.per_turn):
            if not 0 <= turn_end.turn <= last_turn + 1:
                raise ValueError(f"{where}: game {number}: per_turn.{row}.turn: {turn_end.turn} is not a turn of the scenario")
    return list(games)


def _most_entries(scenario: Scenario) -> int:
    """A generous bound on the entries (list items and mapping keys, at every depth) of one game's
    summary of ``scenario``: per turn end its holders, cut-off units and supply stages; at the
    end every unit's position and the bridges; losses per side and kind."""
    units = len(scenario.model.units)
    per_turn = len(scenario.model.objectives) + 4 * units + 64
    return 4 * ((scenario.model.period.last_turn + 2) * per_turn + 4 * units + 256)


def _entries_beyond(value: Any, most: int) -> bool:
    """Whether ``value`` (parsed JSON) holds more than ``most`` entries; stops counting there."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            count += len(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            count += len(item)
            stack.extend(item)
        if count > most:
            return True
    return False


# --- one game ---------------------------------------------------------------------------------


def _first_turn(rows: Sequence[Mapping[str, Any]], happened: Any) -> int | None:
    return next((row["turn"] for row in rows if happened(row)), None)


def force_total(scenario: Scenario, side: str, fields: Sequence[str]) -> int:
    """What a side's whole order of battle holds of ``fields`` (men, tanks, guns...) at full steps."""
    total = 0
    for setup in scenario.units:
        if setup.side == side:
            per_step = scenario.unit_types[setup.type].per_step
            total += setup.starting_steps * sum(getattr(per_step, name, 0) for name in fields)
    return total


def bank(scenario: Scenario, start: Hex) -> frozenset[Hex]:
    """The hexes a man on foot reaches from ``start`` without a bridge (one bank of the rivers)."""
    return frozenset(scenario.board.hexes[i] for i in river_bank(scenario, start))


def measure(target: Any, game: Mapping[str, Any], scenario: Scenario) -> Any:
    """The target's figure for one game: a number, an ISO date (None: never) or a yes/no."""
    rows = game["per_turn"]
    if isinstance(target, WinRate):
        return game["winner"] == target.side
    if isinstance(target, (MedianLosses, LossesVary)):
        lost = game["losses_gross" if target.gross else "losses"][target.side]
        value = sum(lost.get(name, 0) for name in target.fields)
        if isinstance(target, MedianLosses) and target.share_of_force:
            return round(value / max(force_total(scenario, target.side, target.fields), 1), 4)
        return value
    if isinstance(target, ObjectiveTaken):
        turn = _first_turn(rows, lambda row: row["holders"].get(target.objective) == target.side)
        return None if turn is None else scenario.turn_end(turn).date().isoformat()
    if isinstance(target, ObjectiveHeldAtEnd):
        return bool(rows) and rows[-1]["holders"].get(target.objective) == target.side
    if isinstance(target, FirstCutOff):
        days = {}
        for unit in target.units:
            turn = _first_turn(rows, lambda row, unit=unit: any(unit in ids for ids in row["cut_off"].values()))
            days[unit] = None if turn is None else scenario.turn_end(turn).date().isoformat()
        return days
    if isinstance(target, Withdrawn):
        return _withdrawn(target, game, scenario)
    raise TypeError(f"unknown target {target!r}")


def _withdrawn(target: Withdrawn, game: Mapping[str, Any], scenario: Scenario) -> bool:
    end = game["end"]
    shore = bank(scenario, parse_hex(target.bank_of))
    members = [u.id for u in scenario.units if u.formation == target.formation]
    standing = [end["positions"][uid] for uid in members if end["positions"].get(uid) is not None]
    built = {parse_hexside(side) for side in end["bridges"]} - scenario.bridges
    return all(parse_hex(where) in shore for where in standing) and not built


# --- the batch --------------------------------------------------------------------------------


def _median_day(days: Sequence[str | None]) -> date:
    """The median of days, a ``None`` (never) counting as later than any day (``date.max``)."""
    ordered = sorted(date.fromisoformat(d) if d else date.max for d in days)
    return ordered[(len(ordered) - 1) // 2]


def _day(value: date) -> str:
    return "never" if value == date.max else value.isoformat()


def judge(target: Any, figures: Sequence[Any]) -> dict[str, Any]:
    """The batch's verdict on one target: what was measured, what was wanted, and whether met."""
    n = len(figures)
    if n == 0:
        return {"measured": "no games", "wanted": "", "met": False}
    if isinstance(target, WinRate):
        share = sum(figures) / n
        return {"measured": f"{share:.1%}", "wanted": f">= {target.at_least:.0%}", "met": share >= target.at_least}
    if isinstance(target, MedianLosses):
        median = statistics.median(figures)
        lo, hi = target.within
        style = ".0%" if target.share_of_force else ",.0f"
        return {"measured": format(median, style), "wanted": f"{lo:{style}} to {hi:{style}}", "met": lo <= median <= hi}
    if isinstance(target, LossesVary):
        q1, _, q3 = quartiles(figures)
        return {"measured": f"quartiles {q1:,.0f} to {q3:,.0f}", "wanted": "interquartile range above 0", "met": q3 > q1}
    if isinstance(target, ObjectiveTaken):
        first, last = target.between
        median = _median_day(figures)
        return {"measured": _day(median), "wanted": f"{first} to {last}", "met": first <= median <= last}
    if isinstance(target, (ObjectiveHeldAtEnd, Withdrawn)):
        share = sum(figures) / n
        return {"measured": f"{share:.1%}", "wanted": f"> {target.more_than:.0%}", "met": share > target.more_than}
    if isinstance(target, FirstCutOff):
        first, last = target.between
        medians = {unit: _median_day([game[unit] for game in figures]) for unit in target.units}
        listed = ", ".join(f"{unit} {_day(day)}" for unit, day in medians.items())
        return {"measured": listed, "wanted": f"each {first} to {last}", "met": all(first <= d <= last for d in medians.values())}
    raise TypeError(f"unknown target {target!r}")


def evaluate(targets: TargetsFile, games: Sequence[Mapping[str, Any]], scenario: Scenario, where: str = "games") -> list[dict[str, Any]]:
    """Every target judged on the games: id, words, source, measured, wanted, met, and the
    per-game figures (in the games' order) so the verdict can be checked.  The games are
    checked first (:func:`check_games`): ``where`` names the file they were read from."""
    games = check_games(games, scenario, where)
    verdicts = []
    for target in targets.targets:
        figures = [measure(target, game, scenario) for game in games]
        verdicts.append({"id": target.id, "says": target.says, "source": target.source, **judge(target, figures), "per_game": figures})
    return verdicts


def checked_targets(path: str | Path, scenario: Scenario) -> TargetsFile:
    """A targets file read, and its names checked against the scenario (a ScenarioError naming
    each unknown name's line if not)."""
    document, targets = read_targets(path)
    problems = check_names(targets, scenario)
    if problems:
        raise ScenarioError([document.problem(where, message) for where, message in problems])
    return targets


TARGETS_KEYS = frozenset({"scenario", "targets"})
"""The top-level fields that tell ``nomonhan validate`` a file holds calibration targets."""


def is_targets_file(plain: Any) -> bool:
    """Whether a file's parsed data is a targets file rather than a scenario (no ``units``)."""
    return isinstance(plain, dict) and set(plain) >= TARGETS_KEYS and "units" not in plain


def validate_targets_file(path: Path) -> list[Problem]:
    """``nomonhan validate`` of a targets file: its fields, then its names against its scenario,
    looked for beside the targets directory (``scenarios/targets/X.yaml`` names
    ``scenarios/X.yaml``) or among the bundled scenarios.  When neither has it, the names cannot
    be checked and a warning says so: a typo would read as a missed target only when a batch is
    judged."""
    try:
        document, targets = read_targets(path)
    except ScenarioError as exc:
        return list(exc.problems)
    beside = path.parent.parent / f"{targets.scenario}.yaml"
    try:
        scenario = load_scenario(beside if beside.is_file() else targets.scenario)
    except ScenarioError as exc:
        if beside.is_file():  # found, but broken: an error of its own, not a missing scenario
            return [document.problem(("scenario",), f"its scenario does not load, so its names are not checked: {exc.problems[0]}")]
        message = f"no scenario {targets.scenario!r} beside the targets directory or bundled: its names are not checked"
        return [document.problem(("scenario",), message, severity="warning")]
    return [document.problem(where, message) for where, message in check_names(targets, scenario)]


def verdict_table(verdicts: Sequence[Mapping[str, Any]]) -> Any:
    """The verdicts as a rich table: one row a target, met or missed."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="Calibration targets")
    for heading in ("target", "measured", "wanted", "met"):
        table.add_column(heading, overflow="fold")
    for verdict in verdicts:
        table.add_row(escape(verdict["says"]), verdict["measured"], verdict["wanted"], "yes" if verdict["met"] else "[bold]NO[/bold]")
    return table
