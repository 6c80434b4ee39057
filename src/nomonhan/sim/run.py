"""Play one game headless, with computer players on both sides, and summarise it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nomonhan import __version__, engine
from nomonhan.ai import DEFAULT_PLAYER, make_player
from nomonhan.ai.base import Player
from nomonhan.hexgrid import format_hex, format_hexside
from nomonhan.replay import Game
from nomonhan.rng import Generator
from nomonhan.rules.supply import supply_stage
from nomonhan.rules.victory import Losses, losses, outcome, victory_points
from nomonhan.rules.victory import gross_losses as all_lost
from nomonhan.scenario.load import Scenario
from nomonhan.state import GameState, UnitStatus


def play(scenario: Scenario, seed: int, players: Mapping[str, Player], scenario_ref: str | None = None, keep_states: bool = True) -> Game:
    """Play to the end; ``keep_states=False`` keeps the record, not every state (see :class:`Game`),
    which is all that ``run``, ``batch``, arena and sweep workers need."""
    game = Game.start(scenario, seed, scenario_ref, keep_states)
    generators = {side: Generator.for_player(seed, side) for side in scenario.side_ids}
    while not game.state.game_over:
        state = game.state
        side = state.acting_side
        action = players[side].choose(engine.observe(state, side), engine.legal_actions(state), generators[side])
        game.play(action)
    return game


def players_for(scenario: Scenario, kinds: Mapping[str, str]) -> dict[str, Player]:
    """Players by kind per side; sides not named get the default player."""
    unknown = set(kinds) - set(scenario.side_ids)
    if unknown:
        raise ValueError(f"unknown side {sorted(unknown)}; sides are {list(scenario.side_ids)}")
    return {side: make_player(kinds.get(side, DEFAULT_PLAYER)) for side in scenario.side_ids}


def per_turn(game: Game) -> list[dict[str, Any]]:
    """At the end of each turn (and of the game): victory points and losses per side (net, and
    gross: everything lost so far, what came back included), the holder of each objective, and
    the units cut off from supply with the stage each is in, so that the story of a game (when a
    crest fell, when a pocket closed) can be read from its results, not only its end."""
    scenario = game.scenario
    names = [o.name for o in scenario.model.objectives]
    sides = scenario.side_ids
    rows = []
    for end in game.turn_ends:
        after = end.state
        rows.append(
            {
                "turn": end.turn,
                "ends": scenario.turn_end(end.turn).isoformat(timespec="minutes"),
                "victory_points": victory_points(after),
                "losses": {side: losses(after, side).__dict__ for side in sides},
                "losses_gross": {side: all_lost(after, side).__dict__ for side in sides},
                "holders": dict(zip(names, after.holders)),
                "cut_off": {side: [u.id for u in after.units_of(side) if u.out_of_supply > 0] for side in sides},
                "supply_stages": {side: _supply_stages(after, side) for side in sides},
            }
        )
    return rows


def _supply_stages(state: GameState, side: str) -> dict[str, str]:
    """Unit id -> the stage of being cut off it is in, for the units of ``side`` in one."""
    stages = {u.id: supply_stage(state, u) for u in state.units_of(side) if u.on_map}
    return {unit_id: stage.name for unit_id, stage in stages.items() if stage is not None}


def end_positions(state: GameState) -> dict[str, Any]:
    """Where every unit stands at the end (None: not on the map) and which bridges stand, so a
    withdrawal over a river can be read from the results."""
    board = state.scenario.board
    return {
        "positions": {u.id: format_hex(u.hex) if u.on_map and u.hex is not None else None for u in state.units},
        "bridges": sorted(format_hexside(side, board.columns, board.rows) for side in state.bridges),
    }


def gross_losses(game: Game) -> dict[str, Losses]:
    """Per side, everything lost in the game, what came back included (:func:`rules.victory.gross_losses`).

    History counts the wounded who returned to the ranks among the losses, so a game is set
    beside history by its gross losses; its net losses (``losses``: what is still missing at the
    end) are what the victory points count.
    """
    return {side: all_lost(game.state, side) for side in game.scenario.side_ids}


def forces(state: GameState) -> dict[str, dict[str, int]]:
    """Per side at the end: units in the order of battle, eliminated, and cut off from supply."""
    report = {}
    for side in state.scenario.side_ids:
        units = [u for u in state.units if u.side == side]
        report[side] = {
            "units": len(units),
            "eliminated": sum(u.status is UnitStatus.ELIMINATED for u in units),
            "cut_off": sum(u.on_map and u.out_of_supply > 0 for u in units),
        }
    return report


def summary(game: Game, players: Mapping[str, str]) -> dict[str, Any]:
    state = game.state
    result = outcome(state)
    scenario = game.scenario
    return {
        "scenario": scenario.id,
        "seed": game.seed,
        "players": dict(players),
        "winner": result.winner if result else None,
        "level": result.level if result else None,
        "reasons": list(result.reasons) if result else [],
        "turns_played": state.turn,
        "final_date": scenario.turn_end(state.turn).isoformat(timespec="minutes"),
        # the end of the last turn played, not its start: a 12-day battle ends on its twelfth day
        "actions": len(game.actions),
        "losses": {side: losses(state, side).__dict__ for side in scenario.side_ids},
        "losses_gross": {side: lost.__dict__ for side, lost in gross_losses(game).items()},
        "history": result.history if result else {},
        "forces": forces(state),
        "victory_points": victory_points(state),
        "per_turn": per_turn(game),
        "end": end_positions(state),
        "digest": state.digest(),
        "version": __version__,
        "scenario_hash": scenario.content_hash,
        "rules_hash": scenario.rules_hash,
    }
