"""Where the GUI thread's time goes while the window trains at full speed, view by view.

    python benchmarks/bench_gui_views.py [--degree 3] [--seconds 6] [--repeats 3] [--worst]

The window of bench_gui.py (10,000 points, full speed; `--worst`: the editor's frame skips
off) trains while each view's update is timed in CPU time of the GUI thread
(`time.thread_time`): what the thread itself spends, not the time it waits for the GIL or
for a core, so the numbers hold up on a busy shared machine far better than the training
rate, which bench_gui.py measures. Every millisecond here is taken from the training thread
while the GUI thread holds the GIL in Python (most of it) or paints (in C++, without it).

Prints per view: calls per second, CPU ms per call, CPU ms per second of training (medians
of the repeats), and the GUI thread's whole CPU time per second.
"""

from __future__ import annotations

import argparse
import collections
import functools
import importlib
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import bench_gui  # noqa: E402

VIEWS = [  # (module, class, method, label)
    ("lrviz.ui.editor.point_editor", "PointEditor", "_draw_model", "editor: model (heatmap, boundary)"),
    ("lrviz.ui.editor.point_editor", "PointEditor", "follow_state", "editor: follow the shown epoch"),
    ("lrviz.ui.render.gil_free_paint", "_PrepareBeforePaint", "eventFilter", "every view: pyqtgraph's paint preparation"),
    ("pyqtgraph.graphicsItems.AxisItem", "AxisItem", "paint", "every plot: axis drawn anew"),
    ("lrviz.ui.plots.params_plot", "ParamsPlot", "refresh", "parameter plot"),
    ("lrviz.ui.plots.loss_plot", "LossPlot", "refresh", "loss plot"),
    ("lrviz.ui.plots.timeline", "Timeline", "refresh", "timeline"),
    ("lrviz.ui.panels.readout", "ReadoutPanel", "refresh", "read-out"),
    ("lrviz.ui.panels.metrics_panel", "MetricsPanel", "refresh", "metrics panel"),
    ("lrviz.ui.run_controller", "RunController", "_on_batch", "a batch of epochs into the history"),
]
WHOLE = "GUI thread, everything (incl. C++ painting)"


class Meter:
    """Wraps the views' methods; counts calls and CPU time only while `on`."""

    def __init__(self) -> None:
        self.on = False
        self.calls: collections.Counter = collections.Counter()
        self.cpu: collections.Counter = collections.Counter()
        self.result: dict[str, tuple[float, float]] = {}
        for module, cls, method, label in VIEWS:
            owner = getattr(importlib.import_module(module), cls, None)
            if owner is not None and hasattr(owner, method):
                setattr(owner, method, self._wrap(getattr(owner, method), label))

    def _wrap(self, original, label: str):
        meter = self

        @functools.wraps(original)
        def timed(*args, **kwargs):
            if not meter.on:
                return original(*args, **kwargs)
            started = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                meter.calls[label] += 1
                meter.cpu[label] += time.thread_time() - started

        return timed

    def reset(self) -> None:
        self.calls.clear()
        self.cpu.clear()


def measure(meter: Meter, seconds: float, worst: bool) -> dict[str, tuple[float, float]]:
    """{label: (calls per second, CPU seconds per second)} over one timed run of the window."""
    spin = bench_gui.spin

    def timed_spin(duration: float) -> None:
        if duration != seconds:
            spin(duration)
            return
        meter.reset()
        meter.on = True
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            spin(duration)
        finally:
            meter.on = False
        wall = time.perf_counter() - started
        meter.calls[WHOLE], meter.cpu[WHOLE] = 1, time.thread_time() - cpu
        meter.result = {label: (meter.calls[label] / wall, meter.cpu[label] / wall) for label in meter.calls}

    bench_gui.spin = timed_spin
    try:
        bench_gui.responsiveness(seconds, every_frame_changes=worst)
    finally:
        bench_gui.spin = spin
    return meter.result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--degree", type=int, default=1)
    parser.add_argument("--worst", action="store_true", help="the editor's frame skips off (every frame drawn)")
    args = parser.parse_args()
    bench_gui.DEGREE = args.degree
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="lrviz-bench-"))
    app = QApplication.instance() or QApplication([])  # noqa: F841 (keeps the app alive)
    meter = Meter()
    before = bench_gui.machine_busy()
    runs = [measure(meter, args.seconds, args.worst) for _ in range(args.repeats)]
    others = bench_gui.others_share(before, bench_gui.machine_busy())
    print(bench_gui.cpu_line() + "\n")
    case = "worst case (every frame drawn)" if args.worst else "typical case"
    terms = f"every monomial up to degree {args.degree}" if args.degree != 1 else "x1, x2"
    print(f"10,000 points, full speed, {terms}, {case}; medians of {args.repeats} runs of {args.seconds:g} s.")
    print(f"Other processes used {others:.0%} of the machine's CPUs meanwhile.\n")
    print("| GUI thread, while training | calls /s | CPU ms a call | CPU ms /s |")
    print("|---|---:|---:|---:|")
    labels = [label for *_, label in VIEWS] + [WHOLE]
    rows = []
    for label in labels:
        rates = [run.get(label, (0.0, 0.0)) for run in runs]
        calls = float(np.median([r[0] for r in rates]))
        per_second = float(np.median([r[1] for r in rates])) * 1000
        per_call = float(np.median([r[1] / r[0] for r in rates if r[0] > 0] or [0.0])) * 1000
        rows.append((label, calls, per_call, per_second))
    for label, calls, per_call, per_second in rows:
        if label == WHOLE:
            print(f"| **{label}** | | | **{per_second:.0f}** |")
        elif calls:
            print(f"| {label} | {calls:.1f} | {per_call:.2f} | {per_second:.1f} |")


if __name__ == "__main__":
    main()
