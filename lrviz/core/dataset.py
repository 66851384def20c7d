"""The point set: two features and a 0/1 label per point, always valid; CSV files; built-in sets.

Points CSV::

    x1,x2,label          (header; other feature names are kept as the data set's names)
    -1.25,0.5,0
    2.0,1.75,1

Presets are generated with NumPy from a seed, so a teacher's demo is the same every time.
"""

from __future__ import annotations

import csv
import io
import math
import os
from typing import Iterable

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.io import atomic_write_text, numeric_table
from lrviz.resources import asset_path

LABEL_COLUMN = "label"
DEFAULT_FEATURE_NAMES: tuple[str, str] = ("x1", "x2")


class DataFormatError(ValueError):
    """A points file could not be read; the message names the line and the problem."""


class Dataset:
    """The window's points: X (m, 2) float64 and y (m,) int64 of 0/1, kept valid on every edit."""

    def __init__(self, X: ArrayLike | None = None, y: ArrayLike | None = None,
                 feature_names: Iterable[str] = DEFAULT_FEATURE_NAMES) -> None:
        X = np.empty((0, 2)) if X is None else np.array(X, dtype=float)
        y = np.empty(0, dtype=np.int64) if y is None else np.array(y)
        if X.size == 0 and y.size == 0:
            X, y = np.empty((0, 2)), np.empty(0, dtype=np.int64)  # e.g. Dataset([], [])
        if X.ndim != 2 or X.shape[1] != 2:
            raise ValueError(f"points must have two coordinates each; got shape {X.shape}")
        if y.shape != (X.shape[0],):
            raise ValueError(f"there are {X.shape[0]} points but {y.size} labels")
        if not np.all(np.isfinite(X)):
            raise ValueError("point coordinates must be finite numbers (no NaN or infinity)")
        if y.size and (y.dtype.kind not in "biuf" or not np.all((y == 0) | (y == 1))):
            raise ValueError("every label must be 0 or 1")
        self.feature_names: tuple[str, str] = checked_feature_names(feature_names)
        self._X = X
        self._y = y.astype(np.int64)

    # -- reading --------------------------------------------------------------------------------
    @property
    def X(self) -> np.ndarray:
        view = self._X.view()
        view.flags.writeable = False
        return view

    @property
    def y(self) -> np.ndarray:
        view = self._y.view()
        view.flags.writeable = False
        return view

    def __len__(self) -> int:
        return len(self._y)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return (self.feature_names == other.feature_names and np.array_equal(self._X, other._X)
                and np.array_equal(self._y, other._y))

    def __repr__(self) -> str:
        n0, n1 = self.class_counts()
        return f"Dataset({len(self)} points: {n0} of class 0, {n1} of class 1)"

    def copy(self) -> Dataset:
        return Dataset(self._X.copy(), self._y.copy(), self.feature_names)

    def snapshot(self) -> tuple[np.ndarray, np.ndarray]:
        """Independent copies (X, y), safe to hand to another thread."""
        return self._X.copy(), self._y.copy()

    def class_counts(self) -> tuple[int, int]:
        n1 = int(np.count_nonzero(self._y))
        return len(self._y) - n1, n1

    def point(self, index: int) -> tuple[float, float, int]:
        return float(self._X[index, 0]), float(self._X[index, 1]), int(self._y[index])

    # -- editing --------------------------------------------------------------------------------
    def add(self, x1: float, x2: float, label: int) -> int:
        """Append a point; return its index."""
        self.insert(len(self), x1, x2, label)
        return len(self) - 1

    def insert(self, index: int, x1: float, x2: float, label: int) -> None:
        x1, x2, label = checked_point(x1, x2, label)
        if not 0 <= index <= len(self):
            raise IndexError(f"cannot insert at {index}: there are {len(self)} points")
        self._X = np.insert(self._X, index, [x1, x2], axis=0)
        self._y = np.insert(self._y, index, label)

    def remove(self, index: int) -> tuple[float, float, int]:
        """Delete the point at `index`; return it, so it can be put back."""
        removed = self.point(index)
        self._X = np.delete(self._X, index, axis=0)
        self._y = np.delete(self._y, index)
        return removed

    def move(self, index: int, x1: float, x2: float) -> None:
        x1, x2, _ = checked_point(x1, x2, 0)
        self._X[index] = (x1, x2)

    def clear(self) -> None:
        self._X = np.empty((0, 2))
        self._y = np.empty(0, dtype=np.int64)


def checked_feature_names(names: Iterable[str]) -> tuple[str, str]:
    """Two names, trimmed, non-empty, on one line: they become a CSV header and axis titles."""
    names = tuple(str(name).strip() for name in names)
    if len(names) != 2:
        raise ValueError(f"a data set has exactly two feature names, not {len(names)}")
    if not all(names) or any(ch in name for name in names for ch in "\r\n"):
        raise ValueError(f"feature names must be non-empty and on one line; got {names!r}")
    return names[0], names[1]


def checked_point(x1: float, x2: float, label: int) -> tuple[float, float, int]:
    """(x1, x2, label) as floats and an int; ValueError for a non-finite coordinate or a label not 0/1."""
    x1, x2 = float(x1), float(x2)
    if not (math.isfinite(x1) and math.isfinite(x2)):
        raise ValueError("point coordinates must be finite numbers")
    if label not in (0, 1):
        raise ValueError(f"a label is 0 or 1, not {label!r}")
    return x1, x2, int(label)


# -- CSV ------------------------------------------------------------------------------------------
def read_points_csv(path: str | os.PathLike[str]) -> Dataset:
    """Read a points CSV (header: two feature names and `label`); raise DataFormatError on any problem.

    A missing or unreadable file raises the usual OSError (FileNotFoundError, PermissionError):
    that is a problem with the path, not with the file's content.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as error:
        raise DataFormatError(f"{path}: not a text (UTF-8) file: {error.reason}") from None
    return parse_points_csv(text, source=str(path))


def parse_points_csv(text: str, source: str = "the file") -> Dataset:
    """Parse the text of a points CSV; the error message names the line and the problem.

    Labels are 0 or 1, written as integers or as floats equal to them ("1.0", "0e0").
    Blank lines are skipped; a UTF-8 BOM (stripped by the reader) and CRLF endings are fine.
    """
    stream = io.StringIO(text, newline="")
    rows = csv.reader(stream)
    try:
        names, header_line = _header(rows, source)
        # Fast path for large files: NumPy's parser, checked afterwards. It gives the same
        # doubles as float() (both round correctly); anything it cannot take goes through
        # the row-by-row parser below, which is the one that explains what is wrong.
        fast = _parse_body_fast(stream.read())
        if fast is not None:
            return Dataset(*fast, feature_names=names)
        stream.seek(0)
        rows = csv.reader(stream)
        _header(rows, source)
        return _parse_rows(rows, source, names, header_line)
    except csv.Error as error:
        raise DataFormatError(f"{source}, line {rows.line_num}: not valid CSV ({error})") from None


def _header(rows, source: str) -> tuple[tuple[str, str], int]:
    header: list[str] = []
    for header in rows:
        if any(cell.strip() for cell in header):
            break
    else:
        raise DataFormatError(f"{source} is empty: expected a header line 'x1,x2,label' and points")
    line = rows.line_num
    names = [cell.strip() for cell in header]
    if len(names) == 3 and all(_is_number(name) for name in names):
        raise DataFormatError(
            f"{source}, line {line}: there is no header; add the line 'x1,x2,label' before the points")
    if len(names) != 3 or names[2].lower() != LABEL_COLUMN or not names[0] or not names[1]:
        raise DataFormatError(
            f"{source}, line {line}: the header must be three columns, two feature names "
            f"and 'label' (like 'x1,x2,label'); found {','.join(names)!r}")
    try:
        return checked_feature_names(names[:2]), line
    except ValueError as error:
        raise DataFormatError(f"{source}, line {line}: {error}") from None


def _is_number(text: str) -> bool:
    try:
        float(text)
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
    return np.ascontiguousarray(table[:, :2]), labels.astype(np.int64)


def _parse_rows(rows, source: str, names: tuple[str, str], header_line: int) -> Dataset:
    coordinates: list[tuple[float, float]] = []
    labels: list[int] = []
    end = header_line
    for row in rows:
        line, end = end + 1, rows.line_num  # a quoted cell may span lines: name the first
        if not any(cell.strip() for cell in row):
            continue  # blank lines, e.g. at the end of the file
        if len(row) != 3:
            raise DataFormatError(
                f"{source}, line {line}: expected 3 values ({names[0]}, {names[1]}, label), "
                f"found {len(row)}")
        x1 = _number(row[0], source, line, names[0])
        x2 = _number(row[1], source, line, names[1])
        labels.append(_label(row[2], source, line))
        coordinates.append((x1, x2))
    X = np.array(coordinates, dtype=float).reshape(-1, 2)
    return Dataset(X, np.array(labels, dtype=np.int64), feature_names=names)


def _number(cell: str, source: str, line: int, column: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise DataFormatError(
            f"{source}, line {line}: {column} is {cell.strip()!r}, which is not a number") from None
    if not math.isfinite(value):
        raise DataFormatError(
            f"{source}, line {line}: {column} is {cell.strip()!r}; coordinates must be finite numbers")
    return value


def _label(cell: str, source: str, line: int) -> int:
    text = cell.strip()
    if text in ("0", "1"):
        return int(text)
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if value in (0.0, 1.0):
        return int(value)
    raise DataFormatError(f"{source}, line {line}: the label is {text!r}; it must be 0 or 1")


def format_points_csv(dataset: Dataset) -> str:
    """The CSV text of a data set; repr() floats, so reading it back gives every value exactly."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow([*dataset.feature_names, LABEL_COLUMN])
    X, y = dataset.X, dataset.y
    # Column-wise map() keeps the per-value work in C: 1e6 points take about a second.
    rows = zip(map(repr, X[:, 0].tolist()), map(repr, X[:, 1].tolist()), map(str, y.tolist()))
    body = "\n".join(map(",".join, rows))
    return header.getvalue() + body + ("\n" if body else "")


def write_points_csv(path: str | os.PathLike[str], dataset: Dataset) -> None:
    """Write the points atomically: the old file stays whole if anything fails."""
    atomic_write_text(path, format_points_csv(dataset))


# -- built-in data sets ----------------------------------------------------------------------------
PRESET_NAMES: tuple[str, ...] = ("blobs", "overlapping", "xor", "moons", "circles", "separable")
PRESET_TITLES: dict[str, str] = {
    "blobs": "Two blobs",
    "overlapping": "Overlapping blobs",
    "xor": "XOR (not linearly separable)",
    "moons": "Two moons (not linearly separable)",
    "circles": "Concentric circles (not linearly separable)",
    "separable": "Linearly separable",
}


def make_preset(name: str, n_points: int = 200, noise: float = 0.1, seed: int = 0) -> Dataset:
    """A generated two-class set with exactly `n_points` points, the same for the same seed.

    Class 0 gets the extra point of an odd count. `noise` is the spread, scaled so the
    default 0.1 looks good and 0 gives the cleanest shape: blobs have a standard deviation
    of 0.4 + 3·noise; xor, moons and circles get Gaussian jitter of standard deviation
    `noise`; "separable" keeps a gap of 0.8 between the classes at any noise, which only
    widens the spread (0.6 + 4·noise) away from it. Coordinates lie roughly in [-3, 3].
    """
    if name not in PRESET_NAMES:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(PRESET_NAMES)}")
    if isinstance(n_points, bool) or not isinstance(n_points, (int, np.integer)) or n_points < 1:
        raise ValueError(f"the number of points must be a whole number, at least 1, not {n_points!r}")
    n_points = int(n_points)
    noise = float(noise)
    if not math.isfinite(noise) or noise < 0:
        raise ValueError(f"the noise level must be 0 or a positive number, not {noise!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"the seed must be a whole number ≥ 0, not {seed!r}")
    rng = np.random.default_rng(seed)
    n1 = n_points // 2
    n0 = n_points - n1
    y = np.r_[np.zeros(n0, np.int64), np.ones(n1, np.int64)]
    X = _GENERATORS[name](rng, n0, n1, noise)
    return Dataset(X, y)


def _blobs(rng, n0, n1, noise, distance):
    spread = 0.4 + 3 * noise
    centers = np.array([[-distance / 2, -distance / 4], [distance / 2, distance / 4]])
    return np.vstack([rng.normal(centers[0], spread, (n0, 2)), rng.normal(centers[1], spread, (n1, 2))])


def _xor(rng, n0, n1, noise):
    def quadrants(count, signs):
        corner = np.array(signs)[rng.integers(0, 2, count)]
        return corner * rng.uniform(0.3, 2.2, (count, 2)) + rng.normal(0, noise, (count, 2))
    return np.vstack([quadrants(n0, [[1, 1], [-1, -1]]), quadrants(n1, [[1, -1], [-1, 1]])])


def _moons(rng, n0, n1, noise):
    t0 = rng.uniform(0, np.pi, n0)
    t1 = rng.uniform(0, np.pi, n1)
    upper = np.c_[np.cos(t0), np.sin(t0)]
    lower = np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]
    X = np.vstack([upper, lower]) + rng.normal(0, noise, (n0 + n1, 2))
    return (X - [0.5, 0.25]) * 1.6


def _circles(rng, n0, n1, noise):
    def ring(count, radius):
        angle = rng.uniform(0, 2 * np.pi, count)
        return radius * np.c_[np.cos(angle), np.sin(angle)] + rng.normal(0, noise, (count, 2))
    return np.vstack([ring(n0, 2.2), ring(n1, 1.0)])


def _separable(rng, n0, n1, noise):
    direction = np.array([1.0, 0.6]) / np.hypot(1.0, 0.6)
    normal = np.array([-direction[1], direction[0]])
    margin = 0.4

    def side(count, sign):
        along = rng.uniform(-2.5, 2.5, count)
        away = margin + np.abs(rng.normal(0, 0.6 + 4 * noise, count))
        return along[:, None] * direction + (sign * away)[:, None] * normal
    return np.vstack([side(n0, -1.0), side(n1, 1.0)])


_GENERATORS = {
    "blobs": lambda rng, n0, n1, noise: _blobs(rng, n0, n1, noise, distance=3.6),
    "overlapping": lambda rng, n0, n1, noise: _blobs(rng, n0, n1, noise, distance=1.6),
    "xor": _xor,
    "moons": _moons,
    "circles": _circles,
    "separable": _separable,
}

IRIS_PAIRS: dict[str, tuple[str, str]] = {
    "setosa-versicolor": ("setosa", "versicolor"),
    "versicolor-virginica": ("versicolor", "virginica"),
}
IRIS_FEATURES = ("sepal_length", "sepal_width", "petal_length", "petal_width")


def load_iris(pair: str = "setosa-versicolor",
              features: tuple[str, str] = ("petal_length", "petal_width")) -> Dataset:
    """Two of Fisher's Iris species (class 0, class 1) on two of the four measurements (cm)."""
    if pair not in IRIS_PAIRS:
        raise ValueError(f"unknown Iris pair {pair!r}; choose one of {', '.join(IRIS_PAIRS)}")
    if len(features) != 2 or any(f not in IRIS_FEATURES for f in features):
        raise ValueError(f"choose two of the features {', '.join(IRIS_FEATURES)}")
    with open(asset_path("iris.csv"), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    species = IRIS_PAIRS[pair]
    chosen = [row for row in rows if row["species"] in species]
    X = np.array([[float(row[features[0]]), float(row[features[1]])] for row in chosen])
    y = np.array([species.index(row["species"]) for row in chosen], dtype=np.int64)
    return Dataset(X, y, feature_names=features)


def default_dataset() -> Dataset:
    """What the window opens on: overlapping blobs, which have a finite optimum without λ."""
    return make_preset("overlapping", n_points=60, noise=0.1, seed=0)


__all__ = [
    "DataFormatError", "Dataset", "IRIS_FEATURES", "IRIS_PAIRS", "PRESET_NAMES", "PRESET_TITLES",
    "checked_feature_names", "default_dataset", "format_points_csv", "load_iris", "make_preset",
    "parse_points_csv", "read_points_csv", "write_points_csv",
]
