"""The run's history keeps every epoch with named θ columns and the α, λ and revision of each."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrviz.core.history import RunHistory, parameter_names


def _append(history, start, count, rate=0.1, l2=0.0, revision=0):
    epochs = np.arange(start, start + count)
    theta = np.c_[epochs, -epochs, epochs * 0.5].astype(float)
    history.append(epochs, theta, 1.0 / (epochs + 1), epochs * 0.1, rate, l2, revision)


def test_appends_grow_and_keep_every_value():
    history = RunHistory()
    assert len(history) == 0 and history.last_epoch == -1 and history.names == ("w1", "w2", "b")
    start = 0
    for count in (1, 7, 3000, 1, 500_000):
        _append(history, start, count)
        start += count
    assert len(history) == start and history.last_epoch == start - 1
    np.testing.assert_array_equal(history.epochs, np.arange(start))
    np.testing.assert_array_equal(history.W[:, 1], -np.arange(start))
    np.testing.assert_array_equal(history.column("b"), np.arange(start) * 0.5)
    np.testing.assert_array_equal(history.b, history.theta[:, 2])
    np.testing.assert_array_equal(history.loss, 1.0 / (np.arange(start) + 1))
    with pytest.raises(ValueError):
        history.loss[0] = 5.0  # read-only view
    with pytest.raises(ValueError):
        history.theta[0, 0] = 5.0


def test_gap_is_refused_truncate_and_clear():
    history = RunHistory()
    _append(history, 0, 10)
    with pytest.raises(ValueError, match="does not follow"):
        _append(history, 12, 2)
    history.truncate_after(4)
    assert history.last_epoch == 4 and len(history) == 5
    _append(history, 5, 3)
    np.testing.assert_array_equal(history.epochs, np.arange(8))
    history.clear()
    assert len(history) == 0
    _append(history, 0, 2)
    assert history.last_epoch == 1


def test_settings_in_force_per_epoch_survive_truncation_and_tail():
    history = RunHistory()
    _append(history, 0, 5, rate=0.1, revision=3)
    _append(history, 5, 5, rate=0.5, l2=0.01, revision=3)
    per_epoch = np.r_[np.full(3, 7), np.full(2, 8)]
    epochs = np.arange(10, 15)
    history.append(epochs, np.zeros((5, 3)), np.ones(5), np.ones(5), 0.5, 0.01, per_epoch)
    np.testing.assert_array_equal(history.learning_rate, [0.1] * 5 + [0.5] * 10)
    np.testing.assert_array_equal(history.l2, [0.0] * 5 + [0.01] * 10)
    np.testing.assert_array_equal(history.data_revision, [3] * 10 + [7] * 3 + [8] * 2)
    assert history.revisions() == {3, 7, 8}
    row = history.row(12)
    assert (row.epoch, row.learning_rate, row.l2, row.data_revision) == (12, 0.5, 0.01, 7)
    tail = history.tail(6)
    assert tail.first_epoch == 7 and tail.last_epoch == 14
    history.truncate_after(6)
    assert history.revisions() == {3} and len(history.learning_rate) == 7
    history.extend(tail)
    np.testing.assert_array_equal(history.data_revision, [3] * 10 + [7] * 3 + [8] * 2)
    assert history == history.copy()
    with pytest.raises(IndexError):
        history.row(15)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 20), st.sampled_from([0.1, 0.2, 0.3]), st.integers(0, 2)),
                min_size=1, max_size=12), st.integers(0, 200))
def test_runs_of_settings_expand_to_what_was_appended(batches, cut):
    history = RunHistory(parameter_names(1))
    rates, revisions, start = [], [], 0
    for count, rate, revision in batches:
        history.append(np.arange(start, start + count), np.zeros((count, 2)), np.ones(count), np.ones(count),
                       rate, 0.0, revision)
        rates += [rate] * count
        revisions += [revision] * count
        start += count
    np.testing.assert_array_equal(history.learning_rate, rates)
    np.testing.assert_array_equal(history.data_revision, revisions)
    history.truncate_after(cut - 1)
    kept = min(cut, start)
    np.testing.assert_array_equal(history.learning_rate, rates[:kept])
    assert [history.row(e).data_revision for e in range(kept)] == revisions[:kept]


def test_column_names_are_checked():
    assert RunHistory(("w[x1]", "w[x1^2]", "b")).n_weights == 2
    for bad in (("w1", "w1", "b"), ("w1", "w2"), ("b",)):
        with pytest.raises(ValueError):
            RunHistory(bad)
