"""With a feature map (issue 14) the math panel, the landscape and the point layers do not
crash or warn: the math panel says φ(x) stands in place of x and names φ's terms; the
landscape says it shows the tutorial's 3 parameters."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QComboBox

from lrviz.core.dataset import make_preset
from lrviz.core.explain import explain
from lrviz.core.features import FeatureMap
from lrviz.core.per_point import per_point
from lrviz.ui.plots.landscape_plot import FEATURE_MAP_NOTE
from tests.ui.window_helpers import shown_window, train_to

MOONS = make_preset("moons", n_points=50, noise=0.1, seed=1)


def degree_2_window(qtbot, optimizer: str = "gd"):
    win = shown_window(qtbot, MOONS)
    for name, data in (("featuresCombo", "2+sin"), ("optimizerCombo", optimizer)):
        combo = win.findChild(QComboBox, name)
        combo.setCurrentIndex(combo.findData(data))
    qtbot.waitUntil(lambda: len(win.run.history.names) == 8 and win.run.settings.optimizer == optimizer
                    and len(win.run.history) == 1)
    train_to(qtbot, win, 30)
    return win


def test_the_math_panel_uses_phi_and_says_so(qtbot):
    win = degree_2_window(qtbot)
    ex = explain(win.run, 10)
    phi = FeatureMap(2, True)
    assert ex.terms == phi.terms and ex.X_raw.shape == (len(MOONS.y), phi.n_terms)
    row = win.run.row(10)
    np.testing.assert_allclose(ex.z, phi.transform(MOONS.X) @ row.w + row.b, rtol=1e-12)
    np.testing.assert_allclose(ex.data_loss, per_point(phi.transform(MOONS.X), MOONS.y, row.w, row.b, 0).loss.mean())
    assert ex.next_matches  # gd: the shown update is the next row
    panel = win.math_panel
    win.state.select_epoch(10)
    text = panel.plain_text()
    assert "φ(x) in place of x" in text and "x1*x2" in text and "sin(x1)" in text


def test_the_math_panel_names_another_optimizer(qtbot):
    win = degree_2_window(qtbot, "adam")
    panel = win.math_panel
    win.state.select_epoch(5)
    assert "optimizer is adam" in panel.plain_text()


def test_the_landscape_says_what_it_shows(qtbot):
    win = degree_2_window(qtbot)
    win.landscape_dock.show()
    landscape = win.landscape.plot
    qtbot.waitUntil(lambda: landscape.message == FEATURE_MAP_NOTE)
    assert landscape.message == FEATURE_MAP_NOTE and landscape.picture is None


def test_halos_and_tooltips_with_a_feature_map(qtbot):
    win = degree_2_window(qtbot)
    editor = win.editor
    editor.pulls.set_loss_halos(True)
    editor.pulls.set_arrows(True)
    win.state.select_point(0)
    qtbot.waitUntil(lambda: editor.pulls.explanation is not None)
    assert editor.pulls.arrow_segments() is None  # pulls act on φ's weights, not in the plane
    x, y = editor.pulls.halos.getData()
    np.testing.assert_allclose(np.column_stack([x, y]), MOONS.X)


def test_every_view_draws_a_feature_map_run(qtbot):
    """Every dock shown while a degree-2 + sin, momentum run trains and epochs are selected:
    no view raises (pytest-qt fails on exceptions in the event loop) or warns."""
    from PySide6.QtWidgets import QDockWidget
    degree_2 = degree_2_window(qtbot, "momentum")
    for dock in degree_2.findChildren(QDockWidget):
        dock.show()
    degree_2.state.select_point(3)
    for epoch in (0, 7, 30):
        degree_2.state.select_epoch(epoch)
        degree_2.state.clock.flush()
        qtbot.waitUntil(lambda shown=epoch: degree_2.editor.boundary_curves() != [] or shown == 0)
    assert degree_2.run.history.last_epoch == 30


def test_exported_parameters_name_phi_terms(qtbot, monkeypatch, tmp_path):
    from lrviz.core.formats import read_params
    from tests.ui.window_helpers import answer_file_dialogs
    win = degree_2_window(qtbot)
    path = tmp_path / "params.json"
    answer_file_dialogs(monkeypatch, save_path=path)
    win.exports.export_params()
    params = read_params(path)
    assert params.feature_names == FeatureMap(2, True, inputs=MOONS.feature_names).terms
    np.testing.assert_array_equal(params.weights, win.run.history.W[-1])


def test_script_export_refuses_a_feature_map_run_clearly():
    from lrviz.core.run import Run
    from lrviz.core.script_export import reproduction
    from lrviz.core.settings import TrainingSettings
    run = Run(MOONS, TrainingSettings(degree=3))
    run.append_epochs([0], np.zeros((1, 10)), [np.log(2)], [0.1], 0.1, 0.0, 0)
    with pytest.raises(ValueError, match="feature map or another optimizer"):
        reproduction(run, 0)
