"""The Race dialog: which optimizers race (default: gradient descent, momentum, Adam) and for how long.

Every racer starts at the current run's first epoch, on the current points, with the
current settings (α, λ, the features, the optimizers' own parameters β, β₁, β₂, ε, batch
size): only the optimizer differs. The dialog says so, and how many places are left in
the runs list (each racer becomes a kept run).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lrviz.core.race import DEFAULT_RACE_EPOCHS, DEFAULT_RACERS
from lrviz.core.run_collection import OPTIMIZER_TITLES
from lrviz.core.settings import OPTIMIZER_CHOICES

MAX_RACE_EPOCHS = 100_000


class RaceDialog(QDialog):
    """Check boxes `race_<optimizer>` and the spin box `raceEpochsSpin`."""

    def __init__(self, free_places: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("raceDialog")
        self.setWindowTitle("Race optimizers")
        self._free = free_places
        intro = QLabel("The optimizers race from the current run's start, on the same points, with the "
                       "same α, λ and features. Each becomes a kept run in the runs list.")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.boxes: dict[str, QCheckBox] = {}
        form = QFormLayout()
        for name in OPTIMIZER_CHOICES:
            box = QCheckBox(OPTIMIZER_TITLES[name])
            box.setObjectName(f"race_{name}")
            box.setChecked(name in DEFAULT_RACERS)
            box.toggled.connect(self._update)
            self.boxes[name] = box
            form.addRow(box)
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setObjectName("raceEpochsSpin")
        self.epochs_spin.setRange(1, MAX_RACE_EPOCHS)
        self.epochs_spin.setValue(DEFAULT_RACE_EPOCHS)
        self.epochs_spin.setSuffix(" epochs")
        form.addRow("Race for", self.epochs_spin)
        self.note = QLabel()
        self.note.setObjectName("raceNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Race")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self._update()

    def optimizers(self) -> list[str]:
        """The checked optimizers, in the order of the list."""
        return [name for name, box in self.boxes.items() if box.isChecked()]

    def epochs(self) -> int:
        return self.epochs_spin.value()

    def _update(self) -> None:
        n = len(self.optimizers())
        ok = 0 < n <= self._free
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        if n == 0:
            self.note.setText("Check at least one optimizer.")
        elif n > self._free:
            self.note.setText(f"{n} racers need {n} free places in the runs list, which has {self._free}: "
                              "delete kept runs first, or check fewer optimizers.")
        else:
            self.note.setText(f"{n} racers; {self._free - n} places in the runs list stay free.")


__all__ = ["RaceDialog"]
