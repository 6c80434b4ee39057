"""Safe YAML reading that keeps a line and column for every value.

ruamel.yaml's round-trip loader never builds Python objects from tags, but a scenario file is
data from anyone, so this module goes further: it walks the parse events first and refuses any
explicit tag and any alias (an alias bomb expands a few lines into gigabytes), and it bounds the
file's size and nesting before anything is constructed.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, NodeEvent, ScalarEvent

from nomonhan.scenario.errors import Problem, ScenarioError

MAX_FILE_BYTES = 5_000_000
MAX_DEPTH = 32

Positions = dict[tuple[Any, ...], tuple[int, int]]


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_text(path: Path, label: str | None = None) -> str:
    """The file as text, or a ScenarioError naming it: missing, too big, binary or not UTF-8."""
    name = label or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScenarioError([Problem(name, 1, 1, "", f"cannot read the file: {exc.strerror or exc}")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError([Problem(name, 1, 1, "", f"the file is {len(data)} bytes; at most {MAX_FILE_BYTES} are allowed")])
    if b"\x00" in data:
        raise ScenarioError([Problem(name, 1, 1, "", "this is a binary file, not a YAML text file")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError([Problem(name, line, 1, "", "the file is not valid UTF-8 text")]) from None


def parse(text: str, name: str) -> tuple[Any, dict[str, Any], Positions]:
    """Parse YAML text into (round-trip tree, plain data, positions of every value).

    The round-trip tree is what the canonical writer dumps back; the plain data (dicts, lists,
    str, int, float, bool, datetime) is what pydantic validates; positions map a key path such
    as ``("units", 3, "hex")`` to its 1-based (line, column).
    """
    if not text.strip():
        raise ScenarioError([Problem(name, 1, 1, "", "the file is empty")])
    yaml = _yaml()
    try:
        _check_events(yaml, text, name)
        tree = yaml.load(text)
    except ScenarioError:
        raise
    except ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        raise ScenarioError([Problem(name, line, column, "", f"the file holds a character YAML does not allow ({exc.character!r})")]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ScenarioError([Problem(name, line, column, "", f"YAML syntax error: {exc.problem or exc}")]) from None
    except (YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise ScenarioError([Problem(name, 1, 1, "", f"YAML error: {exc}")]) from None
    if not isinstance(tree, dict):
        kind = "a list" if isinstance(tree, list) else f"a single {type(tree).__name__} value"
        raise ScenarioError([Problem(name, 1, 1, "", f"the file must be a mapping of fields, not {kind}")])
    positions: Positions = {}
    plain = _plain(tree, (), positions, (1, 1))
    return tree, plain, positions


def _check_events(yaml: YAML, text: str, name: str) -> None:
    depth = 0
    for event in yaml.parse(StringIO(text)):
        mark = event.start_mark
        where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor):
            raise ScenarioError([Problem(name, *where, "", "YAML anchors and aliases are not allowed in scenario files")])
        if isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.tag is not None and not _is_plain_tag(event):
            raise ScenarioError([Problem(name, *where, "", f"YAML tags such as {event.tag!s} are not allowed; scenario files are plain data")])
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ScenarioError([Problem(name, *where, "", f"the file nests more than {MAX_DEPTH} levels deep")])
        elif type(event).__name__ in ("MappingEndEvent", "SequenceEndEvent"):
            depth -= 1


def _is_plain_tag(event: Any) -> bool:
    # Block scalars ('|') carry the non-specific tag '!' in some ruamel versions; that is no type.
    return str(event.tag) == "!"


def _plain(node: Any, path: tuple[Any, ...], positions: Positions, here: tuple[int, int]) -> Any:
    positions[path] = here
    if isinstance(node, dict):
        result = {}
        for key in node:
            line, column = node.lc.key(key) if hasattr(node, "lc") else (here[0] - 1, here[1] - 1)
            positions[path + (str(key),)] = (line + 1, column + 1)
            try:
                vline, vcol = node.lc.value(key)
                where = (vline + 1, vcol + 1)
            except (KeyError, TypeError, AttributeError):
                where = (line + 1, column + 1)
            result[str(key)] = _plain(node[key], path + (str(key),), positions, where)
            positions[path + (str(key),)] = (line + 1, column + 1)
        return result
    if isinstance(node, list):
        items = []
        for index, item in enumerate(node):
            try:
                line, column = node.lc.item(index)
                where = (line + 1, column + 1)
            except (KeyError, TypeError, AttributeError):
                where = here
            items.append(_plain(item, path + (index,), positions, where))
        return items
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        return dt.datetime(node.year, node.month, node.day, node.hour, node.minute, node.second)
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    if node is None:
        return None
    return str(node)


def dump(tree: Any) -> str:
    """The canonical text of a round-trip tree (see :mod:`nomonhan.scenario.write`)."""
    stream = StringIO()
    _yaml().dump(tree, stream)
    return stream.getvalue()
