"""A dock whose contents are built the first time it is shown or asked for.

The landscape, the z view and the model-quality views start hidden; building them (and
importing their modules) at start cost about a fifth of the window's first paint. A
`LazyDock` is an empty QDockWidget at start, so its toggle action, its place in the window
and a saved dock layout work as before; `content()` builds the widget (once), which happens
when the dock is about to be shown, or when code asks for the view.

Whatever the window did to its views since it opened (the theme, the presentation scale)
must reach a view built later: the window passes `on_built`, called with the new widget.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDockWidget, QWidget


class LazyDock(QDockWidget):
    """A QDockWidget named `object_name`, filled by `build()` on first show or `content()`."""

    def __init__(self, title: str, object_name: str, build: Callable[[], QWidget], parent: QWidget,
                 on_built: Callable[[QWidget], None] | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(object_name)
        self._build, self._on_built = build, on_built
        self._content: QWidget | None = None

    @property
    def is_built(self) -> bool:
        return self._content is not None

    def content(self) -> QWidget:
        """The dock's widget, built now if it was not yet."""
        if self._content is None:
            self._content = self._build()
            self.setWidget(self._content)
            if self._on_built is not None:
                self._on_built(self._content)
        return self._content

    def setVisible(self, visible: bool) -> None:  # Qt's virtual: show(), the toggle action, restoreState
        if visible:
            self.content()
        super().setVisible(visible)


__all__ = ["LazyDock"]
