"""The computer's turn in the window (ui/computer_turn.py): what a person is told when the
computer's player errs must not show what the fog hides."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path  # noqa: E402

from nomonhan.actions import EndPhase, Move  # noqa: E402
from nomonhan.hexgrid import Hex  # noqa: E402
from nomonhan.scenario.load import load_scenario  # noqa: E402
from nomonhan.ui.computer_turn import ComputerTurn  # noqa: E402
from nomonhan.ui.session import Session, controllers_for  # noqa: E402

CROSSING = Path(__file__).parent / "data" / "crossing.yaml"


def _computer_errs(side: str, capsys) -> tuple[str, str, str]:
    """The computer, to act, sends one of its units far off the map; what the screen says, and stderr."""
    scenario = load_scenario(CROSSING)
    session = Session.new(scenario, 1, controllers_for(scenario, side, "random"))
    acting = session.state.acting_side
    unit = next(u for u in session.state.units if u.side == acting and u.on_map)
    said: list[str] = []
    played = ComputerTurn(session, thinker=None)._play(Move(unit.id, Hex(99, 99)), said.append)  # type: ignore[arg-type]
    assert played.action == EndPhase()
    return said[0], capsys.readouterr().err, unit.id


def test_the_computers_illegal_action_is_not_named_to_the_person_facing_it(capsys) -> None:
    scenario = load_scenario(CROSSING)
    person = scenario.side_ids[1]  # the computer plays the side that acts first
    said, err, unit = _computer_errs(person, capsys)
    assert "illegal action" in said and unit not in said and "99" not in said
    assert unit in err  # the detail is kept for whoever debugs the player


def test_a_watcher_of_two_computers_is_told_the_reason(capsys) -> None:
    said, _err, unit = _computer_errs("watch", capsys)
    assert unit in said
