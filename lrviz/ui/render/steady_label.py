"""A one-line value label that changes its text without relaying out the window.

`QLabel.setText` calls `updateGeometry()`, and unless the label's size is fixed that
invalidates its parent's layout, and so every layout up to the main window's: each step of
the timeline (the epoch, the loss, the "shown / newest" label) re-laid out the side panel,
the plots' column, the splitter and the main window with its docks, which also starts a
(zero-length) geometry animation of the central widget: about 1 ms a step, besides the
repaint of the window's background under the transparent labels.

A SteadyLabel keeps a fixed size that only grows: a new text as wide as or narrower than
the widest so far repaints the label alone. A wider text, a new font (View ▸ Zoom,
presentation mode) or a new style fits the label to its text again (one relayout).

Asking a label its size hint lays its text out (0.1–0.2 ms for a selectable one, which keeps
a text document), and a step of the timeline changes some ten labels. A one-line label's
hint widens with its text's advance alone, so a text no wider than one already known to fit
(QFontMetrics.horizontalAdvance, a few microseconds) needs no hint; nor does a text of several
lines (the read-out's w of a feature map), each no wider than that, in no more lines.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QLabel, QWidget


class SteadyLabel(QLabel):
    """A plain-text QLabel of fixed size, grown (never shrunk) to fit each text it is given."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fitting_advance = -1  # the widest one-line text known to fit, in pixels (-1: none)
        self._fitting_lines = 0  # ... in as many lines as this
        self.setTextFormat(Qt.TextFormat.PlainText)
        super().setText(text)
        self._fit(shrink=True)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt name)
        if text == self.text():
            return
        super().setText(text)  # at the old fixed size: no layout is invalidated
        lines = text.split("\n")
        if len(lines) > self._fitting_lines or self._advance(lines) > self._fitting_advance:
            self._fit(shrink=False)

    def refit(self) -> None:
        """Fit the label to its text anew, smaller too (a text of fewer rows than before)."""
        self._fit(shrink=True)

    def _fit(self, shrink: bool) -> None:
        if shrink and self._is_fixed():
            # QLabel's hint is at least its minimum size (the fixed one): release it, and set the
            # text again, which drops the hint QLabel keeps
            text = self.text()
            self.setMinimumSize(0, 0)
            super().setText("")
            super().setText(text)
        wanted = QLabel.sizeHint(self)
        if not shrink:
            wanted = wanted.expandedTo(self._fixed())
        if wanted != self._fixed() or not self._is_fixed():
            self.setFixedSize(wanted)
        lines = self.text().split("\n")
        advance = self._advance(lines)
        # the size only grew: what fitted before still fits, and so does this text
        self._fitting_advance = advance if shrink else max(self._fitting_advance, advance)
        self._fitting_lines = len(lines) if shrink else max(self._fitting_lines, len(lines))

    def _advance(self, lines: list[str]) -> int:
        metrics = self.fontMetrics()
        return max(metrics.horizontalAdvance(line) for line in lines)

    def _fixed(self) -> QSize:
        return self.minimumSize()

    def _is_fixed(self) -> bool:
        return self.minimumSize() == self.maximumSize()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit(shrink=True)


__all__ = ["SteadyLabel"]
