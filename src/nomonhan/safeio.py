"""Bounded reads of files named by untrusted input (scenarios, records, GeoJSON, images).

A path in a scenario or a game record may name anything: ``/dev/zero`` (endless), a FIFO
(blocks forever on open or read), a folder, or a file of gigabytes.  :func:`read_bytes` reads
regular files only and stops at its limit *while reading*, so no such file costs more than the
limit in memory or blocks: it checks the kind with ``stat`` before opening, opens without
blocking (a FIFO would otherwise wait for a writer), and checks the kind again on the open
descriptor (the path may have been swapped in between).

The lowest layer: it knows no game words, and callers turn :class:`FileRefused` into their
own error (a scenario problem, a record error) naming the file.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

_CHUNK = 1 << 16


class FileRefused(Exception):
    """A file that cannot be read as data; the message says why, without the path."""


class NotJson(FileRefused):
    """A readable file whose text is not JSON (or nests too deep to parse)."""


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse_kind(mode: int) -> None:
    kind = _kind(mode)
    if kind is not None:
        raise FileRefused(f"this is {kind}, not a regular file")


def read_bytes(path: str | Path, limit: int) -> bytes:
    """The whole content of the regular file ``path``, at most ``limit`` bytes, else FileRefused."""
    try:
        _refuse_kind(os.stat(path).st_mode)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileRefused("no such file") from None
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror or exc}") from None
    except ValueError:
        raise FileRefused("the file name holds a NUL character") from None
    try:
        _refuse_kind(os.fstat(fd).st_mode)
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileRefused(f"the file is larger than {limit:,} bytes, the most allowed")
        return b"".join(chunks)
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def read_text(path: str | Path, limit: int) -> str:
    """:func:`read_bytes` decoded as UTF-8 (FileRefused if it is not)."""
    data = read_bytes(path, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRefused(f"the file is not valid UTF-8 text (line {line})") from None


def read_json(path: str | Path, limit: int, number_chars: int | None = None) -> Any:
    """:func:`read_text` parsed as JSON; FileRefused for bad JSON or nesting too deep to parse,
    and, with ``number_chars``, for a number written with more characters than that (Python
    refuses an integer of over 4,300 digits with advice meant for programmers)."""
    text = read_text(path, limit).removeprefix("\ufeff")  # a byte-order mark, as an editor on Windows may write
    hooks: dict[str, Any] = {}
    if number_chars is not None:

        def bounded(convert: Any) -> Any:
            def parse(written: str) -> Any:
                if len(written) > number_chars:
                    raise ValueError(f"a number of {len(written):,} characters; a number may hold at most {number_chars}")
                return convert(written)

            return parse

        hooks = {"parse_int": bounded(int), "parse_float": bounded(float)}
    try:
        return json.loads(text, **hooks)
    except ValueError as exc:
        raise NotJson(f"not valid JSON ({exc})") from None
    except RecursionError:
        raise NotJson("the JSON nests too deep") from None
