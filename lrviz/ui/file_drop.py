"""Drag and drop a file onto the window: it opens like File ▸ Open (points, any table, or a session)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QWidget


def dropped_path(event: QDragEnterEvent | QDropEvent) -> str | None:
    """The first local file the drag carries, or None (text, web links and folders are not files)."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile():
            return url.toLocalFile()
    return None


class FileDrop(QObject):
    """An event filter that makes `widget` (and its children) accept dropped files for `open_path`."""

    def __init__(self, widget: QWidget, open_path: Callable[[str], object]) -> None:
        super().__init__(widget)
        self._open_path = open_path
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if dropped_path(event) is not None:
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            path = dropped_path(event)
            if path is not None:
                event.acceptProposedAction()
                self._open_path(path)
                return True
        return False


__all__ = ["FileDrop", "dropped_path"]
