"""``nomonhan new``: a small, valid scenario to start authoring from.

The skeleton uses the standard rules data, open steppe, one battalion a side in opposite
corners and one objective in the middle, so that it validates and plays at once; the author
then paints the map and writes the order of battle (by hand or in ``nomonhan edit``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


def skeleton(
    scenario_id: str,
    columns: int,
    rows: int,
    hex_km: float,
    start: datetime,
    turns: int,
    turn_hours: int,
    georef: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """``georef``: the latitude and longitude of hex 0,0; the map then gets a ``map.build``
    recipe to fill in (see :func:`map_build_stub`)."""
    if columns < 2 or rows < 2:
        raise ValueError("a map needs at least 2 x 2 hexes")
    middle = f"{columns // 2},{rows // 2}"
    map_spec: dict[str, Any] = {"hex_km": hex_km}
    if georef is not None:
        map_spec["georeference"] = {"lat": georef[0], "lon": georef[1]}
        map_spec["build"] = map_build_stub(scenario_id, columns, rows)
    map_spec["terrain"] = "\n".join("." * columns for _ in range(rows)) + "\n"
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
        "map": map_spec,
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


def geojson_name(scenario_id: str) -> str:
    """Where a new scenario's GeoJSON goes, relative to the scenario file."""
    return f"geo/{scenario_id}.geojson"


def map_build_stub(scenario_id: str, columns: int, rows: int) -> dict[str, Any]:
    """A ``map.build`` recipe with nothing drawn yet: the author adds terrain zones and the
    names of GeoJSON lines for rivers, borders and roads, then runs ``nomonhan map``."""
    return {
        "geojson": geojson_name(scenario_id),
        "columns": columns,
        "rows": rows,
        "default_terrain": ".",
        "terrain_zones": [],
        "hexside_lines": [],
        "borders": [],
        "roads": [],
    }


EMPTY_GEOJSON = '{"type": "FeatureCollection", "features": []}\n'
"""The GeoJSON file ``nomonhan new --georef`` writes when there is none: lines go in it."""
