"""A scenario file's sections compiled for the rules: frozen values holding ``Hex`` and
``Hexside``, never hex strings.

The pydantic models of :mod:`nomonhan.scenario.schema` describe the file (its notation, its
limits, its error messages) and stay at the edge: loading, validating, writing and the editor.
The rules, the engine and the computer players read these instead (as fields of
:class:`~nomonhan.scenario.load.Scenario`), built once per scenario by the functions below, so
hot code never parses a hex.  Collections are tuples, frozensets and dicts keyed by ``Hex``,
cheap to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from itertools import pairwise

from nomonhan.hexgrid import Hex, Hexside, line, parse_hex, parse_hexside
from nomonhan.scenario import schema


@dataclass(frozen=True)
class Period:
    """When the game runs: the first turn's start, each turn's length, the last turn, daylight."""

    start: datetime
    turn_hours: int
    last_turn: int
    dawn: time
    dusk: time
    first_side: str


@dataclass(frozen=True)
class EarlyRelease:
    """An event that lets a reinforcement in before its time: an objective changing hands or a
    unit eliminated (one of the two is given)."""

    objective: str | None
    eliminated: str | None


@dataclass(frozen=True)
class Arrival:
    at: datetime
    hex: Hex
    early: tuple[EarlyRelease, ...]


@dataclass(frozen=True)
class UnitSetup:
    """One unit as the scenario sets it up: on the map at ``hex``, or arriving later."""

    id: str
    name: str
    type: str
    side: str
    formation: str
    hex: Hex | None
    arrive: Arrival | None
    starting_steps: int
    """The steps it starts with: its set-up's (which may start it reduced), else its type's."""


@dataclass(frozen=True)
class Objective:
    name: str
    hex: Hex
    points: int
    points_per_turn: int
    initial_holder: str | None


@dataclass(frozen=True)
class SuddenDeath:
    """``side`` wins at once when it holds every objective named at a turn's end."""

    side: str
    objectives: tuple[str, ...]
    from_turn: int


@dataclass(frozen=True)
class VictoryLevels:
    decisive: int
    marginal: int


@dataclass(frozen=True, kw_only=True)
class TimeWindow:
    """A rule holds from ``start`` (None: the first turn) until ``until`` (None: the last)."""

    start: datetime | None
    until: datetime | None

    def holds_at(self, moment: datetime) -> bool:
        """Whether the rule holds at ``moment`` (a turn's start time): ``start <= moment < until``."""
        return (self.start is None or self.start <= moment) and (self.until is None or moment < self.until)


@dataclass(frozen=True, kw_only=True)
class BorderRule(TimeWindow):
    side: str
    border: str


@dataclass(frozen=True, kw_only=True)
class HoldFireRule(TimeWindow):
    side: str
    units: frozenset[str]
    """Unit ids; empty: every gun of the side."""


@dataclass(frozen=True)
class NightAttackRule:
    side: str
    shift: int
    zoc_leave_cost: int


@dataclass(frozen=True)
class SpecialRules:
    zoc_to_zoc: bool
    border_crossing_forbidden: tuple[BorderRule, ...]
    night_attack: tuple[NightAttackRule, ...]
    hold_fire: tuple[HoldFireRule, ...]


@dataclass(frozen=True)
class AirPoints:
    side: str
    start: datetime
    points: int


@dataclass(frozen=True)
class WeatherSpell:
    start: datetime
    weather: str


@dataclass(frozen=True)
class SupplySource:
    side: str
    name: str
    hex: Hex


@dataclass(frozen=True)
class SupplyCapacity:
    """One side's haul (by lorry from a railhead, or fixed points a turn) and its build-up."""

    side: str
    railhead_km: int | None
    lorries: int | None
    points: int | None
    stockpile: int


@dataclass(frozen=True)
class WaterShortage:
    side: str
    terrain: frozenset[str]
    """Terrain codes where water is short."""
    stage: str


@dataclass(frozen=True)
class Supply:
    sources: tuple[SupplySource, ...]
    capacity: tuple[SupplyCapacity, ...]
    water_shortage: tuple[WaterShortage, ...]


@dataclass(frozen=True)
class LossRange:
    """Historical losses of one side, each figure a (low, high) range or None if not known."""

    men: tuple[int, int] | None
    tanks: tuple[int, int] | None
    armoured_cars: tuple[int, int] | None
    guns: tuple[int, int] | None
    scope: str


@dataclass(frozen=True)
class HistoricalResult:
    winner: str
    losses: dict[str, LossRange]
    held_objectives: dict[str, str]
    """Objective name -> the side holding it as history ended."""


@dataclass(frozen=True)
class AiObjective:
    hex: Hex
    by_turn: int
    goal: str  # "take" or "hold"


@dataclass(frozen=True)
class AiAxis:
    name: str
    waypoints: tuple[Hex, ...]
    formations: tuple[str, ...]
    path: tuple[Hex, ...]
    """Every hex along the axis (see :func:`axis_path`)."""
    from_turn: int = 1
    """The turn the formations start along the axis; before it they hold as the side's posture
    has it (a counter-attack planned for a later day)."""


@dataclass(frozen=True)
class AiHints:
    objectives: tuple[AiObjective, ...] = ()
    axes: tuple[AiAxis, ...] = ()
    posture: str = "balanced"
    posture_given: bool = False
    """Whether the author chose the posture (else the side's own plan does)."""
    attacks: str = "anywhere"
    """``objectives``: the side attacks only enemy stacks standing on objective hexes."""


def unit_setups(model: schema.ScenarioFile, unit_types: dict[str, schema.UnitType]) -> tuple[UnitSetup, ...]:
    return tuple(_unit(setup, unit_types) for setup in model.units)


def objectives(model: schema.ScenarioFile) -> tuple[Objective, ...]:
    return tuple(Objective(o.name, parse_hex(o.hex), o.points, o.points_per_turn, o.initial_holder) for o in model.objectives)


def victory_levels(levels: schema.VictoryLevels) -> VictoryLevels:
    return VictoryLevels(levels.decisive, levels.marginal)


def sudden_death(model: schema.ScenarioFile) -> tuple[SuddenDeath, ...]:
    return tuple(SuddenDeath(r.side, tuple(r.objectives), r.from_turn) for r in model.sudden_death)


def air_points(model: schema.ScenarioFile) -> tuple[AirPoints, ...]:
    return tuple(AirPoints(a.side, a.start, a.points) for a in model.air)


def weather(model: schema.ScenarioFile) -> tuple[WeatherSpell, ...]:
    return tuple(WeatherSpell(w.start, w.weather) for w in model.weather)


def fortified(model: schema.ScenarioFile) -> dict[tuple[str, Hex], tuple[tuple[datetime | None, int], ...]]:
    """(side, hex) -> the prepared positions there: (from when, level)."""
    found: dict[tuple[str, Hex], list[tuple[datetime | None, int]]] = {}
    for fort in model.fortifications:
        found.setdefault((fort.side, parse_hex(fort.hex)), []).append((fort.start, fort.level))
    return {key: tuple(entries) for key, entries in found.items()}


def standing_bridges(spec: schema.MapSpec) -> frozenset[Hexside]:
    return frozenset(parse_hexside(text) for text in spec.bridges)


def ai_hints(model: schema.ScenarioFile) -> dict[str, AiHints]:
    return {side: _ai_hints(hints) for side, hints in model.ai_hints.items()}


def period(period: schema.Period) -> Period:
    daylight = period.daylight
    return Period(period.start, period.turn_hours, period.last_turn, daylight.dawn, daylight.dusk, period.first_side)


def _unit(setup: schema.UnitSetup, unit_types: dict[str, schema.UnitType]) -> UnitSetup:
    arrive = setup.arrive
    return UnitSetup(
        id=setup.id,
        name=setup.name,
        type=setup.type,
        side=setup.side,
        formation=setup.formation,
        hex=parse_hex(setup.hex) if setup.hex else None,
        arrive=(
            None
            if arrive is None
            else Arrival(arrive.at, parse_hex(arrive.hex), tuple(EarlyRelease(e.objective, e.eliminated) for e in arrive.early))
        ),
        starting_steps=setup.steps or unit_types[setup.type].steps,
    )


def special_rules(special: schema.SpecialRules) -> SpecialRules:
    return SpecialRules(
        zoc_to_zoc=special.zoc_to_zoc,
        border_crossing_forbidden=tuple(
            BorderRule(start=r.start, until=r.until, side=r.side, border=r.border) for r in special.border_crossing_forbidden
        ),
        night_attack=tuple(NightAttackRule(r.side, r.shift, r.zoc_leave_cost) for r in special.night_attack),
        hold_fire=tuple(HoldFireRule(start=r.start, until=r.until, side=r.side, units=frozenset(r.units)) for r in special.hold_fire),
    )


def supply(supply: schema.Supply) -> Supply:
    return Supply(
        sources=tuple(SupplySource(s.side, s.name, parse_hex(s.hex)) for s in supply.sources),
        capacity=tuple(SupplyCapacity(c.side, c.railhead_km, c.lorries, c.points, c.stockpile) for c in supply.capacity),
        water_shortage=tuple(WaterShortage(w.side, frozenset(w.terrain), w.stage) for w in supply.water_shortage),
    )


def crossing_rates(crossings: list[schema.Crossing]) -> dict[Hexside, int]:
    """Hexside -> its rated steps an hour; the first entry for a hexside counts, as it always has."""
    rates: dict[Hexside, int] = {}
    for crossing in crossings:
        rates.setdefault(parse_hexside(crossing.hexside), crossing.steps_per_hour)
    return rates


def _span(values: list[int] | None) -> tuple[int, int] | None:
    return None if values is None else (values[0], values[1])


def historical(historical: schema.HistoricalResult | None) -> HistoricalResult | None:
    if historical is None:
        return None
    losses = {
        side: LossRange(_span(r.men), _span(r.tanks), _span(r.armoured_cars), _span(r.guns), r.scope)
        for side, r in historical.losses.items()
    }
    return HistoricalResult(historical.winner, losses, dict(historical.held_objectives))


def _ai_hints(hints: schema.AiHints) -> AiHints:
    return AiHints(
        objectives=tuple(AiObjective(parse_hex(o.hex), o.by_turn, o.goal) for o in hints.objectives),
        axes=tuple(_axis(axis) for axis in hints.axes),
        posture=hints.posture,
        posture_given="posture" in hints.model_fields_set,
        attacks=hints.attacks,
    )


def _axis(axis: schema.AiAxis) -> AiAxis:
    waypoints = tuple(parse_hex(h) for h in axis.hexes)
    return AiAxis(axis.name, waypoints, tuple(axis.formations), axis_path(waypoints), axis.from_turn)


def axis_path(waypoints: tuple[Hex, ...]) -> tuple[Hex, ...]:
    """Every hex along an axis: its waypoints joined by straight hex lines.

    Authors give axes as a few waypoints, often many hexes apart; a unit follows the line
    between them, not a jump from one waypoint to the next.
    """
    path: list[Hex] = list(waypoints[:1])
    for a, b in pairwise(waypoints):
        path.extend(line(a, b)[1:])
    return tuple(path)
