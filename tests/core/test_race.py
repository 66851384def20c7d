"""A race's racers are exactly headless runs of their settings from the shared start."""

from __future__ import annotations

import numpy as np
import pytest

from lrviz.core.dataset import make_preset
from lrviz.core.model_trainer import build_trainer
from lrviz.core.race import DEFAULT_RACERS, Race, race_settings
from lrviz.core.settings import TrainingSettings


def _points():
    data = make_preset("moons", 120, 0.2, 3)
    return data.snapshot()


@pytest.mark.parametrize("base", [TrainingSettings(learning_rate=0.3),
                                  TrainingSettings(learning_rate=0.2, l2=0.01, standardize=True, degree=2),
                                  TrainingSettings(learning_rate=0.1, batch_size=16, seed=5)])
def test_racers_equal_headless_runs(base):
    X, y = _points()
    optimizers = ("gd", "momentum", "nesterov", "adam", "sgd")
    w0, b0 = np.full(base.degree * (base.degree + 3) // 2, 0.3), -0.2
    race = Race(X, y, race_settings(base, optimizers), w0, b0, epochs=60)
    got = {i: [] for i in range(len(optimizers))}
    while not race.finished:
        for part in race.advance(7):  # chunks of 7 epochs: the worker's chunks do not change the numbers
            got[part.racer].append(part)
    for i, settings in enumerate(race.settings):
        alone = build_trainer(X, y, settings, w0=w0, b0=b0, max_epochs=60)
        history = alone.run(1000)
        theta = np.concatenate([p.theta for p in got[i]])
        loss = np.concatenate([p.loss for p in got[i]])
        np.testing.assert_array_equal(np.concatenate([p.epochs for p in got[i]]), np.arange(1, 61))
        np.testing.assert_allclose(theta, np.column_stack([history.W, history.b]), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(loss, history.loss, rtol=1e-12, atol=1e-12)
        assert got[i][-1].stop is not None and got[i][-1].stop.kind == "max_epochs"


def test_every_row_is_the_full_data_loss():
    """A mini-batch racer's loss is that of every point at the row's θ (fair comparison)."""
    X, y = _points()
    race = Race(X, y, race_settings(TrainingSettings(batch_size=10), ["sgd"]), [0.0, 0.0], 0.0, epochs=5)
    part = race.advance(5)[0]
    for theta, loss in zip(part.theta, part.loss):
        z = X @ theta[:2] + theta[2]
        expected = np.mean(np.logaddexp(0.0, z) - y * z)
        assert loss == pytest.approx(expected, rel=1e-12)


def test_all_racers_start_at_the_same_theta():
    X, y = _points()
    race = Race(X, y, race_settings(TrainingSettings(), DEFAULT_RACERS), [0.5, -1.0], 0.25, start_epoch=4)
    starts = race.starts()
    assert [r.epoch for r in starts] == [4, 4, 4]
    for record in starts:
        np.testing.assert_allclose(record.w, [0.5, -1.0], rtol=1e-15)
        assert record.b == pytest.approx(0.25, rel=1e-15)


def test_bad_choices_are_refused():
    with pytest.raises(ValueError, match="at least one"):
        race_settings(TrainingSettings(), [])
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'"):
        race_settings(TrainingSettings(), ["gd", "rmsprop"])
