"""Synthetic scenarios of any size, for benchmarks: random terrain, a river, a road, units spread out."""

from __future__ import annotations

import tempfile
from pathlib import Path

from nomonhan.rng import Generator
from nomonhan.scenario.load import Scenario, load_scenario

_TERRAIN = ".........shhmv"


def synthetic_yaml(columns: int, rows: int, units_per_side: tuple[int, int], seed: int = 1, turns: int = 10) -> str:
    gen = Generator(seed)
    grid = "\n".join("    " + "".join(gen.choice(_TERRAIN) for _ in range(columns)) for _ in range(rows))
    river_col = columns // 2 if (columns // 2) % 2 == 0 else columns // 2 - 1
    river = ", ".join(f"'{river_col},{r}:SE'" for r in range(rows - 1))
    bridges = ", ".join(f"'{river_col},{r}:SE'" for r in range(0, rows - 1, 6))
    road = ", ".join(f"'{c},{rows // 2}'" for c in range(columns))
    units = []
    for side, count, lo, hi in (("japanese", units_per_side[0], 0, river_col), ("soviet", units_per_side[1], river_col + 1, columns)):
        taken: set[tuple[int, int]] = set()
        for n in range(count):
            while True:
                col, row = gen.randint(lo, hi - 1), gen.randint(0, rows - 1)
                if (col, row) not in taken:
                    taken.add((col, row))
                    break
            kind = ("rifle_bn", "rifle_bn", "tank_bn", "cavalry_rgt", "artillery_bn")[n % 5]
            units.append(f"  - {{id: {side[0]}-{n}, name: Unit {n}, type: {kind}, side: {side}, hex: '{col},{row}', source: synthetic}}")
    return f"""format_version: 1
id: synthetic-{columns}x{rows}
title: Synthetic {columns} x {rows}
rules: standard
period:
  start: 1939-08-20T06:00:00
  turn_hours: 12
  last_turn: {turns}
  daylight: {{dawn: '05:00', dusk: '20:00'}}
  first_side: japanese
sides:
  - {{id: soviet, name: Soviet, nations: [USSR], colour: '#b03a2e'}}
  - {{id: japanese, name: Japanese, nations: [Japan], colour: '#d4ac0d'}}
map:
  hex_km: 1.0
  terrain: |
{grid.replace("w", ".")}
  hexside_lines:
    - {{feature: river, name: River, hexsides: [{river}]}}
  roads:
    - {{kind: road, name: Road, hexes: [{road}]}}
  bridges: [{bridges}]
units:
{chr(10).join(units)}
"""


def synthetic_scenario(columns: int, rows: int, units_per_side: tuple[int, int], seed: int = 1, turns: int = 10) -> Scenario:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.yaml"
        path.write_text(synthetic_yaml(columns, rows, units_per_side, seed, turns), encoding="utf-8")
        return load_scenario(path)
