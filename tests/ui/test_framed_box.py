"""FramedBox (render/framed_box.py) looks exactly like a QGroupBox, also after its title,
size, palette or enabled state change (its cached frame is then drawn again)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QWidget

from lrviz.ui.render.framed_box import FramedBox


def _box(cls, parent_layout) -> QGroupBox:
    box = cls("Shown epoch")
    form = QFormLayout(box)
    for k in range(4):
        form.addRow(QLabel(f"caption {k}"), QLabel(f"{k * 1234.5:,.1f}"))
    parent_layout.addWidget(box)
    return box


def test_the_cached_frame_looks_like_a_group_box(qtbot):
    top = QWidget()
    layout = QHBoxLayout(top)
    plain, framed = _box(QGroupBox, layout), _box(FramedBox, layout)
    qtbot.addWidget(top)
    top.resize(640, 180)
    top.show()
    qtbot.waitExposed(top)

    def same() -> bool:
        assert plain.size() == framed.size()
        return plain.grab().toImage() == framed.grab().toImage()

    assert same()
    for box in (plain, framed):
        box.setTitle("Shown epoch (newest: 1,000,000)")
    assert same()
    palette = QPalette(plain.palette())
    palette.setColor(QPalette.ColorRole.Window, QColor(40, 44, 52))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(220, 220, 220))
    for box in (plain, framed):
        box.setPalette(palette)  # a dark theme
    assert same()
    for box in (plain, framed):
        box.setEnabled(False)
    assert same()
    top.resize(500, 260)
    qtbot.waitUntil(lambda: framed.width() < 300)
    assert same()
    framed.setTitle("another title")
    assert not same()  # the check sees a difference
