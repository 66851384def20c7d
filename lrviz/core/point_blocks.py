"""`PointBlocks`: the points of a file read block by block, gathered into one set of arrays.

The stepped reader (ui/documents.read_points_csv_in_steps) parses a large points file a
block of ~750 lines at a time. Keeping every block's arrays and concatenating them at the
end held the points twice at the end of the read (the blocks and the whole: the read's
peak was 2.0× the points' arrays). Here each block is copied at once into arrays that grow
in place (`ndarray.resize`, a realloc: a large block is remapped, not copied), sized from
the file's length, so the points exist once, plus one block, while the file is read (1.1×).

In a file of named classes (``…,label,y``) a block that holds points of one class only
names that one (the other is "0" or "1" in it), so each class takes its name from the
blocks that hold it.
"""

from __future__ import annotations

import numpy as np

from lrviz.core.dataset import DEFAULT_CLASS_NAMES, LABEL_DTYPE, Dataset

_GROWTH = 1.25  # capacity × this when the estimate was short
_SPARE = 1.02  # the first estimate's margin (rows vary in length)


class PointBlocks:
    """Blocks of points (Datasets of the same names) appended into growing arrays; `dataset()` at the end."""

    def __init__(self, file_chars: int) -> None:
        """`file_chars`: about how long the file is, to size the arrays from the first block's rows."""
        self._file_chars = max(1, int(file_chars))
        self._X = np.empty((0, 2))
        self._y = np.empty(0, dtype=LABEL_DTYPE)
        self._is_test = np.empty(0, dtype=bool)
        self._rows = 0
        self._first: Dataset | None = None
        # Each class's name, from the blocks that hold points of it (in a file of named classes
        # a block of one class names only that one); False once two blocks disagree.
        self._class_names: list[str | None] | bool = [None, None]

    def __len__(self) -> int:
        return self._rows

    @property
    def started(self) -> bool:
        """Whether a block was added (one of no rows, too: it gave the names)."""
        return self._first is not None

    def add(self, block: Dataset, chars: int) -> None:
        """Append `block`'s points; `chars`: the length of its text (for the first size estimate)."""
        if self._first is None:
            self._first = block
        self._take_names(block)
        count = len(block)
        if not count:
            return
        need = self._rows + count
        if need > len(self._y):
            if not len(self._y):  # the first block: about as many rows per character in the rest
                estimate = int(self._file_chars * count / max(1, chars) * _SPARE)
            else:
                estimate = int(len(self._y) * _GROWTH)
            self._resize(max(need, estimate))
        rows = slice(self._rows, need)
        self._X[rows] = block.X
        self._y[rows] = block.y
        self._is_test[rows] = block.is_test
        self._rows = need

    def _take_names(self, block: Dataset) -> None:
        names = self._class_names
        if names is False:
            return
        for label, count in enumerate(block.class_counts()):
            if count:
                name = block.class_names[label]
                if names[label] is None:
                    names[label] = name
                elif names[label] != name:
                    self._class_names = False
                    return

    def _resize(self, capacity: int) -> None:
        # In place where the allocator can (realloc); refcheck off: these arrays are never shared
        # before dataset(), which ends the gathering.
        self._X.resize((capacity, 2), refcheck=False)
        self._y.resize(capacity, refcheck=False)
        self._is_test.resize(capacity, refcheck=False)

    def dataset(self) -> Dataset:
        """The gathered points as one Dataset (the arrays adopted, not copied); call once, at the end.

        ValueError when two blocks name a class differently, or the names are not valid
        (e.g. both classes named alike): the whole file then says which line is wrong."""
        assert self._first is not None, "no block was added"
        if self._class_names is False:
            raise ValueError("a class has two names")
        class_names = tuple(name if name is not None else default
                            for name, default in zip(self._class_names, DEFAULT_CLASS_NAMES))
        if len(self._y) != self._rows:
            self._resize(self._rows)  # shrinking gives the spare capacity back, without a copy
        first = self._first
        X, y, is_test = self._X, self._y, self._is_test
        self._X, self._y, self._is_test, self._rows = np.empty((0, 2)), np.empty(0, LABEL_DTYPE), np.empty(0, bool), 0
        return Dataset(X, y, feature_names=first.feature_names, is_test=is_test, class_names=class_names,
                       copy=False)


__all__ = ["PointBlocks"]
