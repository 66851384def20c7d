"""The window's icons: the application icon (assets/lrviz.svg) and the run buttons' media icons.

Train shows a play triangle (two pause bars while training runs), Step a skip-forward and Reset
a skip-back: drawn here in the button's own text colour, so they read in the light and the
dark theme alike (Qt's standard media icons are black whatever the theme).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap, QPolygonF
from PySide6.QtWidgets import QAbstractButton

from lrviz.resources import asset_path

_SIZE = 64  # drawn large, scaled down by Qt for the button


def app_icon() -> QIcon:
    """lrviz's icon (an empty icon if the file is missing: the window opens anyway)."""
    try:
        return QIcon(str(asset_path("lrviz.svg")))
    except FileNotFoundError:
        return QIcon()


def media_icon(kind: str, colour: QColor) -> QIcon:
    """'play', 'pause', 'step' or 'reset', in `colour`."""
    pixmap = QPixmap(_SIZE, _SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        s = _SIZE
        if kind == "pause":
            painter.drawRect(QRectF(0.2 * s, 0.15 * s, 0.2 * s, 0.7 * s))
            painter.drawRect(QRectF(0.6 * s, 0.15 * s, 0.2 * s, 0.7 * s))
        elif kind == "play":
            painter.drawPolygon(QPolygonF([QPointF(0.22 * s, 0.12 * s), QPointF(0.88 * s, 0.5 * s),
                                           QPointF(0.22 * s, 0.88 * s)]))
        else:
            forward = kind == "step"
            tip, back = (0.72, 0.12) if forward else (0.28, 0.88)
            painter.drawPolygon(QPolygonF([QPointF(back * s, 0.15 * s), QPointF(tip * s, 0.5 * s),
                                           QPointF(back * s, 0.85 * s)]))
            bar = 0.74 if forward else 0.1
            painter.drawRect(QRectF(bar * s, 0.15 * s, 0.14 * s, 0.7 * s))
    finally:
        painter.end()
    return QIcon(pixmap)


def _ink(button: QAbstractButton) -> QColor:
    return button.palette().color(QPalette.ColorRole.ButtonText)


def set_run_icons(train: QAbstractButton, step: QAbstractButton, reset: QAbstractButton, running: bool) -> None:
    """All three, in the buttons' text colour (again after a theme change)."""
    show_running(train, running)
    step.setIcon(media_icon("step", _ink(step)))
    reset.setIcon(media_icon("reset", _ink(reset)))


def show_running(train: QAbstractButton, running: bool) -> None:
    """Pause while training runs, play otherwise."""
    train.setIcon(media_icon("pause" if running else "play", _ink(train)))
