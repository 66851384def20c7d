"""The progress dialog shown while a large file is read or written in a worker thread.

Window-modal rather than disabling the window: disabling repaints every view in the
disabled palette (for a long history about a second per 200,000 epochs, in the GUI
thread), while a modal dialog only stops input to the window, which keeps painting and
training as it was. Cancel gives the file up: nothing changes (a read's result is
dropped; a write stops at its next piece and the old file stays).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

STEPS = 1000  # the bar's resolution
POLL_MS = 100  # how often the worker's fraction is shown (the worker never calls Qt)


class FileProgress:
    """A modal "fileProgressDialog" that shows `fraction()` and calls `cancel` on Cancel."""

    def __init__(self, parent: QWidget, text: str, fraction: Callable[[], float],
                 cancel: Callable[[], None], object_name: str = "fileProgressDialog") -> None:
        dialog = QProgressDialog(parent)
        dialog.setObjectName(object_name)  # importProgress while a table is read for importDialog
        dialog.setWindowTitle("lrviz")
        label = QLabel(dialog)
        label.setTextFormat(Qt.TextFormat.PlainText)  # the text names a path from the user
        dialog.setLabel(label)
        dialog.setLabelText(text)
        dialog.setCancelButtonText("Cancel")
        dialog.setRange(0, STEPS)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.canceled.connect(cancel)
        self.dialog = dialog
        self._fraction = fraction
        self._timer = QTimer(dialog)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._show_fraction)

    def show(self) -> None:
        self.dialog.setValue(0)
        self.dialog.show()
        self._timer.start()

    def _show_fraction(self) -> None:
        done = min(max(float(self._fraction()), 0.0), 1.0)
        self.dialog.setValue(int(done * (STEPS - 1)))  # the full bar only when the work is done

    def close(self) -> None:
        self._timer.stop()
        self.dialog.canceled.disconnect()
        self.dialog.hide()
        self.dialog.deleteLater()
