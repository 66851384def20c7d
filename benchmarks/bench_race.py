"""A race in the window against the same race headless: does drawing it slow it down?

    python benchmarks/bench_race.py [--points 10000] [--epochs 2000] [--repeats 3]

Headless: `Race.advance` until every racer (gradient descent, momentum, Adam: the default
racers) has its epochs. Window: the real MainWindow on Qt's offscreen platform, the loss
landscape shown, Race at full speed (speed slider at max), from raceAction's start to the
race's end, with the kept curves and paths redrawn as batches arrive. Prints the best of
`--repeats` of each and the ratio (target: ≥ 0.7, as for training, issue 6), with the CPU
and how busy the rest of the machine was.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_gui import cpu_line, machine_busy, others_share  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from lrviz.core.dataset import make_preset  # noqa: E402
from lrviz.core.race import DEFAULT_RACERS, Race, race_settings  # noqa: E402
from lrviz.ui.main_window import MainWindow  # noqa: E402


def headless(dataset, epochs: int) -> float:
    X, y = dataset.snapshot()
    started = time.perf_counter()
    race = Race(X, y, race_settings(_settings(), DEFAULT_RACERS), [0.0, 0.0], 0.0, epochs=epochs)
    while not race.finished:
        race.advance(epochs)
    return time.perf_counter() - started


def _settings():
    from lrviz.core.settings import TrainingSettings
    return TrainingSettings(learning_rate=0.1)


def in_window(app: QApplication, dataset, epochs: int, landscape: bool = True) -> float:
    win = MainWindow(dataset.copy())
    win.resize(1400, 850)
    win.show()
    _wait(lambda: len(win.run.history) == 1)
    win.controls.speed_slider.setValue(win.controls.speed_slider.maximum())
    done = []
    loop = QEventLoop()
    win.kept.raceFinished.connect(lambda: (done.append(time.perf_counter()), loop.quit()))
    started = time.perf_counter()
    assert win.kept.start_race(list(DEFAULT_RACERS), epochs)  # shows the landscape
    if not landscape:
        win.landscape_dock.hide()
    QTimer.singleShot(600_000, loop.quit)
    loop.exec()  # QEventLoop.exec releases the GIL while idle (processEvents would not)
    if not done:
        raise TimeoutError("the race did not end in 10 minutes")
    seconds = done[0] - started
    win.kept.shutdown()
    win.controller.shutdown()
    win.state.mark_saved()
    win.close()
    return seconds


def _wait(condition, timeout_ms: int = 60_000) -> None:
    """Run the event loop until `condition` holds (checked every 20 ms)."""
    loop = QEventLoop()
    check = QTimer()
    check.timeout.connect(lambda: condition() and loop.quit())
    check.start(20)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    check.stop()
    if not condition():
        raise TimeoutError("the window did not get there in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--epochs", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-landscape", action="store_true", help="race with the landscape hidden")
    args = parser.parse_args()
    # the window's settings (geometry, recent files) in a temporary folder, not the user's
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="lrviz-bench-"))
    app = QApplication.instance() or QApplication([])
    dataset = make_preset("overlapping", args.points, 0.1, 0)
    before = machine_busy()
    alone = min(headless(dataset, args.epochs) for _ in range(args.repeats))
    window = min(in_window(app, dataset, args.epochs, not args.no_landscape) for _ in range(args.repeats))
    share = others_share(before, machine_busy())
    racers = len(DEFAULT_RACERS)
    print(cpu_line())
    print(f"other processes used {share:.0%} of the machine meanwhile")
    print(f"race of {racers} optimizers ({', '.join(DEFAULT_RACERS)}), {args.points:,} points, "
          f"{args.epochs:,} epochs each, best of {args.repeats}")
    print("| where | seconds | racer-epochs/s | vs headless |")
    print("|---|---:|---:|---:|")
    for name, seconds in (("headless (Race.advance)", alone),
                          ("window, landscape " + ("hidden" if args.no_landscape else "shown"), window)):
        print(f"| {name} | {seconds:.2f} | {racers * args.epochs / seconds:,.0f} | {alone / seconds:.0%} |")


if __name__ == "__main__":
    main()
