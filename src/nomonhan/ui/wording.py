"""Words fitted to the room they have: plurals, and text wrapped or shortened to a width.

Pure text: the caller says what fits (usually "this font renders it narrower than the button"),
so these work for pygame_gui buttons, the log and the editor's lists alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 error``, ``2 errors``, ``0 steps`` (``many``: an irregular plural)."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def wrap_text(text: str, fits: Callable[[str], bool], indent: str = "   ") -> list[str]:
    """``text`` in rows that ``fits`` accepts, broken between words (continuation rows indented)."""
    rows: list[str] = []
    line = ""
    for word in text.split():
        lead = indent if rows else ""
        candidate = f"{line} {word}" if line else word
        if line and not fits(lead + candidate):
            rows.append(lead + line)
            line = word
        else:
            line = candidate
    rows.append((indent if rows else "") + line)
    return rows


def fit_text(text: str, fits: Callable[[str], bool]) -> str:
    """``text`` shortened until ``fits`` accepts it, keeping the words that name things.

    Brackets go first ("Khalkhin Gol (Nomonhan), ..." -> "Khalkhin Gol, ..."), then trailing
    comma-separated clauses, then whole words with an ellipsis; a word is never cut in half
    unless a single word is all that is left.
    """
    if fits(text):
        return text
    bare = re.sub(r"\s*\([^()]*\)", "", text)
    if fits(bare):
        return bare
    clauses = bare.split(", ")
    while len(clauses) > 1:
        clauses.pop()
        if fits(", ".join(clauses)):
            return ", ".join(clauses)
    words = clauses[0].split()
    while len(words) > 1:
        words.pop()
        if fits(" ".join(words) + "…"):
            return " ".join(words) + "…"
    word = words[0] if words else ""
    while len(word) > 1 and not fits(word + "…"):
        word = word[:-1]
    return word + "…"
