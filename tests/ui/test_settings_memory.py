"""What the window remembers between runs through QSettings: geometry, last folder, recent files.

conftest.py points QSettings at a private folder per test, so every test starts with nothing
remembered, and a second MainWindow in the same test plays the part of the next run.
The static QFileDialog functions are replaced by recorders that answer with a chosen path
and keep the folder each dialog was asked to start in.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QFileDialog

from lrviz.core.dataset import Dataset, make_preset
from lrviz.core.formats import read_points_csv, write_points_csv
from lrviz.ui.documents import MAX_RECENT, app_settings
from lrviz.ui.main_window import MainWindow
from window_helpers import shown_window

POINTS = Dataset([[-1.0, -0.5], [-0.5, -1.5], [0.8, 0.2], [1.0, 1.5]], [0, 0, 1, 1])


def _window(qtbot) -> MainWindow:
    win = shown_window(qtbot, POINTS)
    qtbot.waitExposed(win)
    return win


def _close(win) -> None:
    assert not win.has_unsaved_changes()
    assert win.close()  # accepted: nothing to save, so nothing asked
    assert not win.isVisible()


class Dialogs:
    """Stand-ins for QFileDialog.getOpenFileName / getSaveFileName: answer `path`, record the start."""

    def __init__(self, monkeypatch) -> None:
        self.path = ""
        self.starts: list[tuple[str, str]] = []  # (kind, directory argument)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", self._answer("open"))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._answer("save"))

    def _answer(self, kind):
        def ask(parent=None, caption="", directory="", filter="", *args, **kwargs):
            self.starts.append((kind, str(directory)))
            return (str(self.path), "") if self.path else ("", "")
        return ask


@pytest.fixture
def dialogs(monkeypatch) -> Dialogs:
    return Dialogs(monkeypatch)


def _points_file(folder: Path, name: str, seed: int) -> tuple[Path, Dataset]:
    folder.mkdir(parents=True, exist_ok=True)
    data = make_preset("blobs", n_points=10 + seed, seed=seed)
    path = folder / name
    write_points_csv(path, data)
    return path, data


# -- geometry -------------------------------------------------------------------------------------
def test_geometry_is_restored_in_the_next_window(qtbot):
    first = _window(qtbot)
    default = first.geometry()
    first.resize(700, 500)
    first.move(30, 40)
    qtbot.waitUntil(lambda: first.size().width() == 700 and first.pos().x() == 30)
    moved = QRect(first.geometry())
    assert moved != default
    _close(first)

    second = _window(qtbot)
    assert second.geometry() == moved
    assert second.pos() == first.pos()
    _close(second)


def test_geometry_is_kept_from_the_last_window_closed(qtbot):
    first = _window(qtbot)
    first.resize(640, 480)
    qtbot.waitUntil(lambda: first.width() == 640)
    _close(first)
    second = _window(qtbot)
    assert second.size() == first.size()
    second.resize(720, 530)
    second.move(52, 64)
    qtbot.waitUntil(lambda: second.width() == 720 and second.pos().x() == 52)
    _close(second)
    third = _window(qtbot)
    assert third.geometry() == second.geometry()
    _close(third)


def test_a_window_that_refuses_to_close_does_not_save_its_geometry(qtbot, message_boxes):
    from PySide6.QtWidgets import QMessageBox

    first = _window(qtbot)
    first.resize(650, 450)
    first.move(40, 60)  # clear of the screen's edges: Qt moves a restored title bar on screen
    qtbot.waitUntil(lambda: first.width() == 650 and first.pos().x() == 40)
    _close(first)
    remembered = first.geometry()
    second = _window(qtbot)
    second.points.add_point(0.0, 0.0, 1)
    second.resize(610, 470)
    qtbot.waitUntil(lambda: second.width() == 610)
    message_boxes.answer = QMessageBox.StandardButton.Cancel
    try:
        assert not second.close()
        assert second.isVisible()
    finally:
        message_boxes.answer = QMessageBox.StandardButton.Discard  # lets the teardown close it
    assert message_boxes.shown[-1][0] == "question"
    third = _window(qtbot)
    assert third.geometry() == remembered  # the cancelled close wrote nothing
    assert third.width() != 610
    _close(third)


def test_a_maximized_window_opens_maximized_and_keeps_its_normal_geometry(qtbot):
    first = _window(qtbot)
    first.resize(600, 450)
    first.move(50, 70)
    qtbot.waitUntil(lambda: first.width() == 600 and first.pos().x() == 50)
    normal = QRect(first.geometry())
    first.showMaximized()
    qtbot.waitUntil(first.isMaximized)
    _close(first)

    second = _window(qtbot)
    assert second.isMaximized()
    assert second.normalGeometry() == normal
    second.showNormal()
    try:  # the platform applies the restore when it gets to it: on a loaded machine this took over 2 s once
        qtbot.waitUntil(lambda: not second.isMaximized() and second.geometry() == normal, timeout=10000)
    except qtbot.TimeoutError:  # say what the window had, to tell a slow restore from a wrong one
        raise AssertionError(f"maximized {second.isMaximized()}, geometry {second.geometry()} (wanted {normal}), "
                             f"minimum {second.minimumSizeHint()}") from None
    _close(second)


# -- last folder -------------------------------------------------------------------------------------
def test_the_next_open_dialog_starts_in_the_folder_last_opened(qtbot, dialogs, tmp_path):
    win = _window(qtbot)
    path, data = _points_file(tmp_path / "first folder", "a.csv", 1)
    dialogs.path = path
    win.documents.open_data_action.trigger()
    assert win.points.dataset == data
    start_before = dialogs.starts[-1][1]
    assert Path(start_before).resolve() != path.parent.resolve()  # nothing remembered yet

    dialogs.path = ""  # the user cancels: only the start folder matters
    win.documents.open_data_action.trigger()
    assert dialogs.starts[-1] == ("open", str(path.parent.resolve()))
    win.documents.open_session_action.trigger()
    assert dialogs.starts[-1] == ("open", str(path.parent.resolve()))
    win.documents.save_data_as_action.trigger()  # a save dialog proposes a name in that folder
    kind, start = dialogs.starts[-1]
    assert kind == "save" and Path(start).parent == path.parent.resolve()
    assert win.points.dataset == data  # cancelled dialogs change nothing

    # the next run starts there too
    _close(win)
    other = _window(qtbot)
    other.documents.open_data_action.trigger()
    assert dialogs.starts[-1] == ("open", str(path.parent.resolve()))
    _close(other)


def test_saving_into_a_folder_makes_it_the_last_folder(qtbot, dialogs, tmp_path):
    win = _window(qtbot)
    opened, _ = _points_file(tmp_path / "in", "a.csv", 2)
    dialogs.path = opened
    win.documents.open_data_action.trigger()
    target = tmp_path / "out" / "saved.csv"
    target.parent.mkdir()
    win.points.add_point(0.25, 0.5, 1)
    dialogs.path = target
    win.documents.save_data_as_action.trigger()
    assert read_points_csv(target) == win.points.dataset
    dialogs.path = ""
    win.documents.open_data_action.trigger()
    assert dialogs.starts[-1] == ("open", str(target.parent.resolve()))
    _close(win)


def test_a_failed_open_does_not_move_the_last_folder(qtbot, dialogs, tmp_path, message_boxes):
    win = _window(qtbot)
    good, data = _points_file(tmp_path / "good", "a.csv", 3)
    dialogs.path = good
    win.documents.open_data_action.trigger()
    bad = tmp_path / "bad" / "broken.csv"
    bad.parent.mkdir()
    bad.write_text("x1,x2,label\n1,2,7\n")
    dialogs.path = bad
    win.documents.open_data_action.trigger()
    assert message_boxes.shown[-1][0] == "warning"
    assert win.points.dataset == data
    dialogs.path = ""
    win.documents.open_data_action.trigger()
    assert dialogs.starts[-1] == ("open", str(good.parent.resolve()))
    assert win.documents.recent_files() == [str(good.resolve())]
    _close(win)


def test_export_dialogs_start_in_the_last_folder(qtbot, dialogs, tmp_path):
    win = _window(qtbot)
    path, _ = _points_file(tmp_path / "work", "a.csv", 6)
    dialogs.path = path
    win.documents.open_data_action.trigger()
    qtbot.waitUntil(lambda: len(win.run.history) == 1)  # epoch 0 on the opened points: something to export
    dialogs.path = ""  # every export dialog is cancelled: only where it starts matters
    for action in (win.exports.export_params_action, win.exports.export_history_action, win.exports.export_plot_action):
        action.trigger()
        kind, start = dialogs.starts[-1]
        assert kind == "save" and Path(start).parent == path.parent.resolve(), (action.objectName(), start)
    _close(win)


# -- recent files --------------------------------------------------------------------------------------
def _menu_paths(win) -> list[str]:
    return [action.toolTip() for action in win.documents.recent_menu.actions()]


def test_recent_files_grow_newest_first_and_survive_a_new_window(qtbot, dialogs, tmp_path):
    win = _window(qtbot)
    assert win.documents.recent_files() == []
    assert not win.documents.recent_menu.isEnabled()
    files = [_points_file(tmp_path / f"d{i}", f"p{i}.csv", i) for i in range(3)]
    opened: list[str] = []
    for path, data in files:
        dialogs.path = path
        win.documents.open_data_action.trigger()
        assert win.points.dataset == data
        opened.insert(0, str(path.resolve()))
        assert win.documents.recent_files() == opened
        assert _menu_paths(win) == opened
    assert win.documents.recent_menu.isEnabled()
    assert [a.text() for a in win.documents.recent_menu.actions()] == ["&1 p2.csv", "&2 p1.csv", "&3 p0.csv"]

    # opening one again moves it to the top instead of listing it twice
    dialogs.path = files[0][0]
    win.documents.open_data_action.trigger()
    opened = [opened[2], opened[0], opened[1]]
    assert win.documents.recent_files() == opened
    _close(win)

    other = _window(qtbot)
    assert other.documents.recent_files() == opened
    assert _menu_paths(other) == opened and other.documents.recent_menu.isEnabled()
    # and the remembered entries open their files
    other.documents.recent_menu.actions()[1].trigger()
    assert other.points.dataset == files[2][1]
    assert other.documents.recent_files()[0] == str(files[2][0].resolve())
    _close(other)


NEXT_RUN_SCRIPT = """
import sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[1])
from lrviz.ui.main_window import MainWindow
win = MainWindow()
win.show()
assert win.documents.open_path(sys.argv[2])
win.resize(680, 490)
win.move(44, 66)
app.processEvents()
assert win.close()
"""


def test_a_single_recent_file_and_the_geometry_survive_a_real_restart(qtbot, tmp_path, private_settings):
    # Across processes, QSettings (INI) reads a one-element list back as a plain string:
    # the first run is a separate process, this test is the next run.
    path, data = _points_file(tmp_path / "data", "only.csv", 5)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", NEXT_RUN_SCRIPT, private_settings, str(path)],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    win = _window(qtbot)
    assert win.documents.recent_files() == [str(path.resolve())]
    assert _menu_paths(win) == [str(path.resolve())]
    assert win.size().width() == 680 and win.size().height() == 490 and win.pos().x() == 44
    win.documents.recent_menu.actions()[0].trigger()
    assert win.points.dataset == data
    _close(win)


def test_recent_files_keep_at_most_the_newest_few(qtbot, dialogs, tmp_path):
    win = _window(qtbot)
    paths = [_points_file(tmp_path, f"f{i}.csv", i)[0] for i in range(MAX_RECENT + 3)]
    for path in paths:
        dialogs.path = path
        win.documents.open_data_action.trigger()
    newest = [str(p.resolve()) for p in reversed(paths)][:MAX_RECENT]
    assert win.documents.recent_files() == newest
    assert len(win.documents.recent_menu.actions()) == MAX_RECENT
    _close(win)
    other = _window(qtbot)
    assert other.documents.recent_files() == newest


def test_sessions_are_remembered_too_and_a_vanished_file_is_forgotten(qtbot, dialogs, tmp_path,
                                                                         message_boxes):
    win = _window(qtbot)
    data_path, _ = _points_file(tmp_path, "pts.csv", 4)
    dialogs.path = data_path
    win.documents.open_data_action.trigger()
    session_path = tmp_path / "s" / "run.lrviz.json"
    session_path.parent.mkdir()
    dialogs.path = session_path
    win.documents.save_session_action.trigger()
    assert session_path.exists()
    assert win.documents.recent_files() == [str(session_path.resolve()), str(data_path.resolve())]
    _close(win)

    data_path.unlink()
    other = _window(qtbot)
    assert other.documents.recent_files() == [str(session_path.resolve()), str(data_path.resolve())]
    other.documents.recent_menu.actions()[1].trigger()  # the CSV is gone
    assert message_boxes.shown[-1][0] == "warning"
    assert other.points.dataset == POINTS
    assert other.documents.recent_files() == [str(session_path.resolve())]
    assert app_settings().value("lastFolder") == str(session_path.parent.resolve())
    _close(other)
