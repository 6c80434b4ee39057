"""The engine: the only code that changes a game.

``legal_actions(state)`` lists what the acting side may do, in a stable order, from that side's
view; ``step(state, action)`` returns the next state and the events that explain it.  Random
draws come only from ``state.rng_state``, so scenario + seed + actions fix a game exactly.
"""

from nomonhan.engine.air_forecast import air_odds
from nomonhan.engine.audience import events_for
from nomonhan.engine.forecast import bombardment_odds, combat_odds
from nomonhan.engine.legal import LegalActions, legal_actions, unit_actions
from nomonhan.engine.queries import destinations, reach
from nomonhan.engine.step import step
from nomonhan.engine.turn import new_game
from nomonhan.engine.view import Observation, believed_state, observe
from nomonhan.rules.supply import supplied_hexes
from nomonhan.rules.visibility import visible_enemies

__all__ = [
    "LegalActions",
    "Observation",
    "air_odds",
    "believed_state",
    "bombardment_odds",
    "combat_odds",
    "destinations",
    "events_for",
    "legal_actions",
    "new_game",
    "observe",
    "reach",
    "step",
    "supplied_hexes",
    "unit_actions",
    "visible_enemies",
]
