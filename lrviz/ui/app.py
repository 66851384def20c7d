"""Start the Qt application and show the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox


def run_app(data_path: str | None = None) -> int:
    """Open the main window (on `data_path`, or the built-in data set) and run the event loop."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("lrviz")
    app.setOrganizationName("lrviz")
    from lrviz.ui.main_window import MainWindow  # after QApplication: widgets need it

    dataset = None
    error = None
    if data_path is not None:
        from lrviz.core.dataset import DataFormatError, read_points_csv

        try:
            dataset = read_points_csv(data_path)
        except (OSError, DataFormatError) as exc:
            error = f"Could not open {data_path}: {exc}\n\nThe built-in data set is shown instead."
    window = MainWindow(dataset)
    window.show()
    if error:
        QMessageBox.warning(window, "Could not open the data file", error)
    return app.exec()
