"""A batch result for people: the summary table, a CSV row per game, and distribution plots.

matplotlib is imported only when a plot is asked for (it is the optional ``plot`` extra and
slow to import) and always with the Agg backend, so plotting works with no display.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

from nomonhan.fileio import write_atomic
from nomonhan.sim.batch import BatchResult
from nomonhan.sim.stats import LOSS_KINDS, gross, vp_margin

SIDE_COLUMNS = ("vp", *LOSS_KINDS)
SIDE_COLOURS = ("C0", "C1")
"""matplotlib's first two cycle colours: one per side, the same in every panel."""


def csv_header(sides: tuple[str, str]) -> list[str]:
    """Per side: victory points, net losses (``soviet_men``), then gross (``soviet_men_gross``)."""
    per_side = (*SIDE_COLUMNS, *(f"{kind}_gross" for kind in LOSS_KINDS))
    return ["seed", "winner", "level", "turns_played", "digest", *(f"{side}_{c}" for side in sides for c in per_side)]


def csv_row(game: Mapping[str, Any], sides: tuple[str, str]) -> list[Any]:
    row = [game["seed"], game["winner"], game["level"], game["turns_played"], game["digest"]]
    for side in sides:
        row.append(game["victory_points"][side])
        row.extend(game["losses"][side][kind] for kind in LOSS_KINDS)
        row.extend(gross(game)[side][kind] for kind in LOSS_KINDS)
    return row


def write_csv(result: BatchResult, path: str | Path) -> None:
    """One row per game, sorted by seed, with per-side columns such as ``soviet_men``."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(csv_header(result.sides))
    writer.writerows(csv_row(game, result.sides) for game in result.games)
    write_atomic(path, text.getvalue())


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _percent(entry: Mapping[str, Any]) -> tuple[str, str]:
    lo, hi = entry["ci95"]
    shown = "-" if entry["rate"] is None else f"{entry['rate']:.1%}"
    return shown, f"{lo:.1%} - {hi:.1%}"


def _historical(summary: Mapping[str, Any], side: str, kind: str) -> list[float] | None:
    """The historical [low, high] of one loss, when the summary has it."""
    historical: list[float] | None = summary.get("historical", {}).get(side, {}).get(kind)
    return historical


def _rate_bar(entry: Mapping[str, Any]) -> tuple[float, float, float]:
    """Rate and the distances down and up to its interval's ends (matplotlib's ``yerr``)."""
    rate = entry["rate"] or 0.0
    lo, hi = entry["ci95"]
    return rate, rate - lo, hi - rate


def _outcomes_table(result: BatchResult) -> Table:
    summary = result.summary
    seeds = f"seeds {result.seed_start}-{result.seed_start + result.runs - 1}" if result.runs else "no seeds"
    table = Table(title=f"{result.scenario}: {summary['games']} of {result.runs} games ({seeds}), {result.backend} x{result.workers}")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("outcome", "left"),
        ("player", "left"),
        ("games", "right"),
        ("rate", "right"),
        ("95% CI (Wilson)", "right"),
    )
    for column, justify in columns:
        table.add_column(column, justify=justify)
    for side in result.sides:
        entry = summary["wins"][side]
        table.add_row(f"{side} wins", result.players[side], str(entry["count"]), *_percent(entry))
    table.add_row("draw", "", str(summary["draws"]["count"]), *_percent(summary["draws"]))
    return table


def _span(history: list[float]) -> str:
    low, high = history
    return _number(low) if low == high else f"{_number(low)} - {_number(high)}"


def _losses_table(result: BatchResult) -> Table:
    """Gross loss quartiles per side and kind beside the historical figures, and the net median.

    History counts gross losses (the wounded who came back included), so the quartiles are the
    gross ones; the net median (still lost at the end) stands beside them.  Each historical
    figure carries a note number; the caption says what each note's figures cover (a campaign's
    totals beside a 12-day battle mislead unless they say so).
    """
    table = Table(title="Losses per game (gross: all lost, recovered included; net: still lost at the end)")
    for column in ("side", "lost", "q1", "median", "q3", "net median", "historical"):
        table.add_column(column, justify="left" if column in ("side", "lost") else "right", no_wrap=column == "historical")
    notes: list[str] = []
    for side in result.sides:
        scope = result.summary.get("historical", {}).get(side, {}).get("scope")
        if scope:
            notes.append(f"({len(notes) + 1}) {side} historical figures: {scope}")
        for kind in LOSS_KINDS:
            stats = result.summary["losses_gross"][side][kind]
            net = result.summary["losses"][side][kind]
            figures = [_number(stats[k]) for k in ("q1", "median", "q3")] if stats else ["-"] * 3
            figures.append(_number(net["median"]) if net else "-")
            history = _historical(result.summary, side, kind)
            shown = f"{_span(history)}" + (f" ({len(notes)})" if scope else "") if history else ""
            table.add_row(side, kind, *figures, shown)
    table.caption = Text("\n".join(notes)) if notes else None  # Text: a scope is never markup
    table.caption_justify = "left"
    return table


def print_summary(result: BatchResult, console: Console) -> None:
    """Win rates with 95 % Wilson intervals, loss quartiles beside history, turns played."""
    console.print(_outcomes_table(result))
    console.print(_losses_table(result))
    turns = result.summary["turns_played"]
    if turns:
        console.print(
            f"turns played: median {_number(turns['median'])} (quartiles {_number(turns['q1'])}-{_number(turns['q3'])}, "
            f"range {turns['min']}-{turns['max']})",
            highlight=False,
        )
    if result.interrupted:
        missing = result.runs - result.summary["games"]
        console.print(f"[bold yellow]interrupted[/]: {missing} games not played; run the same batch again with --resume to complete it")


def plot_batch(result: BatchResult, path: str | Path, colours: Mapping[str, str] | None = None) -> None:
    """Histograms of each loss per side (historical range shaded), of the VP margin, and win-rate
    bars with their intervals, in one PNG.

    Analyst-grade: losses are gross (what came back by recovery included), as history counts
    them, so each histogram stands beside its historical figure like for like (a game that has
    no gross figures, from before they were kept, shows its net ones); a kind of loss no game and
    no historical figure has (armoured cars at Lake Khasan) gets no panel; each side is drawn in its scenario colour (``colours``: side ->
    ``#rrggbb``, else matplotlib's first two); every series is named in a legend.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    summary = result.summary
    side_colour = {side: (colours or {}).get(side, default) for side, default in zip(result.sides, SIDE_COLOURS)}
    lost = [gross(game) for game in result.games]
    kinds = [
        kind
        for kind in LOSS_KINDS
        if any(game[side][kind] for game in lost for side in result.sides) or any(_historical(summary, side, kind) for side in result.sides)
    ]
    rows = -(-(len(kinds) + 2) // 3)
    figure, grid = pyplot.subplots(rows, 3, figsize=(15, 4.25 * rows), layout="constrained", squeeze=False)
    axes = list(grid.flat)
    for unused in axes[len(kinds) + 2 :]:
        unused.set_visible(False)
    scopes = [
        f"{side} historical figures: {kinds_['scope']}" for side, kinds_ in summary.get("historical", {}).items() if kinds_.get("scope")
    ]
    figure.suptitle("\n".join([f"{result.scenario}: {summary['games']} games", *scopes]))
    for axis, kind in zip(axes, kinds):
        values = {side: [game[side][kind] for game in lost] for side in result.sides}
        bins = numpy_bins([value for side in result.sides for value in values[side]])  # a side that always loses the same shows
        for side in result.sides:
            axis.hist(values[side], bins=bins, alpha=0.55, color=side_colour[side], label=side)
            history = _historical(summary, side, kind)
            if history and history[0] == history[1]:
                axis.axvline(history[0], color=side_colour[side], linestyle="--", linewidth=2, label=f"{side} historical figure")
            elif history:
                axis.axvspan(history[0], history[1], color=side_colour[side], alpha=0.15, label=f"{side} historical range")
        axis.set(title=f"{kind} lost (gross)", xlabel=kind, ylabel="games")
        axis.legend()

    margin_axis, rate_axis = axes[len(kinds)], axes[len(kinds) + 1]
    first, second = result.sides
    margins = [vp_margin(game, result.sides) for game in result.games]
    if margins:
        bins = numpy_bins(margins)
        for label, chosen, colour in (
            (f"{first} ahead", [m for m in margins if m > 0], side_colour[first]),
            (f"{second} ahead", [m for m in margins if m < 0], side_colour[second]),
            ("even", [m for m in margins if m == 0], "grey"),
        ):
            if chosen:
                margin_axis.hist(chosen, bins=bins, color=colour, label=label)
        margin_axis.legend()
    margin_axis.axvline(0, color="black", linewidth=0.8)
    margin_axis.set(title="victory point margin", xlabel=f"{first} VP - {second} VP", ylabel="games")

    entries = [(f"{side} wins", summary["wins"][side], side_colour[side]) for side in result.sides] + [("draw", summary["draws"], "grey")]
    for label, entry, colour in entries:
        rate, below, above = _rate_bar(entry)
        rate_axis.bar(label, rate, yerr=[[below], [above]], capsize=6, color=colour, label=label)
    rate_axis.set(title="outcomes (95% Wilson intervals)", ylabel="share of games", ylim=(0, 1))
    rate_axis.legend()

    picture = io.BytesIO()
    figure.savefig(picture, format="png", dpi=100)
    pyplot.close(figure)
    write_atomic(path, picture.getvalue())


def numpy_bins(values: list[int]) -> Any:
    """One set of histogram bins for all of ``values``, so that the series drawn from them line
    up, and a value every game shares is a bar as wide as the others, not a hairline."""
    import numpy

    return numpy.histogram_bin_edges(values or [0], bins="auto")
