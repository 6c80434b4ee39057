"""A sweep's plots: tornado (oat), win rate against each parameter (grid, oat), SALib indices.

Analyst-grade rules: each side in its scenario colour, every series in a legend, no panel
without data (a parameter whose points have no games yet is left out, and a plot with nothing
to show is not written).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from nomonhan.sim.stats import gross, rate
from nomonhan.sim.sweep import Parameter, Point, SweepResult
from nomonhan.sim.sweep_report import outputs


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot


def draw(result: SweepResult, summaries: Sequence[dict[str, Any]], indices: dict[str, Any] | None, out: Path) -> list[Path]:
    """Draw the plots this sweep's method and games allow; returns the files written."""
    method = result.plan["method"]
    drawn = []
    if method == "oat":
        drawn.append(_tornado(result, out / "tornado.png"))
    if method in ("grid", "oat"):
        drawn.append(_win_rates(result, out / "win-rate.png"))
    if method == "grid" and len(result.parameters) == 2:
        drawn.append(_win_rate_map(result, out / "win-rate-map.png"))
    if indices is not None:
        drawn.append(_indices(result, indices, out / "indices.png"))
    return [path for path in drawn if path is not None]


def _colour(result: SweepResult, side: str) -> str:
    colour: str = result.plan["colours"][side]
    return colour


def _panels(
    pyplot: Any, count: int, title: str, width: float = 6.5, height: float = 5.0, columns: int | None = None
) -> tuple[Any, list[Any]]:
    """``count`` panels in rows of ``columns`` (default: one row); a last row's spare is hidden."""
    columns = min(columns or count, count)
    rows = -(-count // columns)
    figure, axes = pyplot.subplots(rows, columns, figsize=(width * columns, height * rows), layout="constrained", squeeze=False)
    figure.suptitle(title)
    panels = list(axes.flat)
    for spare in panels[count:]:
        spare.set_visible(False)
    return figure, panels[:count]


def _legend_below(axis: Any) -> None:
    """Under the panel, where it hides no bar or point."""
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), fontsize="small")


def _save(pyplot: Any, figure: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    pyplot.close(figure)
    return path


def _title(result: SweepResult) -> str:
    plan = result.plan
    return f"{plan['scenario']}: {plan['method']} sweep, {plan['runs_per_point']} games a point on seeds {plan['seed_start']}-{plan['seed_start'] + plan['runs_per_point'] - 1}"


def _at(result: SweepResult, parameter: Parameter, value: Any) -> list[Point]:
    """The points where ``parameter`` has ``value``: in an oat sweep, those where it alone varies."""
    return [
        p
        for p in result.points
        if p.values[parameter.name] == value
        and (result.plan["method"] != "oat" or all(v is None for n, v in p.values.items() if n != parameter.name))
    ]


def _games(result: SweepResult, points: Sequence[Point]) -> list[dict[str, Any]]:
    return [game for point in points for game in result.games_of(point)]


def _median_men_lost(side: str) -> Callable[[list[dict[str, Any]]], float]:
    return lambda games: _median([gross(g)[side]["men"] for g in games])


def _median(values: Sequence[float]) -> float:
    data = sorted(values)
    middle = len(data) // 2
    return data[middle] if len(data) % 2 else (data[middle - 1] + data[middle]) / 2


def _tornado(result: SweepResult, path: Path) -> Path | None:
    """Each parameter's swing from the scenario as it is (the base point) to its lowest and
    highest value: on the first side's win rate and on each side's median men lost."""
    base = _games(result, [p for p in result.points if all(v is None for v in p.values.values())])
    if not base:
        return None
    first = result.sides[0]
    metrics: list[tuple[str, str, Callable[[list[dict[str, Any]]], float]]]
    metrics = [(f"{first} win rate", first, lambda games: sum(g["winner"] == first for g in games) / len(games))]
    metrics += [(f"{side} men lost, gross (median)", side, _median_men_lost(side)) for side in result.sides]
    rows = []
    for parameter in result.parameters:
        values = parameter.values()
        low, high = _games(result, _at(result, parameter, values[0])), _games(result, _at(result, parameter, values[-1]))
        if low and high:
            rows.append((parameter, values[0], values[-1], low, high))
    if not rows:
        return None
    pyplot = _pyplot()
    figure, axes = _panels(
        pyplot,
        len(metrics),
        _title(result) + "\none at a time: each parameter at its lowest and highest value, the others as in the scenario",
        width=7.5,  # room for the long parameter paths beside each panel's title
        height=3.2 + 0.8 * len(rows),
    )
    for axis, (label, side, metric) in zip(axes, metrics):
        centre = metric(base)
        swings = [
            (parameter, lo_value, hi_value, metric(low) - centre, metric(high) - centre)
            for parameter, lo_value, hi_value, low, high in rows
        ]
        swings.sort(key=lambda row: abs(row[3]) + abs(row[4]))
        ticks = [f"{p.name}\n{lo} .. {hi}" for p, lo, hi, _a, _b in swings]
        colour = _colour(result, side)
        axis.barh(
            range(len(swings)),
            [row[3] for row in swings],
            left=centre,
            color=colour,
            alpha=0.4,
            label="at the lowest value",
            edgecolor="black",
        )
        axis.barh(
            range(len(swings)),
            [row[4] for row in swings],
            left=centre,
            color=colour,
            alpha=0.9,
            label="at the highest value",
            edgecolor="black",
            hatch="//",
        )
        axis.axvline(
            centre,
            color="black",
            linewidth=1,
            label=f"as in the scenario ({centre:,.2f})" if "rate" in label else f"as in the scenario ({centre:,.0f})",
        )
        left, right = axis.get_xlim()
        inward = -6 if centre > (left + right) / 2 else 6  # the note stays inside the panel
        for row, (_p, _lo, _hi, low_swing, high_swing) in enumerate(swings):
            if low_swing == high_swing == 0:
                axis.annotate(
                    "no change",
                    (centre, row),
                    xytext=(inward, 0),
                    textcoords="offset points",
                    va="center",
                    ha="right" if inward < 0 else "left",
                    fontsize="small",
                )
        axis.set_yticks(range(len(swings)), ticks)
        axis.set(title=label, xlabel=label)
        _legend_below(axis)
    return _save(pyplot, figure, path)


def _win_rates(result: SweepResult, path: Path) -> Path | None:
    """Each side's win rate (95 % Wilson interval) at each value of each parameter; in a grid of
    several parameters, the games of all the others' values are pooled."""
    panels = []
    for parameter in result.parameters:
        series = [(value, _games(result, _at(result, parameter, value))) for value in parameter.values()]
        series = [(value, games) for value, games in series if games]
        if series:
            panels.append((parameter, series))
    if not panels:
        return None
    base = _games(result, [p for p in result.points if all(v is None for v in p.values.values())])
    pooled = result.plan["method"] == "grid" and len(result.parameters) > 1
    pyplot = _pyplot()
    from matplotlib.ticker import MaxNLocator

    figure, axes = _panels(
        pyplot, len(panels), _title(result) + ("\neach panel pools the games of the other parameters' values" if pooled else "")
    )
    for axis, (parameter, series) in zip(axes, panels):
        xs = [value for value, _games_at in series]
        for side in result.sides:
            entries = [rate(sum(g["winner"] == side for g in games), len(games)) for _value, games in series]
            ys = [entry["rate"] for entry in entries]
            below = [y - entry["ci95"][0] for y, entry in zip(ys, entries)]
            above = [entry["ci95"][1] - y for y, entry in zip(ys, entries)]
            axis.errorbar(
                xs, ys, yerr=[below, above], color=_colour(result, side), marker="o", capsize=4, label=f"{side} wins (95% interval)"
            )
            if base:
                share = sum(g["winner"] == side for g in base) / len(base)
                axis.axhline(share, color=_colour(result, side), linestyle="--", linewidth=1, label=f"{side} wins, scenario as it is")
        axis.set(
            title=parameter.name,
            ylim=(0, 1),
            ylabel="share of games won",
            xlabel="factor applied to the value in the scenario" if parameter.scale else "value",
        )
        if parameter.integer:
            axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        _legend_below(axis)
    return _save(pyplot, figure, path)


def _win_rate_map(result: SweepResult, path: Path) -> Path | None:
    """A grid of two parameters: the first side's win rate at each combination, which the
    pooled panels of :func:`_win_rates` cannot show when the parameters interact."""
    across, down = result.parameters
    xs, ys = across.values(), down.values()
    cells = {(p.values[across.name], p.values[down.name]): result.games_of(p) for p in result.points}
    if not any(cells.values()):
        return None
    first = result.sides[0]
    pyplot = _pyplot()
    from matplotlib.colors import LinearSegmentedColormap

    shares = [[_share(cells.get((x, y), []), first) for x in xs] for y in ys]
    figure, (axis,) = _panels(pyplot, 1, _title(result), width=7.5, height=5.5)
    image = axis.imshow(
        [[float("nan") if share is None else share for share in row] for row in shares],
        origin="lower",
        vmin=0,
        vmax=1,
        cmap=LinearSegmentedColormap.from_list(first, ["#ffffff", _colour(result, first)]),
        aspect="auto",
    )
    for row, y in enumerate(ys):
        for column, x in enumerate(xs):
            games = cells.get((x, y), [])
            if games:
                axis.text(column, row, f"{shares[row][column]:.0%}\n({len(games)} games)", ha="center", va="center", fontsize="small")
    axis.set_xticks(range(len(xs)), [str(x) for x in xs])
    axis.set_yticks(range(len(ys)), [str(y) for y in ys])
    axis.set(title=f"{first} win rate at each combination", xlabel=across.name, ylabel=down.name)
    figure.colorbar(image, ax=axis, label=f"share of games {first} won")
    return _save(pyplot, figure, path)


def _share(games: Sequence[dict[str, Any]], side: str) -> float | None:
    return sum(g["winner"] == side for g in games) / len(games) if games else None


def _indices(result: SweepResult, indices: dict[str, Any], path: Path) -> Path:
    """Morris: mu* (with its 95 % interval) and sigma; Sobol: first-order and total indices."""
    morris = indices["method"] == "morris"
    pairs = (
        (("mu_star", "mu_star_conf", "μ* (mean absolute elementary effect)"), ("sigma", None, "σ (spread of the effects)"))
        if morris
        else (("S1", "S1_conf", "first-order index S1"), ("ST", "ST_conf", "total index ST"))
    )
    sides = {name: side for name, (side, _metric) in outputs(result).items()}
    pyplot = _pyplot()
    names = indices["parameters"]
    figure, axes = _panels(
        pyplot,
        len(indices["outputs"]),
        _title(result) + f"\nSALib {indices['method']} sensitivity indices",
        height=3.2 + 0.6 * len(names),
        columns=2,
    )
    for axis, (output, by_parameter) in zip(axes, indices["outputs"].items()):
        colour = _colour(result, sides[output])
        height = 0.38
        for offset, (key, conf, label) in zip((-height / 2, height / 2), pairs):
            values = [by_parameter[name][key] or 0.0 for name in names]
            errors = [by_parameter[name][conf] or 0.0 for name in names] if conf else None
            axis.barh(
                [i + offset for i in range(len(names))],
                values,
                height=height,
                xerr=errors,
                capsize=3,
                color=colour,
                alpha=0.9 if offset < 0 else 0.4,
                hatch="" if offset < 0 else "//",
                edgecolor="black",
                label=label,
            )
        axis.set_yticks(range(len(names)), names)
        axis.set(title=output, xlabel="change of the output over the parameter's range" if morris else "share of the output's variance")
        _legend_below(axis)
    return _save(pyplot, figure, path)
