"""File ▸ Export Script / Export Notebook from the window: the shown epoch, trained again in a subprocess."""

from __future__ import annotations


from lrviz.core.dataset import default_dataset
from tests.core.test_script_export import assert_matches, run_notebook, run_script
from tests.ui.window_helpers import answer_file_dialogs, shown_window, train_to


def test_export_script_of_the_shown_epoch_prints_its_numbers(qtbot, monkeypatch, tmp_path):
    win = shown_window(qtbot, default_dataset())
    train_to(qtbot, win, 200)
    win.state.select_epoch(150)
    path = tmp_path / "run.py"
    answer_file_dialogs(monkeypatch, save_path=path)
    win.findChild(type(win.exports.export_plot_action), "exportScriptAction").trigger()
    assert_matches(run_script(path), win.run, 150)


def test_export_notebook_prints_the_newest_epochs_numbers(qtbot, monkeypatch, tmp_path):
    win = shown_window(qtbot, default_dataset())
    train_to(qtbot, win, 80)
    path = tmp_path / "run.ipynb"
    answer_file_dialogs(monkeypatch, save_path=path)
    win.code_exports.export_notebook_action.trigger()
    assert_matches(run_notebook(path), win.run, 80)


def test_a_wrong_suffix_is_explained_and_nothing_is_written(qtbot, monkeypatch, tmp_path, message_boxes):
    win = shown_window(qtbot, default_dataset())
    answers = iter([str(tmp_path / "run.txt"), ""])
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (next(answers), ""))
    win.code_exports.export_script_action.trigger()
    messages = [text for kind, _title, text in message_boxes.shown if kind == "warning"]
    assert messages and ".py" in messages[0]
    assert list(tmp_path.iterdir()) == []
