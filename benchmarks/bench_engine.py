"""Time per epoch of lrviz's Trainer against the tutorial in plain NumPy and scikit-learn's loss.

    python benchmarks/bench_engine.py [--quick]

All three run the same full-batch gradient descent (loss, gradient, update) on the same
data, interleaved, in one process; each number is the best of several repeats, so the
ratios are fair on a noisy shared machine. Target: Trainer ≤ 0.6× plain NumPy and
≤ 0.8× scikit-learn at every size.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn._loss.loss import HalfBinomialLoss
from sklearn.linear_model._linear_loss import LinearModelLoss

from lrviz.core import Trainer

LEARNING_RATE = 0.1


def make_data(m: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, 2))
    y = (X @ np.array([1.0, -0.5]) + 0.3 + rng.normal(size=m) > 0).astype(float)
    return X, y


def plain_numpy(X: np.ndarray, y: np.ndarray, epochs: int) -> float:
    """The tutorial's formulas, written as a learner would: (1-2), (2-1), (3-8), (3-10), (4-2), (4-3)."""
    m = len(y)
    w, b = np.zeros(X.shape[1]), 0.0
    loss = 0.0
    for _ in range(epochs):
        yhat = 1 / (1 + np.exp(-(X @ w + b)))
        loss = -np.mean(y * np.log(yhat) + (1 - y) * np.log(1 - yhat))
        grad_w = X.T @ (yhat - y) / m
        grad_b = np.mean(yhat - y)
        w = w - LEARNING_RATE * grad_w
        b = b - LEARNING_RATE * grad_b
    return float(loss)


def scikit_learn(X: np.ndarray, y: np.ndarray, epochs: int) -> float:
    """scikit-learn's LinearModelLoss.loss_gradient (Cython HalfBinomialLoss), plus the update."""
    linear_loss = LinearModelLoss(base_loss=HalfBinomialLoss(), fit_intercept=True)
    coef = np.zeros(X.shape[1] + 1)
    loss = 0.0
    for _ in range(epochs):
        loss, grad = linear_loss.loss_gradient(coef, X, y, l2_reg_strength=0.0)
        coef = coef - LEARNING_RATE * grad
    return float(loss)


def lrviz_trainer(X: np.ndarray, y: np.ndarray, epochs: int) -> float:
    return float(Trainer(X, y, learning_rate=LEARNING_RATE).run(epochs).loss[-1])


def timed_lrviz(X: np.ndarray, y: np.ndarray, epochs: int) -> float:
    """Seconds for `epochs` epochs; building the Trainer (a one-off copy of X) is timed apart."""
    trainer = Trainer(X, y, learning_rate=LEARNING_RATE)
    start = time.perf_counter()
    trainer.run(epochs)
    return time.perf_counter() - start


def timed(run, X: np.ndarray, y: np.ndarray, epochs: int) -> float:
    start = time.perf_counter()
    run(X, y, epochs)
    return time.perf_counter() - start


METHODS = {
    "lrviz": timed_lrviz,
    "plain NumPy": lambda X, y, epochs: timed(plain_numpy, X, y, epochs),
    "scikit-learn": lambda X, y, epochs: timed(scikit_learn, X, y, epochs),
}


def best_time_per_epoch(X: np.ndarray, y: np.ndarray, epochs: int, repeats: int) -> dict[str, float]:
    times = {name: np.inf for name in METHODS}
    for _ in range(repeats):
        for name, measure in METHODS.items():  # interleaved: machine noise hits all three alike
            times[name] = min(times[name], measure(X, y, epochs) / epochs)
    return times


def setup_time(X: np.ndarray, y: np.ndarray) -> float:
    start = time.perf_counter()
    Trainer(X, y, learning_rate=LEARNING_RATE)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke run")
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    budget = 0.05 if args.quick else 0.3  # seconds per measurement, roughly

    # The three agree (same data, same updates): the others' last loss is taken before
    # their 50th update, so it is lrviz's loss at epoch 49. Check before timing.
    X, y = make_data(1000)
    losses = [lrviz_trainer(X, y, 49), plain_numpy(X, y, 50), scikit_learn(X, y, 50)]
    assert np.allclose(losses, losses[0], rtol=1e-9), losses

    print("| points m | lrviz µs/epoch | plain NumPy µs/epoch | scikit-learn µs/epoch "
          "| lrviz / NumPy | lrviz / scikit-learn | lrviz set-up, once |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for m in (100, 1_000, 10_000, 100_000, 1_000_000):
        X, y = make_data(m)
        per_epoch_guess = 2e-8 * m + 2e-5
        epochs = max(3, int(budget / per_epoch_guess))
        t = best_time_per_epoch(X, y, epochs, repeats)
        print(f"| {m:,} | {t['lrviz'] * 1e6:,.1f} | {t['plain NumPy'] * 1e6:,.1f} "
              f"| {t['scikit-learn'] * 1e6:,.1f} | {t['lrviz'] / t['plain NumPy']:.2f}× "
              f"| {t['lrviz'] / t['scikit-learn']:.2f}× | {setup_time(X, y) * 1e3:,.1f} ms |", flush=True)


if __name__ == "__main__":
    main()
