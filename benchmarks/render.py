"""Front-end frame times at 1920x1080 while scrolling and zooming (SDL dummy video driver).

Run:  .venv/bin/python benchmarks/render.py [--frames N] [--scenario NAME] [--run scroll|zoom|overlays]

Each bundled scenario, the test crossing and a large synthetic map are opened in the real app
(a unit selected, so reach and costs are drawn).  Two runs each: *scroll* drags the map back
and forth with mouse events every frame; *zoom* does the same and turns the wheel every half
second (30 frames), through zoom levels 2..8; *overlays* scrolls with the supply, threat and
gun-range overlays switched on (``p``, ``r``, ``g``) as well as zones of control and fog.  A frame is one ``App.step_frame``: events,
update, map, overlays, counters, minimap, pygame_gui panels and the display flip.  Tiles are
painted within a per-frame budget, so a zoom shows a scaled overview for a few frames instead
of stalling.  Figures, not assertions.  Aim: median under 8 ms.  The best frame is printed too,
and the median of the CPU time each frame took (``time.process_time``): on a busy machine the
wall-clock figures include waiting for a core, the CPU time does not.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("NOMONHAN_HOME", str(Path("/tmp") / "nomonhan-bench-home"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pygame  # noqa: E402
from synthetic import synthetic_scenario  # noqa: E402

from nomonhan.resources import bundled_scenario_paths  # noqa: E402
from nomonhan.scenario.load import Scenario, load_scenario  # noqa: E402
from nomonhan.ui.app import App  # noqa: E402
from nomonhan.ui.play_screen import PlayScreen  # noqa: E402
from nomonhan.ui.session import Session, controllers_for  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1920, 1080)
ZOOM_EVERY = 30
DRAG_SPEED = 24


def scenarios() -> list[tuple[str, Callable[[], Scenario]]]:
    """Each scenario by name, loaded only when its runs come (so ``--scenario`` loads one)."""
    found: list[tuple[str, Callable[[], Scenario]]] = [(path.stem, partial(load_scenario, path)) for path in bundled_scenario_paths()]
    found.append(("crossing (test)", partial(load_scenario, ROOT / "tests" / "data" / "crossing.yaml")))
    found.append(("synthetic 80x80", partial(synthetic_scenario, 80, 80, (50, 50), seed=3)))  # the largest map the schema allows
    return found


LAYERS = ("supply", "reach", "guns")


def measure(app: App, scenario: Scenario, frames: int, zoom: bool, layers: tuple[str, ...] = ()) -> tuple[list[float], list[float]]:
    side = scenario.side_ids[0]
    app.open_play(Session.new(scenario, 1, controllers_for(scenario, side, "random")))
    screen = app.top
    assert isinstance(screen, PlayScreen)
    ready = screen.orders().units_with_orders()
    screen.layers = set(layers)
    if ready:
        screen.select(ready[0])
        screen.center_on_selection()
    viewport = screen.widget.viewport
    x, y = viewport.center
    app.step_frame([pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, y), button=1)])
    times, cpu = [], []
    dx, dy, zoom_step = DRAG_SPEED, DRAG_SPEED // 2, 1
    for frame in range(frames):
        events = []
        if zoom and frame % ZOOM_EVERY == ZOOM_EVERY - 1:
            camera = screen.widget.camera
            if not 2 <= camera.zoom + zoom_step <= 8:
                zoom_step = -zoom_step
            events.append(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=zoom_step, flipped=False, precise_x=0.0, precise_y=float(zoom_step)))
        if not viewport.inflate(-200, -200).collidepoint(x + dx, y + dy):
            dx, dy = -dx, -dy
        x, y = x + dx, y + dy
        events.append(pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), rel=(dx, dy), buttons=(1, 0, 0)))
        start, start_cpu = time.perf_counter(), time.process_time()
        app.step_frame(events, dt=1 / 60)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    app.step_frame([pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(x, y), button=1)])
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=600, help="frames per run")
    parser.add_argument("--scenario", action="append", help="only these scenarios (by name; repeatable)")
    parser.add_argument("--run", action="append", choices=["scroll", "zoom", "overlays"], help="only these runs (repeatable)")
    args = parser.parse_args()
    app = App(SIZE)
    print(f"Frame times at {SIZE[0]}x{SIZE[1]}, {args.frames} frames per run")
    print(
        f"{'scenario':<22} {'hexes':>6} {'units':>6} {'run':>8} {'best ms':>8} {'median ms':>10} {'p95 ms':>8} {'worst ms':>9} {'CPU median ms':>14}"
    )
    for name, load in scenarios():
        if args.scenario and name not in args.scenario:
            continue
        scenario = load()
        for run, zoom, layers in (("scroll", False, ()), ("zoom", True, ()), ("overlays", False, LAYERS)):
            if args.run and run not in args.run:
                continue
            wall, cpu = measure(app, scenario, args.frames, zoom, layers)
            times = sorted(wall)
            median = statistics.median(times) * 1000
            p95 = times[int(len(times) * 0.95)] * 1000
            print(
                f"{name:<22} {len(scenario.board.hexes):>6} {len(scenario.model.units):>6} {run:>8} "
                f"{times[0] * 1000:>8.2f} {median:>10.2f} {p95:>8.2f} {times[-1] * 1000:>9.1f} {statistics.median(cpu) * 1000:>14.2f}"
            )


if __name__ == "__main__":
    main()
