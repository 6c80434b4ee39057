"""``nomonhan new``: a small, valid scenario to start authoring from.

The skeleton uses the standard rules data, open steppe, one battalion a side in opposite
corners and one objective in the middle, so that it validates and plays at once; the author
then paints the map and writes the order of battle (by hand or in ``nomonhan edit``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


def skeleton(scenario_id: str, columns: int, rows: int, hex_km: float, start: datetime, turns: int, turn_hours: int) -> dict[str, Any]:
    if columns < 2 or rows < 2:
        raise ValueError("a map needs at least 2 x 2 hexes")
    middle = f"{columns // 2},{rows // 2}"
    return {
        "format_version": 1,
        "id": scenario_id,
        "title": scenario_id.replace("-", " ").title(),
        "rules": "standard",
        "period": {
            "start": start,
            "turn_hours": turn_hours,
            "last_turn": turns,
            "daylight": {"dawn": "05:00", "dusk": "20:00"},
            "first_side": "japanese",
        },
        "sides": [
            {"id": "soviet", "name": "Soviet-Mongolian forces", "nations": ["USSR", "Mongolia"], "colour": "#b03a2e"},
            {"id": "japanese", "name": "Japanese-Manchukuo forces", "nations": ["Japan", "Manchukuo"], "colour": "#d4ac0d"},
        ],
        "map": {"hex_km": hex_km, "terrain": "\n".join("." * columns for _ in range(rows)) + "\n"},
        "units": [
            {
                "id": "soviet-1",
                "name": "1st Rifle Battalion",
                "type": "rifle_bn",
                "side": "soviet",
                "formation": "",
                "hex": f"{columns - 1},{rows - 1}",
                "source": "design",
            },
            {
                "id": "japanese-1",
                "name": "1st Battalion",
                "type": "rifle_bn",
                "side": "japanese",
                "formation": "",
                "hex": "0,0",
                "source": "design",
            },
        ],
        "objectives": [{"name": "Centre", "hex": middle, "points": 5, "source": "design"}],
        "sources": {"design": "Scenario design, no historical source yet"},
        "notes": "A new scenario. Describe its sources and the choices made here.\n",
    }
