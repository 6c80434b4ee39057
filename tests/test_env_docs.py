"""docs/rl.md is true: its examples run and print what it says, its tables match the code."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nomonhan.env import GLOBAL_NAMES, ActionCodec, ObservationEncoder
from nomonhan.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parents[1]
TEXT = (ROOT / "docs" / "rl.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)


def _run(code: str) -> str:
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=environment, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_masked_random_example_plays_a_game_to_its_end() -> None:
    printed = _run(EXAMPLES[0])
    returns = ast.literal_eval(printed)
    assert set(returns) == {"japanese", "soviet"}


def test_the_imitation_example_prints_what_the_document_says() -> None:
    printed = _run(EXAMPLES[1]).strip()
    assert f"It prints `{printed}`" in TEXT


@pytest.mark.parametrize("row", re.findall(r"^\| `([^`]+)` \| \d+ x \d+ \| (.*) \|$", TEXT, flags=re.M))
def test_the_size_table_is_the_codes(row: tuple[str, str]) -> None:
    ref, cells = row
    scenario = load_scenario(ref)
    first, second, planes = [cell.strip() for cell in cells.split("|")]
    for side, cell in zip(scenario.side_ids, (first, second)):
        assert cell == f"{side}: {ActionCodec(scenario, side).n}"
    channels, rows, columns = ObservationEncoder(scenario, scenario.side_ids[0]).plane_shape
    assert planes == f"{channels} x {rows} x {columns}"


def test_the_documented_channels_and_globals_are_the_codes() -> None:
    table = re.search(r"\| channels \| value in a hex \|\n(.*?)\n\n", TEXT, flags=re.S).group(1)
    documented = set(re.findall(r"`([^`]+)`", "\n".join(line.split(" | ")[0] for line in table.splitlines())))
    scenario = load_scenario(ROOT / "tests" / "data" / "crossing.yaml")
    encoder = ObservationEncoder(scenario, "soviet")
    assert {_generic(name, encoder) for name in encoder.channel_names} == documented
    order = re.search(r"The globals, in order.*?\n\n", TEXT, flags=re.S).group(0)
    assert re.findall(r"`([a-z_:]+)`", order)[: len(GLOBAL_NAMES)] == list(GLOBAL_NAMES)


def _generic(name: str, encoder: ObservationEncoder) -> str:
    """A channel's name as the table gives it: ``terrain:<id>``, ``own:<type>``, ``road:<dir>``."""
    kind, _, rest = name.partition(":")
    if kind == "terrain":
        return "terrain:<id>"
    if kind in ("own", "enemy") and rest in encoder.types:
        return f"{kind}:<type>"
    if kind == "feature":
        return "feature:<id>:<dir>"
    if kind in ("road", "bridge"):
        return f"{kind}:<dir>"
    return name
