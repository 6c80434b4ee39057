"""Pydantic models of the two data files a game reads: the rules data and the scenario.

Every model forbids unknown keys (a typo in a file is an error, not a silently ignored field)
and bounds its numbers, so a hostile or mistaken file fails here with a named field instead of
deep inside the rules.  Checks that need more than one file (unknown unit type, a unit off the
map) live in :mod:`nomonhan.scenario.checks`; checks that need the rules live above the rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from nomonhan.hexgrid import parse_hex, parse_hexside

FORMAT_VERSION = 1

ID_PATTERN = r"^[a-z0-9][a-z0-9_\-]{0,63}$"
COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
COMBAT_RESULT_PATTERN = r"^(-|(A[0-9]|D[0-9]|R[0-9])(/(A[0-9]|D[0-9]|R[0-9]))*)$"
BOMBARDMENT_RESULT_PATTERN = r"^(-|(D[0-9]|S)(/(D[0-9]|S))*)$"
RULES_REF_PATTERN = r"^([a-z0-9][a-z0-9_\-]{0,63}|[^\x00-\x1f]{1,250}\.ya?ml)$"
"""The written forms of fields, named so that :mod:`nomonhan.scenario.messages` can say each in words."""

Identifier = Annotated[str, Field(pattern=ID_PATTERN)]
SmallCount = Annotated[int, Field(ge=0, le=100_000)]
Cost = Annotated[int, Field(ge=0, le=99)]

# Limits on what a scenario may hold, set from what the bundled ones need with room to spare
# (docs/scenario-format.md, "Limits"), so that anything valid loads, validates and plays a
# game in seconds and a few hundred MB.  The largest bundled map is 52 x 39 with 46 units.
MAX_MAP_COLUMNS = 80
MAX_MAP_ROWS = 80
MAX_UNITS = 100
MAX_TURNS = 100
MAX_ROADS = 100
"""Entries of ``map.roads``: ``nomonhan map`` writes one per on-map run of a recipe's road."""
MAX_TEXT = 1000
"""Characters in any text field unless it says otherwise (names, titles, sources)."""
MAX_LONG_TEXT = 20_000
"""Characters in notes and summaries (the longest bundled notes have 4,600)."""


HexRef = Annotated[str, AfterValidator(lambda text: (parse_hex(text), text)[1])]
HexsideRef = Annotated[str, AfterValidator(lambda text: (parse_hexside(text), text)[1])]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=MAX_TEXT)


def _local_time(value: datetime | time) -> datetime | time:
    """Scenario clocks are local times: a time zone would be dropped or compared with naive times."""
    if value.tzinfo is not None:
        raise ValueError("write the local time without a time zone (the scenario's clock is local)")
    return value


def _written_as_text(what: str) -> BeforeValidator:
    """Refuse a number where a time is meant: pydantic would read ``dawn: 300`` as 300 seconds
    past midnight in UTC (and a date-time as seconds since 1970), then be refused for its zone."""

    def check(value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise ValueError(f"{value!r} is a number, not {what}")
        return value

    return BeforeValidator(check)


def _whole_number_only(value: Any) -> Any:
    """pydantic takes ``true`` and ``1.0`` for ``Literal[1]`` (they equal 1 in Python)."""
    if isinstance(value, (bool, float)):
        raise ValueError(f"must be the whole number 1, not {value!r}")
    return value


FormatVersion = Annotated[Literal[1], BeforeValidator(_whole_number_only)]
"""The format of a data file; a file of a later format is refused by its number."""


LocalDateTime = Annotated[datetime, _written_as_text("a date and time such as 1939-08-20T06:00"), AfterValidator(_local_time)]
LocalTime = Annotated[time, _written_as_text("a time of day such as 05:30"), AfterValidator(_local_time)]
LongText = Annotated[str, Field(max_length=MAX_LONG_TEXT)]

# ---------------------------------------------------------------- rules data


class MovementClass(Model):
    id: Identifier
    name: str


class TerrainArmour(Model):
    """Armour's advantage in one kind of terrain (see :mod:`nomonhan.rules.armour`)."""

    shift: int = Field(ge=-6, le=6, description="odds columns for armour attacking a defender without armour here")
    overrun: bool = Field(description="armour may overrun from the march into this terrain")
    close_assault_pct: int = Field(
        ge=0, le=500, description="per cent of the close-assault and anti-tank knock-outs of armour without infantry fighting here"
    )


class TerrainType(Model):
    """A kind of hex: how much it costs each movement class to enter, and what it gives a defender."""

    code: Annotated[str, Field(min_length=1, max_length=1)]
    id: Identifier
    name: str
    move_cost: dict[Identifier, Cost | None] = Field(description="movement class -> move points to enter; null: impassable")
    defence_shift: int = Field(ge=-6, le=6, description="odds columns shifted in the defender's favour")
    colour: str = Field("#c8b67a", pattern=COLOUR_PATTERN, description="map colour for the front end and editor")
    armour: TerrainArmour = Field(description="what this terrain does for and against tanks")
    source: str = "design"


class HexsideFeatureType(Model):
    """A feature on the edge between two hexes (river, stream, border line)."""

    id: Identifier
    name: str
    crossing_cost: dict[Identifier, Cost | None] = Field(
        default_factory=dict,
        description="movement class -> extra move points to cross; null: cannot cross without a bridge; absent: free",
    )
    blocks_zoc: bool = Field(False, description="zones of control do not extend across this hexside")
    bridgeable: bool = Field(False, description="a bridge or pontoon lets units cross as if the feature were absent")
    attack_shift: int = Field(ge=-6, le=0, description="odds shift when every attacker attacks across this hexside")
    source: str = "design"


class RoadType(Model):
    id: Identifier
    name: str
    move_cost: dict[Identifier, Cost] = Field(description="movement class -> move points per hex along the road")
    causeway: bool = Field(
        False,
        description="the road is built up across terrain a class could not otherwise enter (marsh, water); "
        "an ordinary road or track never opens such terrain",
    )
    source: str = "design"


class StepContents(Model):
    men: SmallCount = 0
    tanks: SmallCount = 0
    armoured_cars: SmallCount = 0
    guns: SmallCount = 0
    anti_tank_guns: SmallCount = Field(0, description="of the guns (or tanks), those that can knock out tanks: 37 mm and up")


Ability = Literal["overrun", "armour", "engineer", "infantry", "close_assault"]
"""What a unit type can do beyond moving and fighting; the rules read these, never the category.

``overrun``: may attack from the march (:func:`nomonhan.rules.overrun.overrun_allowed`);
``armour``: counts as armour for the terrain's armour shift, attacking and defending, and is
vulnerable without infantry (:mod:`nomonhan.rules.armour`);
``engineer``: may throw pontoons;
``infantry``: escorts armour in the same attack or hex, so that close assault and anti-tank
fire cannot pick off its tanks;
``close_assault``: its men hunt tanks that come without infantry (mines, charges, petrol bombs).
"""


class UnitType(Model):
    """Rules data for one kind of unit; the instances on the map are :class:`nomonhan.state.Unit`.

    ``category`` classifies the unit for display (counter symbols) and the computer players'
    habits; what it may do under the rules is ``abilities``.
    """

    id: Identifier
    name: str
    category: Literal["infantry", "armour", "cavalry", "artillery", "motorized", "airborne", "engineer", "border_guard", "headquarters"]
    size: Literal["company", "battalion", "regiment", "brigade", "division"]
    movement_class: Identifier
    move_points: int = Field(ge=0, le=60)
    attack: int = Field(ge=0, le=99)
    defence: int = Field(ge=0, le=99)
    steps: int = Field(ge=1, le=12)
    abilities: list[Ability] = Field(
        default_factory=list,
        max_length=8,
        description="what the rules let this type do: overrun, armour, engineer, infantry, close_assault",
    )
    per_step: StepContents = StepContents()
    stack_points: int = Field(1, ge=0, le=20)
    exerts_zoc: bool = True
    artillery_range: int = Field(0, ge=0, le=30, description="hexes; 0 for units that cannot fire at range")
    bombard: int = Field(0, ge=0, le=99, description="strength when firing at range (bombardment and support)")
    supply_cost: int = Field(1, ge=0, le=20, description="supply points a turn to keep this unit supplied")
    fuel_cost: int = Field(0, ge=0, le=20, description="supply points a turn of fuel to move and attack at full (0: needs none)")
    gun_weight: Identifier | None = Field(
        None, description="guns only (bombard above 0): one of the rules data's artillery.gun_weights, which sets what firing costs"
    )
    source: str = "design"


CombatResultText = Annotated[str, Field(pattern=COMBAT_RESULT_PATTERN)]


class OddsColumn(Model):
    """One odds column: used when attack / defence >= attack:defence (e.g. 3:2 -> [3, 2])."""

    label: str
    ratio: Annotated[list[int], Field(min_length=2, max_length=2)]


class CombatResultsTable(Model):
    """The combat results table: ``results[die - 1][column]``.

    A result is ``-`` or parts joined by ``/``: ``A1`` attacker loses one step, ``D2`` defender
    loses two, ``R2`` defender retreats two hexes.
    """

    columns: list[OddsColumn] = Field(min_length=2, max_length=20)
    die_sides: int = Field(ge=2, le=20, description="faces of the die rolled on this table")
    results: list[list[CombatResultText]]
    source: str

    @model_validator(mode="after")
    def _shape(self) -> CombatResultsTable:
        _check_table_shape(self.results, self.die_sides, len(self.columns))
        ratios = [c.ratio[0] * 1000 // max(c.ratio[1], 1) for c in self.columns]
        if any(r <= 0 for c in self.columns for r in c.ratio) or ratios != sorted(set(ratios)):
            raise ValueError("column ratios must be positive and strictly increasing")
        return self


BombardmentResultText = Annotated[str, Field(pattern=BOMBARDMENT_RESULT_PATTERN)]


class BombardmentTable(Model):
    """Artillery fire at range: columns by total firing strength, ``results[die - 1][column]``.

    A result is ``-`` or parts joined by ``/``: ``D1`` the target loses one step, ``S`` every
    unit left in the target hex is disrupted (suppressed: see :class:`ArtilleryRules`).
    """

    strength_columns: list[int] = Field(min_length=1, max_length=20, description="least strength for each column, increasing")
    die_sides: int = Field(ge=2, le=20, description="faces of the die rolled on this table")
    results: list[list[BombardmentResultText]]
    source: str

    @model_validator(mode="after")
    def _shape(self) -> BombardmentTable:
        _check_table_shape(self.results, self.die_sides, len(self.strength_columns))
        if self.strength_columns != sorted(set(self.strength_columns)):
            raise ValueError("strength_columns must be strictly increasing")
        return self


def _check_table_shape(results: list[list[str]], die_sides: int, columns: int) -> None:
    """One row per face of the table's die, one entry per column: checked at load, not at the roll."""
    if len(results) != die_sides:
        raise ValueError(f"results needs one row per die face ({die_sides}), has {len(results)}")
    for n, row in enumerate(results, start=1):
        if len(row) != columns:
            raise ValueError(f"results row {n} has {len(row)} entries, there are {columns} columns")


class CombatShifts(Model):
    """Odds-column shifts (positive favours the attacker)."""

    night_attack: int = Field(ge=-6, le=6, description="an attack at night (a side trained for it uses its scenario shift instead)")
    attacker_out_of_supply: int = Field(ge=-6, le=6, description="any attacker in a supply stage with combat_shifts")
    defender_out_of_supply: int = Field(ge=-6, le=6, description="every defender in a supply stage with combat_shifts")
    per_artillery_support: int = Field(ge=0, le=6, description="each gun supporting an attack")
    max_artillery_support: int = Field(ge=0, le=6, description="at most, for all the guns supporting an attack")
    per_air_support_point: int = Field(ge=0, le=6, description="each ground-support mission over the defender")
    max_air_support: int = Field(ge=0, le=6, description="at most, for all the ground-support missions")
    per_entrenchment_level: int = Field(ge=-6, le=0, description="each level of the defender's entrenchment or fortification")
    overrun: int = Field(ge=-6, le=6, description="an overrun from the march")
    min_shift: int = Field(ge=-20, le=0, description="the total shift is at least this")
    max_shift: int = Field(ge=0, le=20, description="the total shift is at most this")
    source: str


class OverrunRules(Model):
    """Armour attacking from the march against a much weaker stack in open terrain."""

    min_odds: Annotated[list[int], Field(min_length=2, max_length=2, description="least odds before shifts, as [attack, defence]")]
    move_point_cost: int = Field(ge=0, le=60, description="move points an overrun costs (and the least a unit needs to make one)")
    source: str


class ArmourRules(Model):
    """Combined arms: what armour without infantry suffers (:mod:`nomonhan.rules.armour`)."""

    close_assault_tanks_per_step: int = Field(
        ge=0, le=100, description="tanks knocked out in one combat by each step of close-assault infantry, of armour without infantry"
    )
    anti_tank_kill_pct: int = Field(
        ge=0, le=100, description="tanks knocked out in one combat per 100 anti-tank guns firing at armour without infantry"
    )
    recovered_pct: int = Field(
        ge=0, le=100, description="per cent of a combat's knocked-out tanks recovered if the side holds the field at the turn's end"
    )
    source: str


class KilledAndMissing(Model):
    """How casualties divide: killed, missing or captured, and (the rest) wounded or sick."""

    killed_pct: int = Field(ge=0, le=100, description="of the casualties, per cent killed")
    missing_pct: int = Field(ge=0, le=100, description="of the casualties, per cent missing or captured (the rest are wounded or sick)")

    @model_validator(mode="after")
    def _parts(self) -> KilledAndMissing:
        if self.killed_pct + self.missing_pct > 100:
            raise ValueError("killed_pct + missing_pct must be at most 100 (the rest are wounded)")
        return self


class CasualtySplit(KilledAndMissing):
    """Men lost with a step, for one cause of loss, and how they divide."""

    men_pct: int = Field(ge=0, le=100, description="per cent of a lost step's men who are casualties")
    source: str


class BattleCasualties(KilledAndMissing):
    """How one army's battle casualties divided, by its own count: the killed and missing share
    of the men it lost attacking, defending or under fire, in place of the rules data's split
    for those causes.  The armies counted differently (the Soviet figures for 1938 include the
    sick, the Japanese staff's only killed and wounded), so the split is the side's, not the
    fight's; steps lost cut off or out of supply keep the rules data's split."""

    source: str


class CasualtyRules(Model):
    """Losses in men by the cause of a step's loss (:mod:`nomonhan.rules.casualties`)."""

    attacking: CasualtySplit
    defending: CasualtySplit
    bombarded: CasualtySplit
    cut_off: CasualtySplit
    out_of_supply: CasualtySplit


class SupplyStage(Model):
    """One stage of being cut off (Unity of Command's escalating supply states): its effects
    hold from the first supply phase after ``after_hours`` hours cut off until the next stage."""

    name: str = Field(min_length=1, max_length=40)
    after_hours: int = Field(ge=0, le=1000, description="cut off longer than this many hours")
    attack_pct: int = Field(ge=0, le=100, description="attack strength, per cent (0: may not attack)")
    defence_pct: int = Field(ge=0, le=100, description="defence strength, per cent")
    move_pct: int = Field(ge=0, le=100, description="move points, per cent")
    combat_shifts: bool = Field(description="the shifts attacker_out_of_supply and defender_out_of_supply apply")
    step_loss_every_hours: int = Field(ge=0, le=1000, description="one step lost per this many hours in this stage (0: none)")


class SupplyRules(Model):
    trace_hexes: int = Field(ge=0, le=100, description="hexes a unit may be from a supplied road or source")
    road_trace_hexes: int = Field(ge=0, le=500, description="hexes supply runs along roads from a source")
    stages: list[SupplyStage] = Field(min_length=1, max_length=10, description="the stages of being cut off, mildest first")
    out_of_fuel_move_pct: int = Field(ge=0, le=100, description="move points of a unit its side could not fuel, per cent")
    out_of_fuel_attack_pct: int = Field(ge=0, le=100, description="attack strength of a unit its side could not fuel, per cent")
    lorry_load_kg: int = Field(ge=1, le=20_000, description="what one lorry carries a trip, kg")
    lorry_km_per_day: int = Field(ge=1, le=2_000, description="km a lorry covers a day on the supply run, loading and rest included")
    tonnes_per_point_day: int = Field(ge=1, le=10_000, description="tonnes a day that one supply point a turn stands for")
    stockpile_limit_turns: int = Field(ge=0, le=100, description="unused haul carried over as a stockpile, up to this many turns' haul")
    movement_class: Identifier = Field(description="supply lines cross what this movement class can cross")
    source: str

    @model_validator(mode="after")
    def _stages_escalate(self) -> SupplyRules:
        if self.stages[0].after_hours != 0:
            raise ValueError("supply.stages: the first stage must start at after_hours 0 (the first supply phase missed)")
        _require_unique([stage.name for stage in self.stages], "supply stage name")
        for before, after in zip(self.stages, self.stages[1:]):
            if after.after_hours <= before.after_hours:
                raise ValueError(f"supply.stages: {after.name!r} must start later than {before.name!r}")
            if after.attack_pct > before.attack_pct or after.defence_pct > before.defence_pct or after.move_pct > before.move_pct:
                raise ValueError(f"supply.stages: {after.name!r} may not be milder than {before.name!r}")
        return self


class AirRules(Model):
    """Air superiority: each superiority point of the defender cancels missions on a die roll."""

    die_sides: int = Field(ge=2, le=20, description="faces of the die rolled in air fights")
    cancel_on_die_at_most: int = Field(ge=0, le=20, description="a die at or under this shoots down a patrol point or turns back a mission")
    interdiction_move_cost: int = Field(
        ge=0, le=20, description="extra move points for an enemy unit to enter an interdicted hex or a hex next to it"
    )
    source: str

    @model_validator(mode="after")
    def _on_the_die(self) -> AirRules:
        if self.cancel_on_die_at_most > self.die_sides:
            raise ValueError(f"cancel_on_die_at_most ({self.cancel_on_die_at_most}) is more than the die has faces ({self.die_sides})")
        return self


class NightRules(Model):
    move_points_pct: int = Field(ge=0, le=100, description="move points in a night turn, per cent")
    source: str


class RecoveryRules(Model):
    rest_hours_per_step: int = Field(
        ge=1, le=600, description="hours at rest (whole turns) in supply, away from the enemy, to regain a step"
    )
    source: str


BridgeAttackResult = Literal["-", "damaged", "destroyed"]


class BridgeRules(Model):
    """Pontoons and bridges: the engineers' work to throw one, what one carries, and the table
    for air and gun attacks on one (``air_attack[die - 1]``, ``gun_attack[die - 1]``)."""

    build_hours: int = Field(ge=0, le=240, description="hours of an engineer's work in place to throw a pontoon")
    pontoons_per_engineer: int = Field(ge=0, le=20, description="pontoons one engineer unit can throw in a game (its bridging train)")
    steps_per_hour: int = Field(ge=1, le=100, description="steps a bridge or pontoon carries across per hour of a turn")
    attack_die_sides: int = Field(ge=2, le=20, description="faces of the die rolled against a bridge")
    air_attack: list[BridgeAttackResult] = Field(description="result of an air mission over a bridge's end, per die face")
    gun_attack: list[BridgeAttackResult] = Field(description="result of a bombardment of a bridge's end, per die face")
    damaged_hours: int = Field(ge=0, le=240, description="hours a damaged bridge carries nothing")
    source: str

    @model_validator(mode="after")
    def _one_result_per_face(self) -> BridgeRules:
        for name, table in (("air_attack", self.air_attack), ("gun_attack", self.gun_attack)):
            if len(table) != self.attack_die_sides:
                raise ValueError(f"{name} needs one result per die face ({self.attack_die_sides}), has {len(table)}")
        return self


class ZocRules(Model):
    leave_cost: Cost = Field(description="extra move points to leave a hex in an enemy zone of control")
    source: str


class SpottingRules(Model):
    day_range: int = Field(ge=1, le=20, description="hexes within which enemy units are seen by day")
    night_range: int = Field(ge=1, le=20, description="hexes within which enemy units are seen at night")
    source: str


class GunWeight(Model):
    """A class of guns by calibre and weight: what a unit of them spends in ammunition to fire."""

    id: Identifier
    name: str
    fire_cost: int = Field(ge=0, le=50, description="supply points a unit of these guns spends each time it fires")
    source: str


class ArtilleryRules(Model):
    """Guns: ammunition by weight, observed fire, suppression, counter-battery and dawn exposure."""

    gun_weights: list[GunWeight] = Field(min_length=1, max_length=16)
    observer_day_range: int = Field(ge=0, le=20, description="by day, guns fire only at hexes this near a friendly unit (the spotter)")
    observer_night_range: int = Field(ge=0, le=20, description="at night, guns fire only at hexes this near a friendly unit")
    counter_battery_shift: int = Field(ge=-6, le=6, description="bombardment columns shifted when the target hex holds enemy guns")
    exposed_shift: int = Field(ge=0, le=6, description="bombardment columns shifted against a hex holding an exposed unit")
    disrupted_attack_pct: int = Field(ge=0, le=100, description="attack and bombard strength of a disrupted unit, per cent")
    disrupted_defence_pct: int = Field(ge=0, le=100, description="defence strength of a disrupted unit, per cent")
    disrupted_move_pct: int = Field(ge=0, le=100, description="move points of a disrupted unit, per cent")
    source: str

    @model_validator(mode="after")
    def _unique_weights(self) -> ArtilleryRules:
        _require_unique([w.id for w in self.gun_weights], "gun weight id")
        return self


class RulesData(Model):
    """The rules tables a scenario plays under (file: ``scenarios/rules/<id>.yaml``)."""

    format_version: FormatVersion
    id: Identifier
    title: str
    movement_classes: list[MovementClass] = Field(min_length=1, max_length=32)
    terrain: list[TerrainType] = Field(min_length=1, max_length=64)
    hexside_features: list[HexsideFeatureType] = Field(default_factory=list, max_length=32)
    roads: list[RoadType] = Field(default_factory=list, max_length=16)
    unit_types: list[UnitType] = Field(default_factory=list, max_length=500)
    stacking_limit: int = Field(ge=1, le=50, description="stack points allowed in one hex")
    zoc: ZocRules
    spotting: SpottingRules
    crt: CombatResultsTable
    bombardment: BombardmentTable
    shifts: CombatShifts
    overrun: OverrunRules
    supply: SupplyRules
    air: AirRules
    night: NightRules
    recovery: RecoveryRules
    armour: ArmourRules
    casualties: CasualtyRules
    bridges: BridgeRules
    artillery: ArtilleryRules
    notes: LongText = ""

    @model_validator(mode="after")
    def _unique_and_known(self) -> RulesData:
        """Every problem between the tables at once, each at its own field: an author who adds a
        movement class learns of every terrain and road still without a cost for it."""
        classes = {mc.id for mc in self.movement_classes}
        known = ", ".join(sorted(classes))
        problems: list[tuple[tuple[str | int, ...], str]] = []
        problems += _duplicates("terrain", "code", [t.code for t in self.terrain])
        for group, items in (
            ("terrain", self.terrain),
            ("hexside_features", self.hexside_features),
            ("roads", self.roads),
            ("unit_types", self.unit_types),
            ("movement_classes", self.movement_classes),
        ):
            problems += _duplicates(group, "id", [item.id for item in items])
        cost_tables: list[tuple[str, str, list[tuple[str, Mapping[str, int | None]]]]] = [
            ("terrain", "move_cost", [(t.id, t.move_cost) for t in self.terrain]),
            ("roads", "move_cost", [(r.id, r.move_cost) for r in self.roads]),
            ("hexside_features", "crossing_cost", [(f.id, f.crossing_cost) for f in self.hexside_features]),
        ]
        for group, field, tables in cost_tables:
            for i, (item, table) in enumerate(tables):
                missing = sorted(classes - set(table))
                if missing and field == "move_cost":
                    what = f"{group.rstrip('s')} {item!r}"
                    message = f"{what}: move_cost must name every movement class (null: cannot enter); missing {', '.join(missing)}"
                    problems.append(((group, i, field), message))
                for name in sorted(set(table) - classes):
                    problems.append(((group, i, field, name), f"unknown movement class {name!r}; known: {known}"))
        if self.supply.movement_class not in classes:
            problems.append((("supply", "movement_class"), f"unknown movement class {self.supply.movement_class!r}; known: {known}"))
        for i, unit_type in enumerate(self.unit_types):
            if unit_type.movement_class not in classes:
                problems.append(
                    (("unit_types", i, "movement_class"), f"unknown movement class {unit_type.movement_class!r}; known: {known}")
                )
            problem = gun_weight_problem(unit_type, self.artillery)
            if problem:
                problems.append((("unit_types", i, "gun_weight"), problem))
        if problems:
            raise ValidationError.from_exception_data(
                "RulesData",
                [InitErrorDetails(type=PydanticCustomError("value_error", message), loc=loc, input=None) for loc, message in problems],
            )
        return self


def _duplicates(group: str, field: str, values: list[str]) -> list[tuple[tuple[str | int, ...], str]]:
    """(location, message) for each item of ``group`` whose ``field`` repeats an earlier one's."""
    seen: set[str] = set()
    found: list[tuple[tuple[str | int, ...], str]] = []
    for i, value in enumerate(values):
        if value in seen:
            found.append(((group, i, field), f"duplicate {group.replace('_', ' ').rstrip('s')} {field} {value!r}"))
        seen.add(value)
    return found


def gun_weight_problem(unit_type: UnitType, artillery: ArtilleryRules) -> str | None:
    """Why ``unit_type``'s gun weight is wrong (None if it is right): every gun names a known
    weight, which sets its ammunition cost, and only guns name one."""
    weights = sorted(w.id for w in artillery.gun_weights)
    if unit_type.bombard > 0 and unit_type.gun_weight not in weights:
        return f"unit type {unit_type.id!r} fires (bombard {unit_type.bombard}) and needs a gun_weight, one of {weights}"
    if unit_type.bombard == 0 and unit_type.gun_weight is not None:
        return f"unit type {unit_type.id!r} has a gun_weight but no bombard strength"
    return None


def _require_unique(values: list[str], label: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {label} {value!r}")
        seen.add(value)


# ---------------------------------------------------------------- scenario


class Daylight(Model):
    """Local clock times of dawn and dusk; whether a turn is a night turn follows from these."""

    dawn: LocalTime
    dusk: LocalTime

    @model_validator(mode="after")
    def _order(self) -> Daylight:
        if not self.dawn < self.dusk:
            raise ValueError("dawn must come before dusk")
        return self


class Period(Model):
    start: LocalDateTime = Field(description="local date and time the first turn begins")
    turn_hours: int = Field(ge=1, le=168)
    last_turn: int = Field(ge=1, le=MAX_TURNS)
    daylight: Daylight
    first_side: Identifier = Field(description="the side that moves first in each turn")

    @model_validator(mode="after")
    def _ends_in_the_calendar(self) -> Period:
        try:
            self.start + timedelta(hours=self.turn_hours * (self.last_turn + 1))
        except OverflowError:
            raise ValueError("the period runs past the year 9999") from None
        return self


class Side(Model):
    id: Identifier
    name: str
    nations: list[str] = Field(min_length=1, max_length=10)
    colour: str = Field(pattern=COLOUR_PATTERN)
    battle_casualties: BattleCasualties | None = Field(
        None, description="how this side's battle casualties divided, by its own count (default: the rules data's split by cause)"
    )


class Georeference(Model):
    """Latitude/longitude of the centre of hex 0,0 (the north-west corner of the map)."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class HexsideLine(Model):
    """A river, stream or other edge feature along a run of hexsides."""

    feature: Identifier
    name: str
    hexsides: list[HexsideRef] = Field(min_length=1, max_length=2000)
    source: str = "design"


class Border(Model):
    """A claimed border line along hexsides; special rules can forbid a side to cross it."""

    id: Identifier
    name: str
    hexsides: list[HexsideRef] = Field(min_length=1, max_length=2000)
    source: str = "design"


class Road(Model):
    kind: Identifier
    name: str
    hexes: list[HexRef] = Field(min_length=2, max_length=1000)
    source: str = "design"


class Place(Model):
    name: str
    hex: HexRef
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    source: str = "design"


Degrees = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
LatLon = Annotated[list[Degrees], Field(min_length=2, max_length=2, description="[latitude, longitude] in WGS84 degrees")]


class TerrainZone(Model):
    """A polygon painted with one terrain code; later zones paint over earlier ones."""

    terrain: Annotated[str, Field(min_length=1, max_length=1)]
    name: str = ""
    polygon: list[LatLon] = Field(min_length=3, max_length=500)
    source: str = "design"


class GeoLineRecipe(Model):
    """A line drawn from a named GeoJSON LineString, or from points given here."""

    name: str
    geojson: str | None = Field(None, description="the 'name' property of a LineString in the recipe's GeoJSON file")
    points: list[LatLon] | None = Field(None, min_length=2, max_length=2000)
    source: str = "design"

    @model_validator(mode="after")
    def _one_source(self) -> GeoLineRecipe:
        if (self.geojson is None) == (self.points is None):
            raise ValueError("give exactly one of 'geojson' (a feature name) or 'points'")
        return self


class HexsideLineRecipe(GeoLineRecipe):
    feature: Identifier


class BorderRecipe(GeoLineRecipe):
    id: Identifier


class RoadRecipe(GeoLineRecipe):
    kind: Identifier


class MapRecipe(Model):
    """How ``nomonhan map`` rebuilds this map from geography; authors rerun it after edits.

    The tool rewrites ``terrain``, ``hexside_lines``, ``borders``, ``roads`` and the hexes of
    ``places`` (from their lat/lon); everything else in the file is kept.
    """

    geojson: str = Field(description="GeoJSON file, relative to the scenario file's folder (else the bundled scenarios/ folder)")
    columns: int = Field(ge=1, le=MAX_MAP_COLUMNS)
    rows: int = Field(ge=1, le=MAX_MAP_ROWS)
    default_terrain: Annotated[str, Field(min_length=1, max_length=1)]
    terrain_zones: list[TerrainZone] = Field(default_factory=list, max_length=50)
    hexside_lines: list[HexsideLineRecipe] = Field(default_factory=list, max_length=20)
    borders: list[BorderRecipe] = Field(default_factory=list, max_length=10)
    roads: list[RoadRecipe] = Field(default_factory=list, max_length=50)


class Crossing(Model):
    """A bridge or pontoon site rated apart from the rules data: the steps it carries an hour."""

    hexside: HexsideRef
    name: str
    steps_per_hour: int = Field(ge=1, le=100, description="steps the bridge or pontoon here carries across per hour of a turn")
    source: str


class MapSpec(Model):
    hex_km: float = Field(
        ge=0.01, le=100, allow_inf_nan=False, description="distance between the centres of adjacent hexes (10 m to 100 km)"
    )
    georeference: Georeference | None = None
    build: MapRecipe | None = Field(None, description="the recipe `nomonhan map` draws this map from")
    terrain: str = Field(max_length=MAX_LONG_TEXT, description="one line per row, one terrain code per hex, north at the top")
    hexside_lines: list[HexsideLine] = Field(default_factory=list, max_length=50)
    borders: list[Border] = Field(default_factory=list, max_length=20)
    roads: list[Road] = Field(default_factory=list, max_length=MAX_ROADS)
    places: list[Place] = Field(default_factory=list, max_length=200)
    bridges: list[HexsideRef] = Field(default_factory=list, max_length=200, description="bridges standing at the start")
    crossings: list[Crossing] = Field(
        default_factory=list, max_length=200, description="crossings that carry other than the rules data's bridges.steps_per_hour"
    )

    @field_validator("terrain")
    @classmethod
    def _bounded(cls, text: str) -> str:
        """Size only: ragged rows are reported row by row, at their lines, by the reference checks."""
        rows = terrain_rows(text)
        if not rows:
            raise ValueError("the terrain grid is empty")
        if len(rows) > MAX_MAP_ROWS or max(len(row) for row in rows) > MAX_MAP_COLUMNS:
            raise ValueError(f"the map may be at most {MAX_MAP_COLUMNS} x {MAX_MAP_ROWS} hexes (columns x rows)")
        return text

    @property
    def columns(self) -> int:
        return len(terrain_rows(self.terrain)[0])

    @property
    def rows(self) -> int:
        return len(terrain_rows(self.terrain))


def terrain_rows(text: str) -> list[str]:
    """The terrain grid's rows, with blank lines and surrounding spaces ignored."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class EarlyRelease(Model):
    """An event that brings a reinforcement in before its date: an objective changing hands
    (its holder differs from its holder at the start) or a unit being eliminated."""

    objective: str | None = Field(None, description="the name of an objective that changes hands")
    eliminated: Identifier | None = Field(None, description="the id of a unit that is eliminated")
    source: str = "design"

    @model_validator(mode="after")
    def _one_event(self) -> EarlyRelease:
        if (self.objective is None) == (self.eliminated is None):
            raise ValueError("give exactly one of 'objective' (changes hands) or 'eliminated' (a unit id)")
        return self


class Arrival(Model):
    at: LocalDateTime
    hex: HexRef
    early: list[EarlyRelease] = Field(
        default_factory=list, max_length=10, description="events that release it before 'at' (at the start of its side's next turn)"
    )


class UnitSetup(Model):
    id: Identifier
    name: str
    type: Identifier
    side: Identifier
    formation: str = ""
    hex: HexRef | None = None
    arrive: Arrival | None = None
    steps: int | None = Field(None, ge=1, le=12, description="steps at the start if fewer than the type's full strength")
    source: str

    @model_validator(mode="after")
    def _placed_once(self) -> UnitSetup:
        if (self.hex is None) == (self.arrive is None):
            raise ValueError("a unit needs exactly one of 'hex' (on the map at the start) or 'arrive' (a reinforcement)")
        return self


class TimeWindow(Model):
    """When a special rule holds: from ``start`` (default: the beginning) until ``until``
    (default: the end); a turn is inside the window when its start time is."""

    start: LocalDateTime | None = Field(None, description="the rule holds from this time on (default: from the first turn)")
    until: LocalDateTime | None = Field(None, description="the rule holds until this time (default: to the last turn)")

    @model_validator(mode="after")
    def _in_order(self) -> TimeWindow:
        if self.start is not None and self.until is not None and self.until <= self.start:
            raise ValueError(f"'until' ({self.until}) must come after 'start' ({self.start})")
        return self


class BorderRule(TimeWindow):
    side: Identifier
    border: Identifier
    source: str = "design"


class HoldFireRule(TimeWindow):
    """Guns of ``side`` (or only the ``units`` named) may not fire during the window."""

    side: Identifier
    units: list[Identifier] = Field(default_factory=list, max_length=100, description="unit ids; empty: every gun of the side")
    source: str = "design"


class FordingRule(Model):
    """Lets one movement class cross a hexside feature without a bridge, at a cost."""

    movement_class: Identifier
    feature: Identifier
    cost: Cost
    source: str = "design"


class SpecialRules(Model):
    """A closed set of named switches; no free text that code must interpret."""

    zoc_to_zoc: bool = Field(False, description="units may move directly from one enemy ZOC hex to another")
    border_crossing_forbidden: list[BorderRule] = Field(default_factory=list, max_length=20)
    river_fording: list[FordingRule] = Field(default_factory=list, max_length=20)
    night_attack: list[NightAttackRule] = Field(default_factory=list, max_length=20)
    hold_fire: list[HoldFireRule] = Field(default_factory=list, max_length=20)


class NightAttackRule(Model):
    """A side's night-attack doctrine: at night its attacks use ``shift`` instead of the rules'
    night penalty, and its units leave an enemy zone of control for ``zoc_leave_cost`` move
    points instead of the rules' cost (0: they infiltrate between enemy positions)."""

    side: Identifier
    shift: int = Field(ge=-6, le=6)
    zoc_leave_cost: Cost = Field(description="move points to leave an enemy ZOC hex at night (infiltration)")
    source: str = "design"


class AirPoints(Model):
    """From ``start`` on, ``side`` has ``points`` air points each day turn (until its next entry)."""

    side: Identifier
    start: LocalDateTime
    points: int = Field(ge=0, le=100)
    source: str


class WeatherSpell(Model):
    """From ``start`` on the weather is ``weather`` (until the next entry); clear before the first."""

    start: LocalDateTime
    weather: Literal["clear", "rain", "fog"]
    source: str = "design"


class SupplySource(Model):
    side: Identifier
    name: str
    hex: HexRef
    source: str = "design"


class SupplyCapacity(Model):
    """One side's haul: its lorries running between a railhead and the front (the rules data turn
    them into supply points a turn), or a fixed number of points a turn; and what it stocked
    before the scenario starts (the build-up)."""

    side: Identifier
    railhead_km: int | None = Field(None, ge=1, le=5_000, description="road distance from the railhead to the front, km")
    lorries: int | None = Field(None, ge=0, le=100_000, description="lorries on the supply run")
    points: int | None = Field(None, ge=0, le=10_000, description="a fixed haul in points a turn, instead of railhead_km and lorries")
    stockpile: int = Field(0, ge=0, le=100_000, description="supply points stocked at the start")
    source: str

    @model_validator(mode="after")
    def _one_haul(self) -> SupplyCapacity:
        by_lorry = self.railhead_km is not None and self.lorries is not None
        if by_lorry == (self.points is not None) or (self.railhead_km is None) != (self.lorries is None):
            raise ValueError("give either railhead_km and lorries, or points")
        return self


class WaterShortage(Model):
    """Units of ``side`` standing on the terrain named count as in the supply stage named (at
    least), cut off or not: a scenario's switch for heights without wells.  Step losses still
    count only the hours a unit has been cut off."""

    side: Identifier
    terrain: list[str] = Field(min_length=1, max_length=20, description="terrain codes where water is short")
    stage: str = Field(description="the name of a stage of the rules data's supply.stages")
    source: str


class Supply(Model):
    sources: list[SupplySource] = Field(default_factory=list, max_length=50)
    capacity: list[SupplyCapacity] = Field(default_factory=list, max_length=20)
    water_shortage: list[WaterShortage] = Field(default_factory=list, max_length=20)


class Fortification(Model):
    """Prepared positions (Fui Heights, the Khasan hilltops): a defence shift for the side named."""

    name: str
    hex: HexRef
    level: int = Field(ge=1, le=3)
    side: Identifier
    start: LocalDateTime | None = Field(None, description="the positions exist from this time on (default: from the start)")
    source: str = "design"


class Objective(Model):
    name: str
    hex: HexRef
    points: int = Field(ge=0, le=1000, description="victory points to the side holding it at the end")
    points_per_turn: int = Field(0, ge=0, le=100, description="victory points each turn it is held at the turn's end")
    initial_holder: Identifier | None = None
    source: str = "design"


class SuddenDeath(Model):
    """``side`` wins at once, decisively, when it holds every named objective at a turn's end."""

    side: Identifier
    objectives: list[str] = Field(min_length=1, max_length=50)
    from_turn: int = Field(1, ge=1, le=MAX_TURNS)
    source: str = "design"


class LossRange(Model):
    men: Annotated[list[int], Field(min_length=2, max_length=2)] | None = None
    tanks: Annotated[list[int], Field(min_length=2, max_length=2)] | None = None
    armoured_cars: Annotated[list[int], Field(min_length=2, max_length=2)] | None = None
    guns: Annotated[list[int], Field(min_length=2, max_length=2)] | None = None
    scope: str = Field("", description="what the figures cover when it is more than the scenario (e.g. the whole campaign)")
    source: str


class HistoricalResult(Model):
    """What happened, so that reports can set a game beside history."""

    winner: Identifier
    level: Literal["decisive", "marginal", "draw"] | None = None
    summary: LongText
    losses: dict[Identifier, LossRange] = Field(default_factory=dict, max_length=2)
    held_objectives: dict[str, Identifier] = Field(
        default_factory=dict, max_length=50, description="objective name -> side holding it at the end"
    )
    source: str


class AiObjective(Model):
    hex: HexRef
    by_turn: int = Field(ge=1, le=MAX_TURNS)
    goal: Literal["take", "hold"]


class AiAxis(Model):
    name: str
    hexes: list[HexRef] = Field(min_length=2, max_length=200)
    formations: list[str] = Field(default_factory=list, max_length=20)
    from_turn: int = Field(1, ge=1, le=MAX_TURNS, description="the turn from which the formations follow the axis; before it they hold")


class AiHints(Model):
    objectives: list[AiObjective] = Field(default_factory=list, max_length=50)
    axes: list[AiAxis] = Field(default_factory=list, max_length=20)
    posture: Literal["attack", "defend", "balanced"] = "balanced"
    attacks: Literal["anywhere", "objectives"] = Field(
        "anywhere", description="where the side attacks: anywhere, or only enemy stacks on objective hexes (a limited war)"
    )


class VictoryLevels(Model):
    """Victory-point margins that make a win decisive or marginal; below ``marginal``: a draw."""

    decisive: int = Field(10, ge=1, le=10_000)
    marginal: int = Field(1, ge=1, le=10_000)

    @model_validator(mode="after")
    def _order(self) -> VictoryLevels:
        if self.marginal > self.decisive:
            raise ValueError("the marginal margin must not exceed the decisive one")
        return self


class Briefing(Model):
    """What the start screen tells players before a game (the designer's sources stay in ``notes``)."""

    situation: str = Field(max_length=4000, description="the situation at the start, for players")
    aims: dict[Identifier, str] = Field(default_factory=dict, max_length=10, description="side id -> what that side must do")
    victory: str = Field("", max_length=4000, description="the objectives and how the game is won, in words")
    special_rules: str = Field("", max_length=4000, description="rules of this scenario that differ from the standard ones")
    history: str = Field("", max_length=4000, description="a short note on what happened")


RulesRef = Annotated[str, Field(pattern=RULES_REF_PATTERN)]
"""A rules-data id (``standard``) or a file path ending ``.yaml`` (see :mod:`companions`)."""


class ScenarioFile(Model):
    """A scenario file (``scenarios/<id>.yaml``)."""

    format_version: FormatVersion
    id: Identifier
    title: str
    rules: RulesRef = Field(
        description="rules data: an id (rules/ID.yaml beside the scenario, else bundled) or a path beside the scenario (./amur.yaml)"
    )
    period: Period
    sides: list[Side] = Field(min_length=2, max_length=2)
    map: MapSpec
    unit_types: list[UnitType] = Field(default_factory=list, max_length=50, description="added to the rules data's unit types")
    units: list[UnitSetup] = Field(min_length=1, max_length=MAX_UNITS)
    special_rules: SpecialRules = SpecialRules()
    objectives: list[Objective] = Field(default_factory=list, max_length=50)
    points_per_step: int = Field(1, ge=0, le=100, description="victory points for each enemy step destroyed")
    men_per_point: int | None = Field(
        None,
        ge=1,
        le=100_000,
        description="a further victory point for every this many men in the enemy steps destroyed (a step weighs its per_step men)",
    )
    victory: VictoryLevels = VictoryLevels()
    sudden_death: list[SuddenDeath] = Field(default_factory=list, max_length=10)
    air: list[AirPoints] = Field(default_factory=list, max_length=200)
    weather: list[WeatherSpell] = Field(default_factory=list, max_length=200)
    supply: Supply = Supply()
    fortifications: list[Fortification] = Field(default_factory=list, max_length=200)
    historical: HistoricalResult | None = None
    ai_hints: dict[Identifier, AiHints] = Field(default_factory=dict, max_length=2)
    sources: dict[str, str] = Field(default_factory=dict, max_length=500, description="reference key -> citation")
    notes: LongText = ""
    briefing: Briefing | None = Field(None, description="the players' briefing shown on the start screen")
