"""The heuristic player: an operational AI that follows the scenario's plan.

It heads for the objectives and axes of the AI hints (or, where they are absent or partial, of
a plan it derives itself, :mod:`nomonhan.ai.plan`), keeps within supply, pulls back units
cut off, masses its guns and aircraft where it attacks, and attacks only where
``combat_odds`` says the exchange favours it.  It plays from its own observation only, through
:func:`engine.believed_state`.  It is the default computer player.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from nomonhan import engine
from nomonhan.actions import Action, Advance, AirMission, Attack, BuildBridge, EndPhase, HoldPosition, Move, Retreat
from nomonhan.ai.armour import armour_steps, counter_attack_loss
from nomonhan.ai.declaring import candidate_attacks, candidate_fire, next_step
from nomonhan.ai.demolition import bridge_left_behind, bridge_to_blow, bridges_crossed, tended_bridge_end
from nomonhan.ai.garrison import garrisons
from nomonhan.ai.goals import (
    fixed_objectives,
    goal_for,
    hints_for,
    long_overdue,
    nearest_supply_source,
    needs_plan,
    not_yet_due,
    open_objectives,
    overdue_objectives,
    plans_own_moves,
    posture,
)
from nomonhan.ai.memory import EnemyMemory
from nomonhan.ai.plan import Plan, derive_plan, strength
from nomonhan.ai.withdrawal import bridgeheads, path_distances, untenable
from nomonhan.engine import LegalActions, Observation
from nomonhan.engine.forecast import CombatForecast
from nomonhan.hexgrid import Hex, Hexside
from nomonhan.rng import Generator
from nomonhan.rules.armour import has_ability
from nomonhan.rules.bridges import river_bank
from nomonhan.state import GameState, Phase, Unit

MOVE_LATITUDE = Fraction(1)
"""Destinations scoring within this of a unit's best are near enough equal to draw among: a
third of a hex of progress, or a small difference in ground."""
LONE_ADVANCE = 6
"""What a hex loses, at caution 1, for putting a unit with no friend beside it next to an enemy
stack stronger than itself: two hexes of progress, so it waits a hex short for its friends
rather than walk alone into the stack (units are fed in together, not piecemeal)."""
ARMOUR_AT_RISK = 48
"""What a hex loses, at caution 1, if a tank unit standing there would expect to lose the whole
of its side's armour to the enemy's counter-attack (:func:`nomonhan.ai.armour.counter_attack_loss`),
in proportion for less: a side risks its tanks as it can afford to.  With four steps of armour
(Yasuoka's two regiments at Bain Tsagan) a step expected lost weighs four hexes of progress, so
its tanks keep back from a stack that would destroy them and go in where infantry takes the
blow, and as it loses them it grows more careful with the rest; with sixteen (the Soviet tank
and armoured car battalions there) a step weighs one hex, and they attack from the march."""
SPOTTERS = 2
"""Units sent each turn to bring into sight an enemy the side's idle guns could fire at."""
ATTACK_LATITUDE = Fraction(1, 8)
"""Attacks whose scores (expected steps) are this close are near enough equal to draw among."""
SUPPLY_WEIGHT = 4
"""What a move loses, by default, for ending outside the side's supply trace (``supply_weight``)."""


class HeuristicPlayer:
    kind = "heuristic"

    def __init__(
        self,
        min_attack_score: Fraction = Fraction(1, 4),
        caution: Fraction = Fraction(1),
        stand: bool = False,
        withdraw: bool = False,
        supply_weight: int = SUPPLY_WEIGHT,
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
        self.memory = EnemyMemory()
        self.plan: Plan | None = None
        self._plan_key: tuple[object, ...] = ()
        self._spotters: tuple[tuple[int, str], dict[str, Hex]] = ((0, ""), {})
        self.given_up: dict[Hexside, frozenset[int]] = {}
        """Bridges back from a bridgehead the side has given up, with that bank's hexes: kept for
        the game, so that the units come back, stay back, and the bridge is blown behind them."""
        self.crossed: set[Hexside] = set()
        """Bridges back from a bank the side has had units on: no longer only a way forward
        (:func:`nomonhan.ai.demolition.bridge_to_blow`)."""
        self._withdrawals: tuple[tuple[int, str], dict[str, Hex]] = ((0, ""), {})
        self._known: tuple[tuple[int, str], list[Unit]] = ((0, ""), [])
        """The enemy the side knows of at the start of its movement phase: in sight, or
        remembered where it was last seen (:meth:`EnemyMemory.imagine`)."""

    def choose(self, observation: Observation, legal_actions: Sequence[Action], rng: Generator) -> Action:
        state = engine.believed_state(observation)
        self._replan(observation, state)
        if state.phase is Phase.MOVEMENT and self._spotters[0] != (state.turn, observation.side):
            imagined = self.memory.imagine(observation)
            known = [u for u in imagined.units_of(state.scenario.enemy_of(observation.side)) if u.on_map]
            self._known = ((state.turn, observation.side), known)
            self._spotters = ((state.turn, observation.side), self._spotting(observation, state))
            self._withdrawals = ((state.turn, observation.side), self._withdrawing(state, observation.side, known))
        if state.pending is not None:
            return self._answer_pending(state, legal_actions)
        if state.phase is Phase.AIR:
            return self._air(state, legal_actions)
        if state.phase is Phase.MOVEMENT:
            return self._movement(state, legal_actions, rng)
        if state.phase is Phase.BOMBARDMENT:
            return self._bombard(state, legal_actions)
        if state.phase is Phase.COMBAT:
            plan = self.best_attack(state, candidate_attacks(state), rng)
            return next_step(state, plan) if plan is not None else EndPhase()
        return legal_actions[-1]

    def _replan(self, observation: Observation, state: GameState) -> None:
        """Derive the side's own plan where its hints leave gaps: afresh each turn and whenever
        an objective changes hands, from what the side has seen (never the true state)."""
        self.memory.update(observation)
        side = observation.side
        if not needs_plan(state, side):
            self.plan = None
            return
        key = (observation.turn, observation.active_side, observation.holders)
        if key != self._plan_key:
            self._plan_key = key
            self.plan = derive_plan(self.memory.imagine(observation), side)

    def _spotting(self, observation: Observation, state: GameState) -> dict[str, Hex]:
        """Spotters for idle guns: where a gun has no enemy in sight within its range but the
        side remembers one there, out of sight, the nearest fighting unit (not beside it
        already) heads for it, so that the gun has a target to fire at, not nothing."""
        side = observation.side
        types = state.scenario.unit_types
        guns = [u for u in state.units_of(side) if u.on_map and types[u.type_id].artillery_range > 0]
        seen = engine.visible_enemies(state, side)
        idle = [g for g in guns if not any(e.position.distance(g.position) <= types[g.type_id].artillery_range for e in seen)]
        hidden = sorted(
            {u.hex for u in self.memory.last_seen.values() if u.hex is not None and u.hex not in observation.seen_hexes},
            key=lambda h: (h.q, h.r),
        )
        targets = [h for h in hidden if any(h.distance(g.position) <= types[g.type_id].artillery_range for g in idle)]
        kept = garrisons(state, side, seen)  # a garrison never leaves its height to spot
        held = {h for h, holder in zip(state.scenario.objective_hexes, state.holders) if holder == side}
        fighters = [
            u
            for u in state.units_of(side)
            if u.on_map
            and types[u.type_id].category != "artillery"
            and u.out_of_supply == 0
            and u.id not in kept
            and u.position not in held  # nor does any unit on a held objective: it would leave it open
        ]
        spotters: dict[str, Hex] = {}
        for target in sorted(targets, key=lambda h: (min(h.distance(g.position) for g in idle), h.q, h.r))[:SPOTTERS]:
            free = [u for u in fighters if u.id not in spotters and u.position.distance(target) > 1]
            if free:
                spotter = min(free, key=lambda u: (u.position.distance(target), state.scenario.unit_order[u.id]))
                spotters[spotter.id] = target
        return spotters

    def _withdrawing(self, state: GameState, own_side: str, enemies: list[Unit]) -> dict[str, Hex]:
        """Each unit across an untenable bridgehead (or one given up already) judged against
        the enemy the side knows of (``enemies``), with the home end of the bridge back nearest
        it along real paths; the bridges back are given up for good."""
        types = state.scenario.unit_types
        routes: dict[str, Hex] = {}
        for head in bridgeheads(state, own_side):
            given_up = any(side in self.given_up for side, _ in head.crossings)
            if not (given_up or untenable(state, head, enemies)):
                continue
            self.given_up.update((side, head.bank) for side, _ in head.crossings)
            for unit in head.units:
                here = state.scenario.board.index[unit.position]
                cls = types[unit.type_id].movement_class
                routes[unit.id] = min(
                    (home for _, home in head.crossings),
                    key=lambda home: (path_distances(state, cls, home).get(here, 1 << 30), home.q, home.r),
                )
        return routes

    # ------------------------------------------------------------ decisions after combat

    def _answer_pending(self, state: GameState, legal: Sequence[Action]) -> Action:
        enemies = engine.visible_enemies(state, state.acting_side)
        retreats = [a for a in legal if isinstance(a, Retreat)]
        if retreats:
            return max(retreats, key=lambda a: (_distance_to_nearest(a.to, enemies), _neg_hex(a.to)))
        advances = [a for a in legal if isinstance(a, Advance)]
        assert state.pending is not None, "asked to answer a decision the rules are not waiting for"
        target = state.pending.target
        kept = garrisons(state, state.acting_side, enemies)
        advances = [a for a in advances if a.unit not in kept]  # a garrison advancing would hand over its height
        if (
            advances
            and (
                target in state.scenario.objective_hexes
                or (state.scenario.board.terrain_at(target).defence_shift > 0 and not exposed(state, advances[0].unit, target, enemies))
            )
            and not self._more_exposed(state, state.unit(advances[0].unit), target, enemies)
        ):
            return advances[0]
        return next(a for a in legal if isinstance(a, HoldPosition))

    def _more_exposed(self, state: GameState, unit: Unit, target: Hex, enemies: list[Unit]) -> bool:
        """Whether tanks advancing after combat into ``target`` would expect to lose more to the
        enemy's counter-attack there than where they stand, by more than the side would give
        for a lone advance (:data:`LONE_ADVANCE`, weighed as in the move scoring,
        :data:`ARMOUR_AT_RISK`): judged against the enemy in sight and that remembered out of
        it (the defender just driven out of ``target`` is gone)."""
        seen = {e.id for e in enemies}
        known = self._known[1] if self._known[0] == (state.turn, unit.side) else []
        known = enemies + [e for e in known if e.id not in seen and e.position != target]
        worse = counter_attack_loss(state, unit, target, known) - counter_attack_loss(state, unit, unit.position, known)
        return worse > 0 and ARMOUR_AT_RISK * worse / armour_steps(state, unit.side) > LONE_ADVANCE

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
        """The enemy hex next to the most of our attack strength: where guns and aircraft go.
        An overdue objective in sight comes first: it is the hex the plan says must be stormed
        now, wherever the side happens to have massed."""
        side = state.active_side
        enemies = engine.visible_enemies(state, side)
        overdue = overdue_objectives(state, side)
        enemies = [e for e in enemies if e.position in overdue] or enemies
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
        # Shell every enemy stack in sight but the main effort, each with all the guns that can
        # reach it; the main effort's defenders are left to its attack and to the guns that have
        # not fired.  When the main effort is an objective the side still wants, the guns in
        # range of it are kept for the attack on it instead: scattered over every stack in sight
        # they leave the storm of a crest without support.  Keeping back every gun in range of
        # any main effort was measured (docs/calibration.md, the Lake Khasan rules-design push)
        # and costs Lake Khasan's Soviet men and Bain Tsagan's Japanese tanks their targets.
        effort = self._main_effort(state)
        side = state.active_side
        types = state.scenario.unit_types
        saved = (
            {g.id for g in state.units_of(side) if g.on_map and 0 < effort.distance(g.position) <= types[g.type_id].artillery_range}
            if effort is not None and effort in open_objectives(state, side, self.plan)
            else set()
        )
        allowed = [plan for plan in fire if plan.target != effort and not saved.intersection(plan.artillery)]
        return next_step(state, _most_harmful(state, allowed)) if allowed else EndPhase()

    # ------------------------------------------------------------ combat

    def attack_score(self, state: GameState, attack: Attack) -> Fraction:
        """Expected steps won minus steps lost, plus the chance of driving the defender out.

        Driving the enemy off an objective the side still wants is worth that objective's victory
        points, scaled down (a quarter) because the hex must then be taken and held.  Once the
        plan's deadline for taking it has passed, the attack is worth a quarter of its points
        whatever the odds: the attacker pays in blood for a crest that decides the battle, as the
        Soviets did in August 1938.  An objective the plan takes later (:func:`not_yet_due`) is
        worth only the exchange of steps until then.  A side not on the attack (its posture)
        pays that price only for an attack that can clear the hex (:func:`_may_clear`): a
        defender does not throw its battalions at a crest they cannot take back.
        """
        forecast = engine.combat_odds(state, attack)
        score = forecast.expected_defender_steps - forecast.expected_attacker_steps + forecast.retreat_chance / 2
        if attack.target in set(open_objectives(state, state.active_side, self.plan)) - not_yet_due(state, state.active_side):
            points = Fraction(sum(o.points for o in state.scenario.objectives if o.hex == attack.target), 4)
            score += forecast.retreat_chance * points + Fraction(1, 2)
            if attack.target in overdue_objectives(state, state.active_side) and (
                posture(state, state.active_side, self.plan) == "attack" or _may_clear(state, forecast, attack.target)
            ):
                score += points
        return score

    def best_attack(self, state: GameState, plans: Sequence[Attack], rng: Generator | None = None) -> Attack | None:
        """The best-scoring attack worth making; once a declaration is under way, the best
        completion of it whatever its score (it is carried through, never abandoned).  With
        ``rng``, one drawn from those within :data:`ATTACK_LATITUDE` of the best, so that games
        vary with the player's seed; without, the first of the best.

        A side whose hints say ``attacks: objectives`` attacks only enemy stacks on objective
        hexes: it fights for the ground that counts and does not leave its positions to strike
        at what passes in front of them, as the 19th Division, held by Tokyo to a limited war,
        did not attack beyond the crests at Lake Khasan.

        Nor does a side start an attack on an objective its plan takes later while one it takes
        before it is still to take (:func:`~nomonhan.ai.goals.fixed_objectives`): it holds it in
        front until those are in or it falls due.
        """
        if state.declaration is None and hints_for(state, state.active_side).attacks == "objectives":
            plans = [plan for plan in plans if plan.target in state.scenario.objective_hexes]
        if state.declaration is None:
            fixed = fixed_objectives(state, state.active_side)
            plans = [plan for plan in plans if plan.target not in fixed]
        scored = [(self.attack_score(state, a), n, a) for n, a in enumerate(plans)]
        good = sorted(
            (item for item in scored if item[0] >= self.min_attack_score or state.declaration is not None),
            key=lambda item: (-item[0], item[1]),
        )
        if not good:
            return None
        near = [plan for score, _, plan in good if score >= good[0][0] - ATTACK_LATITUDE]
        return rng.choice(near) if rng is not None else near[0]

    # ------------------------------------------------------------ movement

    def _movement(self, state: GameState, legal: Sequence[Action], rng: Generator) -> Action:
        overruns = [a for a in _non_moves(legal) if isinstance(a, Attack) and a.overrun]
        if overruns:
            best = self.best_attack(state, overruns, rng)
            if best is not None:
                return best
        self.crossed |= bridges_crossed(state, _non_moves(legal))
        wanted = open_objectives(state, state.active_side, self.plan)
        blow = bridge_to_blow(state, _non_moves(legal), wanted, self.crossed) or bridge_left_behind(state, _non_moves(legal), self.given_up)
        if blow is not None:
            return blow
        bridge = self._useful_pontoon(state, legal)
        if bridge is not None:
            return bridge
        side = state.active_side
        settled = self.held(state)
        enemies = engine.visible_enemies(state, side)
        supplied = engine.supplied_hexes(state, side)
        ground = self._ground(state, side, enemies, supplied)
        for unit in state.units:
            if unit.side != side or not unit.on_map or unit.moved or unit.id in settled or unit.move_points <= 0:
                continue
            if self.stand and unit.out_of_supply == 0:
                continue
            move = self._best_move(state, unit, ground, rng)
            if move is not None:
                return move
            settled.add(unit.id)
        return EndPhase()

    def held(self, state: GameState) -> set[str]:
        """The units that stand for the rest of this movement phase: those with no better
        place to go, and those a search has told to stand (:meth:`hold`)."""
        key = (state.turn, state.active_side)
        if self._settled[:2] != key:
            self._settled = (state.turn, state.active_side, set())
        return self._settled[2]

    def hold(self, state: GameState, unit_id: str) -> None:
        self.held(state).add(unit_id)

    def ranked_moves(self, state: GameState, unit: Unit, width: int) -> list[Hex | None]:
        """A search's candidate moves for ``unit``: the heuristic's own first (None: stand),
        then its next best destinations, ``width`` in all, and standing."""
        enemies = engine.visible_enemies(state, unit.side)
        ground = self._ground(state, unit.side, enemies, engine.supplied_hexes(state, unit.side))
        scoring = self._scored_moves(state, unit, ground, needed=width)
        if scoring is None:
            return [None]
        standing, scored = scoring
        own = scored[0][1] if scored[0][0] > standing else None
        ranked: list[Hex | None] = [own, *(h for _, h in scored if h != own)][:width]
        return ranked if None in ranked else [*ranked, None]

    def _useful_pontoon(self, state: GameState, legal: Sequence[Action]) -> BuildBridge | None:
        """A pontoon whose far bank is nearer an objective the side still wants (the 1939 crossing)."""
        wanted = open_objectives(state, state.active_side, self.plan)
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

    def _ground(self, state: GameState, side: str, enemies: list[Unit], supplied: frozenset[Hex]) -> _Ground:
        own = tuple(u for u in state.units_of(side) if u.on_map)
        known = self._known[1] if self._known[0] == (state.turn, side) else enemies
        storming = frozenset(long_overdue(state, side)) if posture(state, side, self.plan) == "attack" else frozenset()
        return _Ground(enemies, supplied, enemy_stacks(state, enemies), own, known, armour_steps(state, side), storming)

    def _best_move(self, state: GameState, unit: Unit, ground: _Ground, rng: Generator) -> Move | None:
        """A move to one of the unit's best destinations, drawn by ``rng`` among those within
        :data:`MOVE_LATITUDE` of the best, if it beats standing where it is."""
        scoring = self._scored_moves(state, unit, ground)
        if scoring is None:
            return None
        standing, scored = scoring
        near = [hex_ for score, hex_ in scored if score > standing and score >= scored[0][0] - MOVE_LATITUDE]
        return Move(unit.id, rng.choice(near)) if near else None

    def _scored_moves(
        self, state: GameState, unit: Unit, ground: _Ground, needed: int = 1
    ) -> tuple[Fraction, list[tuple[Fraction, Hex]]] | None:
        """The score of standing, and the unit's destinations scored, best first (ties to the
        lowest hex, so the order never depends on set order), exactly for the ``needed`` best
        and those near them; None without a goal or a move."""
        goal = self._goal(state, unit, ground.enemies)
        if goal is None:
            return None
        options = engine.destinations(state, unit.id)
        if not options:
            return None
        paths = None
        board = state.scenario.board
        over_river = plans_own_moves(state, unit.side) and board.index[goal] not in river_bank(state.scenario, unit.position)
        if self._withdrawal_route(state, unit) == goal or over_river:
            # Back over a river, or over it by the side's own plan (hinted axes give their own
            # route by the crossings): the way runs by the bridges, and a straight line would
            # leave the unit on the near bank facing its goal across the water.
            paths = path_distances(state, state.scenario.unit_types[unit.type_id].movement_class, goal)
        scored = _best_first((self._place_score(state, unit, h, goal, ground, paths), h) for h in options)
        standing = self._place_score(state, unit, unit.position, goal, ground, paths) - self._exposure(state, unit, unit.position, ground)
        return standing, self._weigh_exposure(state, unit, scored, ground, needed)

    def _exposure(self, state: GameState, unit: Unit, hex_: Hex, ground: _Ground) -> Fraction:
        """What ``hex_`` loses for the counter-attack a tank unit would expect there, as a share
        of the armour its side has left (:data:`ARMOUR_AT_RISK`)."""
        loss = counter_attack_loss(state, unit, hex_, ground.known)
        return self.caution * ARMOUR_AT_RISK * loss / ground.armour_steps if loss else Fraction(0)

    def _weigh_exposure(
        self, state: GameState, unit: Unit, scored: list[tuple[Fraction, Hex]], ground: _Ground, needed: int
    ) -> list[tuple[Fraction, Hex]]:
        """``scored`` (best first) less each hex's :meth:`_exposure`, best first again.  The
        forecast is costly and never adds to a score, so it is worked out best first only until
        the rest cannot reach the ``needed`` best or come within :data:`MOVE_LATITUDE` of them:
        their order is then theirs before it, and the same choice is made as if it were worked
        out for every hex."""
        weighed: list[tuple[Fraction, Hex]] = []
        worst_first: list[Fraction] = []  # the weighed scores, negated and sorted
        for n, (score, hex_) in enumerate(scored):
            if len(weighed) >= needed and score < -worst_first[needed - 1] - MOVE_LATITUDE:
                return _best_first(weighed) + scored[n:]
            weighed.append((score - self._exposure(state, unit, hex_, ground), hex_))
            insort(worst_first, -weighed[-1][0])
        return _best_first(weighed)

    def _goal(self, state: GameState, unit: Unit, enemies: list[Unit]) -> Hex | None:
        if self.withdraw:
            return nearest_supply_source(state, unit)
        home = self._withdrawal_route(state, unit)
        if home is None and plans_own_moves(state, unit.side):
            home = tended_bridge_end(state, unit)
        if home is not None:
            return home
        spotting = self._spotters[1].get(unit.id) if self._spotters[0] == (state.turn, unit.side) else None
        if spotting is not None and unit.out_of_supply == 0:
            return spotting
        goal = goal_for(state, unit, enemies, self.plan)
        if goal is not None and any(state.scenario.board.index[goal] in bank for bank in self.given_up.values()):
            # The bank given up: the units back stay back, clearing the bridge for those still
            # coming over (its home end holds only a stack) by falling back on their supply.
            coming = self._withdrawals[0] == (state.turn, unit.side) and self._withdrawals[1]
            return nearest_supply_source(state, unit) if coming else None
        return goal

    def _withdrawal_route(self, state: GameState, unit: Unit) -> Hex | None:
        """The home end of the bridge a unit across a given-up bridgehead heads for, if it is one."""
        if self._withdrawals[0] != (state.turn, unit.side):
            return None
        return self._withdrawals[1].get(unit.id)

    def _place_score(
        self, state: GameState, unit: Unit, hex_: Hex, goal: Hex, ground: _Ground, paths: dict[int, int] | None = None
    ) -> Fraction:
        """How good ``hex_`` is for ``unit`` heading to ``goal``: nearer (in hexes, or along
        ``paths``, the way over the bridges), in cover, supplied and not alone beside a
        stronger enemy.

        For a tank unit the danger beside the enemy is left to :meth:`_exposure`, the forecast
        of the counter-attack on the stack it would stand in, which knows that infantry beside
        the tanks keeps the close assault off them: the rough terms below (alone beside a
        stronger stack, the attack next to the hex against the unit's own defence) counted that
        danger a second time, and kept tanks a hex behind the infantry they were to go in with
        (Lake Khasan, traced: the T-26 battalions stood two hexes from Zaozyornaya while the
        rifle battalions stormed it)."""
        types = state.scenario.unit_types
        armour = has_ability(state.scenario, unit, "armour")
        far = hex_.distance(goal) if paths is None else paths.get(state.scenario.board.index[hex_], 2 * hex_.distance(goal) + 10)
        score = Fraction(-3 * far)
        score += state.scenario.board.terrain_at(hex_).defence_shift
        if ground.supplied and hex_ not in ground.supplied:
            score -= self.supply_weight
        stacks = [power for at, power in ground.stacks.items() if at.distance(hex_) == 1]
        if (
            stacks
            and not armour
            and max(stacks) > strength(state, unit)
            and not any(u.id != unit.id and u.position.distance(hex_) <= 1 for u in ground.own)
        ):
            score -= self.caution * LONE_ADVANCE
        # The garrison of an objective long overdue is what the unit comes to storm, not a threat
        # to keep off: the side's battalions close on every hex beside it (other enemy stacks
        # still count, and a unit still does not go in alone).
        storming = goal if goal in ground.storming else None
        threat = sum(types[e.type_id].attack for e in ground.enemies if e.position.distance(hex_) == 1 and e.position != storming)
        own = types[unit.type_id].defence
        if threat > 2 * own and not armour:
            score -= self.caution * Fraction(threat, max(own, 1))
        if types[unit.type_id].category == "artillery" and threat:
            score -= 6
        if hex_ == goal:
            score += 2
        return score


@dataclass(frozen=True)
class _Ground:
    """What a move is weighed against, worked out once per decision: the enemy in sight, its
    strength per hex, the side's supply trace and its units on the map."""

    enemies: list[Unit]
    supplied: frozenset[Hex]
    stacks: dict[Hex, Fraction]
    own: tuple[Unit, ...]
    known: list[Unit]
    """The enemy in sight and the enemy remembered out of sight: where tanks would stand
    exposed is judged against it, since a bridgehead's dug-in defenders unseen at night are
    still there."""
    armour_steps: int
    """The steps of armour the side has left, on the map or still to come."""
    storming: frozenset[Hex]
    """The objectives a side on the attack should have taken two days ago or more
    (:func:`~nomonhan.ai.goals.long_overdue`): their garrisons do not keep its units off the
    hexes beside them."""


def _most_harmful(state: GameState, fire: list[Attack]) -> Attack:
    """The bombardment plan the forecast says costs the enemy the most steps (the first of equals
    in the order given).  Guns fired in the order of the hexes shelled the stacks dug in on a
    crest first while tanks in the open marsh beside them were left alone for days
    (docs/calibration.md, "Where the guns fire first")."""
    return max(fire, key=lambda plan: engine.bombardment_odds(state, plan.artillery, plan.target).expected_defender_steps)


def _best_first(scored: Iterable[tuple[Fraction, Hex]]) -> list[tuple[Fraction, Hex]]:
    """Scored hexes best first, ties to the lowest hex, so the order never depends on set order."""
    return sorted(scored, key=lambda item: (-item[0], item[1].q, item[1].r))


def _non_moves(legal: Sequence[Action]) -> Sequence[Action]:
    """The actions other than moves: cheap on the engine's lazy list, which builds its moves
    (hundreds a phase) only when asked for them."""
    if isinstance(legal, LegalActions):
        return legal.others()
    return [action for action in legal if not isinstance(action, Move)]


def exposed(state: GameState, unit_id: str, hex_: Hex, enemies: list[Unit]) -> bool:
    """Whether ``hex_`` lies next to an enemy stack in sight stronger than the unit: better ground
    won by advancing after combat is no gain if the counter-attack there destroys the unit before
    it can move again (the Japanese tank regiments at the Bain Tsagan bridgehead, 2-3 July 1939)."""
    own = strength(state, state.unit(unit_id))
    stacks = enemy_stacks(state, [e for e in enemies if e.position.distance(hex_) == 1])
    return any(power > own for power in stacks.values())


def enemy_stacks(state: GameState, enemies: list[Unit]) -> dict[Hex, Fraction]:
    """The strength of each enemy stack: ``enemies`` summed hex by hex."""
    stacks: dict[Hex, Fraction] = {}
    for enemy in enemies:
        stacks[enemy.position] = stacks.get(enemy.position, Fraction(0)) + strength(state, enemy)
    return stacks


def _may_clear(state: GameState, forecast: CombatForecast, target: Hex) -> bool:
    """Whether an attack can leave ``target`` empty: some result of it makes the defenders
    retreat or costs them every step they have in sight."""
    held = sum(u.steps for u in engine.visible_enemies(state, state.active_side) if u.position == target)
    return any(result.retreat or forecast.lost_by(result).defender.steps >= held for result, _ in forecast.outcomes)


def _distance_to_nearest(hex_: Hex, enemies: list[Unit]) -> int:
    return min((hex_.distance(e.position) for e in enemies), default=99)


def _neg_hex(hex_: Hex) -> tuple[int, int]:
    """Ties between equal scores go to the lowest hex, so choices never depend on set order."""
    return (-hex_.q, -hex_.r)
