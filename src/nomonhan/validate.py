"""Scenario checks that need the rules: stacking at set-up (supply reach joins with the supply rules).

Above the rules layer and below the CLI; the editor shows the same problems live.
"""

from __future__ import annotations

from pathlib import Path

from nomonhan.scenario.errors import Problem
from nomonhan.scenario.load import Document, load_with_warnings
from nomonhan.scenario.schema import RulesData, ScenarioFile, UnitType, parse_hex


def validate_scenario(ref: str | Path) -> list[Problem]:
    """All problems of a scenario file: errors (it cannot be played) and warnings."""
    scenario, problems = load_with_warnings(ref)
    return problems + setup_stacking_problems(scenario.model, scenario.rules, scenario.unit_types, scenario.document)


def setup_stacking_problems(model: ScenarioFile, rules: RulesData, unit_types: dict[str, UnitType], document: Document) -> list[Problem]:
    """Hexes over the stacking limit at set-up, one problem per unit that overfills one."""
    problems = []
    stacks: dict[tuple[str, str], int] = {}
    for i, setup in enumerate(model.units):
        if setup.hex is None:
            continue
        key = (setup.side, setup.hex)
        stacks[key] = stacks.get(key, 0) + unit_types[setup.type].stack_points
        if stacks[key] > rules.stacking_limit:
            problems.append(
                document.problem(
                    ("units", i, "hex"),
                    f"stacking limit exceeded at set-up: {stacks[key]} stack points in hex {setup.hex}, at most {rules.stacking_limit}",
                    unit=setup.id,
                    hex=parse_hex(setup.hex),
                )
            )
    return problems
