"""Test setup shared by every test: headless Qt, private settings, and dialogs that never block."""

from __future__ import annotations

import os

import pytest

# Must happen before any QApplication exists (pytest-qt creates it lazily).
os.environ["QT_QPA_PLATFORM"] = "offscreen"


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory, request):
    """QSettings (geometry, recent files) go to a temporary folder, never the user's."""
    if "qtbot" not in request.fixturenames:
        yield
        return
    from PySide6.QtCore import QSettings

    folder = str(tmp_path_factory.mktemp("settings"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
    yield folder


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch, request):
    """Modal message boxes would block a headless test: record them and answer.

    The unsaved-changes question answers Discard unless a test sets `message_boxes.answer`.
    """
    if "qtbot" not in request.fixturenames:
        yield None
        return
    from PySide6.QtWidgets import QMessageBox

    class Recorder:
        answer = QMessageBox.StandardButton.Discard
        shown: list[tuple[str, str, str]] = []

    recorder = Recorder()
    recorder.shown = []
    recorder.formats = []

    def question(parent, title, text, *args, **kwargs):
        recorder.shown.append(("question", title, text))
        return recorder.answer

    def warning(parent, title, text, *args, **kwargs):
        recorder.shown.append(("warning", title, text))
        return QMessageBox.StandardButton.Ok

    def exec_box(box):
        # lrviz's boxes (lrviz.ui.plain_text): file text in them must be shown as plain text
        kind = {QMessageBox.Icon.Question: "question", QMessageBox.Icon.Warning: "warning"}.get(box.icon(), "information")
        recorder.formats.append(box.textFormat())
        recorder.shown.append((kind, box.windowTitle(), box.text()))
        return recorder.answer if kind == "question" else QMessageBox.StandardButton.Ok

    monkeypatch.setattr("lrviz.ui.plain_text.exec_box", exec_box)
    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", warning)
    monkeypatch.setattr(QMessageBox, "information", warning)
    yield recorder
