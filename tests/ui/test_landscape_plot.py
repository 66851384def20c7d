"""The loss landscape in the window: the path is the history, the marker follows the timeline,
hover draws a ghost boundary, a click starts there (undoable), odd data give a message."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from lrviz.core.dataset import Dataset, make_preset
from lrviz.core.landscape import Landscape, Minimum
from lrviz.core.trainer import Trainer
from tests.ui.window_helpers import shown_window, train_to


def overlapping(m: int = 80, seed: int = 3, scale: float = 1.0) -> Dataset:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, 2))
    y = (X[:, 0] + 0.5 * X[:, 1] + 0.8 * rng.normal(size=m) > 0).astype(int)
    return Dataset(X * scale + [2.0 * scale, -1.0 * scale], y)


def with_landscape(qtbot, dataset: Dataset):
    win = shown_window(qtbot, dataset)
    win.resize(1500, 850)
    win.landscape_action.trigger()
    assert win.landscape_dock.isVisible()
    return win, win.landscape.plot


def wait_for_picture(qtbot, plot, size: int = 128):
    """The fine picture of the shown epoch, once it is on screen."""
    def current() -> bool:
        picture = plot.picture
        row = plot._state.shown_row()
        return (picture is not None and picture.size == size and row is not None
                and np.array_equal(picture.request.theta, plot.shown(row.theta)) and picture.request.pair == plot.pair)
    qtbot.waitUntil(current, timeout=20000)
    return plot.picture


def viewport_pos(plot, x: float, y: float):
    view = plot.getPlotItem().getViewBox()
    return plot.mapFromScene(view.mapViewToScene(QPointF(x, y)))


def pixel_size(plot) -> np.ndarray:
    view = plot.getPlotItem().getViewBox()
    (x0, x1), (y0, y1) = view.viewRange()
    box = view.sceneBoundingRect()
    return np.array([(x1 - x0) / box.width(), (y1 - y0) / box.height()])


def test_the_path_is_the_history_and_the_marker_follows_the_timeline(qtbot):
    win, plot = with_landscape(qtbot, overlapping())
    train_to(qtbot, win, 60)
    picture = wait_for_picture(qtbot, plot)
    history = win.run.history
    np.testing.assert_array_equal(plot.path_points(), history.theta[:, [0, 1]])
    drawn = plot.drawn_path()
    assert len(drawn) >= 2
    rows = {tuple(p) for p in history.theta[:, [0, 1]].tolist()}
    assert all(tuple(p) in rows for p in drawn.tolist())  # thinned for drawing only, never moved
    assert isinstance(picture.minimum, Minimum)
    assert plot.marker_position() == tuple(history.theta[-1, [0, 1]])
    win.state.select_epoch(10)
    win.state.clock.flush()
    assert plot.marker_position() == tuple(win.run.row(10).theta[[0, 1]])
    # the slice follows: b held at epoch 10's value
    picture = wait_for_picture(qtbot, plot)
    assert picture.request.theta[2] == win.run.row(10).theta[2]
    assert f"b held at {win.run.row(10).theta[2]:.6g}" in win.landscape.note.text()
    start, end = plot.arrow()
    np.testing.assert_array_equal(start, win.run.row(10).theta[[0, 1]])
    moved = win.run.row(11).theta[[0, 1]] - win.run.row(10).theta[[0, 1]]  # where epoch 11 went: −α∇L
    arrow = end - start
    cosine = np.dot(arrow, moved) / (np.linalg.norm(arrow) * np.linalg.norm(moved))
    assert cosine == pytest.approx(1.0, abs=1e-9)
    win.mark_saved()


def test_the_surface_equals_the_trainers_loss_at_its_nodes(qtbot):
    win, plot = with_landscape(qtbot, overlapping())
    picture = wait_for_picture(qtbot, plot)
    points = win.run.snapshot()
    xs = picture.x_range.low + (np.arange(picture.size) + 0.5) * (picture.x_range.high - picture.x_range.low) / picture.size
    ys = picture.y_range.low + (np.arange(picture.size) + 0.5) * (picture.y_range.high - picture.y_range.low) / picture.size
    held = picture.request.theta
    for a, b in ((0, 0), (5, 77), (127, 127), (64, 3)):
        trainer = Trainer(points.X, points.y, w0=[xs[a], ys[b]], b0=held[2])
        assert picture.surface[b, a] == pytest.approx(trainer.current.loss, rel=1e-12)
    win.mark_saved()


def test_a_click_starts_there_and_undo_brings_the_run_back(qtbot):
    win, plot = with_landscape(qtbot, overlapping())
    train_to(qtbot, win, 40)
    picture = wait_for_picture(qtbot, plot)
    before = win.run.history.copy()
    held_b = win.run.row(40).theta[2]
    target = (0.3 * picture.x_range.low + 0.7 * picture.x_range.high,
              0.6 * picture.y_range.low + 0.4 * picture.y_range.high)
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=viewport_pos(plot, *target))
    qtbot.waitUntil(lambda: len(win.run.history) == 1)
    start = win.run.row(0).theta
    assert np.all(np.abs(start[:2] - np.array(target)) <= pixel_size(plot))
    assert start[2] == held_b  # the held parameter kept
    win.state.clock.flush()
    np.testing.assert_array_equal(plot.path_points(), win.run.history.theta[:, :2])
    assert plot.marker_position() == tuple(start[:2])
    assert win.run.row(0).loss == pytest.approx(
        Trainer(win.run.snapshot().X, win.run.snapshot().y, w0=start[:2], b0=start[2]).current.loss, rel=1e-12)
    win.undo_action.trigger()
    qtbot.waitUntil(lambda: len(win.run.history) == len(before))
    np.testing.assert_array_equal(win.run.history.theta, before.theta)
    np.testing.assert_array_equal(win.run.history.loss, before.loss)
    win.redo_action.trigger()
    assert len(win.run.history) == 1 and np.array_equal(win.run.row(0).theta, start)
    win.mark_saved()


def test_hovering_draws_the_ghost_boundary_and_its_loss(qtbot):
    win, plot = with_landscape(qtbot, overlapping())
    picture = wait_for_picture(qtbot, plot)
    target = (0.5 * (picture.x_range.low + picture.x_range.high), 0.25 * picture.y_range.low + 0.75 * picture.y_range.high)
    pos = QPointF(viewport_pos(plot, *target))
    move = QMouseEvent(QEvent.Type.MouseMove, pos, plot.viewport().mapToGlobal(pos), Qt.MouseButton.NoButton,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(plot.viewport(), move)
    qtbot.waitUntil(lambda: win.state.ghost_params is not None)
    ghost = win.state.ghost_params
    assert np.all(np.abs(ghost[:2] - np.array(target)) <= pixel_size(plot))
    assert ghost[2] == picture.request.theta[2]
    loss = plot.exact_landscape().exact_loss(ghost)
    points = win.run.snapshot()
    assert loss == pytest.approx(Trainer(points.X, points.y, w0=ghost[:2], b0=ghost[2]).current.loss, rel=1e-12)
    assert f"L = {loss:.10g}" in win.landscape.hover.text()
    segment = win.editor.ghost.segment()
    if segment is not None:  # the line lies in the editor's view: both ends on w·x + b = 0
        for x, y in ((segment[0], segment[1]), (segment[2], segment[3])):
            assert abs(ghost[0] * x + ghost[1] * y + ghost[2]) <= 1e-9 * (1 + abs(ghost[0] * x) + abs(ghost[1] * y))
    win.state.set_ghost_params(None)
    assert win.editor.ghost.segment() is None
    win.mark_saved()


def test_the_editor_draws_a_ghost_inside_its_view(qtbot):
    win = shown_window(qtbot, overlapping())
    (x0, x1), (y0, y1) = win.editor.view_box.viewRange()
    cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    win.state.set_ghost_params([1.0, -2.0, -(cx - 2.0 * cy)])  # through the view's centre
    segment = win.editor.ghost.segment()
    assert segment is not None
    for x, y in ((segment[0], segment[1]), (segment[2], segment[3])):
        assert x0 - 1e-9 <= x <= x1 + 1e-9 and y0 - 1e-9 <= y <= y1 + 1e-9
        assert abs(x - 2 * y - (cx - 2 * cy)) <= 1e-9 * (1 + abs(cx) + abs(cy))
    win.mark_saved()


@pytest.mark.parametrize("index, held", [(1, "w2"), (2, "w1"), (0, "b")])
def test_switching_the_pair(qtbot, index, held):
    win, plot = with_landscape(qtbot, overlapping())
    train_to(qtbot, win, 20)
    win.landscape.axes_combo.setCurrentIndex(index)
    picture = wait_for_picture(qtbot, plot)
    i, j = plot.pair
    assert 3 - i - j == ["w1", "w2", "b"].index(held)
    np.testing.assert_array_equal(plot.path_points(), win.run.history.theta[:, [i, j]])
    assert win.landscape.note.text().startswith(f"{held} held at")
    assert np.isfinite(picture.surface).all()
    win.mark_saved()


def test_clearing_the_points_says_so_and_new_points_bring_it_back(qtbot):
    win, plot = with_landscape(qtbot, overlapping())
    wait_for_picture(qtbot, plot)
    win.points.clear()
    qtbot.waitUntil(lambda: "No points" in win.landscape.note.text())
    assert plot.picture is None and plot.marker_position() is None
    win.undo_action.trigger()
    wait_for_picture(qtbot, plot)
    np.testing.assert_array_equal(plot.path_points(), win.run.history.theta[:, :2])
    assert plot.marker_position() == tuple(win.run.history.theta[-1, :2])
    win.mark_saved()


def test_one_class_has_a_picture_and_says_there_is_no_minimum(qtbot):
    win, plot = with_landscape(qtbot, Dataset([[1.0, 1.0], [2.0, 0.5], [0.0, -1.0]], [1, 1, 1]))
    picture = wait_for_picture(qtbot, plot)
    assert "no minimum: only one class" in win.landscape.note.text()
    assert plot.minimum_position() is None
    assert np.isfinite(picture.colour).all()
    win.mark_saved()


@pytest.mark.parametrize("standardize", [False, True])
def test_coordinates_near_a_million(qtbot, standardize):
    win, plot = with_landscape(qtbot, overlapping(scale=1e6))
    if standardize:
        win.controls.standardize_check.setChecked(True)
    train_to(qtbot, win, 30)
    picture = wait_for_picture(qtbot, plot)
    assert np.isfinite(picture.surface).all() and np.isfinite(picture.colour).all()
    assert ("standardized coordinates" in win.landscape.note.text()) == standardize
    win.mark_saved()


def test_separable_data_have_no_minimum_and_the_range_follows_the_path(qtbot):
    win, plot = with_landscape(qtbot, make_preset("separable", n_points=60, seed=1))
    train_to(qtbot, win, 400)
    picture = wait_for_picture(qtbot, plot)
    assert "no minimum" in win.landscape.note.text() and "separable" in win.landscape.note.text()
    path = plot.path_points()
    assert picture.x_range.low <= path[:, 0].min() and path[:, 0].max() <= picture.x_range.high
    assert picture.y_range.low <= path[:, 1].min() and path[:, 1].max() <= picture.y_range.high
    win.mark_saved()


def test_a_hidden_landscape_computes_nothing(qtbot):
    win = shown_window(qtbot, overlapping())
    train_to(qtbot, win, 10)
    assert win.landscape.plot.picture is None
    assert not win.landscape_dock.isVisible()
    win.mark_saved()


def test_contour_segments_lie_on_their_levels():
    from lrviz.ui.plots.landscape_surface import contour_segments

    v = np.linspace(-1.0, 1.0, 64)
    yy, xx = np.meshgrid(v, v, indexing="ij")
    x, y = contour_segments(2.0 * xx + 3.0 * yy, np.array([-1.0, 0.5]), v, v)  # planes: exact
    assert len(x) > 0 and len(x) % 2 == 0
    np.testing.assert_allclose(np.sort(np.unique(np.round(2.0 * x + 3.0 * y, 9))), [-1.0, 0.5])
    x, y = contour_segments(xx ** 2 + yy ** 2, np.array([0.25]), v, v)  # a circle of radius 0.5
    assert np.max(np.abs(np.hypot(x, y) - 0.5)) < 2e-3
    assert contour_segments(np.ones((8, 8)), np.array([1.0]), v[:8], v[:8])[0].size == 0


def test_editing_points_or_lambda_after_training_recomputes_the_surface(qtbot):
    win, plot = with_landscape(qtbot, overlapping())
    train_to(qtbot, win, 20)
    first = wait_for_picture(qtbot, plot)
    win.points.move_point(0, 5.0, 5.0)
    qtbot.waitUntil(lambda: plot.picture is not None and plot.picture.request.points.revision == win.run.revision
                    and plot.picture.size == 128, timeout=20000)
    assert not np.array_equal(plot.picture.surface, first.surface)
    win.controls.l2_spin.setValue(0.5)
    qtbot.waitUntil(lambda: plot.picture.request.l2 == 0.5 and plot.picture.size == 128, timeout=20000)
    points = win.run.snapshot()
    row = win.run.row(20)
    loss = Trainer(points.X, points.y, l2=0.5, w0=row.theta[:2], b0=row.theta[2]).current.loss
    assert f"L = {loss:.6g}" in win.landscape.note.text()  # the loss there now, not the row's
    win.state.select_epoch(5)  # an earlier epoch: the points and λ it was computed with
    qtbot.waitUntil(lambda: plot.picture.request.l2 == 0.0 and plot.picture.size == 128, timeout=20000)
    assert "points and λ of epoch 5" in win.landscape.note.text()
    win.mark_saved()


def test_closing_the_dock_removes_the_ghost(qtbot):
    win, plot = with_landscape(qtbot, overlapping())
    wait_for_picture(qtbot, plot)
    win.state.set_ghost_params([1.0, 1.0, -2.0])
    win.landscape_action.trigger()
    assert not win.landscape_dock.isVisible()
    assert win.state.ghost_params is None and win.editor.ghost.segment() is None
    win.mark_saved()


def test_a_surface_split_over_two_threads_is_the_same_surface():
    from lrviz.ui.plots.landscape_surface import split_surface

    data = overlapping(m=500)
    landscape = Landscape(data.X, data.y, 0.1, True)
    xs, ys = np.linspace(-3, 5, 96), np.linspace(-4, 4, 80)
    held = np.array([0.5, -0.5, 0.3])
    whole = split_surface(landscape, held, 0, xs, 2, ys, False, False)
    split = split_surface(landscape, held, 0, xs, 2, ys, False, True)
    assert split.shape == whole.shape == (80, 96)
    np.testing.assert_allclose(split, whole, rtol=1e-12, atol=0)


def test_switching_and_scrubbing_while_training_runs(qtbot):
    win, plot = with_landscape(qtbot, overlapping(m=300))
    win.controls.max_epochs_spin.setValue(4000)
    win.controls.speed_slider.setValue(win.controls.speed_slider.maximum())
    with qtbot.waitSignal(win.training.finished, timeout=60000):
        win.controls.train_button.click()
        for k in range(12):
            qtbot.waitUntil(lambda n=k: win.run.history.last_epoch >= 200 * (n + 1) or not win.training.is_running,
                            timeout=20000)
            win.landscape.axes_combo.setCurrentIndex(k % 3)
            if k % 4 == 3:
                win.state.select_epoch(win.run.history.last_epoch // 2)
                win.state.set_follow_latest(True)
    win.state.clock.flush()
    picture = wait_for_picture(qtbot, plot)
    np.testing.assert_array_equal(plot.path_points(), win.run.history.theta[:, list(plot.pair)])
    assert np.isfinite(picture.surface).all()
    win.mark_saved()


def test_a_noisy_path_is_stroked_thin_without_its_casing(qtbot):
    """A zig-zag path (a noisy run's θ) stroked 1.6 px with a 3.4 px casing took seconds per
    paint (dense_stroke); a path that reads as a line keeps both."""
    from lrviz.ui.plots.landscape_plot import PATH_WIDTH

    win, plot = with_landscape(qtbot, overlapping())
    train_to(qtbot, win, 60)
    wait_for_picture(qtbot, plot)
    assert plot.path.pen().widthF() == PATH_WIDTH and plot._path_casing.isVisible()
    k = 3_000
    rng = np.random.default_rng(1)
    last = win.run.history.last_epoch
    theta = win.run.history.theta[-1] + rng.normal(scale=5.0, size=(k, 3))
    win.run.append_epochs(np.arange(last + 1, last + 1 + k), theta, rng.random(k) + 0.1, rng.random(k), 0.1, 0.0, 0)
    win.state.clock.flush()
    qtbot.waitUntil(lambda: len(plot.path_points()) == len(win.run.history), timeout=10000)
    qtbot.waitUntil(lambda: plot.path.pen().widthF() == 1.0, timeout=10000)
    assert not plot._path_casing.isVisible()
