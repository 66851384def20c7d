"""How quickly `lrviz` paints its first window, and how quickly it exits once the window closes.

    python benchmarks/bench_startup.py [--runs 5] [--long-runs 3] [--no-xvfb] [--teardown]

Each measurement is a fresh process running the real entry point of the `lrviz` script
(`lrviz.cli.entry`, else `lrviz.cli.main`; lrviz.cli imported before Qt, as the script does),
with a probe on the application's events:

* **first paint**: from just before the process is started to the first paint event of the
  main window (so the interpreter's start and every import count), and the CPU time the
  process had used by then (all its threads; a loaded machine stretches it less);
* **exit**: from the moment the window is closed (0.3 s after the first paint, after 1 s of
  training at full speed, or at the end of a long session: see LongSession in PROBE) to the
  end of the process, as the parent sees it. `--teardown` also times the long session's exit
  through main() and Python's normal exit, which the script skips.

The clock is CLOCK_MONOTONIC (time.perf_counter on Linux), shared by parent and child. One
warm-up run, then the median of `--runs`, on the offscreen platform and under Xvfb (started
here on a free display and stopped afterwards; skipped when Xvfb is not installed). The
children read compiled bytecode (PYTHONDONTWRITEBYTECODE is not passed on) and keep their
settings in a temporary folder. Targets: first paint ≤ 0.8 s under Xvfb, exit ≤ 0.3 s.
`python -X importtime -m lrviz --quit-after 0` shows where an over-long start goes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import os, sys, time
T0 = float(os.environ["LRVIZ_BENCH_T0"])
SCENARIO = os.environ["LRVIZ_BENCH_SCENARIO"]
import lrviz.cli  # first, as the `lrviz` script does (NumPy and the core before Qt)
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])  # run_app takes this instance


class Probe(QObject):
    painted = False

    def eventFilter(self, obj, event):  # noqa: N802 (Qt override)
        if not self.painted and event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow):
            self.painted = True
            print(f"paint {time.perf_counter() - T0:.6f}", flush=True)
            print(f"cpu {time.process_time():.6f}", flush=True)  # every thread's, since the process began
            if SCENARIO == "long":
                self.session = LongSession(obj)  # kept: a timer does not keep its slot's object
                QTimer.singleShot(0, self.session.next)
            else:
                QTimer.singleShot(1000 if SCENARIO == "train" else 300, lambda: close(obj))
        return False


def close(window):
    window.mark_saved()  # no "save changes?" question
    print(f"close {time.perf_counter():.6f}", flush=True)
    window.close()
    app.quit()


class LongSession:
    # What a long session does before Ctrl+Q: trains long, shows every dock, exports through
    # the file dialog (plot image, session, animation, script), opens a table through the
    # import dialog (a recent file), trains on it, and opens the About box.

    def __init__(self, window):
        self.window, self.folder = window, os.environ["LRVIZ_BENCH_FOLDER"]
        table = os.path.join(self.folder, "measurements.csv")
        with open(table, "w") as file:
            file.write("length,width,weight,species\n")
            for i in range(300):
                file.write(f"{i % 17 * 0.3:.1f},{i % 11 * 0.2:.1f},{i},{'ab'[i % 3 == 0]}\n")
        w = window
        self.steps = iter([
            (lambda: w.controls.train_button.click(), 2.0),  # training at full speed (--speed max)
            (lambda: w.controls.train_button.click(), 0.1),
            (lambda: [d.show() for d in (w.landscape_dock, w.z_view, w.math_panel, w.quality.dock)], 0.5),
            (lambda: self.answered(w.exports.export_plot_action, "plot.png"), 0.1),
            (lambda: self.answered(w.documents.save_session_action, "session.json"), 0.1),
            (lambda: self.answered(w.code_exports.export_script_action, "run.py"), 0.1),
            (lambda: self.answered(w.animation_exports.export_animation_action, "run.gif"), 0.1),
            (lambda: self.wait_for(lambda: w.animation_exports.job is None), 0.1),
            (lambda: (w.mark_saved(), self.answered(None, None, lambda: w.documents.open_path(table))), 0.1),
            (lambda: w.controls.train_button.click(), 1.0),
            (lambda: w.controls.train_button.click(), 0.1),
            (lambda: self.answered(w.about_action, None), 0.3),
        ])

    def next(self):
        step = next(self.steps, None)
        if step is None:
            close(self.window)
            return
        do, pause = step
        do()
        QTimer.singleShot(int(pause * 1000), self.next)

    def wait_for(self, condition):  # holds the sequence until the condition holds
        while not condition():
            QApplication.processEvents()
            time.sleep(0.01)

    def answered(self, action, name, call=None):
        # Trigger the action (or make the call); answer each modal dialog it opens: a file
        # dialog gets `name` in the folder, an animation dialog its smallest film, others OK.
        from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QSpinBox, QDoubleSpinBox

        def answer():
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                return
            if isinstance(dialog, QFileDialog):
                dialog.selectFile(os.path.join(self.folder, name))
            elif dialog.objectName() == "animationDialog":
                for spin in dialog.findChildren(QSpinBox) + dialog.findChildren(QDoubleSpinBox):
                    spin.setValue(spin.minimum())
            if isinstance(dialog, QMessageBox):
                dialog.accept()
            elif isinstance(dialog, QDialog):
                dialog.accept()

        timer = QTimer()
        timer.timeout.connect(answer)
        timer.start(100)
        try:
            action.trigger() if action is not None else call()
        finally:
            timer.stop()


probe = Probe()
app.installEventFilter(probe)
if hasattr(lrviz.cli, "entry") and not os.environ.get("LRVIZ_BENCH_TEARDOWN"):
    lrviz.cli.entry()  # the `lrviz` script: main(), then an exit without teardown
sys.exit(lrviz.cli.main(sys.argv[1:]))  # main(), then Python's and Qt's full teardown
"""


def measure(env: dict[str, str], scenario: str, teardown: bool = False) -> tuple[float, float, float]:
    """(seconds to the first paint, seconds from closing the window to the end of the process,
    CPU seconds the process had used at the first paint: less sensitive to a loaded machine).

    `scenario`: "idle" (close 0.3 s after the first paint), "train" (after 1 s of training at
    full speed) or "long" (a long session, see LongSession). `teardown`: end through main()
    and Python's normal exit instead of the script's entry point.
    """
    args = ["--speed", "max"] + (["--train"] if scenario == "train" else [])
    with tempfile.TemporaryDirectory(prefix="lrviz-bench-") as folder:
        env = dict(env, LRVIZ_BENCH_SCENARIO=scenario, LRVIZ_BENCH_FOLDER=folder,
                   XDG_CONFIG_HOME=os.path.join(folder, "config"))  # recent files, last folder: not the user's
        if teardown:
            env["LRVIZ_BENCH_TEARDOWN"] = "1"
        env["LRVIZ_BENCH_T0"] = repr(time.perf_counter())
        process = subprocess.Popen([sys.executable, "-c", PROBE, *args], env=env, cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        stdout, stderr = process.communicate(timeout=180)
        ended = time.perf_counter()
    values = dict(line.split() for line in stdout.splitlines() if line.startswith(("paint ", "close ", "cpu ")))
    if process.returncode != 0 or set(values) != {"paint", "close", "cpu"}:
        raise RuntimeError(f"lrviz exited with {process.returncode}; stdout {stdout!r}; stderr {stderr[-2000:]!r}")
    return float(values["paint"]), ended - float(values["close"]), float(values["cpu"])


def free_display() -> int:
    for number in range(117, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


def platforms(use_xvfb: bool):
    """(name, environment, cleanup) for offscreen and, when available, a private Xvfb."""
    # PYTHONDONTWRITEBYTECODE is dropped: a warm start reads compiled bytecode, as an installed lrviz does
    dropped = ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "PYTHONDONTWRITEBYTECODE")
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    yield "offscreen", dict(base, QT_QPA_PLATFORM="offscreen")
    if not use_xvfb or shutil.which("Xvfb") is None:
        return
    number = free_display()
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.05)
        yield f"Xvfb :{number}", dict(base, DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb")
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--long-runs", type=int, default=3, help="runs of the long session (about 8 s each)")
    parser.add_argument("--no-xvfb", action="store_true", help="offscreen only")
    parser.add_argument("--teardown", action="store_true",
                        help="also time the long session's exit through main() and Python's full teardown")
    args = parser.parse_args()
    import platform

    print(f"lrviz start-up: medians of {args.runs} runs ({args.long_runs} of the long session) after one "
          f"warm-up, a process each. Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start.\n")
    print("| platform | first paint (target ≤ 0.8 s under Xvfb) | CPU time at the first paint "
          "| exit after closing (target ≤ 0.3 s) | exit after 1 s of training at full speed "
          "| exit after a long session "
          + ("| same, through main() and Python's teardown " if args.teardown else "")
          + "| first paints | exits, idle | exits, training | exits, long session |")
    print("|---|---:|---:|---:|---:|---:|" + ("---:|" if args.teardown else "") + "---|---|---|---|")
    for name, env in platforms(not args.no_xvfb):
        measure(env, "idle")  # warm-up: the file cache, compiled bytecode
        idle = [measure(env, "idle") for _ in range(args.runs)]
        busy = [measure(env, "train") for _ in range(args.runs)]
        long = [measure(env, "long") for _ in range(args.long_runs)]
        full = [measure(env, "long", teardown=True) for _ in range(args.long_runs)] if args.teardown else []
        paints = [run[0] for run in idle + busy]
        cpus = [run[2] for run in idle + busy]
        exits, trained, after_long, torn_down = ([run[1] for run in runs] for runs in (idle, busy, long, full))

        def listed(values: list[float]) -> str:
            return " ".join(f"{v:.2f}" for v in values)

        torn = f"| {statistics.median(torn_down):.2f} s ({listed(torn_down)}) " if full else ""
        print(f"| {name} | {statistics.median(paints):.2f} s | {statistics.median(cpus):.2f} s "
              f"| {statistics.median(exits):.2f} s | {statistics.median(trained):.2f} s "
              f"| {statistics.median(after_long):.2f} s {torn}"
              f"| {listed(paints)} | {listed(exits)} | {listed(trained)} | {listed(after_long)} |", flush=True)


if __name__ == "__main__":
    main()
