"""Files the user opens and saves: points CSV, sessions, recent files, and "nothing lost".

Every write is atomic (lrviz.core.io). Before anything replaces unsaved work (closing,
opening, New), the user is asked to save, discard or cancel. A file that cannot be read
leaves the current points as they were and says which line is wrong.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox

from lrviz.core.dataset import DataFormatError, Dataset, read_points_csv, write_points_csv
from lrviz.core.io import SessionFormatError, read_session, write_session

if TYPE_CHECKING:
    from lrviz.ui.main_window import MainWindow

MAX_RECENT = 8
DATA_FILTER = "Points CSV (*.csv);;All files (*)"
SESSION_FILTER = "lrviz session (*.lrviz.json *.json);;All files (*)"
SESSION_SUFFIX = ".lrviz.json"


def app_settings() -> QSettings:
    """lrviz's own settings file (window geometry, last folder, recent files)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "lrviz", "lrviz")


class DocumentActions(QObject):
    """The File menu's open/save/new actions, recent files and the unsaved-changes prompt."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.data_path: str | None = None
        self.session_path: str | None = None
        make = window.make_action
        self.new_action = make("newAction", "&New", self.new, QKeySequence.StandardKey.New,
                               "Start over with no points")
        self.open_data_action = make("openDataAction", "&Open Data…", self.open_data,
                                     QKeySequence.StandardKey.Open, "Open points from a CSV file")
        self.save_data_action = make("saveDataAction", "&Save Data", self.save_data,
                                     QKeySequence.StandardKey.Save, "Save the points as CSV")
        self.save_data_as_action = make("saveDataAsAction", "Save Data &As…", self.save_data_as,
                                        QKeySequence("Ctrl+Shift+S"), "Save the points as a new CSV file")
        self.open_session_action = make("openSessionAction", "Open S&ession…", self.open_session,
                                        QKeySequence("Ctrl+Shift+O"),
                                        "Open points, settings and the whole training history")
        self.save_session_action = make("saveSessionAction", "Save Sess&ion…", self.save_session,
                                        QKeySequence("Ctrl+Alt+S"),
                                        "Save points, settings and the whole training history")
        self.recent_menu = QMenu("Open &Recent", window)
        self.recent_menu.setObjectName("recentMenu")
        self._rebuild_recent_menu()

    # -- asking before work is lost --------------------------------------------------------------
    def maybe_save(self) -> bool:
        """True when it is fine to replace the current work (saved, discarded, or nothing to lose)."""
        window = self._window
        if not window.has_unsaved_changes():
            return True
        answer = QMessageBox.question(
            window, "Unsaved changes",
            "The points or the trained model have changes that are not saved.\n\n"
            "Save them as a session first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save_session()
        return answer == QMessageBox.StandardButton.Discard

    # -- actions ------------------------------------------------------------------------------------
    def new(self) -> None:
        if not self.maybe_save():
            return
        window = self._window
        window.replace_points(Dataset(), "New")
        self.data_path = self.session_path = None
        window.mark_saved()
        window.statusBar().showMessage("New: click in the plot to place points.", 5000)

    def open_data(self) -> None:
        path = self._ask_open("Open points", DATA_FILTER)
        if path:
            self.open_path(path)

    def open_session(self) -> None:
        path = self._ask_open("Open session", SESSION_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a points CSV or a session (by its name); False if nothing changed."""
        if not self.maybe_save():
            return False
        return self._open_session(path) if path.lower().endswith(".json") else self._open_data(path)

    def _open_data(self, path: str) -> bool:
        try:
            with _busy():
                dataset = read_points_csv(path)
        except (OSError, DataFormatError) as error:
            self._forget_missing(path, error)
            self._window.show_error("Could not open the points", f"{_describe(error)}\n\n"
                                    "The current points are unchanged. Fix the file, or choose another.")
            return False
        self._window.replace_points(dataset, f"Open {Path(path).name}")
        self.data_path, self.session_path = path, None
        self._window.mark_saved()
        self._remember(path)
        self._window.statusBar().showMessage(f"Opened {len(dataset):,} points from {path}", 5000)
        return True

    def _open_session(self, path: str) -> bool:
        try:
            with _busy():
                session = read_session(path)
                self._window.restore_session(session)
        except (OSError, SessionFormatError, ValueError) as error:
            self._forget_missing(path, error)
            self._window.show_error("Could not open the session", f"{_describe(error)}\n\n"
                                    "The current work is unchanged.")
            return False
        self.session_path, self.data_path = path, None
        self._window.mark_saved()
        self._remember(path)
        stop = self._window.last_stop
        why = f"; its training had stopped: {stop.message}" if stop is not None else ""
        self._window.statusBar().showMessage(f"Opened the session {path}{why}")
        return True

    def save_data(self) -> bool:
        if self.data_path is None:
            return self.save_data_as()
        return self._write_data(self.data_path)

    def save_data_as(self) -> bool:
        path = self._ask_save("Save points", "points.csv", DATA_FILTER)
        return bool(path) and self._write_data(path)

    def _write_data(self, path: str) -> bool:
        dataset = self._window.points.dataset
        if not self._window.write_file(lambda: write_points_csv(path, dataset), path):
            return False
        self.data_path = path
        self._window.points.undo_stack.setClean()
        self._remember(path)
        return True

    def save_session(self) -> bool:
        default = self.session_path or f"session{SESSION_SUFFIX}"
        path = self._ask_save("Save session", default, SESSION_FILTER)
        if not path:
            return False
        session = self._window.session()
        if not self._window.write_file(lambda: write_session(path, session), path):
            return False
        self.session_path = path
        self._window.mark_saved()
        self._remember(path)
        return True

    # -- dialogs and remembered places ------------------------------------------------------------
    def _last_folder(self) -> str:
        return str(app_settings().value("lastFolder", os.getcwd()))

    def _ask_open(self, title: str, filters: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self._window, title, self._last_folder(), filters)
        return path

    def _ask_save(self, title: str, name: str, filters: str) -> str:
        start = name if os.path.isabs(name) else os.path.join(self._last_folder(), name)
        path, _ = QFileDialog.getSaveFileName(self._window, title, start, filters)
        return path

    def _remember(self, path: str) -> None:
        settings = app_settings()
        settings.setValue("lastFolder", str(Path(path).resolve().parent))
        recent = [p for p in self.recent_files() if p != str(Path(path).resolve())]
        settings.setValue("recentFiles", [str(Path(path).resolve())] + recent[: MAX_RECENT - 1])
        self._rebuild_recent_menu()

    def _forget_missing(self, path: str, error: Exception) -> None:
        if isinstance(error, FileNotFoundError):
            app_settings().setValue("recentFiles", [p for p in self.recent_files() if p != str(Path(path).resolve())])
            self._rebuild_recent_menu()

    def recent_files(self) -> list[str]:
        value = app_settings().value("recentFiles", [])
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            value = [value]
        return [str(v) for v in value or []]

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for number, path in enumerate(files, start=1):
            action = QAction(f"&{number} {Path(path).name}", self.recent_menu)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
            self.recent_menu.addAction(action)
        self.recent_menu.setEnabled(bool(files))


def _describe(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename}: {error.strerror}"
    return str(error)


class _busy:
    """A wait cursor while a large file is read."""

    def __enter__(self) -> None:
        from PySide6.QtCore import Qt

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *exc_info) -> None:
        QApplication.restoreOverrideCursor()
