"""Parameter, history and session files: exact round trips, clear errors, atomic writes."""

from __future__ import annotations

import json
import math
import os
import stat

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
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
from lrviz.core.trainer import STOP_CONVERGED, StopInfo

PARAMS = TrainedParams(weights=(0.1 + 0.2, -1e-300), bias=1 / 3, feature_names=("height", "weight, kg"),
                       epoch=123, loss=0.6931471805599453, accuracy=0.85, learning_rate=0.05,
                       l2=1e-4, standardize=True)
finite = st.floats(allow_nan=False, allow_infinity=False)
tmp_ok = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# -- parameters ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["p.json", "p.CSV", "p.txt"])
def test_params_round_trip_exactly(tmp_path, name):
    write_params(tmp_path / name, PARAMS)
    assert read_params(tmp_path / name) == PARAMS


@tmp_ok
@given(weights=st.lists(finite, min_size=1, max_size=4), bias=finite,
       loss=st.floats(0, 1e300), accuracy=st.floats(0, 1), learning_rate=st.floats(1e-300, 1e300),
       epoch=st.integers(0, 2**62), suffix=st.sampled_from([".json", ".csv"]))
def test_any_params_round_trip_exactly(tmp_path, weights, bias, loss, accuracy, learning_rate, epoch, suffix):
    params = TrainedParams(weights=tuple(weights), bias=bias,
                           feature_names=tuple(f"f{i}" for i in range(len(weights))), epoch=epoch,
                           loss=loss, accuracy=accuracy, learning_rate=learning_rate, l2=0.0,
                           standardize=False)
    write_params(tmp_path / f"p{suffix}", params)
    assert read_params(tmp_path / f"p{suffix}") == params


def test_params_files_have_the_documented_layout(tmp_path):
    write_params(tmp_path / "p.json", PARAMS)
    data = json.loads((tmp_path / "p.json").read_text())
    assert list(data) == ["format", "weights", "bias", "feature_names", "epoch", "loss", "accuracy",
                          "learning_rate", "l2", "standardize"]
    assert data["format"] == "lrviz-params/1"
    write_params(tmp_path / "p.csv", PARAMS)
    lines = (tmp_path / "p.csv").read_text().splitlines()
    assert lines[:4] == ["name,value", "format,lrviz-params/1", "w_height,0.30000000000000004",
                         '"w_weight, kg",-1e-300']
    assert lines[4:] == ["bias,0.3333333333333333", "epoch,123", "loss,0.6931471805599453",
                         "accuracy,0.85", "learning_rate,0.05", "l2,0.0001", "standardize,true"]


@pytest.mark.parametrize("change, message", [
    ({"loss": math.nan}, "loss must be a finite"),
    ({"accuracy": 1.5}, "accuracy must be between 0 and 1"),
    ({"learning_rate": 0.0}, "learning_rate must be positive"),
    ({"weights": ()}, "at least one weight"),
    ({"feature_names": ("x1",)}, "feature_names"),
    ({"epoch": -1}, "epoch"),
])
def test_params_that_could_not_be_read_back_are_refused(change, message):
    fields = {**PARAMS.__dict__, **change}
    with pytest.raises(ValueError, match=message):
        TrainedParams(**fields)


@pytest.mark.parametrize("change, message", [
    ({"format": "other"}, "not an lrviz parameters file"),
    ({"format": "lrviz-params/2"}, "newer lrviz"),
    ({"weights": []}, "weights"),
    ({"weights": [1.0, "a"]}, "a weight must be a number"),
    ({"weights": [1.0, 10**400]}, "a weight must be a finite number"),
    ({"feature_names": ["x1"]}, "feature_names"),
    ({"epoch": -1}, "epoch"),
    ({"epoch": 2.5}, "epoch"),
    ({"standardize": "yes"}, "standardize"),
    ({"bias": None}, "bias"),
    ({"bias": True}, "bias"),
    ({"accuracy": 7}, "accuracy must be between 0 and 1"),
    ({"l2": -1}, "l2 must be"),
])
def test_bad_params_json_is_rejected_clearly(tmp_path, change, message):
    data = PARAMS.to_json_dict() | change
    (tmp_path / "p.json").write_text(json.dumps(data))
    with pytest.raises(ParamsFormatError, match=message):
        read_params(tmp_path / "p.json")


@pytest.mark.parametrize("text, message", [
    ('{"format": "lrviz-params/1", "weights": [NaN]}', "NaN is not allowed"),
    ('{"format": "lrviz-params/1", "weights": [Infinity]}', "Infinity is not allowed"),
    ('{"weights": [1e400]}', "not an lrviz parameters file"),
    ('{"format": "lrviz-params/1", "epoch": ' + "9" * 5000 + "}", "not valid JSON"),
    ("[1, 2]", "JSON object"),
    ("{", "not valid JSON"),
    ("", "not valid JSON"),
])
def test_bad_params_json_text(tmp_path, text, message):
    (tmp_path / "p.json").write_text(text)
    with pytest.raises(ParamsFormatError, match=message):
        read_params(tmp_path / "p.json")


@pytest.mark.parametrize("edit, message", [
    (lambda rows: rows.remove("format,lrviz-params/1"), "no 'format,lrviz-params/1' row"),
    (lambda rows: rows.insert(3, "colour,blue"), "line 4: unknown name 'colour'"),
    (lambda rows: rows.append("bias,1.0"), "line 12: bias appears twice"),
    (lambda rows: rows.__setitem__(4, "bias,one third"), "line 5: 'one third' is not a number"),
    (lambda rows: rows.__setitem__(5, "epoch,1.5"), "line 6: epoch must be a whole number"),
    (lambda rows: rows.__setitem__(10, "standardize,maybe"), "line 11: standardize must be true or false"),
    (lambda rows: rows.__setitem__(6, "loss,inf"), "line 7: 'inf' is not a finite number"),
    (lambda rows: rows.__setitem__(1, "format,lrviz-params/9"), "newer lrviz"),
    (lambda rows: rows.__setitem__(0, "key,number"), "line 1: expected the header 'name,value'"),
    (lambda rows: rows.pop(), "missing standardize"),
])
def test_bad_params_csv_names_the_line(tmp_path, edit, message):
    write_params(tmp_path / "p.csv", PARAMS)
    rows = (tmp_path / "p.csv").read_text().splitlines()
    edit(rows)
    (tmp_path / "p.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(ParamsFormatError, match=message):
        read_params(tmp_path / "p.csv")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
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
        assert all(np.isfinite(params.weights)) and 0 <= params.accuracy <= 1


@tmp_ok
@given(st.binary(max_size=200))
def test_any_bytes_give_a_format_error_never_a_crash(tmp_path, blob):
    for name, reader, error in (("p.json", read_params, ParamsFormatError),
                                ("p.csv", read_params, ParamsFormatError),
                                ("s.lrviz.json", read_session, SessionFormatError),
                                ("h.csv", read_history_csv, HistoryFormatError)):
        (tmp_path / name).write_bytes(blob)
        try:
            reader(tmp_path / name)
        except error as exc:
            assert str(exc)


def _mutations(text: str):
    """A valid file's text, damaged: cut, a character replaced, or a piece inserted."""
    return st.one_of(
        st.integers(0, len(text) - 1).map(lambda i: text[:i]),
        st.tuples(st.integers(0, len(text) - 1), st.sampled_from(list('0-9e.,:"[]{}ntfx '))).map(
            lambda t: text[:t[0]] + t[1] + text[t[0] + 1:]),
        st.tuples(st.integers(0, len(text)), st.sampled_from(["NaN", "1e999", "-1", "true", "null", '"a"',
                                                              "[]", "{}", "99999999999999999999999"])).map(
            lambda t: text[:t[0]] + t[1] + text[t[0]:]),
    )


# -- history -----------------------------------------------------------------------------------------------
def test_history_round_trip_exactly(tmp_path):
    rng = np.random.default_rng(0)
    epochs = np.arange(50)
    W, b, loss = rng.normal(size=(50, 2)), rng.normal(size=50) * 1e-200, rng.random(50)
    write_history_csv(tmp_path / "h.csv", epochs, W, b, loss, feature_names=("a", "b"))
    assert (tmp_path / "h.csv").read_text().splitlines()[0] == "epoch,loss,w1,w2,b"
    e2, W2, b2, l2 = read_history_csv(tmp_path / "h.csv")
    assert e2.dtype == np.int64 and W2.shape == (50, 2)
    np.testing.assert_array_equal(e2, epochs)
    np.testing.assert_array_equal(W2, W)
    np.testing.assert_array_equal(b2, b)
    np.testing.assert_array_equal(l2, loss)


def test_history_slow_path_gives_the_same_values(tmp_path):
    """A blank line and CRLF push the reader onto its row-by-row parser: same numbers."""
    write_history_csv(tmp_path / "h.csv", [3, 4, 7], [[0.1, 0.2], [1e-310, -2.5], [3.0, 4.0]],
                      [0.5, 1 / 3, 2.0], [0.7, 0.6, 0.1])
    fast = read_history_csv(tmp_path / "h.csv")
    lines = (tmp_path / "h.csv").read_text().splitlines()
    (tmp_path / "slow.csv").write_bytes(("\r\n".join(lines[:2] + ["", " "] + lines[2:]) + "\r\n").encode())
    slow = read_history_csv(tmp_path / "slow.csv")
    for a, b in zip(fast, slow):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(fast[0], [3, 4, 7])


def test_empty_history_round_trips(tmp_path):
    write_history_csv(tmp_path / "h.csv", [], np.empty((0, 2)), [], [])
    epochs, W, b, loss = read_history_csv(tmp_path / "h.csv")
    assert len(epochs) == 0 and W.shape == (0, 2)


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("epoch,loss,b\n", "line 1: expected the header"),
    ("epoch,loss,w1,w2,b\n0,0.5,0,0,0\n1,0.4,0,0\n", "line 3: expected 5 values"),
    ("epoch,loss,w1,w2,b\n0,0.5,0,0,0\n1.5,0.4,0,0,0\n", "line 3: the epoch must be a whole number"),
    ("epoch,loss,w1,w2,b\n0,0.5,0,0,0\n\n1,nan,0,0,0\n", "line 4: 'nan' is not a finite number"),
    ("epoch,loss,w1,w2,b\n0,0.5,0,0,0\n0,0.4,0,0,0\n", "epochs must be whole numbers ≥ 0 that increase"),
])
def test_bad_history_is_rejected_clearly(tmp_path, text, message):
    (tmp_path / "h.csv").write_text(text)
    with pytest.raises(HistoryFormatError, match=message):
        read_history_csv(tmp_path / "h.csv")


def test_history_writer_refuses_what_it_could_not_read(tmp_path):
    with pytest.raises(ValueError, match="finite"):
        write_history_csv(tmp_path / "h.csv", [0, 1], [[0, 0], [np.nan, 0]], [0, 0], [1, 1])
    with pytest.raises(ValueError, match="different lengths"):
        write_history_csv(tmp_path / "h.csv", [0, 1], [[0, 0]], [0, 0], [1, 1])
    with pytest.raises(ValueError, match="feature names"):
        write_history_csv(tmp_path / "h.csv", [0], [[0, 0]], [0], [1], feature_names=("a",))
    assert list(tmp_path.iterdir()) == []


# -- sessions ------------------------------------------------------------------------------------------------
def _session(k: int = 11, stop: StopInfo | None = None) -> Session:
    rng = np.random.default_rng(1)
    return Session(
        X=rng.normal(size=(20, 2)), y=rng.integers(0, 2, 20), feature_names=("a", "b, c"),
        settings={"learning_rate": 0.3, "l2": 0.0, "standardize": False, "init": "random", "seed": 4,
                  "max_epochs": 1000, "tol": None, "epochs_per_second": None},
        epochs=np.arange(5, 5 + k), W=rng.normal(size=(k, 2)), b=rng.normal(size=k),
        loss=rng.random(k), grad_norm=rng.random(k), stop=stop,
    )


@pytest.mark.parametrize("k, stop", [(11, None), (0, None), (3, StopInfo(STOP_CONVERGED, 7, "gradient norm small"))])
def test_session_round_trip_exactly(tmp_path, k, stop):
    session = _session(k, stop)
    write_session(tmp_path / "s.lrviz.json", session)
    back = read_session(tmp_path / "s.lrviz.json")
    assert back == session
    assert back.stop == stop
    assert back.settings == session.settings and list(back.settings) == list(lio.DEFAULT_SESSION_SETTINGS)
    if k:
        assert back.current_epoch == 5 + k - 1 and back.current_b == session.b[-1]
        np.testing.assert_array_equal(back.current_w, session.W[-1])
    else:
        assert back.current_epoch is None and back.current_w is None


@tmp_ok
@given(points=st.lists(st.tuples(finite, finite, st.integers(0, 1)), max_size=8),
       values=st.lists(st.tuples(finite, finite, finite, st.floats(0, 1e300), st.floats(0, 1e300)), max_size=8),
       start=st.integers(0, 10**12), lr=st.floats(1e-300, 1e300), tol=st.none() | st.floats(0, 1e300))
def test_any_session_round_trips_exactly(tmp_path, points, values, start, lr, tol):
    session = Session(
        X=np.array([p[:2] for p in points]).reshape(-1, 2), y=[p[2] for p in points],
        settings=lio.DEFAULT_SESSION_SETTINGS | {"learning_rate": lr, "tol": tol},
        epochs=np.arange(start, start + len(values)), W=[v[:2] for v in values] or np.empty((0, 2)),
        b=[v[2] for v in values], loss=[v[3] for v in values], grad_norm=[v[4] for v in values])
    write_session(tmp_path / "s.json", session)
    assert read_session(tmp_path / "s.json") == session


def test_session_layout(tmp_path):
    write_session(tmp_path / "s.json", _session(2))
    data = json.loads((tmp_path / "s.json").read_text())
    assert list(data) == ["format", "points", "settings", "parameters", "history", "stop"]
    assert data["format"] == "lrviz-session/1"
    assert list(data["points"]) == ["feature_names", "x1", "x2", "label"]
    assert list(data["history"]) == ["epoch", "loss", "w1", "w2", "b", "grad_norm"]
    assert data["parameters"] == {"epoch": 6, "weights": [data["history"]["w1"][-1], data["history"]["w2"][-1]],
                                  "bias": data["history"]["b"][-1], "loss": data["history"]["loss"][-1]}


def test_session_arrays_are_read_only_copies():
    W = np.zeros((2, 2))
    session = Session(X=[[0.0, 1.0]], y=[1], epochs=[0, 1], W=W, b=[0, 0], loss=[1, 1], grad_norm=[0, 0])
    W[0, 0] = 5.0
    assert session.W[0, 0] == 0.0
    with pytest.raises(ValueError):
        session.W[0, 0] = 1.0


@pytest.mark.parametrize("fmt", ["lrviz-session/2", "lrviz-session/17"])
def test_session_from_a_newer_version_says_so(tmp_path, fmt):
    data = lio.session_to_json_dict(_session()) | {"format": fmt}
    (tmp_path / "s.json").write_text(json.dumps(data))
    with pytest.raises(SessionFormatError, match="newer lrviz"):
        read_session(tmp_path / "s.json")


@pytest.mark.parametrize("damage, message", [
    (lambda d: d.pop("points"), "points is missing"),
    (lambda d: d.pop("format"), "not an lrviz session"),
    (lambda d: d.__setitem__("format", "lrviz-params/1"), "not an lrviz session"),
    (lambda d: d["points"]["x1"].pop(), "different lengths"),
    (lambda d: d["points"]["x2"].__setitem__(0, "1.0"), "points.x2 must be a list of numbers"),
    (lambda d: d["points"]["label"].__setitem__(0, 2), "label must be 0 or 1"),
    (lambda d: d["points"]["label"].__setitem__(0, True), "points.label must be a list of whole numbers"),
    (lambda d: d["points"]["feature_names"].pop(), "two non-empty"),
    (lambda d: d["history"]["epoch"].reverse(), "increase"),
    (lambda d: d["history"]["epoch"].__setitem__(-1, 10**30), "too large"),
    (lambda d: d["history"]["w1"].__setitem__(0, 10**400), "too large for a float"),
    (lambda d: d["history"]["w2"].pop(), "different lengths"),
    (lambda d: d["history"]["grad_norm"].__setitem__(0, -1.0), "gradient norms"),
    (lambda d: d["settings"].__setitem__("learning_rate", "fast"), "learning_rate must be a number"),
    (lambda d: d["settings"].__setitem__("learning_rate", -0.1), "learning_rate must be > 0"),
    (lambda d: d["settings"].__setitem__("init", "ones"), "init must be"),
    (lambda d: d["settings"].__setitem__("max_epochs", 2.5), "max_epochs must be a whole number"),
    (lambda d: d["settings"].pop("seed"), "lack seed"),
    (lambda d: d["parameters"].__setitem__("bias", 0.5), "parameters"),
    (lambda d: d.__setitem__("stop", {"kind": "bored", "epoch": 1, "message": ""}), "stop must be"),
])
def test_damaged_sessions_are_rejected_clearly(tmp_path, damage, message):
    data = lio.session_to_json_dict(_session())
    damage(data)
    (tmp_path / "s.json").write_text(json.dumps(data))
    with pytest.raises(SessionFormatError, match=message):
        read_session(tmp_path / "s.json")


_VALID_SESSION_TEXT = json.dumps(lio.session_to_json_dict(_session(3)), separators=(",", ":"))


@tmp_ok
@given(_mutations(_VALID_SESSION_TEXT))
def test_damaged_session_text_gives_a_session_format_error(tmp_path, text):
    (tmp_path / "s.json").write_text(text)
    try:
        session = read_session(tmp_path / "s.json")
    except SessionFormatError as error:
        assert str(error)
    else:  # a harmless change (e.g. a digit of a coordinate): still a valid, finite session
        assert np.all(np.isfinite(session.X)) and np.all(np.isfinite(session.loss))


def test_session_writer_refuses_what_it_could_not_read():
    with pytest.raises(ValueError, match="finite"):
        Session(X=[[np.inf, 0.0]], y=[0])
    with pytest.raises(ValueError, match="count up by one"):
        Session(X=[[0.0, 0.0]], y=[0], epochs=[0, 2], W=np.zeros((2, 2)), b=[0, 0], loss=[1, 1],
                grad_norm=[0, 0])
    with pytest.raises(ValueError, match="lack"):
        Session(X=[[0.0, 0.0]], y=[0], settings={"learning_rate": 0.1})


# -- atomic writes -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("broken", ["os.replace", "os.fsync", "json.dumps"])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch, broken):
    target = tmp_path / "s.lrviz.json"
    target.write_text("old")

    def fail(*args, **kwargs):
        raise OSError("disk full")

    module, name = broken.split(".")
    monkeypatch.setattr({"os": os, "json": json}[module], name, fail)
    with pytest.raises(OSError, match="disk full"):
        write_session(target, _session())
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["s.lrviz.json"]


def test_atomic_write_replaces_the_whole_file(tmp_path):
    target = tmp_path / "t.txt"
    atomic_write_text(target, "a" * 1000)
    atomic_write_text(target, "é\n")
    assert target.read_bytes() == "é\n".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_atomic_write_gives_the_usual_permissions_and_keeps_existing_ones(tmp_path):
    old_umask = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "new.txt", "x")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644
    (tmp_path / "kept.txt").write_text("x")
    os.chmod(tmp_path / "kept.txt", 0o640)
    atomic_write_text(tmp_path / "kept.txt", "y")
    assert stat.S_IMODE((tmp_path / "kept.txt").stat().st_mode) == 0o640


def test_writing_into_a_missing_folder_raises_oserror(tmp_path):
    with pytest.raises(OSError):
        write_params(tmp_path / "no" / "p.json", PARAMS)
