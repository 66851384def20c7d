"""What the test loss costs the training thread: epochs per second with and without a split.

The worker computes the test loss of every epoch with one TestLoss pass (core/metrics.py)
over the test points per Trainer.run() chunk. This script times the same work headless: Trainer.run
over the training points, plus that pass, for several data sizes and test shares.

    python benchmarks/bench_split.py
"""

from __future__ import annotations

import platform
import time

from lrviz.core.dataset import make_preset
from lrviz.core.metrics import TestLoss
from lrviz.core.split import stratified_split
from lrviz.core.trainer import Trainer


def epochs_per_second(m: int, share: float, seconds: float = 1.0) -> float:
    data = make_preset("overlapping", m, seed=1)
    is_test = stratified_split(data.y, share, 0)
    trainer = Trainer(data.X[~is_test], data.y[~is_test])
    test = TestLoss(data.X[is_test], data.y[is_test]) if is_test.any() else None
    chunk = max(1, 2_000_000 // m)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        history = trainer.run(chunk)
        if test is not None:
            test(history.W, history.b)
        done += len(history)
    return done / (time.perf_counter() - start)


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> None:
    print(f"CPU: {cpu_name()}")
    print("| points | test share | epochs/s | vs no split |")
    print("|---:|---:|---:|---:|")
    for m in (100, 10_000, 1_000_000):
        base = epochs_per_second(m, 0.0)
        print(f"| {m:,} | 0 % | {base:,.0f} | 1.00 |")
        for share in (0.2, 0.5):
            rate = epochs_per_second(m, share)
            print(f"| {m:,} | {share:.0%} | {rate:,.0f} | {rate / base:.2f} |")


if __name__ == "__main__":
    main()
