"""Let Qt paint a pyqtgraph view without holding Python's GIL, which training needs.

pyqtgraph's GraphicsView overrides paintEvent in Python (to emit the scene's
sigPrepareForPaint first). Qt then paints the whole scene inside a Python call, and
PySide6 keeps the GIL for the duration: the training thread stops for every frame
(measured: a spinning Python thread ran 3–5× less often beside such a view than beside a
plain QGraphicsView). Here the C++ paintEvent is restored, and the preparation runs in an
event filter just before each paint event reaches it; the GIL is then taken only for the
items whose paint() is written in Python.

The filter also marks the viewport as painting every pixel itself while the view's
background brush is opaque (it always is: white, or the dark theme's colour): Qt then no
longer fills the viewport with the palette's colour before the view fills it again with its
own background, a whole-viewport fill saved at every paint (the timeline repaints the
editor and both plots at every step).
"""

from __future__ import annotations

import weakref

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPixmapCache
from PySide6.QtWidgets import QGraphicsView

PIXMAP_CACHE_KB = 96 * 1024


def ensure_pixmap_cache() -> None:
    """Room in Qt's pixmap cache for the views' cached items (markers, axes, curves, texts).

    Every item cached in device coordinates is a view-sized pixmap in QPixmapCache, 10 MB by
    default: the editor and the plots with a dock or two shown, or in presentation mode (1.6×
    the pixels on a large screen), need more, and an item evicted from the cache is drawn
    again at every paint.
    """
    if QPixmapCache.cacheLimit() < PIXMAP_CACHE_KB:
        QPixmapCache.setCacheLimit(PIXMAP_CACHE_KB)


class _PrepareBeforePaint(QObject):
    def __init__(self, view: pg.GraphicsView) -> None:
        super().__init__(view)
        # A weak reference: a strong one would make a cycle (view → filter → view) that only
        # Python's cyclic GC frees, at any moment, even while Qt is painting the view.
        self._view = weakref.ref(view)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            view = self._view()
            scene = view.scene() if view is not None else None
            if scene is not None:
                scene.prepareForPaint()  # what pyqtgraph's Python paintEvent did first
            if view is not None:
                brush = view.backgroundBrush()
                opaque = brush.style() == Qt.BrushStyle.SolidPattern and brush.color().alpha() == 255
                if watched.testAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent) != opaque:
                    watched.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, opaque)  # from the next paint
        return False  # the paint event goes on to the C++ handler


class GilFreePaint:
    """Mix into a pg.PlotWidget subclass (before it in the bases); call `paint_without_gil()` in __init__."""

    paintEvent = QGraphicsView.paintEvent  # the C++ one: no Python frame around the painting

    def paint_without_gil(self) -> None:
        self._prepare_before_paint = _PrepareBeforePaint(self)
        ensure_pixmap_cache()  # its items cached as pixmaps stay cached
        self.viewport().installEventFilter(self._prepare_before_paint)
