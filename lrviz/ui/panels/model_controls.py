"""The model box of the side panel: the inputs φ (`featuresCombo`) and the optimizer
(`optimizerCombo`) with its parameters, each shown only for the optimizer that uses it.

All are restart settings (like standardization): they apply at epoch 0, so the window resets
when nothing is trained yet and otherwise at the next Reset. Ranges and defaults are
features.FEATURE_SPECS and optim.OPTIMIZER_SPECS, the definitions `lrviz train` uses too.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QSpinBox,
    QWidget,
)

from lrviz.core.features import MAX_DEGREE
from lrviz.core.optim import OPTIMIZER_PARAMETERS, OPTIMIZER_SPECS
from lrviz.core.settings import TrainingSettings
from lrviz.ui.panels.range_fields import RangeDoubleSpinBox, RangeSpinBox, describe_field

# (label, degree, sin) of featuresCombo's items; the first is the tutorial's.
FEATURE_CHOICES: tuple[tuple[str, int, bool], ...] = (
    ("x1, x2 (tutorial)", 1, False),
    *((f"degree {d}: every monomial up to x^{d}", d, False) for d in range(2, MAX_DEGREE + 1)),
    ("x1, x2 + sin(x1), sin(x2)", 1, True),
    *((f"degree {d} + sin terms", d, True) for d in range(2, MAX_DEGREE + 1)),
)


def feature_key(degree: int, sin: bool) -> str:
    """featuresCombo's item data: "3" is degree 3, "3+sin" adds sin(x1), sin(x2)."""
    return f"{degree}+sin" if sin else str(degree)


_FEATURES_OF = {feature_key(degree, sin): (degree, sin) for _, degree, sin in FEATURE_CHOICES}
OPTIMIZER_LABELS = {"gd": "gradient descent (tutorial)", "sgd": "mini-batch SGD", "momentum": "momentum",
                    "nesterov": "Nesterov momentum", "adam": "Adam", "newton": "Newton's method"}
_PARAMETER_LABELS = {"batch_size": "batch size", "momentum": "momentum β", "beta1": "Adam β₁",
                     "beta2": "Adam β₂", "eps": "Adam ε"}
_OBJECT_NAMES = {"batch_size": "batchSizeSpin", "momentum": "momentumSpin", "beta1": "beta1Spin",
                 "beta2": "beta2Spin", "eps": "epsSpin"}


class ModelControls(QGroupBox):
    """featuresCombo, optimizerCombo and the optimizer's parameter fields; `changed` on any edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Model and optimizer", parent)
        self._form = form = QFormLayout(self)
        self.features_combo = QComboBox()
        self.features_combo.setObjectName("featuresCombo")
        for label, degree, sin in FEATURE_CHOICES:
            self.features_combo.addItem(label, feature_key(degree, sin))
        self.features_combo.setToolTip("The model's inputs φ(x): z = φ(x)·w + b. Applies at the next Reset.")
        form.addRow("features", self.features_combo)
        self.optimizer_combo = QComboBox()
        self.optimizer_combo.setObjectName("optimizerCombo")
        for name, label in OPTIMIZER_LABELS.items():
            self.optimizer_combo.addItem(label, name)
        self.optimizer_combo.setToolTip("How each epoch updates w and b (an epoch is one pass over the "
                                        "training points). Applies at the next Reset.")
        form.addRow("optimizer", self.optimizer_combo)
        self.parameter_fields: dict[str, QSpinBox | QDoubleSpinBox] = {}
        for name, spec in OPTIMIZER_SPECS.items():
            if spec.kind == "int":
                spin: QSpinBox | QDoubleSpinBox = RangeSpinBox()
                spin.setRange(int(spec.low), int(spec.high))
            else:
                spin = RangeDoubleSpinBox()
                spin.setDecimals(10 if name == "eps" else 6)
                spin.setRange(max(spec.low, 1e-10) if spec.positive else spec.low, spec.high)
                spin.setSingleStep(1e-8 if name == "eps" else 0.01)
            spin.setValue(spec.default)
            spin.setKeyboardTracking(False)
            spin.setObjectName(_OBJECT_NAMES[name])
            describe_field(spin, _PARAMETER_LABELS[name], spec)  # a value out of range says so
            spin.setToolTip(f"{spec.meaning} ({spec.describe_range()}). Applies at the next Reset.")
            spin.valueChanged.connect(self.changed)
            form.addRow(_PARAMETER_LABELS[name], spin)
            self.parameter_fields[name] = spin
        self.features_combo.currentIndexChanged.connect(self.changed)
        self.optimizer_combo.currentIndexChanged.connect(self._on_optimizer_changed)
        self._show_parameters_of(self.optimizer_combo.currentData())

    def values(self) -> dict[str, Any]:
        """The TrainingSettings fields these controls set."""
        degree, sin = _FEATURES_OF[self.features_combo.currentData()]
        return {"degree": degree, "sin": sin, "optimizer": self.optimizer_combo.currentData(),
                **{name: spin.value() for name, spin in self.parameter_fields.items()}}

    def show_settings(self, settings: TrainingSettings) -> None:
        """Show `settings` without emitting `changed`."""
        widgets = (self.features_combo, self.optimizer_combo, *self.parameter_fields.values())
        for widget in widgets:
            widget.blockSignals(True)
        try:
            index = self.features_combo.findData(feature_key(settings.degree, settings.sin))
            self.features_combo.setCurrentIndex(max(index, 0))
            self.optimizer_combo.setCurrentIndex(max(self.optimizer_combo.findData(settings.optimizer), 0))
            for name, spin in self.parameter_fields.items():
                spin.setValue(getattr(settings, name))
            self._show_parameters_of(settings.optimizer)
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def _on_optimizer_changed(self) -> None:
        self._show_parameters_of(self.optimizer_combo.currentData())
        self.changed.emit()

    def _show_parameters_of(self, optimizer: str) -> None:
        used = OPTIMIZER_PARAMETERS[optimizer]
        for name, spin in self.parameter_fields.items():
            self._form.setRowVisible(spin, name in used)


__all__ = ["FEATURE_CHOICES", "OPTIMIZER_LABELS", "ModelControls", "feature_key"]
