"""Large files in the window: the longest GUI gap and the peak memory while each is opened or saved.

    python benchmarks/bench_files.py [--sizes 2 20 200]

For each size (MB of file) and case, a fresh process opens a window (offscreen), starts a
10 ms timer that records every gap between its ticks (a tick waits for whatever holds the
event loop: a read in the GUI thread, or a worker holding the GIL), then does the case:

* **points**:          open a points CSV of that size; measured until 50 ms after the open
  returns, so it leaves out most of what the views then compute in threads (from 200,000
  points: the metrics, the density image, the accuracy, the 2/L tooltip)
* **points, settled**: the same file, measured until every view shows the opened file's
  numbers: the read-out's accuracy, the metrics panel's, the learning rate's 2/L tooltip,
  and no thread of lrviz's (reading, density, metrics, accuracy, step size) still alive,
  for three ticks in a row (their results, queued to the GUI thread, and the frames they
  ask for are then handled; at most SETTLE_LIMIT seconds, else the case fails)
* **points, bad end**: the "points" file with a damaged last line (refused, with its line number)
* **points, named**:   a file of that size of named classes (``x1,x2,label,y``: cat 0, dog 1),
  measured as "points, settled"
* **session open**:    open a session of that size (its history ≈ size / 105 bytes epochs;
  random θ and losses, so every curve is a dense zig-zag: the costliest to draw)
* **session open, drawn**: the same, measured until 3 s after the open returns: the views'
  first drawing of the long history (the epoch curves, the landscape's path when shown)
* **session, cut short**: that session without its last 100 bytes (refused, with json's
  line and column, as a copy that stopped half-way would be)
* **session save**:    save that session again (opened first; its growth is over the peak
  of that open, so it shows only what saving needs beyond it)

and prints the longest gap and the wall time of the case (both from the start of the
case to its end as above), the process' peak resident memory (VmHWM), and how much it grew
during the case against the file's size. Targets (issue 18): no gap over 0.2 s and a
peak ≤ 3× the file's size for any file up to 200 MB. The table says where lrviz stands.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASE = r"""
import os, sys, threading, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from lrviz.ui import plain_text
from lrviz.ui.main_window import MainWindow
from lrviz.core.dataset import Dataset

def high_water_mb():  # VmHWM: this process' peak (ru_maxrss would keep the parent's peak across exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0

shown = []
plain_text.exec_box = lambda box: shown.append(box.text()) or box.StandardButton.Ok
app = QApplication([])
win = MainWindow(Dataset([[0.0, 0.0], [1.0, 1.0]], [0, 1]))
win.show()
for _ in range(20):
    app.processEvents()
case, path = sys.argv[1], sys.argv[2]
if case == "save":  # the session is opened and drawn first (not measured), then saved
    win.documents.open_path(path)
    settle = time.perf_counter() + 3.0  # the views' first drawing of the long history
    while time.perf_counter() < settle:
        app.processEvents()
    QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (path + ".saved.lrviz.json", ""))
gaps = [0.0]
base = high_water_mb()
start = last = time.perf_counter()

def tick():
    global last
    now = time.perf_counter()
    gaps.append(now - last)
    last = now

timer = QTimer()
timer.setInterval(10)
timer.timeout.connect(tick)
timer.start()

def drawn():
    # Whether every view shows the opened file's numbers and nothing computes them any more: the
    # read-out's accuracy, the metrics panel's, the step-size tooltip's bound, and no thread of
    # lrviz's (reading, density, metrics, accuracy, step size) still alive.
    if win.documents.is_loading() or any(t.name.startswith("lrviz-") for t in threading.enumerate()):
        return False
    metrics = win.quality.metrics_panel.values[("accuracy", "train")].text()
    return (win.readout.readout["accuracy"].text().endswith("%") and metrics.endswith("%")
            and "2/L" in win.controls.learning_rate_spin.toolTip())

quiet = [0]

def settle():
    # Three quiet ticks in a row: the threads' results, queued to this thread, and the frames
    # they ask for have been handled. The bound is a benchmark's safety net, not the condition.
    quiet[0] = quiet[0] + 1 if drawn() else 0
    if quiet[0] >= 3 or time.perf_counter() - start > SETTLE_LIMIT:
        app.quit()

SETTLE_LIMIT = 300.0
DRAWN_SECONDS = 3.0  # as long as the "save" case lets the views draw an opened session first

def act():
    win.documents.save_session() if case == "save" else win.documents.open_path(path)
    if case == "settled":
        timer.timeout.connect(settle)
    elif case == "drawn":
        QTimer.singleShot(int(DRAWN_SECONDS * 1000), app.quit)  # the views' first paints of the history
    else:
        QTimer.singleShot(50, app.quit)  # a last tick after the case

QTimer.singleShot(0, act)
app.exec()
elapsed = time.perf_counter() - start
if case == "settled" and quiet[0] < 3:
    print(f"not settled within {SETTLE_LIMIT:.0f} s", file=sys.stderr, flush=True)
    os._exit(1)
peak = high_water_mb()
print(f"{max(gaps):.3f} {elapsed:.3f} {peak:.1f} {base:.1f} {len(shown)}")
win.state.mark_saved()
os._exit(0)
"""


def write_points(path: Path, megabytes: float, bad_end: bool, named: bool = False) -> None:
    """Random points; `named`: in the form of named classes (label cat/dog, then y)."""
    import numpy as np

    rng = np.random.default_rng(0)
    rows = int(megabytes * 1e6 / (45 if named else 42))  # repr() floats: about 42 bytes a row (45 named)
    with open(path, "w", encoding="utf-8") as out:
        out.write("x1,x2,label,y\n" if named else "x1,x2,label\n")
        for start in range(0, rows, 200_000):
            n = min(200_000, rows - start)
            X, y = rng.normal(size=(n, 2)), rng.integers(0, 2, n)
            labels = [("cat,0", "dog,1")[c] for c in y.tolist()] if named else y.tolist()
            out.write("".join(f"{a!r},{b!r},{c}\n" for (a, b), c in zip(X.tolist(), labels)))
        if bad_end:
            out.write("1.0,oops,1\n")


def write_big_session(path: Path, megabytes: float) -> None:
    import numpy as np

    from lrviz.core.dataset import make_preset
    from lrviz.core.formats import Session, write_session
    from lrviz.core.history import RunHistory, parameter_names

    points = make_preset("overlapping", n_points=200, seed=1)
    epochs = int(megabytes * 1e6 / 105)
    rng = np.random.default_rng(0)
    history = RunHistory(parameter_names(2))
    history.append(np.arange(epochs), rng.normal(size=(epochs, 3)), rng.random(epochs), rng.random(epochs),
                   0.1, 0.0, 0)
    write_session(path, Session(points=points, history=history))


def measure(case: str, path: Path) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CASE, case, str(path)], capture_output=True, text=True,
                          timeout=1800, env=env)
    if done.returncode != 0:
        return ["failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]]
    return done.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[2.0, 20.0, 200.0], help="file sizes in MB")
    args = parser.parse_args()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    print(f"CPU: {cpu}; Python {platform.python_version()}")
    print(f"| {'case':<19} | {'file MB':>8} | {'longest gap s':>13} | {'time s':>7} | {'peak MB':>8} | "
          f"{'growth/file':>11} | {'refused':>7} |")
    print(f"|{'-' * 21}|{'-' * 10}|{'-' * 15}|{'-' * 9}|{'-' * 10}|{'-' * 13}|{'-' * 9}|")
    with tempfile.TemporaryDirectory() as folder:
        for megabytes in args.sizes:
            cases = []
            good, bad, named = Path(folder) / "points.csv", Path(folder) / "bad.csv", Path(folder) / "named.csv"
            write_points(good, megabytes, False)
            write_points(bad, megabytes, True)
            write_points(named, megabytes, False, named=True)
            session, cut = Path(folder) / "big.lrviz.json", Path(folder) / "cut.lrviz.json"
            write_big_session(session, megabytes)
            with open(session, "rb") as whole, open(cut, "wb") as part:  # its last 100 bytes lost
                part.write(whole.read(session.stat().st_size - 100))
            cases = [("points", "open", good), ("points, settled", "settled", good), ("points, bad end", "open", bad),
                     ("points, named", "settled", named),
                     ("session open", "open", session), ("session open, drawn", "drawn", session),
                     ("session, cut short", "open", cut), ("session save", "save", session)]
            for name, case, path in cases:
                size = path.stat().st_size / 1e6
                result = measure(case, path)
                if len(result) != 5:
                    print(f"| {name:<19} | {size:8.1f} | {result[0]} |")
                    continue
                gap, elapsed, peak, base, refused = result
                grown = float(peak) - float(base)
                print(f"| {name:<19} | {size:8.1f} | {float(gap):13.3f} | {float(elapsed):7.2f} | {float(peak):8.0f} | "
                      f"{grown / size:11.1f} | {refused:>7} |", flush=True)
            for path in (good, bad, named, session, cut):
                path.unlink()


if __name__ == "__main__":
    main()
