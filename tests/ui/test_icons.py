"""The application icon and the run buttons' icons."""

from __future__ import annotations

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStyle

from lrviz.core.dataset import default_dataset
from lrviz.ui.icons import app_icon
from tests.ui.window_helpers import shown_window


def test_the_application_icon_is_drawn_from_its_svg(qtbot):
    icon = app_icon()
    assert not icon.isNull()
    image = icon.pixmap(64, 64).toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert image.width() == 64 and len({image.pixel(x, 32) for x in range(64)}) > 5  # drawn, not blank
    win = shown_window(qtbot, default_dataset())
    assert not win.windowIcon().isNull()


def test_train_shows_play_then_pause_and_step_reset_have_icons(qtbot):
    win = shown_window(qtbot, default_dataset())
    c = win.controls
    style = win.style()

    def same(button, pixmap) -> bool:
        return button.icon().pixmap(16).toImage() == style.standardIcon(pixmap).pixmap(16).toImage()

    assert same(c.train_button, QStyle.StandardPixmap.SP_MediaPlay)
    assert same(c.step_button, QStyle.StandardPixmap.SP_MediaSkipForward)
    assert same(c.reset_button, QStyle.StandardPixmap.SP_MediaSkipBackward)
    win.controls.speed_slider.setValue(1)
    c.train_button.click()
    qtbot.waitUntil(lambda: win.controller.is_running)
    assert c.train_button.text() == "Pause" and same(c.train_button, QStyle.StandardPixmap.SP_MediaPause)
    c.train_button.click()
    qtbot.waitUntil(lambda: not win.controller.is_running)
    assert same(c.train_button, QStyle.StandardPixmap.SP_MediaPlay)
