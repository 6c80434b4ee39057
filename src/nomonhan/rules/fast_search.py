"""The fast path's movement search (:mod:`nomonhan.corepath`): the same Dijkstra as
:func:`nomonhan.rules.movement.search`, with a leaner kernel and a memo that outlives a state.

The reference path keeps the plain search; this one must find the same costs and the same
predecessors (``tests/test_fast_path.py`` plays games through both in lockstep).  What differs:

* the steps a class may take are resolved once per board, set of bridges and closed borders
  (hexsides with no way across and closed borders dropped, the cost over a bridge chosen), so
  the inner loop tests only the enemy, the zones of control and interdiction;
* the queue holds plain ints, ``cost * hexes + index``, which sort as the reference's
  ``(cost, index)`` tuples do: the same hex comes off the queue at the same moment, so ties
  break the same way and the predecessors are the same;
* a search is kept per unit's start, move points and terms (bridges, borders, interdiction,
  the cost of leaving a zone of control), with the knowledge it ran on.  A later state whose
  knowledge differs only outside the hexes the search consulted (:attr:`Reach.consulted`:
  those it reached and their neighbours) gets the same search back: the search never asked
  about the enemy anywhere else.  A new movement phase refreshes move points but not the
  knowledge near most units, so most of its searches are found, not run.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from heapq import heappop, heappush
from typing import Any, NamedTuple

from nomonhan.hexgrid import Hex
from nomonhan.rules.movement import Knowledge, Reach
from nomonhan.scenario.board import Board

_KEPT_PER_KEY = 4
"""Searches kept for one start, move points and terms: enough for the few knowledges a unit
meets across a turn (the enemy moves between its movement phases)."""

Steps = tuple[tuple[tuple[int, int], ...], ...]


class Terms(NamedTuple):
    """What a search depends on besides its start, move points and knowledge: the same for
    every unit of a class of one side in a state, so a key of the searches kept."""

    movement_class: str
    bridges: frozenset[int]
    forbidden: frozenset[int]
    """Hexside keys the side may not cross (closed borders)."""
    leave_cost: int
    zoc_to_zoc: bool
    taxed: frozenset[int]
    """Hexes under enemy air interdiction, or next to it: entering costs ``tax`` more."""
    tax: int


def fast_reach(board: Board, start: int, move_points: int, side: str, knowledge: Knowledge, terms: Terms) -> Reach:
    """Where a unit can go, found in the board's memo when a kept search consulted no hex whose
    enemy or zone of control differs in ``knowledge``, else searched and kept."""
    key = ("fast-reach", start, move_points, side, terms)
    cache = board.search_cache
    kept: list[tuple[Knowledge, Reach]] | None = cache.get(key)
    if kept is None:
        kept = cache[key] = []
    for known, found in kept:
        if known is knowledge or found.consulted.isdisjoint(_changes(cache, known, knowledge)):
            return found
    found = fast_search(board, start, move_points, knowledge, terms)
    if len(kept) >= _KEPT_PER_KEY:
        del kept[0]
    kept.append((knowledge, found))
    return found


def _changes(cache: dict[Any, Any], before: Knowledge, after: Knowledge) -> frozenset[int]:
    """:func:`changed_hexes`, kept on the board for the few knowledges a phase goes through
    (each kept search asks it of the knowledge of every state that looks for it)."""
    changes: dict[tuple[Knowledge, Knowledge], frozenset[int]] = cache.setdefault("knowledge-changes", {})
    found = changes.get((before, after))
    if found is None:
        if len(changes) > _CHANGES_KEPT:
            changes.clear()
        found = changes[(before, after)] = changed_hexes(before, after)
    return found


_CHANGES_KEPT = 4096


def changed_hexes(before: Knowledge, after: Knowledge) -> frozenset[int]:
    """Hexes whose enemy or zone of control differs between two knowledges."""
    return (before.occupied ^ after.occupied) | (before.zoc ^ after.zoc)


def fast_search(board: Board, start: int, move_points: int, knowledge: Knowledge, terms: Terms) -> Reach:
    """:func:`nomonhan.rules.movement.search` on resolved steps and an int queue (see the module)."""
    movement_class, bridges, forbidden, leave_cost, zoc_to_zoc, taxed, tax = terms
    steps = resolved_steps(board, movement_class, bridges, forbidden)
    hexes = len(steps)
    occupied, zoc = knowledge.occupied, knowledge.zoc
    taxed = taxed if tax else frozenset()
    cost = {start: 0}
    previous: dict[int, int] = {}
    queue: list[int] = []
    unreached = 1 << 30
    # The start is the one hex a unit may leave a zone of control from (entering one ends the
    # move); it comes off the queue first, at cost 0, and never again.
    in_zoc = start in zoc
    for there, step in steps[start]:
        if there in occupied:
            continue
        if in_zoc:
            if there in zoc and not zoc_to_zoc:
                continue
            step += leave_cost
        if there in taxed:
            step += tax
        if step <= move_points and step < cost.get(there, unreached):
            cost[there] = step
            previous[there] = start
            heappush(queue, step * hexes + there)
    while queue:
        spent, here = divmod(heappop(queue), hexes)
        if spent > cost[here] or here in zoc:
            continue  # a stale entry, or a zone of control entered: the move ends there
        for there, step in steps[here]:
            if there in occupied:
                continue
            total = spent + step
            if there in taxed:
                total += tax
            if total <= move_points and total < cost.get(there, unreached):
                cost[there] = total
                previous[there] = here
                heappush(queue, total * hexes + there)
    return FastReach(board, start, cost, previous)


class FastReach(Reach):
    """A search's result on the fast path: the same values, its destinations listed with the
    work done in C (sorted indices mapped to hexes) rather than one generator step a hex."""

    @cached_property
    def destinations(self) -> tuple[Hex, ...]:
        ordered = sorted(self.cost)
        ordered.remove(self.start)
        return tuple(map(self.board.hexes.__getitem__, ordered))


def resolved_steps(board: Board, movement_class: str, bridges: frozenset[int], forbidden: frozenset[int]) -> Steps:
    """Per hex, the steps ``movement_class`` can take as (to, cost), with these bridges standing
    and these hexsides closed; kept on the board.  Made from the steps with no bridge at all,
    only the hexes beside a bridge worked out again (which bridges a unit may use changes with
    its steps and each bridge's traffic, so there are many sets of bridges in a game)."""
    key = ("resolved-steps", movement_class, bridges, forbidden)
    found: Steps | None = board.search_cache.get(key)
    if found is None:
        unbridged = _steps_over(
            board, movement_class, frozenset(), forbidden, range(len(board.edges)), ("resolved-steps", movement_class, forbidden)
        )
        if not bridges:
            return unbridged
        touched = sorted({i for k in bridges for i in _hexes_beside(board).get(k, ())})
        patched = list(unbridged)
        for i, steps in zip(touched, _steps_over(board, movement_class, bridges, forbidden, touched)):
            patched[i] = steps
        found = board.search_cache[key] = tuple(patched)
    return found


def _steps_over(
    board: Board, movement_class: str, bridges: frozenset[int], forbidden: frozenset[int], hexes: Iterable[int], key: object = None
) -> Steps:
    """The resolved steps of ``hexes`` (kept on the board under ``key`` when one is given)."""
    found: Steps | None = board.search_cache.get(key) if key is not None else None
    if found is None:
        found = tuple(
            tuple(
                (edge.to, cost)
                for edge in board.edges[i]
                if edge.key not in forbidden
                and (cost := (edge.bridged_cost if edge.key in bridges else edge.cost)[movement_class]) is not None
            )
            for i in hexes
        )
        if key is not None:
            board.search_cache[key] = found
    return found


def _hexes_beside(board: Board) -> dict[int, tuple[int, ...]]:
    """Hexside key -> the hexes with a step across it (kept on the board)."""
    found: dict[int, tuple[int, ...]] | None = board.search_cache.get("hexes-beside")
    if found is None:
        beside: dict[int, list[int]] = {}
        for i, edges in enumerate(board.edges):
            for edge in edges:
                beside.setdefault(edge.key, []).append(i)
        found = board.search_cache["hexes-beside"] = {k: tuple(v) for k, v in beside.items()}
    return found
