"""The victory-point margin as one side knows it: what the environments' rewards pay action by
action, so that a reward tells an agent nothing its observation does not.

The true margin counts objectives by their true holders and every enemy step destroyed, in sight
or not; paying its change after each action would tell an agent that an objective changed hands
out of its sight, or that enemy units it cannot see lost steps (docs/rules.md: the whole score
is shown only at the end).  A side's known margin is scored by the scenario's own rules
(:func:`nomonhan.rules.victory.points_scored`, :func:`~nomonhan.rules.victory.points_for_losses`)
on what the side knows:

- the objectives by the holders it knows (the observation's ``holders``, as last seen);
- the points banked each turn (public);
- its own steps lost (its own units are in its observation);
- the enemy's steps lost as it saw them: each enemy unit as last seen (the steps it showed then
  against those it came in with), or every step it came in with once the side was told of its
  elimination (``UnitEliminated``, as :func:`nomonhan.engine.events_for` tells it).

A side that knew everything would know the true margin.  What it does not know is settled at the
game's end (:meth:`nomonhan.env.aec.raw_env.play`).
"""

from __future__ import annotations

from collections.abc import Iterable

from nomonhan.engine import Observation
from nomonhan.events import Event, UnitEliminated
from nomonhan.rules.victory import points_for_losses, points_scored, steps_missing
from nomonhan.scenario.load import Scenario


class KnownScore:
    """One side's running knowledge of the enemy's losses, and its margin as it knows it."""

    def __init__(self, scenario: Scenario, side: str) -> None:
        self.scenario = scenario
        self.side = side
        self.enemy = scenario.enemy_of(side)
        self.enemy_lost: dict[str, int] = {}
        """Each enemy unit the side has seen: the steps it is known to have lost."""
        self._setups = {setup.id: (setup, scenario.unit_types[setup.type].per_step) for setup in scenario.units}
        """Each unit's set-up and what one of its steps holds, by id (read for every unit after every action)."""

    def learn(self, observation: Observation, told: Iterable[Event] = ()) -> None:
        """Take in what the side sees now and the events it was told of the last action."""
        setups = self._setups
        for unit in observation.enemy_units:
            self.enemy_lost[unit.id] = steps_missing(unit, setups[unit.id][0])
        for event in told:
            if isinstance(event, UnitEliminated) and setups[event.unit][0].side == self.enemy:
                self.enemy_lost[event.unit] = setups[event.unit][0].starting_steps

    def margin(self, observation: Observation) -> int:
        """The side's points less the enemy's, scored on what it knows (``observation`` is its
        observation now, after :meth:`learn`)."""
        setups = self._setups
        own_lost = [(steps_missing(unit, setups[unit.id][0]), setups[unit.id][1]) for unit in observation.own_units]
        enemy_lost = [(lost, setups[unit_id][1]) for unit_id, lost in self.enemy_lost.items()]
        scenario = self.scenario
        conceded = {self.side: points_for_losses(scenario, own_lost), self.enemy: points_for_losses(scenario, enemy_lost)}
        points = points_scored(scenario, observation.banked_points, observation.holders, conceded)
        return points[self.side] - points[self.enemy]
