"""The editor's keyboard shortcuts and mouse gestures: one table for the handler, help and docs."""

from __future__ import annotations

import pygame

CTRL = pygame.KMOD_CTRL
SHIFT = pygame.KMOD_SHIFT

KEYS: tuple[tuple[str, tuple[tuple[int, int], ...], str], ...] = (
    ("undo", ((pygame.K_z, CTRL),), "Ctrl+Z: undo"),
    ("redo", ((pygame.K_y, CTRL), (pygame.K_z, CTRL | SHIFT)), "Ctrl+Y / Ctrl+Shift+Z: redo"),
    ("save", ((pygame.K_s, CTRL),), "Ctrl+S: save"),
    ("play_test", ((pygame.K_F5, 0),), "F5: play-test the draft"),
    ("delete", ((pygame.K_DELETE, 0), (pygame.K_BACKSPACE, 0)), "Del: remove the selected unit or marker"),
    ("deselect", ((pygame.K_ESCAPE, 0),), "Esc: select nothing (the inspector shows the scenario)"),
    ("brush_smaller", ((pygame.K_LEFTBRACKET, 0),), "[ : smaller brush"),
    ("brush_larger", ((pygame.K_RIGHTBRACKET, 0),), "] : larger brush"),
    ("zoom_in", ((pygame.K_PLUS, 0), (pygame.K_EQUALS, 0), (pygame.K_KP_PLUS, 0)), "+ : zoom in"),
    ("zoom_out", ((pygame.K_MINUS, 0), (pygame.K_KP_MINUS, 0)), "- : zoom out"),
    ("help", ((pygame.K_F1, 0),), "F1: this help"),
)
"""``(command, ((key, modifiers), ...), help line)``; tools are chosen with the keys 1-9, 0, F2, F3."""

TOOL_KEYS = (
    pygame.K_1,
    pygame.K_2,
    pygame.K_3,
    pygame.K_4,
    pygame.K_5,
    pygame.K_6,
    pygame.K_7,
    pygame.K_8,
    pygame.K_9,
    pygame.K_0,
    pygame.K_F2,
    pygame.K_F3,
)
TOOL_KEY_NAMES = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "F2", "F3")

MOUSE = (
    "Left button: use the tool (click or drag)",
    "Right click: the tool's second use (erase, pick a terrain, remove)",
    "Right or middle drag, arrow keys: scroll the map; click or drag on the minimap: look there",
    "Wheel: zoom at the pointer (Underlay tool: scale the image)",
    "Problems list: click a problem to centre the map on its hex or unit",
)

_MODS = CTRL | SHIFT | pygame.KMOD_ALT | pygame.KMOD_META


def command_for(event: pygame.event.Event) -> str | None:
    if event.type != pygame.KEYDOWN:
        return None
    held = event.mod & _MODS
    held = (CTRL if held & CTRL else 0) | (SHIFT if held & SHIFT else 0) | (held & (pygame.KMOD_ALT | pygame.KMOD_META))
    for command, keys, _help in KEYS:
        if any(event.key == key and held == mods for key, mods in keys):
            return command
    return None


def tool_for(event: pygame.event.Event) -> int | None:
    """The index of the tool a key chooses (no modifiers held)."""
    if event.type == pygame.KEYDOWN and not event.mod & _MODS and event.key in TOOL_KEYS:
        return TOOL_KEYS.index(event.key)
    return None
