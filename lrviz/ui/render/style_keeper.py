"""New items and views get the window's theme and zoom at once, not at the next change.

`apply_theme` (theme.py) and `set_display_scale` (display_scale.py) style what exists when
they run. A view that adds an item later (the loss plot's legend once a test set appears,
the halos and arrows of the pull layer, a curve per parameter of a new feature map) or a
view made later (a dock) was drawn light and at the built size until the next change of
theme or zoom. A StyleKeeper on the window closes that gap:

- before each paint of a pyqtgraph view (its scene's `sigPrepareForPaint`), every item not
  yet styled for the window's (theme, scale) is styled, so a new item is never painted
  otherwise;
- a view added under the window (a child added to it, or a scan asked for) gets the
  theme's background and its items styled, and is watched from then on.

In the light theme at scale 1, what every item is built with, it does nothing.
"""

from __future__ import annotations

import weakref

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from lrviz.ui.render.display_scale import display_scale, scale_item
from lrviz.ui.render.theme import LIGHT, colour_item, current_theme

_STYLED = "_lrviz_styled_for"  # the (theme, scale) an item was last styled for
_KEEPER = "_lrviz_style_keeper"


def keep_styled(root: QWidget) -> StyleKeeper:
    """The StyleKeeper of `root` (made the first time), after a scan of its views."""
    keeper = getattr(root, _KEEPER, None)
    if keeper is None:
        keeper = StyleKeeper(root)
        setattr(root, _KEEPER, keeper)
    keeper.scan()
    return keeper


class StyleKeeper(QObject):
    """Styles new items and views under `root` for root's current theme and display scale."""

    def __init__(self, root: QWidget) -> None:
        super().__init__(root)
        self._root = root
        self._views: list[pg.GraphicsView] = []
        self._key: tuple[str, float] = ("light", 1.0)  # the root's (theme, scale), read at each scan
        self._plain = True
        self._later = QTimer(self)  # a child added: scan once the event loop is free
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.scan)
        root.installEventFilter(self)

    def key(self) -> tuple[str, float]:
        """The (theme, scale) items are styled for: the root's at the last scan (keep_styled runs
        one after each change; a theme applied for a moment, as around an export, is not kept)."""
        return self._key

    def is_plain(self) -> bool:
        """Light at scale 1: every item is already as built."""
        return self._plain

    def scan(self) -> None:
        """Watch every pyqtgraph view under root; style the new ones now.

        Called right after each change of theme or zoom (keep_styled), which styled every item
        there was: those are marked as styled for the new (theme, scale), not styled twice.
        """
        old_key = self._key
        self._theme, scale = current_theme(self._root), display_scale(self._root)
        self._key, self._scale = (self._theme.name, scale), scale
        self._plain = self._theme is LIGHT and scale == 1.0
        views = self._root.findChildren(pg.GraphicsView)
        known = {id(view) for view in self._views}
        if self._key != old_key:
            for view in self._views:
                setattr(view, _STYLED, self._key)
                for item in view.scene().items():
                    setattr(item, _STYLED, self._key)
        for view in views:
            if id(view) not in known:
                # a weak reference: a strong one (scene → slot → view) would be a cycle that only
                # Python's cyclic GC frees, at any moment (see gil_free_paint)
                ref = weakref.ref(view)
                view.scene().sigPrepareForPaint.connect(lambda ref=ref: self._before_paint(ref))
                self.style_view(view)
        self._views = views

    def _before_paint(self, ref: weakref.ref) -> None:
        view = ref()
        if view is not None:
            self.style_view(view)

    def style_view(self, view: pg.GraphicsView) -> None:
        """The view's background and every item not yet styled for the current theme and scale."""
        if self.is_plain():
            return
        key, theme, scale = self._key, self._theme, self._scale
        if getattr(view, _STYLED, None) != key:
            if isinstance(view, pg.PlotWidget):
                view.setBackground(theme.background)
            setattr(view, _STYLED, key)
        for item in view.scene().items():
            if getattr(item, _STYLED, None) != key:
                setattr(item, _STYLED, key)
                scale_item(item, scale)
                colour_item(item, theme)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ChildAdded and not self._later.isActive():
            self._later.start()
        return False


__all__ = ["StyleKeeper", "keep_styled"]
