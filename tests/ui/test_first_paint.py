"""What can wait for the window's first paint waits for it: `lrviz --train` starts training after it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QWidget

from lrviz.ui.first_paint import FirstPaint

ROOT = Path(__file__).resolve().parents[2]


def test_a_call_waits_for_the_first_paint_and_later_calls_run_at_once(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    first = FirstPaint(widget, longest_ms=60_000)
    calls = []
    first.then(lambda: calls.append("waited"))
    assert calls == [] and not first.painted
    widget.resize(120, 80)
    widget.show()
    qtbot.waitUntil(lambda: first.painted)
    assert calls == ["waited"]
    first.then(lambda: calls.append("at once"))
    assert calls == ["waited", "at once"]


def test_a_widget_that_never_paints_still_gets_its_calls(qtbot):
    widget = QWidget()  # never shown: no paint event comes
    qtbot.addWidget(widget)
    first = FirstPaint(widget, longest_ms=50)
    calls = []
    first.then(lambda: calls.append(1))
    qtbot.waitUntil(lambda: calls == [1])
    assert first.painted


CHILD = r"""
import gc, json, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
from lrviz.ui import run_controller
app = QApplication([])
seen = {"painted": False, "started_after_paint": None, "epochs": 0}

class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow):
            seen["painted"] = True
        return False

probe = Probe()
app.installEventFilter(probe)
real_start = run_controller.RunController.start

def start(self):
    if seen["started_after_paint"] is None:
        seen["started_after_paint"] = seen["painted"]
        seen["collecting"] = gc.isenabled()  # the collector is back on once the window has painted
    real_start(self)

run_controller.RunController.start = start
from lrviz.ui.app import run_app
import lrviz.ui.main_window as main_window
windows = []
real_init = main_window.MainWindow.__init__
def init(self, *args, **kwargs):
    real_init(self, *args, **kwargs)
    windows.append(self)
main_window.MainWindow.__init__ = init
run_app(train=True, speed=float("inf"), quit_after=1.5)
seen["epochs"] = windows[0].run.history.last_epoch
print(json.dumps(seen))
"""


def test_the_command_lines_train_starts_after_the_first_paint(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), XDG_CONFIG_HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["started_after_paint"] is True
    assert seen["collecting"] is True
    assert seen["epochs"] > 0  # and it trained
