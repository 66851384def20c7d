"""Time per epoch of lrviz's Trainer against the tutorial in plain NumPy and scikit-learn's loss.

    python benchmarks/bench_engine.py [--quick] [--sizes M ...]
    python benchmarks/bench_engine.py --batched [--quick]

All three run the same full-batch gradient descent (loss, gradient, update) on the same
data, interleaved, in one process; each number is the best of several repeats, so the
ratios are fair on a noisy shared machine. lrviz is timed as a user pays it at every Reset:
constructing the Trainer and a run of 20 epochs, divided by 20 (longer runs only amortise the
construction better). Targets: ≤ 0.5× plain NumPy and ≤ 0.6× scikit-learn at every size.

--batched times the batched evaluator at G = 128² nodes: ns per (point, node) pair for the
general path in float32 (the mode for pictures; target ≤ 3 ns) and float64, and for the grid
path (factored exps, float64).

The CPU and NumPy's SIMD level are printed above each table: float64 exp and log1p are
vectorised only with AVX-512. To measure the AVX2 behaviour on an AVX-512 machine, run with
NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL AVX512_SPR" OPENBLAS_CORETYPE=Haswell.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable

import numpy as np
import sklearn
from sklearn._loss.loss import HalfBinomialLoss
from sklearn.linear_model._linear_loss import LinearModelLoss

from lrviz.core import Trainer
from lrviz.core.batched import BatchedEvaluator

LEARNING_RATE = 0.1
RUN_EPOCHS = 20  # the shortest run the targets amortise the construction over


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


def lrviz_runs(X: np.ndarray, y: np.ndarray, runs: int) -> float:
    """`runs` times: a new Trainer (as at every Reset) and a run of RUN_EPOCHS epochs; the last loss."""
    loss = 0.0
    for _ in range(runs):
        loss = float(Trainer(X, y, learning_rate=LEARNING_RATE).run(RUN_EPOCHS).loss[-1])
    return loss


def timed(run: Callable[[np.ndarray, np.ndarray, int], float], X: np.ndarray, y: np.ndarray, count: int) -> float:
    start = time.perf_counter()
    run(X, y, count)
    return time.perf_counter() - start


# name: (function, epochs per unit of its count argument)
METHODS: dict[str, tuple[Callable[[np.ndarray, np.ndarray, int], float], int]] = {
    "lrviz": (lrviz_runs, RUN_EPOCHS),
    "plain NumPy": (plain_numpy, 1),
    "scikit-learn": (scikit_learn, 1),
}


def count_for(run: Callable, X: np.ndarray, y: np.ndarray, budget: float) -> int:
    """The count argument that makes one measurement of `run` take about `budget` seconds."""
    count = 1
    while True:
        elapsed = timed(run, X, y, count)
        if elapsed > budget / 10 or count >= 1 << 20:
            return max(1, int(count * budget / elapsed))
        count *= 4


def best_time_per_epoch(X: np.ndarray, y: np.ndarray, budget: float, repeats: int) -> dict[str, float]:
    counts = {name: max(count_for(run, X, y, budget), 1 if per > 1 else RUN_EPOCHS)
              for name, (run, per) in METHODS.items()}
    times = {name: np.inf for name in METHODS}
    for _ in range(repeats):
        for name, (run, per) in METHODS.items():  # interleaved: machine noise hits all three alike
            times[name] = min(times[name], timed(run, X, y, counts[name]) / (counts[name] * per))
    return times


def steady_epoch(X: np.ndarray, y: np.ndarray, budget: float, repeats: int) -> tuple[float, float]:
    """(seconds per epoch of a long run, seconds to construct a Trainer), best of `repeats`."""
    trainer = Trainer(X, y, learning_rate=LEARNING_RATE)
    epochs = max(RUN_EPOCHS, count_for(lambda X, y, k: trainer.run(k), X, y, budget))
    epoch = setup = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        trainer.run(epochs)
        epoch = min(epoch, (time.perf_counter() - start) / epochs)
        for _ in range(5):  # the first construction after a long run is slower (caches); take the best
            start = time.perf_counter()
            Trainer(X, y, learning_rate=LEARNING_RATE)
            setup = min(setup, time.perf_counter() - start)
    return epoch, setup


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def simd_level() -> str:
    """NumPy's SIMD extensions in use, as numpy.show_runtime() reports them, and OpenBLAS's kernel."""
    try:
        from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
    except ImportError:  # NumPy < 2
        from numpy.core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
    found = [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]
    avx512 = any(name in found for name in ("X86_V4", "AVX512_SKX", "AVX512F"))
    text = (f"NumPy SIMD: baseline {' '.join(__cpu_baseline__)}, found {' '.join(found) or 'none'} "
            f"(float64 exp/log1p {'vectorised: AVX-512' if avx512 else 'not AVX-512'})")
    try:
        from threadpoolctl import threadpool_info

        kernels = {info.get("architecture") for info in threadpool_info() if info.get("internal_api") == "openblas"}
        if kernels - {None}:
            text += f"; OpenBLAS kernel {', '.join(sorted(kernels - {None}))}"
    except ImportError:
        pass
    return text


def element_costs() -> str:
    """ns per element of float64 exp, log1p and multiply on 16,384 elements: why the engine avoids log1p."""
    x = np.random.default_rng(1).random(16384) * 4
    out = np.empty_like(x)
    costs = {}
    for name, op in (("exp", lambda: np.exp(x, out=out)), ("log1p", lambda: np.log1p(x, out=out)),
                     ("multiply", lambda: np.multiply(x, x, out=out))):
        best = np.inf
        for _ in range(7):
            start = time.perf_counter()
            for _ in range(50):
                op()
            best = min(best, (time.perf_counter() - start) / 50 / x.size)
        costs[name] = best * 1e9
    return ", ".join(f"{name} {cost:.1f} ns" for name, cost in costs.items()) + " per float64 element"


def environment() -> str:
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    disabled = os.environ.get("NPY_DISABLE_CPU_FEATURES")
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    forced = ", ".join(f"{k}={v}" for k, v in (("NPY_DISABLE_CPU_FEATURES", disabled),
                                                ("OPENBLAS_CORETYPE", coretype)) if v)
    return (f"CPU: {cpu_model()}, {os.cpu_count()} CPUs{f' ({forced})' if forced else ''}.\n"
            f"{simd_level()}.\n{element_costs()}.\n"
            f"NumPy {np.__version__} ({blas.get('name')} {blas.get('version')}), "
            f"scikit-learn {sklearn.__version__}, Python {platform.python_version()}.")


def fmt(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} µs" if seconds < 1e-3 else f"{seconds * 1e3:,.2f} ms"


def engine_table(sizes: list[int], budget: float, repeats: int) -> None:
    # The three agree (same data, same updates): the others' last loss is taken before
    # their 20th update, so it is lrviz's loss at epoch 19. Check before timing.
    X, y = make_data(1000)
    losses = [float(Trainer(X, y, learning_rate=LEARNING_RATE).run(19).loss[-1]),
              plain_numpy(X, y, 20), scikit_learn(X, y, 20)]
    assert np.allclose(losses, losses[0], rtol=1e-9), losses

    print(f"Full-batch gradient descent, 2 features, time per epoch (loss, gradient and update); "
          f"lrviz: construction and a {RUN_EPOCHS}-epoch run, per epoch; best of {repeats} interleaved "
          f"measurements of ~{budget:g} s each.\n")
    print("| points m | lrviz | plain NumPy | scikit-learn | lrviz / NumPy (target ≤ 0.5) "
          "| lrviz / scikit-learn (target ≤ 0.6) | lrviz epoch, long run | lrviz set-up, once |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for m in sizes:
        X, y = make_data(m)
        t = best_time_per_epoch(X, y, budget, repeats)
        epoch, setup = steady_epoch(X, y, budget, max(3, repeats // 2))
        print(f"| {m:,} | {fmt(t['lrviz'])} | {fmt(t['plain NumPy'])} | {fmt(t['scikit-learn'])} "
              f"| {t['lrviz'] / t['plain NumPy']:.2f}× | {t['lrviz'] / t['scikit-learn']:.2f}× "
              f"| {fmt(epoch)} | {fmt(setup)} |", flush=True)


def batched_table(sizes: list[int], repeats: int) -> None:
    side = 128
    values = np.linspace(-4.0, 4.0, side)
    W1, W2 = np.meshgrid(values, values)
    thetas = np.vstack([W1.ravel(), W2.ravel(), np.full(W1.size, 0.3)])
    centre = np.array([0.0, 0.0, 0.3])
    print(f"Batched loss at G = {side}² = {side * side:,} nodes (a grid over w₁, w₂ ∈ [−4, 4], b = 0.3), "
          f"ns per (point, node) pair, best of {repeats}.\n")
    print("| points m | general, float32 (target ≤ 3 ns) | general, float64 | grid, float64 (factored exps) "
          "| float32 vs float64, max relative |")
    print("|---:|---:|---:|---:|---:|")
    for m in sizes:
        X, y = make_data(m)
        fast, exact = BatchedEvaluator(X, y, dtype=np.float32), BatchedEvaluator(X, y)
        runs: dict[str, Callable[[], np.ndarray]] = {
            "float32": lambda: fast.loss(thetas), "float64": lambda: exact.loss(thetas),
            "grid": lambda: exact.grid(centre, 0, values, 1, values)}
        best = {name: np.inf for name in runs}
        results = {}
        for _ in range(repeats):
            for name, run in runs.items():
                start = time.perf_counter()
                results[name] = run()
                best[name] = min(best[name], time.perf_counter() - start)
        pairs = m * thetas.shape[1]
        error = float(np.max(np.abs(results["float32"] / results["float64"] - 1)))
        assert np.allclose(results["grid"].ravel(), results["float64"], rtol=1e-12, atol=0)
        print(f"| {m:,} | {best['float32'] / pairs * 1e9:.2f} ns | {best['float64'] / pairs * 1e9:.2f} ns "
              f"| {best['grid'] / pairs * 1e9:.2f} ns | {error:.1e} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short measurements, for a smoke run")
    parser.add_argument("--batched", action="store_true", help="time the batched evaluator instead")
    parser.add_argument("--sizes", type=int, nargs="+")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    print(environment() + "\n")
    if args.batched:
        batched_table(args.sizes or [1_000, 10_000], repeats)
    else:
        engine_table(args.sizes or [100, 1_000, 10_000, 100_000, 1_000_000], 0.05 if args.quick else 0.3, repeats)


if __name__ == "__main__":
    main()
