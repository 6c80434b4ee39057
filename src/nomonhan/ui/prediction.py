"""What an order would bring, shown on hover before anything is committed (no pygame here).

A :class:`Prediction` is the words and the table of the panel the map draws beside the pointer:
for an attack or a bombardment, the odds column, every column shift with its reason, every result
with its exact chance and what each side stands to lose by it; for an air mission, what it does,
what may turn it back and the exact chance that it gets through.

Every number comes from the engine's forecasts (:func:`nomonhan.engine.combat_odds`,
:func:`~nomonhan.engine.bombardment_odds`, :func:`~nomonhan.engine.air_odds`), never from a rule
written again here.  The loss columns are read from the forecast's per-result fields, whatever
they are (steps, men, tanks and guns today), so the panel follows the forecast as it grows.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction

from nomonhan import engine
from nomonhan.actions import Action, AirMission, Attack, Resolve, Support
from nomonhan.engine.air_forecast import AirForecast
from nomonhan.engine.forecast import BridgeOdds, CombatForecast
from nomonhan.hexgrid import format_hexside
from nomonhan.rules.combat import CombatResult
from nomonhan.state import GameState, Phase
from nomonhan.ui import describe
from nomonhan.ui.wording import plural

IRREGULAR = {"man": "men", "armoured_car": "armoured cars"}
SINGULAR = {"men": "man", "steps": "step", "tanks": "tank", "guns": "gun", "armoured_cars": "armoured_car", "cars": "car"}


@dataclass(frozen=True)
class Prediction:
    """A forecast in words: a title, the reasons for the column, a table of results, notes."""

    title: str
    reasons: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """One line for the status bar under the map: what, and the odds (the card has the rest)."""
        return " · ".join((self.title, *self.reasons[-1:]))


def predict(state: GameState, action: Action) -> Prediction | None:
    """The prediction of ``action`` by the side to act, or None for an order that risks nothing."""
    attack = describe.attack_after(state, action)
    if attack is not None:
        return attack_prediction(state, action, attack, engine.combat_odds(state, attack))
    if state.phase is Phase.BOMBARDMENT and isinstance(action, (Support, Resolve)):
        return bombardment_prediction(state, action)
    if isinstance(action, AirMission):
        return air_prediction(state, [action])
    return None


def predict_click(state: GameState, actions: list[Action]) -> Prediction | None:
    """The prediction a click offering ``actions`` shows on hover: the air missions over a hex
    together (the player picks one), else the first order that risks something."""
    missions = [a for a in actions if isinstance(a, AirMission)]
    if missions and len(missions) == len(actions):
        return air_prediction(state, missions)
    return next((p for p in (predict(state, a) for a in actions) if p is not None), None)


def chance(p: Fraction) -> str:
    return f"{p.numerator}/{p.denominator} ({float(p):.0%})"


# ---------------------------------------------------------------- attacks


def attack_prediction(state: GameState, action: Action, attack: Attack, forecast: CombatForecast) -> Prediction:
    """The whole forecast of ``attack`` (as it would stand after ``action``), one row per result."""
    plan = forecast.plan
    table = state.scenario.rules.crt
    reasons = [f"Strength {float(plan.attack):g} against {float(plan.defence):g}: base column {table.columns[plan.base_column].label}"]
    reasons += [f"{reason}: {value:+d}" for reason, value in plan.shifts]
    if plan.total_shift != sum(v for _, v in plan.shifts):
        reasons.append(f"shifts bounded to {plan.total_shift:+d}")
    reasons.append(f"Odds column {plan.column_label} (shift {plan.total_shift:+d})")
    losses = per_result_losses(forecast)
    rows = tuple(
        (result.text, chance(p), losses.get(result, ("", ""))[0], losses.get(result, ("", ""))[1])
        for result, p in sorted(forecast.outcomes, key=lambda item: -item[1])
    )
    notes = [
        f"Expected steps lost: you {float(forecast.expected_attacker_steps):.2f}, enemy {float(forecast.expected_defender_steps):.2f}; "
        f"defender retreats {float(forecast.retreat_chance):.0%}"
    ]
    if forecast.unseen_retreat_hexes:
        notes.append(f"{plural(len(forecast.unseen_retreat_hexes), 'hex', 'hexes')} it may retreat through are out of sight")
    notes.append(_how_to_commit(action))
    s = state.scenario
    guns = f" + {plural(len(attack.artillery), 'gun')}" if attack.artillery else ""
    names = ", ".join(describe.unit_name(s, u) for u in attack.units)
    title = f"{'Overrun' if attack.overrun else 'Attack'} on {describe.where(s, attack.target)} by {names}{guns}"
    return Prediction(title, tuple(reasons), ("result", "chance", "you lose", "enemy loses"), rows, tuple(notes))


def _how_to_commit(action: Action) -> str:
    if isinstance(action, Resolve):
        return "Nothing is rolled until you press Resolve."
    if getattr(action, "overrun", False):
        return "Click, then pick the overrun in the list to roll: nothing happens on the first click."
    return "A click declares this unit into the attack; nothing is rolled until you press Resolve."


BREAKDOWN = frozenset({"killed", "wounded", "missing", "tanks_recovered"})
"""Counts that are parts of another (men killed, wounded, missing; tanks recovered): left out of
the table's cells, which give the whole."""


def per_result_losses(forecast: object) -> dict[CombatResult, tuple[str, str]]:
    """What each result takes off (attacker's words, defender's words), from every per-result
    field of the forecast: entries that name a result and then the attacker's and the defender's
    loss (as a tuple or a record), each a count or a record of counts (steps, men, tanks...)."""
    found: dict[CombatResult, tuple[list[str], list[str]]] = {}
    for field in dataclasses.fields(forecast):  # type: ignore[arg-type]
        entries = getattr(forecast, field.name)
        if field.name == "outcomes" or not isinstance(entries, tuple):
            continue
        noun = field.name.removesuffix("_lost").removeprefix("lost_")
        for entry in entries:
            values = _values(entry)
            if len(values) < 3 or not isinstance(values[0], CombatResult):
                break
            said = found.setdefault(values[0], ([], []))
            for words, value in zip(said, values[1:3]):
                words.extend(w for w in _counted(noun, value) if w not in words)
    return {result: (", ".join(a) or "nothing", ", ".join(d) or "nothing") for result, (a, d) in found.items()}


def _values(entry: object) -> tuple[object, ...]:
    if isinstance(entry, tuple):
        return entry
    if dataclasses.is_dataclass(entry) and not isinstance(entry, type):
        return tuple(getattr(entry, f.name) for f in dataclasses.fields(entry))
    return ()


def _counted(noun: str, value: object) -> list[str]:
    """``2 steps`` for a count; ``1 step, 600 men, 4 tanks`` for a record of counts (steps first,
    zeros and the parts of another count left out)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, Fraction)):
        return [_count(noun, value)] if value or noun == "steps" else []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        counts = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in BREAKDOWN]
        counts.sort(key=lambda item: item[0] != "steps")
        return [_count(name, v) for name, v in counts if isinstance(v, int) and not isinstance(v, bool) and (v or name == "steps")]
    return [str(value)]


def _count(noun: str, value: int | Fraction) -> str:
    one = SINGULAR.get(noun, noun.removesuffix("s"))
    many = IRREGULAR.get(one, noun).replace("_", " ")
    return plural(int(value), one.replace("_", " "), many) if value == int(value) else f"{float(value):.1f} {many}"


# ---------------------------------------------------------------- bombardment and air


def bombardment_prediction(state: GameState, action: Support | Resolve) -> Prediction | None:
    """The bombardment as it would stand after ``action``: the engine's
    :func:`~nomonhan.engine.bombardment_odds`, one row per result."""
    declaration = state.declaration
    guns = tuple(declaration.guns) if declaration else ()
    if isinstance(action, Support):
        guns, target = guns + (action.unit,), action.target
    elif declaration is not None:
        target = declaration.target
    else:
        return None
    forecast = engine.bombardment_odds(state, guns, target)
    plan = forecast.plan
    reasons = [f"Firing strength {float(plan.strength):g}"] + [f"{why}: {shift:+d} column" for why, shift in plan.shifts]
    if plan.column is None:
        reasons.append("Too weak against this cover: no effect possible")
    else:
        reasons.append(f"Column {describe_bombardment_column(state, plan.column)}")
    losses = per_result_losses(forecast)
    rows = tuple(
        ("no effect" if result.text == "-" else result.text, chance(p), losses[result][0], losses[result][1])
        for result, p in sorted(forecast.outcomes, key=lambda item: -item[1])
    )
    notes = [f"Expected steps lost by the enemy: {float(forecast.expected_defender_steps):.2f}"]
    if forecast.disruption_chance:
        notes.append(f"S: every unit in the hex is disrupted ({float(forecast.disruption_chance):.0%})")
    notes += [bridge_note(state, odds) for odds in forecast.bridges]
    if forecast.supply_spent is not None:
        notes.append(f"Firing spends {plural(forecast.supply_spent, 'supply point')}")
    verb = "Fire" if isinstance(action, Resolve) else "Bombard"
    notes.append("Nothing is rolled until you press Fire." if verb == "Bombard" else "Pressing it fires at once.")
    return Prediction(
        f"{verb} {describe.where(state.scenario, target)} with {plural(len(guns), 'gun unit')}",
        tuple(reasons),
        ("result", "chance", "you lose", "enemy loses"),
        rows,
        tuple(notes),
    )


def describe_bombardment_column(state: GameState, column: int) -> str:
    columns = state.scenario.rules.bombardment.strength_columns
    low = columns[column]
    return f"{low}+" if column == len(columns) - 1 else f"{low}-{columns[column + 1] - 1}"


def bridge_note(state: GameState, odds: BridgeOdds, given: str = "") -> str:
    """``Bridge 1,1-2,0: damaged 1/6 (17%), ...`` (the table's blank result left out)."""
    said = ", ".join(f"{result} {chance(p)}" for result, p in odds.results if result != "-") or "no harm possible"
    return f"{given}Bridge {format_hexside(odds.hexside)}: {said}"


def air_prediction(state: GameState, missions: list[AirMission]) -> Prediction:
    """The air missions a click on one hex offers (support, interdiction: either may be picked),
    from the engine's :func:`~nomonhan.engine.air_odds`: what each does, the patrols that may turn
    it back, and the exact chance of each way the fights end."""
    forecasts = [engine.air_odds(state, mission) for mission in missions]
    first = forecasts[0]
    reasons = [_air_effect(state, forecast) for forecast in forecasts]
    escorts = f"; your {plural(first.escorts, 'patrol')} fight them first" if first.escorts else ""
    reasons.append(
        f"Enemy patrols up: {first.enemy_patrols}{escorts}; each roll hits on {chance(first.hit)}"
        if first.enemy_patrols
        else "No enemy patrol is up: nothing can turn it back"
    )
    if missions[0].kind == "superiority":
        rows = tuple((f"{plural(left, 'enemy patrol')} left up", chance(p)) for left, p in first.patrols_left)
    else:  # the missions over one hex are turned back alike: each would be the last assigned
        rows = (("gets through", chance(1 - first.turned_back)), ("turned back", chance(first.turned_back)))
    notes = [bridge_note(state, odds, "If it gets through: ") for forecast in forecasts for odds in forecast.bridges]
    if missions[0].kind != "superiority" and first.enemy_patrols:
        notes.append("Missions you assign after this one are turned back first.")
    notes.append("Air points are spent when you click; the fights come when you end the phase.")
    title = describe.action_label(state, missions[0])
    if (
        len(missions) > 1 and len({m.hex for m in missions}) == 1 and missions[0].hex is not None
    ):  # "Air support or interdiction over 13,11"
        title = f"Air {' or '.join(m.kind for m in missions)} over {describe.where(state.scenario, missions[0].hex)}"
    return Prediction(title, tuple(reasons), ("result", "chance"), tuple(rows), tuple(notes))


def _air_effect(state: GameState, forecast: AirForecast) -> str:
    mission = forecast.mission
    rules = state.scenario.rules
    if mission.kind == "support" and mission.hex is not None:
        return (
            f"Support: attacks on {describe.where(state.scenario, mission.hex)} this turn {forecast.column_shift:+d} column "
            f"(at most {rules.shifts.max_air_support:+d} for all air support)"
        )
    if mission.kind == "interdiction" and mission.hex is not None:
        return (
            f"Interdiction: enemy units entering {describe.where(state.scenario, mission.hex)} or a hex next to it "
            f"pay {forecast.move_cost} more move points, until your next air phase"
        )
    return "Patrol: shoots at the enemy's patrols now, and stands until your next air phase to turn back its missions"
