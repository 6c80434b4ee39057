"""A sweep's results for analysts: per-game and per-point tables, SALib indices, plots.

Files written into the sweep's folder (beside its plan and game log):

- ``games.csv``: the ``batch --csv`` columns of every game, after its point and one column per
  parameter (empty: as in the scenario);
- ``points.json`` and ``points.csv``: per point, each side's win rate with its 95 % Wilson
  interval, the median and quartiles of men lost per side and of turns played, and the point's
  scenario and rules hashes;
- ``indices.json`` and ``indices.csv`` (morris, sobol; once every game is played): SALib's
  sensitivity indices of each side's win rate and mean men lost;
- ``targets.csv`` (with ``--targets``): every calibration target judged at every point, as
  ``batch --targets`` judges a batch, so a sweep shows how near a parameter's range comes to
  history, and what a target costs the others;
- ``tornado.png`` (oat), ``win-rate.png`` (grid, oat), ``win-rate-map.png`` (a grid of two
  parameters), ``indices.png`` (morris, sobol).

matplotlib is imported only to plot, with the Agg backend; SALib only to analyse.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from nomonhan.fileio import write_atomic
from nomonhan.sim.report import csv_header, csv_row
from nomonhan.sim.stats import gross, summarise
from nomonhan.sim.sweep import MORRIS_LEVELS, Point, SweepResult, point_scenario, salib_module, salib_problem
from nomonhan.sim.targets import TargetsFile, evaluate

Metric = Callable[[Sequence[dict[str, Any]]], float]
TARGETS_FILE = "targets.csv"


def _cell(value: Any) -> Any:
    return "" if value is None else value


def games_csv(result: SweepResult) -> str:
    names = [p.name for p in result.parameters]
    values = {point.index: point.values for point in result.points}
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["point", *names, *csv_header(result.sides)])
    for game in result.games:
        writer.writerow([game["point"], *(_cell(values[game["point"]][name]) for name in names), *csv_row(game, result.sides)])
    return text.getvalue()


def point_summary(result: SweepResult, point: Point, targets: TargetsFile | None = None) -> dict[str, Any]:
    """A point's figures; with ``targets``, each target's verdict on the point's games (without
    the per-game figures, which ``games.csv`` holds)."""
    games = result.games_of(point)
    stats = summarise(games, result.sides)
    judged = {}
    if targets is not None:
        verdicts = evaluate(targets, games, point_scenario(point.ref), f"the games of point {point.index}")
        judged["targets"] = [{key: verdict[key] for key in ("id", "measured", "wanted", "met")} for verdict in verdicts]
    return {
        "point": point.index,
        "values": point.values,
        "games": stats["games"],
        "wins": stats["wins"],
        "draws": stats["draws"],
        "men_lost": {side: stats["losses_gross"][side]["men"] for side in result.sides},
        "losses": stats["losses"],
        "losses_gross": stats["losses_gross"],
        "turns_played": stats["turns_played"],
        "scenario_hash": point.scenario_hash,
        "rules_hash": point.rules_hash,
        **judged,
    }


def _spread_cells(spread: dict[str, float] | None) -> list[Any]:
    return [_cell(spread and spread[key]) for key in ("q1", "median", "q3")]


def points_csv(result: SweepResult, summaries: Sequence[dict[str, Any]]) -> str:
    names = [p.name for p in result.parameters]
    header = ["point", *names, "games"]
    for side in result.sides:
        header += [f"{side}_wins", f"{side}_win_rate", f"{side}_win_ci95_low", f"{side}_win_ci95_high"]
    header += ["draw_rate"]
    for side in result.sides:
        header += [f"{side}_men_gross_q1", f"{side}_men_gross_median", f"{side}_men_gross_q3"]
    header += ["turns_q1", "turns_median", "turns_q3", "scenario_hash", "rules_hash"]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    for entry in summaries:
        row = [entry["point"], *(_cell(entry["values"][name]) for name in names), entry["games"]]
        for side in result.sides:
            wins = entry["wins"][side]
            row += [wins["count"], _cell(wins["rate"]), *wins["ci95"]]
        row.append(_cell(entry["draws"]["rate"]))
        for side in result.sides:
            row += _spread_cells(entry["men_lost"][side])
        row += [*_spread_cells(entry["turns_played"]), entry["scenario_hash"], entry["rules_hash"]]
        writer.writerow(row)
    return text.getvalue()


def targets_csv(result: SweepResult, summaries: Sequence[dict[str, Any]]) -> str:
    """One row a point and target: the point's parameter values, then the verdict."""
    names = [p.name for p in result.parameters]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["point", *names, "target", "measured", "wanted", "met"])
    for entry in summaries:
        for verdict in entry["targets"]:
            values = [_cell(entry["values"][name]) for name in names]
            writer.writerow([entry["point"], *values, verdict["id"], verdict["measured"], verdict["wanted"], verdict["met"]])
    return text.getvalue()


def win_share(side: str) -> Metric:
    return lambda games: sum(game["winner"] == side for game in games) / len(games)


def mean_men_lost(side: str) -> Metric:
    """Mean men lost, gross (as history counts them)."""
    return lambda games: sum(gross(game)[side]["men"] for game in games) / len(games)


def outputs(result: SweepResult) -> dict[str, tuple[str, Metric]]:
    """What the sensitivity indices are of, each with the side it concerns: each side's win rate
    (with draws the two are not complements) and each side's mean men lost."""
    return {
        **{f"{side} win rate": (side, win_share(side)) for side in result.sides},
        **{f"{side} men lost, gross (mean)": (side, mean_men_lost(side)) for side in result.sides},
    }


def sensitivity(result: SweepResult) -> dict[str, Any] | None:
    """SALib's indices for a complete morris or sobol sweep, else None."""
    method = result.plan["method"]
    if method not in ("morris", "sobol") or not result.complete:
        return None
    import numpy

    problem = salib_problem(result.parameters)
    found: dict[str, Any] = {"method": method, "parameters": problem["names"], "outputs": {}}
    for output, (_side, metric) in outputs(result).items():
        y = numpy.array([metric(result.games_of(point)) for point in result.points])
        if numpy.ptp(y) == 0:  # the same at every point: nothing to attribute (and SALib would divide by 0)
            found["outputs"][output] = {name: {key: 0.0 for key in _index_keys(method)} for name in problem["names"]}
            continue
        if method == "morris":
            x = numpy.array(result.plan["design"])
            analysed = salib_module("analyze.morris").analyze(problem, x, y, num_levels=MORRIS_LEVELS, seed=result.plan["sample_seed"])
        else:
            analysed = salib_module("analyze.sobol").analyze(problem, y, calc_second_order=False, seed=result.plan["sample_seed"])
        found["outputs"][output] = {
            name: {key: _finite(analysed[key][i]) for key in _index_keys(method)} for i, name in enumerate(problem["names"])
        }
    return found


def _finite(value: Any) -> float | None:
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


def _index_keys(method: str) -> tuple[str, ...]:
    return ("mu", "mu_star", "sigma", "mu_star_conf") if method == "morris" else ("S1", "S1_conf", "ST", "ST_conf")


def indices_csv(indices: dict[str, Any]) -> str:
    keys = _index_keys(indices["method"])
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["output", "parameter", *keys])
    for output, by_parameter in indices["outputs"].items():
        for name, values in by_parameter.items():
            writer.writerow([output, name, *(_cell(values[key]) for key in keys)])
    return text.getvalue()


def point_summaries(result: SweepResult, targets: TargetsFile | None = None) -> list[dict[str, Any]]:
    """Every point's :func:`point_summary`, worked out once for the files and the table (judging
    the targets runs over every game of every point)."""
    return [point_summary(result, point, targets) for point in result.points]


def write_outputs(
    result: SweepResult, summaries: Sequence[dict[str, Any]], out: str | Path, plots: bool = True, judged: bool = False
) -> list[Path]:
    """Every table, index and plot the sweep's games allow so far, and with ``judged`` (the
    ``summaries`` hold verdicts against a targets file) the targets table; returns the files
    written.  Without it, a ``targets.csv`` left by an earlier run of this sweep (interrupted,
    then resumed without ``--targets``) is removed: its verdicts were on fewer games than the
    tables beside it."""
    out_dir = Path(out)
    if not judged:
        (out_dir / TARGETS_FILE).unlink(missing_ok=True)
    written = {
        out_dir / "games.csv": games_csv(result),
        out_dir / "points.json": json.dumps({"plan": _plan_header(result), "points": summaries}, indent=1) + "\n",
        out_dir / "points.csv": points_csv(result, summaries),
    }
    if judged:
        written[out_dir / TARGETS_FILE] = targets_csv(result, summaries)
    indices = sensitivity(result)
    if indices is not None:
        written[out_dir / "indices.json"] = json.dumps(indices, indent=1) + "\n"
        written[out_dir / "indices.csv"] = indices_csv(indices)
    for path, text in written.items():
        write_atomic(path, text)
    files = list(written)
    if plots:
        from nomonhan.sim import sweep_plots

        files += sweep_plots.draw(result, summaries, indices, out_dir)
    return files


def _plan_header(result: SweepResult) -> dict[str, Any]:
    keys = ("scenario", "base", "method", "parameters", "runs_per_point", "seed_start", "players", "samples", "sample_seed")
    return {key: result.plan[key] for key in keys}


def _met(entry: dict[str, Any]) -> str:
    """Targets met at a point, ``-`` for a point with no games yet (not a row of misses)."""
    if not entry["games"]:
        return "-"
    return f"{sum(verdict['met'] for verdict in entry['targets'])}/{len(entry['targets'])}"


def print_summary(
    result: SweepResult, summaries: Sequence[dict[str, Any]], console: Console, files: Sequence[Path], judged: bool = False
) -> None:
    """One row per point: each parameter's value (``-``: as in the scenario) under a short name
    (``p1``, ...) that the caption spells out, the first side's win rate with its 95 % interval,
    each side's median men lost, and with ``judged`` how many targets the point meets; then the
    files written."""
    first, second = result.sides
    names = [p.name for p in result.parameters]
    short = [f"p{number}" for number in range(1, len(names) + 1)]
    table = Table(
        title=f"{result.plan['scenario']} sweep ({result.plan['method']}): {len(result.games)} games, {len(result.points)} points"
    )
    for column in (
        "point",
        *short,
        "games",
        f"{first} wins",
        "95% CI",
        f"{first} men lost, gross (median)",
        f"{second} men lost, gross (median)",
        *(["targets met"] if judged else []),
    ):
        table.add_column(column, justify="right", overflow="fold")  # wrap, never "…", on 80 columns
    for point, entry in zip(result.points, summaries, strict=True):
        wins = entry["wins"][first]
        shown = "-" if wins["rate"] is None else f"{wins['rate']:.0%}"
        lo, hi = wins["ci95"]
        men = [entry["men_lost"][side] for side in result.sides]
        table.add_row(
            str(point.index),
            *("-" if point.values[name] is None else str(point.values[name]) for name in names),
            str(entry["games"]),
            shown,
            f"{lo:.0%}-{hi:.0%}",
            *(f"{spread['median']:,.0f}" if spread else "-" for spread in men),
            *([_met(entry)] if judged else []),
        )
    # Text: a path's [selector] is not markup.
    table.caption = Text("\n".join(f"{key}: {name}" for key, name in zip(short, names)))
    table.caption_justify = "left"
    console.print(table)
    for path in files:
        console.print(f"wrote {path}", markup=False, highlight=False)
    if result.interrupted:
        missing = len(result.points) * result.plan["runs_per_point"] - len(result.games)
        console.print(f"[bold yellow]interrupted[/]: {missing} games not played; run the same sweep again with --resume to complete it")
