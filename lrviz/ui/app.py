"""Start the Qt application and show the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel


def run_app(data_path: str | None = None) -> int:
    """Open the main window and run the event loop; return the exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QLabel("lrviz: the trainer window is being built")
    window.setWindowTitle("lrviz")
    window.resize(480, 120)
    window.show()
    return app.exec()
