"""Start the Qt application and show the main window."""

from __future__ import annotations

import math
import sys
from typing import TextIO

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from lrviz.ui.first_paint import FirstPaint
from lrviz.ui.start_gc import pause_collection


def open_command_line_file(window, path: str, stderr: TextIO | None = None) -> bool:
    """Open the FILE named on the command line in `window` (a MainWindow); False when it was not opened.

    The command line refuses a file it can check before the window opens (exit 2); this is
    for the rest: a large file read here, or a table whose import dialog was cancelled. The
    window then shows the built-in data set, and both the status bar and stderr say that the
    file was not opened (not "the points are unchanged": there were none of the user's yet).
    """
    if window.documents.open_path(path):
        window.mark_saved()
        return True
    shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in path)  # no escapes to the terminal
    window.statusBar().showMessage(f"Did not open {shown}: the window shows the built-in data set. "
                                   "File ▸ Open Data… (Ctrl+O) opens another file.")
    print(f"lrviz: {shown} was not opened; the window shows the built-in data set", file=stderr or sys.stderr)
    return False


def run_app(data_path: str | None = None, train: bool = False, quit_after: float | None = None,
            speed: float | None = None) -> int:
    """Open the main window (on `data_path`, or the built-in data set) and run the event loop.

    `speed` in epochs per second (infinity: as fast as possible) sets the speed slider;
    `quit_after` seconds (finite, ≥ 0; the command line checks it) closes the window.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("lrviz")
    app.setOrganizationName("lrviz")
    resume_collection = pause_collection()  # no cyclic GC until the first paint (start_gc.py)
    try:
        from lrviz.ui.panels.controls import position_from_speed
        from lrviz.ui.main_window import MainWindow  # after QApplication: widgets need it

        window = MainWindow()
    except BaseException:
        resume_collection()
        raise
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

        first_paint = FirstPaint(window)  # --train waits for it: the training thread would slow the first frame
        first_paint.then(resume_collection)

        def open_and_start() -> None:  # inside the event loop, so an error box cannot block the quit timer
            if data_path is not None:
                open_command_line_file(window, data_path)
            if train:
                first_paint.then(window.controls.train_button.click)

        QTimer.singleShot(0, open_and_start)
        return app.exec()
    finally:
        resume_collection()
        # Whatever ends the run (an exception included), the training thread must be stopped
        # before the window is destroyed: a running QThread destroyed aborts the process.
        window.controller.shutdown()
