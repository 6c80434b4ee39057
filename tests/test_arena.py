"""The arena: fixtures both ways round, third-party players by import path, Bradley-Terry ratings."""

from __future__ import annotations

import gc
import json
import math
import random
import sys
from dataclasses import fields
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nomonhan import engine
from nomonhan.ai import external
from nomonhan.ai.external import ExternalPlayerError, message
from nomonhan.cli import app
from nomonhan.rng import Generator
from nomonhan.scenario.load import load_scenario
from nomonhan.sim.arena import ArenaError, fixtures, load_player, run_arena
from nomonhan.sim.rating import ELO, Result, bootstrap, fit

CROSSING = str(Path(__file__).parent / "data" / "crossing.yaml")


class Raises:
    """A third-party player with a bug: it raises at its first decision."""

    def choose(self, observation, legal_actions, rng):  # type: ignore[no-untyped-def]
        raise KeyError("no such hex")


class AnswersNone:
    """A third-party player with a bug: it answers None."""

    kind = "answers-none"

    def choose(self, observation, legal_actions, rng):  # type: ignore[no-untyped-def]
        return None


class EndsEveryPhase:
    """A third-party player: ends each phase at once (answers a pending decision with its first option)."""

    kind = "ends-every-phase"

    def choose(self, observation, legal_actions, rng):  # type: ignore[no-untyped-def]
        return legal_actions[-1]


class NoChoose:
    pass


def _synthetic(strengths: dict[str, float], side: float, games: int, seed: int) -> list[Result]:
    chooser = random.Random(seed)
    results = []
    for _ in range(games):
        first, second = chooser.sample(sorted(strengths), 2)
        p = 1 / (1 + math.exp(-(strengths[first] - strengths[second] + side)))
        results.append(Result(first, second, 1.0 if chooser.random() < p else 0.0))
    return results


def test_the_fit_recovers_known_strengths_and_the_side_advantage() -> None:
    strengths = {"a": 1.0, "b": 0.0, "c": -1.0}
    fitted = fit(list(strengths), _synthetic(strengths, 0.5, 4000, 1))
    for player, strength in strengths.items():
        assert fitted.ratings[player] / ELO == pytest.approx(strength, abs=0.1)
    assert fitted.side_advantage / ELO == pytest.approx(0.5, abs=0.1)
    assert sum(fitted.ratings.values()) == pytest.approx(0, abs=1e-6)


def test_a_perfect_record_gets_a_finite_rating_and_draws_score_half() -> None:
    fitted = fit(["a", "b"], [Result("a", "b", 1.0), Result("b", "a", 0.0)] * 5)
    assert math.isfinite(fitted.ratings["a"]) and fitted.ratings["a"] > 100
    even = fit(["a", "b"], [Result("a", "b", 0.5), Result("b", "a", 0.5)] * 5)
    assert even.ratings["a"] == pytest.approx(0, abs=1e-6) and even.side_advantage == pytest.approx(0, abs=1e-6)


def test_bootstrap_intervals_hold_the_fit_and_narrow_with_more_games() -> None:
    strengths = {"a": 0.5, "b": -0.5}
    few, many = _synthetic(strengths, 0.0, 40, 2), _synthetic(strengths, 0.0, 800, 2)
    fitted = fit(list(strengths), few)
    low, high = bootstrap(list(strengths), few, samples=100)["a"]
    assert low <= fitted.ratings["a"] <= high
    low_many, high_many = bootstrap(list(strengths), many, samples=100)["a"]
    assert high_many - low_many < high - low


def test_every_pairing_is_played_both_ways_round_on_the_same_seeds() -> None:
    found = fixtures(["x", "y", "z"], 2, 10)
    assert len(found) == 3 * 2 * 2
    assert {(f.first, f.second) for f in found} == {(a, b) for a in "xyz" for b in "xyz" if a != b}
    assert {f.seed for f in found if (f.first, f.second) == ("y", "x")} == {10, 11}


def test_a_third_party_player_loads_by_import_path_and_plays() -> None:
    result = run_arena(CROSSING, ["random", "test_arena:EndsEveryPhase"], 2, workers=1)
    assert len(result.results) == 4
    assert sum(sum(result.record(p)) for p in result.players) == 8
    again = run_arena(CROSSING, ["random", "test_arena:EndsEveryPhase"], 2, workers=1, seed_start=result.seed_start)
    assert result.to_dict()["games"] == again.to_dict()["games"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("champion", "neither a built-in kind"),
        ("no_such_module_here:X", "cannot import no_such_module_here"),
        ("test_arena:Missing", "test_arena has no Missing"),
        ("test_arena:NoChoose", "NoChoose has no choose"),
        ("os:system", "os.system is not a class"),
        ("subprocess:Popen", r"Popen\(\) cannot be made without arguments"),
        ("cmd:", "needs a command to run"),
        ('cmd:"unterminated', 'cmd:"unterminated: No closing quotation'),
    ],
)
def test_a_player_that_cannot_be_loaded_is_named(spec: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ignored: list[object] = []  # "Exception ignored in ...__del__": a half-made player must clean up quietly
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)
    with pytest.raises((ArenaError, ExternalPlayerError), match=message):
        load_player(spec)
    gc.collect()
    assert not ignored


def test_the_arena_command_prints_ratings_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "arena.json"
    done = CliRunner().invoke(
        app, ["arena", CROSSING, "--players", "random,heuristic", "--games", "2", "--workers", "1", "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    assert "ratings (Bradley-Terry" in done.output and "playing japanese (the first side) is worth" in done.output
    written = json.loads(out.read_text())
    assert set(written["ratings"]) == {"random", "heuristic"} and len(written["games"]) == 4


def test_the_arena_command_refuses_a_single_player_in_one_line() -> None:
    done = CliRunner().invoke(app, ["arena", CROSSING, "--players", "random", "--games", "1"])
    assert done.exit_code == 1 and "at least two different players" in done.output and "Traceback" not in done.output


AGENT = """
import json, sys
for line in sys.stdin:
    decision = json.loads(line)
    assert decision["protocol"] == 1 and decision["legal"]
    assert all(u["side"] == decision["side"] for u in decision["own_units"])
    answer = {"action": "end"} if "end" in decision["legal"] else {"action": len(decision["legal"]) - 1}
    print(json.dumps(answer), flush=True)
"""


READ, FLUSH = "import sys\nsys.stdin.readline()\n", "sys.stdout.flush()\n"
"""A program's lines: read the decision (or wait for the game's end); send what was written."""


def _program(tmp_path: Path, text: str) -> str:
    script = tmp_path / "agent.py"
    script.write_text(text, encoding="utf-8")
    return f"cmd:{sys.executable} {script}"


def test_another_program_plays_over_json_lines(tmp_path: Path) -> None:
    result = run_arena(CROSSING, ["random", _program(tmp_path, AGENT)], 1, workers=1)
    assert len(result.results) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("import sys\nsys.stdin.readline()\nprint('yes', flush=True)\n", r"answered 'yes', not \{\"action\""),
        ("import sys\nsys.stdin.readline()\nprint('{\"action\": 99999}', flush=True)\n", r"chose action 99999, outside 0\.\."),
        ('import sys\nsys.stdin.readline()\nprint(\'{"action": "resolve"}\', flush=True)\n', "chose 'resolve', which is not legal now"),
        ("pass\n", "gave no answer"),
        (f"{READ}sys.stdout.write('x' * 200_000)\n{FLUSH}{READ}", r"agent\.py wrote more than 65,536 bytes without ending"),
        (f"{READ}print('{{\"action\": ' + '[' * 30_000 + ']' * 30_000 + '}}')\n{FLUSH}{READ}", r"answered '\{\"action\": \[\[\[.*not \{"),
        (
            f"{READ}sys.stdout.buffer.write(b'\\xff\\xfe{{}}\\n')\n{FLUSH}{READ}",
            r"agent\.py answered b'\\xff\\xfe\{\}', which is not UTF-8",
        ),
        (f"{READ}sys.stdout.write('{{\"action\"')\n{FLUSH}{READ}", r"agent\.py gave no answer within 1 s"),  # half a line, then silence
    ],
)
def test_a_program_that_answers_wrongly_is_named_with_what_it_said(
    tmp_path: Path, text: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(external, "REPLY_SECONDS", 1.0)
    scenario = load_scenario(CROSSING)
    state = engine.new_game(scenario, 1)
    player = load_player(_program(tmp_path, text))
    try:
        with pytest.raises(ExternalPlayerError, match=message):
            player.choose(engine.observe(state, state.acting_side), engine.legal_actions(state), Generator(1))
    finally:
        player.close()


def test_a_program_that_answers_without_reading_is_given_up_when_the_pipe_to_it_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A blocking write to a program that never reads waited for ever once the pipe was full
    (an arena hung on it); now the decision's time runs out and the program is named."""
    monkeypatch.setattr(external, "REPLY_SECONDS", 1.0)
    state = engine.new_game(load_scenario(CROSSING), 1)
    observation, legal = engine.observe(state, state.acting_side), engine.legal_actions(state)
    blind = "import sys\nwhile True:\n    print('{\"action\": 0}', flush=True)\n"
    player = load_player(_program(tmp_path, blind))
    try:
        with pytest.raises(ExternalPlayerError, match=r"agent\.py did not read its input within 1 s"):
            for _ in range(10_000):  # each decision's line is a few kB: the pipe fills long before
                player.choose(observation, legal, Generator(1))
    finally:
        player.close()


def test_the_arena_tables_show_a_players_name_as_typed() -> None:
    from rich.console import Console

    from nomonhan.sim.arena import ArenaResult, print_arena
    from nomonhan.sim.rating import Ratings

    named = "cmd:agent [red]x[/red]"
    results = (Result(named, "random", 1.0), Result("random", named, 0.0))
    result = ArenaResult(
        (named, "random"),
        results,
        Ratings({named: 50.0, "random": -50.0}, 0.0),
        {named: (0, 1), "random": (0, 1), "side": (0, 1)},
        3,
        (3, 3),
    )
    console = Console(width=200, record=True)
    print_arena(result, ("japanese", "soviet"), console)
    assert console.export_text().count(named) == 3  # the ratings row and both pairings


def test_without_a_seed_start_the_seeds_are_drawn_at_random_and_reported() -> None:
    """A game is a function of its seed: an agent that could guess it (a run from 0) could replay
    the game and see what is hidden from it.  Unless a seed is given, the arena draws one from the
    operating system, and reports it so the same games can be played again."""
    first = run_arena(CROSSING, ["random", "heuristic"], 1, workers=1)
    second = run_arena(CROSSING, ["random", "heuristic"], 1, workers=1)
    assert first.seed_start != second.seed_start
    assert first.seed_start > 2**32  # far beyond any run of seeds from 0 (the chance of less is 2**-32)
    games = first.to_dict()["games"]
    assert first.to_dict()["seed_start"] == first.seed_start
    assert {g["seed"] for g in games} == {first.seed_start}
    again = run_arena(CROSSING, ["random", "heuristic"], 1, workers=1, seed_start=first.seed_start)
    assert again.to_dict()["games"] == games


def test_a_given_seed_start_numbers_the_games_from_it() -> None:
    result = run_arena(CROSSING, ["random", "heuristic"], 2, workers=1, seed_start=7)
    assert [g["seed"] for g in result.to_dict()["games"]] == [7, 8, 7, 8]


def test_a_program_is_told_every_field_of_its_units_that_an_in_process_player_is() -> None:
    """The protocol's units carry the observation's fields of a unit (less its set-up's scenario
    data): a program playing through it knows no less than a Python class (disrupted, exposed,
    short of fuel, damaged tanks, turns at rest)."""
    state = engine.new_game(load_scenario(CROSSING), 1)
    observation = engine.observe(state, state.active_side)
    sent = message(observation, engine.legal_actions(state))["own_units"][0]
    wanted = {f.name for f in fields(observation.own_units[0])} - {"type_id", "hex"} | {"type", "hex"}
    assert wanted <= set(sent)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("test_arena:Raises", r"player 'test_arena:Raises' \(as \w+, seed 5\) failed: KeyError: 'no such hex'"),
        ("test_arena:AnswersNone", r"player 'test_arena:AnswersNone' \(as \w+, seed 5\) chose None, which is not one of its legal actions"),
    ],
)
def test_a_third_party_player_that_fails_is_named_with_its_side_and_seed(spec: str, message: str) -> None:
    """It gave a traceback, or the engine's 'None is not an action' naming nobody."""
    with pytest.raises(ArenaError, match=message):
        run_arena(CROSSING, ["random", spec], 1, workers=1, seed_start=5)
    done = CliRunner().invoke(app, ["arena", CROSSING, "--players", f"random,{spec}", "--games", "1", "--workers", "1"])
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert spec in done.output
