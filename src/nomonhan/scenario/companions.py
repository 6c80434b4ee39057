"""Files a scenario brings beside it: its rules data and its map's GeoJSON.

A scenario names its companions relative to its own folder, so a scenario and its data travel
together as one folder:

- ``rules: ./amur.yaml`` (a path ending ``.yaml``) is that file beside the scenario;
- ``rules: amur`` (an id) is ``rules/amur.yaml`` beside the scenario if there is one, else the
  bundled ``scenarios/rules/amur.yaml`` (so ``rules: standard`` works from anywhere);
- ``map.build.geojson: geo/amur.geojson`` is that file beside the scenario, else the bundled one.

No companion may lie outside the scenario's folder (``../`` or an absolute path is refused): a
scenario folder is what an author shares, and a file from elsewhere would not travel with it.

A rules-data file may say ``extends: standard`` (an id, looked up beside it and then among the
bundled rules, or a path relative to it) and list only what it adds or changes: the files are
merged by :func:`nomonhan.scenario.merge.merge_tree`, the same merge as a what-if overlay
(items with an ``id`` merge field by field, new ids are added, other lists are extended), and
the schema's required fields are checked on the merged result.  An error found after merging
is reported in the file that set the field, at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nomonhan import resources
from nomonhan.scenario import yamlio
from nomonhan.scenario.errors import Problem, ScenarioError
from nomonhan.scenario.merge import merge_tree

RULES_ID = re.compile(r"[a-z0-9][a-z0-9_\-]{0,63}")
MAX_EXTENDS = 8
"""Rules files in one chain of ``extends`` (a loop is reported long before this)."""


class CompanionError(ValueError):
    """A companion file that cannot be found or is refused; the message says which and why."""


def inside(root: Path, base: Path, name: str, what: str) -> Path:
    """``name`` (relative to the folder ``base``) as a path; refused if it leaves ``root``."""
    if not name or Path(name).is_absolute() or name.startswith(("/", "\\")):
        raise CompanionError(f"{what} {name!r} must be a path relative to the scenario's folder {root.resolve()}")
    path = (base / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise CompanionError(f"{what} {name!r} leaves the scenario's folder {root.resolve()}; keep companion files inside it")
    return path


def companion(scenario_path: Path, name: str, what: str) -> Path:
    """A file the scenario names by path: beside it, else in the bundled scenarios folder."""
    folder = scenario_path.parent
    path = inside(folder, folder, name, what)
    if path.exists():  # anything there is read (or refused, a FIFO say) as that file, never skipped
        return path
    bundled = inside(resources.scenarios_dir(), resources.scenarios_dir(), name, what)
    if bundled.exists():
        return bundled
    raise CompanionError(f"no {what} {name!r}: looked in {folder.resolve()} and in the bundled {resources.scenarios_dir()}")


def is_path(ref: str) -> bool:
    """Whether a ``rules`` or ``extends`` value names a file (``./amur.yaml``) rather than an id."""
    return ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref


def rules_path(naming_file: Path, ref: str, root: Path | None = None) -> Path:
    """The rules-data file that a scenario (or an extending rules file) at ``naming_file`` names.

    A path is relative to the naming file; an id is ``rules/ID.yaml`` or ``ID.yaml`` beside it,
    else the bundled rules data.  ``root``: the folder no companion may leave (the scenario's).
    """
    folder = naming_file.parent
    root = folder if root is None else root
    if is_path(ref):
        path = inside(root, folder, ref, "rules data")
        if not path.exists():
            raise CompanionError(f"no rules data file {ref!r} in {path.parent}")
        return path
    if not RULES_ID.fullmatch(ref):
        raise CompanionError(f"rules data {ref!r} is neither an id (lower case, digits, - and _) nor a path ending .yaml")
    searched = [folder / "rules" / f"{ref}.yaml", folder / f"{ref}.yaml"]
    for path in searched:
        if path.exists() and path.resolve() != naming_file.resolve():
            return path.resolve()
    bundled = resources.rules_path(ref)
    if bundled.is_file():
        return bundled
    known = ", ".join(sorted(p.stem for p in (resources.scenarios_dir() / "rules").glob("*.yaml")))
    raise CompanionError(
        f"no rules data named {ref!r}: looked in {folder.resolve()} and its rules/ folder, and among the bundled rules ({known})"
    )


def rules_label(path: Path) -> str:
    """How errors name a rules file: ``scenarios/rules/standard.yaml`` for a bundled one."""
    bundled = resources.scenarios_dir().resolve()
    resolved = path.resolve()
    return f"scenarios/{resolved.relative_to(bundled).as_posix()}" if resolved.is_relative_to(bundled) else str(path)


@dataclass(frozen=True)
class RulesLayer:
    """One rules file of an ``extends`` chain: its name for errors, its text and parsed data."""

    path: Path
    label: str
    text: str
    plain: Any
    positions: yamlio.Positions


@dataclass(frozen=True)
class RulesSource:
    """A scenario's rules data: the files that make it, most specific first, and their merge."""

    layers: tuple[RulesLayer, ...]
    merged: Any
    """The merged round-trip tree (``extends`` removed); a what-if variant changes a copy."""

    @property
    def label(self) -> str:
        return self.layers[0].label

    @property
    def text(self) -> str:
        """The rules as one text: the file itself, or for an extending file the merged result."""
        return self.layers[0].text if len(self.layers) == 1 else yamlio.dump(self.merged)

    def problem(self, loc: tuple[Any, ...], message: str) -> Problem:
        """A problem of the merged data, placed in the file that set the field (the most specific
        file that has the deepest part of the path)."""
        best: tuple[int, RulesLayer, tuple[Any, ...]] | None = None
        for layer in self.layers:
            found = _translate(loc, self.merged_plain, layer.plain)
            if best is None or len(found) > len(best[2]):
                best = (0, layer, found)
        assert best is not None
        _, layer, found = best
        line, column = _where(layer.positions, found)
        return Problem(layer.label, line, column, ".".join(str(part) for part in loc), message)

    @property
    def merged_plain(self) -> Any:
        return yamlio.plain(self.merged)


def _where(positions: yamlio.Positions, loc: tuple[Any, ...]) -> tuple[int, int]:
    for end in range(len(loc), -1, -1):
        found = positions.get(tuple(loc[:end]))
        if found:
            return found
    return 1, 1


def _translate(loc: tuple[Any, ...], merged: Any, layer: Any) -> tuple[Any, ...]:
    """The longest prefix of ``loc`` (a path into the merged data) that this layer sets, as a
    path into the layer: list items are matched by ``id``, as the merge matched them."""
    found: tuple[Any, ...] = ()
    for step in loc:
        if isinstance(merged, dict) and isinstance(layer, dict) and step in merged and step in layer:
            merged, layer = merged[step], layer[step]
            found += (step,)
        elif isinstance(step, int) and isinstance(merged, list) and isinstance(layer, list) and 0 <= step < len(merged):
            item = merged[step]
            ident = item.get("id") if isinstance(item, dict) else None
            index = next(
                (i for i, mine in enumerate(layer) if isinstance(mine, dict) and ident is not None and mine.get("id") == ident), None
            )
            if index is None:
                break
            merged, layer = item, layer[index]
            found += (index,)
        else:
            break
    return found


def read_rules(path: Path, root: Path, label: str | None = None, text: str | None = None) -> RulesSource:
    """A rules-data file and every file it ``extends``, merged (not yet validated).

    ``text``: the file's unsaved text (the editor's), read instead of the file on disk.
    """
    layers: list[RulesLayer] = []
    trees: list[Any] = []
    current, name = path, label or rules_label(path)
    while True:
        if any(layer.path == current.resolve() for layer in layers):
            chain = " -> ".join(layer.label for layer in layers)
            raise ScenarioError(
                [Problem(layers[-1].label, 1, 1, "extends", f"the rules files extend each other in a loop: {chain} -> {name}")]
            )
        if len(layers) >= MAX_EXTENDS:
            raise ScenarioError([Problem(name, 1, 1, "extends", f"more than {MAX_EXTENDS} rules files extend one another")])
        if text is None or layers:
            text = yamlio.read_text(current, name)
        tree, plain, positions = yamlio.parse(text, name)
        layers.append(RulesLayer(current.resolve(), name, text, plain, positions))
        trees.append(tree)
        base = tree.get("extends") if isinstance(tree, dict) else None
        if base is None:
            break
        if not isinstance(base, str):
            line, column = positions.get(("extends",), (1, 1))
            raise ScenarioError(
                [Problem(name, line, column, "extends", "extends names one rules data file: an id such as 'standard' or a path")]
            )
        try:
            current = rules_path(current, base, root)
        except CompanionError as exc:
            line, column = positions.get(("extends",), (1, 1))
            raise ScenarioError([Problem(name, line, column, "extends", str(exc))]) from None
        name = rules_label(current)
    merged = trees[-1]
    for tree in reversed(trees[:-1]):
        own = {key: value for key, value in tree.items() if key != "extends"}
        merge_tree(merged, own)
    return RulesSource(tuple(layers), merged)
