"""Legal actions, from the acting side's view, in a stable order.

Order: each unit's moves (units in scenario order, hexes in index order), then the phase's
other actions (overruns, bridges, air missions; units declared into an attack, guns into a
fire) by target hex, then ``EndPhase``.  While an attack or bombardment is being declared the
phase cannot end: the declaration is resolved or cancelled first.  A pending decision
(retreat, advance) offers only its answers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

from nomonhan.actions import Action, Advance, Attack, Cancel, EndPhase, HoldPosition, Move, Resolve, Retreat
from nomonhan.corepath import reference_active
from nomonhan.engine.eligibility import (
    advance_candidates,
    air_options,
    can_move,
    declare_options,
    overrun_options,
    support_options,
)
from nomonhan.engine.queries import destinations
from nomonhan.hexgrid import Hex
from nomonhan.rules.bridges import bridge_options
from nomonhan.rules.retreat import retreat_options
from nomonhan.state import GameState, Phase


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
        moves = []
        for unit in state.units if reference_active() else state.units_on_map(state.active_side):
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
