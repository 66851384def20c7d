"""The train/test split: which points training uses, and which are kept back to test the model.

A split is one boolean per point (`is_test`), stored with the points (Dataset.is_test), so it
is part of the data: saved, undone and recomputed like a coordinate. `stratified_split` makes
one from a test share and a seed:

- stratified: each class gives round(share · its count) test points (so the test set's class
  shares are those of the whole set within one point per class), but never all of its points,
  so training always sees every class that exists;
- reproducible: the same labels, share and seed give the same split, on any machine (NumPy's
  PCG64 `default_rng(seed)`, one permutation per class, class 0 first).

Points added later are training points; the user can move any one point to the other set.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.wording import counted

MAX_TEST_SHARE = 0.5


def checked_share(share: float) -> float:
    """The test share as a float in [0, 0.5]; ValueError otherwise (the message gives the range)."""
    share = float(share)
    if not math.isfinite(share) or not 0.0 <= share <= MAX_TEST_SHARE:
        raise ValueError(f"the test share must be from 0 to {MAX_TEST_SHARE:g} (0 % to 50 %), not {share:g}")
    return share


def held_out_counts(y: ArrayLike, share: float) -> tuple[int, int]:
    """How many points of class 0 and of class 1 a stratified split at `share` puts in the test set."""
    y = np.asarray(y)
    share = checked_share(share)
    counts = []
    for label in (0, 1):
        n = int(np.count_nonzero(y == label))
        # round half up (not NumPy's half to even), and keep at least one training point per class
        counts.append(min(math.floor(share * n + 0.5), max(n - 1, 0)))
    return counts[0], counts[1]


def stratified_split(y: ArrayLike, share: float, seed: int = 0) -> np.ndarray:
    """`is_test` (m,) bool: a stratified random test set of about `share` of the points, from `seed`."""
    y = np.asarray(y)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"the split seed must be a whole number ≥ 0, not {seed!r}")
    is_test = np.zeros(len(y), dtype=bool)
    rng = np.random.default_rng(int(seed))
    for label, count in zip((0, 1), held_out_counts(y, share)):
        members = np.flatnonzero(y == label)
        is_test[rng.permutation(members)[:count]] = True
    return is_test


def split_summary(y: ArrayLike, is_test: ArrayLike) -> str:
    """One line for the user: how many points of each class train and test."""
    y = np.asarray(y)
    is_test = np.asarray(is_test, dtype=bool)
    train, test = y[~is_test], y[is_test]
    if not len(y):
        return "no points yet"
    if not len(test):
        return "the one point trains (no test set)" if len(y) == 1 else f"all {counted(len(y), 'point')} train (no test set)"
    return (f"train {len(train):,} ({np.count_nonzero(train == 0):,} + {np.count_nonzero(train == 1):,}), "
            f"test {len(test):,} ({np.count_nonzero(test == 0):,} + {np.count_nonzero(test == 1):,})")


__all__ = ["MAX_TEST_SHARE", "checked_share", "held_out_counts", "split_summary", "stratified_split"]
