"""The side panel: class choice, training settings, run buttons, speed and the live read-out.

The panel only gathers settings and shows numbers; the window decides what they do.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF, QValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lrviz.ui.style import CLASS_COLORS, CLASS_NAMES
from lrviz.ui.worker import TrainingSettings

# Speed slider: positions 0..SPEED_MAX_POSITION-1 are 10**(p / 20) epochs per second
# (1/s at the left end, ~900/s just before the right end); the last position is "max".
SPEED_MAX_POSITION = 60
SPEED_DEFAULT_POSITION = 30  # ~32 epochs/s: a learner sees the boundary move


def speed_from_position(position: int) -> float | None:
    """Epochs per second for a slider position; None means as fast as the machine can."""
    if position >= SPEED_MAX_POSITION:
        return None
    return 10.0 ** (max(position, 0) / 20.0)


def position_from_speed(epochs_per_second: float | None) -> int:
    """The slider position closest to a speed (the inverse of speed_from_position)."""
    if epochs_per_second is None:
        return SPEED_MAX_POSITION
    position = round(20 * math.log10(max(epochs_per_second, 1.0)))
    return min(position, SPEED_MAX_POSITION - 1)


def speed_label(epochs_per_second: float | None) -> str:
    if epochs_per_second is None:
        return "max"
    return f"{epochs_per_second:.3g} epochs/s"


class LogSpinBox(QDoubleSpinBox):
    """A spin box that steps through 1, 2, 5 × 10^k and shows numbers compactly (1e-04 … 100).

    With `allow_zero`, stepping down from the minimum positive value gives 0 (off).
    """

    _MANTISSAS = (1.0, 2.0, 5.0)

    def __init__(self, minimum: float, maximum: float, value: float, allow_zero: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._positive_minimum = minimum
        self._allow_zero = allow_zero
        self.setDecimals(12)
        self.setRange(0.0 if allow_zero else minimum, maximum)
        self.setKeyboardTracking(False)
        self.setValue(value)

    def _ladder(self) -> np.ndarray:
        low = math.floor(math.log10(self._positive_minimum))
        high = math.ceil(math.log10(self.maximum()))
        values = [m * 10.0**k for k in range(low, high + 1) for m in self._MANTISSAS]
        ladder = [v for v in values if self._positive_minimum * (1 - 1e-9) <= v <= self.maximum() * (1 + 1e-9)]
        if self._allow_zero:
            ladder.insert(0, 0.0)
        return np.array(ladder)

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt override)
        ladder = self._ladder()
        current = self.value()
        if steps > 0:
            above = np.flatnonzero(ladder > current * (1 + 1e-9))
            index = above[0] + steps - 1 if above.size else len(ladder) - 1
        else:
            below = np.flatnonzero(ladder < current * (1 - 1e-9) - (1e-300 if current == 0 else 0))
            index = below[-1] + steps + 1 if below.size else 0
        self.setValue(float(ladder[int(np.clip(index, 0, len(ladder) - 1))]))

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt override)
        if value == 0 and self._allow_zero and self.specialValueText():
            return self.specialValueText()
        return f"{value:.6g}"

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt override)
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):  # noqa: D102 (Qt override)
        stripped = text.strip()
        if stripped == self.specialValueText() and stripped:
            return QValidator.State.Acceptable, text, pos
        try:
            value = float(stripped)
        except ValueError:
            partial = stripped == "" or all(c in "0123456789.eE+-" for c in stripped)
            return (QValidator.State.Intermediate if partial else QValidator.State.Invalid), text, pos
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos


def class_icon(label: int, size: int = 18) -> QIcon:
    """The marker of a class (circle or triangle, in its colour) as an icon."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(*CLASS_COLORS[label]))
    painter.setPen(QColor(30, 30, 30))
    margin = 2.5
    if label == 0:
        painter.drawEllipse(QPointF(size / 2, size / 2), size / 2 - margin, size / 2 - margin)
    else:
        painter.drawPolygon(
            QPolygonF([QPointF(size / 2, margin), QPointF(size - margin, size - margin),
                       QPointF(margin, size - margin)])
        )
    painter.end()
    return QIcon(pixmap)


class ControlsPanel(QWidget):
    """Widgets for every training setting, the run buttons and the read-out."""

    settingsChanged = Signal()  # a setting that applies at the next epoch changed
    restartSettingsChanged = Signal()  # standardize / initialisation: applies at the next reset
    activeClassChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._build_class_box())
        layout.addWidget(self._build_settings_box())
        layout.addWidget(self._build_run_box())
        layout.addWidget(self._build_readout_box())
        layout.addStretch(1)

    # -- building -------------------------------------------------------------------------
    def _build_class_box(self) -> QGroupBox:
        box = QGroupBox("Place points of")
        row = QHBoxLayout(box)
        self.class_group = QButtonGroup(self)
        self.class_group.setExclusive(True)
        for label in (0, 1):
            button = QPushButton(class_icon(label), CLASS_NAMES[label])
            button.setObjectName(f"classButton{label}")
            button.setCheckable(True)
            button.setToolTip(
                f"Left click places {CLASS_NAMES[label]} (key {label + 1}); "
                "Shift+click places the other class"
            )
            self.class_group.addButton(button, label)
            row.addWidget(button)
        self.class_group.button(0).setChecked(True)
        self.class_group.idToggled.connect(self._on_class_toggled)
        return box

    def _build_settings_box(self) -> QGroupBox:
        box = QGroupBox("Settings")
        form = QFormLayout(box)
        self.learning_rate_spin = LogSpinBox(1e-4, 100.0, 0.1)
        self.learning_rate_spin.setObjectName("learningRateSpin")
        self.learning_rate_spin.setToolTip("Learning rate α in w ← w − α ∂L/∂w (4-2) and b ← b − α ∂L/∂b (4-3)")
        form.addRow("learning rate α", self.learning_rate_spin)

        self.l2_spin = LogSpinBox(1e-4, 100.0, 0.0, allow_zero=True)
        self.l2_spin.setObjectName("l2Spin")
        self.l2_spin.setSpecialValueText("0 (off)")
        self.l2_spin.setToolTip("L2 regularisation λ: adds (λ/2)‖w‖² to the loss (2-1); 0 is the tutorial's model")
        form.addRow("L2 λ", self.l2_spin)

        self.max_epochs_spin = QSpinBox()
        self.max_epochs_spin.setObjectName("maxEpochsSpin")
        self.max_epochs_spin.setRange(1, 100_000_000)
        self.max_epochs_spin.setValue(1000)
        self.max_epochs_spin.setGroupSeparatorShown(True)
        self.max_epochs_spin.setKeyboardTracking(False)
        self.max_epochs_spin.setToolTip("Training stops at this epoch")
        form.addRow("max epochs", self.max_epochs_spin)

        self.tol_spin = LogSpinBox(1e-12, 1.0, 0.0, allow_zero=True)
        self.tol_spin.setObjectName("tolSpin")
        self.tol_spin.setSpecialValueText("off")
        self.tol_spin.setToolTip("Stop when the gradient norm √(‖∂L/∂w‖² + (∂L/∂b)²) falls below this")
        form.addRow("stop at ‖gradient‖ <", self.tol_spin)

        self.standardize_check = QCheckBox("standardize features")
        self.standardize_check.setObjectName("standardizeCheck")
        self.standardize_check.setToolTip(
            "Train on (x − mean)/std; w and b are still shown for the points as you placed them. "
            "Applies at the next Reset."
        )
        form.addRow(self.standardize_check)

        init_row = QHBoxLayout()
        self.init_combo = QComboBox()
        self.init_combo.setObjectName("initCombo")
        self.init_combo.addItem("zeros (tutorial)", "zeros")
        self.init_combo.addItem("random", "random")
        self.init_combo.setToolTip("Parameters at epoch 0. Applies at the next Reset.")
        self.seed_spin = QSpinBox()
        self.seed_spin.setObjectName("seedSpin")
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setPrefix("seed ")
        self.seed_spin.setEnabled(False)
        init_row.addWidget(self.init_combo, 1)
        init_row.addWidget(self.seed_spin)
        form.addRow("start from", init_row)

        for spin in (self.learning_rate_spin, self.l2_spin, self.max_epochs_spin, self.tol_spin):
            spin.valueChanged.connect(self.settingsChanged)
        self.standardize_check.toggled.connect(self.restartSettingsChanged)
        self.init_combo.currentIndexChanged.connect(self._on_init_changed)
        self.seed_spin.valueChanged.connect(self.restartSettingsChanged)
        return box

    def _build_run_box(self) -> QGroupBox:
        box = QGroupBox("Gradient descent")
        grid = QGridLayout(box)
        self.train_button = QPushButton("Train")
        self.train_button.setObjectName("trainButton")
        self.train_button.setCheckable(True)
        self.train_button.setToolTip("Start or pause training (Space)")
        self.step_button = QPushButton("Step")
        self.step_button.setObjectName("stepButton")
        self.step_button.setToolTip("Run exactly one epoch (S)")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setObjectName("resetButton")
        self.reset_button.setToolTip("Back to epoch 0 with the chosen initialisation (R)")
        grid.addWidget(self.train_button, 0, 0, 1, 2)
        grid.addWidget(self.step_button, 1, 0)
        grid.addWidget(self.reset_button, 1, 1)
        self.train_button.toggled.connect(
            lambda on: self.train_button.setText("Pause" if on else "Train")
        )

        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setObjectName("speedSlider")
        self.speed_slider.setRange(0, SPEED_MAX_POSITION)
        self.speed_slider.setValue(SPEED_DEFAULT_POSITION)
        self.speed_slider.setToolTip("Epochs per second; the right end runs as fast as the machine can")
        self.speed_label = QLabel(speed_label(speed_from_position(SPEED_DEFAULT_POSITION)))
        self.speed_label.setMinimumWidth(90)
        self.speed_slider.valueChanged.connect(self._on_speed_changed)
        grid.addWidget(QLabel("speed"), 2, 0, 1, 2)
        grid.addWidget(self.speed_slider, 3, 0)
        grid.addWidget(self.speed_label, 3, 1)
        return box

    def _build_readout_box(self) -> QGroupBox:
        box = QGroupBox("Now")
        form = QFormLayout(box)
        self.readout: dict[str, QLabel] = {}
        rows = (
            ("epoch", "epoch", "Number of full-batch gradient steps taken"),
            ("loss", "loss L (2-1)", "Mean cross-entropy (2-1), plus (λ/2)‖w‖² when λ > 0"),
            ("accuracy", "accuracy", "Share of points with ŷ ≥ 0.5 exactly when their label is 1"),
            ("w", "w (4-2)", "Weights, for the points as placed: z = w·x + b"),
            ("b", "b (4-3)", "Bias"),
            ("grad", "‖gradient‖", "√(‖∂L/∂w‖² + (∂L/∂b)²), from (3-8) and (3-10)"),
        )
        for key, title, tip in rows:
            value = QLabel("–")
            value.setObjectName(f"readout_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setToolTip(tip)
            caption = QLabel(title)
            caption.setToolTip(tip)
            form.addRow(caption, value)
            self.readout[key] = value
        self.hint_label = QLabel("")
        self.hint_label.setObjectName("hintLabel")
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet("color: #8a4b00;")
        form.addRow(self.hint_label)
        return box

    # -- reading and showing ---------------------------------------------------------------
    def settings(self) -> TrainingSettings:
        tol = self.tol_spin.value()
        return TrainingSettings(
            learning_rate=self.learning_rate_spin.value(),
            l2=self.l2_spin.value(),
            standardize=self.standardize_check.isChecked(),
            init=self.init_combo.currentData(),
            seed=self.seed_spin.value(),
            max_epochs=self.max_epochs_spin.value(),
            tol=tol if tol > 0 else None,
            epochs_per_second=speed_from_position(self.speed_slider.value()),
        )

    def apply_settings(self, settings: TrainingSettings) -> None:
        """Show `settings` in the widgets without emitting change signals (no feedback loop)."""
        widgets = (self.learning_rate_spin, self.l2_spin, self.max_epochs_spin, self.tol_spin,
                   self.standardize_check, self.init_combo, self.seed_spin, self.speed_slider)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.learning_rate_spin.setValue(settings.learning_rate)
            self.l2_spin.setValue(settings.l2)
            self.max_epochs_spin.setValue(settings.max_epochs or self.max_epochs_spin.maximum())
            self.tol_spin.setValue(settings.tol or 0.0)
            self.standardize_check.setChecked(settings.standardize)
            self.init_combo.setCurrentIndex(max(self.init_combo.findData(settings.init), 0))
            self.seed_spin.setValue(settings.seed)
            self.seed_spin.setEnabled(settings.init == "random")
            self.speed_slider.setValue(position_from_speed(settings.epochs_per_second))
            self.speed_label.setText(speed_label(speed_from_position(self.speed_slider.value())))
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def show_state(self, epoch: int, loss: float, accuracy: float, w: np.ndarray, b: float,
                   grad_norm: float) -> None:
        self.readout["epoch"].setText(f"{epoch:,}")
        self.readout["loss"].setText(f"{loss:.6g}")
        self.readout["accuracy"].setText(f"{100 * accuracy:.1f} %")
        self.readout["w"].setText("(" + ", ".join(f"{v:.4g}" for v in w) + ")")
        self.readout["b"].setText(f"{b:.4g}")
        self.readout["grad"].setText(f"{grad_norm:.3g}")

    def clear_state(self) -> None:
        for label in self.readout.values():
            label.setText("–")

    def set_hint(self, text: str) -> None:
        self.hint_label.setText(text)
        self.hint_label.setVisible(bool(text))

    def set_active_class(self, label: int) -> None:
        self.class_group.button(label).setChecked(True)

    def active_class(self) -> int:
        return self.class_group.checkedId()

    # -- reactions ----------------------------------------------------------------------------
    def _on_class_toggled(self, label: int, checked: bool) -> None:
        if checked:
            self.activeClassChanged.emit(label)

    def _on_init_changed(self) -> None:
        self.seed_spin.setEnabled(self.init_combo.currentData() == "random")
        self.restartSettingsChanged.emit()

    def _on_speed_changed(self, position: int) -> None:
        self.speed_label.setText(speed_label(speed_from_position(position)))
        self.settingsChanged.emit()
