"""The after-action report (``nomonhan report``): its facts checked against the replayed record,
the same bytes from the same record, the plot, and the command's errors."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from conftest import CROSSING_PATH
from typer.testing import CliRunner

from nomonhan.cli import app
from nomonhan.events import BombardmentResolved, CombatResolved, ReinforcementArrived
from nomonhan.replay import Game, load_game
from nomonhan.rules.victory import gross_losses, victory_points
from nomonhan.sim.after_action import report
from nomonhan.sim.run import per_turn

GOLDEN = Path(__file__).parent / "golden" / "lake-khasan-1938-seed1.json"
"""A whole game of Lake Khasan: crests taken and retaken, fights, reinforcements on both sides."""

runner = CliRunner()


@pytest.fixture(scope="module")
def golden() -> tuple[Game, str]:
    game = load_game(GOLDEN)
    return game, report(game, {"soviet": "heuristic"})


def section(text: str, title: str) -> list[str]:
    """The lines of one ``## title`` section, up to the next."""
    lines = text.split("\n")
    start = lines.index(f"## {title}") + 1
    end = next((n for n in range(start, len(lines)) if lines[n].startswith("## ")), len(lines))
    return lines[start:end]


def table(lines: list[str]) -> dict[str, list[str]]:
    """A Markdown table's rows by their first cell (the header and the rule included)."""
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines if line.startswith("|")]
    return {row[0]: row[1:] for row in rows}


def when(game: Game, turn: int) -> str:
    start = game.scenario.turn_start(turn)
    return f"{start.day} {start:%b %H:%M}"


def cost(before, after, game: Game) -> tuple[int, int]:
    """Steps and men both sides lost in one action, from the states either side of it."""
    lost = [gross_losses(after, side) - gross_losses(before, side) for side in game.scenario.side_ids]
    return sum(each.steps for each in lost), sum(each.men for each in lost)


def test_each_objective_tells_its_holders_in_order_with_the_turn_they_changed_in(golden) -> None:
    game, text = golden
    lines = section(text, "Who held what")
    changes = 0
    for n, objective in enumerate(game.scenario.objectives):
        line = next(line for line in lines if line.startswith(f"- **{objective.name}**"))
        held = [game.states[0].holders[n]]
        expected = [f"{held[0].capitalize()} at the start"]
        for after in game.states[1:]:
            if after.holders[n] != held[-1]:
                held.append(after.holders[n])
                expected.append(f"{after.holders[n].capitalize()} from {when(game, after.turn)} (turn {after.turn})")
        changes += len(held) - 1
        assert "; ".join(expected) + "." in line
        assert f"{game.state.holders[n].capitalize()} at the end" in line
    assert changes >= 3  # the record is a story worth telling: both crests taken, one retaken


def test_the_losses_are_per_turns_last_row_beside_history(golden) -> None:
    game, text = golden
    rows = table(section(text, "Losses"))
    last = per_turn(game)[-1]
    header = rows["lost"]
    for kind in ("men", "killed", "wounded", "missing", "tanks", "guns", "steps"):
        for side in game.scenario.side_ids:
            column = header.index(f"{side.capitalize()} net")
            assert rows[kind][column] == f"{last['losses'][side][kind]:,}", (kind, side)
            assert rows[kind][column + 1] == f"{last['losses_gross'][side][kind]:,}", (kind, side)
    assert rows["men"][header.index("Soviet net") + 2] == "4,071"  # the scenario's historical figure
    assert "Historical figures: the scenario's dates, 29 Jul - 11 Aug 1938." in text


def test_the_key_fights_are_the_costliest_of_the_game(golden) -> None:
    game, text = golden
    fights = []  # (steps, men, turn) of every combat and bombardment, in the order played
    for before, after, events in zip(game.states, game.states[1:], game.events):
        if any(isinstance(e, (CombatResolved, BombardmentResolved)) for e in events):
            fights.append((*cost(before, after, game), after.turn))
    listed = [line for line in section(text, "Key fights") if line.startswith("- **")]
    assert len(listed) == 5
    steps, men, turn = max(fights, key=lambda fight: fight[:2])  # max() keeps the earliest of equals
    assert listed[0].startswith(f"- **{when(game, turn)}, ")
    told = [re.findall(r"([\d,]+) men[^(;]*\((\d+) steps?\)", line) for line in listed]
    ranked = [(sum(int(s) for _, s in sides), sum(int(m.replace(",", "")) for m, _ in sides)) for sides in told]
    assert ranked[0] == (steps, men) and ranked == sorted(ranked, reverse=True)
    assert sorted(fight[:2] for fight in fights)[-len(listed)] == ranked[-1]  # none left out cost more


def test_the_day_by_day_table_ends_with_the_result_and_counts_each_day_once(golden) -> None:
    game, text = golden
    rows = [row for name, row in table(section(text, "Day by day")).items() if name[:1].isdigit()]
    days = {datetime.fromisoformat(row["ends"]).date() for row in per_turn(game)}
    assert len(rows) == len(days)
    points = victory_points(game.state)
    assert rows[-1][0] == f"Soviet +{points['soviet'] - points['japanese']}"
    assert rows[-1][3] == f"{gross_losses(game.state, 'soviet').men:,}"


def test_every_reinforcement_is_counted_on_its_day(golden) -> None:
    game, text = golden
    came = sum(isinstance(e, ReinforcementArrived) for events in game.events for e in events)
    phrases = re.findall(r"\*[^*]+\*(?: \((\d+) units\))?", "\n".join(section(text, "Reinforcements")))
    assert came > 10 and sum(int(count or 1) for count in phrases) == came
    assert "- 1 Aug: Japanese *76th Infantry Regiment* (2 units), *19th Division artillery* (2 units); Soviet" in text
    assert "*39th Rifle Corps artillery, 3rd battalion*" in text  # a unit that came alone, by its name


def test_the_heading_names_the_game_its_players_and_history(golden) -> None:
    _, text = golden
    assert text.startswith("# After-action report: Lake Khasan (Changkufeng), 29 July - 11 August 1938\n")
    assert "Played 29 Jul 1938 08:00 - 11 Aug 1938 08:00 (turns 1-26 of 26), seed 1;" in text
    assert "- **Soviet**: Soviet Far Eastern Front (39th Rifle Corps, 59th Border Detachment), played by heuristic" in text
    assert "- **Japanese**: Korea Army (19th Division)\n" in text  # no player named for it
    assert "**Result: a draw**; victory points Soviet 15, Japanese 13, a margin of 2 (a win is marginal from 3, decisive from 12)." in text
    assert "History: a marginal Soviet victory." in text


# ---------------------------------------------------------------- the command


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def test_the_report_is_the_same_bytes_every_time_and_its_plot_a_png(tmp_path: Path) -> None:
    first, second, picture = tmp_path / "one.md", tmp_path / "two.md", tmp_path / "plots" / "margin and losses.png"
    assert invoke("report", GOLDEN, "--out", first).exit_code == 0
    result = invoke("report", GOLDEN, "--out", second, "--plot", picture)
    assert result.exit_code == 0, result.output
    printed = invoke("report", GOLDEN)
    assert printed.exit_code == 0 and printed.stdout.encode() == first.read_bytes()
    link = "\n![The victory-point margin and the losses by date](plots/margin%20and%20losses.png)\n"
    assert second.read_bytes() == first.read_bytes().replace(b"\n\n## Key fights", f"\n{link}\n## Key fights".encode())
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_game_saved_before_its_end_is_reported_as_it_stands(tmp_path: Path) -> None:
    """Khalkhin Gol cut short at the first turn end with units cut off from supply, as a save
    from the window would be, its players' names edited by hand."""
    golden = Path(__file__).parent / "golden" / "khalkhin-gol-1939-seed1.json"
    rows = per_turn(load_game(golden))
    row = next(row for row in rows if any(row["cut_off"].values()))
    data = json.loads(golden.read_text())
    actions, turn, digest = next(entry for entry in data["checkpoints"] if entry[1] == row["turn"])
    kept = [entry for entry in data["checkpoints"] if entry[0] <= actions]
    data.update(actions=data["actions"][:actions], checkpoints=kept, digest=digest, players={"soviet": "a|b <i>", "japanese": [1]})
    record = tmp_path / "saved.json"
    record.write_text(json.dumps(data))
    result = invoke("report", record)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert f"saved in turn {turn + 1} of 23 (" in text and "**The game is not over**: victory points" in text
    assert "played by a\\|b \\<i\\>" in text  # a record's text cannot break the tables or open HTML
    assert "- **Japanese**: 6th Army (Japanese-Manchukuo)\n" in text
    cut_off = next(line for line in text.split("\n") if line.startswith("Cut off from supply on "))
    scenario = load_game(record).scenario
    for side in scenario.side_ids:
        for unit in row["cut_off"][side]:
            stage = row["supply_stages"][side].get(unit, "cut off")
            name = scenario.model.units[scenario.unit_order[unit]].name
            assert f"*{name}*" in cut_off.split(f"{side.capitalize()} ({stage}): ")[1].split(";")[0], (unit, cut_off)
    assert cut_off.count("*") == 2 * sum(len(units) for units in row["cut_off"].values())


def record_of_crossing(tmp_path: Path) -> Path:
    record = tmp_path / "game.json"
    assert invoke("run", CROSSING_PATH, "--seed", "7", "--record", record).exit_code == 0
    return record


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda path: path.unlink(), "game.json: no such file"),
        (lambda path: path.write_text("not json"), "game.json: not a Nomonhan game record"),
        (lambda path: _edit(path, scenario_hash="0" * 64), "was made with another version of scenario"),
        (lambda path: _edit(path, digest="0" * 64), "replay ends in a different state"),
    ],
)
def test_bad_records_end_with_one_line_as_replay_does(tmp_path: Path, spoil, message: str) -> None:
    record = record_of_crossing(tmp_path)
    spoil(record)
    out = tmp_path / "report.md"
    result, replayed = invoke("report", record, "--out", out), invoke("replay", record)
    assert result.exit_code == replayed.exit_code == 1
    assert result.stderr == replayed.stderr
    assert result.stderr.startswith(f"error: {record}") and message in " ".join(result.stderr.split())
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert not out.exists()


def _edit(path: Path, **changes: str) -> None:
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


def test_the_report_never_replaces_its_record(tmp_path: Path) -> None:
    record = record_of_crossing(tmp_path)
    before = record.read_bytes()
    result = invoke("report", record, "--out", record)
    assert result.exit_code == 1 and "--out would overwrite the record" in result.stderr
    assert record.read_bytes() == before
