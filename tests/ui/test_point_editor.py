"""The point editor under real mouse events, and the model drawn behind the points."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from lrviz.core.dataset import Dataset
from lrviz.ui.point_editor import PointEditor
from lrviz.ui.points_model import PointsModel
from lrviz.ui.style import probability_lut


@pytest.fixture
def editor(qtbot):
    model = PointsModel(Dataset([[-2.0, -2.0], [2.0, 2.0]], [0, 1]))
    widget = PointEditor(model)
    qtbot.addWidget(widget)
    widget.resize(600, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.view_box.setRange(xRange=(-4, 4), yRange=(-4, 4), padding=0)
    qtbot.wait(10)
    return widget


def _pixel(editor, x, y) -> QPoint:
    return editor.data_to_viewport(x, y).toPoint()


def _pixel_size(editor) -> float:
    (x0, x1), _ = editor.view_box.viewRange()
    return (x1 - x0) / editor.view_box.sceneBoundingRect().width()


def test_click_places_active_class_at_the_clicked_coordinate(qtbot, editor):
    model = editor._model
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=_pixel(editor, 1.0, -1.5))
    assert len(model.dataset) == 3
    x1, x2, label = model.dataset.point(2)
    tolerance = 1.5 * _pixel_size(editor)
    assert abs(x1 - 1.0) < tolerance and abs(x2 + 1.5) < tolerance and label == 0

    editor.set_active_class(1)
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=_pixel(editor, -1.0, 1.0))
    assert model.dataset.point(3)[2] == 1
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier,
                     pos=_pixel(editor, 0.5, 3.0))
    assert model.dataset.point(4)[2] == 0  # Shift places the other class


def test_drag_moves_a_point_in_one_undo_step(qtbot, editor):
    model = editor._model
    viewport = editor.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=_pixel(editor, 2.0, 2.0))
    for x in (2.5, 3.0, 3.2):
        qtbot.mouseMove(viewport, _pixel(editor, x, 1.0))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=_pixel(editor, 3.2, 1.0))
    x1, x2, label = model.dataset.point(1)
    tolerance = 1.5 * _pixel_size(editor)
    assert abs(x1 - 3.2) < tolerance and abs(x2 - 1.0) < tolerance and label == 1
    assert len(model.dataset) == 2
    assert model.undo_stack.count() == 1 and model.undo_stack.undoText() == "Move point"
    model.undo_stack.undo()
    assert model.dataset.point(1) == (2.0, 2.0, 1)


def test_right_click_and_ctrl_click_delete(qtbot, editor):
    model = editor._model
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.RightButton, pos=_pixel(editor, 2.0, 2.0) + QPoint(3, -2))
    assert len(model.dataset) == 1 and model.dataset.point(0)[2] == 0
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     pos=_pixel(editor, -2.0, -2.0))
    assert len(model.dataset) == 0
    model.undo_stack.undo()
    model.undo_stack.undo()
    assert model.dataset == Dataset([[-2.0, -2.0], [2.0, 2.0]], [0, 1])


def test_boundary_and_heatmap_follow_the_parameters(qtbot, editor):
    w, b = np.array([1.0, 2.0]), -1.0
    editor.set_parameters(w, b)
    qtbot.waitUntil(lambda: editor.boundary_points() is not None)
    p, q = editor.boundary_points()
    assert abs(w @ p + b) < 1e-9 and abs(w @ q + b) < 1e-9
    assert np.linalg.norm(p - q) > 4  # spans the view
    image = editor.heatmap_image()
    lut = probability_lut()
    # the class-1 side is vermillion-ish (red > blue), the class-0 side blue-ish
    (x0, x1), (y0, y1) = editor.view_box.viewRange()
    ny, nx = image.shape

    def colour_at(x, y):
        col = int((x - x0) / (x1 - x0) * nx)
        row = int((y - y0) / (y1 - y0) * ny)
        return lut[int(image[row, col] * (len(lut) - 1))]

    high, low = colour_at(3.0, 3.0), colour_at(-3.0, -3.0)
    assert high[0] > high[2] and low[2] > low[0]
    editor.set_parameters(None, None)
    qtbot.waitUntil(lambda: editor.heatmap_image() is None)
    assert editor.boundary_points() is None


@pytest.mark.parametrize("w, b", [([0.0, 0.0], 0.3), ([1e12, -1e12], 5.0), ([1e-300, 0.0], 1e300),
                                  ([1.0, 1.0], 1e9)])
def test_degenerate_parameters_draw_without_errors(qtbot, editor, w, b):
    editor.set_parameters(np.array(w), b)
    qtbot.wait(20)
    image = editor.heatmap_image()
    assert image is not None and np.all(np.isfinite(image))
    if w == [0.0, 0.0]:
        assert editor.boundary_points() is None
        assert np.allclose(image, 1 / (1 + np.exp(-0.3)))


@pytest.mark.parametrize("points", [[], [[1e6, -1e6]], [[5.0, 5.0]] * 3, [[1e6, 1e6], [-1e6, -1e6]]])
def test_fit_view_shows_every_point(qtbot, editor, points):
    labels = [0] * len(points)
    editor._model.replace(Dataset(np.array(points, dtype=float).reshape(-1, 2), labels))
    editor.fit_view()
    editor.set_parameters(np.array([1.0, 1.0]), 0.0)
    qtbot.wait(20)
    (x0, x1), (y0, y1) = editor.view_box.viewRange()
    assert x1 > x0 and y1 > y0
    for x, y in points:
        assert x0 <= x <= x1 and y0 <= y <= y1


def test_many_points_become_a_density_image(qtbot, editor):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(150_000, 2))
    editor._model.replace(Dataset(X, (X[:, 0] > 0).astype(int)))
    assert editor._density.isVisible()
    assert not any(s.isVisible() for s in editor._scatters)


def test_drag_on_empty_space_pans_and_places_nothing(qtbot, editor):
    viewport = editor.viewport()
    before = editor.view_box.viewRange()
    start = _pixel(editor, 0.0, 3.0)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        qtbot.mouseMove(viewport, start + QPoint(12 * step, 0))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start + QPoint(60, 0))
    assert len(editor._model.dataset) == 2
    after = editor.view_box.viewRange()
    assert after[0][0] < before[0][0] - 0.1  # the view moved left as the content moved right
