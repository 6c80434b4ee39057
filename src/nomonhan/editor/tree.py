"""Reading and changing a ruamel round-trip tree in the project's writing style.

The editor never rebuilds a scenario from plain data: it changes the tree the file was parsed
into, node by node, so comments and quoting survive.  New nodes follow the style of
:func:`nomonhan.scenario.write.styled` and of their neighbours (a unit added to a list of
one-line ``{id: ..., hex: ...}`` units is written on one line too).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from nomonhan.hexgrid import Hex, parse_hex
from nomonhan.scenario import yamlio
from nomonhan.scenario.errors import Problem, ScenarioError
from nomonhan.scenario.write import styled, to_text

Key = str | int
TreePath = tuple[Key, ...]


def plain(node: Any) -> Any:
    """The tree as plain dicts, lists and scalars (what the schema models validate)."""
    return yamlio.plain(node)


def get(tree: Any, path: Iterable[Key], default: Any = None) -> Any:
    node = tree
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return default
    return node


def ensure(tree: Any, path: TreePath, leaf: type = CommentedSeq) -> Any:
    """The node at ``path``, creating empty mappings on the way and a ``leaf`` at the end."""
    node = tree
    for n, key in enumerate(path):
        if key not in node or node[key] is None:
            node[key] = leaf() if n == len(path) - 1 else CommentedMap()
        node = node[key]
    return node


def node(value: Any, key: str | None = None, like: Any = None) -> Any:
    """Plain ``value`` as a styled tree node; a mapping copies the flow style of ``like``."""
    result = styled(value, key)
    if isinstance(result, CommentedMap) and isinstance(like, CommentedMap) and like.fa.flow_style():
        result.fa.set_flow_style()
    return result


def append(seq: Any, value: dict[str, Any]) -> int:
    """Append a mapping styled like the list's last item; returns its index."""
    seq.append(node(value, like=seq[-1] if len(seq) else None))
    return len(seq) - 1


def hex_of(text: Any) -> Hex | None:
    """The hex a ``'col,row'`` value names, or None for anything else."""
    try:
        return parse_hex(str(text))
    except ValueError:
        return None


def fragment(tree: Any, path: TreePath) -> str:
    """The YAML text of the node at ``path``, nested under its keys so indentation is unchanged."""
    wrapper: Any = get(tree, path)
    for key in reversed(path):
        outer = CommentedMap()
        outer[key] = wrapper
        wrapper = outer
    return to_text(wrapper)


def parse_fragment(text: str, path: TreePath) -> Any:
    """The node a :func:`fragment` text (possibly edited) holds at ``path``."""
    parsed, _plain, _positions = yamlio.parse(text, "section")
    node_ = parsed
    for depth, key in enumerate(path):
        if not isinstance(node_, dict) or list(node_) != [key]:
            where = ".".join(str(k) for k in path[:depth]) or "the text"
            raise ScenarioError([Problem("section", 1, 1, "", f"{where} must hold exactly one key, {key!r}")])
        node_ = node_[key]
    return node_
