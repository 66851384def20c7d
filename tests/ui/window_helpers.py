"""What the main-window tests share: a shown window at epoch 0, training to an epoch, file
dialogs that answer at once, and buttons found by objectName."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from lrviz.core.dataset import Dataset
from lrviz.ui.main_window import MainWindow


def shown_window(qtbot, dataset: Dataset) -> MainWindow:
    """A shown MainWindow on a copy of `dataset`, once its epoch-0 record has arrived."""
    win = MainWindow(dataset.copy())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: len(win.run.history) == 1)
    return win


def active_window(qtbot, dataset: Dataset) -> MainWindow:
    """shown_window, exposed and the active window: window shortcuts need the active window."""
    win = shown_window(qtbot, dataset)
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


def train_to(qtbot, win: MainWindow, epochs: int) -> None:
    """Train at full speed until the max-epochs stop at `epochs`."""
    win.controls.max_epochs_spin.setValue(epochs)
    win.controls.speed_slider.setValue(win.controls.speed_slider.maximum())
    with qtbot.waitSignal(win.training.finished, timeout=20000):
        win.controls.train_button.click()
    qtbot.waitUntil(lambda: win.run.history.last_epoch == epochs)


def answer_file_dialogs(monkeypatch, open_path=None, save_path=None) -> None:
    """The static QFileDialog functions return these paths ('' — cancelled — for None)."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(open_path or ""), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(save_path or ""), ""))


def find_button(win: MainWindow, name: str) -> QPushButton:
    button = win.findChild(QPushButton, name)
    assert button is not None, name
    return button


def side_panel_cut_off(win) -> list[str]:
    """Visible side-panel widgets whose right edge lies beyond the scroll area's viewport."""
    viewport = win.side_area.viewport()
    cut = []
    for widget in win.side_area.widget().findChildren(QWidget):
        if widget.isVisibleTo(win) and widget.objectName():
            right = widget.mapTo(viewport, QPoint(widget.width(), 0)).x()
            if right > viewport.width():
                cut.append(f"{widget.objectName()}: right edge {right} > {viewport.width()}")
    return cut


def long_session_window(qtbot, monkeypatch, epochs: int = 3000):
    """A window trained `epochs` epochs, where a session of more than 100 epochs counts as
    long (written in the background) and the writer's pieces are 50 numbers."""
    import lrviz.core.formats.session_stream as stream
    import lrviz.ui.documents as documents
    from lrviz.core.dataset import make_preset

    monkeypatch.setattr(documents, "BACKGROUND_SAVE_EPOCHS", 100)  # "long" from 100 epochs on
    monkeypatch.setattr(stream, "SLICE", 50)  # many pieces
    win = shown_window(qtbot, make_preset("overlapping", n_points=40, seed=1))
    train_to(qtbot, win, epochs)
    return win


def modal_progress(win) -> bool:
    """The window is enabled (no disabled repaint) and a window-modal progress dialog is shown
    (so the event loop turns while a large file is read or written)."""
    from PySide6.QtCore import Qt

    dialog = win.documents.progress_dialog()
    return (win.isEnabled() and dialog is not None and dialog.isVisible() and dialog.objectName() == "fileProgressDialog"
            and dialog.windowModality() == Qt.WindowModality.WindowModal)


def when_progress_shows(win, action):
    """A timer that runs `action(dialog)` once, as soon as the file's progress dialog is visible."""
    from PySide6.QtCore import QTimer

    timer = QTimer()

    def poll() -> None:
        dialog = win.documents.progress_dialog()
        if dialog is not None and dialog.isVisible():
            timer.stop()
            action(dialog)

    timer.timeout.connect(poll)
    timer.start(0)
    return timer
