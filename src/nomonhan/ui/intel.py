"""What the map overlays show a side about supply and threats, computed only from what it knows.

Every answer starts from ``engine.believed_state(engine.observe(state, side))``: the side's own
units, the enemy units it sees, the bridges and objectives as it knows them.  The true state is
never read, so an overlay cannot betray an unseen enemy (a supply line the side thinks open may
turn out cut by a unit it has not spotted; the overlay shows what the side believes).
No pygame here: the overlays draw what these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from nomonhan import engine
from nomonhan.hexgrid import Hex, Hexside, hex_range
from nomonhan.state import GameState


@dataclass(frozen=True)
class Intel:
    """One side's picture: its supply, the enemy's reach next turn, and its guns' reach."""

    supplied: frozenset[Hex] = frozenset()
    """Hexes the side's supply lines reach."""
    supply_edge: frozenset[Hexside] = frozenset()
    """The hexsides where supply ends (a supplied hex beside an unsupplied one): the line drawn."""
    cut_off: dict[Hex, int] = field(default_factory=dict)
    """Hexes of the side's units out of supply, with the most turns any of them has been out."""
    pockets: tuple[frozenset[Hex], ...] = ()
    """Groups of adjacent hexes holding the side's units that no supply line reaches."""
    enemy_reach: frozenset[Hex] = frozenset()
    """Hexes the enemy units the side sees could move to in their next movement phase."""
    gun_range: frozenset[Hex] = frozenset()
    """Hexes the side's guns (in supply) can shell from where they stand."""


def intel_for(state: GameState, side: str) -> Intel:
    believed = engine.believed_state(engine.observe(state, side))
    supplied = (
        engine.supplied_hexes(believed, side)
        if _models_supply(believed, side)
        else frozenset(u.position for u in believed.units if u.side == side and u.on_map)
    )
    own = [u for u in believed.units if u.side == side and u.on_map]
    cut_off: dict[Hex, int] = {}
    for unit in own:
        if unit.out_of_supply:
            cut_off[unit.position] = max(cut_off.get(unit.position, 0), unit.out_of_supply)
    stranded = {u.position for u in own if u.position not in supplied}
    index = believed.scenario.board.index
    edge = frozenset(Hexside.between(h, n) for h in supplied for n in h.neighbours() if n in index and n not in supplied)
    return Intel(
        supplied=supplied,
        supply_edge=edge,
        cut_off=cut_off,
        pockets=_groups(stranded),
        enemy_reach=enemy_reach(believed, side),
        gun_range=gun_range(believed, side),
    )


def enemy_reach(believed: GameState, side: str) -> frozenset[Hex]:
    """Where the enemy units ``side`` sees could get to next turn, with their full move points.

    Planned as the enemy would plan it on the believed state (the side's own units all known
    to it, unseen enemies absent): a fair upper bound from what the side knows.
    """
    types = believed.scenario.unit_types
    enemies = [u for u in believed.units if u.side != side and u.on_map and types[u.type_id].move_points > 0]
    if not enemies:
        return frozenset()
    fresh = {u.id: replace(u, move_points=types[u.type_id].move_points) for u in enemies}
    rested = replace(believed, units=tuple(fresh.get(u.id, u) for u in believed.units))
    found: set[Hex] = set()
    for unit in enemies:
        found.update(engine.reach(rested, unit.id).hexes())
    return frozenset(found)


def gun_range(believed: GameState, side: str) -> frozenset[Hex]:
    """Hexes within range of the side's guns that may fire (on the map, in supply)."""
    types = believed.scenario.unit_types
    board = believed.scenario.board
    found: set[Hex] = set()
    for unit in believed.units:
        kind = types[unit.type_id]
        if unit.side == side and unit.on_map and kind.bombard > 0 and unit.out_of_supply == 0:
            found.update(h for h in hex_range(unit.position, kind.artillery_range) if h in board.index)
    return frozenset(found)


def _models_supply(state: GameState, side: str) -> bool:
    return any(source.side == side for source in state.scenario.supply.sources)


def _groups(hexes: set[Hex]) -> tuple[frozenset[Hex], ...]:
    """``hexes`` split into groups of neighbours (each group one pocket), largest first."""
    left, groups = set(hexes), []
    while left:
        seed = left.pop()
        group, frontier = {seed}, [seed]
        while frontier:
            for neighbour in frontier.pop().neighbours():
                if neighbour in left:
                    left.discard(neighbour)
                    group.add(neighbour)
                    frontier.append(neighbour)
        groups.append(frozenset(group))
    return tuple(sorted(groups, key=lambda g: (-len(g), min(h.to_offset() for h in g))))
