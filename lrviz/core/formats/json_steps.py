"""A JSON text parsed in steps that each hold the GIL briefly, with the result of json_object.

json.loads of a 200 MB session is one C call of seconds, during which no other Python
thread runs: read in a worker thread, it would still freeze the window. Here the text is
walked in Python (which gives the GIL up every few milliseconds) and every long flat
list (of numbers, true, false, null: what a session's history and points are) is parsed
by json.loads in slices of whole items, each a short C call. Strings and the structure
around the lists go through json's own scanners, so the values are the same objects
json.loads makes.

Exactness is kept by a simple rule: whatever this walker does not accept (any syntax it
does not expect, an error of any kind) is handed to `json_object` on the whole text,
which gives the exact result or the exact message. So the result is always json_object's.
"""

from __future__ import annotations

import json
import json.decoder
import re
from collections.abc import Callable
from typing import Any

from lrviz.core.formats.common import json_object

SLICE_CHARS = 1 << 18  # ~256 kB of a flat list per json.loads call: about 2 ms
_FLAT_LIST_CHARS = 4096  # shorter lists are decoded at once
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NOT_FLAT = re.compile(r'["\[\]{}]')  # a list holding any of these is walked, not sliced


class StepsAbandoned(Exception):
    """`should_stop` said to stop."""


class _Fallback(Exception):
    """Something this walker does not handle: json_object on the whole text decides."""


def json_object_in_steps(text: str, source: str, error: type[ValueError],
                         should_stop: Callable[[], bool] | None = None,
                         progress: Callable[[float], None] | None = None) -> dict[str, Any]:
    """json_object(text, source, error), computed in short steps.

    `should_stop` is asked between steps (True raises StepsAbandoned); `progress` is told the
    fraction of the text done (0 to 1) now and then."""
    walker = _Walker(text, source, error, should_stop, progress)
    try:
        value, end = walker.value(_skip(text, 0))
        if _skip(text, end) != len(text) or not isinstance(value, dict):
            raise _Fallback
    except (_Fallback, ValueError, RecursionError, IndexError):  # the exact result or message
        return json_object(text, source, error)
    return value


def _skip(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()


class _Walker:
    def __init__(self, text: str, source: str, error: type[ValueError],
                 should_stop: Callable[[], bool] | None, progress: Callable[[float], None] | None) -> None:
        self.text = text
        self.should_stop = should_stop
        self.progress = progress

        def no_constants(name: str) -> float:
            raise error(f"{source}: {name} is not allowed; every number must be finite")

        self.decoder = json.JSONDecoder(parse_constant=no_constants)
        self.scan = self.decoder.scan_once

    def step(self, index: int) -> None:
        if self.should_stop is not None and self.should_stop():
            raise StepsAbandoned
        if self.progress is not None and self.text:
            self.progress(index / len(self.text))

    def value(self, index: int) -> tuple[Any, int]:
        text = self.text
        char = text[index: index + 1]
        if char == "{":
            return self.object(index + 1)
        if char == "[":
            return self.list(index + 1)
        try:
            return self.scan(text, index)  # a string, number, true, false, null (C)
        except StopIteration:
            raise _Fallback from None

    def object(self, index: int) -> tuple[dict[str, Any], int]:
        text = self.text
        data: dict[str, Any] = {}
        index = _skip(text, index)
        if text[index: index + 1] == "}":
            return data, index + 1
        while True:
            if text[index: index + 1] != '"':
                raise _Fallback
            key, index = json.decoder.scanstring(text, index + 1, True)
            index = _skip(text, index)
            if text[index: index + 1] != ":":
                raise _Fallback
            value, index = self.value(_skip(text, index + 1))
            if key in data:
                raise _Fallback  # json_object's message for a key given twice
            data[key] = value
            index = _skip(text, index)
            char = text[index: index + 1]
            if char == "}":
                return data, index + 1
            if char != ",":
                raise _Fallback
            index = _skip(text, index + 1)

    def list(self, index: int) -> tuple[list[Any], int]:
        text = self.text
        end = text.find("]", index)
        if end > index + _FLAT_LIST_CHARS and _NOT_FLAT.search(text, index, end) is None:
            return self.flat_list(index, end), end + 1
        items: list[Any] = []
        index = _skip(text, index)
        if text[index: index + 1] == "]":
            return items, index + 1
        while True:
            item, index = self.value(index)
            items.append(item)
            index = _skip(text, index)
            char = text[index: index + 1]
            if char == "]":
                return items, index + 1
            if char != ",":
                raise _Fallback
            index = _skip(text, index + 1)

    def flat_list(self, start: int, end: int) -> list[Any]:
        """The items of text[start:end] (no string, list or object in it), in slices of whole items."""
        text, loads = self.text, self.decoder.decode
        items: list[Any] = []
        while start < end:
            self.step(start)
            cut = end if end - start <= SLICE_CHARS else text.rfind(",", start, start + SLICE_CHARS)
            if cut <= start:
                cut = text.find(",", start + SLICE_CHARS, end)
                cut = end if cut < 0 else cut
            items.extend(loads("[" + text[start:cut] + "]"))
            start = cut + 1 if cut < end else end
            if cut < end and _skip(text, start) == end:
                raise _Fallback  # a comma before "]"
        return items


__all__ = ["StepsAbandoned", "json_object_in_steps"]
