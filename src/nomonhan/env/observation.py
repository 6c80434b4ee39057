"""Observation planes and globals, built from one side's :class:`~nomonhan.engine.Observation`
only (never from the game state), so an agent learns from exactly what a human player sees.

``planes`` is a ``float32`` array ``(channels, rows, columns)`` over the map's offset grid
(``planes[c, row, col]``; odd columns sit half a hex lower).  Its channels, in order
(:meth:`ObservationEncoder.channel_names` lists them by name):

- ``terrain:<id>``: one-hot terrain, one channel per terrain type of the rules data;
- ``feature:<id>:<dir>``: 1 where the hexside in direction ``dir`` (N, NE, SE, S, SW, NW)
  carries that hexside feature (river, ...); ``road:<dir>``: a road crosses it;
  ``bridge:<dir>``: a bridge or pontoon stands on it now;
- ``objective:points``: the objective's end-of-game points; ``objective:mine`` and
  ``objective:theirs``: 1 where this side, or the enemy, holds it as this side last saw;
- ``in_sight``: 1 on the hexes this side sees now;
- ``own:<type>``: steps of this side's units of each unit type in the hex;
- ``own:move_points``, ``own:cut_off`` (the longest time cut off from supply, in supply phases),
  ``own:entrenchment`` (the highest dug-in level), ``own:fresh`` (units yet to move or attack);
- ``enemy:<type>``: steps of enemy units of each type in sight;
- ``last_seen:steps`` and ``last_seen:age``: enemy steps last seen in a hex now out of sight,
  and how many turns ago (the most recent sighting); reinforcements never seen are not shown;
- ``zoc:own`` and ``zoc:enemy``: zones of control of this side's units and of the enemy in sight;
- ``supply``: 1 where this side's supply reaches, traced on what it knows;
- ``declared:target``, ``declared:units``: the attack or bombardment this side is declaring
  (its target, and the units and guns in it); ``pending:target``: the hex of a pending retreat
  or advance; ``attacked``: hexes attacked this player turn.

``globals`` is a ``float32`` vector, in order: turn, last turn, turn / last turn, one-hot
player phase (air, movement, bombardment, combat), night, clear weather, this side active, this
side to act, a retreat pending, an advance pending, declaring, air points left (active side),
own standing air superiority, enemy air superiority, supply points left (-1: unlimited or not
this side's turn), own banked points, enemy banked points, objective points held by this side,
by the enemy (as last seen), own steps lost.  :data:`GLOBAL_NAMES` names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from nomonhan import engine
from nomonhan.engine import Observation
from nomonhan.hexgrid import Direction, Hexside
from nomonhan.rules.movement import zone_of_control
from nomonhan.scenario.load import Scenario
from nomonhan.state import GameState, Phase, Unit, UnitStatus

PLAYER_PHASES = (Phase.AIR, Phase.MOVEMENT, Phase.BOMBARDMENT, Phase.COMBAT)
GLOBAL_NAMES = (
    "turn",
    "last_turn",
    "progress",
    "phase:air",
    "phase:movement",
    "phase:bombardment",
    "phase:combat",
    "night",
    "clear_weather",
    "active",
    "to_act",
    "pending:retreat",
    "pending:advance",
    "declaring",
    "air:points_left",
    "air:own_superiority",
    "air:enemy_superiority",
    "supply_left",
    "banked:own",
    "banked:enemy",
    "objectives:own",
    "objectives:enemy",
    "own_steps_lost",
)
DYNAMIC = (
    "objective:mine",
    "objective:theirs",
    "in_sight",
    "own:move_points",
    "own:cut_off",
    "own:entrenchment",
    "own:fresh",
    "last_seen:steps",
    "last_seen:age",
    "zoc:own",
    "zoc:enemy",
    "supply",
    "declared:target",
    "declared:units",
    "pending:target",
    "attacked",
)


@dataclass
class Sightings:
    """What one side remembers of enemy units out of sight: each unit as last seen, and when."""

    last_seen: dict[str, tuple[Unit, int]] = field(default_factory=dict)

    def update(self, observation: Observation) -> None:
        for unit in observation.enemy_units:
            self.last_seen[unit.id] = (unit, observation.turn)


class ObservationEncoder:
    """Planes and globals for one side of one scenario (layout in the module docstring)."""

    def __init__(self, scenario: Scenario, side: str) -> None:
        board = scenario.board
        rules = scenario.rules
        self.side = side
        self.shape = (board.rows, board.columns)
        self.types = tuple(scenario.unit_types)
        names = [f"terrain:{t.id}" for t in rules.terrain]
        names += [f"feature:{f.id}:{d.name}" for f in rules.hexside_features for d in Direction]
        names += [f"road:{d.name}" for d in Direction] + [f"bridge:{d.name}" for d in Direction]
        names += ["objective:points"]
        names += [f"own:{t}" for t in self.types] + [f"enemy:{t}" for t in self.types] + list(DYNAMIC)
        self.channel_names = tuple(names)
        self.channel = {name: n for n, name in enumerate(names)}
        self._static = self._static_planes(scenario)
        self._objectives = [board.index[h] for h in scenario.objective_hexes]

    @property
    def plane_shape(self) -> tuple[int, int, int]:
        return (len(self.channel_names), *self.shape)

    def _static_planes(self, scenario: Scenario) -> np.ndarray:
        board = scenario.board
        planes = np.zeros((len(self.channel_names), len(board.hexes)), dtype=np.float32)
        for i, (hex_, terrain) in enumerate(zip(board.hexes, board.terrain)):
            planes[self.channel[f"terrain:{terrain.id}"], i] = 1
            for d in Direction:
                neighbour = hex_.neighbour(d)
                if neighbour not in board.index:
                    continue
                side = Hexside.between(hex_, neighbour)
                for feature in board.features.get(side, ()):
                    planes[self.channel[f"feature:{feature}:{d.name}"], i] = 1
                if side in board.roads:
                    planes[self.channel[f"road:{d.name}"], i] = 1
        for objective in scenario.objectives:
            planes[self.channel["objective:points"], board.index[objective.hex]] = objective.points
        return planes

    def planes(self, observation: Observation, sightings: Sightings | None = None) -> np.ndarray:
        """The ``(channels, rows, columns)`` planes of what ``observation``'s side knows."""
        scenario = observation.scenario
        board = scenario.board
        index = board.index
        channel = self.channel
        planes = self._static.copy()
        for side in observation.bridges:
            for hex_, other in ((side.low, side.high), (side.high, side.low)):
                if hex_ in index:
                    planes[channel[f"bridge:{Direction(hex_.direction_to(other)).name}"], index[hex_]] = 1
        mine, theirs = channel["objective:mine"], channel["objective:theirs"]
        for i, holder in zip(self._objectives, observation.holders):
            if holder is not None:
                planes[mine if holder == self.side else theirs, i] = 1
        for hex_ in observation.seen_hexes:
            planes[channel["in_sight"], index[hex_]] = 1
        own = [u for u in observation.own_units if u.on_map]
        for unit in own:
            i = index[unit.position]
            planes[channel[f"own:{unit.type_id}"], i] += unit.steps
            planes[channel["own:move_points"], i] += unit.move_points
            planes[channel["own:cut_off"], i] = max(planes[channel["own:cut_off"], i], unit.out_of_supply)
            planes[channel["own:entrenchment"], i] = max(planes[channel["own:entrenchment"], i], unit.entrenchment)
            planes[channel["own:fresh"], i] += not (unit.moved or unit.attacked)
        for unit in observation.enemy_units:
            planes[channel[f"enemy:{unit.type_id}"], index[unit.position]] += unit.steps
        if sightings is not None:
            self._last_seen(planes, observation, sightings)
        moment = scenario.turn_start(observation.turn)
        planes[channel["zoc:own"], list(zone_of_control(scenario, own, moment))] = 1
        planes[channel["zoc:enemy"], list(zone_of_control(scenario, observation.enemy_units, moment))] = 1
        supplied = engine.supplied_hexes(engine.believed_state(observation), self.side)
        planes[channel["supply"], [index[h] for h in supplied]] = 1
        declaration = observation.declaration
        if declaration is not None:
            planes[channel["declared:target"], index[declaration.target]] = 1
            positions = {u.id: u.position for u in own}
            for unit_id in declaration.units + declaration.guns:
                planes[channel["declared:units"], index[positions[unit_id]]] += 1
        if observation.pending is not None:
            planes[channel["pending:target"], index[observation.pending.target]] = 1
        for hex_ in observation.attacked_hexes:
            planes[channel["attacked"], index[hex_]] = 1
        return planes.reshape(self.plane_shape)

    def _last_seen(self, planes: np.ndarray, observation: Observation, sightings: Sightings) -> None:
        index = observation.scenario.board.index
        in_sight = {u.id for u in observation.enemy_units}
        steps, age = self.channel["last_seen:steps"], self.channel["last_seen:age"]
        for unit_id, (unit, turn) in sightings.last_seen.items():
            if unit_id in in_sight or unit.hex is None or unit.hex in observation.seen_hexes:
                continue
            i = index[unit.hex]
            ago = observation.turn - turn
            planes[age, i] = ago if planes[steps, i] == 0 else min(planes[age, i], ago)
            planes[steps, i] += unit.steps

    def globals(self, observation: Observation) -> np.ndarray:
        """The vector of globals named by :data:`GLOBAL_NAMES`."""
        scenario = observation.scenario
        last_turn = scenario.period.last_turn
        enemy = scenario.enemy_of(self.side)
        active = observation.active_side == self.side
        pending = observation.pending
        to_act = (pending.side if pending else observation.active_side) == self.side
        banked = dict(zip(scenario.side_ids, observation.banked_points))
        held = {self.side: 0, enemy: 0}
        for objective, holder in zip(scenario.objectives, observation.holders):
            if holder in held:
                held[holder] += objective.points
        setups = scenario.units
        lost = sum(
            setups[scenario.unit_order[unit.id]].starting_steps - (0 if unit.status is UnitStatus.ELIMINATED else unit.steps)
            for unit in observation.own_units
            if unit.status is not UnitStatus.RESERVE
        )
        values = [
            observation.turn,
            last_turn,
            observation.turn / last_turn,
            *(float(observation.phase is phase) for phase in PLAYER_PHASES),
            observation.is_night,
            observation.weather == "clear",
            active,
            to_act,
            pending is not None and pending.kind == "retreat",
            pending is not None and pending.kind == "advance",
            observation.declaration is not None,
            observation.air.points_left if active else 0,
            observation.air.superiority_of(self.side),
            observation.air.superiority_of(enemy),
            -1 if observation.supply_left is None else observation.supply_left,
            banked[self.side],
            banked[enemy],
            held[self.side],
            held[enemy],
            lost,
        ]
        return np.asarray(values, dtype=np.float32)


def full_information(state: GameState, side: str) -> Observation:
    """``side``'s observation with every enemy unit shown and every hex in sight: the planes
    of this are the environment's ``state()``, for centralised training only."""
    board = state.scenario.board
    enemy = [u for u in state.units if u.side != side and u.on_map]
    return replace(engine.observe(state, side), enemy_units=tuple(enemy), seen_hexes=frozenset(board.hexes), holders=state.holders)
