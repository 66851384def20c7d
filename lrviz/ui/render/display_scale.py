"""One scale for everything drawn in a window: fonts, markers, lines. View ▸ Zoom and presentation mode.

`set_display_scale(root, factor)` scales, relative to how they were built, the fonts of every
widget under `root` (through root's font, which children inherit) and, in every pyqtgraph
view under it, the tick and label fonts, marker sizes, pen widths and text items. The size each
thing had at factor 1 is remembered on the item itself the first time, so any factor can follow
any other and factor 1 restores the built sizes exactly. The views need no code for it: they
build their items once and update them with setData, which keeps sizes and pens.
"""

from __future__ import annotations

import re

import pyqtgraph as pg
from PySide6.QtGui import QFont, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractGraphicsShapeItem,
    QApplication,
    QGraphicsLineItem,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QWidget,
)

_BASE = "_lrviz_base"  # the attribute holding an object's sizes at factor 1


def _base(obj, make, key: str = ""):
    """The sizes `obj` had at factor 1 (recorded by `make()` the first time it is scaled); `key`
    tells apart the several sizes of one widget."""
    name = _BASE + key
    base = getattr(obj, name, None)
    if base is None:
        base = make()
        setattr(obj, name, base)
    return base


def _scaled_font(font: QFont, factor: float) -> QFont:
    scaled = QFont(font)
    if font.pointSizeF() > 0:
        scaled.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        scaled.setPixelSize(max(1, round(font.pixelSize() * factor)))
    return scaled


def _with_width(pen: QPen, width: float, factor: float) -> QPen:
    """`pen` (its colour as it is now: the theme may have changed it) at `width` × factor."""
    scaled = QPen(pen)
    scaled.setWidthF(width * factor if width > 0 and factor != 1 else (factor if factor != 1 else width))
    return scaled


def _size_in_points(size: str | None, default: float) -> float:
    match = re.fullmatch(r"\s*([0-9.]+)\s*pt\s*", size or "")
    return float(match.group(1)) if match else default


def display_scale(root: QWidget) -> float:
    return float(getattr(root, "_lrviz_display_scale", 1.0))


def set_display_scale(root: QWidget, factor: float) -> None:
    """Draw everything under `root` at `factor` times its built size (1: as built)."""
    factor = float(factor)
    root._lrviz_display_scale = factor
    app_font = QApplication.font()
    (base_font,) = _base(root, lambda: (QFont(root.font()) if root.testAttribute(_font_set()) else None,))
    root.setFont(_scaled_font(base_font or app_font, factor))
    for button in root.findChildren(QAbstractButton):
        if not button.icon().isNull():
            button.setIconSize(_base(button, lambda button=button: button.iconSize(), "_icon") * factor)
    for widget in root.findChildren(QWidget):
        if widget.styleSheet():  # a styled widget keeps the font it was polished with: set its own
            widget.setFont(_scaled_font(_base(widget, lambda widget=widget: QFont(widget.font()), "_font"), factor))
    for view in root.findChildren(pg.GraphicsView):
        _scale_scene(view.scene(), factor, app_font)


def _font_set():
    from PySide6.QtCore import Qt
    return Qt.WidgetAttribute.WA_SetFont


def _scale_scene(scene, factor: float, app_font: QFont) -> None:
    for item in scene.items():
        scale_item(item, factor, app_font)


def scale_item(item, factor: float, app_font: QFont | None = None) -> None:
    """One graphics item at `factor` times its built size (what set_display_scale does to each)."""
    if app_font is None:
        app_font = QApplication.font()
    if isinstance(item, pg.AxisItem):
        _scale_axis(item, factor, app_font)
    elif isinstance(item, pg.LabelItem):
        base = _base(item, lambda item=item: _size_in_points(item.opts.get("size"), app_font.pointSizeF()))
        item.setText(item.text, size=f"{base * factor:.2f}pt")
    elif isinstance(item, pg.ScatterPlotItem):
        size, width = _base(item, lambda item=item: (item.opts["size"], pg.mkPen(item.opts["pen"]).widthF()))
        item.setSize(size * factor)
        item.setPen(_with_width(pg.mkPen(item.opts["pen"]), width, factor))
    elif isinstance(item, pg.PlotDataItem):
        width, symbol_size = _base(item, lambda item=item: (pg.mkPen(item.opts["pen"]).widthF(),
                                                            item.opts["symbolSize"]))
        item.setPen(_with_width(pg.mkPen(item.opts["pen"]), width, factor))
        item.setSymbolSize(symbol_size * factor)
    elif isinstance(item, pg.InfiniteLine):
        width = _base(item, lambda item=item: item.pen.widthF())
        item.setPen(_with_width(item.pen, width, factor))
    elif isinstance(item, (QGraphicsSimpleTextItem, QGraphicsTextItem)):
        if isinstance(item.parentItem(), (pg.LabelItem, pg.AxisItem)):
            return  # sized by their owner's text size
        font = _base(item, lambda item=item: QFont(item.font()))
        item.setFont(_scaled_font(font, factor))
    elif isinstance(item, (QAbstractGraphicsShapeItem, QGraphicsLineItem)) and not isinstance(item, pg.GraphicsObject):
        width = _base(item, lambda item=item: item.pen().widthF())
        item.setPen(_with_width(item.pen(), width, factor))


def _scale_axis(axis: pg.AxisItem, factor: float, app_font: QFont) -> None:
    tick_font, label_size = _base(axis, lambda: (
        QFont(axis.style["tickFont"]) if axis.style.get("tickFont") is not None else None,
        _size_in_points(axis.labelStyle.get("font-size"), app_font.pointSizeF())))
    if factor == 1:
        axis.setStyle(tickFont=tick_font)
        if tick_font is None:
            axis.style["tickFont"] = None
    else:
        axis.setStyle(tickFont=_scaled_font(tick_font or app_font, factor))
    if axis.labelText or axis.labelUnits:
        style = dict(axis.labelStyle)
        style["font-size"] = f"{label_size * factor:.2f}pt"
        axis.setLabel(axis.labelText, axis.labelUnits, **style)
    axis.picture = None
    axis.update()


__all__ = ["display_scale", "scale_item", "set_display_scale"]
