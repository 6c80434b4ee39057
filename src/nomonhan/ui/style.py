"""Colours, fonts and cached text: one place for the look, so screens do not drift apart.

Text rendering is the slowest thing a frame does in pygame, so every string drawn on the map
goes through :func:`text`, which keeps the rendered surface until the cache is full.
"""

from __future__ import annotations

import copy
import math
from functools import lru_cache
from typing import Any

import pygame

Colour = tuple[int, int, int]

BACKGROUND: Colour = (34, 38, 42)
PANEL: Colour = (44, 48, 54)
INK: Colour = (20, 20, 20)
PAPER: Colour = (240, 236, 224)
GRID_SHADE = 0.78  # hex outlines are the terrain colour darkened to this fraction
RIVER: Colour = (46, 104, 190)
RIVER_BANK: Colour = (22, 60, 120)
ROAD: Colour = (120, 52, 32)
TRACK: Colour = (150, 110, 70)
BORDER: Colour = (140, 40, 150)
BRIDGE: Colour = (70, 50, 30)
REACH: tuple[int, int, int, int] = (255, 255, 255, 70)
REACH_EDGE: Colour = (255, 255, 255)
PATH: Colour = (255, 240, 80)
TARGET: Colour = (230, 40, 30)
TARGET_TEXT: Colour = (176, 20, 14)  # the target's tag, on a paper halo (TARGET itself is too light for text)
SELECTED: Colour = (255, 255, 90)
ZOC: Colour = (200, 30, 30)
FOG_MULTIPLY: Colour = (150, 150, 162)  # multiplied into hexes the viewer does not observe
NIGHT_TINT: Colour = (188, 196, 236)  # multiplied into the map on night turns: bluer, not so dark the terrain is lost
LAST_MOVE: Colour = (255, 160, 40)
SUPPLIED: Colour = (60, 130, 255)  # hexes the side's supply reaches (tint)
POCKET: Colour = (225, 40, 200)  # own units no supply line reaches, and units out of supply
ENEMY_REACH: Colour = (255, 140, 0)  # where the enemy could move next turn (falling hatch)
GUN_RANGE: Colour = (20, 230, 230)  # where the side's guns can fire (dots)
AREA_OVERLAYS: dict[str, Colour] = {
    "zone of control": ZOC,
    "supply": SUPPLIED,
    "cut off": POCKET,
    "enemy reach": ENEMY_REACH,
    "gun range": GUN_RANGE,
    "fog": FOG_MULTIPLY,
}
"""Overlays that can cover the same hexes: a deuteranope must tell each pair apart (tested)."""
NEUTRAL: Colour = (200, 200, 200)

# pygame_gui theme: dark panels, light text, the bundled Noto Sans font.
GUI_THEME: dict[str, Any] = {
    "defaults": {
        "colours": {
            "normal_bg": "#3a4048",
            "hovered_bg": "#4c5560",
            "disabled_bg": "#2c3036",
            "selected_bg": "#5d6b3a",
            "active_bg": "#5d6b3a",
            "dark_bg": "#262a30",
            "normal_text": "#ece8dc",
            "hovered_text": "#ffffff",
            "selected_text": "#ffffff",
            "disabled_text": "#a0a4ac",
            "link_text": "#c8d890",
            "link_hover": "#ffffff",
            "link_selected": "#ffffff",
            "text_cursor": "#ffffff",
            "normal_border": "#60666e",
            "hovered_border": "#9aa2ac",
            "disabled_border": "#40444a",
            "selected_border": "#b8c870",
            "active_border": "#b8c870",
            "filled_bar": "#b8c870",
            "unfilled_bar": "#2c3036",
        },
    },
    "#title": {"font": {"name": "noto_sans", "size": "30", "bold": "1"}, "misc": {"text_horiz_alignment": "left"}},
    "#left": {"misc": {"text_horiz_alignment": "left"}},
    "@selection_list_item": {"misc": {"text_horiz_alignment": "left", "text_horiz_alignment_padding": "8"}},
    "#heading": {"font": {"name": "noto_sans", "size": "18", "bold": "1"}},
    "#status": {"font": {"name": "noto_sans", "size": "16", "bold": "1"}},
    "#order": {"colours": {"normal_bg": "#4d5a2c", "hovered_bg": "#66783a", "normal_border": "#8a9a5a"}},
}

GUI_FONTS: list[dict[str, Any]] = [
    {"name": "noto_sans", "point_size": size, "style": kind, "antialiased": "1"}
    for size, kind in ((14, "bold"), (14, "italic"), (24, "bold"))
]
"""Fonts the theme and the html in text boxes use, loaded up front (pygame_gui warns otherwise)."""


REFERENCE_WINDOW = (1920, 1080)
"""The window size the panels are drawn for at scale 1; bigger windows (4K, high DPI) scale up."""


def ui_scale(window: tuple[int, int]) -> float:
    """How much bigger panels and their text are drawn in a ``window``: 1 up to 1920x1080, 2 at 3840x2160.

    In quarter steps, so a few pixels of resizing do not rebuild the interface.
    """
    w, h = window
    return max(1.0, math.floor(min(w / REFERENCE_WINDOW[0], h / REFERENCE_WINDOW[1]) * 4) / 4)


GUI_ELEMENTS = (
    "button",
    "label",
    "text_box",
    "text_entry_line",
    "drop_down_menu",
    "selection_list",
    "window",
    "tool_tip",
    "file_dialog",
    "horizontal_slider",
    "text_entry_box",
    "confirmation_dialog",
)
"""pygame_gui element kinds that get the base font (its "defaults" block sets colours only)."""
BASE_FONT = {"name": "noto_sans", "size": "14"}


def gui_theme(scale: float) -> dict[str, Any]:
    """The pygame_gui theme with every font size multiplied by ``scale``."""
    theme = copy.deepcopy(GUI_THEME)
    for kind in GUI_ELEMENTS:
        theme.setdefault(kind, {}).setdefault("font", dict(BASE_FONT))
    for block in theme.values():
        font_spec = block.get("font")
        if font_spec:
            font_spec["size"] = str(round(int(font_spec["size"]) * scale))
    return theme


def gui_fonts(scale: float) -> list[dict[str, Any]]:
    """``GUI_FONTS`` at ``scale``, and as they are (html ``<font size>`` in text boxes is not scaled)."""
    scaled = [{**spec, "point_size": round(spec["point_size"] * scale)} for spec in GUI_FONTS]
    extra = [] if scale == 1 else [*GUI_FONTS, {"name": "noto_sans", "point_size": 18, "style": "bold", "antialiased": "1"}]
    themed = {
        (int(block["font"]["size"]), "bold" if block["font"].get("bold") == "1" else "regular")
        for block in gui_theme(scale).values()
        if "font" in block
    }  # loaded by the theme already
    fonts: dict[tuple[int, str], dict[str, Any]] = {}
    for spec in scaled + extra:
        fonts.setdefault((spec["point_size"], spec["style"]), spec)
    return [spec for key, spec in fonts.items() if key not in themed]


MIN_CONTRAST = 4.5
"""WCAG AA contrast ratio that text keeps against its background."""


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(value: float) -> int:
    v = min(max(value, 0.0), 1.0)
    return round(255 * (v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055))


def luminance(colour: Colour) -> float:
    """WCAG relative luminance (0 black .. 1 white)."""
    r, g, b = (_linear(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: Colour, b: Colour) -> float:
    """WCAG contrast ratio of two colours, 1 (same) to 21 (black on white)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@lru_cache(maxsize=256)
def readable_on(background: Colour, ratio: float = MIN_CONTRAST) -> Colour:
    """A shade of ``background`` itself (darker, or lighter on dark ground) that text can be read in.

    Keeps the map's quiet look (hex numbers in the terrain's own hue) while meeting ``ratio``.
    """
    light = luminance(background) > 0.18
    for step in range(1, 21):
        candidate = shade(background, 1 - step * 0.05) if light else shade(background, 1 + step * 0.05)
        if contrast_ratio(candidate, background) >= ratio:
            return candidate
    return INK if light else PAPER


DEUTERANOPIA = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881))
"""Machado, Oliveira and Fernandes (2009) matrix for full deuteranopia, applied to linear RGB."""


def as_deuteranope(colour: Colour) -> Colour:
    """How ``colour`` looks to a deuteranope (no green cones): for testing that colours stay apart."""
    rgb = [_linear(c) for c in colour[:3]]
    return tuple(_gamma(sum(m * c for m, c in zip(row, rgb, strict=True))) for row in DEUTERANOPIA)  # type: ignore[return-value]


def lab_distance(a: Colour, b: Colour) -> float:
    """CIE76 colour difference (ΔE) in CIELAB: about 2.3 is just noticeable, above 20 clearly different."""

    def lab(colour: Colour) -> tuple[float, float, float]:
        r, g, b_ = (_linear(c) for c in colour[:3])
        x = (0.4124 * r + 0.3576 * g + 0.1805 * b_) / 0.95047
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b_
        z = (0.0193 * r + 0.1192 * g + 0.9505 * b_) / 1.08883
        f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
        return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])

    la, lb = lab(a), lab(b)
    return math.dist(la, lb)


def parse_colour(text: str) -> Colour:
    """``#rrggbb`` (the scenario and rules files' format) to an RGB tuple."""
    value = text.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def shade(colour: Colour, factor: float) -> Colour:
    """Darken (factor < 1) or lighten (factor > 1, towards white) a colour."""
    if factor <= 1:
        return tuple(int(c * factor) for c in colour)  # type: ignore[return-value]
    return tuple(int(c + (255 - c) * (factor - 1)) for c in colour)  # type: ignore[return-value]


def multiply(colour: Colour, tint: Colour) -> Colour:
    """``colour`` as pygame's multiply blend leaves it under ``tint`` (fog, night)."""
    return tuple(a * b // 255 for a, b in zip(colour, tint, strict=True))  # type: ignore[return-value]


def is_light(colour: Colour) -> bool:
    """Whether dark text reads better than light text on ``colour`` (perceived luminance)."""
    r, g, b = colour
    return 0.299 * r + 0.587 * g + 0.114 * b > 140


def contrast_ink(colour: Colour) -> Colour:
    return INK if is_light(colour) else PAPER


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> pygame.font.Font:
    """pygame's bundled sans font (no downloaded files), cached per size."""
    face = pygame.font.Font(None, max(6, size))
    face.set_bold(bold)
    return face


@lru_cache(maxsize=4096)
def text(value: str, size: int, colour: Colour = INK, bold: bool = False) -> pygame.Surface:
    """A rendered, anti-aliased string (cached: map labels repeat every frame)."""
    return font(size, bold).render(value, True, colour)


@lru_cache(maxsize=1024)
def halo_text(value: str, size: int, colour: Colour = INK, halo: Colour = PAPER, bold: bool = False) -> pygame.Surface:
    """A string with a one-pixel halo, legible on any terrain colour."""
    inner = text(value, size, colour, bold)
    outer = text(value, size, halo, bold)
    surface = pygame.Surface((inner.get_width() + 2, inner.get_height() + 2), pygame.SRCALPHA)
    for dx, dy in ((0, 1), (2, 1), (1, 0), (1, 2), (0, 0), (2, 2), (0, 2), (2, 0)):
        surface.blit(outer, (dx, dy))
    surface.blit(inner, (1, 1))
    return surface


@lru_cache(maxsize=256)
def plate_text(value: str, size: int, colour: Colour = INK, plate: Colour = PAPER) -> pygame.Surface:
    """A bold string on a filled plate with an ink edge: for a tag drawn across lines and
    hatching (a river, a border), where a one-pixel halo leaves the lines showing through."""
    label = text(value, size, colour, True)
    surface = pygame.Surface((label.get_width() + 6, label.get_height() + 2))
    rect = surface.get_rect()
    surface.fill(plate)
    pygame.draw.rect(surface, INK, rect, 1)
    surface.blit(label, label.get_rect(center=rect.center))
    return surface
