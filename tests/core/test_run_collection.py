"""Kept runs: labels that name the settings, at most eight, colours that stay, events."""

from __future__ import annotations

import numpy as np
import pytest

from lrviz.core.history import RunHistory
from lrviz.core.run_collection import (
    MAX_KEPT_RUNS,
    KeptRun,
    RunCollection,
    describe_settings,
)
from lrviz.core.settings import TrainingSettings


def _history(k: int = 3) -> RunHistory:
    history = RunHistory()
    history.append(np.arange(k), np.arange(3 * k, dtype=float).reshape(k, 3), np.linspace(0.7, 0.3, k),
                   np.ones(k), 0.1, 0.0, 0)
    return history


@pytest.mark.parametrize(("settings", "label"), [
    (TrainingSettings(optimizer="momentum", momentum=0.9, learning_rate=0.1), "momentum β=0.9, α=0.1"),
    (TrainingSettings(), "gradient descent, α=0.1"),
    (TrainingSettings(optimizer="adam", learning_rate=0.05, l2=0.01), "Adam β₁=0.9, β₂=0.999, α=0.05, λ=0.01"),
    (TrainingSettings(optimizer="sgd", batch_size=8, degree=3, standardize=True),
     "mini-batch SGD batch 8, α=0.1, degree 3, standardized"),
])
def test_labels_name_the_settings(settings, label):
    assert describe_settings(settings) == label


def test_keep_copies_the_history_and_announces():
    runs, seen = RunCollection(), []
    runs.changed.connect(lambda: seen.append("changed"))
    history = _history()
    kept = runs.keep(TrainingSettings(), history)
    history.truncate_after(0)  # the current run goes on; the kept copy does not change
    assert len(kept.history) == 3 and seen == ["changed"]
    np.testing.assert_array_equal(kept.start, [0.0, 1.0, 2.0])
    runs.rename(kept, "  first \n try ")
    assert kept.label == "first try"
    runs.rename(kept, "first try")  # no change: no event
    runs.set_visible(kept, False)
    assert runs.visible() == [] and seen == ["changed"] * 3
    with pytest.raises(ValueError, match="must not be empty"):
        runs.rename(kept, "   ")


def test_at_most_eight_and_colours_stay():
    runs = RunCollection()
    kept = [runs.keep(TrainingSettings(), _history()) for _ in range(MAX_KEPT_RUNS)]
    assert [k.color for k in kept] == list(range(MAX_KEPT_RUNS))
    with pytest.raises(ValueError, match="at most 8"):
        runs.keep(TrainingSettings(), _history())
    assert runs.remove(kept[2]) == 2
    assert [k.color for k in runs] == [0, 1, 3, 4, 5, 6, 7]
    again = runs.keep(TrainingSettings(), _history())
    assert again.color == 2  # the freed colour, not a seventh run's colour twice


def test_growing_a_kept_run():
    runs, grown = RunCollection(), []
    runs.grown.connect(grown.append)
    kept = runs.keep(TrainingSettings(), _history(1))
    runs.append_epochs(kept, [1, 2], np.ones((2, 3)), [0.5, 0.4], [1.0, 1.0], 0.1, 0.0, 0)
    assert len(kept.history) == 3 and grown == [kept]


def test_bad_kept_runs_are_refused():
    with pytest.raises(ValueError, match="colour"):
        KeptRun(TrainingSettings(), _history(), color=8)
    with pytest.raises(ValueError, match="text"):
        KeptRun(TrainingSettings(), _history(), label=3)
