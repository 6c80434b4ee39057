"""What a computer player remembers of the enemy: where each unit was last seen.

Fog hides most of the enemy most of the time: at night a side may see none of it, and by day
the Soviets at Bain Tsagan see three or four of the fifteen Japanese units.  A state built from
the observation alone (``engine.believed_state``) is a battlefield with a few enemy units in it,
and playing forward on it is far too kind: a bold attack meets no counter-attack from the
units the side saw an hour ago.  The search player plays forward on an *imagined* state
instead, one determinisation consistent with what it has seen:

- an enemy unit in sight is where it is seen;
- one out of sight stands where it was last seen, as it was then;
- one never seen stands where the scenario sets it up (the order of battle is public, as in a
  board game); reinforcements are imagined on the map only once seen (for playing
  forward, :meth:`EnemyMemory.imagine_ahead` keeps them in reserve with their steps);
- but a unit whose remembered hex is in sight now, and empty, is left out: it has moved or
  died, and the side cannot tell which.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from nomonhan import engine
from nomonhan.engine import Observation
from nomonhan.state import GameState, Unit, UnitStatus


@dataclass
class EnemyMemory:
    last_seen: dict[str, Unit] = field(default_factory=dict)

    def update(self, observation: Observation) -> None:
        for unit in observation.enemy_units:
            self.last_seen[unit.id] = unit

    def imagine(self, observation: Observation) -> GameState:
        """The believed state with every enemy unit out of sight put where it is remembered."""
        state = engine.believed_state(observation)
        scenario = state.scenario
        in_sight = observation.seen_hexes
        units = []
        for unit, setup in zip(state.units, scenario.units):
            if unit.side != observation.side and unit.status is UnitStatus.RESERVE:
                remembered = self.last_seen.get(unit.id)
                if remembered is None and setup.hex is not None:
                    remembered = replace(unit, hex=setup.hex, steps=setup.starting_steps, status=UnitStatus.ON_MAP)
                if remembered is not None and remembered.hex is not None and remembered.hex not in in_sight:
                    unit = remembered
            units.append(unit)
        return replace(state, units=tuple(units))

    def imagine_ahead(self, observation: Observation) -> GameState:
        """:meth:`imagine`, for playing forward: every enemy reinforcement not on the map waits
        in reserve with its steps (as last seen, else as it is set up), so that the engine brings
        it on at its date (the order of battle and its schedule are public).  In the believed
        state it is a placeholder of no steps: played forward, that arrived as a unit of none,
        every step of it counted destroyed, and at Bain Tsagan the Japanese rollouts met no 11th
        Tank Brigade and scored themselves 25 points for it."""
        state = self.imagine(observation)
        units = []
        for unit, setup in zip(state.units, state.scenario.units):
            if unit.side != observation.side and unit.status is UnitStatus.RESERVE and setup.arrive is not None:
                remembered = self.last_seen.get(unit.id)
                unit = replace(unit, steps=remembered.steps if remembered is not None else setup.starting_steps)
            units.append(unit)
        return replace(state, units=tuple(units))
