"""Import pyqtgraph without the ~85 modules of its package that lrviz's window does not use (~0.1 s).

`pyqtgraph/__init__.py` imports every item and widget of the package (image views, ROIs,
histograms, colour bars, parameter trees, the multiprocess remote view, ...), about 145
modules, of which lrviz's start uses about 60. Here pyqtgraph's own `__init__.py` runs with
the 47 import statements in SKIPPED left out (each replaced by `pass`, so line numbers and
tracebacks stay right), and the names they would have bound come when first asked for:
`pyqtgraph.ColorBarItem`, `from pyqtgraph import ColorBarItem`, `dir(pyqtgraph)` or
`from pyqtgraph import *` runs the skipped statements, in their order, once
(`load_deferred()`), and the package is then the same as an ordinarily imported one.
pyqtgraph's own functions that use one of those names as a global (`image`, `show`,
`setPalette`) are held back until then too, so they cannot meet a missing name.

The statements and the names (DEFERRED_NAMES) are those of pyqtgraph 0.14.0. With another
version, a statement not found exactly once, or an error while the edited `__init__` runs,
pyqtgraph is imported the ordinary way. tests/ui/test_start_imports.py checks that the
skipped modules are not imported at start, that after `load_deferred()` every name of
the package is the object an ordinary import gives, and that the views that use a deferred
name (the landscape's colour bar) work.

Not covered: an attribute of a subpackage that exists only because a skipped module was
imported (`pyqtgraph.graphicsItems.ROI` without importing `pyqtgraph.graphicsItems.ROI`
first); lrviz reaches nothing that way.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import threading
import types
from pathlib import Path

VERSION = "0.14.0"

SKIPPED = (
    "from .colors import palette",
    "from .graphicsItems.ArrowItem import *",
    "from .graphicsItems.BoxplotItem import *",
    "from .graphicsItems.ColorBarItem import *",
    "from .graphicsItems.CurvePoint import *",
    "from .graphicsItems.DateAxisItem import *",
    "from .graphicsItems.ErrorBarItem import *",
    "from .graphicsItems.FillBetweenItem import *",
    "from .graphicsItems.GradientEditorItem import *",
    "from .graphicsItems.GradientLegend import *",
    "from .graphicsItems.GraphItem import *",
    "from .graphicsItems.GridItem import *",
    "from .graphicsItems.HistogramLUTItem import *",
    "from .graphicsItems.IsocurveItem import *",
    "from .graphicsItems.PColorMeshItem import *",
    "from .graphicsItems.ROI import *",
    "from .graphicsItems.ScaleBar import *",
    "from .graphicsItems.VTickGroup import *",
    "from .imageview import *",
    "from .SignalProxy import *",
    "from .ThreadsafeTimer import *",
    "from .widgets.BusyCursor import *",
    "from .widgets.CheckTable import *",
    "from .widgets.ColorButton import *",
    "from .widgets.ColorMapMenu import ColorMapMenu",
    "from .widgets.ColorMapWidget import *",
    "from .widgets.ComboBox import *",
    "from .widgets.DataFilterWidget import *",
    "from .widgets.DataTreeWidget import *",
    "from .widgets.DiffTreeWidget import *",
    "from .widgets.FeedbackButton import *",
    "from .widgets.GradientWidget import *",
    "from .widgets.GraphicsLayoutWidget import *",
    "from .widgets.GroupBox import GroupBox",
    "from .widgets.HistogramLUTWidget import *",
    "from .widgets.JoystickButton import *",
    "from .widgets.LayoutWidget import *",
    "from .widgets.PathButton import *",
    "from .widgets.ProgressDialog import *",
    "from .widgets.RawImageWidget import *",
    "from .widgets.RemoteGraphicsView import RemoteGraphicsView",
    "from .widgets.ScatterPlotWidget import *",
    "from .widgets.SpinBox import *",
    "from .widgets.TableWidget import *",
    "from .widgets.TreeWidget import *",
    "from .widgets.ValueLabel import *",
    "from .widgets.VerticalLabel import *",
)

# The names of the package that only the SKIPPED statements bind (what they import, and the
# subpackages and modules that importing them binds on the package). Checked by the test.
DEFERRED_NAMES = frozenset("""
    ArrowItem BoxplotItem BusyCursor CheckTable CircleROI ColorBarItem ColorButton ColorMapMenu
    ColorMapParameter ColorMapWidget ComboBox CrosshairROI CurveArrow CurvePoint
    DataFilterWidget DataTreeWidget DateAxisItem DiffTreeWidget EllipseROI ErrorBarItem
    FeedbackButton FillBetweenItem GradientEditorItem GradientLegend GradientWidget GraphItem
    GraphicsLayoutWidget GridItem GroupBox HistogramLUTItem HistogramLUTWidget ImageView
    IsocurveItem JoystickButton LayoutWidget LineROI LineSegmentROI MultiLineROI MultiRectROI
    PColorMeshItem PathButton PolyLineROI ProgressDialog ROI RawImageGLWidget RawImageWidget
    RectROI RemoteGraphicsView ScaleBar ScatterPlotWidget SignalProxy SpinBox TableWidget
    TestROI ThreadsafeTimer TickSliderItem TreeWidget TreeWidgetItem TriangleROI VTickGroup
    ValueLabel VerticalLabel addGradientListToDocstring colors imageview multiprocess palette
    parametertree
""".split())  # noqa: SIM905 (a table to read)

HELD_BACK = ("image", "show", "setPalette")  # pyqtgraph functions that use a deferred name as a global

_lock = threading.RLock()
_pending: dict[str, object] | None = None  # the held-back functions, until load_deferred()
_loading = False


def _edited_source(init_file: Path) -> str | None:
    """pyqtgraph's __init__.py with each SKIPPED line made `pass`, or None if one is not there once."""
    try:
        text = init_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.splitlines(keepends=True)
    where = {}
    for number, line in enumerate(lines):
        stripped = line.rstrip("\r\n")
        if stripped in SKIPPED:
            if stripped in where:
                return None
            where[stripped] = number
    if len(where) != len(SKIPPED):
        return None
    for number in where.values():
        lines[number] = "pass\n"
    source = "".join(lines)
    found = re.search(r"^__version__ = '([^']*)'", source, re.MULTILINE)
    return source if found is not None and found.group(1) == VERSION else None


def _module_getattr(name: str):
    """pyqtgraph.__getattr__: a deferred name loads what was skipped; any other miss is an AttributeError."""
    if name in DEFERRED_NAMES or name in HELD_BACK or name == "__all__":
        load_deferred()
        namespace = sys.modules["pyqtgraph"].__dict__
        if name in namespace and name != "__all__":  # `from pyqtgraph import *` asks; pyqtgraph has no __all__
            return namespace[name]
    # also a deferred name asked for while the skipped statements run (a module among them doing
    # `from .. import multiprocess`): the import system then imports it, as in pyqtgraph's own import
    raise AttributeError(f"module 'pyqtgraph' has no attribute {name!r}")


def _module_dir() -> list[str]:
    load_deferred()
    return sorted(sys.modules["pyqtgraph"].__dict__)


def load_deferred() -> None:
    """Run the SKIPPED statements (in order, once), so pyqtgraph has every name an ordinary import gives."""
    global _pending, _loading
    with _lock:
        if _pending is None or _loading:  # done, or asked again from inside (see _module_getattr)
            return
        _loading = True
        try:
            namespace = sys.modules["pyqtgraph"].__dict__
            for statement in SKIPPED:
                exec(compile(statement, namespace["__file__"], "exec"), namespace)  # noqa: S102 (pyqtgraph's own lines)
            namespace.update(_pending)
            _pending = None
            for hook in ("__getattr__", "__dir__"):
                namespace.pop(hook, None)
        finally:
            _loading = False


def is_deferred() -> bool:
    """True while pyqtgraph was imported here and its skipped statements have not run yet."""
    return _pending is not None


def import_trimmed() -> types.ModuleType | None:
    """Import pyqtgraph with SKIPPED left out (see the docstring); None when that cannot be done.

    Called by lrviz.ui.pyqtgraph_import, inside its lazy Qt mirrors. On None nothing is left
    behind, and the caller imports pyqtgraph the ordinary way.
    """
    global _pending
    if "pyqtgraph" in sys.modules:
        return None
    spec = importlib.util.find_spec("pyqtgraph")
    if spec is None or spec.origin is None or spec.loader is None:
        return None
    source = _edited_source(Path(spec.origin))
    if source is None:
        return None
    before = set(sys.modules)
    module = importlib.util.module_from_spec(spec)
    sys.modules["pyqtgraph"] = module
    spec._initializing = True  # as importlib marks a module it is running
    try:
        exec(compile(source, spec.origin, "exec"), module.__dict__)  # noqa: S102 (pyqtgraph's own file)
    except Exception:  # noqa: BLE001 (whatever it is, the ordinary import runs pyqtgraph's own file)
        for name in set(sys.modules) - before:
            if name == "pyqtgraph" or name.startswith("pyqtgraph."):
                del sys.modules[name]
        return None
    finally:
        spec._initializing = False
    namespace = module.__dict__
    _pending = {name: namespace.pop(name) for name in HELD_BACK if name in namespace}
    namespace["__getattr__"] = _module_getattr
    namespace["__dir__"] = _module_dir
    return module


__all__ = ["DEFERRED_NAMES", "SKIPPED", "import_trimmed", "is_deferred", "load_deferred"]
