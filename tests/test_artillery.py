"""Artillery, second edition (docs/rules.md, "Artillery and air"): ammunition by gun weight,
observed fire, disruption, counter-battery fire and the dawn counter-barrage, on hand-built
positions.  The standard position: a 7 x 5 steppe map, Japanese guns at 0,2 and 1,2, the
Soviet defenders at 3,2."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import bombardment, declared, end_player_turn, make_scenario, next_turn, seed_for

from nomonhan import engine
from nomonhan.actions import EndPhase, IllegalActionError, Move, Support
from nomonhan.engine.eligibility import bombard_targets, eligible_artillery, support_options
from nomonhan.events import BombardmentResolved, UnitDisrupted, UnitExposed, UnitRallied
from nomonhan.hexgrid import parse_hex
from nomonhan.replay import load_game
from nomonhan.rules.artillery import fire_plan, observed_hexes
from nomonhan.rules.combat import attack_strength, defence_strength
from nomonhan.state import GameState, Phase

STEPPE = [".......", ".......", ".......", ".......", "......."]
T = "3,2"


def h(text: str):
    return parse_hex(text)


def gun_type(type_id: str, weight: str, bombard: int = 4, artillery_range: int = 4) -> dict:
    return {
        "id": type_id,
        "name": f"{weight} guns",
        "category": "artillery",
        "size": "battalion",
        "movement_class": "foot",
        "move_points": 4,
        "attack": 1,
        "defence": 1,
        "steps": 1,
        "stack_points": 1,
        "exerts_zoc": False,
        "artillery_range": artillery_range,
        "bombard": bombard,
        "gun_weight": weight,
        "source": "test",
    }


HEAVY = gun_type("heavy_bn", "heavy")
MEDIUM = gun_type("medium_bn", "medium")


def game(tmp_path, units, phase: Phase = Phase.BOMBARDMENT, **options) -> GameState:
    options.setdefault("unit_types", [HEAVY, MEDIUM])
    state = engine.new_game(make_scenario(tmp_path, STEPPE, units, **options), 1)
    return replace(state, phase=phase)


def with_(state: GameState, unit_id: str, **changes) -> GameState:
    return state.with_unit(replace(state.unit(unit_id), **changes))


def with_rules(state: GameState, section: str, **changes) -> GameState:
    """The same position under rules data with ``changes`` to one section."""
    rules = state.scenario.rules
    changed = rules.model_copy(update={section: getattr(rules, section).model_copy(update=changes)})
    return replace(state, scenario=replace(state.scenario, rules=changed))


def supplied(points: int) -> dict:
    return {
        "supply": {
            "sources": [{"side": "japanese", "name": "Depot", "hex": "0,2"}],
            "capacity": [{"side": "japanese", "points": points, "source": "test"}],
        }
    }


# ------------------------------------------------------------------ ammunition by weight


def test_a_gun_spends_supply_by_its_weight(tmp_path):
    """Two guns supplied (1 point each) of 4: 2 points left.  The heavy battalion needs 3 to
    fire, so only the light one is offered, and firing it leaves 1."""
    units = [("g-h", "heavy_bn", "japanese", "0,2"), ("g-l", "artillery_bn", "japanese", "1,2"), ("s-1", "rifle_bn", "soviet", T)]
    state = game(tmp_path, units, extra=supplied(4))
    assert state.supply_left == 2
    assert [u.id for u in eligible_artillery(state, h(T))] == ["g-h", "g-l"]  # both in range and observed
    assert support_options(state) == [Support("g-l", h(T))]
    with pytest.raises(IllegalActionError):
        engine.step(state, Support("g-h", h(T)))
    after, _ = declared(state, bombardment(("g-l",), h(T)))
    assert after.supply_left == 1


def test_guns_declared_together_pay_together(tmp_path):
    """5 left: a medium (2) and a heavy (3) battalion can fire together, but once the heavy one
    has joined, a second medium one no longer fits."""
    units = [
        ("g-h", "heavy_bn", "japanese", "0,2"),
        ("g-m1", "medium_bn", "japanese", "1,2"),
        ("g-m2", "medium_bn", "japanese", "1,1"),
        ("s-1", "rifle_bn", "soviet", T),
    ]
    state = game(tmp_path, units, extra=supplied(8))
    assert state.supply_left == 5
    state, _ = engine.step(state, Support("g-h", h(T)))
    assert support_options(state) == [Support("g-m1", h(T)), Support("g-m2", h(T))]
    state, _ = engine.step(state, Support("g-m1", h(T)))
    assert support_options(state) == []
    after, _ = engine.step(state, engine.legal_actions(state)[0])  # resolve
    assert after.supply_left == 0


# ------------------------------------------------------------------ observed fire


def test_guns_fire_only_at_hexes_a_friendly_unit_observes(tmp_path):
    """The gun at 0,2 reaches 3,2 (three hexes).  By day it observes that far itself; at night
    only the hexes next to a friendly unit are observed, so it needs a spotter next to the
    target, and a unit two hexes off is not enough, even where the side can see that far."""
    units = [("g-1", "artillery_bn", "japanese", "0,2"), ("j-1", "rifle_bn", "japanese", "1,2"), ("s-1", "rifle_bn", "soviet", T)]
    day = game(tmp_path, units)
    assert not day.is_night
    assert [u.id for u in eligible_artillery(day, h(T))] == ["g-1"]
    night = game(tmp_path, units, start="1939-07-02T22:00:00")
    assert night.is_night
    night = with_rules(night, "spotting", night_range=3)  # the side sees the target...
    assert engine.visible_enemies(night, "japanese")
    assert eligible_artillery(night, h(T)) == []  # ...but no unit observes it for the guns
    assert bombard_targets(night) == [] and list(engine.legal_actions(night)) == [EndPhase()]
    with pytest.raises(IllegalActionError):
        engine.step(night, Support("g-1", h(T)))
    spotted = with_(night, "j-1", hex=h("2,2"))  # next to the target
    assert [u.id for u in eligible_artillery(spotted, h(T))] == ["g-1"]
    assert Support("g-1", h(T)) in engine.legal_actions(spotted)


def test_the_observer_range_by_day_is_data(tmp_path):
    units = [("g-1", "artillery_bn", "japanese", "0,2"), ("s-1", "rifle_bn", "soviet", T)]
    state = game(tmp_path, units)
    assert eligible_artillery(state, h(T)) != []
    assert eligible_artillery(with_rules(state, "artillery", observer_day_range=2), h(T)) == []


# ------------------------------------------------------------------ disruption


def test_an_s_result_disrupts_every_unit_left_in_the_hex_and_is_told(tmp_path):
    units = [("g-1", "artillery_bn", "japanese", "0,2"), ("s-1", "rifle_bn", "soviet", T), ("s-2", "rifle_bn", "soviet", T)]
    state = replace(game(tmp_path, units), rng_state=seed_for(3))  # strength 4: column 4-7, die 3: S
    after, events = declared(state, bombardment(("g-1",), h(T)))
    assert events[0] == BombardmentResolved(("g-1",), h(T), 3, "S", 0)
    assert [e for e in events if isinstance(e, UnitDisrupted)] == [UnitDisrupted("s-1"), UnitDisrupted("s-2")]
    assert after.unit("s-1").disrupted and after.unit("s-2").disrupted and after.unit("s-1").steps == 2
    # the firing side sees it, as it sees the units
    assert all(u.disrupted for u in engine.observe(after, "japanese").enemy_units)


def test_a_disrupted_unit_attacks_and_defends_weaker(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", T)]
    state = game(tmp_path, units)
    j, s = state.unit("j-1"), state.unit("s-1")
    assert (attack_strength(state, [j]), defence_strength(state, [s])) == (3, 3)
    shaken = with_(with_(state, "j-1", disrupted=True), "s-1", disrupted=True)
    assert attack_strength(shaken, [shaken.unit("j-1")]) == 3 * 50 / 100
    assert defence_strength(shaken, [shaken.unit("s-1")]) == 3 * 75 / 100


def test_disruption_lasts_until_the_end_of_the_units_own_next_player_turn(tmp_path):
    """Japanese guns disrupt s-1 in the Japanese player turn; in the Soviet player turn that
    follows s-1 moves with half its move points, and at its end it rallies."""
    units = [("g-1", "artillery_bn", "japanese", "0,2"), ("s-1", "rifle_bn", "soviet", T)]
    state = replace(game(tmp_path, units), rng_state=seed_for(3))
    state, _ = declared(state, bombardment(("g-1",), h(T)))
    assert state.unit("s-1").disrupted
    state, events = end_player_turn(state)
    assert state.active_side == "soviet" and state.phase is Phase.MOVEMENT
    assert state.unit("s-1").disrupted and state.unit("s-1").move_points == 3  # 6, halved
    state, events = end_player_turn(state)
    assert not state.unit("s-1").disrupted and UnitRallied("s-1") in events


def test_disrupted_guns_fire_weaker(tmp_path):
    units = [("g-1", "artillery_bn", "japanese", "0,2"), ("g-2", "artillery_bn", "japanese", "1,2"), ("s-1", "rifle_bn", "soviet", T)]
    state = game(tmp_path, units)
    guns, defenders = [state.unit("g-1"), state.unit("g-2")], [state.unit("s-1")]
    assert fire_plan(state, guns, defenders, h(T)).column == 2  # strength 8
    shaken = with_(state, "g-1", disrupted=True)
    plan = fire_plan(shaken, [shaken.unit("g-1"), shaken.unit("g-2")], defenders, h(T))
    assert (plan.strength, plan.column) == (6, 1)


# ------------------------------------------------------------------ counter-battery


def test_fire_at_a_hex_holding_guns_is_counter_battery_fire(tmp_path):
    units = [
        ("g-1", "artillery_bn", "japanese", "0,2"),
        ("g-2", "artillery_bn", "japanese", "1,2"),
        ("s-g", "artillery_bn", "soviet", T),
        ("s-1", "rifle_bn", "soviet", "3,1"),
    ]
    state = game(tmp_path, units)
    guns = [state.unit("g-1"), state.unit("g-2")]
    at_guns = fire_plan(state, guns, [state.unit("s-g")], h(T))
    at_infantry = fire_plan(state, guns, [state.unit("s-1")], h("3,1"))
    assert at_infantry.column == 2 and at_infantry.shifts == ()
    assert at_guns.column == 1 and at_guns.shifts == (("counter-battery", -1),)
    # and it is declared like any bombardment: the Soviet guns are a legal target
    assert h(T) in bombard_targets(state)


# ------------------------------------------------------------------ the dawn counter-barrage


NIGHT_THEN_DAY = {"start": "1939-07-02T18:00:00", "dawn": "05:00", "dusk": "17:00"}  # turn 1 night, turn 2 day


def test_units_that_moved_in_the_night_and_stand_in_the_open_at_dawn_are_exposed(tmp_path):
    """j-1 moves in the night onto steppe, j-2 onto a village (no open ground), j-3 stays put:
    only j-1 is exposed at dawn, and fire at it is one column stronger until it moves."""
    rows = [".......", ".......", "...v...", ".......", "......."]
    units = [
        ("j-1", "rifle_bn", "japanese", "0,0"),
        ("j-2", "rifle_bn", "japanese", "2,2"),
        ("j-3", "rifle_bn", "japanese", "0,4"),
        ("g-s", "artillery_bn", "soviet", "5,0"),
        ("s-1", "rifle_bn", "soviet", "6,4"),
    ]
    state = engine.new_game(make_scenario(tmp_path, rows, units, **NIGHT_THEN_DAY), 1)
    assert state.is_night and state.phase is Phase.MOVEMENT
    state, _ = engine.step(state, Move("j-1", h("1,0")))
    state, _ = engine.step(state, Move("j-2", h("3,2")))
    state, events = next_turn(state)
    assert not state.is_night
    assert [u.id for u in state.units if u.exposed] == ["j-1"]
    assert UnitExposed("j-1") in events and UnitExposed("j-2") not in events
    # in its player turn it may move on (and is no longer exposed) ...
    moving = state
    assert moving.active_side == "japanese" and moving.phase is Phase.MOVEMENT
    moved, _ = engine.step(moving, Move("j-1", h("1,1")))
    assert not moved.unit("j-1").exposed
    # ... or stay put: it digs in, but fire at it in the Soviet day turn is still a column stronger
    stayed, _ = end_player_turn(moving)
    j1 = stayed.unit("j-1")
    assert j1.exposed and j1.entrenchment == 1
    plan = fire_plan(stayed, [stayed.unit("g-s")], [j1], h("1,0"))
    assert plan.shifts == (("cover", -1), ("exposed in the open", 1))
    # the exposure ends with the day turn
    later, _ = next_turn(stayed)
    assert not later.unit("j-1").exposed


def test_no_one_is_exposed_after_a_day_turn(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "6,4")]
    state = engine.new_game(make_scenario(tmp_path, STEPPE, units), 1)
    assert not state.is_night
    state, _ = engine.step(state, Move("j-1", h("1,0")))
    state, events = next_turn(state)
    assert not state.unit("j-1").exposed and not any(isinstance(e, UnitExposed) for e in events)


# ------------------------------------------------------------------ the computer players' guns

GOLDEN = sorted((Path(__file__).resolve().parent / "golden").glob("*-1939-seed1.json")) + sorted(
    (Path(__file__).resolve().parent / "golden").glob("*-1938-seed1.json")
)


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_the_default_players_fire_their_guns_only_at_observed_hexes(path: Path):
    """In each bundled scenario's golden game both sides' guns fire under the spotter rule (the
    heuristic player picks from the legal actions), and every bombardment hits a hex its side
    observed when it fired."""
    game = load_game(path)
    fired = set()
    for before, events in zip(game.states, game.events):
        for event in events:
            if isinstance(event, BombardmentResolved):
                fired.add(before.active_side)
                assert event.target in observed_hexes(before, before.active_side)
    assert fired == set(game.scenario.side_ids)


def test_the_log_tells_disruption_rallying_and_exposure(crossing):
    from nomonhan.ui.describe import Narrator  # the log's words (no window needed)

    narrator = Narrator(crossing, None, frozenset({"s-1"}), frozenset({"s-1"}))
    assert [narrator.line(event("s-1")) for event in (UnitDisrupted, UnitRallied, UnitExposed)] == [
        "Rifle Bn is disrupted by the fire",
        "Rifle Bn rallies (no longer disrupted)",
        "Rifle Bn is caught in the open at dawn",
    ]


def test_the_enemy_learns_of_an_exposure_only_for_units_it_can_see(tmp_path):
    """At dawn j-1 (seen by the Soviet unit two hexes off) and j-2 (far out of its sight) are
    both exposed: the Soviet stream tells only j-1's, the observation shows only j-1 exposed."""
    units = [
        ("j-1", "rifle_bn", "japanese", "2,0"),
        ("j-2", "rifle_bn", "japanese", "0,4"),
        ("s-1", "rifle_bn", "soviet", "4,0"),
    ]
    state = engine.new_game(make_scenario(tmp_path, STEPPE, units, **NIGHT_THEN_DAY), 1)
    state, _ = engine.step(state, Move("j-1", h("2,1")))
    state, _ = engine.step(state, Move("j-2", h("0,3")))
    while not state.unit("j-1").exposed:
        before = state
        state, events = engine.step(state, EndPhase())
    assert state.unit("j-2").exposed
    assert [e for e in engine.events_for("soviet", before, state, events) if isinstance(e, UnitExposed)] == [UnitExposed("j-1")]
    assert [e for e in engine.events_for("japanese", before, state, events) if isinstance(e, UnitExposed)] == [
        UnitExposed("j-1"),
        UnitExposed("j-2"),
    ]
    assert [u.id for u in engine.observe(state, "soviet").enemy_units if u.exposed] == ["j-1"]
