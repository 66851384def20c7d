"""The few vertices of a long run's θ path that a view draws, kept up to date as the run grows.

A 10^8-epoch history is 2.4 GB of θ (history_store keeps it in a temp file, paging it in on
demand). The landscape draws its path on a few hundred pixels, so it needs a few thousand
vertices, not a copy of every row at every history change (1.6 GB resident at 10^8 epochs
when it did). `PathDigest` reads each row once, as the run appends it, and keeps:

* every row of the first 2·R epochs (R = `RESOLUTION`): gradient descent moves most there,
  and a short run is drawn through every epoch exactly;
* after that, buckets of rows that double in size every octave ([2R, 4R) in buckets of 2,
  [4R, 8R) of 4, …: R buckets an octave, so about R·log₂(k/R) buckets for k epochs), and
  of each bucket its first row and the rows where each parameter is smallest and largest.
  The drawn path's box is the path's box (every column's extremes are vertices), a spike in
  any parameter stays, and no vertex is moved: each is a row of the history, exactly.
* the newest row, always.

`through(epoch)` adds the selected epoch's own row, so the drawn path passes exactly through
the marker. Buckets never change once complete, so growing costs the new rows and one partial
bucket (at most k/R rows) per update; a cut (undo, train from an earlier epoch, Reset) drops
the buckets after it (`RunHistory.kept_since`). Reads are counted (`rows_read`) and told to
the history (`note_read`), so a first pass over a long run trims the pages behind it.

`drawn_positions` then thins for the screen: a vertex on the previous one's pixel is
skipped (a zig-zag keeps every turn), a stride caps the count; the first, the newest and
the selected vertex always stay.

Shapes: p parameters, m vertices; `indices` (m,) int64 rows, ascending; `theta` (m, p).
"""

from __future__ import annotations

import numpy as np

from lrviz.core.history import CutWatch, RunHistory

RESOLUTION = 1024  # buckets per octave of epochs (and the first 2·R rows kept whole)
READ_ROWS = 1 << 17  # rows read from the history at once (3 MB of θ)


def bucket_of(row: int, resolution: int = RESOLUTION) -> tuple[int, int, int]:
    """(size, first row of its bucket, end of its octave) for a row: size 1 below 2R, then
    2^j in the octave [R·2^j, R·2^(j+1))."""
    octave = (row // resolution).bit_length() - 1
    if octave <= 0:
        return 1, row, 2 * resolution
    size = 1 << octave
    return size, row - row % size, resolution << (octave + 1)


def _extreme_offsets(block: np.ndarray) -> np.ndarray:
    """(buckets, 1 + 2p) offsets in each bucket of (buckets, size, p): its first row and the
    rows of each column's finite minimum and maximum."""
    finite = np.isfinite(block).all(axis=2, keepdims=True)
    low = np.where(finite, block, np.inf).argmin(axis=1)
    high = np.where(finite, block, -np.inf).argmax(axis=1)
    return np.concatenate([np.zeros((len(block), 1), np.int64), low, high], axis=1)


class PathDigest:
    """The drawn vertices of one history's θ (see the module docstring)."""

    def __init__(self, resolution: int = RESOLUTION, read_rows: int = READ_ROWS) -> None:
        self._resolution = int(resolution)
        self._read_rows = int(read_rows)
        self._watch = CutWatch()  # the rows of the history unchanged since the last update
        self.rows_read = 0  # every row this digest asked the history for, since it was made
        self.largest_read = 0  # the most rows asked for at once
        self.version = 0  # counts the changes of the vertices
        self._clear(0)

    def _clear(self, width: int) -> None:
        self._size = 0  # rows of the history digested
        self._done = 0  # rows in complete buckets
        self._parts: list[tuple[np.ndarray, np.ndarray]] = []  # (indices, theta) of complete buckets
        self._tail = (np.empty(0, np.int64), np.empty((0, width)))
        self._joined: tuple[np.ndarray, np.ndarray] | None = None

    # -- following the history ------------------------------------------------------------------
    def update(self, history: RunHistory) -> bool:
        """Digest what changed in `history` since the last call; True when the vertices did."""
        kept = self._watch.kept(history)  # 0 for another history than last time
        width = len(history.names)
        if self._tail[1].shape[1] != width:
            self._clear(width)
        changed = kept < self._size
        if changed:
            self._cut(kept)
        if len(history) != self._size:
            self._grow(history)
            changed = True
        return changed

    def _cut(self, kept: int) -> None:
        self._done = min(self._done, bucket_of(kept, self._resolution)[1]) if kept else 0
        self._parts = [(i[i < self._done], t[i < self._done]) for i, t in self._parts]
        self._size = kept
        self._tail = (self._tail[0][:0], self._tail[1][:0])
        self._joined = None
        self.version += 1

    def _read(self, history: RunHistory, start: int, stop: int) -> np.ndarray:
        self.rows_read += stop - start
        self.largest_read = max(self.largest_read, stop - start)
        return history.theta_rows(start, stop)

    def _grow(self, history: RunHistory) -> None:
        n = len(history)
        while True:  # complete buckets, octave by octave, READ_ROWS at a time
            size, _, octave_end = bucket_of(self._done, self._resolution)
            limit = min(octave_end, self._done + (n - self._done) // size * size)
            if limit <= self._done:
                break
            step = max(size, self._read_rows // size * size)
            for start in range(self._done, limit, step):
                stop = min(start + step, limit)
                block = self._read(history, start, stop)
                buckets = (stop - start) // size
                offsets = _extreme_offsets(block.reshape(buckets, size, -1))
                rows = np.unique(offsets + (np.arange(buckets) * size)[:, None])
                self._parts.append((rows + start, np.array(block[rows])))
            self._done = limit
        tail_rows = np.empty(0, np.int64)
        if self._done < n:  # the bucket still filling, and the newest row
            block = self._read(history, self._done, n)
            offsets = _extreme_offsets(block[None])[0]
            tail_rows = np.unique(np.append(offsets, n - 1 - self._done))
            self._tail = (tail_rows + self._done, np.array(block[tail_rows]))
        else:  # n ends a bucket: its newest row is a vertex only if it is one of that bucket's extremes
            highest = max((int(i[-1]) for i, _ in self._parts if len(i)), default=-1)
            if 0 < n and highest != n - 1:
                self._tail = (np.array([n - 1], np.int64), np.array(self._read(history, n - 1, n)))
            else:
                self._tail = (tail_rows, self._tail[1][:0])
        self._size = n
        self._joined = None
        self.version += 1

    # -- what views draw ----------------------------------------------------------------------------
    @property
    def size(self) -> int:
        """The history rows digested (its length at the last update)."""
        return self._size

    def vertices(self) -> tuple[np.ndarray, np.ndarray]:
        """(indices, θ) of every kept vertex, in row order (read-only)."""
        if self._joined is None:
            if len(self._parts) > 1:  # joined once: the next update appends to one part
                self._parts = [(np.concatenate([i for i, _ in self._parts]),
                                np.concatenate([t for _, t in self._parts]))]
            parts = [*self._parts, self._tail]
            indices = np.concatenate([i for i, _ in parts])
            theta = np.concatenate([t for _, t in parts])
            for array in (indices, theta):
                array.flags.writeable = False
            self._joined = (indices, theta)
        return self._joined

    def through(self, index: int | None, theta: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, int]:
        """The vertices with row `index` (θ `theta`, the selected epoch's exact row) among them,
        and its position (-1 without one)."""
        indices, thetas = self.vertices()
        if index is None or theta is None or not 0 <= index < self._size:
            return indices, thetas, -1
        at = int(np.searchsorted(indices, index))
        if at < len(indices) and indices[at] == index:
            return indices, thetas, at
        return np.insert(indices, at, index), np.insert(thetas, at, theta, axis=0), at


def drawn_positions(points: np.ndarray, cell: np.ndarray | None, max_vertices: int,
                    keep: int = -1) -> np.ndarray:
    """Positions of the vertices of `points` (m, 2) to draw, ascending: one per pixel change
    (`cell`: a pixel's size in data units; None: no pixel thinning), at most about
    `max_vertices` by a stride, always the first, the last and position `keep` (if ≥ 0)."""
    m = len(points)
    if m <= 2:
        return np.arange(m)
    wanted = np.ones(m, dtype=bool)
    if cell is not None and np.all(cell > 0) and np.all(np.isfinite(cell)):
        with np.errstate(over="ignore", invalid="ignore"):
            pixel = np.floor(points / cell)
        wanted[1:] = np.any(pixel[1:] != pixel[:-1], axis=1)
    wanted[-1] = True
    positions = np.flatnonzero(wanted)
    if len(positions) > max_vertices:
        stride = -(-len(positions) // max_vertices)
        positions = np.union1d(positions[::stride], positions[-1:])
    if 0 <= keep < m:
        positions = np.union1d(positions, [keep])
    return positions


__all__ = ["READ_ROWS", "RESOLUTION", "PathDigest", "bucket_of", "drawn_positions"]
