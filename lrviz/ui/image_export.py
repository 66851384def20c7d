"""Save a widget as PNG or SVG, atomically (a temp file in the same folder, then a rename).

pyqtgraph 0.14's SVGExporter fails on ordinary plots, so SVG goes through Qt's
QSvgGenerator, which records what the widget paints as vectors.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget


class ImageExportError(OSError):
    """The image could not be written; the message says where and why."""


def save_widget_image(widget: QWidget, path: str | os.PathLike[str]) -> Path:
    """Write `widget` as SVG when `path` ends in .svg, else as PNG; return the path written."""
    target = Path(path)
    if target.suffix.lower() not in (".png", ".svg"):
        target = target.with_suffix(".png")
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix,
                                         dir=target.parent)
    os.close(handle)
    try:
        if target.suffix.lower() == ".svg":
            _write_svg(widget, temp_name)
        elif not widget.grab().save(temp_name, "PNG"):
            raise ImageExportError(f"could not write the PNG image {target}")
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target


def _write_svg(widget: QWidget, file_name: str) -> None:
    generator = QSvgGenerator()
    generator.setFileName(file_name)
    generator.setSize(QSize(widget.width(), widget.height()))
    generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    generator.setTitle("lrviz")
    generator.setDescription("Points, probability heatmap and decision boundary from lrviz")
    painter = QPainter()
    if not painter.begin(generator):
        raise ImageExportError(f"could not start writing the SVG image {file_name}")
    try:
        widget.render(painter)
    finally:
        painter.end()
