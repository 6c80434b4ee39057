"""Regenerate the golden game records in tests/golden/ (review the diff before committing).

    .venv/bin/python tools/regen_golden.py

Each record is one whole game with the default computer players; tests/test_golden.py replays
every record and checks it reaches the same final digest.  A rules or scenario change that
alters games makes those tests fail on purpose: check the new games are right, then run this.
"""

from __future__ import annotations

from pathlib import Path

from nomonhan.resources import bundled_scenario_paths
from nomonhan.scenario.load import load_scenario
from nomonhan.sim.run import play, players_for

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden"
CASES = [("crossing", "tests/data/crossing.yaml", 7)] + [(p.stem, p.stem, 1) for p in bundled_scenario_paths()]


def main() -> None:
    for name, ref, seed in CASES:
        scenario = load_scenario(Path(__file__).resolve().parents[1] / ref if ref.endswith(".yaml") else ref)
        players = players_for(scenario, {})
        game = play(scenario, seed, players, ref if not ref.endswith(".yaml") else str(Path(__file__).resolve().parents[1] / ref))
        path = GOLDEN / f"{name}-seed{seed}.json"
        game.save(path, {side: p.kind for side, p in players.items()})
        print(f"{path}: {len(game.actions)} actions, digest {game.state.digest()[:16]}")


if __name__ == "__main__":
    main()
