"""Takes the screenshots of the real editor for docs/editor.md.

Run under a real display, e.g.::

    SDL_VIDEODRIVER=x11 xvfb-run -a -s "-screen 0 1920x1080x24" \
        .venv/bin/python tools/editor_screenshots.py docs/screenshots
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import pygame

from nomonhan import resources
from nomonhan.editor import dataedits as de
from nomonhan.editor import mapedits as me
from nomonhan.editor.app import open_draft, open_editor
from nomonhan.editor.document import Draft
from nomonhan.hexgrid import Direction, Hexside, parse_hex
from nomonhan.scenario.geomap import GeoGrid
from nomonhan.ui.app import App

OUT = sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"

SIZE = (1600, 900)


def _shot(app: App, name: str, frames: int = 3) -> None:
    for _ in range(frames):
        app.step_frame()
    target = Path(OUT) / f"editor-{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(app.surface, str(target))


def _reference_image(path: Path, grid: GeoGrid, bounds: tuple[float, float, float, float]) -> None:
    """A stand-in for a scanned map: the GeoJSON's rivers, claims and places on paper."""
    north, west, south, east = bounds
    width, height = 900, 760
    image = pygame.Surface((width, height))
    image.fill((236, 226, 196))
    geojson = json.loads((resources.scenarios_dir() / "geo" / "geography.geojson").read_text(encoding="utf-8"))

    def px(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) / (east - west) * width, (north - lat) / (north - south) * height

    font = pygame.font.Font(None, 22)
    for feature in geojson["features"]:
        geometry, name = feature["geometry"], feature["properties"]["name"]
        if geometry["type"] == "LineString":
            colour = (40, 90, 200) if "river" in name.lower() or "Holsten" in name else (150, 40, 150)
            pygame.draw.lines(image, colour, False, [px(*p) for p in geometry["coordinates"]], 4)
        elif geometry["type"] == "Point":
            x, y = px(*geometry["coordinates"][:2])
            pygame.draw.circle(image, (20, 20, 20), (x, y), 5)
            image.blit(font.render(name, True, (20, 20, 20)), (x + 7, y - 8))
    pygame.image.save(image, str(path))


def take_screenshots(tmp_path: Path) -> None:
    app = App(SIZE)
    # 1. A bundled scenario, a unit selected in the inspector.
    screen = open_editor(app, open_draft("khalkhin-gol-1939"), background_checks=False, frame_budget=None)
    screen.camera.zoom = 6
    screen.camera.center_on(parse_hex("18,20"))
    screen.editing.selection = ("unit", "jp-72")
    screen.refresh()
    _shot(app, "overview")

    # 2. A new map: terrain painted, a river with a bridge, a road, a place, units; the brush under the pointer.
    draft = Draft.new(tmp_path / "new-map.yaml", 24, 16, 1.0, datetime(1939, 8, 20, 6), 8, 12)
    screen = open_editor(app, draft, background_checks=False, frame_budget=None)
    hexes = [parse_hex(t) for t in ("6,5", "7,5", "7,6", "8,5", "8,6", "9,6", "16,10", "16,11", "17,10")]
    me.paint(draft, hexes, "h")
    me.paint(draft, [parse_hex(t) for t in ("12,3", "12,4", "13,3", "13,4", "14,4")], "s")
    me.paint(draft, [parse_hex(t) for t in ("3,12", "4,12", "4,13")], "m")
    sides = [
        Hexside.of(parse_hex(f"10,{r}"), d) for r in range(0, 16) for d in (Direction.NE, Direction.SE)
    ]  # edges off the map are skipped
    me.add_hexsides(draft, "river", "Halha", sides)
    me.toggle_bridge(draft, Hexside.of(parse_hex("10,8"), Direction.SE))
    me.draw_road(draft, "track", "Track to the bridge", [parse_hex("2,8"), parse_hex("10,8"), parse_hex("11,9"), parse_hex("20,9")])
    me.add_place(draft, "Kawamata", parse_hex("11,9"))
    de.place_unit(draft, "tank_bn", "soviet", parse_hex("6,9"), name="11th Tank Bde")
    de.set_objective(draft, parse_hex("16,10"), "Hill 733", 8, "japanese")
    screen.refresh()
    screen.choose_tool(1)
    screen.tool.options.update(code="s", brush="3")
    screen.camera.zoom = 7
    screen.camera.center_on(parse_hex("12,8"))
    pos = [round(v) for v in screen.camera.hex_center(parse_hex("14,6"))]
    app.step_frame([pygame.event.Event(pygame.MOUSEMOTION, pos=tuple(pos), rel=(0, 0), buttons=(0, 0, 0))])
    screen.update_panels(force=True)
    _shot(app, "terrain")

    # 3. Problems: a unit off the map and a unit type nobody wrote, the first one clicked.
    draft.replace_text(
        "mistakes",
        draft.text.replace("hex: 6,9", "hex: 30,9").replace("type: rifle_bn\n    side: japanese", "type: ski_bn\n    side: japanese"),
    )
    screen.refresh()
    app.step_frame()
    screen.show_problem(screen.problems[0])
    _shot(app, "problems")

    # 4. A reference underlay placed by latitude and longitude, half transparent, traced over.
    kg = open_draft("khalkhin-gol-1939")
    screen = open_editor(app, kg, background_checks=False, frame_budget=None)
    bounds = (47.93, 118.42, 47.58, 119.02)
    image = tmp_path / "reference.png"
    grid = me.geogrid(kg)
    _reference_image(image, grid, bounds)
    screen.load_underlay(str(image))
    screen.underlay.place_by_bounds(grid, *bounds)
    screen.underlay.opacity = 0.55
    screen.camera.zoom = 5
    screen.camera.center_on(parse_hex("22,18"))
    screen.run("underlay")
    window = screen.dialogs.window
    for key, value in zip(("north", "west", "south", "east"), bounds):
        window.rows.values[key] = str(value)
        next(e for e, k in window.rows.entries.items() if k == key).set_text(str(value))
    _shot(app, "underlay")
    window.kill()

    # 5. The data window: a whole section as YAML, comments and all.
    from nomonhan.editor.windows import SectionWindow

    screen.dialogs.window = window = SectionWindow(screen, "scenario:historical")
    _shot(app, "data")
    window.kill()

    # 6. Geography: the features of the project's GeoJSON, ready to trace.
    screen.run("geography")
    window = screen.dialogs.window
    window.read(resources.scenarios_dir() / "geo" / "geography.geojson")
    _shot(app, "geography")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        take_screenshots(Path(folder))
