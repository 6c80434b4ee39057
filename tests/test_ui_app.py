"""The front end driven frame by frame with scripted pygame events (no real clock, no display).

The central test plays the opening of the crossing scenario through clicks and keys, lets the
random computer player answer, saves and loads, and checks the final digest against the same
game played directly through :class:`nomonhan.replay.Game`.
"""

from __future__ import annotations

import html
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pygame_gui  # noqa: E402
import pytest  # noqa: E402
from conftest import crossing_with_history, make_scenario  # noqa: E402

from nomonhan import engine  # noqa: E402
from nomonhan.actions import BuildBridge, Cancel, Declare, EndPhase, Move, Resolve  # noqa: E402
from nomonhan.ai import DEFAULT_PLAYER  # noqa: E402
from nomonhan.ai.random_player import RandomPlayer  # noqa: E402
from nomonhan.events import UnitMoved  # noqa: E402
from nomonhan.hexgrid import Hex, format_hex, parse_hex, parse_hexside  # noqa: E402
from nomonhan.replay import Game, load_game  # noqa: E402
from nomonhan.rng import Generator  # noqa: E402
from nomonhan.rules.victory import outcome, victory_points  # noqa: E402
from nomonhan.scenario.load import load_scenario  # noqa: E402
from nomonhan.sim.run import play as sim_play  # noqa: E402
from nomonhan.state import Phase  # noqa: E402
from nomonhan.ui import describe, style  # noqa: E402
from nomonhan.ui.app import App  # noqa: E402
from nomonhan.ui.computer_turn import AI_DELAYS  # noqa: E402
from nomonhan.ui.dialog_screens import EndScreen, HandoverScreen, HelpScreen  # noqa: E402
from nomonhan.ui.input import MOUSE_HELP, bindings_for  # noqa: E402
from nomonhan.ui.logbook import seen_unit_ids  # noqa: E402
from nomonhan.ui.play_dialogs import SelectUnit  # noqa: E402
from nomonhan.ui.play_screen import PlayScreen  # noqa: E402
from nomonhan.ui.prediction import chance  # noqa: E402
from nomonhan.ui.replay_screen import ReplayScreen  # noqa: E402
from nomonhan.ui.screen import Screen  # noqa: E402
from nomonhan.ui.session import Session, controllers_for  # noqa: E402
from nomonhan.ui.start_screen import StartScreen, find_scenarios  # noqa: E402

CROSSING = Path(__file__).resolve().parent / "data" / "crossing.yaml"
SEED = 11


def _play(app: App, side: str = "japanese", seed: int = SEED) -> PlayScreen:
    scenario = load_scenario(CROSSING)
    app.open_play(Session.new(scenario, seed, controllers_for(scenario, side, "random"), str(CROSSING)))
    app.step_frame()
    screen = app.screens[0]
    assert isinstance(screen, PlayScreen)
    return screen


def _click(app: App, screen: PlayScreen, hex_: Hex, button: int = 1) -> None:
    x, y = (round(v) for v in screen.widget.camera.hex_center(hex_))
    app.step_frame(
        [
            pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), rel=(0, 0), buttons=(0, 0, 0)),
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, y), button=button),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(x, y), button=button),
        ]
    )


def _key(app: App, key: int, mod: int = 0) -> None:
    """A press and release of ``key`` in one frame."""
    app.step_frame([_key_event(pygame.KEYDOWN, key, mod), _key_event(pygame.KEYUP, key, mod)])


def _key_event(kind: int, key: int, mod: int = 0) -> pygame.event.Event:
    return pygame.event.Event(kind, key=key, mod=mod, unicode="", scancode=0)


def _hold(app: App, key: int, frames: int) -> None:
    """``key`` held down for ``frames`` frames: one KEYDOWN, then the keyboard's repeats, no KEYUP."""
    for _ in range(frames):
        app.step_frame([_key_event(pygame.KEYDOWN, key)], dt=0.04)


def _run_computer(app: App, screen: PlayScreen, frames: int = 200) -> None:
    """Frames at 'instant' speed until the human is to move (or the game is over)."""
    screen.computer.speed = len(AI_DELAYS) - 1
    for _ in range(frames):
        if not screen.session.computer_to_move():
            return
        app.step_frame(dt=0.05)
    raise AssertionError("the computer did not finish its turn")


def test_scripted_turn_save_and_load_match_direct_play(app: App, tmp_path: Path) -> None:
    screen = _play(app)
    tank, target = "j-tank", parse_hex("3,2")
    _click(app, screen, screen.state.unit(tank).hex)
    assert screen.selected == tank
    assert target in screen.lights.destinations and screen.lights.reach[target] > 0
    _click(app, screen, target)
    assert screen.state.unit(tank).hex == target
    _key(app, pygame.K_u)  # undo the move, then make it again
    assert screen.state.unit(tank).hex == parse_hex("1,3")
    _click(app, screen, parse_hex("1,3"))
    _click(app, screen, target)
    while screen.state.active_side == "japanese" and screen.state.turn == 1:
        _key(app, pygame.K_e)  # end the Japanese phases: then the computer (soviet, random) moves
    _run_computer(app, screen)
    assert screen.state.active_side == "japanese" and screen.state.turn == 2
    _key(app, pygame.K_s)
    saved = tmp_path / "home" / "saves" / "crossing.json"
    assert saved.exists()

    # The same game straight through replay.Game: the human's actions as clicked, the computer's
    # drawn by the same player kind from the same per-side generator, seeing only its observation.
    played = screen.session.game.actions
    assert played[0] == Move(tank, target) and isinstance(played[1], EndPhase)
    direct = Game.start(load_scenario(CROSSING), SEED)
    computer, generator = RandomPlayer(), Generator.for_player(SEED, "soviet")
    for action in played:
        if direct.state.acting_side == "soviet":
            observation = engine.observe(direct.state, "soviet")
            assert action == computer.choose(observation, engine.legal_actions(direct.state), generator)
        direct.play(action)
    assert screen.state.digest() == direct.state.digest()

    app.open_saved(str(saved), on_error=pytest.fail)
    app.step_frame()
    assert isinstance(app.top, PlayScreen) and app.top is not screen
    assert app.top.state.digest() == direct.state.digest()
    assert app.top.session.controllers == {"japanese": "human", "soviet": "random"}


def test_a_click_that_gives_no_order_says_why(app: App) -> None:
    screen = _play(app)
    _click(app, screen, screen.state.unit("j-tank").hex)
    far = parse_hex("6,0")
    assert screen.selected == "j-tank" and far not in screen.lights.reach
    _click(app, screen, far)  # out of its reach: the click deselects, and says why nothing was ordered
    assert screen.selected is None and screen.message == "6,0 is out of reach of Tank Bn (12 move points left)"


def _press_choice(app: App, screen: PlayScreen, label: str) -> None:
    """Press the chooser's entry ``label``."""
    assert screen.dialogs.choice is not None
    button = next(button for button in screen.dialogs.choice.choices if button.text == label)
    app.step_frame([pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=button)])


def test_a_click_on_own_units_the_selected_unit_could_join_asks_whether_to_move_or_select(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the tank selected, a click on the rifle battalion's hex (the tank may stack there)
    neither moves the tank nor drops it: the chooser offers the move and selecting the battalion."""
    screen = _play(app)
    tank, friend = "j-tank", screen.state.unit("j-1").hex
    home = screen.state.unit(tank).hex
    _click(app, screen, home)
    assert friend in screen.lights.destinations  # the tank may end its move there, with j-1
    _click(app, screen, friend)
    assert screen.state.unit(tank).hex == home and not screen.session.game.actions  # nothing ordered yet
    assert screen.dialogs.choice is not None
    entries = {button.text: choice for button, choice in screen.dialogs.choice.choices.items()}
    assert entries == {"Move Tank Bn to 1,1": Move(tank, friend), "Select 1st Bn": SelectUnit("j-1")}
    _hover_button(app, next(b for b, c in screen.dialogs.choice.choices.items() if isinstance(c, SelectUnit)), monkeypatch)
    assert screen.dialogs.hovered() is None  # selecting has no forecast to show
    _press_choice(app, screen, "Select 1st Bn")
    assert screen.selected == "j-1" and screen.dialogs.choice is None and not screen.session.game.actions

    _click(app, screen, home)  # j-1 could join the tank as well: the same question, and the tank selected from it
    _press_choice(app, screen, "Select Tank Bn")
    assert screen.selected == tank
    _click(app, screen, friend)  # this time the move
    _press_choice(app, screen, "Move Tank Bn to 1,1")
    assert screen.session.game.actions == [Move(tank, friend)] and screen.state.unit(tank).hex == friend

    far_friend = screen.state.unit("j-2").hex
    _click(app, screen, friend)  # j-1 or the tank (the stack), then a hex of own units out of its reach: selected at once
    assert far_friend not in screen.lights.destinations
    _click(app, screen, far_friend)
    assert screen.selected == "j-2" and screen.dialogs.choice is None
    _key(app, pygame.K_n)  # the keys still pick units
    assert screen.selected is not None and screen.selected != "j-2"


def test_computer_moves_one_at_a_time_at_the_set_speed(app: App) -> None:
    scenario = load_scenario(CROSSING)
    app.open_play(Session.new(scenario, 5, controllers_for(scenario, "watch", "random"), str(CROSSING)))
    screen = app.screens[0]
    assert isinstance(screen, PlayScreen) and screen.session.viewer is None  # the full view sees every move
    delay = AI_DELAYS[screen.computer.speed]
    app.step_frame(dt=delay / 2)
    assert len(screen.session.game.actions) == 0
    for _ in range(10):
        count = len(screen.session.game.actions)
        app.step_frame(dt=delay)
        assert len(screen.session.game.actions) == count + 1


def test_an_idle_window_drops_its_frame_rate_until_something_happens(app: App) -> None:
    """An idle window drew 60 frames a second (half a core): after a second without input and
    with nothing moving it reads input 10 times a second and draws only once a second, and is
    back at 60 at the first event or animation."""
    from nomonhan.ui.app import FPS, IDLE_FPS

    screen = _play(app)
    while not screen.widget.renderer.complete:  # the map's tiles painted
        app.step_frame()
    assert app.frame_rate(quiet=0.2) == FPS and app.frame_rate(quiet=1.5) == IDLE_FPS
    assert app.step_frame([_key_event(pygame.KEYDOWN, pygame.K_LEFT)])  # an event: the quiet starts again
    assert not app.step_frame() and app.frame_rate(quiet=1.5) == FPS  # an arrow key held scrolls the map
    app.step_frame([_key_event(pygame.KEYUP, pygame.K_LEFT)])
    _click(app, screen, screen.state.unit("j-tank").hex)
    _click(app, screen, parse_hex("3,2"))
    assert screen.glide is not None and app.frame_rate(quiet=1.5) == FPS  # the tank sliding
    app.step_frame(dt=1.0)
    assert screen.glide is None and app.frame_rate(quiet=1.5) == IDLE_FPS
    app.surface.fill((1, 2, 3))
    assert not app.step_frame(redraw=False) and app.surface.get_at((5, 5))[:3] == (1, 2, 3)  # an idle frame draws nothing
    assert app.step_frame([_key_event(pygame.KEYUP, pygame.K_x)], redraw=False) and app.surface.get_at((5, 5))[:3] != (1, 2, 3)


def test_log_never_tells_of_unseen_enemy_moves(app: App) -> None:
    screen = _play(app)
    _key(app, pygame.K_e)
    _run_computer(app, screen)
    game, book = screen.session.game, screen.logbook
    hidden_moves = 0
    for number, events in enumerate(game.events):
        seen = seen_unit_ids(game.states[number], "japanese") | seen_unit_ids(game.states[number + 1], "japanese")
        for event in events:
            if isinstance(event, UnitMoved) and event.unit not in seen:
                hidden_moves += 1
                everyone = describe.Narrator(game.scenario, None, seen_unit_ids(game.states[number], None), frozenset())
                line = everyone.line(event)
                assert line in [entry.text for entry in book.action_lines(number, None)]
                assert line not in [entry.text for entry in book.action_lines(number, "japanese")]
    assert hidden_moves > 0
    assert all(entry in screen.log.entries for entry in book.action_lines(len(game.actions) - 1, "japanese"))


def _said(handover: Screen) -> list[str]:
    assert isinstance(handover, HandoverScreen)
    return [text for text, _size, _colour in handover.message()]


def test_hotseat_hands_over_between_sides(app: App) -> None:
    screen = _play(app, side="hotseat")
    scenario = screen.state.scenario
    assert _said(app.top)[:3] == [
        describe.side_name(scenario, "japanese"),
        "it is your turn",
        f"Turn 1, {describe.when(scenario.turn_start(1))}, day",
    ]
    assert app.surface.get_at((5, 5))[:3] == style.BACKGROUND[:3]  # the map is hidden
    _key(app, pygame.K_SPACE)
    assert app.top is screen and screen.session.viewer == "japanese"
    _key(app, pygame.K_e)
    assert _said(app.top)[0] == describe.side_name(scenario, "soviet")
    assert not screen.panel.root.visible
    _key(app, pygame.K_SPACE)
    assert app.top is screen and screen.session.viewer == "soviet"
    assert all(u.side == "soviet" or u.id in {e.id for e in engine.observe(screen.state, "soviet").enemy_units} for u in screen.view.units)


def test_a_held_or_doubled_enter_ends_one_phase_and_never_passes_a_hand_over(app: App) -> None:
    """Enter ends a phase, Space shows the map: a held Enter (the keyboard repeats it) ends one
    phase, and neither it nor a second Enter dismisses the next player's hand-over."""
    screen = _play(app, side="hotseat")
    _hold(app, pygame.K_RETURN, 25)  # on the first hand-over: Enter does not show the map
    assert isinstance(app.top, HandoverScreen) and screen.session.game.actions == []
    app.step_frame([_key_event(pygame.KEYUP, pygame.K_RETURN)])
    _key(app, pygame.K_SPACE)
    assert app.top is screen
    _hold(app, pygame.K_RETURN, 25)  # one press ends the Japanese phase, its repeats nothing more
    assert screen.session.game.actions == [EndPhase()] and screen.state.acting_side == "soviet"
    assert _said(app.top)[0] == describe.side_name(screen.state.scenario, "soviet")
    assert app.surface.get_at((5, 5))[:3] == style.BACKGROUND[:3]  # the Soviet map never drawn meanwhile
    app.step_frame([_key_event(pygame.KEYUP, pygame.K_RETURN)])
    played = len(screen.session.game.actions)
    _key(app, pygame.K_RETURN)
    _key(app, pygame.K_RETURN)  # a double Enter on the hand-over: the map stays hidden, the turn kept
    assert isinstance(app.top, HandoverScreen) and len(screen.session.game.actions) == played
    assert app.surface.get_at((5, 5))[:3] == style.BACKGROUND[:3]
    app.step_frame([pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(5, 5), button=1)])  # a release with no press here: no click
    assert isinstance(app.top, HandoverScreen)


def test_a_screen_on_top_hides_the_side_panel_until_it_goes(app: App) -> None:
    """The hand-over, help and end screens cover the map: its buttons must not take their clicks."""
    screen = _play(app)
    assert screen.panel is not None and screen.panel.root.visible
    app.push(Screen(app))
    assert not screen.panel.root.visible
    app.pop()
    assert screen.panel.root.visible


def test_help_screen_and_overlay_toggles(app: App) -> None:
    screen = _play(app)
    _key(app, pygame.K_z)
    _key(app, pygame.K_f)
    assert not screen.show_zoc and not screen.show_fog
    _key(app, pygame.K_F1)
    shown = app.top
    assert isinstance(shown, HelpScreen) and shown.window is not None and shown.text is not None
    assert shown.window.window_display_title == "Play: keys and mouse"
    assert all(html.escape(b.help) in shown.text.html_text for b in bindings_for("play"))
    assert all(html.escape(text) in shown.text.html_text for _gesture, text in MOUSE_HELP)
    assert "<b>F11</b>: fullscreen" in shown.text.html_text and "<b>F12</b>: screenshot" in shown.text.html_text
    assert pygame.Rect((0, 0), app.size).contains(shown.window.rect)
    inside = shown.window.rect.center
    app.step_frame([pygame.event.Event(pygame.MOUSEBUTTONUP, pos=inside, button=1)])
    assert app.top is shown  # a click on the help (to scroll it) leaves it open
    _key(app, pygame.K_x)
    assert app.top is screen and not shown.window
    zoom = screen.widget.camera.zoom
    _key(app, pygame.K_MINUS)
    assert screen.widget.camera.zoom == zoom - 1
    app.step_frame([pygame.event.Event(pygame.VIDEORESIZE, size=(1000, 700), w=1000, h=700)])
    assert app.size == (1000, 700) and screen.panel is not None


def test_watch_game_to_the_end_then_replay(app: App) -> None:
    scenario = load_scenario(CROSSING)
    app.open_play(Session.new(scenario, 3, controllers_for(scenario, "watch", "random"), str(CROSSING)))
    screen = app.top
    assert isinstance(screen, PlayScreen)
    screen.computer.speed = len(AI_DELAYS) - 1
    for _ in range(100):
        app.step_frame(dt=0.05)
        if isinstance(app.top, EndScreen):
            break
    assert isinstance(app.top, EndScreen) and screen.state.game_over
    assert (Path(os.environ["NOMONHAN_HOME"]) / "autosave.json").exists()
    end = app.top
    report = end._report()
    assert "After-action timeline" in report
    final = screen.state.turn
    assert f"Turn {final} (" in report  # the last turn's score and losses are in the timeline
    button = next(b for b, c in end.buttons.items() if c == "save_record")
    app.step_frame([pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=button)])
    records = list((Path(os.environ["NOMONHAN_HOME"]) / "saves").glob("crossing-*.json"))
    assert len(records) == 1 and load_game(records[0]).state.digest() == screen.state.digest()
    app.open_replay(load_game(records[0]))
    replay = app.top
    assert isinstance(replay, ReplayScreen)
    _key(app, pygame.K_RIGHT)
    assert replay.cursor == 1 and replay.state is replay.game.states[1]
    _key(app, pygame.K_PAGEDOWN)
    assert replay.state.turn == 2 and replay.game.states[replay.cursor - 1].turn == 1
    _key(app, pygame.K_PAGEUP)
    assert replay.cursor == replay._turn_start(replay.cursor) and replay.state.turn == 1
    replay.jump_to_turn("3")
    assert replay.state.turn == 3
    _key(app, pygame.K_END)
    assert replay.cursor == len(replay.game.actions)
    result = outcome(replay.state)  # at the end, the viewer says who won, how, and the points
    points = victory_points(replay.state)
    words = describe.result_words(replay.state)
    assert result is not None and all(f" {points[side]}" in words for side in scenario.side_ids)
    if result.winner != "draw":
        assert words.startswith(f"{describe.side_name(scenario, result.winner).split(' (')[0]} wins, a {result.level} victory")
    assert f"game over: {describe.result_headline(replay.state)}" in replay.panel.status.text
    assert html.escape(words) in replay.panel.unit_box.html_text
    for expected in ("japanese", "soviet", None):
        _key(app, pygame.K_v)
        assert replay.viewpoint == (expected if expected else None)
    _key(app, pygame.K_HOME)
    assert replay.cursor == 0


def test_start_screen_starts_the_chosen_scenario(app: App) -> None:
    entries = find_scenarios([CROSSING])
    app.replace_all(StartScreen(app, entries, selected=CROSSING))
    app.step_frame()
    start = app.top
    assert isinstance(start, StartScreen) and start.current.scenario is not None
    assert "Test crossing" in start.briefing.html_text
    start.side_choice = "soviet"
    start.run("start")
    assert isinstance(app.top, PlayScreen)
    assert app.top.session.controllers == {"soviet": "human", "japanese": DEFAULT_PLAYER}


def _hover_button(app: App, button: pygame_gui.elements.UIButton, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pointer rests on ``button`` (pygame_gui reads the pointer from ``pygame.mouse``)."""
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: button.rect.center)
    app.step_frame()
    app.step_frame()
    assert button.hovered


def test_an_attack_is_declared_unit_by_unit_and_resolved_by_a_deliberate_press(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = make_scenario(
        tmp_path,
        ["....", "....", "....", "...."],
        [
            ("j-1", "rifle_bn", "japanese", "2,2"),
            ("j-2", "rifle_bn", "japanese", "2,3"),
            ("s-1", "rifle_bn", "soviet", "3,2"),
        ],
    )
    app.open_play(Session.new(scenario, 2, controllers_for(scenario, "japanese", "random")))
    screen = app.screens[0]
    assert isinstance(screen, PlayScreen)
    while screen.state.phase is not Phase.COMBAT:
        _key(app, pygame.K_e)
    _click(app, screen, parse_hex("2,2"))
    assert screen.lights.targets == {parse_hex("3,2"): "Attack"}
    before = len(screen.session.game.actions)
    forecast = screen.hover_prediction(parse_hex("3,2"))  # resting the pointer there shows the odds first
    assert forecast is not None and forecast.title == "Attack on 3,2 by j-1" and forecast.reasons[-1].startswith("Odds column 1:1")
    assert len(screen.session.game.actions) == before and screen.hover_prediction(parse_hex("0,0")) is None
    _click(app, screen, parse_hex("3,2"))  # declares j-1: nothing is rolled yet
    assert screen.session.game.actions[-1] == Declare("j-1", parse_hex("3,2")) and screen.state.declaration is not None
    _click(app, screen, parse_hex("2,3"))
    _click(app, screen, parse_hex("3,2"))  # j-2 joins
    assert screen.session.game.actions[-1] == Declare("j-2", parse_hex("3,2"))
    buttons = {action: button for button, action in screen.panel.order_buttons.items() if action is not None}
    resolve = buttons[Resolve()]
    forecast = engine.combat_odds(screen.state, describe.attack_after(screen.state, Resolve()))
    assert resolve.text == f"Resolve: attack on 3,2 at {forecast.plan.column_label}" and Cancel() in buttons  # whole, not cut
    _hover_button(app, resolve, monkeypatch)  # the pointer rests on Resolve: the whole forecast, before the die
    shown = screen.card._cached[0]
    assert shown.title == "Attack on 3,2 by j-1, j-2" and "Nothing is rolled until you press Resolve." in shown.notes
    assert {row[:2] for row in shown.rows} == {(result.text, chance(p)) for result, p in forecast.outcomes}
    assert screen.card.placed_at is not None and screen.widget.viewport.contains(screen.card.placed_at)
    app.step_frame([pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=resolve)])
    assert screen.session.game.actions[-1] == Resolve() and screen.state.declaration is None
    assert any(entry.kind == "combat" and entry.text.startswith("Attack on 3,2") for entry in screen.log.entries)


def test_a_declaration_left_standing_shows_on_the_map_in_the_panel_and_on_hover_after_a_load(app: App, tmp_path: Path) -> None:
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", "3,2")]
    scenario = make_scenario(tmp_path, ["....", "....", "....", "...."], units, filename="declared.yaml")
    session = Session.new(scenario, 2, controllers_for(scenario, "japanese", "random"), str(tmp_path / "declared.yaml"))
    while session.state.phase is not Phase.COMBAT:
        session.play(EndPhase())
    target = parse_hex("3,2")
    session.play(Declare("j-1", target))
    app.open_saved(str(session.save(tmp_path / "declared.json")), on_error=pytest.fail)
    app.step_frame()
    screen = app.top
    assert isinstance(screen, PlayScreen) and screen.selected is None
    assert "<b>Attack declared on 3,2</b> by j-1" in screen.panel.unit_box.html_text  # the idle panel says it
    corners = screen.widget.camera.layout().corners(target)
    edge = tuple(round((a + b) / 2) for a, b in zip(corners[0], corners[1], strict=True))
    assert app.surface.get_at(edge)[:3] == style.TARGET  # the target is ringed
    _point = pygame.event.Event(
        pygame.MOUSEMOTION, pos=tuple(round(v) for v in screen.widget.camera.hex_center(target)), rel=(0, 0), buttons=(0, 0, 0)
    )
    app.step_frame([_point])
    shown = screen.hover_prediction(target)  # with nothing selected: the declaration as Resolve would roll it
    assert shown is not None and shown.title == "Attack on 3,2 by j-1" and screen.card.placed_at is not None


def test_a_pontoon_being_thrown_shows_its_hours_on_the_map_in_the_panel_and_on_hover(app: App, tmp_path: Path) -> None:
    river = [("river", ["1,0:NE", "1,0:SE", "1,1:NE", "1,1:SE", "1,2:NE"])]
    units = [("e-1", "engineer_bn", "japanese", "1,1"), ("s-1", "rifle_bn", "soviet", "3,2")]
    scenario = make_scenario(tmp_path, ["....", "....", "...."], units, hexside_lines=river, turn_hours=3)
    app.open_play(Session.new(scenario, 1, controllers_for(scenario, "japanese", "random")))
    screen = app.top
    assert isinstance(screen, PlayScreen)
    side = parse_hexside("1,1:NE")
    screen.play(BuildBridge("e-1", side))
    assert screen.state.pontoon_work == ((side, "japanese", 3),)  # 3 of the rules' 6 hours: not standing yet
    far = format_hex(side.high if side.low == parse_hex("1,1") else side.low)
    note = f"pontoon to {far}: 3 of 6 hours"
    screen.select("e-1")
    assert note in screen.panel.unit_box.html_text
    assert note in describe.hex_summary(scenario, screen.view, parse_hex("1,1"))  # the line under the map on hover
    screen.select(None)
    app.step_frame()
    layout = screen.widget.camera.layout()
    low, high = layout.hex_to_pixel(side.low), layout.hex_to_pixel(side.high)
    (ax, ay), (bx, by) = layout.hexside_segment(side)

    def on_plank(along: float) -> tuple[int, ...]:
        """The colour ``along`` the line between the hexes' centres, from the hexside (+: towards ``side.high``)."""
        point = ((ax + bx) / 2 + (high[0] - low[0]) * along, (ay + by) / 2 + (high[1] - low[1]) * along)
        return tuple(app.surface.get_at(tuple(round(v) for v in point))[:3])

    assert on_plank(-0.08) == style.BRIDGE and on_plank(0.08) == style.PAPER  # half the plank laid, half to go


def test_end_screen_says_what_the_historical_figures_cover(app: App, tmp_path: Path) -> None:
    """A campaign's totals beside the game's losses are labelled as such (issue #23)."""
    path = crossing_with_history(tmp_path)
    scenario = load_scenario(path)
    session = Session.new(scenario, SEED, controllers_for(scenario, "watch", "random"), str(path))
    players = {side: RandomPlayer() for side in scenario.side_ids}
    generators = {side: Generator.for_player(SEED, side) for side in scenario.side_ids}
    while not session.state.game_over:
        state = session.state
        side = state.acting_side
        session.play(players[side].choose(engine.observe(state, side), engine.legal_actions(state), generators[side]))
    report = EndScreen(app, session)._report()
    assert "[historical figures: whole campaign, May-September 1939; the game: 2 Jul - 4 Jul 1939]: men lost" in report
    assert "armoured cars lost 0: fewer than in history (30-40)" in report
    assert "[historical figures: the scenario&#x27;s dates, 2 Jul - 4 Jul 1939]: men lost" in report


def test_a_thousand_user_scenarios_are_listed_without_loading_them(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    from nomonhan.ui import start_screen

    folder = Path(os.environ["NOMONHAN_HOME"]) / "scenarios"
    folder.mkdir(parents=True)
    text = CROSSING.read_text()
    for n in range(1000):
        (folder / f"user-{n:04}.yaml").write_text(text)
    loaded: list[Path] = []
    real_load = start_screen.load_scenario
    monkeypatch.setattr(start_screen, "load_scenario", lambda path: loaded.append(Path(path)) or real_load(path))
    app.replace_all(StartScreen(app))
    app.step_frame()
    start = app.top
    assert isinstance(start, StartScreen) and len(start.entries) >= 1000
    assert not any(path.parent == folder for path in loaded), "a user scenario was loaded before it was shown"

    shown = next(entry for entry in start.entries if entry.path == folder / "user-0500.yaml")
    assert shown.label == "user-0500.yaml"
    start._show(shown)
    assert loaded[-1] == shown.path and "Test crossing" in start.briefing.html_text
    assert shown.scenario is not None and shown.label == shown.scenario.model.title


def test_saves_that_cannot_be_written_are_said_and_the_game_goes_on(app: App) -> None:
    home = Path(os.environ["NOMONHAN_HOME"])
    (home / "saves").mkdir(parents=True)
    for locked in (home / "autosave.json", home / "saves" / "crossing.json"):
        locked.write_text("mine")
        locked.chmod(0o444)
    screen = _play(app)
    _key(app, pygame.K_s)
    assert screen.message.startswith("Not saved:") and "read-only" in screen.message
    assert f"the folder {home} is chosen by the setting NOMONHAN_HOME" in screen.message  # a setting long forgotten
    turn = screen.state.turn
    while screen.state.turn == turn:  # the next turn's start autosaves
        _key(app, pygame.K_e)
        app.step_frame(dt=5)
    assert screen.message.startswith("Autosave failed:") and "NOMONHAN_HOME" in screen.message and app.top is screen
    assert (home / "autosave.json").read_text() == "mine"
    _key(app, pygame.K_F12)  # a screenshot is said on screen, where it went
    saved = next((home / "screenshots").glob("*.png"))
    assert app.notice is not None and app.notice[0] == f"Screenshot saved to {saved}"
    app.step_frame(dt=5)
    assert app.notice is None  # for a few seconds
    for picture in (home / "screenshots").iterdir():
        picture.unlink()
    (home / "screenshots").rmdir()
    home.joinpath("screenshots").write_text("a file where the folder should be")
    _key(app, pygame.K_F12)
    assert app.running and app.notice is not None and app.notice[0].startswith("Screenshot not saved:")


def test_an_end_screen_record_that_cannot_be_written_is_said(app: App) -> None:
    scenario = load_scenario(CROSSING)
    players = {side: RandomPlayer() for side in scenario.side_ids}
    finished = Session(sim_play(scenario, 3, players, str(CROSSING)), controllers_for(scenario, "watch", "random"))
    Path(os.environ["NOMONHAN_HOME"]).mkdir(parents=True)
    (Path(os.environ["NOMONHAN_HOME"]) / "saves").write_text("a file where the folder should be")
    app.end_game(finished)
    app.step_frame()
    end = app.top
    assert isinstance(end, EndScreen)
    button = next(b for b, c in end.buttons.items() if c == "save_record")
    app.step_frame([pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=button)])
    assert end.note is not None and end.note.text.startswith("Not saved:") and app.top is end


def test_longest_allowed_texts_start_and_play(app: App, tmp_path: Path) -> None:
    """Issue 22: a title of megabytes crashed play; text fields are now bounded, and text at the bound shows."""
    from nomonhan.scenario.schema import MAX_TEXT

    long_word = "W" * MAX_TEXT
    text = CROSSING.read_text(encoding="utf-8").replace("title: Test crossing", f"title: {long_word}")
    text = text.replace("name: Kwantung Army", f"name: {long_word}").replace("name: 1st Bn,", f"name: {long_word},")
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    entries = find_scenarios([path])
    app.replace_all(StartScreen(app, entries, selected=path))
    app.step_frame()
    start = app.top
    assert isinstance(start, StartScreen) and start.current.scenario is not None
    assert long_word in start.briefing.html_text
    start.side_choice = "japanese"
    start.run("start")
    screen = app.top
    assert isinstance(screen, PlayScreen)
    for _ in range(3):
        app.step_frame(dt=0.05)
    _click(app, screen, screen.state.unit("j-1").hex)
    app.step_frame()
    assert screen.selected == "j-1" and "W" * 40 in screen.panel.unit_box.html_text  # the long name shows
    too_long = tmp_path / "too-long.yaml"
    too_long.write_text(text.replace(long_word, long_word + "W", 1), encoding="utf-8")
    assert "at most 1000 characters" in find_scenarios([too_long])[-1].problem


def test_start_screen_lists_a_user_scenario_linked_to_a_device_as_broken(app: App, tmp_path: Path) -> None:
    """Issue 22: a link to /dev/zero (or a FIFO) in the player's scenarios folder crashed or hung start-up."""
    folder = tmp_path / "home" / "scenarios"
    folder.mkdir(parents=True)
    (folder / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.yaml")
    app.replace_all(StartScreen(app, selected=folder / "zero.yaml"))
    app.step_frame()
    start = app.top
    assert isinstance(start, StartScreen) and start.current is not None and start.current.path.name == "zero.yaml"
    assert start.current.scenario is None and "this is a device, not a regular file" in start.briefing.html_text
    broken = {e.path.name: e.problem for e in start.entries if e.scenario is None}
    assert set(broken) == {"zero.yaml", "pipe.yaml"} and "pipe (FIFO)" in broken["pipe.yaml"]


def test_menu_asks_before_leaving_a_game(app: App, tmp_path: Path) -> None:
    screen = _play(app)
    menu = screen.panel.button_of["menu"]
    app.step_frame([pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=menu)])
    assert app.top is screen and screen.dialogs.leaving is not None and screen.dialogs.leaving.alive()
    app.step_frame([pygame.event.Event(pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED, ui_element=screen.dialogs.leaving)])
    start = app.top
    assert isinstance(start, StartScreen) and start.current is not None and start.current.scenario is not None
    assert start.current.scenario.model.title in start.briefing.html_text  # back at the scenario list, one shown
    assert (tmp_path / "home" / "autosave.json").exists()


def test_the_panel_follows_the_computer_s_turn_not_a_stale_selection(app: App) -> None:
    screen = _play(app)
    _click(app, screen, screen.state.unit("j-tank").hex)
    assert screen.selected == "j-tank"
    screen.computer.speed = 0  # very slow: the computer's turn is under way while we look
    while not screen.session.computer_to_move():
        _key(app, pygame.K_e)
    assert screen.selected is None
    assert "The computer" in screen.panel.unit_box.html_text


def test_computer_speed_keys_answer_at_once(app: App) -> None:
    screen = _play(app)
    _key(app, pygame.K_RIGHTBRACKET)
    assert "Computer speed: fast" in screen.message
    assert "computer speed: fast" in screen.panel.status.text
    for _ in range(5):
        _key(app, pygame.K_RIGHTBRACKET)
    assert "instant (the fastest)" in screen.message
    _key(app, pygame.K_LEFTBRACKET)
    assert "computer speed: fast" in screen.panel.status.text


def test_a_save_from_the_first_edition_is_refused_with_a_message_naming_its_version(app: App) -> None:
    """Continue autosave on a save made before the rules' second edition: a line that names the
    version that made it, the start screen stays (no traceback, nothing opened)."""
    import json

    from nomonhan.ui import userdata

    game = Game.start(load_scenario(CROSSING), SEED, str(CROSSING))
    path = userdata.autosave_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    game.save(path)
    record = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**record, "format_version": 1, "nomonhan_version": "0.1.0"}), encoding="utf-8")
    app.open_start()
    app.step_frame()
    screen = app.top
    assert isinstance(screen, StartScreen)
    screen.run("continue")
    app.step_frame()
    assert app.top is screen
    said = screen.error.text
    assert said.startswith("Cannot load autosave.json: made by Nomonhan 0.1.0, record format version 1, comes from an earlier edition")
    assert screen.error.font.size(said)[0] <= screen.error.rect.width
