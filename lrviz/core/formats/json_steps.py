"""A JSON text parsed in steps that each hold the GIL briefly, with the result of json_object.

json.loads of a 200 MB session is one C call of seconds, during which no other Python
thread runs: read in a worker thread, it would still freeze the window. Here the text is
walked in Python (which gives the GIL up every few milliseconds) and every long flat
list (of numbers, true, false, null: what a session's history and points are) is parsed
by json.loads in slices of whole items, each a short C call. Strings and the structure
around the lists go through json's own scanners, so the values are the same objects
json.loads makes.

The text may come in blocks (`json_object_from_blocks`): only a window of it is held,
the part not parsed yet. Joining a 200 MB file's blocks into one string held the GIL
for a quarter of a second (the copy and its page faults) and doubled the memory.

Exactness: the values are json.loads's own. Damage is described by json.loads too, on a
short text that puts its parser where the walker failed: the innermost container's
state, written out ('["",' for a list after a comma, '{"":' for an object's value, ...;
a string, as no following character can join it the way "0" joins ".5"),
then the text from there. Its error, placed back at the file's line and column, is
json_object's message on the whole text, without parsing the 200 MB before it again.
Whatever else the walker cannot judge (nesting too deep for its recursion) is handed to
`json_object` on the whole text (from blocks: NotInSteps tells the caller to do so).
So the result or message is always json_object's.

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
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

import numpy as np

from lrviz.core.formats.common import json_failure, json_hooks, json_object, short

SLICE_CHARS = 1 << 18  # ~256 kB of a flat list per json.loads call: about 2 ms
_FLAT_LIST_CHARS = 4096  # shorter lists are decoded at once
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NOT_FLAT = re.compile(r'["\[\]{}]')  # a list holding any of these is walked, not sliced
_LONGEST_CONSTANT = len("-Infinity")  # a value cut by the window's end is at most this long (a number's cut part less)
_LONGEST_ESCAPE = len("\\ud83d\\ude00")  # and an escape in a string (a surrogate pair)


class StepsAbandoned(Exception):
    """`should_stop` said to stop."""


class NotInSteps(Exception):
    """Something the walker does not handle (damage, most often): json_object on the whole
    text gives the exact result or message."""




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
    try:
        return json_object_from_blocks(iter((text,)), len(text), source, error, should_stop, progress, columns)
    except NotInSteps:
        return json_object(text, source, error)


def json_object_from_blocks(blocks: Iterator[str], total_chars: int, source: str, error: type[ValueError],
                            should_stop: Callable[[], bool] | None = None,
                            progress: Callable[[float], None] | None = None,
                            columns: Callable[[JsonPath], bool] | None = None) -> dict[str, Any]:
    """The object of the text that `blocks` make, as json_object gives it, read and parsed in
    steps (see json_object_in_steps); NotInSteps when only json_object on the whole text
    can say (the caller reads it whole then). `total_chars` (an estimate) scales `progress`."""
    walker = _Walker(blocks, total_chars, source, error, should_stop, progress, columns)
    try:
        value, end = walker.value(walker.skip(0), (), "")
        end = walker.skip(end)
        if end != len(walker.text):
            walker.fail(end, '""')  # json.loads: "Extra data"
    except error:
        raise
    except (ValueError, RecursionError, IndexError):
        raise NotInSteps from None
    if not isinstance(value, dict):
        raise error(f"{source}: expected a JSON object at the top level")
    return value


class _Walker:
    """Walks the text held in `text`, a window that `more` moves along: every method takes
    and returns indices into the window as it is at that moment (none is kept across a call)."""

    LOOKAHEAD = 1 << 16  # characters kept ahead of a token that ends the window, at least

    def __init__(self, blocks: Iterator[str], total_chars: int, source: str, error: type[ValueError],
                 should_stop: Callable[[], bool] | None, progress: Callable[[float], None] | None,
                 columns: Callable[[JsonPath], bool] | None) -> None:
        self.blocks = blocks
        self.text = ""
        self.base = 0  # where text[0] is in the whole text
        self.newlines = 0  # before base (for a message's line and column)
        self.last_newline = -1  # the last one's place before base
        self.ended = False
        self.total = max(1, total_chars)
        self.should_stop = should_stop
        self.progress = progress
        self.columns = columns

        self.source, self.error = source, error
        self.hooks = json_hooks(source, error)
        self.decoder = json.JSONDecoder(parse_constant=self.hooks["parse_constant"])
        self.scan = self.decoder.scan_once

    # -- the window ------------------------------------------------------------------------------
    def more(self, index: int, ahead: int = 1) -> int:
        """Drop the window before `index` and read blocks until `ahead` characters follow it
        (or the text ends); the same place as an index into the new window."""
        rest = self.text[index:] if index else self.text
        if index:
            self.newlines += self.text.count("\n", 0, index)
            before = self.text.rfind("\n", 0, index)
            self.last_newline = self.base + before if before >= 0 else self.last_newline
        self.base += index
        parts = [rest] if rest else []
        held = len(rest)
        while held < ahead and not self.ended:
            self.step(0)  # a block is read: ask, and tell where the parse is (the window starts there)
            block = next(self.blocks, None)
            if block is None:
                self.ended = True
            else:
                parts.append(block)
                held += len(block)
        self.text = parts[0] if len(parts) == 1 else "".join(parts)  # one block: no copy of it
        return 0

    def skip(self, index: int) -> int:
        """The index of the next character that is not whitespace (or the text's end)."""
        index = _skip(self.text, index)
        while index == len(self.text) and not self.ended:
            index = self.more(index, self.LOOKAHEAD)
            index = _skip(self.text, index)  # the new window (not self.text read before `more`)
        return index

    def whole_token(self, index: int, prefix: str, key: bool = False) -> tuple[Any, int]:
        """A scalar (or with `key` an object's key) at `index`, scanned on a window that holds
        it whole: one that ends the window (or fails there) is scanned again with more text,
        twice as much each time. Damage raises json_object's error (`prefix`: see `fail`)."""
        while True:
            try:
                value, end = _scan_key(self.text, index + 1) if key else self.scan(self.text, index)
            except StopIteration:  # no value here: "tru" at the window's end, or damage
                if self.ended or len(self.text) - index > _LONGEST_CONSTANT:
                    self.fail(index, prefix)
            except json.JSONDecodeError as failure:  # a string: unterminated in the window, or damage
                if self.ended or not (failure.msg.startswith("Unterminated")
                                      or failure.pos >= len(self.text) - _LONGEST_ESCAPE):
                    self.fail(index, prefix)
            except ValueError as failure:  # an integer longer than Python's digit limit, NaN
                if isinstance(failure, self.error):
                    raise
                self.fail(index, prefix)
            else:  # a number near the window's end may go on ("1.5" of "1.5e3"): scanned again
                if end < len(self.text) - _LONGEST_CONSTANT or self.ended:
                    return value, end
            index = self.more(index, max(self.LOOKAHEAD, 2 * (len(self.text) - index)))

    def fail(self, index: int, prefix: str, upto: int | None = None) -> NoReturn:
        """Raise json_object's error for damage at or after `index`, where the innermost
        container is in the state `prefix` writes out (see the module's docstring). `upto`:
        the error must lie before it (a slice's end). NotInSteps if json.loads sees no error
        there, or one elsewhere (the whole text must decide)."""
        while True:
            local = prefix + self.text[index:]
            try:  # no duplicate-key hook: no object closes before the damage (the walker refuses those itself)
                json.loads(local, parse_constant=self.hooks["parse_constant"])
            except json.JSONDecodeError as failure:
                at = failure.pos - len(prefix)  # from index; -1: the comma '["",' stands for
                if not self.ended and index + at >= len(self.text) - _LONGEST_ESCAPE:  # at the window's end:
                    upto = None if upto is None else upto - index
                    index = self.more(index, max(self.LOOKAHEAD, 2 * (len(self.text) - index)))  # look again
                    upto = None if upto is None else upto + index
                    continue
                if at < (-1 if prefix.endswith(",") else 0) or (upto is not None and index + at > upto) \
                        or (failure.msg == "Extra data" and prefix != '""'):
                    raise NotInSteps from None
                raise json_failure(failure, self.source, self.error, *self.line_and_column(index + at)) from None
            except RecursionError:
                raise NotInSteps from None
            except ValueError as failure:
                raise json_failure(failure, self.source, self.error) from None
            raise NotInSteps

    def line_and_column(self, index: int) -> tuple[int, int]:
        """JSONDecodeError's line and column of window place `index` in the whole text."""
        if index < 0:  # the comma before the window (a '["",' failure): no newline
            return self.newlines + 1, self.base + index - self.last_newline
        before = self.text.rfind("\n", 0, index)
        newline = self.base + before if before >= 0 else self.last_newline
        return self.newlines + self.text.count("\n", 0, index) + 1, self.base + index - newline

    def step(self, index: int) -> None:
        if self.should_stop is not None and self.should_stop():
            raise StepsAbandoned
        if self.progress is not None:
            self.progress(min(1.0, (self.base + index) / self.total))

    # -- the grammar -------------------------------------------------------------------------------
    def value(self, index: int, path: JsonPath, prefix: str) -> tuple[Any, int]:
        """The value at `index`, in a container in the state `prefix` writes out (see `fail`)."""
        char = self.text[index: index + 1]
        if char == "{":
            return self.object(index + 1, path)
        if char == "[":
            return self.list(index + 1, path)
        return self.whole_token(index, prefix)  # a string, number, true, false, null (C)

    def object(self, index: int, path: JsonPath) -> tuple[dict[str, Any], int]:
        data: dict[str, Any] = {}
        twice: str | None = None  # the first key given twice: refused at the object's end, as json_object does
        index = self.skip(index)
        if self.text[index: index + 1] == "}":
            return data, index + 1
        before_key = "{"
        while True:
            if self.text[index: index + 1] != '"':
                self.fail(index, before_key)
            key, index = self.whole_token(index, before_key, key=True)
            index = self.skip(index)
            if self.text[index: index + 1] != ":":
                self.fail(index, '{""')
            value, index = self.value(self.skip(index + 1), (*path, key), '{"":')
            if key in data and twice is None:
                twice = key
            data[key] = value
            index = self.skip(index)
            char = self.text[index: index + 1]
            if char == "}":
                if twice is not None:
                    raise self.error(f"{self.source}: the key {short(twice)} appears twice in one object")
                return data, index + 1
            if char != ",":
                self.fail(index, '{"":""')
            index = self.skip(index + 1)
            before_key = '{"":"",'

    def list(self, index: int, path: JsonPath) -> tuple[list[Any] | NumberColumn, int]:
        index = self.skip(index)
        if self.text[index: index + 1] == "]":
            return [], index + 1
        if len(self.text) - index <= _FLAT_LIST_CHARS and not self.ended:
            index = self.more(index, _FLAT_LIST_CHARS + 1)
        if _NOT_FLAT.search(self.text, index, index + _FLAT_LIST_CHARS + 1) is None \
                and len(self.text) - index > _FLAT_LIST_CHARS:  # long and flat so far: in slices
            items, index, done = self.flat_items(index, self.columns is not None and self.columns(path))
            if done:
                return items, index
        else:
            items = []
        while True:
            item, index = self.value(self.skip(index), (*path, len(items)), '["",' if items else "[")
            items.append(item)
            index = self.skip(index)
            char = self.text[index: index + 1]
            if char == "]":
                return items, index + 1
            if char != ",":
                self.fail(index, '[""')
            index += 1

    def flat_items(self, start: int, column: bool) -> tuple[list[Any] | NumberColumn, int, bool]:
        """The items from `start` (an item's start) in slices of whole items, each a short C
        call: (items, index after the list, True) at its "]", or (the items so far as a list,
        the next item's index, False) where a string, list or object comes (walked item by item).

        With `column`, a list whose items are all of one type is a NumberColumn."""
        items: list[Any] = []
        arrays: list[np.ndarray] = []
        kind: type | None = None
        limit = SLICE_CHARS
        prefix = "["  # the state before `start`: after "[", then after a comma
        while True:
            self.step(start)
            if len(self.text) - start <= limit and not self.ended:
                start = self.more(start, limit + 1)
            text = self.text
            stop = min(len(text), start + limit)
            found = _NOT_FLAT.search(text, start, stop)
            if found is not None:
                at = found.start()
                cut = at if text[at] == "]" else text.rfind(",", start, at)
            elif stop < len(text):
                at, cut = -1, text.rfind(",", start, stop)
                if cut < start:  # one item longer than a slice: a longer slice
                    limit *= 2
                    continue
            else:
                self.fail(start, prefix)  # the text ends inside the list
            limit = SLICE_CHARS
            last = found is not None and text[at] == "]"
            if cut > start or last:
                try:
                    part = self.decoder.decode("[" + text[start:cut] + "]")
                except ValueError as failure:
                    if isinstance(failure, self.error):  # NaN or Infinity
                        raise
                    self.fail(start, prefix, cut)
                if not part:
                    self.fail(start, prefix, cut)  # a comma just before "]" or another comma
                if column:
                    kinds = set(map(type, part))
                    kind = kind or next(iter(kinds))
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
            if last:
                return (NumberColumn(kind, np.concatenate(arrays)) if column else items), at + 1, True
            if cut <= start:  # an item longer than a slice, or a string, list or object next
                if column:
                    items = [item for array in arrays for item in array.tolist()]
                return items, start, False
            start, prefix = cut + 1, '["",'


def _scan_key(text: str, index: int) -> tuple[str, int]:
    return json.decoder.scanstring(text, index, True)


def _skip(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()


__all__ = ["NotInSteps", "NumberColumn", "StepsAbandoned", "as_lists", "json_object_from_blocks",
           "json_object_in_steps"]
