"""The search player: picks each turn's temper by playing the turn and the enemy's reply forward.

A side's turn is a chain of dozens of moves and attacks whose worth shows only after the enemy
has answered, so searching single actions to the end of one's own turn (the first version of
this player) misjudged them: an attack that wins a hex looks good until the counter-attack. This
player searches one level up, over *tempers* of the heuristic (how bold its attacks are, how
much its units shun strong enemies, how readily they step beyond their supply lines, whether
they stand and dig in or fall back on their supply), as portfolio search does in real-time
strategy games (Churchill and Buro, 2013). At the start of each of its turns it plays every
temper forward ``rollouts`` times through its own turn and the enemy's reply (``horizon`` player
turns), with the heuristic answering for the enemy, and keeps the temper with the best total
:func:`worth` (victory-point margin, cut-off steps counted half lost); the heuristic's own
temper, listed first, keeps the turn unless another beats it clearly. Every temper is tried on
the same dice (common random numbers) so the comparison measures the temper, not the luck. It
searches an imagined state (:mod:`nomonhan.ai.memory`): the enemy units it sees, and those out
of sight where it last saw them or where the scenario sets them up; it never reads the true
state. Budgets count rollouts, never seconds, so its games replay exactly.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from nomonhan import engine
from nomonhan.actions import Action
from nomonhan.ai.armour import REACH, closed_in
from nomonhan.ai.goals import needs_plan, posture
from nomonhan.ai.heuristic import SUPPLY_WEIGHT, HeuristicPlayer
from nomonhan.ai.luck import Luck
from nomonhan.ai.memory import EnemyMemory
from nomonhan.ai.plan import derive_plan
from nomonhan.engine import Observation
from nomonhan.engine.forecast import by_face
from nomonhan.hexgrid import Hex
from nomonhan.rng import Generator, seed_state
from nomonhan.rules.combat import plan_attack, resolve
from nomonhan.rules.victory import victory_points
from nomonhan.state import GameState


@dataclass(frozen=True)
class Temper:
    """One setting of the heuristic's dials (attack threshold, caution, stand, withdraw, supply
    weight), named so that tests and traces can say which was picked."""

    name: str
    min_attack_score: Fraction
    caution: Fraction
    stand: bool = False
    withdraw: bool = False
    supply_weight: int = SUPPLY_WEIGHT

    def player(self) -> HeuristicPlayer:
        return HeuristicPlayer(self.min_attack_score, self.caution, self.stand, self.withdraw, self.supply_weight)

    @property
    def holds_back(self) -> bool:
        """Whether it keeps units back that the heuristic would send on: standing, withdrawing,
        or keeping closer to the supply trace than the heuristic's own weight."""
        return self.stand or self.withdraw or self.supply_weight > SUPPLY_WEIGHT


TEMPERS = (
    Temper("steady", Fraction(1, 4), Fraction(1)),  # the heuristic's own: first, so it wins ties
    Temper("bold", Fraction(-1, 2), Fraction(1, 2)),
    Temper("reckless", Fraction(-2), Fraction(0)),
    Temper("supplied", Fraction(1, 4), Fraction(1), supply_weight=10),
    Temper("stand", Fraction(1), Fraction(2), stand=True),
    Temper("withdraw", Fraction(1), Fraction(2), withdraw=True),
)


class SearchPlayer:
    kind = "search"

    def __init__(
        self,
        rollouts: int = 2,
        horizon: int = 2,
        tempers: Sequence[Temper] = TEMPERS,
        switch_margin: Fraction = Fraction(1),
        max_rollout_actions: int = 5000,
        keep_temper: bool = False,
        synced_dice: bool = False,
        confidence: Fraction = Fraction(0),
        adjust_luck: bool = False,
    ) -> None:
        self.rollouts = rollouts
        self.adjust_luck = adjust_luck
        self.keep_temper = keep_temper
        self.synced_dice = synced_dice
        self.confidence = confidence
        self.switch_margin = switch_margin
        self.horizon = horizon
        self.tempers = tuple(tempers)
        self.max_rollout_actions = max_rollout_actions
        self.nodes = 0  # actions simulated so far: the budget's unit, reported by benchmarks
        self.chosen: dict[tuple[int, str], Temper] = {}  # the temper picked for each own turn
        self._players = {temper: temper.player() for temper in self.tempers}
        self.memory = EnemyMemory()
        # this turn's rollouts' worths, by seed, own turn played and (keep_temper) temper
        self._worths: dict[tuple[int, tuple[Action, ...], Temper | None], Fraction] = {}

    def choose(self, observation: Observation, legal_actions: Sequence[Action], rng: Generator) -> Action:
        return self.player_for(observation, rng).choose(observation, legal_actions, rng)

    def player_for(self, observation: Observation, rng: Generator) -> HeuristicPlayer:
        """The heuristic with this turn's temper, picked at the side's first decision of its turn."""
        side = observation.side
        temper = self.tempers[0]
        self.memory.update(observation)
        if observation.active_side == side:
            key = (observation.turn, side)
            if key not in self.chosen:  # the imagined state is built only when there is a choice to make
                self.chosen[key] = self._pick_temper(self.memory.imagine_ahead(observation), side, rng)
            temper = self.chosen[key]
        return self._players[temper]

    def tempers_for(self, state: GameState, side: str) -> tuple[Temper, ...]:
        """The tempers worth trying: all of them, except that a side whose plan is to attack
        never holds back (stands, withdraws, or keeps to its supply trace more than the
        heuristic).  Over two player turns, holding back always loses fewer steps than
        advancing, and keeps more of them inside the trace (a step outside it counts half
        lost), while an attack's reward (a pocket closed, an objective taken on the plan's
        date) lies beyond the horizon: the Soviet attacker at Khalkhin Gol, free to stand,
        stood on half its turns and lost the pocket; free to keep to its trace, it did so on
        a quarter of its turns, its pincers' spearheads kept back for a two-turn gain that was
        all steps no longer counted half lost, and won by 55 points or more in 8 of 20 games
        where the heuristic did in 14."""
        plan = derive_plan(state, side) if needs_plan(state, side) else None
        if posture(state, side, plan) != "attack":
            return self.tempers
        return tuple(temper for temper in self.tempers if not temper.holds_back)

    def _pick_temper(self, state: GameState, side: str, rng: Generator) -> Temper:
        """The temper with the best mean worth; another than the first must beat it by
        ``switch_margin`` points a rollout, and by ``confidence`` standard errors of its paired
        gain more, since the plan's long-term worth lies beyond the horizon and a few rollouts
        are noisy."""
        tempers = self.tempers_for(state, side)
        if len(tempers) == 1:
            return tempers[0]
        seeds = [rng.randint(0, 2**63 - 1) for _ in range(self.rollouts)]
        self._worths.clear()
        worths = [[self._rollout(state, temper, side, seed) for seed in seeds] for temper in tempers]
        best, best_gain = 0, Fraction(0)
        for n in range(1, len(tempers)):
            gains = [mine - steady for mine, steady in zip(worths[n], worths[0])]
            gain = sum(gains, Fraction(0)) / len(gains)
            if gain > best_gain and gain - self.switch_margin > self.confidence * standard_error(gains):
                best, best_gain = n, gain
        return tempers[best]

    def _rollout(self, state: GameState, temper: Temper, side: str, seed: int) -> Fraction:
        """:func:`worth` for ``side`` after ``horizon`` player turns, ``temper`` playing this one
        (or, with ``keep_temper``, every turn of its side in the horizon).

        Each later player turn runs on dice of its own (``seed`` plus the turn's place in the
        rollout; the engine's dice too, with ``synced_dice``), so tempers that play the turn
        alike (the bold and the steady make the same moves where no attack is in reach) play
        the same rollout, scored once, and tempers that differ meet the same dice afterwards."""
        steady = self.tempers[0].player()
        ours = temper.player()
        luck = Luck(side) if self.adjust_luck else None
        end, actions = play_turn(replace(state, rng_state=seed), side, ours, steady, self.max_rollout_actions, Generator(seed), luck)
        played = len(actions)
        key = (seed, actions, temper if self.keep_temper else None)
        if key not in self._worths:
            for turn in range(1, self.horizon):
                if end.game_over or played >= self.max_rollout_actions:
                    break
                if self.synced_dice:
                    end = replace(end, rng_state=seed_state(seed + turn))
                mover = ours if self.keep_temper else steady
                end, actions = play_turn(end, side, mover, steady, self.max_rollout_actions - played, Generator(seed + turn), luck)
                played += len(actions)
            self._worths[key] = worth(end, side) - (luck.total if luck is not None else 0)
        self.nodes += played
        return self._worths[key]


def standard_error(values: Sequence[Fraction]) -> float:
    """The standard error of the mean of ``values`` (0 for fewer than two)."""
    if len(values) < 2:
        return 0.0
    return statistics.stdev(values) / math.sqrt(len(values))


def play_forward(
    state: GameState,
    side: str,
    ours: HeuristicPlayer,
    others: HeuristicPlayer,
    horizon: int,
    max_actions: int,
    dice: Generator,
    luck: Luck | None = None,
) -> tuple[GameState, int]:
    """``state`` played forward until ``horizon`` player turns have ended (or the game, or
    ``max_actions``): ``ours`` decides for ``side`` in the turn under way, ``others`` every
    other decision; also the number of actions played.  ``luck``, if given, adds up the
    fights' luck."""
    played = 0
    for turn in range(horizon):
        if state.game_over or played >= max_actions:
            break
        state, actions = play_turn(state, side, ours if turn == 0 else others, others, max_actions - played, dice, luck)
        played += len(actions)
    return state, played


def play_turn(
    state: GameState,
    side: str,
    ours: HeuristicPlayer,
    others: HeuristicPlayer,
    max_actions: int,
    dice: Generator,
    luck: Luck | None = None,
) -> tuple[GameState, tuple[Action, ...]]:
    """The player turn under way played to its end (or the game's, or ``max_actions``): ``ours``
    decides for ``side``, ``others`` for the other side (its answers within the turn); also the
    actions played, which with the dice determine the result.  ``luck``, if given, adds up the
    luck of the fights' dice (:mod:`nomonhan.ai.luck`)."""
    step = luck.step if luck is not None else engine.step
    this_turn = (state.turn, state.active_side)
    actions: list[Action] = []
    while not state.game_over and len(actions) < max_actions and (state.turn, state.active_side) == this_turn:
        acting = state.acting_side
        player = ours if acting == side else others
        action = player.choose(engine.observe(state, acting), engine.legal_actions(state), dice)
        state, _ = step(state, action)
        actions.append(action)
    return state, tuple(actions)


def worth(state: GameState, side: str) -> Fraction:
    """How well ``side`` stands: its victory-point margin, with each step cut off from supply
    counted half lost.  Two turns are too few for the supply rules to destroy a pocket, but a
    pocket is where most steps die (Khalkhin Gol, August 1939)."""
    enemy = state.scenario.enemy_of(side)
    points = victory_points(state)
    return Fraction(points[side] - points[enemy]) + Fraction(cut_off_steps(state, enemy) - cut_off_steps(state, side), 2)


def cut_off_steps(state: GameState, side: str) -> int:
    supplied = engine.supplied_hexes(state, side)
    return sum(unit.steps for unit in state.units_of(side) if unit.hex not in supplied)


def threatened_points(state: GameState, side: str) -> Fraction:
    """The margin ``side`` can expect to lose on the objectives it holds when the enemy attacks
    them: for each, the chance it loses the hex to the enemy's best attack on it
    (:func:`loss_chance`) times the swing (its points lost to ``side`` and won by the enemy).
    A holding side's position is for the attack that comes after a playout's two player turns:
    without this, no move of the Lake Khasan Japanese on the crests or behind them changed the
    value of a playout by a point (docs/players.md, "The holding sides")."""
    return sum(
        (
            2 * objective.points * loss_chance(state, objective.hex, side)
            for objective, holder in zip(state.scenario.objectives, state.holders)
            if holder == side
        ),
        Fraction(0),
    )


def loss_chance(state: GameState, hex_: Hex, holder: str) -> Fraction:
    """The chance that ``holder`` loses ``hex_`` to the enemy's next attack on it: the enemy's
    fighting units within :data:`~nomonhan.ai.armour.REACH` of it come up beside it and attack
    the holder's stack there, without guns or aircraft, and the hex is lost on a result that
    makes the stack retreat or takes all its steps.  Certain if no unit of the holder stands in
    it (the enemy walks in) or an enemy does; nil if no enemy is within reach."""
    enemy = state.scenario.enemy_of(holder)
    types = state.scenario.unit_types
    near = [e for e in state.units_of(enemy) if e.position.distance(hex_) <= REACH and types[e.type_id].artillery_range == 0]
    if not near:
        return Fraction(0)
    defenders = [u for u in state.units_of(holder) if u.hex == hex_]
    if not defenders or any(e.hex == hex_ for e in near):
        return Fraction(1)
    board = closed_in(state, hex_, near)
    if board is None:
        return Fraction(0)
    plan = plan_attack(board, [board.unit(e.id) for e in near], [board.unit(d.id) for d in defenders], hex_, 0, 0, False)
    table = state.scenario.rules.crt
    steps = sum(d.steps for d in defenders)
    outcomes = by_face(table.die_sides, lambda die: resolve(table, plan.column, die))
    return sum((chance for result, chance in outcomes.items() if result.retreat or result.defender_steps >= steps), Fraction(0))
