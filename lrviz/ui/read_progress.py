"""`importProgress`: wait for a file read in a worker thread, with a progress bar and Cancel.

Opening a large table (10^6 rows take seconds) must not freeze the window. The read runs in
its own thread (documents._PointsLoad) and reports the fraction done; here a local event
loop runs until it ends, so the window keeps painting and training, while a window-modal
progress dialog shows how far the read is and lets the user give it up. The file name in
the label is plain text.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QLabel, QProgressDialog, QWidget

from lrviz.ui.plain_text import excerpt

_STEPS = 1000  # the bar's resolution
_POLL_MS = 50  # how often the bar shows the reader's progress


class _Load(Protocol):
    """What is waited for (documents._PointsLoad)."""

    signals: object
    loop: QEventLoop | None
    progress: float
    finished: bool
    abandoned: bool

    def start(self) -> None: ...


def wait_with_progress(window: QWidget, load: _Load, text: str) -> None:
    """Start `load` and wait for it in a local event loop; Cancel (or closing the window, via
    documents.abandon_loading) sets `load.abandoned` and ends the wait at once."""
    loop = QEventLoop()
    load.signals.done.connect(loop.quit)  # queued: from the worker thread to this one
    load.loop = loop
    dialog = QProgressDialog(window)
    dialog.setObjectName("importProgress")
    dialog.setWindowTitle("Opening a table")
    label = QLabel(excerpt(text), dialog)
    label.setTextFormat(Qt.TextFormat.PlainText)  # a file name is never HTML
    dialog.setLabel(label)
    dialog.setCancelButtonText("Cancel")
    dialog.setRange(0, _STEPS)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(0)

    def cancel() -> None:
        load.abandoned = True
        loop.quit()

    dialog.canceled.connect(cancel)
    timer = QTimer(dialog)
    timer.setInterval(_POLL_MS)
    timer.timeout.connect(lambda: dialog.setValue(min(_STEPS - 1, int(load.progress * _STEPS))))
    dialog.show()
    timer.start()
    try:
        load.start()
        if not load.finished:
            loop.exec()  # until `done`, Cancel, abandon_loading() or the application quitting
        if not load.finished:
            load.abandoned = True
    finally:
        timer.stop()
        dialog.canceled.disconnect(cancel)
        dialog.hide()
        dialog.deleteLater()


__all__ = ["wait_with_progress"]
