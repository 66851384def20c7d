"""Copy-on-write points: copies and snapshots share the arrays, and an edit never reaches another holder.

A 200 MB points file holds 75 MB of coordinates: the undo stack, the Run, its snapshots
and the training thread each used to take a copy (issue 18). Now they share the arrays,
and what one holder edits in place is copied first.
"""

from __future__ import annotations

import numpy as np
import pytest

from lrviz.core.dataset import LABEL_DTYPE, Dataset, make_preset
from lrviz.core.run import Run


def test_a_copy_shares_the_arrays_until_one_side_is_edited():
    data = make_preset("blobs", n_points=50, seed=3)
    data.set_split(np.arange(50) % 5 == 0)
    twin = data.copy()
    assert twin == data
    assert np.shares_memory(twin.X, data.X) and np.shares_memory(twin.y, data.y)
    before = data.X.copy(), data.is_test.copy()
    twin.move(3, 9.0, -9.0)
    twin.set_test(4, True)
    assert data.point(3)[:2] == tuple(before[0][3]) and twin.point(3)[:2] == (9.0, -9.0)
    np.testing.assert_array_equal(data.X, before[0])
    np.testing.assert_array_equal(data.is_test, before[1])
    assert twin.is_test[4] and not data.is_test[4]
    data.move(0, 1.0, 2.0)  # the other side edits too: again a copy, the twin keeps its own
    assert twin.point(0)[:2] == tuple(before[0][0])


def test_every_edit_leaves_an_earlier_snapshot_as_it_was():
    data = make_preset("moons", n_points=20, seed=1)
    edits = [lambda d: d.move(2, 0.5, 0.5), lambda d: d.set_test(1, True), lambda d: d.add(1.0, 1.0, 1),
             lambda d: d.remove(0), lambda d: d.insert(3, 2.0, 2.0, 0, True),
             lambda d: d.set_split(np.ones(len(d), bool)), lambda d: d.clear()]
    for edit in edits:
        X, y = data.snapshot()
        is_test = data.frozen_split()
        kept = X.copy(), y.copy(), is_test.copy()
        edit(data)
        for array, copy in zip((X, y, is_test), kept):
            np.testing.assert_array_equal(array, copy)
            assert not array.flags.writeable


def test_labels_are_int8_and_count_as_before():
    data = Dataset([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]], np.array([0, 1, 1], dtype=np.int64))
    assert data.y.dtype == LABEL_DTYPE == np.int8
    assert data.class_counts() == (1, 2) and data.point(2) == (2.0, 0.0, 1)
    assert type(data.point(1)[2]) is int


def test_adopting_arrays_without_a_copy_is_only_on_request():
    X, y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([0, 1])
    copied = Dataset(X, y)
    adopted = Dataset(X, y, copy=False)
    assert not np.shares_memory(copied.X, X) and np.shares_memory(adopted.X, X)
    with pytest.raises(ValueError):
        Dataset(np.array([[np.nan, 0.0]]), [0], copy=False)


def test_a_runs_snapshots_share_the_points_and_survive_edits():
    run = Run(make_preset("blobs", n_points=30, seed=2))
    first = run.snapshot()
    assert np.shares_memory(first.X, run.points.X)
    run.move_point(0, 7.0, 7.0)
    second = run.snapshot()
    assert first.X[0, 0] != 7.0 and second.X[0, 0] == 7.0
    assert run.points_at(first.revision) is first


def test_taking_a_run_copies_its_history_unless_it_is_adopted():
    other = Run(make_preset("blobs", n_points=10, seed=4))
    other.append_epochs([0, 1], np.zeros((2, 3)), [0.7, 0.6], [0.1, 0.1], 0.1, 0.0, other.revision)
    copied, adopted = Run(), Run()
    copied.take(other)
    adopted.take(other, adopt=True)
    assert copied.history is not other.history and copied.history == other.history
    assert adopted.history is other.history  # a session's own run: its epochs are not copied again
    assert copied.points == adopted.points == other.points
