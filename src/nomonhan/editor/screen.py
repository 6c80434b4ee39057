"""The editor window's one screen: the map with the draft drawn on it, the tools, the panels.

It hosts in :class:`nomonhan.ui.app.App` like the game's screens, so it is stepped frame by
frame with synthetic events in tests.  Gestures on the map go to the current tool; everything
that changes the scenario goes through :meth:`attempt`, which turns the project's errors into a
message instead of a crash; after any change the picture, the panels and the check are renewed.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui
from pygame_gui.elements import UITextEntryBox, UITextEntryLine
from pygame_gui.windows import UIConfirmationDialog, UIFileDialog

from nomonhan.editor import forms, keys, overlay
from nomonhan.editor.checking import Checker, check_draft
from nomonhan.editor.document import ChangedOnDisk, Draft
from nomonhan.editor.picking import nearest_hexside
from nomonhan.editor.playtest import play_test
from nomonhan.editor.preview import MapPicture, map_picture, rules_model, unit_types
from nomonhan.editor.sidebar import Areas, EditorPanels
from nomonhan.editor.tools import TOOLS, Editing, Pointer, TerrainTool, UnderlayTool, remove_thing
from nomonhan.editor.underlay import Underlay
from nomonhan.editor.windows import Dialog, GeoWindow, HelpWindow, SectionWindow, UnderlayWindow
from nomonhan.hexgrid import Hex, format_hex, parse_hex
from nomonhan.scenario.errors import Problem, ScenarioError
from nomonhan.ui import style
from nomonhan.ui.camera import Camera, MapExtent
from nomonhan.ui.input import SCROLL_KEYS
from nomonhan.ui.minimap import Dots, Minimap
from nomonhan.ui.panels import draw_status
from nomonhan.ui.render_map import MapRenderer, Shading
from nomonhan.ui.screen import Screen
from nomonhan.ui.wording import plural

if TYPE_CHECKING:
    from nomonhan.ui.app import App

DRAG_THRESHOLD = 5
KEY_SCROLL_SPEED = 900.0


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
        self._minimap_drag = False
        self._dots: tuple[int, Dots] = (-1, ())
        self.camera = Camera(MapExtent(1, 1), tuple(Areas(app.size).map))  # type: ignore[arg-type]
        self.library: dict[str, Any] = {}
        self.terrain_colours: dict[str, str] = {}
        self.panels: EditorPanels | None = None
        self.dialog: Dialog | None = None
        self.file_dialog: tuple[UIFileDialog, str] | None = None
        self.overwrite_dialog: tuple[UIConfirmationDialog, str | Path | None] | None = None
        self.problem_hex: Hex | None = None
        self.hover: Pointer | None = None
        self.mouse = (0, 0)
        self._held_button: int | None = None
        self._press_pos = (0, 0)
        self._panning = False
        self._keys: set[int] = set()
        self._map_key: Any = None
        self._seen = -1
        self._discard_armed = ""
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
        self._update_panels(force=True)

    def leave(self) -> None:
        if self.panels is not None:
            self.panels.kill()
            self.panels = None
        for window in (
            self.dialog,
            self.file_dialog[0] if self.file_dialog else None,
            self.overwrite_dialog[0] if self.overwrite_dialog else None,
        ):
            if window is not None:
                window.kill()
        self.dialog = self.file_dialog = self.overwrite_dialog = None

    def close(self) -> None:
        self.checker.close()

    def cover(self) -> None:
        if self.panels:
            self.panels.hide()

    def uncover(self) -> None:
        if self.panels:
            self.panels.show()

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
        self._update_panels()

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

    def _update_panels(self, force: bool = False) -> None:
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
                self._update_panels()
        return True

    # ------------------------------------------------------------ events
    def handle_event(self, event: pygame.event.Event, consumed: bool) -> None:
        if self.dialog is not None:
            if self.dialog.alive:
                self.dialog.handle(event)
            else:
                self.dialog = None
        if self._file_picked(event) or self._overwrite_confirmed(event):
            return
        intent = self.panels.handle(event) if self.panels else None
        if intent is not None:
            self._intent(intent)
            return
        if event.type == pygame.KEYDOWN and not self._typing():
            self._key(event)
        elif event.type == pygame.KEYUP:
            self._keys.discard(event.key)
        elif event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION, pygame.MOUSEWHEEL):
            self._mouse(event, consumed)

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

    def _key(self, event: pygame.event.Event) -> None:
        command = keys.command_for(event)
        index = keys.tool_for(event)
        if command is not None:
            self.run(command)
        elif index is not None and index < len(self.tools):
            self.choose_tool(index)
        elif event.key in SCROLL_KEYS:
            self._keys.add(event.key)

    def _pointer(self, pos: tuple[int, int]) -> Pointer:
        layout = self.camera.layout()
        self.editing.layout = layout
        return Pointer(layout.pixel_to_hex(*pos), pos, nearest_hexside(layout, *pos))

    def _on_map(self, pos: tuple[int, int]) -> bool:
        return pygame.Rect(self.camera.viewport).collidepoint(pos) and self.picture is not None and not self._on_minimap(pos)

    def _on_minimap(self, pos: tuple[int, int]) -> bool:
        return self.minimap is not None and self.minimap.rect.collidepoint(pos)

    def _minimap_gesture(self, event: pygame.event.Event, consumed: bool) -> bool:
        """Click or drag on the minimap: look there.  True when the event was the minimap's."""
        if event.type == pygame.MOUSEBUTTONDOWN and not consumed and self._held_button is None and self._on_minimap(event.pos):
            self._minimap_drag = True
        elif event.type == pygame.MOUSEBUTTONUP and self._minimap_drag:
            self._minimap_drag = False
            return True
        if self._minimap_drag and event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEMOTION):
            self.camera.look_at_map_units(self.minimap.to_map_units(*event.pos))  # type: ignore[union-attr]
            return True
        return False

    def _mouse(self, event: pygame.event.Event, consumed: bool) -> None:
        if event.type == pygame.MOUSEWHEEL:
            if self._on_map(self.mouse) and not consumed:
                if isinstance(self.tool, UnderlayTool) and self.underlay is not None:
                    self.underlay.zoom(1.1 if event.y > 0 else 1 / 1.1, self.camera.to_map_units(*self.mouse))
                else:
                    self.camera.zoom_at(1 if event.y > 0 else -1, self.mouse)
            return
        self.mouse = event.pos
        self.hover = self._pointer(event.pos) if self._on_map(event.pos) else None
        if self._minimap_gesture(event, consumed):
            return
        if event.type == pygame.MOUSEBUTTONDOWN:
            if consumed or not self._on_map(event.pos) or self._held_button is not None:
                return
            self._held_button, self._press_pos, self._panning = event.button, event.pos, False
            self.problem_hex = None
            if event.button == 1 and not isinstance(self.tool, UnderlayTool):
                self.attempt(lambda: self.tool.press(self.editing, self._pointer(event.pos)))
        elif event.type == pygame.MOUSEMOTION and self._held_button is not None:
            if self._held_button == 1:
                if isinstance(self.tool, UnderlayTool) and self.underlay is not None:
                    self.underlay.move(event.rel[0] / self.camera.size, event.rel[1] / self.camera.size)
                else:
                    self.attempt(lambda: self.tool.drag(self.editing, self._pointer(event.pos)))
            else:
                moved = abs(event.pos[0] - self._press_pos[0]) + abs(event.pos[1] - self._press_pos[1])
                if self._panning or moved > DRAG_THRESHOLD:
                    self.camera.pan(
                        *(event.rel if self._panning else (event.pos[0] - self._press_pos[0], event.pos[1] - self._press_pos[1]))
                    )
                    self._panning = True
        elif event.type == pygame.MOUSEBUTTONUP and event.button == self._held_button:
            self._held_button = None
            at = self._pointer(event.pos)
            if event.button == 1 and not isinstance(self.tool, UnderlayTool):
                self.attempt(lambda: self.tool.release(self.editing, at))
            elif event.button == 3 and not self._panning and self._on_map(event.pos):
                self.attempt(lambda: self.tool.secondary(self.editing, at))

    def _file_picked(self, event: pygame.event.Event) -> bool:
        if self.file_dialog is None or event.type != pygame_gui.UI_FILE_DIALOG_PATH_PICKED or event.ui_element is not self.file_dialog[0]:
            return False
        purpose = self.file_dialog[1]
        self.file_dialog = None
        if purpose == "open":
            self.open(event.text)
        elif purpose == "save_as":
            self.save(event.text)
        return True

    # ------------------------------------------------------------ commands
    def run(self, command: str) -> None:
        """A command from the bar, a key or a button (names as in :data:`keys.KEYS` and the bar)."""
        if command == "undo":
            label = self.draft.undo()
            self.editing.say(f"undone: {label}" if label else "nothing to undo")
            self.refresh()
        elif command == "redo":
            label = self.draft.redo()
            self.editing.say(f"redone: {label}" if label else "nothing to redo")
            self.refresh()
        elif command == "save":
            self.save()
        elif command == "save_as":
            self._pick_file("save_as", "Save the scenario as", False)
        elif command == "open":
            if self._confirm_discard("open"):
                self._pick_file("open", "Open a scenario", True)
        elif command == "quit":
            if self._confirm_discard("quit"):
                self.keep_underlay()
                self.app.running = False
        elif command == "play_test":
            self.editing.say(
                play_test(self.draft, self.problems if self.checker.checked_revision == self.draft.revision else self._check_now())
            )
            self._update_panels()
        elif command == "delete" and self.editing.selection is not None:
            selection = self.editing.selection
            self.editing.selection = None
            self.attempt(lambda: remove_thing(self.draft, selection))
        elif command == "deselect":
            self.editing.selection = None
            self._update_panels()
        elif command in ("brush_smaller", "brush_larger"):
            terrain = next(t for t in self.tools if isinstance(t, TerrainTool))
            terrain.resize(1 if command == "brush_larger" else -1)
            self._update_panels()
        elif command in ("zoom_in", "zoom_out"):
            self.camera.zoom_at(1 if command == "zoom_in" else -1)
        else:
            self._open_dialog(command)

    def _open_dialog(self, command: str) -> None:
        makers: dict[str, Callable[[], Dialog]] = {
            "data": lambda: SectionWindow(self),
            "geography": lambda: GeoWindow(self),
            "underlay": lambda: UnderlayWindow(self),
            "help": lambda: HelpWindow(self),
        }
        if command in makers:
            if self.dialog is not None:
                self.dialog.kill()
            self.dialog = makers[command]()

    def _check_now(self) -> list[Problem]:
        self.problems = check_draft(self.draft)
        return self.problems

    def choose_tool(self, index: int) -> None:
        self.tool_index = index
        self._update_panels()

    def apply_form(self) -> None:
        if self.panels is None or self.panels.form is None:
            return
        form, texts = self.panels.form, self.panels.form_texts()
        self.attempt(lambda: forms.apply(self.draft, form, texts))
        self._update_panels(force=True)

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
        self._update_panels()

    def save(self, path: str | Path | None = None, overwrite: bool = False) -> None:
        try:
            saved = self.draft.save(path, overwrite)
        except ChangedOnDisk as exc:
            self._ask_to_overwrite(exc.paths, path)
            self.editing.say(f"Not saved: {exc} changed on disk since it was opened")
        except OSError as exc:
            self.editing.say(f"Not saved: {exc}")
        else:
            errors = sum(1 for p in self.problems if p.severity == "error")
            self.editing.say(f"saved {saved}" + (f" (it still has {plural(errors, 'error')})" if errors else ""))
            self.keep_underlay()
        self._update_panels()

    def _ask_to_overwrite(self, paths: list[Path], save_as: str | Path | None) -> None:
        """A dialog: the files changed on disk; overwrite them with the draft, or cancel."""
        if self.overwrite_dialog is not None:
            self.overwrite_dialog[0].kill()
        names = "<br>".join(html.escape(str(p)) for p in paths)
        w, h = self.app.size
        dialog = UIConfirmationDialog(
            pygame.Rect(w // 2 - 260, h // 2 - 110, 520, 220),
            f"Changed on disk since it was opened here:<br>{names}<br><br>Overwrite with the editor's version?",
            self.app.manager,
            window_title="File changed on disk",
            action_short_name="Overwrite",
        )
        self.overwrite_dialog = (dialog, save_as)

    def _overwrite_confirmed(self, event: pygame.event.Event) -> bool:
        if self.overwrite_dialog is None or event.type != pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED:
            return False
        dialog, save_as = self.overwrite_dialog
        if event.ui_element is not dialog:
            return False
        self.overwrite_dialog = None
        self.save(save_as, overwrite=True)
        return True

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

    def open(self, path: str | Path) -> None:
        try:
            draft = Draft.open(path)
        except ScenarioError as exc:
            self.editing.say(f"Cannot open {path}: {exc.problems[0]}")
            self._update_panels()
            return
        self.load(draft)

    def load(self, draft: Draft) -> None:
        self.keep_underlay()
        self.draft = draft
        self.editing = Editing(draft)
        self.picture, self._map_key, self.problems = None, None, []
        self.refresh()
        self.editing.say(f"opened {draft.path}")
        self._restore_underlay()
        self._update_panels(force=True)

    def _confirm_discard(self, what: str) -> bool:
        """With unsaved changes, the first request only warns; the same request again goes ahead."""
        if not self.draft.dirty or self._discard_armed == what:
            self._discard_armed = ""
            return True
        self._discard_armed = what
        self.editing.say("Unsaved changes: save them, or do that again to discard them")
        self._update_panels()
        return False

    def intercept_quit(self, event: pygame.event.Event) -> bool:
        """Closing the window with unsaved changes warns once (see :func:`~nomonhan.editor.app.run_editor`)."""
        if event.type != pygame.QUIT:
            return False
        if not self._confirm_discard("quit"):
            return True
        self.keep_underlay()
        return False

    def _pick_file(self, purpose: str, title: str, existing: bool) -> None:
        if self.file_dialog is not None:
            self.file_dialog[0].kill()
        w, h = self.app.size
        dialog = UIFileDialog(
            pygame.Rect(w // 2 - 320, h // 2 - 260, 640, 520),
            self.app.manager,
            window_title=title,
            initial_file_path=str(self.draft.path),
            allow_existing_files_only=existing,
            allowed_suffixes={".yaml", ".yml"},
        )
        self.file_dialog = (dialog, purpose)

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
            self._update_panels()
        elif self.panels is not None and self.checker.busy != ("(checking" in self.panels.problems.title.text):
            self.panels.problems.show(self.problems, self.checker.busy)
        dx = sum(SCROLL_KEYS[k][0] for k in self._keys)
        dy = sum(SCROLL_KEYS[k][1] for k in self._keys)
        if dx or dy:
            self.camera.pan(dx * KEY_SCROLL_SPEED * dt, dy * KEY_SCROLL_SPEED * dt)

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(style.BACKGROUND)
        if self.renderer is None or self.picture is None:
            return
        self.renderer.draw(surface, self.camera, Shading())
        if self.underlay is not None and self.underlay.visible:
            self.underlay.draw(surface, self.camera)
            overlay.draw_grid(surface, self.camera, self.picture)
        preview = self.tool.preview(self.editing, self.hover)
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
        if self.hover is None or self.picture is None or self.hover.hex not in self.picture.board.index:
            return self.editing.message
        board = self.picture.board
        hex_ = self.hover.hex
        parts = [f"hex {format_hex(hex_)}: {board.terrain_at(hex_).name}"]
        features = board.features.get(self.hover.side)
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
