"""Writing the files a user names, in one place: every writer of Nomonhan goes through here.

A save interrupted half-way must never destroy the file it replaces, so a regular file is written
to a temporary file beside it, flushed to disk and renamed over it; the temporary file is removed
when the write fails or is interrupted (only a SIGKILL can leave one, named ``.NAME.PID.*.tmp``,
and the next write of the same file removes it).
What the path names decides how it is written:

- a regular file (or a symbolic link to one, followed to its target): atomically, keeping its
  permissions; a read-only one is refused rather than replaced;
- a pipe, a terminal or ``/dev/null``: streamed into, since renaming over it would replace the
  node itself; an open descriptor (``/dev/fd/N``, ``/dev/stdout``, the ``--out >(jq .)``
  idiom): written through that descriptor, where it stands;
- a folder, a socket or any other device (``/dev/full``, a disk): refused, never replaced.

:func:`check_output` answers the same question without writing, so that a command can refuse a
bad output path before it starts work that takes minutes, not after.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


class OutputError(OSError):
    """An output path that cannot be written as asked; the message names it and says why."""


@dataclass(frozen=True)
class Target:
    """Where a write goes: ``path`` replaced atomically, or streamed into (through this
    process's open ``descriptor`` when the path names one)."""

    path: Path
    stream: bool
    descriptor: int | None = None


DESCRIPTORS = re.compile(r"/proc/(self|thread-self|\d+)(?:/task/\d+)?/fd")
"""Linux's folders of a process's open files, which /dev/fd and /dev/stdout link to."""


def _descriptor(path: Path) -> int | None:
    """For ``/dev/fd/N``, ``/dev/stdout`` and the like, a file the caller already opened: N
    (-1 for another process's).  It is written through that descriptor, at its offset, as
    ``--out /dev/stdout >> log`` means; opening the path again would truncate a file."""
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on a chain of links
        folder = DESCRIPTORS.fullmatch(os.path.realpath(os.path.dirname(current)))
        if folder is not None:
            name = os.path.basename(current)
            ours = folder.group(1) in ("self", "thread-self", str(os.getpid()))
            return int(name) if ours and name.isdigit() else -1
        if not os.path.islink(current):
            return None
        current = os.path.join(os.path.dirname(current), os.readlink(current))
    return None


def _is_terminal_or_null(path: Path, status: os.stat_result) -> bool:
    if os.path.exists(os.devnull) and os.path.samestat(status, os.stat(os.devnull)):
        return True
    return os.path.realpath(path).startswith(("/dev/pts/", "/dev/tty"))


def check_output(path: str | Path) -> Target:
    """How ``path`` would be written, or :class:`OutputError` saying why it cannot be.

    ``-`` is refused, not written as a file of that name: it reads as standard output, which
    only ``run --out`` offers (it handles ``-`` before asking here).  So is an empty name,
    which would be skipped or taken for the current folder."""
    if str(path) == "":
        raise OutputError("an empty name is not a file name; give one")
    if str(path) == "-":
        raise OutputError("-: standard output is not written here (only by run --out); give a file name")
    given = Path(path)
    try:
        status = os.stat(given)
    except (FileNotFoundError, NotADirectoryError):
        return Target(_new_file_location(given), stream=False)
    except OSError as exc:
        raise OutputError(f"{given}: cannot write there ({exc.strerror or exc})") from None
    if stat.S_ISDIR(status.st_mode):
        raise OutputError(f"{given}: is a folder; give a file name")
    descriptor = _descriptor(given)
    if descriptor is not None:
        return Target(given, stream=True, descriptor=None if descriptor < 0 else descriptor)
    if stat.S_ISFIFO(status.st_mode):
        return Target(given, stream=True)
    if stat.S_ISCHR(status.st_mode) and _is_terminal_or_null(given, status):
        return Target(given, stream=True)
    if not stat.S_ISREG(status.st_mode):
        raise OutputError(f"{given}: is a device or socket, not a file; Nomonhan writes files, pipes and terminals only")
    real = Path(os.path.realpath(given))
    if status.st_mode & 0o222 == 0 or not os.access(real, os.W_OK):
        raise OutputError(f"{given}: is read-only; it is left as it is")
    _check_folder_writable(real.parent, given)
    return Target(real, stream=False)


def check_apart(outputs: Mapping[str, str | Path | None], inputs: Mapping[str, str | Path | None]) -> None:
    """Refuse, with :class:`OutputError` naming both options, an output that is one of the
    command's inputs (writing it would destroy the file being read) or another output (one
    would silently replace the other).  Standard output (``-``) and unset options are skipped;
    an input that is not a file (a bundled scenario id) is never the same as an output."""

    def place(path: str | Path) -> str:
        return os.path.realpath(path)

    read = {option: place(path) for option, path in inputs.items() if path is not None and Path(path).is_file()}
    written: dict[str, str] = {}
    for option, path in outputs.items():
        if path is None or str(path) == "-":
            continue
        where = place(path)
        for other, source in read.items():
            if where == source:
                raise OutputError(f"{path}: {option} would overwrite {other}, the file this command reads; write elsewhere")
        for other, taken in written.items():
            if where == taken:
                raise OutputError(f"{path}: {option} and {other} name the same file; give each its own")
        written[option] = where


def check_output_folder(path: str | Path) -> None:
    """A folder that files will be written into (made if missing), or :class:`OutputError`."""
    given = Path(path)
    if given.exists():
        if not given.is_dir():
            raise OutputError(f"{given}: is not a folder")
        _check_folder_writable(given, given)
    else:
        _new_file_location(given)


def _new_file_location(given: Path) -> Path:
    """The real place of a file that does not exist yet (its folder may be missing too)."""
    real = Path(os.path.realpath(given))
    ancestor = real.parent
    while not ancestor.exists():
        if ancestor == ancestor.parent:
            break
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(f"{given}: {ancestor} is not a folder")
    _check_folder_writable(ancestor, given)
    return real


def _check_folder_writable(folder: Path, given: Path) -> None:
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{given}: the folder {folder} is not writable")


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` (text is UTF-8 with ``\\n`` line ends) to ``path`` as the module says."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = check_output(path)
    try:
        if target.descriptor is not None:
            with os.fdopen(os.dup(target.descriptor), "wb") as handle:
                handle.write(payload)
        elif target.stream:
            with open(target.path, "wb") as handle:
                handle.write(payload)
        else:
            _replace(target.path, payload)
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror or exc})") from None


def _replace(target: Path, payload: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, _mode_for(target))
        os.replace(temp_name, target)
        remove_temp_files(target)  # what a killed writer of this file left behind
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


def remove_temp_files(path: str | Path) -> None:
    """Remove the temporary files of writes to ``path`` that a killed process left behind.

    A temporary file's name carries its writer's process id; one whose writer still runs (another
    save in progress, perhaps in this very process) is left alone.
    """
    target = Path(path)
    _remove_if_writer_gone(target.parent.glob(f".{glob.escape(target.name)}.*.tmp"))


def remove_stale_temp_files(folder: str | Path, names: str) -> None:
    """:func:`remove_temp_files` for every file of ``folder`` whose name matches the glob
    ``names`` at once (one scan of the folder, not one a file)."""
    _remove_if_writer_gone(Path(folder).glob(f".{names}.*.tmp"))


def _remove_if_writer_gone(temps: Iterable[Path]) -> None:
    for temp in temps:
        writer = temp.name.rsplit(".", 3)[-3]  # .NAME.PID.RANDOM.tmp (mkstemp's RANDOM has no dot)
        if writer.isdigit() and _running(int(writer)):
            continue
        temp.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < 2**22  # another user's process (or not a real id): keep its file to be safe
    return True


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; give a new one the usual ones (mkstemp makes 0600)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
