"""The per-epoch history as CSV: ``epoch,loss,<the names of θ's columns>``, one row per epoch.

Today's header is ``epoch,loss,w1,w2,b``: the weights are numbered, not named after the
features, so w1 belongs to the first column of the points file whatever its name, and
every history of two features has the same header (version-1 files too). Floats are
written with repr(), so reading back gives every value exactly. The CSV holds θ and the
loss only; α, λ and the data revision of each epoch are in the session file.

When the run has a train/test split, a ``test_loss`` column follows ``loss``
(``epoch,loss,test_loss,w1,w2,b``): the loss (2-1) on the test points at that row's θ,
empty for the epochs whose points had no test set. Readers of the plain form still read
plain files; this reader reads both.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TextIO

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.formats.atomic import atomic_text_file
from lrviz.core.formats.common import csv_number, csv_rows, numeric_table, read_text, short
from lrviz.core.history import RunHistory

_SLICE = 1 << 16  # rows formatted at once by write_history_csv
_FIXED = ("epoch", "loss")
TEST_LOSS = "test_loss"


class HistoryFormatError(ValueError):
    """A history CSV is damaged."""


@dataclass(frozen=True, eq=False)
class HistoryTable:
    """What a history CSV holds (read-only arrays): θ of each epoch under its column names, and the loss.

    Shapes: epochs (k,) int64 increasing, theta (k, p), loss (k,); W = theta[:, :-1], b = theta[:, -1].
    """

    names: tuple[str, ...]
    epochs: np.ndarray
    theta: np.ndarray
    loss: np.ndarray
    test_loss: np.ndarray | None = None  # (k,) where `tested`, 0.0 elsewhere; None: no test_loss column
    tested: np.ndarray | None = None  # (k,) bool

    @property
    def W(self) -> np.ndarray:  # noqa: N802 (the math's name)
        return self.theta[:, :-1]

    @property
    def b(self) -> np.ndarray:
        return self.theta[:, -1]


def checked_names(names: Iterable[Any], error: type[ValueError]) -> tuple[str, ...]:
    """θ's column names as a header can hold them (see `_header_names`), else `error`."""
    names = tuple(names)
    if not _header_names(names):
        raise error(f"the history's columns must be distinct one-line weight names, then 'b'; "
                    f"got {short(names)}")
    return names


def _header_names(names: tuple[Any, ...]) -> bool:
    """Distinct one-line names without surrounding spaces (the reader strips cells), at least
    one weight, the bias "b" last, none of them "epoch" or "loss"."""
    return (len(names) >= 2 and names[-1] == "b"
            and all(isinstance(n, str) and n and n == n.strip() and "\n" not in n and "\r" not in n
                    and n not in _FIXED and n != TEST_LOSS for n in names)
            and len(set(names)) == len(names))


def _checked_rows(epochs: ArrayLike, theta: ArrayLike, loss: ArrayLike, names: tuple[str, ...],
                  error: type[ValueError]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked arrays: epochs increasing whole numbers ≥ 0, θ (k, p) and the loss finite."""
    epochs = np.asarray(epochs).reshape(-1)
    k, p = len(epochs), len(names)
    theta = np.asarray(theta, dtype=float)
    if theta.size == 0 and k == 0:
        theta = theta.reshape(0, p)
    loss = np.asarray(loss, dtype=float).reshape(-1)
    if theta.ndim != 2 or theta.shape[0] != k or loss.shape != (k,):
        raise error(f"the history's columns have different lengths (epochs {k}, theta {theta.shape}, "
                    f"loss {loss.shape})")
    if theta.shape[1] != p:
        raise error(f"this history has {p} parameter columns ({', '.join(names)}), not {theta.shape[1]}")
    if k and (epochs.dtype.kind not in "iu" or epochs.min() < 0 or np.any(np.diff(epochs) <= 0)):
        raise error("the history's epochs must be whole numbers ≥ 0 that increase")
    if not np.all(np.isfinite(loss)):
        raise error("the history's loss must hold finite numbers only")
    bad = np.flatnonzero(~np.all(np.isfinite(theta), axis=0))
    if len(bad):
        raise error(f"the history's {names[bad[0]]} must hold finite numbers only")
    return epochs.astype(np.int64), theta, loss


def _header(names: tuple[str, ...], test_loss: bool = False) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(_FIXED + ((TEST_LOSS,) if test_loss else ()) + names)
    return out.getvalue()


def _test_cells(test_loss: np.ndarray, tested: np.ndarray) -> list[str]:
    return [repr(v) if t else "" for v, t in zip(test_loss.tolist(), tested.tolist())]


def _body(epochs: np.ndarray, theta: np.ndarray, loss: np.ndarray, test: list[str] | None = None) -> str:
    """The rows of checked arrays, each ending in a newline (none for no rows)."""
    # Column-wise map(repr) keeps the per-value work in C; 1e6 epochs take a few seconds.
    columns = [map(str, epochs.tolist()), map(repr, loss.tolist()), *(map(repr, c) for c in theta.T.tolist())]
    if test is not None:
        columns.insert(2, test)
    body = "\n".join(map(",".join, zip(*columns)))
    return body + ("\n" if body else "")


def write_history_csv(path: str | os.PathLike[str], history: RunHistory,
                      between_slices: Callable[[float], None] | None = None, slice_rows: int = _SLICE) -> None:
    """Every epoch of `history` (θ and loss) under its column names, atomically.

    Written in slices of `slice_rows`, so a long history never exists as one big string.
    `between_slices(fraction written)` is called before each slice and once after the last,
    before the file replaces the old one; what it raises gives the write up (the old file
    stays): a writer thread's progress, pause and check (ui/documents.py).
    """
    test = history.has_test_loss
    with HistoryCsvWriter(path, history.names, test_loss=test) as writer:
        for start in range(0, len(history), slice_rows):
            if between_slices is not None:
                between_slices(start / len(history))
            rows = slice(start, start + slice_rows)
            if test:
                stop = min(start + slice_rows, len(history))
                tested = history.setting_rows("tested", start, stop)  # not 10^8 flags expanded at once
                writer.append(history.epochs[rows], history.theta[rows], history.loss[rows],
                              history.test_loss[rows], tested)
            else:
                writer.append(history.epochs[rows], history.theta[rows], history.loss[rows])
            history.note_read(slice_rows)  # a history on disk gives the slice's pages back behind the writer
        if between_slices is not None:
            between_slices(1.0)



class HistoryCsvWriter:
    """A history CSV written chunk by chunk while training runs, atomically.

    Memory stays flat however many epochs a run has: each chunk is checked, formatted,
    written and dropped. The file equals write_history_csv's for the whole history, byte for
    byte. Use it in a with block: the rows go to a temp file beside `path`, which replaces
    `path` only when the block ends without an exception; otherwise (Ctrl+C included) the
    temp file is deleted and the old file stays as it was.
    """

    def __init__(self, path: str | os.PathLike[str], names: Sequence[str], test_loss: bool = False) -> None:
        """`test_loss`: the file has a test_loss column (append then takes it for every chunk)."""
        self._names = checked_names(names, ValueError)
        self._test = bool(test_loss)
        self._path = path
        self._stream: TextIO | None = None
        self._close = ExitStack()
        self._last_epoch = -1

    def __enter__(self) -> HistoryCsvWriter:
        with ExitStack() as stack:  # a failed header write still deletes the temp file
            stream = stack.enter_context(atomic_text_file(self._path))
            stream.write(_header(self._names, self._test))
            self._close = stack.pop_all()
        self._stream = stream
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> bool:
        self._stream = None
        return self._close.__exit__(exc_type, exc, traceback)

    def append(self, epochs: ArrayLike, theta: ArrayLike, loss: ArrayLike,
               test_loss: ArrayLike | None = None, tested: ArrayLike | None = None) -> None:
        """Check one chunk (epochs (k,), θ (k, p), loss (k,); with a test_loss column, its values
        (k,) and which rows have one (k,) bool, None: none), then write it.

        The epochs must also increase from the last chunk's, so the file always reads back.
        A ValueError writes nothing of the chunk.
        """
        if self._stream is None:
            raise ValueError("the history writer is not open; use it in a with block")
        epochs, theta, loss = _checked_rows(epochs, theta, loss, self._names, ValueError)
        if not len(epochs):
            return
        if epochs[0] <= self._last_epoch:
            raise ValueError(f"the history's epochs must be whole numbers ≥ 0 that increase "
                             f"(epoch {epochs[0]} after {self._last_epoch})")
        test = None
        if self._test:
            k = len(epochs)
            mask = np.zeros(k, bool) if tested is None or test_loss is None else \
                np.broadcast_to(np.asarray(tested, dtype=bool), (k,))
            values = np.zeros(k) if test_loss is None else np.broadcast_to(np.asarray(test_loss, dtype=float), (k,))
            if not np.all(np.isfinite(values[mask])):
                raise ValueError("the history's test loss must hold finite numbers only")
            test = _test_cells(values, mask)
        self._stream.write(_body(epochs, theta, loss, test))
        self._last_epoch = int(epochs[-1])


def read_history_csv(path: str | os.PathLike[str]) -> HistoryTable:
    """Read a history CSV with any header epoch,loss,<distinct weight names>,b.

    HistoryFormatError names the line of a problem; OSError is a problem with the path.
    """
    err = HistoryFormatError
    source = str(path)
    text = read_text(path, err)
    rows = csv_rows(text, source, err)
    first = next(rows, None)
    if first is None:
        raise err(f"{source} is empty: expected the header 'epoch,loss,w1,w2,b' and one row per epoch")
    header_line, header = first[0], [c.strip() for c in first[1]]
    has_test = len(header) > 2 and header[2] == TEST_LOSS
    fixed = 3 if has_test else 2
    names = tuple(header[fixed:])
    if tuple(header[:2]) != _FIXED or not _header_names(names):
        raise err(f"{source}, line {header_line}: expected the header 'epoch,loss,w1,w2,b' (the weights "
                  f"under distinct names, then b), found {short(','.join(header))}")
    table = None if has_test else numeric_table(_after_header(text), len(header))
    tested = None
    if table is None or np.any(table[:, 0] != np.floor(table[:, 0])) or np.any(table[:, 0] >= 2**53):
        # slow, but names the bad line (and reads the empty test_loss cells)
        table, tested = _table_row_by_row(rows, source, len(header), 2 if has_test else None)
    try:
        epochs, theta, loss = _checked_rows(table[:, 0].astype(np.int64), table[:, fixed:], table[:, 1], names, err)
    except HistoryFormatError as error:
        raise err(f"{source}: {error}") from None
    test_loss = table[:, 2].copy() if has_test else None
    for array in (epochs, theta, loss, test_loss, tested):
        if array is not None:
            array.flags.writeable = False
    return HistoryTable(names, epochs, theta, loss, test_loss, tested)


def _after_header(text: str) -> str:
    """The text after the first non-blank CSV row (csv.reader reads a StringIO line by line)."""
    stream = io.StringIO(text, newline="")
    for row in csv.reader(stream):
        if any(cell.strip() for cell in row):
            break
    return stream.read()


def _table_row_by_row(rows: Iterable[tuple[int, list[str]]], source: str, width: int,
                      optional: int | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """(the table, and for an `optional` column whose cells may be empty, which rows have a value)."""
    err = HistoryFormatError
    table: list[list[float]] = []
    present: list[bool] = []
    for line, row in rows:
        if len(row) != width:
            raise err(f"{source}, line {line}: expected {width} values, found {len(row)}")
        epoch = row[0].strip()
        if not (epoch.isascii() and epoch.isdigit()) or len(epoch) > 15:
            raise err(f"{source}, line {line}: the epoch must be a whole number ≥ 0, not {short(epoch)}")
        values = [float(epoch)]
        for column, cell in enumerate(row[1:], start=1):
            if column == optional and not cell.strip():
                values.append(0.0)
                present.append(False)
                continue
            if column == optional:
                present.append(True)
            values.append(csv_number(cell, source, line, err))
        table.append(values)
    return np.array(table, dtype=float).reshape(-1, width), None if optional is None else np.array(present, bool)


__all__ = ["HistoryCsvWriter", "HistoryFormatError", "HistoryTable", "read_history_csv", "write_history_csv"]
