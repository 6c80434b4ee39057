"""The legal actions of a state, grouped by who acts and where: what a click can mean.

The front end never builds an action itself: it looks up what ``engine.legal_actions`` offers
for the selected unit and the clicked hex.  Actions are frozen dataclasses, so instead of a
switch on each kind, the acting units and the target hex are read from the fields: string
fields holding a unit id (or tuples of them) name the actors, the first :class:`Hex` field is
the target.  ``Move(unit, to)`` works this way today, and so will ``Attack``, ``Bombard``,
``Retreat`` or ``Advance`` when the engine offers them, with no change here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from nomonhan import engine
from nomonhan.actions import Action
from nomonhan.hexgrid import Hex
from nomonhan.state import GameState


def units_named(record: object, unit_ids: Mapping[str, int]) -> tuple[str, ...]:
    """The units an action (or event) is about, in field order."""
    found: list[str] = []
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        values = value if isinstance(value, tuple) else (value,)
        found.extend(v for v in values if isinstance(v, str) and v in unit_ids)
    return tuple(found)


def first_hex(record: object) -> Hex | None:
    """The hex an action targets (its first hex field), or None."""
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        if isinstance(value, Hex):
            return value
    return None


class OrderIndex:
    """The legal actions of one state, indexed by (unit, hex), by unit, by hex, and the rest."""

    def __init__(self, state: GameState, actions: Iterable[Action] | None = None) -> None:
        unit_ids = state.scenario.unit_order
        self._at: dict[tuple[str, Hex], list[Action]] = {}
        self._by_unit: dict[str, list[Action]] = {}
        self._by_hex: dict[Hex, list[Action]] = {}
        self.general: list[Action] = []
        """Actions tied to no unit (``EndPhase``, and any such kind the engine adds)."""
        for action in engine.legal_actions(state) if actions is None else actions:
            units = units_named(action, unit_ids)
            target = first_hex(action)
            for unit_id in units:
                self._by_unit.setdefault(unit_id, []).append(action)
                if target is not None:
                    self._at.setdefault((unit_id, target), []).append(action)
            if not units:
                if target is None:
                    self.general.append(action)
                else:
                    self._by_hex.setdefault(target, []).append(action)

    def at(self, unit_id: str | None, hex_: Hex) -> list[Action]:
        """What clicking ``hex_`` may mean with ``unit_id`` selected (or nothing selected)."""
        if unit_id is None:
            return list(self._by_hex.get(hex_, ()))
        return list(self._at.get((unit_id, hex_), ())) + list(self._by_hex.get(hex_, ()))

    def for_unit(self, unit_id: str) -> list[Action]:
        return list(self._by_unit.get(unit_id, ()))

    def targets(self, unit_id: str, kind: type) -> set[Hex]:
        """Hexes where ``unit_id`` has an action of ``kind`` (to highlight them)."""
        return {h for (u, h), actions in self._at.items() if u == unit_id and any(isinstance(a, kind) for a in actions)}

    def other_targets(self, unit_id: str, kind: type) -> dict[Hex, list[Action]]:
        """Hexes where ``unit_id`` has actions of kinds other than ``kind`` (attack targets...)."""
        found: dict[Hex, list[Action]] = {}
        for (u, h), actions in self._at.items():
            if u == unit_id:
                others = [a for a in actions if not isinstance(a, kind)]
                if others:
                    found[h] = others
        return found

    def units_with_orders(self) -> list[str]:
        """Units that can still do something, in the engine's (scenario) order."""
        return list(self._by_unit)

    def first(self, kind: type) -> Action | None:
        return next((a for a in self.general if isinstance(a, kind)), None)
