"""The start stays quick: the window opens without importing or building the optional views.

The landscape, the z view, the model-quality dock, animation export and code export are
imported (and their docks built) when first used; a fresh process shows that none of them
is loaded once the window has painted, and that each is once it is asked for. pyqtgraph
comes in through lrviz.ui.pyqtgraph_import, without PySide6 building every Qt class.
Speed itself is shown by benchmarks/bench_startup.py, not asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from lrviz.core.dataset import default_dataset
from lrviz.ui.render.theme import DARK
from tests.ui.window_helpers import shown_window

ROOT = Path(__file__).resolve().parents[2]

# Imported only when the feature is used. sklearn: the estimator's comparisons, never the window's.
OPTIONAL = [
    "lrviz.ui.plots.landscape_plot", "lrviz.ui.plots.landscape_surface", "lrviz.core.landscape",
    "lrviz.ui.plots.sigmoid_plot", "lrviz.ui.plots.roc_plot", "lrviz.ui.panels.confusion_matrix",
    "lrviz.ui.animation.dialog", "lrviz.ui.animation.film_set", "lrviz.core.script_export",
    "lrviz.estimator", "sklearn", "lrviz.ui.plots.kept_paths",
]

CHILD = r"""
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from lrviz.ui.main_window import MainWindow
window = MainWindow()
window.show()
app.processEvents()
optional = json.loads(sys.argv[1])
report = {"at_start": [m for m in optional if m in sys.modules]}
import PySide6.QtWidgets
report["mirror_type"] = type(sys.modules["pyqtgraph.Qt.QtWidgets"]).__name__
report["dir_kept"] = len(dir(PySide6.QtWidgets)) > 100  # PySide6's own dir() is back after the import
for dock in (window.landscape_dock, window.z_view, window.quality.dock):
    dock.show()
app.processEvents()
report["after_docks"] = [m for m in optional if m in sys.modules]
report["built"] = [type(d.widget()).__name__ for d in (window.landscape_dock, window.z_view)]
window.mark_saved()
window.close()
print(json.dumps(report))
"""


def run_child() -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(OPTIONAL)], check=False, env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_window_starts_without_the_optional_views_and_builds_them_when_shown():
    report = run_child()
    assert report["at_start"] == []
    assert report["mirror_type"] == "LazyMirror"
    assert report["dir_kept"]
    shown = {"lrviz.ui.plots.landscape_plot", "lrviz.ui.plots.sigmoid_plot", "lrviz.ui.plots.roc_plot",
             "lrviz.ui.panels.confusion_matrix"}
    assert shown <= set(report["after_docks"])
    assert report["built"] == ["LandscapeView", "SigmoidPlot"]


def test_a_dock_built_after_a_theme_change_is_drawn_in_that_theme(qtbot):
    win = shown_window(qtbot, default_dataset())
    assert not win.z_view.is_built
    win.theme.choose("dark")
    win.z_view_action.trigger()
    plot = win.z_view.widget()
    assert type(plot).__name__ == "SigmoidPlot"
    assert plot.backgroundBrush().color() == QColor(DARK.background)
    win.theme.choose("light")
    assert plot.backgroundBrush().color() == QColor("white")  # and it follows the theme from now on
    win.quality.dock.show()
    assert win.quality.roc_plot.isVisible()


def test_asking_for_a_hidden_view_builds_it_without_showing_it(qtbot):
    win = shown_window(qtbot, default_dataset())
    assert not win.landscape_dock.is_built
    view = win.landscape
    assert win.landscape_dock.is_built and win.landscape_dock.widget() is view
    assert not win.landscape_dock.isVisible()
    assert view.plot.picture is None  # hidden: nothing computed


def test_a_dock_built_while_presenting_is_drawn_at_the_presentation_scale(qtbot):
    win = shown_window(qtbot, default_dataset())
    win.presentation.set_presenting(True)
    scale = win.presentation.scale
    assert scale > 1
    win.z_view_action.trigger()
    axis = win.z_view.widget().getPlotItem().getAxis("bottom")
    font = axis.style["tickFont"]
    assert font is not None and font.pointSizeF() == pytest.approx(QApplication.font().pointSizeF() * scale)
    win.presentation.set_presenting(False)
    assert axis.style["tickFont"] is None  # back to the size it was built with
