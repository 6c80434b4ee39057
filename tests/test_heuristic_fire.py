"""The heuristic player's aircraft and guns (ai/heuristic.py ``_air``, ``_bombard``): they go
where its attack will be, on hand-built positions, played through the engine phase by phase."""

from __future__ import annotations

from conftest import make_scenario

from nomonhan import engine
from nomonhan.actions import AirMission, EndPhase, Resolve, Support
from nomonhan.ai.heuristic import HeuristicPlayer
from nomonhan.hexgrid import parse_hex
from nomonhan.rng import Generator
from nomonhan.state import GameState, Phase

ROWS = [".......", ".......", ".......", "......."]
AIR = [{"side": "japanese", "start": "1939-07-01T00:00:00", "points": 5, "source": "test"}]


def choices_in(state: GameState, phase: Phase) -> list:
    """What the heuristic player does, action by action, until ``phase`` ends."""
    player = HeuristicPlayer()
    chosen = []
    while state.phase is phase and len(chosen) < 20:
        legal = engine.legal_actions(state)
        action = player.choose(engine.observe(state, state.active_side), legal, Generator(0))
        assert action in list(legal)
        chosen.append(action)
        state, _ = engine.step(state, action)
    return chosen


def test_aircraft_support_the_main_effort_to_the_cap_then_patrol_then_interdict(tmp_path) -> None:
    units = [("j-1", "rifle_bn", "japanese", "1,1"), ("j-2", "rifle_bn", "japanese", "1,2"), ("s-1", "rifle_bn", "soviet", "2,1")]
    state = engine.new_game(make_scenario(tmp_path, ROWS, units, extra={"air": AIR}), 1)
    assert state.phase is Phase.AIR and state.air.points_left == 5
    front = parse_hex("2,1")
    cap = state.scenario.rules.shifts.max_air_support
    assert choices_in(state, Phase.AIR) == [
        *[AirMission("support", front)] * cap,  # no more support than the combat table counts
        AirMission("superiority"),  # one standing patrol to cover them
        *[AirMission("interdiction", front)] * (5 - cap - 1),
        EndPhase(),
    ]


def test_aircraft_with_no_attack_to_support_patrol_first(tmp_path) -> None:
    """An enemy in sight but beyond two hexes of every unit is no main effort: no support flown
    before the patrol is up."""
    units = [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "3,0")]
    state = engine.new_game(make_scenario(tmp_path, ROWS, units, extra={"air": AIR}), 1)
    chosen = choices_in(state, Phase.AIR)
    assert chosen[0] == AirMission("superiority")
    assert chosen[-1] == EndPhase() and len(chosen) == 6


def bombardment_phase(tmp_path, units, objectives=(), rows=ROWS) -> GameState:
    state = engine.new_game(make_scenario(tmp_path, rows, units, objectives=list(objectives)), 1)
    state, _ = engine.step(state, EndPhase())  # movement
    assert state.phase is Phase.BOMBARDMENT
    return state


GUNS = [("j-g1", "artillery_bn", "japanese", "0,1"), ("j-g2", "artillery_bn", "japanese", "0,2")]


def test_guns_fire_away_from_the_main_effort_and_are_kept_for_it(tmp_path) -> None:
    """The rifle battalion at 1,1 will attack 2,1: the guns bombard the other target, every gun
    that reaches it, and then the phase ends without a shot at 2,1 (they support the attack)."""
    units = [("j-1", "rifle_bn", "japanese", "1,1"), *GUNS, ("s-1", "rifle_bn", "soviet", "2,1"), ("s-2", "rifle_bn", "soviet", "4,3")]
    state = bombardment_phase(tmp_path, units)
    elsewhere = parse_hex("4,3")
    assert choices_in(state, Phase.BOMBARDMENT) == [Support("j-g1", elsewhere), Support("j-g2", elsewhere), Resolve(), EndPhase()]


def test_guns_are_all_kept_for_the_attack_on_an_objective_the_side_wants(tmp_path) -> None:
    """The same position with 2,1 a Soviet-held objective the Japanese want: every gun in range
    of it holds its fire for the attack on it, none shells the other stack."""
    units = [("j-1", "rifle_bn", "japanese", "1,1"), *GUNS, ("s-1", "rifle_bn", "soviet", "2,1"), ("s-2", "rifle_bn", "soviet", "4,3")]
    knoll = [{"name": "Knoll", "hex": "2,1", "points": 5, "initial_holder": "soviet"}]
    state = bombardment_phase(tmp_path, units, knoll)
    assert any(isinstance(a, Support) and a.target == parse_hex("4,3") for a in engine.legal_actions(state))  # it could
    assert choices_in(state, Phase.BOMBARDMENT) == [EndPhase()]


def test_guns_hold_fire_when_the_only_target_is_the_main_effort(tmp_path) -> None:
    units = [("j-1", "rifle_bn", "japanese", "1,1"), *GUNS, ("s-1", "rifle_bn", "soviet", "2,1")]
    state = bombardment_phase(tmp_path, units)
    assert any(isinstance(a, Support) for a in engine.legal_actions(state))  # it could fire
    assert choices_in(state, Phase.BOMBARDMENT) == [EndPhase()]


def test_guns_shell_first_where_their_fire_costs_the_enemy_most(tmp_path) -> None:
    """Two Soviet stacks in range and no attack to keep the guns for: the one on a steep crest
    comes first in hex order, but the guns' forecast costs the one in the open more steps, so
    every gun fires there first (before, they shelled the crest while the tanks in the marsh
    beside it were left alone: docs/calibration.md, change 20)."""
    rows = [".......", "....H..", ".......", "......."]
    guns = [("j-g1", "artillery_bn", "japanese", "1,1"), ("j-g2", "artillery_bn", "japanese", "1,2")]
    units = [*guns, ("s-1", "rifle_bn", "soviet", "4,1"), ("s-2", "rifle_bn", "soviet", "4,3")]  # three hexes off: no main effort
    state = bombardment_phase(tmp_path, units, rows=rows)
    crest, open_ground = parse_hex("4,1"), parse_hex("4,3")
    targets = [a.target for a in engine.legal_actions(state) if isinstance(a, Support)]
    assert targets.index(crest) < targets.index(open_ground)  # hex order puts the crest first
    harm = {hex_: engine.bombardment_odds(state, ("j-g1", "j-g2"), hex_).expected_defender_steps for hex_ in (crest, open_ground)}
    assert harm[open_ground] > harm[crest]
    assert choices_in(state, Phase.BOMBARDMENT)[:3] == [Support("j-g1", open_ground), Support("j-g2", open_ground), Resolve()]
