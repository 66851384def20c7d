"""The kept runs' paths on the loss landscape, in each run's colour, with a dot at the end.

An overlay the main window puts on the LandscapePlot: every shown kept run of the
tutorial's three parameters (w1, w2, b) is drawn through the landscape's own mapping
(`LandscapePlot.shown`: raw θ to the coordinates of the surface, standardized or not) on
the pair of axes shown. The landscape's range is asked to cover the kept paths too
(`keep_in_view`), with headroom, so that a race stays in the picture as it goes without
a new surface every frame. Runs with a feature map (more weights) have no path here.

Everything is a native Qt item (no Python paint while training runs, see gil_free_paint);
the paths are redrawn at the slow frame rate while a race grows them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsPathItem

from lrviz.core.path_digest import PathDigest, drawn_positions
from lrviz.core.run_collection import KeptRun, RunCollection
from lrviz.ui.render.run_colors import run_color
from lrviz.ui.state import WindowState

DRAWN_MAX = 4000  # vertices of a kept path at most (a stride beyond)
HEADROOM = 0.15  # of the kept paths' span, added when they leave the range asked for
END_RING_PX = 9.0


def _pen(color, width: float, style=Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(*color), width)
    pen.setCosmetic(True)
    pen.setStyle(style)
    return pen


class _KeptPath:
    def __init__(self, view: pg.ViewBox, run: KeptRun) -> None:
        self.run = run
        color = run_color(run.color)
        self.path = QGraphicsPathItem()
        self.path.setPen(_pen(color, 2.6))  # solid: dashes of a coloured line vanish on the surface's colours
        self.path.setZValue(4)  # under the current run's path (5) and its marker
        self.casing = QGraphicsPathItem(self.path)
        self.casing.setPen(_pen((255, 255, 255, 190), 5.0))
        self.casing.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
        half = END_RING_PX / 2
        self.end = QGraphicsEllipseItem(-half, -half, END_RING_PX, END_RING_PX)
        self.end.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.end.setPen(_pen((20, 20, 20), 1.2))
        self.end.setBrush(QBrush(QColor(*color)))
        self.end.setZValue(6)
        for item in (self.path, self.end):
            view.addItem(item, ignoreBounds=True)
            item.setVisible(False)
        self.view = view
        self.drawn: np.ndarray = np.empty((0, 2))
        self.digest = PathDigest()  # a kept 10^8-epoch run is drawn from its digest, never copied

    def vertices(self) -> np.ndarray:
        """The raw θ rows drawn for the run (every epoch of a short run, path_digest)."""
        self.digest.update(self.run.history)
        return self.digest.vertices()[1]

    def remove(self) -> None:
        for item in (self.path, self.end):
            self.view.removeItem(item)


class KeptPaths:
    """The paths of the shown kept runs on `plot` (a LandscapePlot)."""

    def __init__(self, plot, runs: RunCollection, state: WindowState) -> None:
        self._plot, self._runs = plot, runs
        self._view = plot.getPlotItem().getViewBox()
        self._paths: dict[int, _KeptPath] = {}
        self._asked: tuple[np.ndarray, np.ndarray] | None = None  # the raw box keep_in_view covers
        self._dirty = False
        self._live = False  # a race is growing the paths (set_live)
        runs.changed.connect(self._rebuild)
        runs.grown.connect(self._on_grown)
        state.clock.slowFrame.connect(self._draw_if_grown)
        plot.pictureShown.connect(self._on_picture)
        self._rebuild()

    # -- what tests read --------------------------------------------------------------------------------
    def drawn_path(self, run: KeptRun) -> np.ndarray:
        """The (d, 2) vertices drawn for a kept run, in the landscape's coordinates (empty: none)."""
        path = self._paths.get(id(run))
        return np.empty((0, 2)) if path is None or not path.path.isVisible() else path.drawn.copy()

    def shown_runs(self) -> list[KeptRun]:
        return [p.run for p in self._paths.values() if p.path.isVisible()]

    # -- drawing -------------------------------------------------------------------------------------------
    def _rebuild(self) -> None:
        wanted = {id(run): run for run in self._runs.visible() if run.history.n_weights == 2}
        for key in [key for key in self._paths if key not in wanted]:
            self._paths.pop(key).remove()
        for key, run in wanted.items():
            if key not in self._paths:
                self._paths[key] = _KeptPath(self._view, run)
        self._cover(again=True)
        self._draw()

    def set_live(self, live: bool) -> None:
        """A race runs (True): the landscape slices as while training, coarse and rested; when
        it ends (False), one fine slice of the final range."""
        self._live = bool(live)
        self.flush()

    def _on_grown(self, run: KeptRun) -> None:
        if id(run) in self._paths:
            self._dirty = True

    def _draw_if_grown(self) -> None:
        if self._dirty:
            self._dirty = False
            self._cover()
            self._draw()

    def _on_picture(self, _picture) -> None:
        self._draw()

    def flush(self) -> None:
        """Cover and draw what has grown now (tests and pictures want the screen current)."""
        self._dirty = False
        self._cover(again=True)
        self._draw()

    def _cover(self, again: bool = False) -> None:
        """Ask the landscape to cover every kept path: the corners of their raw box, grown with
        headroom only when a path leaves it (a few new surfaces per race, not one per frame)."""
        thetas = [p.vertices() for p in self._paths.values() if len(p.run.history)]
        if not thetas:
            if self._asked is not None:
                self._asked = None
                self._plot.keep_in_view(np.empty((0, 3)), live=self._live)
            return
        rows = np.concatenate(thetas)
        rows = rows[np.isfinite(rows).all(axis=1)]
        if not len(rows):
            return
        low, high = rows.min(axis=0), rows.max(axis=0)
        if not again and self._asked is not None and np.all(low >= self._asked[0]) and np.all(high <= self._asked[1]):
            return
        span = np.maximum(high - low, 1e-9)
        low, high = low - HEADROOM * span, high + HEADROOM * span
        self._asked = (low, high)
        corners = np.array([[(low, high)[(k >> axis) & 1][axis] for axis in range(3)] for k in range(8)])
        self._plot.keep_in_view(corners, live=self._live)

    def _draw(self) -> None:
        shown = self._plot.picture is not None
        i, j = self._plot.pair
        for kept in self._paths.values():
            theta = kept.vertices()
            if not shown or not len(theta):
                kept.path.setVisible(False)
                kept.end.setVisible(False)
                continue
            points = self._plot.shown(theta)[:, [i, j]]
            points = points[np.isfinite(points).all(axis=1)]
            points = points[drawn_positions(points, None, DRAWN_MAX)]
            kept.drawn = points
            kept.path.setPath(pg.arrayToQPath(points[:, 0], points[:, 1]) if len(points) else QPainterPath())
            kept.casing.setPath(kept.path.path())
            kept.path.setVisible(len(points) > 0)
            if len(points):
                kept.end.setPos(float(points[-1, 0]), float(points[-1, 1]))
            kept.end.setVisible(len(points) > 0)


__all__ = ["KeptPaths"]
