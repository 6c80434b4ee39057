"""Unit values: an on-map unit's hex, typed as a hex."""

from __future__ import annotations

import pytest

from nomonhan.hexgrid import Hex
from nomonhan.state import Unit, UnitStatus


def test_a_unit_on_the_map_has_a_position_and_one_in_reserve_has_none() -> None:
    placed = Unit("j-1", "rifle_bn", "japanese", Hex(2, 1), 2, 6, UnitStatus.ON_MAP)
    assert placed.position == Hex(2, 1)
    waiting = Unit("j-2", "rifle_bn", "japanese", None, 2, 6, UnitStatus.RESERVE)
    with pytest.raises(ValueError, match="j-2 is not on the map"):
        _ = waiting.position
