"""Retreat after combat: where a defeated unit can go, and what falling short costs.

A unit retreats exactly the number of hexes the result demands, each hex farther from where it
started, never into a hex holding an enemy unit, nor into an enemy zone of control unless a
friendly unit stands there, nor across what its movement class cannot cross.  It must end
within the stacking limit.  If it cannot go the full distance it goes as far as it can and
loses one more step for each hex short; a surrounded unit loses them all where it stands.
"""

from __future__ import annotations

from nomonhan.hexgrid import Hex
from nomonhan.rules.movement import bridge_keys, forbidden_edges, zone_of_control
from nomonhan.state import GameState, Unit


def retreat_options(state: GameState, unit: Unit, distance: int) -> tuple[list[Hex], int]:
    """(end hexes in index order, steps lost for the shortfall); ([], distance) if it cannot move."""
    scenario = state.scenario
    board = scenario.board
    unit_type = scenario.unit_types[unit.type_id]
    cls = unit_type.movement_class
    enemies = [u for u in state.units if u.on_map and u.side != unit.side]
    enemy_hexes = {board.index[u.hex] for u in enemies}  # type: ignore[index]
    enemy_zoc = zone_of_control(scenario, enemies)
    stacks: dict[int, int] = {}
    for friend in state.units:
        if friend.on_map and friend.side == unit.side and friend.id != unit.id:
            i = board.index[friend.hex]  # type: ignore[index]
            stacks[i] = stacks.get(i, 0) + scenario.unit_types[friend.type_id].stack_points
    bridges = bridge_keys(state)
    forbidden = forbidden_edges(scenario, unit.side)
    start = board.index[unit.hex]  # type: ignore[index]
    origin = unit.hex
    frontier = {start}
    best: list[int] = []
    best_depth = 0
    for depth in range(1, distance + 1):
        following: set[int] = set()
        for here in frontier:
            for edge in board.edges[here]:
                there = edge.to
                if board.hexes[there].distance(origin) != depth:  # type: ignore[arg-type]
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
    return [board.hexes[i] for i in sorted(best)], distance - best_depth
