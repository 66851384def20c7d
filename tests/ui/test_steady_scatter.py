"""SteadyScatter keeps pyqtgraph's bounding rectangle only while it would not change: after
new data, new spot sizes, a zoom or a resize it is the one pyqtgraph computes."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from lrviz.ui.render.steady_scatter import SteadyScatter


def test_the_kept_rectangle_is_always_pyqtgraphs(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.show()
    qtbot.waitExposed(plot)
    steady, plain = SteadyScatter(size=11), pg.ScatterPlotItem(size=11)
    for item in (steady, plain):
        plot.addItem(item)

    def same() -> bool:
        plot.getPlotItem().getViewBox().updateMatrix()
        return steady.boundingRect() == plain.boundingRect()

    rng = np.random.default_rng(5)
    x = rng.normal(size=50)
    for item in (steady, plain):
        item.setData(x=x, y=np.arange(50.0))
    assert same() and steady.boundingRect().width() > 0
    before = steady.boundingRect()
    plot.getPlotItem().getViewBox().setRange(xRange=(-0.5, 0.5), yRange=(0, 5), padding=0)  # zoom in
    assert same() and steady.boundingRect() != before  # the pixel padding shrank in data units
    for item in (steady, plain):
        item.setSize(30)
    assert same()
    plot.resize(200, 500)
    qtbot.waitUntil(lambda: plot.width() == 200)
    assert same()
    for item in (steady, plain):
        item.setData(x=[3.0, 4.0], y=[7.0, 9.0])
    assert same()
    for item in (steady, plain):
        item.clear()
    assert same()
