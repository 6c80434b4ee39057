"""Keyboard shortcuts and mouse gestures: one table, read by the screens, the help screen and docs.

Screens ask :func:`command_for` what a key press means in their context and act on the command
name; the help screen prints the same table, and a test checks that ``docs/ui.md`` lists every
key, so the three cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

CTRL = pygame.KMOD_CTRL
_MODS = pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META


@dataclass(frozen=True)
class Binding:
    command: str
    keys: tuple[tuple[int, int], ...]
    """``(key, modifiers)`` pairs; modifiers 0 means no Ctrl/Alt held."""
    label: str
    help: str
    contexts: tuple[str, ...]
    repeats: bool = False
    """True: a held key repeats the command (zoom, stepping a replay); False: one press, one
    command, so a held Enter cannot end phase after phase or step through hand-overs."""


def _b(command: str, keys: list[int | tuple[int, int]], label: str, help: str, *contexts: str, repeats: bool = False) -> Binding:
    pairs = tuple(k if isinstance(k, tuple) else (k, 0) for k in keys)
    return Binding(command, pairs, label, help, contexts, repeats)


PLAY, REPLAY = "play", "replay"

BINDINGS: tuple[Binding, ...] = (
    _b("next_unit", [pygame.K_n], "n", "select the next unit that can still act", PLAY),
    _b("end_phase", [pygame.K_e, pygame.K_RETURN, pygame.K_KP_ENTER], "e / Enter", "end the phase", PLAY),
    _b("undo", [pygame.K_u, (pygame.K_z, CTRL)], "u / Ctrl+Z", "undo the last move", PLAY),
    _b("save", [pygame.K_s], "s", "quick save (to the saves folder)", PLAY),
    _b("load", [pygame.K_l], "l", "load a saved game", PLAY),
    _b("center", [pygame.K_c], "c", "centre the map on the selected unit", PLAY),
    _b("deselect", [pygame.K_ESCAPE], "Esc", "deselect the unit / close a dialog", PLAY),
    _b("toggle_supply", [pygame.K_p], "p", "show / hide your supply lines, units out of supply and cut-off pockets", PLAY),
    _b("toggle_reach", [pygame.K_r], "r", "show / hide where the enemy you see could move next turn", PLAY),
    _b("toggle_guns", [pygame.K_g], "g", "show / hide where your guns can fire", PLAY),
    _b("ai_slower", [pygame.K_LEFTBRACKET], "[", "computer moves slower", PLAY, repeats=True),
    _b("ai_faster", [pygame.K_RIGHTBRACKET], "]", "computer moves faster", PLAY, repeats=True),
    _b("step_back", [pygame.K_LEFT], "Left", "one action back", REPLAY, repeats=True),
    _b("step_forward", [pygame.K_RIGHT], "Right", "one action forward", REPLAY, repeats=True),
    _b("turn_back", [pygame.K_PAGEUP, pygame.K_UP], "PgUp / Up", "one turn back", REPLAY, repeats=True),
    _b("turn_forward", [pygame.K_PAGEDOWN, pygame.K_DOWN], "PgDn / Down", "one turn forward", REPLAY, repeats=True),
    _b("first", [pygame.K_HOME], "Home", "the start of the game", REPLAY),
    _b("last", [pygame.K_END], "End", "the end of the game", REPLAY),
    _b("play_pause", [pygame.K_SPACE], "Space", "play / pause", REPLAY),
    _b("viewpoint", [pygame.K_v], "v", "view from one side, the other, or full", REPLAY),
    _b("menu", [pygame.K_ESCAPE], "Esc", "back to the start screen", REPLAY),
    _b("zoom_in", [pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS], "+", "zoom in", PLAY, REPLAY, repeats=True),
    _b("zoom_out", [pygame.K_MINUS, pygame.K_KP_MINUS], "-", "zoom out", PLAY, REPLAY, repeats=True),
    _b("toggle_zoc", [pygame.K_z], "z", "show / hide enemy zones of control", PLAY, REPLAY),
    _b("toggle_fog", [pygame.K_f], "f", "show / hide fog shading", PLAY, REPLAY),
    _b("help", [pygame.K_h, pygame.K_F1], "h / F1", "this help", PLAY, REPLAY),
)

WINDOW_KEYS: tuple[tuple[str, str], ...] = (
    ("F11", "fullscreen / window"),
    ("F12", "screenshot into the screenshots folder"),
)
"""Keys the application handles on every screen (:meth:`nomonhan.ui.app.App.handle_event`), for the help."""

MOUSE_HELP: tuple[tuple[str, str], ...] = (
    (
        "left click",
        "select a unit (again: the next unit of the stack); with a unit selected, order it to the hex "
        "(on your own units it could join: choose between the move and selecting one of them)",
    ),
    ("rest the pointer on a target", "the forecast of the attack, bombardment or air mission a click would order: nothing is committed"),
    ("right click", "deselect"),
    ("drag (any button)", "scroll the map"),
    ("wheel", "zoom at the mouse"),
    ("arrow keys", "scroll the map (in play)"),
    ("minimap click / drag", "look there"),
)

SCROLL_KEYS: dict[int, tuple[int, int]] = {
    pygame.K_LEFT: (1, 0),
    pygame.K_RIGHT: (-1, 0),
    pygame.K_UP: (0, 1),
    pygame.K_DOWN: (0, -1),
}
"""Arrow key -> direction the map moves while it is held (in play; the replay uses arrows to step)."""


def is_repeat(event: pygame.event.Event) -> bool:
    """Whether ``event`` is a KEYDOWN the keyboard repeated while the key was held (the app marks
    them: :meth:`nomonhan.ui.app.App.handle_event`), not a fresh press."""
    return event.type == pygame.KEYDOWN and bool(getattr(event, "repeat", False))


def command_for(event: pygame.event.Event, context: str) -> str | None:
    """The command a KEYDOWN means in ``context`` (``play`` or ``replay``), or None (a repeated
    KEYDOWN means only the commands that repeat)."""
    if event.type != pygame.KEYDOWN:
        return None
    held = event.mod & _MODS
    repeated = is_repeat(event)
    for binding in BINDINGS:
        if context not in binding.contexts or (repeated and not binding.repeats):
            continue
        for key, mods in binding.keys:
            if event.key == key and (held & mods if mods else not held):
                return binding.command
    return None


def bindings_for(context: str) -> list[Binding]:
    return [b for b in BINDINGS if context in b.contexts]
