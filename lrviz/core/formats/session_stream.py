"""A session file written in pieces, so that writing it never holds the GIL for long.

write_session encodes the whole file with one json.dumps call: for 2·10^6 epochs that is
seconds in which no other thread runs (the window's GUI thread included). Here the same
JSON object is encoded piece by piece: every long list is encoded in slices, each one
short C call, and written as it is made. The text is exactly write_session's, byte for
byte, so either writer's file reads back the same.

`read_session_in_steps` is the other direction: read_session's result (or error) with the
text read in blocks and its JSON parsed by json_steps, in steps that each hold the GIL briefly.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from lrviz.core.formats.atomic import atomic_text_file
from lrviz.core.formats.common import open_regular
from lrviz.core.formats.json_steps import NotInSteps, StepsAbandoned, json_object_from_blocks
from lrviz.core.formats.session import (Session, SessionFormatError, is_number_column, read_session,
                                        session_from_json_dict, session_to_json_dict)

SLICE = 5_000  # list items per json.dumps call: a few milliseconds at most


class WriteAbandoned(Exception):
    """`should_stop` said to stop: nothing was written (the old file stays)."""


def session_json_pieces(session: Session, progress: Callable[[float], None] | None = None) -> Iterator[str]:
    """The text of json.dumps(session_to_json_dict(session), separators=(",", ":"),
    allow_nan=False), in pieces; `progress` is told the fraction of list items done."""
    data = session_to_json_dict(session, arrays=True)  # long lists made in slices below
    total = max(1, _items(data))
    done = [0]

    def report(items: int) -> None:
        done[0] += items
        session.history.note_read(items)  # a long history on disk gives the pages back behind the writer
        if progress is not None:
            progress(min(1.0, done[0] / total))

    yield from _pieces(data, report)


def _items(value: Any) -> int:
    """The number of items of the long lists in `value` (what the pieces are counted by)."""
    if isinstance(value, dict):
        return sum(_items(item) for item in value.values())
    if isinstance(value, np.ndarray):
        return len(value) if len(value) > SLICE else 0
    if isinstance(value, list):
        return len(value) if len(value) > SLICE else sum(_items(item) for item in value)
    return 0


def _pieces(value: Any, report: Callable[[int], None]) -> Iterator[str]:
    if isinstance(value, dict):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            yield ("," if i else "") + json.dumps(key) + ":"
            yield from _pieces(item, report)
        yield "}"
    elif isinstance(value, np.ndarray) and len(value) <= SLICE:
        yield _dumps(value.tolist())
    elif isinstance(value, list) and any(isinstance(item, (dict, list, np.ndarray)) for item in value):
        yield "["  # e.g. earlier_points: objects that hold arrays
        for i, item in enumerate(value):
            if i:
                yield ","
            yield from _pieces(item, report)
        yield "]"
    elif isinstance(value, (list, np.ndarray)) and len(value) > SLICE:
        yield "["
        for start in range(0, len(value), SLICE):
            part = value[start:start + SLICE]
            text = _dumps(part.tolist() if isinstance(part, np.ndarray) else part)
            yield ("," if start else "") + text[1:-1]
            report(min(SLICE, len(value) - start))
        yield "]"
    else:
        yield _dumps(value)


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


def write_session_in_pieces(path: str | os.PathLike[str], session: Session,
                            should_stop: Callable[[], bool] | None = None,
                            progress: Callable[[float], None] | None = None,
                            check: Callable[[], None] | None = None) -> None:
    """write_session's file, written atomically piece by piece; `should_stop` is asked between
    pieces, and True deletes the temp file and raises WriteAbandoned (the old file stays).
    `progress` is told the fraction done now and then. `check` is called between pieces and
    once after the last, before the file replaces the old one: what it raises gives the
    save up the same way (a SessionSnapshot's check: its rows must not change meanwhile)."""
    with atomic_text_file(path) as stream:
        for piece in session_json_pieces(session, progress):
            if should_stop is not None and should_stop():
                raise WriteAbandoned(str(path))
            if check is not None:
                check()
            stream.write(piece)
        stream.write("\n")
        if check is not None:
            check()  # every piece was made from rows as they were at the snapshot


READ_BLOCK_CHARS = 1 << 20  # characters decoded per read() call: a few milliseconds


def read_session_in_steps(path: str | os.PathLike[str], should_stop: Callable[[], bool] | None = None,
                          progress: Callable[[float], None] | None = None) -> Session:
    """read_session(path), in steps that each hold the GIL briefly (for a worker thread).

    The text is read in blocks as the parser needs it (json_steps holds only the part not
    parsed yet), so the file's text is never one string: joining a 200 MB file's blocks held
    the GIL for a quarter of a second and doubled the memory. Damage gets read_session's
    message from json_steps; what json_steps leaves to json.loads on the whole text (nesting
    deeper than its recursion) is read by read_session itself.
    `should_stop` is asked between steps: True raises StepsAbandoned. `progress` is told
    the fraction done: reading and parsing the text is 95 % of it."""
    size = os.path.getsize(path)
    report = None if progress is None else (lambda done: progress(0.95 * done))
    try:
        with open_regular(path) as handle:
            blocks = iter(lambda: handle.read(READ_BLOCK_CHARS), "")
            data = json_object_from_blocks(blocks, size, str(path), SessionFormatError, should_stop, report,
                                           is_number_column)
    except UnicodeDecodeError as failure:  # read_text's message, without reading the whole file again
        raise SessionFormatError(f"{path}: not a text (UTF-8) file: {failure.reason}") from None
    except NotInSteps:
        return read_session(path)  # what only json.loads on the whole text can say
    session = session_from_json_dict(data, str(path))
    if progress is not None:
        progress(1.0)
    return session


__all__ = ["WriteAbandoned", "read_session_in_steps", "session_json_pieces", "write_session_in_pieces"]
