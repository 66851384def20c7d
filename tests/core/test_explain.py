"""explain(): every number of the derivation equals a direct recomputation from the history
row and the points, at the first, a middle and the last epoch, with and without λ and
standardization; and the update reproduces the history's next row."""

from __future__ import annotations

import numpy as np
import pytest

from lrviz.core.dataset import Dataset, make_preset
from lrviz.core.explain import agrees_to_digits, explain
from lrviz.core.run import Run
from lrviz.core.settings import TrainingSettings
from lrviz.core.trainer import Trainer


def trained_run(l2: float, standardize: bool, epochs: int = 40, rate: float = 0.5) -> Run:
    """A Run whose history comes from the Trainer, as the window's worker fills it."""
    dataset = make_preset("overlapping", 60, 0.3, 3)
    settings = TrainingSettings(learning_rate=rate, l2=l2, standardize=standardize, max_epochs=epochs)
    run = Run(dataset, settings)
    snapshot = run.snapshot()
    trainer = Trainer(snapshot.X, snapshot.y, **settings.trainer_arguments())
    first = trainer.current
    run.append_epochs([0], np.append(first.w, first.b)[None, :], [first.loss], [first.grad_norm], rate, l2,
                      snapshot.revision)
    history = trainer.run(epochs)
    run.append_epochs(history.epochs, np.column_stack([history.W, history.b]), history.loss, history.grad_norm,
                      rate, l2, snapshot.revision)
    return run


def direct(run: Run, epoch: int) -> dict:
    """The tutorial's formulas in plain NumPy, from the row and the points alone."""
    row = run.row(epoch)
    points = run.points_at(row.data_revision)
    X_raw, y = points.X, points.y.astype(float)
    if run.settings.standardize:
        mean, std = X_raw.mean(axis=0), X_raw.std(axis=0)
    else:
        mean, std = np.zeros(2), np.ones(2)
    X = (X_raw - mean) / std
    w = row.w * std
    b = row.b + row.w @ mean
    z = X @ w + b                                                             # (1-2)
    y_hat = 1 / (1 + np.exp(-z))                                              # (1-2)
    loss = -y * np.log(y_hat) - (1 - y) * np.log(1 - y_hat)                   # (2-2)
    m = len(y)
    total = loss.mean() + row.l2 / 2 * w @ w                                  # (2-1)
    residual = y_hat - y                                                      # (3-5)
    grad = residual[:, None] * np.column_stack([X, np.ones(m)])               # (3-7), (3-9)
    gradient = np.append(X.T @ residual / m + row.l2 * w, residual.sum() / m)  # (3-8), (3-10)
    last = run.history.last_epoch
    rate = run.row(epoch + 1).learning_rate if epoch < last else run.settings.learning_rate
    new = np.append(w, b) - rate * gradient                                   # (4-2), (4-3)
    new_w_raw = new[:2] / std
    new_b_raw = new[2] - new_w_raw @ mean
    return {"X": X, "w": w, "b": b, "z": z, "y_hat": y_hat, "loss": loss, "total": total, "residual": residual, "grad": grad,
                "gradient": gradient, "next_w": new_w_raw, "next_b": new_b_raw}


@pytest.mark.parametrize("l2", [0.0, 0.05])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("which", ["first", "middle", "last"])
def test_explanation_equals_direct_recomputation(l2, standardize, which):
    run = trained_run(l2, standardize)
    epoch = {"first": 0, "middle": 20, "last": run.history.last_epoch}[which]
    got, want = explain(run, epoch), direct(run, epoch)
    close = {"rtol": 1e-12, "atol": 1e-12}
    np.testing.assert_allclose(got.X, want["X"], **close)
    np.testing.assert_allclose(got.w, want["w"], **close)
    assert got.b == pytest.approx(want["b"], rel=1e-12, abs=1e-12)
    for key in ("z", "y_hat", "loss", "residual", "grad"):
        np.testing.assert_allclose(getattr(got, key), want[key], err_msg=key, **close)
    assert got.total_loss == pytest.approx(want["total"], rel=1e-12)
    assert got.total_loss == pytest.approx(got.row_loss, rel=1e-12)  # the history's own loss
    np.testing.assert_allclose(got.gradient, want["gradient"], **close)
    np.testing.assert_allclose(got.next_w_raw, want["next_w"], **close)
    assert got.next_b_raw == pytest.approx(want["next_b"], rel=1e-12, abs=1e-12)
    assert got.standardized == standardize
    if which == "last":
        assert got.next_matches is None and got.next_row_theta is None
    else:
        assert got.next_matches is True
        np.testing.assert_allclose(np.append(got.next_w_raw, got.next_b_raw), run.row(epoch + 1).theta,
                                   rtol=1e-12, atol=1e-12)


def test_one_point_is_the_vectorised_row():
    run = trained_run(0.05, True)
    full = explain(run, 10)
    terms = full.point(7)
    assert terms.z == full.z[7] and terms.loss == full.loss[7] and terms.y == run.points.y[7]
    np.testing.assert_array_equal(terms.x_raw, run.points.X[7])
    np.testing.assert_array_equal(terms.pull, -full.grad[7, :2])
    with pytest.raises(IndexError):
        full.point(60)


def test_a_changed_learning_rate_applies_to_the_next_row():
    """History rows carry the α of the update that produced them: the explanation of epoch k
    uses row k+1's α, and a wrong α would not reproduce the row."""
    run = trained_run(0.0, False, epochs=5, rate=0.5)
    snapshot = run.snapshot()
    trainer = Trainer(snapshot.X, snapshot.y, learning_rate=2.0, w0=run.row(5).w, b0=run.row(5).b, start_epoch=5)
    history = trainer.run(3)
    run.append_epochs(history.epochs, np.column_stack([history.W, history.b]), history.loss, history.grad_norm,
                      2.0, 0.0, snapshot.revision)
    assert explain(run, 4).learning_rate == 0.5
    at_five = explain(run, 5)
    assert at_five.learning_rate == 2.0 and at_five.next_matches is True


def test_a_next_row_that_disagrees_is_reported():
    run = trained_run(0.0, False, epochs=5)
    theta = run.history.theta.copy()
    theta[3, 0] += 1e-3  # not what the update of epoch 2 gives
    forged = Run(run.points, run.settings)
    snapshot = forged.snapshot()
    forged.append_epochs(run.history.epochs, theta, run.history.loss, run.history.grad_norm, 0.5, 0.0,
                         snapshot.revision)
    assert explain(forged, 2).next_matches is False
    assert explain(forged, 1).next_matches is True


def test_points_edited_between_rows_are_flagged():
    run = trained_run(0.0, False, epochs=3)
    run.move_point(0, 5.0, 5.0)
    snapshot = run.snapshot()
    row = run.row(3)
    run.append_epochs([4], row.theta[None, :], [row.loss], [row.grad_norm], 0.5, 0.0, snapshot.revision)
    assert explain(run, 3).points_changed
    assert not explain(run, 2).points_changed


def test_agrees_to_digits():
    assert agrees_to_digits([1.0, 2.0], [1.0000001, 2.0])
    assert not agrees_to_digits([1.0, 2.0], [1.00001, 2.0])
    assert agrees_to_digits([1e-17, 3.0], [2e-17, 3.0])  # rounding noise next to a large entry
    assert not agrees_to_digits([1.0], [1.0, 2.0])


def test_one_point_data_set():
    run = Run(Dataset([[1.0, 2.0]], [1]), TrainingSettings())
    snapshot = run.snapshot()
    trainer = Trainer(snapshot.X, snapshot.y)
    first = trainer.current
    run.append_epochs([0], np.append(first.w, first.b)[None, :], [first.loss], [first.grad_norm], 0.1, 0.0,
                      snapshot.revision)
    got = explain(run, 0)
    assert got.total_loss == pytest.approx(np.log(2.0))
    assert got.next_matches is None
