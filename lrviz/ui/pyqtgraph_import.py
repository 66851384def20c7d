"""Import pyqtgraph without making PySide6 build every Qt class at start (about 0.2 s saved).

pyqtgraph.Qt keeps its own "mirror" modules pyqtgraph.Qt.QtCore, .QtGui and .QtWidgets
(empty files in pyqtgraph 0.13-0.14) and fills them when it is imported:

    for name in dir(PySide6.QtCore):
        if not hasattr(mirror, name):
            setattr(mirror, name, getattr(PySide6.QtCore, name))

PySide6 (6.7 on) creates a class, with all its enums, only when it is first looked up, so that
loop creates all ~720 classes of the three modules, most of which lrviz never uses. Here the
mirrors are put in sys.modules beforehand as modules that look a name up in PySide6 when it is
first asked for (and keep it), and while pyqtgraph is imported, `dir()` of the three PySide6
modules is empty, so the loop copies nothing. Every name pyqtgraph asks its mirrors for still
gives the same PySide6 object as before, only later. Nothing in site-packages is changed.

If pyqtgraph is already imported, or its mirrors are not the empty files this relies on (a
future version), pyqtgraph is imported the ordinary way.

pyqtgraph's package itself comes without the modules lrviz's window does not use
(lrviz.ui.pyqtgraph_deferred; they come when first asked for).

Importing this module imports pyqtgraph (main_window.py imports it first, before the views).
"""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

_MIRRORED = {"QtCore": QtCore, "QtGui": QtGui, "QtWidgets": QtWidgets}


class LazyMirror(types.ModuleType):
    """pyqtgraph.Qt.<name>: a name missing here is looked up in PySide6's module on first use."""

    def __init__(self, name: str, source: types.ModuleType, init_file: Path) -> None:
        super().__init__(name)
        self.__file__ = str(init_file)
        self.__path__ = [str(init_file.parent)]
        self.__package__ = name
        self.__spec__ = importlib.util.spec_from_file_location(
            name, init_file, submodule_search_locations=self.__path__)
        self._lrviz_source = source

    def __getattr__(self, name: str):
        value = getattr(self._lrviz_source, name)  # AttributeError as PySide6 raises it
        setattr(self, name, value)
        return value


def _mirror_files() -> dict[str, Path] | None:
    """pyqtgraph's three mirror files, if pyqtgraph can be found and they are empty as expected."""
    spec = importlib.util.find_spec("pyqtgraph")  # finds, does not import
    if spec is None or spec.origin is None:
        return None
    qt = Path(spec.origin).parent / "Qt"
    files = {name: qt / name / "__init__.py" for name in _MIRRORED}
    try:
        if all(path.stat().st_size == 0 for path in files.values()):
            return files
    except OSError:
        pass
    return None


def _import_package() -> types.ModuleType:
    """pyqtgraph without the modules lrviz's window does not use (lrviz.ui.pyqtgraph_deferred), else all of it."""
    from lrviz.ui.pyqtgraph_deferred import import_trimmed

    module = import_trimmed()
    return module if module is not None else importlib.import_module("pyqtgraph")


def import_pyqtgraph() -> types.ModuleType:
    """pyqtgraph, imported with lazy mirrors when it is not imported yet (see the docstring)."""
    if "pyqtgraph" in sys.modules:
        return sys.modules["pyqtgraph"]
    files = _mirror_files()
    if files is None or any(f"pyqtgraph.Qt.{name}" in sys.modules for name in _MIRRORED):
        return importlib.import_module("pyqtgraph")
    for name, source in _MIRRORED.items():
        sys.modules[f"pyqtgraph.Qt.{name}"] = LazyMirror(f"pyqtgraph.Qt.{name}", source, files[name])
    saved = {name: source.__dict__.get("__dir__") for name, source in _MIRRORED.items()}
    try:
        for source in _MIRRORED.values():
            source.__dir__ = list  # dir(source) == []: the copying loop copies nothing
        pyqtgraph = _import_package()
    except BaseException:
        for name in _MIRRORED:  # a failed import leaves no half-made mirrors behind
            sys.modules.pop(f"pyqtgraph.Qt.{name}", None)
        raise
    finally:
        for name, source in _MIRRORED.items():
            if saved[name] is None:
                source.__dict__.pop("__dir__", None)
            else:
                source.__dir__ = saved[name]
    return pyqtgraph


import_pyqtgraph()

__all__ = ["LazyMirror", "import_pyqtgraph"]
