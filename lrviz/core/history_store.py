"""Growing per-epoch arrays that move to an unnamed temp file when they get large.

A run at full speed adds ~10^5 epochs a second; at the 10^8-epoch cap its history holds
56 bytes an epoch (epoch, θ of three, loss, gradient norm, test loss): 5.6 GB. Every one of
those numbers must stay exact (a shown or exported epoch is the float64 that was
computed), so nothing is thinned or stored as float32. Instead, a column whose capacity
passes `SPILL_BYTES` lives in a temp file, mapped into memory (MAP_SHARED):

* The file has no name (O_TMPFILE / unlinked at once by tempfile.TemporaryFile): nothing is
  left behind, whatever ends the process (exit, crash, SIGKILL, power loss).
* Its blocks are reserved before use (posix_fallocate), so a full disk is an OSError at
  growth, never a SIGBUS when a page is written. Then the column stays in memory.
* Growing extends the same file and maps it again: no copy of what is held.
* `trim()` gives the process' mapped pages back to the kernel (madvise MADV_DONTNEED;
  for a shared file mapping the data stays in the file and the page cache), so resident
  memory stays at what was touched since the last trim, not the history's size. Reading an
  old epoch pages it in again from the page cache or the disk. A trim comes after
  TRIM_BYTES of appended rows or of `row()` reads; pages a view read through a whole
  column (a plot's first drawing) stay mapped until then.

The arrays are ordinary NumPy arrays either way (np.frombuffer over the map), so the
history's readers do not know where a column lives. An array handed out before a growth
keeps its own (older, shorter) map alive, as an array of the old buffer did.
"""

from __future__ import annotations

import mmap
import os

import numpy as np

SPILL_BYTES = 64 << 20  # a column larger than this (~8·10^6 float64 rows) moves to a temp file
TRIM_BYTES = 16 << 20   # the pages written or read since the last trim, at most (per column)
FAULT_AROUND_BYTES = 64 << 10  # what reading one row may map: Linux maps cached pages around a fault
# Reserving blocks and giving pages back need posix_fallocate and madvise (Linux, most
# Unixes); elsewhere (Windows, macOS) every column stays in memory, as before.
DISK_BACKED = hasattr(os, "posix_fallocate") and hasattr(mmap, "MADV_DONTNEED")


def _temp_folder() -> str | None:
    """Where the maps live: $LRVIZ_HISTORY_DIR, else the usual temp folder ($TMPDIR, /tmp)."""
    return os.environ.get("LRVIZ_HISTORY_DIR") or None


class Column:
    """One growing array of rows of `shape[1:]` (e.g. (3,) for θ), in memory or in a temp file."""

    def __init__(self, dtype: type | np.dtype, width: tuple[int, ...] = ()) -> None:
        self._dtype = np.dtype(dtype)
        self._width = tuple(width)
        self._row_bytes = self._dtype.itemsize * int(np.prod(width, dtype=np.int64))
        self._file = None
        self._map: mmap.mmap | None = None
        self._grown_since_trim = 0
        self.array = np.empty((0, *self._width), self._dtype)

    @property
    def on_disk(self) -> bool:
        """True when the column lives in a temp file."""
        return self._map is not None

    def resize(self, capacity: int, keep: int) -> np.ndarray:
        """The array with room for `capacity` rows, its first `keep` rows as they were (the
        rows after them are unspecified)."""
        old = self.array
        nbytes = capacity * self._row_bytes
        if DISK_BACKED and nbytes > SPILL_BYTES and capacity > len(old):
            try:
                self.array = self._grow_on_disk(capacity, keep)
            except OSError:  # a full disk or no temp folder: the column stays in memory
                self._close()
                self.array = self._in_memory(capacity, old, keep)
        else:
            self._close()
            self.array = self._in_memory(capacity, old, keep)
        return self.array

    def _in_memory(self, capacity: int, old: np.ndarray, keep: int) -> np.ndarray:
        array = np.empty((capacity, *self._width), self._dtype)
        array[:keep] = old[:keep]
        return array

    def _grow_on_disk(self, capacity: int, keep: int) -> np.ndarray:
        nbytes = capacity * self._row_bytes
        first = self._file is None
        if first:
            import tempfile  # only for a long run (not at start-up)

            self._file = tempfile.TemporaryFile(prefix="lrviz-history-", dir=_temp_folder())  # noqa: SIM115 (lives with the column)
        fd = self._file.fileno()
        os.posix_fallocate(fd, 0, nbytes)  # ENOSPC here, not SIGBUS later
        mapped = mmap.mmap(fd, nbytes, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ | mmap.PROT_WRITE)
        array = np.frombuffer(mapped, self._dtype).reshape(capacity, *self._width)
        self._map = mapped
        if first:
            array[:keep] = self.array[:keep]  # the rows held in memory, once
            self.trim()  # that copy touched every page
        return array

    def view(self, rows: int) -> Column:
        """A column of this one's first `rows` rows that shares their memory (no copy): read-only,
        with no room to grow, so an append to it copies first. It gives back the pages of
        the same map (`trim`), and never closes the file (this column owns it)."""
        other = Column(self._dtype, self._width)
        other._map = self._map
        other.array = self.array[:rows]
        other.array.flags.writeable = False
        return other

    def wrote(self, rows: int) -> None:
        """`rows` more rows were written: trim once enough pages may be resident."""
        self._touched(rows * self._row_bytes)

    def read(self, rows: int) -> None:
        """`rows` rows were read in bulk (a digest, a copy, an export): trim as for writing."""
        self._touched(rows * self._row_bytes)

    def read_row(self) -> None:
        """One row was read (`RunHistory.row`): the kernel may have mapped its neighbours too."""
        self._touched(FAULT_AROUND_BYTES)

    def _touched(self, nbytes: int) -> None:
        if self._map is None:
            return
        self._grown_since_trim += nbytes
        if self._grown_since_trim >= TRIM_BYTES:
            self.trim()

    def trim(self) -> None:
        """Give the mapped pages back to the kernel (the data stays in the file)."""
        if self._map is not None:
            self._map.madvise(mmap.MADV_DONTNEED)
            self._grown_since_trim = 0

    def _close(self) -> None:
        # The map itself is closed by its last array (np.frombuffer holds it); the file is
        # unnamed, so closing our descriptor here is all the cleaning there is.
        if self._file is not None:
            self._file.close()
        self._file = None
        self._map = None


__all__ = ["SPILL_BYTES", "TRIM_BYTES", "Column"]
