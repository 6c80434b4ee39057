"""Typed edits of everything but the map's drawing: units, objectives, markers, period, schedules,
notes, sources, unit types, the historical result, and any section as YAML text.

Each function is one undoable step of a :class:`~nomonhan.editor.document.Draft`.  Values are
checked by live validation, not here, so an author can pass through invalid states (a unit
whose type is not written yet) on the way to a valid scenario.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from datetime import datetime, time
from typing import Any

from nomonhan.editor import tree as yt
from nomonhan.editor.document import Draft
from nomonhan.hexgrid import Hex, format_hex

MARKERS: dict[str, tuple[str, ...]] = {
    "place": ("map", "places"),
    "objective": ("objectives",),
    "supply": ("supply", "sources"),
    "fortification": ("fortifications",),
}
"""Kinds of one-hex entries other than units, and the list each lives in."""


# ---------------------------------------------------------------- generic entries


def add_entry(draft: Draft, path: tuple[str, ...], value: Mapping[str, Any], label: str) -> int:
    """Append a mapping to the list at ``path`` (created if missing); returns its index."""
    with draft.change(label) as tree:
        return yt.append(yt.ensure(tree, path), dict(value))


def remove_entry(draft: Draft, path: tuple[Any, ...], index: int, label: str = "") -> None:
    with draft.change(label or f"remove {'.'.join(map(str, path))} {index}") as tree:
        del yt.get(tree, path)[index]


def set_fields(draft: Draft, path: tuple[Any, ...], changes: Mapping[str | tuple[str, ...], Any], label: str = "") -> None:
    """Set fields of the mapping at ``path``; a key may be a tuple (``("arrive", "at")``).

    ``None`` removes the field.  Unchanged values are left alone, so a form applied without
    edits is no change at all (and no undo step).
    """
    with draft.change(label or f"edit {'.'.join(map(str, path))}") as tree:
        target = yt.get(tree, path)
        for key, value in changes.items():
            keys = key if isinstance(key, tuple) else (key,)
            holder = target
            for part in keys[:-1]:
                if value is None and part not in holder:
                    break
                if part not in holder or holder[part] is None:
                    holder[part] = yt.node({})
                holder = holder[part]
            else:
                last = keys[-1]
                if value is None:
                    holder.pop(last, None)
                elif yt.plain(holder.get(last)) != yt.plain(yt.node(value)) or last not in holder:
                    holder[last] = yt.node(value, last)


def markers_at(draft: Draft, kind: str, hex_: Hex) -> list[int]:
    """Indices of the ``kind`` entries (see :data:`MARKERS`) standing on ``hex_``."""
    entries = yt.get(draft.tree, MARKERS[kind]) or []
    return [n for n, item in enumerate(entries) if yt.hex_of(item.get("hex")) == hex_]


# ---------------------------------------------------------------- units


def unit_index(draft: Draft, unit_id: str) -> int:
    for n, unit in enumerate(draft.tree.get("units") or []):
        if unit.get("id") == unit_id:
            return n
    raise KeyError(f"no unit {unit_id!r}")


def new_unit_id(draft: Draft, side: str) -> str:
    taken = {str(u.get("id")) for u in draft.tree.get("units") or []}
    n = 1
    while f"{side}-{n}" in taken:
        n += 1
    return f"{side}-{n}"


def place_unit(
    draft: Draft,
    type_id: str,
    side: str,
    hex_: Hex,
    *,
    arrive: datetime | None = None,
    name: str = "",
    formation: str = "",
    unit_id: str = "",
    source: str = "design",
) -> str:
    """Put a unit on ``hex_`` at the start, or (``arrive``) schedule it to enter there then.

    Returns the unit's id (``side-N`` unless given).
    """
    unit_id = unit_id or new_unit_id(draft, side)
    entry: dict[str, Any] = {"id": unit_id, "name": name or unit_id, "type": type_id, "side": side, "formation": formation}
    if arrive is None:
        entry["hex"] = format_hex(hex_)
    else:
        entry["arrive"] = {"at": arrive, "hex": format_hex(hex_)}
    entry["source"] = source
    add_entry(draft, ("units",), entry, f"place unit {unit_id}")
    return unit_id


def move_unit(draft: Draft, unit_id: str, hex_: Hex) -> None:
    """Move a unit's start hex (or a reinforcement's entry hex)."""
    index = unit_index(draft, unit_id)
    key = ("arrive", "hex") if "arrive" in draft.tree["units"][index] else "hex"
    set_fields(draft, ("units", index), {key: format_hex(hex_)}, f"move {unit_id} to {format_hex(hex_)}")


def schedule_arrival(draft: Draft, unit_id: str, at: datetime | None, hex_: Hex | None = None) -> None:
    """Make a unit a reinforcement arriving ``at`` (entering at ``hex_`` or where it stands), or
    with ``at`` None put it back on the map at the start."""
    index = unit_index(draft, unit_id)
    unit = draft.data()["units"][index]
    where = format_hex(hex_) if hex_ else (unit.get("hex") or (unit.get("arrive") or {}).get("hex"))
    if at is None:
        set_fields(draft, ("units", index), {"arrive": None, "hex": where}, f"{unit_id} on the map at the start")
    else:
        set_fields(
            draft, ("units", index), {"hex": None, ("arrive", "at"): at, ("arrive", "hex"): where}, f"{unit_id} arrives {at:%Y-%m-%d %H:%M}"
        )


def remove_unit(draft: Draft, unit_id: str) -> None:
    remove_entry(draft, ("units",), unit_index(draft, unit_id), f"remove unit {unit_id}")


def units_at(draft: Draft, hex_: Hex) -> list[str]:
    """Ids of the units that start on, or enter the map at, ``hex_``."""
    found = []
    for unit in draft.tree.get("units") or []:
        where = unit.get("hex") if "hex" in unit else (unit.get("arrive") or {}).get("hex")
        if yt.hex_of(where) == hex_:
            found.append(str(unit.get("id")))
    return found


# ---------------------------------------------------------------- objectives and other markers


def set_objective(
    draft: Draft, hex_: Hex, name: str, points: int, holder: str | None = None, per_turn: int = 0, source: str = "design"
) -> int:
    """Make ``hex_`` an objective worth ``points`` (updating the one already there); returns its index."""
    fields: dict[str, Any] = {"name": name, "hex": format_hex(hex_), "points": points}
    if per_turn:
        fields["points_per_turn"] = per_turn
    if holder:
        fields["initial_holder"] = holder
    existing = markers_at(draft, "objective", hex_)
    if existing:
        changes: dict[str | tuple[str, ...], Any] = {key: value for key, value in fields.items()}  # keys widened to field paths
        set_fields(draft, ("objectives", existing[0]), changes | {"initial_holder": holder or None}, f"objective {name}")
        return existing[0]
    return add_entry(draft, ("objectives",), fields | {"source": source}, f"objective {name}")


def add_supply_source(draft: Draft, side: str, name: str, hex_: Hex, source: str = "design") -> int:
    return add_entry(
        draft, MARKERS["supply"], {"side": side, "name": name, "hex": format_hex(hex_), "source": source}, f"supply source {name}"
    )


def add_fortification(draft: Draft, side: str, name: str, hex_: Hex, level: int = 1, source: str = "design") -> int:
    entry = {"name": name, "hex": format_hex(hex_), "level": level, "side": side, "source": source}
    return add_entry(draft, MARKERS["fortification"], entry, f"fortification {name}")


# ---------------------------------------------------------------- period and schedules


def set_period(
    draft: Draft,
    *,
    start: datetime | None = None,
    turn_hours: int | None = None,
    last_turn: int | None = None,
    dawn: time | None = None,
    dusk: time | None = None,
    first_side: str | None = None,
) -> None:
    """Change the period, the turn length, the night schedule (dawn and dusk) or who moves first."""
    changes: dict[Any, Any] = {
        "start": start,
        "turn_hours": turn_hours,
        "last_turn": last_turn,
        ("daylight", "dawn"): dawn,
        ("daylight", "dusk"): dusk,
        "first_side": first_side,
    }
    set_fields(draft, ("period",), {k: v for k, v in changes.items() if v is not None}, "edit period")


def _dated_insert(draft: Draft, key: str, entry: dict[str, Any], label: str) -> int:
    """Insert into a schedule (weather, air) keeping it in order of ``start``."""
    with draft.change(label) as tree:
        seq = yt.ensure(tree, (key,))
        starts = [yt.plain(item.get("start")) for item in seq]
        index = bisect.bisect_right(starts, entry["start"])
        seq.insert(index, yt.node(entry, like=seq[-1] if len(seq) else None))
        return index


def add_weather(draft: Draft, start: datetime, weather: str, source: str = "design") -> int:
    """From ``start`` on the weather is ``weather`` (clear, rain or fog)."""
    return _dated_insert(draft, "weather", {"start": start, "weather": weather, "source": source}, f"weather {weather}")


def add_air(draft: Draft, side: str, start: datetime, points: int, source: str = "design") -> int:
    """From ``start`` on ``side`` has ``points`` air points each day turn."""
    return _dated_insert(draft, "air", {"side": side, "start": start, "points": points, "source": source}, f"air points {side}")


# ---------------------------------------------------------------- texts, libraries, sections


def set_notes(draft: Draft, text: str) -> None:
    set_fields(draft, (), {"notes": text if text.endswith("\n") or not text else text + "\n"}, "edit notes")


def set_source(draft: Draft, key: str, citation: str | None) -> None:
    """Add, change or (``None``) remove a reference of the ``sources`` mapping."""
    with draft.change(f"source {key}") as tree:
        sources = yt.ensure(tree, ("sources",), leaf=type(yt.node({})))
        if citation is None:
            sources.pop(key, None)
        else:
            sources[key] = citation


def set_unit_type(draft: Draft, unit_type: Mapping[str, Any], library: str = "scenario") -> None:
    """Add or replace (by id) a unit type in the scenario's own types or in its rules data."""
    document = "rules" if library == "rules" else "scenario"
    with draft.change(f"unit type {unit_type['id']}", document) as tree:
        types = yt.ensure(tree, ("unit_types",))
        index = next((n for n, t in enumerate(types) if t.get("id") == unit_type["id"]), None)
        if index is None:
            yt.append(types, dict(unit_type))
        else:
            for key in [k for k in types[index] if k not in unit_type]:
                del types[index][key]
            for key, value in unit_type.items():
                if yt.plain(types[index].get(key)) != value:
                    types[index][key] = yt.node(value, key, like=types[index].get(key))


def remove_unit_type(draft: Draft, type_id: str, library: str = "scenario") -> None:
    document = "rules" if library == "rules" else "scenario"
    with draft.change(f"remove unit type {type_id}", document) as tree:
        types = tree.get("unit_types") or []
        for n in reversed([n for n, t in enumerate(types) if t.get("id") == type_id]):
            del types[n]


def set_value(draft: Draft, path: tuple[Any, ...], value: Any, document: str = "scenario") -> None:
    """Replace the value at ``path`` (e.g. ``("historical",)``) with plain data; None removes it."""
    with draft.change(f"edit {'.'.join(map(str, path))}", document) as tree:
        holder = yt.ensure(tree, path[:-1], leaf=type(yt.node({}))) if path[:-1] else tree
        if value is None:
            holder.pop(path[-1], None)
        else:
            holder[path[-1]] = yt.node(value, str(path[-1]))


def set_section(draft: Draft, path: tuple[str, ...], text: str, document: str = "scenario") -> None:
    """Replace the section at ``path`` with the node a :func:`~nomonhan.editor.tree.fragment`
    text holds (comments in the text are kept).  An empty text removes the section."""
    with draft.change(f"edit {'.'.join(path)}", document) as tree:
        holder = yt.get(tree, path[:-1]) if path[:-1] else tree
        if not text.strip():
            holder.pop(path[-1], None)
        else:
            holder[path[-1]] = yt.parse_fragment(text, path)
