"""The window and special paths (issue 18, items 3 and 10): read-only folders, FIFOs, devices,
and points saved under a .json name."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from special_paths import read_only_folder
from window_helpers import answer_file_dialogs, shown_window, train_to

from lrviz.core.dataset import Dataset

POINTS = Dataset([[-1.0, -0.5], [-0.5, -1.5], [0.8, 0.2], [1.0, 1.5]], [0, 0, 1, 1])


def test_points_saved_under_a_json_name_open_again_as_points(qtbot, tmp_path, monkeypatch):
    win = shown_window(qtbot, POINTS)
    path = tmp_path / "points.json"
    answer_file_dialogs(monkeypatch, save_path=path)
    assert win.documents.save_data_as()
    win.documents.new()
    assert len(win.run.points) == 0
    assert win.documents.open_path(str(path))
    assert win.run.points == POINTS


@pytest.mark.parametrize("export", ["params", "history", "plot", "data", "session"])
def test_a_save_into_a_read_only_folder_says_so_and_writes_nothing(qtbot, tmp_path, monkeypatch, message_boxes,
                                                                   export):
    win = shown_window(qtbot, POINTS)
    train_to(qtbot, win, 3)
    folder = read_only_folder(tmp_path)
    name = {"params": "p.json", "history": "h.csv", "plot": "plot.svg", "data": "d.csv",
            "session": "s.lrviz.json"}[export]
    answer_file_dialogs(monkeypatch, save_path=folder / name)
    message_boxes.shown.clear()
    {"params": win.exports.export_params, "history": win.exports.export_history,
     "plot": win.exports.export_plot, "data": win.documents.save_data_as,
     "session": win.documents.save_session}[export]()
    assert [(kind, title) for kind, title, _ in message_boxes.shown] == [("warning", "Could not save")]
    assert not (folder / name).exists()
    assert not win.statusBar().currentMessage().startswith("Saved")
    os.chmod(tmp_path / "read-only", 0o755)


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_a_save_onto_a_fifo_or_device_is_refused_and_the_node_stays(qtbot, tmp_path, monkeypatch, message_boxes,
                                                                    kind):
    win = shown_window(qtbot, POINTS)
    target = tmp_path / "target.png"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        target.mkdir()
    before = os.stat(target).st_mode
    answer_file_dialogs(monkeypatch, save_path=target)
    message_boxes.shown.clear()
    win.exports.export_plot()
    assert [title for _, title, _ in message_boxes.shown] == ["Could not save"]
    assert "regular file" in message_boxes.shown[0][2] or "folder" in message_boxes.shown[0][2]
    assert os.stat(target).st_mode == before


OPEN_SPECIAL = textwrap.dedent("""
    import sys
    from PySide6.QtWidgets import QApplication
    from lrviz.ui import plain_text
    from lrviz.ui.main_window import MainWindow
    from lrviz.core.dataset import Dataset

    shown = []
    plain_text.exec_box = lambda box: shown.append(box.text()) or box.StandardButton.Ok
    app = QApplication([])
    win = MainWindow(Dataset([[0.0, 0.0], [1.0, 1.0]], [0, 1]))
    win.show()
    for path in sys.argv[1:]:
        print(win.documents.open_path(path))
    print(len(shown), all("regular file" in text for text in shown))
    win.state.mark_saved()
    win.close()
""")


def test_opening_a_fifo_or_a_device_is_refused_at_once(tmp_path):
    """A FIFO hung the window (the read never returns); /dev/zero filled memory."""
    fifo = tmp_path / "points.csv"
    os.mkfifo(fifo)
    session_fifo = tmp_path / "s.lrviz.json"
    os.mkfifo(session_fifo)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", OPEN_SPECIAL, str(fifo), str(session_fifo), "/dev/zero"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "False", "False", "3", "True"]


def test_the_command_line_opens_points_saved_under_a_json_name(tmp_path):
    from lrviz.cli.window import data_file_problem

    points = tmp_path / "points.json"
    points.write_text("x1,x2,label\n0,0,0\n1,1,1\n")
    assert data_file_problem(str(points)) is None
    session = tmp_path / "s.json"
    session.write_text('{"format": "lrviz-session/9"}')
    assert "newer lrviz" in data_file_problem(str(session))
