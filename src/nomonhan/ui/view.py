"""What one viewer may see of a game state: the only input the map drawing reads.

Built from :func:`nomonhan.engine.observe`, so fog of war holds by construction: a side's view
holds its own units and the enemy units in ``observation.enemy_units``, nothing else.  The
*full* view (viewer ``None``) is for replays and computer-versus-computer games.  The state's
fields a map view shares with the observation (the clock, the bridges, the air missions) are
copied by :func:`nomonhan.engine.view.shared_fields`, by the marks in ``state.py``, never by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

from nomonhan import engine
from nomonhan.engine.view import shared_fields
from nomonhan.hexgrid import Hex, Hexside
from nomonhan.rules.air import weather
from nomonhan.rules.movement import zone_of_control
from nomonhan.scenario.load import Scenario
from nomonhan.state import AirState, Declaration, GameState, Pending, Phase, Unit, UnitStatus


@dataclass(frozen=True)
class MapView:
    scenario: Scenario = field(repr=False)
    viewer: str | None
    turn: int
    active_side: str
    phase: Phase
    is_night: bool
    game_over: bool
    units: tuple[Unit, ...]
    """Every unit on the map this viewer may see, in scenario order."""
    seen: frozenset[Hex] | None
    """Hexes the viewer observes (None: everything, the full view)."""
    enemy_zoc: frozenset[Hex]
    """Zones of control of the enemy units the viewer sees (for the full view: the active side's enemy)."""
    holders: tuple[str | None, ...]
    bridges: frozenset[Hexside]
    reserves: tuple[Unit, ...]
    """The viewer's own units not yet on the map (the full view: both sides')."""
    weather: str
    pending: Pending | None
    air: AirState
    declaration: Declaration | None
    """The attack or bombardment being declared (seen by the side declaring it and the full view)."""
    pontoon_work: tuple[tuple[Hexside, str, int], ...]
    """Pontoons being thrown, not yet standing: (hexside, side, hours worked); a side sees its own."""

    def units_at(self, hex_: Hex) -> list[Unit]:
        return self.stacks.get(hex_, [])

    @cached_property
    def stacks(self) -> dict[Hex, list[Unit]]:
        """Hex -> the units seen there, in scenario order."""
        found: dict[Hex, list[Unit]] = {}
        for unit in self.units:
            found.setdefault(unit.position, []).append(unit)
        return found

    def is_own(self, unit: Unit) -> bool:
        return self.viewer is None or unit.side == self.viewer


def make_view(state: GameState, viewer: str | None) -> MapView:
    """The view of ``state`` for side ``viewer`` (memoised on the state, which is frozen)."""
    key = ("ui-view", viewer)
    found = state.memo.get(key)
    if found is None:
        found = state.memo[key] = _side_view(state, viewer) if viewer else _full_view(state)
    return found


def _side_view(state: GameState, side: str) -> MapView:
    observation = engine.observe(state, side)
    scenario = state.scenario
    own = tuple(u for u in observation.own_units if u.on_map)
    return MapView(
        **_mapped(shared_fields(state, side)),
        scenario=scenario,
        viewer=side,
        is_night=observation.is_night,
        units=tuple(sorted(own + observation.enemy_units, key=lambda u: scenario.unit_order[u.id])),
        seen=frozenset(observation.seen_hexes),
        enemy_zoc=_zoc_of(state, observation.enemy_units),
        holders=observation.holders,
        bridges=observation.bridges,
        reserves=tuple(u for u in observation.own_units if u.status is UnitStatus.RESERVE),
        weather=observation.weather,
        pontoon_work=observation.pontoon_work,
    )


def _full_view(state: GameState) -> MapView:
    scenario = state.scenario
    enemy = scenario.enemy_of(state.active_side)
    return MapView(
        **_mapped(shared_fields(state, None)),
        scenario=scenario,
        viewer=None,
        is_night=state.is_night,
        units=tuple(u for u in state.units if u.on_map),
        seen=None,
        enemy_zoc=_zoc_of(state, [u for u in state.units if u.on_map and u.side == enemy]),
        holders=state.holders,
        bridges=state.bridges,
        reserves=tuple(u for u in state.units if u.status is UnitStatus.RESERVE),
        weather=weather(scenario, state.turn),
        pontoon_work=state.pontoon_work,
    )


def _mapped(shared: dict[str, Any]) -> dict[str, Any]:
    """The state's shared fields that the map view declares (the map draws no score or dice)."""
    return {name: value for name, value in shared.items() if name in _MAP_FIELDS}


_MAP_FIELDS = frozenset(f.name for f in fields(MapView))


def full_steps(scenario: Scenario, unit: Unit) -> int:
    """The steps a unit has at full strength (its set-up may start it reduced)."""
    return scenario.units[scenario.unit_order[unit.id]].starting_steps


def _zoc_of(state: GameState, enemies: Iterable[Unit]) -> frozenset[Hex]:
    return frozenset(state.scenario.board.hexes[i] for i in zone_of_control(state.scenario, enemies, state.clock))
