"""The data set's class names in the window: class buttons, tooltips, status line, exports."""

from __future__ import annotations

from lrviz.core.dataset import Dataset, load_iris
from lrviz.core.formats import read_params, read_session, write_session
from window_helpers import answer_file_dialogs, find_button, shown_window, train_to


def test_iris_buttons_and_status_name_the_species_and_plain_data_says_class_0_and_1(qtbot):
    win = shown_window(qtbot, load_iris())
    assert find_button(win, "classButton0").text() == "setosa"
    assert find_button(win, "classButton1").text() == "versicolor"
    assert "places versicolor (label 1" in find_button(win, "classButton1").toolTip()
    assert win.status_points.text() == "100 points (50 setosa, 50 versicolor)"
    win.points.replace(Dataset([[0, 0], [1, 1]], [0, 1], class_names=("R&D", "ops")), "named")
    assert find_button(win, "classButton0").text() == "R&&D"  # a literal "&", not a mnemonic
    win.points.undo_stack.undo()
    assert find_button(win, "classButton1").text() == "versicolor"
    win.points.replace(Dataset([[0, 0], [1, 1]], [0, 1]), "plain")
    assert find_button(win, "classButton0").text() == "class 0"


def test_a_session_and_exported_parameters_keep_the_names(qtbot, monkeypatch, tmp_path):
    win = shown_window(qtbot, Dataset([[0, 0], [1, 1], [0, 1]], [0, 1, 0], class_names=("cat", "dog")))
    train_to(qtbot, win, 5)
    answer_file_dialogs(monkeypatch, save_path=tmp_path / "p.json")
    win.exports.export_params_action.trigger()
    assert read_params(tmp_path / "p.json").class_names == ("cat", "dog")
    write_session(tmp_path / "s.lrviz.json", win.session())
    other = shown_window(qtbot, Dataset([[0, 0], [1, 1]], [0, 1]))
    other.restore_session(read_session(tmp_path / "s.lrviz.json"))
    assert find_button(other, "classButton1").text() == "dog"
