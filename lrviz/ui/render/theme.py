"""Light and dark: the window's palette and every view's colours, switched in one place.

The views are built in the light theme (style.py's colours). `apply_theme(root, DARK)` gives
`root` a dark Qt palette and, in every pyqtgraph view under it, a dark background, light
axes and text, light ink for the boundary, the arrow and the loss curve, light marker outlines
and a heatmap whose neutral middle (ŷ = 0.5) is dark grey. The class colours, shapes and the
curves' colours stay the Okabe–Ito ones, safe for colour-blind eyes in both themes. Each item
remembers the colours it was built with, so `apply_theme(root, LIGHT)` restores them exactly,
and sizes (display_scale.py) and colours can change in any order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractGraphicsShapeItem,
    QApplication,
    QGraphicsLineItem,
    QGraphicsSimpleTextItem,
    QWidget,
)

from lrviz.ui.render.heatmap_item import ProbabilityImage
from lrviz.ui.render.style import BOUNDARY_COLOR, LOSS_COLOR, probability_lut

_COLOURS = "_lrviz_light_colours"  # the attribute holding an item's colours as built (light)
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Theme:
    name: str
    background: str  # the views' background
    ink: dict[RGB, RGB] = field(default_factory=dict)  # light colour as built → this theme's
    neutral: RGB | None = None  # the heatmap's ŷ = 0.5 colour (None: as built)
    palette_dark: bool = False

    def colour(self, colour: QColor) -> QColor:
        mapped = self.ink.get((colour.red(), colour.green(), colour.blue()))
        if mapped is None:
            return QColor(colour)
        result = QColor(*mapped)
        result.setAlpha(colour.alpha())
        return result


LIGHT = Theme("light", "w")
DARK = Theme("dark", "#1e1f22", palette_dark=True, neutral=(52, 54, 58), ink={
    BOUNDARY_COLOR: (236, 236, 236), LOSS_COLOR: (236, 236, 236),  # boundary, arrow, loss curve
    (25, 25, 25): (235, 235, 235),  # marker outlines
    (50, 50, 50): (215, 215, 215), (60, 60, 60): (215, 215, 215), (51, 51, 51): (215, 215, 215),  # text
    (150, 150, 150): (120, 122, 128), (120, 120, 120): (150, 150, 150),  # axes, the zero line
    (255, 255, 255): (30, 31, 34),  # the arrow label's backing
})
THEMES = {"light": LIGHT, "dark": DARK}


def system_theme() -> Theme:
    """The system's colour scheme (Qt's styleHints), light when it does not say."""
    return DARK if QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark else LIGHT


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, "#2b2d31"), (roles.WindowText, "#e6e6e6"), (roles.Base, "#1e1f22"),
                         (roles.AlternateBase, "#2b2d31"), (roles.ToolTipBase, "#2b2d31"),
                         (roles.ToolTipText, "#e6e6e6"), (roles.PlaceholderText, "#9a9a9a"), (roles.Text, "#e6e6e6"),
                         (roles.Button, "#3a3c42"), (roles.ButtonText, "#e6e6e6"), (roles.BrightText, "#ff6b6b"),
                         (roles.Highlight, "#56b4e9"), (roles.HighlightedText, "#111111"), (roles.Link, "#56b4e9"),
                         (roles.Light, "#4a4c52"), (roles.Midlight, "#3f4147"), (roles.Mid, "#33353a"),
                         (roles.Dark, "#18191c"), (roles.Shadow, "#000000")):
        palette.setColor(role, QColor(colour))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


def current_theme(root: QWidget) -> Theme:
    return getattr(root, "_lrviz_theme", LIGHT)


def apply_theme(root: QWidget, theme: Theme) -> None:
    """Colour `root` (its widgets and every pyqtgraph view under it) in `theme`."""
    root._lrviz_theme = theme
    root.setPalette(dark_palette() if theme.palette_dark else QApplication.palette())
    for widget in root.findChildren(QWidget):
        sheet = widget.styleSheet()
        if sheet:  # palette(...) in a style sheet is read when it is set: read it again
            widget.setStyleSheet("")
            widget.setStyleSheet(sheet)
    for view in root.findChildren(pg.GraphicsView):
        if isinstance(view, pg.PlotWidget):
            view.setBackground(theme.background)
        for item in view.scene().items():
            colour_item(item, theme)


def _built(item, make):
    colours = getattr(item, _COLOURS, None)
    if colours is None:
        colours = make()
        setattr(item, _COLOURS, colours)
    return colours


def _pen(pen: QPen, built: QColor, theme: Theme) -> QPen:
    themed = QPen(pen)
    themed.setColor(theme.colour(built))
    return themed


def colour_item(item, theme: Theme) -> None:
    """One graphics item in `theme`'s colours (what apply_theme does to each)."""
    if isinstance(item, pg.AxisItem):
        line, text, label = _built(item, lambda: (QColor(item.pen().color()), QColor(item.textPen().color()),
                                                  item.labelStyle.get("color")))
        item.setPen(_pen(item.pen(), line, theme))
        item.setTextPen(_pen(item.textPen(), text, theme))
        if item.labelText or item.labelUnits:
            style = dict(item.labelStyle)
            style["color"] = theme.colour(QColor(label or text)).name()
            item.setLabel(item.labelText, item.labelUnits, **style)
    elif isinstance(item, pg.LabelItem):  # titles and legend entries: light text on dark
        (colour,) = _built(item, lambda: (item.opts.get("color"),))
        item.setText(item.text, color=colour if theme is LIGHT else "#d7d7d7")
    elif isinstance(item, pg.ScatterPlotItem):
        (outline,) = _built(item, lambda: (QColor(pg.mkPen(item.opts["pen"]).color()),))
        item.setPen(_pen(pg.mkPen(item.opts["pen"]), outline, theme))
    elif isinstance(item, pg.PlotDataItem):
        line, symbol = _built(item, lambda: (QColor(pg.mkPen(item.opts["pen"]).color()),
                                             QColor(pg.mkBrush(item.opts["symbolBrush"]).color())))
        item.setPen(_pen(pg.mkPen(item.opts["pen"]), line, theme))
        item.setSymbolBrush(theme.colour(symbol))
        item.setSymbolPen(_pen(pg.mkPen(item.opts["symbolPen"]), line, theme))
    elif isinstance(item, pg.InfiniteLine):
        (line,) = _built(item, lambda: (QColor(item.pen.color()),))
        item.setPen(_pen(item.pen, line, theme))
    elif isinstance(item, ProbabilityImage):
        (lut,) = _built(item, lambda: (item.lut(),))
        item.set_lut(lut if theme.neutral is None else probability_lut(neutral=theme.neutral))
    elif isinstance(item, QGraphicsSimpleTextItem):
        (brush,) = _built(item, lambda: (QColor(item.brush().color()),))
        item.setBrush(QBrush(theme.colour(brush)))
    elif isinstance(item, (QAbstractGraphicsShapeItem, QGraphicsLineItem)) and not isinstance(item, pg.GraphicsObject):
        if isinstance(item, QAbstractGraphicsShapeItem):
            line, fill = _built(item, lambda: (QColor(item.pen().color()), QColor(item.brush().color())))
            brush = QBrush(item.brush())
            if brush.style() != Qt.BrushStyle.NoBrush:
                brush.setColor(theme.colour(fill))
                item.setBrush(brush)
        else:
            (line,) = _built(item, lambda: (QColor(item.pen().color()),))
        item.setPen(_pen(item.pen(), line, theme))


__all__ = ["DARK", "LIGHT", "THEMES", "Theme", "apply_theme", "colour_item", "current_theme", "dark_palette",
           "system_theme"]
