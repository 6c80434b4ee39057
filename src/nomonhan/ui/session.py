"""A game being played in the window: the record, who plays each side, and the autosave.

No pygame here: this is the front end's model, testable headless.  Every change goes through
:meth:`nomonhan.replay.Game.play` / :meth:`~nomonhan.replay.Game.undo`.  Computer players get
the same per-side generators as headless runs (:meth:`nomonhan.rng.Generator.for_player`), and only
their side's observation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nomonhan import engine
from nomonhan.actions import Action, EndPhase
from nomonhan.ai import DEFAULT_PLAYER, PLAYERS, make_player
from nomonhan.events import Event, GameEnded, TurnStarted
from nomonhan.replay import Game, RecordError, load_game, read_record
from nomonhan.rng import Generator
from nomonhan.scenario.load import Scenario
from nomonhan.state import GameState, Phase
from nomonhan.ui import userdata

HUMAN = "human"
HOTSEAT = "hotseat"
WATCH = "watch"


def controllers_for(scenario: Scenario, side: str, opponent: str) -> dict[str, str]:
    """Side -> ``human`` or a computer player kind, from the start screen's choices.

    ``side`` is a side id (play it against ``opponent``), ``hotseat`` (two people) or ``watch``
    (the computer plays both sides).
    """
    sides = scenario.side_ids
    if side == HOTSEAT:
        return {s: HUMAN for s in sides}
    if side == WATCH:
        return {s: opponent for s in sides}
    if side not in sides:
        raise ValueError(f"unknown side {side!r}; choose one of {', '.join(sides)}, {HOTSEAT} or {WATCH}")
    return {s: HUMAN if s == side else opponent for s in sides}


def people_in(path: str | Path) -> list[str]:
    """The sides a saved game's record names as played by a person (none for a record of
    computer players, or one that names no players)."""
    recorded = read_record(path).get("players") or {}
    return [side for side, kind in recorded.items() if kind == HUMAN] if isinstance(recorded, dict) else []


def open_viewpoints(path: str | Path, game: Game) -> list[str | None]:
    """The views a record may be watched from: every side's and the full view (``None``), unless
    the game is not over and people played it, when only the sides they played.  A saved game
    against the computer is not a way to see the enemy the player cannot see; a hot-seat game
    not over cannot be watched at all (either player could watch the other's side: it is
    continued with ``--load``, each side seeing its own at its turn)."""
    people = people_in(path)
    if people and not game.state.game_over:
        if set(people) >= set(game.scenario.side_ids):
            raise RecordError(
                f"{path}: a hot-seat game not over cannot be watched (either player would see the other's side); continue it with --load"
            )
        return [side for side in game.scenario.side_ids if side in people]
    return [None, *game.scenario.side_ids]


@dataclass(frozen=True)
class Played:
    """One action and what it did: the front end logs, animates and checks fog from this."""

    before: GameState
    action: Action
    events: list[Event]
    after: GameState


class Session:
    def __init__(self, game: Game, controllers: dict[str, str]) -> None:
        self.game = game
        self.controllers = dict(controllers)
        self.players = {side: make_player(kind) for side, kind in controllers.items() if kind != HUMAN}
        self.generators = {side: Generator.for_player(game.seed, side) for side in game.scenario.side_ids}
        self.autosave_error = ""
        """Why the last autosave failed, until the screen has told the player."""

    @classmethod
    def new(cls, scenario: Scenario, seed: int, controllers: dict[str, str], scenario_ref: str | None = None) -> Session:
        return cls(Game.start(scenario, seed, scenario_ref), controllers)

    @classmethod
    def load(cls, path: str | Path, side: str | None = None, opponent: str = DEFAULT_PLAYER) -> Session:
        """Continue a saved game: ``side`` as in :func:`controllers_for`, else as the record says."""
        game = load_game(path)
        if side is not None:
            controllers = controllers_for(game.scenario, side, opponent)
            people = people_in(path)
            seen_by = [s for s, kind in controllers.items() if kind == HUMAN] or [*game.scenario.side_ids]  # watching sees all
            if people and not game.state.game_over and not set(seen_by) <= set(people):
                raise RecordError(
                    f"{path}: this game is not over and was played by a person as {', '.join(people)}; "
                    f"continue it as {' or '.join(people)}, or watch it once it is over"
                )
            return cls(game, controllers)
        recorded = read_record(path).get("players") or {}
        if not isinstance(recorded, dict) or not all(isinstance(kind, str) for kind in recorded.values()):
            raise RecordError(f'{path}: field \'players\' must map each side to a player kind, such as {{"soviet": "human"}}')
        known = {HUMAN, *PLAYERS}
        return cls(game, {s: recorded[s] if recorded.get(s) in known else HUMAN for s in game.scenario.side_ids})

    # ---- who is who
    @property
    def state(self) -> GameState:
        return self.game.state

    @property
    def human_sides(self) -> list[str]:
        return [side for side in self.game.scenario.side_ids if self.controllers[side] == HUMAN]

    @property
    def hotseat(self) -> bool:
        return len(self.human_sides) > 1

    @property
    def viewer(self) -> str | None:
        """Whose eyes the map shows: the human who must act, else the one human, else everyone's."""
        humans = self.human_sides
        if self.state.acting_side in humans:
            return self.state.acting_side
        return humans[0] if humans else None

    def human_to_move(self) -> bool:
        return not self.state.game_over and self.state.acting_side in self.human_sides

    def idle_bombardment(self) -> bool:
        """Whether the person to move is in a bombardment phase with no gun able to fire: the
        engine holds that phase for every side with guns, so that the enemy cannot tell from its
        skipping that an unseen gun has a target; the window ends it for the player, who has no
        choice to make there."""
        state = self.state
        return (
            self.human_to_move()
            and state.phase is Phase.BOMBARDMENT
            and state.pending is None
            and list(engine.legal_actions(state)) == [EndPhase()]
        )

    def computer_to_move(self) -> bool:
        """Whether a computer must act now (a pending retreat may be owed by the side not on turn)."""
        return not self.state.game_over and self.state.acting_side in self.players

    # ---- changes
    def play(self, action: Action) -> Played:
        before = self.state
        events = self.game.play(action)
        played = Played(before, action, events, self.state)
        if any(isinstance(e, (TurnStarted, GameEnded)) for e in events):
            self.autosave()
        return played

    def can_undo(self) -> bool:
        return self.human_to_move() and self.game.can_undo()

    def undo(self) -> bool:
        return self.can_undo() and self.game.undo()

    # ---- files
    def save(self, path: str | Path) -> Path:
        self.game.save(path, self.controllers)
        return Path(path)

    def autosave(self) -> Path | None:
        """Save to the autosave file; a failure (full disk, read-only file) must not end the
        game, so it is kept in :attr:`autosave_error` for the screen to tell, and None returned."""
        try:
            return self.save(userdata.autosave_path())
        except OSError as exc:
            self.autosave_error = userdata.save_failed(exc)
            return None
