"""How good is the model: loss, accuracy, confusion matrix, precision/recall/F1 and ROC, at a threshold.

A point counts as predicted class 1 when ŷ = σ(w·x + b) (1-2) reaches the threshold t
(ŷ ≥ t; t = 0.5 is the decision boundary). The threshold only reads the model: training,
the loss and the tutorial's model do not depend on it.

Shapes::

    y          (m,)    labels 0/1 of one set (the training or the test points)
    p          (m,)    ŷ of those points
    confusion  (2, 2)  int: rows the true class, columns the predicted class:
                       [[TN, FP], [FN, TP]] (scikit-learn's confusion_matrix(y, ŷ ≥ t))
    fpr, tpr   (q,)    the ROC curve from (0, 0) to (1, 1): one point per distinct ŷ

Everything here takes any input without raising or warning: an empty set, one class, a
set with no predicted class 1 give None for what is undefined and say why in `notes`
(scikit-learn warns and returns 0 in those cases; lrviz says what happened instead).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.model import LossEvaluator, predict_proba, signed_design
from lrviz.core.per_point import mean_loss, signed_losses

DEFAULT_THRESHOLD = 0.5
MIN_THRESHOLD, MAX_THRESHOLD = 0.01, 0.99


def checked_threshold(threshold: float) -> float:
    """t as a float in [0.01, 0.99]; ValueError otherwise."""
    t = float(threshold)
    if not math.isfinite(t) or not MIN_THRESHOLD <= t <= MAX_THRESHOLD:
        raise ValueError(f"the threshold must be from {MIN_THRESHOLD:g} to {MAX_THRESHOLD:g}, not {t:g}")
    return t


def threshold_logit(threshold: float) -> float:
    """z at which ŷ = t: log(t / (1 − t)); the iso-line ŷ = t is w·x + b = this."""
    t = checked_threshold(threshold)
    return math.log(t / (1.0 - t))


def confusion(y: ArrayLike, p: ArrayLike, threshold: float) -> np.ndarray:
    """[[TN, FP], [FN, TP]] of the points (y, ŷ) at threshold t."""
    y = np.asarray(y) == 1
    predicted = np.asarray(p) >= threshold
    tp = int(np.count_nonzero(y & predicted))
    fn = int(np.count_nonzero(y)) - tp
    fp = int(np.count_nonzero(predicted)) - tp
    tn = len(y) - tp - fn - fp
    return np.array([[tn, fp], [fn, tp]], dtype=np.int64)


def row_shares(matrix: np.ndarray) -> np.ndarray:
    """Each row of a confusion matrix divided by its sum (a row without points: zeros)."""
    totals = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, totals, out=np.zeros(matrix.shape), where=totals > 0)


def cross_entropy(X: ArrayLike, y: ArrayLike, w: ArrayLike, b: float) -> float | None:
    """The mean cross-entropy (2-1) of the points, without the λ penalty; None without points."""
    y = np.asarray(y)
    if not len(y):
        return None
    return mean_loss(X, y, w, b)


class TestLoss:
    """The mean cross-entropy (2-1) of fixed points at many parameter rows: the test loss of a chunk of epochs.

    u = s·z = A θ with A = s [X | 1], s = 1 − 2y (model.signed_design), and the loss of a point is
    softplus(u) = max(u, 0) + log1p(e^−|u|): stable for any finite θ. Few test points: all
    epochs of a chunk at once, in blocks of at most 2²⁰ (point, epoch) pairs (the worker gives
    it whole Trainer.run chunks, thousands of epochs on small data). Many (≥ 512): one pass
    per epoch of the trainer's own LossEvaluator (one exp and no log per point), so the test
    loss costs about what an epoch on that many training points costs.
    """

    __test__ = False  # not a pytest test class, whatever its name

    _PAIRS = 1 << 20
    _PER_EPOCH_FROM = 512  # points from which one LossEvaluator pass per epoch is cheaper

    def __init__(self, X: ArrayLike, y: ArrayLike) -> None:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        self.m = len(y)
        self._A = signed_design(X, y) if self.m else np.empty((0, X.shape[1] + 1))
        self._evaluator = LossEvaluator(X, y) if self.m >= self._PER_EPOCH_FROM else None

    def __call__(self, W: ArrayLike, b: ArrayLike) -> np.ndarray:
        """(k,) losses for W (k, n) and b (k,); ValueError without points."""
        if not self.m:
            raise ValueError("there are no test points")
        thetas = np.column_stack([np.asarray(W, dtype=float), np.asarray(b, dtype=float)]).T  # (p, k)
        k = thetas.shape[1]
        out = np.empty(k)
        step = max(1, self._PAIRS // self.m)
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            if self._evaluator is not None:
                grad = np.empty(thetas.shape[0])
                for j in range(k):
                    out[j] = self._evaluator.evaluate(np.ascontiguousarray(thetas[:, j]), grad)[0]
                return out
            for first in range(0, k, step):
                u = self._A @ thetas[:, first:first + step]  # (m, g)
                losses = np.maximum(u, 0.0) + np.log1p(np.exp(-np.abs(u)))
                out[first:first + step] = np.add.reduce(losses, axis=0) / self.m
        return out


@dataclass(frozen=True)
class SetMetrics:
    """The numbers of one set of points (training or test) at one threshold."""

    name: str  # "training" or "test"
    size: int
    class_counts: tuple[int, int]
    threshold: float
    confusion: np.ndarray  # (2, 2) [[TN, FP], [FN, TP]]
    loss: float | None  # mean cross-entropy (2-1), without the penalty
    accuracy: float | None
    precision: float | None  # of class 1
    recall: float | None
    f1: float | None
    notes: tuple[str, ...] = ()


def set_metrics(name: str, y: ArrayLike, p: ArrayLike, threshold: float, loss: float | None) -> SetMetrics:
    """Accuracy, confusion and precision/recall/F1 of class 1 for labels y and probabilities ŷ at t."""
    y = np.asarray(y)
    matrix = confusion(y, p, threshold)
    (tn, fp), (fn, tp) = matrix.tolist()
    size = len(y)
    notes: list[str] = []
    accuracy = (tn + tp) / size if size else None
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = None
    if precision is not None and recall is not None and precision + recall > 0:
        f1 = 2 * precision * recall / (precision + recall)
    if not size:
        notes.append(f"there are no {name} points")
    else:
        if tp + fn == 0:
            notes.append(f"no {name} point is of class 1: recall and F1 are undefined")
        if tp + fp == 0:
            notes.append(f"no {name} point is predicted class 1 (ŷ ≥ {threshold:g}): precision is undefined")
        elif f1 is None and recall is not None:
            notes.append(f"no {name} point of class 1 is found: F1 is undefined (precision and recall are 0)")
    return SetMetrics(name, size, (tn + fp, fn + tp), float(threshold), matrix, loss, accuracy,
                      precision, recall, f1, tuple(notes))


@dataclass(frozen=True)
class RocCurve:
    """The ROC curve of one set: false- and true-positive rates over every threshold, and its area."""

    source: str  # "test" or "training": the points it was computed on
    fpr: np.ndarray
    tpr: np.ndarray
    thresholds: np.ndarray  # ŷ at each point of the curve after the first (descending); inf first
    auc: float | None
    note: str = ""

    def point_at(self, matrix: np.ndarray) -> tuple[float, float] | None:
        """(FPR, TPR) of a confusion matrix of the same points: where a threshold sits on the curve."""
        (tn, fp), (fn, tp) = matrix.tolist()
        if tn + fp == 0 or tp + fn == 0:
            return None
        return fp / (tn + fp), tp / (tp + fn)


def roc_curve(source: str, y: ArrayLike, p: ArrayLike) -> RocCurve:
    """The ROC curve of (y, ŷ) and its area by the trapezoid rule (ties count half, as in
    scikit-learn's roc_auc_score); with fewer than two classes the area is None and `note` says why."""
    y = np.asarray(y) == 1
    p = np.asarray(p, dtype=float)
    positives = int(np.count_nonzero(y))
    negatives = len(y) - positives
    if not len(y):
        return RocCurve(source, np.empty(0), np.empty(0), np.empty(0), None,
                        f"no {source} points: the ROC curve needs points of both classes")
    if positives == 0 or negatives == 0:
        only = 1 if positives else 0
        return RocCurve(source, np.empty(0), np.empty(0), np.empty(0), None,
                        f"every {source} point is of class {only}: the ROC curve and its AUC are undefined "
                        "(they need points of both classes)")
    p_sorted, ones = _sorted_by_score(p, y)
    # Each temporary goes as soon as it is used: for millions of points each is tens of MB.
    last_of_value = np.flatnonzero(p_sorted[1:] != p_sorted[:-1])  # np.diff's nonzeros, via a bool array
    last_of_value = np.append(last_of_value, len(p_sorted) - 1)
    thresholds = np.empty(len(last_of_value) + 1)
    thresholds[0] = np.inf
    np.take(p_sorted, last_of_value, out=thresholds[1:])
    del p_sorted
    tp = np.cumsum(ones)
    del ones
    tp = tp[last_of_value]
    fp = np.add(last_of_value, 1, out=last_of_value)
    fp -= tp
    tpr, fpr = np.empty(len(thresholds)), np.empty(len(thresholds))
    tpr[0] = fpr[0] = 0.0
    np.divide(tp, positives, out=tpr[1:])
    np.divide(fp, negatives, out=fpr[1:])
    del tp, fp
    steps = np.diff(fpr)  # the trapezoids: diff(fpr) · (tpr[1:] + tpr[:-1]) / 2, in place
    heights = np.add(tpr[1:], tpr[:-1])
    np.multiply(steps, heights, out=steps)
    del heights
    steps /= 2
    auc = float(np.sum(steps))
    return RocCurve(source, fpr, tpr, thresholds, auc)


def _sorted_by_score(p: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ŷ in descending order, and the labels in that order as int8 0/1 (ties in any order:
    the curve counts each run of equal ŷ at its end).

    ŷ in [0, 2) are non-negative doubles whose bit patterns sort as their values and leave the
    top bit free: one int64 sort of (bits << 1 | label) orders both, about ten times faster than
    the stable argsort (which took a second for 4.7 million points). Anything else (NaN) sorts
    the plain way. The key becomes the sorted ŷ in place: one m-long array of 8 bytes beside
    ŷ, not three (38 MB each for 4.7 million points).
    """
    if len(p) >= 2 and np.all(p >= 0.0) and np.all(p < 2.0):  # NaN fails both
        key = (p + 0.0).view(np.int64)  # + 0.0: −0.0 becomes 0.0, whose bits are 0
        np.left_shift(key, 1, out=key)
        key |= y
        key.sort()
        key = key[::-1]
        ones = np.empty(len(key), dtype=np.int8)
        np.bitwise_and(key, 1, out=ones, casting="unsafe")  # 0 or 1: exact in int8
        np.right_shift(key, 1, out=key)
        return key.view(np.float64), ones
    order = np.argsort(-p, kind="stable")
    return p[order], y[order].astype(np.int8)


@dataclass(frozen=True)
class ModelMetrics:
    """Every number of the metrics views for one model (w, b) on split points, at one threshold."""

    train: SetMetrics
    test: SetMetrics
    roc: RocCurve
    roc_point: tuple[float, float] | None  # the threshold's (FPR, TPR) on the ROC's points
    notes: tuple[str, ...] = field(default=())


class SplitScores:
    """ŷ of one model on the training and the test points, computed once; metrics at any threshold.

    Moving the threshold re-counts (O(m)); the ROC curve and the losses are computed once.
    """

    def __init__(self, X: ArrayLike, y: ArrayLike, is_test: ArrayLike, w: ArrayLike, b: float) -> None:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        is_test = np.zeros(len(y), bool) if is_test is None else np.asarray(is_test, dtype=bool)
        split = bool(is_test.any())
        self.y_train, self.y_test = (y[~is_test], y[is_test]) if split else (y, y[:0])
        self.p_train, self.p_test, self.loss_train, self.loss_test = _scored(X, y, is_test if split else None, w, b)
        if len(self.y_test):
            self.roc = roc_curve("test", self.y_test, self.p_test)
        else:
            self.roc = roc_curve("training", self.y_train, self.p_train)

    def at(self, threshold: float) -> ModelMetrics:
        t = float(threshold)
        train = set_metrics("training", self.y_train, self.p_train, t, self.loss_train)
        test = set_metrics("test", self.y_test, self.p_test, t, self.loss_test)
        on_test = self.roc.source == "test"
        roc_point = self.roc.point_at((test if on_test else train).confusion)
        notes = () if len(self.y_test) else (
            "no test points: the ROC curve is of the training points (set a test share, or press T on a point)",)
        return ModelMetrics(train, test, self.roc, roc_point, notes)


_SCORE_ROWS = 1 << 16  # rows per block of `_scored`: each NumPy call is short, its temporaries small


def _scored(X: np.ndarray, y: np.ndarray, is_test: np.ndarray | None, w: ArrayLike,
            b: float) -> tuple[np.ndarray, np.ndarray, float | None, float | None]:
    """(ŷ of the training points, ŷ of the test points, their mean losses (2-1) or None).

    Block by block, with the formulas of predict_proba and per_point: no (m, 3) design
    matrix or gradient for the whole set (per_point's took about 500 MB at 4.7 million
    points), and a thread that runs it holds the GIL only between short NumPy calls.
    """
    m = len(y)
    w = np.asarray(w, dtype=float).reshape(-1)
    tested = 0 if is_test is None else int(np.count_nonzero(is_test))
    p_train, p_test = np.empty(m - tested), np.empty(tested)
    sums: tuple[list[float], list[float]] = ([], [])
    filled = [0, 0]
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for start in range(0, m, _SCORE_ROWS):
            rows = slice(start, start + _SCORE_ROWS)
            loss = signed_losses(signed_design(X[rows], y[rows]), w, b)[2]  # each point's loss (2-1)
            p = predict_proba(X[rows], w, b)
            parts = (slice(None), None) if is_test is None else (~is_test[rows], is_test[rows])
            for k, (chosen, out) in enumerate(zip(parts, (p_train, p_test))):
                if chosen is None:
                    continue
                part = p[chosen]
                out[filled[k]:filled[k] + len(part)] = part
                filled[k] += len(part)
                sums[k].append(float(np.add.reduce(loss[chosen])))
    losses = [math.fsum(total) / count if count else None for total, count in zip(sums, (m - tested, tested))]
    return p_train, p_test, losses[0], losses[1]


def evaluate(X: ArrayLike, y: ArrayLike, is_test: ArrayLike | None, w: ArrayLike, b: float,
             threshold: float = DEFAULT_THRESHOLD) -> ModelMetrics:
    """All metrics of (w, b) on points split by `is_test` (None: every point trains) at `threshold`."""
    return SplitScores(X, y, is_test, w, b).at(threshold)


__all__ = ["DEFAULT_THRESHOLD", "MAX_THRESHOLD", "MIN_THRESHOLD", "ModelMetrics", "RocCurve", "SetMetrics",
           "SplitScores", "TestLoss", "checked_threshold", "confusion", "cross_entropy", "evaluate", "roc_curve",
           "row_shares", "set_metrics", "threshold_logit"]
