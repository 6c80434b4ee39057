"""What-if variants of a scenario: values changed by path, scaled, or merged in from an overlay.

An analyst asks "what if the Soviet air arm had been half as strong?" without editing YAML:

- ``PATH=VALUE`` sets a value, ``PATH*=FACTOR`` scales a number (an integer field stays an
  integer, rounded half up);
- an overlay file is a partial scenario merged into it: mappings merge key by key, a list of
  items with ``id`` merges item by item (an item with a known id changes only the fields it
  names, a new id is added, as a scenario's own unit types join the rules data's), and any other
  list is extended by the overlay's items (more fortifications, more air points).

A path addresses any value of the scenario, or with the prefix ``rules.`` of its rules data:
``units[id=jp-64].steps``, ``air[side=soviet,start=1939-08-20T08:00].points``,
``special_rules.night_attack[side=japanese].shift``, ``rules.shifts.night_attack``,
``rules.crt.results[3][2]``.  A selector ``[key=value,...]`` picks every item whose fields equal
those values (``[3]`` the fourth item, ``[*]`` all of them), so ``air[side=soviet].points*=0.5``
halves every Soviet air allotment.  Paths are checked against the schema, and a wrong one fails
with the choices that exist there.

The changes work on the round-trip tree of the files *before* validation; the variant's text is
then validated and compiled by :func:`nomonhan.scenario.load.load_text` exactly as a file is,
so a bad value gets the same ``field: message`` error, and the variant's hash is the hash of
its text.  A :class:`Variant` travels as a *reference* string (JSON, overlays' text included)
that :func:`nomonhan.scenario.load.load_scenario` accepts wherever a scenario id or path is
accepted, so worker processes, Dask workers and game records need nothing else to rebuild it.
"""

from __future__ import annotations

import copy
import json
import math
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel

from nomonhan.scenario import companions, yamlio
from nomonhan.scenario.errors import Problem, ScenarioError
from nomonhan.scenario.merge import merge_tree
from nomonhan.scenario.messages import field_type, inner, item_type
from nomonhan.scenario.schema import RulesData, ScenarioFile

RULES_PREFIX = "rules."
MAX_CHANGES = 1000
MAX_OVERLAYS = 100
"""The most ``--set`` changes and ``--overlay`` files in one variant."""
MAX_INDEX_DIGITS = 9
"""Digits in a list index of a path: no list of a scenario is that long, and Python refuses to
read an integer of over 4,300 digits with advice meant for programmers."""
MAX_CHOICES = 25
"""Choices listed in an error about a path; more are summarised as a count."""


# --- paths -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """A field of a mapping: ``units``, ``special_rules``, ``shift``."""

    name: str


@dataclass(frozen=True)
class Select:
    """Items of a list: by ``index``, all (``index`` None and no ``fields``), or by field values."""

    index: int | None = None
    fields: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        if self.index is not None:
            return f"[{self.index}]"
        return "[" + (",".join(f"{k}={v}" for k, v in self.fields) or "*") + "]"


Step = Key | Select

_NAME = re.compile(r"[^.\[\]=*,\s]+")
_SELECTOR_PAIR = re.compile(r"^\s*([^=\s]+)\s*=\s*(.*?)\s*$")


def _syntax_error(option: str, spec: str, at: int, message: str) -> ScenarioError:
    """The option's error at column ``at`` of ``spec`` (shown cut short when long: the column finds the place)."""
    shown = spec if len(spec) <= 80 else f"{spec[:77]}..."
    return ScenarioError([Problem(option, 1, at + 1, shown, message)])


def parse_path(text: str, option: str = "--set", spec: str | None = None) -> tuple[Step, ...]:
    """``a.b[k=v,k2=v2][3].c`` -> steps; a syntax error names the option and the column."""
    spec = text if spec is None else spec
    steps: list[Step] = []
    at = 0
    expect_name = True
    while at < len(text):
        if text[at] == "[":
            close = text.find("]", at)
            if close < 0:
                raise _syntax_error(option, spec, at, "a '[' is never closed")
            steps.append(_selector(text[at + 1 : close], option, spec, at))
            at = close + 1
            expect_name = False
            continue
        if text[at] == ".":
            if expect_name:
                raise _syntax_error(option, spec, at, "a field name is missing before '.'")
            at += 1
            expect_name = True
            continue
        match = _NAME.match(text, at)
        if not match or not expect_name:
            raise _syntax_error(option, spec, at, f"expected a field name, '[' or '.' at {text[at:]!r}")
        steps.append(Key(match.group()))
        at = match.end()
        expect_name = False
    if not steps or expect_name:
        raise _syntax_error(option, spec, len(text), "the path is empty or ends with '.'")
    if not isinstance(steps[0], Key):
        raise _syntax_error(option, spec, 0, "a path starts with a field name")
    return tuple(steps)


def _selector(body: str, option: str, spec: str, at: int) -> Select:
    body = body.strip()
    if body == "*":
        return Select()
    if re.fullmatch(r"-?[0-9]+", body):
        if len(body.lstrip("-")) > MAX_INDEX_DIGITS:
            raise _syntax_error(option, spec, at, f"an index has at most {MAX_INDEX_DIGITS} digits (no list is longer), not {len(body):,}")
        return Select(index=int(body))
    pairs = []
    for part in body.split(","):
        match = _SELECTOR_PAIR.match(part)
        if not match or not match.group(2):
            raise _syntax_error(option, spec, at, f"a selector is [INDEX], [*] or [FIELD=VALUE,...], not [{body}]")
        pairs.append((match.group(1), match.group(2)))
    return Select(fields=tuple(pairs))


def format_path(steps: tuple[Step, ...]) -> str:
    text = ""
    for step in steps:
        text += str(step) if isinstance(step, Select) else ("." if text else "") + step.name
    return text


def split_assignment(spec: str, option: str) -> tuple[str, str, str]:
    """``PATH=VALUE`` or ``PATH*=FACTOR`` -> (path, "=" or "*=", value): the first ``=`` outside
    brackets ends the path (a selector's own ``=`` is inside them)."""
    depth = 0
    for at, char in enumerate(spec):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "=" and depth == 0:
            if at > 0 and spec[at - 1] == "*":
                return spec[: at - 1].strip(), "*=", spec[at + 1 :].strip()
            return spec[:at].strip(), "=", spec[at + 1 :].strip()
    raise _syntax_error(option, spec, len(spec), "a '[' is never closed" if depth else "expected PATH=VALUE or PATH*=FACTOR")


# --- changes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One ``PATH=VALUE`` or ``PATH*=FACTOR``, parsed."""

    spec: str
    steps: tuple[Step, ...]
    scale: bool
    value: Any
    """The new value as a YAML tree (for ``=``) or the factor (for ``*=``)."""

    @classmethod
    def parse(cls, spec: str, option: str = "--set") -> Change:
        path, operator, value = split_assignment(spec, option)
        steps = parse_path(path, option, spec)
        if operator == "*=":
            try:
                factor = float(value)
            except ValueError:
                raise _syntax_error(option, spec, len(path) + 2, f"a factor must be a number, not {value!r}") from None
            if not math.isfinite(factor) or factor < 0:
                raise _syntax_error(option, spec, len(path) + 2, f"a factor must be a finite number at least 0, not {value!r}")
            return cls(spec, steps, True, factor)
        if not value:
            return cls(spec, steps, False, None)
        tree, _plain, _positions = yamlio.parse(f"value: {value}\n", option)
        return cls(spec, steps, False, tree["value"])

    @property
    def on_rules(self) -> bool:
        """Whether the path addresses the rules data (``rules.X``) rather than the scenario."""
        return len(self.steps) > 1 and self.steps[0] == Key("rules")


def scaled(value: Any, factor: float) -> int | float:
    """``value * factor``; an integer stays an integer, rounded half up (0.5 -> 1, 2.5 -> 3)."""
    if isinstance(value, int):
        return int(math.floor(value * factor + 0.5))
    return float(value) * factor


def _scales_finitely(value: int | float, factor: float) -> bool:
    """Whether ``value * factor`` is a finite number (``*=1e308`` overflows a float)."""
    try:
        return math.isfinite(float(value) * factor)
    except OverflowError:  # an integer too large for a float
        return False


# --- addressing --------------------------------------------------------------------------------


def _position(node: Any, key: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None:
        return 1, 1
    try:
        found = lc.key(key) if isinstance(node, dict) else lc.item(key)
        return found[0] + 1, found[1] + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return (lc.line + 1, lc.col + 1) if lc is not None and lc.line is not None else (1, 1)


def _choices(values: list[str]) -> str:
    unique = list(dict.fromkeys(values))
    shown = ", ".join(unique[:MAX_CHOICES])
    return shown + (f" and {len(unique) - MAX_CHOICES} more" if len(unique) > MAX_CHOICES else "") if unique else "none"


def _plain_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes") if value.second == 0 else value.isoformat()
    return str(value)


def _equals(value: Any, text: str) -> bool:
    if isinstance(value, datetime):
        try:
            return datetime.fromisoformat(text) == datetime(value.year, value.month, value.day, value.hour, value.minute, value.second)
        except ValueError:
            return False
    return _plain_text(value) == text


Target = tuple[Any, Any]
"""(container, key): the mapping and field name, or the list and index, that a path ends at."""


class Tree:
    """A parsed data file (scenario or rules data) that changes address; it reports errors
    against the file's own label, lines and columns."""

    def __init__(self, label: str, text: str, root_type: type[BaseModel]) -> None:
        self.label = label
        self.root, _plain, _positions = yamlio.parse(text, label)
        self.root_type = root_type

    def error(self, node: Any, key: Any, field: str, message: str) -> ScenarioError:
        line, column = _position(node, key)
        return ScenarioError([Problem(self.label, line, column, field, message)])

    def targets(self, steps: tuple[Step, ...], creating: bool) -> list[Target]:
        """Every (container, key) the path ends at; ``creating``: a missing last field may be added."""
        nodes: list[tuple[Any, Any]] = [(self.root, self.root_type)]
        done: tuple[Step, ...] = ()
        for number, step in enumerate(steps):
            last = number == len(steps) - 1
            found: list[tuple[Any, Any]] = []
            targets: list[Target] = []
            for node, annotation in nodes:
                where = format_path(done + (step,))
                if isinstance(step, Key):
                    pairs = self._field(node, annotation, step.name, where, last and creating)
                else:
                    pairs = self._items(node, annotation, step, where)
                targets.extend((container, key) for container, key, _type in pairs)
                found.extend((container[key], kind) for container, key, kind in pairs if not last)
            if last:
                return targets
            nodes = found
            done = done + (step,)
        raise AssertionError("a path has at least one step")

    def _field(self, node: Any, annotation: Any, name: str, where: str, creating: bool) -> list[tuple[Any, Any, Any]]:
        if not isinstance(node, dict):
            raise self.error(node, 0, where, f"{where.rsplit('.', 1)[0] or 'this'} is not a mapping of fields, so it has no field {name!r}")
        known, kind = field_type(annotation, name)
        if not known:
            fields = sorted(inner(annotation).model_fields)
            raise self.error(node, next(iter(node), None), where, f"is not a known field (known: {_choices(fields)})")
        if name not in node and not creating:
            raise self.error(
                node,
                next(iter(node), None),
                where,
                f"{name!r} is not set here in the file, so there is nothing to change under it or to scale "
                f"(set it whole with {where}=VALUE); the fields set here are: {_choices(list(node))}",
            )
        return [(node, name, kind)]

    def _items(self, node: Any, annotation: Any, step: Select, where: str) -> list[tuple[Any, Any, Any]]:
        kind = item_type(annotation)
        if not isinstance(node, list):
            raise self.error(node, None, where, f"{step} selects items of a list, and this is not a list")
        if step.index is not None:
            if not -len(node) <= step.index < len(node):
                raise self.error(node, None, where, f"no item {step.index}: the list has {len(node)} items (0 to {len(node) - 1})")
            return [(node, step.index % len(node), kind)]
        if not step.fields:  # [*]: every item, whatever it holds (a list of names or numbers too)
            if not node:
                raise self.error(node, None, where, "[*] selects every item, and the list is empty")
            return [(node, index, kind) for index in range(len(node))]
        chosen = [
            (node, index, kind)
            for index, item in enumerate(node)
            if isinstance(item, dict) and all(key in item and _equals(item[key], value) for key, value in step.fields)
        ]
        if not chosen:
            keys = [key for key, _value in step.fields]
            present = [
                ",".join(f"{key}={_plain_text(item[key])}" for key in keys)
                for item in node
                if isinstance(item, dict) and all(key in item for key in keys)
            ]
            raise self.error(
                node, None, where, f"no item has {','.join(f'{k}={v}' for k, v in step.fields)}; the items have: {_choices(present)}"
            )
        return chosen

    def apply(self, change: Change, steps: tuple[Step, ...]) -> None:
        for container, key in self.targets(steps, creating=not change.scale):
            if change.scale:
                value = container[key]
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise self.error(container, key, format_path(steps), f"only a number can be scaled, and this is {_plain_text(value)!r}")
                if not _scales_finitely(value, change.value):
                    raise self.error(
                        container, key, format_path(steps), f"{_plain_text(value)} scaled by {change.value:g} is too large a number"
                    )
                container[key] = scaled(value, change.value)
            else:
                container[key] = copy.deepcopy(change.value)  # no node shared between targets (YAML would alias it)

    def merge(self, overlay: dict[str, Any]) -> None:
        merge_tree(self.root, overlay)

    def text(self) -> str:
        return yamlio.dump(self.root)


# --- variants ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overlay:
    """An overlay file's name (for its errors) and text, carried whole so a worker needs no file."""

    label: str
    text: str

    @classmethod
    def read(cls, path: str | Path) -> Overlay:
        overlay = cls(str(path), yamlio.read_text(Path(path), str(path)))
        overlay.tree()  # a YAML error names the file now, not in a worker
        return overlay

    def tree(self) -> dict[str, Any]:
        root, _plain, _positions = yamlio.parse(self.text, self.label)
        return cast(dict[str, Any], root)  # a file that is not a mapping fails validation with its position


@dataclass(frozen=True)
class Variant:
    """A scenario (bundled id or path) with overlays merged in, then changes applied, in order."""

    base: str
    changes: tuple[str, ...] = ()
    overlays: tuple[Overlay, ...] = ()

    def __post_init__(self) -> None:
        """Bounded however it was made (a command line, a record or results file edited by
        hand): each change is parsed and applied on its own, so 20,000 took seconds a megabyte."""
        for option, what, count, limit in (
            ("--set", "changes", len(self.changes), MAX_CHANGES),
            ("--overlay", "overlays", len(self.overlays), MAX_OVERLAYS),
        ):
            if count > limit:
                raise ScenarioError([Problem(option, 1, 1, "", f"a variant takes at most {limit:,} {what} ({option}), not {count:,}")])

    @classmethod
    def create(cls, base: str | Path, changes: list[str] | tuple[str, ...] = (), overlays: list[Path] | tuple[Path, ...] = ()) -> Variant:
        """A variant from command-line options; every change and overlay is parsed now, so a
        syntax error is reported before any game."""
        for spec in changes:
            Change.parse(spec)
        return cls(str(base), tuple(changes), tuple(Overlay.read(path) for path in overlays))

    def with_changes(self, changes: list[str] | tuple[str, ...]) -> Variant:
        return Variant(self.base, self.changes + tuple(changes), self.overlays)

    @property
    def ref(self) -> str:
        """The reference that loads this variant: the base itself when nothing is changed."""
        if not self.changes and not self.overlays:
            return self.base
        data = {"scenario": self.base, "set": list(self.changes), "overlays": [{"file": o.label, "text": o.text} for o in self.overlays]}
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_ref(cls, ref: str) -> Variant:
        """The variant a reference names; a ScenarioError says which of its fields is wrong (a
        reference in a record or results file may have been edited by hand)."""
        try:
            data = json.loads(ref)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise _not_a_ref(str(exc) if isinstance(exc, json.JSONDecodeError) else "nested too deep") from None
        if not isinstance(data, dict) or set(data) != {"scenario", "set", "overlays"}:
            raise _not_a_ref("it is not a JSON object of the fields 'scenario', 'set' and 'overlays' alone")
        if not isinstance(data["scenario"], str):
            raise _not_a_ref("its field 'scenario' is not a scenario id or path (a string)")
        changes, overlays = data["set"], data["overlays"]
        if not isinstance(changes, list) or not all(isinstance(c, str) for c in changes):
            raise _not_a_ref("its field 'set' is not a list of PATH=VALUE changes (strings)")
        if not isinstance(overlays, list) or not all(
            isinstance(o, dict) and set(o) == {"file", "text"} and isinstance(o["file"], str) and isinstance(o["text"], str)
            for o in overlays
        ):
            raise _not_a_ref("its field 'overlays' is not a list of {'file': NAME, 'text': YAML TEXT}")
        return cls(data["scenario"], tuple(changes), tuple(Overlay(o["file"], o["text"]) for o in overlays))

    def describe(self) -> str:
        """For people: the base and what changes, as the command line said it."""
        parts = [self.base, *(f"--overlay {o.label}" for o in self.overlays), *(f"--set {c}" for c in self.changes)]
        return " ".join(parts)

    def texts(self, path: Path, text: str) -> tuple[str, str | None]:
        """(the variant's scenario text, its rules data text or None when unchanged), from the
        base file's ``path`` and ``text``."""
        scenario = Tree(str(path), text, ScenarioFile)
        rules: Tree | None = None

        def rules_tree() -> Tree:
            nonlocal rules
            if rules is None:
                try:
                    rules_path = companions.rules_path(path, str(scenario.root.get("rules")))
                except companions.CompanionError as exc:
                    raise scenario.error(scenario.root, "rules", "rules", str(exc)) from None
                source = companions.read_rules(rules_path, path.parent)
                rules = Tree(source.label, yamlio.dump(source.merged), RulesData)
            return rules

        for overlay in self.overlays:
            tree = overlay.tree()
            rules_part = tree.get("rules")
            if isinstance(rules_part, dict):
                del tree["rules"]
            scenario.merge(tree)
            if isinstance(rules_part, dict):
                rules_tree().merge(rules_part)
        for spec in self.changes:
            change = Change.parse(spec)
            if change.on_rules:
                rules_tree().apply(change, change.steps[1:])
            elif rules is not None and change.steps == (Key("rules"),):
                raise _syntax_error("--set", spec, 0, "the rules data is changed before this; choose the rules data first")
            else:
                scenario.apply(change, change.steps)
        return scenario.text(), (rules.text() if rules is not None else None)


def _not_a_ref(why: str) -> ScenarioError:
    return ScenarioError([Problem("scenario reference", 1, 1, "", f"not a what-if variant reference: {why}")])


def is_variant_ref(ref: str | Path) -> bool:
    """Whether a scenario reference is a variant's (JSON) rather than an id or a path."""
    return isinstance(ref, str) and ref.lstrip().startswith("{")
