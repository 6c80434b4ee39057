"""Problems found in a data file, each pointing at a file, line, column and field.

One error class for every data-file failure keeps callers simple: the CLI prints the problems
one per line and exits 1; the editor lists them and centres on the hex or unit they concern.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nomonhan.hexgrid import Hex


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    field: str
    message: str
    severity: Literal["error", "warning"] = "error"
    hex: Hex | None = None
    unit: str | None = None

    def __str__(self) -> str:
        """One line, always: control characters in a field name or message are escaped."""
        prefix = "" if self.severity == "error" else "warning: "
        return _one_line(f"{self.file}:{self.line}:{self.column}: {self.field or '(file)'}: {prefix}{self.message}")


def _one_line(text: str) -> str:
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class ScenarioError(Exception):
    """A scenario or rules-data file that cannot be used; ``problems`` says exactly why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
