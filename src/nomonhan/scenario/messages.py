"""Pydantic's validation errors in an author's words.

Every data file an author writes (scenario, rules data, overlay, ``--set`` value, targets) is
checked by the pydantic models of :mod:`nomonhan.scenario.schema`; their wording ("Input should
be greater than or equal to 1", "Extra inputs are not permitted") is written for programmers.
:func:`author_message` is the one place an error becomes what the author reads after
``PATH:LINE:COL: field:``: "must be at least 1, got 0", "is not a known field (known: ...)".
Every error type the models can raise has its own wording; any other falls back to a rewording
that still never says "Input should".
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from nomonhan.scenario import schema

MAX_SHOWN = 40
"""Characters of a wrong value quoted back in a message; longer values are cut with '...'."""

PATTERNS = {
    schema.ID_PATTERN: "must be an id: lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters",
    schema.COLOUR_PATTERN: "must be a colour written #rrggbb (six hex digits, e.g. #c8b67a)",
    schema.COMBAT_RESULT_PATTERN: "must be a combat result: '-' or parts such as A1, D2, R1 joined by '/' (e.g. D1/R2)",
    schema.BOMBARDMENT_RESULT_PATTERN: "must be a bombardment result: '-' or parts such as D1 and S joined by '/' (e.g. D1/S)",
    schema.RULES_REF_PATTERN: "must be a bundled rules id (e.g. standard) or a path to a file ending in .yaml",
}
"""Each pattern a schema field must match, in words."""


def shown(value: Any) -> str:
    """A wrong value as the author wrote it in YAML, cut short: 'x', 12, true, null, a list."""
    if value is None:
        return "null (nothing)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, dict):
        return "a mapping of fields"
    if isinstance(value, (list, tuple)):
        return "a list"
    text = value if isinstance(value, str) else str(value)
    if len(text) > MAX_SHOWN:
        text = text[: MAX_SHOWN - 3] + "..."
    return repr(text) if isinstance(value, str) else text


def _got(error: Any) -> str:
    return f", got {shown(error.get('input'))}"


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _choices(values: list[Any]) -> str:
    return ", ".join(shown(v) if not isinstance(v, str) else v for v in values)


# --- the type at an error's location ------------------------------------------------------------


def inner(annotation: Any) -> Any:
    """The type under Annotated[...] and Optional[...]."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return inner(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        return inner(args[0]) if len(args) == 1 else annotation
    return annotation


def field_type(annotation: Any, name: str) -> tuple[bool, Any]:
    """(whether ``name`` is a field here, the field's type) for a mapping of this type."""
    kind = inner(annotation)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        field = kind.model_fields.get(name)
        return (field is not None, field.annotation if field else None)
    if get_origin(kind) is dict:
        return True, get_args(kind)[1]
    return True, Any


def item_type(annotation: Any, index: int = 0) -> Any:
    """The type of item ``index`` of a list or tuple of this type (``Any`` if it is neither)."""
    kind = inner(annotation)
    args = [arg for arg in get_args(kind) if arg is not Ellipsis]
    if get_origin(kind) in (list, tuple) and args:
        return args[min(index, len(args) - 1)]
    return Any


def _member(annotation: Any, part: Any) -> tuple[Any, bool] | None:
    """The model of a tagged union that ``part`` leads into: (model, whether ``part`` was its
    tag, which pydantic puts into an error's location between the item and its fields)."""
    for member in get_args(inner(annotation)):
        model = inner(member)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        for field in model.model_fields.values():
            if get_origin(field.annotation) is Literal and part in get_args(field.annotation):
                return model, True
    return None


def type_at(root: type[BaseModel], loc: tuple[Any, ...]) -> Any:
    """The declared type at a pydantic error location under ``root`` (``Any`` where unknown)."""
    annotation: Any = root
    for part in loc:
        kind = inner(annotation)
        if get_origin(kind) in (Union, types.UnionType):
            found = _member(kind, part)
            if found is not None:
                annotation = found[0]
                continue
            return Any
        if isinstance(part, int):
            annotation = item_type(kind, part)
        elif part == "[key]":
            args = get_args(kind)
            annotation = args[0] if get_origin(kind) is dict and args else Any
        else:
            known, annotation = field_type(kind, part)
            if not known:
                return Any
    return annotation


def _known_fields(root: type[BaseModel] | None, loc: tuple[Any, ...]) -> list[str]:
    if root is None:
        return []
    model = inner(type_at(root, loc[:-1]))
    return sorted(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else []


# --- the wording of each error type -------------------------------------------------------------


def _extra(error: Any, root: type[BaseModel] | None) -> str:
    known = _known_fields(root, tuple(error["loc"]))
    return "is not a known field" + (f" (known: {', '.join(known)})" if known else " (check its spelling; see `nomonhan schema`)")


def _literal(error: Any, root: type[BaseModel] | None) -> str:
    kind = inner(type_at(root, tuple(error["loc"]))) if root is not None else Any
    if get_origin(kind) is Literal:
        values = list(get_args(kind))
    else:
        values = [v.strip().strip("'") for v in re.split(r", | or ", str(error.get("ctx", {}).get("expected", "")))]
    if len(values) == 1:
        return f"must be {_choices(values)}{_got(error)}"
    return f"must be one of: {_choices(values)}{_got(error)}"


def _pattern(error: Any) -> str:
    pattern = str(error.get("ctx", {}).get("pattern", ""))
    return PATTERNS.get(pattern, f"is not written in the form this field takes (the pattern {pattern})") + _got(error)


def _from_validator(error: Any) -> str:
    """A check of our own (a ``ValueError`` raised in a validator): its text is already the author's."""
    cause = error.get("ctx", {}).get("error")
    if cause is not None:
        return str(cause)
    return re.sub(r"^(Value error|Assertion failed), ", "", str(error["msg"]))


def _unquoted(text: Any) -> str:
    """Pydantic's quoted names (``'kind'``, ``'a', 'b'``) as plain words."""
    return str(text).replace("'", "")


def _length(error: Any, what: str) -> str:
    ctx = error.get("ctx", {})
    value = error.get("input")
    has = f", has {len(value)}" if isinstance(value, (str, list, tuple, dict)) else ""
    if "min_length" in ctx:
        least = ctx["min_length"]
        if least == 1:
            return "must not be empty" if what == "character" else f"needs at least 1 {what}{has}"
        return f"needs at least {least} {what}s{has}"
    return f"may have at most {ctx.get('max_length')} {what}s{has}"


_WHOLE = "must be a whole number"
_NUMBER = "must be a number"
_BOOL = "must be true or false"
_DATETIME = "must be a date and time such as 1939-08-20T06:00"
_DATE = "must be a date such as 1939-08-20"
_TIME = "must be a time of day such as 05:30"
_MAPPING = "must be a mapping of fields (lines of 'name: value')"
_LIST = "must be a list (lines starting with '- ', or [a, b])"

_SIMPLE: dict[str, str] = {
    "int_type": _WHOLE,
    "int_parsing": _WHOLE,
    "int_from_float": _WHOLE,
    "int_parsing_size": _WHOLE + " of a sensible size",
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "finite_number": "must be a finite number",
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "bool_type": _BOOL,
    "bool_parsing": _BOOL,
    "string_type": "must be text (put it in quotes if it looks like a number or a date)",
    "string_unicode": "must be text",
    "dict_type": _MAPPING,
    "mapping_type": _MAPPING,
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "list_type": _LIST,
    "tuple_type": _LIST,
    "set_type": _LIST,
    "frozen_set_type": _LIST,
    "iterable_type": _LIST,
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "datetime_object_invalid": _DATETIME,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE + " (without a time of day)",
    "time_type": _TIME,
    "time_parsing": _TIME,
    "timezone_aware": "must give a time zone",
    "timezone_naive": "must be written without a time zone (the scenario's clock is local)",
    "none_required": "must be empty (null)",
    "set_item_not_hashable": "must hold plain values, not lists or mappings",
    "time_delta_type": "must be a length of time",
    "time_delta_parsing": "must be a length of time",
}
"""Error types whose message is a fixed phrase followed by the value the author wrote."""

_BOUNDS: dict[str, tuple[str, str]] = {
    "greater_than_equal": ("ge", "must be at least {}"),
    "greater_than": ("gt", "must be more than {}"),
    "less_than_equal": ("le", "must be at most {}"),
    "less_than": ("lt", "must be less than {}"),
    "multiple_of": ("multiple_of", "must be a multiple of {}"),
}

_OWN: dict[str, Callable[[Any, type[BaseModel] | None], str]] = {
    "missing": lambda error, root: "is required",
    "extra_forbidden": _extra,
    "literal_error": _literal,
    "enum": _literal,
    "string_pattern_mismatch": lambda error, root: _pattern(error),
    "value_error": lambda error, root: _from_validator(error),
    "assertion_error": lambda error, root: _from_validator(error),
    "too_short": lambda error, root: _length(error, "item"),
    "too_long": lambda error, root: _length(error, "item"),
    "string_too_short": lambda error, root: _length(error, "character"),
    "string_too_long": lambda error, root: _length(error, "character"),
    "invalid_key": lambda error, root: "must have plain text keys",
    "union_tag_invalid": lambda error, root: (
        f"{_unquoted(error['ctx']['discriminator'])} must be one of: {_unquoted(error['ctx']['expected_tags'])}, "
        f"got {shown(error['ctx']['tag'])}"
    ),
    "union_tag_not_found": lambda error, root: f"needs a {_unquoted(error['ctx']['discriminator'])} field saying which kind it is",
}


def author_message(error: Any, root: type[BaseModel] | None = None) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) in the author's words.

    ``root``: the model the whole file was validated as, so an unknown field can list the known
    ones and a closed set its choices.
    """
    kind = error["type"]
    if kind in _OWN:
        return _OWN[kind](error, root)
    if kind in _SIMPLE:
        return _SIMPLE[kind] + _got(error)
    if kind in _BOUNDS:
        key, phrase = _BOUNDS[kind]
        return phrase.format(_number(error.get("ctx", {}).get(key))) + _got(error)
    return _reworded(str(error["msg"])) + _got(error)


def _reworded(message: str) -> str:
    """Any other error: pydantic's sentence with its subject dropped ("Input should be a valid
    URL" -> "must be a valid URL")."""
    return re.sub(r"\b(Input|String|List|Value|Dictionary|Tuple|Set|Object|Data)\s+should\b", "must", message, flags=re.IGNORECASE)
