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


def test_the_confusion_matrix_metrics_and_tooltips_name_the_classes_as_plain_text(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from lrviz.ui.editor.selection_layer import point_tooltip
    from lrviz.ui.plain_text import tooltip

    win = shown_window(qtbot, load_iris())
    win.quality.dock.show()  # the confusion matrix is built, and drawn, when its dock is shown
    qtbot.waitUntil(lambda: win.findChild(QLabel, "confusionTrain_class1_column") is not None)
    matrix = win.findChild(QLabel, "confusionTrain_class1_column")
    assert matrix.text() == "versicolor" and matrix.textFormat() == Qt.TextFormat.PlainText
    assert win.findChild(QLabel, "confusionTest_class0_row").text() == "setosa"
    assert win.findChild(QLabel, "metrics_points_caption").text() == "points (setosa + versicolor)"
    assert win.findChild(QLabel, "metrics_recall_caption").text() == "recall (versicolor)"
    x1, x2, _ = win.run.points.point(0)
    assert point_tooltip(win.state, 0).startswith(f"point 1: x = ({x1:.6g}, {x2:.6g}), label y = 0 (setosa)")
    hostile = Dataset([[0, 0], [1, 1]], [0, 1], class_names=("<b>cat</b>", "dog"))
    win.points.replace(hostile, "named")
    label = win.findChild(QLabel, "confusionTrain_class0_row")
    assert label.text() == "<b>cat</b>" and label.textFormat() == Qt.TextFormat.PlainText
    assert win.findChild(QLabel, "metrics_points_caption").textFormat() == Qt.TextFormat.PlainText
    text = point_tooltip(win.state, 0)
    assert "label y = 0 (<b>cat</b>)" in text
    assert "&lt;b&gt;cat&lt;/b&gt;" in tooltip(text)  # shown literally, not as bold "cat"
    win.points.replace(Dataset([[0, 0], [1, 1]], [0, 1]), "plain")
    assert win.findChild(QLabel, "confusionTrain_class1_row").text() == "class 1"
    assert win.findChild(QLabel, "metrics_points_caption").text() == "points (class 0 + class 1)"


def test_an_exported_script_names_the_classes(qtbot):
    import json

    from lrviz.core.script_export import notebook_text, reproduction, script_text

    win = shown_window(qtbot, load_iris())
    train_to(qtbot, win, 3)
    text = script_text(reproduction(win.run, 3))
    assert "CLASSES = ['setosa', 'versicolor']" in text
    notebook = "".join("".join(cell["source"]) for cell in json.loads(notebook_text(reproduction(win.run, 3)))["cells"])
    assert "CLASSES = ['setosa', 'versicolor']" in notebook and "label=CLASSES[label]" in notebook
    plain = shown_window(qtbot, Dataset([[0, 0], [1, 1], [0, 1]], [0, 1, 1]))
    train_to(qtbot, plain, 3)
    assert "CLASSES = ['class 0', 'class 1']" in script_text(reproduction(plain.run, 3))


def test_the_editor_legend_names_named_classes_only(qtbot):
    from lrviz.ui.editor.point_editor import PointEditor

    win = shown_window(qtbot, load_iris())
    legend = win.findChild(PointEditor).class_legend
    assert legend.box.isVisible() and [t.text() for t in legend.names] == ["setosa", "versicolor"]
    view = win.findChild(PointEditor).view_box.sceneBoundingRect()
    assert view.contains(legend.box.sceneBoundingRect())  # in the plot's corner, over no axis
    win.points.replace(Dataset([[0, 0], [1, 1]], [0, 1], class_names=("<b>cat</b>", "d" * 100)), "named")
    assert legend.names[0].text() == "<b>cat</b>"  # a QGraphicsSimpleTextItem: never HTML
    assert legend.names[1].text() == "d" * 39 + "…"
    win.points.replace(Dataset([[0, 0], [1, 1]], [0, 1]), "plain")
    assert not legend.box.isVisible()


def test_the_readout_says_which_class_the_probability_is_of(qtbot):
    from PySide6.QtWidgets import QLabel

    win = shown_window(qtbot, load_iris())
    accuracy = win.findChild(QLabel, "readout_accuracy")
    assert "ŷ = P(versicolor) ≥ 0.5 exactly when the point is versicolor" in accuracy.toolTip()
    assert "from setosa toward versicolor" in win.findChild(QLabel, "readout_w").toolTip()
    win.points.replace(Dataset([[0, 0], [1, 1]], [0, 1]), "plain")
    assert "ŷ = P(class 1)" in accuracy.toolTip()
