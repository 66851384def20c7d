"""The side panel's controls: class choice, training settings, run buttons and speed.

The panel gathers settings (their ranges are `lrviz.core.settings.SETTING_SPECS`) and
shows the state's active class; the window decides what the buttons and settings do.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF, QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
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
    QVBoxLayout,
    QWidget,
)

from lrviz.core.settings import SETTING_SPECS, SMALLEST_POSITIVE, TrainingSettings
from lrviz.ui.render.class_labels import button_text, class_label
from lrviz.ui.panels.model_controls import ModelControls
from lrviz.ui.panels.range_fields import FieldWatcher, RangeSpinBox, click_without_focus, describe_field
from lrviz.ui.render.style import CLASS_COLORS, CLASS_NAMES
from lrviz.ui.state import WindowState

# Speed slider: round numbers of epochs per second from 1 to 1000; the last position is "max".
SPEEDS: tuple[float, ...] = (1, 2, 3, 5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000)
SPEED_MAX_POSITION = len(SPEEDS)
SPEED_DEFAULT_POSITION = SPEEDS.index(SETTING_SPECS["epochs_per_second"].default)  # 30 epochs/s


def speed_from_position(position: int) -> float | None:
    """Epochs per second for a slider position; None means as fast as the machine can."""
    if position >= SPEED_MAX_POSITION:
        return None
    return float(SPEEDS[max(position, 0)])


def position_from_speed(epochs_per_second: float | None) -> int:
    """The slider position whose speed is closest (on a log scale) to `epochs_per_second`."""
    if epochs_per_second is None:
        return SPEED_MAX_POSITION
    wanted = math.log(max(float(epochs_per_second), 1.0))
    return min(range(len(SPEEDS)), key=lambda k: abs(math.log(SPEEDS[k]) - wanted))


def speed_label(epochs_per_second: float | None) -> str:
    if epochs_per_second is None:
        return "max"
    return f"{epochs_per_second:g} epoch/s" if epochs_per_second == 1 else f"{epochs_per_second:g} epochs/s"


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

    def sizeHint(self):  # noqa: N802 (Qt override)
        """As wide as the widest number it shows (6 significant digits), not as Qt's guess from
        12 decimals of the maximum, which made the side panel far too wide."""
        hint = super().sizeHint()
        widest = max((self.textFromValue(v) for v in (self.maximum(), self._positive_minimum, 1.23456e-5)),
                     key=self.fontMetrics().horizontalAdvance)
        hint.setWidth(self.fontMetrics().horizontalAdvance(f" {widest}  ") + 32)
        return hint

    def minimumSizeHint(self):  # noqa: N802 (Qt override)
        return self.sizeHint()

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


def _class_button_style(label: int, dark: bool = False) -> str:
    """The active class's button is unmistakable in a light and a dark theme: filled with its
    class's colour, white bold text and a darker border; the other is a quiet outline in the
    theme's text colour (a 48/255 tint of the colour was barely darker than the other). The
    colour is named, not palette(...): a style sheet fixes the palette it read when first set,
    so in the dark theme the text stayed black."""
    r, g, b = CLASS_COLORS[label]
    text = "#e6e6e6" if dark else "#1e1e1e"
    return ("QPushButton { padding: 5px 10px; border: 1px solid rgba(128, 128, 128, 150); border-radius: 4px; "
            f"background: rgba(128, 128, 128, 30); color: {text}; }}"
            f"QPushButton:checked {{ font-weight: bold; color: white; border: 2px solid "
            f"rgb({r * 3 // 5}, {g * 3 // 5}, {b * 3 // 5}); background: rgb({r}, {g}, {b}); }}")


class ControlsPanel(QWidget):
    """Widgets for every training setting, the class choice and the run buttons."""

    settingsChanged = Signal()  # a setting that applies at the next epoch changed
    restartSettingsChanged = Signal()  # standardize / initialisation: applies at the next reset
    fieldDone = Signal()  # Enter was pressed in a settings field
    valueRefused = Signal(str)  # a typed value was outside its field's range: what to say

    def __init__(self, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._fields = FieldWatcher(self)  # Enter gives the keys back; a value out of range says the range
        self._fields.done.connect(self.fieldDone)
        self._fields.refused.connect(self.valueRefused)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_class_box())
        layout.addWidget(self._build_settings_box())
        self.model_box = ModelControls()  # featuresCombo, optimizerCombo (issue 14): restart settings
        self.model_box.changed.connect(self._on_model_changed)
        self.watch_fields(*self.model_box.parameter_fields.values())
        layout.addWidget(self.model_box)
        layout.addWidget(self._build_run_box())
        state.activeClassChanged.connect(self._show_active_class)
        state.points.changed.connect(self._show_class_names)
        self._show_class_names()
        click_without_focus(self)  # the keys stay with the editor's shortcuts

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
            button.setStyleSheet(_class_button_style(label))
            button.setToolTip(
                f"Left click places {CLASS_NAMES[label]} (key {label + 1}); "
                "Shift+click places the other class"
            )
            self.class_group.addButton(button, label)
            row.addWidget(button)
        self.class_group.button(0).setChecked(True)
        self.class_group.idToggled.connect(self._on_class_toggled)
        return box

    def _show_class_names(self, *_revision) -> None:
        """The buttons say what the data set calls its classes (setosa, versicolor, or class 0/1)."""
        points = self._state.run.points
        for label in (0, 1):
            name = class_label(points, label)
            button = self.class_group.button(label)
            if button.text() != button_text(name):
                button.setText(button_text(name))
                button.setToolTip(f"Left click places {name} (label {label}, key {label + 1}); "
                                  "Shift+click places the other class")

    def _build_settings_box(self) -> QGroupBox:
        box = QGroupBox("Settings")
        form = QFormLayout(box)
        specs = SETTING_SPECS
        rate = specs["learning_rate"]
        self.learning_rate_spin = LogSpinBox(rate.low, rate.high, rate.default)
        self.learning_rate_spin.setObjectName("learningRateSpin")
        self.learning_rate_spin.setToolTip(f"Learning rate α in w ← w − α ∂L/∂w (4-2) and b ← b − α ∂L/∂b (4-3); "
                                           f"{rate.describe_range()}")
        form.addRow("learning rate α", self.learning_rate_spin)

        self.l2_spin = LogSpinBox(SMALLEST_POSITIVE["l2"], specs["l2"].high, specs["l2"].default, allow_zero=True)
        self.l2_spin.setObjectName("l2Spin")
        self.l2_spin.setSpecialValueText("0 (off)")
        self.l2_spin.setToolTip("L2 regularisation λ: adds (λ/2)‖w‖² to the loss (2-1); 0 is the tutorial's model")
        form.addRow("L2 λ", self.l2_spin)

        self.max_epochs_spin = RangeSpinBox()
        self.max_epochs_spin.setObjectName("maxEpochsSpin")
        self.max_epochs_spin.setRange(int(specs["max_epochs"].low), int(specs["max_epochs"].high))
        self.max_epochs_spin.setValue(specs["max_epochs"].default)
        self.max_epochs_spin.setGroupSeparatorShown(True)
        self.max_epochs_spin.setKeyboardTracking(False)
        self.max_epochs_spin.setToolTip("Training stops at this epoch")
        form.addRow("max epochs", self.max_epochs_spin)

        self.tol_spin = LogSpinBox(SMALLEST_POSITIVE["tol"], specs["tol"].high, 0.0, allow_zero=True)
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
        self.seed_spin = RangeSpinBox()
        self.seed_spin.setObjectName("seedSpin")
        self.seed_spin.setRange(int(specs["seed"].low), int(specs["seed"].high))
        self.seed_spin.setPrefix("seed ")
        self.seed_spin.setEnabled(False)
        init_row.addWidget(self.init_combo, 1)
        init_row.addWidget(self.seed_spin)
        form.addRow("start from", init_row)

        for spin, name, spec in ((self.learning_rate_spin, "learning rate α", rate), (self.l2_spin, "λ", specs["l2"]),
                                 (self.max_epochs_spin, "max epochs", specs["max_epochs"]),
                                 (self.tol_spin, "the gradient tolerance", specs["tol"]),
                                 (self.seed_spin, "the seed", specs["seed"])):
            describe_field(spin, name, spec)
        self.watch_fields(self.learning_rate_spin, self.l2_spin, self.max_epochs_spin, self.tol_spin,
                          self.seed_spin)
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
            **self.model_box.values(),
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
            self.max_epochs_spin.setValue(self.max_epochs_spin.maximum() if settings.max_epochs is None
                                          else settings.max_epochs)
            self.tol_spin.setValue(settings.tol or 0.0)
            self.standardize_check.setChecked(settings.standardize)
            self.init_combo.setCurrentIndex(max(self.init_combo.findData(settings.init), 0))
            self.seed_spin.setValue(settings.seed)
            self.model_box.show_settings(settings)
            self._enable_seed()
            self.speed_slider.setValue(position_from_speed(settings.epochs_per_second))
            self.speed_label.setText(speed_label(speed_from_position(self.speed_slider.value())))
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def show_theme(self, dark: bool) -> None:
        """The class buttons' colours for a light or a dark theme."""
        for label in (0, 1):
            self.class_group.button(label).setStyleSheet(_class_button_style(label, dark))

    def _show_active_class(self, label: int) -> None:
        self.class_group.button(label).setChecked(True)

    # -- reactions ----------------------------------------------------------------------------
    def _on_class_toggled(self, label: int, checked: bool) -> None:
        if checked:
            self._state.set_active_class(label)

    def _on_init_changed(self) -> None:
        self._enable_seed()
        self.restartSettingsChanged.emit()

    def _on_model_changed(self) -> None:
        self._enable_seed()
        self.restartSettingsChanged.emit()

    def _enable_seed(self) -> None:
        """The seed is used by a random start and by SGD's shuffles."""
        self.seed_spin.setEnabled(self.init_combo.currentData() == "random"
                                  or self.model_box.values()["optimizer"] == "sgd")

    def watch_fields(self, *fields: QAbstractSpinBox) -> None:
        """Number fields (these or another panel's) whose Enter emits `fieldDone` and whose
        out-of-range values emit `valueRefused`."""
        self._fields.watch(*fields)

    def _on_speed_changed(self, position: int) -> None:
        self.speed_label.setText(speed_label(speed_from_position(position)))
        self.settingsChanged.emit()
