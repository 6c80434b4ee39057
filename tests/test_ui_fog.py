"""The window shows a side only what it can see: the trail and slide of an enemy move, the
hot-seat hand-over, and records of games not yet over (no display: the dummy video driver)."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from conftest import BIG, make_scenario  # noqa: E402

from nomonhan import engine  # noqa: E402
from nomonhan.actions import Action, Declare, EndPhase, Move, Resolve  # noqa: E402
from nomonhan.hexgrid import parse_hex  # noqa: E402
from nomonhan.replay import Game, RecordError  # noqa: E402
from nomonhan.rules.visibility import seen_hexes  # noqa: E402
from nomonhan.ui import describe  # noqa: E402
from nomonhan.ui.app import App  # noqa: E402
from nomonhan.ui.dialog_screens import HandoverScreen  # noqa: E402
from nomonhan.ui.play_screen import PlayScreen  # noqa: E402
from nomonhan.ui.replay_screen import ReplayScreen  # noqa: E402
from nomonhan.ui.session import Session, controllers_for, open_viewpoints  # noqa: E402


class Scripted:
    """A computer player that plays the given moves, then ends its phases."""

    def __init__(self, moves: list[Action]) -> None:
        self.moves = moves

    def choose(self, observation: object, legal: list[Action], generator: object) -> Action:
        if self.moves and self.moves[0] in legal:
            return self.moves.pop(0)
        return next(a for a in legal if isinstance(a, EndPhase))


def _open_ground(tmp_path: Path, soviet_at: str) -> tuple[object, str]:
    """A 12x5 open map, a Japanese battalion at 0,2 (it sees three hexes by day) and a Soviet one."""
    scenario = make_scenario(
        tmp_path,
        ["............"] * 5,
        [("j-1", "rifle_bn", "japanese", "0,2"), ("s-1", "rifle_bn", "soviet", soviet_at)],
        first_side="soviet",
        start="1939-07-02T09:00:00",
    )
    return scenario, str(next(tmp_path.glob("*.yaml")))


@pytest.mark.parametrize(("start", "to", "seen"), [("3,2", "5,2", ["3,2"]), ("5,2", "3,2", ["3,2"])])
def test_an_enemy_move_is_drawn_only_where_it_was_seen(app: App, tmp_path: Path, start: str, to: str, seen: list[str]) -> None:
    """A Soviet battalion walks out of (or into) the Japanese player's sight: the trail and the
    counter's slide follow only the hexes the Japanese saw, never the way beyond."""
    scenario, _ = _open_ground(tmp_path, start)
    session = Session.new(scenario, 1, controllers_for(scenario, "japanese", "random"))
    session.players["soviet"] = Scripted([Move("s-1", parse_hex(to))])
    app.open_play(session)
    screen = app.screens[0]
    assert isinstance(screen, PlayScreen)
    screen.computer.speed = 4
    app.step_frame(dt=0.01)
    assert session.game.actions[0] == Move("s-1", parse_hex(to))
    assert screen.lights.trail == [parse_hex(h) for h in seen]
    assert screen.glide is None or screen.glide[1] == [parse_hex(h) for h in seen]


def test_the_replay_seen_by_a_side_draws_no_move_beyond_its_sight(app: App, tmp_path: Path) -> None:
    scenario, ref = _open_ground(tmp_path, "3,2")
    game = Game.start(scenario, 1, ref)
    game.play(Move("s-1", parse_hex("5,2")))
    screen = ReplayScreen(app, game, viewpoint="japanese")
    app.replace_all(screen)
    screen.go(1)
    sight = seen_hexes(game.states[0], "japanese") | seen_hexes(game.states[1], "japanese")
    assert screen.lights.trail and all(h in sight for h in screen.lights.trail)
    screen.viewpoint = None
    screen.go(1)
    assert screen.lights.trail == [parse_hex("3,2"), parse_hex("4,2"), parse_hex("5,2")]  # the full view sees it all


def test_the_hand_over_calls_the_side_that_owes_a_retreat(app: App, tmp_path: Path) -> None:
    """Hot-seat: a Japanese attack leaves the Soviet player a retreat to choose.  The hand-over
    calls the Soviet player to the chair (the map behind it is the Soviet view), not the Japanese."""
    target = parse_hex("4,2")
    west = [h for h in target.neighbours() if h.to_offset()[0] == 3]
    units: list = [(f"j{i}", "rifle_bn", "japanese", "{},{}".format(*h.to_offset())) for i, h in enumerate(west)]
    units += [{"id": "s-big", "type": "big_bn", "side": "soviet", "hex": "4,2", "steps": 6}, ("s-far", "rifle_bn", "soviet", "9,4")]
    scenario = make_scenario(tmp_path, ["............"] * 5, units, unit_types=[BIG], start="1939-07-02T09:00:00")
    ref = str(next(tmp_path.glob("*.yaml")))

    def declared(seed: int) -> Game:
        game = Game.start(scenario, seed, ref)
        game.play(EndPhase())
        for unit_id, *_ in units[:-2]:
            game.play(Declare(unit_id, target))
        return game

    def leaves_a_retreat(game: Game) -> bool:
        after, _ = engine.step(game.state, Resolve())
        return after.pending is not None and after.pending.kind == "retreat"

    game = next(g for g in map(declared, range(50)) if leaves_a_retreat(g))
    session = Session(game, controllers_for(scenario, "hotseat", "random"))
    app.open_play(session)
    app.step_frame()
    while isinstance(app.top, HandoverScreen):
        app.pop()
    screen = app.screens[0]
    assert isinstance(screen, PlayScreen)
    screen.play(Resolve())
    assert session.state.pending is not None and session.state.pending.side == "soviet" and session.viewer == "soviet"
    handover = app.top
    assert isinstance(handover, HandoverScreen)
    said = [text for text, _size, _colour in handover.message()]
    assert said[0] == describe.side_name(scenario, "soviet")
    assert said[1] == "you must choose a retreat"


def _saved_against_the_computer(tmp_path: Path, over: bool) -> tuple[Path, Game]:
    scenario, ref = _open_ground(tmp_path, "8,2")
    game = Game.start(scenario, 1, ref)
    game.play(Move("s-1", parse_hex("9,2")))
    if over:
        while not game.state.game_over:
            game.play(EndPhase())
    path = tmp_path / "save.json"
    Session(game, controllers_for(scenario, "japanese", "random")).save(path)
    return path, game


def test_a_hot_seat_game_not_over_cannot_be_watched(tmp_path: Path) -> None:
    scenario, ref = _open_ground(tmp_path, "8,2")
    game = Game.start(scenario, 1, ref)
    game.play(Move("s-1", parse_hex("9,2")))
    path = tmp_path / "hotseat.json"
    Session(game, controllers_for(scenario, "hotseat", "random")).save(path)
    with pytest.raises(RecordError, match="hot-seat game not over cannot be watched"):
        open_viewpoints(path, game)
    assert Session.load(path).human_sides == list(scenario.side_ids)


def test_a_game_not_over_against_the_computer_is_watched_only_from_the_player_s_side(tmp_path: Path) -> None:
    path, game = _saved_against_the_computer(tmp_path, over=False)
    assert open_viewpoints(path, game) == ["japanese"]
    with pytest.raises(RecordError, match="not over and was played by a person as japanese"):
        Session.load(path, "watch")
    with pytest.raises(RecordError, match="continue it as japanese"):
        Session.load(path, "soviet")
    assert Session.load(path, "japanese").human_sides == ["japanese"]
    (tmp_path / "over").mkdir()
    over, finished = _saved_against_the_computer(tmp_path / "over", over=True)
    assert open_viewpoints(over, finished) == [None, *finished.scenario.side_ids]


def test_the_replay_viewer_opens_an_unfinished_save_at_the_player_s_side(app: App, tmp_path: Path) -> None:
    path, _game = _saved_against_the_computer(tmp_path, over=False)
    app.open_replay_file(str(path), on_error=pytest.fail)
    screen = app.top
    assert isinstance(screen, ReplayScreen) and screen.viewpoint == "japanese" and screen.viewpoints == ["japanese"]
    screen.next_viewpoint()
    assert screen.viewpoint == "japanese"
    assert all(u.id != "s-1" for u in screen.view.units)  # 9,2 is out of the Japanese sight


def test_the_window_ends_a_bombardment_phase_with_no_gun_able_to_fire(app: App, tmp_path: Path) -> None:
    """The engine holds a side's bombardment phase whenever it has guns (skipping it would tell
    the enemy that an unseen gun had a target); the player, with nothing to fire, is not kept
    there: the window ends it."""
    units = [("j-gun", "artillery_bn", "japanese", "0,0"), ("j-1", "rifle_bn", "japanese", "0,2"), ("s-1", "rifle_bn", "soviet", "11,4")]
    scenario = make_scenario(tmp_path, ["............"] * 5, units, start="1939-07-02T09:00:00")
    session = Session.new(scenario, 1, controllers_for(scenario, "japanese", "random"))
    app.open_play(session)
    screen = app.screens[0]
    assert isinstance(screen, PlayScreen) and session.state.active_side == "japanese"
    held, _ = engine.step(session.state, EndPhase())
    assert held.phase.value == "bombardment" and list(engine.legal_actions(held)) == [EndPhase()]
    screen.play(EndPhase())
    assert session.game.actions == [EndPhase(), EndPhase()]
    assert session.state.active_side == "soviet"


def test_the_hot_seat_hand_over_leaves_nothing_of_the_last_player_on_the_map(app: App, tmp_path: Path) -> None:
    """No slide or trail of the last player's move still running, and the camera where the next
    player left it (over their own units the first time), not where the last one was looking."""
    units = [("j-1", "rifle_bn", "japanese", "0,2"), ("s-1", "rifle_bn", "soviet", "29,2")]
    scenario = make_scenario(tmp_path, ["." * 30] * 5, units, start="1939-07-02T09:00:00")
    session = Session.new(scenario, 1, controllers_for(scenario, "hotseat", "random"))
    app.open_play(session)
    while isinstance(app.top, HandoverScreen):
        app.pop()
    screen = app.screens[0]
    assert isinstance(screen, PlayScreen) and session.viewer == "japanese"
    camera = screen.widget.camera
    screen.play(Move("j-1", parse_hex("1,2")))
    assert screen.glide is not None
    camera.center_on(parse_hex("3,2"))
    japanese_view = camera.center

    def end_turn() -> None:
        side = session.state.active_side
        while session.state.active_side == side:
            screen.play(EndPhase())
        while isinstance(app.top, HandoverScreen):
            app.pop()

    end_turn()
    assert session.viewer == "soviet" and screen.glide is None and screen.lights.trail == []
    assert camera.center != japanese_view
    camera.center_on(parse_hex("27,2"))
    end_turn()
    assert session.viewer == "japanese" and camera.center == japanese_view
