"""Atomic replacement of files: a reader never sees half a file, a failure keeps the old one.

Every write of lrviz (points, parameters, histories, sessions, images) goes through
`atomic_path`: write a temp file beside the target, flush it to disk, rename it over the
target. A crash or an exception midway (Ctrl+C included) leaves the old file as it was
and no temp file behind.
"""

from __future__ import annotations

import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TextIO


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically."""
    with atomic_text_file(path) as stream:
        stream.write(text)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` atomically, flushed to disk; every write error is raised (a full
    disk included) before the old file is replaced."""
    with atomic_path(path) as temp:
        with open(temp, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())


class TargetError(OSError):
    """A path lrviz will not write: a folder, a device, a FIFO, or a name in no writable folder."""


def checked_target(path: str | os.PathLike[str]) -> Path:
    """The file a write to `path` replaces; TargetError (a message to show) for anything else.

    That is `path` itself, or the file its symbolic link points to (the link stays a link),
    when it is a regular file or a new name in an existing folder lrviz may write. A folder
    ('/', '.'), a device node (/dev/null) or a FIFO is refused: renaming a temp file over it
    would replace the node itself, which for /dev/null run as root breaks the system.
    """
    text = os.fspath(path)
    if not text:
        raise TargetError("the file name is empty; give a file name")
    if text.endswith(("/", os.sep)):
        raise TargetError(f"{text} ends with '/' (a folder); give a file name")
    target = Path(os.path.realpath(text))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise TargetError(f"{text}: {error.strerror or error}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise TargetError(f"{text} is a folder; give a file name in it")
    if mode is not None and not stat.S_ISREG(mode):
        raise TargetError(f"{text} is not a regular file (a device, FIFO or socket); give a file name")
    folder = target.parent
    if not folder.is_dir():
        raise TargetError(f"{text}: the folder {folder} does not exist; create it or choose another")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise TargetError(f"{text}: the folder {folder} is not writable; choose another")
    return target


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A new empty temp file beside `path`, to be written by name; it replaces `path` only if
    the block ends without an exception, and is deleted otherwise (Ctrl+C included).

    The new file keeps the old one's permissions, or gets the usual ones (0o666 minus the umask).
    A symbolic link's file is replaced, not the link; a path checked_target refuses raises
    TargetError before anything is written.
    """
    target = checked_target(path)
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = None
    temp, handle = _create_temp_beside(target, 0o666 if mode is None else mode)
    os.close(handle)
    try:
        yield temp
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


@contextmanager
def atomic_text_file(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A UTF-8 text stream (no newline translation) that replaces `path` atomically, flushed to disk."""
    with atomic_path(path) as temp:
        with open(temp, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())


def _create_temp_beside(target: Path, mode: int) -> tuple[Path, int]:
    # Created with the target's mode (minus the umask; 0o666 for a new file, so the umask
    # decides as for any new file): a temp of a 0o600 file is never readable by others while
    # it is written (a streamed history is written for the whole run). mkstemp would force 0o600.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp = target.with_name(f".{target.name[:80]}.{secrets.token_hex(6)}.tmp")
        try:
            return temp, os.open(temp, flags, mode)
        except FileExistsError:
            continue


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


__all__ = ["TargetError", "atomic_path", "checked_target", "atomic_text_file", "atomic_write_bytes", "atomic_write_text"]
