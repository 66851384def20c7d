"""View ▸ Theme: follow the system's colour scheme, or force light or dark (render/theme.py).

The choice is remembered. Exported images (PNG, SVG) are drawn in the light theme, which
prints and projects best, unless View ▸ Theme ▸ Dark Exported Images is on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QActionGroup, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QMenu

from lrviz.ui.documents import app_settings
from lrviz.ui.render.style_keeper import keep_styled
from lrviz.ui.render.theme import (
    DARK,
    LIGHT,
    THEMES,
    Theme,
    apply_theme,
    current_theme,
    system_theme,
)

CHOICES = {"system": "&System", "light": "&Light", "dark": "&Dark"}
IMAGE_SUFFIXES = (".png", ".svg")


class ThemeActions(QObject):
    """themeSystemAction, themeLightAction, themeDarkAction and darkExportsAction, in `menu`."""

    changed = Signal()  # the theme shown changed

    def __init__(self, host: QMainWindow) -> None:
        super().__init__(host)
        self._host = host
        self.menu = QMenu("&Theme", host)
        self.menu.setObjectName("themeMenu")
        group = QActionGroup(self)
        group.setExclusive(True)
        self.actions = {}
        for key, text in CHOICES.items():
            action = host.make_action(f"theme{key.capitalize()}Action", text,
                                      lambda _checked=False, key=key: self.choose(key),
                                      tip="Follow the system's colour scheme" if key == "system" else
                                      f"Always the {key} theme")
            action.setCheckable(True)
            group.addAction(action)
            self.menu.addAction(action)
            self.actions[key] = action
        self.menu.addSeparator()
        self.dark_exports_action = host.make_action(
            "darkExportsAction", "Dark &Exported Images", lambda on: app_settings().setValue("darkExports", bool(on)),
            tip="Export images in the dark theme when it is shown (else they are light)")
        self.dark_exports_action.setCheckable(True)
        self.dark_exports_action.setChecked(app_settings().value("darkExports", False, type=bool))
        self.menu.addAction(self.dark_exports_action)
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: self._follow_system())
        saved = str(app_settings().value("theme", "system"))
        self.choice = saved if saved in CHOICES else "system"
        self.actions[self.choice].setChecked(True)
        self._apply()
        keep_styled(host)  # items and views added later get the theme (and zoom) at once

    @property
    def theme(self) -> Theme:
        return system_theme() if self.choice == "system" else THEMES[self.choice]

    def choose(self, key: str) -> None:
        self.choice = key
        self.actions[key].setChecked(True)
        app_settings().setValue("theme", key)
        self._apply()

    def _follow_system(self) -> None:
        if self.choice == "system":
            self._apply()

    def _apply(self) -> None:
        if current_theme(self._host) is not self.theme or self.theme is DARK:
            apply_theme(self._host, self.theme)
            keep_styled(self._host)
            self.changed.emit()

    @contextmanager
    def for_export(self, path: str) -> Iterator[None]:
        """Around writing `path`: an image is drawn in the light theme unless dark exports are on."""
        shown = current_theme(self._host)
        light = (shown is not LIGHT and Path(path).suffix.lower() in IMAGE_SUFFIXES
                 and not self.dark_exports_action.isChecked())
        if light:
            apply_theme(self._host, LIGHT)
        try:
            yield
        finally:
            if light:
                apply_theme(self._host, shown)
