"""SteadyLabel: every text it is given fits, its size only grows, a new font fits it again."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from lrviz.ui.render.steady_label import SteadyLabel


def _fits(label: SteadyLabel) -> bool:
    hint = QLabel.sizeHint(label)
    return label.minimumSize() == label.maximumSize() and hint.width() <= label.width() \
        and hint.height() <= label.height()


def test_every_text_fits_and_the_size_only_grows(qtbot):
    label = SteadyLabel("0")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # as the read-out's
    qtbot.addWidget(label)
    rng = np.random.default_rng(3)
    widths = []
    for _ in range(200):  # numbers of many widths, as a scrubbed read-out shows
        text = f"{rng.normal() * 10 ** rng.integers(0, 9):,.{rng.integers(0, 6)}f}"
        label.setText(text)
        assert label.text() == text and _fits(label), text
        widths.append(label.width())
    assert widths == sorted(widths) and widths[-1] > widths[0]
    label.setText("1\n2")  # two lines: taller
    assert _fits(label)


def test_a_narrower_text_keeps_the_size_and_a_new_font_fits_again(qtbot):
    label = SteadyLabel("1,000,000 / 1,000,000 (live)")
    qtbot.addWidget(label)
    wide = label.size()
    label.setText("7")
    assert label.size() == wide and _fits(label)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)  # View ▸ Zoom: fitted to "7" in the larger font
    assert _fits(label) and label.width() < wide.width() * 2
    label.setText("1,000,000 / 1,000,000 (live)")  # wider than anything in this font so far
    assert _fits(label) and label.width() > wide.width()


def test_refit_makes_it_smaller_again(qtbot):
    """A read-out's w of many rows (degree 4), then one row (degree 1): the label is one row high
    again (QLabel's hint is at least its minimum size, which held the rows' height)."""
    label = SteadyLabel("(1.33, 0.4345)")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    qtbot.addWidget(label)
    one_row = label.size()
    label.setText("(0.5, 0.25,\n 0.125, 0.0625,\n -1)")
    assert label.height() > one_row.height()
    label.setText("(1.33, 0.4345)")
    assert label.height() > one_row.height()  # only grows, until refitted
    label.refit()
    assert label.size() == one_row and _fits(label)


def test_rows_no_wider_and_no_more_than_fitted_ask_no_size_hint(qtbot, monkeypatch):
    """The read-out's w of a feature map changes at every step in the same rows: no relayout."""
    label = SteadyLabel("(0.5, 0.25,\n 0.125)")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    qtbot.addWidget(label)
    asked = []
    hint = QLabel.sizeHint
    monkeypatch.setattr(QLabel, "sizeHint", lambda self: asked.append(1) or hint(self))
    label.setText("(0.1, 0.2,\n 0.3)")
    label.setText("(0.1,\n 0.2)")
    assert asked == [] and _fits(label)
    asked.clear()
    height = label.height()
    label.setText("(0.1, 0.2,\n 0.3,\n 0.4)")  # a row more: fitted, taller
    assert asked and label.height() > height and _fits(label)
    label.setText("(0.5, 0.25, 0.125, 0.0625,\n 1)")  # a wider row: fitted, wider
    assert _fits(label)
