"""When a computer side gives up a bridgehead over a river, and the way its units go back.

The Kobayashi group crossed the Khalkhin Gol on a pontoon in the night of 2/3 July 1939, met the
Soviet armour on the west bank, and was back over by the morning of 5 July with the pontoon
blown behind it.  Any side can find itself so: some of its units on a bank of the rivers that
holds none of its supply sources, joined to home only by bridges.  That is a *bridgehead*, and
the side gives it up, from what it knows (its own units, and the enemy it sees or remembers),
when holding on would cost it the units across:

- **outnumbered**: the enemy known near the units across is at least :data:`OUTNUMBERED` times
  as strong as they are;
- **line of retreat threatened**: the enemy is near the far end of every bridge back, and at
  least as strong as the units across;
- **starving**: most of the units across have been cut off long enough to stop attacking (the
  supply stage whose attack is nil: a day under the standard rules), not merely for a turn, which
  an enemy straying across the trace brings about;
- **pointless**: the side holds no objective on that bank, and the turns left are barely
  enough to bring its units back over the bridges (their load a turn limits it).

A bridgehead holding an objective the side holds is kept unless outnumbered or starving.  The
units across then head for the home end of the nearest bridge back, measured along real paths
over the bridges (a straight line would walk them to the river bank), the side's units at home
stay off that bank, and once none of them is left across the bridge is blown behind them
(:func:`nomonhan.ai.demolition.bridge_left_behind`).  Nothing here knows a scenario.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from nomonhan.ai.goals import supply_hexes
from nomonhan.ai.plan import strength
from nomonhan.hexgrid import Hex, Hexside
from nomonhan.rules.bridges import capacity_per_turn, river_bank
from nomonhan.rules.supply import supply_stage
from nomonhan.state import GameState, Unit

OUTNUMBERED = Fraction(3)
"""Enemy strength near a bridgehead, as a multiple of the side's across, that makes it untenable."""
NEAR = 3
"""Hexes from the side's units across (or from a bridge's far end) within which enemy counts."""
SPARE_TURNS = 3
"""Turns kept in hand beyond the bridges' load when a pointless bridgehead is brought back."""


@dataclass(frozen=True)
class Bridgehead:
    """The side's units on one bank without a supply source of its own, and the bridges back."""

    bank: frozenset[int]
    """Hex indices of that bank."""
    units: tuple[Unit, ...]
    crossings: tuple[tuple[Hexside, Hex], ...]
    """Each standing bridge from this bank to a home bank, with its home end."""


def home_banks(state: GameState, side: str) -> list[frozenset[int]]:
    """The banks of the rivers holding one of the side's supply sources."""
    return [river_bank(state.scenario, source) for source in supply_hexes(state, side) if source in state.scenario.board.index]


def bridgeheads(state: GameState, side: str) -> list[Bridgehead]:
    """The side's bridgeheads in ``state``: banks away from home with its units on them and a
    standing bridge back (a bank cut off by every bridge gone is no bridgehead to give up)."""
    homes = home_banks(state, side)
    if not homes:
        return []
    board = state.scenario.board
    at_home = frozenset().union(*homes)
    found: dict[frozenset[int], list[Unit]] = {}
    for unit in state.units_of(side):
        if unit.on_map and board.index[unit.position] not in at_home:
            bank = river_bank(state.scenario, unit.position)
            found.setdefault(bank, []).append(unit)
    heads = []
    for bank, units in found.items():
        crossings = []
        for side_ in sorted(state.bridges):
            ends = (side_.low, side_.high)
            if not all(end in board.index for end in ends):
                continue
            here = [end for end in ends if board.index[end] in bank]
            home = [end for end in ends if board.index[end] in at_home]
            if here and home:
                crossings.append((side_, home[0]))
        if crossings:
            heads.append(Bridgehead(bank, tuple(units), tuple(crossings)))
    return heads


def untenable(state: GameState, head: Bridgehead, enemies: Iterable[Unit]) -> bool:
    """Whether the side should give up ``head``, from the enemy it knows of (``enemies``)."""
    side = head.units[0].side
    ours = sum((strength(state, u) for u in head.units), Fraction(0))
    foes = [e for e in enemies if e.on_map]
    near = [e for e in foes if any(e.position.distance(u.position) <= NEAR for u in head.units)]
    theirs = sum((strength(state, e) for e in near), Fraction(0))
    holds = any(
        holder == side and state.scenario.board.index[hex_] in head.bank
        for hex_, holder in zip(state.scenario.objective_hexes, state.holders)
    )
    if theirs >= OUTNUMBERED * ours:
        return True
    if 2 * sum(1 for u in head.units if _starving(state, u)) > len(head.units):
        return True
    if holds:
        return False
    cut = all(any(e.position.distance(far) <= NEAR for e in foes) for far in (_far_end(s, home) for s, home in head.crossings))
    if cut and theirs >= ours:
        return True
    return state.scenario.period.last_turn - state.turn < turns_to_withdraw(state, head) + SPARE_TURNS


def _starving(state: GameState, unit: Unit) -> bool:
    """Whether ``unit`` has been cut off long enough that it can no longer attack."""
    stage = supply_stage(state, unit)
    return stage is not None and stage.attack_pct == 0


def turns_to_withdraw(state: GameState, head: Bridgehead) -> int:
    """Player turns the bridges' load needs to carry the units across back home."""
    load = sum(capacity_per_turn(state, side) for side, _ in head.crossings)
    steps = sum(u.steps for u in head.units)
    return -(-steps // max(load, 1))


def _far_end(side: Hexside, home: Hex) -> Hex:
    return side.high if side.low == home else side.low


def path_distances(state: GameState, movement_class: str, target: Hex) -> dict[int, int]:
    """Hexes a unit of ``movement_class`` steps through to reach ``target``, from every hex it
    can reach it from, over the standing bridges (terrain costs and the enemy left out: a way
    home, not a move).  Memoised on the board by its bridges."""
    board = state.scenario.board
    bridges = frozenset(board.edge_keys[s] for s in state.bridges if s in board.edge_keys)
    key = ("withdrawal paths", movement_class, board.index[target], bridges)
    found = board.search_cache.get(key)
    if found is None:
        start = board.index[target]
        found = {start: 0}
        frontier = deque([start])
        while frontier:
            here = frontier.popleft()
            for edge in board.edges[here]:
                cost = (edge.bridged_cost if edge.key in bridges else edge.cost)[movement_class]
                if cost is not None and edge.to not in found:
                    found[edge.to] = found[here] + 1
                    frontier.append(edge.to)
        board.search_cache[key] = found
    return found
