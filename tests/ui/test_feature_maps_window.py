"""The window's feature maps (featuresCombo) and optimizers (optimizerCombo), issue 14: a
restart setting like standardize; the worker trains on φ(x) of the training points; the
history's columns and the parameter plot name each weight by its term."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QComboBox

from lrviz.core.dataset import make_preset
from lrviz.core.features import FeatureMap
from lrviz.core.trainer import Trainer
from tests.ui.window_helpers import shown_window, train_to

MOONS = make_preset("moons", n_points=80, noise=0.1, seed=3)


def choose(win, name: str, data) -> None:
    combo = win.findChild(QComboBox, name)
    assert combo is not None, name
    combo.setCurrentIndex(combo.findData(data))


def test_degree_3_resets_to_epoch_0_and_names_the_columns(qtbot):
    win = shown_window(qtbot, MOONS)
    choose(win, "featuresCombo", "3")
    names = FeatureMap(3).parameter_names()
    qtbot.waitUntil(lambda: win.run.history.names == names and len(win.run.history) == 1)
    assert win.run.settings.degree == 3 and not win.run.settings.sin
    qtbot.waitUntil(lambda: set(names) <= set(win.params_plot._curves))
    train_to(qtbot, win, 40)
    phi = FeatureMap(3).transform(MOONS.X)
    expected = Trainer(phi, MOONS.y, learning_rate=0.1).run(40)
    np.testing.assert_allclose(win.run.history.theta[-1], np.append(expected.W[-1], expected.b[-1]), rtol=1e-12)
    np.testing.assert_allclose(win.run.history.loss[-1], expected.loss[-1], rtol=1e-12)
    for name in names:
        x, y = win.params_plot.drawn_data(name)
        assert len(x) and np.isclose(y[-1], win.run.history.column(name)[-1])


def test_back_to_the_tutorial_inputs_gives_w1_w2_b(qtbot):
    win = shown_window(qtbot, MOONS)
    choose(win, "featuresCombo", "2+sin")
    qtbot.waitUntil(lambda: win.run.history.names[-3:] == ("w[sin(x1)]", "w[sin(x2)]", "b"))
    choose(win, "featuresCombo", "1")
    qtbot.waitUntil(lambda: win.run.history.names == ("w1", "w2", "b") and len(win.run.history) == 1)


def test_after_training_the_map_waits_for_reset(qtbot):
    win = shown_window(qtbot, MOONS)
    train_to(qtbot, win, 5)
    choose(win, "featuresCombo", "2")
    assert win.run.history.names == ("w1", "w2", "b") and win.run.history.last_epoch == 5
    win.controls.reset_button.click()
    qtbot.waitUntil(lambda: win.run.history.names == FeatureMap(2).parameter_names() and len(win.run.history) == 1)


def test_the_editor_draws_the_curved_boundary_without_the_arrow(qtbot):
    win = shown_window(qtbot, MOONS)
    choose(win, "featuresCombo", "3")
    qtbot.waitUntil(lambda: len(win.run.history.names) == 10 and len(win.run.history) == 1)
    train_to(qtbot, win, 300)
    editor = win.editor
    editor.draw_model_now()
    pieces = editor.boundary_curves()
    assert pieces and editor.weight_arrow() is None and editor.boundary_points() is None
    row = win.run.history.row(300)
    phi = FeatureMap(3)
    points = np.vstack(pieces)

    def z(P):
        return phi.transform(P) @ row.w + row.b

    (x0, x1), (y0, y1) = editor.view_box.viewRange()
    assert np.all((points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1))
    rect = editor.view_box.sceneBoundingRect()
    pixel = max((x1 - x0) / rect.width(), (y1 - y0) / rect.height())
    h = 1e-6
    gradient = np.column_stack([(z(points + [h, 0]) - z(points - [h, 0])) / (2 * h),
                                (z(points + [0, h]) - z(points - [0, h])) / (2 * h)])
    assert np.all(np.abs(z(points)) < np.hypot(*gradient.T) * pixel)  # within a pixel's worth of z
    # the heatmap is σ(z) of the same model: ŷ = ½ on the curve, to a pixel's worth
    image = editor.heatmap_image()
    assert image is not None and image.min() < 0.5 < image.max()


def test_the_identity_map_keeps_the_line_and_arrow(qtbot):
    win = shown_window(qtbot, MOONS)
    train_to(qtbot, win, 20)
    win.editor.draw_model_now()
    assert win.editor.boundary_curves() == [] and win.editor.boundary_points() is not None


def test_the_parameter_legend_names_every_term_within_the_plot(qtbot):
    win = shown_window(qtbot, MOONS)
    choose(win, "featuresCombo", "3+sin")
    names = FeatureMap(3, True).parameter_names()
    qtbot.waitUntil(lambda: tuple(win.params_plot._curves) == names)
    legend = win.params_plot._legend
    assert [label.text for _, label in legend.items] == list(names)
    right = legend.mapRectToScene(legend.boundingRect()).right()
    assert right <= win.params_plot.width()
