"""Reading helpers the file formats share; each takes the format's error class to raise.

Package-internal: the formats build their messages from these, so every reader says
"<file>, line N: <problem>" or "<file>: <problem>" the same way.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import math
import os
import stat
import warnings
from typing import Any, Callable, Iterator

import numpy as np

from lrviz.core.numbers import strict_float, strict_int  # noqa: F401 (the readers' number syntax)


def read_text(path: str | os.PathLike[str], error: type[ValueError]) -> str:
    """The file's text (UTF-8, a BOM dropped); OSError for the path, `error` for bytes that are not text."""
    try:
        with open_regular(path) as handle:
            return handle.read()
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not a text (UTF-8) file: {exc.reason}") from None


def open_regular(path: str | os.PathLike[str]) -> io.TextIOWrapper:
    """`path` opened as UTF-8 text (a BOM dropped, no newline translation) if it is a regular file.

    A FIFO would block the reader forever and a device like /dev/zero fill memory: they
    raise OSError (EINVAL, "not a regular file") at once. Opened without blocking, checked
    on the open descriptor (no race with a rename), then read as usual.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a device, FIFO or socket); give a file", str(path))
        os.set_blocking(fd, True)
        return open(fd, encoding="utf-8-sig", newline="")
    except BaseException:
        os.close(fd)
        raise


def csv_rows(text: str, source: str, error: type[ValueError]) -> Iterator[tuple[int, list[str]]]:
    """(line number, row) of the non-blank rows; malformed CSV raises `error` naming the line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    end = 0
    try:
        for row in reader:
            line, end = end + 1, reader.line_num  # a quoted cell may span lines: name the first
            if any(cell.strip() for cell in row):
                yield line, row
    except csv.Error as exc:
        raise error(f"{source}, line {reader.line_num}: not valid CSV ({exc})") from None


def numeric_table(body: str, columns: int) -> np.ndarray | None:
    """Parse comma-separated numbers fast with NumPy; None if anything is unusual.

    Callers fall back to their row-by-row parser, which says what is wrong. NumPy's parser
    rounds correctly, like float(), so both give the same doubles.
    """
    if not body.strip():
        return np.empty((0, columns))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            table = np.loadtxt(io.StringIO(body, newline=None), delimiter=",", dtype=float,
                               ndmin=2, comments=None)
    except (ValueError, UserWarning):
        return None
    if table.shape[1] != columns or not np.all(np.isfinite(table)):
        return None
    return table


def csv_number(text: str, source: str, line: int, error: type[ValueError]) -> float:
    try:
        value = strict_float(text)
    except ValueError:
        raise error(f"{source}, line {line}: {short(text)} is not a number") from None
    if not math.isfinite(value):
        raise error(f"{source}, line {line}: {short(text)} is not a finite number")
    return value


def finite(value: Any, what: str, error: type[ValueError]) -> float:
    """A number (not a bool) as a finite float."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise error(f"{what} must be a number, not {short(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise error(f"{what} must be a finite number, not {short(value)}")
    return number


def whole(value: Any, what: str, error: type[ValueError]) -> int:
    """A Python int (not a bool) from 0 to 2⁶³ − 1, so it fits NumPy's int64."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise error(f"{what} must be a whole number ≥ 0, not {short(value)}")
    return value


def short(value: Any) -> str:
    """repr(value), cut to 40 characters: a message quotes a damaged value, never all of it."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def json_hooks(source: str, error: type[ValueError]) -> dict[str, Callable[..., Any]]:
    """The keyword arguments json_object decodes with: NaN and Infinity refused, and a key
    given twice in one object (JSON allows neither meaningfully; Python would keep one)."""
    def no_constants(name: str) -> float:
        raise error(f"{source}: {name} is not allowed; every number must be finite")

    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key, value in pairs:
            if key in data:
                raise error(f"{source}: the key {short(key)} appears twice in one object")
            data[key] = value
        return data

    return {"parse_constant": no_constants, "object_pairs_hook": unique_keys}


def json_failure(exc: BaseException, source: str, error: type[ValueError], lineno: int | None = None,
                 colno: int | None = None) -> ValueError:
    """json_object's error for what json.loads raised (a JSONDecodeError at `lineno`, `colno`
    when given, else at its own; a RecursionError; another ValueError)."""
    if isinstance(exc, json.JSONDecodeError):
        lineno, colno = (exc.lineno, exc.colno) if lineno is None else (lineno, colno)
        return error(f"{source}: not valid JSON (line {lineno}, column {colno}: {exc.msg})")
    if isinstance(exc, RecursionError):
        return error(f"{source}: not valid JSON (nested too deeply)")
    if isinstance(exc, error):
        return exc
    return error(f"{source}: not valid JSON ({exc})")  # e.g. an integer longer than Python's digit limit


def json_object(text: str, source: str, error: type[ValueError]) -> dict[str, Any]:
    """The top-level object of a JSON text (see json_hooks for what is refused)."""
    try:
        data = json.loads(text, **json_hooks(source, error))
    except (ValueError, RecursionError) as exc:
        raise json_failure(exc, source, error) from None
    if not isinstance(data, dict):
        raise error(f"{source}: expected a JSON object at the top level")
    return data


def format_version(fmt: Any, family: str, readable: range, source: str, what: str,
                   error: type[ValueError]) -> int:
    """The version number of `family/N` when N is in `readable`; "newer lrviz" for a higher N."""
    prefix, newest = f"{family}/", readable[-1]
    if not isinstance(fmt, str) or not fmt.startswith(prefix):
        raise error(f"{source}: not an lrviz {what} file (expected \"format\": \"{prefix}{newest}\")")
    version = fmt[len(prefix):]
    if not (version.isascii() and version.isdigit()) or len(version) > 9:
        raise error(f"{source}: unknown {what} format {short(fmt)}")
    if int(version) > newest:
        raise error(f"{source} was written by a newer lrviz (format {fmt}); this lrviz reads "
                    f"{prefix}{newest}. Update lrviz to open it.")
    if int(version) not in readable:
        raise error(f"{source}: unknown {what} format {short(fmt)}")
    return int(version)
