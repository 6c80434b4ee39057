"""The after-action report of one game: its record turned into a document to read and share.

``nomonhan report RECORD`` writes it as Markdown: the result beside history, who held each
objective and when it changed hands, the losses net and gross beside the historical figures,
the battle day by day (victory-point margin, losses so far, units cut off), the fights that
cost the most, and the reinforcements' arrivals; ``--plot`` draws the margin and the losses by
date.  Everything is read from the replayed record, so the same record gives the same bytes:
nothing here depends on the clock, the file's name or the machine.

Events are dated by the start of the turn they happened in (the record knows the turn, not the
hour within it); states by the end of the turn they were measured at, as ``per_turn`` dates
them.  People read names and dates first: units, places and objectives by their names, sides by
their short names, turn numbers in brackets after the date.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from nomonhan.events import BombardmentResolved, CombatResolved, ReinforcementArrived
from nomonhan.fileio import write_atomic
from nomonhan.hexgrid import Hex, format_hex
from nomonhan.replay import Game
from nomonhan.rules.victory import Losses, historical_losses, losses, outcome, victory_points
from nomonhan.rules.victory import gross_losses as all_lost
from nomonhan.scenario.load import Scenario
from nomonhan.sim.run import per_turn

KEY_FIGHTS = 5
"""Fights listed: the few that decided most, not a second log."""
MOST_NAMES = 3
"""Units named in one fight before the rest are counted ("and 4 more"): a cell, not a paragraph."""
LOSS_ROWS = ("men", "killed", "wounded", "missing", "tanks", "armoured_cars", "guns", "steps")
NEAR = 2
"""Hexes from a named place within which a fight is said to be near it."""
MAX_PLAYER_CHARS = 40
"""A player's kind as the record names it, cut short: the record is a file anyone may edit."""


@dataclass(frozen=True)
class HandsChanged:
    """An objective taken: in which turn, by whom (None: it stands empty of any holder)."""

    objective: str
    turn: int
    holder: str | None


@dataclass(frozen=True)
class Fight:
    """A combat or bombardment and what it cost: the steps, men and tanks each side lost as it
    was resolved (the action's losses, so a defender destroyed for want of a retreat counts)."""

    turn: int
    side: str
    """The side that attacked or fired."""
    event: CombatResolved | BombardmentResolved
    defenders: tuple[str, ...]
    lost: dict[str, Losses]

    @property
    def steps(self) -> int:
        return sum(lost.steps for lost in self.lost.values())

    @property
    def men(self) -> int:
        return sum(lost.men for lost in self.lost.values())


@dataclass(frozen=True)
class Arrival:
    turn: int
    unit: str


def changes_of_hands(game: Game) -> list[HandsChanged]:
    """Every change of an objective's holder, in the order played.

    Here and below, what an action did is dated by the turn the game is in after it: the action
    that ends a turn also starts the next (reinforcements arrive then), and its events belong there.
    """
    names = [objective.name for objective in game.scenario.objectives]
    return [
        HandsChanged(name, after.turn, new)
        for before, after in zip(game.states, game.states[1:])
        for name, old, new in zip(names, before.holders, after.holders)
        if old != new
    ]


def fights(game: Game) -> list[Fight]:
    """Every combat and bombardment, in the order played (one an action: each is resolved alone)."""
    found = []
    for before, after, events in zip(game.states, game.states[1:], game.events):
        for event in events:
            if isinstance(event, (CombatResolved, BombardmentResolved)):
                side = before.active_side
                defenders = tuple(u.id for u in before.units if u.on_map and u.hex == event.target and u.side != side)
                lost = {s: all_lost(after, s) - all_lost(before, s) for s in game.scenario.side_ids}
                found.append(Fight(after.turn, side, event, defenders, lost))
    return found


def key_fights(game: Game, count: int = KEY_FIGHTS) -> list[Fight]:
    """The ``count`` fights that cost the most steps (then men), the costliest first; of equal
    cost, the earlier first."""
    played = fights(game)
    order = sorted(range(len(played)), key=lambda n: (-played[n].steps, -played[n].men, n))
    return [played[n] for n in order[:count] if played[n].steps]


def arrivals(game: Game) -> list[Arrival]:
    """Reinforcements that came onto the map, in the order they came."""
    return [
        Arrival(after.turn, event.unit)
        for after, events in zip(game.states[1:], game.events)
        for event in events
        if isinstance(event, ReinforcementArrived)
    ]


def recorded_players(record: Mapping[str, Any], scenario: Scenario) -> dict[str, str]:
    """The players the record names, by side: only a side's text (a record made by hand may
    name none, or put anything there), cut short."""
    players = record.get("players")
    if not isinstance(players, dict):
        return {}
    return {side: players[side][:MAX_PLAYER_CHARS] for side in scenario.side_ids if isinstance(players.get(side), str)}


# ---------------------------------------------------------------- the report


def report(game: Game, players: Mapping[str, str] | None = None, picture: str | None = None) -> str:
    """The report as Markdown; ``picture``: where the report finds the plot of the margin and the
    losses (:func:`plot_link`), to show it below the day-by-day table."""
    scenario = game.scenario
    rows = per_turn(game)
    sections = [
        _heading(game, players or {}),
        _objectives(game),
        _losses(game),
        _by_day(scenario, rows, picture),
        _fights(game),
        _arrivals(game),
    ]
    return "\n".join(section for section in sections if section)


def _heading(game: Game, players: Mapping[str, str]) -> str:
    scenario, state = game.scenario, game.state
    begun, turns = _date(scenario.turn_start(1), year=True), scenario.period.last_turn
    if state.game_over:
        played = f"Played {begun} - {_date(scenario.turn_end(state.turn), year=True)} (turns 1-{state.turn} of {turns})"
    else:
        played = f"Played from {begun}, saved in turn {state.turn} of {turns} ({_date(scenario.turn_start(state.turn), year=True)})"
    lines = [
        f"# After-action report: {_text(scenario.model.title)}",
        "",
        f"{played}, seed {game.seed}; {len(game.actions)} actions, final digest {state.digest()[:12]}.",
        "",
    ]
    names = {side.id: side.name for side in scenario.sides}
    for side in scenario.side_ids:
        player = f", played by {_text(players[side])}" if side in players else ""
        lines.append(f"- **{_side(side)}**: {_text(names[side])}{player}")
    lines += ["", _result(game)]
    historical = scenario.model.historical
    if historical is not None:
        lines.append(f"History: {_verdict(historical.winner, historical.level)}.")
    return "\n".join(lines) + "\n"


def _result(game: Game) -> str:
    """The winner and level, the victory points (the leader's first) and the margin beside the
    thresholds that make a win, so a reader sees how near the other result it was."""
    scenario, state = game.scenario, game.state
    points = victory_points(state)
    ranked = sorted(scenario.side_ids, key=lambda side: -points[side])
    score = f"victory points {', '.join(f'{_side(side)} {points[side]}' for side in ranked)}"
    result = outcome(state)
    if result is None:
        return f"**The game is not over**: {score}."
    levels = scenario.victory
    margin = points[ranked[0]] - points[ranked[1]]
    how = " by sudden death" if state.winner is not None else ""
    return (
        f"**Result: {_verdict(result.winner, result.level)}{how}**; {score}, a margin of {margin} "
        f"(a win is marginal from {levels.marginal}, decisive from {levels.decisive})."
    )


def _verdict(winner: str, level: str | None) -> str:
    """``a marginal Soviet victory``, ``a Soviet victory`` (no level given) or ``a draw``."""
    if winner == "draw" or level == "draw":
        return "a draw"
    return f"a {level + ' ' if level else ''}{_side(winner)} victory"


def _objectives(game: Game) -> str:
    scenario = game.scenario
    if not scenario.objectives:
        return ""
    historical = scenario.historical.held_objectives if scenario.historical else {}
    changes = changes_of_hands(game)
    lines = ["## Who held what", "", "A change is dated by the start of the turn it came in.", ""]
    for objective, first, last in zip(scenario.objectives, game.states[0].holders, game.state.holders):
        worth = f"{objective.points} VP" + (f", {objective.points_per_turn} a turn held" if objective.points_per_turn else "")
        story = [f"{_holder(first)} at the start"]
        story += [
            f"{_holder(change.holder)} from {_date(scenario.turn_start(change.turn))} (turn {change.turn})"
            for change in changes
            if change.objective == objective.name
        ]
        end = f"{_holder(last)} at the end"
        if objective.name in historical:
            then = historical[objective.name]
            end += ", as in history" if then == last else f"; in history {_holder(then)}"
        lines.append(f"- **{_text(objective.name)}** ({worth}): {'; '.join(story)}. {end}.")
    return "\n".join(lines) + "\n"


def _losses(game: Game) -> str:
    """Net and gross losses per side at the end (or when the game was saved) beside history;
    armoured cars only where a side lost some or history counts them."""
    scenario, state = game.scenario, game.state
    sides = scenario.side_ids
    net = {side: losses(state, side) for side in sides}
    gross = {side: all_lost(state, side) for side in sides}
    history = historical_losses(scenario)
    kinds = [
        kind for kind in LOSS_ROWS if kind != "armoured_cars" or any(gross[s].armoured_cars or kind in history.get(s, {}) for s in sides)
    ]
    header = ["lost"]
    for side in sides:
        header += [f"{_side(side)} net", "gross", "history"] if side in history else [f"{_side(side)} net", "gross"]
    rows = []
    for kind in kinds:
        row = [kind.replace("_", " ")]
        for side in sides:
            row += [_number(getattr(net[side], kind)), _number(getattr(gross[side], kind))]
            if side in history:
                row.append(_span(history[side][kind]) if kind in history[side] else "")
        rows.append(row)
    notes = [
        "Net: still lost at the end (the victory points count these); gross: everything lost, "
        "the wounded who returned and the tanks recovered included, as history counts."
    ]
    scopes = {side: history[side]["scope"] for side in sides if side in history}
    if len(set(scopes.values())) == 1 and len(scopes) == len(sides):
        notes.append(f"Historical figures: {_text(next(iter(scopes.values())))}.")
    else:
        notes += [f"{_side(side)} historical figures: {_text(scope)}." for side, scope in scopes.items()]
    return "\n".join(["## Losses", "", _table(header, rows), "", " ".join(notes)]) + "\n"


def _by_day(scenario: Scenario, rows: Sequence[Mapping[str, Any]], picture: str | None) -> str:
    """The battle at the last turn end of each day: the margin, gross losses so far, cut off."""
    if not rows:
        return ""
    first, second = scenario.side_ids
    header = ["turn ends", "VP margin"]
    for side in (first, second):
        header += [f"{_side(side)} men", "tanks"]
    header.append(f"cut off ({_side(first)}, {_side(second)})")
    table = []
    for row in _last_of_each_day(rows):
        points = row["victory_points"]
        line = [
            f"{_date(datetime.fromisoformat(row['ends']))} (turn {row['turn']})",
            _margin(points[first] - points[second], first, second),
        ]
        for side in (first, second):
            line += [_number(row["losses_gross"][side]["men"]), _number(row["losses_gross"][side]["tanks"])]
        line.append(", ".join(str(len(row["cut_off"][side])) for side in (first, second)))
        table.append(line)
    lines = ["## Day by day", "", "Each day's last turn end; men and tanks lost so far (gross).", "", _table(header, table)]
    lines += _cut_off_at_last(scenario, rows[-1])
    if picture is not None:
        lines += ["", f"![The victory-point margin and the losses by date]({picture})"]
    return "\n".join(lines) + "\n"


def _last_of_each_day(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Of the turn ends on each date, the last (a night turn that ends at dawn counts on its morning)."""
    days: dict[str, Mapping[str, Any]] = {}
    for row in rows:
        days[row["ends"][:10]] = row
    return list(days.values())


def _cut_off_at_last(scenario: Scenario, last: Mapping[str, Any]) -> list[str]:
    """The units cut off from supply at the last turn end, by name, grouped by side and the
    stage of being cut off they are in (``cut off``: none yet)."""
    groups: dict[str, list[str]] = {}
    for side in scenario.side_ids:
        stages = last["supply_stages"][side]
        for unit in last["cut_off"][side]:
            groups.setdefault(f"{_side(side)} ({stages.get(unit, 'cut off')})", []).append(f"*{_unit(scenario, unit)}*")
    if not groups:
        return []
    named = "; ".join(f"{group}: {', '.join(units)}" for group, units in groups.items())
    return ["", f"Cut off from supply on {_date(datetime.fromisoformat(last['ends']))}: {named}."]


def _fights(game: Game) -> str:
    chosen = key_fights(game)
    if not chosen:
        return ""
    scenario = game.scenario
    lines = ["## Key fights", "", "The fights that cost the most steps, both sides together, the costliest first.", ""]
    for fight in chosen:
        event = fight.event
        target = _units(scenario, fight.defenders) or "an empty hex"
        if isinstance(event, CombatResolved):
            kind = "overrun" if event.overrun else "attack"
            shift = f" (after a shift of {event.shift:+d})" if event.shift else ""
            what = f"{_side(fight.side)} {kind} by {_units(scenario, event.attackers)} on {target} at {event.odds}{shift}"
        else:
            what = f"{_side(fight.side)} guns, {_units(scenario, event.guns)}, fire on {target}"
        lost = "; ".join(_cost(side, lost) for side, lost in fight.lost.items() if lost.steps or lost.men or lost.tanks)
        lines.append(
            f"- **{_date(scenario.turn_start(fight.turn))}, {_place(scenario, event.target)}**: {what}; "
            f"die {event.die}: {event.result}. Lost: {lost}."
        )
    return "\n".join(lines) + "\n"


def _cost(side: str, lost: Losses) -> str:
    tanks = f", {_number(lost.tanks)} tanks" if lost.tanks else ""
    return f"{_side(side)} {_number(lost.men)} men{tanks} ({lost.steps} step{'' if lost.steps == 1 else 's'})"


def _arrivals(game: Game) -> str:
    """Reinforcements by day and side: a unit that came alone by its name, several of one
    formation as the formation and their count (a division's nine battalions are one phrase)."""
    scenario = game.scenario
    days: dict[str, dict[str, dict[str, list[str]]]] = {}
    for arrival in arrivals(game):
        setup = scenario.model.units[scenario.unit_order[arrival.unit]]
        formations = days.setdefault(_day(scenario.turn_start(arrival.turn)), {}).setdefault(setup.side, {})
        formations.setdefault(setup.formation or setup.name, []).append(setup.name)
    if not days:
        return ""
    lines = ["## Reinforcements", ""]
    for day, by_side in days.items():
        came = [f"{_side(side)} {', '.join(_arrived(*group) for group in groups.items())}" for side, groups in by_side.items()]
        lines.append(f"- {day}: {'; '.join(came)}")
    return "\n".join(lines) + "\n"


def _arrived(formation: str, names: Sequence[str]) -> str:
    """``*II/76th Infantry*`` alone, ``*40th Rifle Division* (8 units)`` for several of one formation."""
    return f"*{_text(names[0])}*" if len(names) == 1 else f"*{_text(formation)}* ({len(names)} units)"


# ---------------------------------------------------------------- words and tables


def _side(side: str) -> str:
    """A side's short name, ``Soviet`` for ``soviet``: its full name is in the heading."""
    return side[:1].upper() + side[1:]


def _holder(side: str | None) -> str:
    return _side(side) if side else "nobody"


def _unit(scenario: Scenario, unit_id: str) -> str:
    return _text(scenario.model.units[scenario.unit_order[unit_id]].name)


def _units(scenario: Scenario, unit_ids: Sequence[str]) -> str:
    """The units by name, each in italics: a name may hold a comma (``1st Bn, 119th Rifle Regiment``)."""
    names = [f"*{_unit(scenario, unit_id)}*" for unit_id in unit_ids[:MOST_NAMES]]
    rest = len(unit_ids) - MOST_NAMES
    return ", ".join(names) + (f" and {rest} more" if rest > 0 else "")


def _place(scenario: Scenario, hex_: Hex) -> str:
    """The hex by the name of the place or objective on it, else by its coordinates and the
    nearest named hex within :data:`NEAR` (``hex 22,25 near Peschanaya``), else its coordinates."""
    named = [*((place, name) for name, place in scenario.board.places.items()), *((o.hex, o.name) for o in scenario.objectives)]
    distance, n = min(((place.distance(hex_), n) for n, (place, _) in enumerate(named)), default=(NEAR + 1, 0))
    if distance > NEAR:
        return f"hex {format_hex(hex_)}"
    return _text(named[n][1]) if distance == 0 else f"hex {format_hex(hex_)} near {_text(named[n][1])}"


def _date(moment: datetime, year: bool = False) -> str:
    return f"{moment.day} {moment:%b}{f' {moment.year}' if year else ''} {moment:%H:%M}"


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b}"


def _margin(margin: int, first: str, second: str) -> str:
    """``Soviet +6``: who leads and by how much."""
    if margin == 0:
        return "even"
    return f"{_side(first if margin > 0 else second)} +{abs(margin)}"


def _number(value: int) -> str:
    return f"{value:,}"


def _span(history: Sequence[int]) -> str:
    low, high = history
    return _number(low) if low == high else f"{_number(low)}-{_number(high)}"


MARKDOWN = re.compile(r"([\\`*_\[\]<>|#])")


def _text(text: str) -> str:
    """Text from a scenario or a record as Markdown shows it: on one line, its Markdown
    characters escaped (a ``|`` would split a table's cell, a ``<`` open HTML)."""
    return MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table of figures, its columns padded to line up as plain text too, every
    column after the first right-aligned."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]

    def line(cells: Sequence[str]) -> str:
        padded = [cell.rjust(width) if n else cell.ljust(width) for n, (cell, width) in enumerate(zip(cells, widths))]
        return "| " + " | ".join(padded) + " |"

    rule = ["-" * (width - 1) + ":" if n else "-" * width for n, width in enumerate(widths)]
    return "\n".join([line(header), line(rule), *(line(row) for row in rows)])


# ---------------------------------------------------------------- the plot


def plot_link(plot: Path, report: Path) -> str:
    """Where the report finds its plot: relative to the report's folder, as a URL path (a
    space in a name would end a Markdown link)."""
    return quote(Path(os.path.relpath(plot.resolve(), report.resolve().parent)).as_posix())


def plot(game: Game, path: str | Path) -> None:
    """The victory-point margin and each side's gross men (and tanks, when any were lost) lost
    so far, at every turn end, as a PNG; each side in its scenario colour, the thresholds of a
    marginal and a decisive win drawn across the margin.

    matplotlib is imported only here (the optional ``plot`` extra, slow to import), with the Agg
    backend so that it draws with no display, as :mod:`nomonhan.sim.report` does.
    """
    try:
        import matplotlib
    except ImportError:
        raise ValueError("--plot needs matplotlib: pip install 'nomonhan[plot]'") from None
    matplotlib.use("Agg")
    from matplotlib import dates as date_axis
    from matplotlib import pyplot

    scenario = game.scenario
    rows = per_turn(game)
    first, second = scenario.side_ids
    colours = {side.id: side.colour for side in scenario.sides}
    dates = [datetime.fromisoformat(row["ends"]) for row in rows]
    kinds = [
        kind for kind in ("men", "tanks") if kind == "men" or any(row["losses_gross"][s][kind] for row in rows for s in (first, second))
    ]
    figure, grid = pyplot.subplots(1 + len(kinds), 1, figsize=(10, 3 + 3 * len(kinds)), sharex=True, layout="constrained", squeeze=False)
    axes = list(grid.flat)
    figure.suptitle(f"{scenario.model.title}, seed {game.seed}")
    margin_axis = axes[0]
    margins = [row["victory_points"][first] - row["victory_points"][second] for row in rows]
    margin_axis.plot(dates, margins, color="black", marker=".", label="margin")
    for level, style, kind in ((scenario.victory.marginal, ":", "marginal"), (scenario.victory.decisive, "--", "decisive")):
        for sign, side in ((1, first), (-1, second)):
            margin_axis.axhline(sign * level, color=colours[side], linestyle=style, linewidth=1, label=f"{_side(side)} {kind} win")
    margin_axis.axhline(0, color="grey", linewidth=0.8)
    margin_axis.set(title="victory-point margin", ylabel=f"{_side(first)} ahead (+), {_side(second)} (-)")
    for axis, kind in zip(axes[1:], kinds):
        for side in (first, second):
            axis.plot(dates, [row["losses_gross"][side][kind] for row in rows], color=colours[side], marker=".", label=_side(side))
        axis.set(title=f"{kind} lost so far (gross)", ylabel=kind)
    for axis in axes:
        axis.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
        axis.grid(alpha=0.3)
    axes[-1].set(xlabel="turn ends")
    # Days, or hours when the battle is short, without a year on every tick (matplotlib leaves
    # these two unannotated).
    days = date_axis.AutoDateLocator()  # type: ignore[no-untyped-call]
    axes[-1].xaxis.set_major_locator(days)
    axes[-1].xaxis.set_major_formatter(date_axis.ConciseDateFormatter(days))  # type: ignore[no-untyped-call]
    picture = io.BytesIO()
    figure.savefig(picture, format="png", dpi=100)
    pyplot.close(figure)
    write_atomic(path, picture.getvalue())
