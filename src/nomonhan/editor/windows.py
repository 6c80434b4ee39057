"""The editor's dialogs: a section of either file as YAML text, the reference underlay, GeoJSON
tracing and the map recipe, and help.

Each window owns its pygame_gui elements and turns their events into calls on the screen
(``owner``), which does the edits; closing a window with its title-bar button just drops it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UIDropDownMenu, UIHorizontalSlider, UILabel, UISelectionList, UITextBox, UITextEntryBox, UIWindow

from nomonhan import resources
from nomonhan.editor import dataedits as de
from nomonhan.editor import keys
from nomonhan.editor import mapedits as me
from nomonhan.editor import tree as yt
from nomonhan.editor.document import Draft
from nomonhan.editor.tools import TOOLS
from nomonhan.editor.widgets import FieldRows
from nomonhan.scenario import companions
from nomonhan.scenario.geomap import lat_lon_point, named_features, read_geojson

if TYPE_CHECKING:
    from nomonhan.editor.screen import EditorScreen

SCENARIO_SECTIONS = (
    "briefing",
    "notes",
    "sources",
    "period",
    "sides",
    "weather",
    "air",
    "supply",
    "victory",
    "sudden_death",
    "special_rules",
    "fortifications",
    "historical",
    "ai_hints",
    "unit_types",
    "objectives",
    "units",
    "map",
)
RULES_SECTIONS = (
    "unit_types",
    "terrain",
    "hexside_features",
    "roads",
    "movement_classes",
    "stacking_limit",
    "zoc",
    "spotting",
    "crt",
    "bombardment",
    "shifts",
    "overrun",
    "supply",
    "air",
    "night",
    "recovery",
    "notes",
)

SECTION_TEMPLATES = {
    "briefing": "briefing:\n  situation: >-\n    \n  aims:\n    SIDE_ID: >-\n      \n  victory: >-\n    \n"
    "  special_rules: >-\n    \n  history: >-\n    \n",
}
"""What a missing section's editor starts with: its fields to fill in (the briefing's, for players)."""


class Dialog:
    def __init__(self, owner: EditorScreen, rect: pygame.Rect, title: str) -> None:
        self.owner = owner
        self.manager = owner.app.manager
        self.window = UIWindow(rect, self.manager, window_display_title=title, resizable=False)
        self.width = rect.width - 32

    @property
    def alive(self) -> bool:
        return bool(self.window.alive())

    def kill(self) -> None:
        self.window.kill()

    def handle(self, event: pygame.event.Event) -> None:
        """A pygame_gui event (any element's; a dialog picks out its own)."""

    def label(self, rect: pygame.Rect, text: str) -> UILabel:
        return UILabel(rect, text, manager=self.manager, container=self.window, object_id=ObjectID("#left", None))

    def button(self, rect: pygame.Rect, text: str) -> UIButton:
        return UIButton(rect, text, manager=self.manager, container=self.window)


class SectionWindow(Dialog):
    """A whole section (``weather``, ``historical``, ``notes``, rules ``terrain``...) as YAML text.

    The text comes from the tree with its comments; Apply parses it back into the tree as one
    undoable edit, so whatever the forms do not cover can still be edited in the editor.
    """

    def __init__(self, owner: EditorScreen, section: str = "scenario:notes") -> None:
        w, h = owner.app.size
        super().__init__(owner, pygame.Rect(w // 2 - 420, 50, 840, min(760, h - 80)), "Scenario and rules data")
        options: list[str | tuple[str, str]] = [(f"scenario: {s}", f"scenario:{s}") for s in SCENARIO_SECTIONS]
        options += [(f"rules: {s}", f"rules:{s}") for s in RULES_SECTIONS]
        self.menu = UIDropDownMenu(
            options,
            next(o for o in options if o[1] == section),
            pygame.Rect(0, 4, 320, 30),
            manager=self.manager,
            container=self.window,
            expansion_height_limit=500,
        )
        self.apply_button = self.button(pygame.Rect(330, 4, 110, 30), "Apply")
        self.reload_button = self.button(pygame.Rect(446, 4, 110, 30), "Reload")
        height = self.window.get_container().get_rect().height
        self.box = UITextEntryBox(pygame.Rect(0, 40, self.width, height - 80), "", manager=self.manager, container=self.window)
        self.note = self.label(pygame.Rect(0, height - 36, self.width, 30), "")
        self.section = section
        self.load()

    @property
    def target(self) -> tuple[str, tuple[str, ...]]:
        document, key = self.section.split(":")
        return document, (key,)

    def load(self) -> None:
        document, path = self.target
        source = self.owner.draft.scenario if document == "scenario" else self.owner.draft.rules
        present = source is not None and yt.get(source.tree, path) is not None
        self.box.set_text(
            yt.fragment(source.tree, path) if present and source is not None else SECTION_TEMPLATES.get(path[-1], f"{path[-1]}:\n")
        )
        self.note.set_text(
            "Edit the YAML and press Apply (undoable). An empty text removes the section."
            + ("  Rules data are shared by every scenario that names them." if document == "rules" else "")
        )

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.menu:
            self.section = event.selected_option_id
            self.load()
        elif event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.reload_button:
            self.load()
        elif event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.apply_button:
            document, path = self.target
            text = self.box.get_text()
            ok = self.owner.attempt(
                lambda: de.set_section(self.owner.draft, path, "" if text.strip() == f"{path[-1]}:" else text, document)
            )
            self.note.set_text("Applied." if ok else self.owner.editing.message)


class UnderlayWindow(Dialog):
    """Load a reference image, set its opacity, fit it or place it by latitude and longitude."""

    def __init__(self, owner: EditorScreen) -> None:
        w, _h = owner.app.size
        super().__init__(owner, pygame.Rect(w - 540, 44, 520, 340), "Reference underlay")
        current = owner.underlay
        self.rows = FieldRows(
            self.manager,
            self.window,
            0,
            4,
            self.width,
            [
                ("path", "Image file", None, str(current.path) if current else ""),
                ("north", "North edge lat", None, ""),
                ("west", "West edge lon", None, ""),
                ("south", "South edge lat", None, ""),
                ("east", "East edge lon", None, ""),
            ],
            label_width=140,
        )
        y = self.rows.bottom + 4
        self.label(pygame.Rect(0, y, 140, 30), "Opacity")
        self.slider = UIHorizontalSlider(
            pygame.Rect(144, y, self.width - 144, 30),
            current.opacity if current else 0.6,
            (0.0, 1.0),
            manager=self.manager,
            container=self.window,
        )
        y += 38
        third = (self.width - 8) // 3
        self.load_button = self.button(pygame.Rect(0, y, third, 30), "Load image")
        self.fit_button = self.button(pygame.Rect(third + 4, y, third, 30), "Fit to map")
        self.place_button = self.button(pygame.Rect(2 * third + 8, y, third, 30), "Place by lat/lon")
        y += 36
        self.show_button = self.button(pygame.Rect(0, y, third, 30), "Show / hide")
        self.note = self.label(pygame.Rect(0, y + 36, self.width, 30), "")

    def handle(self, event: pygame.event.Event) -> None:
        self.rows.handle(event)
        owner = self.owner
        if event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED and event.ui_element is self.slider and owner.underlay:
            owner.underlay.opacity = float(self.slider.get_current_value())
        if event.type != pygame_gui.UI_BUTTON_PRESSED:
            return
        if event.ui_element is self.load_button:
            self.note.set_text(owner.load_underlay(self.rows.values["path"].strip()))
        elif owner.underlay is None:
            self.note.set_text("Load an image first")
        elif event.ui_element is self.fit_button:
            owner.underlay.fit(owner.camera.extent)
        elif event.ui_element is self.show_button:
            owner.underlay.visible = not owner.underlay.visible
        elif event.ui_element is self.place_button:
            try:
                bounds = [float(self.rows.values[k]) for k in ("north", "west", "south", "east")]
                owner.underlay.place_by_bounds(me.geogrid(owner.draft), *bounds)
                self.note.set_text("Placed by its corners' coordinates")
            except ValueError as exc:
                self.note.set_text(f"Cannot place it: {exc}")


class GeoWindow(Dialog):
    """Trace rivers, borders, roads and places from a GeoJSON file; redraw the map from its recipe."""

    def __init__(self, owner: EditorScreen) -> None:
        w, h = owner.app.size
        super().__init__(owner, pygame.Rect(w // 2 - 300, 60, 600, min(640, h - 80)), "Geography (GeoJSON and the map recipe)")
        default = recipe_geojson(owner.draft) or resources.scenarios_dir() / "geo" / "geography.geojson"
        self.rows = FieldRows(self.manager, self.window, 0, 4, self.width, [("path", "GeoJSON file", None, str(default))], label_width=120)
        self.load_button = self.button(pygame.Rect(0, self.rows.bottom, 180, 30), "Read features")
        self.rebuild_button = self.button(pygame.Rect(190, self.rows.bottom, self.width - 190, 30), "Redraw the map from map.build")
        top = self.rows.bottom + 38
        height = self.window.get_container().get_rect().height
        self.features = UISelectionList(
            pygame.Rect(0, top, self.width, height - top - 200), [], manager=self.manager, container=self.window
        )
        targets = [(f"hexside: {f[0]}", f"hexside:{f[1]}") for f in _features(owner)] + [
            ("border", "border:"),
            ("place (points)", "place:"),
        ]
        targets += [(f"road: {k[0]}", f"road:{k[1]}") for k in _roads(owner)]
        self.target = FieldRows(
            self.manager,
            self.window,
            0,
            height - 192,
            self.width,
            [
                ("as", "Trace as", targets, targets[0][1] if targets else ""),
                ("id", "Border id", None, "claim"),
                ("name", "Name on the map", None, ""),
            ],
            label_width=120,
        )
        self.trace_button = self.button(pygame.Rect(0, self.target.bottom, 180, 30), "Trace")
        self.note = self.label(pygame.Rect(0, self.target.bottom + 34, self.width, 30), "The map needs map.georeference to trace.")
        self.geojson: dict[str, Any] | None = None
        self.path: Path | None = None  # the file read, resolved
        self.kinds: dict[str, str] = {}

    def handle(self, event: pygame.event.Event) -> None:
        self.rows.handle(event)
        self.target.handle(event)
        if event.type == pygame_gui.UI_SELECTION_LIST_NEW_SELECTION and event.ui_element is self.features:
            chosen = self.features.get_single_selection()
            if chosen and not self.target.values["name"]:
                self.target.values["name"] = chosen
        if event.type != pygame_gui.UI_BUTTON_PRESSED:
            return
        if event.ui_element is self.load_button:
            self.read(Path(self.rows.values["path"].strip()))
        elif event.ui_element is self.rebuild_button:
            if self.owner.attempt(lambda: me.rebuild_map(self.owner.draft)):
                self.note.set_text("Map redrawn from its recipe (undoable)")
        elif event.ui_element is self.trace_button:
            self.trace()

    def read(self, path: Path) -> None:
        try:
            geojson = read_geojson(path)
            found = me.geojson_features(geojson)
        except ValueError as exc:
            self.note.set_text(str(exc))
            return
        self.geojson, self.path = geojson, path.resolve()
        self.kinds = dict(found)
        self.features.set_item_list([name for name, _kind in found])
        self.note.set_text(f"{len(found)} named features")

    def trace(self) -> None:
        chosen = self.features.get_single_selection()
        if self.geojson is None or not chosen or not isinstance(chosen, str):
            self.note.set_text("Read a GeoJSON file and choose a feature first")
            return
        kind, target = self.target.values["as"].split(":")
        name = self.target.values["name"] or chosen
        if kind == "place":
            try:
                point = _point(self.geojson, chosen)
            except ValueError as exc:
                self.note.set_text(str(exc))
                return
            work: Callable[[], Any] | None = (lambda: me.add_place(self.owner.draft, name, None, point[0], point[1])) if point else None
        else:
            target = self.target.values["id"] if kind == "border" else target
            recorded = self.recipe_file() == self.path
            work = lambda: me.trace_geojson(self.owner.draft, self.geojson or {}, chosen, kind, target, name, in_recipe=recorded)  # noqa: E731
        if work is None:
            self.note.set_text(f"{chosen} is not a Point")
        elif self.owner.attempt(work):
            if kind == "place":
                self.note.set_text(f"Placed {chosen} (undoable)")
            elif recorded:
                self.note.set_text(f"Traced {chosen} and added it to map.build (undoable)")
            else:
                self.note.set_text(f"Traced {chosen} (undoable); not in map.build (no recipe, or another file): a redraw drops it")

    def recipe_file(self) -> Path | None:
        """The GeoJSON file of the scenario's ``map.build`` recipe, if it has one."""
        found = recipe_geojson(self.owner.draft)
        return found.resolve() if found else None


def recipe_geojson(draft: Draft) -> Path | None:
    """The file the draft's ``map.build.geojson`` names, found as ``nomonhan map`` finds it
    (beside the draft, else bundled); None without a recipe or when it cannot be found."""
    build = yt.get(draft.data(), ("map", "build", "geojson"))
    try:
        return companions.companion(draft.path, str(build), "GeoJSON file") if build else None
    except companions.CompanionError:
        return None


def _features(owner: EditorScreen) -> list[tuple[str, str]]:
    return [(str(f.get("name")), str(f.get("id"))) for f in owner.draft.rules_data().get("hexside_features") or []]


def _roads(owner: EditorScreen) -> list[tuple[str, str]]:
    return [(str(r.get("name")), str(r.get("id"))) for r in owner.draft.rules_data().get("roads") or []]


def _point(geojson: dict[str, Any], name: str) -> tuple[float, float] | None:
    for found, kind, coordinates in named_features(geojson):
        if found == name and kind == "Point":
            return lat_lon_point(coordinates, name)
    return None


class HelpWindow(Dialog):
    def __init__(self, owner: EditorScreen) -> None:
        w, h = owner.app.size
        super().__init__(owner, pygame.Rect(w // 2 - 380, 60, 760, min(700, h - 80)), "Editor help")
        lines = ["<b>Tools</b>"] + [f"{keys.TOOL_KEY_NAMES[n]}: {tool.label} - {tool.hint}" for n, tool in enumerate(TOOLS)]
        lines += ["", "<b>Keys</b>"] + [text for _c, _k, text in keys.KEYS] + ["", "<b>Mouse</b>"] + list(keys.MOUSE)
        height = self.window.get_container().get_rect().height
        UITextBox("<br>".join(lines), pygame.Rect(0, 0, self.width + 16, height), manager=self.manager, container=self.window)
