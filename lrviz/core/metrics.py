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
from lrviz.core.per_point import mean_loss

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
    # Equal ŷ form one group (last_of_value below), whose order inside does not change the
    # counts at its end: the default sort (AVX-512 where there is one) serves, ~7x faster
    # than a stable one on 10⁴ points, at every new epoch the metrics show while training.
    order = np.argsort(-p)
    p_sorted, y_sorted = p[order], y[order]
    last_of_value = np.r_[np.flatnonzero(np.diff(p_sorted)), len(p_sorted) - 1]
    tp = np.cumsum(y_sorted)[last_of_value]
    fp = (last_of_value + 1) - tp
    tpr = np.r_[0.0, tp / positives]
    fpr = np.r_[0.0, fp / negatives]
    auc = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
    return RocCurve(source, fpr, tpr, np.r_[np.inf, p_sorted[last_of_value]], auc)


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
        self.y_train, self.y_test = y[~is_test], y[is_test]
        p = predict_proba(X, w, b) if len(y) else np.empty(0)
        self.p_train, self.p_test = p[~is_test], p[is_test]
        self.loss_train = cross_entropy(X[~is_test], self.y_train, w, b)
        self.loss_test = cross_entropy(X[is_test], self.y_test, w, b)
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


def evaluate(X: ArrayLike, y: ArrayLike, is_test: ArrayLike | None, w: ArrayLike, b: float,
             threshold: float = DEFAULT_THRESHOLD) -> ModelMetrics:
    """All metrics of (w, b) on points split by `is_test` (None: every point trains) at `threshold`."""
    return SplitScores(X, y, is_test, w, b).at(threshold)


__all__ = ["DEFAULT_THRESHOLD", "MAX_THRESHOLD", "MIN_THRESHOLD", "ModelMetrics", "RocCurve", "SetMetrics",
           "SplitScores", "TestLoss", "checked_threshold", "confusion", "cross_entropy", "evaluate", "roc_curve",
           "row_shares", "set_metrics", "threshold_logit"]
