"""The draft being edited: the scenario's round-trip tree, the rules data it uses, undo and redo.

Every edit runs inside :meth:`Draft.change`, which keeps the canonical text of both files before
and after.  Undo and redo swap those texts back in (reparsing them), which is simple and cannot
drift out of step with the tree the way hand-written inverse operations can.  The text is also
what is validated, saved and compared with the file on disk to know whether there is anything
to save.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from nomonhan import resources, safeio
from nomonhan.editor import tree as yt
from nomonhan.fileio import write_atomic
from nomonhan.scenario import companions, yamlio
from nomonhan.scenario.errors import ScenarioError
from nomonhan.scenario.load import resolve
from nomonhan.scenario.skeleton import skeleton
from nomonhan.scenario.write import styled, to_text


class ChangedOnDisk(Exception):
    """Files to be saved that were changed on disk since the editor read or last wrote them;
    saving would silently overwrite someone else's work, so it asks first."""

    reason = "changed on disk since it was opened"
    """What is said of the files, in the status line and the question asked."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(", ".join(str(p) for p in paths))
        self.paths = paths


class ExistsAlready(ChangedOnDisk):
    """ "Save as..." onto a file that exists: replacing it loses what it held, and the file
    dialog does not ask, so the save does."""

    reason = "exists already"


class BundledData(ChangedOnDisk):
    """Files of the game's own ``scenarios/`` folder: every game of the bundled scenarios reads
    them (the rules data, every scenario naming it), and an installed game keeps them among its
    program files, so the first save of them asks."""

    reason = "is the game's bundled data, shared by every game of it"


HISTORY_LIMIT = 200
"""Undo steps kept (each is two texts of at most a few hundred kilobytes)."""


@dataclass
class TextFile:
    """One YAML file of the draft: its path, round-trip tree, current and saved canonical text."""

    path: Path
    tree: Any
    text: str
    saved: str | None
    """The text on disk as last read or written; None when the file does not exist yet."""

    @classmethod
    def read(cls, path: Path, label: str) -> TextFile:
        raw = yamlio.read_text(path, label)
        tree, _plain, _positions = yamlio.parse(raw, label)
        return cls(path, tree, to_text(tree), raw)

    @classmethod
    def fresh(cls, path: Path, data: dict[str, Any]) -> TextFile:
        tree = styled(data)
        return cls(path, tree, to_text(tree), None)

    @property
    def dirty(self) -> bool:
        return self.text != self.saved

    def load_text(self, text: str) -> None:
        self.tree, _plain, _positions = yamlio.parse(text, str(self.path))
        self.text = text

    def save(self) -> None:
        write_atomic(self.path, self.text)
        self.saved = self.text

    def changed_on_disk(self) -> bool:
        """Whether the file now differs from the text last read or written here.  A file that
        is gone counts as unchanged (writing it again loses nothing); one grown past the
        expected length, or anything not a regular file in its place (a FIFO would block an
        open for ever, the window with it), counts as changed without being read whole."""
        if self.saved is None:
            return False
        expected = self.saved.encode("utf-8")
        try:
            return safeio.read_bytes(self.path, len(expected)) != expected
        except safeio.FileRefused:
            return self.path.exists() or self.path.is_symlink()


@dataclass(frozen=True)
class Snapshot:
    label: str
    scenario: str
    rules: str | None


@dataclass
class Draft:
    """A scenario file being edited, and the rules data file it names (read when first needed)."""

    scenario: TextFile
    rules_file: TextFile | None = None
    undo_stack: list[Snapshot] = field(default_factory=list)
    redo_stack: list[Snapshot] = field(default_factory=list)
    revision: int = 0
    """Bumped by every change, undo and redo: views rebuild what they cache when it moves."""
    bundled_agreed: bool = False
    """Whether the author has agreed (by saving over the question) to write the bundled data."""

    # ------------------------------------------------------------ opening
    @classmethod
    def open(cls, ref: str | Path) -> Draft:
        """A bundled scenario id or a path; raises ScenarioError when the file cannot be parsed."""
        path = resolve(ref)
        return cls(TextFile.read(path, str(path)))

    @classmethod
    def new(
        cls,
        path: str | Path,
        columns: int = 30,
        rows: int = 20,
        hex_km: float = 1.0,
        start: datetime = datetime(1939, 8, 20, 6, 0),
        turns: int = 10,
        turn_hours: int = 12,
    ) -> Draft:
        """A ``nomonhan new`` skeleton, not yet on disk (the first save writes it to ``path``)."""
        path = Path(path)
        data = skeleton(path.stem, columns, rows, hex_km, start, turns, turn_hours)
        return cls(TextFile.fresh(path, data))

    # ------------------------------------------------------------ reading
    @property
    def path(self) -> Path:
        return self.scenario.path

    @property
    def tree(self) -> Any:
        return self.scenario.tree

    @property
    def text(self) -> str:
        return self.scenario.text

    @property
    def rules_id(self) -> str:
        return str(self.tree.get("rules", ""))

    @property
    def rules(self) -> TextFile | None:
        """The rules data file the scenario names (None if there is no such file)."""
        try:
            wanted = companions.rules_path(self.path, self.rules_id) if self.rules_id else None
        except companions.CompanionError:  # reported by validation, not here
            wanted = None
        if self.rules_file is not None and (self.rules_file.path == wanted or self.rules_file.dirty):
            return self.rules_file
        if wanted is None:
            return None
        try:
            self.rules_file = TextFile.read(wanted, companions.rules_label(wanted))
        except ScenarioError:  # a broken rules file is reported by validation, not here
            return None
        return self.rules_file

    def data(self) -> dict[str, Any]:
        """The scenario as plain data (rebuilt when the revision moves)."""
        found: dict[str, Any] = self._cached("data", lambda: yt.plain(self.tree))
        return found

    def rules_data(self) -> dict[str, Any]:
        """The rules data as plain data; for a file that ``extends`` others, merged with them."""
        found: dict[str, Any] = self._cached("rules", self._merged_rules)
        return found

    def _merged_rules(self) -> dict[str, Any]:
        rules = self.rules
        if rules is None:
            return {}
        if not isinstance(rules.tree, dict) or "extends" not in rules.tree:
            return cast(dict[str, Any], yt.plain(rules.tree))
        try:
            return cast(dict[str, Any], yt.plain(companions.read_rules(rules.path, self.path.parent, text=rules.text).merged))
        except ScenarioError:  # a broken chain is reported by validation
            return {}

    def _cached(self, name: str, build: Any) -> Any:
        cache = self.__dict__.setdefault("_cache", {})
        key = (name, self.revision)
        if key not in cache:
            for old in [k for k in cache if k[0] == name]:
                del cache[old]
            cache[key] = build()
        return cache[key]

    @property
    def dirty(self) -> bool:
        return self.scenario.dirty or (self.rules_file is not None and self.rules_file.dirty)

    # ------------------------------------------------------------ changing
    def _snapshot(self, label: str) -> Snapshot:
        return Snapshot(label, self.scenario.text, self.rules_file.text if self.rules_file else None)

    @contextmanager
    def change(self, label: str, document: str = "scenario") -> Iterator[Any]:
        """Edit the tree of ``document`` (``scenario`` or ``rules``) as one undoable step.

        If the body raises, or leaves a tree that cannot be written, or written as text that
        does not read back (a ScenarioError naming the file's line), both files go back to the
        texts they had before and the error propagates: a change never makes a file the editor
        could save but not open again.
        """
        target = self.scenario if document == "scenario" else self.rules
        if target is None:
            raise ValueError(f"this scenario's rules data {self.rules_id!r} cannot be read")
        before = self._snapshot(label)
        try:
            yield target.tree
            text = to_text(target.tree)
            yamlio.parse(text, str(target.path))
            target.text = text
        except BaseException:
            self._restore(before, reread=True)  # the tree may be half changed whatever the text says
            raise
        after = self._snapshot(label)
        if (after.scenario, after.rules) != (before.scenario, before.rules):
            self.undo_stack = [*self.undo_stack[-(HISTORY_LIMIT - 1) :], before]
            self.redo_stack.clear()
        self.revision += 1

    def replace_text(self, label: str, text: str, document: str = "scenario") -> None:
        """Replace a whole file's text (a rebuilt map, a hand-edited file) as one undoable step."""
        target = self.scenario if document == "scenario" else self.rules
        with self.change(label, document):
            assert target is not None
            target.load_text(to_text(yamlio.parse(text, str(target.path))[0]))

    def _restore(self, snapshot: Snapshot, reread: bool = False) -> None:
        if reread or snapshot.scenario != self.scenario.text:
            self.scenario.load_text(snapshot.scenario)
        if snapshot.rules is not None and self.rules_file is not None and (reread or snapshot.rules != self.rules_file.text):
            self.rules_file.load_text(snapshot.rules)
        self.revision += 1

    def undo(self) -> str | None:
        """Undo the last change; returns its label (None when there is nothing to undo)."""
        if not self.undo_stack:
            return None
        snapshot = self.undo_stack.pop()
        self.redo_stack.append(self._snapshot(snapshot.label))
        self._restore(snapshot)
        return snapshot.label

    def redo(self) -> str | None:
        if not self.redo_stack:
            return None
        snapshot = self.redo_stack.pop()
        self.undo_stack.append(self._snapshot(snapshot.label))
        self._restore(snapshot)
        return snapshot.label

    # ------------------------------------------------------------ saving
    def save(self, path: str | Path | None = None, overwrite: bool = False) -> Path:
        """Write the rules data (if edited) and the scenario, each atomically, canonically.

        ``path`` saves the scenario under a new name (later saves go there too).  A failed write
        leaves the file on disk as it was and the draft still unsaved.  Unless ``overwrite``,
        nothing is written and the save raises :class:`ChangedOnDisk` for a file changed on disk
        since it was read, :class:`ExistsAlready` for a new name that is taken, and
        :class:`BundledData` for the game's own files until the author has once agreed.
        """
        target = self.scenario.path if path is None else Path(path)
        renamed = target.resolve() != self.scenario.path.resolve()
        rules = [self.rules_file] if self.rules_file is not None and self.rules_file.dirty else []
        if not overwrite:
            changed = [file.path for file in [*rules, *([] if renamed else [self.scenario])] if file.changed_on_disk()]
            if changed:
                raise ChangedOnDisk(changed)
            if renamed and (target.exists() or target.is_symlink()):
                raise ExistsAlready([target])
            bundled = resources.scenarios_dir().resolve()
            shared = [p for p in [*(file.path for file in rules), target] if p.resolve().is_relative_to(bundled)]
            if shared and not self.bundled_agreed:
                raise BundledData(shared)
        else:
            self.bundled_agreed = True
        if self.rules_file is not None and self.rules_file.dirty:
            self.rules_file.save()
        if renamed:
            self.scenario.path = target
            self.scenario.saved = None
        self.scenario.save()
        return self.scenario.path
