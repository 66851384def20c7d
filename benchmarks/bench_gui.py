"""Responsiveness of the real window while it trains at full speed.

    python benchmarks/bench_gui.py [--seconds 6] [--memory-epochs 1000000] [--math] [--degree 3]

--math shows the math panel and the z view (with a point selected) while measuring;
--math-ab alternates runs without and with them (the typical case) and prints only that
comparison: on a shared machine, interleaving is what makes the two comparable.
--memory-epochs 0 skips the memory part.
--degree D trains on every monomial up to degree D (issue 14: the editor then draws the curved
boundary, with its own frame-skip bound); the headless rate is then that of the same model.

Measures, in one run, with the window on Qt's offscreen platform:
1. event-loop latency: a QTimer probe firing every 10 ms, how late it fires (95th percentile);
2. repaints per second of the editor (its viewport's paint events: boundary and heatmap);
3. training rate inside the window against Trainer.run on the same data, headless;
   (1–3 with 10,000 points, in two cases: "typical", where the editor skips frames that
   would change no pixel, as it does once the boundary settles; and "worst", where that
   skip is switched off and every frame is repainted, as while the boundary still moves)
4. memory (RSS) over 10^6 epochs at 200 points, against the size of the history arrays.
Targets (issue 6): probe late ≤ 50 ms at p95, ≥ 30 redraws/s, rate ≥ 70 % of headless,
RSS flat apart from the history.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QObject, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QComboBox  # noqa: E402

from lrviz.core import Trainer  # noqa: E402
from lrviz.core.dataset import make_preset  # noqa: E402
from lrviz.core.model_trainer import build_trainer  # noqa: E402
from lrviz.ui.main_window import MainWindow  # noqa: E402
from lrviz.ui.editor.point_editor import PointEditor  # noqa: E402

PROBE_MS = 10
SHOW_MATH = False  # --math: the math panel and the z view are open, a point selected
DEGREE = 1  # --degree: the feature map's degree (1: the tutorial's x1, x2)


def cpu_line() -> str:
    """The CPU's model name and NumPy's SIMD level: the numbers depend on both."""
    model = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as handle:
        model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), model)
    try:
        from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
        found = [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]
        simd = f"SIMD baseline {' '.join(__cpu_baseline__)}, found {' '.join(found) or 'none'}"
    except ImportError:  # another NumPy: its show_runtime says it
        text = io.StringIO()
        with contextlib.redirect_stdout(text):
            np.show_runtime()
        simd = " ".join(text.getvalue().split())[:200]
    return f"CPU: {model}, {os.cpu_count()} logical cores; NumPy {np.__version__} ({simd}); Python {platform.python_version()}"


def machine_busy() -> tuple[float, float, float]:
    """(wall, CPU seconds of all processes, of this one): two calls tell how much of the machine
    other processes used in between (a busy shared machine makes every number here worse)."""
    try:
        with open("/proc/stat") as handle:
            fields = [int(v) for v in handle.readline().split()[1:]]
        busy = (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # all but idle, iowait
    except (OSError, ValueError, IndexError):
        busy = float("nan")
    own = os.times()
    return time.perf_counter(), busy, own.user + own.system


def others_share(before: tuple[float, float, float], after: tuple[float, float, float]) -> float:
    wall, busy, own = (a - b for a, b in zip(after, before))
    return max(0.0, busy - own) / (wall * (os.cpu_count() or 1)) if wall > 0 else float("nan")


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        resident_pages = int(handle.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def spin(seconds: float) -> None:
    """Run the event loop for a while (QEventLoop releases the GIL; QTest.qWait does not)."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def headless_rate(X: np.ndarray, y: np.ndarray, seconds: float, settings=None) -> float:
    """Epochs per second of the window's model (its settings: φ, optimizer) trained headless."""
    trainer = Trainer(X, y) if settings is None else build_trainer(X, y, settings)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        done += len(trainer.run(200))
    return done / (time.perf_counter() - start)


def open_window(points: int) -> MainWindow:
    window = MainWindow(make_preset("overlapping", n_points=points, seed=1))
    window.resize(1360, 820)
    window.show()
    window.controls.max_epochs_spin.setValue(window.controls.max_epochs_spin.maximum())
    window.controls.speed_slider.setValue(window.controls.speed_slider.maximum())
    if DEGREE != 1:
        combo = window.findChild(QComboBox, "featuresCombo")
        combo.setCurrentIndex(combo.findData(str(DEGREE)))
        if window.run.settings.degree != DEGREE:
            raise SystemExit(f"the window has no feature map of degree {DEGREE}")
    if SHOW_MATH:
        window.math_action.trigger()
        window.z_view_action.trigger()
        window.state.select_point(0)
    spin(0.3)
    return window


class PaintCounter(QObject):
    """Counts the paint events a widget really gets (not the redraws asked for)."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def responsiveness(seconds: float, every_frame_changes: bool) -> dict[str, float]:
    skips = PointEditor._looks_the_same, PointEditor._surely_unchanged, PointEditor._curve_unchanged
    if every_frame_changes:
        PointEditor._looks_the_same = PointEditor._surely_unchanged = PointEditor._curve_unchanged = lambda *a: False
    try:
        return _responsiveness(seconds)
    finally:
        PointEditor._looks_the_same, PointEditor._surely_unchanged, PointEditor._curve_unchanged = skips


def _responsiveness(seconds: float) -> dict[str, float]:
    window = open_window(10_000)
    paints = PaintCounter(window.editor.viewport())
    lateness: list[float] = []
    clock = QElapsedTimer()
    probe = QTimer()
    probe.setInterval(PROBE_MS)
    last = [0]

    def on_probe() -> None:
        now = clock.elapsed()
        lateness.append(max(0, now - last[0] - PROBE_MS))
        last[0] = now

    probe.timeout.connect(on_probe)
    window.controls.train_button.click()
    spin(0.5)  # let training settle
    first_epoch = window.run.history.last_epoch
    paints.count = 0
    clock.start()
    probe.start()
    started = time.perf_counter()
    spin(seconds)
    elapsed = time.perf_counter() - started
    probe.stop()
    epochs = window.run.history.last_epoch - first_epoch
    repaints = paints.count
    window.controls.train_button.click()
    spin(0.2)
    X, y = window.points.dataset.snapshot()
    settings = window.run.settings if DEGREE != 1 else None
    window.mark_saved()
    window.close()
    return {
        "probe_p95_ms": float(np.percentile(lateness, 95)),
        "probe_max_ms": float(np.max(lateness)),
        "redraws_per_s": repaints / elapsed,
        "window_rate": epochs / elapsed,
        "headless_rate": headless_rate(X, y, min(seconds, 3.0), settings),
    }


def history_bytes(history) -> int:
    """The bytes of the history's arrays at their capacity: every array it holds, whatever the
    names (the per-epoch columns, and the few runs of α, λ and data revision)."""
    def arrays(obj):
        for value in vars(obj).values():
            if isinstance(value, np.ndarray):
                yield value
            elif hasattr(value, "__dict__") and type(value).__module__ == type(history).__module__:
                yield from arrays(value)
    return sum(array.nbytes for array in arrays(history))


def memory(epochs: int) -> dict[str, float]:
    window = open_window(200)
    window.controls.max_epochs_spin.setValue(epochs)
    samples = [(0, rss_mib())]
    window.controls.train_button.click()
    while window.training.is_running:
        spin(0.5)
        samples.append((window.run.history.last_epoch, rss_mib()))
    spin(0.2)
    samples.append((window.run.history.last_epoch, rss_mib()))
    history_mib = history_bytes(window.run.history) / 2**20
    window.mark_saved()
    window.close()
    return {"epochs": samples[-1][0], "rss_start": samples[0][1], "rss_end": samples[-1][1],
            "rss_peak": max(s[1] for s in samples), "history_mib": history_mib,
            "samples": samples}


def math_ab(seconds: float, repeats: int) -> None:
    """Typical-case runs alternating without and with the math panel and z view shown."""
    global SHOW_MATH
    runs: dict[bool, list] = {False: [], True: []}
    before = machine_busy()
    for _ in range(repeats):
        for shown in (False, True):
            SHOW_MATH = shown
            runs[shown].append(responsiveness(seconds, every_frame_changes=False))
    others = others_share(before, machine_busy())
    print(cpu_line() + "\n")
    print(f"10,000 points, full speed, typical case; {repeats} runs of {seconds:g} s each way, alternating.")
    print(f"Other processes used {others:.0%} of the machine's CPUs meanwhile.\n")
    print("| measure | without the math panel | with the math panel and z view | target |")
    print("|---|---:|---:|---|")
    for label, key, fmt in (("10 ms timer probe, lateness p95", "probe_p95_ms", "{:.0f} ms"),
                            ("training rate in the window", "window_rate", "{:,.0f} epochs/s"),
                            ("Trainer.run headless, same data", "headless_rate", "{:,.0f} epochs/s")):
        cells = [f"{fmt.format(float(np.median([r[key] for r in runs[s]])))}" for s in (False, True)]
        print(f"| {label} (median) | {cells[0]} | {cells[1]} | |")
    headless = float(np.median([r["headless_rate"] for s in runs for r in runs[s]]))
    ratios = [float(np.median([r["window_rate"] for r in runs[s]])) / headless for s in (False, True)]
    print(f"| window / headless, medians (headless pooled: {headless:,.0f} epochs/s) | **{ratios[0]:.0%}** "
          f"| **{ratios[1]:.0%}** | ≥ 70 % |")
    for shown in (False, True):
        print(f"\n{'with' if shown else 'without'}, window / own headless run, in order: "
              + ", ".join(f"{r['window_rate'] / r['headless_rate']:.0%}" for r in runs[shown]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--memory-epochs", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3, help="responsiveness runs per case; the median is shown")
    parser.add_argument("--math", action="store_true", help="measure with the math panel and the z view shown")
    parser.add_argument("--math-ab", action="store_true", help="alternate runs without and with them; compare")
    parser.add_argument("--degree", type=int, default=1, help="the feature map's degree (1: x1, x2)")
    args = parser.parse_args()
    global SHOW_MATH, DEGREE
    SHOW_MATH, DEGREE = args.math, args.degree
    if args.math_ab:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="lrviz-bench-"))
        app = QApplication.instance() or QApplication([])  # noqa: F841 (keeps the app alive)
        math_ab(args.seconds, args.repeats)
        return
    # Geometry and recent files go to a private folder: no user's settings are read or written.
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="lrviz-bench-"))
    app = QApplication.instance() or QApplication([])  # noqa: F841 (keeps the app alive)

    cases = {"typical": [], "worst": []}
    before = machine_busy()
    for _ in range(args.repeats):  # interleaved: machine noise hits both cases alike
        for case, runs in cases.items():
            runs.append(responsiveness(args.seconds, every_frame_changes=case == "worst"))
    others = others_share(before, machine_busy())
    print(cpu_line() + "\n")
    shown = " with the math panel and the z view shown (a point selected)" if SHOW_MATH else ""
    shown += f", every monomial up to degree {DEGREE}" if DEGREE != 1 else ""
    print(f"10,000 points, full speed{shown}; median (and range) of {args.repeats} runs of {args.seconds:g} s per case.")
    print("typical: frames that change no pixel are skipped; worst: every frame is repainted.")
    print(f"Other processes used {others:.0%} of the machine's CPUs meanwhile.\n")
    print("| measure | typical | worst | target |")
    print("|---|---:|---:|---|")
    rows = [("10 ms timer probe, lateness p95", "probe_p95_ms", "{:.0f} ms", "≤ 50 ms"),
            ("editor repaints (boundary + heatmap)", "redraws_per_s", "{:.1f} /s", "≥ 30 /s in the worst case"),
            ("training rate in the window", "window_rate", "{:,.0f} epochs/s", ""),
            ("Trainer.run headless, same data", "headless_rate", "{:,.0f} epochs/s", ""),
            ("window / headless, each run against its own headless run", "ratio", "{:.0%}", "")]
    for runs in cases.values():
        for run in runs:
            run["ratio"] = run["window_rate"] / run["headless_rate"]
    for label, key, fmt, target in rows:
        cells = []
        for runs in cases.values():
            values = [run[key] for run in runs]
            cells.append(f"{fmt.format(float(np.median(values)))} ({fmt.format(min(values))}–{fmt.format(max(values))})")
        print(f"| {label} | {cells[0]} | {cells[1]} | {target} |")

    # The headless rate on the same data is one quantity; its spread is the machine's noise.
    # Against the median of all headless runs (interleaved with the window runs), a case's
    # median window rate gives a ratio that one unlucky headless run cannot swing.
    headless = float(np.median([run["headless_rate"] for runs in cases.values() for run in runs]))
    pooled = [f"{np.median([run['window_rate'] for run in runs]) / headless:.0%}" for runs in cases.values()]
    print(f"| window / headless, medians (headless pooled: {headless:,.0f} epochs/s) "
          f"| **{pooled[0]}** | **{pooled[1]}** | ≥ 70 % |")
    for case, runs in cases.items():
        print(f"\nwindow / headless, each {case} run in order: "
              + ", ".join(f"{run['ratio']:.0%}" for run in runs))

    if args.memory_epochs <= 0:
        return
    m = memory(args.memory_epochs)
    growth = m["rss_end"] - m["rss_start"]
    print()
    print(f"| memory over {m['epochs']:,} epochs (200 points) | MiB |")
    print("|---|---:|")
    print(f"| RSS at epoch 0 | {m['rss_start']:.1f} |")
    print(f"| RSS at the end (peak) | {m['rss_end']:.1f} ({m['rss_peak']:.1f}) |")
    print(f"| history arrays (capacity, doubling) | {m['history_mib']:.1f} |")
    print(f"| growth not explained by the history | {growth - m['history_mib']:.1f} |")
    steps = m["samples"][:: max(1, len(m["samples"]) // 8)]
    print("\nRSS along the run (epoch: MiB): " + ", ".join(f"{e:,}: {v:.0f}" for e, v in steps))


if __name__ == "__main__":
    main()
