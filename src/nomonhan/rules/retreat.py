"""Retreat after combat: where a defeated unit can go, and what falling short costs.

A unit retreats exactly the number of hexes the result demands, each hex farther from where it
started, never into a hex holding an enemy unit, nor into an enemy zone of control unless a
friendly unit stands there, nor across what its movement class cannot cross.  It must end
within the stacking limit.  If it cannot go the full distance it goes as far as it can and
loses one more step for each hex short; a surrounded unit loses them all where it stands.

The retreating side chooses among the hexes it believes open, judged on the enemy it can see and
the bridges as it last saw them (:func:`retreat_options`), so its choices reveal nothing hidden.
The engine then carries the retreat out against every enemy unit and over the bridges as they
are (:func:`retreat_route`): a hidden unit in the way stops it short, at the cost of the steps it
falls short, and is revealed, as a board game resolves it; a bridge that is not there stops it
on the near bank the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nomonhan.hexgrid import Hex
from nomonhan.rules.movement import closed_borders, known_working_bridge_keys, working_bridge_keys, zone_of_control
from nomonhan.rules.visibility import visible_enemies
from nomonhan.state import GameState, Unit


def retreat_options(state: GameState, unit: Unit, distance: int, enemies: list[Unit] | None = None) -> tuple[list[Hex], int]:
    """(end hexes in index order, steps lost for the shortfall); ([], distance) if it cannot move.

    ``enemies`` defaults to the enemy units the retreating side can see; the bridges are those
    it knows (:func:`known_working_bridge_keys`).
    """
    if enemies is None:
        enemies = visible_enemies(state, unit.side)
    depth, ends = _deepest(state, unit, distance, enemies, None, known_working_bridge_keys(state, unit.side))
    return [state.scenario.board.hexes[i] for i in sorted(ends)], distance - depth


@dataclass(frozen=True)
class RetreatRoute:
    """How a chosen retreat really ends: where, the steps it falls short, the units it ran into."""

    end: Hex
    shortfall: int
    revealed: tuple[str, ...]


def retreat_route(state: GameState, unit: Unit, distance: int, to: Hex) -> RetreatRoute:
    """Carry out a retreat towards ``to`` against every enemy unit, seen or not.

    The unit keeps to the hexes on a shortest line to ``to`` and goes as deep along it as the
    true position allows; hidden units that close a hex of that line are revealed.
    """
    board = state.scenario.board
    origin = unit.hex
    assert origin is not None
    wanted = origin.distance(to)
    on_way = frozenset(i for i, h in enumerate(board.hexes) if h.distance(origin) + h.distance(to) == wanted)
    every_enemy = [u for u in state.units if u.on_map and u.side != unit.side]
    depth, ends = _deepest(state, unit, distance, every_enemy, on_way, working_bridge_keys(state))
    if depth == wanted:  # the only hex of the line that deep is ``to`` itself
        return RetreatRoute(to, distance - depth, ())
    end = board.hexes[min(ends)] if ends else origin
    return RetreatRoute(end, distance - depth, _blockers(state, unit, on_way))


def _deepest(
    state: GameState, unit: Unit, distance: int, enemies: Iterable[Unit], within: frozenset[int] | None, bridges: frozenset[int]
) -> tuple[int, list[int]]:
    """The deepest retreat depth with room to stop, and the hexes (indices) at that depth, over
    ``bridges`` (hexside keys)."""
    scenario = state.scenario
    board = scenario.board
    unit_type = scenario.unit_types[unit.type_id]
    cls = unit_type.movement_class
    enemies = list(enemies)
    enemy_hexes = {board.index[u.position] for u in enemies}
    enemy_zoc = zone_of_control(scenario, enemies, state.clock)
    stacks = _friendly_stacks(state, unit)
    forbidden = closed_borders(scenario, unit.side, state.clock)
    origin = unit.position
    frontier = {board.index[origin]}
    best: list[int] = []
    best_depth = 0
    for depth in range(1, distance + 1):
        following: set[int] = set()
        for here in frontier:
            for edge in board.edges[here]:
                there = edge.to
                if board.hexes[there].distance(origin) != depth:
                    continue
                if within is not None and there not in within:
                    continue
                if there in enemy_hexes or (there in enemy_zoc and there not in stacks):
                    continue
                if edge.key in forbidden or (edge.bridged_cost if edge.key in bridges else edge.cost)[cls] is None:
                    continue
                following.add(there)
        if not following:
            break
        frontier = following
        fits = [i for i in following if stacks.get(i, 0) + unit_type.stack_points <= scenario.rules.stacking_limit]
        if fits:
            best, best_depth = fits, depth
    return best_depth, best


def _friendly_stacks(state: GameState, unit: Unit) -> dict[int, int]:
    board = state.scenario.board
    stacks: dict[int, int] = {}
    for friend in state.units:
        if friend.on_map and friend.side == unit.side and friend.id != unit.id:
            i = board.index[friend.position]
            stacks[i] = stacks.get(i, 0) + state.scenario.unit_types[friend.type_id].stack_points
    return stacks


def _blockers(state: GameState, unit: Unit, on_way: frozenset[int]) -> tuple[str, ...]:
    """Enemy units the side could not see that stand on a hex of the line, or control one
    that no friendly unit holds."""
    board = state.scenario.board
    seen = {u.id for u in visible_enemies(state, unit.side)}
    open_line = on_way - set(_friendly_stacks(state, unit))
    found = []
    for enemy in state.units:
        if not enemy.on_map or enemy.side == unit.side or enemy.id in seen:
            continue
        if board.index[enemy.position] in on_way or zone_of_control(state.scenario, [enemy], state.clock) & open_line:
            found.append(enemy.id)
    return tuple(sorted(found))
