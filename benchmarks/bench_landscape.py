"""The loss landscape's costs: the surface alone, in the window (coarse and fine, the window
answering), and training at full speed with the landscape shown.

    python benchmarks/bench_landscape.py [--seconds 6]

Targets (issue 12):
- m ≤ 10^3: the full 128 × 128 picture (surface, colours, contours) in ≤ 50 ms;
- m = 10^4: the first ≥ 32 × 32 picture on screen in ≤ 100 ms, the 128 × 128 one in ≤ 1.5 s,
  the event loop answering meanwhile (a 10 ms probe timer late by ≤ 50 ms at p95);
- training at full speed on 10^4 points with the landscape shown: ≥ 0.6 × the headless rate.
The table says how much of the machine other processes used meanwhile.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
from bench_gui import cpu_line, headless_rate, machine_busy, others_share, spin  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from lrviz.core.dataset import make_preset  # noqa: E402
from lrviz.core.landscape import Landscape  # noqa: E402
from lrviz.core.run import Run  # noqa: E402
from lrviz.ui.main_window import MainWindow  # noqa: E402
from lrviz.ui.plots.landscape_plot import FINE as FINE_SIZE  # noqa: E402
from lrviz.ui.plots.landscape_surface import SurfaceRequest, compute_picture  # noqa: E402

PROBE_MS = 10


class Probe:
    """A 10 ms timer; how late each tick fires."""

    def __init__(self) -> None:
        self.lateness: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(PROBE_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0

    def start(self) -> None:
        self.lateness.clear()
        self._clock.start()
        self._last = 0
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = self._clock.elapsed()
        self.lateness.append(max(0, now - self._last - PROBE_MS))
        self._last = now

    def p95(self) -> float:
        return float(np.percentile(self.lateness, 95)) if self.lateness else float("nan")


def surface_alone(points: int, repeats: int = 7) -> tuple[float, float, float, float]:
    """Median ms of the fine picture (in one thread, in two as the window does while training
    rests), the coarse one and the coarse preview (2,000 points at most), the Landscape built
    once; a picture is surface, colours and contours."""
    run = Run(make_preset("overlapping", n_points=points, seed=1))
    snapshot = run.snapshot()
    landscape = Landscape(snapshot.X, snapshot.y)
    landscape.minimum()
    request = SurfaceRequest(1, snapshot, 0.0, False, np.array([0.5, 0.5, 0.1]), (0, 1),
                             np.zeros(3), np.array([2.0, 2.0, 0.5]), FINE_SIZE)
    times = {}
    for size, preview, parallel in ((FINE_SIZE, False, False), (FINE_SIZE, False, True), (32, False, False),
                                    (32, True, False)):
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            compute_picture(landscape, replace(request, parallel=parallel), size, preview=preview)
            runs.append(time.perf_counter() - start)
        times[size, preview, parallel] = 1e3 * float(np.median(runs))
    return (times[FINE_SIZE, False, False], times[FINE_SIZE, False, True], times[32, False, False],
            times[32, True, False])


def open_window(points: int) -> MainWindow:
    window = MainWindow(make_preset("overlapping", n_points=points, seed=1))
    window.resize(1700, 900)
    window.show()
    window.landscape_action.trigger()
    window.controls.max_epochs_spin.setValue(window.controls.max_epochs_spin.maximum())
    window.controls.speed_slider.setValue(window.controls.speed_slider.maximum())
    spin(1.0)
    return window


def in_window(points: int, switches: int = 6) -> dict[str, float]:
    """Time from a change of pair to the coarse and the fine picture on screen, with the probe."""
    window = open_window(points)
    plot = window.landscape.plot
    probe = Probe()
    coarse, fine = [], []
    arrived: dict[int, float] = {}

    def shown(picture) -> None:
        arrived.setdefault(picture.size, time.perf_counter())

    plot.pictureShown.connect(shown)
    probe.start()
    for k in range(switches):
        arrived.clear()
        start = time.perf_counter()
        window.landscape.axes_combo.setCurrentIndex((k + 1) % 3)
        loop = QEventLoop()
        waited = QElapsedTimer()
        waited.start()
        while FINE_SIZE not in arrived and waited.elapsed() < 10_000:
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            time.sleep(0.001)  # gives the GIL to the worker, as an idle event loop does
        coarse.append(arrived.get(32, np.nan) - start)
        fine.append(arrived.get(FINE_SIZE, np.nan) - start)
    probe.stop()
    window.mark_saved()
    window.close()
    return {"coarse_ms": 1e3 * float(np.median(coarse)), "coarse_max_ms": 1e3 * float(np.max(coarse)),
            "fine_ms": 1e3 * float(np.median(fine)), "fine_max_ms": 1e3 * float(np.max(fine)),
            "probe_p95_ms": probe.p95()}


def training(points: int, seconds: float, shown: bool) -> dict[str, float]:
    """The window's training rate, against the headless rate measured right before and right
    after it (their mean: the other processes' load drifts)."""
    data = make_preset("overlapping", n_points=points, seed=1)
    before = headless_rate(data.X, data.y, min(seconds, 3.0))
    window = open_window(points)
    if not shown:
        window.landscape_action.trigger()
    probe = Probe()
    window.controls.train_button.click()
    spin(0.5)
    first = window.run.history.last_epoch
    probe.start()
    started = time.perf_counter()
    spin(seconds)
    elapsed = time.perf_counter() - started
    probe.stop()
    epochs = window.run.history.last_epoch - first
    window.controls.train_button.click()
    spin(0.2)
    window.mark_saved()
    window.close()
    spin(0.2)
    after = headless_rate(data.X, data.y, min(seconds, 3.0))
    return {"window_rate": epochs / elapsed, "headless_rate": 0.5 * (before + after), "probe_p95_ms": probe.p95()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    args = parser.parse_args()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "/tmp/lrviz-bench-settings")
    app = QApplication.instance() or QApplication([])
    print(cpu_line())
    before = machine_busy()
    rows = []
    for m in (100, 1000, 10_000):
        fine_ms, parallel_ms, coarse_ms, preview_ms = surface_alone(m)
        target = "128×128 ≤ 50 ms" if m <= 1000 else "(in the window: below)"
        preview = f" (preview from 2,000 points: {preview_ms:.1f} ms)" if m > 2000 else ""
        rows.append(f"| picture alone, m = {m:,} | 32×32 {coarse_ms:.1f} ms{preview}, 128×128 {fine_ms:.1f} ms, "
                    f"in two threads {parallel_ms:.1f} ms | {target} |")
    big = make_preset("overlapping", n_points=250_000, seed=1)
    start = time.perf_counter()
    landscape = Landscape(big.X, big.y)
    landscape.minimum()
    built = 1e3 * (time.perf_counter() - start)
    rows.append(f"| m = 250,000: subsample, evaluators and Newton minimum | {built:.0f} ms, "
                f"\"{landscape.note}\" | — |")
    window = in_window(10_000)
    rows.append(f"| window, m = 10,000: change of pair → first 32×32 on screen | median {window['coarse_ms']:.0f} ms, "
                f"max {window['coarse_max_ms']:.0f} ms | ≤ 100 ms |")
    rows.append(f"| window, m = 10,000: → 128×128 on screen | median {window['fine_ms']:.0f} ms, "
                f"max {window['fine_max_ms']:.0f} ms | ≤ 1.5 s |")
    rows.append(f"| window, m = 10,000: probe late, p95, meanwhile | {window['probe_p95_ms']:.0f} ms | ≤ 50 ms |")
    for shown in (False, True):
        result = training(10_000, args.seconds, shown)
        ratio = result["window_rate"] / result["headless_rate"]
        label = "shown" if shown else "hidden"
        rows.append(f"| training at full speed, m = 10,000, landscape {label} | {result['window_rate']:,.0f} epochs/s "
                    f"= {ratio:.2f} × headless ({result['headless_rate']:,.0f}); probe p95 "
                    f"{result['probe_p95_ms']:.0f} ms | {'≥ 0.6 ×' if shown else '—'} |")
    share = others_share(before, machine_busy())
    print("| measurement | result | target |")
    print("|---|---|---|")
    for row in rows:
        print(row)
    print(f"\nOther processes used {100 * share:.0f} % of the machine meanwhile.")
    app.quit()


if __name__ == "__main__":
    main()
