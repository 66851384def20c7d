"""Plain-language warnings about a point set that gradient descent cannot learn well.

The window shows the first one that applies; nothing here stops training: a learner
may want to see what happens anyway.
"""

from __future__ import annotations

import numpy as np

LARGE_COORDINATE = 1e3  # beyond this, α·x makes steps far too big without standardizing
_DUPLICATE_CHECK_LIMIT = 100_000  # np.unique over rows gets slow beyond this


def data_warning(X: np.ndarray, y: np.ndarray, standardize: bool,
                 bounds: tuple[np.ndarray, np.ndarray] | None = None) -> str:
    """The most important problem with these points for training, or "" when there is none.

    `bounds`: each coordinate's (low, high) when known (Dataset.bounds): then no pass over X is needed."""
    m = len(y)
    if m == 0:
        return "No points yet: click in the plot to place some, or pick a data set in the Data menu."
    n1 = int(np.count_nonzero(y))
    if m == 1:
        return ("Only one point: the loss falls towards 0 by pushing its ŷ towards its label, and there "
                "is no boundary to learn. Add points of both classes.")
    if n1 == 0 or n1 == m:
        missing = 1 if n1 == 0 else 0
        return (f"Only one class: the loss falls towards 0 by pushing every ŷ the same way, and there "
                f"is no boundary to learn. Add points of class {missing}.")
    low, high = bounds if bounds is not None else (X.min(axis=0), X.max(axis=0))
    if np.all(low == high):  # every coordinate has one value: all points at one place
        return (f"All points are at one place: no line can separate them. The best a model can do is "
                f"ŷ = {n1 / m:.3g} (the share of class 1) everywhere; w has nothing to learn from.")
    if m <= _DUPLICATE_CHECK_LIMIT and _has_conflicting_duplicates(X, y):
        return ("Some points of both classes sit at exactly the same place: no model can classify "
                "all of them correctly, so accuracy stays below 100 %.")
    largest = float(max(np.max(np.abs(low)), np.max(np.abs(high))))  # max |x| over all points
    if largest > LARGE_COORDINATE and not standardize:
        return (f"Coordinates reach {largest:.3g}: each gradient step is about α·x, far too large, so "
                f"training overshoots or diverges. Turn on “standardize features” (then Reset), or "
                f"lower the learning rate a lot.")
    return ""


def _has_conflicting_duplicates(X: np.ndarray, y: np.ndarray) -> bool:
    _, group = np.unique(X, axis=0, return_inverse=True)
    group = group.reshape(-1)
    has0 = np.zeros(group.max() + 1, bool)
    has1 = np.zeros(group.max() + 1, bool)
    has0[group[y == 0]] = True
    has1[group[y == 1]] = True
    return bool(np.any(has0 & has1))


SEPARABLE_HINT = ("The classes are linearly separable and λ = 0: the loss keeps falling towards 0 and "
                  "‖w‖ grows without bound, so ŷ becomes ever steeper and the boundary never settles. "
                  "Set λ > 0 for a finite optimum.")
