"""Takes docs/screenshots/game-end.png: Lake Khasan watched to the end, two heuristic players.

Run under a real display, e.g.::

    SDL_VIDEODRIVER=x11 xvfb-run -a -s "-screen 0 1920x1080x24" \\
        .venv/bin/python tools/game_end_screenshot.py docs/screenshots
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pygame

OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
SIZE = (1600, 900)
SEED = 7


def main() -> None:
    os.environ.setdefault("NOMONHAN_HOME", tempfile.mkdtemp())  # keep the autosave out of the user's home
    from nomonhan.scenario.load import load_scenario
    from nomonhan.ui.app import App
    from nomonhan.ui.computer_turn import AI_DELAYS
    from nomonhan.ui.dialog_screens import EndScreen
    from nomonhan.ui.session import Session, controllers_for

    app = App(SIZE)
    scenario = load_scenario("lake-khasan-1938")
    app.open_play(Session.new(scenario, SEED, controllers_for(scenario, "watch", "heuristic"), "lake-khasan-1938"))
    app.top.computer.speed = len(AI_DELAYS) - 1
    for _ in range(20_000):
        app.step_frame(dt=0.05)
        if isinstance(app.top, EndScreen):
            break
    else:
        raise SystemExit("the game did not end")
    for _ in range(3):
        app.step_frame()
    OUT.mkdir(parents=True, exist_ok=True)
    pygame.image.save(app.surface, str(OUT / "game-end.png"))


if __name__ == "__main__":
    main()
