"""Safe YAML reading that keeps a line and column for every value.

ruamel.yaml's round-trip loader never builds Python objects from tags, but a scenario file is
data from anyone, so this module goes further: it walks the parse events first and refuses any
explicit tag and any alias (an alias bomb expands a few lines into gigabytes), and it bounds the
file's size (reading regular files only, see :mod:`nomonhan.safeio`), its nesting and the number
of values composed, before anything is constructed.
"""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedBase
from ruamel.yaml.docinfo import DocInfo, version
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.tokens import CommentToken

from nomonhan import safeio
from nomonhan.scenario.errors import Problem, ScenarioError

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_NODES = 20_000
"""Values (scalars, lists, mappings) in one file.  The largest bundled scenario has about 3,200;
ruamel.yaml spends up to 0.1 ms on each, so this bounds a parse to about two seconds whatever
the file holds (a flow list of 5 MB used to take minutes)."""
MAX_LINE_CHARS = 30_000
"""Characters on one line.  ruamel.yaml gathers a comment a character at a time, which can
copy the comment at every character: a comment line of 800,000 characters took 11 to 16 s to
parse, depending on the heap.  The bundled scenarios' longest line has about 1,300; the bound
leaves room for the longest text field (20,000 characters) written on one line with its key."""
MAX_NUMBER_CHARS = 100
"""Characters in a number.  No value of the format needs more than a few; Python refuses to
convert an integer of more than 4,300 digits, which would otherwise be reported at the file's
start with advice meant for programmers."""

Positions = dict[tuple[Any, ...], tuple[int, int]]


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_text(path: Path, label: str | None = None) -> str:
    """The file as text, or a ScenarioError naming it: missing, not a regular file, too big, binary or not UTF-8."""
    name = label or str(path)
    try:
        data = safeio.read_bytes(path, MAX_FILE_BYTES)
    except safeio.FileRefused as exc:
        raise ScenarioError([Problem(name, 1, 1, "", str(exc))]) from None
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
    _check_line_lengths(text, name)
    yaml = _yaml()
    try:
        tree = _load_checked(yaml, text, name)
    except ScenarioError:
        raise
    except ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        raise ScenarioError(
            [Problem(name, line, column, "", f"the file holds a character YAML does not allow ({exc.character!r})")]
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ScenarioError([Problem(name, line, column, "", f"YAML syntax error: {exc.problem or exc}")]) from None
    except RecursionError:
        raise ScenarioError([Problem(name, 1, 1, "", f"the file nests more than {MAX_DEPTH} levels deep")]) from None
    except (YAMLError, ValueError, TypeError) as exc:
        raise ScenarioError([Problem(name, 1, 1, "", f"YAML error: {exc}")]) from None
    if tree is None:  # only comments, blank lines or a byte-order mark
        raise ScenarioError([Problem(name, 1, 1, "", "the file holds no fields (only comments or blank lines)")])
    if not isinstance(tree, dict):
        kind = "a list" if isinstance(tree, list) else f"a single {type(tree).__name__} value"
        raise ScenarioError([Problem(name, 1, 1, "", f"the file must be a mapping of fields, not {kind}")])
    positions: Positions = {}
    try:
        plain = _plain(tree, (), positions, (1, 1))
    except _KeyTwice as twice:
        raise ScenarioError([Problem(name, *twice.at, twice.key, "the key is given twice in this mapping (as 1 and '1', say)")]) from None
    return tree, plain, positions


class _KeyTwice(ValueError):
    """Two keys of one mapping that read as the same field name (``1`` and ``"1"``), which
    ruamel.yaml keeps apart and the plain data would silently merge into one."""

    def __init__(self, key: str, at: tuple[int, int]) -> None:
        super().__init__(key)
        self.key, self.at = key, at


_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""The line breaks ruamel.yaml counts (``str.splitlines`` also splits on form feeds and other
characters YAML refuses, which would number the lines after them wrongly)."""


def _check_line_lengths(text: str, name: str) -> None:
    """Refuse a line longer than MAX_LINE_CHARS, naming it, before ruamel.yaml reads it."""
    for number, line in enumerate(_LINE_BREAKS.split(text), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise ScenarioError(
                [
                    Problem(
                        name,
                        number,
                        MAX_LINE_CHARS + 1,
                        "",
                        f"the line holds {len(line):,} characters; a line may hold at most {MAX_LINE_CHARS:,}",
                    )
                ]
            )


_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))


def _load_checked(yaml: YAML, text: str, name: str) -> Any:
    """Compose the node graph once, refuse tags and aliases in it, then construct the tree.

    Checking the composed nodes rather than a separate event pass parses the file only once;
    an alias is a node met twice, so an alias bomb is refused before anything expands it.
    """
    yaml.doc_infos.append(DocInfo(requested_version=version(yaml.version)))
    constructor, parser = yaml.get_constructor_parser(StringIO(text))
    _count_nodes(constructor.composer, name)
    try:
        node = constructor.composer.get_single_node()
        if node is None:
            return None
        _check_nodes(node, name)
        try:
            return constructor.construct_document(node)
        except ValueError as exc:  # a date that is no day (1939-02-30): find its line
            raise _refused(name, _failing_timestamp(constructor, node), f"not a real date or time ({exc})") from None
    finally:
        parser.dispose()


def _failing_timestamp(constructor: Any, root: Any) -> Any:
    """The mark of the first date or time that ``constructor`` cannot build (None if none fails)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
        elif str(node.tag) == "tag:yaml.org,2002:timestamp":
            try:
                constructor.construct_yaml_timestamp(node)
            except ValueError:
                return node.start_mark
    return None


def _count_nodes(composer: Any, name: str) -> None:
    """Stop composing at MAX_NODES values: the composer calls ``compose_node`` once per value."""
    compose = composer.compose_node
    count = 0

    def counted(parent: Any, index: Any) -> Any:
        nonlocal count
        count += 1
        if count > MAX_NODES:
            raise _refused(
                name, composer.parser.peek_event().start_mark, f"the file holds more than {MAX_NODES:,} values, the most allowed"
            )
        return compose(parent, index)

    composer.compose_node = counted


def _refused(name: str, mark: Any, message: str) -> ScenarioError:
    """The file refused at ``mark`` (a YAML position, 0-based; the file's start when unknown)."""
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return ScenarioError([Problem(name, line, column, "", message)])


def _check_nodes(root: Any, name: str) -> None:
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        mark = node.start_mark
        if id(node) in seen or getattr(node, "anchor", None):
            raise _refused(name, mark, "YAML anchors and aliases are not allowed in scenario files")
        seen.add(id(node))
        if str(node.tag) not in _PLAIN_TAGS:
            raise _refused(name, mark, f"YAML tags such as {node.tag!s} are not allowed; scenario files are plain data")
        if depth > MAX_DEPTH:
            raise _refused(name, mark, f"the file nests more than {MAX_DEPTH} levels deep")
        if str(node.tag) in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
            raise _refused(name, mark, f"a number of {len(node.value):,} characters; a number may hold at most {MAX_NUMBER_CHARS}")
        # Children go on the stack last-first, so nodes are checked in document order and an
        # anchor is reported where it is defined, before any alias to it.
        if isinstance(node, MappingNode):
            stack.extend((part, depth + 1) for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, SequenceNode):
            stack.extend((item, depth + 1) for item in reversed(node.value))


def _mark(lookup: Any, key: Any, fallback: tuple[int, int]) -> tuple[int, int]:
    """A 1-based (line, column) from ruamel's line/column info; ``fallback`` for nodes made in code."""
    try:
        found = lookup(key)
    except (KeyError, TypeError, AttributeError, IndexError):
        return fallback
    return (found[0] + 1, found[1] + 1) if found else fallback


def _plain(node: Any, path: tuple[Any, ...], positions: Positions, here: tuple[int, int]) -> Any:
    positions[path] = here
    lc = getattr(node, "lc", None)
    if isinstance(node, dict):
        result = {}
        for key in node:
            key_at = _mark(lc.key, key, here) if lc else here
            if str(key) in result:
                raise _KeyTwice(".".join(map(str, path + (str(key),))), key_at)
            result[str(key)] = _plain(node[key], path + (str(key),), positions, _mark(lc.value, key, key_at) if lc else key_at)
            positions[path + (str(key),)] = key_at
        return result
    if isinstance(node, list):
        return [_plain(item, path + (index,), positions, _mark(lc.item, index, here) if lc else here) for index, item in enumerate(node)]
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        return dt.datetime(node.year, node.month, node.day, node.hour, node.minute, node.second, node.microsecond, tzinfo=node.tzinfo)
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    if node is None:
        return None
    return str(node)


def plain(node: Any) -> Any:
    """A round-trip tree as plain dicts, lists and scalars, without positions."""
    return _plain(node, (), {}, (1, 1))


def dump(tree: Any) -> str:
    """The canonical text of a round-trip tree (see :mod:`nomonhan.scenario.write`)."""
    _move_comments_off_inline_values(tree)
    stream = StringIO()
    _yaml().dump(tree, stream)
    return stream.getvalue()


def _move_comments_off_inline_values(node: Any) -> None:
    """Move the comment lines written between a key and its block value to after the key's line
    wherever the value is now written on that line (an emptied list ``[]``, a map ``{}``, a
    scalar that replaced a list).

    ruamel.yaml keeps such comments as the value's leading comment; it writes them before an
    inline value too, which puts ``[]`` at the start of a line and the next key on its line: a
    file nothing can read back.  Kept after the key's line instead, they stay in the file.
    """
    stack = [node]
    while stack:
        parent = stack.pop()
        if isinstance(parent, dict):
            children = list(parent.items())
        elif isinstance(parent, list):
            children = list(enumerate(parent))
        else:
            continue
        for key, value in children:
            if isinstance(value, (dict, list)) and value:
                stack.append(value)
            elif isinstance(parent, CommentedBase):
                _comments_after_line(parent, key, value)


def _comments_after_line(parent: Any, key: Any, value: Any) -> None:
    """Move ``parent[key]``'s leading comment lines (inline ``value``) into its end-of-line comment."""
    leading: list[Any] = []
    comments = parent.ca.items
    entry = comments.get(key) if isinstance(parent, dict) else None
    if entry is not None and len(entry) > 3 and entry[3]:
        leading += entry[3]
        entry[3] = None
    own = value.ca.comment if isinstance(value, CommentedBase) else None
    if own and len(own) > 1 and own[1]:
        leading += [token for token in own[1] if all(token is not seen for seen in leading)]
        own[1] = None
    if not leading:
        return
    lines = "".join(" " * token.column + token.value if token.value.startswith("#") else token.value for token in leading)
    if entry is None:
        entry = comments.setdefault(key, [None, None, None, None])
    if isinstance(value, CommentedBase):  # an empty block list is written ``[]`` all the same,
        value.fa.set_flow_style()  # but its key's end-of-line comment before it
    before = entry[2].value if entry[2] is not None else "\n"
    entry[2] = CommentToken(before + lines, CommentMark(0), None)
