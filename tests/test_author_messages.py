"""Validation errors in the author's words (issue 16): no pydantic wording reaches a user.

Each kind of error a schema field can raise gets a broken copy of the test scenario checked
through ``nomonhan validate`` (exit 1, no traceback, ``PATH:LINE:COL: field: message`` with the
author's wording); a sweep breaks every field of a bundled scenario and its rules data with many
wrong values and checks that no message is pydantic's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from nomonhan import resources
from nomonhan.cli import app
from nomonhan.scenario import yamlio
from nomonhan.scenario.messages import author_message
from nomonhan.scenario.schema import RulesData, ScenarioFile

CROSSING = Path(__file__).parent / "data" / "crossing.yaml"
PYDANTIC_WORDING = re.compile(r"Input should|String should|List should|Field required|Extra inputs|Value error|valid dictionary")
PROBLEM_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<column>\d+): (?P<field>\S+): (?P<message>.+)$")

# error kind -> (text in crossing.yaml, its replacement, the field, the message)
CASES: dict[str, tuple[str, str, str, str]] = {
    "greater_than_equal": ("turn_hours: 12", "turn_hours: 0", "period.turn_hours", "must be at least 1, got 0"),
    "less_than_equal": ("last_turn: 4", "last_turn: 101", "period.last_turn", "must be at most 100, got 101"),
    "greater_than_equal_float": ("hex_km: 1.0", "hex_km: 0.001", "map.hex_km", "must be at least 0.01, got 0.001"),
    "finite_number": ("hex_km: 1.0", "hex_km: .nan", "map.hex_km", "must be a finite number, got nan"),
    "literal_error": ("format_version: 1", "format_version: 2", "format_version", "must be 1, got 2"),
    "missing": ("  turn_hours: 12\n", "", "period.turn_hours", "is required"),
    "extra_forbidden": (
        "  turn_hours: 12\n",
        "  turn_hours: 12\n  turn_hourz: 12\n",
        "period.turn_hourz",
        "is not a known field (known: daylight, first_side, last_turn, start, turn_hours)",
    ),
    "int_parsing": ("last_turn: 4", "last_turn: x", "period.last_turn", "must be a whole number, got 'x'"),
    "int_from_float": ("last_turn: 4", "last_turn: 4.5", "period.last_turn", "must be a whole number, got 4.5"),
    "int_type": ("last_turn: 4", "last_turn: [4]", "period.last_turn", "must be a whole number, got a list"),
    "float_parsing": ("hex_km: 1.0", "hex_km: far", "map.hex_km", "must be a number, got 'far'"),
    "bool_parsing": ("zoc_to_zoc: false", "zoc_to_zoc: perhaps", "special_rules.zoc_to_zoc", "must be true or false, got 'perhaps'"),
    "string_type": (
        "title: Test crossing",
        "title: 12",
        "title",
        "must be text (put it in quotes if it looks like a number or a date), got 12",
    ),
    "list_type": ("nations: [USSR, Mongolia]", "nations: USSR", "sides.0.nations", "must be a list"),
    "dict_type": ("period:\n", "period: 12\nperiodx:\n", "period", "must be a mapping of fields"),
    "too_short": ("nations: [USSR, Mongolia]", "nations: []", "sides.0.nations", "needs at least 1 item, has 0"),
    "too_long": (
        "nations: [USSR, Mongolia]",
        "nations: [a, b, c, d, e, f, g, h, i, j, k]",
        "sides.0.nations",
        "may have at most 10 items, has 11",
    ),
    "string_too_long": ("title: Test crossing", "title: " + "T" * 1001, "title", "may have at most 1000 characters, has 1001"),
    "string_pattern_mismatch": ("id: crossing", "id: Crossing", "id", "must be an id: lower-case letters, digits"),
    "colour_pattern": ("colour: '#b03a2e'", "colour: red", "sides.0.colour", "must be a colour written #rrggbb"),
    "datetime_parsing": ("start: 1939-07-02T06:00:00", "start: 1939-13-02T06:00", "period.start", "must be a date and time such as"),
    "time_parsing": ("dawn: '05:00'", "dawn: '25:00'", "period.daylight.dawn", "must be a time of day such as 05:30, got '25:00'"),
    "value_error": ("dawn: '05:00'", "dawn: '21:00'", "period.daylight", "dawn must come before dusk"),
}


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = CROSSING.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _validate(path: Path) -> list[re.Match[str]]:
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and not PYDANTIC_WORDING.search(result.output), result.output
    matches = [PROBLEM_LINE.match(line) for line in result.output.splitlines() if line.strip()]
    assert matches and all(matches), result.output
    return [m for m in matches if m]


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_kind_of_error_is_in_the_authors_words(tmp_path: Path, kind: str) -> None:
    old, new, field, message = CASES[kind]
    path = _broken(tmp_path, old, new)
    found = {m["field"]: m for m in _validate(path)}
    assert field in found, found
    assert found[field]["message"].startswith(message), found[field]["message"]
    assert found[field]["path"] == str(path)


def test_closed_set_lists_its_choices(tmp_path: Path) -> None:
    """A word from a closed set (a unit type's size) lists the words it may be."""
    path = _broken(
        tmp_path,
        "special_rules:",
        "unit_types:\n  - {id: boat, name: Boat, category: infantry, size: flotilla, movement_class: foot,"
        " move_points: 4, attack: 1, defence: 1, steps: 1}\nspecial_rules:",
    )
    found = {m["field"]: m["message"] for m in _validate(path)}
    assert found["unit_types.0.size"] == "must be one of: company, battalion, regiment, brigade, division, got 'flotilla'"


def test_a_bad_key_of_a_mapping_is_named_as_the_field(tmp_path: Path) -> None:
    """A wrong key (a movement class spelt 'Boat') is the field, without pydantic's '[key]' mark."""
    rules = tmp_path / "amur.yaml"
    rules.write_text("extends: standard\nroads:\n  - {id: road, move_cost: {Boat: 1}}\n", encoding="utf-8")
    [problem] = _validate(rules)
    assert problem["field"] == "roads.0.move_cost.Boat" and (problem["line"], problem["column"]) == ("3", "28")
    assert problem["message"].startswith("must be an id: lower-case letters") and problem["message"].endswith("got 'Boat'")


def test_a_targets_file_names_the_kinds_of_target(tmp_path: Path) -> None:
    from nomonhan.scenario.errors import ScenarioError
    from nomonhan.sim.targets import load_targets

    path = tmp_path / "targets.yaml"
    path.write_text(
        "format_version: 1\nscenario: crossing\ntargets:\n"
        "  - {id: a, says: x, source: y, kind: win_rat, side: soviet, at_least: 0.5}\n"
        "  - {id: c, says: x, source: y, side: soviet}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as caught:
        load_targets(path)
    first, second = (p.message for p in caught.value.problems)
    assert first.startswith("kind must be one of: win_rate, median_losses,") and first.endswith("withdrawn, got 'win_rat'")
    assert second == "needs a kind field saying which kind it is"


def test_new_reports_a_bad_option_in_the_authors_words(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["new", "x", "--hex-km", "nan", "--out", str(tmp_path / "x.yaml")])
    assert result.exit_code == 1 and "map.hex_km: must be a finite number, got nan" in result.output, result.output


def test_what_if_set_errors_are_in_the_authors_words() -> None:
    from nomonhan.scenario.errors import ScenarioError
    from nomonhan.scenario.load import load_scenario
    from nomonhan.scenario.variants import Variant

    for change, expected in [
        ("period.turn_hours=0", "period.turn_hours: must be at least 1, got 0"),
        ("rules.stacking_limit=x", "stacking_limit: must be a whole number, got 'x'"),
    ]:
        with pytest.raises(ScenarioError) as caught:
            load_scenario(Variant.create("lake-khasan-1938", [change]).ref)
        assert expected in str(caught.value) and not PYDANTIC_WORDING.search(str(caught.value))


# --- the sweep ----------------------------------------------------------------------------------

WRONG_VALUES: list[Any] = [
    -5,
    0,
    10**12,
    "x",
    "",
    1.5,
    float("nan"),
    None,
    True,
    [],
    [1, "x"],
    {},
    {"zz": 1},
    "a" * 5000,
    "1939-13-45",
    "25:00",
]
VALUES_PER_FIELD = 3


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path in the data (the first two items of each list), parents before children."""
    found = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _leaves(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data[:2]):
            found += _leaves(value, path + (index,))
    return found


def _messages_for_every_wrong_value(plain: dict[str, Any], model: Any) -> tuple[set[str], list[str]]:
    kinds: set[str] = set()
    messages: list[str] = []
    for number, path in enumerate(_leaves(plain)):
        parent = plain
        for part in path[:-1]:
            parent = parent[part]
        original = parent[path[-1]]
        for turn in range(VALUES_PER_FIELD):  # each field a few of the wrong values, in rotation
            wrong = WRONG_VALUES[(number * VALUES_PER_FIELD + turn) % len(WRONG_VALUES)]
            parent[path[-1]] = wrong
            try:
                model.model_validate(plain)
            except ValidationError as exc:
                for error in exc.errors():
                    kinds.add(error["type"])
                    messages.append(f"{'.'.join(map(str, error['loc']))}: {author_message(error, model)}")
        parent[path[-1]] = original
    return kinds, messages


@pytest.mark.parametrize(
    ("file", "model"),
    [(resources.scenarios_dir() / "lake-khasan-1938.yaml", ScenarioFile), (resources.rules_path("standard"), RulesData)],
    ids=["lake-khasan", "standard-rules"],
)
def test_no_wrong_value_of_any_field_gets_pydantic_wording(file: Path, model: Any) -> None:
    plain = yamlio.parse(file.read_text(encoding="utf-8"), str(file))[1]
    kinds, messages = _messages_for_every_wrong_value(plain, model)
    # The sweep reaches the kinds of error the schema raises (so it cannot pass by finding none).
    assert {"greater_than_equal", "less_than_equal", "missing", "extra_forbidden", "int_parsing", "string_type"} <= kinds
    assert {"int_from_float", "bool_parsing", "list_type", "too_short", "string_too_long", "string_pattern_mismatch"} & kinds
    leaked = [m for m in messages if PYDANTIC_WORDING.search(m) or m.endswith(": ")]
    assert not leaked, leaked[:10]


def test_an_error_type_without_its_own_wording_still_says_must() -> None:
    error = {"type": "url_parsing", "loc": ("x",), "msg": "Input should be a valid URL, empty input", "input": ""}
    assert author_message(error) == "must be a valid URL, empty input, got ''"


def test_the_editors_live_check_words_errors_as_validate_does() -> None:
    from nomonhan.editor.checking import check

    text = (
        CROSSING.read_text(encoding="utf-8").replace("turn_hours: 12", "turn_hours: 0").replace("name: 1st Bn", "name: 1st Bn, strenght: 3")
    )
    problems = {p.field: p.message for p in check(text, str(CROSSING))}
    assert problems["period.turn_hours"] == "must be at least 1, got 0"
    assert problems["units.0.strenght"].startswith("is not a known field (known: arrive, formation, hex, id, name,")
