"""φ(X) of the last point set a view asked for, kept while the points and the map stay.

The read-out's accuracy and the metrics of the shown epoch are recomputed for each new epoch
(at every slow frame while training runs), on the same points: mapping them again each time
(degree 3: nine columns of 10⁴ points, ~1 ms) was a good part of what those views cost the
GUI thread, which holds the GIL the training thread needs meanwhile. A MappedCache compares
the points by value (a few microseconds for 10⁴ points), so an edit, another split or other
points of another revision are never answered from the cache; the identity map (x itself)
and very large sets are not kept (nothing to save, or too much memory to hold twice).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.features import FeatureMap
from lrviz.core.model_trainer import feature_map, mapped
from lrviz.core.settings import TrainingSettings

MAX_KEPT_BYTES = 32 * 2**20  # φ(X) larger than this is mapped afresh each time, as before


class MappedCache:
    """`get(X, settings)` = `model_trainer.mapped(X, settings)`, from a one-entry cache."""

    def __init__(self, max_bytes: int = MAX_KEPT_BYTES) -> None:
        self._max_bytes = int(max_bytes)
        self._phi: FeatureMap | None = None
        self._X: np.ndarray | None = None
        self._mapped: np.ndarray | None = None

    def get(self, X: ArrayLike, settings: TrainingSettings) -> np.ndarray:
        """φ(X), read-only when it comes from (or goes into) the cache; ValueError as `mapped`."""
        phi = feature_map(settings)
        X = np.asarray(X, dtype=float)
        if phi.is_identity:
            return mapped(X, settings)
        if (self._mapped is not None and phi == self._phi and self._X.shape == X.shape
                and np.array_equal(self._X, X)):
            return self._mapped
        Z = mapped(X, settings)
        if Z.nbytes <= self._max_bytes:
            Z.flags.writeable = False  # shared by every caller: nobody may change it
            self._phi, self._X, self._mapped = phi, X.copy(), Z
        return Z


__all__ = ["MAX_KEPT_BYTES", "MappedCache"]
