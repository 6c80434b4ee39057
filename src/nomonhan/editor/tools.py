"""The drawing tools: how a press, drag and release on the map become edits of the draft.

No pygame_gui here, so tests can drive a tool with hexes and points.  A tool keeps its settings
in ``options`` (the palette's fields write them) and says which fields it has in
:meth:`Tool.fields`; a gesture collects hexes or hexsides while the button is held and makes one
edit on release, so one stroke is one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from nomonhan.editor import dataedits as de
from nomonhan.editor import mapedits as me
from nomonhan.editor import tree as yt
from nomonhan.editor.document import Draft
from nomonhan.editor.picking import hexsides_between
from nomonhan.editor.preview import rules_model, unit_types
from nomonhan.geometry import Layout
from nomonhan.hexgrid import Hex, Hexside, format_hex, hex_range
from nomonhan.ui.wording import plural

NEW = "(new)"
Selection = tuple[str, Any]
"""``("unit", id)`` or ``(marker kind, index)`` (see :data:`dataedits.MARKERS`)."""


@dataclass(frozen=True)
class Pointer:
    hex: Hex
    pos: tuple[float, float]
    side: Hexside


@dataclass(frozen=True)
class Field:
    """One setting of a tool: a text entry, or a choice among ``(label, value)`` pairs."""

    key: str
    label: str
    choices: Callable[[Draft], list[tuple[str, str]]] | None = None


@dataclass
class Preview:
    """What a tool shows under the pointer and of the stroke in progress."""

    outline: list[Hex] = field(default_factory=list)
    fill: tuple[list[Hex], str] | None = None
    sides: list[Hexside] = field(default_factory=list)
    erasing: bool = False
    path: list[Hex] = field(default_factory=list)


class Editing:
    """What tools may touch: the draft, the selection, the status line."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.selection: Selection | None = None
        self.message = ""
        self.layout = Layout(1.0)

    def say(self, message: str) -> None:
        self.message = message


# ---------------------------------------------------------------- choices read from the draft


def _rules(draft: Draft) -> dict[str, Any]:
    return draft.rules_data()


def terrain_choices(draft: Draft) -> list[tuple[str, str]]:
    return [(f"{t.get('code')}  {t.get('name')}", str(t.get("code"))) for t in _rules(draft).get("terrain") or []]


def feature_choices(draft: Draft) -> list[tuple[str, str]]:
    return [(str(f.get("name")), str(f.get("id"))) for f in _rules(draft).get("hexside_features") or []]


def road_kinds(draft: Draft) -> list[tuple[str, str]]:
    return [(str(r.get("name")), str(r.get("id"))) for r in _rules(draft).get("roads") or []]


def side_choices(draft: Draft) -> list[tuple[str, str]]:
    return [(str(s.get("name", s.get("id"))), str(s.get("id"))) for s in draft.data().get("sides") or []]


def holder_choices(draft: Draft) -> list[tuple[str, str]]:
    return [("(nobody)", "")] + side_choices(draft)


def type_choices(draft: Draft) -> list[tuple[str, str]]:
    library = unit_types(draft.data(), rules_model(draft.rules_data()))
    return [(f"{t.name} ({t.id})", t.id) for t in library.values()]


def _named(draft: Draft, group: str, key: str, match: dict[str, str] | None = None) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = []
    for item in yt.get(draft.data(), ("map", group)) or []:
        if all(item.get(k) == v for k, v in (match or {}).items()) and str(item.get(key)) not in [n for n, _ in names]:
            names.append((str(item.get(key)), str(item.get(key))))
    return [(NEW, NEW)] + names


# ---------------------------------------------------------------- tools


class Tool:
    name = ""
    label = ""
    hint = ""
    defaults: dict[str, str] = {}

    def __init__(self) -> None:
        self.options: dict[str, str] = dict(self.defaults)

    def fields(self, draft: Draft) -> list[Field]:
        return []

    def press(self, ed: Editing, at: Pointer) -> None:
        """Button 1 went down on the map."""

    def drag(self, ed: Editing, at: Pointer) -> None:
        """The pointer moved with button 1 down."""

    def release(self, ed: Editing, at: Pointer) -> None:
        """Button 1 came up: finish the stroke."""

    def secondary(self, ed: Editing, at: Pointer) -> None:
        """A right click (no drag): erase or pick."""

    def preview(self, ed: Editing, hover: Pointer | None) -> Preview:
        return Preview(outline=[hover.hex] if hover else [])

    def choose(self, key: str, value: str) -> None:
        self.options[key] = value


class SelectTool(Tool):
    name, label = "select", "Select"
    hint = "Click: select what stands in a hex (again: the next thing there). Drag: move it. Del: remove it."

    def __init__(self) -> None:
        super().__init__()
        self._from: Hex | None = None

    def press(self, ed: Editing, at: Pointer) -> None:
        items = things_at(ed.draft, at.hex)
        if ed.selection in items:
            ed.selection = items[(items.index(ed.selection) + 1) % len(items)]
        else:
            ed.selection = items[0] if items else None
        self._from = at.hex if ed.selection else None

    def release(self, ed: Editing, at: Pointer) -> None:
        if self._from is not None and at.hex != self._from and ed.selection is not None:
            move_thing(ed.draft, ed.selection, at.hex)
        self._from = None

    def secondary(self, ed: Editing, at: Pointer) -> None:
        ed.selection = None

    def preview(self, ed: Editing, hover: Pointer | None) -> Preview:
        if self._from is not None and hover is not None:
            return Preview(outline=[hover.hex], path=[self._from, hover.hex])
        return super().preview(ed, hover)


class TerrainTool(Tool):
    name, label = "terrain", "Terrain"
    hint = "Drag: paint with the brush. Right click: pick the terrain under the pointer. [ ]: brush size."
    defaults = {"code": ".", "brush": "1"}
    BRUSHES = [(f"{n} ({len(hex_range(Hex(0, 0), n - 1))} hexes)", str(n)) for n in range(1, 9)]

    def __init__(self) -> None:
        super().__init__()
        self.stroke: list[Hex] = []

    def fields(self, draft: Draft) -> list[Field]:
        return [Field("code", "Terrain", terrain_choices), Field("brush", "Brush size", lambda _d: self.BRUSHES)]

    def brush(self, hex_: Hex) -> list[Hex]:
        return hex_range(hex_, int(self.options["brush"]) - 1)

    def press(self, ed: Editing, at: Pointer) -> None:
        self.stroke = self.brush(at.hex)

    def drag(self, ed: Editing, at: Pointer) -> None:
        if self.stroke:
            self.stroke += [h for h in self.brush(at.hex) if h not in self.stroke]

    def release(self, ed: Editing, at: Pointer) -> None:
        stroke, self.stroke = self.stroke, []
        changed = me.paint(ed.draft, stroke, self.options["code"])
        ed.say(f"painted {plural(changed, 'hex', 'hexes')}")

    def secondary(self, ed: Editing, at: Pointer) -> None:
        col, row = at.hex.to_offset()
        rows = str(yt.get(ed.draft.data(), ("map", "terrain"), "")).split()
        if 0 <= row < len(rows) and 0 <= col < len(rows[row]):
            self.options["code"] = rows[row][col]
            ed.say(f"terrain {rows[row][col]!r} picked")

    def resize(self, steps: int) -> None:
        self.options["brush"] = str(min(8, max(1, int(self.options["brush"]) + steps)))

    def preview(self, ed: Editing, hover: Pointer | None) -> Preview:
        return Preview(outline=self.brush(hover.hex) if hover else [], fill=(self.stroke, self.options["code"]) if self.stroke else None)


class SideStroke(Tool):
    """Strokes along hex edges: pressing on a hexside already drawn erases along the drag."""

    def __init__(self) -> None:
        super().__init__()
        self.sides: list[Hexside] = []
        self.erasing = False
        self._last: tuple[float, float] | None = None

    def drawn(self, draft: Draft) -> set[Hexside]:
        return set()

    def press(self, ed: Editing, at: Pointer) -> None:
        self.erasing = at.side in self.drawn(ed.draft)
        self.sides = [at.side]
        self._last = at.pos

    def drag(self, ed: Editing, at: Pointer) -> None:
        if self._last is None:
            return
        for side in hexsides_between(ed.layout, self._last, at.pos):
            if side not in self.sides:
                self.sides.append(side)
        self._last = at.pos

    def release(self, ed: Editing, at: Pointer) -> None:
        sides, self.sides, self._last = self.sides, [], None
        if sides:
            self.apply(ed, sides, self.erasing)

    def apply(self, ed: Editing, sides: list[Hexside], erase: bool) -> None:
        raise NotImplementedError

    def secondary(self, ed: Editing, at: Pointer) -> None:
        self.apply(ed, [at.side], True)

    def preview(self, ed: Editing, hover: Pointer | None) -> Preview:
        return Preview(sides=self.sides or ([hover.side] if hover else []), erasing=self.erasing and bool(self.sides))


class HexsideTool(SideStroke):
    name, label = "hexside", "Rivers"
    hint = "Drag along hex edges: draw the line. Start on a drawn edge: erase. Right click: erase one edge."
    defaults = {"feature": "river", "line": NEW, "new_name": "River"}

    def fields(self, draft: Draft) -> list[Field]:
        return [
            Field("feature", "Feature", feature_choices),
            Field("line", "Line", lambda d: _named(d, "hexside_lines", "name", {"feature": self.options["feature"]})),
            Field("new_name", "New line's name"),
        ]

    def _name(self) -> str:
        return self.options["new_name"] if self.options["line"] == NEW else self.options["line"]

    def drawn(self, draft: Draft) -> set[Hexside]:
        lines = yt.get(draft.data(), ("map", "hexside_lines")) or []
        return {
            s for line in lines if line.get("feature") == self.options["feature"] for s in me.parse_sides(line.get("hexsides") or []) if s
        }

    def apply(self, ed: Editing, sides: list[Hexside], erase: bool) -> None:
        feature = self.options["feature"]
        if erase:
            ed.say(f"erased {me.remove_hexsides(ed.draft, sides, 'hexside_lines', {'feature': feature})} hexsides")
            return
        name = self._name()
        me.add_hexsides(ed.draft, feature, name, sides)
        self.options["line"] = name
        ed.say(f"drew {len(sides)} hexsides of {name}")


class BorderTool(SideStroke):
    name, label = "border", "Border"
    hint = "Drag along hex edges: draw the claimed border. Start on a drawn edge: erase. Right click: erase."
    defaults = {"border": NEW, "new_id": "claim", "new_name": "Claimed border"}

    def fields(self, draft: Draft) -> list[Field]:
        return [
            Field("border", "Border", lambda d: _named(d, "borders", "id")),
            Field("new_id", "New border's id"),
            Field("new_name", "New border's name"),
        ]

    def drawn(self, draft: Draft) -> set[Hexside]:
        borders = yt.get(draft.data(), ("map", "borders")) or []
        return {s for b in borders for s in me.parse_sides(b.get("hexsides") or []) if s}

    def apply(self, ed: Editing, sides: list[Hexside], erase: bool) -> None:
        if erase:
            ed.say(f"erased {me.remove_hexsides(ed.draft, sides, 'borders')} border hexsides")
            return
        border = self.options["new_id"] if self.options["border"] == NEW else self.options["border"]
        me.add_border(ed.draft, border, self.options["new_name"], sides)
        self.options["border"] = border


class BridgeTool(Tool):
    name, label = "bridge", "Bridge"
    hint = "Click a hexside: put a standing bridge or pontoon there, or take it away."

    def press(self, ed: Editing, at: Pointer) -> None:
        ed.say("bridge added" if me.toggle_bridge(ed.draft, at.side) else "bridge removed")

    def preview(self, ed: Editing, hover: Pointer | None) -> Preview:
        return Preview(sides=[hover.side] if hover else [])


class RoadTool(Tool):
    name, label = "road", "Road"
    hint = "Drag from hex to hex: a road (from a road's end: extends it). Right click: cut roads at a hex."
    defaults = {"kind": "track", "road": NEW, "new_name": "Track"}

    def __init__(self) -> None:
        super().__init__()
        self.path: list[Hex] = []

    def fields(self, draft: Draft) -> list[Field]:
        return [
            Field("kind", "Kind", road_kinds),
            Field("road", "Road", lambda d: _named(d, "roads", "name", {"kind": self.options["kind"]})),
            Field("new_name", "New road's name"),
        ]

    def press(self, ed: Editing, at: Pointer) -> None:
        self.path = [at.hex]

    def drag(self, ed: Editing, at: Pointer) -> None:
        if self.path and at.hex != self.path[-1]:
            self.path.append(at.hex)

    def release(self, ed: Editing, at: Pointer) -> None:
        path, self.path = self.path, []
        name = self.options["new_name"] if self.options["road"] == NEW else self.options["road"]
        if len(path) >= 2:
            me.draw_road(ed.draft, self.options["kind"], name, path)
            self.options["road"] = name

    def secondary(self, ed: Editing, at: Pointer) -> None:
        ed.say(f"cut {me.cut_roads(ed.draft, at.hex)} roads at {format_hex(at.hex)}")

    def preview(self, ed: Editing, hover: Pointer | None) -> Preview:
        return Preview(outline=[hover.hex] if hover else [], path=list(self.path))


class UnitTool(Tool):
    name, label = "unit", "Unit"
    hint = "Click: place a unit (with 'Arrives' set: a reinforcement entering there). Right click: remove the last unit there."
    defaults = {"type": "rifle_bn", "side": "", "formation": "", "name": "", "arrives": ""}

    def fields(self, draft: Draft) -> list[Field]:
        return [
            Field("type", "Unit type", type_choices),
            Field("side", "Side", side_choices),
            Field("formation", "Formation"),
            Field("name", "Name (blank: id)"),
            Field("arrives", "Arrives (date time)"),
        ]

    def press(self, ed: Editing, at: Pointer) -> None:
        side = self.options["side"] or next((v for _l, v in side_choices(ed.draft)), "")
        arrives = self.options["arrives"].strip()
        at_time = datetime.fromisoformat(arrives) if arrives else None
        unit_id = de.place_unit(
            ed.draft, self.options["type"], side, at.hex, arrive=at_time, name=self.options["name"], formation=self.options["formation"]
        )
        ed.selection = ("unit", unit_id)
        ed.say(f"placed {unit_id}")

    def secondary(self, ed: Editing, at: Pointer) -> None:
        here = de.units_at(ed.draft, at.hex)
        if here:
            de.remove_unit(ed.draft, here[-1])
            ed.selection = None
            ed.say(f"removed {here[-1]}")


class MarkerTool(Tool):
    """Objectives, supply sources, fortifications, place names: one entry on one hex."""

    kind = ""

    def entry(self, ed: Editing, hex_: Hex) -> int:
        raise NotImplementedError

    def press(self, ed: Editing, at: Pointer) -> None:
        found = de.markers_at(ed.draft, self.kind, at.hex)
        index = found[0] if found else self.entry(ed, at.hex)
        ed.selection = (self.kind, index)

    def secondary(self, ed: Editing, at: Pointer) -> None:
        found = de.markers_at(ed.draft, self.kind, at.hex)
        if found:
            de.remove_entry(ed.draft, de.MARKERS[self.kind], found[-1], f"remove {self.kind}")
            ed.selection = None


class ObjectiveTool(MarkerTool):
    name, label, kind = "objective", "Objective", "objective"
    hint = "Click: make the hex an objective (or select the one there). Right click: remove it."
    defaults = {"name": "Objective", "points": "5", "holder": ""}

    def fields(self, draft: Draft) -> list[Field]:
        return [Field("name", "Name"), Field("points", "Victory points"), Field("holder", "Held at start by", holder_choices)]

    def entry(self, ed: Editing, hex_: Hex) -> int:
        return de.set_objective(ed.draft, hex_, self.options["name"], int(self.options["points"] or 0), self.options["holder"] or None)


class SupplyTool(MarkerTool):
    name, label, kind = "supply", "Supply", "supply"
    hint = "Click: a supply source of the side (or select the one there). Right click: remove it."
    defaults = {"side": "", "name": "Depot"}

    def fields(self, draft: Draft) -> list[Field]:
        return [Field("side", "Side", side_choices), Field("name", "Name")]

    def entry(self, ed: Editing, hex_: Hex) -> int:
        side = self.options["side"] or next((v for _l, v in side_choices(ed.draft)), "")
        return de.add_supply_source(ed.draft, side, self.options["name"], hex_)


class FortificationTool(MarkerTool):
    name, label, kind = "fortification", "Fortified", "fortification"
    hint = "Click: prepared positions of the side (or select those there). Right click: remove them."
    defaults = {"side": "", "name": "Positions", "level": "1"}

    def fields(self, draft: Draft) -> list[Field]:
        return [
            Field("side", "Side", side_choices),
            Field("name", "Name"),
            Field("level", "Level", lambda _d: [("1", "1"), ("2", "2"), ("3", "3")]),
        ]

    def entry(self, ed: Editing, hex_: Hex) -> int:
        side = self.options["side"] or next((v for _l, v in side_choices(ed.draft)), "")
        return de.add_fortification(ed.draft, side, self.options["name"], hex_, int(self.options["level"]))


class PlaceTool(MarkerTool):
    name, label, kind = "place", "Place", "place"
    hint = "Click: name a place in the hex (or select the one there). Right click: remove it."
    defaults = {"name": "Place"}

    def fields(self, draft: Draft) -> list[Field]:
        return [Field("name", "Name")]

    def entry(self, ed: Editing, hex_: Hex) -> int:
        return me.add_place(ed.draft, self.options["name"], hex_)


class UnderlayTool(Tool):
    name, label = "underlay", "Underlay"
    hint = "Drag: move the reference image. Wheel: scale it at the pointer. Settings under Underlay..."


TOOLS: tuple[type[Tool], ...] = (
    SelectTool,
    TerrainTool,
    HexsideTool,
    BorderTool,
    BridgeTool,
    RoadTool,
    PlaceTool,
    UnitTool,
    ObjectiveTool,
    SupplyTool,
    FortificationTool,
    UnderlayTool,
)


# ---------------------------------------------------------------- what stands in a hex


def things_at(draft: Draft, hex_: Hex) -> list[Selection]:
    """Everything selectable in a hex: its units, then objective, supply, fortification, place."""
    found: list[Selection] = [("unit", unit_id) for unit_id in de.units_at(draft, hex_)]
    for kind in ("objective", "supply", "fortification", "place"):
        found += [(kind, n) for n in de.markers_at(draft, kind, hex_)]
    return found


def move_thing(draft: Draft, selection: Selection, hex_: Hex) -> None:
    kind, key = selection
    if kind == "unit":
        de.move_unit(draft, key, hex_)
    else:
        de.set_fields(draft, (*de.MARKERS[kind], key), {"hex": format_hex(hex_)}, f"move {kind} to {format_hex(hex_)}")


def remove_thing(draft: Draft, selection: Selection) -> None:
    kind, key = selection
    if kind == "unit":
        de.remove_unit(draft, key)
    else:
        de.remove_entry(draft, de.MARKERS[kind], key, f"remove {kind}")
