"""The compiled map: terrain, hexside features and roads turned into per-movement-class tables.

Scenario files describe the map for people (a text grid, lines of hexsides); the rules need
fast answers to "what does it cost this kind of unit to go from hex A to hex B".  This module
answers them once per scenario, so movement never walks if-chains over terrain names.
Hexes are numbered ``row * columns + col`` internally; :class:`Hex` is the public face.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nomonhan.hexgrid import Hex, Hexside, iter_offset_rect, parse_hex, parse_hexside
from nomonhan.scenario.schema import (
    HexsideFeatureType,
    MapSpec,
    RulesData,
    SpecialRules,
    TerrainType,
    terrain_rows,
)


@dataclass(frozen=True)
class Edge:
    """One directed step between adjacent hexes, with its cost for each movement class.

    ``cost[cls]`` is the price with no bridge on this hexside, ``bridged_cost[cls]`` the price
    with one; ``None`` means the step is impossible for that class.
    """

    to: int
    key: int
    cost: dict[str, int | None]
    bridged_cost: dict[str, int | None]
    road: str | None = None


SEARCH_CACHE_LIMIT = 20_000
"""Entries the board's search memo may hold when a game starts (a Khalkhin Gol game adds about
1,300, some 7 MB): a few games' worth, so that a batch keeps the searches its games share."""


@dataclass(frozen=True)
class Board:
    columns: int
    rows: int
    hexes: tuple[Hex, ...]
    index: dict[Hex, int]
    terrain: tuple[TerrainType, ...]
    edges: tuple[tuple[Edge, ...], ...]
    features: dict[Hexside, tuple[str, ...]]
    borders: dict[str, frozenset[int]]
    zoc_blocked: frozenset[int]
    roads: dict[Hexside, str]
    places: dict[str, Hex]
    edge_keys: dict[Hexside, int] = field(repr=False)
    bridge_sites: dict[Hex, tuple[Hexside, ...]] = field(repr=False, default_factory=dict)
    """Hexsides next to each hex where a bridge can stand (a bridgeable feature, or one at the start)."""
    search_cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    """Memo of movement searches keyed by everything they depend on (see rules.movement).
    A pure memo: emptying it changes no answer, only the time to the next one."""

    def trim_search_cache(self) -> None:
        """Empty the memo once it holds more than :data:`SEARCH_CACHE_LIMIT` entries.

        A worker playing game after game on one scenario keeps its board, and the memo grew by
        about 1,300 entries (7 MB) a Khalkhin Gol game without end: 1.5 GB after 200 games.
        Called as a game starts, so a game keeps what it built itself."""
        if len(self.search_cache) > SEARCH_CACHE_LIMIT:
            self.search_cache.clear()

    def __contains__(self, hex_: object) -> bool:
        return hex_ in self.index

    def hexside_key(self, side: Hexside) -> int:
        return self.edge_keys[side]

    def terrain_at(self, hex_: Hex) -> TerrainType:
        return self.terrain[self.index[hex_]]

    def map_edges(self, hex_: Hex) -> frozenset[str]:
        """The map edges a hex lies on ('N', 'S', 'W', 'E'; a corner lies on two), for reinforcements."""
        col, row = hex_.to_offset()
        edges = set()
        if row == 0:
            edges.add("N")
        if row == self.rows - 1:
            edges.add("S")
        if col == 0:
            edges.add("W")
        if col == self.columns - 1:
            edges.add("E")
        return frozenset(edges)


def build_board(spec: MapSpec, rules: RulesData, special: SpecialRules) -> Board:
    """Compile a validated map spec; references are assumed checked (see ``checks``)."""
    rows = terrain_rows(spec.terrain)
    by_code = {t.code: t for t in rules.terrain}
    hexes = tuple(iter_offset_rect(len(rows[0]), len(rows)))
    index = {h: i for i, h in enumerate(hexes)}
    terrain = tuple(by_code[rows[h.to_offset()[1]][h.to_offset()[0]]] for h in hexes)
    feature_types = {f.id: f for f in rules.hexside_features}
    features: dict[Hexside, list[str]] = {}
    for line in spec.hexside_lines:
        for text in line.hexsides:
            features.setdefault(parse_hexside(text), []).append(line.feature)
    roads: dict[Hexside, str] = {}
    for road in spec.roads:
        path = [parse_hex(text) for text in road.hexes]
        for a, b in zip(path, path[1:]):
            roads[Hexside.between(a, b)] = road.kind
    n = len(hexes)
    edge_keys: dict[Hexside, int] = {}
    edges: list[tuple[Edge, ...]] = []
    zoc_blocked: set[int] = set()
    classes = [mc.id for mc in rules.movement_classes]
    road_types = {r.id: r for r in rules.roads}
    fording = {(rule.movement_class, rule.feature): rule.cost for rule in special.river_fording}
    for i, h in enumerate(hexes):
        out = []
        for nb in h.neighbours():
            j = index.get(nb)
            if j is None:
                continue
            side = Hexside.between(h, nb)
            key = min(i, j) * n + max(i, j)
            edge_keys[side] = key
            side_features = [feature_types[f] for f in features.get(side, ())]
            if any(f.blocks_zoc for f in side_features):
                zoc_blocked.add(key)
            road_type = road_types.get(roads.get(side, ""))
            cost, bridged = {}, {}
            for cls in classes:
                closed = terrain[j].move_cost[cls] is None and not (road_type and road_type.causeway)
                enter = None if closed else road_type.move_cost[cls] if road_type else terrain[j].move_cost[cls]
                cost[cls] = _crossing(enter, side_features, cls, fording, bridged=False)
                bridged[cls] = _crossing(enter, side_features, cls, fording, bridged=True)
            out.append(Edge(j, key, cost, bridged, road_type.id if road_type else None))
        edges.append(tuple(out))
    bridgeable = {f.id for f in rules.hexside_features if f.bridgeable}
    standing = {parse_hexside(t) for t in spec.bridges}
    sites: dict[Hex, list[Hexside]] = {}
    for side in sorted(set(features) | standing):
        if side in edge_keys and (side in standing or bridgeable & set(features.get(side, ()))):
            for hex_ in side.hexes():
                sites.setdefault(hex_, []).append(side)
    borders = {b.id: frozenset(edge_keys[parse_hexside(t)] for t in b.hexsides if parse_hexside(t) in edge_keys) for b in spec.borders}
    return Board(
        columns=len(rows[0]),
        rows=len(rows),
        hexes=hexes,
        index=index,
        terrain=terrain,
        edges=tuple(edges),
        features={side: tuple(names) for side, names in features.items()},
        borders=borders,
        zoc_blocked=frozenset(zoc_blocked),
        roads=roads,
        places={p.name: parse_hex(p.hex) for p in spec.places},
        edge_keys=edge_keys,
        bridge_sites={hex_: tuple(sides) for hex_, sides in sites.items()},
    )


def _crossing(
    enter: int | None,
    side_features: list[HexsideFeatureType],
    cls: str,
    fording: dict[tuple[str, str], int],
    bridged: bool,
) -> int | None:
    if enter is None:
        return None
    total = enter
    for feature in side_features:
        if bridged and feature.bridgeable:
            continue
        extra = feature.crossing_cost.get(cls, 0)
        if extra is None:
            extra = fording.get((cls, feature.id))
            if extra is None:
                return None
        total += extra
    return total
