"""File ▸ Export Window Image: every view the window shows as one PNG or SVG (render/views_image.py).

Export Plot Image writes the editor alone; this one adds the loss and parameter plots and any
view shown in a dock, placed as on screen, without the controls.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from lrviz.ui.render.image_export import image_format
from lrviz.ui.render.views_image import save_views_image
from lrviz.ui.state import WindowState


class WindowImageActions(QObject):
    """exportWindowImageAction, for the File menu."""

    def __init__(self, host, state: WindowState, views: Callable[[], list[QWidget]]) -> None:
        """`host` makes actions, asks for paths and writes files (the main window); `views` lists
        the widgets to show, placed as they are in the host."""
        super().__init__(host)
        self._host, self._state, self._views = host, state, views
        self.export_window_image_action = host.make_action(
            "exportWindowImageAction", "Export &Window Image…", self.export_window_image, None,
            "Save the editor, the plots and every view shown as one PNG or SVG picture")

    def export_window_image(self) -> None:
        path = self._host.documents.ask_save_path("Export window image", "lrviz-window.png",
                                                  "PNG image (*.png);;SVG image (*.svg)", check=image_format)
        if path:
            self._state.clock.flush()  # the picture shows the shown epoch, drawn
            self._host.write_file(lambda: save_views_image(self._views(), self._host, path), path)
