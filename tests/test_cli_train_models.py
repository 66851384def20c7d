"""`lrviz train --degree/--sin/--optimizer …`: the numbers of the core modules, term-named columns,
defaults from the specs, one-line errors (exit 2)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from lrviz.cli.train import build_train_parser
from lrviz.core import Trainer
from lrviz.core.dataset import make_preset
from lrviz.core.features import FEATURE_SPECS, FeatureMap
from lrviz.core.formats import read_history_csv, read_params, write_points_csv
from lrviz.core.optim import OPTIMIZER_SPECS, OptimizerSettings
from lrviz.core.optimized_trainer import OptimizedTrainer


def lrviz(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "lrviz", *args], capture_output=True, text=True,
                          timeout=120, env=env)


@pytest.fixture
def moons(tmp_path):
    path = tmp_path / "moons.csv"
    write_points_csv(path, make_preset("moons", n_points=60, seed=1))
    return path


def _data():
    return make_preset("moons", n_points=60, seed=1).snapshot()


def test_degree_sin_and_adam_write_the_optimized_trainers_numbers_under_term_names(moons, tmp_path):
    out, hist = tmp_path / "p.json", tmp_path / "h.csv"
    result = lrviz("train", str(moons), "--degree", "3", "--sin", "--optimizer", "adam", "--beta1", "0.8",
                   "--lr", "0.05", "--l2", "0.01", "--standardize", "--epochs", "150",
                   "--out", str(out), "--history", str(hist))
    assert result.returncode == 0, result.stderr
    X, y = _data()
    phi = FeatureMap(3, sin=True)
    expected = OptimizedTrainer(phi.transform(X), y, OptimizerSettings("adam", beta1=0.8), learning_rate=0.05,
                                l2=0.01, standardize=True).run(150)
    table = read_history_csv(hist)
    assert table.names == phi.parameter_names()
    assert table.names[:4] == ("w[x1]", "w[x2]", "w[x1^2]", "w[x1*x2]") and table.names[-3:] == (
        "w[sin(x1)]", "w[sin(x2)]", "b")
    np.testing.assert_array_equal(table.W[1:], expected.W)
    np.testing.assert_array_equal(table.loss[1:], expected.loss)
    params = read_params(out)
    assert params.feature_names == phi.terms
    np.testing.assert_array_equal(params.weights, expected.W[-1])
    assert params.bias == expected.b[-1]


def test_gradient_descent_on_degree_2_is_the_trainer_on_phi_and_csv_params_name_the_terms(moons, tmp_path):
    out = tmp_path / "p.csv"
    result = lrviz("train", str(moons), "--degree", "2", "--epochs", "300", "--lr", "0.5", "--out", str(out))
    assert result.returncode == 0, result.stderr
    X, y = _data()
    history = Trainer(FeatureMap(2).transform(X), y, learning_rate=0.5).run(300)
    params = read_params(out)
    assert params.feature_names == ("x1", "x2", "x1^2", "x1*x2", "x2^2")
    np.testing.assert_array_equal(params.weights, history.W[-1])
    assert "w_x1^2," in out.read_text()


def test_sgd_is_reproducible_for_a_seed_and_follows_it(moons, tmp_path):
    runs = []
    for seed in ("4", "4", "5"):
        hist = tmp_path / f"h{len(runs)}.csv"
        result = lrviz("train", str(moons), "--optimizer", "sgd", "--batch-size", "7", "--seed", seed,
                       "--epochs", "30", "--history", str(hist))
        assert result.returncode == 0, result.stderr
        runs.append(read_history_csv(hist))
    assert runs[0].names == ("w1", "w2", "b")  # the tutorial's map keeps the numbered names
    np.testing.assert_array_equal(runs[0].theta, runs[1].theta)
    assert not np.array_equal(runs[0].theta, runs[2].theta)
    X, y = _data()
    expected = OptimizedTrainer(X, y, OptimizerSettings("sgd", batch_size=7), seed=4).run(30)
    np.testing.assert_array_equal(runs[0].W[1:], expected.W)


@pytest.mark.parametrize(("args", "message"), [
    (["--degree", "7"], "--degree: must be from 1 to 6, not 7"),
    (["--degree", "0"], "--degree: must be from 1 to 6"),
    (["--degree", "2.5"], "--degree"),
    (["--optimizer", "rmsprop"], "--optimizer: invalid choice"),
    (["--batch-size", "0"], "--batch-size: must be from 1"),
    (["--momentum", "1"], "--momentum: must be from 0 to 0.999999, not 1"),
    (["--beta2", "-0.5"], "--beta2"),
    (["--eps", "0"], "--eps: must be above 0 to 1, not 0"),
    (["--eps", "nan"], "--eps"),
])
def test_bad_model_options_exit_2_with_one_line(moons, args, message):
    result = lrviz("train", str(moons), *args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_points_too_large_for_the_degree_are_a_clear_error(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("x1,x2,label\n1e100,0,0\n-1e100,1,1\n")
    result = lrviz("train", str(path), "--degree", "4")
    assert result.returncode == 2
    assert "too large for degree 4" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_model_option_defaults_are_the_specs():
    args = build_train_parser().parse_args(["points.csv"])
    assert (args.degree, args.sin, args.optimizer) == (FEATURE_SPECS["degree"].default,
                                                         FEATURE_SPECS["sin"].default, "gd")
    for name, spec in OPTIMIZER_SPECS.items():
        assert getattr(args, name) == spec.default
