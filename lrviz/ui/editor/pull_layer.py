"""Which points pull the boundary: a halo sized by each point's loss (2-2), and each point's
pull on w, −(ŷᵢ − yᵢ)·xᵢ (the negative of its term (3-7)), as a short arrow.

A learner sees that misclassified points far from the boundary have the largest loss and
pull hardest, and well-classified points hardly at all. Both are off until the View menu
turns them on (perPointLossAction, gradientArrowsAction). The numbers come from
`core.explain` at the shown epoch; when that epoch was trained on points since edited, the
layer shows nothing (its numbers would belong to other points). The pull is drawn in the
plane's (raw) coordinates: ∂L/∂w of the raw w, also with standardized training.

Arrows are one native path (stroked without the GIL), scaled so the strongest pull is
ARROW_PX pixels long; halos are one scatter item cached as a pixmap. Above MAX_DRAWN points
every k-th point gets an arrow. While following training they redraw at most LIVE_HZ times a second.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem
from shiboken6 import isValid

from lrviz.core.explain import Explanation, explain
from lrviz.core.step_size import StepSizeBound
from lrviz.ui.render.style import CLASS_COLORS
from lrviz.ui.render.throttle import LiveThrottle
from lrviz.ui.state import WindowState

ARROW_PX = 40.0  # the strongest pull's length
HEAD_PX = 6.0
HALO_PX = (12.0, 44.0)  # a halo's diameter, from loss 0 to the largest loss shown
HALO_FULL_LOSS = 3.0  # losses of this or more get the largest halo (ŷ ≈ 0.05 on the wrong side)
MAX_DRAWN = 2000
LIVE_HZ = 4.0
_NO_BOUND = StepSizeBound(float("nan"), float("nan"))


def halo_sizes(loss: np.ndarray) -> np.ndarray:
    """Diameters in pixels: loss 0 → HALO_PX[0], ≥ HALO_FULL_LOSS → HALO_PX[1], linear between."""
    share = np.clip(np.nan_to_num(loss, nan=HALO_FULL_LOSS) / HALO_FULL_LOSS, 0.0, 1.0)
    return HALO_PX[0] + share * (HALO_PX[1] - HALO_PX[0])


def pulls(ex: Explanation) -> np.ndarray:
    """−(ŷᵢ − yᵢ)·xᵢ for every point, raw coordinates, shape (m, n)."""
    return -ex.residual[:, None] * ex.X_raw


class PullLayer(QObject):
    """Loss halos and pull arrows over a PointEditor's points."""

    def __init__(self, editor, state: WindowState) -> None:
        super().__init__(editor)
        self._editor = editor
        self._state = state
        self._show_halos = False
        self._show_arrows = False
        self._drawn: tuple | None = None
        self.explanation: Explanation | None = None
        self.halos = pg.ScatterPlotItem(symbol="o", pen=None)
        self.halos.setZValue(9)  # under the markers (10)
        self.halos.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.halos.setVisible(False)
        editor.addItem(self.halos)
        self.arrows = QGraphicsPathItem()
        pen = QPen(QColor(20, 20, 20, 210), 1.6)
        pen.setCosmetic(True)
        self.arrows.setPen(pen)
        self.arrows.setZValue(11)
        self.arrows.setVisible(False)
        editor.view_box.addItem(self.arrows, ignoreBounds=True)
        self._rescale = QTimer(self)
        self._rescale.setSingleShot(True)
        self._rescale.setInterval(0)
        self._rescale.timeout.connect(self._draw_arrows)
        editor.view_box.sigRangeChanged.connect(lambda *_: self._rescale.start())
        state.clock.frame.connect(self._on_frame)
        self._live = LiveThrottle(self.refresh, 1.0 / LIVE_HZ, self)  # while following training
        state.clock.slowFrame.connect(self._live.request)
        editor.model.changed.connect(self.refresh)

    def set_loss_halos(self, on: bool) -> None:
        self._show_halos = bool(on)
        self._drawn = None
        self.refresh()

    def set_arrows(self, on: bool) -> None:
        self._show_arrows = bool(on)
        self._drawn = None
        self.refresh()

    def _on_frame(self) -> None:
        if not self._state.follow_latest or len(self._state.run.history) <= 1:
            self.refresh()

    def refresh(self) -> None:
        if not isValid(self.halos):  # the editor is gone; the state (and its clock) outlived it
            return
        if not (self._show_halos or self._show_arrows):
            self.halos.setVisible(False)
            self.arrows.setVisible(False)
            return
        state = self._state
        run, epoch = state.run, state.shown_epoch
        history = run.history
        key = (epoch, id(history), len(history), history.last_epoch, run.revision, self._show_halos,
               self._show_arrows)
        if key == self._drawn:
            return
        self._drawn = key
        ex = None
        if epoch is not None and len(run.points) and run.row(epoch).data_revision == run.revision:
            ex = explain(run, epoch, _NO_BOUND)
        self.explanation = ex
        self._draw_halos()
        self._draw_arrows()

    def _draw_halos(self) -> None:
        ex = self.explanation
        if ex is None or not self._show_halos:
            self.halos.setVisible(False)
            return
        brushes = [pg.mkBrush(*CLASS_COLORS[int(label)], 70) for label in (0, 1)]
        where = ex.positions if ex.positions is not None else ex.X_raw
        self.halos.setData(where[:, 0], where[:, 1], size=halo_sizes(ex.loss),
                           brush=[brushes[int(label)] for label in ex.y])
        self.halos.setVisible(True)

    def arrow_segments(self) -> np.ndarray | None:
        """(k, 2, 2): each drawn arrow's start (the point) and tip, data coordinates; None if hidden."""
        ex = self.explanation
        if ex is None or not self._show_arrows or ex.terms:
            return None  # with a feature map the pull acts on φ's weights, not in the plane
        stride = max(1, -(-ex.count // MAX_DRAWN))
        start = ex.X_raw[::stride]
        pull = pulls(ex)[::stride]
        ppu = self._editor._pixels_per_unit()  # pixels per data unit, x and y
        with np.errstate(over="ignore", invalid="ignore"):
            lengths_px = np.hypot(pull[:, 0] * ppu[0], pull[:, 1] * ppu[1])
        strongest = float(np.max(lengths_px[np.isfinite(lengths_px)], initial=0.0))
        if strongest <= 0:
            return np.stack([start, start], axis=1)
        tip = start + pull * (ARROW_PX / strongest)  # along the pull in data units; the longest ARROW_PX on screen
        return np.stack([start, tip], axis=1)

    def _draw_arrows(self) -> None:
        segments = self.arrow_segments()
        if segments is None:
            self.arrows.setVisible(False)
            return
        ppu = self._editor._pixels_per_unit()
        path = QPainterPath()
        for (x0, y0), (x1, y1) in segments.tolist():
            dx, dy = (x1 - x0) * ppu[0], (y1 - y0) * ppu[1]  # in pixels
            length = float(np.hypot(dx, dy))
            if not np.isfinite(length) or length < 1.0:
                continue
            path.moveTo(x0, y0)
            path.lineTo(x1, y1)
            ux, uy = dx / length, dy / length
            for side in (1.0, -1.0):  # the two strokes of the head, 30° off the shaft
                hx = -HEAD_PX * (0.866 * ux - side * 0.5 * uy)
                hy = -HEAD_PX * (0.866 * uy + side * 0.5 * ux)
                path.moveTo(x1, y1)
                path.lineTo(x1 + hx / ppu[0], y1 + hy / ppu[1])
        self.arrows.setPath(path)
        self.arrows.setVisible(True)


__all__ = ["ARROW_PX", "HALO_PX", "PullLayer", "halo_sizes", "pulls"]
