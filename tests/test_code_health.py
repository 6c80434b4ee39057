"""The habits the code keeps, checked by the tools configured in ``pyproject.toml``.

Each test runs a tool as a subprocess from the project root, so the suite (and so ``.ci/run``)
fails when an import points the wrong way or a core module reaches for pygame.
"""

from __future__ import annotations

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
