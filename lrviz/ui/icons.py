"""The window's icons: the application icon (assets/lrviz.svg) and the run buttons' media icons.

Train shows Qt's standard play icon (pause while training runs), Step skip-forward and Reset
skip-backward, so the buttons read at a glance, on any platform and in both themes.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractButton, QStyle, QWidget

from lrviz.resources import asset_path

_PIXMAPS = QStyle.StandardPixmap


def app_icon() -> QIcon:
    """lrviz's icon (an empty icon if the file is missing: the window opens anyway)."""
    try:
        return QIcon(str(asset_path("lrviz.svg")))
    except FileNotFoundError:
        return QIcon()


def set_run_icons(widget: QWidget, train: QAbstractButton, step: QAbstractButton, reset: QAbstractButton) -> None:
    style = widget.style()
    show_running(widget, train, False)
    step.setIcon(style.standardIcon(_PIXMAPS.SP_MediaSkipForward))
    reset.setIcon(style.standardIcon(_PIXMAPS.SP_MediaSkipBackward))


def show_running(widget: QWidget, train: QAbstractButton, running: bool) -> None:
    """Pause while training runs, play otherwise."""
    train.setIcon(widget.style().standardIcon(_PIXMAPS.SP_MediaPause if running else _PIXMAPS.SP_MediaPlay))
