"""The point set, its CSV form and the built-in data sets."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrviz.core.dataset import PRESET_NAMES, Dataset, default_dataset, load_iris, make_preset
from lrviz.core.formats import DataFormatError, parse_points_csv, read_points_csv, write_points_csv


def test_construction_is_checked():
    assert len(Dataset([], [])) == 0
    with pytest.raises(ValueError, match="two coordinates"):
        Dataset([[1.0, 2.0, 3.0]], [0])
    with pytest.raises(ValueError, match="labels"):
        Dataset([[1.0, 2.0]], [0, 1])
    with pytest.raises(ValueError, match="0 or 1"):
        Dataset([[1.0, 2.0]], [0.5])
    with pytest.raises(ValueError, match="feature names"):
        Dataset(feature_names=("x1", " "))
    assert Dataset(feature_names=(" a ", "b")).feature_names == ("a", "b")


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
    with pytest.raises(ValueError):
        X[0, 0] = 99.0  # a snapshot is read-only and shared (copy-on-write)
    data.move(0, 5.0, 6.0)
    assert X[0, 0] == 3.0 and data.X[0, 0] == 5.0  # the edit copied first: the snapshot is unchanged
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
        ("\n\n1.5,2,0\n3,4,1\n", "line 3: there is no header"),
        ('x1,"x\n2",label\n1,2,0\n', "line 2: feature names must be non-empty and on one line"),
        ("x1,x2,label\n1,2,0\n\n1,2,0,5\n", "line 4: expected 3 values"),
        ('x1,x2,label\n1,2,0\n"1\n', "line 3: expected 3 values"),
        ("x1,x2,label\n1,2\n", "line 2: expected 3 values"),
        ("x1,x2,label\n1,2,0\n1,abc,1\n", "line 3: x2 is 'abc'"),
        ("x1,x2,label\n1,nan,0\n", "line 2: x2 is 'nan'"),
        ("x1,x2,label\ninf,1,0\n", "line 2: x1 is 'inf'"),
        ("x1,x2,label\n1,2,3\n", "line 2: the label is '3'"),
        ("x1,x2,label\n1,2,yes\n", "line 2: the label is 'yes'"),
    ],
)
def test_bad_csv_names_the_line_and_the_problem(text, message):
    with pytest.raises(DataFormatError, match=message):
        parse_points_csv(text)


def test_feature_names_with_commas_and_quotes_round_trip(tmp_path):
    data = Dataset([[1.0, 2.0]], [1], feature_names=("length, cm", 'the "width"'))
    write_points_csv(tmp_path / "p.csv", data)
    assert read_points_csv(tmp_path / "p.csv") == data


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(allow_nan=False, allow_infinity=False),
                          st.floats(allow_nan=False, allow_infinity=False),
                          st.sampled_from(["0", "1", "0.0", "1.0", " 1 "])), min_size=1, max_size=20))
def test_fast_and_row_by_row_parsers_agree(rows):
    body = "".join(f"{x1!r},{x2!r},{label}\n" for x1, x2, label in rows)
    fast = parse_points_csv("x1,x2,label\n" + body)
    slow = parse_points_csv("x1,x2,label\n\n  \n" + body)  # a blank line with spaces: slow path
    assert fast == slow
    np.testing.assert_array_equal(fast.X, [r[:2] for r in rows])
    np.testing.assert_array_equal(fast.y, [int(float(r[2])) for r in rows])


def test_big_file_reads_fast_and_exactly(tmp_path):
    rng = np.random.default_rng(0)
    data = Dataset(rng.normal(size=(20_000, 2)) * 10.0 ** rng.integers(-300, 300, (20_000, 2)),
                   rng.integers(0, 2, 20_000))
    write_points_csv(tmp_path / "big.csv", data)
    assert read_points_csv(tmp_path / "big.csv") == data


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


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "spiral"}, "choose one of blobs, overlapping, xor, moons, circles, separable"),
    ({"n_points": 0}, "at least 1"),
    ({"n_points": 2.5}, "whole number"),
    ({"n_points": True}, "whole number"),
    ({"noise": -1}, "noise"),
    ({"noise": float("nan")}, "noise"),
    ({"seed": -1}, "seed"),
])
def test_preset_arguments_are_checked(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_preset(**({"name": "xor"} | kwargs))


def test_presets_look_as_named():
    blobs, separable = make_preset("blobs", seed=1), make_preset("separable", seed=1)
    for data in (blobs, separable):  # a clear gap between the class means
        assert np.linalg.norm(data.X[data.y == 0].mean(0) - data.X[data.y == 1].mean(0)) > 2
    xor, circles = make_preset("xor", noise=0.0), make_preset("circles", noise=0.0)
    assert np.all((np.sign(xor.X[:, 0] * xor.X[:, 1]) < 0) == (xor.y == 1))
    radius = np.hypot(*circles.X.T)
    assert radius[circles.y == 1].max() < radius[circles.y == 0].min()
    assert np.all(np.abs(make_preset("overlapping").X) < 5)


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
