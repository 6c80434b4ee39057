"""An order's tooltip shows the engine's exact forecast: every result and its chance."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from dataclasses import replace  # noqa: E402
from fractions import Fraction  # noqa: E402

from conftest import make_scenario  # noqa: E402

from nomonhan import engine  # noqa: E402
from nomonhan.actions import Attack, Declare, Move, Resolve  # noqa: E402
from nomonhan.hexgrid import parse_hex  # noqa: E402
from nomonhan.state import Phase  # noqa: E402
from nomonhan.ui import describe  # noqa: E402
from nomonhan.ui.prediction import chance, predict  # noqa: E402


def test_attack_details_list_every_result_with_its_exact_chance(tmp_path):
    scenario = make_scenario(
        tmp_path, ["....", "....", "...."], [("j-1", "rifle_bn", "japanese", "1,1"), ("s-1", "rifle_bn", "soviet", "2,1")]
    )
    state = replace(engine.new_game(scenario, 1), phase=Phase.COMBAT)
    declare = next(a for a in engine.legal_actions(state) if isinstance(a, Declare))
    shown = predict(state, declare)  # shown before the attack is declared
    forecast = engine.combat_odds(state, Attack((declare.unit,), declare.target))
    assert shown is not None and shown.reasons[-1].startswith(f"Odds column {forecast.plan.column_label}")
    assert sum((p for _, p in forecast.outcomes), Fraction(0)) == 1
    assert {row[:2] for row in shown.rows} == {(result.text, chance(p)) for result, p in forecast.outcomes}
    assert predict(state, Move("j-1", parse_hex("0,0"))) is None
    declared, _ = engine.step(state, declare)  # and again on the button that commits it, which says it rolls
    again = predict(declared, Resolve())
    assert again is not None and (again.reasons, again.rows) == (shown.reasons, shown.rows) and "Resolve" in again.notes[-1]
    assert describe.action_label(declared, Resolve()) == f"Resolve: attack on 2,1 at {forecast.plan.column_label}"
