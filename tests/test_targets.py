"""Calibration targets: the bundled files name real things, each kind of target is measured on a
game and judged on a batch as its words say, and the command line reports bad files cleanly."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nomonhan.cli import app
from nomonhan.hexgrid import parse_hex
from nomonhan.scenario.errors import ScenarioError
from nomonhan.scenario.load import load_scenario
from nomonhan.sim.targets import (
    FirstCutOff,
    LossesVary,
    MedianLosses,
    ObjectiveHeldAtEnd,
    ObjectiveTaken,
    WinRate,
    Withdrawn,
    bank,
    bundled_targets,
    check_games,
    check_names,
    checked_targets,
    evaluate,
    force_total,
    judge,
    load_targets,
    measure,
    verdict_table,
)

runner = CliRunner()
BUNDLED = ("lake-khasan-1938", "khalkhin-gol-1939", "bain-tsagan-1939")
WORDS = {"says": "words", "source": "a test"}


@pytest.fixture(scope="module")
def khasan():
    return load_scenario("lake-khasan-1938")


@pytest.fixture(scope="module")
def bain_tsagan():
    return load_scenario("bain-tsagan-1939")


@pytest.mark.parametrize("scenario_id", BUNDLED)
def test_every_bundled_scenario_has_targets_naming_its_own_sides_objectives_and_units(scenario_id: str) -> None:
    targets = load_targets(bundled_targets(scenario_id))
    assert targets.targets
    assert check_names(targets, load_scenario(scenario_id)) == []


def test_a_misspelt_objective_is_reported_with_the_valid_names(khasan) -> None:
    targets = load_targets(bundled_targets("lake-khasan-1938"))
    wrong = targets.model_copy(
        update={
            "targets": (
                ObjectiveHeldAtEnd(kind="objective_held_at_end", id="x", objective="Zaozernaya", side="soviet", more_than=0.5, **WORDS),
            )
        }
    )
    [(where, problem)] = check_names(wrong, khasan)
    assert where == ("targets", 0, "objective")
    assert "unknown objective 'Zaozernaya'" in problem and "Zaozyornaya (Changkufeng)" in problem


def test_the_targets_of_another_scenario_are_told_so_not_name_by_name(tmp_path: Path, khasan, bain_tsagan) -> None:
    """Lake Khasan's objectives and formations are all unknown at Bain Tsagan: one line says why."""
    with pytest.raises(ScenarioError) as caught:
        checked_targets(bundled_targets("lake-khasan-1938"), bain_tsagan)
    [problem] = caught.value.problems
    assert (problem.field, problem.message) == ("scenario", "the targets are for 'lake-khasan-1938', not 'bain-tsagan-1939'")


def test_validate_reports_a_broken_scenario_beside_the_targets_and_fails(tmp_path: Path) -> None:
    """It said only that no scenario was found, and exited 0."""
    (tmp_path / "targets").mkdir()
    (tmp_path / "lake-khasan-1938.yaml").write_text("format_version: 1\nid: lake-khasan-1938\n")
    path = tmp_path / "targets" / "lake-khasan-1938.yaml"
    path.write_bytes(bundled_targets("lake-khasan-1938").read_bytes())
    done = runner.invoke(app, ["validate", str(path)])
    assert done.exit_code == 1, done.output
    said = " ".join(done.output.split())
    assert f"{path}:" in said and "scenario: its scenario does not load, so its names are not checked:" in said
    assert str(tmp_path / "lake-khasan-1938.yaml") in said


@pytest.mark.parametrize("named", ["/etc/passwd", "../../secret", json.dumps({"scenario": "x", "set": [], "overlays": []})])
def test_a_targets_file_names_its_scenario_by_id_only(tmp_path: Path, named: str) -> None:
    """Not a path or a what-if reference: validate would otherwise go and read it."""
    path = tmp_path / "targets.yaml"
    path.write_text(f"format_version: 1\nscenario: {json.dumps(named)}\ntargets: []\n")
    with pytest.raises(ScenarioError) as caught:
        load_targets(path)
    assert [problem.field for problem in caught.value.problems] == ["scenario"]


def game(winner="soviet", men=(100, 50), rows=(), end=None):
    lost = {
        "soviet": {"men": men[0], "tanks": 3, "killed": 10, "missing": 2},
        "japanese": {"men": men[1], "tanks": 0, "killed": 5, "missing": 0},
    }
    return {"winner": winner, "losses": lost, "losses_gross": lost, "per_turn": list(rows), "end": end or {"positions": {}, "bridges": []}}


def row(turn, holders=None, cut_off=None):
    return {"turn": turn, "holders": holders or {}, "cut_off": cut_off or {"soviet": [], "japanese": []}}


def test_a_win_rate_is_met_at_the_bar_and_missed_below_it() -> None:
    target = WinRate(kind="win_rate", id="w", side="soviet", at_least=0.7, **WORDS)
    assert judge(target, [True] * 7 + [False] * 3)["met"]
    assert not judge(target, [True] * 6 + [False] * 4)["met"]


def test_median_losses_sum_the_named_fields_and_can_be_a_share_of_the_force(khasan) -> None:
    killed_missing = MedianLosses(
        kind="median_losses", id="k", side="soviet", fields=("killed", "missing"), gross=True, within=(10, 20), **WORDS
    )
    assert measure(killed_missing, game(), khasan) == 12
    share = MedianLosses(
        kind="median_losses", id="s", side="japanese", fields=("men",), gross=False, share_of_force=True, within=(0, 0.9), **WORDS
    )
    whole = force_total(khasan, "japanese", ["men"])
    assert measure(share, game(men=(0, whole)), khasan) == 1.0
    assert not judge(share, [1.0, 1.0, 0.5])["met"]
    assert judge(share, [1.0, 0.4, 0.5])["met"]


def test_outcomes_that_never_vary_fail_the_spread_target() -> None:
    target = LossesVary(kind="losses_vary", id="v", side="japanese", fields=("men",), gross=False, **WORDS)
    assert not judge(target, [21000] * 8)["met"]
    assert judge(target, [21000, 15000, 17000, 19000])["met"]


def test_an_objective_taken_is_dated_by_the_end_of_the_turn_it_first_fell(khasan) -> None:
    target = ObjectiveTaken(
        kind="objective_taken",
        id="t",
        objective="Zaozyornaya (Changkufeng)",
        side="japanese",
        between=("1938-07-30", "1938-07-31"),
        **WORDS,
    )
    # 12-hour turns from 29 July 08:00: turn 3 ends at 20:00 on 30 July
    rows = [row(1, {"Zaozyornaya (Changkufeng)": "soviet"}), row(3, {"Zaozyornaya (Changkufeng)": "japanese"})]
    assert measure(target, game(rows=rows), khasan) == "1938-07-30"
    assert measure(target, game(rows=rows[:1]), khasan) is None
    # a game where it never falls counts as later than every day: two of three never is a miss
    assert not judge(target, ["1938-07-30", None, None])["met"]
    assert judge(target, ["1938-07-30", "1938-07-31", None])["met"]
    assert not judge(target, ["1938-07-29", "1938-07-29", "1938-07-30"])["met"]


def test_held_at_end_reads_the_last_row(khasan) -> None:
    target = ObjectiveHeldAtEnd(
        kind="objective_held_at_end", id="h", objective="Zaozyornaya (Changkufeng)", side="soviet", more_than=0.5, **WORDS
    )
    rows = [row(1, {"Zaozyornaya (Changkufeng)": "soviet"}), row(2, {"Zaozyornaya (Changkufeng)": "japanese"})]
    assert measure(target, game(rows=rows), khasan) is False
    assert not judge(target, [True, False])["met"]  # exactly half is not more than half


def test_first_cut_off_is_judged_unit_by_unit(khasan) -> None:
    target = FirstCutOff(kind="first_cut_off", id="c", units=("jp-75-1", "jp-75-2"), between=("1938-07-30", "1938-07-31"), **WORDS)
    rows = [row(1), row(2, cut_off={"japanese": ["jp-75-1"]}), row(4, cut_off={"japanese": ["jp-75-1", "jp-75-2"]})]
    assert measure(target, game(rows=rows), khasan) == {"jp-75-1": "1938-07-30", "jp-75-2": "1938-07-31"}
    assert judge(target, [{"jp-75-1": "1938-07-30", "jp-75-2": "1938-07-31"}] * 3)["met"]
    assert not judge(target, [{"jp-75-1": "1938-07-30", "jp-75-2": None}] * 3)["met"]


def test_the_banks_of_a_river_are_apart_and_a_withdrawal_needs_the_built_bridges_gone(bain_tsagan) -> None:
    east = bank(bain_tsagan, parse_hex("30,27"))
    assert parse_hex("13,10") not in east  # Bain Tsagan is on the west bank
    assert parse_hex("24,28") in east
    target = Withdrawn(kind="withdrawn", id="w", formation="Kobayashi group", bank_of="30,27", more_than=0.5, **WORDS)
    members = [u.id for u in bain_tsagan.model.units if u.formation == "Kobayashi group"]
    home = {uid: "30,27" for uid in members}
    initial = list(bain_tsagan.model.map.bridges)
    assert measure(target, game(end={"positions": home, "bridges": initial}), bain_tsagan)
    assert not measure(target, game(end={"positions": home, "bridges": [*initial, "17,10:SE"]}), bain_tsagan)
    stranded = {**home, members[0]: "13,10"}
    assert not measure(target, game(end={"positions": stranded, "bridges": initial}), bain_tsagan)
    destroyed = {**home, members[0]: None}  # an eliminated unit does not count against it
    assert measure(target, game(end={"positions": destroyed, "bridges": initial}), bain_tsagan)


def test_evaluate_keeps_the_per_game_figures_beside_the_verdict(khasan) -> None:
    targets = load_targets(bundled_targets("lake-khasan-1938"))
    verdicts = evaluate(targets, [game(), game(winner="japanese")], khasan)
    win = next(v for v in verdicts if v["id"] == "soviet-wins")
    assert win["per_game"] == [True, False] and win["measured"] == "50.0%" and not win["met"]


def test_the_targets_command_judges_a_saved_batch_and_exits_3_when_a_target_is_missed(tmp_path: Path, khasan) -> None:
    result = {"scenario_ref": "lake-khasan-1938", "scenario_hash": khasan.content_hash, "games": [game(), game()]}
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(result), encoding="utf-8")
    done = runner.invoke(app, ["targets", str(path)])
    assert done.exit_code == 3, done.output
    assert "Soviet side wins" in done.output and "100.0%" in done.output


def test_a_broken_targets_file_is_reported_by_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "targets.yaml"
    bad.write_text(
        "format_version: 1\nscenario: lake-khasan-1938\ntargets:\n  - id: x\n    kind: win_rate\n    says: s\n    source: s\n    side: soviet\n    at_least: 7\n"
    )
    result = tmp_path / "batch.json"
    result.write_text(
        json.dumps({"scenario_ref": "lake-khasan-1938", "scenario_hash": load_scenario("lake-khasan-1938").content_hash, "games": []}),
        encoding="utf-8",
    )
    done = runner.invoke(app, ["targets", str(result), "--targets", str(bad)])
    assert done.exit_code == 1
    assert f"{bad}:9:" in done.output and "at_least" in done.output
    assert "Traceback" not in done.output


@pytest.mark.parametrize(
    "games, message",
    [
        ("x", "games: must be a list"),
        ([None], "game 1: (the game): must be a mapping of fields"),
        ([{}], "game 1: winner: is required"),
        ([game(), {**game(), "losses": "x"}], "game 2: losses: must be a mapping of fields"),
        ([{**game(), "per_turn": "x"}], "game 1: per_turn: must be a list"),
        ([game(rows=[row("1")])], "game 1: per_turn.0.turn: must be a whole number"),
        ([game(rows=[row(10**30)])], "game 1: per_turn.0.turn: 1000000000000000000000000000000 is not a turn of the scenario"),
        ([{**game(), "losses_gross": {"soviet": {}}}], "game 1: losses_gross: gives nothing for japanese"),
        ([game(end={"positions": {"s-1": "far"}, "bridges": []})], "game 1: end.positions.s-1: expected a hex"),
    ],
)
def test_the_targets_command_refuses_games_of_the_wrong_shape(tmp_path: Path, khasan, games, message: str) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps({"scenario_ref": "lake-khasan-1938", "scenario_hash": khasan.content_hash, "games": games}))
    done = runner.invoke(app, ["targets", str(path)])
    assert done.exit_code == 1 and isinstance(done.exception, SystemExit), repr(done.exception)
    assert f"{path}: {message}" in " ".join(done.output.split())


def test_a_file_of_many_bad_games_is_refused_at_the_first_without_a_pile_of_errors(khasan) -> None:
    """The schema's check of the whole list at once made an error object for every bad entry of
    every game before the first was shown: a 20 MB file of empty games took 24 GB.  Game by game,
    each held to the size a game of the scenario can have, memory stays small."""
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="results.json: game 1: winner: is required"):
            check_games([{}] * 30_000, khasan, "results.json")
        swollen = {**game(), "per_turn": [{}] * 300_000}
        with pytest.raises(ValueError, match="results.json: game 2: holds more than the .* entries a game of lake-khasan-1938 can have"):
            check_games([game(), swollen], khasan, "results.json")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, f"{peak / 2**20:.0f} MB"


@pytest.mark.parametrize(
    "ref, message",
    [
        (5, "field 'scenario_ref' is not a scenario id, path or what-if reference (a string)"),
        (None, "field 'scenario_ref' is not a scenario id, path or what-if reference (a string)"),
        (["lake-khasan-1938"], "field 'scenario_ref' is not a scenario id, path or what-if reference (a string)"),
        (
            json.dumps({"scenario": "lake-khasan-1938", "set": [1], "overlays": []}),
            "field 'scenario_ref': not a what-if variant reference: its field 'set' is not a list of PATH=VALUE changes",
        ),
        ("../../../../etc/passwd", "field 'scenario_ref' names '../../../../etc/passwd', neither a bundled scenario id nor"),
        (
            json.dumps({"scenario": "lake-khasan-1938", "set": [], "overlays": [{"file": "o.yaml", "text": "#" * 500_000}]}),
            "field 'scenario_ref' is 500,",
        ),
    ],
)
def test_the_targets_command_refuses_a_scenario_reference_of_the_wrong_kind(tmp_path: Path, ref, message: str) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps({"scenario_ref": ref, "scenario_hash": "", "games": []}))
    done = runner.invoke(app, ["targets", str(path)])
    assert done.exit_code == 1 and isinstance(done.exception, SystemExit), repr(done.exception)
    assert f"{path}: {message}" in " ".join(done.output.split())


LOSSES_TARGET = "  - id: {id}\n    says: s\n    source: s\n    kind: median_losses\n    side: {side}\n    fields: {fields}\n    gross: true\n    within: {within}\n"


def targets_file(tmp_path: Path, *targets: dict[str, str]) -> Path:
    path = tmp_path / "targets.yaml"
    items = "".join(LOSSES_TARGET.format(**{"id": "x", "side": "soviet", "fields": "[men]", "within": "[1, 2]", **t}) for t in targets)
    path.write_text(f"format_version: 1\nscenario: lake-khasan-1938\ntargets:\n{items}", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "targets, line, field, message",
    [
        ([{"fields": "[men, souls]"}], 9, "targets.0.fields", "not a kind of loss: 'souls'; the kinds are men, tanks,"),
        ([{"within": "[.nan, .inf]"}], 11, "targets.0.within.0", "must be a finite number"),
        ([{}, {}], 12, "targets.1.id", "a second target with the id 'x'"),
        ([{}, {"id": "y", "side": "martian"}], 16, "targets.1.side", "y: unknown side 'martian'; sides are ['japanese', 'soviet']"),
    ],
)
def test_a_targets_file_names_the_line_and_field_of_each_mistake(tmp_path: Path, khasan, targets, line, field, message) -> None:
    path = targets_file(tmp_path, *targets)
    with pytest.raises(ScenarioError) as caught:
        checked_targets(path, khasan)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.field) == (str(path), line, field) and problem.message.startswith(message)


def test_the_verdict_table_shows_a_targets_words_as_written(khasan) -> None:
    from rich.console import Console

    verdicts = [{"says": "[red]Soviet wins[/red] :smile:", "measured": "1", "wanted": "2", "met": False}]
    console = Console(width=200, record=True, emoji=False)
    console.print(verdict_table(verdicts))
    assert "[red]Soviet wins[/red] :smile:" in console.export_text()


@pytest.mark.parametrize(
    "bounds, field",
    [
        ("kind: median_losses\n    side: soviet\n    fields: [men]\n    gross: true\n    within: [100, 1]", "within"),
        ("kind: objective_taken\n    objective: Bridge\n    side: soviet\n    between: [1938-08-10, 1938-08-01]", "between"),
    ],
)
def test_a_target_that_no_game_could_meet_is_refused(tmp_path: Path, bounds: str, field: str) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text(f"format_version: 1\nscenario: lake-khasan-1938\ntargets:\n  - id: x\n    says: s\n    source: s\n    {bounds}\n")
    with pytest.raises(ScenarioError) as caught:
        load_targets(path)
    [problem] = caught.value.problems
    assert problem.file == str(path) and problem.field == f"targets.0.{field}" and "after the second" in problem.message
