"""Any table of data as points: CSV or TSV, with or without a header, any label values.

Real files are rarely lrviz's own ``x1,x2,label`` of 0/1: they have an ``id`` or a note
column, a label named ``species`` holding ``setosa``/``versicolor``, three classes, a
trailing comma from a spreadsheet, semicolons, tabs, a BOM, CRLF. So reading is two steps:

1. `parse_table(text)` / `read_table(path)`: the cells, by column. The delimiter is sniffed
   (comma, tab, semicolon or bar), quoted fields are honoured, a first row of names is
   recognised (or given), a column that is empty everywhere (a trailing delimiter) is
   dropped, and every data row keeps its line number in the file. Columns are classified
   numeric or not from the first rows, so a chooser can offer numeric ones first.
2. `dataset_from_table(table, choice)`: two feature columns, a label column, the two
   classes kept (or one class against all the others) and which is class 1 give a
   Dataset with feature and class names. A kept row whose feature is missing or not a
   finite number, or whose label is empty, is never dropped silently: `BadRowsError`
   names the lines, and the choice `skip_bad_rows=True` skips them (their lines reported).

Speed: a file without quotes is split with str methods and converted with NumPy (10^6 rows
in under 2 s each to read and to take points from, benchmarks/bench_table.py); one with quotes goes through the
csv module, which is slower but exact.
"""

from __future__ import annotations

import csv
import io
import os
from operator import methodcaller
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lrviz.core.dataset import Dataset, checked_class_names, checked_feature_names
from lrviz.core.formats.common import read_text

DELIMITERS = (",", "\t", ";", "|")
_SAMPLE_ROWS = 2000  # rows used to classify columns and to sniff
_SHOWN_LINES = 10  # line numbers quoted in a message before "and N more"


class TableFormatError(ValueError):
    """The file is not a table at all (empty, not text, not CSV); the message names it."""


class BadRowsError(ValueError):
    """Kept rows have a missing or non-numeric feature (or an empty label); `lines` names them."""

    def __init__(self, message: str, lines: tuple[int, ...]) -> None:
        super().__init__(message)
        self.lines = lines


@dataclass(frozen=True, eq=False)
class Table:
    """The cells of a table by column (strings, as in the file), with each data row's line number."""

    source: str
    names: tuple[str, ...]          # unique column names (from the header, or "column 1", ...)
    has_header: bool
    delimiter: str
    columns: tuple[np.ndarray, ...]  # one object array of cell strings per column, all of the same length
    lines: np.ndarray               # (rows,) the file's line number of each data row
    _cache: dict = field(default_factory=dict, repr=False)  # columns converted once (a chooser asks often)
    # the file's first non-blank row (cells of the kept columns, as in the file), its line, and each
    # kept column's number in the file: what `with_header` needs to read that row the other way
    first_cells: tuple[str, ...] = ()
    first_line: int = 1
    file_columns: tuple[int, ...] = ()

    @property
    def row_count(self) -> int:
        return len(self.lines)

    def column_index(self, name: str) -> int:
        """The index of the column `name` (or, when no column has that name, its 1-based number)."""
        if name in self.names:
            return self.names.index(name)
        text = name.strip()
        if text.isdigit() and 1 <= int(text) <= len(self.names):
            return int(text) - 1
        raise KeyError(f"{self.source} has no column {name!r}; its columns are {', '.join(self.names)}")

    def column_numbers(self, index: int) -> np.ndarray:
        """The column as float64 (read-only), NaN where a cell is not a finite number."""
        key = ("numbers", index)
        if key not in self._cache:
            values = numbers(self.columns[index])
            values.flags.writeable = False
            self._cache[key] = values
        return self._cache[key]

    def column_labels(self, index: int) -> np.ndarray:
        """The column's cells, trimmed, as a NumPy string array."""
        key = ("labels", index)
        if key not in self._cache:
            self._cache[key] = _stripped(self.columns[index])
        return self._cache[key]

    def preview(self, rows: int = 10) -> list[list[str]]:
        """The first `rows` data rows, as cell strings."""
        return [[column[i] for column in self.columns] for i in range(min(rows, self.row_count))]

    def numeric_columns(self) -> tuple[int, ...]:
        """Columns whose cells in the first rows are mostly numbers (more than half of the non-empty)."""
        found = []
        for index, column in enumerate(self.columns):
            sample = [cell for cell in column[:_SAMPLE_ROWS] if cell.strip()]
            numbers = sum(_is_finite_number(cell) for cell in sample)
            if sample and numbers * 2 > len(sample):
                found.append(index)
        return tuple(found)

    def with_header(self, has_header: bool) -> Table:
        """This table with its first row read as column names (True) or as data (False).

        The user's override of the sniffed guess: nothing is read again (the columns are
        sliced), so flipping is quick even for 10^6 rows.
        """
        if has_header == self.has_header:
            return self
        numbers = self.file_columns or tuple(range(len(self.names)))
        if has_header:
            header = [cell.strip() for cell in self.first_cells]
            names = _unique_names([name or f"column {j + 1}" for name, j in zip(header, numbers)])
            columns = tuple(column[1:] for column in self.columns)
            lines = self.lines[1:]
        else:
            names = [f"column {j + 1}" for j in numbers]
            columns = tuple(np.concatenate([as_cells([cell]), column])
                            for cell, column in zip(self.first_cells, self.columns))
            lines = np.concatenate([np.array([self.first_line], dtype=np.int64), self.lines])
        return Table(source=self.source, names=tuple(names), has_header=has_header, delimiter=self.delimiter,
                     columns=columns, lines=lines, first_cells=self.first_cells, first_line=self.first_line,
                     file_columns=numbers)

    def classes(self, column: int | str) -> list[tuple[str, int]]:
        """The distinct non-empty values of a column with their counts, most frequent first."""
        index = column if isinstance(column, int) else self.column_index(column)
        key = ("classes", index)
        if key not in self._cache:  # sorting 10^6 labels takes a while: once per column
            values, counts = np.unique(self.column_labels(index), return_counts=True)
            pairs = [(str(v), int(c)) for v, c in zip(values, counts) if v != ""]
            self._cache[key] = sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
        return list(self._cache[key])


@dataclass(frozen=True)
class TableChoice:
    """What to take from a table: two feature columns, the label column, the classes.

    `positive` is class 1. `negative` is class 0; None takes every other value as class 0
    (one class against the rest, named "not <positive>"). Rows of other classes are left out.
    """

    features: tuple[str, str]
    label: str
    positive: str
    negative: str | None
    skip_bad_rows: bool = False
    has_header: bool | None = None  # the first row as names (True) or data (False); None: as sniffed

    def class_names(self) -> tuple[str, str]:
        return (self.negative if self.negative is not None else f"not {self.positive}", self.positive)

    def to_dict(self) -> dict[str, Any]:
        data = {"features": list(self.features), "label": self.label, "positive": self.positive,
                "negative": self.negative, "skip_bad_rows": self.skip_bad_rows}
        if self.has_header is not None:
            data["has_header"] = self.has_header
        return data

    @classmethod
    def from_dict(cls, data: Any) -> TableChoice | None:
        """A choice remembered earlier, or None when `data` is not one (e.g. damaged settings)."""
        try:
            features = tuple(str(f) for f in data["features"])
            negative = data.get("negative")
            header = data.get("has_header")
            choice = cls(features=(features[0], features[1]), label=str(data["label"]),
                         positive=str(data["positive"]), negative=None if negative is None else str(negative),
                         skip_bad_rows=bool(data.get("skip_bad_rows", False)),
                         has_header=header if isinstance(header, bool) else None)
        except (KeyError, TypeError, IndexError, AttributeError):
            return None
        return choice if len(features) == 2 else None


@dataclass(frozen=True, eq=False)
class TableImport:
    """The points taken from a table, and what was left out and why."""

    dataset: Dataset
    skipped_lines: tuple[int, ...] = ()   # bad rows skipped (missing or non-numeric feature, empty label)
    other_class_rows: int = 0             # rows of classes that were not kept
    source_lines: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # line of each point
    choice: TableChoice | None = None     # what was taken


# -- reading -------------------------------------------------------------------------------------------
def read_table(path: str | os.PathLike[str], has_header: bool | None = None,
               delimiter: str | None = None) -> Table:
    """The table in a file (OSError for the path; TableFormatError for content that is no table)."""
    return parse_table(read_text(path, TableFormatError), str(path), has_header, delimiter)


def parse_table(text: str, source: str = "the file", has_header: bool | None = None,
                delimiter: str | None = None) -> Table:
    """The table in `text`: `has_header` and `delimiter` are guessed when None."""
    text = text.removeprefix("\ufeff")  # a BOM (read_table's decoding drops it; pasted text may keep it)
    if not text.strip():
        raise TableFormatError(f"{source} is empty: expected rows of values separated by commas or tabs")
    delimiter = delimiter or sniff_delimiter(text)
    lines, columns = _columns(text, delimiter, source)
    return table_from_columns(source, delimiter, lines, columns, has_header)


def table_from_columns(source: str, delimiter: str, lines: list[int] | np.ndarray,
                       columns: list[list[str]] | list[np.ndarray], has_header: bool | None) -> Table:
    """The Table of split cells (`columns`, the header row included) and their line numbers."""
    if len(lines) == 0:
        raise TableFormatError(f"{source} has no rows")
    width = len(columns)
    if has_header is None:
        has_header = _looks_like_header(columns)
    first = [column[0] for column in columns]
    first_line = int(lines[0])
    header = [cell.strip() for cell in first] if has_header else [""] * width
    if has_header:
        columns = [column[1:] for column in columns]
        lines = lines[1:]
    # a column empty everywhere, header included (a trailing delimiter): not a column
    kept = [j for j in range(width) if header[j] or any(cell.strip() for cell in columns[j])]
    names = _unique_names([header[j] or f"column {j + 1}" for j in kept])
    return Table(source=source, names=tuple(names), has_header=has_header, delimiter=delimiter,
                 columns=tuple(as_cells(columns[j]) for j in kept), lines=np.asarray(lines, dtype=np.int64),
                 first_cells=tuple(first[j] for j in kept), first_line=first_line, file_columns=tuple(kept))


def sniff_delimiter(text: str) -> str:
    """The delimiter of the first lines: the one of DELIMITERS that splits them most consistently."""
    sample = "\n".join(text[: 1 << 16].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        pass
    first = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _columns(text: str, delimiter: str, source: str) -> tuple[list[int], list[list[str]]]:
    """(line numbers of the non-blank rows, their cells by column; short rows padded with "")."""
    if '"' not in text and text.count("\r") == text.count("\r\n"):
        # no quoting: plain splitting is exact, and several times faster than the csv module
        all_lines = text.replace("\r\n", "\n").split("\n")
        numbers = [i for i, line in enumerate(all_lines, start=1) if line.strip()]
        kept = [all_lines[i - 1] for i in numbers] if len(numbers) != len(all_lines) else all_lines
        return numbers, split_columns(kept, delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbers, rows, end = [], [], 0
    try:
        for row in reader:
            line, end = end + 1, reader.line_num  # a quoted cell may span lines: name the first
            if any(cell.strip() for cell in row):
                numbers.append(line)
                rows.append(row)
    except csv.Error as error:
        raise TableFormatError(f"{source}, line {reader.line_num}: not valid CSV ({error})") from None
    return numbers, padded_columns(rows)


def split_columns(lines: list[str], delimiter: str) -> list[list[str]]:
    """Unquoted, non-blank lines as columns. When every row is as wide: one split of the joined
    lines, then every width-th cell is a column (several times faster than line by line)."""
    counts = set(map(methodcaller("count", delimiter), lines))
    if len(counts) == 1:
        width = counts.pop() + 1
        flat = delimiter.join(lines).split(delimiter)
        return [flat[j::width] for j in range(width)]
    return padded_columns([line.split(delimiter) for line in lines])


def padded_columns(rows: list[list[str]]) -> list[list[str]]:
    """Rows as columns; a short row gets empty cells (missing values), so no row is lost."""
    if not rows:
        return []
    width = max(map(len, rows))
    if any(len(row) != width for row in rows):
        rows = [row + [""] * (width - len(row)) for row in rows]
    return [list(column) for column in zip(*rows)]


def _looks_like_header(columns: list[list[str]]) -> bool:
    """A first row of names: none of its cells is a number, and some column below it holds numbers."""
    first = [column[0].strip() for column in columns]
    if any(_is_number(cell) for cell in first if cell):
        return False
    below = [column[1:_SAMPLE_ROWS] for column in columns]
    return any(any(_is_number(cell) for cell in column) for column in below) or len(columns[0]) == 1


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        count = seen.get(name, 0) + 1
        seen[name] = count
        unique.append(name if count == 1 else f"{name} ({count})")
    return unique


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _is_finite_number(text: str) -> bool:
    try:
        value = float(text)
    except ValueError:
        return False
    return value - value == 0  # finite: inf − inf and nan − nan are nan


def _stripped(cells: list[str]) -> np.ndarray:
    return np.char.strip(np.asarray(cells, dtype=str)) if len(cells) else np.empty(0, dtype=str)


def as_cells(strings: list[str] | np.ndarray) -> np.ndarray:
    """A column's cells as a NumPy object array of str.

    Not a list: the garbage collector walks every item of a list (10^6 strings scattered in
    memory take it a good part of a second, with the GIL held, freezing the window), while
    it never looks into an array. Not a fixed-width string array: one long note in a column
    would make every cell that wide.
    """
    if isinstance(strings, np.ndarray) and strings.dtype == object:
        return strings
    array = np.empty(len(strings), dtype=object)
    array[:] = strings
    return array


def numbers(cells: list[str] | np.ndarray) -> np.ndarray:
    """The cells as float64; NaN where a cell is empty, not a number, or not finite."""
    array = np.asarray(cells, dtype=str) if len(cells) else np.empty(0, dtype=str)
    try:
        values = array.astype(np.float64)
    except ValueError:  # some cell is not a number: one at a time (the rare, slow case)
        values = np.array([_float_or_nan(cell) for cell in cells], dtype=np.float64)
    values[~np.isfinite(values)] = np.nan
    return values


def _float_or_nan(cell: str) -> float:
    try:
        return float(cell)
    except ValueError:
        return float("nan")


# -- choosing ------------------------------------------------------------------------------------------
def dataset_from_table(table: Table, choice: TableChoice) -> TableImport:
    """The points `choice` takes from `table`; KeyError/ValueError naming what does not fit.

    BadRowsError when kept rows have a missing or non-numeric feature or an empty label
    and `choice.skip_bad_rows` is False.
    """
    src = table.source
    f1, f2 = (table.column_index(name) for name in choice.features)
    label_column = table.column_index(choice.label)
    if f1 == f2:
        raise ValueError(f"{src}: choose two different feature columns, not {table.names[f1]!r} twice")
    if label_column in (f1, f2):
        raise ValueError(f"{src}: the label column {table.names[label_column]!r} cannot also be a feature")
    labels = table.column_labels(label_column)
    present = {value for value, _ in table.classes(label_column)}
    wanted = [choice.positive] + ([choice.negative] if choice.negative is not None else [])
    for value in wanted:
        if value not in present:
            shown = ", ".join(name for name, _ in table.classes(label_column)[:8])
            raise ValueError(f"{src}: the column {table.names[label_column]!r} has no value {value!r}; "
                             f"its values are {shown}")
    if choice.negative == choice.positive:
        raise ValueError(f"{src}: class 0 and class 1 must be different values, not {choice.positive!r} twice")
    class_names = checked_class_names(choice.class_names())
    feature_names = checked_feature_names((table.names[f1], table.names[f2]))
    empty = labels == ""
    positive = labels == choice.positive
    kept = ~empty if choice.negative is None else positive | (labels == choice.negative)
    X = np.column_stack([table.column_numbers(f1), table.column_numbers(f2)]) if table.row_count \
        else np.empty((0, 2))
    bad = (~np.isfinite(X).all(axis=1) & kept) | empty
    bad_lines = tuple(table.lines[bad].tolist())
    if bad_lines and not choice.skip_bad_rows:
        raise BadRowsError(describe_bad_rows(src, bad_lines), bad_lines)
    take = kept & ~bad
    return TableImport(
        dataset=Dataset(X[take], positive[take].astype(np.int64), feature_names=feature_names,
                        class_names=class_names),
        skipped_lines=bad_lines, other_class_rows=int(np.count_nonzero(~kept & ~empty)),
        source_lines=table.lines[take], choice=choice)


def describe_bad_rows(source: str, lines: tuple[int, ...]) -> str:
    """"<file>: 3 rows have a missing or non-numeric feature or an empty label: lines 4, 9, 12"."""
    shown = ", ".join(map(str, lines[:_SHOWN_LINES]))
    more = f" and {len(lines) - _SHOWN_LINES:,} more" if len(lines) > _SHOWN_LINES else ""
    rows = "1 row has" if len(lines) == 1 else f"{len(lines):,} rows have"
    return f"{source}: {rows} a missing or non-numeric feature or an empty label: line{'s' if len(lines) > 1 else ''} {shown}{more}"


def guess_choice(table: Table) -> TableChoice | None:
    """A first choice to offer: the first two numeric columns, as the label the other column with
    the fewest values (or the last numeric column), its two most frequent values; class 1 is the second in sorted order
    (so 0/1, false/true, no/yes come out the usual way). None when the table cannot give points."""
    numeric = table.numeric_columns()
    # a label has few values: of the other columns with two or more, the one with fewest (the last on a tie)
    others = [(len(table.classes(j)), -j) for j in range(len(table.names)) if j not in numeric]
    others = [pair for pair in others if pair[0] >= 2]
    label = -min(others)[1] if others else (numeric[-1] if len(numeric) >= 3 else None)
    features = [j for j in numeric if j != label][:2]
    if label is None or len(features) < 2:
        return None
    classes = [name for name, _ in table.classes(label)]
    if len(classes) < 2:
        return None
    negative, positive = sorted(classes[:2], key=_natural)
    return TableChoice(features=(table.names[features[0]], table.names[features[1]]),
                       label=table.names[label], positive=positive,
                       negative=negative)


def in_points_layout(table: Table) -> bool:
    """True for lrviz's own points layout (x1,x2,label of 0/1, or named classes with a y column):
    such a file that the points reader refused is damaged, and its message names the line; any
    other table is one to choose columns and classes from."""
    names = [name.lower() for name in table.names]
    if table.delimiter != "," or not table.has_header or names[2:] not in (["label"], ["label", "y"]):
        return False
    values = table.column_numbers(len(names) - 1)
    empty = table.column_labels(len(names) - 1) == ""
    return bool(np.all((values == 0) | (values == 1) | empty))


def can_give_points(path: str | os.PathLike[str]) -> bool:
    """Whether a file the points reader refused is a table to choose points from (importDialog)."""
    try:
        table = read_table(path)
    except (OSError, ValueError):
        return False
    return not in_points_layout(table) and guess_choice(table) is not None


def _natural(value: str) -> tuple[int, float, str]:
    """Numbers in numeric order before other values; false before true, no before yes."""
    if _is_finite_number(value):
        return (0, float(value), value)
    return (1, 0.0, {"false": "0", "no": "0", "true": "1", "yes": "1"}.get(value.lower(), value))


__all__ = ["BadRowsError", "DELIMITERS", "Table", "TableChoice", "TableFormatError", "TableImport",
           "can_give_points", "dataset_from_table", "describe_bad_rows", "guess_choice", "in_points_layout",
           "numbers", "parse_table", "read_table",
           "sniff_delimiter"]
