"""The docks hidden at start, as LazyDocks: their views' modules are imported, and the views
built, the first time the dock is shown (or the window's code asks for the view).

Kept out of main_window.py so that the window's layout code stays as it was; each function
returns the dock the window used to build itself, with the same object name.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMainWindow, QWidget

from lrviz.ui.lazy_dock import LazyDock
from lrviz.ui.render.display_scale import display_scale, set_display_scale
from lrviz.ui.render.theme import LIGHT, apply_theme, current_theme


def restyle_for(window: QMainWindow):
    """`on_built` for the window's lazy docks: a view built late gets the window's theme and scale."""

    def restyle(_widget: QWidget) -> None:
        theme = current_theme(window)
        if theme is not LIGHT:  # views are built light; both calls are idempotent
            apply_theme(window, theme)
        scale = display_scale(window)
        if scale != 1.0:
            set_display_scale(window, scale)

    return restyle


def landscape_dock(window, on_view: Callable[[QWidget], None] | None = None) -> LazyDock:
    """landscapeDock: the LandscapeView, its clicks asking the controller for a new start;
    `on_view(view)` adds what the window draws on it (the kept runs' paths)."""

    def build() -> QWidget:
        from lrviz.ui.plots.landscape_plot import LandscapeView

        view = LandscapeView(window.state)
        view.plot.startRequested.connect(lambda theta: window.controller.start_at(theta[:2], theta[2]))
        if on_view is not None:
            on_view(view)
        return view

    return LazyDock("Loss landscape", "landscapeDock", build, window, restyle_for(window))


def z_view_dock(window) -> LazyDock:
    """zViewDock: the sigmoidPlot (σ of every point's z)."""

    def build() -> QWidget:
        from lrviz.ui.plots.sigmoid_plot import SigmoidPlot

        plot = SigmoidPlot(window.state)
        plot.setMinimumSize(320, 220)
        return plot

    return LazyDock("The z View", "zViewDock", build, window, restyle_for(window))


def runs_dock(window) -> LazyDock:
    """runsDock: the RunsPanel, the kept and raced runs (window.kept) with their actions."""

    def build() -> QWidget:
        from lrviz.ui.panels.runs_panel import RunsPanel

        kept = window.kept
        panel = RunsPanel(kept.runs, [kept.keep_run_action, kept.race_action])
        panel.deleteRequested.connect(kept.delete)
        panel.renameRefused.connect(window.statusBar().showMessage)
        return panel

    return LazyDock("Runs", "runsDock", build, window, restyle_for(window))


__all__ = ["landscape_dock", "restyle_for", "runs_dock", "z_view_dock"]
