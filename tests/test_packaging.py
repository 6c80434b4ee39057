"""The wheel carries the bundled data, and an installed copy finds it without the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.mark.slow
def test_wheel_carries_the_data_and_works_when_installed(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)])
    (wheel,) = dist.glob("nomonhan-*.whl")

    names = set(zipfile.ZipFile(wheel).namelist())
    assert "nomonhan/scenarios/rules/standard.yaml" in names
    assert "nomonhan/__init__.py" in names and "nomonhan/cli.py" in names
    for scenario in (ROOT / "scenarios").glob("*.yaml"):
        assert f"nomonhan/scenarios/{scenario.name}" in names
    asset_files = [p.relative_to(ROOT).as_posix() for p in (ROOT / "assets").rglob("*") if p.is_file()]
    # An empty folder cannot be carried by a zip, so assets are checked only once there are some.
    for asset in asset_files:
        assert f"nomonhan/{asset}" in names, asset
    if asset_files:
        assert any(name.startswith("nomonhan/assets/") for name in names)
    assert not any(name.startswith(("tests/", "nomonhan/tests/")) for name in names)

    site = tmp_path / "site"
    _run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)])

    probe = (
        "import pathlib, nomonhan, nomonhan.resources as r\n"
        f"site = pathlib.Path(r'{site}').resolve()\n"
        "assert pathlib.Path(nomonhan.__file__).resolve().is_relative_to(site), nomonhan.__file__\n"
        "rules = r.rules_path('standard').resolve()\n"
        "assert rules.is_file() and rules.is_relative_to(site), rules\n"
        "assert r.scenarios_dir().resolve().is_relative_to(site)\n"
        "from nomonhan.scenario.load import load_rules\n"
        "assert load_rules('standard')[1].id == 'standard'\n"
        "print(rules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONPATH"] = str(site)
    # -I would drop PYTHONPATH, so isolate by cwd and env instead: the editable install's path
    # hook still exists in the venv, but PYTHONPATH comes first on sys.path.
    done = _run([sys.executable, "-c", probe], cwd=tmp_path, env=env)
    printed = Path(done.stdout.strip())
    assert printed.is_file()
    assert printed.resolve().is_relative_to(site.resolve())
    assert printed.name == "standard.yaml"
