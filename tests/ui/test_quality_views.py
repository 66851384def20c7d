"""The split controls, the threshold, the metrics box, the confusion matrices and the ROC plot."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSlider, QSpinBox
from sklearn.metrics import confusion_matrix, roc_auc_score
from window_helpers import shown_window, train_to

from lrviz.core.dataset import make_preset
from lrviz.core.metrics import threshold_logit
from lrviz.core.model import predict_proba
from lrviz.core.split import stratified_split

DATA = make_preset("overlapping", 60, noise=0.2, seed=5)


@pytest.fixture
def trained(qtbot):
    win = shown_window(qtbot, DATA)
    win.findChild(QSpinBox, "testShareSpin").setValue(30)
    train_to(qtbot, win, 80)
    win.quality.dock.show()
    win.state.clock.flush()
    return win


def _shown_model(win):
    row = win.state.shown_row()
    return row.w, row.b


def test_spins_split_the_points_stratified_and_reproducibly(qtbot):
    win = shown_window(qtbot, DATA)
    share, seed = win.findChild(QSpinBox, "testShareSpin"), win.findChild(QSpinBox, "splitSeedSpin")
    assert (share.value(), share.minimum(), share.maximum()) == (0, 0, 50)
    assert not win.run.points.is_test.any()  # by default every point trains
    share.setValue(20)
    assert np.array_equal(win.run.points.is_test, stratified_split(DATA.y, 0.2, 0))
    seed.setValue(9)
    assert np.array_equal(win.run.points.is_test, stratified_split(DATA.y, 0.2, 9))
    assert "test 12 (6 + 6)" in win.quality.split_panel.summary_label.text()
    win.points.undo_stack.undo()
    assert np.array_equal(win.run.points.is_test, stratified_split(DATA.y, 0.2, 0))
    win.load_preset("blobs", 40, 0.1, 1)  # a new data set gets the spins' split
    assert win.run.points.is_test.sum() == 8
    qtbot.waitUntil(lambda: len(win.run.history) == 1 and win.run.history.has_test_loss)


def test_t_moves_the_selected_point_to_the_other_set(qtbot):
    win = shown_window(qtbot, DATA)
    win.quality.toggle_split_action.trigger()  # nothing selected: a hint, no change
    assert "Click on a point first" in win.statusBar().currentMessage()
    assert not win.run.points.is_test.any()
    win.state.select_point(4)
    win.quality.toggle_split_action.trigger()
    assert win.run.points.is_test.tolist() == [i == 4 for i in range(len(DATA))]
    assert win.quality.toggle_split_action.shortcut().toString() == "T"
    win.quality.toggle_split_action.trigger()
    assert not win.run.points.is_test.any()


def test_pressing_a_point_selects_it(qtbot):
    win = shown_window(qtbot, DATA)
    x1, x2, _ = DATA.point(7)
    at = win.editor.data_to_viewport(x1, x2).toPoint()
    qtbot.mouseClick(win.editor.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert win.state.selected_point == 7


def test_test_points_are_drawn_hollow_and_training_points_filled(trained):
    win = trained
    editor, points = win.editor, win.run.points
    for label in (0, 1):
        expected = points.X[points.is_test & (points.y == label)]
        np.testing.assert_array_equal(editor.test_points.drawn(label), expected)
        assert editor.test_points.scatters[label].opts["brush"].style() == Qt.BrushStyle.NoBrush
        filled = editor._scatters[label].getData()
        assert len(filled[0]) == np.count_nonzero(~points.is_test & (points.y == label))


def test_threshold_slider_sets_the_state_and_the_dashed_iso_line(trained):
    win = trained
    slider = win.findChild(QSlider, "thresholdSlider")
    assert (slider.minimum(), slider.maximum(), slider.value()) == (1, 99, 50)
    assert "unchanged" in slider.toolTip()
    layer = win.editor.threshold_line
    assert layer.segment() is None  # at 0.5 it is the boundary itself
    slider.setValue(80)
    assert win.state.threshold == 0.8
    win.state.clock.flush()
    segment = layer.segment()
    assert segment is not None and layer.line_item.pen().style() == Qt.PenStyle.DashLine
    w, b = _shown_model(win)
    np.testing.assert_allclose(segment @ w + b, threshold_logit(0.8), atol=1e-9)
    np.testing.assert_allclose(predict_proba(segment, w, b), 0.8, rtol=1e-9)


def test_metrics_box_and_confusion_matrices_equal_scikit_learn(trained):
    win = trained
    win.findChild(QSlider, "thresholdSlider").setValue(35)
    win.state.clock.flush()
    w, b = _shown_model(win)
    points = win.run.points
    for which, mask in (("train", ~points.is_test), ("test", points.is_test)):
        truth = points.y[mask]
        predicted = (predict_proba(points.X[mask], w, b) >= 0.35).astype(int)
        expected = confusion_matrix(truth, predicted, labels=[0, 1])
        table = win.quality.confusion_matrix.train_table if which == "train" else win.quality.confusion_matrix.test_table
        np.testing.assert_array_equal(table.counts, expected)
        assert str(expected[1, 1]) in table.cells[1][1].text()
        accuracy = np.trace(expected) / expected.sum()
        assert win.quality.metrics_panel.values[("accuracy", which)].text() == f"{100 * accuracy:.1f} %"
        assert win.quality.metrics_panel.values[("points", which)].text() == \
            f"{np.sum(truth == 0)} + {np.sum(truth == 1)}"
    auc = roc_auc_score(points.y[points.is_test], predict_proba(points.X[points.is_test], w, b))
    assert f"{auc:.4f}" in win.quality.metrics_panel.auc_label.text()
    assert f"{auc:.4f}" in win.quality.roc_plot.getPlotItem().titleLabel.text


def test_roc_marker_follows_the_slider_and_dragging_it_moves_the_slider(trained):
    win = trained
    roc, slider = win.quality.roc_plot, win.findChild(QSlider, "thresholdSlider")
    metrics = win.quality.source.metrics()
    fpr, tpr = roc.curve_data()
    np.testing.assert_array_equal(fpr, metrics.roc.fpr)
    slider.setValue(70)
    win.state.clock.flush()
    (tn, fp), (fn, tp) = win.quality.source.metrics().test.confusion.tolist()
    assert (roc.marker.pos().x(), roc.marker.pos().y()) == pytest.approx((fp / (fp + tn), tp / (tp + fn)))
    # a drag: the marker moves to a curve point; the threshold becomes that point's ŷ
    k = len(fpr) // 2
    roc.marker.setPos(fpr[k] + 0.01, tpr[k] - 0.01)
    expected = min(max(float(metrics.roc.thresholds[k]), 0.01), 0.99)
    assert win.state.threshold == pytest.approx(expected)
    assert slider.value() == round(100 * expected)
    win.state.clock.flush()
    point = win.quality.source.metrics().roc_point
    assert (roc.marker.pos().x(), roc.marker.pos().y()) == pytest.approx(point)


def test_without_a_split_roc_is_of_training_points_and_the_test_table_says_none(qtbot):
    win = shown_window(qtbot, DATA)
    train_to(qtbot, win, 30)
    win.quality.dock.show()  # the tables draw only while their dock is shown
    win.state.clock.flush()
    metrics = win.quality.source.metrics()
    assert metrics.roc.source == "training"
    assert "none" in win.quality.confusion_matrix.test_table.title()
    assert win.quality.metrics_panel.values[("accuracy", "test")].text() == "–"
    assert "No test points" in win.quality.metrics_panel.notes_label.text()


def test_a_test_set_of_one_class_says_auc_is_undefined(qtbot):
    win = shown_window(qtbot, DATA)
    first_of_class_1 = int(np.flatnonzero(DATA.y == 1)[0])
    win.state.select_point(first_of_class_1)
    win.quality.toggle_split_action.trigger()
    train_to(qtbot, win, 10)
    win.quality.dock.show()
    win.state.clock.flush()
    notes = win.quality.metrics_panel.notes_label.text()
    assert "AUC are undefined" in notes and "class 1" in notes
    assert "undefined" in win.quality.roc_plot.getPlotItem().titleLabel.text
    assert not win.quality.roc_plot.marker.isVisible()


def test_view_menu_shows_the_dock(qtbot):
    win = shown_window(qtbot, DATA)
    assert not win.quality.dock.isVisible()
    win.quality.dock_action.trigger()
    assert win.quality.dock.isVisible()
    assert win.quality.dock.objectName() == "metricsDock"
    assert win.findChild(type(win.quality.confusion_matrix), "confusionMatrix") is not None


def test_shown_metrics_let_a_new_epoch_wait_only_while_training_runs(qtbot):
    from lrviz.ui.shown_metrics import ShownMetrics
    from lrviz.ui.state import WindowState
    state = WindowState(DATA)
    live = [True]
    source = ShownMetrics(state, lambda: live[0])
    state.run.append_epochs([0], [[0.0, 0.0, 0.0]], [0.69], [1.0], 0.1, 0.0, state.run.revision)
    first = source.metrics()
    source._scoring_seconds = 60.0  # as if scoring took a minute: the next epoch may wait
    state.run.append_epochs([1], [[1.0, 0.5, 0.0]], [0.5], [1.0], 0.1, 0.0, state.run.revision)
    assert source.metrics() is first and source.metrics_key != source.key()
    live[0] = False  # training paused: the shown epoch is scored at once
    assert source.metrics() is not first and source.metrics_key == source.key()
    assert source.metrics().train.accuracy == pytest.approx(
        np.mean((predict_proba(DATA.X, [1.0, 0.5], 0.0) >= 0.5) == DATA.y))


def test_the_hidden_dock_draws_nothing_and_catches_up_when_shown(qtbot):
    """Scrubbing with the dock closed costs nothing there; shown, it has the shown epoch's numbers."""
    win = shown_window(qtbot, DATA)
    train_to(qtbot, win, 30)
    table, roc = win.quality.confusion_matrix.train_table, win.quality.roc_plot
    assert not win.quality.dock.isVisible()
    for epoch in (12, 29):
        win.state.select_epoch(epoch)
        win.state.clock.flush()
    assert not table.counts.any()  # never drawn while hidden
    win.quality.dock.show()
    qtbot.waitUntil(win.quality.dock.isVisible)
    metrics = win.quality.source.metrics()
    assert metrics is not None and win.quality.source.key()[2] == 29
    np.testing.assert_array_equal(table.counts, metrics.train.confusion)
    assert f"{metrics.roc.auc:.4f}" in roc.getPlotItem().titleLabel.text
