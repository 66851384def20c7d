"""How quickly `lrviz` paints its first window, and how quickly it exits once the window closes.

    python benchmarks/bench_startup.py [--runs 5] [--no-xvfb]

Each measurement is a fresh process running the real entry point of the `lrviz` script
(`lrviz.cli.entry`, else `lrviz.cli.main`), with a probe on the application's events:

* **first paint**: from just before the process is started to the first paint event of the
  main window (so the interpreter's start and every import count);
* **exit**: from the moment the window is closed (0.3 s after the first paint, or after 1 s of
  training at full speed) to the end of the process, as the parent sees it.

The clock is CLOCK_MONOTONIC (time.perf_counter on Linux), shared by parent and child. One
warm-up run, then the median of `--runs`, on the offscreen platform and under Xvfb (started
here on a free display and stopped afterwards; skipped when Xvfb is not installed). Targets:
first paint ≤ 0.8 s under Xvfb, exit ≤ 0.3 s. `python -X importtime -m lrviz --quit-after 0`
shows where an over-long start goes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import os, sys, time
T0 = float(os.environ["LRVIZ_BENCH_T0"])
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])  # run_app takes this instance


class Probe(QObject):
    painted = False

    def eventFilter(self, obj, event):  # noqa: N802 (Qt override)
        if not self.painted and event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow):
            self.painted = True
            print(f"paint {time.perf_counter() - T0:.6f}", flush=True)
            QTimer.singleShot(int(float(os.environ["LRVIZ_BENCH_CLOSE_AFTER"]) * 1000), lambda: close(obj))
        return False


def close(window):
    window.mark_saved()  # no "save changes?" question
    print(f"close {time.perf_counter():.6f}", flush=True)
    window.close()
    app.quit()


probe = Probe()
app.installEventFilter(probe)
import lrviz.cli

if hasattr(lrviz.cli, "entry"):  # the `lrviz` script: main(), then an exit without teardown
    lrviz.cli.entry()
sys.exit(lrviz.cli.main(sys.argv[1:]))
"""


def measure(env: dict[str, str], train: bool) -> tuple[float, float]:
    """(seconds to the first paint, seconds from closing the window to the end of the process)."""
    args = ["--train", "--speed", "max"] if train else []
    env = dict(env, LRVIZ_BENCH_CLOSE_AFTER="1.0" if train else "0.3")
    env["LRVIZ_BENCH_T0"] = repr(time.perf_counter())
    process = subprocess.Popen([sys.executable, "-c", PROBE, *args], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = process.communicate(timeout=60)
    ended = time.perf_counter()
    values = dict(line.split() for line in stdout.splitlines() if line.startswith(("paint ", "close ")))
    if process.returncode != 0 or set(values) != {"paint", "close"}:
        raise RuntimeError(f"lrviz exited with {process.returncode}; stdout {stdout!r}; stderr {stderr[-2000:]!r}")
    return float(values["paint"]), ended - float(values["close"])


def free_display() -> int:
    for number in range(117, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


def platforms(use_xvfb: bool):
    """(name, environment, cleanup) for offscreen and, when available, a private Xvfb."""
    base = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
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
    parser.add_argument("--no-xvfb", action="store_true", help="offscreen only")
    args = parser.parse_args()
    import platform

    print(f"lrviz start-up: medians of {args.runs} runs after one warm-up, a process each. "
          f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs.\n")
    print("| platform | first paint (target ≤ 0.8 s under Xvfb) | exit after closing (target ≤ 0.3 s) "
          "| exit after 1 s of training at full speed | first paints | exits, idle | exits, training |")
    print("|---|---:|---:|---:|---|---|---|")
    for name, env in platforms(not args.no_xvfb):
        measure(env, train=False)  # warm-up: the file cache, compiled bytecode
        idle = [measure(env, train=False) for _ in range(args.runs)]
        busy = [measure(env, train=True) for _ in range(args.runs)]
        paints = [paint for paint, _ in idle + busy]
        exits, trained = [e for _, e in idle], [e for _, e in busy]

        def listed(values: list[float]) -> str:
            return " ".join(f"{v:.2f}" for v in values)

        print(f"| {name} | {statistics.median(paints):.2f} s | {statistics.median(exits):.2f} s "
              f"| {statistics.median(trained):.2f} s | {listed(paints)} | {listed(exits)} | {listed(trained)} |",
              flush=True)


if __name__ == "__main__":
    main()
