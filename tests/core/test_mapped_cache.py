"""MappedCache answers exactly what model_trainer.mapped does, and only from points equal in value."""

from __future__ import annotations

import numpy as np
import pytest

from lrviz.core.mapped_cache import MappedCache
from lrviz.core.model_trainer import mapped
from lrviz.core.settings import TrainingSettings

DEGREE_3 = TrainingSettings(degree=3)


def points(seed: int = 0, m: int = 500) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 2, (m, 2))


def test_it_gives_mapped_and_keeps_it_for_equal_points():
    cache, X = MappedCache(), points()
    first = cache.get(X, DEGREE_3)
    np.testing.assert_array_equal(first, mapped(X, DEGREE_3))
    assert cache.get(X.copy(), DEGREE_3) is first  # equal values, another array: kept
    with pytest.raises(ValueError):
        first[0, 0] = 1.0  # shared: read-only


def test_other_points_or_another_map_are_mapped_afresh():
    cache, X = MappedCache(), points()
    first = cache.get(X, DEGREE_3)
    moved = X.copy()
    moved[123, 1] += 1e-12  # one coordinate, by a hair
    again = cache.get(moved, DEGREE_3)
    assert again is not first
    np.testing.assert_array_equal(again, mapped(moved, DEGREE_3))
    fewer = cache.get(moved[:-1], DEGREE_3)
    np.testing.assert_array_equal(fewer, mapped(moved[:-1], DEGREE_3))
    for settings in (TrainingSettings(degree=2), TrainingSettings(degree=3, sin=True)):
        np.testing.assert_array_equal(cache.get(moved[:-1], settings), mapped(moved[:-1], settings))


def test_the_identity_map_and_large_sets_are_not_kept():
    X = points()
    np.testing.assert_array_equal(MappedCache().get(X, TrainingSettings()), X)
    small = MappedCache(max_bytes=1000)
    first = small.get(X, DEGREE_3)
    second = small.get(X, DEGREE_3)
    assert second is not first and first.flags.writeable
    np.testing.assert_array_equal(second, first)


def test_points_too_large_for_the_degree_say_so_every_time():
    cache = MappedCache()
    huge = np.array([[1e200, 0.0], [0.0, 1.0]])
    for _ in range(2):
        with pytest.raises(ValueError, match="too large for degree 3"):
            cache.get(huge, DEGREE_3)
