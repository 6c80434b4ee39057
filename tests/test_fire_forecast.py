"""The engine's forecasts of a bombardment and of an air mission are what the engine does.

``bombardment_odds`` is checked against the engine's own resolution on every face of the die
(and of the bridge die); ``air_odds`` against :func:`nomonhan.rules.air.air_fights` run on every
sequence of dice the fights could roll, each sequence weighed by its exact chance.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from fractions import Fraction

import pytest
from conftest import seed_for
from test_air_night import X, air_phase
from test_bridges_night import NE, h, new, to_movement

from nomonhan import engine
from nomonhan.actions import AirMission, EndPhase, Resolve, Support
from nomonhan.events import BombardmentResolved, BridgeAttacked
from nomonhan.rules import air as air_rules
from nomonhan.rules.victory import NO_LOSSES, gross_losses
from nomonhan.state import GameState, Phase

# ------------------------------------------------------------------ bombardment


def _bombardment(tmp_path, defender_steps: int = 2, entrenchment: int = 0) -> GameState:
    """The soviet bombardment phase: two guns may fire at a japanese battalion at a bridge end."""
    units = [
        {"id": "j-1", "type": "rifle_bn", "side": "japanese", "hex": "2,1", "steps": defender_steps},
        ("j-2", "rifle_bn", "japanese", "1,0"),
        ("s-g", "artillery_bn", "soviet", "3,2"),
        ("s-h", "artillery_bn", "soviet", "3,1"),
    ]
    state = to_movement(new(tmp_path, units, bridges=["1,1:NE"]), "soviet")
    state, _ = engine.step(state, EndPhase())
    assert state.phase is Phase.BOMBARDMENT
    state = replace(state.with_unit(replace(state.unit("j-1"), entrenchment=entrenchment)), supply_left=20)  # ammunition counted
    state, _ = engine.step(state, Support("s-g", h("2,1")))
    return state


@pytest.mark.parametrize("defender_steps, entrenchment", [(2, 0), (1, 1)])
def test_the_bombardment_forecast_is_what_the_engine_does_on_every_face(tmp_path, defender_steps, entrenchment) -> None:
    state = _bombardment(tmp_path, defender_steps, entrenchment)
    forecast = engine.bombardment_odds(state, ("s-g", "s-h"), h("2,1"))
    assert forecast.plan.shifts == ((("cover", -entrenchment),) if entrenchment else ())
    ready, _ = engine.step(state, Support("s-h", h("2,1")))
    results: dict[str, Fraction] = {}
    bridge: dict[str, Fraction] = {}
    for die, bridge_die in itertools.product(range(1, 7), repeat=2):
        after, events = engine.step(replace(ready, rng_state=seed_for(die, bridge_die)), Resolve())
        fired = next(e for e in events if isinstance(e, BombardmentResolved))
        attacked = next(e for e in events if isinstance(e, BridgeAttacked))
        assert (fired.die, attacked.die) == (die, bridge_die)
        results[fired.result] = results.get(fired.result, Fraction(0)) + Fraction(1, 36)
        bridge[attacked.result] = bridge.get(attacked.result, Fraction(0)) + Fraction(1, 36)
        lost = forecast.lost_by(next(r for r, _ in forecast.outcomes if r.text == fired.result))
        assert lost.attacker == NO_LOSSES
        assert lost.defender == gross_losses(after, "japanese") - gross_losses(ready, "japanese")
        assert forecast.supply_spent and after.supply_left == 20 - forecast.supply_spent
    assert {r.text: p for r, p in forecast.outcomes} == results
    [odds] = forecast.bridges
    assert odds.hexside == NE and dict(odds.results) == bridge
    assert sum(p for _, p in forecast.outcomes) == 1


def test_fire_too_weak_for_the_table_is_forecast_as_no_effect(tmp_path) -> None:
    state = _bombardment(tmp_path, entrenchment=2)
    forecast = engine.bombardment_odds(state, ("s-g",), h("2,1"))
    assert forecast.plan.column is None and forecast.plan.shifts == (("cover", -2),)
    assert [(r.text, p) for r, p in forecast.outcomes] == [("-", 1)] and forecast.expected_defender_steps == 0


# ------------------------------------------------------------------ air missions


class ScriptedDice:
    """Stands in for :mod:`nomonhan.rng` in the air rules: the next rolls are ``faces``."""

    def __init__(self, faces: tuple[int, ...]) -> None:
        self.faces = list(faces)

    def roll(self, seed: int, sides: int) -> tuple[int, int]:
        return self.faces.pop(0), seed


def _fought(state: GameState, mission: AirMission, monkeypatch: pytest.MonkeyPatch) -> dict[tuple[bool, int], Fraction]:
    """Assign ``mission``, then run the air fights on every sequence of dice they could roll:
    the chance of each (mission turned back, enemy patrols left)."""
    assigned, _ = engine.step(replace(state, air=replace(state.air, points_left=1)), mission)
    rolls = assigned.air.superiority_of("japanese") + assigned.air.superiority_of("soviet")
    found: dict[tuple[bool, int], Fraction] = {}
    for faces in itertools.product(range(1, 7), repeat=rolls):
        monkeypatch.setattr(air_rules, "rng", ScriptedDice(faces))
        after = air_rules.air_fights(assigned, [])
        key = (mission.kind != "superiority" and _gone(assigned, after, mission), after.air.superiority_of("soviet"))
        found[key] = found.get(key, Fraction(0)) + Fraction(1, 6**rolls)
    return found


def _gone(before: GameState, after: GameState, mission: AirMission) -> bool:
    """Whether one of ``mission``'s kind over its hex was turned back."""
    entries = before.air.support if mission.kind == "support" else before.air.interdiction
    left = after.air.support if mission.kind == "support" else after.air.interdiction
    return entries.count(("japanese", mission.hex)) > left.count(("japanese", mission.hex))


@pytest.mark.parametrize(
    "standing, escorts, support, mission",
    [
        (1, 0, (), AirMission("support", X)),
        (2, 1, (X,), AirMission("support", X)),
        (2, 0, (X,), AirMission("interdiction", X)),
        (2, 1, (X,), AirMission("superiority")),
        (0, 0, (X,), AirMission("support", X)),
    ],
)
def test_the_air_forecast_is_what_the_fights_do_on_every_sequence_of_dice(
    tmp_path, monkeypatch, standing, escorts, support, mission
) -> None:
    state = air_phase(tmp_path, standing=standing, escorts=escorts, support=support)
    forecast = engine.air_odds(state, mission)
    assert (forecast.enemy_patrols, forecast.escorts) == (standing, escorts + (mission.kind == "superiority"))
    expected = _fought(state, mission, monkeypatch)
    assert {(r.turned_back, r.enemy_patrols_left): p for r, p in forecast.outcomes} == {k: p for k, p in expected.items() if p}
    assert forecast.turned_back == sum((p for (back, _), p in expected.items() if back), Fraction(0))


def test_a_support_mission_s_gain_stops_at_the_bound_on_air_support(tmp_path) -> None:
    state = air_phase(tmp_path, standing=0, escorts=0)
    rules = state.scenario.rules.shifts
    gains = []
    for flown in range(4):
        assigned = replace(state, air=replace(state.air, support=(("japanese", X),) * flown))
        gains.append(engine.air_odds(assigned, AirMission("support", X)).column_shift)
    assert sum(gains) == rules.max_air_support and gains[0] == min(rules.per_air_support_point, rules.max_air_support)
    assert engine.air_odds(state, AirMission("interdiction", X)).move_cost == state.scenario.rules.air.interdiction_move_cost
