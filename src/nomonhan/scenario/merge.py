"""The one merge of a partial data file into a whole one.

Used by what-if overlays (:mod:`nomonhan.scenario.variants`) and by rules data that extends
other rules data (:mod:`nomonhan.scenario.companions`), so both read the same way: mappings
merge key by key, a list of items with ``id`` merges item by item (an item with a known id
changes only the fields it names, a new id is added), and any other list is extended.
"""

from __future__ import annotations

from typing import Any


def merge_tree(base: dict[str, Any], overlay: dict[str, Any]) -> None:
    """Merge ``overlay`` into ``base`` in place: mappings key by key, lists of items with ids item
    by item (a known id merges into its item, a new one is added), other lists extended."""
    for key, value in overlay.items():
        current = base.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            merge_tree(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            by_id = {item["id"]: item for item in current if _has_plain_id(item)}
            for item in value:
                if _has_plain_id(item) and item["id"] in by_id:
                    merge_tree(by_id[item["id"]], item)
                else:
                    current.append(item)
        else:
            base[key] = value


def _has_plain_id(item: Any) -> bool:
    """Whether ``item`` is a mapping whose ``id`` can name it: an id that is a list or a mapping
    (a mistake) names nothing, so the item is added as it is and validation reports it."""
    if not isinstance(item, dict) or "id" not in item:
        return False
    try:
        hash(item["id"])
    except TypeError:
        return False
    return True
