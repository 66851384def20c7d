"""The points CSV: a header of two feature names and ``label``, then one point per line.

::

    x1,x2,label          (header; other feature names are kept as the data set's names)
    -1.25,0.5,0
    2.0,1.75,1

Floats are written with repr(), so reading a file back gives every point exactly.

When some points are test points (the train/test split, core/split.py), a fourth column
``split`` says ``train`` or ``test`` for each point; a file without it trains on every point::

    x1,x2,label,split
    -1.25,0.5,0,train
    2.0,1.75,1,test

When the classes have names other than 0 and 1 (``setosa``, ``versicolor``), the label
column holds the names and a fourth column ``y`` the 0/1 each name stands for, so the
names, and which one is class 1, read back exactly::

    petal_length,petal_width,label,y
    1.4,0.2,setosa,0
    4.7,1.4,versicolor,1

(Both can hold a ``split`` column last. A class with no points then has no row to name it, and reads back as "0" or "1".)
"""

from __future__ import annotations

import csv
import io
import math
import os

import numpy as np

from lrviz.core.dataset import DEFAULT_CLASS_NAMES, LABEL_DTYPE, Dataset, checked_feature_names
from lrviz.core.formats.atomic import atomic_write_text
from lrviz.core.formats.common import numeric_table, read_text, short, strict_float

LABEL_COLUMN = "label"
SPLIT_COLUMN = "split"
SPLIT_VALUES = ("train", "test")
MAX_HEADER_CHARS = 10_000  # far beyond two names and "label"; a longer header line is refused at once
CLASS_COLUMN = "y"  # the 0/1 of a named label, in files whose classes have names


class DataFormatError(ValueError):
    """A points file could not be read; the message names the line and the problem."""


def read_points_csv(path: str | os.PathLike[str]) -> Dataset:
    """Read a points CSV (header: two feature names and `label`); raise DataFormatError on any problem.

    A missing or unreadable file raises the usual OSError (FileNotFoundError, PermissionError):
    that is a problem with the path, not with the file's content.
    """
    text = read_text(path, DataFormatError)
    return parse_points_csv(text, source=str(path))


def parse_points_csv(text: str, source: str = "the file") -> Dataset:
    """Parse the text of a points CSV; the error message names the line and the problem.

    Labels are 0 or 1, written as integers or as floats equal to them ("1.0", "0e0").
    Blank lines are skipped; a UTF-8 BOM (stripped by the reader) and CRLF endings are fine.
    """
    _check_header_length(text, source)
    stream = io.StringIO(text, newline="")
    rows = csv.reader(stream)
    try:
        names, header_line, has_split = _header(rows, source)
        if names is None:
            return _parse_named(text, source)
        if has_split:
            return _parse_rows(rows, source, names, header_line, split=True)
        # Fast path for large files: NumPy's parser, checked afterwards. It gives the same
        # doubles as float() (both round correctly); anything it cannot take goes through
        # the row-by-row parser below, which is the one that explains what is wrong.
        fast = _parse_body_fast(stream.read())
        if fast is not None:
            return Dataset(*fast, feature_names=names, copy=False)  # fresh arrays: adopted, not copied
        stream.seek(0)
        rows = csv.reader(stream)
        _header(rows, source)
        return _parse_rows(rows, source, names, header_line)
    except csv.Error as error:
        raise DataFormatError(f"{source}, line {rows.line_num}: not valid CSV ({error})") from None


def _check_header_length(text: str, source: str) -> None:
    """A header line far longer than two names and 'label' is refused before the CSV parser
    makes a Python string of each of its cells (10^6 cells took seconds and gigabytes)."""
    start, line = 0, 1
    while True:
        end = text.find("\n", start)
        stop = len(text) if end < 0 else end
        if stop - start > MAX_HEADER_CHARS:
            raise DataFormatError(
                f"{source}, line {line}: the header line is {stop - start:,} characters long; it must be "
                f"two feature names and 'label' (like 'x1,x2,label'), found {short(text[start:start + 30])}")
        if end < 0 or text[start:stop].replace(",", "").strip():
            return  # the header (or the only line) is short enough
        start, line = end + 1, line + 1


def _header(rows, source: str) -> tuple[tuple[str, str] | None, int, bool]:
    """(the two feature names, the header's line, whether a split column follows the label);
    names None for the columns of named classes (label, y, and maybe split)."""
    header: list[str] = []
    for header in rows:
        if any(cell.strip() for cell in header):
            break
    else:
        raise DataFormatError(f"{source} is empty: expected a header line 'x1,x2,label' and points")
    line = rows.line_num
    names = [cell.strip() for cell in header]
    if (len(names) in (4, 5) and names[2].lower() == LABEL_COLUMN and names[3] == CLASS_COLUMN
            and (len(names) == 4 or names[4].lower() == SPLIT_COLUMN)):
        return None, line, len(names) == 5
    has_split = len(names) == 4 and names[3].lower() == SPLIT_COLUMN
    if has_split:
        names = names[:3]
    if len(names) == 3 and all(_is_number(name) for name in names):
        raise DataFormatError(
            f"{source}, line {line}: there is no header; add the line 'x1,x2,label' before the points")
    if len(names) != 3 or names[2].lower() != LABEL_COLUMN or not names[0] or not names[1]:
        raise DataFormatError(
            f"{source}, line {line}: the header must be three columns, two feature names "
            f"and 'label' (like 'x1,x2,label'), optionally followed by 'split'; found {short(','.join(names))}")
    try:
        return checked_feature_names(names[:2]), line, has_split
    except ValueError as error:
        raise DataFormatError(f"{source}, line {line}: {error}") from None


def _parse_named(text: str, source: str) -> Dataset:
    """A file of named classes (feature, feature, label, y): each name always with the same y."""
    from lrviz.core.formats.table import numbers, parse_table  # the fast table reader

    table = parse_table(text, source, has_header=True, delimiter=",")
    if len(table.names) not in (4, 5):
        raise DataFormatError(f"{source}: expected 4 columns (two features, label, y) and maybe split, "
                              f"found {len(table.names)}")
    X = np.column_stack([numbers(table.columns[0]), numbers(table.columns[1])]).reshape(-1, 2)
    labels = np.char.strip(np.asarray(table.columns[2], dtype=str)) if table.row_count else np.empty(0, str)
    y = numbers(table.columns[3])
    bad = ~np.isfinite(X).all(axis=1) | ~((y == 0) | (y == 1)) | (labels == "")
    if bad.any():
        row = int(np.argmax(bad))
        cells = ", ".join(repr(column[row].strip()) for column in table.columns)
        raise DataFormatError(f"{source}, line {table.lines[row]}: expected two finite numbers, a class "
                              f"name and 0 or 1; found {cells}")
    names = ["0", "1"]
    for value in (0, 1):
        used = np.unique(labels[y == value])
        if len(used) > 1:
            row = int(np.argmax((y == value) & (labels != used[0])))
            raise DataFormatError(f"{source}, line {table.lines[row]}: class {value} is named both "
                                  f"{str(used[0])!r} and {str(used[1])!r}; one name per class")
        if len(used):
            names[value] = str(used[0])
    is_test = None
    if len(table.names) == 5:
        split = np.char.lower(np.char.strip(np.asarray(table.columns[4], dtype=str))) if table.row_count \
            else np.empty(0, str)
        wrong = ~np.isin(split, SPLIT_VALUES)
        if wrong.any():
            row = int(np.argmax(wrong))
            raise DataFormatError(f"{source}, line {table.lines[row]}: the split is {short(str(split[row]))}; "
                                  "it must be 'train' or 'test'")
        is_test = split == "test"
    try:
        return Dataset(X, y.astype(np.int64), feature_names=table.names[:2], class_names=names, is_test=is_test)
    except ValueError as error:
        raise DataFormatError(f"{source}: {error}") from None


def _is_number(text: str) -> bool:
    try:
        strict_float(text)
    except ValueError:
        return False
    return True


def _parse_body_fast(body: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(X, y) when every row is plainly valid, else None (the slow parser then finds the problem)."""
    table = numeric_table(body, 3)
    if table is None:
        return None
    labels = table[:, 2]
    if not np.all((labels == 0) | (labels == 1)):
        return None
    return np.ascontiguousarray(table[:, :2]), labels.astype(LABEL_DTYPE)


def _parse_rows(rows, source: str, names: tuple[str, str], header_line: int, split: bool = False) -> Dataset:
    coordinates: list[tuple[float, float]] = []
    labels: list[int] = []
    is_test: list[bool] = []
    columns = 4 if split else 3
    end = header_line
    for row in rows:
        line, end = end + 1, rows.line_num  # a quoted cell may span lines: name the first
        if not any(cell.strip() for cell in row):
            continue  # blank lines, e.g. at the end of the file
        if len(row) != columns:
            raise DataFormatError(
                f"{source}, line {line}: expected {columns} values ({names[0]}, {names[1]}, label"
                f"{', split' if split else ''}), found {len(row)}")
        x1 = _number(row[0], source, line, names[0])
        x2 = _number(row[1], source, line, names[1])
        labels.append(_label(row[2], source, line))
        if split:
            is_test.append(_split(row[3], source, line))
        coordinates.append((x1, x2))
    X = np.array(coordinates, dtype=float).reshape(-1, 2)
    return Dataset(X, np.array(labels, dtype=np.int64), feature_names=names,
                   is_test=np.array(is_test, dtype=bool) if split else None)


def _split(cell: str, source: str, line: int) -> bool:
    text = cell.strip().lower()
    if text not in SPLIT_VALUES:
        raise DataFormatError(f"{source}, line {line}: the split is {cell.strip()!r}; it must be 'train' or 'test'")
    return text == "test"


def _number(cell: str, source: str, line: int, column: str) -> float:
    try:
        value = strict_float(cell)
    except ValueError:
        raise DataFormatError(
            f"{source}, line {line}: {column} is {short(cell.strip())}, which is not a number") from None
    if not math.isfinite(value):
        raise DataFormatError(
            f"{source}, line {line}: {column} is {short(cell.strip())}; coordinates must be finite numbers")
    return value


def _label(cell: str, source: str, line: int) -> int:
    text = cell.strip()
    if text in ("0", "1"):
        return int(text)
    try:
        value = strict_float(text)
    except ValueError:
        value = math.nan
    if value in (0.0, 1.0):
        return int(value)
    raise DataFormatError(f"{source}, line {line}: the label is {short(text)}; it must be 0 or 1")


def format_points_csv(dataset: Dataset) -> str:
    """The CSV text of a data set; repr() floats, so reading it back gives every value exactly."""
    if dataset.class_names != DEFAULT_CLASS_NAMES:
        return _format_named(dataset)
    header = io.StringIO()
    split = bool(dataset.is_test.any())  # the split column only when some point is a test point
    csv.writer(header, lineterminator="\n").writerow(
        [*dataset.feature_names, LABEL_COLUMN] + ([SPLIT_COLUMN] if split else []))
    X, y = dataset.X, dataset.y
    # Column-wise map() keeps the per-value work in C: 1e6 points take about a second.
    columns = [map(repr, X[:, 0].tolist()), map(repr, X[:, 1].tolist()), map(str, y.tolist())]
    if split:
        columns.append(np.where(dataset.is_test, "test", "train").tolist())
    rows = zip(*columns)
    body = "\n".join(map(",".join, rows))
    return header.getvalue() + body + ("\n" if body else "")


def _format_named(dataset: Dataset) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    split = bool(dataset.is_test.any())  # as in the plain form: only when some point is a test point
    writer.writerow([*dataset.feature_names, LABEL_COLUMN, CLASS_COLUMN] + ([SPLIT_COLUMN] if split else []))
    names = np.array(dataset.class_names, dtype=object)
    X, y = dataset.X, dataset.y
    columns = [map(repr, X[:, 0].tolist()), map(repr, X[:, 1].tolist()), names[y].tolist(), y.tolist()]
    if split:
        columns.append(np.where(dataset.is_test, "test", "train").tolist())
    writer.writerows(zip(*columns))
    return out.getvalue()


def write_points_csv(path: str | os.PathLike[str], dataset: Dataset) -> None:
    """Write the points atomically: the old file stays whole if anything fails."""
    atomic_write_text(path, format_points_csv(dataset))


__all__ = ["CLASS_COLUMN", "DataFormatError", "LABEL_COLUMN", "format_points_csv", "parse_points_csv", "read_points_csv",
           "write_points_csv"]
