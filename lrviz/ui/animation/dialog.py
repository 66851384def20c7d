"""The Export Animation dialog: what to film, the size, the length, the frame rate and the spacing."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lrviz.core.formats.animation import MP4_HINT, mp4_available
from lrviz.core.frame_epochs import SPACINGS, frame_count
from lrviz.core.wording import counted
from lrviz.ui.animation.film_set import SUBJECTS


@dataclass(frozen=True)
class AnimationOptions:
    subject: str = "editor"
    width: int = 640
    height: int = 480
    seconds: float = 10.0
    fps: int = 20
    spacing: str = "log"

    def wanted_frames(self) -> int:
        return max(1, round(self.seconds * self.fps))


class AnimationDialog(QDialog):
    """Asks for AnimationOptions; says how many frames the run from `first` to `last` gives."""

    def __init__(self, first: int, last: int, options: AnimationOptions = AnimationOptions(),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("animationDialog")
        self.setWindowTitle("Export animation")
        self._first, self._last = first, last
        self.subject = QComboBox(objectName="animationSubject")
        for key, text in SUBJECTS.items():
            self.subject.addItem(text[0].upper() + text[1:], key)
        self.subject.setCurrentIndex(list(SUBJECTS).index(options.subject))
        self.width_spin = QSpinBox(objectName="animationWidth", minimum=160, maximum=3840, value=options.width,
                                   suffix=" px", singleStep=16)
        self.height_spin = QSpinBox(objectName="animationHeight", minimum=120, maximum=2160, value=options.height,
                                    suffix=" px", singleStep=16)
        self.seconds_spin = QDoubleSpinBox(objectName="animationSeconds", minimum=0.5, maximum=600.0, decimals=1,
                                           value=options.seconds, suffix=" s")
        self.fps_spin = QSpinBox(objectName="animationFps", minimum=1, maximum=60, value=options.fps,
                                 suffix=" frames/s")
        self.spacing = QComboBox(objectName="animationSpacing")
        for key, text in SPACINGS.items():
            self.spacing.addItem(text[0].upper() + text[1:], key)
        self.spacing.setCurrentIndex(list(SPACINGS).index(options.spacing))
        self.summary = QLabel(objectName="animationSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        formats = QLabel(objectName="animationFormats")
        formats.setTextFormat(Qt.TextFormat.PlainText)
        formats.setWordWrap(True)
        formats.setText("The file name chooses the format: .gif, .webp, .png (animated PNG)"
                        + (" or .mp4." if mp4_available() else f".\n{MP4_HINT}."))

        size = QHBoxLayout()
        size.addWidget(self.width_spin)
        size.addWidget(QLabel("×"))
        size.addWidget(self.height_spin)
        form = QFormLayout()
        form.addRow("Film", self.subject)
        form.addRow("Size", size)
        form.addRow("Length", self.seconds_spin)
        form.addRow("Frame rate", self.fps_spin)
        form.addRow("Frames spaced", self.spacing)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose File…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(formats)
        layout.addWidget(buttons)
        for spin in (self.seconds_spin, self.fps_spin):
            spin.valueChanged.connect(self._update_summary)
        self._update_summary()

    def options(self) -> AnimationOptions:
        return AnimationOptions(self.subject.currentData(), self.width_spin.value(), self.height_spin.value(),
                                self.seconds_spin.value(), self.fps_spin.value(), self.spacing.currentData())

    def _update_summary(self) -> None:
        options = self.options()
        count = frame_count(self._first, self._last, options.wanted_frames())
        text = f"Epochs {self._first:,} to {self._last:,} (the shown epoch) in {counted(count, 'frame')}"
        if count < options.wanted_frames():
            text += ", one per epoch (the run has no more), each shown longer"
        self.summary.setText(text + ".")

    @staticmethod
    def ask(first: int, last: int, parent: QWidget | None = None) -> AnimationOptions | None:
        """The options chosen, or None when cancelled."""
        dialog = AnimationDialog(first, last, parent=parent)
        try:
            return dialog.options() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


__all__ = ["AnimationDialog", "AnimationOptions"]
