"""The point set, its CSV form and the built-in data sets."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrviz.core.dataset import (
    PRESET_NAMES,
    DataFormatError,
    Dataset,
    default_dataset,
    load_iris,
    make_preset,
    parse_points_csv,
    read_points_csv,
    write_points_csv,
)


def test_edits_keep_the_set_valid_and_reversible():
    data = Dataset()
    assert len(data) == 0 and data.class_counts() == (0, 0)
    assert data.add(1.0, 2.0, 0) == 0
    assert data.add(-1.5, 0.25, 1) == 1
    data.move(0, 3.0, 4.0)
    assert data.point(0) == (3.0, 4.0, 0)
    removed = data.remove(0)
    data.insert(0, *removed)
    assert data.point(0) == (3.0, 4.0, 0) and data.class_counts() == (1, 1)
    with pytest.raises(ValueError):
        data.add(float("nan"), 0.0, 0)
    with pytest.raises(ValueError):
        data.add(0.0, 0.0, 2)
    assert len(data) == 2
    X, y = data.snapshot()
    X[0, 0] = 99.0
    assert data.X[0, 0] == 3.0
    with pytest.raises(ValueError):
        data.X[0, 0] = 1.0  # read-only view: edits go through the methods
    data.clear()
    assert len(data) == 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(allow_nan=False, allow_infinity=False),
                          st.floats(allow_nan=False, allow_infinity=False),
                          st.integers(0, 1)), max_size=30))
def test_csv_round_trip_keeps_every_value_exactly(tmp_path_factory, points):
    path = tmp_path_factory.mktemp("csv") / "points.csv"
    X = np.array([p[:2] for p in points], dtype=float).reshape(-1, 2)
    y = np.array([p[2] for p in points], dtype=np.int64)
    data = Dataset(X, y, feature_names=("height", "weight"))
    write_points_csv(path, data)
    assert read_points_csv(path) == data


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("\n\n", "empty"),
        ("a,b\n1,2\n", "line 1: the header"),
        ("x1,x2,label\n1,2\n", "line 2: expected 3 values"),
        ("x1,x2,label\n1,2,0\n1,abc,1\n", "line 3: x2 is 'abc'"),
        ("x1,x2,label\n1,nan,0\n", "line 2: x2 is nan"),
        ("x1,x2,label\ninf,1,0\n", "line 2: x1 is inf"),
        ("x1,x2,label\n1,2,3\n", "line 2: the label is '3'"),
        ("x1,x2,label\n1,2,yes\n", "line 2: the label is 'yes'"),
    ],
)
def test_bad_csv_names_the_line_and_the_problem(text, message):
    with pytest.raises(DataFormatError, match=message):
        parse_points_csv(text)


def test_csv_accepts_bom_crlf_blank_lines_and_float_labels(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes("\ufeffx1,x2,label\r\n1.5,2,1.0\r\n\r\n-3,4e-3,0\r\n\r\n".encode())
    data = read_points_csv(path)
    np.testing.assert_array_equal(data.X, [[1.5, 2.0], [-3.0, 0.004]])
    np.testing.assert_array_equal(data.y, [1, 0])


def test_binary_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(DataFormatError, match="not a text"):
        read_points_csv(path)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("x12l,abe.-+0n\r\n\t \"'i9")), max_size=80))
def test_any_text_either_parses_or_gives_data_format_error(text):
    try:
        data = parse_points_csv("x1,x2,label\n" + text)
    except DataFormatError as error:
        assert "line" in str(error)
    else:
        assert np.all(np.isfinite(data.X))
        assert set(np.unique(data.y)) <= {0, 1}


@pytest.mark.parametrize("name", PRESET_NAMES)
@pytest.mark.parametrize("n_points", [1, 2, 51, 200])
def test_presets_are_deterministic_with_the_requested_count(name, n_points):
    a = make_preset(name, n_points=n_points, noise=0.2, seed=5)
    b = make_preset(name, n_points=n_points, noise=0.2, seed=5)
    c = make_preset(name, n_points=n_points, noise=0.2, seed=6)
    assert a == b
    assert len(a) == n_points
    assert abs(a.class_counts()[0] - a.class_counts()[1]) <= 1
    assert n_points < 2 or a != c
    assert np.all(np.abs(a.X) < 10)


def test_preset_arguments_are_checked():
    with pytest.raises(ValueError, match="choose one of"):
        make_preset("spiral")
    with pytest.raises(ValueError, match="at least 1"):
        make_preset("xor", n_points=0)
    with pytest.raises(ValueError, match="noise"):
        make_preset("xor", noise=-1)


def test_iris_pairs():
    setosa = load_iris()
    assert len(setosa) == 100 and setosa.class_counts() == (50, 50)
    assert setosa.feature_names == ("petal_length", "petal_width")
    # setosa's petals are shorter than every versicolor's: the first pair is separable
    assert setosa.X[setosa.y == 0, 0].max() < setosa.X[setosa.y == 1, 0].min()
    other = load_iris("versicolor-virginica", ("sepal_length", "sepal_width"))
    assert len(other) == 100 and other.feature_names == ("sepal_length", "sepal_width")
    with pytest.raises(ValueError):
        load_iris("setosa-virginica")


def test_default_dataset_has_both_classes():
    data = default_dataset()
    n0, n1 = data.class_counts()
    assert n0 > 0 and n1 > 0
