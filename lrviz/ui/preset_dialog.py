"""A small dialog for a generated data set: how many points, how much noise, which seed."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QSpinBox, QWidget


class PresetDialog(QDialog):
    """Asks for n_points, noise and seed; the defaults give a clear picture."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.points_spin = QSpinBox()
        self.points_spin.setRange(1, 1_000_000)
        self.points_spin.setValue(200)
        self.points_spin.setGroupSeparatorShown(True)
        self.noise_spin = QDoubleSpinBox()
        self.noise_spin.setRange(0.0, 5.0)
        self.noise_spin.setSingleStep(0.05)
        self.noise_spin.setValue(0.1)
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        form.addRow("points", self.points_spin)
        form.addRow("noise", self.noise_spin)
        form.addRow("seed", self.seed_spin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @classmethod
    def ask(cls, title: str, parent: QWidget | None = None) -> tuple[int, float, int] | None:
        """(n_points, noise, seed), or None when cancelled."""
        dialog = cls(title, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.points_spin.value(), dialog.noise_spin.value(), dialog.seed_spin.value()
