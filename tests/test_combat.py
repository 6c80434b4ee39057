"""Combat rules on hand-built positions: odds, the results table, every column shift, losses,
retreats, advances, bombardment and overruns, each checked against ``docs/rules.md``.

Maps are small and drawn inline (``make_scenario``); hexes are 'col,row' (odd-q, north up).
The standard position: a 7 x 5 steppe map, the defenders in ``3,2``, whose neighbours are
3,1 (N), 4,2 (NE), 4,3 (SE), 3,3 (S), 2,3 (SW) and 2,2 (NW).  Unit values (standard rules):
rifle_bn 3/3 (2 steps), tank_bn 5/3 (armour, 2 steps), cavalry_rgt 2/2, artillery_bn 1/1
(1 step, bombard 4, range 4, no ZOC).  Dice are pinned by choosing ``rng_state`` values whose
rolls are computed with :func:`nomonhan.rng.roll`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import BIG, LORRY, bombardment, declared, make_scenario, next_turn, seed_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nomonhan import engine, rng
from nomonhan.actions import Advance, Attack, Declare, EndPhase, HoldPosition, IllegalActionError, Move, Retreat, Support
from nomonhan.engine.attrition import take_steps
from nomonhan.engine.eligibility import attack_targets, bombard_targets, eligible_artillery, eligible_attackers, overrun_options
from nomonhan.events import BombardmentResolved, CombatResolved, StepLost, UnitAdvanced, UnitEliminated, UnitRetreated
from nomonhan.hexgrid import format_hex, parse_hex, parse_hexside, ring
from nomonhan.rules.combat import bombardment_column, distribution, odds_column, plan_attack, resolve, resolve_bombardment
from nomonhan.rules.retreat import retreat_options
from nomonhan.rules.victory import losses
from nomonhan.state import AirState, GameState, Phase, UnitStatus

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules.md"

STEPPE = [".......", ".......", ".......", ".......", "......."]
T = "3,2"  # the defenders' hex in the standard position

# A stout defender (lots of defence, several steps) and a 1-step company for tie-breaks.
BUNKER = {
    "id": "bunker",
    "name": "Bunker",
    "category": "infantry",
    "size": "battalion",
    "movement_class": "foot",
    "move_points": 4,
    "attack": 0,
    "defence": 12,
    "steps": 2,
    "stack_points": 2,
    "source": "test",
}
COMPANY = {
    "id": "coy",
    "name": "Company",
    "category": "infantry",
    "size": "company",
    "movement_class": "foot",
    "move_points": 6,
    "attack": 1,
    "defence": 3,
    "steps": 1,
    "stack_points": 1,
    "source": "test",
}
MOTOR = {
    "id": "motor_bn",
    "name": "Motorized battalion",
    "category": "motorized",
    "size": "battalion",
    "movement_class": "wheeled",
    "move_points": 8,
    "attack": 5,
    "defence": 2,
    "steps": 2,
    "abilities": ["overrun"],
    "stack_points": 2,
    "source": "test",
}


def h(text: str):
    return parse_hex(text)


def rows_with(code: str, at: str = T, base: list[str] = STEPPE) -> list[str]:
    col, row = (int(part) for part in at.split(","))
    rows = [list(r) for r in base]
    rows[row][col] = code
    return ["".join(r) for r in rows]


def game(tmp_path, units, rows=STEPPE, phase: Phase = Phase.COMBAT, **options) -> GameState:
    """A new game (japanese to act, turn 1) put into ``phase``."""
    state = engine.new_game(make_scenario(tmp_path, rows, units, **options), 1)
    return replace(state, phase=phase)


def with_(state: GameState, unit_id: str, **changes) -> GameState:
    return state.with_unit(replace(state.unit(unit_id), **changes))


def plan(state: GameState, attackers, target: str = T, artillery: int = 0, air: int = 0, overrun: bool = False):
    target_hex = h(target)
    defenders = [u for u in state.units if u.on_map and u.hex == target_hex and u.side != state.active_side]
    return plan_attack(state, [state.unit(a) for a in attackers], defenders, target_hex, artillery, air, overrun)


def combat_events(events) -> list[CombatResolved]:
    return [e for e in events if isinstance(e, CombatResolved)]


# ------------------------------------------------------------------ the docs' tables


def _doc_table(first_header_cell: str) -> tuple[list[str], list[list[str]]]:
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.replace(" ", "").startswith(f"|die|{first_header_cell}|"))

    def cells(line: str) -> list[str]:
        return [c.strip() for c in line.strip().strip("|").split("|")]

    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(cells(line))
    return cells(lines[start])[1:], rows


CRT_HEADER, CRT_ROWS = _doc_table("1:3")
BOMB_HEADER, BOMB_ROWS = _doc_table("1–3")
LABELS = ["1:3", "1:2", "1:1", "3:2", "2:1", "3:1", "4:1", "5:1", "6:1"]


def expected_steps(text: str) -> tuple[int, int, int]:
    """(attacker steps, defender steps, retreat) read from a table cell as the docs write it."""
    if text in ("-", "–"):
        return (0, 0, 0)
    parts = {kind: int(value) for kind, value in re.findall(r"([ADR])(\d)", text)}
    assert (
        "/".join([f"{k}{v}" for k, v in re.findall(r"([ADR])(\d)", text)] + (["S"] if text.endswith("/S") or text == "S" else [])) == text
    )
    return parts.get("A", 0), parts.get("D", 0), parts.get("R", 0)


def test_docs_tables_have_the_expected_shape():
    assert CRT_HEADER == LABELS
    assert [row[0] for row in CRT_ROWS] == ["1", "2", "3", "4", "5", "6"]
    assert all(len(row) == 10 for row in CRT_ROWS)
    assert BOMB_HEADER == ["1–3", "4–7", "8–11", "12+"]
    assert [row[0] for row in BOMB_ROWS] == ["1", "2", "3", "4", "5", "6"]


@pytest.mark.parametrize(
    "die, column",
    [(die, column) for die in range(1, 7) for column in range(9)],
    ids=[f"die{die}-{LABELS[column]}" for die in range(1, 7) for column in range(9)],
)
def test_every_crt_cell_matches_the_docs(crossing, die, column):
    table = crossing.rules.crt
    text = CRT_ROWS[die - 1][column + 1]
    result = resolve(table, column, die)
    assert table.columns[column].label == LABELS[column]
    assert result.text == text
    assert (result.attacker_steps, result.defender_steps, result.retreat) == expected_steps(text)


@pytest.mark.parametrize("die, column", [(die, column) for die in range(1, 7) for column in range(4)], ids=lambda v: str(v))
def test_every_bombardment_cell_matches_the_docs(crossing, die, column):
    table = crossing.rules.bombardment
    assert table.strength_columns == [1, 4, 8, 12]
    result = resolve_bombardment(table, column, die)
    text = BOMB_ROWS[die - 1][column + 1]
    assert (result.attacker_steps, result.defender_steps, result.retreat) == expected_steps(text)
    assert result.disrupts == text.endswith("S")


@pytest.mark.parametrize("column", range(9))
def test_distribution_of_a_column_counts_its_faces(crossing, column):
    table = crossing.rules.crt
    chances = distribution(table, column)
    assert sum(chances.values()) == Fraction(1)
    for text, chance in chances.items():
        faces = [die for die in range(1, 7) if CRT_ROWS[die - 1][column + 1] == text]
        assert chance == Fraction(len(faces), 6)
    assert set(chances) == {CRT_ROWS[die - 1][column + 1] for die in range(1, 7)}


# ------------------------------------------------------------------ odds columns


@pytest.mark.parametrize(
    "attack, defence, label",
    [
        (1, 3, "1:3"),
        (1, 2, "1:2"),
        (1, 1, "1:1"),
        (3, 2, "3:2"),
        (2, 1, "2:1"),
        (3, 1, "3:1"),
        (4, 1, "4:1"),
        (5, 1, "5:1"),
        (6, 1, "6:1"),
        (2, 6, "1:3"),
        (4, 8, "1:2"),
        (9, 6, "3:2"),
        (12, 4, "3:1"),
        (30, 5, "6:1"),  # exact, scaled
        (7, 1, "6:1"),
        (100, 1, "6:1"),  # beyond the last column
        (Fraction(3, 2) - Fraction(1, 10**9), 1, "1:1"),  # a hair short of 3:2 rounds down
        (Fraction(1, 2), Fraction(1, 1), "1:2"),
        (5, 3, "3:2"),
        (29, 10, "2:1"),
        (Fraction(7, 2), 1, "3:1"),
        (Fraction(119, 20), 1, "5:1"),
        (5, 9, "1:2"),
        (4, 9, "1:3"),
        (1, 4, "1:3"),
        (0, 1, "1:3"),
        (Fraction(1, 100), 50, "1:3"),  # below the lowest column: the lowest
    ],
)
def test_odds_column_rounds_in_the_defenders_favour(crossing, attack, defence, label):
    table = crossing.rules.crt
    column = odds_column(table, Fraction(attack), Fraction(defence))
    assert table.columns[column].label == label


# ------------------------------------------------------------------ column shifts


@pytest.mark.parametrize(
    "code, shift",
    [(".", 0), ("s", -1), ("h", -1), ("H", -2), ("m", 0), ("v", -1), ("f", -1)],
    ids=["steppe", "dunes", "hills", "steep_hills", "marsh", "village", "wooded_hills"],
)
def test_defender_terrain_shift(tmp_path, code, shift):
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("j-2", "rifle_bn", "japanese", "4,2"), ("s-1", "rifle_bn", "soviet", T)]
    state = game(tmp_path, units, rows_with(code))
    found = plan(state, ["j-1", "j-2"])
    assert (found.attack, found.defence) == (6, 3)
    assert found.base_column == 4  # 2:1
    assert found.total_shift == shift
    assert found.column == 4 + shift
    assert found.column_label == LABELS[4 + shift]


@pytest.mark.parametrize(
    "lines, bridges, attackers, base, shift",
    [
        ([], [], ["j-1"], 2, 0),
        ([("stream", ["2,2:SE"])], [], ["j-1"], 2, -1),
        ([("stream", ["2,2:SE"])], ["2,2:SE"], ["j-1"], 2, -1),  # a bridged stream is still a stream
        ([("river", ["2,2:SE"])], ["2,2:SE"], ["j-1"], 2, -2),  # a river at a bridge
        ([("river", ["2,2:SE"])], ["2,2:SE"], ["j-1", "j-2"], 4, 0),  # not every attacker crosses
        ([("river", ["2,2:SE", "3,2:NE"])], ["2,2:SE", "3,2:NE"], ["j-1", "j-2"], 4, -2),  # every attacker crosses
        ([("river", ["2,2:SE"]), ("stream", ["3,2:NE"])], ["2,2:SE"], ["j-1", "j-2"], 4, -1),  # river and stream
    ],
    ids=["none", "stream", "bridged-stream", "river-bridge", "one-of-two", "both-river", "river-and-stream"],
)
def test_river_and_stream_hexside_shifts(tmp_path, lines, bridges, attackers, base, shift):
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("j-2", "rifle_bn", "japanese", "4,2"), ("s-1", "rifle_bn", "soviet", T)]
    state = game(tmp_path, units, hexside_lines=lines, bridges=bridges)
    found = plan(state, attackers)
    assert found.base_column == base
    assert found.total_shift == shift
    assert found.column == base + shift
    # and the attack is legal: every one of these hexsides can be crossed
    assert {u.id for u in eligible_attackers(state, h(T))} == {"j-1", "j-2"}


NIGHT = "1939-07-02T21:00:00"  # turn 1 starts at 21:00: night (dusk 20:00)


@pytest.mark.parametrize(
    "start, special, active, shift",
    [
        ("1939-07-02T06:00:00", {}, "japanese", 0),
        (NIGHT, {}, "japanese", -1),
        (NIGHT, {}, "soviet", -1),
        (NIGHT, {"night_attack": [{"side": "japanese", "shift": 1, "zoc_leave_cost": 2}]}, "japanese", 1),  # trained: its own shift
        (NIGHT, {"night_attack": [{"side": "japanese", "shift": 1, "zoc_leave_cost": 2}]}, "soviet", -1),  # the other side is not
        (NIGHT, {"night_attack": [{"side": "japanese", "shift": 0, "zoc_leave_cost": 2}]}, "japanese", 0),
        (
            "1939-07-02T06:00:00",
            {"night_attack": [{"side": "japanese", "shift": 1, "zoc_leave_cost": 2}]},
            "japanese",
            0,
        ),  # by day: nothing
    ],
    ids=["day", "night", "night-soviet", "trained", "untrained-side", "trained-zero", "trained-by-day"],
)
def test_night_attack_shift(tmp_path, start, special, active, shift):
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", T)]
    state = replace(game(tmp_path, units, start=start, special_rules=special), active_side=active)
    assert state.is_night == (start == NIGHT)
    found = plan(state, ["j-1"]) if active == "japanese" else plan(state, ["s-1"], target="2,2")
    assert found.base_column == 2
    assert found.total_shift == shift
    assert found.column == 2 + shift


def test_attacker_out_of_supply_adds_nothing_and_shifts_left_once_weakened(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("j-2", "rifle_bn", "japanese", "4,2"), ("s-1", "rifle_bn", "soviet", T)]
    state = game(tmp_path, units)
    assert plan(with_(state, "j-1", out_of_supply=1), ["j-1", "j-2"]).attack == 6  # the first stage: attack whole
    cut = with_(state, "j-1", out_of_supply=5)  # 60 hours: weakened, no attack strength
    alone = plan(cut, ["j-1"])
    assert alone.attack == 0 and alone.base_column == 0 and alone.total_shift == -1
    both = plan(cut, ["j-1", "j-2"])
    assert both.attack == 3
    assert both.base_column == 2 and both.total_shift == -1 and both.column == 1
    assert plan(state, ["j-1", "j-2"]).total_shift == 0


@pytest.mark.parametrize(
    "out_of_supply, defence, base, shift",
    [
        ((0,), 3, 2, 0),
        ((1,), 3, 2, 0),
        ((3,), 3, 2, 0),
        ((5,), Fraction(3, 2), 4, 1),
        ((9,), Fraction(3, 2), 4, 1),
        ((5, 0), Fraction(9, 2), 1, 0),
        ((5, 5), 3, 2, 1),
        ((1, 1), 6, 1, 0),
    ],
    ids=[
        "supplied",
        "no-recovery-12h",
        "no-attack-36h",
        "weakened-60h",
        "wasting-108h",
        "one-weakened",
        "whole-stack-weakened",
        "whole-stack-12h",
    ],
)
def test_defender_out_of_supply_shift_and_weakened_defence(tmp_path, out_of_supply, defence, base, shift):
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", T), ("s-2", "rifle_bn", "soviet", T)]
    state = game(tmp_path, units)
    if len(out_of_supply) == 1:
        state = state.with_unit(replace(state.unit("s-2"), status=UnitStatus.ELIMINATED, hex=None, steps=0))
    for unit_id, level in zip(("s-1", "s-2"), out_of_supply):
        state = with_(state, unit_id, out_of_supply=level)
    found = plan(state, ["j-1"])
    assert found.defence == defence
    assert found.base_column == base
    assert found.total_shift == shift


@pytest.mark.parametrize(
    "attackers, defenders, code, shift",
    [
        (["j-t"], ["rifle_bn"], ".", 1),  # armour against infantry in the open
        (["j-t", "j-1"], ["rifle_bn"], ".", 1),  # any armour among the attackers
        (["j-1"], ["rifle_bn"], ".", 0),  # no armour attacking
        (["j-t"], ["tank_bn"], ".", 0),  # the defender has armour
        (["j-t"], ["rifle_bn", "tank_bn"], ".", 0),
        (["j-t"], ["rifle_bn"], "v", -1),  # village: no armour shift (only its own -1)
        (["j-t"], ["rifle_bn"], "m", -1),  # marsh: armour bogs down (-1), no defence shift
        (["j-1"], ["rifle_bn"], "m", 0),  # no armour attacking: the marsh's armour shift does not apply
        (["j-t"], ["rifle_bn"], "h", -1),  # hills: no armour shift, their own -1
        (["j-t"], ["rifle_bn"], "f", -2),  # wooded hills: -1 for armour, -1 for the defender
    ],
)
def test_armour_shift_depends_on_the_terrain(tmp_path, attackers, defenders, code, shift):
    units = [("j-t", "tank_bn", "japanese", "2,2"), ("j-1", "rifle_bn", "japanese", "4,2")]
    units += [(f"s-{n}", type_id, "soviet", T) for n, type_id in enumerate(defenders)]
    state = game(tmp_path, units, rows_with(code))
    assert plan(state, attackers).total_shift == shift


@pytest.mark.parametrize("guns, shift", [(0, 0), (1, 1), (2, 2), (3, 2), (4, 2)])
def test_artillery_support_is_capped_at_two(tmp_path, guns, shift):
    state = game(tmp_path, [("j-1", "rifle_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", T)])
    found = plan(state, ["j-1"], artillery=guns)
    assert found.total_shift == shift and found.column == 2 + shift


@pytest.mark.parametrize("missions, shift", [(0, 0), (1, 1), (2, 2), (3, 2), (5, 2)])
def test_air_support_is_capped_at_two(tmp_path, missions, shift):
    state = game(tmp_path, [("j-1", "rifle_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", T)])
    assert plan(state, ["j-1"], air=missions).total_shift == shift
    # through the forecast: the side's own support missions over the hex are counted
    flown = replace(state, air=AirState(support=(("japanese", h(T)),) * missions + (("soviet", h(T)), ("japanese", h("0,0")))))
    forecast = engine.combat_odds(flown, Attack(("j-1",), h(T)))
    assert forecast.plan.total_shift == shift


@pytest.mark.parametrize(
    "entrenchment, shift",
    [((0,), 0), ((1,), -1), ((2,), -2), ((3,), -3), ((1, 1), -1), ((2, 0), 0), ((2, 1), -1)],
)
def test_entrenchment_uses_the_least_dug_in_defender(tmp_path, entrenchment, shift):
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("j-2", "rifle_bn", "japanese", "4,2")]
    units += [(f"s-{n}", "rifle_bn", "soviet", T) for n in range(len(entrenchment))]
    state = game(tmp_path, units)
    for n, level in enumerate(entrenchment):
        state = with_(state, f"s-{n}", entrenchment=level)
    assert plan(state, ["j-1", "j-2"]).total_shift == shift


FORTS = [
    {"name": "Fui Heights", "hex": T, "level": 2, "side": "soviet", "start": "1939-07-02T18:00:00"},  # from turn 2
    {"name": "Old works", "hex": "3,1", "level": 1, "side": "soviet"},  # from the start
    {"name": "Japanese works", "hex": "3,3", "level": 3, "side": "japanese"},
]


@pytest.mark.parametrize(
    "defender_hex, turn, entrenchment, shift",
    [
        (T, 1, 0, 0),  # the works are not built yet
        (T, 2, 0, -2),  # from their start date on
        (T, 3, 0, -2),
        (T, 2, 1, -2),  # the better of works and digging in
        ("3,1", 1, 0, -1),  # no start date: from the start
        ("3,1", 1, 2, -2),
        ("3,3", 1, 0, 0),  # the other side's works give soviets nothing
    ],
)
def test_dated_fortifications(tmp_path, defender_hex, turn, entrenchment, shift):
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", defender_hex)]
    state = game(tmp_path, units, extra={"fortifications": FORTS})
    state = with_(replace(state, turn=turn), "s-1", entrenchment=entrenchment)
    target = defender_hex
    attacker_hex = {T: "2,2", "3,1": "2,1", "3,3": "2,3"}[defender_hex]
    state = with_(state, "j-1", hex=h(attacker_hex))
    assert plan(state, ["j-1"], target=target).total_shift == shift


def test_overrun_adds_one_column(tmp_path):
    state = game(
        tmp_path, [("j-1", "rifle_bn", "japanese", "2,2"), ("j-t", "tank_bn", "japanese", "4,2"), ("s-1", "rifle_bn", "soviet", T)]
    )
    assert plan(state, ["j-1"], overrun=True).total_shift == 1
    assert plan(state, ["j-t"], overrun=True).total_shift == 2  # and armour in the open


def test_total_shift_is_bounded_to_six_left(tmp_path):
    # 10:1 reaches 6:1 (column 8); steep hills -2, works -3, night -1, river at a bridge -2, armour there -1: -9, bounded to -6
    units = [("j-t1", "tank_bn", "japanese", "2,2"), ("j-t2", "tank_bn", "japanese", "2,2"), ("s-a", "artillery_bn", "soviet", T)]
    state = game(
        tmp_path,
        units,
        rows_with("H"),
        start=NIGHT,
        hexside_lines=[("river", ["2,2:SE"])],
        bridges=["2,2:SE"],
        extra={"fortifications": [{"name": "Works", "hex": T, "level": 3, "side": "soviet"}]},
    )
    found = plan(state, ["j-t1", "j-t2"])
    assert found.base_column == 8
    assert sorted(value for _, value in found.shifts) == [-3, -2, -2, -1, -1]  # armour on steep hills -1
    assert found.column == 2 and found.column_label == "1:1"  # 8 - 6, not 8 - 8


def test_total_shift_is_bounded_to_six_right(tmp_path):
    # 5:6 (the bunker weakened: 12 halved) reaches 1:2; armour +1, overrun +1, artillery +2 (of
    # 3), air +2 (of 3), defender cut off +1 = +7 -> +6
    units = [("j-t", "tank_bn", "japanese", "2,2"), ("s-b", "bunker", "soviet", T)]
    state = game(tmp_path, units, unit_types=[BUNKER])
    state = with_(state, "s-b", out_of_supply=5)
    found = plan(state, ["j-t"], artillery=3, air=3, overrun=True)
    assert (found.attack, found.defence, found.base_column) == (5, 6, 1)
    assert sorted(value for _, value in found.shifts) == [1, 1, 1, 2, 2]
    assert found.column == 7 and found.column_label == "5:1"  # 1 + 6, not 1 + 7


def test_column_is_clamped_to_the_tables_ends(tmp_path):
    units = [
        ("j-t1", "tank_bn", "japanese", "2,2"),
        ("j-t2", "tank_bn", "japanese", "2,2"),
        ("j-1", "rifle_bn", "japanese", "4,2"),
        ("s-a", "artillery_bn", "soviet", T),
        ("s-b", "bunker", "soviet", "4,3"),
    ]
    state = game(tmp_path, units, rows_with("h", at="4,3"), unit_types=[BUNKER])
    top = plan(state, ["j-t1", "j-t2"], artillery=2)
    assert top.base_column == 8 and top.column == 8 and top.column_label == "6:1"
    state = with_(state, "j-1", steps=1)
    bottom = plan(state, ["j-1"], target="4,3")  # 3/2 against 12: below 1:3, and hills -1
    assert bottom.base_column == 0 and bottom.total_shift == -1 and bottom.column == 0


@pytest.mark.parametrize(
    "type_id, steps, attack, defence",
    [
        ("rifle_bn", 2, 3, 3),
        ("rifle_bn", 1, Fraction(3, 2), Fraction(3, 2)),
        ("tank_bn", 1, Fraction(5, 2), Fraction(3, 2)),
        ("big_bn", 6, 3, 3),
        ("big_bn", 1, Fraction(1, 2), Fraction(1, 2)),
        ("big_bn", 4, 2, 2),
    ],
)
def test_steps_scale_strength(tmp_path, type_id, steps, attack, defence):
    units = [("j-x", type_id, "japanese", "2,2"), ("s-x", type_id, "soviet", T)]
    state = game(tmp_path, units, unit_types=[BIG])
    state = with_(with_(state, "j-x", steps=steps), "s-x", steps=steps)
    found = plan(state, ["j-x"])
    assert found.attack == attack and found.defence == defence


# ------------------------------------------------------------------ the forecast is the resolution

VALUES = [1, 2, 3, 4, 5, 6, 7, 9, 12]
FORECAST_TYPES = [
    {
        "id": f"v{v}",
        "name": f"Value {v}",
        "category": "infantry",
        "size": "battalion",
        "movement_class": "foot",
        "move_points": 6,
        "attack": v,
        "defence": v,
        "steps": 3,
        "stack_points": 1,
        "source": "test",
    }
    for v in VALUES
] + [
    {
        "id": "arm",
        "name": "Armour",
        "category": "armour",
        "size": "battalion",
        "movement_class": "tracked",
        "move_points": 12,
        "attack": 6,
        "defence": 2,
        "steps": 3,
        "abilities": ["overrun", "armour"],
        "stack_points": 1,
        "source": "test",
    }
]
TYPE_IDS = [t["id"] for t in FORECAST_TYPES]
ATTACKER_HEXES = ["2,2", "4,2", "3,1"]


@pytest.fixture(scope="module")
def forecast_scenarios(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forecast")
    units = [(f"a{n}", "v1", "japanese", hex_) for n, hex_ in enumerate(ATTACKER_HEXES)]
    units += [("d0", "v1", "soviet", T), ("d1", "v1", "soviet", T)]
    units += [(f"g{n}", "artillery_bn", "japanese", "1,2") for n in range(3)]
    found = {}
    for code in ".hH":
        # turn 1 at 12:00 is day, turn 2 at 00:00 is night
        found[code] = make_scenario(folder, rows_with(code), units, unit_types=FORECAST_TYPES, start="1939-07-02T12:00:00")
    return found


def oracle_column(attackers, defenders, code, night, artillery, air, overrun) -> int:
    """The column by the rules as docs/rules.md states them, computed independently."""
    types = {t["id"]: t for t in FORECAST_TYPES}
    # 12-hour turns: cut off more than 24 hours, no attack; more than 48, defence halved and shifts
    attack = sum(Fraction(types[t]["attack"] * s, 3) * (0 if oos * 12 > 24 else 1) for t, s, oos in attackers)
    defence = sum(Fraction(types[t]["defence"] * s, 3) * (Fraction(1, 2) if oos * 12 > 48 else 1) for t, s, oos, _ in defenders)
    ratios = [(1, 3), (1, 2), (1, 1), (3, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1)]
    base = max([i for i, (n, d) in enumerate(ratios) if attack * d >= defence * n], default=0)
    shift = {".": 0, "h": -1, "H": -2}[code]
    shift += -1 if night else 0
    shift += -1 if any(oos * 12 > 48 for _, _, oos in attackers) else 0
    shift += 1 if all(oos * 12 > 48 for _, _, oos, _ in defenders) else 0
    armour = lambda group: any("armour" in types[item[0]].get("abilities", []) for item in group)  # noqa: E731
    shift += {".": 1, "h": 0, "H": -1}[code] if armour(attackers) and not armour(defenders) else 0
    shift += min(artillery, 2) + min(air, 2)
    shift -= min(e for _, _, _, e in defenders)
    shift += 1 if overrun else 0
    return max(0, min(8, base + max(-6, min(6, shift))))


attacker_st = st.tuples(st.sampled_from(TYPE_IDS), st.integers(1, 3), st.integers(0, 2))  # cut off longer: may not attack
defender_st = st.tuples(st.sampled_from(TYPE_IDS), st.integers(1, 3), st.integers(0, 6), st.integers(0, 3))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    attackers=st.lists(attacker_st, min_size=1, max_size=3),
    defenders=st.lists(defender_st, min_size=1, max_size=2),
    code=st.sampled_from(".hH"),
    night=st.booleans(),
    artillery=st.integers(0, 3),
    air=st.integers(0, 3),
    overrun=st.booleans(),
    seed=st.integers(0, 2**64 - 1),
)
def test_forecast_is_exact_and_agrees_face_by_face_with_resolve(
    forecast_scenarios, attackers, defenders, code, night, artillery, air, overrun, seed
):
    scenario = forecast_scenarios[code]
    state = replace(engine.new_game(scenario, 1), phase=Phase.COMBAT, turn=2 if night else 1, rng_state=seed)
    assert state.is_night == night
    for n, (type_id, steps, oos) in enumerate(attackers):
        state = with_(state, f"a{n}", type_id=type_id, steps=steps, out_of_supply=oos)
    for n, (type_id, steps, oos, dug) in enumerate(defenders):
        state = with_(state, f"d{n}", type_id=type_id, steps=steps, out_of_supply=oos, entrenchment=dug)
    if len(defenders) == 1:
        state = with_(state, "d1", status=UnitStatus.ELIMINATED, hex=None, steps=0)
    state = replace(state, air=AirState(support=(("japanese", h(T)),) * air))
    attack = Attack(tuple(f"a{n}" for n in range(len(attackers))), h(T), tuple(f"g{n}" for n in range(artillery)), overrun)
    forecast = engine.combat_odds(state, attack)
    table = scenario.rules.crt
    column = forecast.plan.column
    assert column == oracle_column(attackers, defenders, code, night, artillery, air, overrun)
    assert sum(p for _, p in forecast.outcomes) == Fraction(1)
    faces = {die: resolve(table, column, die) for die in range(1, 7)}
    assert {r for r, _ in forecast.outcomes} == set(faces.values())
    for result, chance in forecast.outcomes:
        assert isinstance(chance, Fraction)
        assert chance == Fraction(sum(1 for r in faces.values() if r == result), 6)
    assert {r.text: p for r, p in forecast.outcomes} == distribution(table, column)
    if not overrun:
        # the engine resolves the same attack with the same column and the face it rolls
        die = rng.roll(seed, 6)[0]
        after, events = declared(state, attack)
        [event] = combat_events(events)
        assert event.die == die
        assert event.odds == LABELS[column]
        assert event.result == faces[die].text
        assert after.rng_state == rng.roll(seed, 6)[1]


# ------------------------------------------------------------------ losses


def test_attacker_losses_fall_on_the_strongest_attacker_each_step(tmp_path):
    # tank 5 + rifle 3 = 8 against three rifles (9) in marsh: 1:2, armour in marsh -1: 1:3; die 1 -> A2.
    units = [("j-t", "tank_bn", "japanese", "2,2"), ("j-r", "rifle_bn", "japanese", "3,1")]
    units += [(f"s-{n}", "rifle_bn", "soviet", T) for n in range(3)]
    state = replace(game(tmp_path, units, rows_with("m")), rng_state=seed_for(1))
    after, events = declared(state, Attack(("j-t", "j-r"), h(T)))
    [combat] = combat_events(events)
    assert (combat.odds, combat.die, combat.result) == ("1:3", 1, "A2")
    assert (combat.attacker_steps_lost, combat.defender_steps_lost) == (2, 0)
    # the tank (5) loses the first step; at 5/2 it is then weaker than the rifle (3)
    assert [e for e in events if isinstance(e, StepLost)] == [StepLost("j-t", "combat"), StepLost("j-r", "combat")]
    assert after.unit("j-t").steps == 1 and after.unit("j-r").steps == 1
    assert all(after.unit(f"s-{n}").steps == 2 for n in range(3))
    assert after.unit("j-t").attacked and after.unit("j-r").attacked
    assert after.pending is None


def test_defender_losses_fall_on_the_strongest_defender_each_step(tmp_path):
    # three rifles (9) against rifle 3 + cavalry 2 = 5: 3:2; die 6 -> D2/R1.
    units = [
        ("j-1", "rifle_bn", "japanese", "2,2"),
        ("j-2", "rifle_bn", "japanese", "3,1"),
        ("j-3", "rifle_bn", "japanese", "4,2"),
        ("s-c", "cavalry_rgt", "soviet", T),
        ("s-r", "rifle_bn", "soviet", T),
    ]
    state = replace(game(tmp_path, units), rng_state=seed_for(6))
    after, events = declared(state, Attack(("j-1", "j-2", "j-3"), h(T)))
    [combat] = combat_events(events)
    assert (combat.odds, combat.result) == ("3:2", "D2/R1")
    assert [e for e in events if isinstance(e, StepLost)] == [StepLost("s-r", "combat"), StepLost("s-c", "combat")]
    assert after.unit("s-r").steps == 1 and after.unit("s-c").steps == 1
    assert after.pending is not None and after.pending.kind == "retreat"
    assert after.pending.units == ("s-c", "s-r") and after.pending.distance == 1 and after.pending.side == "soviet"


def test_equal_defenders_lose_steps_in_order_of_battle(tmp_path):
    # four tanks (20) against three equal rifles (9) in marsh (armour -1): 2:1 - 1 = 3:2; die 6 ->
    # D2/R1, one step from the first rifle in the order of battle, then one from the second
    units = [("j-t1", "tank_bn", "japanese", "2,2"), ("j-t2", "tank_bn", "japanese", "2,2"), ("j-t3", "tank_bn", "japanese", "2,2")]
    units += [("j-t4", "tank_bn", "japanese", "4,2")]
    units += [("s-1", "rifle_bn", "soviet", T), ("s-2", "rifle_bn", "soviet", T), ("s-3", "rifle_bn", "soviet", T)]
    state = replace(game(tmp_path, units, rows_with("m")), rng_state=seed_for(6))
    after, events = declared(state, Attack(("j-t1", "j-t2", "j-t3", "j-t4"), h(T)))
    assert combat_events(events)[0].result == "D2/R1"
    assert [e.unit for e in events if isinstance(e, StepLost)] == ["s-1", "s-2"]


def test_ties_in_defence_strength_go_by_order_of_battle_not_by_steps(tmp_path):
    """docs/rules.md: the defender with the greatest defence strength left (ties: the order of battle).

    A 1-step company (defence 3) listed first ties with a full rifle battalion (3 x 2/2 = 3): the
    company, first in the order of battle, takes the step.
    """
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("s-c", "coy", "soviet", T), ("s-r", "rifle_bn", "soviet", T)]
    state = game(tmp_path, units, unit_types=[COMPANY])
    after, events = take_steps(state, ["s-c", "s-r"], 1, "combat", "defending")
    assert events[0] == StepLost("s-c", "combat")
    assert after.unit("s-c").status is UnitStatus.ELIMINATED


def test_a_unit_at_no_steps_is_eliminated(tmp_path):
    # two rifles against an artillery battalion (1 step): 6:1, die 1 -> D2/R1
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("j-2", "rifle_bn", "japanese", "4,2"), ("s-a", "artillery_bn", "soviet", T)]
    state = replace(game(tmp_path, units), rng_state=seed_for(1))
    after, events = declared(state, Attack(("j-1", "j-2"), h(T)))
    assert combat_events(events)[0].result == "D2/R1"
    gone = after.unit("s-a")
    assert gone.status is UnitStatus.ELIMINATED and gone.hex is None and gone.steps == 0
    assert [e for e in events if isinstance(e, (StepLost, UnitEliminated))] == [StepLost("s-a", "combat"), UnitEliminated("s-a")]
    defending = after.scenario.rules.casualties.defending
    assert losses(after, "soviet").steps == 1 and losses(after, "soviet").men == 300 * defending.men_pct // 100


# ------------------------------------------------------------------ retreat


def _retreat(tmp_path, units, distance=1, defender="s-1", rows=STEPPE, **options):
    state = game(tmp_path, units, rows, **options)
    hexes, shortfall = retreat_options(state, state.unit(defender), distance)
    return {format_hex(x) for x in hexes}, shortfall


RING1 = {"3,1", "4,2", "4,3", "3,3", "2,3", "2,2"}


@pytest.mark.parametrize(
    "extra_units, options, excluded",
    [
        ([], {}, set()),
        ([("j-a", "artillery_bn", "japanese", "4,2")], {}, {"4,2"}),  # an enemy unit (no ZOC)
        ([("j-r", "rifle_bn", "japanese", "5,2")], {}, {"4,2", "4,3"}),  # enemy ZOC
        ([("j-r", "rifle_bn", "japanese", "5,2"), ("s-2", "rifle_bn", "soviet", "4,3")], {}, {"4,2"}),  # friend cancels ZOC
        ([("j-r", "rifle_bn", "japanese", "5,2")], {"hexside_lines": [("river", ["5,2:SW"])]}, {"4,2"}),  # ZOC not across a river
        ([], {"hexside_lines": [("river", ["3,2:N"])]}, {"3,1"}),  # river without bridge
        ([], {"hexside_lines": [("river", ["3,2:N"])], "bridges": ["3,2:N"]}, set()),  # at a bridge
        ([], {"hexside_lines": [("stream", ["3,2:N"])]}, set()),  # a stream can be crossed
        ([(f"s-{n}", "rifle_bn", "soviet", "3,3") for n in (2, 3, 4)], {}, {"3,3"}),  # full stack
        ([(f"s-{n}", "rifle_bn", "soviet", "3,3") for n in (2, 3)], {}, set()),  # room for 2 more
        ([], {"rows": rows_with("w", at="2,3")}, {"2,3"}),  # lake
    ],
    ids=["open", "enemy-unit", "enemy-zoc", "friend-in-zoc", "zoc-across-river", "river", "bridge", "stream", "full-stack", "room", "lake"],
)
def test_retreat_options_exclude_blocked_hexes(tmp_path, extra_units, options, excluded):
    rows = options.pop("rows", STEPPE)
    hexes, shortfall = _retreat(tmp_path, [("s-1", "rifle_bn", "soviet", T), *extra_units], rows=rows, **options)
    assert hexes == RING1 - excluded
    assert shortfall == 0


def test_retreat_of_two_hexes_ends_two_hexes_away(tmp_path):
    hexes, shortfall = _retreat(tmp_path, [("s-1", "rifle_bn", "soviet", T)], distance=2)
    on_map = {format_hex(x) for x in ring(h(T), 2) if 0 <= x.to_offset()[0] < 7 and 0 <= x.to_offset()[1] < 5}
    assert hexes == on_map and len(hexes) == 12 and shortfall == 0


def test_retreat_may_pass_through_but_not_end_in_a_full_stack(tmp_path):
    # a one-row map: 3,0 can retreat east only (2,0 is in j-1's ZOC); 4,0 is full, 5,0 free
    units = [("s-1", "rifle_bn", "soviet", "3,0"), ("j-1", "rifle_bn", "japanese", "1,0")]
    units += [(f"s-{n}", "rifle_bn", "soviet", "4,0") for n in (2, 3, 4)]
    state = game(tmp_path, units, ["......."])
    assert retreat_options(state, state.unit("s-1"), 2) == ([h("5,0")], 0)
    assert retreat_options(state, state.unit("s-1"), 1) == ([], 1)  # 2,0 in enemy ZOC, 4,0 full


def test_partial_retreat_options_and_shortfall(tmp_path):
    # 3,0 attacked from 4,0: west to 2,0, then 1,0 is lake: one hex of two
    units = [("s-1", "big_bn", "soviet", "3,0"), ("j-1", "rifle_bn", "japanese", "4,0"), ("j-2", "rifle_bn", "japanese", "4,0")]
    state = game(tmp_path, units, [".w....."], unit_types=[BIG])
    assert retreat_options(state, state.unit("s-1"), 2) == ([h("2,0")], 1)
    assert retreat_options(state, state.unit("s-1"), 1) == ([h("2,0")], 0)
    assert retreat_options(state, state.unit("s-1"), 3) == ([h("2,0")], 2)


SURROUND = [
    ("j-1", "rifle_bn", "japanese", "2,2"),
    ("j-2", "rifle_bn", "japanese", "3,1"),
    ("j-3", "rifle_bn", "japanese", "4,2"),
    ("j-4", "rifle_bn", "japanese", "3,4"),
    ("s-1", "big_bn", "soviet", T),
]


def test_surrounded_unit_has_no_retreat(tmp_path):
    state = game(tmp_path, SURROUND, unit_types=[BIG])
    assert retreat_options(state, state.unit("s-1"), 1) == ([], 1)
    assert retreat_options(state, state.unit("s-1"), 2) == ([], 2)


def test_engine_retreat_is_offered_to_the_defender_with_legal_hexes_only(tmp_path):
    # two rifles (6) against one (3): 2:1; die 3 -> D1/R1.  2,3 and 4,2 lie in the attackers' ZOC.
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("j-2", "rifle_bn", "japanese", "3,1"), ("s-1", "rifle_bn", "soviet", T)]
    state = replace(game(tmp_path, units), rng_state=seed_for(3))
    after, events = declared(state, Attack(("j-1", "j-2"), h(T)))
    assert combat_events(events)[0].result == "D1/R1"
    assert after.unit("s-1").steps == 1
    assert after.pending is not None and after.pending.kind == "retreat"
    assert after.acting_side == "soviet" and after.active_side == "japanese"
    legal = list(engine.legal_actions(after))
    assert legal == [Retreat("s-1", h("3,3")), Retreat("s-1", h("4,3"))]
    for wrong in (
        Retreat("s-1", h("2,3")),
        Retreat("s-1", h("4,2")),
        Retreat("s-1", h("3,2")),
        EndPhase(),
        HoldPosition(),
        Move("s-1", h("3,3")),
    ):
        with pytest.raises(IllegalActionError):
            engine.step(after, wrong)
    retreated, events = engine.step(after, Retreat("s-1", h("3,3")))
    assert events[0] == UnitRetreated("s-1", h("3,3"), 0)
    assert retreated.unit("s-1").hex == h("3,3") and retreated.unit("s-1").steps == 1
    # the hex is empty: the attackers may advance
    assert retreated.pending is not None and retreated.pending.kind == "advance" and retreated.acting_side == "japanese"
    assert list(engine.legal_actions(retreated)) == [Advance("j-1"), Advance("j-2"), HoldPosition()]
    advanced, events = engine.step(retreated, Advance("j-2"))
    assert events == [UnitAdvanced("j-2", h(T))]
    assert advanced.unit("j-2").hex == h(T)
    assert list(engine.legal_actions(advanced)) == [Advance("j-1"), HoldPosition()]
    held, events = engine.step(advanced, HoldPosition())
    assert held.pending is None and held.unit("j-1").hex == h("2,2") and events == []


def test_surrounded_unit_loses_a_step_for_each_hex_short(tmp_path):
    # three rifles (9) against a big battalion (3): 3:1; die 5 -> D2/R2, no way out: 2 more steps
    state = replace(game(tmp_path, SURROUND, unit_types=[BIG]), rng_state=seed_for(5))
    after, events = declared(state, Attack(("j-1", "j-2", "j-3"), h(T)))
    assert combat_events(events)[0].result == "D2/R2"
    assert [e for e in events if isinstance(e, StepLost)] == [StepLost("s-1", "combat")] * 2 + [StepLost("s-1", "could not retreat")] * 2
    assert after.unit("s-1").steps == 2 and after.unit("s-1").hex == h(T)
    assert after.pending is None  # the hex is still held: no advance


def test_surrounded_unit_destroyed_by_its_shortfall_lets_the_attacker_advance(tmp_path):
    units = [(u[0], "rifle_bn", u[2], u[3]) for u in SURROUND]
    state = replace(game(tmp_path, units), rng_state=seed_for(5))  # 9:3 -> 3:1; die 5 -> D2/R2; rifle gone
    after, events = declared(state, Attack(("j-1", "j-2", "j-3"), h(T)))
    assert after.unit("s-1").status is UnitStatus.ELIMINATED
    assert after.pending is not None and after.pending.kind == "advance"
    assert after.pending.units == ("j-1", "j-2", "j-3")


def test_unit_that_retreats_part_way_loses_the_shortfall(tmp_path):
    # a big battalion at 3,0 attacked from 4,0 by two rifles (6:3, 2:1); die 6 -> D2/R2; only 2,0 is open
    units = [("s-1", "big_bn", "soviet", "3,0"), ("j-1", "rifle_bn", "japanese", "4,0"), ("j-2", "rifle_bn", "japanese", "4,0")]
    state = replace(game(tmp_path, units, [".w....."], unit_types=[BIG]), rng_state=seed_for(6))
    after, events = declared(state, Attack(("j-1", "j-2"), h("3,0")))
    assert combat_events(events)[0].result == "D2/R2"
    assert after.unit("s-1").steps == 4
    assert list(engine.legal_actions(after)) == [Retreat("s-1", h("2,0"))]
    retreated, events = engine.step(after, Retreat("s-1", h("2,0")))
    assert events[:2] == [UnitRetreated("s-1", h("2,0"), 1), StepLost("s-1", "retreat cut short")]
    assert retreated.unit("s-1").steps == 3 and retreated.unit("s-1").hex == h("2,0")
    assert retreated.pending is not None and retreated.pending.kind == "advance"


def test_advance_respects_the_stacking_limit(tmp_path):
    # four rifles (8 stack points) destroy an artillery battalion; only three (6 points) fit
    units = [
        ("j-1", "rifle_bn", "japanese", "2,2"),
        ("j-2", "rifle_bn", "japanese", "3,1"),
        ("j-3", "rifle_bn", "japanese", "4,2"),
        ("j-4", "rifle_bn", "japanese", "3,3"),
        ("s-a", "artillery_bn", "soviet", T),
    ]
    state = replace(game(tmp_path, units), rng_state=seed_for(1))
    after, events = declared(state, Attack(("j-1", "j-2", "j-3", "j-4"), h(T)))
    assert after.unit("s-a").status is UnitStatus.ELIMINATED
    assert list(engine.legal_actions(after)) == [Advance("j-1"), Advance("j-2"), Advance("j-3"), Advance("j-4"), HoldPosition()]
    after, _ = engine.step(after, Advance("j-4"))
    after, _ = engine.step(after, Advance("j-1"))
    assert list(engine.legal_actions(after)) == [Advance("j-2"), Advance("j-3"), HoldPosition()]
    after, _ = engine.step(after, Advance("j-3"))
    assert after.pending is None  # full: nobody else may advance
    assert {u.id for u in after.units_at(h(T))} == {"j-1", "j-3", "j-4"}
    assert after.unit("j-2").hex == h("3,1")


def test_advance_counts_friendly_units_already_in_the_hex(tmp_path):
    # after two battalions (4 points) and a company (1) advance, no battalion (2) fits any more
    units = [
        ("j-1", "rifle_bn", "japanese", "2,2"),
        ("j-c", "coy", "japanese", "3,1"),
        ("j-2", "rifle_bn", "japanese", "4,2"),
        ("j-3", "rifle_bn", "japanese", "3,3"),
        ("s-a", "artillery_bn", "soviet", T),
    ]
    state = replace(game(tmp_path, units, unit_types=[COMPANY]), rng_state=seed_for(1))
    after, _ = declared(state, Attack(("j-1", "j-c", "j-2", "j-3"), h(T)))
    after, _ = engine.step(after, Advance("j-1"))
    after, _ = engine.step(after, Advance("j-2"))
    assert list(engine.legal_actions(after)) == [Advance("j-c"), Advance("j-3"), HoldPosition()]  # 4 + 1 and 4 + 2 fit
    after, _ = engine.step(after, Advance("j-c"))
    assert after.pending is None  # 5 + 2 does not fit
    assert after.unit("j-3").hex == h("3,3")


def test_no_advance_while_the_defenders_hold_the_hex(tmp_path):
    # 2:1, die 1 -> A1/D1: the defender stays
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("j-2", "rifle_bn", "japanese", "4,2"), ("s-1", "rifle_bn", "soviet", T)]
    state = replace(game(tmp_path, units), rng_state=seed_for(1))
    after, events = declared(state, Attack(("j-1", "j-2"), h(T)))
    assert combat_events(events)[0].result == "A1/D1"
    assert after.pending is None and after.unit("s-1").hex == h(T)


# ------------------------------------------------------------------ who may attack


def test_no_attack_across_an_unbridged_river(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", T)]
    state = game(tmp_path, units, hexside_lines=[("river", ["2,2:SE"])])
    assert eligible_attackers(state, h(T)) == [] and attack_targets(state) == []
    assert not any(isinstance(a, Declare) for a in engine.legal_actions(state))
    with pytest.raises(IllegalActionError):
        declared(state, Attack(("j-1",), h(T)))
    bridged = replace(state, bridges=frozenset({parse_hexside("2,2:SE")}))
    assert [u.id for u in eligible_attackers(bridged, h(T))] == ["j-1"]
    assert Declare("j-1", h(T)) in list(engine.legal_actions(bridged))


def test_no_attack_across_a_border_the_side_may_not_cross(tmp_path):
    """docs/rules.md: a unit may attack an adjacent enemy "if it could enter that hex".

    The soviets may not cross the claimed border (east side of column 2), so the soviet battalion
    at 3,1 cannot enter 2,1 and so cannot attack it; the japanese may attack across the line.
    """
    border = ["2,0:SE", "2,1:NE", "2,1:SE", "2,2:NE", "2,2:SE"]
    units = [("j-1", "rifle_bn", "japanese", "2,1"), ("s-1", "rifle_bn", "soviet", "3,1")]
    state = game(
        tmp_path,
        units,
        ["......"] * 3,
        borders=[("claim", border)],
        special_rules={"border_crossing_forbidden": [{"side": "soviet", "border": "claim"}]},
    )
    assert [u.id for u in eligible_attackers(state, h("3,1"))] == ["j-1"]
    soviet = replace(state, active_side="soviet")
    assert eligible_attackers(soviet, h("2,1")) == []
    with pytest.raises(IllegalActionError):
        declared(soviet, Attack(("s-1",), h("2,1")))


def test_no_attack_into_marsh_for_wheeled_units(tmp_path):
    units = [{"id": "j-l", "type": "lorry_bn", "side": "japanese", "hex": "2,2"}, ("s-1", "rifle_bn", "soviet", T)]
    state = game(tmp_path, units, rows_with("m"), unit_types=[LORRY])
    assert eligible_attackers(state, h(T)) == []
    with pytest.raises(IllegalActionError):
        declared(state, Attack(("j-l",), h(T)))


def test_each_hex_is_attacked_once_and_each_unit_attacks_once(tmp_path):
    # j-1 (2,2) touches 3,2 and 3,1; j-2 (4,2) touches both too
    units = [
        ("j-1", "rifle_bn", "japanese", "2,2"),
        ("j-2", "rifle_bn", "japanese", "4,2"),
        ("s-1", "rifle_bn", "soviet", T),
        ("s-2", "rifle_bn", "soviet", "3,1"),
    ]
    state = replace(game(tmp_path, units), rng_state=seed_for(1))  # 1:1, die 1 -> A1
    assert attack_targets(state) == sorted([h(T), h("3,1")])
    after, events = declared(state, Attack(("j-1",), h(T)))
    assert combat_events(events)[0].result == "A1" and after.pending is None
    assert h(T) in after.attacked_hexes
    with pytest.raises(IllegalActionError):
        declared(after, Attack(("j-2",), h(T)))  # the hex has been attacked
    with pytest.raises(IllegalActionError):
        declared(after, Attack(("j-1",), h("3,1")))  # j-1 has attacked
    with pytest.raises(IllegalActionError):
        declared(after, Attack(("j-1", "j-2"), h("3,1")))
    attacks = [a for a in engine.legal_actions(after) if isinstance(a, Declare)]
    assert attacks == [Declare("j-2", h("3,1"))]
    # the next player turn clears both
    later, _ = next_turn(after)
    assert later.turn == 2 and later.active_side == "japanese"
    assert later.attacked_hexes == frozenset() and not later.unit("j-1").attacked


def test_attacks_only_in_the_combat_phase(tmp_path):
    units = [("j-1", "rifle_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", T)]
    state = game(tmp_path, units, phase=Phase.MOVEMENT)
    with pytest.raises(IllegalActionError):
        declared(state, Attack(("j-1",), h(T)))
    with pytest.raises(IllegalActionError):
        declared(replace(state, phase=Phase.COMBAT), Attack(("s-1",), h("2,2")))  # not the soviets' turn


# ------------------------------------------------------------------ bombardment

GUNS = [("g-1", "artillery_bn", "japanese", "1,2"), ("g-2", "artillery_bn", "japanese", "1,2"), ("g-3", "artillery_bn", "japanese", "1,2")]


@pytest.mark.parametrize(
    "strength, shift, column",
    [
        (1, 0, 0),
        (3, 0, 0),
        (Fraction(7, 2), 0, 0),
        (4, 0, 1),
        (7, 0, 1),
        (8, 0, 2),
        (11, 0, 2),
        (12, 0, 3),
        (40, 0, 3),
        (12, -1, 2),
        (12, -3, 0),
        (12, -4, None),
        (4, -1, 0),
        (4, -2, None),
        (4, 1, 2),  # exposed units: a column right
        (12, 1, 3),  # but never off the table's right edge
        (Fraction(1, 2), 1, None),  # nor does a shift make fire too weak to count
        (Fraction(1, 2), 0, None),
        (0, 0, None),
    ],
)
def test_bombardment_column_by_strength_and_shift(crossing, strength, shift, column):
    """Cover shifts left (negative), exposure right; too weak a fire has no column at all."""
    assert bombardment_column(crossing.rules.bombardment, Fraction(strength), shift) == column


def test_bombardment_range(tmp_path):
    # the spotter at 2,1 sees both enemy hexes; the gun reaches 4 hexes
    units = [
        ("g-1", "artillery_bn", "japanese", "0,2"),
        ("j-1", "rifle_bn", "japanese", "2,1"),
        ("s-1", "rifle_bn", "soviet", "4,2"),
        ("s-2", "rifle_bn", "soviet", "5,2"),
    ]
    state = game(tmp_path, units, phase=Phase.BOMBARDMENT)
    assert {u.id for u in engine.visible_enemies(state, "japanese")} == {"s-1", "s-2"}
    assert h("0,2").distance(h("4,2")) == 4 and h("0,2").distance(h("5,2")) == 5
    assert [u.id for u in eligible_artillery(state, h("4,2"))] == ["g-1"]
    assert eligible_artillery(state, h("5,2")) == []
    assert bombard_targets(state) == [h("4,2")]
    with pytest.raises(IllegalActionError):
        declared(state, bombardment(("g-1",), h("5,2")))


@pytest.mark.parametrize(
    "code, entrenchment, die, result, lost",
    [
        (".", 0, 2, "D1/S", 1),  # 12: the 12+ column
        (".", 0, 1, "S", 0),
        (".", 0, 5, "D2/S", 2),
        (".", 1, 2, "S", 0),  # dug in: one column left (8-11)
        (".", 1, 3, "D1/S", 1),
        ("h", 0, 2, "S", 0),  # hills help the defender: one column left
        ("H", 0, 3, "D1/S", 1),  # steep hills: still one column
        ("v", 1, 4, "D1/S", 1),  # village and dug in: two columns left (4-7)
        ("v", 1, 3, "S", 0),
        ("v", 1, 1, "-", 0),
        ("m", 0, 2, "D1/S", 1),  # marsh gives no cover
    ],
)
def test_bombardment_cover_shifts_columns(tmp_path, code, entrenchment, die, result, lost):
    state = game(tmp_path, [*GUNS, ("s-1", "rifle_bn", "soviet", T)], rows_with(code), phase=Phase.BOMBARDMENT)
    state = replace(with_(state, "s-1", entrenchment=entrenchment), rng_state=seed_for(die))
    after, events = declared(state, bombardment(("g-1", "g-2", "g-3"), h(T)))
    assert events[0] == BombardmentResolved(("g-1", "g-2", "g-3"), h(T), die, result, lost)
    assert after.unit("s-1").steps == 2 - lost
    assert after.unit("s-1").disrupted == (result.endswith("S") and lost < 2)  # the eliminated are not disrupted
    assert all(after.unit(g).fired for g, *_ in GUNS)


def test_bombardment_only_at_a_visible_enemy_hex(tmp_path):
    """docs/rules.md: artillery may fire at a *visible enemy* hex within its range.

    The gun at 0,2 reaches 4,2 but sees only 3 hexes: the soviet unit there is hidden, and 2,2
    holds no enemy at all.  Neither is a legal target, so ``step`` must refuse both.
    """
    units = [("g-1", "artillery_bn", "japanese", "0,2"), ("s-1", "rifle_bn", "soviet", "4,2")]
    state = game(tmp_path, units, phase=Phase.BOMBARDMENT)
    assert engine.visible_enemies(state, "japanese") == []
    assert bombard_targets(state) == [] and list(engine.legal_actions(state)) == [EndPhase()]
    with pytest.raises(IllegalActionError):
        declared(state, bombardment(("g-1",), h("4,2")))  # hidden enemy
    with pytest.raises(IllegalActionError):
        declared(state, bombardment(("g-1",), h("2,2")))  # empty hex


def test_a_gun_fires_once_a_turn(tmp_path):
    units = [*GUNS[:2], ("s-1", "rifle_bn", "soviet", T), ("j-1", "rifle_bn", "japanese", "2,2")]
    state = game(tmp_path, units, phase=Phase.BOMBARDMENT)
    after, _ = declared(state, bombardment(("g-1",), h(T)))
    assert [u.id for u in eligible_artillery(after, h(T))] == ["g-2"]
    with pytest.raises(IllegalActionError):
        declared(after, bombardment(("g-1",), h(T)))
    with pytest.raises(IllegalActionError):
        declared(after, bombardment(("g-1", "g-1"), h(T)))
    # nor may it support an attack afterwards
    combat = replace(after, phase=Phase.COMBAT)
    with pytest.raises(IllegalActionError):
        declared(combat, Attack(("j-1",), h(T), ("g-1",)))
    declaring, _ = engine.step(combat, Declare("j-1", h(T)))
    assert Support("g-2", h(T)) in engine.legal_actions(declaring) and Support("g-1", h(T)) not in engine.legal_actions(declaring)
    # a gun that supported an attack cannot bombard
    supported, _ = declared(replace(state, phase=Phase.COMBAT), Attack(("j-1",), h(T), ("g-1",)))
    assert supported.unit("g-1").fired
    assert [u.id for u in eligible_artillery(supported, h(T))] == ["g-2"]


def test_guns_out_of_supply_cannot_fire(tmp_path):
    state = game(tmp_path, [*GUNS[:2], ("s-1", "rifle_bn", "soviet", T)], phase=Phase.BOMBARDMENT)
    state = with_(state, "g-1", out_of_supply=1)
    assert [u.id for u in eligible_artillery(state, h(T))] == ["g-2"]
    with pytest.raises(IllegalActionError):
        declared(state, bombardment(("g-1",), h(T)))


SUPPLY_5 = {
    "supply": {
        "sources": [{"side": "japanese", "name": "Depot", "hex": "0,2"}],
        "capacity": [{"side": "japanese", "points": 5, "source": "test"}],
    }
}


def test_each_gun_that_fires_costs_supply(tmp_path):
    # three guns supplied (3 of 5 points): 2 left, so only two guns may fire this turn, and the
    # player chooses which two (the first edition let only the first two in scenario order fire)
    state = game(tmp_path, [*GUNS, ("s-1", "rifle_bn", "soviet", T)], phase=Phase.BOMBARDMENT, extra=SUPPLY_5)
    assert state.supply_left == 2
    assert [u.id for u in eligible_artillery(state, h(T))] == ["g-1", "g-2", "g-3"]
    with pytest.raises(IllegalActionError, match="support g-3"):
        declared(state, bombardment(("g-1", "g-2", "g-3"), h(T)))
    after, _ = declared(state, bombardment(("g-3",), h(T)))
    assert after.supply_left == 1
    assert [u.id for u in eligible_artillery(after, h(T))] == ["g-1", "g-2"]
    after, _ = declared(after, bombardment(("g-2",), h(T)))
    assert after.supply_left == 0
    assert bombard_targets(after) == [] and not any(isinstance(a, Support) for a in engine.legal_actions(after))


def test_artillery_support_costs_supply(tmp_path):
    units = [*GUNS, ("j-1", "rifle_bn", "japanese", "2,2"), ("s-1", "rifle_bn", "soviet", T)]
    state = game(tmp_path, units, extra=SUPPLY_5)
    assert state.supply_left == 1  # four units supplied
    after, events = declared(state, Attack(("j-1",), h(T), ("g-1",)))
    assert after.supply_left == 0
    assert combat_events(events)[0].shift == 1


# ------------------------------------------------------------------ overrun


def _overrun_state(tmp_path, attackers, defender="artillery_bn", code=".", move_points=None):
    units = [(f"j-{n}", type_id, "japanese", "2,1") for n, type_id in enumerate(attackers)] + [("s-1", defender, "soviet", "3,1")]
    state = game(tmp_path, units, rows_with(code, at="3,1"), phase=Phase.MOVEMENT, unit_types=[MOTOR])
    state = engine.new_game(state.scenario, 1)  # a real movement phase, move points refreshed
    if move_points is not None:
        for n in range(len(attackers)):
            state = with_(state, f"j-{n}", move_points=move_points)
    return state


@pytest.mark.parametrize(
    "attackers, defender, code, move_points, allowed",
    [
        (["tank_bn"], "artillery_bn", ".", None, True),  # 5:1 in the open
        (["motor_bn"], "artillery_bn", ".", None, True),  # motorized, with the overrun ability
        (["rifle_bn"], "artillery_bn", ".", None, False),  # no overrun ability
        (["tank_bn"], "rifle_bn", ".", None, False),  # 5:3
        (["tank_bn", "tank_bn"], "rifle_bn", ".", None, False),  # 10:3
        (["tank_bn", "tank_bn", "tank_bn"], "rifle_bn", ".", None, True),  # 15:3 = 5:1
        (["tank_bn"], "artillery_bn", "v", None, False),  # not open ground
        (["tank_bn"], "artillery_bn", "h", None, False),
        (["tank_bn"], "artillery_bn", ".", 3, True),
        (["tank_bn"], "artillery_bn", ".", 2, False),  # fewer than 3 move points
    ],
)
def test_overrun_legality(tmp_path, attackers, defender, code, move_points, allowed):
    state = _overrun_state(tmp_path, attackers, defender, code, move_points)
    assert state.phase is Phase.MOVEMENT
    action = Attack(tuple(f"j-{n}" for n in range(len(attackers))), h("3,1"), (), True)
    assert overrun_options(state) == ([action] if allowed else [])
    assert (action in list(engine.legal_actions(state))) == allowed
    if not allowed:
        with pytest.raises(IllegalActionError):
            engine.step(state, action)


def test_overrun_costs_move_points_and_the_attackers_move_on(tmp_path):
    state = replace(_overrun_state(tmp_path, ["tank_bn"]), rng_state=seed_for(1))
    action = Attack(("j-0",), h("3,1"), (), True)
    forecast = engine.combat_odds(state, action)
    assert forecast.plan.base_column == 7 and forecast.plan.total_shift == 2 and forecast.plan.column == 8  # armour + overrun
    after, events = engine.step(state, action)
    [combat] = combat_events(events)
    assert combat.overrun and combat.odds == "6:1" and combat.result == "D2/R1"
    assert after.unit("s-1").status is UnitStatus.ELIMINATED
    tank = after.unit("j-0")
    assert tank.move_points == 12 - 3 and tank.attacked and tank.hex == h("2,1")
    assert after.phase is Phase.MOVEMENT and after.pending is None  # no advance after an overrun
    assert any(isinstance(a, Move) and a.unit == "j-0" for a in engine.legal_actions(after))
    assert overrun_options(after) == []
    moved, _ = engine.step(after, Move("j-0", h("3,1")))
    assert moved.unit("j-0").hex == h("3,1")


def test_overrun_not_in_the_combat_phase(tmp_path):
    state = replace(_overrun_state(tmp_path, ["tank_bn"]), phase=Phase.COMBAT)
    assert overrun_options(state) == []
    with pytest.raises(IllegalActionError):
        engine.step(state, Attack(("j-0",), h("3,1"), (), True))


def test_overrun_odds_count_the_out_of_supply_attack(tmp_path):
    """docs/rules.md: a unit cut off for more than a day makes no attack, overrun included.

    A tank cut off for 36 hours has no attack strength left, against an artillery battalion (1).
    """
    state = with_(_overrun_state(tmp_path, ["tank_bn"]), "j-0", out_of_supply=3)
    assert engine.combat_odds(state, Attack(("j-0",), h("3,1"), (), True)).plan.attack == 0
    assert overrun_options(state) == []
    assert overrun_options(with_(state, "j-0", out_of_supply=1)) != []


# ------------------------------------------------------------------ random play with combat

RANDOM_UNITS = [
    ("j-1", "rifle_bn", "japanese", "1,1"),
    ("j-2", "tank_bn", "japanese", "1,2"),
    ("j-3", "artillery_bn", "japanese", "0,1"),
    ("j-4", "cavalry_rgt", "japanese", "1,3"),
    ("s-1", "rifle_bn", "soviet", "3,1"),
    ("s-2", "tank_bn", "soviet", "3,2"),
    ("s-3", "artillery_bn", "soviet", "4,1"),
    ("s-4", "rifle_bn", "soviet", "3,3"),
]


@pytest.fixture(scope="module")
def melee(tmp_path_factory):
    return make_scenario(tmp_path_factory.mktemp("melee"), [".....", "..h..", ".....", "....."], RANDOM_UNITS, last_turn=6)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_steps_and_losses_never_go_negative_in_random_play(melee, seed):
    state = engine.new_game(melee, seed)
    chooser = rng.Generator(seed)
    fought = 0
    for _ in range(600):
        if state.game_over:
            break
        legal = list(engine.legal_actions(state))
        others = [a for a in legal if not isinstance(a, (Move, EndPhase))]
        if others and chooser.randint(1, 3) > 1:
            action = chooser.choice(others)  # favour fighting
        elif EndPhase() in legal and chooser.randint(1, 3) == 1:
            action = EndPhase()
        else:
            action = chooser.choice(legal)
        state, events = engine.step(state, action)
        fought += sum(1 for e in events if isinstance(e, (CombatResolved, BombardmentResolved)))
        for unit in state.units:
            full = melee.unit_types[unit.type_id].steps
            assert 0 <= unit.steps <= full
            assert unit.move_points >= 0
            if unit.status is UnitStatus.ON_MAP:
                assert unit.steps >= 1 and unit.hex is not None
            elif unit.status is UnitStatus.ELIMINATED:
                assert unit.steps == 0 and unit.hex is None
        for side in melee.side_ids:
            lost = losses(state, side)
            assert min(lost.men, lost.tanks, lost.armoured_cars, lost.guns, lost.steps) >= 0
            assert lost.steps <= sum(melee.unit_types[u.type].steps for u in melee.model.units if u.side == side)
