"""Legal actions, from the acting side's view, in a stable order.

Order: each unit's moves (units in scenario order, hexes in index order), then the phase's
other actions (overruns, bridges, air missions; units declared into an attack, guns into a
fire) by target hex, then ``EndPhase``.  While an attack or bombardment is being declared the
phase cannot end: the declaration is resolved or cancelled first.  A pending decision
(retreat, advance) offers only its answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import overload

from nomonhan.actions import Action, Advance, Attack, Cancel, EndPhase, HoldPosition, Move, Resolve, Retreat
from nomonhan.corepath import reference_active
from nomonhan.engine.eligibility import (
    advance_candidates,
    air_options,
    can_move,
    declare_options,
    near_enemy_in_sight,
    overrun_options,
    support_options,
)
from nomonhan.engine.queries import destinations
from nomonhan.hexgrid import Hex
from nomonhan.rules.bridges import bridge_options
from nomonhan.rules.retreat import retreat_options
from nomonhan.state import GameState, Phase, Unit


class LegalActions(Sequence[Action]):
    """The acting side's legal actions as a lazy, stably ordered sequence.

    Moves are kept as each unit's destination hexes and built only when asked for, so a player
    that picks one action does not pay for building every other one (Atlatl's bottleneck).
    """

    def __init__(self, moves: list[tuple[str, tuple[Hex, ...]]], others: list[Action], can_end: bool) -> None:
        self._moves = moves
        self._others = others
        self._can_end = can_end
        self._move_count = sum(len(hexes) for _, hexes in moves)
        self._length = self._move_count + len(others) + (1 if can_end else 0)

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> Action: ...

    @overload
    def __getitem__(self, index: slice) -> list[Action]: ...

    def __getitem__(self, index: int | slice) -> Action | list[Action]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        if index < self._move_count:
            for unit_id, hexes in self._moves:
                if index < len(hexes):
                    return Move(unit_id, hexes[index])
                index -= len(hexes)
        index -= self._move_count
        return self._others[index] if index < len(self._others) else EndPhase()

    def others(self) -> list[Action]:
        """The actions other than moves and ``EndPhase``, without building any move."""
        return list(self._others)

    def __iter__(self) -> Iterator[Action]:
        for unit_id, hexes in self._moves:
            for hex_ in hexes:
                yield Move(unit_id, hex_)
        yield from self._others
        if self._can_end:
            yield EndPhase()

    def __contains__(self, action: object) -> bool:
        if isinstance(action, EndPhase):
            return self._can_end
        if isinstance(action, Move):
            return any(unit_id == action.unit and action.to in hexes for unit_id, hexes in self._moves)
        return action in self._others

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LegalActions) and (self._moves, self._others, self._can_end) == (other._moves, other._others, other._can_end):
            return True  # the same parts make the same sequence, without building every move
        if isinstance(other, (LegalActions, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"LegalActions({len(self)} actions)"


def legal_actions(state: GameState) -> LegalActions:
    """Every legal action of the acting side, from its own view (it reveals no hidden unit)."""
    if state.game_over:
        return LegalActions([], [], False)
    pending = state.pending
    if pending is not None:
        if pending.kind == "retreat":
            unit = state.unit(pending.units[0])
            hexes, _shortfall = retreat_options(state, unit, pending.distance)
            return LegalActions([], [Retreat(unit.id, h) for h in hexes], False)
        advances: list[Action] = [Advance(u.id) for u in advance_candidates(state)]
        return LegalActions([], [*advances, HoldPosition()], False)
    if state.phase is Phase.MOVEMENT:
        if not reference_active():
            return LegalActions(
                _unit_moves(state), [*_kept(state, "overruns", overrun_options), *_kept(state, "bridging", bridge_options)], True
            )
        moves = []
        for unit in state.units:
            if can_move(state, unit):
                found = destinations(state, unit.id)
                if found:
                    moves.append((unit.id, found))
        return LegalActions(moves, [*overrun_options(state), *bridge_options(state)], True)
    if state.phase is Phase.AIR:
        return LegalActions([], list(air_options(state)), True)
    if state.phase in (Phase.BOMBARDMENT, Phase.COMBAT):
        declaring: list[Action] = [*declare_options(state), *support_options(state)]
        if state.declaration is not None:
            return LegalActions([], [*declaring, Resolve(), Cancel()], False)
        return LegalActions([], declaring, True)
    return LegalActions([], [], True)


# ------------------------------------------------------------------ the fast path's carry-over
# (nomonhan.corepath): a move changes one unit, so the movement phase's actions of the state
# after it are mostly those of the state before it.


def _unit_moves(state: GameState) -> list[tuple[str, tuple[Hex, ...]]]:
    """Each unit's destinations, in scenario order, for the units that can move; memoised on the
    state, and made from the state before when a move left every other unit's destinations
    as they were (:func:`carry_legal`): only the mover's entry is worked out again."""
    found: list[tuple[str, tuple[Hex, ...]]] | None = state.memo.get("unit-moves")
    if found is not None:
        return found
    carried = state.memo.get("unit-moves-before")
    if carried is None:
        found = []
        for unit in state.units_on_map(state.active_side):
            if can_move(state, unit):
                hexes = destinations(state, unit.id)
                if hexes:
                    found.append((unit.id, hexes))
    else:
        kept, mover_id = carried
        order = state.scenario.unit_order
        place = order[mover_id]
        mover = state.unit(mover_id)
        hexes = destinations(state, mover_id) if can_move(state, mover) else ()
        found = [entry for entry in kept if entry[0] != mover_id]
        if hexes:
            at = next((n for n, (unit_id, _) in enumerate(found) if order[unit_id] > place), len(found))
            found.insert(at, (mover_id, hexes))
    state.memo["unit-moves"] = found
    return found


def _kept(state: GameState, key: str, options: Callable[[GameState], Sequence[Action]]) -> Sequence[Action]:
    """``options(state)``, memoised on the state under ``key`` (and carried by :func:`carry_legal`)."""
    found: Sequence[Action] | None = state.memo.get(key)
    if found is None:
        found = state.memo[key] = options(state)
    return found


def carry_legal(before: GameState, after: GameState, mover: Unit, every_destination: bool, same_sight: bool) -> None:
    """Carry the movement phase's actions across a move where the move cannot have changed them.

    Other units' moves: when every other unit kept its destinations (``every_destination``;
    whether a unit can move depends only on the unit and the phase).  Overruns: when the side
    sees the same enemy and the mover neither left nor entered a hex next to one (an overrun's
    attackers are the stacks next to a target, each judged on its own units).  Bridge actions:
    when the side sees the same enemy and the mover neither left nor entered a hex by a bridge
    site (the only units offered one)."""
    kept = before.memo.get("unit-moves")
    if every_destination and kept is not None:
        after.memo["unit-moves-before"] = (kept, mover.id)
    if not same_sight:
        return
    for key in ("enemy-hexes", "enemy-near"):  # the same enemy units in sight, where they were
        if key in before.memo:
            after.memo[key] = before.memo[key]
    start, end = mover.position, after.unit(mover.id).position
    if "overruns" in before.memo:
        near = near_enemy_in_sight(before)  # a mover never stands in an enemy's hex
        if start not in near and end not in near:
            after.memo["overruns"] = before.memo["overruns"]
    sites = before.scenario.board.bridge_sites
    if "bridging" in before.memo and start not in sites and end not in sites:
        after.memo["bridging"] = before.memo["bridging"]


def _units_in(action: Action) -> tuple[str, ...]:
    if isinstance(action, Attack):
        return action.units + action.artillery
    unit = getattr(action, "unit", None)
    return (unit,) if unit else ()


def unit_actions(state: GameState, unit_id: str) -> list[Action]:
    """The actions that involve one unit, cheaply in the movement phase."""
    unit = state.unit(unit_id)
    if state.phase is Phase.MOVEMENT and state.pending is None:
        moves: list[Action] = [Move(unit_id, h) for h in destinations(state, unit_id)] if can_move(state, unit) else []
        extras = [a for a in (*overrun_options(state), *bridge_options(state)) if unit_id in _units_in(a)]
        return moves + extras
    return [a for a in legal_actions(state) if unit_id in _units_in(a)]
