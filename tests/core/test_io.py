"""Parameter, history and session files: exact round trips, clear errors, atomic writes."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrviz.core import io as lio
from lrviz.core.io import (
    HistoryFormatError,
    ParamsFormatError,
    Session,
    SessionFormatError,
    TrainedParams,
    atomic_write_text,
    read_history_csv,
    read_params,
    read_session,
    write_history_csv,
    write_params,
    write_session,
)

PARAMS = TrainedParams(weights=(0.1 + 0.2, -1e-300), bias=1 / 3, feature_names=("height", "weight"),
                       epoch=123, loss=0.6931471805599453, accuracy=0.85, learning_rate=0.05,
                       l2=1e-4, standardize=True)


@pytest.mark.parametrize("name", ["p.json", "p.csv", "p.txt"])
def test_params_round_trip_exactly(tmp_path, name):
    write_params(tmp_path / name, PARAMS)
    assert read_params(tmp_path / name) == PARAMS


def test_params_json_has_the_documented_keys(tmp_path):
    write_params(tmp_path / "p.json", PARAMS)
    data = json.loads((tmp_path / "p.json").read_text())
    assert list(data) == ["format", "weights", "bias", "feature_names", "epoch", "loss", "accuracy",
                          "learning_rate", "l2", "standardize"]
    assert data["format"] == "lrviz-params/1"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"format": "other"}, "not an lrviz parameters file"),
        ({"weights": []}, "weights"),
        ({"weights": [1.0, "a"]}, "a weight must be a number"),
        ({"feature_names": ["x1"]}, "feature_names"),
        ({"epoch": -1}, "epoch"),
        ({"standardize": "yes"}, "standardize"),
        ({"bias": None}, "bias"),
    ],
)
def test_bad_params_json_is_rejected_clearly(tmp_path, change, message):
    data = PARAMS.to_json_dict() | change
    (tmp_path / "p.json").write_text(json.dumps(data))
    with pytest.raises(ParamsFormatError, match=message):
        read_params(tmp_path / "p.json")


def test_params_json_rejects_nan_and_infinity(tmp_path):
    (tmp_path / "p.json").write_text(json.dumps(PARAMS.to_json_dict()).replace("0.85", "NaN"))
    with pytest.raises(ParamsFormatError, match="NaN"):
        read_params(tmp_path / "p.json")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(list(PARAMS.to_json_dict()) + ["other"]), json_values, max_size=10))
def test_any_json_object_is_a_params_file_or_a_params_format_error(data):
    merged = PARAMS.to_json_dict() | data
    try:
        params = lio.params_from_json_dict(merged)
    except ParamsFormatError as error:
        assert str(error)
    else:
        assert all(np.isfinite(params.weights))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_give_a_format_error_never_a_crash(tmp_path_factory, blob):
    folder = tmp_path_factory.mktemp("bad")
    for name, reader, error in (("p.json", read_params, ParamsFormatError),
                                ("p.csv", read_params, ParamsFormatError),
                                ("s.lrviz.json", read_session, SessionFormatError),
                                ("h.csv", read_history_csv, HistoryFormatError)):
        (folder / name).write_bytes(blob)
        try:
            reader(folder / name)
        except error as exc:
            assert str(exc)


def test_history_round_trip_exactly(tmp_path):
    rng = np.random.default_rng(0)
    epochs = np.arange(50)
    W, b, loss = rng.normal(size=(50, 2)), rng.normal(size=50), rng.random(50)
    write_history_csv(tmp_path / "h.csv", epochs, W, b, loss)
    assert (tmp_path / "h.csv").read_text().splitlines()[0] == "epoch,loss,w1,w2,b"
    e2, W2, b2, l2 = read_history_csv(tmp_path / "h.csv")
    np.testing.assert_array_equal(e2, epochs)
    np.testing.assert_array_equal(W2, W)
    np.testing.assert_array_equal(b2, b)
    np.testing.assert_array_equal(l2, loss)


def _session() -> Session:
    rng = np.random.default_rng(1)
    return Session(
        X=rng.normal(size=(20, 2)), y=rng.integers(0, 2, 20), feature_names=("a", "b"),
        settings={"learning_rate": 0.3, "l2": 0.0, "standardize": False, "init": "random", "seed": 4,
                  "max_epochs": 1000, "tol": None, "epochs_per_second": None},
        epochs=np.arange(11), W=rng.normal(size=(11, 2)), b=rng.normal(size=11),
        loss=rng.random(11), grad_norm=rng.random(11),
    )


def test_session_round_trip_exactly(tmp_path):
    session = _session()
    write_session(tmp_path / "s.json", session)
    assert read_session(tmp_path / "s.json") == session


def test_session_from_a_newer_version_says_so(tmp_path):
    data = lio.session_to_json_dict(_session()) | {"format": "lrviz-session/2", "version": 2}
    (tmp_path / "s.json").write_text(json.dumps(data))
    with pytest.raises(SessionFormatError, match="newer lrviz"):
        read_session(tmp_path / "s.json")


@pytest.mark.parametrize("damage", [
    lambda d: d.pop("points"),
    lambda d: d["points"]["x1"].pop(),
    lambda d: d["points"]["label"].__setitem__(0, 2),
    lambda d: d["history"]["epoch"].reverse(),
    lambda d: d["history"]["w"].__setitem__(0, [1.0]),
    lambda d: d["settings"].__setitem__("learning_rate", "fast"),
])
def test_damaged_sessions_are_rejected(tmp_path, damage):
    data = lio.session_to_json_dict(_session())
    damage(data)
    (tmp_path / "s.json").write_text(json.dumps(data))
    with pytest.raises(SessionFormatError):
        read_session(tmp_path / "s.json")


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "params.json"
    target.write_text("old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_params(target, PARAMS)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["params.json"]


def test_atomic_write_replaces_whole_file(tmp_path):
    target = tmp_path / "t.txt"
    atomic_write_text(target, "a" * 1000)
    atomic_write_text(target, "b")
    assert target.read_text() == "b"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]
