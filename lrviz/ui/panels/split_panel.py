"""The test set and the threshold: `testShareSpin`, `splitSeedSpin` and `thresholdSlider`.

The split is part of the points (Dataset.is_test): changing the share or the seed makes a
new stratified split of the current points (core/split.py), one undo step, and training
goes on with the new training points from the next epoch. Points added later train; T
moves the selected point to the other set. The threshold is the state's: it changes no
number of training, only which ŷ counts as class 1 in the metrics views.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QWidget,
)

from lrviz.core.dataset import Dataset
from lrviz.core.metrics import MAX_THRESHOLD, MIN_THRESHOLD
from lrviz.core.split import MAX_TEST_SHARE, split_summary, stratified_split
from lrviz.ui.panels.range_fields import RangeSpinBox, click_without_focus, describe_field
from lrviz.ui.state import WindowState

THRESHOLD_TIP = ("The probability ŷ at which a point counts as class 1 in the accuracy, the confusion "
                 "matrices, precision, recall, F1 and the ROC marker (dashed line in the plane: ŷ = t). "
                 "The tutorial's model is unchanged by it: its loss, gradients and training do not "
                 "depend on the threshold, and its boundary stays at ŷ = 0.5.")
SHARE_TIP = ("Share of each class kept back as test points (drawn hollow): training never uses them, "
             "and the loss plot shows their loss beside the training loss. 0 % trains on every point, "
             "as in the tutorial. Press T to move the selected point to the other set.")
SEED_TIP = "Seed of the random split: the same seed gives the same test points"


class SplitPanel(QGroupBox):
    """The test share, the split seed and the threshold slider."""

    def __init__(self, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__("Test set and threshold", parent)
        self.setObjectName("splitPanel")
        self._state = state
        form = QFormLayout(self)
        self.test_share_spin = RangeSpinBox()
        self.test_share_spin.setObjectName("testShareSpin")
        self.test_share_spin.setRange(0, round(100 * MAX_TEST_SHARE))
        self.test_share_spin.setSuffix(" %")
        self.test_share_spin.setToolTip(SHARE_TIP)
        self.split_seed_spin = RangeSpinBox()
        self.split_seed_spin.setObjectName("splitSeedSpin")
        self.split_seed_spin.setRange(0, 2**31 - 1)
        self.split_seed_spin.setToolTip(SEED_TIP)
        describe_field(self.test_share_spin, "the test share", range_text=f"from 0 % to {100 * MAX_TEST_SHARE:g} %")
        describe_field(self.split_seed_spin, "the split seed", range_text=f"from 0 to {2**31 - 1:,}")
        row = QHBoxLayout()
        row.addWidget(self.test_share_spin)
        row.addWidget(QLabel("seed"))
        row.addWidget(self.split_seed_spin, 1)
        form.addRow("test share", row)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("splitSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setWordWrap(True)
        form.addRow(self.summary_label)
        self.threshold_slider = QSlider(Qt.Orientation.Horizontal)
        self.threshold_slider.setObjectName("thresholdSlider")
        self.threshold_slider.setRange(round(100 * MIN_THRESHOLD), round(100 * MAX_THRESHOLD))
        self.threshold_slider.setValue(round(100 * state.threshold))
        self.threshold_slider.setToolTip(THRESHOLD_TIP)
        self.threshold_label = QLabel()
        self.threshold_label.setObjectName("thresholdLabel")
        self.threshold_label.setToolTip(THRESHOLD_TIP)
        self.threshold_label.setMinimumWidth(self.threshold_label.fontMetrics().horizontalAdvance("t = 0.000"))
        row = QHBoxLayout()
        row.addWidget(self.threshold_slider, 1)
        row.addWidget(self.threshold_label)
        caption = QLabel("threshold")
        caption.setToolTip(THRESHOLD_TIP)
        form.addRow(caption, row)
        self.test_share_spin.valueChanged.connect(self.apply_split)
        self.split_seed_spin.valueChanged.connect(self.apply_split)
        self.threshold_slider.valueChanged.connect(lambda value: state.set_threshold(value / 100))
        state.thresholdChanged.connect(self._show_threshold)
        state.run.events.points.connect(lambda _revision: self._show_summary())
        self._show_threshold(state.threshold)
        self._show_summary()
        click_without_focus(self)  # a clicked slider leaves Left and Right to the epoch shortcuts

    @property
    def test_share(self) -> float:
        return self.test_share_spin.value() / 100

    def apply_split(self) -> None:
        """A new stratified split of the current points at the spins' share and seed (undoable)."""
        points = self._state.run.points
        mask = stratified_split(points.y, self.test_share, self.split_seed_spin.value())
        self._state.points.set_split(mask, f"Test share {self.test_share_spin.value()} %")

    def prepared(self, dataset: Dataset) -> Dataset:
        """A newly loaded data set with the spins' split, unless it brings a split of its own."""
        if self.test_share == 0 or dataset.is_test.any():
            return dataset
        split = dataset.copy()
        split.set_split(stratified_split(split.y, self.test_share, self.split_seed_spin.value()))
        return split

    def _show_threshold(self, threshold: float) -> None:
        self.threshold_label.setText(f"t = {threshold:.3g}")
        position = round(100 * threshold)
        if self.threshold_slider.value() != position:
            self.threshold_slider.blockSignals(True)
            self.threshold_slider.setValue(position)
            self.threshold_slider.blockSignals(False)

    def _show_summary(self) -> None:
        points = self._state.run.points
        self.summary_label.setText(split_summary(points.y, points.is_test))
