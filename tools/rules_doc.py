"""Rewrite the generated tables of docs/rules.md from scenarios/rules/standard.yaml.

    .venv/bin/python tools/rules_doc.py

Run it after editing the rules data; tests/test_rules_data.py fails while the document is out
of date.  Only the text between ``<!-- generated: NAME -->`` and ``<!-- end generated -->`` changes.
"""

from __future__ import annotations

from pathlib import Path

from nomonhan.rulesdoc import update
from nomonhan.scenario.load import load_rules

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def main() -> None:
    _document, rules = load_rules("standard")
    old = DOC.read_text(encoding="utf-8")
    new = update(old, rules)
    if new != old:
        DOC.write_text(new, encoding="utf-8")
    print(f"{DOC}: {'rewritten' if new != old else 'already current'}")


if __name__ == "__main__":
    main()
