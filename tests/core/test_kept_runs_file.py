"""Sessions with kept runs: exact round trips, older version-2 files open, damage is refused clearly."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from session_helpers import mutated_objects, reads_or_refuses

from lrviz.core.dataset import make_preset
from lrviz.core.formats import (
    Session,
    SessionFormatError,
    read_session,
    session_to_json_dict,
    write_session,
)
from lrviz.core.race import Race, race_settings
from lrviz.core.run import Run
from lrviz.core.run_collection import RunCollection
from lrviz.core.settings import TrainingSettings
from lrviz.core.trainer import Trainer

tmp_ok = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _session_with_kept_runs(n_kept: int = 3) -> Session:
    """A run of 10 epochs and `n_kept` raced runs (gd, momentum, Adam, …) of 12 epochs each."""
    run = Run(make_preset("moons", 40, seed=2), TrainingSettings(learning_rate=0.3))
    points = run.snapshot()
    trainer = Trainer(points.X, points.y, **run.settings.trainer_arguments())
    first = trainer.current
    run.append_epochs([0], np.append(first.w, first.b)[None], [first.loss], [first.grad_norm], 0.3, 0.0, 0)
    h = trainer.run(10)
    run.append_epochs(h.epochs, np.column_stack([h.W, h.b]), h.loss, h.grad_norm, 0.3, 0.0, 0)
    names = ["gd", "momentum", "adam", "nesterov", "sgd", "newton", "gd", "adam"][:n_kept]
    base = TrainingSettings(learning_rate=0.3, l2=0.01)
    race = Race(points.X, points.y, race_settings(base, names), [0.1, -0.2], 0.05, epochs=12)
    kept = RunCollection()
    starts = race.starts()
    for settings_, start in zip(race.settings, starts):
        run_history = run.history.copy()
        run_history.truncate_to(0)
        run_history.append([0], np.append(start.w, start.b)[None], [start.loss], [start.grad_norm], 0.3, 0.01, 0)
        kept.keep(settings_, run_history)
    for part in race.advance(12):
        kept.append_epochs(kept[part.racer], part.epochs, part.theta, part.loss, part.grad_norm, 0.3, 0.01, 0,
                           part.stop)
    kept.rename(kept[0], 'the "slow" one <b>')
    kept.set_visible(kept[-1], False)
    return dataclasses.replace(Session.from_run(run, None), kept_runs=tuple(kept))


def test_kept_runs_round_trip_exactly(tmp_path):
    session = _session_with_kept_runs()
    write_session(tmp_path / "s.json", session)
    again = read_session(tmp_path / "s.json")
    assert again == session
    assert [r.label for r in again.kept_runs] == ['the "slow" one <b>', "momentum β=0.9, α=0.3, λ=0.01",
                                                   "Adam β₁=0.9, β₂=0.999, α=0.3, λ=0.01"]
    assert [r.visible for r in again.kept_runs] == [True, True, False]
    assert [r.color for r in again.kept_runs] == [0, 1, 2]
    for kept, before in zip(again.kept_runs, session.kept_runs):
        np.testing.assert_array_equal(kept.history.theta, before.history.theta)  # bit for bit
        np.testing.assert_array_equal(kept.history.loss, before.history.loss)
        assert kept.stop.kind == "max_epochs" and kept.history.last_epoch == 12


def test_a_session_without_kept_runs_is_written_as_before(tmp_path):
    """No "kept_runs" key: the file is the one every earlier version-2 reader knows."""
    session = dataclasses.replace(_session_with_kept_runs(), kept_runs=())
    data = session_to_json_dict(session)
    assert "kept_runs" not in data and data["format"] == "lrviz-session/2"


def test_a_version_2_session_of_before_kept_runs_still_opens(tmp_path):
    data = session_to_json_dict(_session_with_kept_runs())
    del data["kept_runs"]
    (tmp_path / "old.json").write_text(json.dumps(data))
    assert read_session(tmp_path / "old.json").kept_runs == ()


def test_eight_runs_are_kept_and_nine_refused(tmp_path):
    session = _session_with_kept_runs(8)
    write_session(tmp_path / "s.json", session)
    assert len(read_session(tmp_path / "s.json").kept_runs) == 8
    data = session_to_json_dict(session)
    data["kept_runs"].append(data["kept_runs"][0])
    (tmp_path / "nine.json").write_text(json.dumps(data))
    with pytest.raises(SessionFormatError, match=r"kept_runs holds 9 runs; at most 8"):
        read_session(tmp_path / "nine.json")


@pytest.mark.parametrize(("change", "message"), [
    (lambda k: k.update(color=9), r"kept_runs\[0\]: a kept run's colour must be a whole number from 0 to 7"),
    (lambda k: k.update(label="  "), r"kept_runs\[0\]: a run's name must not be empty"),
    (lambda k: k.update(visible="yes"), r"kept_runs\[0\]: visible must be true or false"),
    (lambda k: k["settings"].update(learning_rate=-1), r"kept_runs\[0\]: .*learning_rate"),
    (lambda k: k["history"]["theta"].pop("w1"), r"kept_runs\[0\]: history.theta must be an object"),
    (lambda k: k.update(stop={"kind": "max_epochs", "epoch": 99, "message": "x"}), r"kept run 1 .*its stop"),
])
def test_a_damaged_kept_run_is_refused_saying_where(tmp_path, change, message):
    data = session_to_json_dict(_session_with_kept_runs())
    change(data["kept_runs"][0])
    (tmp_path / "s.json").write_text(json.dumps(data))
    with pytest.raises(SessionFormatError, match=message):
        read_session(tmp_path / "s.json")


_VALID = session_to_json_dict(_session_with_kept_runs(2))


@tmp_ok
@given(mutated_objects(_VALID))
def test_any_mutation_of_a_session_with_kept_runs_gives_a_session_format_error(tmp_path, text):
    (tmp_path / "s.json").write_text(text)
    reads_or_refuses(tmp_path / "s.json")


def test_a_kept_run_with_a_test_loss_round_trips(tmp_path):
    session = _session_with_kept_runs(1)
    kept = session.kept_runs[0]
    h = kept.history
    tested = np.arange(len(h)) % 2 == 0
    with_test = type(h)(h.names)
    with_test.append(h.epochs, h.theta, h.loss, h.grad_norm, h.learning_rate, h.l2, h.data_revision,
                     np.where(tested, h.loss * 1.1, np.nan), tested)
    kept.history = with_test
    write_session(tmp_path / "s.json", session)
    again = read_session(tmp_path / "s.json").kept_runs[0].history
    assert again.has_test_loss and again == with_test
    np.testing.assert_array_equal(again.test_loss_series()[1], with_test.test_loss_series()[1])
