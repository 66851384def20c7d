"""Save a widget as PNG or SVG, atomically (a temp file in the same folder, then a rename).

The image is made in memory and written by lrviz.core.formats.atomic_write_bytes, whose
every write is checked: Qt's writers do not report a failed write (QSvgGenerator never
does), so a full disk would otherwise replace the old image with a truncated one.

The format is the suffix the user typed; any other name is refused, never renamed, so a
file the user did not name (and did not confirm overwriting) is never written.

pyqtgraph 0.14's SVGExporter fails on ordinary plots, so SVG goes through Qt's
QSvgGenerator, which records what the widget paints as vectors.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem, QGraphicsView, QWidget

from lrviz.core.formats import atomic_write_bytes

IMAGE_SUFFIXES = (".png", ".svg")


class ImageExportError(OSError):
    """The image could not be written; the message says where and why."""


def image_format(path: str | os.PathLike[str]) -> str:
    """'PNG' or 'SVG' from the suffix of `path`; ValueError (a message to show) for any other name."""
    suffix = Path(path).suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        shown = f"'{suffix}'" if suffix else "no suffix"
        raise ValueError(f"images are saved as PNG or SVG, and this name has {shown}: "
                         "choose a .png or .svg name")
    return suffix[1:].upper()


def save_widget_image(widget: QWidget, path: str | os.PathLike[str]) -> Path:
    """Write `widget` to `path` as PNG or SVG by its suffix; return the path written.

    ValueError for another suffix, before anything is written. The new file gets the old
    one's permissions, or the usual ones (0o666 minus the umask), like every lrviz file.
    """
    target = Path(path)
    kind = image_format(target)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    finer = getattr(widget, "export_quality", None)  # the editor draws its heatmap finer meanwhile
    with finer() if finer is not None else nullcontext():
        if kind == "SVG":
            _write_svg(widget, buffer, target)
        elif not widget.grab().save(buffer, "PNG"):
            raise ImageExportError(f"could not make the PNG image {target}")
    buffer.close()
    atomic_write_bytes(target, bytes(data.data()))  # OSError (a full disk too): the old file stays
    return target


@contextmanager
def texts_as_vectors(widget: QWidget) -> Iterator[None]:
    """Around drawing a view into an SVG: its texts kept as pixmaps for the screen (see
    plots/series.py `cache_text`) are drawn as text, so the SVG has them as words."""
    cached = []
    if isinstance(widget, QGraphicsView) and widget.scene() is not None:
        for item in widget.scene().items():
            if isinstance(item, QGraphicsTextItem) and item.cacheMode() != QGraphicsItem.CacheMode.NoCache:
                cached.append((item, item.cacheMode()))
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)


def _write_svg(widget: QWidget, device: QBuffer, target: Path) -> None:
    generator = QSvgGenerator()
    generator.setOutputDevice(device)
    generator.setSize(QSize(widget.width(), widget.height()))
    generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
    generator.setTitle("lrviz")
    generator.setDescription("Points, probability heatmap and decision boundary from lrviz")
    painter = QPainter()
    if not painter.begin(generator):
        raise ImageExportError(f"could not start writing the SVG image {target}")
    try:
        if isinstance(widget, QGraphicsView):  # the plots: the scene, as vectors
            with texts_as_vectors(widget):
                widget.render(painter)
        else:  # PySide has no render(painter) overload for a plain QWidget
            widget.render(painter, QPoint())
    finally:
        painter.end()
