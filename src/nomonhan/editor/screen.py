"""The editor window's one screen: the map with the draft drawn on it, the tools, the panels.

It hosts in :class:`nomonhan.ui.app.App` like the game's screens, so it is stepped frame by
frame with synthetic events in tests.  What the mouse and keys do on the map is in
:mod:`~nomonhan.editor.gestures`, what a command does in :mod:`~nomonhan.editor.commands`, the
windows over the map in :mod:`~nomonhan.editor.dialogs`; this module keeps the draft's views in
step.  Everything that changes the scenario goes through :meth:`EditorScreen.attempt`, which turns
the project's errors into a message instead of a crash; after any change the picture, the panels
and the check are renewed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame
from pygame_gui.elements import UITextEntryBox, UITextEntryLine

from nomonhan.editor import forms, overlay
from nomonhan.editor.checking import Checker
from nomonhan.editor.commands import EditorCommands
from nomonhan.editor.dialogs import EditorDialogs
from nomonhan.editor.document import Draft
from nomonhan.editor.gestures import EditorGestures
from nomonhan.editor.preview import MapPicture, map_picture, rules_model, unit_types
from nomonhan.editor.sidebar import Areas, EditorPanels
from nomonhan.editor.tools import TOOLS, Editing, UnderlayTool
from nomonhan.editor.underlay import Underlay
from nomonhan.hexgrid import Hex, format_hex, parse_hex
from nomonhan.scenario.errors import Problem, ScenarioError
from nomonhan.ui import style
from nomonhan.ui.camera import Camera, MapExtent
from nomonhan.ui.minimap import Dots, Minimap
from nomonhan.ui.panels import RootPanel, draw_status
from nomonhan.ui.render_map import MapRenderer, Shading
from nomonhan.ui.screen import Screen

if TYPE_CHECKING:
    from nomonhan.ui.app import App


class EditorScreen(Screen):
    def __init__(self, app: App, draft: Draft, background_checks: bool = True, frame_budget: float | None = 0.006) -> None:
        super().__init__(app)
        self.draft = draft
        self.editing = Editing(draft)
        self.tools = [cls() for cls in TOOLS]
        self.tool_index = 0
        self.checker = Checker(background_checks)
        self.frame_budget = frame_budget
        self.problems: list[Problem] = []
        self.underlay: Underlay | None = None
        self.picture: MapPicture | None = None
        self.renderer: MapRenderer | None = None
        self.minimap: Minimap | None = None
        self._dots: tuple[int, Dots] = (-1, ())
        self.camera = Camera(MapExtent(1, 1), tuple(Areas(app.size).map))  # type: ignore[arg-type]
        self.library: dict[str, Any] = {}
        self.terrain_colours: dict[str, str] = {}
        self.panels: EditorPanels | None = None
        self.problem_hex: Hex | None = None
        self._map_key: Any = None
        self._seen = -1
        self.gestures = EditorGestures(self)
        self.commands = EditorCommands(self)
        self.dialogs = EditorDialogs(self)
        self.refresh()
        self._restore_underlay()

    @property
    def tool(self) -> Any:
        return self.tools[self.tool_index]

    # ------------------------------------------------------------ the screen protocol
    def enter(self) -> None:
        self.panels = EditorPanels(self.app.manager, self.app.size, self.tools)
        self.camera.set_viewport(tuple(Areas(self.app.size).map))  # type: ignore[arg-type]
        if self.minimap is not None:
            self.minimap.place(Areas(self.app.size).minimap)
        self.update_panels(force=True)

    def leave(self) -> None:
        if self.panels is not None:
            self.panels.kill()
            self.panels = None
        self.dialogs.kill()

    def close(self) -> None:
        self.checker.close()

    def covered_panel(self) -> RootPanel | None:
        return self.panels

    # ------------------------------------------------------------ keeping views in step with the draft
    def refresh(self) -> None:
        """Renew the picture (if the map changed), the unit library, the check and the panels."""
        draft = self.draft
        data = draft.data()
        rules = rules_model(draft.rules_data()) or (self.picture.rules if self.picture else None)
        if rules is not None:
            key = (
                repr({k: v for k, v in (data.get("map") or {}).items() if k != "build"}),
                repr(rules.terrain),
                repr(rules.hexside_features),
            )
            if key != self._map_key:
                picture = map_picture(data.get("map"), rules)
                if picture is not None:
                    self._map_key = key
                    self._set_picture(picture)
            self.terrain_colours = {t.code: t.colour for t in rules.terrain}
        self.library = unit_types(data, rules)
        self._seen = draft.revision
        self.checker.submit(draft)
        self.update_panels()

    def _set_picture(self, picture: MapPicture) -> None:
        extent = MapExtent(picture.board.columns, picture.board.rows)
        if self.picture is None or extent != self.camera.extent:
            old = self.camera
            self.camera = Camera(extent, old.viewport)
            if self.picture is not None:
                self.camera.zoom = old.zoom
                self.camera.look_at_map_units(old.center)
        self.picture = picture
        self.renderer = MapRenderer(picture, frame_budget=self.frame_budget)  # type: ignore[arg-type]
        self.minimap = Minimap(self.renderer)
        self.minimap.place(Areas(self.app.size).minimap)

    def update_panels(self, force: bool = False) -> None:
        """Show the tool, the form of the selection (unless the author is typing in it), the problems and the status."""
        if self.panels is None:
            return
        self.panels.show_tool(self.tool, self.tool_index, self.draft)
        selection = self.editing.selection
        if selection is not None and overlay.selected_hex(self.draft.data(), selection) is None:
            selection = self.editing.selection = None
        form = forms.form_for(self.draft, selection)
        if force or not self._typing():
            self.panels.show_form(form, forms.values(self.draft, form), self.draft, force)
        self.panels.problems.show(self.problems, self.checker.busy)
        dirty = " *" if self.draft.dirty else ""
        self.panels.set_status(f"{self.draft.path.name}{dirty}   {self.editing.message}")

    def _typing(self) -> bool:
        return any(isinstance(e, (UITextEntryLine, UITextEntryBox)) for e in self.app.manager.get_focus_set() or ())

    def attempt(self, work: Callable[[], Any]) -> bool:
        """Run an edit; a problem with the input becomes the status message.  True if it worked."""
        try:
            work()
        except ScenarioError as exc:
            self.editing.say(f"Cannot do that: {exc.problems[0].message}")
            return False
        except (ValueError, KeyError, OSError) as exc:
            self.editing.say(f"Cannot do that: {exc}")
            return False
        finally:
            if self.draft.revision != self._seen:
                self.refresh()
            else:
                self.update_panels()
        return True

    # ------------------------------------------------------------ events
    def handle_event(self, event: pygame.event.Event, consumed: bool) -> None:
        if self.dialogs.handle(event):
            return
        intent = self.panels.handle(event) if self.panels else None
        if intent is not None:
            self._intent(intent)
            return
        if event.type == pygame.KEYDOWN and not self._typing():
            self.gestures.key_down(event)
        elif event.type == pygame.KEYUP:
            self.gestures.key_up(event)
        elif event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION, pygame.MOUSEWHEEL):
            self.gestures.mouse_event(event, consumed)

    def _intent(self, intent: tuple[Any, ...]) -> None:
        kind = intent[0]
        if kind == "command":
            self.run(intent[1])
        elif kind == "tool":
            self.choose_tool(intent[1])
        elif kind == "option":
            self.tool.choose(intent[1], intent[2])
        elif kind == "apply_form":
            self.apply_form()
        elif kind == "problem":
            self.show_problem(intent[1])

    # ------------------------------------------------------------ commands
    def run(self, command: str) -> None:
        """A command from the bar, a key or a button (names as in :data:`keys.KEYS` and the bar)."""
        self.commands.run(command)

    def save(self, path: str | Path | None = None, overwrite: bool = False) -> None:
        self.commands.save(path, overwrite)

    def intercept_quit(self, event: pygame.event.Event) -> bool:
        return self.commands.intercept_quit(event)

    def choose_tool(self, index: int) -> None:
        self.tool_index = index
        self.update_panels()

    def apply_form(self) -> None:
        if self.panels is None or self.panels.form is None:
            return
        form, texts = self.panels.form, self.panels.form_texts()
        self.attempt(lambda: forms.apply(self.draft, form, texts))
        self.update_panels(force=True)

    def show_problem(self, problem: Problem) -> None:
        """Centre the map on the hex or unit a problem concerns (and select that unit)."""
        hex_ = problem.hex
        if problem.unit is not None:
            self.editing.selection = ("unit", problem.unit)
            hex_ = hex_ or overlay.selected_hex(self.draft.data(), self.editing.selection)
        self.problem_hex = hex_
        if hex_ is not None:
            self.camera.center_on(hex_)
        self.editing.say(problem.message)
        self.update_panels()

    def keep_underlay(self) -> None:
        """Write the underlay's placement beside the scenario (see :mod:`nomonhan.editor.underlay`);
        not beside a scenario never saved, which would leave a stray file."""
        if self.underlay is None or not self.draft.path.exists():
            return
        try:
            self.underlay.save_beside(self.draft.path)
        except OSError as exc:
            self.editing.say(f"Underlay placement not kept: {exc}")

    def _restore_underlay(self) -> None:
        try:
            self.underlay = Underlay.restore(self.draft.path)
        except ValueError as exc:
            self.underlay = None
            self.editing.say(str(exc))

    def load(self, draft: Draft) -> None:
        self.keep_underlay()
        self.draft = draft
        self.editing = Editing(draft)
        self.picture, self._map_key, self.problems = None, None, []
        self.refresh()
        self.editing.say(f"opened {draft.path}")
        self._restore_underlay()
        self.update_panels(force=True)

    def load_underlay(self, path: str) -> str:
        try:
            self.underlay = Underlay.load(path, self.camera.extent)
        except ValueError as exc:
            return str(exc)
        self.choose_tool(next(n for n, t in enumerate(self.tools) if isinstance(t, UnderlayTool)))
        return f"Loaded {Path(path).name}: drag it with the Underlay tool, wheel to scale"

    # ------------------------------------------------------------ time and drawing
    def update(self, dt: float) -> None:
        result = self.checker.poll()
        if result is not None:
            self.problems = result[1]
            self.update_panels()
        elif self.panels is not None and self.checker.busy != ("(checking" in self.panels.problems.title.text):
            self.panels.problems.show(self.problems, self.checker.busy)
        self.gestures.update(dt)

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(style.BACKGROUND)
        if self.renderer is None or self.picture is None:
            return
        self.renderer.draw(surface, self.camera, Shading())
        if self.underlay is not None and self.underlay.visible:
            self.underlay.draw(surface, self.camera)
            overlay.draw_grid(surface, self.camera, self.picture)
        preview = self.tool.preview(self.editing, self.gestures.hover)
        overlay.draw(
            surface,
            self.camera,
            self.draft.data(),
            self.library,
            self.picture,
            self.editing.selection,
            preview,
            self.terrain_colours,
            self.problem_hex,
        )
        if self.minimap is not None:
            self.minimap.draw(surface, self.camera, self._unit_dots())
        draw_status(surface, Areas(self.app.size).status, self.hover_text())

    def hover_text(self) -> str:
        """The hex under the pointer: its terrain, edge features and what stands there."""
        hover = self.gestures.hover
        if hover is None or self.picture is None or hover.hex not in self.picture.board.index:
            return self.editing.message
        board = self.picture.board
        hex_ = hover.hex
        parts = [f"hex {format_hex(hex_)}: {board.terrain_at(hex_).name}"]
        features = board.features.get(hover.side)
        if features:
            parts.append(f"edge {'/'.join(features)}")
        data = self.draft.data()
        names = [str(u.get("name")) for u in data.get("units") or [] if _where(u) == hex_]
        if names:
            parts.append("units: " + ", ".join(names))
        return "   ".join(parts)

    def _unit_dots(self) -> Dots:
        """A minimap dot for each unit placed on the map at the start, in its side's colour."""
        if self._dots[0] != self.draft.revision:
            data = self.draft.data()
            colours = {}
            for side in data.get("sides") or []:
                try:
                    colours[side.get("id")] = style.parse_colour(str(side.get("colour")))
                except (ValueError, AttributeError):
                    continue
            dots = tuple(
                (hex_, colours.get(unit.get("side"), style.NEUTRAL))
                for unit in data.get("units") or []
                if "hex" in unit and (hex_ := _where(unit)) is not None
            )
            self._dots = (self.draft.revision, dots)
        return self._dots[1]


def _where(unit: dict[str, Any]) -> Hex | None:
    text = unit.get("hex") if "hex" in unit else (unit.get("arrive") or {}).get("hex")
    try:
        return parse_hex(str(text))
    except ValueError:
        return None
