"""The linear heatmap at the screen's pixels (render/pixel_ramp.py): every pixel has the colour
of ŷ at its centre (to one colour step), in both orientations, for any parameters, and the
editor draws it as a plain copy (one image pixel per device pixel)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QTransform

from lrviz.core.dataset import Dataset
from lrviz.core.model import sigmoid
from lrviz.ui.render.pixel_ramp import linear_ramp
from lrviz.ui.render.style import probability_lut

LUT = probability_lut()[:, :3].astype(np.uint32)
LUT32 = (0xFF000000 | (LUT[:, 0] << 16) | (LUT[:, 1] << 8) | LUT[:, 2]).astype(np.uint32)
VIEW = (-4.0, 3.0, -2.5, 5.0)
DEVICE = QRectF(38.4, 10.7, 301.2, 200.5)  # not on whole pixels: the image covers it with whole ones


def _unit(w1: float, w2: float, b: float) -> tuple[float, float, float, float]:
    s = max(abs(w1), abs(w2), abs(b))
    return (w1 / s, w2 / s, b / s, s) if s else (0.0, 0.0, 0.0, 0.0)


def _exact(ramp, w1: float, w2: float, b: float) -> np.ndarray:
    """ŷ at the centre of every pixel of the ramp's image, from its transform (data of a pixel corner)."""
    t = ramp.transform
    columns, rows = np.meshgrid(np.arange(ramp.width) + 0.5, np.arange(ramp.height) + 0.5)
    x = t.m11() * columns + t.m21() * rows + t.dx()
    y = t.m12() * columns + t.m22() * rows + t.dy()
    return sigmoid(w1 * x + w2 * y + b)


@pytest.mark.parametrize("w1, w2, b", [(1.0, 0.4, -0.5), (0.3, -1.2, 0.8), (-2.0, 2.0, 0.0), (40.0, 3.0, 1.0)])
def test_every_pixel_has_the_colour_of_its_centre(w1, w2, b):
    ramp = linear_ramp(_unit(w1, w2, b), VIEW, DEVICE)
    dx, dy = (VIEW[1] - VIEW[0]) / DEVICE.width(), (VIEW[3] - VIEW[2]) / DEVICE.height()  # data a pixel
    assert ramp.by_rows == (abs(w1) * dx >= abs(w2) * dy)  # rows run along the axis where z changes faster
    pixels = ramp.pixels(LUT32)
    assert pixels.shape == (ramp.height, ramp.width) == (212 - 10, 340 - 38) and pixels.flags.c_contiguous
    # the colour shown is that of ŷ within 1/16 pixel of the centre: its own step, or a near one
    step = np.rint(_exact(ramp, w1, w2, b) * 255).astype(int)
    first = {int(v): k for k, v in reversed(list(enumerate(LUT32)))}  # a colour's lowest step
    last = {int(v): k for k, v in enumerate(LUT32)}
    low = np.vectorize(first.get)(pixels)
    high = np.vectorize(last.get)(pixels)
    slope = (abs(w1) * dx + abs(w2) * dy) / 16  # |Δz| over 1/16 pixel, at most
    reach = 1 + int(np.ceil(255 * slope / 4))  # σ' ≤ ¼
    assert np.all((low - reach <= step) & (step <= high + reach))
    assert np.mean((low <= step) & (step <= high)) > 0.9
    # the image covers the device rectangle with whole pixels, its corner on a whole pixel
    corner = ramp.transform.inverted()[0].map(VIEW[0], VIEW[3])
    assert 0.0 <= corner[0] < 1.0 and 0.0 <= corner[1] < 1.0


def test_a_zero_model_is_one_colour_and_a_huge_one_saturates_without_warnings():
    flat = linear_ramp(_unit(0.0, 0.0, 0.0), VIEW, DEVICE).pixels(LUT32)
    assert np.all(flat == LUT32[128])
    with np.errstate(all="raise"):
        steep = linear_ramp(_unit(1e300, -1e300, 0.0), VIEW, DEVICE).pixels(LUT32)
    assert set(np.unique(steep)) <= {LUT32[0], LUT32[-1], LUT32[128]} and len(np.unique(steep)) >= 2


def test_not_finite_or_empty_views_give_no_ramp():
    assert linear_ramp(_unit(1.0, 1.0, 0.0), (-1e308, 1e308, -1.0, 1.0), DEVICE) is None  # its width overflows
    assert linear_ramp(_unit(1.0, 1.0, 0.0), VIEW, QRectF(5.0, 5.0, 0.0, 10.0)) is None
    assert linear_ramp(_unit(1.0, 1.0, 0.0), VIEW, QRectF(0.0, 0.0, 1e5, 1e5)) is None  # too many pixels


def test_the_editor_draws_its_heatmap_one_pixel_per_device_pixel(qtbot):
    from lrviz.ui.editor.point_editor import PointEditor
    from lrviz.ui.state import WindowState

    editor = PointEditor(WindowState(Dataset([[-2.0, -2.0], [2.0, 2.0]], [0, 1])))
    qtbot.addWidget(editor)
    editor.resize(640, 480)
    editor.show()
    qtbot.waitExposed(editor)
    editor.set_parameters(np.array([0.7, 1.9]), -0.3)
    editor.draw_model_now()
    device = editor._heatmap.deviceTransform(editor.viewportTransform())
    assert device.type().value <= QTransform.TransformationType.TxTranslate.value  # a copy, not a scaled draw
    assert device.dx() == pytest.approx(round(device.dx()), abs=1e-6)  # on whole pixels
    box = editor.view_box.mapRectToScene(editor.view_box.rect())
    size = editor._heatmap.pixmap().size()
    assert abs(size.width() - box.width()) <= 1 and abs(size.height() - box.height()) <= 1
    assert max(editor.heatmap_image().shape) == 200  # the numbers stay the grid's
