"""Start the Qt application and show the main window."""

from __future__ import annotations

import math
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def run_app(data_path: str | None = None, train: bool = False, quit_after: float | None = None,
            speed: float | None = None) -> int:
    """Open the main window (on `data_path`, or the built-in data set) and run the event loop.

    `speed` in epochs per second (infinity: as fast as possible) sets the speed slider;
    `quit_after` seconds (finite, ≥ 0; the command line checks it) closes the window.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("lrviz")
    app.setOrganizationName("lrviz")
    from lrviz.ui.panels.controls import position_from_speed
    from lrviz.ui.main_window import MainWindow  # after QApplication: widgets need it

    window = MainWindow()
    try:
        window.show()
        if speed is not None:
            window.controls.speed_slider.setValue(position_from_speed(None if math.isinf(speed) else speed))
        if quit_after is not None:
            def close_without_asking() -> None:
                window.mark_saved()
                window.close()
                app.quit()  # also ends a message box still open (a bad file, a divergence)

            QTimer.singleShot(int(quit_after * 1000), close_without_asking)

        def open_and_start() -> None:  # inside the event loop, so an error box cannot block the quit timer
            if data_path is not None and window.documents.open_path(data_path):
                window.mark_saved()
            if train:
                window.controls.train_button.click()

        QTimer.singleShot(0, open_and_start)
        return app.exec()
    finally:
        # Whatever ends the run (an exception included), the training thread must be stopped
        # before the window is destroyed: a running QThread destroyed aborts the process.
        window.controller.shutdown()
