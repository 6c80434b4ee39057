"""The heuristic player: an operational AI that follows the scenario's plan.

It heads for the objectives and axes of the AI hints, keeps within supply, pulls back units
cut off, masses its guns and aircraft where it attacks, and attacks only where
``combat_odds`` says the exchange favours it.  It plays from its own observation only, through
:func:`engine.believed_state`.  It is the default computer player.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from nomonhan import engine
from nomonhan.actions import Action, Advance, AirMission, Attack, BuildBridge, EndPhase, HoldPosition, Move, Retreat
from nomonhan.ai.declaring import candidate_attacks, candidate_fire, next_step
from nomonhan.ai.demolition import bridge_to_blow
from nomonhan.ai.goals import goal_for, nearest_supply_source, open_objectives, overdue_objectives
from nomonhan.engine import LegalActions, Observation
from nomonhan.hexgrid import Hex
from nomonhan.rng import Generator
from nomonhan.state import GameState, Phase, Unit


class HeuristicPlayer:
    kind = "heuristic"

    def __init__(
        self,
        min_attack_score: Fraction = Fraction(1, 4),
        caution: Fraction = Fraction(1),
        stand: bool = False,
        withdraw: bool = False,
        supply_weight: int = 4,
    ) -> None:
        """``min_attack_score``: the least :meth:`attack_score` worth an attack.  ``caution``
        scales how much a unit shuns hexes next to enemies much stronger than itself (0: not at
        all).  ``stand``: units in supply stay where they are and dig in.  ``withdraw``: every
        unit falls back towards its supply sources, as Kobayashi's group did over the pontoon on
        5 July 1939.  ``supply_weight``: what a move loses for ending outside the side's
        supply trace, where each hex nearer the unit's goal gains 3: at 4, a unit leaves the
        trace for two hexes of progress.  The search player varies these to find the turn's
        best temper."""
        self.min_attack_score = min_attack_score
        self.caution = caution
        self.stand = stand
        self.withdraw = withdraw
        self.supply_weight = supply_weight
        self._settled: tuple[int, str, set[str]] = (0, "", set())

    def choose(self, observation: Observation, legal_actions: Sequence[Action], rng: Generator) -> Action:
        state = engine.believed_state(observation)
        if state.pending is not None:
            return self._answer_pending(state, legal_actions)
        if state.phase is Phase.AIR:
            return self._air(state, legal_actions)
        if state.phase is Phase.MOVEMENT:
            return self._movement(state, legal_actions)
        if state.phase is Phase.BOMBARDMENT:
            return self._bombard(state, legal_actions)
        if state.phase is Phase.COMBAT:
            plan = self.best_attack(state, candidate_attacks(state))
            return next_step(state, plan) if plan is not None else EndPhase()
        return legal_actions[-1]

    # ------------------------------------------------------------ decisions after combat

    def _answer_pending(self, state: GameState, legal: Sequence[Action]) -> Action:
        enemies = engine.visible_enemies(state, state.acting_side)
        retreats = [a for a in legal if isinstance(a, Retreat)]
        if retreats:
            return max(retreats, key=lambda a: (_distance_to_nearest(a.to, enemies), _neg_hex(a.to)))
        advances = [a for a in legal if isinstance(a, Advance)]
        assert state.pending is not None, "asked to answer a decision the rules are not waiting for"
        target = state.pending.target
        worth_it = target in state.scenario.objective_hexes or state.scenario.board.terrain_at(target).defence_shift > 0
        if advances and worth_it:
            return advances[0]
        return next(a for a in legal if isinstance(a, HoldPosition))

    # ------------------------------------------------------------ air and guns

    def _air(self, state: GameState, legal: Sequence[Action]) -> Action:
        if not any(isinstance(a, AirMission) for a in legal):
            return EndPhase()
        side = state.active_side
        support = [a for a in legal if isinstance(a, AirMission) and a.kind == "support"]
        flown = sum(1 for owner, _ in state.air.support if owner == side)
        target = self._main_effort(state)
        cap = state.scenario.rules.shifts.max_air_support
        if target is not None and flown < cap:
            for mission in support:
                if mission.hex == target:
                    return mission
        if state.air.superiority_of(side) < 1 or not support:
            return AirMission("superiority")
        interdict = [a for a in legal if isinstance(a, AirMission) and a.kind == "interdiction"]
        return interdict[0] if interdict else AirMission("superiority")

    def _main_effort(self, state: GameState) -> Hex | None:
        """The enemy hex next to the most of our attack strength: where guns and aircraft go."""
        side = state.active_side
        enemies = engine.visible_enemies(state, side)
        best: tuple[int, Hex] | None = None
        for enemy in enemies:
            weight = sum(
                state.scenario.unit_types[u.type_id].attack for u in state.units_of(side) if u.position.distance(enemy.position) <= 2
            )
            if weight and (best is None or weight > best[0]):
                best = (weight, enemy.position)
        return best[1] if best else None

    def _bombard(self, state: GameState, legal: Sequence[Action]) -> Action:
        fire = candidate_fire(state)
        if state.declaration is not None:
            return next_step(state, fire[0])
        effort = self._main_effort(state)
        # Save the guns of the main effort for supporting its attack; fire the others.
        for plan in fire:
            if plan.target != effort:
                return next_step(state, plan)
        return EndPhase()

    # ------------------------------------------------------------ combat

    def attack_score(self, state: GameState, attack: Attack) -> Fraction:
        """Expected steps won minus steps lost, plus the chance of driving the defender out.

        Driving the enemy off an objective the side still wants is worth that objective's victory
        points, scaled down (a quarter) because the hex must then be taken and held.  Once the
        plan's deadline for taking it has passed, the attack is worth a quarter of its points
        whatever the odds: the attacker pays in blood for a crest that decides the battle, as the
        Soviets did in August 1938.
        """
        forecast = engine.combat_odds(state, attack)
        score = forecast.expected_defender_steps - forecast.expected_attacker_steps + forecast.retreat_chance / 2
        if attack.target in open_objectives(state, state.active_side):
            points = Fraction(
                sum(o.points for o, h in zip(state.scenario.model.objectives, state.scenario.objective_hexes) if h == attack.target), 4
            )
            score += forecast.retreat_chance * points + Fraction(1, 2)
            if attack.target in overdue_objectives(state, state.active_side):
                score += points
        return score

    def best_attack(self, state: GameState, plans: Sequence[Attack]) -> Attack | None:
        """The best-scoring attack worth making; once a declaration is under way, the best
        completion of it whatever its score (it is carried through, never abandoned)."""
        scored = [(self.attack_score(state, a), n, a) for n, a in enumerate(plans)]
        good = [item for item in scored if item[0] >= self.min_attack_score or state.declaration is not None]
        if not good:
            return None
        return max(good, key=lambda item: (item[0], -item[1]))[2]

    # ------------------------------------------------------------ movement

    def _movement(self, state: GameState, legal: Sequence[Action]) -> Action:
        overruns = [a for a in _non_moves(legal) if isinstance(a, Attack) and a.overrun]
        if overruns:
            best = self.best_attack(state, overruns)
            if best is not None:
                return best
        blow = bridge_to_blow(state, _non_moves(legal))
        if blow is not None:
            return blow
        bridge = self._useful_pontoon(state, legal)
        if bridge is not None:
            return bridge
        side = state.active_side
        key = (state.turn, side)
        if self._settled[:2] != key:
            self._settled = (state.turn, side, set())
        settled = self._settled[2]
        enemies = engine.visible_enemies(state, side)
        supplied = engine.supplied_hexes(state, side)
        for unit in state.units:
            if unit.side != side or not unit.on_map or unit.moved or unit.id in settled or unit.move_points <= 0:
                continue
            if self.stand and unit.out_of_supply == 0:
                continue
            move = self._best_move(state, unit, enemies, supplied)
            if move is not None:
                return move
            settled.add(unit.id)
        return EndPhase()

    def _useful_pontoon(self, state: GameState, legal: Sequence[Action]) -> BuildBridge | None:
        """A pontoon whose far bank is nearer an objective the side still wants (the 1939 crossing)."""
        wanted = open_objectives(state, state.active_side)
        if not wanted:
            return None

        def nearest(hex_: Hex) -> int:
            return min(hex_.distance(goal) for goal in wanted)

        for action in _non_moves(legal):
            if isinstance(action, BuildBridge):
                here = state.unit(action.unit).position
                far = action.hexside.high if action.hexside.low == here else action.hexside.low
                if nearest(far) < nearest(here):
                    return action
        return None

    def _best_move(self, state: GameState, unit: Unit, enemies: list[Unit], supplied: frozenset[Hex]) -> Move | None:
        goal = nearest_supply_source(state, unit) if self.withdraw else goal_for(state, unit, enemies)
        if goal is None:
            return None
        options = engine.destinations(state, unit.id)
        if not options:
            return None
        here = unit.hex
        assert here is not None
        scored = [(self._place_score(state, unit, h, goal, enemies, supplied), _neg_hex(h), h) for h in options]
        best_score, _, best = max(scored)
        if best_score <= self._place_score(state, unit, here, goal, enemies, supplied):
            return None
        return Move(unit.id, best)

    def _place_score(self, state: GameState, unit: Unit, hex_: Hex, goal: Hex, enemies: list[Unit], supplied: frozenset[Hex]) -> Fraction:
        types = state.scenario.unit_types
        score = Fraction(-3 * hex_.distance(goal))
        score += state.scenario.board.terrain_at(hex_).defence_shift
        if supplied and hex_ not in supplied:
            score -= self.supply_weight
        threat = sum(types[e.type_id].attack for e in enemies if e.position.distance(hex_) == 1)
        own = types[unit.type_id].defence
        if threat > 2 * own:
            score -= self.caution * Fraction(threat, max(own, 1))
        if types[unit.type_id].category == "artillery" and threat:
            score -= 6
        if hex_ == goal:
            score += 2
        return score


def _non_moves(legal: Sequence[Action]) -> Sequence[Action]:
    """The actions other than moves: cheap on the engine's lazy list, which builds its moves
    (hundreds a phase) only when asked for them."""
    if isinstance(legal, LegalActions):
        return legal.others()
    return [action for action in legal if not isinstance(action, Move)]


def _distance_to_nearest(hex_: Hex, enemies: list[Unit]) -> int:
    return min((hex_.distance(e.position) for e in enemies), default=99)


def _neg_hex(hex_: Hex) -> tuple[int, int]:
    """Ties between equal scores go to the lowest hex, so choices never depend on set order."""
    return (-hex_.q, -hex_.r)
