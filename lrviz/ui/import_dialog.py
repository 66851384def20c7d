"""`importDialog`: choose what of any table becomes the points.

A file that is not in lrviz's own format (``x1,x2,label`` of 0/1) opens here. The dialog
shows the first rows as they are in the file, and lets the user pick the two feature
columns (numeric ones first), the label column, the classes (two of its values, with their
counts, or one value against all the others) and which one is class 1. The sniffed guess
whether the first row names the columns is shown (`importHasHeader`) and can be flipped;
the preview and the columns follow. Rows with a
missing or non-numeric feature are listed by line; OK then says it skips them, and Cancel
opens nothing. Every string from the file is shown as plain text.

The choice is remembered per file (QSettings, `remember_choice`), and offered the next time
that file is opened. The table logic is `lrviz.core.formats.table`; this is only its face.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lrviz.core.formats.table import (
    BadRowsError,
    Table,
    TableChoice,
    TableImport,
    dataset_from_table,
    describe_bad_rows,
    guess_choice,
)
from lrviz.core.wording import counted

PREVIEW_ROWS = 10
ONE_VS_REST = "every other value (one against the rest)"
_SETTINGS_GROUP = "importChoices"


class ImportDialog(QDialog):
    """The chooser; `accepted` gives `result_import()` (the points) and `choice()`."""

    def __init__(self, table: Table, offered: TableChoice | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(f"Open {Path(table.source).name}")
        self._sniffed = table  # as read, with the guessed header
        self._table = table    # with the user's header choice
        self._import: TableImport | None = None
        self._updating = False

        self.preview = QTableWidget(self)
        self.preview.setObjectName("importPreview")
        self.preview.setToolTip("The first rows of the file; the row numbers are its line numbers")
        self.preview.setMaximumHeight(260)
        self.header_box = QCheckBox("The first row holds the column names", self)
        self.header_box.setObjectName("importHasHeader")
        self.header_box.setToolTip("lrviz guessed this from the file; untick it when the first row is data, "
                                   "tick it when it names the columns")
        self.header_box.setChecked(table.has_header)
        self.feature_boxes = (self._combo("importFeature1"), self._combo("importFeature2"))
        self.label_box = self._combo("importLabel")
        self.positive_box = self._combo("importClass1")
        self.negative_box = self._combo("importClass0")
        self.swap_button = QPushButton("Swap classes", self)
        self.swap_button.setObjectName("importSwap")
        self.swap_button.setToolTip("Make class 0 class 1 and class 1 class 0")
        self.summary = self._plain_label("importSummary")
        self.bad_rows = self._plain_label("importBadRows")
        self.bad_rows.setStyleSheet("color: #a33;")

        form = QFormLayout()
        form.addRow("Feature x₁ (horizontal):", self.feature_boxes[0])
        form.addRow("Feature x₂ (vertical):", self.feature_boxes[1])
        form.addRow("Label column:", self.label_box)
        form.addRow("Class 1 (p is its probability):", self.positive_box)
        classes_row = QHBoxLayout()
        classes_row.addWidget(self.negative_box, 1)
        classes_row.addWidget(self.swap_button)
        form.addRow("Class 0:", classes_row)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.setObjectName("importButtons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        self.source_note = self._plain_label("importSource")
        layout.addWidget(self.source_note)
        layout.addWidget(self.preview)
        self.header_note = self._plain_label("importHeader")
        header_row = QHBoxLayout()
        header_row.addWidget(self.header_box)
        header_row.addWidget(self.header_note, 1)
        layout.addLayout(header_row)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.bad_rows)
        layout.addWidget(self.buttons)

        for box in self.feature_boxes:
            box.currentIndexChanged.connect(self._refresh)
        self.label_box.currentIndexChanged.connect(self._label_changed)
        self.positive_box.currentIndexChanged.connect(self._refresh)
        self.negative_box.currentIndexChanged.connect(self._refresh)
        self.swap_button.clicked.connect(self.swap_classes)
        if offered is not None and offered.has_header is not None:
            self.header_box.setChecked(offered.has_header)
        self.header_box.toggled.connect(self._header_toggled)
        self._show_table(table.with_header(self.header_box.isChecked()))
        self._offer(offered if offered is not None else guess_choice(self._table))

    # -- the table ------------------------------------------------------------------------------------
    def _show_table(self, table: Table) -> None:
        """Fill the preview and the column boxes from `table` (the sniffed one, or its header flipped)."""
        self._table = table
        preview = self.preview
        preview.clear()
        preview.setRowCount(min(PREVIEW_ROWS, table.row_count))
        preview.setColumnCount(len(table.names))
        preview.setHorizontalHeaderLabels(list(table.names))
        preview.setVerticalHeaderLabels([str(line) for line in table.lines[:PREVIEW_ROWS].tolist()])
        for row, cells in enumerate(table.preview(PREVIEW_ROWS)):
            for column, cell in enumerate(cells):
                item = QTableWidgetItem(str(cell))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                preview.setItem(row, column, item)
        guessed = table.has_header == self._sniffed.has_header
        self.header_note.setText(("(as guessed from the file" if guessed else "(changed from lrviz's guess")
                                 + ("" if table.has_header else "; the columns are numbered") + ")")
        numeric = table.numeric_columns()
        ordered = list(numeric) + [j for j in range(len(table.names)) if j not in numeric]
        labels_first = [j for j in range(len(table.names)) if j not in numeric] + list(numeric)
        for box in (*self.feature_boxes, self.label_box):
            box.blockSignals(True)
            box.clear()
        for box in self.feature_boxes:
            for j in ordered:
                box.addItem(table.names[j] + ("" if j in numeric else "  (not numeric)"), table.names[j])
        for j in labels_first:
            self.label_box.addItem(table.names[j], table.names[j])
        for box in (*self.feature_boxes, self.label_box):
            box.blockSignals(False)
        self.source_note.setText(f"{table.source}: {counted(table.row_count, 'row')}, {counted(len(table.names), 'column')}")

    def _header_toggled(self, checked: bool) -> None:
        """The user's override of the sniffed header: the preview, columns and choice follow."""
        self._show_table(self._sniffed.with_header(checked))
        self._offer(guess_choice(self._table))

    # -- widgets --------------------------------------------------------------------------------------
    def _combo(self, name: str) -> QComboBox:
        box = QComboBox(self)
        box.setObjectName(name)
        return box

    def _plain_label(self, name: str, text: str = "") -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)  # strings from a file are never HTML
        label.setWordWrap(True)
        return label

    def _offer(self, choice: TableChoice | None) -> None:
        """Show `choice` (a remembered or guessed one) in the boxes; what does not fit is left as is."""
        self._updating = True
        try:
            if choice is not None:
                for box, name in zip(self.feature_boxes, choice.features):
                    _select(box, name)
                _select(self.label_box, choice.label)
            else:
                self.feature_boxes[1].setCurrentIndex(min(1, self.feature_boxes[1].count() - 1))
            self._fill_classes()
            if choice is not None:
                _select(self.positive_box, choice.positive)
                _select(self.negative_box, choice.negative)
        finally:
            self._updating = False
        self._refresh()

    def _fill_classes(self) -> None:
        label = self.label_box.currentData()
        classes = self._table.classes(label) if label is not None else []
        for box in (self.positive_box, self.negative_box):
            box.blockSignals(True)
            box.clear()
            for value, count in classes:
                box.addItem(f"{value}  ({counted(count, 'row')})", value)
            box.blockSignals(False)
        self.negative_box.blockSignals(True)
        self.negative_box.addItem(ONE_VS_REST, None)
        self.negative_box.blockSignals(False)
        if len(classes) >= 2:  # the two most frequent; class 1 the second in the usual order
            self.positive_box.setCurrentIndex(1)
            self.negative_box.setCurrentIndex(0)

    def _label_changed(self) -> None:
        if not self._updating:
            self._fill_classes()
            self._refresh()

    def swap_classes(self) -> None:
        """Class 0 becomes class 1 and back (with one against the rest, nothing to swap)."""
        negative = self.negative_box.currentData()
        if negative is None:
            return
        positive = self.positive_box.currentData()
        self._updating = True
        _select(self.positive_box, negative)
        _select(self.negative_box, positive)
        self._updating = False
        self._refresh()

    # -- the result ---------------------------------------------------------------------------------
    def choice(self, skip_bad_rows: bool = True) -> TableChoice | None:
        features = tuple(box.currentData() for box in self.feature_boxes)
        label, positive = self.label_box.currentData(), self.positive_box.currentData()
        if None in features or label is None or positive is None:
            return None
        return TableChoice(features=(features[0], features[1]), label=label, positive=positive,
                           negative=self.negative_box.currentData(), skip_bad_rows=skip_bad_rows,
                           has_header=self._table.has_header)

    def result_import(self) -> TableImport | None:
        """The points of the current choice (bad rows skipped), or None when it gives none."""
        return self._import

    def _refresh(self) -> None:
        if self._updating:
            return
        self._import = None
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        choice = self.choice()
        self.swap_button.setEnabled(self.negative_box.currentData() is not None)
        self.bad_rows.setText("")
        try:
            if choice is None:
                raise ValueError("choose two feature columns, a label column and its classes")
            result = dataset_from_table(self._table, choice)
        except (KeyError, ValueError) as error:
            self.summary.setText(str(error.args[0] if isinstance(error, KeyError) else error))
            ok.setEnabled(False)
            ok.setText("OK")
            return
        n0, n1 = result.dataset.class_counts()
        c0, c1 = result.dataset.class_names
        left_out = f"; {counted(result.other_class_rows, 'row')} of other classes left out" if result.other_class_rows else ""
        self.summary.setText(f"{counted(len(result.dataset), 'point')}: {n0:,} of class 0 ({c0}), "
                             f"{n1:,} of class 1 ({c1}){left_out}.")
        if result.skipped_lines:
            self.bad_rows.setText(describe_bad_rows(Path(self._table.source).name, result.skipped_lines)
                                  + ". OK skips them; Cancel opens nothing.")
            ok.setText(f"Skip {counted(len(result.skipped_lines), 'row')} "
                       "and open")
        else:
            ok.setText("Open")
        ok.setEnabled(len(result.dataset) > 0)
        self._import = result


def _select(box: QComboBox, data: object) -> None:
    index = box.findData(data)
    if index >= 0:
        box.setCurrentIndex(index)


# -- remembering ------------------------------------------------------------------------------------
def _key(path: str) -> str:
    # QSettings keys treat "/" and "\" as groups: keep the path as one key
    return f"{_SETTINGS_GROUP}/{str(Path(path).resolve()).replace('/', '|').replace(chr(92), '|')}"


def remembered_choice(settings, path: str) -> TableChoice | None:
    """The choice made for this file last time, or None (none, or damaged settings)."""
    text = settings.value(_key(path))
    if not isinstance(text, str):
        return None
    try:
        return TableChoice.from_dict(json.loads(text))
    except ValueError:
        return None


def remember_choice(settings, path: str, choice: TableChoice) -> None:
    settings.setValue(_key(path), json.dumps(choice.to_dict()))


def ask_import(parent: QWidget | None, table: Table, offered: TableChoice | None) -> TableImport | None:
    """Show the dialog (modal); the points chosen, or None when cancelled."""
    dialog = ImportDialog(table, offered, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.result_import()
    finally:
        dialog.deleteLater()


__all__ = ["BadRowsError", "ImportDialog", "ONE_VS_REST", "ask_import", "remember_choice", "remembered_choice"]
