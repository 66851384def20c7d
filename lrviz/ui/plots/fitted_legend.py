"""The parameter plot's legend, fitted to the room above the plot: as many columns as its width
takes, never wider than the plot, and never taller than a share of its height.

A feature map of degree 3 names 10 parameters, of degree 5 21. In a plot some 200 px wide
(the model-quality dock shown) the legend of one name per row took ten rows, most of the
plot's height, and its widest row, wider than the plot, pushed the data area past the
plot's right edge. So the legend tries, in order:

1. the names in the fewest rows that fit the width (degree 1: one row of w1, w2 and b, as
   always), if that is at most `HEIGHT_SHARE` of the plot's height;
2. the same with less space between the columns (`COMPACT_SPACING`);
3. the rows the height allows, the first names, "… k more" and b; the legend's tooltip then
   names every parameter;
4. in a plot too narrow for even one name (zoomed in), the legend gives way: the name runs
   past the plot's edge, and the data area keeps the plot's width.

The names keep their type: its size is View ▸ Zoom's (render/display_scale.py, applied to
new items before their first paint by render/style_keeper.py), and a legend restyled so
is fitted again (`restyled`, asked before each paint).
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt

from lrviz.ui.plain_text import tooltip

HEIGHT_SHARE = 0.3  # the legend's most of the plot's height
NORMAL_SPACING, COMPACT_SPACING = 18, 6  # between a sample and its name, and between columns
MAX_COLUMNS = 8
_TEXT_COLOR = (40, 40, 40)


class FittedLegend(pg.LegendItem):
    """A LegendItem whose entries `fit(width, height)` places (pyqtgraph adds them to it)."""

    def __init__(self) -> None:
        super().__init__(colCount=MAX_COLUMNS, labelTextColor=_TEXT_COLOR, horSpacing=NORMAL_SPACING,
                         verSpacing=-6)
        self._more = pg.LabelItem("", color=_TEXT_COLOR, justify="left", size=self.opts["labelTextSize"])
        self._more.setParentItem(self)
        self._more.hide()
        self._fitted: tuple | None = None  # (width, height, the names' type size) of the last fit
        self._placed: list[object] = []  # the layout's items, as placed
        self.shown_names: list[str] = []  # the names in the legend now ("… k more" included)

    # -- fitting ---------------------------------------------------------------------------------------------
    def fit(self, width: float, height: float) -> None:
        """Place the entries within `width` (the plot's data width) and `HEIGHT_SHARE` of `height`."""
        if not self.items:
            return
        self._fitted = (width, height, self._type_size())
        budget = HEIGHT_SHARE * height
        for spacing in (NORMAL_SPACING, COMPACT_SPACING):
            self.layout.setHorizontalSpacing(spacing)
            columns = self._fewest_rows(width, budget)
            if columns is not None:
                self._place(list(range(len(self.items))), columns, 0, width)
                return
        self._place_truncated(width, budget)

    def _fewest_rows(self, width: float, height: float) -> int | None:
        n = len(self.items)
        for rows in range(1, n + 1):
            columns = math.ceil(n / rows)
            if columns > MAX_COLUMNS or math.ceil(n / columns) != rows:
                continue
            if self._height_of(rows) > height:
                return None
            if self._width_of(list(range(n)), columns) <= width:
                return columns
        return None

    def _place_truncated(self, width: float, height: float) -> None:
        """The rows `height` allows (at least one), the first names, "… k more" and b."""
        n = len(self.items)
        rows = 1
        while rows < n and self._height_of(rows + 1) <= height:
            rows += 1
        for columns in range(min(MAX_COLUMNS, n), 0, -1):
            entries = _truncated(n, columns * rows)
            if columns == 1 or self._width_of(entries, columns) <= width:
                self._place(entries, columns, n - len(entries) + 1, width)
                return

    def restyled(self) -> bool:
        """Whether the names' type changed since the last fit (View ▸ Zoom): fit it again."""
        return self._fitted is not None and bool(self.items) and self._type_size() != self._fitted[2]

    def _type_size(self) -> tuple:
        return tuple(label.opts.get("size") for _, label in self.items[:1]) + (self._more.opts.get("size"),)

    # -- measures (the grid's: a sample and a name per column, spacing between every two cells) --------------
    def _label_width(self, index: int) -> float:
        return self._more_width() if index < 0 else self.items[index][1].item.boundingRect().width()

    def _more_width(self) -> float:
        return self._more.item.boundingRect().width() if self._more.text else 0.0

    def _width_of(self, entries: list[int], columns: int) -> float:
        if any(index < 0 for index in entries):
            self._more.setText(f"… {len(self.items) - len(entries) + 1} more")
        left, _top, right, _bottom = self.layout.getContentsMargins()
        names = [max(self._label_width(entries[k]) for k in range(column, len(entries), columns))
                 for column in range(min(columns, len(entries)))]
        samples = max(sample.boundingRect().width() for sample, _ in self.items)
        cells = 2 * len(names)
        return left + right + sum(names) + samples * len(names) + self.layout.horizontalSpacing() * (cells - 1)

    def _height_of(self, rows: int) -> float:
        _left, top, _right, bottom = self.layout.getContentsMargins()
        sample, label = self.items[0]
        cell = max(sample.boundingRect().height(), label.item.boundingRect().height())
        return top + bottom + rows * cell + (rows - 1) * self.layout.verticalSpacing()

    # -- placing ---------------------------------------------------------------------------------------------
    def _place(self, entries: list[int], columns: int, hidden: int, width: float) -> None:
        """Entry k of `entries` (an index into items, or -1 for "… k more") at row k // columns; the
        legend no narrower than `width` asks for (a name wider than the plot runs past its edge
        rather than push the data area out of the view)."""
        for k in range(self.layout.count() - 1, -1, -1):
            self.layout.removeAt(k)
        shown = set(entries)
        for index, (sample, label) in enumerate(self.items):
            sample.setVisible(index in shown)
            label.setVisible(index in shown)
        self._placed = []
        for k, index in enumerate(entries):
            row, column = divmod(k, columns)
            if index < 0:
                self.layout.addItem(self._more, row, 2 * column + 1)
                self._placed.append(self._more)
                continue
            sample, label = self.items[index]
            self.layout.addItem(sample, row, 2 * column, alignment=Qt.AlignmentFlag.AlignVCenter)
            self.layout.addItem(label, row, 2 * column + 1)
            self._placed += [sample, label]
        if hidden:
            self._more.setText(f"… {hidden} more")
        self._more.setVisible(hidden > 0)
        self.columnCount, self.rowCount = columns, math.ceil(len(entries) / columns)
        self.shown_names = [self._more.text if index < 0 else self.items[index][1].text for index in entries]
        names = ", ".join(label.text for _, label in self.items)
        self.setToolTip(tooltip(f"{hidden} of the {len(self.items)} parameters are not named here (the plot "
                                f"is narrow); all of them: {names}" if hidden else ""))
        self.setMinimumWidth(min(self._width_of(entries, columns), max(width, 0.0)))
        self.updateGeometry()

    def updateSize(self) -> None:  # noqa: N802 (pyqtgraph's name)
        """The plot's layout sizes the legend (pyqtgraph's set a geometry from its entries' cells as
        they were before the layout ran: stale, and for a moment wider than the plot)."""
        self.updateGeometry()

    def _addItemToLayout(self, sample, label) -> None:  # noqa: N802 (pyqtgraph's name)
        """A new entry in a row of its own below the others (the fit places it next; pyqtgraph's
        own filled the first free cell of its columns, taken in a fitted grid)."""
        row = self.layout.rowCount()
        self.layout.addItem(sample, row, 0, alignment=Qt.AlignmentFlag.AlignVCenter)
        self.layout.addItem(label, row, 1)
        self._placed += [sample, label]

    def _removeItemFromLayout(self, *items) -> None:  # noqa: N802 (pyqtgraph's name)
        """pyqtgraph's, for entries the fit left out too (not in the layout: Qt would warn)."""
        for item in items:
            if item in self._placed:
                self._placed.remove(item)
                self.layout.removeItem(item)
            item.close()
            scene = item.scene()
            if scene:
                scene.removeItem(item)


def _truncated(n: int, capacity: int) -> list[int]:
    """The entries of n names in `capacity` cells: the first ones, -1 for "… k more", and the last (b)."""
    if capacity >= n:
        return list(range(n))
    if capacity <= 2:
        return [-1, n - 1][:max(capacity, 1)]
    return [*range(capacity - 2), -1, n - 1]


__all__ = ["HEIGHT_SHARE", "FittedLegend"]
