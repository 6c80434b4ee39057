"""Which events a side may know of: its event stream, filtered by the rule of its observation.

An action's events are told to a side only where that side could have watched them: anything
done by or to its own units, enemy movement along hexes in its sight, combat and fire at hexes
in its sight, and what befalls an enemy unit it can see (a step lost, supply cut, recovery).
Turn and phase changes, air missions and the end of the game are public.  The game window's log,
the replay viewer's per-side view and any player that reads events all use this one rule, so
a side's stream never carries what its observation would not.

An enemy unit's move is told as the side watched it, not as it was: the hexes of its path the
side saw, and its cost only when the side saw the whole path (move points spent out of sight
would tell it the ground the unit crossed there).  A retreat or an advance that ends out of
sight is told as a move out of sight from the hex the unit left: the side saw it go, not where
to.  Enemy engineers working on a pontoon are not told at all (docs/rules.md: a side knows only
of its own pontoons being thrown); a pontoon that stands is seen like any bridge.  Enemy guns
that fire on a hex in sight are named only where the side sees them (it sees the shells land,
not the battery); an enemy unit's tanks recovered are told only where the side sees their field;
a move or retreat that runs into enemy units out of sight names only those the side sees
afterwards; a bridge attacked is told to the attacker and to a side that sees either end.
"""

from __future__ import annotations

from dataclasses import replace

from nomonhan.events import (
    BombardmentResolved,
    BridgeAttacked,
    BridgeBuilt,
    BridgeDemolished,
    CombatResolved,
    Event,
    MoveInterrupted,
    PontoonWorked,
    RetreatInterrupted,
    TanksRecovered,
    UnitAdvanced,
    UnitEliminated,
    UnitMoved,
    UnitRetreated,
)
from nomonhan.rules.visibility import seen_hexes, visible_enemies
from nomonhan.state import GameState


def events_for(side: str, before: GameState, after: GameState, events: list[Event]) -> list[Event]:
    """The events of one action (``before`` -> ``after``) that ``side`` may know of, in order,
    each as the side saw it."""
    told = []
    for event in events:
        if _witnessed(side, before, after, event):
            seen = _as_seen(side, before, after, event)
            if seen is not None:
                told.append(seen)
    return told


def _as_seen(side: str, before: GameState, after: GameState, event: Event) -> Event | None:
    """``event`` cut down to what ``side`` watched of it (an enemy unit's move, retreat or
    advance; enemy guns firing; enemy units a move ran into), or None when it watched none of it."""
    if isinstance(event, BombardmentResolved):
        if any(before.unit(gun).side == side for gun in event.guns):
            return event
        guns = tuple(gun for gun in event.guns if _in_sight(side, gun, before) or _in_sight(side, gun, after))
        return event if guns == event.guns else replace(event, guns=guns)
    if isinstance(event, (MoveInterrupted, RetreatInterrupted)):
        revealed = tuple(u for u in event.revealed if before.unit(u).side == side or _in_sight(side, u, after))
        return event if revealed == event.revealed else replace(event, revealed=revealed)
    if not isinstance(event, (UnitMoved, UnitRetreated, UnitAdvanced)) or before.unit(event.unit).side == side:
        return event
    if isinstance(event, UnitMoved):
        sight = seen_hexes(before, side) | seen_hexes(after, side)
        watched = tuple(h for h in event.path if h in sight)
        return event if len(watched) == len(event.path) else UnitMoved(event.unit, watched, 0)
    if event.to in seen_hexes(after, side):
        return event
    origin = before.unit(event.unit).position
    return UnitMoved(event.unit, (origin,), 0) if origin in seen_hexes(before, side) else None


def _in_sight(side: str, unit_id: str, state: GameState) -> bool:
    """Whether ``side`` sees the enemy unit ``unit_id`` in ``state``."""
    return any(u.id == unit_id for u in visible_enemies(state, side))


def _witnessed(side: str, before: GameState, after: GameState, event: Event) -> bool:
    unit_ids = before.scenario.unit_order

    def own(unit_id: str) -> bool:
        return before.unit(unit_id).side == side

    sight = seen_hexes(before, side) | seen_hexes(after, side)
    if isinstance(event, (UnitMoved, UnitRetreated, UnitAdvanced, MoveInterrupted, RetreatInterrupted)):
        if own(event.unit):
            return True
        path = (
            event.path
            if isinstance(event, UnitMoved)
            else (event.at if isinstance(event, (MoveInterrupted, RetreatInterrupted)) else event.to,)
        )
        return _in_sight(side, event.unit, before) or any(h in sight for h in path)
    if isinstance(event, (CombatResolved, BombardmentResolved)):
        actors = event.attackers if isinstance(event, CombatResolved) else event.guns
        return event.target in sight or any(own(u) for u in actors)
    if isinstance(event, PontoonWorked):
        return own(event.unit)
    if isinstance(event, BridgeAttacked):
        # By the active side's guns or aircraft, rolled after the fire's losses: a defender
        # learns of it as its known bridges do, from an end in sight after the action.
        after_sight = seen_hexes(after, side)
        return side == before.active_side or event.low in after_sight or event.high in after_sight
    if isinstance(event, (BridgeBuilt, BridgeDemolished)):
        return own(event.unit) or event.low in sight or event.high in sight
    if isinstance(event, TanksRecovered):
        # Where the tanks lay, knocked out: a field the side may never have seen, or not since.
        return own(event.unit) or event.hex in sight
    unit = getattr(event, "unit", None)
    if not isinstance(unit, str) or unit not in unit_ids:
        return True  # turn, phase, air and game events name no unit: they are public
    if own(unit):
        return True
    if isinstance(event, UnitEliminated):
        return _in_sight(side, unit, before)
    return _in_sight(side, unit, after)
