"""The tables of ``docs/rules.md``, printed from the rules data so that the two cannot drift.

The document marks each generated table with a pair of HTML comments::

    <!-- generated: crt -->
    ...table...
    <!-- end generated -->

:func:`update` replaces the text between each pair with :func:`tables`' text for that name;
``tools/rules_doc.py`` writes the result, and a test fails when the committed document is not
what :func:`update` makes of it.  Prose around the tables is written by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import BaseModel

from nomonhan.scenario.schema import BombardmentTable, CombatResultsTable, RulesData

_BLOCK = re.compile(r"(<!-- generated: (?P<name>[a-z_]+) -->\n)(?P<body>.*?)(<!-- end generated -->)", re.S)


def update(document: str, rules: RulesData) -> str:
    """``document`` with every generated block rewritten from ``rules``.

    Raises ValueError when a block names no known table or a table has no block, so that a
    table cannot silently fall out of the document.
    """
    rendered = tables(rules)
    found = [m.group("name") for m in _BLOCK.finditer(document)]
    unknown = sorted(set(found) - set(rendered))
    missing = sorted(set(rendered) - set(found))
    if unknown or missing:
        raise ValueError(f"generated blocks: unknown {unknown}, missing {missing}")
    return _BLOCK.sub(lambda m: m.group(1) + rendered[m.group("name")] + m.group(4), document)


def tables(rules: RulesData) -> dict[str, str]:
    """Block name -> its Markdown text (each line ends with a newline)."""
    sections: dict[str, Callable[[RulesData], str]] = {
        "terrain": _terrain,
        "hexside_features": _hexside_features,
        "roads": _roads,
        "movement_numbers": lambda r: (
            _numbers([("stacking_limit", "stack points allowed in one hex", r.stacking_limit)])
            + _section_rows(r, "zoc", "spotting", "night", header=False)
        ),
        "shifts": lambda r: _section_rows(r, "shifts", header=True, value=_shift),
        "crt": lambda r: _crt(r.crt),
        "overrun": lambda r: _section_rows(r, "overrun", header=True),
        "bombardment": lambda r: _bombardment(r.bombardment),
        "air": lambda r: _section_rows(r, "air", header=True),
        "supply": lambda r: _section_rows(r, "supply", header=True),
        "supply_stages": _supply_stages,
        "recovery": lambda r: _section_rows(r, "recovery", header=True),
        "armour": lambda r: _section_rows(r, "armour", header=True),
        "casualties": _casualties,
        "bridges": _bridges,
        "artillery": lambda r: _section_rows(r, "artillery", header=True),
        "gun_weights": _gun_weights,
        "unit_types": _unit_types,
    }
    return {name: render(rules) for name, render in sections.items()}


# ------------------------------------------------------------------ the tables


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _signed(value: int) -> str:
    """A column shift as the document writes it: +1, −1 (a minus sign), 0."""
    return f"+{value}" if value > 0 else f"−{-value}" if value < 0 else "0"


def _cost(value: int | None) -> str:
    return "–" if value is None else str(value)


def _result(text: str) -> str:
    return "–" if text == "-" else text


def _terrain(rules: RulesData) -> str:
    classes = [mc.id for mc in rules.movement_classes]
    rows = [
        [
            f"`{t.code}`",
            t.name,
            *(_cost(t.move_cost[c]) for c in classes),
            _signed(-t.defence_shift) if t.defence_shift else "0",
            _signed(t.armour.shift),
            "yes" if t.armour.overrun else "no",
            f"{t.armour.close_assault_pct}%",
        ]
        for t in rules.terrain
    ]
    return _table(["code", "terrain", *classes, "attack into it", "armour attacking", "overrun", "tank-hunting"], rows)


def _casualties(rules: RulesData) -> str:
    rows = []
    for cause in type(rules.casualties).model_fields:
        share = getattr(rules.casualties, cause)
        wounded = 100 - share.killed_pct - share.missing_pct
        rows.append(
            [cause.replace("_", " "), f"{share.men_pct}%", f"{share.killed_pct}%", f"{wounded}%", f"{share.missing_pct}%", share.source]
        )
    return _table(["step lost", "men lost", "killed", "wounded or sick", "missing or captured", "source"], rows)


def _hexside_features(rules: RulesData) -> str:
    classes = [mc.id for mc in rules.movement_classes]
    rows = [
        [
            f.name,
            *(_crossing(f.crossing_cost, c) for c in classes),
            _signed(f.attack_shift),
            "yes" if f.blocks_zoc else "no",
            "yes" if f.bridgeable else "no",
        ]
        for f in rules.hexside_features
    ]
    return _table(["hexside", *(f"{c} (extra)" for c in classes), "attack across", "blocks ZOC", "bridgeable"], rows)


def _crossing(costs: dict[str, int | None], movement_class: str) -> str:
    if movement_class not in costs:
        return "0"
    cost = costs[movement_class]
    return "bridge only" if cost is None else str(cost)


def _roads(rules: RulesData) -> str:
    classes = [mc.id for mc in rules.movement_classes]
    return _table(["road", *classes], [[r.name, *(str(r.move_cost[c]) for c in classes)] for r in rules.roads])


def _crt(table: CombatResultsTable) -> str:
    rows = [[str(face), *(_result(cell) for cell in row)] for face, row in enumerate(table.results, start=1)]
    return _table(["die", *(c.label for c in table.columns)], rows)


def _bombardment(table: BombardmentTable) -> str:
    bounds = table.strength_columns
    labels = [f"{low}–{high - 1}" if high - 1 > low else str(low) for low, high in zip(bounds, bounds[1:])] + [f"{bounds[-1]}+"]
    rows = [[str(face), *(_result(cell) for cell in row)] for face, row in enumerate(table.results, start=1)]
    return _table(["die", *labels], rows)


def _bridges(rules: RulesData) -> str:
    """The bridge numbers, then the table for air and gun attacks on a bridge by die face."""
    data = rules.bridges
    numbers = [
        (f"bridges.{name}", type(data).model_fields[name].description or "", getattr(data, name))
        for name in ("build_hours", "pontoons_per_engineer", "steps_per_hour", "damaged_hours")
    ]
    rows = [[str(face), _result(air), _result(guns)] for face, (air, guns) in enumerate(zip(data.air_attack, data.gun_attack), start=1)]
    return _numbers(numbers) + "\n" + _table([f"die (d{data.attack_die_sides})", "air mission", "bombardment"], rows)


def _gun_weights(rules: RulesData) -> str:
    rows = [[f"`{w.id}`", w.name, str(w.fire_cost)] for w in rules.artillery.gun_weights]
    return _table(["weight", "guns", "supply points to fire"], rows)


def _unit_types(rules: RulesData) -> str:
    rows = []
    for t in rules.unit_types:
        per_step = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in t.per_step.model_dump().items() if n)
        rows.append(
            [
                f"`{t.id}`",
                t.name,
                t.category,
                ", ".join(t.abilities) or "–",
                t.movement_class,
                str(t.move_points),
                f"{t.attack}-{t.defence}",
                str(t.steps),
                per_step,
                str(t.stack_points),
                "yes" if t.exerts_zoc else "no",
                f"{t.bombard}, range {t.artillery_range}, {t.gun_weight}" if t.artillery_range else "–",
                str(t.supply_cost),
            ]
        )
    header = [
        "id",
        "unit",
        "category",
        "abilities",
        "moves as",
        "move points",
        "attack-defence",
        "steps",
        "one step holds",
        "stack points",
        "ZOC",
        "bombard",
        "supply cost",
    ]
    return _table(header, rows)


def _supply_stages(rules: RulesData) -> str:
    rows = [
        [
            f"more than {stage.after_hours} hours" if stage.after_hours else "from the first supply phase missed",
            stage.name,
            f"{stage.attack_pct}%" if stage.attack_pct else "may not attack",
            f"{stage.defence_pct}%",
            f"{stage.move_pct}%",
            "yes" if stage.combat_shifts else "no",
            f"one every {stage.step_loss_every_hours} hours" if stage.step_loss_every_hours else "–",
        ]
        for stage in rules.supply.stages
    ]
    return _table(["cut off", "stage", "attack", "defence", "move points", "out-of-supply shifts", "steps lost"], rows)


# ------------------------------------------------------------------ sections of plain numbers


def _section_rows(rules: RulesData, *names: str, header: bool, value: Callable[[object], str] | None = None) -> str:
    """The fields of settings sections as rows: the data's field name, what it means (from the
    schema's description), its value; without the header when the rows continue a table.
    A list of records (the supply stages) has a table of its own."""
    rows: list[tuple[str, str, object]] = []
    for name in names:
        section: BaseModel = getattr(rules, name)
        for field, info in type(section).model_fields.items():
            if field != "source" and not _is_table(getattr(section, field)):
                rows.append((f"{name}.{field}", info.description or "", getattr(section, field)))
    text = _numbers(rows, value or _value)
    return text if header else text.split("\n", 2)[2]


def _is_table(value: object) -> bool:
    """A list of records (the gun weights): printed as a table of its own, not as one value."""
    return isinstance(value, list) and any(isinstance(item, BaseModel) for item in value)


def _numbers(rows: list[tuple[str, str, object]], value: Callable[[object], str] = lambda v: _value(v)) -> str:
    return _table(["data", "what it sets", "value"], [[f"`{key}`", what, value(v)] for key, what, v in rows])


def _shift(value: object) -> str:
    return _signed(value) if isinstance(value, int) else str(value)


def _value(value: object) -> str:
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return f"{value[0]}:{value[1]}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
