"""A feature map of many terms (degrees 2–5) fits the window: the side panel keeps its width
(the read-out's w in rows, every value in its tooltip), and the parameter plot's legend leaves
the plot its data area."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QComboBox, QWidget

from lrviz.core.dataset import default_dataset
from window_helpers import shown_window, side_panel_cut_off, train_to




def set_degree(qtbot, win, degree: int | str) -> None:
    """featuresCombo's choice of `degree` ("6+sin": with the sin terms), at epoch 0."""
    combo = win.findChild(QComboBox, "featuresCombo")
    combo.setCurrentIndex(combo.findData(str(degree)))
    assert combo.currentData() == str(degree)
    if len(win.run.history) > 1:  # the features apply at the next Reset
        win.controls.reset_button.click()
    number, sin = int(str(degree).split("+")[0]), "+sin" in str(degree)
    qtbot.waitUntil(lambda: (win.run.settings.degree, win.run.settings.sin) == (number, sin)
                    and len(win.run.history) == 1)


def side_fits(win) -> bool:
    side = win.side_area
    return (side.horizontalScrollBar().maximum() == 0 and side.widget().width() <= side.viewport().width()
            and side_panel_cut_off(win) == [])


@pytest.fixture
def window(qtbot):
    win = shown_window(qtbot, default_dataset())
    yield win
    win.close()


@pytest.mark.parametrize("degree", [1, 2, 3, 4, 5, 6, "6+sin"])
def test_the_side_panel_keeps_its_width_at_every_degree(qtbot, window, degree):
    opened = window.size()
    width = window.side_area.width()
    wanted = window.side_area.widget().minimumSizeHint().width()
    set_degree(qtbot, window, degree)
    train_to(qtbot, window, 12)
    for size in ((1360, 800), (1360, 820), (opened.width(), opened.height())):  # 1360 x 820: MainWindow's
        window.resize(*size)
        qtbot.waitUntil(lambda: side_fits(window))
        assert window.side_area.width() == width
        assert window.side_area.widget().minimumSizeHint().width() <= max(wanted, window.side_area.viewport().width())
        button = window.findChild(QWidget, "classButton1")  # the right edge the long w line pushed out
        assert button.mapTo(window, QPoint(button.width(), 0)).x() <= window.side_area.mapTo(
            window, QPoint(window.side_area.viewport().width(), 0)).x()


def shown_w(win) -> str:
    return win.readout.readout["w"].text()


def test_the_read_out_shows_every_weight_in_rows_and_names_each_in_its_tooltip(qtbot, window):
    set_degree(qtbot, window, 3)
    train_to(qtbot, window, 15)
    row = window.run.row(15)
    texts = [f"{v:.4g}" for v in row.w]
    assert len(texts) == 9  # and b: the 10 parameters of degree 3
    qtbot.waitUntil(lambda: window.readout.readout["epoch"].text() == "15")
    text = shown_w(window)
    assert text.count("\n") >= 1  # rows, not one line past the panel's edge
    assert text.replace("\n", "") == "(" + ", ".join(texts) + ")"  # the numbers as before, in order
    tip = window.readout.readout["w"].toolTip()
    assert "w points from class 0 toward class 1" in tip
    names = window.run.history.names
    for name, value in zip(names, texts, strict=False):
        assert f"{name} = {value}" in tip.splitlines()
    assert len([line for line in tip.splitlines() if line.startswith("w[")]) == 9


def test_back_at_degree_1_w_is_one_line_of_one_line_height(qtbot, window):
    train_to(qtbot, window, 5)
    one_line = window.readout.readout["w"].height()
    set_degree(qtbot, window, 4)
    train_to(qtbot, window, 10)
    qtbot.waitUntil(lambda: shown_w(window).count("\n") >= 2)
    assert window.readout.readout["w"].height() > one_line
    set_degree(qtbot, window, 1)
    train_to(qtbot, window, 14)
    qtbot.waitUntil(lambda: "\n" not in shown_w(window) and shown_w(window) != "–")
    row = window.run.row(window.state.shown_epoch)
    assert shown_w(window) == "(" + ", ".join(f"{v:.4g}" for v in row.w) + ")"
    assert window.readout.readout["w"].maximumHeight() == one_line  # fitted to one row again
    qtbot.waitUntil(lambda: window.readout.readout["w"].height() == one_line)  # once the panel is laid out


# -- the parameter plot's legend ---------------------------------------------------------------------------
def test_truncated_entries_keep_the_first_names_and_b():
    from lrviz.ui.plots.fitted_legend import _truncated

    assert _truncated(3, 8) == [0, 1, 2]
    assert _truncated(10, 6) == [0, 1, 2, 3, -1, 9]
    assert _truncated(10, 2) == [-1, 9] and _truncated(10, 1) == [-1]


def legend_fits(plot, strict: bool = True) -> bool:
    """The legend within a share of the plot's height, the data area within the plot's width, and
    (`strict`) every name shown within it too."""
    from lrviz.ui.plots.fitted_legend import HEIGHT_SHARE

    legend = plot._legend
    item = plot.getPlotItem()
    right = legend.mapRectToScene(legend.boundingRect()).right()
    names = [label for _, label in legend.items if label.isVisible()] + [legend._more] * legend._more.isVisible()
    names_right = max(label.mapRectToScene(label.item.mapRectToParent(label.item.boundingRect())).right()
                      for label in names)
    return (legend.height() <= HEIGHT_SHARE * plot.height() + 0.5 and right <= plot.width()
            and (names_right <= plot.width() or not strict)
            and item.width() <= plot.width() and item.getViewBox().height() >= 0.5 * plot.height())


@pytest.mark.parametrize("degree", [1, 2, 3, 4, 5, 6, "6+sin"])
def test_the_parameter_legend_leaves_the_plot_its_data_area(qtbot, window, degree):
    """With the model-quality dock shown (the plots some 200 px wide), at the window's size and
    at 1360 x 800: at most 30 % of the plot's height, within its width; every name is in the
    legend or, when the plot is too small for them all, in its tooltip."""
    set_degree(qtbot, window, degree)
    plot = window.params_plot
    names = window.run.history.names
    qtbot.waitUntil(lambda: tuple(plot._curves) == names)
    opened = window.size()
    window.quality.dock_action.trigger()
    qtbot.waitUntil(lambda: window.quality.dock.isVisible())
    for size in ((1360, 820), (1360, 800), (1600, 900), (opened.width(), opened.height())):
        window.resize(*size)
        qtbot.waitUntil(lambda: legend_fits(plot))
        legend = plot._legend
        assert [label.text for _, label in legend.items] == list(names)
        shown = legend.shown_names
        assert shown[-1] == "b" and shown[0] == names[0]
        if len(shown) == len(names):
            assert shown == list(names) and legend.toolTip() == ""
        else:
            more = shown[-2]
            hidden = len(names) - (len(shown) - 1)
            assert more == f"… {hidden} more" and shown[:-2] == list(names[:len(shown) - 2])
            assert all(name in legend.toolTip() for name in names)
            assert [label.isVisible() for _, label in legend.items].count(True) == len(shown) - 1


def test_degree_1_keeps_its_legend_of_one_row(qtbot, window):
    window.resize(1360, 820)
    legend = window.params_plot._legend
    qtbot.waitUntil(lambda: legend.columnCount == 3 and legend.rowCount == 1)
    assert legend.shown_names == ["w1", "w2", "b"] and legend.toolTip() == ""


def test_zoomed_in_the_side_panel_and_the_legend_still_fit(qtbot, window):
    set_degree(qtbot, window, 3)
    train_to(qtbot, window, 8)
    window.quality.dock_action.trigger()
    window.resize(1360, 820)
    plot = window.params_plot
    qtbot.waitUntil(lambda: legend_fits(plot) and side_fits(window))
    for _ in range(2):
        window.presentation.zoom_in_action.trigger()
    label = plot._legend.items[0][1]
    qtbot.waitUntil(lambda: label.opts["size"] != "9pt")  # the names in the zoomed type
    qtbot.waitUntil(lambda: legend_fits(plot) and side_fits(window))
    assert shown_w(window).replace("\n", "") == "(" + ", ".join(f"{v:.4g}" for v in window.run.row(8).w) + ")"
    window.presentation.zoom_reset_action.trigger()
    qtbot.waitUntil(lambda: label.opts["size"] in ("9pt", "9.00pt") and legend_fits(plot) and side_fits(window))


def test_a_legend_restyled_larger_is_fitted_again_before_it_is_painted(qtbot):
    """View ▸ Zoom scales the names (render/display_scale.scale_item) without resizing the plot:
    the legend, fitted for the old type, is fitted for the new one at the next paint."""
    from lrviz.core.features import FeatureMap
    from lrviz.ui.plots.params_plot import ParamsPlot
    from lrviz.ui.render.display_scale import scale_item
    from lrviz.ui.state import WindowState

    plot = ParamsPlot(WindowState(default_dataset()))
    qtbot.addWidget(plot)
    plot.resize(300, 400)
    plot.show()
    qtbot.waitExposed(plot)
    plot._set_columns(FeatureMap(3, False).parameter_names())
    qtbot.waitUntil(lambda: legend_fits(plot))
    rows = plot._legend.rowCount
    for item in plot.scene().items():
        scale_item(item, 1.8)
    plot.viewport().update()
    qtbot.waitUntil(lambda: legend_fits(plot) and plot._legend.rowCount < rows)  # fewer, larger rows
    plot.resize(150, 400)  # too narrow for a name in that type: the data area keeps the plot's width
    qtbot.waitUntil(lambda: legend_fits(plot, strict=False))
    shown = plot._legend.shown_names
    assert shown[-1] == "b" and shown[-2] == f"… {10 - len(shown) + 1} more"
    plot.close()
