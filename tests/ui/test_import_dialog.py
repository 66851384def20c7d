"""importDialog, driven with real clicks and keys: any table becomes the points the user picks."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QDialogButtonBox, QLabel, QTableWidget

from lrviz.core.dataset import Dataset, load_iris
from lrviz.core.formats import TableChoice, read_table
from lrviz.resources import asset_path
from lrviz.ui.import_dialog import ONE_VS_REST, ImportDialog
from window_helpers import answer_file_dialogs, shown_window

START = Dataset([[0.0, 0.0], [1.0, 1.0]], [0, 1])


def _dialog(qtbot, table, offered=None) -> ImportDialog:
    dialog = ImportDialog(table, offered)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _ok(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_iris_offers_numeric_features_first_and_its_species_with_counts(qtbot):
    dialog = _dialog(qtbot, read_table(asset_path("iris.csv")))
    preview = dialog.findChild(QTableWidget, "importPreview")
    assert preview.rowCount() == 10 and preview.item(0, 4).text() == "setosa"
    assert preview.verticalHeaderItem(0).text() == "2"  # the file's line number
    box = dialog.feature_boxes[0]
    assert [box.itemData(i) for i in range(box.count())][:4] == ["sepal_length", "sepal_width", "petal_length",
                                                                 "petal_width"]
    assert dialog.positive_box.currentText() == "versicolor  (50 rows)"
    assert dialog.negative_box.currentText() == "setosa  (50 rows)"
    # x1 := petal_length, x2 := petal_width with the keyboard
    for box in dialog.feature_boxes:
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Down)
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert dialog.choice().features == ("petal_length", "petal_width")
    assert dialog.result_import().dataset == load_iris()
    qtbot.mouseClick(dialog.swap_button, Qt.MouseButton.LeftButton)
    flipped = dialog.result_import().dataset
    assert flipped.class_names == ("versicolor", "setosa")
    np.testing.assert_array_equal(flipped.y, 1 - load_iris().y)
    # one species against the other two
    dialog.negative_box.setFocus()
    qtbot.keyClick(dialog.negative_box, Qt.Key.Key_End)
    assert dialog.negative_box.currentText() == ONE_VS_REST and not dialog.swap_button.isEnabled()
    rest = dialog.result_import().dataset
    assert len(rest) == 150 and rest.class_names == ("not setosa", "setosa") and rest.class_counts() == (100, 50)
    assert "100 of class 0 (not setosa), 50 of class 1 (setosa)" in dialog.summary.text()
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.result() == ImportDialog.DialogCode.Accepted


def test_bad_rows_are_listed_and_ok_says_it_skips_them(qtbot, tmp_path):
    path = tmp_path / "pets.csv"
    path.write_text("weight;height;kind;note\n1;2;cat;<b>x</b>\n3;;dog;\n4;x;cat;\n5;6;dog;\n")
    dialog = _dialog(qtbot, read_table(path))
    assert dialog.bad_rows.text().startswith("pets.csv: 2 rows have a missing or non-numeric feature")
    assert "lines 3, 4" in dialog.bad_rows.text()
    assert dialog.bad_rows.textFormat() == Qt.TextFormat.PlainText
    assert _ok(dialog).text() == "Skip 2 rows and open"
    assert dialog.result_import().dataset == Dataset([[1, 2], [5, 6]], [0, 1], feature_names=("weight", "height"),
                                                     class_names=("cat", "dog"))
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == ImportDialog.DialogCode.Rejected


def _answer_import(qtbot, act):
    """Run `act(dialog)` on the import dialog once File > Open shows it (it runs modally)."""
    seen = []

    def poll(tries_left=500):
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ImportDialog):
            seen.append(dialog)
            act(dialog)
        elif tries_left:
            QTimer.singleShot(10, lambda: poll(tries_left - 1))

    QTimer.singleShot(0, poll)
    return seen


def test_open_data_on_any_table_opens_the_dialog_and_remembers_the_choice(qtbot, monkeypatch, tmp_path,
                                                                          message_boxes):
    path = tmp_path / "iris copy.csv"
    path.write_text(Path(asset_path("iris.csv")).read_text(encoding="utf-8"))
    win = shown_window(qtbot, START)
    answer_file_dialogs(monkeypatch, open_path=path)

    def choose(dialog):
        for box in dialog.feature_boxes:
            box.setFocus()
            qtbot.keyClick(box, Qt.Key.Key_Down)
            qtbot.keyClick(box, Qt.Key.Key_Down)
        qtbot.mouseClick(dialog.swap_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)

    seen = _answer_import(qtbot, choose)
    win.findChild(type(win.documents.open_data_action), "openDataAction").trigger()
    assert len(seen) == 1
    assert win.points.dataset.class_names == ("versicolor", "setosa") and len(win.points.dataset) == 100
    assert win.points.dataset.feature_names == ("petal_length", "petal_width")
    assert win.documents.data_path is None  # Save Data asks for a name: the table is not overwritten
    # the next time, the same choice is offered
    offered = []
    _answer_import(qtbot, lambda dialog: (offered.append(dialog.choice()), dialog.reject()))
    win.documents.open_path(str(path))
    assert offered[0].features == ("petal_length", "petal_width") and offered[0].positive == "setosa"
    assert win.points.dataset.class_names == ("versicolor", "setosa")  # cancelled: unchanged
    assert message_boxes.shown == []


def test_lrvizs_own_format_opens_at_once(qtbot, monkeypatch, tmp_path, message_boxes):
    path = tmp_path / "own.csv"
    path.write_text("x1,x2,label\n1,2,0\n3,4,1\n")
    win = shown_window(qtbot, START)
    seen = []
    monkeypatch.setattr("lrviz.ui.documents.ask_import", lambda *args: seen.append(args))
    assert win.documents.open_path(str(path))
    assert seen == [] and win.points.dataset == Dataset([[1, 2], [3, 4]], [0, 1])
    assert win.documents.data_path == str(path)


@st.composite
def table_files(draw):
    """A CSV/TSV variant: delimiter, quotes, header or none, BOM, CRLF, trailing delimiter, an id
    column, label values of any kind, and rows with a missing or non-numeric feature."""
    pair = draw(st.lists(st.sampled_from(["cat", "dog", "True", "False", "3", "setosa", "a, b"]),
                         min_size=2, max_size=2, unique=True))
    n = draw(st.integers(3, 12))
    X = draw(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)), min_size=n, max_size=n))
    y = [i % 2 for i in range(n)]
    bad = sorted(draw(st.sets(st.integers(2, n - 1), max_size=2)))  # never rows 0 and 1 (both classes stay)
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    header, crlf, bom, trailing = (draw(st.booleans()) for _ in range(4))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
    tail = [""] if trailing else []
    if header:
        writer.writerow(["id", "u", "v", "kind"] + tail)
    for i, ((a, b), label) in enumerate(zip(X, y)):
        cell = draw(st.sampled_from(["", "NA", "?"])) if i in bad else repr(b)
        writer.writerow([str(i), repr(a), cell, pair[label]] + tail)
    lines = [i + 1 + header for i in bad]
    return ("\ufeff" if bom else "") + out.getvalue(), pair, np.array(X), np.array(y), bad, lines


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(case=table_files())
def test_generated_files_open_through_the_dialog_with_the_expected_points(qtbot, tmp_path, case):
    text, pair, X, y, bad, lines = case
    path = tmp_path / "variant.csv"
    path.write_bytes(text.encode("utf-8"))
    table = read_table(path)
    u, v = table.names[1], table.names[2]
    dialog = _dialog(qtbot, table, TableChoice((u, v), table.names[3], positive=pair[1], negative=pair[0]))
    if bad:
        assert f"line{'s' if len(bad) > 1 else ''} {', '.join(map(str, lines))}" in dialog.bad_rows.text()
        assert _ok(dialog).text().startswith(f"Skip {len(bad)} row")
    qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.result() == ImportDialog.DialogCode.Accepted
    result = dialog.result_import()
    keep = np.array([i not in bad for i in range(len(y))])
    np.testing.assert_array_equal(result.dataset.X, X[keep])
    np.testing.assert_array_equal(result.dataset.y, y[keep])
    assert result.dataset.class_names == tuple(pair) and result.skipped_lines == tuple(lines)
    dialog.close()


def test_the_sniffed_header_can_be_flipped_and_the_columns_follow(qtbot, tmp_path):
    path = tmp_path / "years.csv"  # a header of numbers: sniffed as data
    path.write_text("2019,2020,kind\n1,2,cat\n3,4,dog\n5,6,cat\n")
    dialog = _dialog(qtbot, read_table(path))
    header = dialog.findChild(QCheckBox, "importHasHeader")
    preview = dialog.findChild(QTableWidget, "importPreview")
    assert not header.isChecked() and preview.rowCount() == 4
    assert dialog.label_box.itemData(0) == "column 3"
    note = dialog.findChild(QLabel, "importHeader")
    assert note.text() == "(as guessed from the file; the columns are numbered)"
    assert dialog.result_import().other_class_rows == 1  # the row "2019,2020,kind", of the class "kind"
    qtbot.mouseClick(header, Qt.MouseButton.LeftButton)
    assert header.isChecked() and preview.rowCount() == 3 and note.text() == "(changed from lrviz's guess)"
    assert [preview.horizontalHeaderItem(j).text() for j in range(3)] == ["2019", "2020", "kind"]
    assert preview.verticalHeaderItem(0).text() == "2"
    assert dialog.choice() == TableChoice(("2019", "2020"), "kind", positive="dog", negative="cat", skip_bad_rows=True,
                                          has_header=True)
    assert dialog.result_import().dataset == Dataset([[1, 2], [3, 4], [5, 6]], [0, 1, 0],
                                                     feature_names=("2019", "2020"), class_names=("cat", "dog"))
    assert _ok(dialog).text() == "Open"
    qtbot.mouseClick(header, Qt.MouseButton.LeftButton)  # and back
    assert not header.isChecked() and preview.rowCount() == 4 and dialog.choice().has_header is False


def test_a_remembered_header_choice_is_offered_again(qtbot, tmp_path):
    path = tmp_path / "years.csv"
    path.write_text("2019,2020,kind\n1,2,cat\n3,4,dog\n")
    offered = TableChoice(("2020", "2019"), "kind", positive="cat", negative="dog", has_header=True)
    assert TableChoice.from_dict(offered.to_dict()) == offered
    dialog = _dialog(qtbot, read_table(path), offered)
    assert dialog.findChild(QCheckBox, "importHasHeader").isChecked()
    assert dialog.choice() == TableChoice(("2020", "2019"), "kind", positive="cat", negative="dog",
                                          skip_bad_rows=True, has_header=True)
    assert dialog.result_import().dataset.X.tolist() == [[2, 1], [4, 3]]
