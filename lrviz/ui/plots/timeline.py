"""The timeline: a slider from the first to the newest epoch that selects what every view shows.

A view of the window state like the plots: it shows the shown epoch and the history's range
at every frame (signals blocked, so showing never selects), and a move of the handle by the
user selects an epoch. The right end follows training (see WindowState.select_epoch).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from lrviz.ui.render.steady_label import SteadyLabel
from lrviz.ui.state import WindowState


class Timeline(QWidget):
    """`timelineSlider` and a label saying which epoch is shown and whether it follows training."""

    def __init__(self, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 2)
        caption = QLabel("epoch")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("timelineSlider")
        self.slider.setToolTip("Choose the epoch every view shows. ←/→ one epoch, Page Up/Down a tenth "
                               "of the run, Home the start, End the newest (and follow training).")
        self.slider.setRange(0, 0)
        self.slider.setTracking(True)
        self.label = SteadyLabel()  # its text changes at every step: no relayout of the window
        self.label.setObjectName("timelineLabel")
        layout.addWidget(caption)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self.slider.valueChanged.connect(self._on_moved)
        state.clock.frame.connect(self._on_frame)
        state.clock.slowFrame.connect(self._on_slow_frame)
        state.followChanged.connect(self._on_follow)
        self.refresh()

    def refresh(self) -> None:
        history = self._state.run.history
        shown = self._state.shown_epoch
        slider = self.slider
        slider.blockSignals(True)
        try:
            if shown is None:
                slider.setRange(0, 0)
                slider.setValue(0)
            else:
                slider.setRange(history.first_epoch, history.last_epoch)
                slider.setPageStep(max(1, round((history.last_epoch - history.first_epoch) / 10)))
                slider.setValue(shown)
        finally:
            slider.blockSignals(False)
        slider.setEnabled(shown is not None and history.last_epoch > history.first_epoch)
        if shown is None:
            self.label.setText("–")
        else:
            live = " (live)" if self._state.follow_latest else ""
            self.label.setText(f"{shown:,} / {history.last_epoch:,}{live}")

    def _on_frame(self) -> None:
        """A selection shows at once; while following training, the slow rate is enough
        (a slider and label repainted every frame cost the training thread its GIL)."""
        if not self._state.follow_latest:
            self.refresh()

    def _on_slow_frame(self) -> None:
        # Every change asks for a frame before its slow frame: drawn at the frame, it is not again.
        if self._state.follow_latest:
            self.refresh()

    def _on_follow(self, _on: bool) -> None:
        self.refresh()

    def _on_moved(self, value: int) -> None:
        self._state.select_epoch(value)
