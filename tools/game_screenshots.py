"""Retakes the game's screenshots in docs/screenshots/ (start screen, play, overlays, sizes).

Runs headless (``SDL_VIDEODRIVER=dummy``, the default here) or under a real display::

    .venv/bin/python tools/game_screenshots.py docs/screenshots
    SDL_VIDEODRIVER=x11 xvfb-run -a -s "-screen 0 3840x2160x24" .venv/bin/python tools/game_screenshots.py

Each picture is the real window (:class:`nomonhan.ui.app.App`) driven frame by frame, so the
screenshots can be retaken after every change to the interface.  ``game-end.png`` has its own
tool (``tools/game_end_screenshot.py``: a whole game is played for it).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("NOMONHAN_HOME", tempfile.mkdtemp())  # keep autosaves out of the user's home

import pygame  # noqa: E402

from nomonhan import engine  # noqa: E402
from nomonhan.actions import Attack, Move  # noqa: E402
from nomonhan.replay import Game  # noqa: E402
from nomonhan.scenario.load import load_scenario  # noqa: E402
from nomonhan.state import GameState, Phase  # noqa: E402
from nomonhan.ui.app import App  # noqa: E402
from nomonhan.ui.play_screen import PlayScreen  # noqa: E402
from nomonhan.ui.session import Session, controllers_for  # noqa: E402

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
SIZE = (1600, 900)
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
    pygame.image.save(app.surface, str(OUT / f"{name}.png"))
    print(OUT / f"{name}.png")


def play(app: App, scenario_id: str = SCENARIO, side: str = "soviet") -> PlayScreen:
    scenario = load_scenario(scenario_id)
    app.open_play(Session.new(scenario, SEED, controllers_for(scenario, side, "heuristic"), scenario_id))
    app.step_frame()
    screen = app.top
    assert isinstance(screen, PlayScreen)
    return screen


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
    x, y = (round(v) for v in screen.widget.camera.hex_center(far.to))
    app.step_frame([pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), rel=(0, 0), buttons=(0, 0, 0))])


def main() -> None:
    app = App(SIZE)
    app.open_start()
    shot(app, "game-start")

    screen = play(app)
    select_a_mover(app, screen)
    shot(app, "game-play")

    screen.select(None)
    screen.layers = {"supply", "reach", "guns"}
    screen.refresh()
    shot(app, "game-overlays")
    screen.layers = set()
    screen.refresh()

    for size in [(1280, 720), (3840, 2160)]:
        app.resize(size)
        screen.center_on_selection()
        shot(app, f"layout-{size[0]}x{size[1]}")
    app.resize(SIZE)

    app.show_help("play")
    shot(app, "game-help")
    app.pop()

    attack_chooser(app, screen)
    shot(app, "game-combat")

    night = watch_until(app, app.top.session.game, lambda state: state.is_night and state.phase is Phase.MOVEMENT)
    night.layers = {"supply"}
    night.refresh()
    shot(app, "game-night")

    app.open_replay(app.top.session.game)
    for _ in range(40):
        app.top.run("step_forward")
    shot(app, "game-replay")


def watch_until(app: App, game: Game, wanted: Callable[[GameState], bool]) -> PlayScreen:
    """Two computer players play ``game`` on until ``wanted``; the side then to act is handed to a human."""
    scenario = game.scenario
    watched = Session(game, controllers_for(scenario, "watch", "heuristic"))
    for _ in range(3000):
        state = watched.state
        if wanted(state):
            break
        side = state.acting_side
        watched.play(watched.players[side].choose(engine.observe(state, side), engine.legal_actions(state), watched.generators[side]))
    else:
        raise SystemExit("the wanted position never came up")
    app.open_play(Session(watched.game, controllers_for(scenario, watched.state.acting_side, "heuristic")))
    app.step_frame()
    screen = app.top
    assert isinstance(screen, PlayScreen)
    return screen


def _attacks(state: GameState) -> list[Attack]:
    return [a for a in engine.legal_actions(state) if isinstance(a, Attack) and not a.overrun] if state.phase is Phase.COMBAT else []


def attack_chooser(app: App, screen: PlayScreen) -> None:
    """On to a position where the side to act may attack; the order chooser opens over the target
    with the most ways to attack it (each with its forecast)."""
    screen = watch_until(app, screen.session.game, lambda state: bool(_attacks(state)))
    attacks = _attacks(screen.state)
    target = max({a.target for a in attacks}, key=lambda h: sum(a.target == h for a in attacks))
    here = [a for a in attacks if a.target == target]
    screen.select(here[0].units[0])
    screen.widget.camera.center_on(target)
    x, y = (round(v) for v in screen.widget.camera.hex_center(target))
    app.step_frame([pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), rel=(0, 0), buttons=(0, 0, 0))])
    screen.dialogs.choose(screen.state, here[:6], (x, y))


if __name__ == "__main__":
    main()
