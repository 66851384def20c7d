"""Sessions written by lrviz before the run model (version 1, kept in tests/data/v1) open in
the window and show the same points, boundary, curves and numbers as when they were saved."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from lrviz.core.dataset import make_preset
from window_helpers import shown_window

V1 = Path(__file__).resolve().parent.parent / "data" / "v1"
SESSIONS = sorted(V1.glob("*.lrviz.json"))


@pytest.mark.parametrize("path", SESSIONS, ids=[p.name for p in SESSIONS])
def test_a_version1_session_shows_what_was_saved(qtbot, path):
    raw = json.loads(path.read_text())
    win = shown_window(qtbot, make_preset("xor", 10))
    assert win.documents.open_path(str(path))
    win.state.clock.flush()
    QApplication.processEvents()
    points, history = raw["points"], raw["history"]
    np.testing.assert_array_equal(win.run.points.X, np.column_stack([points["x1"], points["x2"]]))
    np.testing.assert_array_equal(win.run.points.y, points["label"])
    assert win.run.points.feature_names == tuple(points["feature_names"])
    h = win.run.history
    if not history["epoch"]:  # never trained: a fresh epoch 0 on its points
        qtbot.waitUntil(lambda: len(win.run.history) == 1)
        assert win.run.history.last_epoch == 0 and win.run.stop is None
        win.close()
        return
    np.testing.assert_array_equal(h.epochs, history["epoch"])
    np.testing.assert_array_equal(h.W, np.column_stack([history["w1"], history["w2"]]).reshape(-1, 2))
    np.testing.assert_array_equal(h.b, history["b"])
    np.testing.assert_array_equal(h.loss, history["loss"])
    np.testing.assert_array_equal(h.grad_norm, history["grad_norm"])
    settings = win.run.settings.to_dict()
    assert settings == raw["settings"]
    assert win.controls.settings().learning_rate == raw["settings"]["learning_rate"]
    stop = raw["stop"]
    assert (win.run.stop is None) == (stop is None)
    if stop is not None:
        assert (win.run.stop.kind, win.run.stop.epoch, win.run.stop.message) == (stop["kind"], stop["epoch"],
                                                                                 stop["message"])
    assert not win.has_unsaved_changes()
    assert win.state.follow_latest and win.state.shown_epoch == history["epoch"][-1]
    np.testing.assert_array_equal(win.editor._w, [history["w1"][-1], history["w2"][-1]])
    assert win.editor._b == history["b"][-1]
    win.loss_plot.refresh()
    epochs, loss = win.loss_plot.history_data()
    np.testing.assert_array_equal(loss, history["loss"])
    assert win.readout.readout["epoch"].text() == f"{history['epoch'][-1]:,}"
    assert win.readout.readout["loss"].text() == f"{history['loss'][-1]:.6g}"
    win.close()
