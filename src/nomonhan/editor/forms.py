"""The inspector's forms: which fields a selected unit, marker or the scenario itself shows, and how
the texts typed into them become one edit.

A form is a list of :class:`FormField` over a mapping of the tree; applying it coerces each text
(dates, times, numbers, hexes) and sets only what changed, so applying an untouched form is no
edit at all.  A text that cannot be read is reported, and nothing is changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from nomonhan.editor import dataedits as de
from nomonhan.editor import mapedits as me
from nomonhan.editor import tree as yt
from nomonhan.editor.document import Draft
from nomonhan.editor.tools import Selection, holder_choices, side_choices, type_choices
from nomonhan.hexgrid import format_hex, parse_hex

Choices = Callable[[Draft], list[tuple[str, str]]]


@dataclass(frozen=True)
class FormField:
    key: tuple[str, ...]
    label: str
    kind: str = "text"
    """text, int, float, datetime, time, hex; ``optional`` fields may be left blank (removed)."""
    choices: Choices | None = None
    optional: bool = False


@dataclass(frozen=True)
class Form:
    title: str
    path: tuple[Any, ...]
    fields: tuple[FormField, ...]


def _f(key: str, label: str, kind: str = "text", choices: Choices | None = None, optional: bool = False) -> FormField:
    return FormField(tuple(key.split(".")), label, kind, choices, optional)


UNIT_FIELDS = (
    _f("id", "Id"),
    _f("name", "Name"),
    _f("type", "Type", choices=type_choices),
    _f("side", "Side", choices=side_choices),
    _f("formation", "Formation"),
    _f("hex", "Hex (start or entry)", "hex"),
    _f("arrive.at", "Arrives (blank: at start)", "datetime", optional=True),
    _f("steps", "Steps (blank: full)", "int", optional=True),
    _f("source", "Source"),
)
MARKER_FIELDS = {
    "objective": (
        _f("name", "Name"),
        _f("hex", "Hex", "hex"),
        _f("points", "Victory points", "int"),
        _f("points_per_turn", "Points per turn", "int", optional=True),
        _f("initial_holder", "Held at start by", choices=holder_choices, optional=True),
        _f("source", "Source"),
    ),
    "supply": (_f("side", "Side", choices=side_choices), _f("name", "Name"), _f("hex", "Hex", "hex"), _f("source", "Source")),
    "fortification": (
        _f("name", "Name"),
        _f("hex", "Hex", "hex"),
        _f("level", "Level", "int"),
        _f("side", "Side", choices=side_choices),
        _f("source", "Source"),
    ),
    "place": (
        _f("name", "Name"),
        _f("hex", "Hex", "hex"),
        _f("lat", "Latitude", "float", optional=True),
        _f("lon", "Longitude", "float", optional=True),
        _f("source", "Source"),
    ),
}
SCENARIO_FIELDS = (
    _f("id", "Id"),
    _f("title", "Title"),
    _f("rules", "Rules data"),
    _f("period.start", "First turn starts", "datetime"),
    _f("period.turn_hours", "Hours a turn", "int"),
    _f("period.last_turn", "Turns", "int"),
    _f("period.daylight.dawn", "Dawn", "time"),
    _f("period.daylight.dusk", "Dusk", "time"),
    _f("period.first_side", "Moves first", choices=side_choices),
    _f("map.hex_km", "Km per hex", "float"),
    _f("map.georeference.lat", "Hex 0,0 latitude", "float", optional=True),
    _f("map.georeference.lon", "Hex 0,0 longitude", "float", optional=True),
    _f("points_per_step", "VP per enemy step", "int", optional=True),
    _f("men_per_point", "Enemy men lost per VP", "int", optional=True),
    _f("victory.decisive", "Decisive margin", "int", optional=True),
    _f("victory.marginal", "Marginal margin", "int", optional=True),
    _f("columns", "Map columns", "int"),
    _f("rows", "Map rows", "int"),
)
MAP_SIZE = ("columns", "rows")
"""Scenario-form keys that are not fields of the file but the terrain grid's size."""


def form_for(draft: Draft, selection: Selection | None) -> Form:
    """The form of the selection, or of the scenario when nothing is selected."""
    if selection is None:
        return Form("Scenario", (), SCENARIO_FIELDS)
    kind, key = selection
    if kind == "unit":
        return Form(f"Unit {key}", ("units", de.unit_index(draft, key)), UNIT_FIELDS)
    return Form(kind.capitalize(), (*de.MARKERS[kind], key), MARKER_FIELDS[kind])


def show(value: Any, kind: str) -> str:
    """A value as the form shows it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def values(draft: Draft, form: Form) -> dict[tuple[str, ...], str]:
    """The texts the form's fields start with."""
    data = yt.get(draft.data(), form.path) or {}
    result: dict[tuple[str, ...], str] = {}
    for f in form.fields:
        if f.key in (("columns",), ("rows",)):
            result[f.key] = str(me.map_size(draft)[0 if f.key == ("columns",) else 1])
        elif f.key == ("hex",) and "arrive" in data:
            result[f.key] = show((data.get("arrive") or {}).get("hex"), f.kind)
        else:
            result[f.key] = show(yt.get(data, f.key), f.kind)
    return result


EXPECTED = {
    "int": "a whole number",
    "float": "a number",
    "datetime": "a date and time such as 1939-08-20 06:00",
    "time": "a time of day such as 05:30",
    "hex": "a hex written col,row (e.g. 12,5)",
}
"""What a field of each kind takes, in the words of the loader's messages (``must be ...``)."""


def coerce(text: str, kind: str) -> Any:
    """A field's text as the value to write; raises ValueError saying what was expected."""
    text = text.strip()
    try:
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
        if kind == "datetime":
            return datetime.fromisoformat(text)
        if kind == "time":
            return time.fromisoformat(text)
        if kind == "hex":
            return format_hex(parse_hex(text))
    except ValueError:
        raise ValueError(f"must be {EXPECTED[kind]}, got {text!r}") from None
    return text


def apply(draft: Draft, form: Form, texts: dict[tuple[str, ...], str]) -> None:
    """Write the form's texts back as one edit (nothing when nothing changed)."""
    start = values(draft, form)
    changes: dict[Any, Any] = {}
    for f in form.fields:
        text = texts.get(f.key, start[f.key])
        if text == start[f.key]:
            continue
        if not text.strip() and f.optional:
            changes[f.key] = None
            continue
        try:
            changes[f.key] = coerce(text, f.kind)
        except ValueError as exc:
            raise ValueError(f"{f.label}: {exc}") from None
    size = [changes.pop((k,), None) for k in MAP_SIZE]
    if form.fields is UNIT_FIELDS:
        changes = _unit_changes(draft, form, changes)
    if changes:
        de.set_fields(draft, form.path, {k if len(k) > 1 else k[0]: v for k, v in changes.items()}, f"edit {form.title.lower()}")
    if any(v is not None for v in size):
        columns, rows = me.map_size(draft)
        fill = str(yt.get(draft.data(), ("map", "terrain"), ".")).strip()[:1] or "."
        me.resize_map(draft, size[0] or columns, size[1] or rows, fill)


def _unit_changes(draft: Draft, form: Form, changes: dict[Any, Any]) -> dict[Any, Any]:
    """A unit stands on ``hex`` at the start or enters at ``arrive.hex``: keep the one in use."""
    data = yt.get(draft.data(), form.path) or {}
    arriving = data.get("arrive") is not None
    at = changes.pop(("arrive", "at"), "keep")
    where = changes.pop(("hex",), None) or (data.get("hex") or (data.get("arrive") or {}).get("hex"))
    if at is None:
        changes |= {("arrive",): None, ("hex",): where}
    elif at != "keep" or arriving:
        changes |= {("hex",): None, ("arrive", "hex"): where}
        if at != "keep":
            changes[("arrive", "at")] = at
    else:
        changes[("hex",)] = where
    return changes
