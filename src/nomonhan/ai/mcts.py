"""The tree-search player: information-set Monte Carlo tree search over each unit's moves.

The search player (:mod:`nomonhan.ai.search`) chooses among whole tempers of the heuristic; this
one goes on to choose the moves themselves.  Each turn it lets the temper search pick the turn's
temper; then, at the start of its movement phase, it plans the moves of the units that matter
most (those nearest the enemy it knows of, ``depth`` of them), each among the heuristic's best
few destinations (``width``, the heuristic's own choice first) and standing still, by Monte
Carlo tree search: UCB1 over a tree whose level ``n`` is the ``n``-th unit's move.  Each
iteration

1. **determinises** the hidden enemy from what the side has seen (:mod:`nomonhan.ai.memory`):
   each enemy unit out of sight stands where it was last seen (or set up), or, drawn by the
   player's own generator, one hex off on a hex the side cannot see.  It is a sample of the
   side's belief, never the true state, which the player is never given;
2. descends the tree, playing each unit's move where it is legal in that sample;
3. plays on with the heuristic (the turn's temper for its own side) through its own turn and
   the enemy's reply (``horizon`` player turns), on dice from its own generator;
4. scores the end by :func:`nomonhan.ai.search.worth` and backs it up the path.

It then plays, unit by unit down the tree, the most visited move, but keeps the heuristic's own
unless the other's mean beats it by ``switch_margin`` points: a few dozen playouts are noisy, and
the heuristic's move carries a plan whose worth lies mostly beyond the horizon.  The heuristic
does everything else (the units not planned, air, guns, attacks).  The budget counts
iterations, never seconds, so its games replay exactly from the seed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from nomonhan import engine
from nomonhan.actions import Action, Move
from nomonhan.ai.heuristic import HeuristicPlayer
from nomonhan.ai.luck import Luck
from nomonhan.ai.search import SearchPlayer, Temper, play_forward, threatened_points, worth
from nomonhan.engine import Observation
from nomonhan.hexgrid import Hex
from nomonhan.rng import Generator
from nomonhan.state import GameState, Phase, Unit

Choice = Hex | None
"""A unit's move in the tree: the hex it moves to, or None to stand."""


@dataclass
class Node:
    visits: int = 0
    total: float = 0.0
    children: dict[int, Node] = field(default_factory=dict)

    @property
    def mean(self) -> float:
        return self.total / self.visits if self.visits else -math.inf

    def pick(self, options: int, exploration: float) -> int:
        """The option to try next: each once, in order; then the best by UCB1."""
        for n in range(options):
            if n not in self.children:
                return n
        log_visits = math.log(self.visits)
        return max(
            range(options), key=lambda n: (self.children[n].mean + exploration * math.sqrt(log_visits / self.children[n].visits), -n)
        )


class TreeSearchPlayer:
    kind = "mcts"

    def __init__(
        self,
        iterations: int = 24,
        width: int = 3,
        depth: int = 6,
        horizon: int = 2,
        exploration: float = 4.0,
        switch_margin: float = 1.0,
        max_rollout_actions: int = 5000,
        tempers: SearchPlayer | None = None,
        adjust_luck: bool = False,
        skip_settled: bool = False,
        threats: bool = False,
        threats_made: bool = False,
    ) -> None:
        """``iterations``: determinised playouts per own turn (the budget); ``width``: each
        unit's candidate destinations besides standing; ``depth``: units planned by the tree;
        ``exploration``: UCB1's constant, in victory points (a playout's worth varies by a
        few); ``tempers``: the temper search that picks each turn's heuristic; ``skip_settled``
        (a trial, off by default): see :meth:`_candidates`; ``threats`` and ``threats_made``
        (trials, off by default): see :meth:`_value`."""
        self.iterations = iterations
        self.width = width
        self.depth = depth
        self.horizon = horizon
        self.exploration = exploration
        self.switch_margin = switch_margin
        self.max_rollout_actions = max_rollout_actions
        self.adjust_luck = adjust_luck
        self.skip_settled = skip_settled
        self.threats = threats
        self.threats_made = threats_made
        self.tempers = tempers if tempers is not None else SearchPlayer(adjust_luck=adjust_luck)
        self.tree_nodes = 0
        self.plans: dict[tuple[int, str], tuple[tuple[str, Choice], ...]] = {}

    @property
    def nodes(self) -> int:
        """Actions simulated so far, by the temper search and the tree: the budget's unit."""
        return self.tempers.nodes + self.tree_nodes

    def choose(self, observation: Observation, legal_actions: Sequence[Action], rng: Generator) -> Action:
        heuristic = self.tempers.player_for(observation, rng)
        side = observation.side
        if observation.active_side == side and observation.phase is Phase.MOVEMENT and observation.pending is None:
            key = (observation.turn, side)
            if key not in self.plans:
                temper = self.tempers.chosen.get(key, self.tempers.tempers[0])
                self.plans[key] = self._search(observation, heuristic, temper, rng)
            state = engine.believed_state(observation)
            for unit_id, choice in self.plans[key]:
                unit = state.unit(unit_id)
                if unit.moved or not unit.on_map or unit_id in heuristic.held(state):
                    continue
                if choice is not None and choice in engine.destinations(state, unit_id):
                    return Move(unit_id, choice)
                heuristic.hold(state, unit_id)
        return heuristic.choose(observation, legal_actions, rng)

    def _search(
        self, observation: Observation, heuristic: HeuristicPlayer, temper: Temper, rng: Generator
    ) -> tuple[tuple[str, Choice], ...]:
        """The planned units' moves, in order, from ``iterations`` determinised playouts."""
        side = observation.side
        base = self.tempers.memory.imagine_ahead(observation)
        planned = self._candidates(base, side, heuristic)
        units = [unit for unit, _ in planned]
        options = [choices for _, choices in planned]
        root = Node()
        for _ in range(self.iterations if any(len(o) > 1 for o in options) else 0):
            state = replace(self._determinise(base, observation, rng), rng_state=rng.randint(0, 2**63 - 1))
            path = [root]
            held: list[str] = []
            for unit, choices in zip(units, options):
                n = path[-1].pick(len(choices), self.exploration)
                new = n not in path[-1].children
                path.append(path[-1].children.setdefault(n, Node()))
                state = self._play(state, unit.id, choices[n])
                held.append(unit.id)
                if new:
                    break
            value = self._rollout(state, side, temper, held, rng.randint(0, 2**63 - 1))
            for visited in path:
                visited.visits += 1
                visited.total += value
        plan: list[tuple[str, Choice]] = []
        node = root
        for unit, choices in zip(units, options):
            if 0 not in node.children:
                break
            n = max(node.children, key=lambda k: (node.children[k].visits, -k))
            if node.children[n].mean < node.children[0].mean + self.switch_margin:
                n = 0
            plan.append((unit.id, choices[n]))
            node = node.children[n]
        return tuple(plan)

    def _candidates(self, state: GameState, side: str, heuristic: HeuristicPlayer) -> list[tuple[Unit, list[Choice]]]:
        """The units the tree plans, each with its candidate moves: the side's units free to
        move, nearest the enemy it knows of first, ``depth`` of them.  With ``skip_settled``, a
        unit whose only candidate is to stand (no goal, or no move: the heuristic has settled it)
        is left to the heuristic and the next unit with a choice takes its place: at Khalkhin Gol
        the Japanese units nearest the enemy are dug in, and on 7 of that side's first 14 turns
        (seed 0) the tree had one unit with a choice, or none.  Off by default: as the Bain
        Tsagan Soviets it took `mcts`'s gain over the heuristic inside chance at 20 seeds
        (docs/players.md, "The holding sides")."""
        foes = [u.position for u in state.units_of(state.scenario.enemy_of(side)) if u.on_map]
        if not foes:
            return []
        free = [u for u in state.units_of(side) if u.on_map and not u.moved and u.move_points > 0]
        order = state.scenario.unit_order
        planned: list[tuple[Unit, list[Choice]]] = []
        for unit in sorted(free, key=lambda u: (min(u.position.distance(f) for f in foes), order[u.id])):
            if len(planned) == self.depth:
                break
            choices = heuristic.ranked_moves(state, unit, self.width)
            if len(choices) > 1 or not self.skip_settled:
                planned.append((unit, choices))
        return planned

    def _determinise(self, state: GameState, observation: Observation, rng: Generator) -> GameState:
        """One sample of the hidden enemy: each unit out of sight where it is imagined, or one
        hex off, on a hex the side cannot see and the unit could stand on."""
        board = state.scenario.board
        types = state.scenario.unit_types
        own = {u.hex for u in state.units if u.on_map and u.side == observation.side}
        units = []
        for unit in state.units:
            if unit.side != observation.side and unit.on_map and unit.hex not in observation.seen_hexes:
                movement = types[unit.type_id].movement_class
                nearby = [
                    h
                    for h in unit.position.neighbours()
                    if h in board
                    and h not in observation.seen_hexes
                    and h not in own
                    and board.terrain_at(h).move_cost.get(movement) is not None
                ]
                unit = replace(unit, hex=rng.choice([unit.position, *nearby]))
            units.append(unit)
        return replace(state, units=tuple(units))

    def _play(self, state: GameState, unit_id: str, choice: Choice) -> GameState:
        """``state`` after the unit's move, where the sample allows it (else it stands)."""
        if choice is not None and not state.unit(unit_id).moved and choice in engine.destinations(state, unit_id):
            state, _ = engine.step(state, Move(unit_id, choice))
            self.tree_nodes += 1
        return state

    def _rollout(self, state: GameState, side: str, temper: Temper, held: list[str], seed: int) -> float:
        """:func:`worth` for ``side`` after ``horizon`` player turns, the units the tree has
        decided standing where it left them."""
        ours = temper.player()
        for unit_id in held:
            ours.hold(state, unit_id)
        luck = Luck(side) if self.adjust_luck else None
        end, actions = play_forward(state, side, ours, HeuristicPlayer(), self.horizon, self.max_rollout_actions, Generator(seed), luck)
        self.tree_nodes += actions
        return float(self._value(end, side) - (luck.total if luck is not None else 0))

    def _value(self, state: GameState, side: str) -> Fraction:
        """A playout's end scored for ``side``: :func:`worth`, less, with ``threats``, the
        margin its objectives are likely to lose when the enemy attacks them
        (:func:`threatened_points`), and plus, with ``threats_made``, what the side's own
        threats on the enemy's objectives are likely to win: what a position is for often
        comes after the playout's two player turns."""
        value = worth(state, side)
        if self.threats:
            value -= threatened_points(state, side)
        if self.threats_made:
            value += threatened_points(state, state.scenario.enemy_of(side))
        return value
