"""Ctrl+V in the editor: rows of x1, x2, label copied from a spreadsheet become points (one undo step).

A spreadsheet copies cells as tab-separated lines. Each line is x1, x2 and a label: 0 or 1,
or one of the data set's two class names. A first line of names (a copied header) is left
out. Anything else is refused as a whole, with the line and what is wrong; nothing is added.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from lrviz.core.dataset import Dataset


class PasteError(ValueError):
    """Pasted text that is not rows of x1, x2, label; the message names the line."""


def parse_pasted_points(text: str, class_names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """(X (k, 2), y (k,)) of the pasted rows; PasteError naming the line for anything else."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    rows = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    points: list[tuple[float, float]] = []
    labels: list[int] = []
    for position, (number, line) in enumerate(rows):
        cells = [cell.strip() for cell in (line.split("\t") if "\t" in line else line.split(","))]
        while cells and cells[-1] == "":
            cells.pop()  # a trailing tab from the spreadsheet
        if len(cells) != 3:
            raise PasteError(f"pasted line {number}: expected 3 values (x1, x2, label), found {len(cells)}")
        try:
            x1, x2 = float(cells[0]), float(cells[1])
        except ValueError:
            if position == 0:
                continue  # a copied header row of names
            raise PasteError(f"pasted line {number}: {cells[0]!r} and {cells[1]!r} must be numbers") from None
        if not (np.isfinite(x1) and np.isfinite(x2)):
            raise PasteError(f"pasted line {number}: coordinates must be finite numbers")
        label = _label(cells[2], class_names)
        if label is None:
            raise PasteError(f"pasted line {number}: the label is {cells[2]!r}; it must be 0 or 1"
                             + (f", {class_names[0]!r} or {class_names[1]!r}" if class_names != ("0", "1") else ""))
        points.append((x1, x2))
        labels.append(label)
    if not points:
        raise PasteError("the clipboard holds no rows of x1, x2, label (tab-separated, as a spreadsheet copies)")
    return np.array(points, dtype=float), np.array(labels, dtype=np.int64)


def _label(cell: str, class_names: tuple[str, str]) -> int | None:
    if cell in class_names:
        return class_names.index(cell)
    try:
        value = float(cell)
    except ValueError:
        return None
    return int(value) if value in (0.0, 1.0) else None


def pasted_dataset(current: Dataset, text: str) -> Dataset:
    """`current` with the pasted rows appended (names kept); PasteError for text that is no points."""
    X, y = parse_pasted_points(text, current.class_names)
    return Dataset(np.vstack([current.X, X]), np.concatenate([current.y, y]),
                   feature_names=current.feature_names, class_names=current.class_names,
                   is_test=np.concatenate([current.is_test, np.zeros(len(y), dtype=bool)]))  # pasted points train


def install_paste(editor: QWidget, points, show_error: Callable[[str, str], None]) -> QShortcut:
    """Ctrl+V (the platform's Paste) in `editor` adds the clipboard's rows to `points` (a PointsModel)."""
    def paste() -> None:
        text = QGuiApplication.clipboard().text()
        try:
            dataset = pasted_dataset(points.dataset, text)
        except PasteError as error:
            show_error("Could not paste the points", f"{error}\n\nThe points are unchanged.")
            return
        added = len(dataset) - len(points.dataset)
        points.replace(dataset, f"Paste {added} point{'s' if added != 1 else ''}")

    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Paste), editor)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(paste)
    return shortcut


__all__ = ["PasteError", "install_paste", "parse_pasted_points", "pasted_dataset"]
