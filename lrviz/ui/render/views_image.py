"""Several views of the window as one picture, laid out as they are on screen, as PNG or SVG.

File ▸ Export Window Image: the editor, the plots and any other view shown (a dock) in one
image, without the controls around them. Each widget is painted at its place relative to the
others, on white; the SVG gets the plots as vectors (QSvgGenerator records what they paint).
Written atomically, with the format from the name's suffix like every image lrviz writes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsView, QWidget

from lrviz.core.formats import atomic_path
from lrviz.ui.render.image_export import (
    ImageExportError,
    image_format,
    texts_as_vectors,
)


def layout_of(widgets: Sequence[QWidget], relative_to: QWidget) -> tuple[QRect, list[tuple[QWidget, QRect]]]:
    """The bounding rectangle of the visible `widgets` and each one's rectangle in it."""
    placed = []
    for widget in widgets:
        if widget is None or not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
            continue
        top_left = widget.mapTo(relative_to, QPoint(0, 0))
        placed.append((widget, QRect(top_left, widget.size())))
    if not placed:
        raise ValueError("no view is shown to export")
    bounds = placed[0][1]
    for _widget, rect in placed[1:]:
        bounds = bounds.united(rect)
    return QRect(QPoint(0, 0), bounds.size()), [(w, r.translated(-bounds.topLeft())) for w, r in placed]


def _paint(painter: QPainter, placed: list[tuple[QWidget, QRect]]) -> None:
    for widget, rect in placed:
        if isinstance(widget, QGraphicsView):  # the plots: their scene, as vectors in an SVG
            with texts_as_vectors(widget):
                widget.render(painter, QRectF(rect), widget.viewport().rect())
        else:
            QWidget.render(widget, painter, rect.topLeft())


def save_views_image(widgets: Sequence[QWidget], relative_to: QWidget, path: str | os.PathLike[str]) -> Path:
    """Write the visible `widgets` (placed as in `relative_to`) to `path`, PNG or SVG by its suffix.

    ValueError for another suffix or when no widget is visible, before anything is written.
    """
    target = Path(path)
    kind = image_format(target)
    bounds, placed = layout_of(widgets, relative_to)
    with atomic_path(target) as temp:
        if kind == "SVG":
            generator = QSvgGenerator()
            generator.setFileName(str(temp))
            generator.setSize(bounds.size())
            generator.setViewBox(bounds)
            generator.setTitle("lrviz")
            generator.setDescription("The views of lrviz: points, model, loss and parameters")
            painter = QPainter()
            if not painter.begin(generator):
                raise ImageExportError(f"could not start writing the SVG image {target}")
            try:
                painter.fillRect(bounds, QColor(Qt.GlobalColor.white))
                _paint(painter, placed)
            finally:
                painter.end()
        else:
            image = views_picture(bounds.size(), placed)
            if not image.save(str(temp), "PNG"):
                raise ImageExportError(f"could not write the PNG image {target}")
    return target


def views_picture(size: QSize, placed: list[tuple[QWidget, QRect]]) -> QImage:
    """The widgets painted into one image (grabs: pixel-exact as on screen)."""
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor(Qt.GlobalColor.white))
    painter = QPainter(image)
    try:
        for widget, rect in placed:
            painter.drawPixmap(rect, widget.grab())
    finally:
        painter.end()
    return image


__all__ = ["layout_of", "save_views_image", "views_picture"]
