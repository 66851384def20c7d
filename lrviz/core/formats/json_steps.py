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

Memory: a Python float is 32 bytes (the object and the list's pointer to it), about
twice the text of the number, so a 200 MB session became 320 MB of lists before its
NumPy arrays were made. Where the caller says a long list is a column of numbers
(`columns`, a test of the list's path from the top), a list of one JSON type (all
floats, all whole numbers that fit int64, or all true/false) comes back as a
NumberColumn: one NumPy array, filled slice by slice. Its `tolist()` is json_object's list.
"""

from __future__ import annotations

import json
import json.decoder
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from lrviz.core.formats.common import json_object

SLICE_CHARS = 1 << 18  # ~256 kB of a flat list per json.loads call: about 2 ms
_FLAT_LIST_CHARS = 4096  # shorter lists are decoded at once
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NOT_FLAT = re.compile(r'["\[\]{}]')  # a list holding any of these is walked, not sliced


class StepsAbandoned(Exception):
    """`should_stop` said to stop."""


class _Fallback(Exception):
    """Something this walker does not handle: json_object on the whole text decides."""


class _NotFlat(Exception):
    """A slice of a list holds a string, list or object: the list is walked item by item."""


JsonPath = tuple  # of keys (str) and list indices (int), from the top object down
_COLUMN_TYPES = {float: np.float64, int: np.int64, bool: np.bool_}


class NumberColumn:
    """A long JSON list of one type (float, int or bool) as one NumPy array (`values`).

    `kind` is the Python type json.loads gives every item, so a reader checks it as it
    would check the list's items; `tolist()` is the list json.loads gives."""

    __slots__ = ("kind", "values")

    def __init__(self, kind: type, values: np.ndarray) -> None:
        self.kind, self.values = kind, values

    def __len__(self) -> int:
        return len(self.values)

    def tolist(self) -> list[Any]:
        return self.values.tolist()

    def __eq__(self, other: object) -> bool:  # for tests: as json_object's list compares
        items = other.tolist() if isinstance(other, NumberColumn) else other
        return isinstance(items, list) and self.tolist() == items

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"NumberColumn({self.kind.__name__}, {len(self)} items)"


def as_lists(value: Any) -> Any:
    """`value` with every NumberColumn in it made the list json.loads gives (for tests and fallbacks)."""
    if isinstance(value, NumberColumn):
        return value.tolist()
    if isinstance(value, dict):
        return {key: as_lists(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_lists(item) for item in value]
    return value


def json_object_in_steps(text: str, source: str, error: type[ValueError],
                         should_stop: Callable[[], bool] | None = None,
                         progress: Callable[[float], None] | None = None,
                         columns: Callable[[JsonPath], bool] | None = None) -> dict[str, Any]:
    """json_object(text, source, error), computed in short steps.

    `should_stop` is asked between steps (True raises StepsAbandoned); `progress` is told the
    fraction of the text done (0 to 1) now and then. A long list of one type whose path
    `columns` accepts comes back as a NumberColumn (see the module's docstring)."""
    walker = _Walker(text, source, error, should_stop, progress, columns)
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
                 should_stop: Callable[[], bool] | None, progress: Callable[[float], None] | None,
                 columns: Callable[[JsonPath], bool] | None) -> None:
        self.text = text
        self.should_stop = should_stop
        self.progress = progress
        self.columns = columns

        def no_constants(name: str) -> float:
            raise error(f"{source}: {name} is not allowed; every number must be finite")

        self.decoder = json.JSONDecoder(parse_constant=no_constants)
        self.scan = self.decoder.scan_once

    def step(self, index: int) -> None:
        if self.should_stop is not None and self.should_stop():
            raise StepsAbandoned
        if self.progress is not None and self.text:
            self.progress(index / len(self.text))

    def value(self, index: int, path: JsonPath = ()) -> tuple[Any, int]:
        text = self.text
        char = text[index: index + 1]
        if char == "{":
            return self.object(index + 1, path)
        if char == "[":
            return self.list(index + 1, path)
        try:
            return self.scan(text, index)  # a string, number, true, false, null (C)
        except StopIteration:
            raise _Fallback from None

    def object(self, index: int, path: JsonPath) -> tuple[dict[str, Any], int]:
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
            value, index = self.value(_skip(text, index + 1), (*path, key))
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

    def list(self, index: int, path: JsonPath) -> tuple[list[Any] | NumberColumn, int]:
        text = self.text
        end = text.find("]", index)  # memchr: fast even over a long list
        if end > index + _FLAT_LIST_CHARS:
            try:
                column = self.columns is not None and self.columns(path)
                return self.flat_list(index, end, column), end + 1
            except _NotFlat:
                pass
        items: list[Any] = []
        index = _skip(text, index)
        if text[index: index + 1] == "]":
            return items, index + 1
        while True:
            item, index = self.value(index, (*path, len(items)))
            items.append(item)
            index = _skip(text, index)
            char = text[index: index + 1]
            if char == "]":
                return items, index + 1
            if char != ",":
                raise _Fallback
            index = _skip(text, index + 1)

    def flat_list(self, start: int, end: int, column: bool) -> list[Any] | NumberColumn:
        """The items of text[start:end], in slices of whole items; _NotFlat when a slice holds
        a string, list or object (each slice is searched for them, so no single search is long).

        With `column`, a list whose items are all of one type is a NumberColumn."""
        text, loads = self.text, self.decoder.decode
        items: list[Any] = []
        arrays: list[np.ndarray] = []
        kind: type | None = None
        while start < end:
            self.step(start)
            cut = end if end - start <= SLICE_CHARS else text.rfind(",", start, start + SLICE_CHARS)
            if cut <= start:
                cut = text.find(",", start + SLICE_CHARS, end)
                cut = end if cut < 0 else cut
            if _NOT_FLAT.search(text, start, cut) is not None:
                raise _NotFlat
            part = loads("[" + text[start:cut] + "]")
            if column:
                kinds = set(map(type, part))
                kind = kind or next(iter(kinds), None)
                try:
                    if kinds != {kind} or kind not in _COLUMN_TYPES:
                        raise OverflowError
                    arrays.append(np.array(part, dtype=_COLUMN_TYPES[kind]))
                except OverflowError:  # mixed types, or a whole number beyond int64: a list after all
                    column = False
                    items = [item for array in arrays for item in array.tolist()]
                    arrays.clear()
            if not column:
                items.extend(part)
            start = cut + 1 if cut < end else end
            if cut < end and _skip(text, start) == end:
                raise _Fallback  # a comma before "]"
        if column and kind is not None:
            return NumberColumn(kind, np.concatenate(arrays))
        return items


__all__ = ["NumberColumn", "StepsAbandoned", "as_lists", "json_object_in_steps"]
