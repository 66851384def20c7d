"""`lrviz FILE` with a FILE the window could not open after all (a cancelled import, a large
damaged file): the window says so, and so does stderr, instead of "the points are unchanged"."""

from __future__ import annotations

import io

from window_helpers import shown_window

from lrviz.core.dataset import default_dataset
from lrviz.ui.app import open_command_line_file


def test_a_cancelled_import_says_the_file_was_not_opened(qtbot, tmp_path, monkeypatch, message_boxes):
    three = tmp_path / "three_classes.csv"
    three.write_text("x1,x2,label\n0,0,0\n1,1,1\n2,2,2\n0.5,0.2,0\n1.5,1.1,1\n")
    asked = []
    monkeypatch.setattr("lrviz.ui.documents.ask_import", lambda *a, **k: asked.append(a) or None)  # Cancel
    win = shown_window(qtbot, default_dataset())
    stderr = io.StringIO()
    assert open_command_line_file(win, str(three), stderr) is False
    assert len(asked) == 1 and win.run.points == default_dataset()
    message = win.statusBar().currentMessage()
    assert message.startswith(f"Did not open {three}: the window shows the built-in data set.")
    assert "unchanged" not in message
    assert stderr.getvalue() == f"lrviz: {three} was not opened; the window shows the built-in data set\n"
    win.close()


def test_a_file_that_opens_is_the_saved_state(qtbot, tmp_path, message_boxes):
    points = tmp_path / "points.csv"
    points.write_text("x1,x2,label\n0,0,0\n1,1,1\n")
    win = shown_window(qtbot, default_dataset())
    stderr = io.StringIO()
    assert open_command_line_file(win, str(points), stderr) is True
    assert len(win.run.points) == 2 and stderr.getvalue() == "" and not win.has_unsaved_changes()
    win.close()
