"""The train/test split and the metrics: equal to scikit-learn's, reproducible, degenerate cases explained."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    precision_recall_fscore_support,
    roc_auc_score,
)

from lrviz.core.dataset import Dataset, make_preset
from lrviz.core.history import RunHistory
from lrviz.core.metrics import evaluate, roc_curve, row_shares, threshold_logit
from lrviz.core.model import loss_and_gradient, predict_proba
from lrviz.core.run import Run, trainer_at
from lrviz.core.split import held_out_counts, stratified_split


# -- the split -------------------------------------------------------------------------------------
def test_same_seed_same_split_other_seed_other_split():
    y = make_preset("overlapping", 101, seed=3).y
    first = stratified_split(y, 0.3, seed=7)
    assert np.array_equal(first, stratified_split(y, 0.3, seed=7))
    assert not np.array_equal(first, stratified_split(y, 0.3, seed=8))


@settings(max_examples=80, deadline=None)
@given(n0=st.integers(0, 60), n1=st.integers(0, 60), share=st.floats(0, 0.5), seed=st.integers(0, 2**31 - 1))
def test_split_is_stratified_within_one_point_per_class(n0, n1, share, seed):
    y = np.random.default_rng(seed).permutation(np.r_[np.zeros(n0, int), np.ones(n1, int)])
    is_test = stratified_split(y, share, seed)
    for label, n in ((0, n0), (1, n1)):
        held = int(np.count_nonzero(is_test & (y == label)))
        assert abs(held - share * n) < 1
        if n:
            assert held < n  # training keeps every class
    assert held_out_counts(y, share) == (np.count_nonzero(is_test & (y == 0)), np.count_nonzero(is_test & (y == 1)))


def test_share_zero_trains_on_every_point_and_bad_values_are_refused():
    y = np.array([0, 1, 0, 1])
    assert not stratified_split(y, 0.0, 1).any()
    for share in (-0.1, 0.51, float("nan")):
        with pytest.raises(ValueError, match="0 % to 50 %"):
            stratified_split(y, share, 0)
    with pytest.raises(ValueError, match="seed"):
        stratified_split(y, 0.2, -1)


def test_the_split_lives_in_the_data_and_follows_every_edit():
    data = Dataset([[0, 0], [1, 1], [2, 2]], [0, 1, 0], is_test=[False, True, False])
    data.insert(1, 5, 5, 1)  # points added later train
    assert data.is_test.tolist() == [False, False, True, False]
    data.insert(0, 6, 6, 0, is_test=True)
    assert data.is_test.tolist() == [True, False, False, True, False]
    data.remove(3)
    assert data.is_test.tolist() == [True, False, False, False]
    copy = data.copy()
    assert copy == data and np.array_equal(copy.is_test, data.is_test)
    copy.set_test(1, True)
    assert copy != data
    data.clear()
    assert data.is_test.shape == (0,)
    with pytest.raises(ValueError, match="true/false"):
        Dataset([[0, 0]], [1], is_test=[0.5])


def test_training_uses_the_training_points_only():
    data = make_preset("overlapping", 40, seed=1)
    run = Run(data)
    run.set_split(stratified_split(data.y, 0.25, seed=2))
    snapshot = run.snapshot()
    assert snapshot.has_test and len(snapshot.train_y) == 30 and len(snapshot.test_y) == 10
    run.append_epochs([0], np.zeros((1, 3)), [np.log(2)], [0.0], 0.1, 0.0, run.revision)
    trainer = trainer_at(run, 0)
    expected = loss_and_gradient(snapshot.train_X, snapshot.train_y, np.zeros(2), 0.0)[0]
    assert trainer.current.loss == pytest.approx(expected, rel=1e-14)
    revision = run.revision
    run.set_split(run.points.is_test)  # the same split: no new revision
    assert run.revision == revision
    run.set_split(np.zeros(40, bool))
    assert run.revision == revision + 1 and not run.snapshot().has_test


# -- the metrics ------------------------------------------------------------------------------------
def _model_and_points(seed: int, m: int = 80):
    data = make_preset("overlapping", m, noise=0.2, seed=seed)
    rng = np.random.default_rng(seed)
    w, b = rng.normal(size=2) * 2, float(rng.normal())
    return data.X, data.y, stratified_split(data.y, 0.3, seed), w, b


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("threshold", [0.01, 0.2, 0.5, 0.77, 0.99])
def test_metrics_equal_scikit_learn(seed, threshold):
    X, y, is_test, w, b = _model_and_points(seed)
    metrics = evaluate(X, y, is_test, w, b, threshold)
    for part, mask in ((metrics.train, ~is_test), (metrics.test, is_test)):
        truth = y[mask]
        predicted = (predict_proba(X[mask], w, b) >= threshold).astype(int)
        assert part.accuracy == pytest.approx(accuracy_score(truth, predicted), abs=1e-15)
        assert np.array_equal(part.confusion, confusion_matrix(truth, predicted, labels=[0, 1]))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scikit-learn warns where lrviz says "undefined"
            p, r, f, _ = precision_recall_fscore_support(truth, predicted, average="binary", zero_division=0)
        assert (part.precision if part.precision is not None else 0.0) == pytest.approx(p, abs=1e-15)
        assert (part.recall if part.recall is not None else 0.0) == pytest.approx(r, abs=1e-15)
        assert (part.f1 if part.f1 is not None else 0.0) == pytest.approx(f, abs=1e-15)
        assert part.class_counts == (int(np.sum(truth == 0)), int(np.sum(truth == 1)))
        assert part.loss == pytest.approx(loss_and_gradient(X[mask], truth, w, b)[0], rel=1e-13)
    auc = roc_auc_score(y[is_test], predict_proba(X[is_test], w, b))
    assert metrics.roc.source == "test" and metrics.roc.auc == pytest.approx(auc, abs=1e-14)
    (tn, fp), (fn, tp) = metrics.test.confusion.tolist()
    assert metrics.roc_point == pytest.approx((fp / (fp + tn), tp / (tp + fn)))
    shares = row_shares(metrics.test.confusion)
    assert np.allclose(shares.sum(axis=1), 1.0)


def test_roc_with_ties_equals_scikit_learn():
    y = np.array([0, 1, 0, 1, 1, 0, 1, 0])
    p = np.array([0.2, 0.2, 0.5, 0.5, 0.9, 0.1, 0.9, 0.9])
    roc = roc_curve("test", y, p)
    assert roc.auc == pytest.approx(roc_auc_score(y, p), abs=1e-15)
    assert roc.fpr[0] == roc.tpr[0] == 0 and roc.fpr[-1] == roc.tpr[-1] == 1
    assert np.all(np.diff(roc.fpr) >= 0) and np.all(np.diff(roc.tpr) >= 0)


def test_without_a_split_the_roc_is_of_the_training_points():
    X, y, _is_test, w, b = _model_and_points(2)
    metrics = evaluate(X, y, None, w, b)
    assert metrics.roc.source == "training"
    assert metrics.roc.auc == pytest.approx(roc_auc_score(y, predict_proba(X, w, b)), abs=1e-14)
    assert metrics.test.size == 0 and metrics.test.accuracy is None
    assert "no test points" in metrics.notes[0] and "no test points" in metrics.test.notes[0]


def test_moving_the_threshold_changes_counts_exactly_where_points_cross_it():
    X, y, is_test, w, b = _model_and_points(4, m=120)
    p = predict_proba(X[~is_test], w, b)
    thresholds = np.linspace(0.01, 0.99, 197)
    before = evaluate(X, y, is_test, w, b, thresholds[0]).train.confusion
    for low, high in zip(thresholds[:-1], thresholds[1:]):
        after = evaluate(X, y, is_test, w, b, high).train.confusion
        crossing = (p >= low) & (p < high)  # these stop counting as class 1
        crossed = np.bincount(y[~is_test][crossing], minlength=2)
        assert after[0, 1] == before[0, 1] - crossed[0] and after[0, 0] == before[0, 0] + crossed[0]
        assert after[1, 1] == before[1, 1] - crossed[1] and after[1, 0] == before[1, 0] + crossed[1]
        before = after
    # exactly at a point's ŷ it counts as class 1; just above, as class 0
    t = float(np.sort(p[(p > 0.02) & (p < 0.98)])[0])
    at, above = (evaluate(X, y, is_test, w, b, v).train.confusion for v in (t, np.nextafter(t, 1)))
    assert at[:, 1].sum() == above[:, 1].sum() + np.count_nonzero(p == t)


def test_the_iso_line_of_a_threshold_is_where_y_hat_equals_it():
    w, b = np.array([1.5, -0.5]), 0.25
    for t in (0.01, 0.3, 0.5, 0.9):
        z = threshold_logit(t)
        x1 = (z - b) / w[0]  # a point of w·x + b = z with x2 = 0
        assert predict_proba(np.array([[x1, 0.0]]), w, b)[0] == pytest.approx(t, rel=1e-12)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("case", ["one-class test", "empty test", "two points", "one class", "no points",
                                  "none predicted"])
def test_degenerate_cases_explain_and_never_raise(case):
    w, b = np.array([1.0, 0.0]), 0.0
    if case == "one-class test":
        X, y, is_test = [[0, 0], [1, 1], [2, 2], [3, 3]], [0, 1, 0, 1], [False, True, False, False]
    elif case == "empty test":
        X, y, is_test = [[0, 0], [1, 1]], [0, 1], [False, False]
    elif case == "two points":
        X, y = [[0, 0], [1, 1]], [0, 1]
        is_test = stratified_split(np.array(y), 0.5, 0)
        assert not is_test.any()  # each class keeps its one point for training
    elif case == "one class":
        X, y, is_test = [[0, 0], [1, 1], [2, 2]], [1, 1, 1], [False, True, False]
    elif case == "no points":
        X, y, is_test = np.empty((0, 2)), np.empty(0, int), np.empty(0, bool)
    else:
        X, y, is_test = [[-3, 0], [-2, 0], [-1, 0]], [0, 1, 0], None
    metrics = evaluate(np.asarray(X, float), np.asarray(y), is_test, w, b, 0.5)
    text = " ".join(metrics.notes + metrics.train.notes + metrics.test.notes + (metrics.roc.note,))
    if case in ("one-class test", "one class"):
        assert metrics.roc.auc is None and "AUC" in metrics.roc.note and "undefined" in metrics.roc.note
    if case in ("empty test", "two points"):
        assert metrics.test.accuracy is None and "no test points" in text
    if case == "no points":
        assert metrics.train.accuracy is None and metrics.roc.auc is None
    if case == "none predicted":
        assert metrics.train.precision is None and "precision is undefined" in text
        assert metrics.train.accuracy == pytest.approx(2 / 3)


# -- the test loss in the history ------------------------------------------------------------------------
def test_history_keeps_the_test_loss_only_where_a_test_set_existed():
    history = RunHistory()
    history.append([0, 1], np.zeros((2, 3)), [0.7, 0.6], [1, 1], 0.1, 0.0, 0)
    assert not history.has_test_loss and history.row(1).test_loss is None
    history.append([2, 3, 4], np.zeros((3, 3)), [0.5, 0.4, 0.3], [1, 1, 1], 0.1, 0.0, 1,
                   test_loss=[0.9, 0.8, 0.7], tested=[True, True, False])
    assert history.has_test_loss
    assert history.row(2).test_loss == 0.9 and history.row(4).test_loss is None
    epochs, values = history.test_loss_series()
    assert epochs.tolist() == [2, 3] and values.tolist() == [0.9, 0.8]
    copy = history.copy()
    assert copy == history and copy.test_loss_series()[1].tolist() == [0.9, 0.8]
    tail = history.tail(2)
    assert tail.tested.tolist() == [True, False]
    history.truncate_after(1)
    assert not history.has_test_loss
    history.append([2], np.zeros((1, 3)), [0.5], [1], 0.1, 0.0, 1)
    history.extend(tail)
    assert history.test_loss_series()[0].tolist() == [3]


def test_the_test_loss_of_more_epochs_than_one_tile_holds():
    """The worker scores every epoch of a Trainer.run() chunk at once; chunks reach 100,000 epochs."""
    from lrviz.core.batched import BatchedEvaluator
    data = make_preset("overlapping", 20, seed=3)
    thetas = np.random.default_rng(0).normal(size=(3, 10_001))
    losses = BatchedEvaluator(data.X, data.y).loss(thetas)
    for k in (0, 6_553, 6_554, 10_000):
        expected = loss_and_gradient(data.X, data.y, thetas[:2, k], thetas[2, k])[0]
        assert losses[k] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("m", [1, 30, 511, 512, 5000])
def test_test_loss_of_a_chunk_of_epochs_equals_the_loss_function(m):
    from lrviz.core.metrics import TestLoss
    data = make_preset("overlapping", m, seed=m)
    rng = np.random.default_rng(m)
    W, b = rng.normal(size=(300, 2)) * 3, rng.normal(size=300)
    W[0], b[0] = 0.0, 0.0
    losses = TestLoss(data.X, data.y)(W, b)
    assert losses[0] == pytest.approx(np.log(2), rel=1e-14)
    for k in (0, 1, 150, 299):
        assert losses[k] == pytest.approx(loss_and_gradient(data.X, data.y, W[k], b[k])[0], rel=1e-12)
