"""Losses in men: what a lost step costs, split into killed, wounded and missing by its cause.

A step is a combat strength, not a number of dead: when a unit loses one, ``men_pct`` per cent
of the men in that step (``per_step.men``) are casualties, and of those ``killed_pct`` are
killed, ``missing_pct`` missing or captured, the rest wounded or sick.  Both depend on why the
step was lost (``casualties`` in the rules data, one entry per cause): attackers thrown back
lose mostly wounded, men cut off with no way out are killed or captured.  The numbers are
rounded down, killed and missing first, so the three parts always sum to the total.

How the men of a fight divide is also a matter of who counted them: a side whose scenario gives
its ``battle_casualties`` (its army's own count) has that split for the steps it loses in battle
(attacking, defending, bombarded), and the rules data's for steps lost cut off or out of supply.

A step regained by recovery brings back as many of the side's wounded as the step holds men,
and its tanks as repaired: the gross losses keep them (history counts the wounded who returned),
the net ones do not.
"""

from __future__ import annotations

from typing import Literal

from nomonhan.scenario.schema import BattleCasualties, CasualtyRules, CasualtySplit, KilledAndMissing, UnitType
from nomonhan.state import Tally

Cause = Literal["attacking", "defending", "bombarded", "cut_off", "out_of_supply"]
"""Why a step was lost: a field of the rules data's ``casualties``."""


IN_BATTLE: frozenset[Cause] = frozenset({"attacking", "defending", "bombarded"})
"""The causes a side's own count of battle casualties divides (:class:`BattleCasualties`)."""


def split(rules: CasualtyRules, cause: Cause) -> CasualtySplit:
    found: CasualtySplit = getattr(rules, cause)
    return found


def men_lost(men: int, share: CasualtySplit, division: KilledAndMissing | None = None) -> Tally:
    """Casualties among ``men`` of a lost step: ``share.men_pct`` of them, divided by
    ``division`` (the side's own count), else by ``share``."""
    total = men * share.men_pct // 100
    division = division or share
    killed = total * division.killed_pct // 100
    missing = total * division.missing_pct // 100
    return Tally(killed=killed, missing=missing, wounded=total - killed - missing)


def step_lost(rules: CasualtyRules, unit_type: UnitType, cause: Cause, damaged: int = 0, count: BattleCasualties | None = None) -> Tally:
    """What one step of ``unit_type`` lost to ``cause`` costs its side; ``damaged`` of its tanks
    were counted already, when they were knocked out (:mod:`nomonhan.rules.armour`); ``count``
    is the side's own division of its battle casualties, if its scenario gives one."""
    per = unit_type.per_step
    men = men_lost(per.men, split(rules, cause), count if cause in IN_BATTLE else None)
    return Tally(
        steps=1,
        killed=men.killed,
        wounded=men.wounded,
        missing=men.missing,
        tanks=per.tanks - damaged,
        armoured_cars=per.armoured_cars,
        guns=per.guns,
    )


def returned(tally: Tally, unit_type: UnitType) -> Tally:
    """What a regained step of ``unit_type`` brings back: as many wounded as it holds men and its
    tanks, repaired, at most those lost and not back yet."""
    return Tally(
        returned=min(unit_type.per_step.men, tally.wounded - tally.returned),
        tanks_recovered=min(unit_type.per_step.tanks, tally.tanks - tally.tanks_recovered),
    )
