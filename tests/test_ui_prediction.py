"""The hover prediction (issue #18 point 1): shown before anything is committed, and every number in
it is the engine's: the attack's rows are ``combat_odds``, the bombardment's rows are what the
engine rolls on each face of the die."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from dataclasses import dataclass, replace  # noqa: E402
from fractions import Fraction  # noqa: E402
from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402
from conftest import make_scenario, seed_for  # noqa: E402

from nomonhan import engine  # noqa: E402
from nomonhan.actions import AirMission, Attack, Declare, Resolve, Support  # noqa: E402
from nomonhan.engine.forecast import CombatForecast  # noqa: E402
from nomonhan.events import BombardmentResolved  # noqa: E402
from nomonhan.hexgrid import parse_hex  # noqa: E402
from nomonhan.rules.combat import CombatResult  # noqa: E402
from nomonhan.state import AirState, Phase  # noqa: E402
from nomonhan.ui.app import App  # noqa: E402
from nomonhan.ui.play_screen import PlayScreen  # noqa: E402
from nomonhan.ui.prediction import chance, per_result_losses, predict  # noqa: E402
from nomonhan.ui.session import Session, controllers_for  # noqa: E402
from nomonhan.ui.start_screen import StartScreen  # noqa: E402

T = parse_hex("3,2")
GUNS = [("g-1", "artillery_bn", "japanese", "1,2"), ("g-2", "artillery_bn", "japanese", "1,2"), ("g-3", "artillery_bn", "japanese", "1,2")]


def _state(tmp_path: Path, units: list, rows: list[str] | None = None, phase: Phase = Phase.COMBAT):
    scenario = make_scenario(tmp_path, rows or ["......."] * 5, units)
    return replace(engine.new_game(scenario, 1), phase=phase)


def test_an_attack_s_prediction_is_the_engine_s_forecast_row_by_row(tmp_path: Path) -> None:
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("j-2", "rifle_bn", "japanese", "2,3"), ("s-1", "rifle_bn", "soviet", "3,2")]
    state = _state(tmp_path, units, [".......", ".......", "...h...", ".......", "......."])
    state, _ = engine.step(state, Declare("j-1", T))
    prediction = predict(state, Declare("j-2", T))  # the declaration as it would stand with j-2
    forecast = engine.combat_odds(state, Attack(("j-1", "j-2"), T))
    assert prediction is not None and prediction.title == "Attack on 3,2 by j-1, j-2"
    assert f"Strength {float(forecast.plan.attack):g} against {float(forecast.plan.defence):g}" in prediction.reasons[0]
    assert forecast.plan.shifts and all(f"{why}: {shift:+d}" in prediction.reasons for why, shift in forecast.plan.shifts)
    assert prediction.reasons[-1] == f"Odds column {forecast.plan.column_label} (shift {forecast.plan.total_shift:+d})"
    assert {(row[0], row[1]) for row in prediction.rows} == {(r.text, chance(p)) for r, p in forecast.outcomes}
    for row in prediction.rows:
        lost = forecast.lost_by(next(r for r, _ in forecast.outcomes if r.text == row[0]))
        for cell, side in ((row[2], lost.attacker), (row[3], lost.defender)):  # steps first, then men and tanks
            assert cell.startswith(f"{side.steps} step{'s' * (side.steps != 1)}")
            assert (f"{side.men} men" in cell) == (side.men > 0) and "killed" not in cell
    assert sum(Fraction(row[1].split()[0]) for row in prediction.rows) == 1
    assert any("Resolve" in note for note in prediction.notes)


def test_the_loss_columns_follow_whatever_per_result_fields_the_forecast_has(tmp_path: Path) -> None:
    """A per-result field the forecast gains shows without a change to the panel: here a count
    of horses per result, beside the steps, men and tanks it gives already."""

    @dataclass(frozen=True)
    class Richer(CombatForecast):
        horses_lost: tuple[tuple[CombatResult, int, int], ...] = ()

    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", "3,2")]
    state = _state(tmp_path, units)
    base = engine.combat_odds(state, Attack(("j-1",), T))
    rich = Richer(**{f: getattr(base, f) for f in base.__dataclass_fields__}, horses_lost=tuple((r, 7, 0) for r, _ in base.outcomes))
    words = per_result_losses(rich)
    for result, _ in base.outcomes:
        lost = base.lost_by(result).attacker
        assert words[result][0].startswith(f"{lost.steps} step") and words[result][0].endswith("7 horses")
        assert ("men" in words[result][0]) == (lost.men > 0)


@pytest.mark.parametrize("code, entrenchment", [(".", 0), (".", 1), ("h", 0), ("v", 1), ("m", 0)])
def test_a_bombardment_s_prediction_is_what_the_engine_rolls_on_each_face(tmp_path: Path, code: str, entrenchment: int) -> None:
    rows = [".......", ".......", "..." + code + "...", ".......", "......."]
    state = _state(tmp_path, [*GUNS, ("s-1", "rifle_bn", "soviet", "3,2")], rows, Phase.BOMBARDMENT)
    state = state.with_unit(replace(state.unit("s-1"), entrenchment=entrenchment))
    state, _ = engine.step(state, Support("g-1", T))
    state, _ = engine.step(state, Support("g-2", T))
    prediction = predict(state, Support("g-3", T))
    assert prediction is not None and prediction.title == "Bombard 3,2 with 3 gun units"
    rolled: dict[tuple[str, int], Fraction] = {}
    ready, _ = engine.step(state, Support("g-3", T))
    for die in range(1, 7):
        _, events = engine.step(replace(ready, rng_state=seed_for(die)), Resolve())
        fired = next(e for e in events if isinstance(e, BombardmentResolved))
        assert fired.die == die
        key = ("no effect" if fired.result == "-" else fired.result, fired.defender_steps_lost)
        rolled[key] = rolled.get(key, Fraction(0)) + Fraction(1, 6)
    assert {(text, chance(p)) for (text, _), p in rolled.items()} == {(row[0], row[1]) for row in prediction.rows}
    for row in prediction.rows:  # the enemy's loss: the steps the engine took, then its men and guns
        lost = next(n for (text, n), _ in rolled.items() if text == row[0])
        assert row[2] == "0 steps" and row[3].startswith(f"{lost} step{'s' * (lost != 1)}")
    forecast = engine.bombardment_odds(state, ("g-1", "g-2", "g-3"), T)
    for result, _ in forecast.outcomes:
        cell = next(row[3] for row in prediction.rows if row[0] == ("no effect" if result.text == "-" else result.text))
        assert (f"{forecast.lost_by(result).defender.men} men" in cell) == (forecast.lost_by(result).defender.men > 0)


def test_an_air_mission_s_prediction_is_the_engine_s_air_forecast(tmp_path: Path) -> None:
    state = _state(tmp_path, [("j-1", "rifle_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", "3,2")], phase=Phase.AIR)
    state = replace(state, air=AirState(superiority=(("soviet", 2), ("japanese", 1)), points_left=3))
    support = predict(state, AirMission("support", T))
    forecast = engine.air_odds(state, AirMission("support", T))
    assert support is not None and support.reasons[0].startswith(f"Support: attacks on 3,2 this turn {forecast.column_shift:+d} column")
    assert support.reasons[1].startswith("Enemy patrols up: 2; your 1 patrol fight them first")
    assert support.rows == (("gets through", chance(1 - forecast.turned_back)), ("turned back", chance(forecast.turned_back)))
    assert 0 < forecast.turned_back < 1
    interdiction = predict(state, AirMission("interdiction", T))
    assert interdiction is not None and "pay 2 more move points" in interdiction.reasons[0]
    patrol = predict(state, AirMission("superiority"))
    odds = engine.air_odds(state, AirMission("superiority"))
    assert patrol is not None and [row[1] for row in patrol.rows] == [chance(p) for _, p in odds.patrols_left]
    assert patrol.rows[0][0] == f"{odds.patrols_left[0][0]} enemy patrols left up"


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> App:
    monkeypatch.setenv("NOMONHAN_HOME", str(tmp_path / "home"))
    application = App((1280, 720))
    yield application
    application.replace_all(StartScreen(application, entries=[]))


def _point(app: App, screen: PlayScreen, hex_) -> None:
    x, y = (round(v) for v in screen.widget.camera.hex_center(hex_))
    app.step_frame([pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), rel=(0, 0), buttons=(0, 0, 0))])


def _click(app: App, screen: PlayScreen, hex_) -> None:
    x, y = (round(v) for v in screen.widget.camera.hex_center(hex_))
    _point(app, screen, hex_)
    app.step_frame(
        [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, y), button=1), pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(x, y), button=1)]
    )


def _selected_at_2_2(app: App, scenario, phase: Phase) -> PlayScreen:
    """The Japanese player's ``phase`` on ``scenario``, the unit at 2,2 selected by a click."""
    app.open_play(Session.new(scenario, 2, controllers_for(scenario, "japanese", "random")))
    screen = app.screens[0]
    assert isinstance(screen, PlayScreen)
    while screen.state.phase is not phase:
        screen.commands.end_phase()
    _click(app, screen, parse_hex("2,2"))
    return screen


def test_the_prediction_is_drawn_on_hover_before_anything_is_committed(app: App, tmp_path: Path) -> None:
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", "3,2")]
    screen = _selected_at_2_2(app, make_scenario(tmp_path, ["...."] * 4, units), Phase.COMBAT)
    before = len(screen.session.game.actions)
    _point(app, screen, T)
    shown = screen.card._cached
    assert shown is not None and len(screen.session.game.actions) == before  # drawn, nothing played
    forecast = engine.combat_odds(screen.state, Attack(("j-1",), T))
    assert {row[0] for row in shown[0].rows} == {r.text for r, _ in forecast.outcomes}
    card = shown[2].get_rect(topleft=(0, 0))
    assert card.width <= screen.widget.viewport.width and card.height <= screen.widget.viewport.height
    _click(app, screen, T)  # the first click declares; nothing is rolled
    assert screen.session.game.actions[-1] == Declare("j-1", T) and screen.state.declaration is not None


def test_an_overrun_is_never_rolled_by_a_single_click(app: App, tmp_path: Path) -> None:
    """An overrun rolls the die at once: a click opens the chooser with its forecast, it does not roll."""
    units = [
        ("j-1", "tank_bn", "japanese", "2,2"),
        ("j-2", "tank_bn", "japanese", "2,2"),
        {"id": "s-1", "type": "rifle_bn", "side": "soviet", "hex": "3,2", "steps": 1},
    ]
    screen = _selected_at_2_2(app, make_scenario(tmp_path, ["......"] * 5, units), Phase.MOVEMENT)
    here = screen.orders().at(screen.selected, T)
    assert len(here) == 1 and isinstance(here[0], Attack) and here[0].overrun
    before = len(screen.session.game.actions)
    _point(app, screen, T)
    assert screen.hover_prediction(T) is not None and screen.hover_prediction(T).title.startswith("Overrun on 3,2")
    _click(app, screen, T)
    assert len(screen.session.game.actions) == before and screen.dialogs.choice is not None


def test_a_halted_unit_is_told_it_may_overrun_only_when_the_engine_offers_one(app: App, tmp_path: Path) -> None:
    units = [
        ("j-1", "tank_bn", "japanese", "2,2"),
        ("j-2", "tank_bn", "japanese", "2,2"),
        ("j-3", "rifle_bn", "japanese", "2,3"),
        {"id": "s-1", "type": "rifle_bn", "side": "soviet", "hex": "3,2", "steps": 1},
    ]
    screen = _selected_at_2_2(app, make_scenario(tmp_path, ["......"] * 5, units), Phase.MOVEMENT)
    state = screen.state
    screen.session.game.states[-1] = replace(state, units=tuple(replace(u, halted=u.side == "japanese") for u in state.units))
    screen.select("j-2")
    assert any(isinstance(a, Attack) and a.overrun for a in screen.orders().at("j-2", T))
    assert "halted by an enemy zone of control (may still overrun)" in screen.panel.unit_box.html_text
    screen.select("j-3")  # a rifle battalion: no overrun ability, so none offered
    assert not any(isinstance(a, Attack) and a.overrun for actions in screen.orders().targets("j-3").values() for a in actions)
    text = screen.panel.unit_box.html_text
    assert "halted by an enemy zone of control" in text and "overrun" not in text


def _card_rows(screen: PlayScreen) -> tuple[tuple[str, ...], ...]:
    """The rows of the card drawn on the last frame (it is drawn from this prediction)."""
    shown = screen.card._cached
    assert shown is not None and shown[2].get_width() > 0
    return shown[0].rows


def test_the_bombardment_card_on_hover_shows_the_engine_s_forecast_before_anything_is_fired(app: App, tmp_path: Path) -> None:
    units = [("j-g", "artillery_bn", "japanese", "2,2"), ("j-1", "rifle_bn", "japanese", "2,3"), ("s-1", "rifle_bn", "soviet", "3,2")]
    screen = _selected_at_2_2(app, make_scenario(tmp_path, ["...."] * 4, units), Phase.BOMBARDMENT)
    assert screen.selected == "j-g"
    before = len(screen.session.game.actions)
    _point(app, screen, T)
    forecast = engine.bombardment_odds(screen.state, ("j-g",), T)
    rows = _card_rows(screen)
    assert len(screen.session.game.actions) == before and screen.state.declaration is None  # drawn, nothing played
    assert {(row[0], row[1]) for row in rows} == {("no effect" if r.text == "-" else r.text, chance(p)) for r, p in forecast.outcomes}
    for result, _ in forecast.outcomes:
        lost = forecast.lost_by(result).defender
        cell = next(row[3] for row in rows if row[0] == ("no effect" if result.text == "-" else result.text))
        assert cell.startswith(f"{lost.steps} step")


def test_the_air_card_on_hover_shows_the_engine_s_chance_of_being_turned_back(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", "3,2")]
    air = [{"side": "japanese", "start": "1939-07-01T00:00:00", "points": 2, "source": "test"}]
    scenario = make_scenario(tmp_path, ["...."] * 4, units, extra={"air": air})
    app.open_play(Session.new(scenario, 2, controllers_for(scenario, "japanese", "random")))
    screen = app.screens[0]
    assert isinstance(screen, PlayScreen) and screen.state.phase is Phase.AIR
    standing = replace(screen.state, air=replace(screen.state.air, superiority=(("soviet", 1),)))
    screen.session.game.states[-1] = standing  # a soviet patrol up (the soviets have no planes in this scenario)
    screen.refresh()
    _point(app, screen, T)
    forecast = engine.air_odds(screen.state, AirMission("support", T))
    assert screen.state.air.superiority_of("soviet") == 1 and forecast.turned_back == Fraction(1, 2)
    assert _card_rows(screen) == (("gets through", chance(1 - forecast.turned_back)), ("turned back", chance(forecast.turned_back)))
    assert screen.card._cached[0].title == "Air support or interdiction over 3,2"  # a click offers both: one card
    assert screen.state.air.points_left == 2  # nothing flown
    [patrol] = [b for b, a in screen.panel.order_buttons.items() if a == AirMission("superiority")]  # a button, no hex to hover
    odds = engine.air_odds(screen.state, AirMission("superiority"))
    _point(app, screen, parse_hex("0,0"))  # off the target: no card of its own
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: patrol.rect.center)  # the pointer rests on the button
    app.step_frame()
    app.step_frame()
    shown = screen.card._cached[0]
    words = " ".join([shown.title, *shown.reasons, *(" ".join(row) for row in shown.rows), *shown.notes])
    assert screen.card.placed_at is not None and all(chance(p) in words for _, p in odds.patrols_left)


def test_the_air_phase_with_no_enemy_in_sight_does_not_ask_for_a_click_on_the_map(app: App, tmp_path: Path) -> None:
    from nomonhan.ui.play_text import NO_AIR_TARGET

    units = [("j-1", "rifle_bn", "japanese", "0,1"), ("s-1", "rifle_bn", "soviet", "29,1")]
    air = [{"side": "japanese", "start": "1939-07-01T00:00:00", "points": 2, "source": "test"}]
    scenario = make_scenario(tmp_path, ["." * 30] * 3, units, extra={"air": air})
    app.open_play(Session.new(scenario, 2, controllers_for(scenario, "japanese", "random")))
    screen = app.screens[0]
    assert isinstance(screen, PlayScreen) and screen.state.phase is Phase.AIR and screen.orders().targets(None) == {}
    assert AirMission("superiority") in screen.orders().untargeted(None)  # the patrol is still to fly
    assert NO_AIR_TARGET in screen.panel.unit_box.html_text and "highlighted" not in screen.panel.unit_box.html_text
    screen.run("next_unit")
    assert screen.message == "No unit to select: give the side's orders (the ringed hexes, the buttons) or end the phase (E)"


def test_the_card_keeps_off_the_selected_unit_where_it_can() -> None:
    from nomonhan.ui.prediction_panel import placed

    area, pointer = pygame.Rect(0, 0, 1000, 700), (400, 300)
    first = placed((300, 200), pointer, area, 20)
    assert first.topleft == (420, 320)  # below right of the pointer, as before
    attacker = pygame.Rect(430, 330, 60, 60)  # the selected unit's counter, below right of its target
    moved = placed((300, 200), pointer, area, 20, attacker)
    assert not moved.colliderect(attacker) and area.contains(moved) and not moved.collidepoint(pointer)
    everywhere = pygame.Rect(0, 0, 1000, 700)  # nowhere clear: the first place that fits
    assert placed((300, 200), pointer, area, 20, everywhere) == first
