"""The end screen's chart of victory points and losses by turn (issue #18 point 4)."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from nomonhan import engine  # noqa: E402
from nomonhan.ai import make_player  # noqa: E402
from nomonhan.replay import Game  # noqa: E402
from nomonhan.rng import Generator  # noqa: E402
from nomonhan.rules.victory import losses  # noqa: E402
from nomonhan.scenario.load import load_scenario  # noqa: E402
from nomonhan.sim.run import gross_losses, per_turn  # noqa: E402
from nomonhan.ui import style  # noqa: E402
from nomonhan.ui.app import App  # noqa: E402
from nomonhan.ui.dialog_screens import EndScreen  # noqa: E402
from nomonhan.ui.end_chart import MIN_LINE_CONTRAST, line_colour, plots  # noqa: E402
from nomonhan.ui.session import Session, controllers_for  # noqa: E402
from nomonhan.ui.start_screen import StartScreen  # noqa: E402

SEED = 7


@pytest.fixture(scope="module")
def game() -> Game:
    """Lake Khasan played to the end by two heuristic players (steps are lost on both sides, and
    some come back by recovery)."""
    scenario = load_scenario("lake-khasan-1938")
    game = Game.start(scenario, SEED)
    players = {side: make_player("heuristic") for side in scenario.side_ids}
    generators = {side: Generator.for_player(SEED, side) for side in scenario.side_ids}
    while not game.state.game_over:
        side = game.state.acting_side
        game.play(players[side].choose(engine.observe(game.state, side), engine.legal_actions(game.state), generators[side]))
    return game


def test_per_turn_rows_carry_gross_losses_that_end_at_the_game_s_gross_losses(game: Game) -> None:
    rows = per_turn(game)
    final = gross_losses(game)
    assert {side: lost for side, lost in rows[-1]["losses_gross"].items()} == {side: lost.__dict__ for side, lost in final.items()}
    assert any(final[side].steps for side in final)
    for row in rows:
        for side in game.scenario.side_ids:
            assert row["losses_gross"][side]["steps"] >= row["losses"][side]["steps"]
    steps = [row["losses_gross"]["soviet"]["steps"] for row in rows]
    assert steps == sorted(steps)  # gross losses never go down, net ones may (recovery)


def test_the_chart_plots_each_side_s_points_and_losses_turn_by_turn(game: Game) -> None:
    rows = per_turn(game)
    sides = [(s.id, s.name, style.parse_colour(s.colour)) for s in game.scenario.sides]
    turns, (points, lost) = plots(rows, sides)
    assert turns == [row["turn"] for row in rows]
    assert points.series[0].values == tuple(row["victory_points"][sides[0][0]] for row in rows)
    assert [(s.dashed, s.values[-1]) for s in lost.series[:2]] == [
        (False, rows[-1]["losses_gross"][sides[0][0]]["steps"]),
        (True, rows[-1]["losses"][sides[0][0]]["steps"]),
    ]


@pytest.mark.parametrize("colour", ["#b03a2e", "#d4ac0d", "#101010", "#303848"])
def test_chart_lines_stand_out_on_the_panel(colour: str) -> None:
    assert style.contrast_ratio(line_colour(style.parse_colour(colour)), style.PANEL) >= MIN_LINE_CONTRAST


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (3840, 2160)])
def test_the_end_screen_shows_the_chart_inside_its_panel(
    game: Game, size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOMONHAN_HOME", str(tmp_path))
    app = App(size)
    session = Session(game, controllers_for(game.scenario, "watch", "random"))
    app.open_play(session)
    app.end_game(session)
    app.step_frame()
    screen = app.top
    assert isinstance(screen, EndScreen) and screen.chart is not None and screen.panel is not None
    chart = screen.chart.get_abs_rect()
    assert screen.panel.get_abs_rect().contains(chart) and chart.height >= app.px(200)
    colours = {screen.chart.image.get_at((x, y))[:3] for x in range(0, chart.width, 3) for y in range(0, chart.height, 3)}
    assert line_colour(style.parse_colour(game.scenario.sides[0].colour)) in colours
    app.replace_all(StartScreen(app, entries=[]))


def test_the_end_screen_sets_gross_losses_beside_history(game: Game, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """History counts the wounded who came back, so the game's gross losses are compared with it."""
    monkeypatch.setenv("NOMONHAN_HOME", str(tmp_path))
    gross = gross_losses(game)
    net = {side: losses(game.state, side) for side in game.scenario.side_ids}
    side = next(s for s in game.scenario.side_ids if gross[s].men != net[s].men)  # some steps came back
    report = EndScreen(App((1280, 720)), Session(game, controllers_for(game.scenario, "watch", "random")))._report()
    against = report[report.index("Against history") : report.index("What decided it")]
    name = next(s.name for s in game.scenario.sides if s.id == side)
    line = next(row for row in against.split("<br>") if row.startswith(name.split(" (")[0]))
    assert f"men lost {gross[side].men}:" in line and f"men lost {net[side].men}:" not in line
