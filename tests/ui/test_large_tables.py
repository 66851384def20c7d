"""A large table of any columns (10^6 rows) is read off the GUI thread, then importDialog opens.

While the read runs, `importProgress` shows how far it is and the window keeps answering
(the event loop turns, training could go on); Cancel leaves the points as they were.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QProgressDialog, QPushButton

import lrviz.core.formats.table_steps as steps
from lrviz.core.dataset import Dataset
from lrviz.ui.import_dialog import ImportDialog
from window_helpers import shown_window

START = Dataset([[0.0, 0.0], [1.0, 1.0]], [0, 1])
ROWS = 1_000_000
BAD_ROW = 123_456  # its v is "NA": named by line and skipped


def _write_table(path, rows: int = ROWS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """id,u,v,kind with three kinds; the (u, v) of every row, its kind, and whether v is missing."""
    i = np.arange(rows)
    u = (i % 997) / 8 - 40.0        # exact in binary and in decimal
    v = (i * 7 % 1009) / 4 - 100.0
    kind = np.array(["cat", "dog", "eel"])[i % 3]
    u_texts = [repr(x) for x in ((np.arange(997)) / 8 - 40.0).tolist()]  # the few distinct values, once
    v_texts = [repr(x) for x in ((np.arange(1009)) / 4 - 100.0).tolist()]
    lines = [f"{n},{u_texts[n % 997]},{v_texts[n * 7 % 1009]},{'cat dog eel'[4 * (n % 3):4 * (n % 3) + 3]}"
             for n in range(rows)]
    if rows > BAD_ROW:
        lines[BAD_ROW] = lines[BAD_ROW].rsplit(",", 2)[0] + ",NA," + kind[BAD_ROW]
    path.write_text("id,u,v,kind\n" + "\n".join(lines) + "\n")
    missing = np.zeros(rows, bool)
    missing[BAD_ROW:BAD_ROW + 1] = True
    return np.column_stack([u, v]), kind, missing


def _watch(qtbot, act_on_progress=None):
    """Record each event-loop turn during the read (and which modal dialog was up); answer
    importDialog (u and v as the features, then Skip and open) when it appears."""
    seen = {"turns": 0, "progress": [], "dialogs": []}

    def tick():
        seen["turns"] += 1
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QProgressDialog) and modal.objectName() == "importProgress":
            seen["progress"].append(modal.value())
            if act_on_progress is not None:
                act_on_progress(modal)
        elif isinstance(modal, ImportDialog) and not seen["dialogs"]:
            seen["dialogs"].append(modal)
            for box in modal.feature_boxes:  # id, u, v, kind: x1 := u, x2 := v
                box.setFocus()
                qtbot.keyClick(box, Qt.Key.Key_Down)
            qtbot.mouseClick(modal.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()
    return timer, seen


def test_a_million_row_table_is_read_in_the_background_then_chosen_from(qtbot, tmp_path, message_boxes):
    path = tmp_path / "pets.csv"
    X, kind, missing = _write_table(path)
    win = shown_window(qtbot, START)
    timer, seen = _watch(qtbot)
    try:
        assert win.documents.open_path(str(path))
    finally:
        timer.stop()
    assert len(seen["progress"]) >= 3 and seen["progress"] == sorted(seen["progress"])  # the window answered
    assert seen["progress"][-1] > 0
    dialog = seen["dialogs"][0]
    assert dialog.bad_rows.text().endswith(f"line {BAD_ROW + 2}. OK skips them; Cancel opens nothing.")
    keep = ((kind == "cat") | (kind == "dog")) & ~missing
    dataset = win.points.dataset
    np.testing.assert_array_equal(dataset.X, X[keep])
    np.testing.assert_array_equal(dataset.y, (kind[keep] == "dog").astype(np.int64))
    assert dataset.class_names == ("cat", "dog") and dataset.feature_names == ("u", "v")
    assert message_boxes.shown == []
    assert win.isEnabled() and QApplication.activeModalWidget() is None


def test_cancel_stops_the_read_and_keeps_the_points(qtbot, tmp_path, monkeypatch, message_boxes):
    path = tmp_path / "pets.csv"
    _write_table(path, rows=60_000)  # over documents.BACKGROUND_READ_BYTES
    monkeypatch.setattr(steps, "BLOCK_CHARS", 256)  # many steps: Cancel comes long before the end
    win = shown_window(qtbot, START)
    cancelled = []

    def cancel(progress):
        if not cancelled:
            cancelled.append(progress.value())
            qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)

    timer, seen = _watch(qtbot, cancel)
    try:
        assert not win.documents.open_path(str(path))
    finally:
        timer.stop()
    assert cancelled and seen["dialogs"] == []  # no importDialog after Cancel
    assert win.points.dataset == START and message_boxes.shown == []
    assert "points are unchanged" in win.statusBar().currentMessage()


def test_a_table_read_that_fails_unexpectedly_keeps_the_points_and_says_so(qtbot, tmp_path, monkeypatch, message_boxes):
    import lrviz.ui.documents as documents

    path = tmp_path / "pets.csv"
    _write_table(path, rows=60_000)

    def broken(*args, **kwargs):
        raise MemoryError("no room")

    monkeypatch.setattr(documents, "read_table_in_steps", broken)
    win = shown_window(qtbot, START)
    assert not win.documents.open_path(str(path))
    assert win.points.dataset == START
    assert [title for _, title, _ in message_boxes.shown] == ["Could not open the points"]
