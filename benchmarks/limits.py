"""What a file at the scenario format's limits costs (docs/scenario-format.md, "Limits").

Builds, in a temporary folder, the largest scenario the schema allows (80 x 80 hexes, 100 units,
100 turns) and a file of the most YAML values allowed, then times ``nomonhan validate``,
``run`` and ``replay`` on them as separate processes and reports each one's wall time and peak
memory (the child's maximum resident set)::

    .venv/bin/python benchmarks/limits.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from nomonhan.scenario.schema import MAX_MAP_COLUMNS, MAX_MAP_ROWS, MAX_TURNS, MAX_UNITS
from nomonhan.scenario.skeleton import skeleton
from nomonhan.scenario.write import save_tree, styled
from nomonhan.scenario.yamlio import MAX_FILE_BYTES, MAX_NODES

NOMONHAN = Path(sys.executable).parent / "nomonhan"


def largest_scenario(path: Path) -> None:
    """Both sides in columns facing each other across the widest map, one unit a hex."""
    columns, rows = MAX_MAP_COLUMNS, MAX_MAP_ROWS
    data = skeleton("limits", columns, rows, 1.0, datetime(1939, 8, 20, 6), MAX_TURNS, 12)
    units = []
    for i in range(MAX_UNITS // 2):
        line, row = divmod(i, rows)
        units.append(
            {
                "id": f"s-{i}",
                "name": f"Soviet {i}",
                "type": "tank_bn" if i % 3 == 0 else "rifle_bn",
                "side": "soviet",
                "hex": f"{columns - 1 - line},{row}",
                "source": "design",
            }
        )
        units.append(
            {"id": f"j-{i}", "name": f"Japanese {i}", "type": "rifle_bn", "side": "japanese", "hex": f"{line},{row}", "source": "design"}
        )
    data["units"] = units
    save_tree(path, styled(data))


def most_values(path: Path) -> None:
    """A flow mapping of more values than allowed, within the byte limit: refused at the cap.
    One value a line: a line may hold at most 30,000 characters."""
    entries = ",\n  ".join(f"k{i}: v" for i in range(MAX_NODES))
    path.write_text(f"format_version: 1\nsources: {{{entries}}}\n"[:MAX_FILE_BYTES], encoding="utf-8")


_CHILD = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], capture_output=True).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def measure(*args: object) -> tuple[float, float, int]:
    """(seconds, peak MB, exit code) of one nomonhan command, run under a fresh parent process
    so that its peak resident set is its own."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, str(NOMONHAN), *map(str, args)], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    peak_kb, code = done.stdout.split()
    return seconds, int(peak_kb) / 1024, int(code)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        limits, values, record = Path(folder) / "limits.yaml", Path(folder) / "values.yaml", Path(folder) / "game.json"
        largest_scenario(limits)
        most_values(values)
        print("| command | seconds | peak MB | exit |")
        print("|---|---|---|---|")
        for label, args in (
            (f"validate (the most values, {values.stat().st_size:,} bytes)", ("validate", values)),
            (f"validate ({MAX_MAP_COLUMNS} x {MAX_MAP_ROWS}, {MAX_UNITS} units, {MAX_TURNS} turns)", ("validate", limits)),
            ("run (the same, default players, seed 1)", ("run", limits, "--seed", "1", "--record", record)),
            ("replay (its record)", ("replay", record)),
        ):
            seconds, peak, code = measure(*args)
            print(f"| `{label}` | {seconds:.2f} | {peak:.0f} | {code} |")


if __name__ == "__main__":
    main()
