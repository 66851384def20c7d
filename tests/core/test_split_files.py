"""The split and the metrics in files: points CSV, sessions, parameters, history CSV, `lrviz train`."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from lrviz.cli.train import build_train_parser, run_training
from lrviz.core.dataset import make_preset
from lrviz.core.formats import (
    DataFormatError,
    TrainedParams,
    format_points_csv,
    parse_points_csv,
    read_history_csv,
    read_params,
    read_points_csv,
    write_params,
    write_points_csv,
)
from lrviz.core.formats.history_csv import write_history_csv
from lrviz.core.formats.session import (
    Session,
    SessionFormatError,
    read_session,
    session_from_json_dict,
    session_to_json_dict,
    write_session,
)
from lrviz.core.metrics import evaluate
from lrviz.core.model import loss_and_gradient
from lrviz.core.run import Run
from lrviz.core.split import stratified_split
from lrviz.core.trainer import Trainer

DATA = make_preset("overlapping", 50, noise=0.2, seed=2)
SPLIT = stratified_split(DATA.y, 0.2, seed=4)


def _split_data():
    data = DATA.copy()
    data.set_split(SPLIT)
    return data


# -- points CSV ------------------------------------------------------------------------------------------
def test_points_csv_writes_a_split_column_only_when_some_point_is_a_test_point(tmp_path):
    assert format_points_csv(DATA).splitlines()[0] == "x1,x2,label"
    text = format_points_csv(_split_data())
    lines = text.splitlines()
    assert lines[0] == "x1,x2,label,split"
    assert [line.rsplit(",", 1)[1] for line in lines[1:]] == ["test" if t else "train" for t in SPLIT]
    path = tmp_path / "points.csv"
    write_points_csv(path, _split_data())
    back = read_points_csv(path)
    assert back == _split_data() and np.array_equal(back.is_test, SPLIT)


def test_points_csv_split_values_are_checked_and_case_and_spaces_are_fine():
    data = parse_points_csv("x1,x2,label,Split\n0,0,0, Train\n1,1,1,TEST\n")
    assert data.is_test.tolist() == [False, True]
    with pytest.raises(DataFormatError, match=r"line 3: the split is 'valid'; it must be 'train' or 'test'"):
        parse_points_csv("x1,x2,label,split\n0,0,0,train\n1,1,1,valid\n")
    with pytest.raises(DataFormatError, match=r"line 2: expected 4 values"):
        parse_points_csv("x1,x2,label,split\n0,0,0\n")
    with pytest.raises(DataFormatError, match="optionally followed by 'split'"):
        parse_points_csv("x1,x2,label,fold\n0,0,0,1\n")


# -- sessions ---------------------------------------------------------------------------------------------
def _trained_run(split: bool = True) -> Run:
    run = Run(_split_data() if split else DATA)
    snapshot = run.snapshot()
    history = Trainer(snapshot.train_X, snapshot.train_y).run(30)
    theta = np.column_stack([history.W, history.b])
    test = [loss_and_gradient(snapshot.test_X, snapshot.test_y, t[:-1], t[-1])[0] for t in theta] if split else None
    run.append_epochs(history.epochs, theta, history.loss, history.grad_norm, 0.1, 0.0, run.revision, test)
    return run


def test_a_session_keeps_the_split_of_every_revision_and_the_test_loss(tmp_path):
    run = _trained_run()
    run.set_split(np.zeros(len(DATA), bool))  # a newer revision without test points; the old one is kept
    session = Session.from_run(run, selected_epoch=None)
    path = tmp_path / "run.lrviz.json"
    write_session(path, session)
    back = read_session(path)
    assert back == session
    opened = back.to_run()
    assert not opened.points.is_test.any()
    earlier = opened.points_at(run.row(5).data_revision)
    assert np.array_equal(earlier.is_test, SPLIT)
    assert opened.history.has_test_loss and opened.history == run.history
    assert opened.row(12).test_loss == run.row(12).test_loss


def test_a_session_without_a_split_has_no_split_fields_and_older_sessions_still_open():
    session = Session.from_run(_trained_run(split=False), selected_epoch=None)
    data = session_to_json_dict(session)
    assert "is_test" not in data["points"] and "test_loss" not in data["history"]
    back = session_from_json_dict(json.loads(json.dumps(data)))
    assert back == session and not back.points.is_test.any() and not back.history.has_test_loss


@pytest.mark.parametrize("damage, message", [
    (lambda d: d["points"].__setitem__("is_test", [1] * len(DATA)), "true/false"),
    (lambda d: d["points"].__setitem__("is_test", [True]), "true/false values, one per point"),
    (lambda d: d["history"].__setitem__("test_loss", {"epoch": [3, 2], "value": [0.5, 0.4]}), "increasing"),
    (lambda d: d["history"]["test_loss"].__setitem__("value", [0.5]), "different lengths"),
    (lambda d: d["history"].__setitem__("test_loss", [1, 2]), "must be an object"),
])
def test_a_damaged_split_in_a_session_is_refused_with_a_message(damage, message):
    data = json.loads(json.dumps(session_to_json_dict(Session.from_run(_trained_run(), None))))
    damage(data)
    with pytest.raises(SessionFormatError, match=message):
        session_from_json_dict(data)


# -- parameters and history -------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".json", ".csv"])
@pytest.mark.parametrize("test_accuracy", [0.75, None])
def test_parameters_keep_the_threshold_and_both_accuracies(tmp_path, suffix, test_accuracy):
    params = TrainedParams(weights=(1.5, -0.25), bias=0.125, feature_names=("x1", "x2"), epoch=7, loss=0.5,
                           accuracy=0.8, learning_rate=0.1, l2=0.0, standardize=False, threshold=0.35,
                           train_accuracy=0.85, test_accuracy=test_accuracy)
    path = tmp_path / f"params{suffix}"
    write_params(path, params)
    assert read_params(path) == params


def test_parameters_files_without_the_metrics_still_read(tmp_path):
    params = TrainedParams(weights=(1.0, 2.0), bias=0.0, feature_names=("a", "b"), epoch=1, loss=0.1,
                           accuracy=1.0, learning_rate=0.1, l2=0.0, standardize=False)
    path = tmp_path / "old.json"
    write_params(path, params)
    assert "threshold" not in json.loads(path.read_text())
    assert read_params(path) == params
    with pytest.raises(ValueError, match="between 0 and 1"):
        TrainedParams(**{**params.__dict__, "test_accuracy": 1.5})


def test_history_csv_has_a_test_loss_column_when_a_split_exists(tmp_path):
    run = _trained_run()
    path = tmp_path / "history.csv"
    write_history_csv(path, run.history)
    assert path.read_text().splitlines()[0] == "epoch,loss,test_loss,w1,w2,b"
    table = read_history_csv(path)
    np.testing.assert_array_equal(table.test_loss, run.history.test_loss)
    np.testing.assert_array_equal(table.theta, run.history.theta)
    assert table.tested.all()
    plain = tmp_path / "plain.csv"
    write_history_csv(plain, _trained_run(split=False).history)
    assert plain.read_text().splitlines()[0] == "epoch,loss,w1,w2,b"
    assert read_history_csv(plain).test_loss is None


def test_history_csv_leaves_the_test_loss_empty_where_there_was_no_test_set(tmp_path):
    run = _trained_run(split=False)
    history = run.history.copy()
    history.append([31], history.theta[-1:], history.loss[-1:], [0.0], 0.1, 0.0, 0, test_loss=[0.25])
    path = tmp_path / "history.csv"
    write_history_csv(path, history)
    lines = path.read_text().splitlines()
    assert lines[1].split(",")[2] == "" and lines[-1].split(",")[2] == "0.25"
    table = read_history_csv(path)
    assert table.tested.tolist() == [False] * len(run.history) + [True] and table.test_loss[-1] == 0.25


# -- lrviz train ----------------------------------------------------------------------------------------------------
def _train(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_training(build_train_parser().parse_args(list(argv)), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_lrviz_train_splits_trains_on_the_training_points_and_prints_both_accuracies(tmp_path):
    data_path, params_path, history_path = tmp_path / "p.csv", tmp_path / "params.json", tmp_path / "h.csv"
    write_points_csv(data_path, DATA)
    code, out, _ = _train(str(data_path), "--test-share", "20", "--split-seed", "4", "--threshold", "0.6",
                          "--epochs", "200", "--out", str(params_path), "--history", str(history_path))
    assert code == 0
    split = stratified_split(DATA.y, 0.2, 4)
    reference = Trainer(DATA.X[~split], DATA.y[~split]).run(200)
    params = read_params(params_path)
    np.testing.assert_array_equal(params.weights, reference.W[-1])
    metrics = evaluate(DATA.X, DATA.y, split, reference.W[-1], reference.b[-1], 0.6)
    assert params.threshold == 0.6
    assert params.train_accuracy == metrics.train.accuracy and params.test_accuracy == metrics.test.accuracy
    assert f"train {metrics.train.accuracy:.4f} test {metrics.test.accuracy:.4f}" in out
    assert "40 train, 10 test" in out
    table = read_history_csv(history_path)
    k = 117
    expected = loss_and_gradient(DATA.X[split], DATA.y[split], table.W[k], table.b[k])[0]
    assert table.test_loss[k] == pytest.approx(expected, rel=1e-12)


def test_lrviz_train_uses_the_files_split_unless_told_otherwise(tmp_path):
    data_path = tmp_path / "p.csv"
    write_points_csv(data_path, _split_data())
    code, out, _ = _train(str(data_path), "--epochs", "10")
    assert code == 0 and f"{SPLIT.sum()} test" in out
    code, out, _ = _train(str(data_path), "--epochs", "10", "--test-share", "0")
    assert code == 0 and "no test points" in out


@pytest.mark.parametrize("argv, message", [
    (["--test-share", "51"], "percentage from 0 to 50"),
    (["--threshold", "1"], "from 0.01 to 0.99"),
    (["--split-seed", "-2"], "whole number ≥ 0"),
])
def test_lrviz_train_refuses_bad_split_options_in_one_line(tmp_path, argv, message):
    from lrviz.cli.parsing import CommandLineError
    with pytest.raises(CommandLineError, match=message):
        build_train_parser().parse_args(["p.csv", *argv])
