"""Shrink batch results for docs/calibration/: keep the summary and, per game, what the document cites.

Run after the calibration batches (see docs/calibration.md):
    .venv/bin/python tools/trim_calibration.py docs/calibration/*.json

A full batch result keeps each game's per-turn history (about 2.5 MB for 200 games); the
document needs only each game's seed, winner, level, digest, losses, victory points and forces
at the end.  The digests still let anyone check a game by rerunning its seed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from nomonhan.fileio import write_atomic

KEPT = ("seed", "winner", "level", "digest", "losses", "losses_gross", "victory_points", "forces")


def trim(path: Path) -> None:
    result = json.loads(path.read_text(encoding="utf-8"))
    result["games"] = [{key: game[key] for key in KEPT} for game in result["games"]]
    write_atomic(path, json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        trim(Path(name))
