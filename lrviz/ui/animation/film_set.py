"""Offscreen copies of the window's views, set to one epoch at a time, to be filmed.

The views the user sees are never moved: an animation is drawn by copies of them bound to a
private WindowState, whose run holds the source run's points, settings and history up to the
frame's epoch (rows are added as the frames go forward). So the curves grow frame by frame in
axes fixed to the whole filmed range, the editor shows that epoch's boundary in the view the
user had, and the window goes on answering (and even training) meanwhile. Qt paints only in
the GUI thread, so the frames are grabbed there; encoding them is another thread's job.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QVBoxLayout, QWidget

from lrviz.core.run import Run
from lrviz.ui.animation.view_copies import film_copy
from lrviz.ui.editor.point_editor import PointEditor
from lrviz.ui.plots.landscape_plot import LandscapeView
from lrviz.ui.plots.loss_plot import LossPlot
from lrviz.ui.plots.params_plot import ParamsPlot
from lrviz.ui.render.style import (
    BOUNDARY_COLOR,
    CLASS_COLORS,
    CURSOR_COLOR,
    LOSS_COLOR,
    PARAM_COLORS,
    probability_lut,
)
from lrviz.ui.state import WindowState

SUBJECTS = {
    "editor": "the editor alone",
    "editor_loss": "the editor and the loss plot",
    "views": "the whole window's views (editor, plots and every dock shown, as Export Window Image)",
}


class FilmSet:
    """The views to film, at `size` pixels, showing the source run's epoch `frame_at(epoch)` asks for.

    The editor shows every point (Fit View), or `view_range` ((x0, x1), (y0, y1)) when given.
    For "views", `placed` gives the window's views and their rectangles as Export Window Image
    lays them out (render/views_image.py `layout_of`); each is filmed as a copy (view_copies.py)
    at its place, scaled to `size`. Without it, the editor and both plots side by side.
    """

    def __init__(self, source: Run, last_epoch: int, subject: str, size: QSize,
                 view_range: tuple[tuple[float, float], tuple[float, float]] | None = None,
                 placed: Sequence[tuple[QWidget, QRect]] | None = None, threshold: float | None = None,
                 selected_point: int | None = None) -> None:
        if subject not in SUBJECTS:
            raise ValueError(f"the subject is one of {', '.join(SUBJECTS)}, not {subject!r}")
        history = source.history
        self._first, self._last = history.first_epoch, int(last_epoch)
        rows = slice(0, history.index_of(self._last) + 1)
        # The source's columns, read once (its α, λ and revision columns are expanded on each read).
        self._columns = (history.epochs[rows].copy(), history.theta[rows].copy(), history.loss[rows].copy(),
                         history.grad_norm[rows].copy(), history.learning_rate[rows].copy(),
                         history.l2[rows].copy(), history.data_revision[rows].copy())
        self.state = WindowState(source.points)
        run = self.state.run
        with run.events.points.blocked():
            run.take(source)
        run.truncate_after(self._first)
        self._held = self._first
        if threshold is not None:
            self.state.set_threshold(threshold)
        self.state.select_point(selected_point)
        self._show_held()
        self.widget = QWidget()
        self.widget.setObjectName("filmSet")
        self.widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.plots: list = []
        self.views: list[QWidget] = []  # every view filmed
        self._splitter: QSplitter | None = None
        self._size = QSize(size)
        canvas = QSize(size)
        if subject == "views" and placed and any(isinstance(w, PointEditor) for w, _ in placed):
            canvas = self._place(placed, size)
        else:
            self.editor = PointEditor(self.state)
            self._build(subject)
        self.widget.resize(canvas)
        if self._splitter is not None:
            # the parameter plot's legend needs ~310 px: with it, the editor gets half the width
            editor_width = size.width() // 2 if len(self.plots) > 1 else size.width() * 3 // 5
            self._splitter.setSizes([editor_width, size.width() - editor_width])
        self.widget.show()  # never on screen (WA_DontShowOnScreen), but laid out and sized like a shown window
        if self.widget.layout() is not None:
            self.widget.layout().activate()
        self.editor.fit_view()  # every point, in the film's own shape
        if view_range is not None:
            self.editor.view_box.setRange(xRange=view_range[0], yRange=view_range[1], padding=0.0)
        self._fix_plot_ranges()

    def _build(self, subject: str) -> None:
        layout = QHBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        if subject == "editor":
            layout.addWidget(self.editor)
            return
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.editor)
        column = QWidget()
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        self.plots.append(LossPlot(self.state))
        if subject == "views":
            self.plots.append(ParamsPlot(self.state))
        for plot in self.plots:
            column_layout.addWidget(plot)
        splitter.addWidget(column)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter)
        self._splitter = splitter

    def _place(self, placed: Sequence[tuple[QWidget, QRect]], size: QSize) -> QSize:
        """Copies of the window's views at their places; returns the size they are laid out at.

        That is `size` enlarged (same shape) until the views have at least their size on
        screen, so every view has room for its minimum size and texts; each frame is then
        scaled down to `size`, like a picture of the window made smaller.
        """
        bounds = placed[0][1]
        for _widget, rect in placed[1:]:
            bounds = bounds.united(rect)
        grow = max(1.0, bounds.width() / max(1, size.width()), bounds.height() / max(1, size.height()))
        size = QSize(round(size.width() * grow), round(size.height() * grow))
        sx, sy = size.width() / max(1, bounds.width()), size.height() / max(1, bounds.height())
        for widget, rect in placed:
            copy = film_copy(widget, self.state)
            copy.setParent(self.widget)
            left, top = round((rect.left() - bounds.left()) * sx), round((rect.top() - bounds.top()) * sy)
            right = round((rect.left() + rect.width() - bounds.left()) * sx)
            bottom = round((rect.top() + rect.height() - bounds.top()) * sy)
            copy.setGeometry(QRect(left, top, max(1, right - left), max(1, bottom - top)))
            self.views.append(copy)
            if isinstance(copy, PointEditor):
                self.editor = copy
        self.plots = ([v for v in self.views if isinstance(v, LossPlot)][:1]
                      + [v for v in self.views if isinstance(v, ParamsPlot)][:1])
        return size

    def _fix_plot_ranges(self) -> None:
        """Axes fixed to the whole filmed range, so the curves grow into a still frame."""
        epochs, theta, loss = self._columns[:3]
        ranges = [(float(loss.min()), float(loss.max()))]
        ranges.append((float(theta.min()), float(theta.max())))
        for plot, (low, high) in zip(self.plots, ranges):
            if not (np.isfinite(low) and np.isfinite(high)):
                continue
            if high <= low:
                low, high = low - 0.5, high + 0.5
            box = plot.getPlotItem().getViewBox()
            box.disableAutoRange()
            box.setRange(xRange=(float(epochs[0]), float(max(epochs[-1], epochs[0] + 1))),
                         yRange=(low, high), padding=0.04)

    def frame_at(self, epoch: int) -> QImage:
        """The views at `epoch` (≥ the epoch of the frame before), with the epoch written in a corner."""
        self._hold_until(int(epoch))
        self.state.clock.flush()
        self.editor.draw_model_now()
        QCoreApplication.sendPostedEvents()  # the plots' scene layouts follow their new sizes and data now
        image = self.widget.grab().toImage()
        size = self._size
        if image.size() != size:  # a high-DPI screen grabs more pixels, the window's views are laid out larger
            image = image.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
        image = image.convertToFormat(QImage.Format.Format_RGB888)
        _label(image, f"epoch {int(epoch):,}")
        return image

    def _hold_until(self, epoch: int) -> None:
        if epoch <= self._held:
            if epoch < self._held:
                self.state.run.truncate_after(epoch)
                self._held = epoch
                self._show_held()
            return
        start, stop = self._held - self._first + 1, epoch - self._first + 1
        epochs, theta, loss, norm, rate, l2, revision = (column[start:stop] for column in self._columns)
        self.state.run.append_epochs(epochs, theta, loss, norm, rate, l2, revision)
        self._held = epoch
        self._show_held()

    def _show_held(self) -> None:
        """The newest epoch held, shown as a selected epoch: every view then draws it at the next
        frame (while following training, the math panel, landscape and z view wait for slower
        frames)."""
        self.state.set_follow_latest(True)
        self.state.set_follow_latest(False)

    def close(self) -> None:
        for view in self.views:
            if isinstance(view, LandscapeView):
                view.plot.shutdown()
        self.widget.deleteLater()
        self.editor.setParent(self.widget)  # deleted with it
        self.state.deleteLater()


def _label(image: QImage, text: str) -> None:
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont()
        font.setPointSizeF(max(9.0, image.height() / 40))
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        box = QRect(0, 0, metrics.horizontalAdvance(text) + 12, metrics.height() + 6)
        box.moveBottomLeft(QPoint(8, image.height() - 8))
        painter.fillRect(box, QColor(255, 255, 255, 215))
        painter.setPen(QColor(30, 30, 30))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    finally:
        painter.end()


def film_palette() -> list[tuple[int, int, int]]:
    """256 colours for GIF frames: the views' own (greys, the Okabe–Ito colours of classes, curves
    and cursor) and the heatmap's whole scale, so nearest-colour mapping shows them all."""
    greys = [(v, v, v) for v in np.linspace(0, 255, 40).round().astype(int).tolist()]
    named = [CLASS_COLORS[0], CLASS_COLORS[1], BOUNDARY_COLOR, CURSOR_COLOR, LOSS_COLOR, *PARAM_COLORS.values()]
    scale = probability_lut(256 - len(greys) - len(named))[:, :3].tolist()
    return [tuple(colour) for colour in greys + named + scale]


def rgb_array(image: QImage) -> np.ndarray:
    """A (height, width, 3) uint8 copy of an RGB888 image (rows are padded to 4 bytes in Qt)."""
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    return data.reshape(height, image.bytesPerLine())[:, : width * 3].reshape(height, width, 3).copy()


__all__ = ["SUBJECTS", "FilmSet", "film_palette", "rgb_array"]
