"""Where the bundled scenarios and assets are, in a source checkout and in an installed wheel.

The wheel carries the top-level ``scenarios/`` and ``assets/`` folders inside the package
(hatchling force-include); a source checkout (editable install) keeps them at the top level.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _data_dir(name: str) -> Path:
    packaged = Path(str(resources.files("nomonhan"))) / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"the bundled {name}/ folder is missing from this installation")


def scenarios_dir() -> Path:
    return _data_dir("scenarios")


def assets_dir() -> Path:
    return _data_dir("assets")


def bundled_scenario_paths() -> list[Path]:
    """Every bundled scenario file, sorted by name."""
    return sorted(scenarios_dir().glob("*.yaml"))


def rules_path(rules_id: str) -> Path:
    return scenarios_dir() / "rules" / f"{rules_id}.yaml"
