"""`lrviz train` says on stderr when α is above 2/L or the loss oscillated, and only then."""

from __future__ import annotations

import io

import pytest

from lrviz.cli.train import EXIT_OK, build_train_parser, run_training
from lrviz.core.dataset import make_preset
from lrviz.core.formats import write_points_csv
from lrviz.core.step_size import round_down, step_size_bound


@pytest.fixture
def moons(tmp_path):
    path = tmp_path / "moons.csv"
    write_points_csv(path, make_preset("moons", 200, 0.1, 0))
    return path


def _train(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run_training(build_train_parser().parse_args([*args]), out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("rate", ["50", "1e6"])
def test_too_large_a_rate_is_reported_on_stderr(moons, rate):
    status, out, err = _train(str(moons), "--lr", rate)
    limit = round_down(step_size_bound(make_preset("moons", 200, 0.1, 0).X).largest_rate, 3)
    assert status == EXIT_OK and "epoch 1,000" in out
    assert err.startswith(f"lrviz train: warning: α = {float(rate):g} is above 2/L = {limit:g} for these points: "
                          "the loss oscillates")
    assert err.rstrip().endswith(f"try α ≤ {limit:g}") and err.count("\n") == 1


def test_a_safe_rate_says_nothing(moons):
    status, _out, err = _train(str(moons), "--lr", "1")
    assert status == EXIT_OK and err == ""


def test_standardized_training_uses_the_standardized_bound(moons):
    bound = step_size_bound(make_preset("moons", 200, 0.1, 0).X, standardize=True)
    rate = f"{0.9 * bound.largest_rate:.6g}"  # above the raw points' bound, below the standardized one
    assert float(rate) > step_size_bound(make_preset("moons", 200, 0.1, 0).X).largest_rate
    status, _out, err = _train(str(moons), "--lr", rate, "--standardize")
    assert status == EXIT_OK and err == ""
