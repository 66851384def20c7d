"""Resident memory of the real window with a 10^7- and 10^8-epoch run, every dock shown.

    python benchmarks/bench_long_run.py [--epochs 1e7 1e8] [--batch 3000] [--frame-epochs 30000]
                                        [--code PATH]

Each size runs in a fresh process: a MainWindow (offscreen) on the "separable" preset
(200 points, α = 0.5, no stop rule: its loss falls for ever, as a long run's does) with
every dock shown and floating (so each is visible: the landscape, the z view, the math
panel, the runs list, ...), and the loss landscape's surface on. The run is then given its
epochs as the training thread delivers them: `--batch` epochs per `Run.append_epochs`
(RunController._on_batch's call), with a frame (the clock flushed, the event loop turned)
every `--frame-epochs` epochs, so every view follows the run as while training.

The epochs are real gradient descent for the first 20,000 (the Trainer) and then
synthesised, because the Trainer on 200 points runs at ~15,000 epochs a second here
(10^8 would take two hours): θ goes on along the direction of its last octave as
log(epoch) (separable data's max-margin drift), loss and gradient norm fall as 1/epoch.
The history and the views see ordinary float64 epochs either way.

Then the first, the middle and the newest epoch are selected (each drawn, its landscape
slice computed) and the middle one's parameters are exported (File ▸ Export Parameters).
Printed per size: resident memory (VmRSS) of the window before the run, after it and
after the selections and the export; the peak (VmHWM) over the whole process; the history's
temp files on disk; the seconds taken. Issue 18's target: ≤ 1 GB resident at 10^8 epochs
with every epoch selectable and exportable. `--code` runs another checkout's lrviz (an
old commit) for a side-by-side comparison.

The history's temp files go to a fresh folder under $TMPDIR (about 56 bytes an epoch: 5.6 GB
at 10^8; check `df -h /tmp`), removed at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASE = r"""
import json, os, sys, time
import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
total, batch, frame_epochs, out = int(float(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

def status():
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return {key: int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM", "RssAnon", "RssFile")}

def temp_mb():
    folder, blocks = os.environ["LRVIZ_HISTORY_DIR"], {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith(folder):
                info = os.fstat(int(fd))
                blocks[info.st_ino] = info.st_blocks * 512
        except OSError:
            pass
    return sum(blocks.values()) / 2**20

from PySide6.QtWidgets import QApplication, QDockWidget, QFileDialog
app = QApplication([])
from lrviz.core.dataset import make_preset
from lrviz.core.trainer import Trainer
from lrviz.ui.main_window import MainWindow

def turn(until=None, seconds=0.0):
    end = time.perf_counter() + seconds
    while True:
        win.state.clock.flush()
        app.processEvents()
        if (until is None or until()) and time.perf_counter() >= end:
            return
        time.sleep(0.005)

points = make_preset("separable", n_points=200, seed=1)
win = MainWindow(points.copy())
win.resize(1400, 900)
win.show()
turn(lambda: len(win.run.history) == 1)
win.landscape_dock.show()
for dock in win.findChildren(QDockWidget):
    dock.setFloating(True)
    dock.resize(520, 420)
    dock.show()
turn(seconds=1.0)
landscape = win.landscape.plot
turn(lambda: landscape.picture is not None)
docks = sorted(d.objectName() or d.windowTitle() for d in win.findChildren(QDockWidget) if d.isVisible())
before = status()

run = win.run
row0 = run.history.row(0)
settings = run.settings
trainer = Trainer(points.X, points.y, learning_rate=settings.learning_rate, l2=settings.l2,
                  standardize=settings.standardize, w0=row0.w, b0=row0.b)
REAL = 20_000
start = time.perf_counter()
done, since_frame = 1, 0
thetas = []
while done < min(REAL, total):
    h = trainer.run(min(batch, REAL - done, total - done))
    theta = np.column_stack([h.W, h.b])
    run.append_epochs(h.epochs, theta, h.loss, h.grad_norm, settings.learning_rate, settings.l2, run.revision)
    done += len(h.epochs)
    since_frame += len(h.epochs)
    if since_frame >= frame_epochs:
        since_frame = 0
        turn()
last = run.history.row(done - 1)
half = run.history.row((done - 1) // 2)
drift = (last.theta - half.theta) / np.log((done - 1) / max((done - 1) // 2, 1))
while done < total:
    k = min(batch, total - done)
    epochs = np.arange(done, done + k)
    scale = np.log(epochs / last.epoch)
    theta = last.theta + scale[:, None] * drift
    ratio = last.epoch / epochs
    run.append_epochs(epochs, theta, last.loss * ratio, last.grad_norm * ratio, settings.learning_rate,
                      settings.l2, run.revision)
    done += k
    since_frame += k
    if since_frame >= frame_epochs:
        since_frame = 0
        turn()
turn(seconds=0.5)
filled = time.perf_counter() - start
after_run = status()

picked = []
for epoch in (0, total // 2, total - 1):
    win.state.select_epoch(epoch)
    serial = landscape._serial
    turn(lambda: landscape.picture is not None and landscape.picture.request.serial >= serial
         and landscape.marker_position() is not None, seconds=0.3)
    shown = win.state.shown_row()
    picked.append(shown.epoch == epoch and np.array_equal(shown.theta, run.history.row(epoch).theta))
win.state.select_epoch(total // 2)
turn(seconds=0.2)
QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (out, ""))
win.exports.export_params()
turn(seconds=0.2)
exported = json.load(open(out))
middle = run.history.row(total // 2)
exported_ok = exported.get("epoch") == total // 2 and [float(v) for v in (exported.get("weights") or [])] == middle.w.tolist()
final = status()
print(json.dumps({"epochs": len(run.history), "docks": docks, "before": before, "after_run": after_run,
                  "final": final, "temp_mb": temp_mb(), "seconds": filled, "picked": picked,
                  "exported": exported_ok, "on_disk": run.history.on_disk}), flush=True)
win.mark_saved()
os._exit(0)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=float, nargs="+", default=[1e7, 1e8])
    parser.add_argument("--batch", type=int, default=3000, help="epochs per append (a training batch)")
    parser.add_argument("--frame-epochs", type=int, default=30000, help="epochs between two frames")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose lrviz runs")
    args = parser.parse_args()
    import json

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    print(f"CPU: {cpu}; Python {platform.python_version()}; load {os.getloadavg()[0]:.1f}; code {args.code}")
    print("| epochs | window before MB | after the run MB | after select + export MB | peak (VmHWM) MB "
          "| of it file-mapped MB | history on disk MB | seconds | selected exactly | exported |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|:---:|:---:|")
    for total in args.epochs:
        folder = tempfile.mkdtemp(prefix="lrviz-bench-long-")
        try:
            env = {**os.environ, "PYTHONPATH": str(args.code), "LRVIZ_HISTORY_DIR": folder,
                   "QT_QPA_PLATFORM": "offscreen"}
            out = os.path.join(folder, "params.json")
            result = subprocess.run([sys.executable, "-c", CASE, str(int(total)), str(args.batch),
                                     str(args.frame_epochs), out], capture_output=True, text=True, env=env, check=False)
            lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
            if result.returncode or not lines:
                print(f"| {int(total):,} | failed: {result.stderr.strip().splitlines()[-1:]} |")
                continue
            r = json.loads(lines[-1])
            print(f"| {r['epochs']:,} | {r['before']['VmRSS']:.0f} | {r['after_run']['VmRSS']:.0f} "
                  f"| {r['final']['VmRSS']:.0f} | {r['final']['VmHWM']:.0f} | {r['final']['RssFile']:.0f} "
                  f"| {r['temp_mb']:.0f} | {r['seconds']:.0f} | {'yes' if all(r['picked']) else 'NO'} "
                  f"| {'yes' if r['exported'] else 'NO'} |", flush=True)
            print(f"  docks shown: {', '.join(r['docks'])}", file=sys.stderr)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
