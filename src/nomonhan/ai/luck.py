"""The luck of a rollout's dice, to take out of its score (a control variate).

The diagnosis of the search player (``docs/players.md``, "Why the search does not gain") found
that a turn's temper moves a game's final margin by about 2 victory points, while the dice move
one rollout's score by 6 to 14: a few rollouts cannot tell the tempers apart.  Much of that
spread is the dice of the fights in the rollout, and the engine can say, before each die is
rolled, what every face would cost each side (:func:`nomonhan.engine.combat_odds`,
:func:`nomonhan.engine.bombardment_odds`).  So for each fight a rollout resolves, :class:`Luck`
adds up what the drawn result was worth to the side less what the fight was worth on average
over the die.  That sum has mean zero whatever the position and the players (the die is fair,
the forecast is fixed before it is rolled), so a rollout's worth less its luck has the same
expectation as the worth, and less spread where the fights' dice drive the score (the
variance-reduction trick of backgammon programs and of AIVAT in poker).

The forecast is worked out on what the attacking side knows, as the engine's forecast always
is; where it misjudges a result's cost, the luck taken out is a little off, which costs some of
the reduction in spread but never biases the score.  Air missions are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from nomonhan import engine
from nomonhan.actions import Action, Attack, Resolve
from nomonhan.engine.forecast import BombardmentForecast, CombatForecast, ResultLosses
from nomonhan.events import BombardmentResolved, CombatResolved, Event
from nomonhan.hexgrid import Hex
from nomonhan.rules.victory import Losses
from nomonhan.state import GameState, Phase, Unit


@dataclass
class Luck:
    """What the dice of the fights played so far gave ``side`` beyond their expectation, in the
    units of :func:`nomonhan.ai.search.worth` (negative: bad luck)."""

    side: str
    total: Fraction = field(default=Fraction(0))

    def step(self, state: GameState, action: Action) -> tuple[GameState, list[Event]]:
        """:func:`nomonhan.engine.step`, adding the luck of the fight ``action`` resolves, if any."""
        fight = Fight.of(state, action)
        after, events = engine.step(state, action)
        if fight is not None:
            value = {entry.result.text: fight.value(state, entry) for entry in fight.odds.losses}
            expected = sum((chance * value[result.text] for result, chance in fight.odds.outcomes), Fraction(0))
            drawn = next(e.result for e in events if isinstance(e, (CombatResolved, BombardmentResolved)))
            luck = value[drawn] - expected
            self.total += luck if state.active_side == self.side else -luck
        return after, events


@dataclass(frozen=True)
class Fight:
    """An attack or a bombardment about to be resolved: its forecast, who fights, and where."""

    odds: CombatForecast | BombardmentForecast
    attackers: tuple[str, ...]
    target: Hex
    takes_ground: bool  # an attack, whose attackers may take the hex; a bombardment takes none

    @staticmethod
    def of(state: GameState, action: Action) -> Fight | None:
        """The fight ``action`` resolves in ``state``, forecast before the die is rolled; None
        if it resolves none."""
        declaration = state.declaration
        if isinstance(action, Attack) and action.overrun:
            return Fight(engine.combat_odds(state, action), action.units, action.target, True)
        if not isinstance(action, Resolve) or declaration is None:
            return None
        if state.phase is Phase.BOMBARDMENT:
            return Fight(engine.bombardment_odds(state, declaration.guns, declaration.target), (), declaration.target, False)
        attack = Attack(declaration.units, declaration.target, declaration.guns)
        return Fight(engine.combat_odds(state, attack), attack.units, attack.target, True)

    def value(self, state: GameState, entry: ResultLosses) -> Fraction:
        """What a result is worth to the attacking (active) side, as :func:`worth` counts it:
        the victory points of the enemy's losses less those of its own (a step of a unit cut
        off from supply is already counted half lost, so losing it costs half a point less) and,
        for an attack that clears an objective's hex (the defenders retreat or lose every step),
        the objective's points the attacker gains by taking it and its holder loses: at Bain
        Tsagan one die of a 1:1 attack swings a two-turn rollout by 26 points that way."""
        defenders = [u for u in state.units if u.on_map and u.hex == self.target and u.side != state.active_side]
        attackers = [state.unit(uid) for uid in self.attackers]
        gained = cost(state, defenders, entry.defender) - cost(state, attackers, entry.attacker)
        if self.takes_ground and (entry.result.retreat or entry.defender.steps >= sum(u.steps for u in defenders)):
            gained += objective_swing(state, self.target)
        return gained


def cost(state: GameState, group: list[Unit], lost: Losses) -> Fraction:
    """The worth ``lost`` takes from the side of ``group``: the victory points it gives the
    enemy (``points_per_step`` a step and, with ``men_per_point``, a point for every that many
    men, unrounded), less half a point for each step lost from a unit cut off from supply,
    shared out over the group by its steps."""
    scenario = state.scenario
    value = Fraction(scenario.points_per_step * lost.steps)
    if scenario.men_per_point:
        value += Fraction(lost.men, scenario.men_per_point)
    steps = sum(u.steps for u in group)
    if lost.steps and steps:
        supplied = engine.supplied_hexes(state, group[0].side)
        cut_off = sum(u.steps for u in group if u.hex not in supplied)
        value -= Fraction(lost.steps * cut_off, 2 * steps)
    return value


def objective_swing(state: GameState, target: Hex) -> Fraction:
    """The victory points the active side gains over its enemy by taking ``target`` from whoever
    holds it: an objective's points once if nobody holds it, twice if the enemy does."""
    swing = 0
    for objective, holder in zip(state.scenario.objectives, state.holders):
        if objective.hex == target and holder != state.active_side:
            swing += objective.points * (2 if holder in state.scenario.side_ids else 1)
    return Fraction(swing)
