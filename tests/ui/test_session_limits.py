"""A session's settings must fit the window (issue 18, item 4).

A seed or max_epochs ≥ 2³¹ once passed the reader, then QSpinBox.setValue raised an
OverflowError half-way through applying the settings: the learning-rate box showed the
refused file's value while training used another. Now the reader checks every setting
against SETTING_SPECS, whose ranges the controls hold exactly, so applying can not fail.
"""

from __future__ import annotations

import json

import pytest
from window_helpers import shown_window

from lrviz.core.dataset import Dataset
from lrviz.core.formats import Session, write_session
from lrviz.core.settings import SETTING_SPECS, TrainingSettings

POINTS = Dataset([[-1.0, -0.5], [-0.5, -1.5], [0.8, 0.2], [1.0, 1.5]], [0, 0, 1, 1])
INT32_MAX = 2**31 - 1


@pytest.mark.parametrize(("name", "value"), [
    ("seed", 2**31), ("seed", 2**63), ("seed", -1), ("max_epochs", 2**31), ("max_epochs", 10**8 + 1),
    ("learning_rate", 1e7), ("learning_rate", 0.0), ("l2", 1e4), ("tol", 2.0), ("epochs_per_second", 1e9),
    ("epochs_per_second", 0.5), ("init", "<b>ones</b>"), ("standardize", 1),
])
def test_a_setting_the_window_cannot_hold_refuses_the_whole_session(qtbot, tmp_path, message_boxes, name, value):
    win = shown_window(qtbot, POINTS)
    win.controls.learning_rate_spin.setValue(0.5)
    before_controls, before_points = win.controls.settings(), win.run.points.copy()
    path = tmp_path / "s.lrviz.json"
    write_session(path, Session(points=POINTS, settings=TrainingSettings(learning_rate=0.02, seed=7)))
    data = json.loads(path.read_text())
    data["settings"][name] = value
    path.write_text(json.dumps(data))
    assert not win.documents.open_path(str(path))
    assert [kind for kind, *_ in message_boxes.shown] == ["warning"]
    assert f"the setting {name} must be" in message_boxes.shown[0][2]
    assert win.controls.settings() == before_controls  # nothing of the refused file applied
    assert win.run.points == before_points


EDGES = [TrainingSettings(learning_rate=1e-6, l2=1e3, seed=INT32_MAX, max_epochs=10**8, tol=1.0,
                          epochs_per_second=1.0, init="random", standardize=True),
         TrainingSettings(learning_rate=1e6, l2=0.0, seed=0, max_epochs=0, tol=1e-12, epochs_per_second=1000.0),
         TrainingSettings(max_epochs=1, tol=None, epochs_per_second=None)]


@pytest.mark.parametrize("settings", EDGES)
def test_every_setting_at_the_edge_of_its_range_is_shown_as_it_is(qtbot, tmp_path, settings):
    """The controls hold every value the reader accepts, so a session is applied whole."""
    win = shown_window(qtbot, POINTS)
    path = tmp_path / "s.lrviz.json"
    write_session(path, Session(points=POINTS, settings=settings))
    assert win.documents.open_path(str(path))
    assert win.controls.settings() == settings
    assert win.run.settings == settings


def test_the_int_settings_fit_a_qspinbox():
    for spec in SETTING_SPECS.values():
        if spec.kind == "int":
            assert 0 <= spec.low and spec.high <= INT32_MAX, spec.name
