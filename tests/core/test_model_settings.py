"""The feature-map and optimizer settings in TrainingSettings (issue 14): one definition with
FEATURE_SPECS / OPTIMIZER_SPECS, optional in files, checked; sessions check the optimizer state."""

from __future__ import annotations

import dataclasses

import pytest

from lrviz.core.dataset import make_preset
from lrviz.core.formats import SessionFormatError, session_from_json_dict
from lrviz.core.formats.session import Session, session_to_json_dict
from lrviz.core.model_trainer import build_trainer
from lrviz.core.run import Run
from lrviz.core.settings import (
    MODEL_SETTINGS,
    TrainingSettings,
    checked_settings,
    model_specs,
)


def test_literal_defaults_are_the_specs():
    defaults = {f.name: f.default for f in dataclasses.fields(TrainingSettings)}
    for name, spec in model_specs().items():
        assert defaults[name] == spec.default, name
    assert defaults["optimizer"] == "gd" and set(MODEL_SETTINGS) == set(model_specs()) | {"optimizer"}


@pytest.mark.parametrize("bad", [{"degree": 7}, {"degree": 0}, {"sin": 1}, {"optimizer": "rmsprop"},
                                 {"batch_size": 0}, {"beta2": 1.0}, {"eps": 0.0}])
def test_bad_values_are_refused(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        TrainingSettings(**bad)


def test_files_without_the_model_settings_read_as_the_tutorial():
    plain = TrainingSettings().to_dict()
    assert not set(MODEL_SETTINGS) & set(plain)
    assert checked_settings(plain) == TrainingSettings()
    chosen = TrainingSettings(degree=4, optimizer="adam", beta1=0.8)
    assert checked_settings(chosen.to_dict()) == chosen


def _trained_session(optimizer: str) -> dict:
    points = make_preset("circles", n_points=30, seed=2)
    settings = TrainingSettings(degree=2, optimizer=optimizer)
    run = Run(points, settings)
    trainer = build_trainer(points.X, points.y, settings)
    history = trainer.run(5)
    import numpy as np
    run.append_epochs(np.append(0, history.epochs), np.vstack([np.zeros(6), np.column_stack([history.W, history.b])]),
                      np.append(np.log(2), history.loss), np.append(0.0, history.grad_norm), 0.1, 0.0, 0)
    run.optimizer_checkpoint = trainer.checkpoint() if optimizer != "gd" else None
    return session_to_json_dict(Session.from_run(run, None))


def test_the_optimizer_state_round_trips_and_bad_states_are_refused():
    data = _trained_session("momentum")
    assert data["optimizer_state"]["epoch"] == 5
    assert session_from_json_dict(data).optimizer_state == data["optimizer_state"]
    for damage in ({"epoch": 4}, {"optimizer": "adam"}, {"format": "x"}):
        broken = {**data, "optimizer_state": {**data["optimizer_state"], **damage}}
        with pytest.raises(SessionFormatError, match="optimizer state"):
            session_from_json_dict(broken)
    with pytest.raises(SessionFormatError, match="optimizer state"):
        session_from_json_dict({**data, "optimizer_state": [1, 2]})
    assert "optimizer_state" not in _trained_session("gd")


def test_a_history_of_other_columns_than_the_map_is_refused():
    data = _trained_session("gd")
    data["settings"]["degree"] = 3
    with pytest.raises(SessionFormatError, match="columns"):
        session_from_json_dict(data)
