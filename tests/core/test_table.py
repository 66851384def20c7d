"""Any CSV/TSV as points: the shapes real files have, names carried, bad rows never dropped silently."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lrviz.core.dataset import Dataset, load_iris
from lrviz.core.formats import (
    BadRowsError,
    Session,
    TableChoice,
    TableFormatError,
    TrainedParams,
    dataset_from_table,
    format_points_csv,
    guess_choice,
    parse_points_csv,
    parse_table,
    read_params,
    read_points_csv,
    read_session,
    read_table,
    write_params,
    write_points_csv,
    write_session,
)
from lrviz.resources import asset_path


def take(text, choice, **kwargs):
    return dataset_from_table(parse_table(text, "data.csv", **kwargs), choice)


def test_lrvizs_own_iris_asset_opens_with_species_names():
    table = read_table(asset_path("iris.csv"))
    assert table.names == ("sepal_length", "sepal_width", "petal_length", "petal_width", "species")
    assert table.numeric_columns() == (0, 1, 2, 3)
    assert table.classes("species") == [("setosa", 50), ("versicolor", 50), ("virginica", 50)]
    result = dataset_from_table(table, TableChoice(("petal_length", "petal_width"), "species",
                                                   positive="versicolor", negative="setosa"))
    assert result.dataset == load_iris()  # the preset, with its species names
    assert result.dataset.class_names == ("setosa", "versicolor") and result.other_class_rows == 50


@pytest.mark.parametrize("text", [
    "id,a,b,note,label\n1,0.5,1.5,x,cat\n2,2.0,-1,\"a, b\",dog\n3,3,4,,cat\n",          # id and note, quoted comma
    "\ufeffid,a,b,note,label\r\n1,0.5,1.5,x,cat\r\n2,2.0,-1,\"a, b\",dog\r\n3,3,4,,cat\r\n",  # BOM, CRLF
    "id\ta\tb\tnote\tlabel\n1\t0.5\t1.5\tx\tcat\n2\t2.0\t-1\ta, b\tdog\n3\t3\t4\t\tcat\n",  # TSV
    "id;a;b;note;label;\n1;0.5;1.5;x;cat;\n2;2.0;-1;a, b;dog;\n3;3;4;;cat;\n",              # ; and trailing ;
])
def test_real_world_shapes_give_the_same_points(text):
    table = parse_table(text, "data.csv")
    assert table.names == ("id", "a", "b", "note", "label")
    assert guess_choice(table) == TableChoice(("id", "a"), "label", positive="dog", negative="cat")
    result = dataset_from_table(table, TableChoice(("a", "b"), "label", positive="dog", negative="cat"))
    assert result.dataset == Dataset([[0.5, 1.5], [2.0, -1.0], [3.0, 4.0]], [0, 1, 0],
                                     feature_names=("a", "b"), class_names=("cat", "dog"))
    assert list(result.source_lines) == [2, 3, 4]


def test_no_header_three_classes_one_vs_rest_and_true_false():
    text = "0.1,0.2,3\n1,2,1\n2,2,2\n5,1,3\n"
    table = parse_table(text, "t.csv")
    assert not table.has_header and table.names == ("column 1", "column 2", "column 3")
    rest = dataset_from_table(table, TableChoice(("column 1", "column 2"), "column 3", positive="3", negative=None))
    assert rest.dataset.class_names == ("not 3", "3") and list(rest.dataset.y) == [1, 0, 0, 1]
    booleans = take("x,y,ok\n1,2,True\n3,4,False\n", TableChoice(("x", "y"), "ok", "True", "False"))
    assert booleans.dataset.class_names == ("False", "True") and list(booleans.dataset.y) == [1, 0]


def test_bad_rows_are_named_by_line_and_skipped_only_when_asked():
    text = "a,b,label\n1,2,x\n\n3,,y\n4,NA,x\n5,6,\n7,8,z\n9,inf,z\n"
    choice = TableChoice(("a", "b"), "label", positive="y", negative="x")
    with pytest.raises(BadRowsError, match=r"data.csv: 3 rows .*lines 4, 5, 6$") as caught:
        take(text, choice)
    assert caught.value.lines == (4, 5, 6)  # line 8 is of class z, which is not kept
    skipped = take(text, TableChoice(("a", "b"), "label", "y", "x", skip_bad_rows=True))
    assert skipped.skipped_lines == (4, 5, 6) and skipped.other_class_rows == 2
    assert skipped.dataset == Dataset([[1, 2]], [0], feature_names=("a", "b"), class_names=("x", "y"))


def test_choices_that_do_not_fit_say_why():
    table = parse_table("a,b,c\n1,2,x\n3,4,y\n", "t.csv")
    with pytest.raises(KeyError, match="no column 'd'; its columns are a, b, c"):
        dataset_from_table(table, TableChoice(("a", "d"), "c", "x", "y"))
    with pytest.raises(ValueError, match="has no value 'q'; its values are x, y"):
        dataset_from_table(table, TableChoice(("a", "b"), "c", "q", "y"))
    with pytest.raises(ValueError, match="two different feature columns"):
        dataset_from_table(table, TableChoice(("a", "a"), "c", "x", "y"))
    with pytest.raises(TableFormatError, match="empty"):
        parse_table(" \n\n", "t.csv")


def test_remembered_choices_round_trip_and_damaged_ones_are_none():
    choice = TableChoice(("a", "b"), "c", "x", None, skip_bad_rows=True)
    assert TableChoice.from_dict(choice.to_dict()) == choice
    assert TableChoice.from_dict({"features": ["a"]}) is None and TableChoice.from_dict("junk") is None


def test_names_survive_points_csv_session_and_parameters(tmp_path):
    iris = load_iris("versicolor-virginica")
    write_points_csv(tmp_path / "p.csv", iris)
    assert (tmp_path / "p.csv").read_text().splitlines()[:2] == ["petal_length,petal_width,label,y",
                                                                  "4.7,1.4,versicolor,0"]
    assert read_points_csv(tmp_path / "p.csv") == iris
    write_session(tmp_path / "s.lrviz.json", Session(points=iris))
    assert read_session(tmp_path / "s.lrviz.json").points.class_names == ("versicolor", "virginica")
    params = TrainedParams(weights=(1.0, 2.0), bias=0.5, feature_names=iris.feature_names, epoch=3, loss=0.5,
                           accuracy=0.5, learning_rate=0.1, l2=0.0, standardize=False,
                           class_names=iris.class_names)
    for suffix in (".json", ".csv"):
        write_params(tmp_path / f"p{suffix}", params)
        assert read_params(tmp_path / f"p{suffix}") == params
    # plain 0/1 files are exactly as before: no extra column or field
    plain = Dataset([[1, 2]], [1])
    assert format_points_csv(plain) == "x1,x2,label\n1.0,2.0,1\n"
    assert parse_points_csv(format_points_csv(plain)).class_names == ("0", "1")


def test_a_named_points_file_with_two_names_for_one_class_is_refused():
    with pytest.raises(ValueError, match="line 3: class 0 is named both 'a' and 'b'"):
        parse_points_csv("x1,x2,label,y\n1,2,a,0\n3,4,b,0\n", "f.csv")


names = st.sampled_from(["cat", "dog", "True", "3", "setosa", "a b", "x,y", 'q"t'])
values = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(values, values, st.integers(0, 1)), min_size=1, max_size=30),
       pair=st.lists(names, min_size=2, max_size=2, unique=True),
       delimiter=st.sampled_from([",", "\t", ";"]), crlf=st.booleans(), bom=st.booleans(),
       trailing=st.booleans(), extra=st.booleans(), header=st.booleans())
def test_generated_variants_give_exactly_the_points_written(rows, pair, delimiter, crlf, bom, trailing, extra,
                                                           header):
    import csv
    import io

    assume({r[2] for r in rows} == {0, 1})  # a chosen class must be in the file
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
    tail = [""] if trailing else []
    if header:
        writer.writerow(["f one", "f2"] + (["note"] if extra else []) + ["kind"] + tail)
    for x1, x2, label in rows:
        writer.writerow([repr(x1), repr(x2)] + (["n"] if extra else []) + [pair[label]] + tail)
    text = ("\ufeff" if bom else "") + out.getvalue()
    table = parse_table(text, "gen.csv", has_header=header, delimiter=delimiter)
    f1, f2, label = table.names[0], table.names[1], table.names[-1]
    result = dataset_from_table(table, TableChoice((f1, f2), label, positive=pair[1], negative=pair[0]))
    X = np.array([[r[0], r[1]] for r in rows])
    y = np.array([r[2] for r in rows])
    assert np.array_equal(result.dataset.X, X) and np.array_equal(result.dataset.y, y)
    assert result.dataset.class_names == tuple(pair)
    # and what lrviz writes of it reads back exactly
    assert parse_points_csv(format_points_csv(result.dataset)) == result.dataset


def test_a_million_rows(tmp_path):
    rng = np.random.default_rng(1)
    n = 10**6
    X = rng.normal(size=(n, 2)).round(6)
    y = rng.integers(0, 3, n)
    body = "\n".join(f"{i},{a!r},{b!r},{'abc'[k]}" for i, (a, b), k in zip(range(n), X.tolist(), y.tolist()))
    path = tmp_path / "big.csv"
    path.write_text("id,u,v,kind\n" + body + "\n")
    table = read_table(path)
    assert table.row_count == n and table.numeric_columns() == (0, 1, 2)
    result = dataset_from_table(table, TableChoice(("u", "v"), "kind", positive="c", negative="a"))
    kept = y != 1
    assert np.array_equal(result.dataset.X, X[kept]) and np.array_equal(result.dataset.y, (y[kept] == 2))
    assert result.other_class_rows == int(np.count_nonzero(y == 1))


def test_the_guessed_label_is_the_column_with_few_values_not_a_note():
    table = parse_table("a,b,kind,note\n1,2,x,first\n3,4,y,second\n5,6,x,third\n", "t.csv")
    assert guess_choice(table) == TableChoice(("a", "b"), "kind", positive="y", negative="x")
