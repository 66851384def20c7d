"""The landscape's path digest: exact rows only, the box and both ends kept, bounded reads."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrviz.core.history import RunHistory
from lrviz.core.path_digest import PathDigest, bucket_of, drawn_positions


def history_of(theta: np.ndarray, first: int = 0) -> RunHistory:
    history = RunHistory()
    append(history, theta, first)
    return history


def append(history: RunHistory, theta: np.ndarray, first: int | None = None) -> None:
    first = history.last_epoch + 1 if first is None else first
    k = len(theta)
    history.append(np.arange(first, first + k), theta, np.ones(k), np.ones(k), 0.1, 0.0, 0)


def walk(n: int, seed: int = 0) -> np.ndarray:
    """A wandering path with spikes (what min/max per bucket must keep)."""
    rng = np.random.default_rng(seed)
    theta = np.cumsum(rng.normal(size=(n, 3)), axis=0)
    theta[rng.integers(0, n, 5)] += rng.normal(scale=100.0, size=(5, 3))
    return theta


def check_exact(digest: PathDigest, history: RunHistory) -> tuple[np.ndarray, np.ndarray]:
    indices, theta = digest.vertices()
    assert np.all(np.diff(indices) > 0)
    np.testing.assert_array_equal(theta, history.theta[indices])  # rows of the history, never moved
    assert indices[0] == 0 and indices[-1] == len(history) - 1  # the first and the newest epoch
    return indices, theta


def test_a_short_run_keeps_every_epoch():
    history = history_of(walk(2 * 64 - 1))
    digest = PathDigest(resolution=64)
    assert digest.update(history)
    indices, _ = check_exact(digest, history)
    np.testing.assert_array_equal(indices, np.arange(len(history)))
    assert not digest.update(history)  # nothing new: nothing changed


@given(st.lists(st.integers(1, 700), min_size=1, max_size=25), st.integers(0, 10**6))
@settings(max_examples=40, deadline=None)
def test_growing_in_batches_gives_the_digest_of_the_whole_and_keeps_the_box(batches, seed):
    theta = walk(sum(batches), seed)
    history, digest = RunHistory(), PathDigest(resolution=8, read_rows=64)
    done = 0
    for k in batches:
        append(history, theta[done:done + k], 0 if done == 0 else None)
        done += k
        before = digest.rows_read
        digest.update(history)
        largest_bucket = bucket_of(done - 1, 8)[0]
        assert digest.rows_read - before <= k + largest_bucket  # the new rows and one partial bucket
        assert digest.largest_read <= max(64, largest_bucket)
    indices, kept = check_exact(digest, history)
    at_once = PathDigest(resolution=8, read_rows=64)
    at_once.update(history)
    np.testing.assert_array_equal(at_once.vertices()[0], indices)
    # every parameter's smallest and largest value is a vertex: the drawn box is the path's box
    np.testing.assert_array_equal(kept.min(axis=0), theta.min(axis=0))
    np.testing.assert_array_equal(kept.max(axis=0), theta.max(axis=0))


def test_the_vertices_stay_few_for_a_long_run():
    n, resolution = 1_000_000, 256
    history = history_of(walk(n))
    digest = PathDigest(resolution=resolution)
    digest.update(history)
    check_exact(digest, history)
    buckets = 2 * resolution + resolution * int(np.ceil(np.log2(n / (2 * resolution))))
    assert len(digest.vertices()[0]) <= 7 * buckets + 1
    assert digest.rows_read == n
    assert digest.largest_read <= 1 << 17


def test_a_cut_and_new_epochs_are_digested_as_a_fresh_history():
    history = history_of(walk(5000, 1))
    digest = PathDigest(resolution=16)
    digest.update(history)
    history.truncate_after(3000)
    append(history, walk(2500, 2) * 3)  # different rows after epoch 3000, longer than before
    assert digest.update(history)
    fresh = PathDigest(resolution=16)
    fresh.update(history)
    np.testing.assert_array_equal(digest.vertices()[0], fresh.vertices()[0])
    check_exact(digest, history)
    history.clear()
    append(history, walk(10, 3), 0)
    assert digest.update(history)
    np.testing.assert_array_equal(digest.vertices()[0], np.arange(10))


def test_a_cut_back_to_the_same_length_is_seen():
    history = history_of(walk(300, 1))
    digest = PathDigest(resolution=16)
    digest.update(history)
    history.truncate_after(99)
    append(history, walk(200, 4))
    assert len(history) == 300 and digest.update(history)
    check_exact(digest, history)


def test_another_history_starts_afresh():
    digest = PathDigest(resolution=16)
    digest.update(history_of(walk(400, 1)))
    other = history_of(walk(50, 2), first=7)
    assert digest.update(other)
    np.testing.assert_array_equal(digest.vertices()[0], np.arange(50))


def test_non_finite_rows_never_hide_the_finite_extremes():
    theta = walk(3000)
    theta[1500:1600] = np.inf
    theta[2000] = np.nan
    history = history_of(theta)
    digest = PathDigest(resolution=16)
    digest.update(history)
    _, kept = check_exact(digest, history)
    finite = kept[np.isfinite(kept).all(axis=1)]
    every = theta[np.isfinite(theta).all(axis=1)]
    np.testing.assert_array_equal(finite.min(axis=0), every.min(axis=0))
    np.testing.assert_array_equal(finite.max(axis=0), every.max(axis=0))


@pytest.mark.parametrize("selected", [0, 1, 4321, 9998, 9999])
def test_the_path_passes_through_the_selected_epoch(selected):
    history = history_of(walk(10_000))
    digest = PathDigest(resolution=16)
    digest.update(history)
    indices, theta, at = digest.through(selected, history.row(selected).theta)
    assert indices[at] == selected and np.all(np.diff(indices) > 0)
    np.testing.assert_array_equal(theta[at], history.theta[selected])
    np.testing.assert_array_equal(theta, history.theta[indices])
    positions = drawn_positions(theta[:, :2], np.array([50.0, 50.0]), 40, keep=at)
    assert at in positions and positions[0] == 0 and positions[-1] == len(indices) - 1
    assert len(positions) <= 40 + 3 and np.all(np.diff(positions) > 0)


def test_drawn_positions_skip_vertices_on_the_same_pixel():
    points = np.array([[0.0, 0.0], [0.1, 0.1], [0.2, 0.0], [1.5, 0.0], [1.6, 0.2], [3.0, 3.0]])
    np.testing.assert_array_equal(drawn_positions(points, np.array([1.0, 1.0]), 100), [0, 3, 5])
    np.testing.assert_array_equal(drawn_positions(points, np.array([1.0, 1.0]), 100, keep=1), [0, 1, 3, 5])
    np.testing.assert_array_equal(drawn_positions(points, None, 100), np.arange(6))


def test_a_run_that_ends_a_bucket_keeps_its_newest_epoch():
    """Found by hypothesis: 192 rows at resolution 8 end the bucket [176, 192), whose kept rows
    are its first and its extremes; the newest epoch must be a vertex all the same."""
    theta = walk(192)
    history, digest = RunHistory(), PathDigest(resolution=8, read_rows=64)
    for start, stop in [(0, 8), (8, 192)]:
        append(history, theta[start:stop], 0 if start == 0 else None)
        digest.update(history)
    check_exact(digest, history)
    append(history, theta[:1] + 1.0)  # and growing on from there still works
    digest.update(history)
    check_exact(digest, history)
