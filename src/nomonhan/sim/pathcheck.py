"""Play a game through the fast and the reference path side by side, requiring them equal.

The proof behind :mod:`nomonhan.corepath`: at every decision both paths must list the same
legal actions and show the acting side the same observation, and after every action both steps must
give the same events and equal states (every field the digest holds; the digests themselves
are compared at the end, as hashing every state would cost more than the games).  Random players on both sides
(the same generators, so the two games stay one game) reach the odd corners of the rules.
"""

from __future__ import annotations

from nomonhan import engine
from nomonhan.corepath import reference_path
from nomonhan.rng import Generator
from nomonhan.scenario.load import Scenario


class PathsDiverged(AssertionError):
    """The fast path and the reference path disagreed; the message says where."""


def compare_paths(scenario: Scenario, seed: int) -> int:
    """Play the random-vs-random game of ``seed`` on both paths; return the decisions compared.

    Raises :class:`PathsDiverged` at the first difference, naming the decision and what differed.
    """
    generators = {side: Generator.for_player(seed, side) for side in scenario.side_ids}
    with reference_path():
        reference = engine.new_game(scenario, seed)
    fast = engine.new_game(scenario, seed)
    decisions = 0
    while True:
        where = f"{scenario.id}, seed {seed}, decision {decisions}"
        _same(where, "state", reference, fast)
        if fast.game_over:
            _same(where, "final digest", reference.digest(), fast.digest())
            return decisions
        side = fast.acting_side
        with reference_path():
            expected_actions = engine.legal_actions(reference)
            expected_view = engine.observe(reference, side)
        actions = engine.legal_actions(fast)
        _same(where, "legal actions", expected_actions, actions)
        _same(where, f"{side}'s observation", expected_view, engine.observe(fast, side))
        action = generators[side].choice(actions)
        with reference_path():
            reference, expected_events = engine.step(reference, action)
        fast, events = engine.step(fast, action)
        _same(where, f"events of {action!r}", expected_events, events)
        decisions += 1


def _same(where: str, what: str, expected: object, found: object) -> None:
    if expected != found:
        raise PathsDiverged(
            f"{where}: the fast path's {what} differs from the reference path's:\n  reference: {expected!r}\n  fast:      {found!r}"
        )
