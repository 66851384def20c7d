"""The per-epoch record of one run: θ with named columns, and what was in force at each epoch.

Shapes (k epochs, p parameters)::

    epochs         (k,)    int64, consecutive
    theta          (k, p)  float64; columns named by `names`, today ("w1", "w2", "b"):
                           the weights of the features in order, then the bias. More columns
                           (feature-map weights, one row per class) are more names, not a new
                           format. W = theta[:, :-1], b = theta[:, -1] (views).
    loss, grad_norm (k,)   at exactly that row's θ
    learning_rate, l2 (k,) the α of the update that produced the row (row 0: the α at the start)
                           and the λ its loss and gradient were computed with
    data_revision  (k,)    int64: the revision of the points that loss was computed on
    test_loss      (k,)    optional: the mean cross-entropy (2-1) on the test points of that
                           revision, at that θ, for the rows whose points had a test set
                           (`tested`); a run without a split has no test loss at all

Row k+1 is θₖ₊₁ = θₖ − αₖ₊₁ ∇L(θₖ; points rₖ₊₁, λₖ₊₁) (4-2, 4-3): a change of α, λ or the
points made while training applies from the next row on, and every row says which values it
used, so any epoch's numbers can be recomputed exactly afterwards.

α, λ and the revision change rarely, so they are stored as runs of equal values (a few
entries for a million epochs); the other columns grow in arrays whose capacity doubles,
so appending a batch ~30 times a second is amortised O(batch). A column that grows past
history_store.SPILL_BYTES (~8·10^6 epochs) moves to an unnamed temp file mapped into
memory, so a 10^8-epoch run keeps every epoch exact without holding 5.6 GB resident.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.history_store import Column

_INITIAL_CAPACITY = 1024
COPY_ROWS = 1 << 18  # rows per slice when a history is copied (~14 MB of columns)


def parameter_names(n_weights: int) -> tuple[str, ...]:
    """Column names of θ for n weights of the raw features: w1 … wn, then b."""
    return tuple(f"w{k + 1}" for k in range(n_weights)) + ("b",)


class _Steps:
    """A per-row column stored as (first row, value) runs: the value of a row is that of the
    last run starting at or before it."""

    def __init__(self, dtype: type) -> None:
        self._dtype = dtype
        self._starts = np.empty(0, np.int64)
        self._values = np.empty(0, dtype)

    def append(self, first_row: int, values: np.ndarray) -> None:
        """Values of rows first_row, first_row + 1, …; only where a value changes is kept."""
        if not len(values):
            return
        previous = self._values[-1] if len(self._values) else None
        change = np.flatnonzero(values[1:] != values[:-1]) + 1
        starts = np.concatenate([[0], change]) if previous is None or values[0] != previous else change
        if len(starts):
            self._starts = np.concatenate([self._starts, first_row + starts])
            self._values = np.concatenate([self._values, values[starts]])

    def truncate(self, size: int) -> None:
        keep = int(np.searchsorted(self._starts, size, side="left"))
        self._starts, self._values = self._starts[:keep], self._values[:keep]

    def at(self, row: int):
        return self._values[int(np.searchsorted(self._starts, row, side="right")) - 1].item()

    def slice(self, start: int, stop: int) -> np.ndarray:
        """The values of rows start…stop-1 (the runs that cover them only)."""
        if stop <= start:
            return np.empty(0, self._dtype)
        first = max(int(np.searchsorted(self._starts, start, side="right")) - 1, 0)
        last = int(np.searchsorted(self._starts, stop, side="left"))
        starts = np.clip(self._starts[first:last], start, stop)
        return np.repeat(self._values[first:last], np.diff(np.append(starts, stop)))

    def expand(self, size: int) -> np.ndarray:
        if size == 0:
            return np.empty(0, self._dtype)
        lengths = np.diff(np.append(self._starts, size))
        return np.repeat(self._values, lengths)

    def distinct(self) -> set:
        return set(self._values.tolist())

    def runs(self) -> tuple[np.ndarray, np.ndarray]:
        return self._starts.copy(), self._values.copy()

    def shared(self) -> _Steps:
        """The same runs, sharing their arrays: safe, as every change puts new arrays in place."""
        other = _Steps(self._dtype)
        other._starts, other._values = self._starts, self._values
        return other


@dataclass(frozen=True)
class EpochRow:
    """One epoch of the history: its parameters and everything in force when it was computed."""

    epoch: int
    theta: np.ndarray  # (p,), raw coordinates
    loss: float
    grad_norm: float
    learning_rate: float
    l2: float
    data_revision: int
    test_loss: float | None = None  # None: that epoch's points had no test set

    @property
    def w(self) -> np.ndarray:
        return self.theta[:-1]

    @property
    def b(self) -> float:
        return float(self.theta[-1])


class RunHistory:
    """Every epoch of a run so far; the array properties are read-only views."""

    def __init__(self, names: Sequence[str] = parameter_names(2)) -> None:
        names = tuple(str(name) for name in names)
        if len(names) < 2 or names[-1] != "b" or len(set(names)) != len(names):
            raise ValueError(f"the parameter columns must be distinct weight names, then 'b'; got {names}")
        self._names = names
        self._size = 0
        self._allocate(_INITIAL_CAPACITY)
        self._learning_rate = _Steps(float)
        self._l2 = _Steps(float)
        self._revision = _Steps(np.int64)
        self._tested = _Steps(bool)  # which rows have a test loss (runs: a split changes rarely)
        self._cuts: list[int] = []  # the sizes truncate_to cut to, in order (see kept_since)

    # -- building -----------------------------------------------------------------------------------
    def _allocate(self, capacity: int) -> None:
        if not hasattr(self, "_columns"):
            self._columns = (Column(np.int64), Column(float, (len(self._names),)), Column(float), Column(float),
                             Column(float))
        self._epochs, self._theta, self._loss, self._grad_norm, self._test_loss = (
            column.resize(capacity, self._size) for column in self._columns)

    @property
    def on_disk(self) -> bool:
        """True when the held epochs live in a temp file (a long run; see history_store)."""
        return any(column.on_disk for column in self._columns)

    def append(self, epochs: ArrayLike, theta: ArrayLike, loss: ArrayLike, grad_norm: ArrayLike,
               learning_rate: ArrayLike, l2: ArrayLike, data_revision: ArrayLike,
               test_loss: ArrayLike | None = None, tested: ArrayLike | None = None) -> None:
        """Add consecutive epochs that follow the newest; α, λ and the revision may be scalars.

        `test_loss` (None: no row has one) with `tested` (None: every row of the batch has
        one) gives the test loss of the rows whose points had a test set."""
        epochs = np.asarray(epochs, dtype=np.int64).reshape(-1)
        k = len(epochs)
        if k == 0:
            return
        if np.any(np.diff(epochs) != 1):
            raise ValueError("the epochs of a batch must count up by one")
        if self._size and epochs[0] != self.last_epoch + 1:
            raise ValueError(f"epoch {epochs[0]} does not follow epoch {self.last_epoch}")
        theta = np.asarray(theta, dtype=float).reshape(k, len(self._names))
        columns = [np.broadcast_to(np.asarray(c, dtype=t), (k,)) for c, t in
                   ((loss, float), (grad_norm, float), (learning_rate, float), (l2, float),
                    (data_revision, np.int64))]
        if self._size + k > len(self._epochs) or not self._epochs.flags.writeable:  # full, or a snapshot's
            self._allocate(max(2 * len(self._epochs), self._size + k))
        start, end = self._size, self._size + k
        self._epochs[start:end], self._theta[start:end] = epochs, theta
        self._loss[start:end], self._grad_norm[start:end] = columns[0], columns[1]
        self._learning_rate.append(start, columns[2])
        self._l2.append(start, columns[3])
        self._revision.append(start, columns[4])
        if test_loss is None:
            self._test_loss[start:end] = 0.0
            self._tested.append(start, np.zeros(k, bool))
        else:
            mask = np.ones(k, bool) if tested is None else np.broadcast_to(np.asarray(tested, dtype=bool), (k,))
            values = np.broadcast_to(np.asarray(test_loss, dtype=float), (k,))
            self._test_loss[start:end] = np.where(mask, values, 0.0)
            self._tested.append(start, mask)
        self._size = end
        for column in self._columns:
            column.wrote(k)

    def clear(self) -> None:
        self.truncate_to(0)
        if len(self._epochs) > _INITIAL_CAPACITY:
            self._allocate(_INITIAL_CAPACITY)

    def truncate_after(self, epoch: int) -> None:
        """Drop every epoch after `epoch` (keeps epochs ≤ epoch)."""
        self.truncate_to(int(np.searchsorted(self._epochs[: self._size], epoch, side="right")))

    def truncate_to(self, size: int) -> None:
        size = max(0, min(int(size), self._size))
        if size < self._size:
            self._cuts.append(size)
        self._size = size
        for steps in (self._learning_rate, self._l2, self._revision, self._tested):
            steps.truncate(size)

    def copy(self) -> RunHistory:
        other = RunHistory(self._names)
        self._copy_rows(0, other)
        return other

    def snapshot(self) -> RunHistory:
        """The rows held now as a history of their own that shares their memory: O(1) at any
        length, where `copy` copies them (the GUI thread takes a snapshot when a session is
        saved; copying 2·10^6 epochs there froze the window for a tenth of a second).

        Appending here later writes only rows after them, and growing leaves the old arrays
        (or maps) to the snapshot, so it stays exact; an append to the snapshot copies its
        rows first. Only a cut below its rows (`truncate_to`, `clear`) followed by an append
        would write over them: whoever keeps a snapshot while this history may change checks
        `kept_since(cuts)`, with `cuts` read when it was taken, against its length."""
        other = RunHistory(self._names)
        other._columns = tuple(column.view(self._size) for column in self._columns)
        other._epochs, other._theta, other._loss, other._grad_norm, other._test_loss = (
            column.array for column in other._columns)
        other._learning_rate, other._l2, other._revision, other._tested = (
            steps.shared() for steps in (self._learning_rate, self._l2, self._revision, self._tested))
        other._size = self._size
        return other

    def tail(self, after_epoch: int) -> RunHistory:
        """A new history of the epochs after `after_epoch` (what `truncate_after` would drop)."""
        other = RunHistory(self._names)
        self._copy_rows(int(np.searchsorted(self._epochs[: self._size], after_epoch, side="right")), other)
        return other

    def extend(self, other: RunHistory) -> None:
        if other.names != self._names:
            raise ValueError(f"the columns {other.names} do not match {self._names}")
        other._copy_rows(0, self)

    def _copy_rows(self, first: int, into: RunHistory) -> None:
        """Append rows first… to `into` in slices of COPY_ROWS: a 10^8-epoch history (a kept
        run, a session being saved) is copied with the pages of one slice resident at a time,
        not a second 5 GB (each slice is counted as read, so the store trims behind it)."""
        for start in range(first, self._size, COPY_ROWS):
            rows = slice(start, min(start + COPY_ROWS, self._size))
            into.append(self._epochs[rows], self._theta[rows], self._loss[rows], self._grad_norm[rows],
                        self._learning_rate.slice(rows.start, rows.stop), self._l2.slice(rows.start, rows.stop),
                        self._revision.slice(rows.start, rows.stop), *self._test_columns(rows))
            self.note_read(rows.stop - rows.start)

    def note_read(self, rows: int) -> None:
        """`rows` rows of every column were read in bulk (a digest of the path, a plot's
        first decimation, a copy, an export): the store gives the pages back once enough
        were read (history_store.TRIM_BYTES), so a pass over a long run stays small."""
        for column in self._columns:
            column.read(rows)

    @property
    def cuts(self) -> int:
        """How many times rows were cut off (truncate, clear): a mark for `kept_since`."""
        return len(self._cuts)

    def kept_since(self, cuts: int) -> int:
        """The rows unchanged since `cuts` was read: everything a digest built then may keep
        (the smallest size cut to since, or the size)."""
        return min([self._size, *self._cuts[cuts:]])

    def _test_columns(self, rows: slice) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(test_loss, tested) of some rows, as `append` takes them."""
        if not self.has_test_loss:
            return None, None
        return self._test_loss[rows].copy(), self._tested.slice(rows.start, rows.stop)

    # -- reading --------------------------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        return self._names

    @property
    def n_weights(self) -> int:
        return len(self._names) - 1

    def __len__(self) -> int:
        return self._size

    @property
    def first_epoch(self) -> int:
        """The oldest epoch held; -1 when empty."""
        return int(self._epochs[0]) if self._size else -1

    @property
    def last_epoch(self) -> int:
        """The newest epoch; -1 when empty."""
        return int(self._epochs[self._size - 1]) if self._size else -1

    def index_of(self, epoch: int) -> int:
        """The row of `epoch` (the epochs are consecutive); IndexError when it is not held."""
        if not self._size or not self.first_epoch <= int(epoch) <= self.last_epoch:
            raise IndexError(f"epoch {epoch} is not in the history (epochs {self.first_epoch} to {self.last_epoch})")
        return int(epoch) - self.first_epoch

    def row(self, epoch: int) -> EpochRow:
        i = self.index_of(epoch)
        for column in self._columns:
            column.read_row()
        return EpochRow(epoch=int(self._epochs[i]), theta=self._theta[i].copy(), loss=float(self._loss[i]),
                        grad_norm=float(self._grad_norm[i]), learning_rate=float(self._learning_rate.at(i)),
                        l2=float(self._l2.at(i)), data_revision=int(self._revision.at(i)),
                        test_loss=float(self._test_loss[i]) if self._tested.at(i) else None)

    def theta_rows(self, start: int, stop: int) -> np.ndarray:
        """θ of rows start…stop-1 (a read-only view), counted as read (`note_read`): how a
        view that digests a long run reads it, a slice at a time."""
        start, stop = max(0, int(start)), min(int(stop), self._size)
        view = self._theta[start:max(start, stop)]
        view.flags.writeable = False
        self.note_read(len(view))
        return view

    def column(self, name: str) -> np.ndarray:
        """One named parameter column, e.g. "w1" or "b"."""
        return self._view(self._theta[:, self._names.index(name)])

    def revisions(self) -> set[int]:
        """The data revisions some held epoch was computed on."""
        return {int(r) for r in self._revision.distinct()} if self._size else set()

    def setting_runs(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(first row of each run, its value) for "learning_rate", "l2", "data_revision" or "tested"."""
        return self._steps(name).runs()

    def setting_rows(self, name: str, start: int, stop: int) -> np.ndarray:
        """The values of rows start…stop-1 of a column `setting_runs` names (a slice of a long run,
        without expanding the whole column)."""
        return self._steps(name).slice(max(0, int(start)), min(int(stop), self._size))

    def _steps(self, name: str) -> _Steps:
        return {"learning_rate": self._learning_rate, "l2": self._l2, "data_revision": self._revision,
                "tested": self._tested}[name]

    def _view(self, array: np.ndarray) -> np.ndarray:
        view = array[: self._size]
        view.flags.writeable = False
        return view

    @property
    def epochs(self) -> np.ndarray:
        return self._view(self._epochs)

    @property
    def theta(self) -> np.ndarray:
        return self._view(self._theta)

    @property
    def W(self) -> np.ndarray:  # noqa: N802 (the math's name)
        return self._view(self._theta[:, :-1])

    @property
    def b(self) -> np.ndarray:
        return self._view(self._theta[:, -1])

    @property
    def loss(self) -> np.ndarray:
        return self._view(self._loss)

    @property
    def grad_norm(self) -> np.ndarray:
        return self._view(self._grad_norm)

    @property
    def learning_rate(self) -> np.ndarray:
        return self._learning_rate.expand(self._size)

    @property
    def l2(self) -> np.ndarray:
        return self._l2.expand(self._size)

    @property
    def data_revision(self) -> np.ndarray:
        return self._revision.expand(self._size)

    @property
    def has_test_loss(self) -> bool:
        """Whether any held epoch has a test loss (its points had a test set)."""
        return bool(self._size) and True in self._tested.distinct()

    @property
    def tested(self) -> np.ndarray:
        """(k,) bool: the rows that have a test loss."""
        return self._tested.expand(self._size)

    @property
    def test_loss(self) -> np.ndarray:
        """(k,) the test loss of each row; meaningful only where `tested` (0.0 elsewhere)."""
        return self._view(self._test_loss)

    def test_loss_series(self) -> tuple[np.ndarray, np.ndarray]:
        """(epochs, test losses) of the rows that have one."""
        tested = self.tested
        return self.epochs[tested], self.test_loss[tested]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RunHistory):
            return NotImplemented
        arrays = ("epochs", "theta", "loss", "grad_norm", "learning_rate", "l2", "data_revision", "tested")
        if not np.array_equal(self.test_loss_series()[1], other.test_loss_series()[1]):
            return False
        return self._names == other._names and all(
            np.array_equal(getattr(self, a), getattr(other, a)) for a in arrays)

    __hash__ = None  # type: ignore[assignment]


class CutWatch:
    """How many first rows of a history are unchanged since a view last read it
    (RunHistory.kept_since; 0 for another history): what the view's digest of it may keep
    (the epoch plots' decimators, the landscape's path digest)."""

    def __init__(self) -> None:
        self._history: weakref.ref | None = None
        self._cuts = 0

    def kept(self, history: RunHistory) -> int:
        same = self._history is not None and self._history() is history
        kept = history.kept_since(self._cuts) if same else 0
        self._history, self._cuts = weakref.ref(history), history.cuts
        return kept


__all__ = ["CutWatch", "EpochRow", "RunHistory", "parameter_names"]
