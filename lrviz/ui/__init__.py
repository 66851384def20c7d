"""The window: PySide6 and pyqtgraph views bound to a WindowState around the core's Run.

`from lrviz.ui import MainWindow` works; the import is lazy, so `import lrviz.ui.app` (the
command line's way in) loads the widgets only once the QApplication exists.
"""

from __future__ import annotations

from typing import Any

from lrviz.ui import pyside_source_scan as _pyside_source_scan

_pyside_source_scan.install()  # first: PySide6 looks at the source of every module imported after it

__all__ = ["MainWindow"]


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from lrviz.ui.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module 'lrviz.ui' has no attribute {name!r}")
