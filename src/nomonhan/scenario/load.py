"""Scenario and rules-data files -> validated models -> the compiled :class:`Scenario`.

Every failure becomes a :class:`ScenarioError` whose problems carry ``file:line:column`` and
the dotted field path, found by mapping pydantic's error locations back onto the YAML
positions that :mod:`yamlio` recorded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from nomonhan import resources
from nomonhan.corepath import reference_active
from nomonhan.hexgrid import Hex, Hexside
from nomonhan.scenario import companions, compiled, variants, yamlio
from nomonhan.scenario.board import Board, build_board
from nomonhan.scenario.checks import scenario_problems
from nomonhan.scenario.errors import Problem, ScenarioError
from nomonhan.scenario.messages import author_message
from nomonhan.scenario.schema import BattleCasualties, RulesData, ScenarioFile, Side, UnitType

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Document:
    """A parsed, validated data file with what is needed to report on it and write it back."""

    path: Path
    label: str
    text: str
    tree: Any
    positions: yamlio.Positions

    def where(self, loc: tuple[Any, ...]) -> tuple[int, int]:
        """The position of the deepest recorded prefix of a field path."""
        for end in range(len(loc), -1, -1):
            found = self.positions.get(tuple(loc[:end]))
            if found:
                return found
        return 1, 1

    def problem(self, loc: tuple[Any, ...], message: str, **extra: Any) -> Problem:
        line, column = self.where(loc)
        return Problem(self.label, line, column, ".".join(str(part) for part in loc), message, **extra)


def read_document(path: Path, model: type[M], label: str | None = None) -> tuple[Document, M]:
    label = label or str(path)
    return parse_document(path, yamlio.read_text(path, label), model, label)


def parse_document(path: Path, text: str, model: type[M], label: str) -> tuple[Document, M]:
    """A file's text (already read, or a what-if variant's) parsed and validated as ``model``."""
    tree, plain, positions = yamlio.parse(text, label)
    document = Document(path, label, text, tree, positions)
    try:
        return document, model.model_validate(plain)
    except ValidationError as exc:
        raise ScenarioError([document.problem(_data_path(plain, err["loc"]), author_message(err, model)) for err in exc.errors()]) from None


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """A validation error's location as a path in the file, without the names pydantic adds that
    are not in it (a tagged union's tag: ``targets.0.win_rate.at_least`` is ``targets.0.at_least``;
    ``[key]`` after a mapping's key that is wrong)."""
    path = []
    for part in loc:
        if part == "[key]":
            continue  # pydantic's mark of an error in a mapping's key: the key itself is the field
        inside = (isinstance(data, dict) and part in data) or (isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data))
        if inside:
            data = data[part]
        elif isinstance(data, dict) and part in {value for value in data.values() if isinstance(value, str)}:
            continue  # the tag of a tagged union (the value of its ``kind``), between the item and its fields
        else:
            data = None
        path.append(part)
    return tuple(path)


def parse_part(path: Path, text: str, key: str, model: type[M]) -> tuple[Document, M]:
    """One top-level section of a file's text (``map``) validated alone, whatever the rest
    holds: so ``nomonhan map`` can draw the map of a scenario whose units are not placed yet."""
    label = str(path)
    tree, plain, positions = yamlio.parse(text, label)
    document = Document(path, label, text, tree, positions)
    if not isinstance(plain, dict) or key not in plain:
        raise ScenarioError([document.problem((), f"the file has no {key}: section")])
    try:
        return document, model.model_validate(plain[key])
    except ValidationError as exc:
        raise ScenarioError(
            [document.problem((key, *_data_path(plain[key], err["loc"])), author_message(err, model)) for err in exc.errors()]
        ) from None


@dataclass(frozen=True)
class Scenario:
    """Everything the rules need from a scenario and its rules data, compiled and frozen.

    ``model`` is the file as validated (for the front end, the editor and reports); the rules,
    the engine and the computer players read the compiled sections below it (see
    :mod:`nomonhan.scenario.compiled`), which hold ``Hex`` values instead of hex text.
    """

    model: ScenarioFile
    rules: RulesData
    board: Board
    unit_types: dict[str, UnitType]
    content_hash: str
    """What the scenario plays, hashed (:func:`play_hash`): not its prose, citations or comments."""
    rules_hash: str
    period: compiled.Period
    units: tuple[compiled.UnitSetup, ...]
    """The units' set-ups, in the file's order (the order of ``GameState.units``)."""
    objectives: tuple[compiled.Objective, ...]
    objective_hexes: tuple[Hex, ...]
    points_per_step: int
    men_per_point: int | None
    victory: compiled.VictoryLevels
    sudden_death: tuple[compiled.SuddenDeath, ...]
    special_rules: compiled.SpecialRules
    air: tuple[compiled.AirPoints, ...]
    weather: tuple[compiled.WeatherSpell, ...]
    supply: compiled.Supply
    fortified: dict[tuple[str, Hex], tuple[tuple[datetime | None, int], ...]]
    """(side, hex) -> the prepared positions there: (from when, level)."""
    bridges: frozenset[Hexside]
    """Bridges standing at the start."""
    crossing_rates: dict[Hexside, int]
    """Steps an hour each rated crossing carries (any other bridge: the rules data's rate)."""
    historical: compiled.HistoricalResult | None
    ai_hints: dict[str, compiled.AiHints]
    battle_casualties: dict[str, BattleCasualties]
    """Side id -> how that side's battle casualties divided, for the sides that say."""
    document: Document = field(repr=False, compare=False)
    unit_order: dict[str, int] = field(repr=False, compare=False, default_factory=dict)
    """Unit id -> its position in ``GameState.units`` (the scenario's order, fixed for a game)."""
    player_copies: dict[str, Scenario] = field(repr=False, compare=False, default_factory=dict)
    """Each side's own copy, made by :meth:`for_player`; only this (engine-side) object holds them."""
    clock_memo: dict[int, tuple[datetime, bool]] = field(repr=False, compare=False, default_factory=dict)
    """Turn -> its start and whether it is a night turn, kept by the fast path (asked thousands
    of times a game; public, so the players' copies share it)."""

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def sides(self) -> tuple[Side, ...]:
        return tuple(self.model.sides)

    @cached_property
    def unit_rooms(self) -> dict[str, int]:
        """Unit id -> the room it has in a hex: the stacking limit less its type's stack points
        (a hex holding more points than that is full for it)."""
        limit = self.rules.stacking_limit
        return {setup.id: limit - self.unit_types[setup.type].stack_points for setup in self.units}

    @cached_property
    def units_by_room(self) -> dict[int, tuple[str, ...]]:
        """Room in a hex (:attr:`unit_rooms`) -> the units with that room, in scenario order: a
        move that changes a stack finds the units it concerns without looking at every unit."""
        grouped: dict[int, list[str]] = {}
        for unit_id, room in self.unit_rooms.items():
            grouped.setdefault(room, []).append(unit_id)
        return {room: tuple(unit_ids) for room, unit_ids in grouped.items()}

    @cached_property
    def side_ids(self) -> tuple[str, str]:
        """The first side to act, then the other (asked several times an action: worked out once)."""
        first = self.period.first_side
        other = next(s.id for s in self.model.sides if s.id != first)
        return first, other

    @cached_property
    def sides_with_guns(self) -> frozenset[str]:
        """The sides whose order of battle holds a unit that can bombard: public, so whether a
        side's bombardment phase is held tells the enemy nothing it cannot read in the scenario."""
        return frozenset(setup.side for setup in self.units if self.unit_types[setup.type].bombard > 0)

    def enemy_of(self, side: str) -> str:
        first, second = self.side_ids
        return second if side == first else first

    def __repr__(self) -> str:
        return f"Scenario({self.model.id!r})"

    def for_player(self, side: str) -> Scenario:
        """The same public data with a board cache of its own, for ``side``'s observations.

        The engine memoises searches on ``board.search_cache`` under keys built from the true
        state (every enemy hex, their zones of control); a player reading that cache would learn
        what it cannot see.  Each side's copy starts empty and holds only what that side's own
        planning put there, and no copy leads back to this object or to the other side's copy.
        """
        found = self.player_copies.get(side)
        if found is None:
            board = replace(self.board, search_cache={})
            found = self.player_copies[side] = replace(self, board=board, player_copies={})
        return found

    def turn_start(self, turn: int) -> datetime:
        if reference_active():
            return self.period.start + timedelta(hours=self.period.turn_hours * (turn - 1))
        return self._clock(turn)[0]

    def _clock(self, turn: int) -> tuple[datetime, bool]:
        """The fast path's memo of a turn's start and whether it is a night turn."""
        found = self.clock_memo.get(turn)
        if found is None:
            start = self.period.start + timedelta(hours=self.period.turn_hours * (turn - 1))
            found = self.clock_memo[turn] = (start, not (self.period.dawn <= start.time() < self.period.dusk))
        return found

    def turns_spanning(self, hours: int) -> int:
        """The fewest whole turns that last ``hours`` or more: rules and plans given in hours
        (a repair, a day at rest, a deadline's slack) mean the same time on 3-hour turns as on
        12-hour ones."""
        return -(-hours // self.period.turn_hours)

    def turn_end(self, turn: int) -> datetime:
        """When ``turn`` ends (the next one's start): results are dated by it, so a 12-day battle
        ends on its twelfth day."""
        return self.turn_start(turn + 1)

    def is_night(self, turn: int) -> bool:
        """A turn is a night turn when its start falls outside dawn..dusk (one source of truth)."""
        if not reference_active():
            return self._clock(turn)[1]
        start = self.turn_start(turn).time()
        return not (self.period.dawn <= start < self.period.dusk)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


PROSE_FIELDS = frozenset({"title", "sources", "notes", "briefing"})
"""A scenario's top-level fields that are read, never played: with every ``source`` citation and
the file's comments, :func:`play_hash` leaves them out."""


RULES_PROSE_FIELDS = frozenset({"title", "notes"})
"""The rules data's top-level fields that are read, never played (see :func:`rules_play_hash`)."""


def play_hash(model: ScenarioFile) -> str:
    """The hash of what a scenario plays: its validated fields (defaults filled in), less its
    prose (:data:`PROSE_FIELDS`), its ``source`` citations and its comments.  Records, batch
    results and digests name a scenario by this hash, so a save still replays after its author
    mends a note, a citation or the layout of the file; any change to what is played refuses it."""
    return _played_hash(model, PROSE_FIELDS)


def rules_play_hash(data: RulesData) -> str:
    """The hash of what rules data plays, as :func:`play_hash` is a scenario's: the merged,
    validated tables less their prose (:data:`RULES_PROSE_FIELDS`), ``source`` citations and
    comments.  The rules data is shared by every scenario naming it, so a note mended in it (by
    hand or in the editor) must not refuse every save of every one of them."""
    return _played_hash(data, RULES_PROSE_FIELDS)


def _played_hash(model: BaseModel, prose: frozenset[str]) -> str:
    def played(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: played(item) for key, item in value.items() if key != "source"}
        if isinstance(value, list):
            return [played(item) for item in value]
        return value

    fields = {key: value for key, value in model.model_dump(mode="json").items() if key not in prose}
    return sha256_text(json.dumps(played(fields), sort_keys=True, separators=(",", ":")))


def resolve(ref: str | Path) -> Path:
    """A bundled scenario id or a path to a file."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or _exists(path):
        return path
    bundled = resources.scenarios_dir() / f"{ref}.yaml"
    if _exists(bundled):
        return bundled
    known = ", ".join(p.stem for p in resources.bundled_scenario_paths())
    raise ScenarioError([Problem(str(ref), 1, 1, "", f"no such scenario file or bundled scenario id (bundled: {known})")])


def _exists(path: Path) -> bool:
    """Whether anything is at ``path``; False for a name the system cannot look up (too long, NUL)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


@dataclass(frozen=True)
class LoadedRules:
    """A scenario's rules data, validated: where it came from (for errors) and its hash."""

    label: str
    hash: str
    data: RulesData


_RULES_CACHE: dict[tuple[Path, str], tuple[tuple[tuple[Path, str], ...], LoadedRules]] = {}


def clear_rules_cache() -> None:
    """Forget parsed rules data (benchmarks measure a cold load with it)."""
    _RULES_CACHE.clear()


def load_rules(rules_id: str, text: str | None = None) -> tuple[LoadedRules, RulesData]:
    """The bundled rules data ``scenarios/rules/<rules_id>.yaml`` (see :func:`load_rules_file`)."""
    path = resources.rules_path(rules_id)
    loaded = load_rules_file(path, path.parent, text)
    return loaded, loaded.data


def load_rules_file(path: Path, root: Path, text: str | None = None, label: str | None = None, unsaved: str | None = None) -> LoadedRules:
    """The rules data file at ``path`` with every file it extends, merged and validated; parsed
    once per process for each version of the files.  ``text``: a what-if variant's rules data
    (already merged), parsed each time (a sweep makes many, each loaded once); ``unsaved``: the
    file's own text as the editor holds it, merged with what it extends as the saved file is."""
    label = label or companions.rules_label(path)
    if text is not None:
        _document, data = parse_document(path, text, RulesData, label + WHAT_IF)
        return LoadedRules(label + WHAT_IF, rules_play_hash(data), data)
    key = (path.resolve(), unsaved if unsaved is not None else yamlio.read_text(path, label))
    cached = _RULES_CACHE.get(key)
    if cached is not None and all(yamlio.read_text(p, str(p)) == t for p, t in cached[0]):
        return cached[1]
    source = companions.read_rules(path, root, label, key[1])
    merged = source.merged_plain
    try:
        data = RulesData.model_validate(merged)
    except ValidationError as exc:
        raise ScenarioError(
            [source.problem(_data_path(merged, err["loc"]), author_message(err, RulesData)) for err in exc.errors()]
        ) from None
    loaded = LoadedRules(source.label, rules_play_hash(data), data)
    if unsaved is None:
        _RULES_CACHE[key] = (tuple((layer.path, layer.text) for layer in source.layers[1:]), loaded)
    return loaded


def scenario_rules_path(path: Path, ref: str, document: Document | None = None) -> Path:
    """The rules-data file a scenario at ``path`` names (see :mod:`companions`); an error is
    placed at the scenario's ``rules`` field."""
    try:
        return companions.rules_path(path, ref)
    except companions.CompanionError as exc:
        label = document.label if document else str(path)
        line, column = document.where(("rules",)) if document else (1, 1)
        raise ScenarioError([Problem(label, line, column, "rules", str(exc))]) from None


def load_scenario(ref: str | Path) -> Scenario:
    """Load, validate and compile a scenario; raises ScenarioError with every problem found."""
    scenario, _warnings = load_with_warnings(ref)
    return scenario


def validate_scenario(ref: str | Path) -> list[Problem]:
    """What ``nomonhan validate`` reports: ScenarioError listing every error, else the warnings.

    The same checks as loading for play, so a scenario that validates can be played.
    """
    _scenario, warnings = load_with_warnings(ref)
    return warnings


RULES_DATA_KEYS = frozenset({"movement_classes", "crt", "bombardment", "hexside_features", "extends"})
"""Top-level fields only a rules-data file has: ``validate`` checks such a file as rules data."""


def validate_file(ref: str | Path) -> list[Problem]:
    """``nomonhan validate``: a scenario (see :func:`validate_scenario`) or, recognised by its
    fields, a rules-data file checked against the rules schema."""
    path = resolve(ref)
    label = str(path)
    plain = yamlio.parse(yamlio.read_text(path, label), label)[1]
    if isinstance(plain, dict) and RULES_DATA_KEYS & set(plain) and "units" not in plain:
        load_rules_file(path, path.parent, label=label)
        return []
    return validate_scenario(ref)


def load_with_warnings(ref: str | Path) -> tuple[Scenario, list[Problem]]:
    if variants.is_variant_ref(ref):
        variant = variants.Variant.from_ref(str(ref))
        path = resolve(variant.base)
        return load_text(path, *variant.texts(path, yamlio.read_text(path, str(path))), label=f"{path}{WHAT_IF}")
    path = resolve(ref)
    return load_text(path, yamlio.read_text(path, str(path)))


WHAT_IF = " (what-if)"
"""Appended to the name of a variant's file in its errors: its lines are the variant's text."""


def load_text(
    path: Path, text: str, rules_text: str | None = None, label: str | None = None, unsaved_rules: str | None = None
) -> tuple[Scenario, list[Problem]]:
    """A scenario from its text: a file's, the editor's draft of it, or a what-if variant's
    (:mod:`nomonhan.scenario.variants`) whose rules data may be changed too (``rules_text``),
    validated and compiled as a file is.  ``unsaved_rules``: the editor's unsaved text of the
    rules data file the scenario names."""
    document, model = parse_document(path, text, ScenarioFile, label or str(path))
    rules_path = scenario_rules_path(path, model.rules, document)
    loaded = load_rules_file(rules_path, path.parent, rules_text, unsaved=unsaved_rules)
    rules = loaded.data
    problems = scenario_problems(model, rules, document)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ScenarioError(errors)
    unit_types = {t.id: t for t in rules.unit_types} | {t.id: t for t in model.unit_types}
    objectives = compiled.objectives(model)
    scenario = Scenario(
        model=model,
        rules=rules,
        board=build_board(model.map, rules, model.special_rules),
        unit_types=unit_types,
        content_hash=play_hash(model),
        rules_hash=loaded.hash,
        period=compiled.period(model.period),
        units=compiled.unit_setups(model, unit_types),
        objectives=objectives,
        objective_hexes=tuple(o.hex for o in objectives),
        points_per_step=model.points_per_step,
        men_per_point=model.men_per_point,
        victory=compiled.victory_levels(model.victory),
        sudden_death=compiled.sudden_death(model),
        special_rules=compiled.special_rules(model.special_rules),
        air=compiled.air_points(model),
        weather=compiled.weather(model),
        supply=compiled.supply(model.supply),
        fortified=compiled.fortified(model),
        bridges=compiled.standing_bridges(model.map),
        crossing_rates=compiled.crossing_rates(model.map.crossings),
        historical=compiled.historical(model.historical),
        ai_hints=compiled.ai_hints(model),
        battle_casualties={side.id: side.battle_casualties for side in model.sides if side.battle_casualties is not None},
        document=document,
        unit_order={u.id: i for i, u in enumerate(model.units)},
    )
    return scenario, [p for p in problems if p.severity == "warning"]
