"""Time per epoch of lrviz's Trainer against the tutorial in plain NumPy and scikit-learn's loss.

    python benchmarks/bench_engine.py [--quick]

All three run the same full-batch gradient descent (loss, gradient, update) on the same
data, interleaved, in one process; each number is the best of several repeats, so the
ratios are fair on a noisy shared machine. Target: Trainer ≤ 0.6× plain NumPy and
≤ 0.8× scikit-learn at every size.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np
import sklearn
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


def epochs_for(measure, X: np.ndarray, y: np.ndarray, budget: float) -> int:
    """Epochs that make one measurement of this method take about `budget` seconds."""
    epochs = 1
    while True:
        elapsed = measure(X, y, epochs)
        if elapsed > budget / 10 or epochs >= 1 << 20:
            return max(3, int(epochs * budget / elapsed))
        epochs *= 4


def best_time_per_epoch(X: np.ndarray, y: np.ndarray, budget: float, repeats: int) -> dict[str, float]:
    epochs = {name: epochs_for(measure, X, y, budget) for name, measure in METHODS.items()}
    times = {name: np.inf for name in METHODS}
    for _ in range(repeats):
        for name, measure in METHODS.items():  # interleaved: machine noise hits all three alike
            times[name] = min(times[name], measure(X, y, epochs[name]) / epochs[name])
    return times


def setup_time(X: np.ndarray, y: np.ndarray, repeats: int = 3) -> float:
    """Building a Trainer: validation, the (m, n+1) design matrix, the epoch-0 pass (best of a few)."""
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        Trainer(X, y, learning_rate=LEARNING_RATE)
        best = min(best, time.perf_counter() - start)
    return best


def environment() -> str:
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    return (f"NumPy {np.__version__} ({blas.get('name')} {blas.get('version')}"
            f"{f', OPENBLAS_CORETYPE={coretype}' if coretype else ''}), scikit-learn {sklearn.__version__}, "
            f"Python {platform.python_version()}, {platform.processor() or platform.machine()}, "
            f"{os.cpu_count()} CPUs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short measurements, for a smoke run")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    budget = 0.05 if args.quick else 0.3  # seconds per measurement

    # The three agree (same data, same updates): the others' last loss is taken before
    # their 50th update, so it is lrviz's loss at epoch 49. Check before timing.
    X, y = make_data(1000)
    losses = [lrviz_trainer(X, y, 49), plain_numpy(X, y, 50), scikit_learn(X, y, 50)]
    assert np.allclose(losses, losses[0], rtol=1e-9), losses

    print(f"Full-batch gradient descent, 2 features, time per epoch (loss, gradient and update); "
          f"best of {repeats} interleaved runs of ~{budget:g} s each. {environment()}.\n")
    print("| points m | lrviz | plain NumPy | scikit-learn | lrviz / NumPy (target ≤ 0.6) "
          "| lrviz / scikit-learn (target ≤ 0.8) | lrviz set-up, once |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for m in args.sizes:
        X, y = make_data(m)
        t = best_time_per_epoch(X, y, budget, repeats)
        print(f"| {m:,} | {fmt(t['lrviz'])} | {fmt(t['plain NumPy'])} | {fmt(t['scikit-learn'])} "
              f"| {t['lrviz'] / t['plain NumPy']:.2f}× | {t['lrviz'] / t['scikit-learn']:.2f}× "
              f"| {setup_time(X, y) * 1e3:,.1f} ms |", flush=True)


def fmt(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} µs" if seconds < 1e-3 else f"{seconds * 1e3:,.2f} ms"


if __name__ == "__main__":
    main()
