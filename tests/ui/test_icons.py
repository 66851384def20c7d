"""The application icon and the run buttons' icons (in the buttons' text colour, in both themes)."""

from __future__ import annotations

from PySide6.QtGui import QImage, QPalette

from lrviz.core.dataset import default_dataset
from lrviz.ui.icons import app_icon, media_icon
from tests.ui.window_helpers import shown_window


def test_the_application_icon_is_drawn_from_its_svg(qtbot):
    icon = app_icon()
    assert not icon.isNull()
    image = icon.pixmap(64, 64).toImage().convertToFormat(QImage.Format.Format_RGB32)
    assert image.width() == 64 and len({image.pixel(x, 32) for x in range(64)}) > 5  # drawn, not blank
    win = shown_window(qtbot, default_dataset())
    assert not win.windowIcon().isNull()


def _image(icon) -> QImage:
    return icon.pixmap(32).toImage()


def test_train_shows_play_then_pause_and_step_reset_have_icons(qtbot):
    win = shown_window(qtbot, default_dataset())
    c = win.controls
    ink = c.train_button.palette().color(QPalette.ColorRole.ButtonText)
    assert _image(c.train_button.icon()) == _image(media_icon("play", ink))
    assert _image(c.step_button.icon()) == _image(media_icon("step", ink))
    assert _image(c.reset_button.icon()) == _image(media_icon("reset", ink))
    assert len({_image(media_icon(k, ink)).cacheKey() for k in ("play", "pause", "step", "reset")}) == 4
    win.controls.speed_slider.setValue(1)
    c.train_button.click()
    qtbot.waitUntil(lambda: win.controller.is_running)
    assert c.train_button.text() == "Pause" and _image(c.train_button.icon()) == _image(media_icon("pause", ink))
    c.train_button.click()
    qtbot.waitUntil(lambda: not win.controller.is_running)
    assert _image(c.train_button.icon()) == _image(media_icon("play", ink))


def test_the_icons_take_the_dark_themes_light_ink(qtbot):
    win = shown_window(qtbot, default_dataset())
    win.theme.choose("dark")
    ink = win.controls.step_button.palette().color(QPalette.ColorRole.ButtonText)
    assert ink.lightness() > 180
    assert _image(win.controls.step_button.icon()) == _image(media_icon("step", ink))
    win.theme.choose("light")
