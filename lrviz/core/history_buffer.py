"""A growing record of every epoch, stored in preallocated NumPy arrays.

The window appends a batch of epochs ~30 times a second, possibly for a million epochs;
doubling the capacity keeps each append amortised O(batch) and the views cheap.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

_INITIAL_CAPACITY = 1024


class HistoryBuffer:
    """Epoch, w, b, loss and gradient norm of every epoch so far; the views are read-only."""

    def __init__(self, n_features: int = 2) -> None:
        self._n = n_features
        self._size = 0
        self._allocate(_INITIAL_CAPACITY)

    def _allocate(self, capacity: int) -> None:
        old = getattr(self, "_epochs", None)
        epochs = np.empty(capacity, np.int64)
        W = np.empty((capacity, self._n))
        b, loss, grad_norm = np.empty(capacity), np.empty(capacity), np.empty(capacity)
        if old is not None:
            size = self._size
            epochs[:size], W[:size] = self._epochs[:size], self._W[:size]
            b[:size], loss[:size] = self._b[:size], self._loss[:size]
            grad_norm[:size] = self._grad_norm[:size]
        self._epochs, self._W, self._b, self._loss, self._grad_norm = epochs, W, b, loss, grad_norm

    def append(self, epochs: ArrayLike, W: ArrayLike, b: ArrayLike, loss: ArrayLike,
               grad_norm: ArrayLike) -> None:
        """Add consecutive epochs that follow the last one."""
        epochs = np.asarray(epochs, dtype=np.int64).reshape(-1)
        k = len(epochs)
        if k == 0:
            return
        if self._size and epochs[0] != self._epochs[self._size - 1] + 1:
            raise ValueError(f"epoch {epochs[0]} does not follow epoch {self._epochs[self._size - 1]}")
        if self._size + k > len(self._epochs):
            self._allocate(max(2 * len(self._epochs), self._size + k))
        end = self._size + k
        self._epochs[self._size:end] = epochs
        self._W[self._size:end] = np.asarray(W, dtype=float).reshape(k, self._n)
        self._b[self._size:end] = b
        self._loss[self._size:end] = loss
        self._grad_norm[self._size:end] = grad_norm
        self._size = end

    def clear(self) -> None:
        self._size = 0
        if len(self._epochs) > _INITIAL_CAPACITY:
            self._allocate(_INITIAL_CAPACITY)

    def truncate_after(self, epoch: int) -> None:
        """Drop every epoch after `epoch` (keeps epochs ≤ epoch)."""
        self._size = int(np.searchsorted(self._epochs[: self._size], epoch, side="right"))

    def __len__(self) -> int:
        return self._size

    @property
    def last_epoch(self) -> int:
        """The newest epoch; -1 when empty."""
        return int(self._epochs[self._size - 1]) if self._size else -1

    def _view(self, array: np.ndarray) -> np.ndarray:
        view = array[: self._size]
        view.flags.writeable = False
        return view

    @property
    def epochs(self) -> np.ndarray:
        return self._view(self._epochs)

    @property
    def W(self) -> np.ndarray:
        return self._view(self._W)

    @property
    def b(self) -> np.ndarray:
        return self._view(self._b)

    @property
    def loss(self) -> np.ndarray:
        return self._view(self._loss)

    @property
    def grad_norm(self) -> np.ndarray:
        return self._view(self._grad_norm)
