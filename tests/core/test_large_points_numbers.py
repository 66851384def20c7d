"""The numbers of many points, computed the lean way, are the numbers of the direct formulas (issue 18).

SplitScores works in blocks and sorts once; the step-size bound skips [X | 1]; the data
warning and the view's fit read cached bounds. Each is checked against scikit-learn or the
plain NumPy formula on sets larger than one block, with and without a test split.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import log_loss, roc_auc_score, roc_curve

from lrviz.core.dataset import Dataset
from lrviz.core.diagnostics import data_warning
from lrviz.core.metrics import _SCORE_ROWS, SplitScores, _sorted_by_score
from lrviz.core.model import predict_proba
from lrviz.core.step_size import step_size_bound


def _points(m: int, seed: int, ties: bool = False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, 2)) * [3.0, 0.5] + [1.0, -2.0]
    if ties:
        X = np.round(X, 1)  # many equal ŷ: the ROC curve has one point per distinct value
    y = (X[:, 0] - 2 * X[:, 1] + rng.normal(size=m) > 4).astype(np.int8)
    return X, y


@pytest.mark.parametrize("share, ties", [(0.0, False), (0.3, True), (0.3, False)])
def test_split_scores_of_several_blocks_match_scikit_learn(share, ties):
    m = 2 * _SCORE_ROWS + 123
    X, y = _points(m, 1, ties)
    is_test = np.random.default_rng(2).random(m) < share
    w, b = np.array([0.7, -1.3]), -2.5
    scores = SplitScores(X, y, is_test, w, b)
    p = predict_proba(X, w, b)
    train, test = ~is_test, is_test
    np.testing.assert_array_equal(scores.p_train, p[train])
    np.testing.assert_array_equal(scores.p_test, p[test])
    assert scores.loss_train == pytest.approx(log_loss(y[train], p[train], labels=[0, 1]), rel=1e-12)
    if share:
        assert scores.loss_test == pytest.approx(log_loss(y[test], p[test], labels=[0, 1]), rel=1e-12)
    else:
        assert scores.loss_test is None and len(scores.p_test) == 0
    chosen = test if share else train
    fpr, tpr, thresholds = roc_curve(y[chosen], p[chosen], drop_intermediate=False)
    np.testing.assert_allclose(scores.roc.fpr, fpr, rtol=0, atol=1e-15)
    np.testing.assert_allclose(scores.roc.tpr, tpr, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(scores.roc.thresholds[1:], thresholds[1:])
    assert scores.roc.auc == pytest.approx(roc_auc_score(y[chosen], p[chosen]), abs=1e-12)
    metrics = scores.at(0.4)
    predicted = p >= 0.4
    assert metrics.train.confusion[1, 1] == np.count_nonzero(predicted & train & (y == 1))
    assert metrics.train.confusion[0, 1] == np.count_nonzero(predicted & train & (y == 0))


def test_the_one_sort_orders_scores_and_labels_as_the_stable_argsort_does():
    rng = np.random.default_rng(3)
    p = np.r_[rng.random(5000), np.zeros(7), -0.0, np.ones(9), np.full(11, 0.25)]
    y = rng.integers(0, 2, len(p)).astype(bool)
    scores, labels = _sorted_by_score(p, y)
    order = np.argsort(-p, kind="stable")
    np.testing.assert_array_equal(scores, p[order])  # −0.0 sorts as 0.0
    # within a run of equal ŷ the labels may come in any order: their counts agree at each run's end
    ends = np.r_[np.flatnonzero(np.diff(p[order])), len(p) - 1]
    np.testing.assert_array_equal(np.cumsum(labels)[ends], np.cumsum(y[order])[ends])
    assert labels.dtype == np.int8


def test_the_one_sort_holds_one_key_beside_the_scores():
    """The key turns into the sorted ŷ in place: its temporaries are one int64 key and the
    int8 labels (the key, its shift and its low bit, three int64 arrays, before)."""
    from tests.memory_helpers import traced

    rng = np.random.default_rng(8)
    p = rng.random(1_000_000)
    y = rng.integers(0, 2, len(p)).astype(bool)
    (scores, labels), _, peak = traced(lambda: _sorted_by_score(p, y))
    np.testing.assert_array_equal(scores, np.sort(p)[::-1])
    assert peak < 1.3 * p.nbytes, (peak, p.nbytes)


def test_scores_outside_zero_to_two_sort_the_plain_way():
    p = np.array([0.5, np.nan, 3.0, 0.1, -1.0])
    y = np.array([True, False, True, False, True])
    scores, labels = _sorted_by_score(p, y)
    order = np.argsort(-p, kind="stable")
    np.testing.assert_array_equal(scores, p[order])
    np.testing.assert_array_equal(labels, y[order])


@pytest.mark.parametrize("scale, offset", [(1.0, 0.0), (1e3, 5e4), (1e-3, -7.0)])
def test_step_size_bound_without_the_design_matrix_is_the_eigenvalue_of_it(scale, offset):
    X = np.random.default_rng(4).normal(size=(30_000, 2)) * scale + offset
    A = np.column_stack([X, np.ones(len(X))])
    want = np.linalg.eigvalsh(A.T @ A)[-1] / (4 * len(X)) + 0.01
    assert step_size_bound(X, 0.01).lipschitz == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("X", [np.array([[1.0, 2.0]] * 5), np.array([[0.0, 0.0], [0.0, 1.0], [-0.0, 0.0]]),
                               np.array([[3e4, 1.0], [1.0, 2.0], [0.0, -5e3]])])
def test_data_warning_from_bounds_is_the_warning_from_the_points(X):
    y = np.arange(len(X)) % 2
    data = Dataset(X, y)
    for standardize in (False, True):
        assert data_warning(X, y, standardize, data.bounds()) == data_warning(X, y, standardize)


def test_bounds_follow_every_edit():
    data = Dataset([[0.0, 0.0], [2.0, -1.0]], [0, 1])
    assert [b.tolist() for b in data.bounds()] == [[0.0, -1.0], [2.0, 0.0]]
    twin = data.copy()
    data.move(0, 5.0, 5.0)
    assert [b.tolist() for b in data.bounds()] == [[2.0, -1.0], [5.0, 5.0]]
    assert [b.tolist() for b in twin.bounds()] == [[0.0, -1.0], [2.0, 0.0]]
    data.add(-9.0, 0.0, 1)
    assert data.bounds()[0].tolist() == [-9.0, -1.0]
    data.remove(2)
    assert data.bounds()[0].tolist() == [2.0, -1.0]
    data.insert(0, 1.0, 99.0, 0)
    assert data.bounds()[1].tolist() == [5.0, 99.0]
    data.clear()
    with pytest.raises(ValueError):
        data.bounds()
