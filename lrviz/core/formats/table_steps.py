"""`read_table_in_steps`: read_table's Table, computed in steps that each hold the GIL briefly.

A window reads a large table (10^6 rows) in a worker thread. One str.split or NumPy call
on the whole text holds the GIL for the whole call (a large fraction of a second), and the
GUI thread would freeze as surely as reading it there. So the text is split in blocks of
whole lines, the columns the chooser asks for first (numbers of the numeric columns,
labels of the others) are converted in blocks too, and between blocks the reader reports
its progress and asks whether to stop. The Table is the one `read_table` gives.

A file with quotes (a quoted cell may span lines) goes through the csv module row by row,
which lets other threads run between rows anyway.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable

import numpy as np

from lrviz.core.formats.common import read_text
from lrviz.core.formats.table import (
    Table,
    TableFormatError,
    as_cells,
    numbers,
    padded_columns,
    sniff_delimiter,
    split_columns,
    table_from_columns,
)

BLOCK_CHARS = 1 << 16  # ~2,000 rows of a typical file: a few ms of splitting per block
BLOCK_CELLS = 1 << 14  # cells converted to numbers (or trimmed) per step
_CSV_ROWS = 2000  # rows of the csv reader between progress reports


class TableReadStopped(Exception):
    """`should_stop` said so (the user cancelled, or the window is closing)."""


def read_table_in_steps(path: str | os.PathLike[str], should_stop: Callable[[], bool] | None = None,
                        progress: Callable[[float], None] | None = None, has_header: bool | None = None,
                        delimiter: str | None = None) -> Table:
    """read_table(path)'s Table (or error); `progress(fraction)` between steps, TableReadStopped
    when `should_stop()` is true. The columns a chooser converts first are converted here."""
    stop = should_stop or (lambda: False)
    report = progress or (lambda fraction: None)
    text = read_text(path, TableFormatError).removeprefix("\ufeff")
    source = str(path)
    if not text.strip():
        raise TableFormatError(f"{source} is empty: expected rows of values separated by commas or tabs")
    delimiter = delimiter or sniff_delimiter(text)

    def step(fraction: float) -> None:
        if stop():
            raise TableReadStopped(source)
        report(fraction)

    if '"' not in text and text.count("\r") == text.count("\r\n"):
        lines, columns = _split_in_blocks(text, delimiter, lambda f: step(0.7 * f))
    else:
        lines, columns = _csv_rows(text, delimiter, source, lambda f: step(0.7 * f))
    table = table_from_columns(source, delimiter, lines, columns, has_header)
    _convert_in_blocks(table, lambda f: step(0.7 + 0.3 * f))
    report(1.0)
    return table


class _Blocks:
    """Columns gathered a block of rows at a time, as arrays (no list of 10^6 items ever exists:
    the garbage collector would walk it with the GIL held, see table.as_cells)."""

    def __init__(self) -> None:
        self.lines: list[np.ndarray] = []
        self.columns: list[list[np.ndarray]] = []
        self.rows = 0

    def add(self, lines: list[int] | np.ndarray, block_columns: list[list[str]]) -> None:
        width = len(block_columns)
        while len(self.columns) < width:  # a wider block: earlier rows get empty cells
            self.columns.append([_empty(self.rows)] if self.rows else [])
        for j, parts in enumerate(self.columns):
            parts.append(as_cells(block_columns[j]) if j < width else _empty(len(lines)))
        self.lines.append(np.asarray(lines, dtype=np.int64))
        self.rows += len(lines)

    def result(self) -> tuple[np.ndarray, list[np.ndarray]]:
        lines = np.concatenate(self.lines) if self.lines else np.empty(0, np.int64)
        return lines, [np.concatenate(parts) for parts in self.columns]


def _empty(count: int) -> np.ndarray:
    return as_cells([""] * count)


def _split_in_blocks(text: str, delimiter: str, step: Callable[[float], None]) -> tuple[np.ndarray, list[np.ndarray]]:
    """table._columns's unquoted path, a block of whole lines at a time."""
    text = text.replace("\r\n", "\n") if "\r" in text else text
    blocks = _Blocks()
    line = 1  # the file line of the block's first line
    start = 0
    while start < len(text):
        end = text.find("\n", min(start + BLOCK_CHARS, len(text)))
        end = len(text) if end < 0 else end
        block = text[start:end].split("\n")
        if "" not in block and not any(map(str.isspace, block)):  # no blank line (the usual case)
            kept, kept_numbers = block, np.arange(line, line + len(block))
        else:
            kept_numbers = [line + i for i, cells in enumerate(block) if cells.strip()]
            kept = [block[n - line] for n in kept_numbers]
        line += len(block)
        start = end + 1
        if kept:
            blocks.add(kept_numbers, split_columns(kept, delimiter))
        step(min(start, len(text)) / len(text))
    return blocks.result()


def _csv_rows(text: str, delimiter: str, source: str,
              step: Callable[[float], None]) -> tuple[np.ndarray, list[np.ndarray]]:
    """table._columns's csv path, a few thousand rows at a time."""
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    blocks = _Blocks()
    numbers_, rows, end = [], [], 0
    try:
        for row in reader:
            line, end = end + 1, reader.line_num  # a quoted cell may span lines: name the first
            if any(cell.strip() for cell in row):
                numbers_.append(line)
                rows.append(row)
                if len(rows) == _CSV_ROWS:
                    blocks.add(numbers_, padded_columns(rows))
                    numbers_, rows = [], []
                    step(stream.tell() / len(text))
    except csv.Error as error:
        raise TableFormatError(f"{source}, line {reader.line_num}: not valid CSV ({error})") from None
    if rows:
        blocks.add(numbers_, padded_columns(rows))
    return blocks.result()


def _convert_in_blocks(table: Table, step: Callable[[float], None]) -> None:
    """Fill the table's cache as column_numbers (numeric columns) and column_labels (the others)
    would, a block of cells at a time."""
    numeric = set(table.numeric_columns())
    count = len(table.columns)
    for index, cells in enumerate(table.columns):
        parts = []
        for start in range(0, len(cells), BLOCK_CELLS):
            chunk = cells[start:start + BLOCK_CELLS]
            parts.append(numbers(chunk) if index in numeric else np.char.strip(np.asarray(chunk, dtype=str)))
            step((index + start / max(len(cells), 1)) / count)
        if index in numeric:
            values = np.concatenate(parts) if parts else np.empty(0)
            values.flags.writeable = False
            table._cache[("numbers", index)] = values
        else:
            table._cache[("labels", index)] = np.concatenate(parts) if parts else np.empty(0, dtype=str)


__all__ = ["TableReadStopped", "read_table_in_steps"]
