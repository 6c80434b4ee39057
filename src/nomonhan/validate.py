"""Scenario checks that need the rules: stacking at set-up (supply reach joins with the supply rules).

Above the rules layer and below the CLI; the editor shows the same problems live.
"""

from __future__ import annotations

from pathlib import Path

from nomonhan.scenario.errors import Problem
from nomonhan.scenario.load import load_with_warnings
from nomonhan.scenario.schema import parse_hex


def validate_scenario(ref: str | Path) -> list[Problem]:
    """All problems of a scenario file: errors (it cannot be played) and warnings."""
    scenario, problems = load_with_warnings(ref)
    limit = scenario.rules.stacking_limit
    stacks: dict[tuple[str, str], int] = {}
    for i, setup in enumerate(scenario.model.units):
        if setup.hex is None:
            continue
        key = (setup.side, setup.hex)
        stacks[key] = stacks.get(key, 0) + scenario.unit_types[setup.type].stack_points
        if stacks[key] > limit:
            problems.append(
                scenario.document.problem(
                    ("units", i, "hex"),
                    f"stacking limit exceeded at set-up: {stacks[key]} stack points in hex {setup.hex}, at most {limit}",
                    unit=setup.id,
                    hex=parse_hex(setup.hex),
                )
            )
    return problems
