"""``nomonhan render``: a PNG of the map at one moment of a headless game (issue 16)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from nomonhan.cli import app  # noqa: E402
from nomonhan.scenario.load import load_scenario  # noqa: E402
from nomonhan.ui.picture import picture_size  # noqa: E402

CROSSING = Path(__file__).parent / "data" / "crossing.yaml"
runner = CliRunner()


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def pixels(path: Path) -> bytes:
    return pygame.image.tobytes(pygame.image.load(str(path)), "RGB")


def test_render_draws_each_turn_of_a_recorded_game_at_the_maps_size(tmp_path):
    record = tmp_path / "game.json"
    assert invoke("run", CROSSING, "--seed", "7", "--record", record).exit_code == 0
    size = picture_size(load_scenario(CROSSING))
    drawn = {}
    for turn in (1, 3):
        out = tmp_path / f"turn-{turn}.png"
        result = invoke("render", CROSSING, "--record", record, "--turn", turn, "--out", out)
        assert result.exit_code == 0, result.output
        assert f"turn {turn}, full view" in result.output
        assert pygame.image.load(str(out)).get_size() == size
        drawn[turn] = pixels(out)
    assert drawn[1] != drawn[3]


def test_one_sides_view_hides_what_it_cannot_see(tmp_path):
    full, soviet = tmp_path / "full.png", tmp_path / "soviet.png"
    assert invoke("render", CROSSING, "--out", full).exit_code == 0
    assert invoke("render", CROSSING, "--side", "soviet", "--out", soviet).exit_code == 0
    assert pixels(full) != pixels(soviet)


def test_render_refuses_an_unknown_side_or_turn_cleanly(tmp_path):
    result = invoke("render", CROSSING, "--side", "mongol", "--out", tmp_path / "x.png")
    assert result.exit_code == 1 and "--side 'mongol': the sides are" in result.output
    result = invoke("render", CROSSING, "--turn", "3", "--out", tmp_path / "x.png")
    assert result.exit_code == 1 and "--turn needs --record" in result.output
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize(
    "out, message", [("folder", "folder: is a folder"), ("", ".: is a folder"), ("/dev/full", "/dev/full: is a device")]
)
def test_render_refuses_an_out_that_is_no_file_cleanly(tmp_path, monkeypatch, out, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    result = invoke("render", CROSSING, "--out", out)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), repr(result.exception)
    assert f"error: {message}" in result.output


def test_render_writes_png_whatever_the_name_and_makes_missing_folders(tmp_path):
    out = tmp_path / "new" / "picture.txt"
    assert invoke("render", CROSSING, "--out", out).exit_code == 0
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
