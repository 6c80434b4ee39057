"""What an order would bring, shown on hover before anything is committed (no pygame here).

A :class:`Prediction` is the words and the table of the panel the map draws beside the pointer:
for an attack, the odds column, every column shift with its reason, every result with its exact
chance and what each side stands to lose by it; for a bombardment, the column and the chance of
each result; for an air mission, what it does and what may turn it back.

Every number comes from the engine's forecast (:func:`nomonhan.engine.combat_odds`) or the rules'
functions and data, never from a rule written again here.  The loss columns are read from the
forecast's per-result fields, whatever they are (steps today; men and tanks when the forecast
gives them), so the panel follows the forecast as it grows.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction

from nomonhan import engine
from nomonhan.actions import Action, AirMission, Attack, Resolve, Support
from nomonhan.engine.forecast import CombatForecast
from nomonhan.engine.view import enemy_units_at
from nomonhan.rules.artillery import fire_plan
from nomonhan.rules.combat import CombatResult, resolve_bombardment
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
        return air_prediction(state, action)
    return None


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


def per_result_losses(forecast: CombatForecast) -> dict[CombatResult, tuple[str, str]]:
    """What each result takes off (attacker's words, defender's words), from every per-result
    field of the forecast: entries that name a result and then the attacker's and the defender's
    loss (as a tuple or a record), each a count or a record of counts (steps, men, tanks...)."""
    found: dict[CombatResult, tuple[list[str], list[str]]] = {}
    for field in dataclasses.fields(forecast):
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
    """The bombardment as it would stand after ``action``: the guns' column and each result's chance.

    The column and its shifts are the rules' :func:`~nomonhan.rules.artillery.fire_plan`, the
    engine's own (the test checks every die against the engine's resolution).
    """
    declaration = state.declaration
    guns = tuple(declaration.guns) if declaration else ()
    if isinstance(action, Support):
        guns, target = guns + (action.unit,), action.target
    elif declaration is not None:
        target = declaration.target
    else:
        return None
    known = engine.believed_state(engine.observe(state, state.active_side), state.rng_state)
    rules = state.scenario.rules
    defenders = enemy_units_at(known, state.active_side, target)
    plan = fire_plan(known, [known.unit(g) for g in guns], defenders, target)
    column = plan.column
    reasons = [f"Firing strength {float(plan.strength):g}"] + [f"{why}: {shift:+d} column" for why, shift in plan.shifts]
    rows: list[tuple[str, ...]] = []
    if column is None:
        reasons.append("Too weak against this cover: no effect possible")
    else:
        reasons.append(f"Column {describe_bombardment_column(state, column)}")
        chances: dict[CombatResult, Fraction] = {}
        for die in range(1, rules.bombardment.die_sides + 1):
            result = resolve_bombardment(rules.bombardment, column, die)
            chances[result] = chances.get(result, Fraction(0)) + Fraction(1, rules.bombardment.die_sides)
        steps = sum(d.steps for d in defenders)
        for result, p in sorted(chances.items(), key=lambda item: -item[1]):
            lost = plural(min(result.defender_steps, steps), "step")
            rows.append(("no effect" if result.text == "-" else result.text, chance(p), "nothing", lost))
    verb = "Fire" if isinstance(action, Resolve) else "Bombard"
    commit = "Nothing is rolled until you press Fire." if verb == "Bombard" else "Pressing it fires at once."
    return Prediction(
        f"{verb} {describe.where(state.scenario, target)} with {plural(len(guns), 'gun')}",
        tuple(reasons),
        ("result", "chance", "you lose", "enemy loses"),
        tuple(rows),
        (commit,),
    )


def describe_bombardment_column(state: GameState, column: int) -> str:
    columns = state.scenario.rules.bombardment.strength_columns
    low = columns[column]
    return f"{low}+" if column == len(columns) - 1 else f"{low}-{columns[column + 1] - 1}"


def air_prediction(state: GameState, action: AirMission) -> Prediction:
    """What an air mission does (from the rules data) and how many enemy patrols may turn it back."""
    rules = state.scenario.rules
    s = state.scenario
    enemy = s.enemy_of(state.active_side)
    patrols = state.air.superiority_of(enemy)
    where = describe.where(s, action.hex) if action.hex is not None else ""
    if action.kind == "support":
        flown = sum(1 for side, h in state.air.support if side == state.active_side and h == action.hex)
        effect = (
            f"Attacks on {where} this turn: {rules.shifts.per_air_support_point:+d} column "
            f"(at most {rules.shifts.max_air_support:+d} for all support; {flown} already flown there)"
        )
    elif action.kind == "interdiction":
        effect = f"Enemy units entering {where} or a hex next to it pay {rules.air.interdiction_move_cost} more move points, until your next air phase"
    else:
        effect = "A standing patrol until your next air phase: it fights enemy patrols and may turn back their missions"
    odds = f"on a die of 1-{rules.air.cancel_on_die_at_most} of {rules.air.die_sides}"
    threat = (
        f"Enemy patrols up: {patrols}; each may turn back one of your missions {odds} (your own patrols fight them first)"
        if patrols
        else "No enemy patrol is up: nothing can turn it back"
    )
    title = describe.action_label(state, action)
    return Prediction(title, (effect, threat), (), (), ("Air points are spent when you click; the fights come when you end the phase.",))
