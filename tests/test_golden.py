"""Golden games: whole recorded games that must replay to the same final state.

Each file in tests/golden/ is a game record (scenario hash, rules hash, seed, actions, digest)
played by the default computer players.  A change to the rules, the scenarios or the players
that alters games fails here on purpose; check the new games, then regenerate them with
``.venv/bin/python tools/regen_golden.py`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nomonhan.replay import RecordError, load_game, read_record

GOLDEN = sorted((Path(__file__).resolve().parent / "golden").glob("*.json"))


def test_there_is_a_golden_game_for_every_bundled_scenario() -> None:
    from nomonhan.resources import bundled_scenario_paths

    recorded = {read_record(path)["scenario_id"] for path in GOLDEN}
    assert {p.stem for p in bundled_scenario_paths()} <= recorded


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_golden_game_replays_to_its_digest(path: Path) -> None:
    try:
        game = load_game(path)
    except RecordError as exc:
        pytest.fail(f"{exc}\nIf the change was intended, regenerate with: .venv/bin/python tools/regen_golden.py")
    record = read_record(path)
    assert game.state.game_over
    assert [a.notation() for a in game.actions] == record["actions"]
    assert game.state.digest() == record["digest"]
