"""The screens shown over the map (see-through dialogs): hot-seat hand-over, help, and the end of the game."""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import UIButton, UIImage, UILabel, UIPanel, UITextBox, UIWindow

from nomonhan.rules.victory import LOSS_FIGURES, losses, outcome, victory_points
from nomonhan.sim.run import gross_losses, per_turn
from nomonhan.ui import describe, style, userdata
from nomonhan.ui.end_chart import game_chart
from nomonhan.ui.input import MOUSE_HELP, WINDOW_KEYS, bindings_for, is_repeat
from nomonhan.ui.screen import Screen
from nomonhan.ui.session import Session

if TYPE_CHECKING:
    from nomonhan.ui.app import App

VEIL = (0, 0, 0, 170)
CHART_HEIGHT = 220
"""The end screen's chart of victory points and losses by turn (at UI scale 1)."""


def _veil(surface: pygame.Surface) -> None:
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill(VEIL)
    surface.blit(shade, (0, 0))


def _lines(surface: pygame.Surface, lines: list[tuple[str, int, style.Colour]], top: int, scale: float) -> None:
    """Centred lines of ``(text, font size, colour)`` from ``top`` down, at the UI ``scale``;
    a line wider than the window is set smaller until it fits."""
    y = top
    room = surface.get_width() - 40
    for text, base, colour in lines:
        size = round(base * scale)
        label = style.text(text, size, colour, base >= 30)
        while label.get_width() > room and size > 12:
            size -= 2
            label = style.text(text, size, colour, base >= 30)
        surface.blit(label, label.get_rect(midtop=(surface.get_width() // 2, y)))
        y += label.get_height() + size // 2


def _against(kind: str, gross: int, figures: Mapping[str, Any]) -> str:
    """``men lost 5700: more than in history (1439)``: the game's gross loss (every step lost,
    as history counts the wounded who returned) beside one ``against_history`` range."""
    low, high = figures["history"]
    span = f"{low}" if low == high else f"{low}-{high}"
    verdict = "fewer than" if gross < low else "more than" if gross > high else "as many as"
    return f"{kind.replace('_', ' ')} lost {gross}: {verdict} in history ({span})"


class HandoverScreen(Screen):
    """Hot-seat: hide the map until the next player says they are ready.

    Only a deliberate act shows the map: a fresh press of Space (not Enter, which ends a phase,
    so one key pressed twice cannot both show the map and throw the turn away; never a held
    key's repeat) or a click that began on this screen."""

    def __init__(self, app: App, session: Session) -> None:
        super().__init__(app)
        self.session = session
        self._pressed = False
        """The mouse button went down while this screen was up (its release is a click here)."""

    def handle_event(self, event: pygame.event.Event, consumed: bool) -> None:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._pressed = True
        key = event.type == pygame.KEYDOWN and event.key == pygame.K_SPACE and not is_repeat(event)
        click = event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self._pressed
        if key or click:
            self.app.pop()

    def message(self) -> list[tuple[str, int, style.Colour]]:
        """What the hand-over says, line by line: ``(text, font size, colour)``."""
        state = self.session.state
        scenario = state.scenario
        chair = state.acting_side  # who must act: the defender owes its retreat in the enemy's turn
        side = describe.side_name(scenario, chair)
        owed = {"retreat": "you must choose a retreat", "advance": "you may advance after combat"}
        call = owed.get(state.pending.kind, "you must decide") if state.pending is not None else "it is your turn"
        return [
            (f"{side}", 56, style.parse_colour(next(s.colour for s in scenario.sides if s.id == chair))),
            (call, 34, style.PAPER),
            (f"Turn {state.turn}, {describe.when(state.clock)}, {'night' if state.is_night else 'day'}", 26, style.PAPER),
            ("The map stays hidden until you are ready.", 24, style.NEUTRAL),
            ("Press Space or click to continue", 24, style.SELECTED),
        ]

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(style.BACKGROUND)
        _lines(surface, self.message(), surface.get_height() // 3, self.app.scale)


def help_text(context: str) -> str:
    """The help of ``context`` (play or replay) as the text box's HTML: every key binding of
    the context and the mouse gestures, from the one table in :mod:`nomonhan.ui.input`."""
    keys = [f"<b>{html.escape(b.label)}</b>: {html.escape(b.help)}" for b in bindings_for(context)]
    keys += [f"<b>{html.escape(key)}</b>: {html.escape(text)}" for key, text in WINDOW_KEYS]
    mouse = [f"<b>{html.escape(gesture)}</b>: {html.escape(text)}" for gesture, text in MOUSE_HELP]
    return "<br>".join(["<b>Keys</b>", *keys, "", "<b>Mouse</b>", *mouse, "", "Any key, or a click outside this window, closes it."])


class HelpScreen(Screen):
    """Every shortcut of the current context and the mouse gestures, in a pygame_gui window like
    the editor's help: the text box wraps and scrolls the lines at any window size and UI scale."""

    see_through = True

    def __init__(self, app: App, context: str) -> None:
        super().__init__(app)
        self.context = context
        self.window: UIWindow | None = None
        self.text: UITextBox | None = None

    @property
    def title(self) -> str:
        return f"{'Play' if self.context == 'play' else 'Replay'}: keys and mouse"

    def enter(self) -> None:
        w, h = self.app.size
        px = self.app.px
        rect = pygame.Rect(0, 0, min(px(760), w - 40), min(px(700), h - 40))
        rect.center = (w // 2, h // 2)
        self.window = UIWindow(rect, self.app.manager, window_display_title=self.title, resizable=False)
        room = self.window.get_container().get_rect()
        self.text = UITextBox(
            help_text(self.context), pygame.Rect(0, 0, room.width, room.height), manager=self.app.manager, container=self.window
        )

    def leave(self) -> None:
        if self.window is not None:
            self.window.kill()
            self.window = self.text = None

    def handle_event(self, event: pygame.event.Event, consumed: bool) -> None:
        closed = event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is self.window
        outside = (
            event.type == pygame.MOUSEBUTTONUP
            and event.button == 1
            and self.window is not None
            and not self.window.rect.collidepoint(event.pos)
        )
        if event.type == pygame.KEYDOWN or closed or outside:
            self.app.pop()

    def draw(self, surface: pygame.Surface) -> None:
        _veil(surface)


class EndScreen(Screen):
    """Winner and level, victory points, losses; save the record, watch the replay, start again."""

    see_through = True
    COMMANDS = (("save_record", "Save record"), ("replay", "Watch replay"), ("menu", "Main menu"), ("quit", "Quit"))

    def __init__(self, app: App, session: Session) -> None:
        super().__init__(app)
        self.session = session
        self.panel: UIPanel | None = None
        self.buttons: dict[UIButton, str] = {}
        self.note: UILabel | None = None
        self.chart: UIImage | None = None

    def enter(self) -> None:
        w, h = self.app.size
        px = self.app.px
        rect = pygame.Rect(0, 0, min(px(980), w - 40), min(px(860), h - 40))
        rect.center = (w // 2, h // 2)
        manager = self.app.manager
        self.panel = UIPanel(rect, manager=manager, starting_height=5)
        inner = rect.width - px(24)
        state = self.session.state
        result = outcome(state)
        drawn = result is None or result.winner == "draw"
        winner = "" if drawn else describe.side_name(state.scenario, result.winner)  # type: ignore[union-attr]
        # The title has room for a short name: "Soviet Far Eastern Front (39th Rifle Corps, ...)"
        # is headlined without its bracket, which the line below gives in full.
        headline = "A draw" if drawn else f"{winner.split(' (')[0]} wins"
        UILabel(
            pygame.Rect(px(10), px(8), inner, px(44)), headline, manager=manager, container=self.panel, object_id=ObjectID("#title", None)
        )
        level = "" if drawn else f"a {result.level} victory for {winner}"  # type: ignore[union-attr]
        UILabel(pygame.Rect(px(10), px(50), inner, px(26)), level, manager=manager, container=self.panel, object_id=ObjectID("#left", None))
        chart = px(CHART_HEIGHT)
        UITextBox(self._report(), pygame.Rect(px(10), px(82), inner, rect.height - px(180) - chart), manager=manager, container=self.panel)
        picture = game_chart(self.session.game, (inner, chart), self.app.scale)
        self.chart = UIImage(
            pygame.Rect(px(10), rect.height - px(90) - chart, inner, chart), picture, manager=manager, container=self.panel
        )
        width = (inner - 3 * px(8)) // 4
        for n, (command, label) in enumerate(self.COMMANDS):
            button = UIButton(
                pygame.Rect(px(10) + n * (width + px(8)), rect.height - px(82), width, px(34)), label, manager=manager, container=self.panel
            )
            self.buttons[button] = command
        self.note = UILabel(
            pygame.Rect(px(10), rect.height - px(42), inner, px(26)),
            "",
            manager=manager,
            container=self.panel,
            object_id=ObjectID("#left", None),
        )

    def _report(self) -> str:
        """Victory points, losses, what decided it, and how each side did against history."""
        state = self.session.state
        scenario = state.scenario
        points = victory_points(state)
        result = outcome(state)
        lines = [f"{html.escape(scenario.model.title)}: ended on turn {state.turn}, {describe.when(state.clock)}", ""]
        gross = gross_losses(self.session.game)
        for side in scenario.side_ids:
            lost, all_lost = losses(state, side), gross[side]
            cars = f", {all_lost.armoured_cars} armoured cars" if all_lost.armoured_cars else ""
            lines.append(
                f"<b>{html.escape(describe.side_name(scenario, side))}</b>: {points[side]} VP; "
                f"lost {all_lost.steps} steps in all: {all_lost.men} men ({all_lost.killed} killed, {all_lost.wounded} wounded, "
                f"{all_lost.missing} missing), {all_lost.tanks} tanks knocked out{cars}, {all_lost.guns} guns; "
                f"{lost.steps} steps still missing at the end ({lost.men} men, {lost.tanks} tanks, {lost.guns} guns), the rest recovered"
            )
        if result is None:
            return "<br>".join(lines)
        if result.history:  # right under the game's losses, so gross losses stand beside history's
            lines += ["", "<b>Against history</b>"]
            for side, entry in result.history.items():
                compared = [_against(kind, getattr(gross[side], kind), entry[kind]) for kind in LOSS_FIGURES if kind in entry]
                scope = f" [historical figures: {entry['scope']}]" if compared else ""
                lines.append(
                    html.escape(f"{describe.side_name(scenario, side)}{scope}: " + ("; ".join(compared) or "no historical losses"))
                )
        lines += ["", "<b>What decided it</b>"] + [html.escape(describe.with_side_names(scenario, reason)) for reason in result.reasons]
        lines += ["", "<b>After-action timeline</b>"] + self._timeline()
        historical = scenario.model.historical
        if historical is not None and historical.summary:
            lines += ["", "<b>In history</b>", html.escape(historical.summary)]
        return "<br>".join(lines)

    def _timeline(self) -> list[str]:
        """Turn by turn: objectives changing hands, and the score and steps lost when they moved (and at the end)."""
        game = self.session.game
        scenario = game.scenario
        names = [o.name for o in scenario.model.objectives]
        changes: dict[int, list[str]] = {}
        for before, after in zip(game.states, game.states[1:]):
            for name, old, new in zip(names, before.holders, after.holders):
                if new != old and new is not None:
                    changes.setdefault(before.turn, []).append(f"{name} taken by {describe.side_name(scenario, new)}")
        lines, last = [], None
        short = {side: describe.side_name(scenario, side).split(" (")[0] for side in scenario.side_ids}
        rows = per_turn(game)
        for n, row in enumerate(rows):
            turn = row["turn"]
            score = ", ".join(f"{short[side]} {row['victory_points'][side]}" for side in scenario.side_ids)
            lost = ", ".join(f"{short[side]} {row['losses'][side]['steps']}" for side in scenario.side_ids)
            if (score, lost) == last and turn not in changes and n < len(rows) - 1:
                continue
            last = (score, lost)
            when = describe.when(scenario.turn_start(turn))
            events = "; ".join(changes.get(turn, []))
            lines.append(html.escape(f"Turn {turn} ({when}): VP {score}, steps lost {lost}" + (f"; {events}" if events else "")))
        return lines

    def leave(self) -> None:
        if self.panel is not None:
            self.panel.kill()
            self.panel = None

    def handle_event(self, event: pygame.event.Event, consumed: bool) -> None:
        if event.type != pygame_gui.UI_BUTTON_PRESSED or event.ui_element not in self.buttons:
            return
        command = self.buttons[event.ui_element]
        if command == "save_record":
            try:
                said = f"Saved to {self.session.save(userdata.record_path(self.session.state.scenario.id, datetime.now()))}"
            except OSError as exc:
                said = f"Not saved: {userdata.save_failed(exc)}"
            if self.note is not None:
                self.note.set_text(said)
        elif command == "replay":
            self.app.open_replay(self.session.game)
        elif command == "menu":
            self.app.open_start()
        else:
            self.app.running = False

    def draw(self, surface: pygame.Surface) -> None:
        _veil(surface)
