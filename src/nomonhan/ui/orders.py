"""The legal actions of a state, grouped by who acts and where: what a click can mean.

The front end never builds an action itself: it looks up what ``engine.legal_actions`` offers
for the selected unit and the clicked hex.  Actions are frozen dataclasses, so instead of a
switch on each kind, the acting units and the target hex are read from the fields: string
fields holding a unit id (or tuples of them) name the actors, the first :class:`Hex` field is
the target; a :class:`Hexside` field (a bridge to build or blow) targets the hex across it from
the acting unit.  ``Move``, ``Declare``, ``Support``, ``Retreat``, ``AirMission``, overruns and the bridge
actions all work this way, and so will a kind the engine adds later, with no change here.
Actions with no target hex (``Advance``, ``HoldPosition``, air superiority, ``EndPhase``) are
offered as buttons instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from nomonhan import engine
from nomonhan.actions import Action
from nomonhan.hexgrid import Hex, Hexside
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
    """The first hex field of an action or event, or None."""
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        if isinstance(value, Hex):
            return value
    return None


def target_hex(action: Action, state: GameState, units: tuple[str, ...]) -> Hex | None:
    """Where a click orders ``action``: its hex, or the far side of its hexside from its unit."""
    found = first_hex(action)
    if found is not None:
        return found
    for f in dataclasses.fields(action):
        value = getattr(action, f.name)
        if isinstance(value, Hexside):
            here = {state.unit(u).hex for u in units}
            return value.high if value.low in here else value.low
    return None


class OrderIndex:
    """The legal actions of one state, indexed by (unit, hex), by unit, by hex, and the rest."""

    def __init__(self, state: GameState, actions: Iterable[Action] | None = None) -> None:
        unit_ids = state.scenario.unit_order
        self._at: dict[tuple[str, Hex], list[Action]] = {}
        self._by_unit: dict[str, list[Action]] = {}
        self._by_hex: dict[Hex, list[Action]] = {}
        self._loose: dict[str, list[Action]] = {}
        self.general: list[Action] = []
        """Actions tied to no unit and no hex (``EndPhase``, ``HoldPosition``, air superiority)."""
        for action in engine.legal_actions(state) if actions is None else actions:
            units = units_named(action, unit_ids)
            target = target_hex(action, state, units)
            for unit_id in units:
                self._by_unit.setdefault(unit_id, []).append(action)
                if target is None:
                    self._loose.setdefault(unit_id, []).append(action)
                else:
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

    def targets(self, unit_id: str | None) -> dict[Hex, list[Action]]:
        """Every hex where a click has a meaning for ``unit_id`` (None: with nothing selected)."""
        if unit_id is None:
            return {h: list(actions) for h, actions in self._by_hex.items()}
        return {h: list(actions) for (u, h), actions in self._at.items() if u == unit_id}

    def untargeted(self, unit_id: str | None) -> list[Action]:
        """Actions of ``unit_id`` with no target hex (for None: the unit-less ones), for buttons."""
        return list(self.general) if unit_id is None else list(self._loose.get(unit_id, ()))

    def units_with_orders(self) -> list[str]:
        """Units that can still do something, in the engine's (scenario) order."""
        return list(self._by_unit)

    def first(self, kind: type) -> Action | None:
        return next((a for a in self.general if isinstance(a, kind)), None)
