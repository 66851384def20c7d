"""The Trainer: the tutorial's updates, records aligned with their loss, stop rules, scikit-learn's optimum."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from lrviz.core import (
    STOP_CONVERGED,
    STOP_DIVERGED,
    STOP_MAX_EPOCHS,
    Trainer,
    loss_and_gradient,
)


def overlapping(m=120, seed=0, shift=(3.0, -1.0)):
    rng = np.random.default_rng(seed)
    X0 = rng.normal(size=(m // 2, 2))
    X1 = rng.normal(size=(m - m // 2, 2)) * 1.3 + np.array([1.5, 1.0])
    X = np.vstack([X0, X1]) + np.array(shift)
    y = np.r_[np.zeros(m // 2, int), np.ones(m - m // 2, int)]
    return X, y


def test_epoch_zero_is_the_tutorials_start():
    X, y = overlapping()
    trainer = Trainer(X, y)
    record = trainer.current
    assert record.epoch == 0
    np.testing.assert_array_equal(record.w, [0.0, 0.0])
    assert record.b == 0.0
    assert record.loss == pytest.approx(math.log(2), rel=1e-15)


def test_one_step_is_the_tutorials_update():
    X, y = overlapping()
    trainer = Trainer(X, y, learning_rate=0.5)
    w, b = np.array([0.0, 0.0]), 0.0
    for _ in range(5):
        yhat = 1 / (1 + np.exp(-(X @ w + b)))
        w, b = w - 0.5 * X.T @ (yhat - y) / len(y), b - 0.5 * np.mean(yhat - y)  # (4-2), (4-3)
        record = trainer.step()
        np.testing.assert_allclose(record.w, w, rtol=1e-12)
        assert record.b == pytest.approx(b, rel=1e-12, abs=0)


def test_every_record_holds_the_loss_at_its_own_parameters():
    X, y = overlapping()
    trainer = Trainer(X, y, learning_rate=0.3, l2=0.05)
    history = trainer.run(30)
    for k in (0, 7, 29):
        loss, grad_w, grad_b = loss_and_gradient(X, y, history.W[k], history.b[k], 0.05)
        assert history.loss[k] == pytest.approx(loss, rel=1e-12)
        assert history.grad_norm[k] == pytest.approx(math.hypot(*grad_w, grad_b), rel=1e-10)
    np.testing.assert_array_equal(history.epochs, np.arange(1, 31))
    record = trainer.current
    assert record.epoch == 30 and record.loss == history.loss[-1]


def test_step_and_run_give_identical_histories():
    X, y = overlapping()
    stepped = Trainer(X, y, learning_rate=0.2, standardize=True)
    records = [stepped.step() for _ in range(25)]
    history = Trainer(X, y, learning_rate=0.2, standardize=True).run(25)
    np.testing.assert_array_equal(history.W, np.array([r.w for r in records]))
    np.testing.assert_array_equal(history.loss, [r.loss for r in records])


def test_standardize_reports_raw_parameters_with_the_same_loss():
    X, y = overlapping()
    trainer = Trainer(X, y, learning_rate=0.5, standardize=True)
    history = trainer.run(40)
    for k in (0, 39):
        loss, _, _ = loss_and_gradient(X, y, history.W[k], history.b[k])
        assert history.loss[k] == pytest.approx(loss, rel=1e-12)


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("l2", [0.0, 0.1])
def test_converges_to_scikit_learns_optimum(standardize, l2):
    X, y = overlapping(m=80, seed=3, shift=(0.5, -0.5) if not standardize else (30.0, -12.0))
    X = X if not standardize else X * np.array([5.0, 0.2])
    m = len(y)
    Z = (X - X.mean(0)) / X.std(0) if standardize else X
    reference = LogisticRegression(C=np.inf if l2 == 0 else 1 / (l2 * m), tol=1e-14, max_iter=100_000)
    reference.fit(Z, y)
    assert reference.n_iter_[0] < 100_000  # scikit-learn converged: a trustworthy reference
    trainer = Trainer(X, y, learning_rate=2.0 if standardize or l2 else 1.0, l2=l2,
                      standardize=standardize, tol=1e-11, max_epochs=200_000)
    trainer.run(200_000)
    assert trainer.stop is not None and trainer.stop.kind == STOP_CONVERGED
    record = trainer.current
    if standardize:  # scikit-learn's optimum, in raw coordinates
        w_ref = reference.coef_[0] / X.std(0)
        b_ref = reference.intercept_[0] - w_ref @ X.mean(0)
    else:
        w_ref, b_ref = reference.coef_[0], reference.intercept_[0]
    np.testing.assert_allclose(record.w, w_ref, rtol=1e-6)
    assert record.b == pytest.approx(b_ref, rel=1e-6, abs=0)
    assert 0.2 < record.loss  # far from 0: the classes overlap, the optimum is finite


@pytest.mark.parametrize("rate", [50.0, 1e6, 1e300])
def test_divergence_stops_cleanly_with_finite_parameters(rate):
    X, y = overlapping()
    X = X * 1e3
    trainer = Trainer(X, y, learning_rate=rate, l2=1.0)
    history = trainer.run(5000)
    assert trainer.stop is not None and trainer.stop.kind == STOP_DIVERGED
    assert "lower the learning rate" in trainer.stop.message
    assert f"epoch {trainer.stop.epoch + 1}" in trainer.stop.message
    for array in (history.W, history.b, history.loss, history.grad_norm):
        assert np.all(np.isfinite(array))
    record = trainer.current
    assert np.all(np.isfinite(record.w)) and math.isfinite(record.b) and math.isfinite(record.loss)
    assert record.epoch == trainer.stop.epoch == len(history)
    assert len(trainer.run(10)) == 0  # stopped stays stopped


def test_max_epochs_and_raising_it_continues():
    X, y = overlapping()
    trainer = Trainer(X, y, max_epochs=10)
    assert len(trainer.run(100)) == 10
    assert trainer.stop.kind == STOP_MAX_EPOCHS
    trainer.set_stop_rules(max_epochs=15, tol=None)
    assert trainer.stop is None
    history = trainer.run(100)
    np.testing.assert_array_equal(history.epochs, np.arange(11, 16))


def test_random_init_is_reproducible_and_small():
    X, y = overlapping()
    a = Trainer(X, y, init="random", seed=7).current
    b = Trainer(X, y, init="random", seed=7).current
    c = Trainer(X, y, init="random", seed=8).current
    np.testing.assert_array_equal(a.w, b.w)
    assert not np.array_equal(a.w, c.w)
    assert np.all(np.abs(a.w) < 0.1) and np.any(a.w != 0)


def test_live_edits_take_effect_at_the_next_epoch():
    X, y = overlapping()
    trainer = Trainer(X, y, learning_rate=0.1)
    trainer.run(5)
    before = trainer.current
    trainer.set_learning_rate(0.7)
    after = trainer.step()
    np.testing.assert_allclose(after.w, before.w - 0.7 * before.grad_w, rtol=1e-12)

    trainer.set_l2(0.5)
    loss, _, _ = loss_and_gradient(X, y, after.w, after.b, 0.5)
    assert trainer.current.loss == pytest.approx(loss, rel=1e-12)

    X2, y2 = X[:50], y[:50]
    trainer.set_data(X2, y2)
    np.testing.assert_array_equal(trainer.current.w, after.w)
    loss, _, _ = loss_and_gradient(X2, y2, after.w, after.b, 0.5)
    assert trainer.current.loss == pytest.approx(loss, rel=1e-12)
    with pytest.raises(ValueError, match="no points"):
        trainer.set_data(np.empty((0, 2)), np.empty(0))
    assert trainer.current.loss == pytest.approx(loss, rel=1e-12)


def test_one_class_trains_towards_zero_loss():
    X = np.array([[0.0, 1.0], [1.0, 2.0], [2.0, 0.5]])
    trainer = Trainer(X, np.zeros(3, int), learning_rate=1.0)
    history = trainer.run(200)
    assert np.all(np.diff(history.loss) < 0)
    assert history.loss[-1] < 0.05


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(X=np.empty((0, 2)), y=np.empty(0)), "no points"),
        (dict(X=np.ones(3), y=np.ones(3)), "2-D"),
        (dict(X=np.ones((3, 2)), y=np.ones(2)), "labels"),
        (dict(X=np.array([[np.nan, 1.0]]), y=np.ones(1)), "NaN"),
        (dict(X=np.ones((2, 2)), y=np.array([0, 2])), "0 or 1"),
        (dict(X=np.ones((2, 2)), y=np.array([0, 1]), learning_rate=-1.0), "learning rate"),
        (dict(X=np.ones((2, 2)), y=np.array([0, 1]), l2=-0.1), "L2"),
        (dict(X=np.ones((2, 2)), y=np.array([0, 1]), init="ones"), "init"),
    ],
)
def test_bad_input_raises_a_clear_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Trainer(**kwargs)


def test_points_far_away_train_without_warnings():
    X = np.array([[1e6, 1e6], [1e6 + 1, 1e6], [-1e6, -1e6], [-1e6 - 1, -1e6]])
    y = np.array([1, 1, 0, 0])
    trainer = Trainer(X, y, learning_rate=0.1)
    history = trainer.run(50)
    assert np.all(np.isfinite(history.loss))


def test_a_parameter_leaving_float64_with_a_finite_loss_is_divergence():
    # One class, points far out, a huge rate: w jumps to −inf, every z is −inf, and the loss
    # (0) and gradient (0) stay finite. The trainer must still stop and keep epoch 0.
    X = np.array([[1e200, 0.0], [2e200, 0.0]])
    trainer = Trainer(X, np.zeros(2, int), learning_rate=1e300, tol=1e-8)
    start = trainer.current
    with np.errstate(all="raise"):  # overflow is handled locally, nothing reaches the caller
        history = trainer.run(5)
    assert len(history) == 0
    assert trainer.stop.kind == STOP_DIVERGED and trainer.stop.epoch == 0
    assert "diverged at epoch 1; lower the learning rate" == trainer.stop.message
    record = trainer.current
    np.testing.assert_array_equal(record.w, start.w)
    assert record.epoch == 0 and record.loss == start.loss and record.grad_norm == start.grad_norm


@pytest.mark.parametrize("rate", [1e2, 1e6, 1e300])
@pytest.mark.parametrize("standardize", [False, True])
def test_huge_rates_raise_no_floating_point_error_anywhere(rate, standardize):
    X, y = overlapping()
    trainer = Trainer(X, y, learning_rate=rate, standardize=standardize)
    with np.errstate(all="raise"):
        history = trainer.run(2000)
        record = trainer.current
    assert np.all(np.isfinite(history.W)) and np.all(np.isfinite(history.loss))
    assert np.all(np.isfinite(record.w)) and math.isfinite(record.b)
    if trainer.stop is not None:
        assert trainer.stop.kind == STOP_DIVERGED
        assert record.epoch == trainer.stop.epoch


def test_long_runs_grow_their_arrays_seamlessly(monkeypatch):
    monkeypatch.setattr("lrviz.core.trainer._FIRST_CAPACITY", 4)
    X, y = overlapping()
    grown = Trainer(X, y, learning_rate=0.3).run(37)
    monkeypatch.setattr("lrviz.core.trainer._FIRST_CAPACITY", 1 << 16)
    whole = Trainer(X, y, learning_rate=0.3).run(37)
    np.testing.assert_array_equal(grown.epochs, np.arange(1, 38))
    np.testing.assert_array_equal(grown.W, whole.W)
    np.testing.assert_array_equal(grown.loss, whole.loss)
    np.testing.assert_array_equal(grown.grad_norm, whole.grad_norm)


def test_tolerance_stops_at_the_first_small_gradient_and_lowering_it_continues():
    X, y = overlapping()
    trainer = Trainer(X, y, learning_rate=0.5, standardize=True, tol=1e-2)
    history = trainer.run(10_000)
    assert trainer.stop.kind == STOP_CONVERGED and trainer.stop.epoch == history.epochs[-1]
    assert history.grad_norm[-1] < 1e-2 and np.all(history.grad_norm[:-1] >= 1e-2)
    assert history.stop is trainer.stop
    trainer.set_stop_rules(max_epochs=None, tol=1e-4)
    assert trainer.stop is None
    more = trainer.run(10_000)
    assert more.epochs[0] == history.epochs[-1] + 1 and more.grad_norm[-1] < 1e-4


def test_rejected_live_edits_change_nothing():
    X, y = overlapping()
    trainer = Trainer(X, y, learning_rate=0.2, standardize=True, w0=[3.0, -2.0], b0=1.0)
    before = trainer.current
    with pytest.raises(ValueError, match="learning rate"):
        trainer.set_learning_rate(0.0)
    with pytest.raises(ValueError, match="L2"):
        trainer.set_l2(-1.0)
    with pytest.raises(ValueError, match="0 or 1"):
        trainer.set_data(X, y + 1)
    with pytest.raises(ValueError, match="features"):
        trainer.set_data(np.ones((3, 3)), np.array([0, 1, 0]))
    after = trainer.current
    assert trainer.learning_rate == 0.2 and trainer.l2 == 0.0
    np.testing.assert_array_equal(after.w, before.w)
    assert after.b == before.b and after.loss == before.loss
    np.testing.assert_array_equal(trainer.run(3).W, Trainer(X, y, learning_rate=0.2, standardize=True,
                                                            w0=[3.0, -2.0], b0=1.0).run(3).W)


def test_set_data_keeps_raw_parameters_under_standardize():
    X, y = overlapping()
    trainer = Trainer(X, y, learning_rate=0.5, standardize=True)
    trainer.run(20)
    before = trainer.current
    X2 = np.vstack([X, [[40.0, -30.0]]])
    y2 = np.r_[y, 1]
    trainer.set_data(X2, y2)
    after = trainer.current
    np.testing.assert_allclose(after.w, before.w, rtol=1e-13)
    assert after.b == pytest.approx(before.b, rel=1e-13)
    assert after.loss == pytest.approx(loss_and_gradient(X2, y2, after.w, after.b)[0], rel=1e-12)


def test_standardize_handles_constant_columns_and_huge_coordinates():
    X = np.array([[0.1, 1e300], [0.1, -1e300], [0.1, 3e299], [0.1, -2e299]])
    y = np.array([1, 0, 1, 0])
    with np.errstate(all="raise"):
        trainer = Trainer(X, y, learning_rate=1.0, standardize=True)
        history = trainer.run(50)
    assert np.all(history.W[:, 0] == 0.0)  # a constant column trains as exact zeros
    assert np.all(np.isfinite(history.W)) and history.loss[-1] < history.loss[0]


def test_random_init_keeps_b0_in_raw_coordinates():
    X, y = overlapping()
    record = Trainer(X, y, init="random", seed=3, b0=0.5, standardize=True).current
    assert record.b == pytest.approx(0.5, rel=1e-12)
    assert np.any(record.w != 0)


def test_history_arrays_belong_to_the_caller():
    X, y = overlapping()
    trainer = Trainer(X, y)
    first = trainer.run(5)
    for array in (first.W, first.b, first.loss, first.grad_norm):
        array[:] = np.nan  # the caller may do anything with them
    second = trainer.run(5)
    reference = Trainer(X, y).run(10)
    np.testing.assert_array_equal(second.W, reference.W[5:])
    np.testing.assert_array_equal(second.loss, reference.loss[5:])


def test_a_record_says_why_training_stopped():
    """The issue asks that the record of the last epoch say why training stopped, e.g. a divergence."""
    X, y = overlapping()
    normal = Trainer(X, y, learning_rate=0.1)
    assert normal.current.stop is None and normal.step().stop is None
    diverging = Trainer(X * 1e3, y, learning_rate=1e6, l2=1.0)
    records = [diverging.step() for _ in range(50)]
    assert diverging.stop is not None and diverging.stop.kind == STOP_DIVERGED
    last = records[-1]
    assert last.stop is diverging.stop and diverging.current.stop is diverging.stop
    assert last.stop.kind == STOP_DIVERGED and "lower the learning rate" in last.stop.message
    assert last.epoch == last.stop.epoch and math.isfinite(last.loss)
    first_stopped = next(i for i, record in enumerate(records) if record.stop is not None)
    assert all(record.stop is None for record in records[:first_stopped])
    assert all(record.stop is diverging.stop for record in records[first_stopped:])


def test_a_lifted_stop_rule_clears_the_records_stop():
    X, y = overlapping()
    trainer = Trainer(X, y, max_epochs=3)
    trainer.run(10)
    assert trainer.current.stop is not None and trainer.current.stop.kind == STOP_MAX_EPOCHS
    trainer.set_stop_rules(max_epochs=10, tol=None)
    assert trainer.current.stop is None


def test_parameters_whose_sum_overflows_are_not_a_divergence():
    # θ entries near ±1.5e308 are finite: the run's one-sum check overflows, the row check clears it
    X = np.array([[1e-300, 0.0], [-1e-300, 0.0]])
    trainer = Trainer(X, np.array([1, 0]), learning_rate=1.0, w0=[1.5e308, 1.5e308], b0=0.0)
    history = trainer.run(3)
    assert len(history) == 3 and trainer.stop is None
    assert np.all(np.isfinite(history.W))
