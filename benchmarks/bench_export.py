"""How long File ▸ Export Animation takes: a 10-second, 20 fps GIF of the editor at 640×480.

    python benchmarks/bench_export.py [--runs 3] [--epochs 1000] [--formats gif,png,webp,mp4]

The window is made on the offscreen platform, trained to `--epochs` on the built-in data set,
and the animation is exported exactly as the menu item does (AnimationActions.start: frames
drawn by offscreen copies of the views in the GUI thread, a few per event-loop turn, encoded
in a background thread, written atomically). The time is from the start of the export to
its `finished` signal; the median of `--runs` is printed with the CPU. Target: the GIF in
≤ 20 s. The machine may be shared with other work (say so with the numbers).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

TARGET_S = 20.0


def cpu_name() -> str:
    try:
        lines = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout.splitlines()
    except OSError:
        return "unknown"
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith("Model name")), "unknown")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--formats", default="gif")
    args = parser.parse_args()

    load_before = os.getloadavg()  # other work on the machine (shared cores) shows here
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from lrviz.core.formats.animation import mp4_available
    from lrviz.ui.animation.dialog import AnimationOptions
    from lrviz.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    while len(window.run.history) < 1:
        app.processEvents()
    window.controls.max_epochs_spin.setValue(args.epochs)
    window.controls.speed_slider.setValue(window.controls.speed_slider.maximum())
    window.controls.train_button.click()
    while window.run.history.last_epoch < args.epochs or window.controller.is_running:
        app.processEvents()

    options = AnimationOptions(subject="editor", width=640, height=480, seconds=10.0, fps=20)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for suffix in args.formats.split(","):
            if suffix == "mp4" and not mp4_available():
                rows.append((suffix, "skipped: imageio-ffmpeg is not installed", "", ""))
                continue
            times = []
            path = Path(folder) / f"bench.{suffix}"
            for _ in range(args.runs):
                done: list = []
                started = time.perf_counter()
                job = window.animation_exports.start(options, str(path))
                job.finished.connect(lambda written, message, done=done: done.append((written, message)))
                while not done:
                    app.processEvents()
                times.append(time.perf_counter() - started)
                if not done[0][0]:
                    raise SystemExit(f"the export failed: {done[0][1]}")
            size = path.stat().st_size / 1e6
            rows.append((suffix, f"{statistics.median(times):.1f}", f"{min(times):.1f}", f"{size:.1f}"))
    window.mark_saved()
    window.close()

    frames = round(options.seconds * options.fps)
    print(f"CPU: {cpu_name()} ({os.cpu_count()} logical CPUs); load average before: "
          f"{', '.join(f'{v:.1f}' for v in load_before)} (1, 5, 15 min)")
    print(f"{frames} frames of the editor at {options.width}×{options.height}, epochs 0 to {args.epochs} "
          f"spaced in log-epoch; median of {args.runs} runs; target for the GIF ≤ {TARGET_S:g} s\n")
    print("| format | median s | best s | file MB |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
