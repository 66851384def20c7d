"""The start stays quick: the window opens without importing or building the optional views.

The landscape, the z view, the model-quality dock, the runs list, the math panel's derivation,
animation export and code export are imported (and their docks built) when first used; a
fresh process shows that none of them is loaded once the window has painted, and that each
is once it is asked for. pyqtgraph
comes in through lrviz.ui.pyqtgraph_import, without PySide6 building every Qt class and
without the modules of its package the window does not use (lrviz.ui.pyqtgraph_deferred),
and PySide6's look at every imported module's source is the cheap one of
lrviz.ui.pyside_source_scan, with the same answers.
Speed itself is shown by benchmarks/bench_startup.py, not asserted here.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from lrviz.core.dataset import default_dataset
from lrviz.ui import pyqtgraph_deferred
from lrviz.ui.render.theme import DARK
from tests.ui.window_helpers import shown_window

ROOT = Path(__file__).resolve().parents[2]

# Imported only when the feature is used. sklearn: the estimator's comparisons, never the window's.
OPTIONAL = [
    "lrviz.ui.plots.landscape_plot", "lrviz.ui.plots.landscape_surface", "lrviz.core.landscape",
    "lrviz.ui.plots.sigmoid_plot", "lrviz.ui.plots.roc_plot", "lrviz.ui.panels.confusion_matrix",
    "lrviz.ui.animation.dialog", "lrviz.ui.animation.film_set", "lrviz.core.script_export",
    "lrviz.estimator", "sklearn", "lrviz.ui.plots.kept_paths", "lrviz.ui.panels.runs_panel",
    "lrviz.ui.panels.math_derivation", "lrviz.ui.panels.math_optimizer", "lrviz.core.explain_optimizer",
    "lrviz.ui.race_dialog",
]
# Parts of pyqtgraph's package its __init__ imports and lrviz's window does not use (lrviz.ui.pyqtgraph_deferred).
PYQTGRAPH_SKIPPED = [
    "pyqtgraph.parametertree", "pyqtgraph.multiprocess", "pyqtgraph.imageview", "pyqtgraph.graphicsItems.ROI",
    "pyqtgraph.graphicsItems.ColorBarItem", "pyqtgraph.graphicsItems.HistogramLUTItem", "pyqtgraph.colors.palette",
    "pyqtgraph.widgets.RemoteGraphicsView", "pyqtgraph.widgets.ColorMapWidget", "pyqtgraph.widgets.SpinBox",
]
# The trim knows one pyqtgraph version's __init__; any other is imported the ordinary way.
TRIMMED = importlib.metadata.version("pyqtgraph") == pyqtgraph_deferred.VERSION

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
import shibokensupport.feature as feature
test = feature._mod_uses_pyside
report["scan_installed"] = hasattr(test, "original")
modules = [(name, module) for name, module in list(sys.modules.items()) if module is not None]
report["scan_differs"] = [name for name, module in modules if test(module) != test.original(module)]
report["scan_dict_differs"] = [name for name, module in modules if name in feature.pyside_feature_dict
                               and feature.pyside_feature_dict[name] != (0 if test.original(module) else -1)]
report["scan_count"] = len(modules)
for dock in (window.landscape_dock, window.z_view, window.quality.dock, window.runs_dock, window.math_panel):
    dock.show()
app.processEvents()
report["after_docks"] = [m for m in optional if m in sys.modules]
report["built"] = [type(d.widget()).__name__ for d in (window.landscape_dock, window.z_view, window.runs_dock)]
report["colour_bar"] = type(window.landscape.plot.colour_bar).__name__
window.mark_saved()
window.close()
print(json.dumps(report))
"""


def run_child(code: str = CHILD, *args: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    watched = OPTIONAL + (PYQTGRAPH_SKIPPED if TRIMMED else [])
    done = subprocess.run([sys.executable, "-c", code, *(args or [json.dumps(watched)])],
                          check=False, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_window_starts_without_the_optional_views_and_builds_them_when_shown():
    report = run_child()
    assert report["at_start"] == []
    assert report["mirror_type"] == "LazyMirror"
    assert report["dir_kept"]
    shown = {"lrviz.ui.plots.landscape_plot", "lrviz.ui.plots.sigmoid_plot", "lrviz.ui.plots.roc_plot",
             "lrviz.ui.panels.confusion_matrix", "lrviz.ui.panels.runs_panel", "lrviz.ui.panels.math_derivation"}
    assert shown <= set(report["after_docks"])
    assert report["built"] == ["LandscapeView", "SigmoidPlot", "RunsPanel"]
    assert report["colour_bar"] == "ColorBarItem"  # a deferred pyqtgraph name, loaded when the landscape asked
    if TRIMMED:
        assert "pyqtgraph.graphicsItems.ColorBarItem" in report["after_docks"]


def test_pyside6s_look_at_each_modules_source_gives_its_own_answers():
    report = run_child()
    assert report["scan_installed"]
    assert report["scan_count"] > 300  # every module of a start, extensions and built-ins among them
    assert report["scan_differs"] == []
    assert report["scan_dict_differs"] == []


def test_the_source_scan_decodes_with_the_files_own_encoding(tmp_path, monkeypatch):
    from lrviz.ui.pyside_source_scan import uses_pyside

    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "latin_mod.py").write_bytes("# -*- coding: latin-1 -*-\n# café, no Qt here\nx = 1\n".encode("latin-1"))
    (tmp_path / "qt_mod.py").write_text("# uses PySide6 in a comment\nx = 2\n", encoding="utf-8")
    (tmp_path / "broken_mod.py").write_bytes(b"x = '\xff\xfe'\n")  # not UTF-8: PySide6's own test decides
    import importlib

    asked = []

    def fallback(module):
        asked.append(module.__name__)
        return "fallback"

    assert uses_pyside(importlib.import_module("latin_mod"), fallback) is False
    assert uses_pyside(importlib.import_module("qt_mod"), fallback) is True
    broken = type(sys)("broken_mod")
    broken.__file__ = str(tmp_path / "broken_mod.py")
    assert uses_pyside(broken, fallback) == "fallback"
    assert uses_pyside(sys, fallback) == "fallback"  # a built-in module: no file
    assert asked == ["broken_mod", "sys"]


PYQTGRAPH_NAMES = r"""
import json, sys, types
from PySide6.QtWidgets import QApplication
app = QApplication([])
if sys.argv[1] == "lrviz":
    import lrviz.ui.pyqtgraph_import
    from lrviz.ui import pyqtgraph_deferred
import pyqtgraph as pg
report = {"before": sorted(pg.__dict__), "loaded_before": sorted(m for m in sys.modules if m.startswith("pyqtgraph"))}
if sys.argv[1] == "lrviz":
    report["deferred"] = pyqtgraph_deferred.is_deferred()
    star = {}
    exec("from pyqtgraph import *", star)  # asks for __all__ first: everything comes
    report["star_has_image_view"] = star.get("ImageView") is pg.ImageView
    report["still_deferred"] = pyqtgraph_deferred.is_deferred()
    report["hooks_left"] = [h for h in ("__getattr__", "__dir__") if h in pg.__dict__]


def key(value):
    if isinstance(value, types.ModuleType):
        return ["module", value.__name__]
    if isinstance(value, (type, types.FunctionType)):
        return [type(value).__name__, value.__module__, value.__qualname__]
    if isinstance(value, (int, float, str, bool, type(None), tuple, dict, list)):
        return [type(value).__name__, repr(value)]
    return [type(value).__name__]


report["names"] = {name: key(value) for name, value in vars(pg).items()
                   if name not in ("__builtins__", "__loader__", "__spec__", "__cached__")}
print(json.dumps(report))
"""


def test_pyqtgraph_comes_without_its_unused_modules_and_gives_every_name_when_asked():
    from lrviz.ui.pyqtgraph_deferred import DEFERRED_NAMES, HELD_BACK

    ordinary = run_child(PYQTGRAPH_NAMES, "ordinary")
    trimmed = run_child(PYQTGRAPH_NAMES, "lrviz")
    if not TRIMMED:  # another pyqtgraph: the ordinary import, every name there at once
        assert not trimmed["deferred"] and trimmed["names"] == ordinary["names"]
        return
    assert trimmed["deferred"]
    assert not set(PYQTGRAPH_SKIPPED) & set(trimmed["loaded_before"])
    assert set(PYQTGRAPH_SKIPPED) <= set(ordinary["loaded_before"])
    assert len(trimmed["loaded_before"]) < len(ordinary["loaded_before"]) * 0.6
    missing = set(ordinary["before"]) - set(trimmed["before"])
    assert missing == DEFERRED_NAMES | set(HELD_BACK)  # the table names exactly what is left out
    assert set(trimmed["before"]) - set(ordinary["before"]) == {"__getattr__", "__dir__"}
    assert trimmed["star_has_image_view"] and not trimmed["still_deferred"] and trimmed["hooks_left"] == []
    assert trimmed["names"] == ordinary["names"]  # once loaded: every name the same object as pyqtgraph's own


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
