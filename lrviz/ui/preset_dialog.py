"""A small dialog for a generated data set: how many points, how much noise, which seed.

After training, loading a set replaces unsaved work. Rather than a second question after
this one (Save, Discard or Cancel), the dialog itself says so and offers both answers:
"Save Session First…" and "Discard and Load" (Cancel changes nothing): one dialog.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

UNSAVED_TEXT = ("The points or the trained model have changes that are not saved; "
                "loading this set replaces them.")


class PresetChoice(NamedTuple):
    """What the user chose: the set's size, noise and seed, and whether to save the session first."""

    n_points: int
    noise: float
    seed: int
    save_first: bool = False


class PresetDialog(QDialog):
    """Asks for n_points, noise and seed; the defaults give a clear picture. With `unsaved`,
    it also asks what becomes of the unsaved work (`save_button`, `load_button`)."""

    def __init__(self, title: str, parent: QWidget | None = None, unsaved: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("presetDialog")
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
        self.save_first = False
        self.save_button: QPushButton | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.load_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if unsaved:
            note = QLabel(UNSAVED_TEXT)
            note.setObjectName("presetUnsavedNote")
            note.setTextFormat(Qt.TextFormat.PlainText)
            note.setWordWrap(True)
            form.addRow(note)
            self.load_button.setText("Discard and Load")
            self.save_button = buttons.addButton("Save Session First…", QDialogButtonBox.ButtonRole.AcceptRole)
            self.save_button.setObjectName("presetSaveFirstButton")
            self.save_button.clicked.connect(self._choose_save_first)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        if self.save_button is not None:  # Enter saves, as the Save/Discard question's default was Save
            self.save_button.setDefault(True)

    def _choose_save_first(self) -> None:
        self.save_first = True

    def choice(self) -> PresetChoice:
        return PresetChoice(self.points_spin.value(), self.noise_spin.value(), self.seed_spin.value(),
                            self.save_first)

    @classmethod
    def ask(cls, title: str, parent: QWidget | None = None, unsaved: bool = False) -> PresetChoice | None:
        """The user's choice, or None when cancelled."""
        dialog = cls(title, parent, unsaved)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice()


__all__ = ["UNSAVED_TEXT", "PresetChoice", "PresetDialog"]
