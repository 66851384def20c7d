"""`confusionMatrix`: the 2×2 tables of the training and the test points at the threshold.

Rows are the true class, columns the predicted class (ŷ ≥ t: class 1), each named as the
data set names it (setosa / versicolor, or class 0 / class 1), as in
scikit-learn's confusion_matrix. Each cell shows its count and its share of the row
(of the points of that true class), and is coloured by that share: the darker the cell,
the larger the share, so a good model has a dark diagonal.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QGroupBox, QLabel, QWidget

from lrviz.core.metrics import row_shares
from lrviz.ui.plain_text import excerpt, tooltip
from lrviz.ui.render.class_labels import class_label
from lrviz.ui.render.style import CLASS_COLORS, CLASS_NAMES

_NAME_CHARS = 24  # a longer class name is cut (the full name is in the tooltip)
from lrviz.ui.shown_metrics import ShownMetrics
from lrviz.ui.state import WindowState

_INK = np.array((0, 114, 178), dtype=float)  # Okabe-Ito blue, mixed into white by the share
_CELL_NAMES = (("TN", "FP"), ("FN", "TP"))


def cell_color(share: float) -> tuple[int, int, int]:
    """White (share 0) to the full ink colour (share 1)."""
    rgb = 255 + share * (_INK - 255)
    return tuple(round(float(v)) for v in rgb)


class _Table(QGroupBox):
    """One 2×2 table; `cells[i][j]` are the labels (row i: true class, column j: predicted)."""

    def __init__(self, title: str, object_name: str) -> None:
        super().__init__(title)
        self.setObjectName(object_name)
        grid = QGridLayout(self)
        grid.setSpacing(2)
        corner = QLabel("true ↓\npredicted →")
        corner.setToolTip("Rows: the true class; columns: the predicted class (ŷ ≥ t: class 1)")
        grid.addWidget(corner, 0, 0)
        self.class_labels: list[list[QLabel]] = [[], []]  # per class: its column header, its row header
        for k in (0, 1):
            for row, column in ((0, k + 1), (k + 1, 0)):
                label = QLabel(CLASS_NAMES[k])
                label.setTextFormat(Qt.TextFormat.PlainText)  # the data set's class names come from files
                label.setObjectName(f"{object_name}_class{k}_{'column' if row == 0 else 'row'}")
                red, green, blue = CLASS_COLORS[k]
                label.setStyleSheet(f"color: rgb({red}, {green}, {blue}); font-weight: bold;")
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                grid.addWidget(label, row, column)
                self.class_labels[k].append(label)
        self.cells: list[list[QLabel]] = []
        for i in (0, 1):
            line = []
            for j in (0, 1):
                cell = QLabel("–")
                cell.setObjectName(f"{object_name}_{i}{j}")
                cell.setTextFormat(Qt.TextFormat.PlainText)
                cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
                cell.setMinimumSize(64, 44)
                grid.addWidget(cell, i + 1, j + 1)
                line.append(cell)
            self.cells.append(line)
        self.counts = np.zeros((2, 2), np.int64)
        self.shares = np.zeros((2, 2))
        self._styles: dict[tuple[int, int], str] = {}  # the style sheet each cell has (set only when it changes)
        self.show_matrix(None)

    def show_class_names(self, names: tuple[str, str]) -> None:
        """The rows and columns say what the data set calls its classes (setosa, or class 0)."""
        for k in (0, 1):
            for label in self.class_labels[k]:
                label.setText(excerpt(names[k], _NAME_CHARS))
                label.setToolTip(tooltip(f"label {k}: {names[k]}"))

    def show_matrix(self, matrix: np.ndarray | None) -> None:
        self.counts = np.zeros((2, 2), np.int64) if matrix is None else matrix.copy()
        self.shares = row_shares(self.counts)
        for i in (0, 1):
            for j in (0, 1):
                cell, share = self.cells[i][j], float(self.shares[i, j])
                if matrix is None or self.counts[i].sum() == 0:
                    cell.setText(f"{_CELL_NAMES[i][j]}\n–")
                    share = 0.0
                else:
                    cell.setText(f"{_CELL_NAMES[i][j]}\n{int(self.counts[i, j]):,}\n{100 * share:.0f} %")
                ink = "white" if share > 0.55 else "#202020"
                red, green, blue = cell_color(share)
                style = f"background: rgb({red}, {green}, {blue}); color: {ink}; border: 1px solid #c8c8c8;"
                if self._styles.get((i, j)) != style:  # a new style sheet re-polishes the cell (~0.3 ms)
                    self._styles[(i, j)] = style
                    cell.setStyleSheet(style)


class ConfusionMatrixView(QWidget):
    """The training table and the test table, one above the other (side by side with `horizontal`)."""

    def __init__(self, state: WindowState, source: ShownMetrics, parent: QWidget | None = None,
                 horizontal: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("confusionMatrix")
        self._state, self._source = state, source
        direction = QBoxLayout.Direction.LeftToRight if horizontal else QBoxLayout.Direction.TopToBottom
        layout = QBoxLayout(direction, self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.train_table = _Table("training points", "confusionTrain")
        self.test_table = _Table("test points", "confusionTest")
        layout.addWidget(self.train_table)
        layout.addWidget(self.test_table)
        self._drawn_key: tuple | None = None
        state.points.changed.connect(self._show_class_names)
        self._show_class_names()
        state.clock.frame.connect(self._on_frame)
        state.clock.slowFrame.connect(self.refresh)
        self.refresh()

    def _show_class_names(self, *_revision) -> None:
        points = self._state.points.dataset
        names = (class_label(points, 0), class_label(points, 1))
        for table in (self.train_table, self.test_table):
            table.show_class_names(names)

    def _on_frame(self) -> None:
        if self._source.redraw_at_frame(self._drawn_key):
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Show the shown epoch's tables; hidden (its dock closed), it waits until shown."""
        if not self.isVisible():
            return
        key = self._source.key()
        if key == self._drawn_key:
            return
        metrics = self._source.metrics()
        self._drawn_key = self._source.drawn_key(metrics, key)
        threshold = self._state.threshold
        self.train_table.show_matrix(None if metrics is None else metrics.train.confusion)
        has_test = metrics is not None and metrics.test.size > 0
        self.test_table.show_matrix(metrics.test.confusion if has_test else None)
        for table, title in ((self.train_table, f"training points (t = {threshold:.3g})"),
                             (self.test_table, f"test points (t = {threshold:.3g})" if has_test
                              else "test points (none: set a test share)")):
            if table.title() != title:
                table.setTitle(title)
