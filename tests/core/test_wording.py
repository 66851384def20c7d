"""Counts in words, and the messages that use them: never "1 epochs", never "0.001 < 0.001"."""

from __future__ import annotations

import re

import numpy as np
import pytest

from lrviz.core.dataset import make_preset
from lrviz.core.split import split_summary
from lrviz.core.trainer import Trainer
from lrviz.core.wording import counted


@pytest.mark.parametrize("count, text", [(0, "0 epochs"), (1, "1 epoch"), (2, "2 epochs"), (300000, "300,000 epochs")])
def test_counted(count, text):
    assert counted(count, "epoch") == text


def test_an_irregular_plural():
    assert counted(1, "class", "classes") == "1 class" and counted(3, "class", "classes") == "3 classes"


def _trainer(**kwargs) -> Trainer:
    X, y = make_preset("overlapping", n_points=40, seed=1).snapshot()
    return Trainer(X, y, learning_rate=0.5, **kwargs)


@pytest.mark.parametrize("max_epochs, text", [(1, "reached the maximum of 1 epoch"),
                                              (1200, "reached the maximum of 1,200 epochs")])
def test_the_max_epochs_stop_says_epoch_for_one(max_epochs, text):
    trainer = _trainer(max_epochs=max_epochs)
    trainer.run(max_epochs + 5)
    assert trainer.stop.message == text


@pytest.mark.parametrize("tol", [1e-3, 2e-3, 5e-4, 1.5e-3])
def test_the_converged_message_is_true_as_printed(tol):
    trainer = _trainer(tol=tol)
    trainer.run(100_000)
    assert trainer.stop.kind == "converged"
    shown, limit = re.match(r"gradient norm (\S+) < (\S+) at epoch ([\d,]+)$", trainer.stop.message).groups()[:2]
    assert float(shown) < float(limit) == tol
    assert float(shown) == pytest.approx(np.float64(trainer.current.grad_norm), rel=1e-2)


def test_one_point_is_a_point():
    assert split_summary([1], [False]) == "the one point trains (no test set)"


@pytest.mark.parametrize("margin", [1e-4, 1e-7, 1e-12])
def test_a_norm_just_below_the_tolerance_is_printed_with_the_digits_that_show_it(margin):
    """The tolerance set a hair above the gradient norm: 3 significant digits would print both alike."""
    trainer = _trainer()
    trainer.run(50)
    norm = trainer.current.grad_norm
    trainer.set_stop_rules(None, float(f"{norm * (1 + margin):.3g}") if margin > 1e-3 else norm * (1 + margin))
    shown, limit = re.match(r"gradient norm (\S+) < (\S+) at epoch", trainer.stop.message).groups()
    assert float(shown) < float(limit), trainer.stop.message
