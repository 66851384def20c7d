"""Parameter files (JSON and CSV): exact round trips, clear errors, version-1 files read as written."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrviz.core.formats import ParamsFormatError, TrainedParams, params_from_json_dict, read_params, write_params

V1 = Path(__file__).parent.parent / "data" / "v1"
PARAMS = TrainedParams(weights=(0.1 + 0.2, -1e-300), bias=1 / 3, feature_names=("height", "weight, kg"),
                       epoch=123, loss=0.6931471805599453, accuracy=0.85, learning_rate=0.05,
                       l2=1e-4, standardize=True)
finite = st.floats(allow_nan=False, allow_infinity=False)
tmp_ok = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


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
        params = params_from_json_dict(merged)
    except ParamsFormatError as error:
        assert str(error)
    else:
        assert all(np.isfinite(params.weights)) and 0 <= params.accuracy <= 1


@pytest.mark.parametrize("name", ["moons_gd_params.json", "moons_gd_params.csv"])
def test_version_1_params_files_read_exactly_as_written(name):
    """Written by lrviz before the formats package (tests/data/v1); the params format did not change."""
    raw = json.loads((V1 / "moons_gd_params.json").read_text())
    params = read_params(V1 / name)
    assert params.to_json_dict() == raw
    assert params == TrainedParams(weights=tuple(raw["weights"]), bias=raw["bias"],
                                   feature_names=tuple(raw["feature_names"]), epoch=raw["epoch"], loss=raw["loss"],
                                   accuracy=raw["accuracy"], learning_rate=raw["learning_rate"], l2=raw["l2"],
                                   standardize=raw["standardize"])


@pytest.mark.parametrize("name", ["moons_gd_params.json", "moons_gd_params.csv"])
def test_version_1_params_files_are_rewritten_byte_for_byte(tmp_path, name):
    write_params(tmp_path / name, read_params(V1 / name))
    assert (tmp_path / name).read_bytes() == (V1 / name).read_bytes()


def test_a_key_given_twice_is_refused(tmp_path):
    text = json.dumps(PARAMS.to_json_dict())[:-1] + ', "bias": 0.5}'
    (tmp_path / "p.json").write_text(text)
    with pytest.raises(ParamsFormatError, match="'bias' appears twice"):
        read_params(tmp_path / "p.json")
