"""Game records: save, load and replay; refusal of foreign or damaged records; undo; atomic saves;
digests that do not depend on the interpreter's hash seed; a pinned golden digest."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CROSSING_PATH, TESTS_DIR, make_scenario

from nomonhan import engine
from nomonhan.actions import EndPhase, Move
from nomonhan.ai.random_player import RandomPlayer
from nomonhan.events import MoveInterrupted
from nomonhan.hexgrid import parse_hex
from nomonhan.replay import RECORD_VERSION, Game, HistoryNotKept, RecordError, load_game, read_record
from nomonhan.rng import Generator
from nomonhan.scenario.load import load_scenario
from nomonhan.sim.batch import play_seed
from nomonhan.sim.run import per_turn, play, players_for, summary
from nomonhan.state import Phase
from nomonhan.ui.session import Session, controllers_for

# The digest of crossing, seed 7, random players on both sides (nomonhan.sim.run.play).
# It changes whenever tests/data/crossing.yaml, the rules or the engine's results change; after
# such a change, check the new game is right and pin the value this prints:
#   cd tests && ../.venv/bin/python -c "from test_replay import crossing_seed_7_digest as d; print(d())"
GOLDEN_CROSSING_SEED_7 = "38af810b46f47a9d7798fc2a9721a2c8e8a2c50c5e7091a6f2ccbf142477cb2c"

DIGEST_SCRIPT = """
import sys
from nomonhan.ai.random_player import RandomPlayer
from nomonhan.scenario.load import load_scenario
from nomonhan.sim.run import play
scenario = load_scenario(sys.argv[1])
game = play(scenario, int(sys.argv[2]), {side: RandomPlayer() for side in scenario.side_ids})
print(game.state.digest())
"""


def crossing_seed_7_digest() -> str:
    scenario = load_scenario(CROSSING_PATH)
    return play(scenario, 7, {side: RandomPlayer() for side in scenario.side_ids}).state.digest()


def random_actions(game: Game, count: int, seed: int = 5) -> None:
    """Play ``count`` random legal actions (fewer if the game ends)."""
    chooser = Generator(seed)
    for _ in range(count):
        if game.state.game_over:
            return
        game.play(chooser.choice(engine.legal_actions(game.state)))


@pytest.fixture
def scenario_copy(tmp_path) -> Path:
    """A private copy of crossing.yaml that a test may edit."""
    path = tmp_path / "crossing-copy.yaml"
    shutil.copyfile(CROSSING_PATH, path)
    return path


@pytest.fixture
def saved(tmp_path, crossing) -> tuple[Game, Path]:
    game = Game.start(crossing, 11, str(CROSSING_PATH))
    random_actions(game, 30)
    path = tmp_path / "game.json"
    game.save(path)
    return game, path


def rewrite(path: Path, **changes) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")


# ------------------------------------------------------------------ round trip


def test_save_load_replay_gives_the_same_digest(saved):
    game, path = saved
    loaded = load_game(path)
    assert loaded.state.digest() == game.state.digest()
    assert loaded.actions == game.actions
    assert [s.digest() for s in loaded.states] == [s.digest() for s in game.states]
    assert read_record(path)["digest"] == game.state.digest()


def test_a_whole_game_round_trips(tmp_path, crossing):
    game = play(crossing, 3, {side: RandomPlayer() for side in crossing.side_ids}, str(CROSSING_PATH))
    assert game.state.game_over
    path = tmp_path / "whole.json"
    game.save(path, players={"japanese": "random", "soviet": "random"})
    loaded = load_game(path)
    assert loaded.state.digest() == game.state.digest()
    assert loaded.state.game_over
    assert read_record(path)["players"] == {"japanese": "random", "soviet": "random"}


def test_a_loaded_game_plays_on_like_the_original(saved):
    game, path = saved
    loaded = load_game(path)
    random_actions(game, 10, seed=9)
    random_actions(loaded, 10, seed=9)
    assert loaded.state.digest() == game.state.digest()


# ------------------------------------------------------------------ record-only play (keep_states=False)


@pytest.mark.parametrize("ref", [str(CROSSING_PATH), "lake-khasan-1938"])
def test_a_game_kept_as_its_record_only_reports_what_a_game_kept_whole_does(ref):
    """Headless play keeps the seed, the actions and each turn's end, not every state: the same
    digest, record (checkpoints too), per-turn report and results as the same game kept whole."""
    scenario = load_scenario(ref)
    kinds = {side: "random" for side in scenario.side_ids}
    whole, lean = (play(scenario, 2, players_for(scenario, kinds), ref, keep_states=keep) for keep in (True, False))
    assert lean.state.digest() == whole.state.digest() and lean.actions == whole.actions
    assert lean.record(kinds) == whole.record(kinds)
    assert whole.checkpoints() == [
        [n, before.turn, after.digest()]
        for n, (before, after) in enumerate(zip(whole.states, whole.states[1:]), 1)
        if after.turn != before.turn
    ]
    assert len(per_turn(lean)) == scenario.model.period.last_turn
    assert summary(lean, kinds) == summary(whole, kinds)


def test_a_game_made_from_its_states_finds_its_turn_ends(crossing):
    """A game built from states (as a test or a tool may build one) reports the checkpoints and
    per-turn results of the same game played action by action."""
    played = play(crossing, 5, {side: RandomPlayer() for side in crossing.side_ids}, str(CROSSING_PATH))
    made = Game(crossing, 5, str(CROSSING_PATH), list(played.actions), list(played.states), list(played.events))
    assert made.checkpoints() == played.checkpoints() and per_turn(made) == per_turn(played)
    assert made.turn_ends == played.turn_ends and made.states == played.states


def test_a_batch_game_is_played_as_its_record_only_with_the_same_results():
    whole = play(load_scenario(CROSSING_PATH), 4, {side: RandomPlayer() for side in ("japanese", "soviet")}, keep_states=True)
    kinds = {"japanese": "random", "soviet": "random"}
    assert play_seed(str(CROSSING_PATH), 4, kinds) == summary(whole, kinds)


def test_a_game_kept_as_its_record_only_refuses_its_past_and_its_undo(crossing):
    game = Game.start(crossing, 1, str(CROSSING_PATH), keep_states=False)
    game.play(Move("j-1", parse_hex("1,2")))
    assert not game.can_undo() and game.undo() is False and len(game.actions) == 1
    with pytest.raises(HistoryNotKept):
        game.states  # noqa: B018
    with pytest.raises(HistoryNotKept):
        game.events  # noqa: B018


def test_the_front_end_and_loaded_games_keep_every_state(saved, crossing):
    """Undo, the replay screen and the account read past states: the window's games keep them."""
    session = Session.new(crossing, 1, controllers_for(crossing, "hotseat", "random"))
    session.play(Move("j-1", parse_hex("1,2")))
    assert len(session.game.states) == 2 and len(session.game.events) == 1 and session.can_undo()
    game, path = saved
    assert len(load_game(path).states) == len(game.actions) + 1
    assert load_game(path, keep_states=False).state.digest() == game.state.digest()


# ------------------------------------------------------------------ refused records


def test_a_record_survives_edits_to_its_scenarios_prose_and_is_refused_after_a_change_to_play(tmp_path, scenario_copy):
    scenario = load_scenario(scenario_copy)
    game = Game.start(scenario, 4, str(scenario_copy))
    random_actions(game, 5)
    path = tmp_path / "game.json"
    game.save(path)
    assert load_game(path).state.digest() == game.state.digest()
    text = scenario_copy.read_text(encoding="utf-8")
    mended = text.replace("hex: '1,1', source: test}", "hex: '1,1', source: 'test; mended citation'}", 1)
    mended = mended.replace("title: ", "title: A new title for ", 1) + "# a note added after the game was saved\n"
    assert mended.count("mended citation") == 1 and mended != text
    scenario_copy.write_text(mended, encoding="utf-8")
    assert load_game(path).state.digest() == game.state.digest(), "comments, citations and the title are not played"
    scenario_copy.write_text(text.replace("hex: '1,1', source: test}", "hex: '1,2', source: test}", 1), encoding="utf-8")
    with pytest.raises(RecordError, match="another version of scenario") as caught:
        load_game(path)
    assert scenario.content_hash[:12] in str(caught.value)


def test_a_record_saved_with_a_byte_order_mark_replays(saved):
    """As a scenario with one does: an editor on Windows may add it when the file is touched."""
    game, path = saved
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_game(path).state.digest() == game.state.digest()


def test_a_record_of_another_scenario_is_told_so_not_another_version(saved):
    """``render OTHER --record`` replays the record against the scenario it is given."""
    _game, path = saved
    with pytest.raises(RecordError, match=f"{path}: the record is a game of scenario 'crossing', not 'lake-khasan-1938'$"):
        load_game(path, "lake-khasan-1938")


def test_a_record_survives_edits_to_its_rules_datas_prose_and_is_refused_after_a_change_to_play(tmp_path, scenario_copy):
    """The rules data is shared by every scenario that names it: a comment, a note or a citation
    mended there (the editor's Data window writes it) must not refuse every save of all of them."""
    from nomonhan.resources import rules_path

    rules = tmp_path / "rules" / "standard.yaml"  # found before the bundled file, by its id
    rules.parent.mkdir()
    text = rules_path("standard").read_text(encoding="utf-8")
    rules.write_text(text, encoding="utf-8")
    game = Game.start(load_scenario(scenario_copy), 4, str(scenario_copy))
    random_actions(game, 5)
    path = tmp_path / "game.json"
    game.save(path)
    mended = text.replace("title: Nomonhan standard rules data", "title: The standard rules data\nnotes: mended", 1)
    mended = mended.replace("    source: design\n", "    source: design; a mended citation\n", 1) + "# a comment added later\n"
    rules.write_text(mended, encoding="utf-8")
    assert load_game(path).state.digest() == game.state.digest(), "comments, notes, citations and the title are not played"
    rules.write_text(text.replace("stacking_limit: 6", "stacking_limit: 5", 1), encoding="utf-8")
    with pytest.raises(RecordError, match="under other rules data"):
        load_game(path)


def test_record_with_a_different_scenario_hash_is_refused(saved):
    _game, path = saved
    rewrite(path, scenario_hash="0" * 64)
    with pytest.raises(RecordError, match="another version of scenario"):
        load_game(path)


def test_record_with_a_different_rules_hash_is_refused(saved):
    _game, path = saved
    rewrite(path, rules_hash="f" * 64)
    with pytest.raises(RecordError, match="rules data") as caught:
        load_game(path)
    assert "ffffffffffff" in str(caught.value)


def test_tampered_digest_is_refused(saved):
    game, path = saved
    rewrite(path, digest="0" * 64)
    with pytest.raises(RecordError, match="different state"):
        load_game(path)


def test_a_replay_that_goes_astray_names_the_turn_where_it_left_the_record(saved):
    game, path = saved
    checkpoints = read_record(path)["checkpoints"]
    assert checkpoints and all(game.states[n].digest() == digest for n, _turn, digest in checkpoints)
    number, turn, _digest = checkpoints[0]
    rewrite(path, checkpoints=[[number, turn, "f" * 64], *checkpoints[1:]])
    with pytest.raises(RecordError, match=f"end of turn {turn} \\(after action {number}\\)"):
        load_game(path)


@pytest.mark.parametrize(("version", "last"), [(1, "Nomonhan 0.1.0"), (2, "Nomonhan 0.2.0.dev0")])
def test_an_older_edition_record_names_the_last_version_that_plays_it(saved, version, last):
    _game, path = saved
    rewrite(path, format_version=version)
    with pytest.raises(RecordError, match=f"the last that plays it is {last}"):
        load_game(path)


def test_tampered_action_is_refused(saved, crossing):
    game, path = saved
    actions = read_record(path)["actions"]
    # An action that cannot be played at that point of the game.
    rewrite(path, actions=["move s-1 0,0"] + actions[1:])
    with pytest.raises(RecordError, match="action 1"):
        load_game(path)
    # Text that is no action at all.
    rewrite(path, actions=actions[:2] + ["teleport j-1 5,5"] + actions[3:])
    with pytest.raises(RecordError, match="action 3"):
        load_game(path)
    # A legal action in place of another: the replay runs, but ends elsewhere.
    start = engine.new_game(crossing, 11)
    other = next(a.notation() for a in engine.legal_actions(start) if isinstance(a, Move) and a.notation() != actions[0])
    rewrite(path, actions=[other] + actions[1:])
    with pytest.raises(RecordError):
        load_game(path)
    # Actions dropped from the end.
    rewrite(path, actions=actions[:-1])
    with pytest.raises(RecordError, match="different state"):
        load_game(path)


def test_actions_after_the_end_of_the_game_are_refused(tmp_path, crossing):
    game = play(crossing, 3, {side: RandomPlayer() for side in crossing.side_ids}, str(CROSSING_PATH))
    path = tmp_path / "over.json"
    game.save(path)
    rewrite(path, actions=read_record(path)["actions"] + ["end"])
    with pytest.raises(RecordError, match="cannot be replayed"):
        load_game(path)


BAD_RECORDS = {
    "not json": "this is not JSON {",
    "empty": "",
    "json list": "[1, 2, 3]",
    "json string": '"nomonhan-record"',
    "no format": '{"actions": []}',
    "wrong format": '{"format": "chess-pgn", "format_version": 1}',
    "wrong version": '{"format": "nomonhan-record", "format_version": 99}',
    "deeply nested": '{"format": "nomonhan-record", "junk": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "huge integer": '{"format": "nomonhan-record", "format_version": 3, "seed": 1' + "0" * 5000 + "}",
}


@pytest.mark.parametrize("name", sorted(BAD_RECORDS))
def test_unreadable_record_gives_record_error(tmp_path, name):
    path = tmp_path / "bad.json"
    path.write_text(BAD_RECORDS[name], encoding="utf-8")
    with pytest.raises(RecordError):
        load_game(path)


def test_binary_file_gives_record_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(b"\xff\xfe\x00\x01\x89PNG\r\n")
    with pytest.raises(RecordError):
        load_game(path)


def test_missing_file_and_folder_give_record_error(tmp_path):
    with pytest.raises(RecordError, match="no such file"):
        load_game(tmp_path / "nowhere.json")
    with pytest.raises(RecordError):
        load_game(tmp_path)  # a folder, not a file


@pytest.mark.parametrize(
    "field, value",
    [
        ("scenario", None),
        ("scenario", 5),
        ("scenario_hash", ["x"]),
        ("rules_hash", None),
        ("seed", "7"),
        ("seed", 7.5),
        ("actions", "end"),
        ("actions", None),
        ("digest", 0),
    ],
)
def test_record_fields_of_the_wrong_type_give_record_error(saved, field, value):
    _game, path = saved
    rewrite(path, **{field: value})
    with pytest.raises(RecordError, match=field):
        load_game(path)


def test_non_text_actions_give_record_error(saved):
    _game, path = saved
    rewrite(path, actions=[{"move": "j-1"}])
    with pytest.raises(RecordError, match="action 1"):
        load_game(path)


# ------------------------------------------------------------------ undo


def test_undo_takes_back_a_move(crossing):
    game = Game.start(crossing, 1, str(CROSSING_PATH))
    assert not game.can_undo() and game.undo() is False  # nothing to take back
    before = game.state.digest()
    game.play(Move("j-1", parse_hex("1,2")))
    game.play(Move("j-2", parse_hex("3,5")))
    middle = game.states[-2].digest()
    assert game.can_undo()
    assert game.undo() is True
    assert game.state.digest() == middle
    assert game.actions == [Move("j-1", parse_hex("1,2"))]
    assert game.undo() is True
    assert game.state.digest() == before
    assert game.actions == [] and len(game.states) == 1 and game.events == []
    game.play(Move("j-1", parse_hex("1,0")))  # the game plays on after an undo
    assert game.state.unit("j-1").hex == parse_hex("1,0")


def test_undo_is_refused_after_end_phase(crossing):
    game = Game.start(crossing, 1, str(CROSSING_PATH))
    game.play(Move("j-1", parse_hex("1,2")))
    game.play(EndPhase())
    digest, actions = game.state.digest(), list(game.actions)
    assert not game.can_undo()
    assert game.undo() is False
    assert game.state.digest() == digest and game.actions == actions


def test_undo_is_allowed_after_a_move_that_takes_an_empty_objective_and_refused_after_one_that_learns_a_holder(tmp_path):
    # The Japanese see the empty hill at 1,0; the far hill at 5,0, theirs at the start, lies out
    # of their sight, where the Soviets take it and leave it again.
    objectives = [
        {"name": "Hill", "hex": "1,0", "points": 5},
        {"name": "Far hill", "hex": "5,0", "points": 5, "initial_holder": "japanese"},
    ]
    units = [("j-1", "rifle_bn", "japanese", "0,0"), ("s-1", "rifle_bn", "soviet", "6,0")]
    scenario = make_scenario(tmp_path, ["..........", ".........."], units, objectives=objectives)
    game = Game.start(scenario, 1, str(scenario.document.path))
    game.play(Move("j-1", parse_hex("1,0")))
    assert game.state.holders_known_to("japanese")[0] == "japanese"
    assert game.can_undo(), "taking an empty objective in sight teaches nothing"
    game.undo()

    def to_movement(side: str) -> None:
        game.play(EndPhase())
        while game.state.active_side != side or game.state.phase is not Phase.MOVEMENT:
            game.play(EndPhase())

    to_movement("soviet")
    game.play(Move("s-1", parse_hex("5,0")))
    to_movement("japanese")
    to_movement("soviet")
    game.play(Move("s-1", parse_hex("8,1")))
    to_movement("japanese")
    assert not game.state.is_night and game.state.holders_known_to("japanese")[1] == "japanese"
    game.play(Move("j-1", parse_hex("3,0")))
    assert not engine.visible_enemies(game.state, "japanese")
    assert game.state.holders_known_to("japanese")[1] == "soviet"
    assert not game.can_undo(), "the far hill's holder was learnt"


def test_undo_is_refused_after_a_move_that_revealed_a_hidden_unit(tmp_path):
    # Row 0 is a corridor; the soviet unit at 4,1 (4 hexes away: unseen) controls 3,0.
    scenario = make_scenario(
        tmp_path,
        ["..........", "wwww.wwwww"],
        [("j-tank", "tank_bn", "japanese", "0,0"), ("s-h", "rifle_bn", "soviet", "4,1")],
    )
    game = Game.start(scenario, 1, str(scenario.document.path))
    events = game.play(Move("j-tank", parse_hex("6,0")))
    assert any(isinstance(e, MoveInterrupted) for e in events)
    digest = game.state.digest()
    assert not game.can_undo()
    assert game.undo() is False
    assert game.state.digest() == digest and len(game.actions) == 1


# ------------------------------------------------------------------ atomic saves


def test_failed_save_leaves_the_old_file_untouched(saved, monkeypatch):
    game, path = saved
    original = path.read_bytes()
    random_actions(game, 5, seed=2)

    def broken_replace(src, dst):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="simulated"):
        game.save(path)
    assert path.read_bytes() == original
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file left
    monkeypatch.undo()
    game.save(path)
    assert load_game(path).state.digest() == game.state.digest()


def test_failed_first_save_leaves_no_file(tmp_path, crossing, monkeypatch):
    game = Game.start(crossing, 1, str(CROSSING_PATH))
    folder = tmp_path / "saves"

    def broken_replace(src, dst):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        game.save(folder / "game.json")
    assert list(folder.iterdir()) == []


def test_save_overwrites_with_a_complete_record(saved):
    game, path = saved
    random_actions(game, 3, seed=8)
    game.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["digest"] == game.state.digest()
    assert len(data["actions"]) == len(game.actions)


# ------------------------------------------------------------------ digests


def test_digest_does_not_depend_on_the_hash_seed(crossing):
    in_process = play(crossing, 7, {side: RandomPlayer() for side in crossing.side_ids}).state.digest()
    digests = []
    for hash_seed in ("0", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        result = subprocess.run(
            [sys.executable, "-c", DIGEST_SCRIPT, str(CROSSING_PATH), "7"],
            capture_output=True,
            text=True,
            env=env,
            cwd=TESTS_DIR.parent,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        digests.append(result.stdout.strip())
    assert digests[0] == digests[1] == in_process


def test_golden_digest_crossing_seed_7():
    assert crossing_seed_7_digest() == GOLDEN_CROSSING_SEED_7


def test_atomic_saves_keep_permissions(tmp_path):
    from nomonhan.fileio import write_atomic

    old_umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.json"
        write_atomic(fresh, "{}")
        assert fresh.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
        kept = tmp_path / "kept.json"
        kept.write_text("{}")
        kept.chmod(0o640)
        write_atomic(kept, "[]")
        assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_text() == "[]"
    finally:
        os.umask(old_umask)


@pytest.mark.parametrize("offset, said", [(-RECORD_VERSION, "earlier edition"), (-1, "earlier edition"), (1, "newer Nomonhan")])
def test_a_save_of_another_format_names_the_version_that_made_it(saved, offset, said):
    _game, path = saved
    version = RECORD_VERSION + offset
    rewrite(path, format_version=version, nomonhan_version="0.1.0")
    with pytest.raises(RecordError, match=f"made by Nomonhan 0.1.0, record format version {version}, comes from an? {said}"):
        load_game(path)


def test_a_save_under_other_rules_data_names_the_version_that_made_it(saved):
    _game, path = saved
    rewrite(path, rules_hash="f" * 64, nomonhan_version="0.1.0")
    with pytest.raises(RecordError, match="made by Nomonhan 0.1.0 under other rules data"):
        load_game(path)


def test_a_new_game_empties_an_overgrown_search_memo_and_plays_the_same_game(monkeypatch):
    """The board's search memo is pure: a game played after it is emptied is the same game.
    A new game empties it once it holds more than the limit (it used to grow without end in a
    batch worker, 7 MB a Khalkhin Gol game), and keeps it below."""
    from nomonhan.resources import scenarios_dir
    from nomonhan.scenario import board as board_module
    from nomonhan.scenario.load import load_scenario
    from nomonhan.sim.run import play, players_for

    scenario = load_scenario(scenarios_dir() / "lake-khasan-1938.yaml")
    players = {side: "random" for side in scenario.side_ids}
    first = play(scenario, 3, players_for(scenario, players)).state.digest()
    scenario.board.search_cache.clear()
    assert play(scenario, 3, players_for(scenario, players)).state.digest() == first
    monkeypatch.setattr(board_module, "SEARCH_CACHE_LIMIT", 5)
    cache = scenario.board.search_cache
    cache.clear()
    cache.update({("junk", n): n for n in range(5)})
    engine.new_game(scenario, 1)
    assert ("junk", 0) in cache  # at the limit: kept
    cache[("junk", 5)] = 5
    engine.new_game(scenario, 1)
    assert not any(isinstance(key, tuple) and key[0] == "junk" for key in cache)
