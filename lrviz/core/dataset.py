"""The point set: two features and a 0/1 label per point, always valid; the built-in sets.

Presets are generated with NumPy from a seed, so a teacher's demo is the same every time.
The points CSV is in `lrviz.core.formats.points_csv` (a file format, like the others).
"""

from __future__ import annotations

import csv
import math
from typing import Iterable

import numpy as np
from numpy.typing import ArrayLike

from lrviz.resources import asset_path

DEFAULT_FEATURE_NAMES: tuple[str, str] = ("x1", "x2")
DEFAULT_CLASS_NAMES: tuple[str, str] = ("0", "1")  # what a file of 0/1 labels calls its classes


LABEL_DTYPE = np.int8  # labels are 0/1: an int8 holds them in an eighth of int64's memory


class Dataset:
    """The window's points: X (m, 2) float64 and y (m,) int8 of 0/1, kept valid on every edit.

    Copy-on-write: `copy()` and `snapshot()` share the arrays, which are then read-only, and
    an edit in place (`move`, `set_test`) first copies the array it changes; the other edits
    build new arrays anyway. So the undo stack, the Run and the training thread can each hold
    the points of a 200 MB file without a copy each (issue 18), and a snapshot never changes.
    """

    def __init__(self, X: ArrayLike | None = None, y: ArrayLike | None = None,
                 feature_names: Iterable[str] = DEFAULT_FEATURE_NAMES, is_test: ArrayLike | None = None,
                 class_names: Iterable[str] = DEFAULT_CLASS_NAMES, *, copy: bool = True) -> None:
        """`copy=False` adopts X (float64) and is_test (bool) as they are when they need no
        conversion: for a reader's fresh arrays (a 200 MB file's points are 75 MB), which the
        caller must not change afterwards."""
        X = np.empty((0, 2)) if X is None else np.array(X, dtype=float, copy=True if copy else None)
        y = np.empty(0, dtype=LABEL_DTYPE) if y is None else np.asarray(y)
        if X.size == 0 and y.size == 0:
            X, y = np.empty((0, 2)), np.empty(0, dtype=LABEL_DTYPE)  # e.g. Dataset([], [])
        if X.ndim != 2 or X.shape[1] != 2:
            raise ValueError(f"points must have two coordinates each; got shape {X.shape}")
        if y.shape != (X.shape[0],):
            raise ValueError(f"there are {X.shape[0]} points but {y.size} labels")
        if not np.all(np.isfinite(X)):
            raise ValueError("point coordinates must be finite numbers (no NaN or infinity)")
        if y.size and (y.dtype.kind not in "biuf" or not np.all((y == 0) | (y == 1))):
            raise ValueError("every label must be 0 or 1")
        self.feature_names: tuple[str, str] = checked_feature_names(feature_names)
        self.class_names: tuple[str, str] = checked_class_names(class_names)  # of label 0, label 1
        self._X = X
        self._y = y.astype(LABEL_DTYPE)  # a fresh array: the caller's y is never adopted
        self._is_test = _checked_split(is_test, len(self._y), copy)  # the train/test split (core/split.py)
        self._bounds: tuple[np.ndarray, np.ndarray] | None = None  # of X, once asked for, until an edit

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

    @property
    def is_test(self) -> np.ndarray:
        """(m,) bool: True for a point kept back to test the model (training never uses it)."""
        view = self._is_test.view()
        view.flags.writeable = False
        return view

    def set_split(self, is_test: ArrayLike) -> None:
        self._is_test = _checked_split(is_test, len(self._y))

    def set_test(self, index: int, on: bool) -> None:
        self._is_test = _writable(self._is_test)
        self._is_test[index] = bool(on)

    def __len__(self) -> int:
        return len(self._y)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return (self.feature_names == other.feature_names and self.class_names == other.class_names
                and np.array_equal(self._X, other._X)
                and np.array_equal(self._y, other._y) and np.array_equal(self._is_test, other._is_test))

    def __repr__(self) -> str:
        n0, n1 = self.class_counts()
        return f"Dataset({len(self)} points: {n0} of class 0, {n1} of class 1)"

    def copy(self) -> Dataset:
        """An independent Dataset, at no cost: the two share their arrays until one is edited."""
        twin = Dataset.__new__(Dataset)
        twin.feature_names, twin.class_names = self.feature_names, self.class_names
        twin._X, twin._y, twin._is_test = self._shared_arrays()
        twin._bounds = self._bounds
        return twin

    def snapshot(self) -> tuple[np.ndarray, np.ndarray]:
        """(X, y) as read-only arrays that never change (an edit copies first): safe to hand to another thread."""
        X, y, _ = self._shared_arrays()
        return X, y

    def frozen_split(self) -> np.ndarray:
        """is_test as a read-only array that never changes, like `snapshot()`'s."""
        return self._shared_arrays()[2]

    def _shared_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        for array in (self._X, self._y, self._is_test):
            array.flags.writeable = False  # from now on an edit in place copies first
        return self._X, self._y, self._is_test

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(low, high): each coordinate's smallest and largest value, (2,) read-only arrays;
        ValueError without points. Computed once until the next edit (a pass over a 200 MB
        file's points takes a tenth of a second; the view's fit, the density image and the
        data warning all ask), so a reader thread can compute them before the GUI needs them."""
        if self._bounds is None:
            if not len(self._X):
                raise ValueError("there are no points")
            X = self._X  # column by column: a reduction along axis 0 of an (m, 2) array is ~15x slower
            low, high = np.array([X[:, 0].min(), X[:, 1].min()]), np.array([X[:, 0].max(), X[:, 1].max()])
            low.flags.writeable = high.flags.writeable = False
            self._bounds = (low, high)
        return self._bounds

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

    def insert(self, index: int, x1: float, x2: float, label: int, is_test: bool = False) -> None:
        x1, x2, label = checked_point(x1, x2, label)
        if not 0 <= index <= len(self):
            raise IndexError(f"cannot insert at {index}: there are {len(self)} points")
        self._bounds = None
        self._X = np.insert(self._X, index, [x1, x2], axis=0)  # new arrays: the shared ones stay
        self._y = np.insert(self._y, index, label)
        self._is_test = np.insert(self._is_test, index, bool(is_test))

    def remove(self, index: int) -> tuple[float, float, int]:
        """Delete the point at `index`; return it, so it can be put back."""
        removed = self.point(index)
        self._bounds = None
        self._X = np.delete(self._X, index, axis=0)
        self._y = np.delete(self._y, index)
        self._is_test = np.delete(self._is_test, index)
        return removed

    def move(self, index: int, x1: float, x2: float) -> None:
        x1, x2, _ = checked_point(x1, x2, 0)
        self._bounds = None
        self._X = _writable(self._X)
        self._X[index] = (x1, x2)

    def clear(self) -> None:
        self._bounds = None
        self._X = np.empty((0, 2))
        self._y = np.empty(0, dtype=LABEL_DTYPE)
        self._is_test = np.zeros(0, dtype=bool)


def _writable(array: np.ndarray) -> np.ndarray:
    """`array` itself when this Dataset alone holds it, else a copy to edit (copy-on-write)."""
    return array if array.flags.writeable else array.copy()


def _checked_split(is_test: ArrayLike | None, m: int, copy: bool = True) -> np.ndarray:
    """A fresh (m,) bool array (a bool array itself with `copy=False`): all False (every point trains) for None."""
    if is_test is None:
        return np.zeros(m, dtype=bool)
    mask = np.asarray(is_test)
    if mask.shape != (m,) or (mask.size and mask.dtype.kind not in "biu"):
        raise ValueError(f"the split must be one true/false value for each of the {m} points")
    if mask.dtype == bool:
        return mask.copy() if copy else mask
    if not np.all((mask == 0) | (mask == 1)):
        raise ValueError(f"the split must be one true/false value for each of the {m} points")
    return mask.astype(bool)


def checked_feature_names(names: Iterable[str]) -> tuple[str, str]:
    """Two names, trimmed, non-empty, on one line: they become a CSV header and axis titles."""
    names = tuple(str(name).strip() for name in names)
    if len(names) != 2:
        raise ValueError(f"a data set has exactly two feature names, not {len(names)}")
    if not all(names) or any(ch in name for name in names for ch in "\r\n"):
        raise ValueError(f"feature names must be non-empty and on one line; got {repr(names)[:60]}…")
    return names[0], names[1]


def checked_class_names(names: Iterable[str]) -> tuple[str, str]:
    """The names of class 0 and class 1: two different names, trimmed, non-empty, on one line."""
    names = tuple(str(name).strip() for name in names)
    if len(names) != 2:
        raise ValueError(f"a data set has exactly two class names, not {len(names)}")
    if not all(names) or any(ch in name for name in names for ch in "\r\n"):
        raise ValueError(f"class names must be non-empty and on one line; got {names!r}")
    if names[0] == names[1]:
        raise ValueError(f"the two classes need different names, not {names[0]!r} twice")
    return names[0], names[1]


def checked_point(x1: float, x2: float, label: int) -> tuple[float, float, int]:
    """(x1, x2, label) as floats and an int; ValueError for a non-finite coordinate or a label not 0/1."""
    x1, x2 = float(x1), float(x2)
    if not (math.isfinite(x1) and math.isfinite(x2)):
        raise ValueError("point coordinates must be finite numbers")
    if label not in (0, 1):
        raise ValueError(f"a label is 0 or 1, not {label!r}")
    return x1, x2, int(label)


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
    y = np.r_[np.zeros(n0, LABEL_DTYPE), np.ones(n1, LABEL_DTYPE)]
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
    return Dataset(X, y, feature_names=features, class_names=species)


def default_dataset() -> Dataset:
    """What the window opens on: overlapping blobs, which have a finite optimum without λ."""
    return make_preset("overlapping", n_points=60, noise=0.1, seed=0)


__all__ = [
    "DEFAULT_CLASS_NAMES", "DEFAULT_FEATURE_NAMES", "LABEL_DTYPE", "Dataset", "checked_class_names", "IRIS_FEATURES", "IRIS_PAIRS", "PRESET_NAMES", "PRESET_TITLES",
    "checked_feature_names", "checked_point", "default_dataset", "load_iris", "make_preset",
]
