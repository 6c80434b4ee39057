"""The scenario loader on valid, broken and hostile files.

Every broken file in ``tests/data/broken/`` has exactly one fault; the loader must refuse it
with a :class:`ScenarioError` whose text is ``PATH:LINE:COLUMN: field.path: message`` and whose
line (and, where it names a value, column) is where the fault really is in the file.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from nomonhan import resources
from nomonhan.scenario import yamlio
from nomonhan.scenario.errors import Problem, ScenarioError
from nomonhan.scenario.load import load_rules, load_scenario, resolve, validate_scenario

DATA = Path(__file__).parent / "data"
CROSSING = DATA / "crossing.yaml"
BROKEN = DATA / "broken"
CROSSING_TEXT = CROSSING.read_text(encoding="utf-8")

# name -> (field, message fragment, line, text on that line where the problem's column points
# (None: line 1 column 1, the file as a whole), whether to check the column too)
CASES: dict[str, tuple[str, str, int, str | None, bool]] = {
    "yaml_syntax": ("(file)", "YAML syntax error", 9, " last_turn: 4", False),
    "empty": ("(file)", "the file is empty", 1, None, True),
    "only_comments": ("(file)", "the file holds no fields (only comments or blank lines)", 1, None, True),
    "not_a_mapping": ("(file)", "must be a mapping of fields, not a list", 1, None, True),
    "alias_bomb": ("(file)", "anchors and aliases are not allowed", 5, "&a0", True),
    "python_tag": ("(file)", "YAML tags such as", 4, "!!python/object/apply:os.system", True),
    "unknown_field": ("titel", "is not a known field (known: ", 4, "titel", True),
    "negative_number": ("period.turn_hours", "must be at least 1, got -12", 8, "turn_hours: -12", True),
    "huge_number": ("period.last_turn", "must be at most 100, got", 9, "last_turn: 1000000000000000000000000000000", True),
    "unknown_unit_type": ("units.1.type", "unknown unit type 'nosuch_bn'", 51, "type: nosuch_bn", True),
    "unknown_terrain_code": ("map.terrain", "unknown terrain code 'Z' at hex 6,4", 29, "Z", True),
    "duplicate_unit_id": ("units.1.id", "duplicate unit id 'j-1'", 51, "id: j-1, name: 2nd Bn", True),
    "unit_off_map": ("units.4.hex", "hex 12,6 is off the map", 54, "hex: '12,6'", True),
    "unit_on_lake": ("units.3.hex", "cannot enter", 53, "hex: '6,6'", True),
    "arrival_outside_period": ("units.5.arrive.at", "outside the scenario period", 60, "at: 1939-07-10T18:00:00", True),
    "bad_hex_syntax": ("units.2.hex", "expected a hex as 'col,row'", 52, "hex: '12;5'", True),
    "bad_hexside_direction": ("map.bridges.0", "expected a hexside as 'col,row:DIR'", 48, "'3,3:E'", True),
    "objective_off_map": ("objectives.0.hex", "objective 'Bridge' is off the map", 67, "hex: '40,5'", True),
    "unknown_border_in_rule": ("special_rules.border_crossing_forbidden.0.border", "unknown border 'nosuch'", 65, "border: nosuch", True),
    "unknown_side": ("units.3.side", "unknown side 'mongolian'", 53, "side: mongolian", True),
    # The grid's key is on line 24; the short row (row 4 of the grid) is line 29.
    "ragged_terrain_rows": ("map.terrain", "terrain row 4 has 9 hexes", 29, "..h......", False),
    "missing_required_field": ("period", "is required", 1, None, True),
    "dawn_after_dusk": ("period.daylight", "dawn must come before dusk", 10, "daylight: {dawn: '21:00'", True),
    "unknown_rules_data": ("rules", "no rules data named 'nosuch'", 5, "rules: nosuch", True),
    "stacking_exceeded": ("units.3.hex", "stacking limit exceeded at set-up: 8 stack points in hex 1,1, at most 6", 53, "hex: '1,1'", True),
    # Cross-references (issue 22): each names a side, objective, type or hex that is not there.
    "supply_source_off_map": ("supply.sources.0.hex", "supply source 'Depot' at hex 500,500 is off the map", 70, "hex: '500,500'", True),
    "supply_source_unknown_side": ("supply.sources.0.side", "unknown side 'mongolian'", 70, "side: mongolian", True),
    "supply_capacity_unknown_side": ("supply.capacity.0.side", "unknown side 'mongolian'", 70, "side: mongolian", True),
    "fortification_off_map": ("fortifications.0.hex", "fortification 'Hill' at hex 40,1 is off the map", 69, "hex: '40,1'", True),
    "fortification_unknown_side": ("fortifications.0.side", "unknown side 'manchukuo'", 69, "side: manchukuo", True),
    "air_unknown_side": ("air.0.side", "unknown side 'manchukuo'", 69, "side: manchukuo", True),
    "ai_hints_unknown_side": ("ai_hints.mongolian", "unknown side 'mongolian'", 69, "mongolian:", True),
    "ai_objective_off_map": ("ai_hints.soviet.objectives.0.hex", "AI objective at hex 12,3 is off the map", 71, "hex: '12,3'", True),
    "ai_axis_off_map": ("ai_hints.japanese.axes.0.hexes.2", "axis 'East' hex 10,3 is off the map", 71, "'10,3'", True),
    "sudden_death_unknown_objective": (
        "sudden_death.0.objectives.1",
        "unknown objective 'Hill'; objectives are Bridge",
        69,
        "Hill]",
        True,
    ),
    "sudden_death_unknown_side": ("sudden_death.0.side", "unknown side 'mongolian'", 69, "side: mongolian", True),
    "historical_winner_not_a_side": ("historical.winner", "unknown side 'draw'", 68, "winner: draw", True),
    "historical_unknown_objective": ("historical.held_objectives.Hill", "unknown objective 'Hill'", 71, "Hill: soviet", True),
    "duplicate_objective_name": ("objectives.1.name", "duplicate objective name 'Bridge'", 68, "name: Bridge", True),
    "duplicate_objective_hex": ("objectives.1.hex", "objective 'Ford' is in the same hex as 'Bridge'", 68, "hex: '04, 5'", True),
    "unit_type_replaces_rules_type": (
        "unit_types.0.id",
        "unit type 'rifle_bn' is already in the rules data 'standard'",
        69,
        "id: rifle_bn",
        True,
    ),
    "weather_unsorted": ("weather.1.start", "weather spells must be in order of start", 70, "start: 1939-07-02T06:00:00", True),
    "time_zone_in_date": ("period.start", "write the local time without a time zone", 7, "start: 1939-07-02T06:00:00+08:00", True),
    "day_out_of_range": ("(file)", "not a real date or time (day is out of range for month)", 7, "1939-02-30T06:00:00", True),
    "key_twice": ("period.1", "the key is given twice in this mapping", 13, '"1": two', True),
    "format_version_true": ("format_version", "must be the whole number 1, not True", 2, "format_version: true", False),
    "time_as_number": ("period.daylight.dawn", "300 is a number, not a time of day such as 05:30", 10, "dawn: 300", False),
    "enemy_units_on_one_hex": ("units.3.hex", "s-1 is set up in hex 1,1, which japanese units hold", 53, "hex: '1,1'", True),
    "stacking_spelled_differently": (
        "units.3.hex",
        "stacking limit exceeded at set-up: 8 stack points in hex 1,1, at most 6",
        53,
        "hex: '1,1'",
        True,
    ),
    "full_width_digits": ("units.1.hex", "expected a hex as 'col,row'", 51, "hex: '\uff12,5'", True),
}

PROBLEM_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<column>\d+): (?P<field>\S+): (?P<message>.+)$")


def test_every_broken_file_has_a_case() -> None:
    on_disk = {p.stem for p in BROKEN.glob("*.yaml")}
    assert on_disk == set(CASES)


def _check_problem(problem: Problem, path: Path, case: tuple[str, str, int, str | None, bool]) -> None:
    field, fragment, line, at, check_column = case
    assert problem.severity == "error"
    assert problem.file == str(path)
    text = str(problem)
    assert "\n" not in text
    match = PROBLEM_LINE.match(text)
    assert match, text
    assert match["path"] == str(path)
    assert match["field"] == field
    assert fragment in match["message"]
    assert (int(match["line"]), int(match["column"])) == (problem.line, problem.column)
    assert problem.line == line, text
    lines = path.read_text(encoding="utf-8").splitlines()
    if at is None:
        assert (problem.line, problem.column) == (1, 1)
        return
    # The recorded line really is the offending one.
    assert at in lines[line - 1], (lines[line - 1], at)
    if check_column:
        assert problem.column == lines[line - 1].index(at) + 1, (text, lines[line - 1])


def _matching(problems: list[Problem], field: str) -> Problem:
    shown = [p for p in problems if (p.field or "(file)") == field]
    assert shown, [str(p) for p in problems]
    return shown[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_is_refused_with_its_position(name: str) -> None:
    path = BROKEN / f"{name}.yaml"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    problems = caught.value.problems
    assert problems
    assert str(caught.value) == "\n".join(str(p) for p in problems)
    for problem in problems:
        assert PROBLEM_LINE.match(str(problem)), str(problem)
    _check_problem(_matching(problems, CASES[name][0]), path, CASES[name])
    # validate_scenario reports through the same exception (the CLI relies on it).
    with pytest.raises(ScenarioError):
        validate_scenario(path)


def test_crossing_scenario_loads_and_validates() -> None:
    scenario = load_scenario(CROSSING)
    assert scenario.id == "crossing"
    assert scenario.board.columns == 10 and scenario.board.rows == 8
    assert len(scenario.model.units) == 6
    assert set(scenario.side_ids) == {"soviet", "japanese"}
    assert [str(p) for p in validate_scenario(CROSSING) if p.severity == "error"] == []
    # A string path loads the same file to the same content hash.
    assert load_scenario(str(CROSSING)).content_hash == scenario.content_hash


def test_bundled_rules_and_scenarios_validate() -> None:
    _document, rules = load_rules("standard")
    assert rules.id == "standard"
    assert resources.rules_path("standard").is_file()
    bundled = resources.bundled_scenario_paths()
    assert all(p.suffix == ".yaml" and p.parent == resources.scenarios_dir() for p in bundled)
    for path in [CROSSING, *bundled]:
        errors = [str(p) for p in validate_scenario(path) if p.severity == "error"]
        assert errors == [], path
    for path in bundled:
        # A bundled scenario is also reachable by its id.
        assert resolve(path.stem) == path
        assert load_scenario(path.stem).id == load_scenario(path).id


def test_unknown_bundled_id_is_a_scenario_error() -> None:
    with pytest.raises(ScenarioError, match="no such scenario file or bundled scenario id"):
        load_scenario("no-such-scenario-id")


def test_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"
    with pytest.raises(ScenarioError, match="no such file") as caught:
        load_scenario(path)
    assert str(caught.value).startswith(f"{path}:1:1: (file): ")


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(CROSSING_TEXT.encode("utf-8")[:200] + b"\x00\x01\x02\xff" + b"rest")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value) == f"{path}:1:1: (file): this is a binary file, not a YAML text file"


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(CROSSING_TEXT.replace("title: Test crossing", "title: Caf\u00e9").encode("latin-1"))
    with pytest.raises(ScenarioError, match="not valid UTF-8") as caught:
        load_scenario(path)
    assert caught.value.problems[0].line == 4


def test_alias_bomb_is_refused_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(ScenarioError, match="anchors and aliases"):
        load_scenario(BROKEN / "alias_bomb.yaml")
    assert time.perf_counter() - started < 0.5


def test_bigger_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    # Twenty levels of twenty aliases: 20**20 strings if it were ever expanded.
    levels = ["l0: &a0 [" + ", ".join(["lol"] * 20) + "]"]
    levels += [f"l{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 20) + "]" for i in range(1, 20)]
    path = tmp_path / "bomb.yaml"
    path.write_text(CROSSING_TEXT + "notes_bomb:\n" + "".join(f"  {line}\n" for line in levels), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ScenarioError, match="anchors and aliases"):
        load_scenario(path)
    assert time.perf_counter() - started < 0.5


def test_single_anchor_without_alias_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "anchor.yaml"
    path.write_text(CROSSING_TEXT.replace("title: Test crossing", "title: &t Test crossing"), encoding="utf-8")
    with pytest.raises(ScenarioError, match="anchors and aliases") as caught:
        load_scenario(path)
    assert caught.value.problems[0].line == 4


def test_committed_python_tag_is_refused_and_not_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The committed payload is "echo hacked > hacked": run from tmp_path it would leave a file.
    monkeypatch.chdir(tmp_path)
    started = time.perf_counter()
    with pytest.raises(ScenarioError, match="YAML tags"):
        load_scenario(BROKEN / "python_tag.yaml")
    with pytest.raises(ScenarioError, match="YAML tags"):
        validate_scenario(BROKEN / "python_tag.yaml")
    assert time.perf_counter() - started < 1.0
    assert not (tmp_path / "hacked").exists()


@pytest.mark.parametrize(
    "template",
    [
        'title: !!python/object/apply:os.system ["touch {marker}"]',
        'title: !!python/object/apply:subprocess.call [["touch", "{marker}"]]',
        'title: !!python/object/new:os.system ["touch {marker}"]',
        "title: !!python/name:os.system",
        "title: !!python/object/apply:builtins.exec [\"open(r'{marker}', 'w').close()\"]",
        'title: !custom "touch {marker}"',
    ],
)
def test_python_and_custom_tags_are_refused_and_not_run(tmp_path: Path, template: str) -> None:
    marker = tmp_path / "hacked"
    path = tmp_path / "tagged.yaml"
    path.write_text(CROSSING_TEXT.replace("title: Test crossing", template.format(marker=marker)), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ScenarioError, match="YAML tags") as caught:
        load_scenario(path)
    assert time.perf_counter() - started < 1.0
    assert not marker.exists()
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (4, 8)


def test_tag_inside_a_unit_flow_mapping_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "hacked"
    line = "  - {id: j-1, name: 1st Bn, type: rifle_bn, side: japanese, formation: 23rd Div, hex: '1,1', source: test}"
    tagged = line.replace("source: test", f'source: !!python/object/apply:os.system ["touch {marker}"]')
    path = tmp_path / "tagged.yaml"
    path.write_text(CROSSING_TEXT.replace(line, tagged), encoding="utf-8")
    with pytest.raises(ScenarioError, match="YAML tags") as caught:
        load_scenario(path)
    assert not marker.exists()
    assert caught.value.problems[0].line == 50


def test_standard_tags_name_plain_data_and_are_accepted(tmp_path: Path) -> None:
    # A tag that only names a plain YAML type (``!!str``) constructs nothing: it is allowed.
    path = tmp_path / "tagged.yaml"
    path.write_text(CROSSING_TEXT.replace("title: Test crossing", 'title: !!str "Tagged title"'), encoding="utf-8")
    assert load_scenario(path).model.title == "Tagged title"


def test_too_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(CROSSING_TEXT + "notes_deep: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="nests more than"):
        load_scenario(path)


def test_a_line_too_long_is_refused_at_its_line_before_yaml_reads_it(tmp_path: Path) -> None:
    # ruamel.yaml gathers a comment a character at a time: a comment line of 800,000
    # characters took up to 16 s to parse before the file's lines were bounded.
    path = tmp_path / "long.yaml"
    path.write_text("# " + "a" * 800_000 + "\n" + CROSSING_TEXT, encoding="utf-8")
    with pytest.raises(ScenarioError, match="800,002 characters; a line may hold at most 30,000") as caught:
        load_scenario(path)
    assert caught.value.problems[0].line == 1


def test_a_long_line_is_numbered_as_yaml_numbers_lines() -> None:
    # A form feed is no line break to YAML (str.splitlines would count one and name line 4).
    with pytest.raises(ScenarioError, match="30,004 characters") as caught:
        yamlio.parse("a: 1\x0c\nc: 2\nd: " + "b" * 30_001 + "\n", "f.yaml")
    assert caught.value.problems[0].line == 3


def test_the_longest_text_field_fits_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text(CROSSING_TEXT.replace("title: Test crossing", "title: Test crossing\nnotes: '" + "n" * 20_000 + "'"), encoding="utf-8")
    assert load_scenario(path).model.notes == "n" * 20_000


def test_a_number_of_thousands_of_digits_is_refused_at_its_place(tmp_path: Path) -> None:
    # Python refuses integers of over 4,300 digits with advice for programmers, at 1:1.
    path = tmp_path / "digits.yaml"
    path.write_text(CROSSING_TEXT.replace("title: Test crossing", "title: Test crossing\nsteps_hint: " + "9" * 5000), encoding="utf-8")
    with pytest.raises(ScenarioError, match="a number of 5,000 characters") as caught:
        load_scenario(path)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (CROSSING_TEXT.splitlines().index("title: Test crossing") + 2, 13)


# ------------------------------------------------------------ positions in flow mappings

UNIT_LINES = {index: number for index, number in enumerate(range(50, 55))}


@pytest.mark.parametrize("index", sorted(UNIT_LINES))
def test_error_in_a_unit_flow_mapping_points_at_that_units_line(tmp_path: Path, index: int) -> None:
    lines = CROSSING_TEXT.splitlines()
    number = UNIT_LINES[index]
    original = lines[number - 1]
    assert original.lstrip().startswith("- {id: ")
    kind = "tank_bn" if "tank_bn" in original else "rifle_bn"
    lines[number - 1] = original.replace(f"type: {kind}", "type: nosuch")
    path = tmp_path / "unit.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (problem,) = caught.value.problems
    assert problem.field == f"units.{index}.type"
    assert problem.line == number
    assert problem.column == lines[number - 1].index("type: nosuch") + 1
    assert problem.unit is not None and problem.unit in lines[number - 1]
    assert str(problem).startswith(f"{path}:{number}:{problem.column}: units.{index}.type: unknown unit type 'nosuch'")


def test_schema_error_in_a_unit_flow_mapping_points_at_that_units_line(tmp_path: Path) -> None:
    # A pydantic (schema) error, not a cross-reference one: steps out of range.
    lines = CROSSING_TEXT.splitlines()
    lines[52] = lines[52].replace("source: test}", "steps: 99, source: test}")
    path = tmp_path / "steps.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (problem,) = caught.value.problems
    assert problem.field == "units.3.steps"
    assert (problem.line, problem.column) == (53, lines[52].index("steps: 99") + 1)


def test_unknown_terrain_code_after_a_blank_grid_line_points_at_its_line(tmp_path: Path) -> None:
    # Blank lines inside the grid are ignored by the map, so the reported line must skip them too.
    text = CROSSING_TEXT.replace("    ..h.......\n", "\n    ..h...Z...\n")
    path = tmp_path / "blank.yaml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (problem,) = caught.value.problems
    assert problem.field == "map.terrain"
    assert "Z" in lines[problem.line - 1], str(problem)
    assert problem.line == 30


def test_start_date_near_the_end_of_the_calendar_is_a_scenario_error(tmp_path: Path) -> None:
    # start + turn_hours * last_turn overflows datetime: a hostile file, not a crash.
    path = tmp_path / "late.yaml"
    path.write_text(CROSSING_TEXT.replace("start: 1939-07-02T06:00:00", "start: 9999-12-31T06:00:00"), encoding="utf-8")
    try:
        load_scenario(path)
    except ScenarioError as exc:
        assert all(PROBLEM_LINE.match(str(p)) for p in exc.problems)


def test_control_character_is_refused_at_its_line(tmp_path: Path) -> None:
    # YAML forbids most C0/C1 control characters; the problem must say where the character is.
    text = CROSSING_TEXT.replace("name: Kwantung Army", "name: Kwantung\x1bArmy")
    path = tmp_path / "control.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (problem,) = caught.value.problems
    assert "\n" not in str(problem), str(problem)
    assert problem.line == 18, str(problem)
    assert problem.column == text.splitlines()[17].index("\x1b") + 1, str(problem)


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        # a key holding a newline (an unknown field)
        ("title: Test crossing\n", 'title: Test crossing\n"ti\\ntle": Again\n', 5),
        # a duplicate key whose first value is a multi-line block
        ("  hexside_lines:\n", "  terrain: |\n    ..\n    ..\n  hexside_lines:\n", 33),
    ],
    ids=["newline_in_key", "duplicate_block_key"],
)
def test_each_problem_is_one_line(tmp_path: Path, old: str, new: str, line: int) -> None:
    # The CLI promises one PATH:LINE:COLUMN: field: message line per problem.
    path = tmp_path / "oneline.yaml"
    assert old in CROSSING_TEXT
    path.write_text(CROSSING_TEXT.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.problems[0].line == line, str(caught.value)
    for problem in caught.value.problems:
        assert "\n" not in str(problem), str(problem)
        assert PROBLEM_LINE.match(str(problem)), str(problem)


# ------------------------------------------------------------ fuzzing

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _load_or_refuse(path: Path, data: bytes) -> None:
    """Loading must either succeed or raise ScenarioError; any other exception fails the test."""
    path.write_bytes(data)
    try:
        validate_scenario(path)
    except ScenarioError as exc:
        assert exc.problems
        for problem in exc.problems:
            # Field paths of fuzzed keys may hold any characters, so check only the prefix here.
            assert str(problem).startswith(f"{problem.file}:{problem.line}:{problem.column}: "), str(problem)
            assert problem.file == str(path)
            assert problem.line >= 1 and problem.column >= 1
            event(f"refused: {problem.message[:25]}")
    else:
        event("loaded")


@FUZZ
@given(text=st.text(max_size=400))
def test_fuzz_random_text_only_raises_scenario_error(tmp_path: Path, text: str) -> None:
    _load_or_refuse(tmp_path / "fuzz.yaml", text.encode("utf-8", "surrogatepass"))


@st.composite
def mutated_crossing(draw: st.DrawFn) -> str:
    lines = CROSSING_TEXT.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "replace", "duplicate"]))
        if kind == "delete" and len(lines) > 1:
            del lines[draw(st.integers(0, len(lines) - 1))]
        elif kind == "duplicate":
            start = draw(st.integers(0, len(lines) - 1))
            end = draw(st.integers(start + 1, min(len(lines), start + 4)))
            at = draw(st.integers(0, len(lines)))
            lines[at:at] = lines[start:end]
        else:
            text = "".join(lines)
            if not text:
                continue
            where = draw(st.integers(0, len(text) - 1))
            char = draw(st.one_of(st.sampled_from(list("0123456789-:,;'\"{}[]&*!|>#?%@ \t\n.hwmZ")), st.characters()))
            lines = (text[:where] + char + text[where + 1 :]).splitlines(keepends=True) or [""]
    return "".join(lines)


@settings(FUZZ, max_examples=100)
@given(text=mutated_crossing())
def test_fuzz_mutated_crossing_only_raises_scenario_error(tmp_path: Path, text: str) -> None:
    _load_or_refuse(tmp_path / "mutant.yaml", text.encode("utf-8", "surrogatepass"))


# ---------------------------------------------------------------- what validates, plays


SIDES = ["soviet", "japanese"] * 8 + ["mongolian"]


@st.composite
def crossing_with_references(draw: st.DrawFn) -> str:
    """The crossing scenario plus sections that name sides, objectives and hexes, some of them wrong."""
    hexes = st.builds(lambda c, r, far: f"'{c + 10 * far},{r}'", st.integers(0, 9), st.integers(0, 7), st.sampled_from([0] * 15 + [1]))
    side = st.sampled_from(SIDES)
    parts = []
    if draw(st.booleans()):
        sources = draw(st.lists(st.tuples(side, hexes), max_size=3))
        parts.append(
            "supply:\n  sources:\n" + "".join(f"    - {{side: {s}, name: S{i}, hex: {h}}}\n" for i, (s, h) in enumerate(sources))
            if sources
            else ""
        )
    if draw(st.booleans()):
        forts = draw(st.lists(st.tuples(side, hexes), min_size=1, max_size=3))
        parts.append(
            "fortifications:\n" + "".join(f"  - {{name: F{i}, hex: {h}, level: 1, side: {s}}}\n" for i, (s, h) in enumerate(forts))
        )
    if draw(st.booleans()):
        hint_side, goal, axis = draw(side), draw(hexes), draw(st.lists(hexes, min_size=2, max_size=4))
        parts.append(
            f"ai_hints:\n  {hint_side}:\n    objectives:\n      - {{hex: {goal}, by_turn: 2, goal: take}}\n"
            f"    axes:\n      - {{name: A, hexes: [{', '.join(axis)}], formations: [23rd Div]}}\n    posture: attack\n"
        )
    if draw(st.booleans()):
        parts.append(f"sudden_death:\n  - {{side: {draw(side)}, objectives: [{draw(st.sampled_from(['Bridge'] * 8 + ['Hill']))}]}}\n")
    if draw(st.booleans()):
        parts.append(f"historical: {{winner: {draw(side)}, summary: S, held_objectives: {{Bridge: {draw(side)}}}, source: test}}\n")
    units = CROSSING_TEXT
    for unit in ("j-2", "s-1"):
        if draw(st.booleans()):
            old = re.search(rf"{unit}, .*?hex: ('[0-9]+,[0-9]+')", units)
            assert old
            units = units.replace(old[0], old[0].replace(old[1], draw(hexes)))
    return units + "".join(parts)


@settings(FUZZ, max_examples=40)
@given(text=crossing_with_references())
def test_fuzz_whatever_validates_plays_and_replays(tmp_path: Path, text: str) -> None:
    """Issue 22: a scenario that validate accepts never crashes a game (computer players, replay)."""
    from nomonhan.replay import load_game
    from nomonhan.sim.run import play, players_for

    path = tmp_path / "references.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        validate_scenario(path)
    except ScenarioError as exc:
        event(f"refused: {exc.problems[0].message[:25]}")
        return
    event("valid")
    scenario = load_scenario(path)
    game = play(scenario, 3, players_for(scenario, {}), str(path))
    game.save(tmp_path / "game.json")
    assert load_game(tmp_path / "game.json").state.digest() == game.state.digest()
