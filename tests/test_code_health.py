"""The habits the code keeps, checked by the tools configured in ``pyproject.toml``.

Each test runs a tool as a subprocess from the project root, so the suite (and so ``.ci/run``)
fails when an import points the wrong way, a core module reaches for pygame, the linter finds
something, or the package's types stop checking under ``mypy --strict``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run_tool(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_layers_and_the_pygame_ban_hold() -> None:
    """import-linter's contracts: imports point one way, and nothing below ``ui`` imports pygame."""
    done = run_tool("lint-imports", "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_finds_nothing() -> None:
    """``ruff check`` over the whole tree, with the rules and per-folder exceptions in pyproject.toml."""
    done = run_tool("ruff", "check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_tree_is_formatted() -> None:
    """``ruff format --check``: one layout everywhere, so that diffs show changes, not reflowing."""
    done = run_tool("ruff", "format", "--check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_package_type_checks_strictly() -> None:
    """``mypy`` with pyproject.toml's settings: strict on the whole package, front end, editor,
    environments and command line included."""
    done = run_tool("mypy", "--no-incremental")
    assert done.returncode == 0, done.stdout + done.stderr


def model_reads(package: Path) -> list[str]:
    """Every ``<something>.model`` attribute read in the package's modules, as ``file:line``."""
    found = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "model":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_rules_read_the_compiled_scenario_not_the_file_model() -> None:
    """The rules, the engine and the computer players read the compiled scenario (``Hex``
    values, see ``scenario/compiled.py``); the pydantic file model stays at the edge."""
    source = ROOT / "src" / "nomonhan"
    reads = [read for package in ("rules", "engine", "ai") for read in model_reads(source / package)]
    assert reads == []
