"""The ``nomonhan`` command line (typer).

Every command that reads a scenario takes a bundled id or a path.  Bad input ends with one line
per problem (``PATH:LINE:COLUMN: field: message``) and exit code 1, never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from nomonhan.replay import MAX_SEED, RecordError
from nomonhan.scenario.errors import ScenarioError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Nomonhan: a hex-and-counter wargame of the Soviet-Japanese border wars of 1938-39.",
)
# No emoji codes: a file name or value such as "x:smile:.yaml" is echoed as it is, never as 😄
# (and user text is printed with markup=False or as rich Text, so "[red]" stays too).
console = Console(soft_wrap=True, emoji=False)
errors = Console(stderr=True, soft_wrap=True, highlight=False, emoji=False)

T = TypeVar("T")


def _guard(work: Callable[[], T]) -> T:
    """Run a command body, turning the project's own errors into clean messages and exit 1."""
    try:
        return work()
    except ScenarioError as exc:
        for problem in exc.problems:
            errors.print(str(problem), markup=False, highlight=False)
        raise typer.Exit(1) from None
    except BrokenPipeError:
        # The reader of our output left (`... --out - | head -1`): nothing is wrong to report.
        # Standard output is pointed at /dev/null so that Python's flush at exit does not fail
        # again, and the exit code is the shell's for a process ended by SIGPIPE.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(128 + signal.SIGPIPE) from None
    except (RecordError, ValueError, OSError) as exc:
        # OSError: a file-system failure (full disk, a folder where a file was expected, ...);
        # nomonhan.fileio's own OutputError already names the path and says why.
        errors.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None


def _parse_players(specs: list[str]) -> dict[str, str]:
    kinds = {}
    for spec in specs:
        side, sep, kind = spec.partition("=")
        if not sep or not side or not kind:
            raise ValueError(f"--player takes SIDE=KIND (e.g. soviet=random), not {spec!r}")
        kinds[side] = kind
    return kinds


SET_HELP = "PATH=VALUE or PATH*=FACTOR: a what-if change of the scenario or its rules data (repeatable; see docs/analysis.md)"
OVERLAY_HELP = "a partial scenario merged into it by id: a what-if of more than one value (repeatable)"


def _what_if(scenario: str, changes: list[str], overlays: list[Path]) -> str:
    """The reference of the scenario with these what-ifs (the scenario itself without any)."""
    from nomonhan.scenario.variants import Variant

    return Variant.create(scenario, changes, overlays).ref


ON_LINUX: bool = sys.platform.startswith("linux")
"""Linux needs an X or Wayland display; other desktops always have one (a name, not an
``if sys.platform`` test, so the type checker checks both branches whatever it runs on)."""


def _reads(scenario: str, overlays: list[Path], **others: Optional[Path]) -> dict[str, Any]:
    """A command's input files by the option that names them, for :func:`fileio.check_apart`."""
    return {"the scenario": scenario, **{f"--overlay {o}": o for o in overlays}, **others}


def has_display() -> bool:
    """Whether a window can open: an X or Wayland display, a non-Linux desktop, or an SDL driver set."""
    if os.environ.get("SDL_VIDEODRIVER") or not ON_LINUX:
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@app.command()
def play(
    scenario: Optional[str] = typer.Argument(None, help="bundled scenario id or path (default: the start screen)"),
    side: Optional[str] = typer.Option(None, help="soviet, japanese or hotseat"),
    opponent: Optional[str] = typer.Option(None, help="computer player kind: random, heuristic (default), search or mcts"),
    load: Optional[Path] = typer.Option(None, help="a saved game record to continue"),
    replay: Optional[Path] = typer.Option(None, "--replay", help="watch a game record (from play, run --record or batch --records)"),
    seed: Optional[int] = typer.Option(None, min=0, max=MAX_SEED, help="the game's random seed"),
    fullscreen: bool = typer.Option(False, "--fullscreen", help="fill the screen (F11 switches in the window)"),
) -> None:
    """Play a scenario in a window, against the computer or hot-seat, or watch a replay."""
    if not has_display():
        record = load or replay
        if record is not None:
            hint = f"To replay the game headless and check it, run:  nomonhan replay {record}"
        else:
            hint = f"To play a game headless and see its result, run:  nomonhan run {scenario or 'khalkhin-gol-1939'}"
        errors.print(
            f"No display found (DISPLAY is not set), so no window can open.\n{hint}",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(2)

    def work() -> None:
        from nomonhan.ui.app import run_app

        run_app(scenario, side, opponent, load, replay, seed=seed, fullscreen=fullscreen)

    _guard(work)


@app.command()
def run(
    scenario: str = typer.Argument(..., help="bundled scenario id or path"),
    seed: int = typer.Option(1, min=0, max=MAX_SEED, help="the game's random seed"),
    player: list[str] = typer.Option([], "--player", help="SIDE=KIND, e.g. japanese=random (repeatable)"),
    out: Optional[str] = typer.Option(None, help="write the result as JSON to PATH, or - for standard output"),
    record: Optional[Path] = typer.Option(None, help="save the game record (replayable) to PATH"),
    log: Optional[Path] = typer.Option(None, help="write a turn-by-turn account of the game to PATH (JSON lines if PATH ends in .jsonl)"),
    set_: list[str] = typer.Option([], "--set", help=SET_HELP),
    overlay: list[Path] = typer.Option([], "--overlay", help=OVERLAY_HELP),
) -> None:
    """Play one game headless with computer players and print a summary."""

    def work() -> None:
        from nomonhan.fileio import check_apart, check_output, write_atomic
        from nomonhan.scenario.load import load_scenario
        from nomonhan.sim.run import play as play_game
        from nomonhan.sim.run import players_for, summary

        check_apart({"--out": out, "--record": record, "--log": log}, _reads(scenario, overlay))
        for path in (out if out != "-" else None, record, log):
            if path is not None:  # an empty --out is refused, not skipped
                check_output(path)
        ref = _what_if(scenario, set_, overlay)
        loaded = load_scenario(ref)
        players = players_for(loaded, _parse_players(player))
        kinds = {side: p.kind for side, p in players.items()}
        game = play_game(loaded, seed, players, ref, keep_states=log is not None)  # the account reads every state
        result = summary(game, kinds)
        if record:
            game.save(record, kinds)
        if log:
            from nomonhan.ui.account import account_lines, account_records

            lines = account_records(game) if log.suffix == ".jsonl" else account_lines(game)
            write_atomic(log, "\n".join(lines) + "\n")
        if out == "-":
            print(json.dumps(result, indent=2))
            return
        if out is not None:
            write_atomic(out, json.dumps(result, indent=2) + "\n")
        _print_summary(result)

    _guard(work)


def _span(history: list[int]) -> str:
    low, high = history
    return f"{low}" if low == high else f"{low}-{high}"


def _print_summary(result: dict[str, Any]) -> None:
    table = Table(
        title=f"{result['scenario']} (seed {result['seed']}): {result['winner']} ({result['level']})",
        caption="net losses: men, tanks, armoured cars, guns and steps still missing at the end (gross, with those that returned: below)",
    )
    table.add_column("side", overflow="fold")  # short headers, so an 80-column terminal cuts nothing
    table.add_column("player", overflow="fold")
    table.add_column("VP", justify="right")
    for header in ("men", "tanks", "cars", "guns", "steps"):
        table.add_column(f"net lost {header}" if header == "men" else header, justify="right", overflow="fold")
    for side, points in result["victory_points"].items():
        lost = result["losses"][side]
        table.add_row(
            side, result["players"][side], str(points), *(str(lost[c]) for c in ("men", "tanks", "armoured_cars", "guns", "steps"))
        )
    console.print(table)
    console.print(
        f"turns played: {result['turns_played']}  final date: {result['final_date']}  actions: {result['actions']}  digest: {result['digest'][:16]}"
    )
    for side, entry in result["history"].items():
        # gross: history counts the wounded who returned, so the game's figure beside it does too
        figures = [f"{kind} lost (gross) {e['game']} (history {_span(e['history'])})" for kind, e in entry.items() if isinstance(e, dict)]
        if figures:
            console.print(f"{side} against history [{entry['scope']}]: " + "; ".join(figures), markup=False, highlight=False)


@app.command()
def batch(
    scenario: str = typer.Argument(..., help="bundled scenario id or path"),
    runs: int = typer.Option(100, help="number of games"),
    seed_start: int = typer.Option(0, "--seed-start", min=0, max=MAX_SEED, help="seed of the first game; the others follow"),
    player: list[str] = typer.Option([], "--player", help="SIDE=KIND, e.g. japanese=search (repeatable)"),
    workers: Optional[int] = typer.Option(None, help="local processes (default: all cores; 1 plays in this process)"),
    cluster: Optional[str] = typer.Option(None, help="a Dask scheduler address, e.g. tcp://host:8786"),
    local_cluster: Optional[int] = typer.Option(None, "--local-cluster", help="start a local Dask cluster of K workers"),
    out: Optional[Path] = typer.Option(None, help="write the results as JSON (needed for --resume)"),
    csv: Optional[Path] = typer.Option(None, help="write one CSV row per game"),
    plot: Optional[Path] = typer.Option(None, help="draw the distributions to a PNG"),
    records: Optional[Path] = typer.Option(None, help="save every game's record in this folder"),
    resume: bool = typer.Option(False, help="complete an interrupted batch from --out without replaying its games"),
    set_: list[str] = typer.Option([], "--set", help=SET_HELP),
    overlay: list[Path] = typer.Option([], "--overlay", help=OVERLAY_HELP),
    targets: Optional[Path] = typer.Option(
        None, help="judge the games against a calibration targets file (e.g. scenarios/targets/ID.yaml); the verdicts go into --out"
    ),
) -> None:
    """Run many games (local processes or a Dask cluster) and summarise them against history."""

    def work() -> int:
        from nomonhan.fileio import check_apart, check_output, write_atomic
        from nomonhan.rules.victory import historical_losses
        from nomonhan.scenario.load import load_scenario
        from nomonhan.sim.batch import run_batch
        from nomonhan.sim.report import plot_batch, print_summary, write_csv
        from nomonhan.sim.targets import checked_targets, evaluate, verdict_table

        check_apart({"--out": out, "--csv": csv, "--plot": plot}, _reads(scenario, overlay, **{"--targets": targets}))
        for path in (csv, plot):  # --out and --records are checked by run_batch
            if path:
                check_output(path)
        ref = _what_if(scenario, set_, overlay)
        loaded = load_scenario(ref)
        wanted = checked_targets(targets, loaded) if targets else None  # a bad file fails before any game
        historical = historical_losses(loaded) if loaded.model.historical is not None else None
        result = run_batch(
            ref,
            runs,
            seed_start,
            _parse_players(player),
            workers,
            cluster,
            local_cluster,
            records,
            out,
            resume,
            progress=True,
            historical=historical,
        )
        print_summary(result, console)
        if csv:
            write_csv(result, csv)
        if plot:
            plot_batch(result, plot, {side.id: side.colour for side in loaded.sides})
        if wanted is not None:
            # A resumed game is judged only now; --out already holds the games in this order.
            verdicts = evaluate(wanted, result.games, loaded, str(out) if out else "games")
            console.print(verdict_table(verdicts))
            if out:
                write_atomic(out, json.dumps({**result.to_dict(), "targets": verdicts}, indent=1) + "\n")
        return 128 + result.stopped_by if result.interrupted else 0  # the shell's code for that signal

    code = _guard(work)
    raise typer.Exit(code)


@app.command("targets")
def targets_command(
    results: Path = typer.Argument(..., help="a batch result written by 'nomonhan batch --out'"),
    targets: Optional[Path] = typer.Option(None, help="targets file (default: the bundled one for the results' scenario)"),
) -> None:
    """Judge a finished batch against the calibration targets of its scenario."""

    def work() -> int:
        from nomonhan import safeio
        from nomonhan.replay import check_scenario_ref
        from nomonhan.scenario.load import load_scenario
        from nomonhan.sim.checkpoint import MAX_RESULT_BYTES
        from nomonhan.sim.targets import bundled_targets, checked_targets, evaluate, verdict_table

        try:
            batch_result = safeio.read_json(results, MAX_RESULT_BYTES)
            ref, games = batch_result["scenario_ref"], batch_result["games"]
        except safeio.FileRefused as exc:
            raise ValueError(f"{results}: {exc}") from None
        except (KeyError, TypeError):
            raise ValueError(f"{results}: not a batch result (no 'scenario_ref' and 'games' fields)") from None
        check_scenario_ref(ref, f"{results}: field 'scenario_ref'")
        loaded = load_scenario(ref)
        if loaded.content_hash != batch_result.get("scenario_hash"):
            errors.print(f"warning: {ref} has changed since these games were played; names are checked against today's file")
        wanted = checked_targets(targets or bundled_targets(loaded.id), loaded)
        verdicts = evaluate(wanted, games, loaded, str(results))
        console.print(verdict_table(verdicts))
        return 0 if all(v["met"] for v in verdicts) else 3

    raise typer.Exit(_guard(work))


@app.command()
def arena(
    scenario: str = typer.Argument(..., help="bundled scenario id or path"),
    players: str = typer.Option(
        ..., help="comma-separated: random, heuristic, search, package.module:Class, or cmd:COMMAND (a program speaking JSON lines)"
    ),
    games: int = typer.Option(10, help="games per pairing and side"),
    seed_start: Optional[int] = typer.Option(
        None,
        "--seed-start",
        min=0,
        max=MAX_SEED,
        help="seed of each pairing's first game (default: drawn at random and printed, so that no player can guess the dice)",
    ),
    workers: Optional[int] = typer.Option(None, help="local processes (default: all cores; 1 plays in this process)"),
    cluster: Optional[str] = typer.Option(None, help="a Dask scheduler address, e.g. tcp://host:8786"),
    local_cluster: Optional[int] = typer.Option(None, "--local-cluster", help="start a local Dask cluster of K workers"),
    out: Optional[Path] = typer.Option(None, help="write the ratings and every game's result (with its seed) as JSON"),
) -> None:
    """Play a round robin between players on both sides and rate them (Bradley-Terry)."""

    def work() -> None:
        from nomonhan.fileio import check_apart, check_output, write_atomic
        from nomonhan.scenario.load import load_scenario
        from nomonhan.sim.arena import print_arena, run_arena

        if out:
            check_apart({"--out": out}, _reads(scenario, []))
            check_output(out)
        loaded = load_scenario(scenario)
        result = run_arena(
            scenario, [p.strip() for p in players.split(",") if p.strip()], games, workers, seed_start, cluster, local_cluster
        )
        print_arena(result, loaded.side_ids, console)
        if out:
            write_atomic(out, json.dumps(result.to_dict(), indent=1) + "\n")

    _guard(work)


@app.command()
def sweep(
    scenario: str = typer.Argument(..., help="bundled scenario id or path"),
    vary: list[str] = typer.Option(
        [], "--vary", help="PATH=LOW:HIGH[:STEPS] or PATH*=LOW:HIGH[:STEPS]: a parameter of the sweep (repeatable)"
    ),
    set_: list[str] = typer.Option([], "--set", help=SET_HELP + ", the same at every point"),
    overlay: list[Path] = typer.Option([], "--overlay", help=OVERLAY_HELP),
    method: str = typer.Option("grid", help="grid, oat (one at a time), morris or sobol"),
    runs_per_point: int = typer.Option(20, "--runs-per-point", help="games at each point, on the same seeds at every point"),
    samples: Optional[int] = typer.Option(None, help="morris: trajectories (default 4); sobol: base samples, a power of two (default 8)"),
    seed_start: int = typer.Option(0, "--seed-start", help="seed of each point's first game; the others follow"),
    player: list[str] = typer.Option([], "--player", help="SIDE=KIND, e.g. japanese=random (repeatable)"),
    workers: Optional[int] = typer.Option(None, help="local processes (default: all cores; 1 plays in this process)"),
    cluster: Optional[str] = typer.Option(None, help="a Dask scheduler address, e.g. tcp://host:8786"),
    local_cluster: Optional[int] = typer.Option(None, "--local-cluster", help="start a local Dask cluster of K workers"),
    out: str = typer.Option(..., help="the sweep's folder (new or empty; or the sweep's own with --resume)"),
    resume: bool = typer.Option(False, help="complete an interrupted sweep in --out, keeping the games it played"),
    plots: bool = typer.Option(True, "--plots/--no-plots", help="draw the plots (needs matplotlib)"),
    targets: Optional[Path] = typer.Option(
        None, help="judge each point's games against a calibration targets file (e.g. scenarios/targets/ID.yaml): DIR/targets.csv"
    ),
) -> None:
    """What-if sweep: play variants of a scenario on the same seeds and measure each parameter's effect."""

    def work() -> int:
        from nomonhan.scenario.load import load_scenario
        from nomonhan.sim.sweep import Parameter, run_sweep
        from nomonhan.sim.sweep_report import TARGETS_FILE, point_summaries, print_summary, write_outputs
        from nomonhan.sim.targets import checked_targets

        if not out.strip():  # a Path would read '' as the current folder
            raise ValueError("--out needs a folder's name, not an empty text")
        parameters = [Parameter.parse(spec) for spec in vary]
        # A bad targets file fails before any game, checked against the sweep's base scenario.
        wanted = checked_targets(targets, load_scenario(_what_if(scenario, set_, overlay))) if targets else None
        result = run_sweep(
            scenario,
            parameters,
            out,
            method,
            runs_per_point,
            seed_start,
            set_,
            overlay,
            _parse_players(player),
            samples,
            workers=workers,
            cluster=cluster,
            local_cluster=local_cluster,
            resume=resume,
        )
        stale = wanted is None and (Path(out) / TARGETS_FILE).exists()
        summaries, judged = point_summaries(result, wanted), wanted is not None
        print_summary(result, summaries, console, write_outputs(result, summaries, out, plots, judged), judged)
        if stale:
            console.print(f"removed {Path(out) / TARGETS_FILE}: judged on fewer games; give --targets to judge them all", markup=False)
        return 128 + result.stopped_by if result.interrupted else 0  # the shell's code for that signal

    raise typer.Exit(_guard(work))


@app.command()
def replay(path: Path = typer.Argument(..., help="a game record from play or run --record")) -> None:
    """Replay a game record and verify its final digest (exit 0 only when it matches)."""

    def work() -> None:
        from nomonhan.replay import load_game

        game = load_game(path, keep_states=False)
        console.print(
            f"{path}: {len(game.actions)} actions replayed; digest {game.state.digest()[:16]} matches", markup=False, highlight=False
        )

    _guard(work)


@app.command()
def report(
    record: Path = typer.Argument(..., help="a game record from play, run --record or batch --records"),
    out: Optional[Path] = typer.Option(None, help="write the report to PATH (Markdown) instead of standard output"),
    plot: Optional[Path] = typer.Option(None, help="draw the victory-point margin and the losses by date to PATH.png (needs matplotlib)"),
) -> None:
    """Write the after-action report of a game record: the result beside history, who held what
    and when, losses, the battle day by day, the key fights and the reinforcements (Markdown)."""

    def work() -> None:
        from nomonhan.fileio import check_apart, check_output, write_atomic
        from nomonhan.replay import load_game, read_record
        from nomonhan.sim import after_action

        check_apart({"--out": out, "--plot": plot}, {"the record": record})
        for path in (out, plot):
            if path:
                check_output(path)
        game = load_game(record)
        players = after_action.recorded_players(read_record(record), game.scenario)
        link = after_action.plot_link(plot, out) if plot and out else None
        text = after_action.report(game, players, link)
        if plot:
            after_action.plot(game, plot)
        if out is None:
            sys.stdout.write(text)
            return
        write_atomic(out, text)
        console.print(f"{out}: after-action report of {game.scenario.id}, seed {game.seed}", markup=False, highlight=False)

    _guard(work)


@app.command()
def validate(paths: list[str] = typer.Argument(..., help="scenario files, rules-data files, targets files or bundled ids")) -> None:
    """Check scenario, rules-data or calibration-targets files: exit 0 when all are valid, else 1 with one line per problem."""
    failed = False
    for ref in paths:
        try:
            problems = _problems_of(ref)
        except ScenarioError as exc:
            problems = exc.problems
        for problem in problems:
            errors.print(str(problem), markup=False, highlight=False)
        if any(p.severity == "error" for p in problems):
            failed = True
        else:
            console.print(f"{ref}: valid", markup=False, highlight=False)
    raise typer.Exit(1 if failed else 0)


def _problems_of(ref: str) -> list[Any]:
    """What ``validate`` finds in one file, read as the kind of file its fields say it is: a
    targets file (``scenario`` and ``targets``), a rules-data file or a scenario."""
    from nomonhan.scenario import yamlio
    from nomonhan.scenario.load import resolve, validate_file
    from nomonhan.sim.targets import is_targets_file, validate_targets_file

    path = resolve(ref)
    if is_targets_file(yamlio.parse(yamlio.read_text(path, str(path)), str(path))[1]):
        return validate_targets_file(path)
    return validate_file(ref)


@app.command()
def schema(rules: bool = typer.Option(False, "--rules", help="the rules-data schema instead of the scenario schema")) -> None:
    """Print the JSON Schema of scenario files (or of rules data files)."""
    from nomonhan.scenario.schema import RulesData, ScenarioFile

    model = RulesData if rules else ScenarioFile
    print(json.dumps(model.model_json_schema(), indent=2))


@app.command()
def scenarios(as_json: bool = typer.Option(False, "--json", help="machine-readable output")) -> None:
    """List the bundled scenarios."""

    def work() -> None:
        from nomonhan.resources import bundled_scenario_paths
        from nomonhan.scenario.load import load_scenario

        rows: list[dict[str, Any]] = []
        for path in bundled_scenario_paths():
            loaded = load_scenario(path)
            period = loaded.period
            rows.append(
                {
                    "id": loaded.id,
                    "title": loaded.model.title,
                    "start": loaded.turn_start(1).isoformat(timespec="minutes"),
                    "end": loaded.turn_start(period.last_turn + 1).isoformat(timespec="minutes"),
                    "turns": period.last_turn,
                    "sides": [s.id for s in loaded.sides],
                }
            )
        if as_json:
            print(json.dumps(rows, indent=2))
            return
        table = Table(title="Bundled scenarios")
        for column in ("id", "title", "start", "end", "turns", "sides"):
            table.add_column(column)
        for row in rows:
            table.add_row(row["id"], row["title"], row["start"], row["end"], str(row["turns"]), ", ".join(row["sides"]))
        console.print(table)

    _guard(work)


@app.command(name="map")
def map_command(scenario: str = typer.Argument(..., help="bundled scenario id or path")) -> None:
    """Redraw a scenario's terrain, rivers, borders, roads and places from its map.build recipe."""

    def work() -> None:
        from nomonhan.scenario.write import rebuild_map

        path = rebuild_map(scenario)
        console.print(f"{path}: map redrawn from its recipe", markup=False, highlight=False)

    _guard(work)


@app.command()
def render(
    scenario: str = typer.Argument(..., help="bundled scenario id or path"),
    record: Optional[Path] = typer.Option(None, help="a game record (from run --record or a saved game); default: the set-up"),
    turn: Optional[int] = typer.Option(None, help="draw the start of this turn (default: the record's end)"),
    side: Optional[str] = typer.Option(None, help="draw what this side sees (default: the full view)"),
    out: Path = typer.Option(..., help="the PNG file to write"),
) -> None:
    """Draw the map and the units at one moment of a game as a PNG, without a window."""

    def work() -> None:
        from nomonhan.fileio import check_apart
        from nomonhan.ui.picture import moment
        from nomonhan.ui.picture import render as draw

        check_apart({"--out": out}, _reads(scenario, [], **{"--record": record}))
        state = moment(scenario, str(record) if record else None, turn)
        width, height = draw(state, side, out)
        console.print(f"{out}: turn {state.turn}, {side or 'full'} view, {width} x {height} px", markup=False, highlight=False)

    _guard(work)


@app.command()
def new(
    scenario_id: str = typer.Argument(..., metavar="ID", help="the new scenario's id (lower case, digits, - and _)"),
    size: str = typer.Option("30x20", help="COLSxROWS"),
    hex_km: float = typer.Option(1.0, "--hex-km", help="km between the centres of adjacent hexes"),
    start: str = typer.Option("1939-08-20T06:00", help="date and time of the first turn"),
    turns: int = typer.Option(10, help="number of turns"),
    turn_hours: int = typer.Option(12, "--turn-hours", help="hours in a turn"),
    out: Optional[Path] = typer.Option(None, help="where to write it (default: ID.yaml here)"),
    force: bool = typer.Option(False, help="overwrite an existing file"),
    georef: Optional[str] = typer.Option(
        None, help="LAT,LON of hex 0,0 (the north-west corner): add a map.build recipe and an empty geo/ID.geojson beside it"
    ),
) -> None:
    """Write a valid skeleton scenario to edit."""

    def work() -> None:
        from datetime import datetime

        from pydantic import ValidationError

        from nomonhan.fileio import write_atomic
        from nomonhan.scenario.load import validate_scenario
        from nomonhan.scenario.messages import author_message
        from nomonhan.scenario.schema import MAX_MAP_COLUMNS, MAX_MAP_ROWS, ScenarioFile
        from nomonhan.scenario.skeleton import EMPTY_GEOJSON, geojson_name, skeleton
        from nomonhan.scenario.write import save_tree, styled

        match = re.fullmatch(r"(\d{1,9})x(\d{1,9})", size.lower(), re.ASCII)
        if not match:
            raise ValueError(f"--size takes COLSxROWS, e.g. 30x20, not {size!r}")
        columns, rows = int(match[1]), int(match[2])
        if not (2 <= columns <= MAX_MAP_COLUMNS and 2 <= rows <= MAX_MAP_ROWS):
            raise ValueError(f"--size: a map has 2 to {MAX_MAP_COLUMNS} columns and 2 to {MAX_MAP_ROWS} rows, not {size!r}")
        try:
            first = datetime.fromisoformat(start)
        except ValueError:
            raise ValueError(f"--start takes a date and time such as 1939-08-20T06:00, not {start!r}") from None
        path = out or Path(f"{scenario_id}.yaml")
        if path.exists() and not force:
            raise ValueError(f"{path} exists; pass --force to overwrite it")
        corner = _lat_lon(georef) if georef is not None else None
        data = skeleton(scenario_id, columns, rows, hex_km, first, turns, turn_hours, corner)
        try:
            ScenarioFile.model_validate(data)
        except ValidationError as exc:
            error = exc.errors()[0]
            raise ValueError(f"{'.'.join(str(p) for p in error['loc'])}: {author_message(error, ScenarioFile)}") from None
        save_tree(path, styled(data))
        if corner is not None:
            geojson = path.parent / geojson_name(scenario_id)
            if not geojson.exists():
                geojson.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(geojson, EMPTY_GEOJSON)
        problems = [p for p in validate_scenario(path) if p.severity == "error"]
        if problems:
            raise ScenarioError(problems)
        console.print(f"{path}: new scenario written; check it with `nomonhan validate {path}`", markup=False, highlight=False)

    _guard(work)


def _lat_lon(text: str) -> tuple[float, float]:
    """``--georef LAT,LON`` -> (lat, lon), in range, or a ValueError saying what is wrong."""
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*", text)
    if not match or not (-90 <= float(match[1]) <= 90 and -180 <= float(match[2]) <= 180):
        raise ValueError(f"--georef takes LAT,LON in degrees (latitude -90..90, longitude -180..180), e.g. 47.75,118.6, not {text!r}")
    return float(match[1]), float(match[2])


@app.command()
def edit(scenario: Optional[str] = typer.Argument(None, help="bundled scenario id, a file, or a new file's path")) -> None:
    """Open the scenario editor on a bundled scenario, a file, or a new map."""
    if not has_display():
        errors.print(
            "No display found (DISPLAY is not set), so the editor cannot open.\n"
            "Write a scenario with `nomonhan new` and check it with `nomonhan validate`.",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(2)

    def work() -> None:
        from nomonhan.editor.app import run_editor

        run_editor(scenario)

    _guard(work)


def main() -> None:
    """The console script: SIGTERM and SIGHUP stop any command as Ctrl-C does (see
    :mod:`nomonhan.stopping`), so its ``finally`` clauses run and no temporary file is left."""
    from nomonhan.stopping import Stopped, stop_signals_interrupt

    with stop_signals_interrupt() as received:
        try:
            app()
        except Stopped as exc:
            # The signal came before the command's own Ctrl-C handling began (while typer built
            # the commands): nothing to clean up yet, so exit with its code, not a traceback.
            raise SystemExit(128 + exc.signum) from None
        except SystemExit as exc:
            # Ctrl-C handling ends a command with 130 (128 + SIGINT), click's with 1 ("Aborted!");
            # a SIGTERM or SIGHUP that stopped it the same way gets its own code, as a shell and
            # a job scheduler expect.
            if exc.code and received.signum:
                raise SystemExit(128 + received.signum) from None
            raise
        except KeyboardInterrupt:
            # Stopped before any command's own handling took over (while starting up): the
            # same exit code, never a traceback.
            raise SystemExit(128 + received.signum if received.signum else 130) from None
        except Exception:
            # A stop signal that lands while a class is being made (a module importing) reaches
            # us wrapped: Python 3.11 turns an exception raised in ``__set_name__`` into a
            # RuntimeError ("Error calling __set_name__ ..."). Stopped is stopped all the same.
            if received.signum:
                raise SystemExit(128 + received.signum) from None
            raise
