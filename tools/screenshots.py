"""Retakes the game's screenshots in docs/screenshots/ (issue #18): screens, overlays, the hover
prediction, the end screen, and the layout at 1280x720, 1920x1080 and 3840x2160.

Runs headless (``SDL_VIDEODRIVER=dummy``, the default here) or under a real display::

    .venv/bin/python tools/screenshots.py [docs/screenshots]
    SDL_VIDEODRIVER=x11 xvfb-run -a -s "-screen 0 3840x2160x24" .venv/bin/python tools/screenshots.py

Each picture is the real window (:class:`nomonhan.ui.app.App`) driven frame by frame, with
computer players bringing the games to the wanted positions, so the screenshots can be retaken
after every change to the interface.  The layouts show the hover prediction of an attack, the
busiest view.  The editor's pictures have their own tool
(``tools/editor_screenshots.py``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("NOMONHAN_HOME", tempfile.mkdtemp())  # keep autosaves out of the user's home

import pygame  # noqa: E402

from nomonhan import engine  # noqa: E402
from nomonhan.actions import AirMission, Declare, Move, Support  # noqa: E402
from nomonhan.hexgrid import Hex  # noqa: E402
from nomonhan.replay import Game  # noqa: E402
from nomonhan.scenario.load import load_scenario  # noqa: E402
from nomonhan.state import GameState, Phase  # noqa: E402
from nomonhan.ui.app import App  # noqa: E402
from nomonhan.ui.computer_turn import AI_DELAYS  # noqa: E402
from nomonhan.ui.dialog_screens import EndScreen  # noqa: E402
from nomonhan.ui.play_screen import PlayScreen  # noqa: E402
from nomonhan.ui.session import Session, controllers_for  # noqa: E402

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
SIZE = (1920, 1080)
LAYOUTS = [(1280, 720), (1920, 1080), (3840, 2160)]
SCENARIO = "khalkhin-gol-1939"
SEED = 3


def shot(app: App, name: str, frames: int = 3) -> None:
    for screen in app.screens:
        widget = getattr(screen, "widget", None)
        if widget is not None:
            widget.renderer.frame_budget = None  # paint every tile now, not within a frame's time budget
    for _ in range(frames):
        app.step_frame()
    OUT.mkdir(parents=True, exist_ok=True)
    save_small(app.surface, OUT / f"{name}.png")
    print(OUT / f"{name}.png")


def save_small(surface: pygame.Surface, path: Path) -> None:
    """A PNG of 256 colours where Pillow is installed (it comes with the test extras): about a
    third of the size of pygame's full-colour file, and still sharp (no dithering)."""
    try:
        from PIL import Image
    except ImportError:
        pygame.image.save(surface, str(path))
        return
    picture = Image.frombytes("RGB", surface.get_size(), pygame.image.tobytes(surface, "RGB"))
    picture.quantize(colors=256, dither=Image.Dither.NONE).save(path, optimize=True)


def play(app: App, scenario_id: str = SCENARIO, side: str = "soviet") -> PlayScreen:
    scenario = load_scenario(scenario_id)
    app.open_play(Session.new(scenario, SEED, controllers_for(scenario, side, "heuristic"), scenario_id))
    app.step_frame()
    return _top(app)


def _top(app: App) -> PlayScreen:
    screen = app.top
    assert isinstance(screen, PlayScreen)
    return screen


def point_at(app: App, screen: PlayScreen, hex_: Hex) -> None:
    """Rest the pointer on ``hex_`` (the hover shows what a click there would do)."""
    x, y = (round(v) for v in screen.widget.camera.hex_center(hex_))
    app.step_frame([pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), rel=(0, 0), buttons=(0, 0, 0))])


def select_a_mover(app: App, screen: PlayScreen) -> None:
    """Select a unit with moves, centre on it and point at its farthest destination (the path shows)."""
    for _ in range(50):  # to the player's movement phase (the air phase comes first)
        moves = [a for a in engine.legal_actions(screen.state) if isinstance(a, Move)] if screen.human_to_move else []
        if moves:
            break
        if screen.human_to_move:
            screen.commands.end_phase()
        app.step_frame(dt=2.0)
    unit = max({m.unit for m in moves}, key=lambda u: sum(m.unit == u for m in moves))
    screen.select(unit)
    screen.center_on_selection()
    far = max((m for m in moves if m.unit == unit), key=lambda m: screen.lights.reach.get(m.to, 0))
    point_at(app, screen, far.to)


def watch_until(app: App, game: Game, wanted: Callable[[GameState], bool]) -> PlayScreen:
    """Two computer players play ``game`` on until ``wanted``; the side then to act is handed to a human."""
    scenario = game.scenario
    watched = Session(game, controllers_for(scenario, "watch", "heuristic"))
    for _ in range(3000):
        state = watched.state
        if wanted(state):
            break
        if state.game_over:
            raise SystemExit("the game ended before the wanted position came up")
        side = state.acting_side
        watched.play(watched.players[side].choose(engine.observe(state, side), engine.legal_actions(state), watched.generators[side]))
    else:
        raise SystemExit("the wanted position never came up")
    app.open_play(Session(watched.game, controllers_for(scenario, watched.state.acting_side, "heuristic")))
    app.step_frame()
    return _top(app)


def _declarations(state: GameState) -> list[Declare]:
    if state.phase is not Phase.COMBAT or state.pending is not None:
        return []
    return [a for a in engine.legal_actions(state) if isinstance(a, Declare)]


def hover_an_attack(app: App, screen: PlayScreen) -> PlayScreen:
    """On to a combat phase where the side to act may attack; a unit is selected and the pointer
    rests on the target most units could attack (the prediction card shows)."""
    screen = watch_until(app, screen.session.game, lambda state: len(_declarations(state)) >= 2)
    declarations = _declarations(screen.state)
    target = max({d.target for d in declarations}, key=lambda h: sum(d.target == h for d in declarations))
    screen.select(next(d.unit for d in declarations if d.target == target))
    screen.widget.camera.center_on(target)
    point_at(app, screen, target)
    return screen


def _fire_orders(state: GameState) -> list[Support]:
    if state.phase is not Phase.BOMBARDMENT or state.pending is not None or state.declaration is not None:
        return []
    return [a for a in engine.legal_actions(state) if isinstance(a, Support)]


def hover_a_bombardment(app: App, game: Game) -> PlayScreen:
    """On to a bombardment phase: a gun selected, the pointer on its target (the card shows)."""
    screen = watch_until(app, game, lambda state: bool(_fire_orders(state)))
    order = _fire_orders(screen.state)[0]
    screen.select(order.unit)
    screen.widget.camera.center_on(order.target)
    point_at(app, screen, order.target)
    return screen


def _air_orders(state: GameState) -> list[AirMission]:
    if state.phase is not Phase.AIR or state.pending is not None:
        return []
    return [a for a in engine.legal_actions(state) if isinstance(a, AirMission) and a.hex is not None]


def hover_an_air_mission(app: App, game: Game) -> PlayScreen:
    """On to an air phase with enemy patrols up where possible: the pointer on a target hex."""
    screen = watch_until(
        app, game, lambda state: bool(_air_orders(state)) and state.air.superiority_of(state.scenario.enemy_of(state.active_side)) > 0
    )
    target = _air_orders(screen.state)[0].hex
    assert target is not None
    screen.widget.camera.center_on(target)
    point_at(app, screen, target)
    return screen


def to_the_end(app: App) -> None:
    """Lake Khasan watched to the end at the computer's fastest speed: the end screen."""
    scenario = load_scenario("lake-khasan-1938")
    app.open_play(Session.new(scenario, 7, controllers_for(scenario, "watch", "heuristic"), "lake-khasan-1938"))
    _top(app).computer.speed = len(AI_DELAYS) - 1
    for _ in range(50_000):
        app.step_frame(dt=0.05)
        if isinstance(app.top, EndScreen):
            return
    raise SystemExit("the game did not end")


def main() -> None:
    app = App(SIZE)
    app.open_start()
    shot(app, "game-start")
    app.resize((1280, 720))  # the smallest screen: every button of the start screen on it
    shot(app, "start-1280x720")
    app.resize(SIZE)

    screen = play(app)
    select_a_mover(app, screen)
    shot(app, "game-play")

    screen.select(None)
    screen.layers = {"supply", "reach", "guns"}
    screen.refresh()
    shot(app, "game-overlays")
    screen.layers = set()
    screen.refresh()

    app.show_help("play")
    shot(app, "game-help")
    app.pop()

    screen = hover_an_attack(app, screen)  # layout-1920x1080 is the hover prediction at full HD
    target, unit = screen.lights.hover, screen.selected
    for size in LAYOUTS:
        app.resize(size)
        app.open_play(screen.session)  # opened afresh at this size, as a player would: the map zoomed for the UI scale
        app.step_frame()
        screen = _top(app)
        screen.select(unit)
        screen.widget.camera.center_on(target)
        point_at(app, screen, target)
        shot(app, f"layout-{size[0]}x{size[1]}")
    app.resize(SIZE)

    fire = hover_a_bombardment(app, screen.session.game)
    shot(app, "game-bombardment")
    screen = hover_an_air_mission(app, fire.session.game)
    shot(app, "game-air")

    app.resize((1600, 900))  # hot-seat: the hand-over, then the top bar at the narrowest default window
    app.open_play(Session(screen.session.game, controllers_for(screen.session.game.scenario, "hotseat", "heuristic")))
    shot(app, "game-handover")
    app.step_frame([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0)])
    shot(app, "game-hotseat-1600x900")
    app.resize(SIZE)

    night = watch_until(app, screen.session.game, lambda state: state.is_night and state.phase is Phase.MOVEMENT)
    night.layers = {"supply"}
    night.refresh()
    shot(app, "game-night")

    app.open_replay(night.session.game)
    for _ in range(40):
        app.top.run("step_forward")
    shot(app, "game-replay")

    to_the_end(app)
    shot(app, "game-end")


if __name__ == "__main__":
    main()
