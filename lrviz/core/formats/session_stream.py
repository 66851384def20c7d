"""A session file written in pieces, so that writing it never holds the GIL for long.

write_session encodes the whole file with one json.dumps call: for 2·10^6 epochs that is
seconds in which no other thread runs (the window's GUI thread included). Here the same
JSON object is encoded piece by piece: every long list is encoded in slices, each one
short C call, and written as it is made. The text is exactly write_session's, byte for
byte, so either writer's file reads back the same.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from typing import Any

from lrviz.core.formats.atomic import atomic_text_file
from lrviz.core.formats.session import Session, session_to_json_dict

SLICE = 20_000  # list items per json.dumps call: about a millisecond


class WriteAbandoned(Exception):
    """`should_stop` said to stop: nothing was written (the old file stays)."""


def session_json_pieces(session: Session) -> Iterator[str]:
    """The text of json.dumps(session_to_json_dict(session), separators=(",", ":"),
    allow_nan=False), in pieces."""
    yield from _pieces(session_to_json_dict(session))


def _pieces(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            yield ("," if i else "") + json.dumps(key) + ":"
            yield from _pieces(item)
        yield "}"
    elif isinstance(value, list) and len(value) > SLICE:
        yield "["
        for start in range(0, len(value), SLICE):
            text = _dumps(value[start:start + SLICE])
            yield ("," if start else "") + text[1:-1]
        yield "]"
    else:
        yield _dumps(value)


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


def write_session_in_pieces(path: str | os.PathLike[str], session: Session,
                            should_stop: Callable[[], bool] | None = None) -> None:
    """write_session's file, written atomically piece by piece; `should_stop` is asked between
    pieces, and True deletes the temp file and raises WriteAbandoned (the old file stays)."""
    with atomic_text_file(path) as stream:
        for piece in session_json_pieces(session):
            if should_stop is not None and should_stop():
                raise WriteAbandoned(str(path))
            stream.write(piece)
        stream.write("\n")


__all__ = ["WriteAbandoned", "session_json_pieces", "write_session_in_pieces"]
