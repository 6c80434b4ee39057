"""Where the front end keeps a player's files: autosave, saved games, their own scenarios.

``NOMONHAN_HOME`` overrides the folder (tests point it at a temporary directory); otherwise it
follows the XDG convention, ``~/.local/share/nomonhan``.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path


def home() -> Path:
    override = os.environ.get("NOMONHAN_HOME")
    if override:
        return Path(override)
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "nomonhan"


def save_failed(exc: OSError) -> str:
    """Why a save into the player's folder failed, naming the setting that chose the folder when
    one did: a player who set ``NOMONHAN_HOME`` (or ``XDG_DATA_HOME``) long ago and forgot it
    would otherwise see only a path they do not recognise."""
    for setting in ("NOMONHAN_HOME", "XDG_DATA_HOME"):
        if os.environ.get(setting):
            return f"{exc} (the folder {home()} is chosen by the setting {setting})"
    return str(exc)


def autosave_path() -> Path:
    return home() / "autosave.json"


def saves_dir() -> Path:
    return home() / "saves"


def quicksave_path(scenario_id: str) -> Path:
    return saves_dir() / f"{scenario_id}.json"


def record_path(scenario_id: str, moment: datetime) -> Path:
    """A fresh file name for a finished game's record."""
    return saves_dir() / f"{scenario_id}-{moment.strftime('%Y%m%d-%H%M%S')}.json"


def user_scenarios() -> list[Path]:
    """Scenario files the player keeps in ``<home>/scenarios`` (their own or downloaded ones)."""
    folder = home() / "scenarios"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []
