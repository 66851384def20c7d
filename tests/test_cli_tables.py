"""`lrviz train` on any table: --columns, --label, --positive, --keep; one-line errors naming what is wrong."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest

from lrviz.cli.train import EXIT_BAD_INPUT, EXIT_OK, build_train_parser, run_training
from lrviz.core import Trainer
from lrviz.core.dataset import load_iris
from lrviz.core.formats import read_params
from lrviz.resources import asset_path


def train(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run_training(build_train_parser().parse_args(list(argv)), out, err)
    return status, out.getvalue(), err.getvalue()


def test_iris_asset_trains_with_its_species_named(tmp_path):
    params_path = tmp_path / "p.json"
    status, out, err = train(str(asset_path("iris.csv")), "--columns", "petal_length,petal_width",
                             "--label", "species", "--positive", "versicolor", "--keep", "setosa,versicolor",
                             "--epochs", "50", "--out", str(params_path))
    assert (status, err) == (EXIT_OK, "") and "[100 points; 50 setosa (class 0), 50 versicolor (class 1)" in out
    params = read_params(params_path)
    assert params.class_names == ("setosa", "versicolor")
    iris = load_iris()
    trainer = Trainer(iris.X, iris.y, max_epochs=50)
    trainer.run(50)
    assert params.weights == tuple(trainer.current.w) and params.bias == trainer.current.b


def test_two_labels_need_no_keep_and_tsv_with_a_trailing_tab_works(tmp_path):
    path = tmp_path / "pets.tsv"
    path.write_text("id\tw\th\tkind\t\n1\t1\t2\tcat\t\n2\t3\t1\tdog\t\n3\t0\t0\tcat\t\n")
    status, out, err = train(str(path), "--columns", "w,h", "--label", "kind", "--positive", "dog",
                             "--epochs", "5")
    assert status == EXIT_OK and "[3 points" in out, err


@pytest.mark.parametrize("args, message", [
    (["--columns", "petal_length,petal_width"], "also give --label and --positive"),
    (["--columns", "petal_length", "--label", "species", "--positive", "setosa"], "--columns takes two names"),
    (["--columns", "petal_length,petal_size", "--label", "species", "--positive", "setosa"],
     "has no column 'petal_size'; its columns are sepal_length"),
    (["--columns", "petal_length,petal_width", "--label", "species", "--positive", "rose"],
     "--positive rose: the column 'species' .* has no such value; its values are setosa"),
    (["--columns", "petal_length,petal_width", "--label", "species", "--positive", "setosa"],
     "has 3 values .*choose two with --keep A,B, or one against the rest with --rest"),
    (["--columns", "petal_length,petal_width", "--label", "species", "--positive", "setosa",
      "--keep", "versicolor,virginica"], "--positive setosa must be one of --keep"),
])
def test_bad_options_are_one_line_naming_the_option(args, message):
    status, out, err = train(str(asset_path("iris.csv")), *args)
    assert status == EXIT_BAD_INPUT and out == ""
    assert err.count("\n") == 1 and err.startswith("lrviz train: ")
    assert re.search(message, err), err


def test_bad_rows_are_named_by_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b,c\n1,2,x\n3,,y\n4,5,y\n")
    status, _, err = train(str(path), "--columns", "a,b", "--label", "c", "--positive", "y")
    assert status == EXIT_BAD_INPUT
    assert err == f"lrviz train: {path}: 1 row has a missing or non-numeric feature or an empty label: line 3; " \
                  "fix or remove those rows\n"


def test_a_table_without_options_says_which_to_give():
    status, _, err = train(str(asset_path("iris.csv")))
    assert status == EXIT_BAD_INPUT and "give --columns COL,COL --label COL --positive NAME" in err
    assert err.count("\n") == 1


def test_lrviz_file_lets_the_window_ask_about_any_table_but_refuses_a_damaged_points_file(tmp_path):
    from lrviz.cli.window import data_file_problem

    assert data_file_problem(str(asset_path("iris.csv"))) is None  # the window opens importDialog
    broken = tmp_path / "broken.csv"
    broken.write_text("x1,x2,label\n1,2,0\n3,four,1\n")
    assert "line 3" in data_file_problem(str(broken))


def test_rest_trains_one_class_against_all_the_others(tmp_path):
    params_path = tmp_path / "p.json"
    status, out, err = train(str(asset_path("iris.csv")), "--columns", "petal_length,petal_width",
                             "--label", "species", "--positive", "virginica", "--rest",
                             "--epochs", "30", "--out", str(params_path))
    assert (status, err) == (EXIT_OK, ""), err
    assert "[150 points" in out
    params = read_params(params_path)
    assert params.class_names == ("not virginica", "virginica")
    from lrviz.core.formats.table import read_table

    table = read_table(asset_path("iris.csv"))
    X = np.column_stack([table.column_numbers(table.column_index(name)) for name in ("petal_length", "petal_width")])
    y = (table.column_labels(table.column_index("species")) == "virginica").astype(np.int64)
    assert y.sum() == 50
    trainer = Trainer(X, y, max_epochs=30)
    trainer.run(30)
    assert params.weights == tuple(trainer.current.w) and params.bias == trainer.current.b


def test_rest_and_keep_together_are_refused_in_one_line():
    status, out, err = train(str(asset_path("iris.csv")), "--columns", "petal_length,petal_width",
                             "--label", "species", "--positive", "setosa", "--rest", "--keep", "setosa,virginica")
    assert status == EXIT_BAD_INPUT and out == "" and err.count("\n") == 1
    assert "either --keep setosa,virginica (two classes) or --rest" in err
