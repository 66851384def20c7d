"""The point editor under real mouse events, and the model drawn behind the points.

Clicks go to the viewport at the pixel of a data coordinate. Mouse moves are sent as
QMouseEvent objects with the left button held, as a real drag delivers them (QTest.mouseMove
does not promise the held buttons to every Qt version).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from lrviz.core.dataset import Dataset
from lrviz.core.model import sigmoid
from lrviz.ui.editor.point_editor import ARROW_PX, DENSITY_THRESHOLD, VIEW_LIMIT, PointEditor
from lrviz.ui.state import WindowState
from lrviz.ui.render.style import BOUNDARY_COLOR, CLASS_COLORS, probability_lut

LEFT, RIGHT = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton
NO_BUTTON = Qt.MouseButton.NoButton
SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier
NO_MODIFIER = Qt.KeyboardModifier.NoModifier
START = Dataset([[-2.0, -2.0], [2.0, 2.0]], [0, 1])


def _show(qtbot, dataset: Dataset) -> PointEditor:
    widget = PointEditor(WindowState(dataset.copy()))
    qtbot.addWidget(widget)
    widget.resize(600, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def editor(qtbot):
    widget = _show(qtbot, START)
    widget.view_box.setRange(xRange=(-4, 4), yRange=(-4, 4), padding=0)
    qtbot.wait(1)
    return widget


def _pixel(editor, x, y) -> QPoint:
    return editor.data_to_viewport(x, y).toPoint()


def _pixel_size(editor) -> float:
    (x0, x1), _ = editor.view_box.viewRange()
    return (x1 - x0) / editor.view_box.sceneBoundingRect().width()


def _send(editor, kind: QEvent.Type, pos: QPoint, button=NO_BUTTON, buttons=LEFT, modifiers=NO_MODIFIER):
    viewport = editor.viewport()
    local = QPointF(pos)
    event = QMouseEvent(kind, local, QPointF(viewport.mapToGlobal(pos)), button, buttons, modifiers)
    QApplication.sendEvent(viewport, event)


def _drag(qtbot, editor, start: QPoint, path: list[QPoint], end: QPoint | None = None) -> None:
    """Press at start, move along path with the left button held, release at end (or the path's last)."""
    qtbot.mousePress(editor.viewport(), LEFT, pos=start)
    for pos in path:
        _send(editor, QEvent.Type.MouseMove, pos)
    qtbot.mouseRelease(editor.viewport(), LEFT, pos=end if end is not None else path[-1])


def _no_warnings(qtbot, action) -> None:
    """Run action and let the throttled redraw happen; any Python warning fails."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        action()
        qtbot.wait(5)
    assert [str(w.message) for w in caught] == []


# -- placing, moving and deleting points ----------------------------------------------------------
def test_click_places_active_class_at_the_clicked_coordinate(qtbot, editor):
    model = editor.model
    qtbot.mouseClick(editor.viewport(), LEFT, pos=_pixel(editor, 1.0, -1.5))
    assert len(model.dataset) == 3
    x1, x2, label = model.dataset.point(2)
    tolerance = 1.5 * _pixel_size(editor)
    assert abs(x1 - 1.0) < tolerance and abs(x2 + 1.5) < tolerance and label == 0

    state = editor._state
    with qtbot.waitSignal(state.activeClassChanged) as signal:
        state.set_active_class(1)
    assert signal.args == [1] and editor.active_class == 1
    qtbot.mouseClick(editor.viewport(), LEFT, pos=_pixel(editor, -1.0, 1.0))
    assert model.dataset.point(3)[2] == 1
    qtbot.mouseClick(editor.viewport(), LEFT, SHIFT, pos=_pixel(editor, 0.5, 3.0))
    x1, x2, label = model.dataset.point(4)
    assert label == 0  # Shift places the other class
    assert abs(x1 - 0.5) < tolerance and abs(x2 - 3.0) < tolerance
    assert [model.undo_stack.text(i) for i in range(3)] == ["Add point"] * 3
    with pytest.raises(ValueError):
        state.set_active_class(2)


def test_a_double_click_on_empty_space_places_one_point(qtbot, editor):
    # What Qt delivers for a double click: press, release, double-click (the second press), release.
    pos = _pixel(editor, -1.0, 2.5)
    _send(editor, QEvent.Type.MouseButtonPress, pos, LEFT, LEFT)
    _send(editor, QEvent.Type.MouseButtonRelease, pos, LEFT, NO_BUTTON)
    _send(editor, QEvent.Type.MouseButtonDblClick, pos, LEFT, LEFT)
    _send(editor, QEvent.Type.MouseButtonRelease, pos, LEFT, NO_BUTTON)
    assert len(editor.model.dataset) == 3
    qtbot.mouseClick(editor.viewport(), LEFT, pos=_pixel(editor, 1.0, -2.5))
    assert len(editor.model.dataset) == 4  # the next click is a click again


def test_drag_moves_a_point_live_and_is_one_undo_step(qtbot, editor):
    model = editor.model
    viewport = editor.viewport()
    qtbot.mousePress(viewport, LEFT, pos=_pixel(editor, 2.0, 2.0))
    for x in (2.5, 3.0, 3.2):
        _send(editor, QEvent.Type.MouseMove, _pixel(editor, x, 1.0))
    tolerance = 1.5 * _pixel_size(editor)
    live = model.dataset.point(1)
    assert abs(live[0] - 3.2) < tolerance and abs(live[1] - 1.0) < tolerance  # follows the mouse...
    assert model.undo_stack.count() == 0  # ...without undo steps
    drawn_x, drawn_y = editor._drag_marker.getData()
    assert (drawn_x[0], drawn_y[0]) == live[:2]
    qtbot.mouseRelease(viewport, LEFT, pos=_pixel(editor, 3.2, 1.0))
    x1, x2, label = model.dataset.point(1)
    assert abs(x1 - 3.2) < tolerance and abs(x2 - 1.0) < tolerance and label == 1
    assert len(model.dataset) == 2
    assert model.undo_stack.count() == 1 and model.undo_stack.undoText() == "Move point"
    model.undo_stack.undo()
    assert model.dataset == START
    model.undo_stack.redo()
    assert model.dataset.point(1) == (x1, x2, 1)


def test_a_point_grabbed_off_centre_moves_by_the_mouse_movement(qtbot, editor):
    grab = _pixel(editor, 2.0, 2.0) + QPoint(4, -3)
    shift = QPoint(50, 30)
    _drag(qtbot, editor, grab, [grab + shift / 2, grab + shift])
    x1, x2, _ = editor.model.dataset.point(1)
    pixel = _pixel_size(editor)
    # no jump by the (4, -3) pixels between the grab and the point's centre
    assert abs(x1 - (2.0 + 50 * pixel)) < 0.5 * pixel and abs(x2 - (2.0 - 30 * pixel)) < 0.5 * pixel


def test_a_click_on_a_point_changes_nothing(qtbot, editor):
    qtbot.mouseClick(editor.viewport(), LEFT, pos=_pixel(editor, 2.0, 2.0) + QPoint(2, 1))
    assert editor.model.dataset == START and editor.model.undo_stack.count() == 0


def test_an_edit_during_a_drag_ends_it_without_losing_track(qtbot, editor):
    model = editor.model
    model.add_point(0.0, 3.0, 0)
    start = _pixel(editor, 2.0, 2.0)
    qtbot.mousePress(editor.viewport(), LEFT, pos=start)
    _send(editor, QEvent.Type.MouseMove, start + QPoint(40, 40))
    model.undo_stack.undo()  # e.g. Ctrl+Z with the mouse still down
    assert model.dataset == START  # the dragged point is back, the added one gone
    _send(editor, QEvent.Type.MouseMove, start + QPoint(80, 40))
    qtbot.mouseRelease(editor.viewport(), LEFT, pos=start + QPoint(80, 40))
    assert model.dataset == START and model.undo_stack.index() == 0
    model.undo_stack.redo()
    assert len(model.dataset) == 3 and model.dataset.point(1) == (2.0, 2.0, 1)


def test_right_click_and_ctrl_click_delete_without_a_menu(qtbot, editor):
    model = editor.model
    qtbot.mouseClick(editor.viewport(), RIGHT, pos=_pixel(editor, 2.0, 2.0) + QPoint(3, -2))
    assert model.dataset == Dataset([[-2.0, -2.0]], [0])
    assert QApplication.activePopupWidget() is None
    qtbot.mouseClick(editor.viewport(), RIGHT, pos=_pixel(editor, 1.0, -3.0))  # empty space
    assert QApplication.activePopupWidget() is None and len(model.dataset) == 1
    qtbot.mouseClick(editor.viewport(), LEFT, CTRL, pos=_pixel(editor, 0.0, 3.0))  # empty space: nothing
    assert len(model.dataset) == 1
    qtbot.mouseClick(editor.viewport(), LEFT, CTRL, pos=_pixel(editor, -2.0, -2.0))
    assert len(model.dataset) == 0
    assert [model.undo_stack.text(i) for i in range(model.undo_stack.count())] == ["Delete point"] * 2
    centre = editor.viewport().rect().center()
    menu_request = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, centre, editor.viewport().mapToGlobal(centre))
    QApplication.sendEvent(editor.viewport(), menu_request)
    assert QApplication.activePopupWidget() is None
    model.undo_stack.undo()
    model.undo_stack.undo()
    assert model.dataset == START
    model.undo_stack.redo()
    assert model.dataset == Dataset([[-2.0, -2.0]], [0])


def test_drag_on_empty_space_pans_and_places_nothing(qtbot, editor):
    before = editor.view_box.viewRange()
    start = _pixel(editor, 0.0, 3.0)
    _drag(qtbot, editor, start, [start + QPoint(12 * step, 0) for step in range(1, 6)])
    assert len(editor.model.dataset) == 2 and editor.model.undo_stack.count() == 0
    after = editor.view_box.viewRange()
    assert after[0][0] == pytest.approx(before[0][0] - 60 * _pixel_size(editor), rel=0.05)


# -- the model behind the points -----------------------------------------------------------------
def _rendered(editor, x: float, y: float) -> np.ndarray:
    """The RGB the viewport shows at a data coordinate."""
    image = editor.viewport().grab().toImage()
    colour = image.pixelColor(_pixel(editor, x, y))
    return np.array([colour.red(), colour.green(), colour.blue()])


def test_boundary_arrow_and_heatmap_follow_the_parameters(qtbot, editor):
    w, b = np.array([1.0, 2.0]), -1.0
    editor.set_parameters(w, b)
    qtbot.waitUntil(lambda: editor.boundary_points() is not None)
    p, q = editor.boundary_points()
    assert abs(w @ p + b) < 1e-9 and abs(w @ q + b) < 1e-9
    assert np.linalg.norm(p - q) > 8  # crosses the whole view
    base, tip = editor.weight_arrow()
    assert abs(w @ base + b) < 1e-9  # starts on the boundary...
    direction = (tip - base) / np.linalg.norm(tip - base)
    assert direction @ (w / np.linalg.norm(w)) == pytest.approx(1.0)  # ...along w, toward class 1
    assert ARROW_PX[0] <= np.linalg.norm(tip - base) / _pixel_size(editor) <= ARROW_PX[1]

    # What the screen shows: the class colours' side of the colour map on each side of the line,
    # the colour of ŷ where it is drawn, and the line itself.
    lut = probability_lut()
    for x, y in [(-3.5, 3.5), (-3.5, -3.5), (3.5, -3.0), (2.5, -0.5)]:
        expected = lut[int(round(1 / (1 + np.exp(-(w @ (x, y) + b))) * (len(lut) - 1))), :3]
        shown = _rendered(editor, x, y)
        assert np.all(np.abs(shown - expected) <= 12), (x, y, shown, expected)
        toward = np.linalg.norm(shown - CLASS_COLORS[1]) < np.linalg.norm(shown - CLASS_COLORS[0])
        assert toward == (w @ (x, y) + b > 0)
    assert np.all(_rendered(editor, 3.0, -1.0) <= np.array(BOUNDARY_COLOR) + 40)  # w·(3, -1) + b = 0

    editor.set_parameters(None, None)
    qtbot.waitUntil(lambda: editor.heatmap_image() is None)
    assert editor.boundary_points() is None and editor.weight_arrow() is None


def test_the_model_follows_pan_and_zoom(qtbot, editor):
    editor.set_parameters(np.array([1.0, -1.0]), 0.0)
    qtbot.waitUntil(lambda: editor.heatmap_image() is not None)
    editor.view_box.setRange(xRange=(10.0, 10.08), yRange=(10.0, 10.08), padding=0)
    qtbot.waitUntil(lambda: editor._heatmap.data_rect().left() >= 9.99)
    (x0, x1), (y0, y1) = editor.view_box.viewRange()
    rect = editor._heatmap.mapRectToParent(editor._heatmap.boundingRect())  # the parent: data coordinates
    # the whole view, and at most one pixel more on a side (its image is made of whole device pixels)
    pixel_x, pixel_y = (x1 - x0) / editor.view_box.width(), (y1 - y0) / editor.view_box.height()
    assert x0 - pixel_x <= rect.left() <= x0 + 1e-6 * pixel_x and x1 - 1e-6 * pixel_x <= rect.right() <= x1 + pixel_x
    assert y0 - pixel_y <= rect.top() <= y0 + 1e-6 * pixel_y and y1 - 1e-6 * pixel_y <= rect.bottom() <= y1 + pixel_y
    assert 150 <= max(editor.heatmap_image().shape) <= 250
    p, q = editor.boundary_points()  # x1 = x2 crosses this view too
    assert x0 - 1e-9 <= min(p[0], q[0]) and max(p[0], q[0]) <= x1 + 1e-9
    base, tip = editor.weight_arrow()
    assert ARROW_PX[0] <= np.linalg.norm(tip - base) / _pixel_size(editor) <= ARROW_PX[1]  # readable zoomed in


def test_redraws_are_throttled_to_one_per_event_loop_turn(qtbot, editor, monkeypatch):
    editor.set_parameters(np.array([1.0, 0.0]), 0.0)
    qtbot.waitUntil(lambda: editor.heatmap_image() is not None)
    qtbot.wait(10)  # the first layout settles
    grids = []  # each heatmap computation evaluates z on one grid
    original = editor._z
    monkeypatch.setattr(editor, "_z", lambda xs, ys: (grids.append(1), original(xs, ys))[1])
    for k in range(200):
        editor.set_parameters(np.array([1.0, 0.01 * k]), 0.0)
    qtbot.waitUntil(lambda: len(grids) >= 1)
    qtbot.wait(5)
    assert len(grids) == 1
    (x0, _), (y0, _) = editor.view_box.viewRange()
    corner = x0 + 1.99 * y0  # the newest parameters, w = (1, 1.99), b = 0
    assert editor.heatmap_image()[0, 0] == pytest.approx(1 / (1 + np.exp(-corner)), abs=0.05)


@pytest.mark.parametrize("w, b", [([0.0, 0.0], 0.3), ([1e12, -1e12], 5.0), ([1e-300, 0.0], 1e300),
                                  ([1.0, 1.0], 1e9), ([1e308, 1e308], -1e308), ([-1e-320, 5e-324], 0.0),
                                  ([5e-324, 0.0], 1.0), ([1.0, 1e-14], 3.0)])
def test_degenerate_parameters_draw_without_errors(qtbot, editor, w, b):
    _no_warnings(qtbot, lambda: editor.set_parameters(np.array(w), b))
    qtbot.waitUntil(lambda: editor.heatmap_image() is not None)
    image = editor.heatmap_image()
    assert np.all(np.isfinite(image)) and np.all((image >= 0) & (image <= 1))
    if w == [0.0, 0.0]:
        assert editor.boundary_points() is None and editor.weight_arrow() is None  # no boundary when w = 0
        assert np.allclose(image, 1 / (1 + np.exp(-0.3)))
    segment = editor.boundary_points()
    if segment is not None:
        unit = np.array(w) / np.max(np.abs(w))
        for point in segment:
            assert abs(unit @ point + b / np.max(np.abs(w))) < 1e-9 * (1 + np.abs(point).max())


def test_non_finite_parameters_hide_the_model(qtbot, editor):
    editor.set_parameters(np.array([1.0, 1.0]), 0.0)
    qtbot.waitUntil(lambda: editor.heatmap_image() is not None)
    editor.set_parameters(np.array([np.nan, 1.0]), 0.0)
    qtbot.waitUntil(lambda: editor.heatmap_image() is None)
    with pytest.raises(ValueError):
        editor.set_parameters(np.array([1.0, 2.0, 3.0]), 0.0)


# -- the view -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("points", [[], [[1e6, -1e6]], [[5.0, 5.0]] * 3, [[1e6, 1e6], [-1e6, -1e6]],
                                    [[1e6, 1e6], [1e6 + 1, 1e6]],
                                    [[0.9 * VIEW_LIMIT, -0.9 * VIEW_LIMIT], [-1e-300, 1e-300]]])
def test_view_starts_on_the_data_and_fit_view_brings_it_back(qtbot, points):
    dataset = Dataset(np.array(points, dtype=float).reshape(-1, 2), [0] * len(points))
    editor = _show(qtbot, dataset)

    def check():
        (x0, x1), (y0, y1) = editor.view_box.viewRange()
        assert x1 > x0 and y1 > y0
        if not points:
            assert x0 <= -4 and x1 >= 4 and y0 <= -4 and y1 >= 4
        for x, y in points:
            assert x0 < x < x1 and y0 < y < y1
        return (x0, x1), (y0, y1)

    check()  # the view starts on the data
    _no_warnings(qtbot, lambda: editor.set_parameters(np.array([1.0, 1.0]), 0.0))
    _no_warnings(qtbot, lambda: editor.view_box.setRange(xRange=(50, 60), yRange=(50, 60)))
    _no_warnings(qtbot, editor.fit_view)
    first = check()
    if points:  # clicks still land where they should, even far from 0
        (x0, x1), (y0, y1) = first
        target = ((x0 + x1) / 2 + (x1 - x0) / 7, (y0 + y1) / 2 + (y1 - y0) / 5)
        qtbot.mouseClick(editor.viewport(), LEFT, pos=_pixel(editor, *target))
        x1_, x2_, _ = editor.model.dataset.point(len(points))
        assert abs(x1_ - target[0]) < 1.5 * _pixel_size(editor) and abs(x2_ - target[1]) < 1.5 * _pixel_size(editor)


def test_points_beyond_the_view_limit_do_not_break_it(qtbot):
    far = [[1.7e308, -1.7e308], [0.0, 0.0]]
    editor = _show(qtbot, Dataset(far, [0, 1]))
    _no_warnings(qtbot, editor.fit_view)
    _no_warnings(qtbot, lambda: editor.set_parameters(np.array([1.0, 1e-14]), 1e149))
    (x0, x1), (y0, y1) = editor.view_box.viewRange()
    assert np.isfinite([x0, x1, y0, y1]).all() and x1 > x0 and y1 > y0
    assert x1 >= 0.9 * VIEW_LIMIT and y0 <= -0.9 * VIEW_LIMIT  # as far toward the point as the view goes
    qtbot.waitUntil(lambda: editor.heatmap_image() is not None)
    for point in editor.boundary_points():  # x1 ≈ -1e149, drawn without overflow
        assert point[0] == pytest.approx(-1e149, rel=1e-12) and abs(point[1]) <= VIEW_LIMIT
    _no_warnings(qtbot, lambda: qtbot.mouseClick(editor.viewport(), LEFT, pos=_pixel(editor, 0.0, 0.0)))
    _no_warnings(qtbot, lambda: qtbot.mouseClick(editor.viewport(), RIGHT, pos=_pixel(editor, 0.0, 0.0)))
    assert editor.model.dataset == Dataset([[1.7e308, -1.7e308]], [0])  # grabbed, not moved; then deleted


def test_features_on_different_scales_fill_the_view_and_the_arrow_stays_normal(qtbot):
    rng = np.random.default_rng(0)
    X = np.c_[rng.uniform(0, 1000, 30), rng.uniform(0, 1, 30)]
    editor = _show(qtbot, Dataset(X, (X[:, 1] > 0.5).astype(int), feature_names=("income", "score")))
    assert editor.getPlotItem().getAxis("bottom").labelText == "income"
    (x0, x1), (y0, y1) = editor.view_box.viewRange()
    assert x1 - x0 < 1200 and y1 - y0 < 1.2  # not a thin strip: each axis fits its data
    w, b = np.array([0.004, 4.0]), -4.0
    editor.set_parameters(w, b)
    qtbot.waitUntil(lambda: editor.weight_arrow() is not None)
    p, q = editor.boundary_points()
    base, tip = editor.weight_arrow()
    rect = editor.view_box.sceneBoundingRect()
    units_per_pixel = np.array([(x1 - x0) / rect.width(), (y1 - y0) / rect.height()])
    line, arrow = (q - p) / units_per_pixel, (tip - base) / units_per_pixel
    assert abs(line @ arrow) / (np.linalg.norm(line) * np.linalg.norm(arrow)) < 1e-6  # normal as seen
    assert w @ tip + b > 0  # toward class 1


def test_many_points_become_a_density_image(qtbot, editor):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(DENSITY_THRESHOLD + 1, 2))
    editor.model.replace(Dataset(X, (X[:, 0] > 0).astype(int)))
    assert editor._density.isVisible() and not any(s.isVisible() for s in editor._scatters)
    image = editor._density.image
    assert image[..., 3].max() == 255 and image[..., 3].min() == 0  # dense centre, empty corners
    editor.fit_view()
    qtbot.mouseClick(editor.viewport(), LEFT, pos=_pixel(editor, 0.5, 0.5))
    assert len(editor.model.dataset) == DENSITY_THRESHOLD + 2
    editor.model.undo_stack.undo()
    editor.model.undo_stack.undo()
    assert editor.model.dataset == START
    assert not editor._density.isVisible() and all(s.isVisible() for s in editor._scatters)


def test_escape_abandons_a_drag(qtbot, editor):
    model = editor.model
    start = _pixel(editor, 2.0, 2.0)
    qtbot.mousePress(editor.viewport(), LEFT, pos=start)
    _send(editor, QEvent.Type.MouseMove, start + QPoint(30, 40))
    assert model.dataset != START  # the point follows the mouse...
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert model.dataset == START  # ...until Escape puts it back
    assert not editor._drag_marker.isVisible() and len(editor._scatters[1].getData()[0]) == 1
    _send(editor, QEvent.Type.MouseMove, start + QPoint(60, 40))
    qtbot.mouseRelease(editor.viewport(), LEFT, pos=start + QPoint(60, 40))
    assert model.dataset == START and model.undo_stack.count() == 0  # the rest of the gesture does nothing
    qtbot.mouseClick(editor.viewport(), LEFT, pos=_pixel(editor, -1.0, 1.0))
    assert len(model.dataset) == 3  # and the next click is a click again


def test_the_wheel_zooms_out_to_the_limit_and_back_without_errors(qtbot, editor):
    editor.set_parameters(np.array([1.0, -2.0]), 0.5)
    qtbot.waitUntil(lambda: editor.heatmap_image() is not None)
    viewport = editor.viewport()
    centre = QPointF(viewport.rect().center())

    def wheel(notches: int) -> None:
        event = QWheelEvent(centre, QPointF(viewport.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                            QPoint(0, 120 * notches), NO_BUTTON, NO_MODIFIER, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(viewport, event)

    def roll(notches: int, times: int) -> None:
        for _ in range(times):
            wheel(notches)
            qtbot.wait(1)  # let each zoom's heatmap redraw happen, as it would on screen

    def click_lands_where_aimed() -> None:
        (x0, x1), (y0, y1) = editor.view_box.viewRange()
        target = (x0 + 0.3 * (x1 - x0), y0 + 0.6 * (y1 - y0))
        count = len(editor.model.dataset)
        qtbot.mouseClick(viewport, LEFT, pos=_pixel(editor, *target))
        x, y, _ = editor.model.dataset.point(count)
        assert abs(x - target[0]) < 1.5 * _pixel_size(editor) and abs(y - target[1]) < 1.5 * _pixel_size(editor)

    _no_warnings(qtbot, lambda: roll(-100, 40))  # ~1e13 times per event: past 1e308 within 25 events
    (x0, x1), (y0, y1) = editor.view_box.viewRange()
    assert np.isfinite([x0, x1, y0, y1]).all() and x1 - x0 > VIEW_LIMIT
    assert editor.heatmap_image() is not None and editor.boundary_points() is not None
    click_lands_where_aimed()
    _no_warnings(qtbot, lambda: roll(100, 25))  # and in, past the float spacing: fast...
    _no_warnings(qtbot, lambda: roll(10, 20))  # ...and slowly
    (x0, x1), (y0, y1) = editor.view_box.viewRange()
    assert np.isfinite([x0, x1, y0, y1]).all()
    magnitude = max(abs(x0), abs(x1), 1e-128)
    assert 1e-13 * magnitude < x1 - x0 < 1e-9 * magnitude  # deep, yet many floats apart across the view
    assert np.isfinite(editor.heatmap_image()).all()
    click_lands_where_aimed()


@pytest.mark.parametrize("seed", range(6))
def test_a_frame_is_skipped_unseen_only_when_it_could_not_change_a_pixel(qtbot, editor, seed):
    """The cheap bound that skips computing the grid must be sound: whenever it says
    'unchanged', the full comparison of the new grid and line agrees. And it must fire for
    the tiny steps of late training, or it saves nothing."""
    rng = np.random.default_rng(seed)
    w, b = rng.normal(size=2) * 3, float(rng.normal())
    editor.set_parameters(w, b)
    editor._draw_model()
    (x0, x1), (y0, y1) = editor.view_box.viewRange()
    view = (x0, x1, y0, y1)
    fired = 0
    for size in 10.0 ** rng.uniform(-12, -1, 60):
        editor._w = w + rng.normal(size=2) * size
        editor._b = b + float(rng.normal()) * size
        if editor._surely_unchanged(view):
            fired += 1
            image = sigmoid(editor._z(*editor._grid(view, editor.view_box.sceneBoundingRect())))
            assert editor._looks_the_same(view, image, editor._clipped_boundary(x0, x1, y0, y1)), size
    editor._w, editor._b = w + 1e-12, b
    assert editor._surely_unchanged(view)
    assert fired > 0


def test_the_arrow_length_grows_with_the_norm_of_w_and_its_label_says_it(qtbot, editor):
    from lrviz.ui.editor.point_editor import arrow_length_px

    lengths = []
    for scale in (0.1, 1.0, 3.0, 10.0, 1000.0):
        editor.set_parameters(np.array([0.6, 0.8]) * scale, 0.0)
        qtbot.waitUntil(lambda: editor.weight_arrow() is not None)
        editor._draw_model()
        base, tip = editor.weight_arrow()
        lengths.append(np.linalg.norm(tip - base) / _pixel_size(editor))
        assert editor._arrow_label.text() == f"w   ‖w‖ = {scale:.3g}"
        assert lengths[-1] == pytest.approx(arrow_length_px(scale), abs=1.0)
    assert lengths == sorted(lengths) and lengths[0] < 30 and lengths[-1] == pytest.approx(ARROW_PX[1], abs=1.0)


def test_the_heatmap_is_smooth_along_a_steep_boundary(qtbot, editor):
    """Bilinear scaling: across a steep boundary each pixel has its own colour, where 200 cells
    stretched over the view (nearest neighbour) give runs of equal pixels: stair-steps."""
    editor.set_parameters(np.array([3.0, 0.2]), 0.0)
    qtbot.waitUntil(lambda: editor.heatmap_image() is not None)
    editor._set_model_items_visible(True, False)  # the heatmap alone: no line drawn over it
    image = editor.grab().toImage()
    y = image.height() // 3
    red = np.array([image.pixelColor(x, y).red() for x in range(image.width())], dtype=float)
    rect = editor.view_box.sceneBoundingRect()
    red = red[int(rect.left()) + 2:int(rect.right()) - 2]
    low, high = red.min(), red.max()
    steep = np.flatnonzero((red > low + 0.25 * (high - low)) & (red < high - 0.25 * (high - low)))
    transition = slice(steep.min(), steep.max() + 1)  # the steep middle of the change across the row
    equal_neighbours = float(np.mean(np.diff(red[transition]) == 0))
    assert editor.view_box.width() / 200 >= 2  # a cell spans several pixels at this size
    assert equal_neighbours < 0.25, equal_neighbours
