"""What-if variants: path parsing and addressing, scaling, overlays, validation as a file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nomonhan.cli import app
from nomonhan.scenario.errors import ScenarioError
from nomonhan.scenario.load import load_scenario, resolve
from nomonhan.scenario.variants import Change, Key, Select, Variant, merge_tree, parse_path, scaled, split_assignment

CROSSING = Path(__file__).parent / "data" / "crossing.yaml"
PROBLEM_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<field>\S+): (?P<message>.+)$")


def load(*changes: str, overlays: tuple[Path, ...] = ()) -> object:
    return load_scenario(Variant.create(CROSSING, list(changes), list(overlays)).ref)


def problems(*changes: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load(*changes)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    "text, steps",
    [
        (
            "air[side=soviet,start=1939-08-20T08:00].points",
            (Key("air"), Select(fields=(("side", "soviet"), ("start", "1939-08-20T08:00"))), Key("points")),
        ),
        ("units[id=jp-64].steps", (Key("units"), Select(fields=(("id", "jp-64"),)), Key("steps"))),
        (
            "special_rules.night_attack[side=japanese].shift",
            (Key("special_rules"), Key("night_attack"), Select(fields=(("side", "japanese"),)), Key("shift")),
        ),
        ("rules.crt.results[3][2]", (Key("rules"), Key("crt"), Key("results"), Select(index=3), Select(index=2))),
        ("units[*].steps", (Key("units"), Select(), Key("steps"))),
        ("ai_hints.soviet.posture", (Key("ai_hints"), Key("soviet"), Key("posture"))),
    ],
)
def test_every_path_form_parses(text: str, steps: tuple) -> None:
    assert parse_path(text) == steps


@pytest.mark.parametrize(
    "text, message",
    [
        ("units[id=a.steps", "never closed"),
        ("units..steps", "missing before '.'"),
        ("units.", "ends with '.'"),
        ("[3].steps", "starts with a field name"),
        ("units[id]", "[FIELD=VALUE"),
        ("units[" + "9" * 5000 + "].steps", "an index has at most 9 digits (no list is longer), not 5,000"),
    ],
)
def test_a_malformed_path_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_path(text)
    assert message in str(caught.value) and len(str(caught.value)) < 300


def test_the_assignment_ends_at_the_first_equals_outside_brackets() -> None:
    assert split_assignment("air[side=soviet].points*=0.5", "--set") == ("air[side=soviet].points", "*=", "0.5")
    assert split_assignment("units[id=s-1].hex='3,4'", "--set") == ("units[id=s-1].hex", "=", "'3,4'")
    assert Change.parse("units[id=s-1].hex='3,4'").value == "3,4"


def test_a_set_value_reaches_the_compiled_scenario_and_changes_its_hash() -> None:
    base = load_scenario(CROSSING)
    variant = load("units[id=j-2].hex='3,5'", "objectives[name=Bridge].points=9")
    assert next(u.hex for u in variant.model.units if u.id == "j-2") == "3,5"
    assert variant.model.objectives[0].points == 9
    assert variant.content_hash != base.content_hash and variant.rules_hash == base.rules_hash


def test_no_change_is_the_scenario_itself() -> None:
    variant = Variant.create(CROSSING)
    assert variant.ref == str(CROSSING)
    assert load_scenario(variant.ref).content_hash == load_scenario(CROSSING).content_hash


def test_scaling_keeps_integers_integers_rounded_half_up() -> None:
    assert scaled(5, 0.5) == 3 and scaled(3, 0.5) == 2 and scaled(4, 0.0) == 0
    assert scaled(1.5, 2.0) == 3.0
    assert load("objectives[0].points*=1.5").model.objectives[0].points == 8  # 7.5 -> 8


@pytest.mark.parametrize(
    "scenario, change",
    [("bain-tsagan-1939", "air=[]"), ("khalkhin-gol-1939", "weather=[]"), ("lake-khasan-1938", "fortifications=[]")],
)
def test_emptying_a_list_under_comments_gives_a_scenario_that_loads(scenario: str, change: str) -> None:
    text, _rules = Variant.create(scenario, [change]).texts(resolve(scenario), resolve(scenario).read_text(encoding="utf-8"))
    assert f"\n{change.replace('=', ': ')}\n  # " in text  # the comments kept after the emptied list
    assert load_scenario(Variant.create(scenario, [change]).ref).id == scenario


def test_every_item_of_a_list_of_names_is_selected_by_a_star() -> None:
    scenario = load("sides[*].nations[*]=Nowhere")
    assert [list(side.nations) for side in scenario.model.sides] == [["Nowhere", "Nowhere"]] * 2  # type: ignore[attr-defined]
    assert any("[*] selects every item, and the list is empty" in p for p in problems("sides[0].nations=[]", "sides[0].nations[*]=x"))


def test_a_variant_takes_a_bounded_number_of_changes() -> None:
    with pytest.raises(ScenarioError, match=r"at most 1,000 changes \(--set\), not 1,001"):
        Variant.create(CROSSING, ["title=x"] * 1001)


def test_a_selector_changes_every_item_it_matches() -> None:
    variant = load("units[side=soviet,type=rifle_bn].formation=X", "units[side=japanese].name=J")
    assert [u.formation for u in variant.model.units if u.side == "soviet"] == ["X", "11th Tank Bde", "X"]
    assert {u.name for u in variant.model.units if u.side == "japanese"} == {"J"}
    assert {u.source for u in load("units[*].source=what-if").model.units} == {"what-if"}


def test_a_rules_path_changes_the_rules_data_only() -> None:
    base = load_scenario(CROSSING)
    variant = load("rules.shifts.night_attack=-2", "rules.unit_types[id=rifle_bn].attack*=2")
    assert variant.rules.shifts.night_attack == -2
    assert variant.unit_types["rifle_bn"].attack == 2 * base.unit_types["rifle_bn"].attack
    assert variant.content_hash == base.content_hash and variant.rules_hash != base.rules_hash


def test_an_unknown_field_lists_the_fields_there() -> None:
    [line] = problems("objectives[name=Bridge].pointz=3")
    assert PROBLEM_LINE.match(line)
    assert "objectives[name=Bridge].pointz: is not a known field (known: " in line
    assert "points, points_per_turn, source" in line


def test_a_selector_matching_nothing_lists_the_items() -> None:
    [line] = problems("units[id=s-9].steps=1")
    assert "crossing.yaml:" in line and "units[id=s-9]: no item has id=s-9" in line
    assert "id=j-1, id=j-2, id=j-tank, id=s-1, id=s-2, id=s-3" in line


def test_other_addressing_errors_name_the_path() -> None:
    assert "the list has 1 items (0 to 0)" in problems("objectives[4].points=1")[0]
    assert "only a number can be scaled" in problems("units[id=s-1].name*=2")[0]
    assert "'steps' is not set here" in problems("units[id=s-1].steps*=2")[0]
    assert "shifts.nite: is not a known field (known: " in problems("rules.shifts.nite=1")[0]


@pytest.mark.parametrize("change", ["period.turn_hours*=1e308", "objectives[name=Bridge].points*=1e308"])
def test_scaling_past_the_largest_number_is_a_field_error(change: str) -> None:
    [line] = problems(change)
    match = PROBLEM_LINE.match(line)
    assert match and match["path"].endswith("crossing.yaml") and "scaled by 1e+308 is too large a number" in match["message"]


def test_a_bad_value_gets_the_loaders_field_message_error() -> None:
    [line] = problems("units[id=s-1].steps=30")
    match = PROBLEM_LINE.match(line)
    assert match and match["path"].endswith("crossing.yaml (what-if)")
    assert match["field"] == "units.3.steps" and match["message"] == "must be at most 12, got 30"
    [line] = problems("rules.shifts.night_attack=-20")
    assert line.startswith("scenarios/rules/standard.yaml (what-if):") and "shifts.night_attack: " in line


def test_overlays_merge_by_id_and_extend_other_lists(tmp_path: Path) -> None:
    overlay = tmp_path / "what-if.yaml"
    overlay.write_text(
        "units:\n"
        "  - {id: s-3, arrive: {at: 1939-07-02T06:00:00, hex: '9,4'}}\n"
        "  - {id: s-4, name: New Bn, type: rifle_bn, side: soviet, hex: '9,5', source: what-if}\n"
        "fortifications:\n"
        "  - {name: Bridge works, hex: '4,5', level: 2, side: soviet}\n"
        "rules:\n"
        "  shifts: {overrun: -1}\n"
    )
    variant = load(overlays=(overlay,))
    units = {u.id: u for u in variant.model.units}
    assert units["s-3"].name == "Late Bn" and units["s-3"].arrive.at.hour == 6
    assert units["s-4"].hex == "9,5"
    assert [f.level for f in variant.model.fortifications] == [2]
    assert variant.rules.shifts.overrun == -1


def test_merge_tree_rules() -> None:
    base = {"a": {"x": 1, "y": 2}, "items": [{"id": "p", "v": 1}], "plain": [1]}
    merge_tree(base, {"a": {"y": 3}, "items": [{"id": "p", "w": 2}, {"id": "q"}], "plain": [2], "new": 5})
    assert base == {"a": {"x": 1, "y": 3}, "items": [{"id": "p", "v": 1, "w": 2}, {"id": "q"}], "plain": [1, 2], "new": 5}


@pytest.mark.parametrize(
    "text, field",
    [
        ("units: [{id: [1, 2], hex: '2,2'}]\n", "units.6.id"),
        ("units: [{id: {a: 1}, hex: '2,2'}]\n", "units.6.id"),
        ("rules: {unit_types: [{id: [1], attack: 2}]}\n", "unit_types.5.id"),
    ],
)
def test_an_overlay_item_whose_id_is_not_a_name_is_a_field_error(tmp_path: Path, text: str, field: str) -> None:
    overlay = tmp_path / "o.yaml"
    overlay.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load(overlays=(overlay,))
    assert any(p.field == field and p.message.startswith("must be text") for p in caught.value.problems)


def test_a_broken_overlay_names_its_own_file(tmp_path: Path) -> None:
    overlay = tmp_path / "bad.yaml"
    overlay.write_text("units: [\n")
    with pytest.raises(ScenarioError) as caught:
        Variant.create(CROSSING, [], [overlay])
    assert str(caught.value).startswith(f"{overlay}:")


def test_a_variant_reference_round_trips(tmp_path: Path) -> None:
    overlay = tmp_path / "o.yaml"
    overlay.write_text("objectives:\n  - {name: Hill, hex: '2,4', points: 1}\n")
    variant = Variant.create(CROSSING, ["objectives[name=Bridge].points=2"], [overlay])
    assert Variant.from_ref(variant.ref) == variant
    overlay.unlink()  # the reference carries the overlay's text
    assert [o.name for o in load_scenario(variant.ref).model.objectives] == ["Bridge", "Hill"]


def test_run_and_batch_take_what_ifs_and_a_variant_record_replays(tmp_path: Path) -> None:
    runner = CliRunner()
    record = tmp_path / "game.json"
    result = runner.invoke(app, ["run", str(CROSSING), "--set", "objectives[0].points=0", "--record", str(record), "--out", "-"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["replay", str(record)]).exit_code == 0
    out = tmp_path / "batch.json"
    result = runner.invoke(
        app, ["batch", str(CROSSING), "--runs", "2", "--workers", "1", "--set", "objectives[0].points=0", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    games = json.loads(out.read_text())["games"]
    assert {game["scenario_hash"] for game in games} == {load("objectives[0].points=0").content_hash}
    bad = runner.invoke(app, ["run", str(CROSSING), "--set", "objectives[0].pointz=0"])
    assert bad.exit_code == 1 and "pointz: is not a known field" in bad.output and "Traceback" not in bad.output
