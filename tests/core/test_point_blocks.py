"""PointBlocks gathers a file's blocks of points into one set of arrays, the same as concatenating them."""

from __future__ import annotations

import numpy as np
import pytest

from lrviz.core.dataset import LABEL_DTYPE, Dataset
from lrviz.core.point_blocks import PointBlocks


def _blocks(sizes: list[int], seed: int = 0) -> list[Dataset]:
    rng = np.random.default_rng(seed)
    return [Dataset(rng.normal(size=(n, 2)), rng.integers(0, 2, n), feature_names=("a", "b"),
                    is_test=rng.random(n) < 0.3, class_names=("no", "yes")) for n in sizes]


@pytest.mark.parametrize("file_chars", [1, 10, 1000, 10**6])  # estimates far short, about right, far over
@pytest.mark.parametrize("sizes", [[5], [0, 3, 0], [7, 1, 200, 33, 0, 90], [0]])
def test_the_gathered_points_are_the_blocks_concatenated(file_chars, sizes):
    blocks = _blocks(sizes)
    gathered = PointBlocks(file_chars)
    for block in blocks:
        gathered.add(block, chars=40 * len(block))
    assert gathered.started and len(gathered) == sum(sizes)
    dataset = gathered.dataset()
    y = np.concatenate([b.y for b in blocks])
    names = tuple(name if np.any(y == label) else str(label) for label, name in enumerate(("no", "yes")))
    want = Dataset(np.concatenate([b.X for b in blocks]), y, feature_names=("a", "b"),
                   is_test=np.concatenate([b.is_test for b in blocks]), class_names=names)
    assert dataset == want
    assert dataset.X.shape == (sum(sizes), 2) and dataset.y.dtype == LABEL_DTYPE and dataset.is_test.dtype == bool


def test_nothing_added_is_not_started():
    assert not PointBlocks(100).started


def test_the_arrays_are_sized_from_the_file_once_not_grown_block_by_block():
    """The first block's rows per character size the arrays for the whole file: no regrowth
    (each would be a realloc of the whole), and no capacity left over at the end."""
    blocks = _blocks([100] * 50)
    gathered = PointBlocks(file_chars=40 * 100 * 50)
    capacities = set()
    for block in blocks:
        gathered.add(block, chars=40 * 100)
        capacities.add(len(gathered._y))
    assert len(capacities) == 1 and capacities.pop() >= 5000
    dataset = gathered.dataset()
    assert dataset.X.base.shape == (5000, 2)  # the array itself holds just the rows, no spare capacity
    assert len(dataset) == 5000


def test_a_class_is_named_by_the_blocks_that_hold_it():
    """In a file of named classes a block of one class names only that one (the other's
    name is then "0" or "1"): the names are taken from where each class has points."""
    only_cats = Dataset([[0.0, 0.0]], [0], class_names=("cat", "1"))
    only_dogs = Dataset([[1.0, 1.0]], [1], class_names=("0", "dog"))
    gathered = PointBlocks(100)
    gathered.add(only_cats, 10)
    gathered.add(only_dogs, 10)
    assert gathered.dataset().class_names == ("cat", "dog")


def test_a_class_named_differently_by_two_blocks_is_refused():
    gathered = PointBlocks(100)
    gathered.add(Dataset([[0.0, 0.0]], [0], class_names=("cat", "1")), 10)
    gathered.add(Dataset([[1.0, 1.0]], [0], class_names=("cow", "1")), 10)
    with pytest.raises(ValueError):
        gathered.dataset()
