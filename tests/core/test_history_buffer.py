"""The history buffer keeps every epoch, grows cheaply and refuses gaps."""

from __future__ import annotations

import numpy as np
import pytest

from lrviz.core.history_buffer import HistoryBuffer


def _append(buffer, start, count):
    epochs = np.arange(start, start + count)
    buffer.append(epochs, np.c_[epochs, -epochs].astype(float), epochs * 0.5, 1.0 / (epochs + 1), epochs * 0.1)


def test_appends_grow_and_keep_every_value():
    buffer = HistoryBuffer()
    assert len(buffer) == 0 and buffer.last_epoch == -1
    start = 0
    for count in (1, 7, 3000, 1, 500_000):
        _append(buffer, start, count)
        start += count
    assert len(buffer) == start and buffer.last_epoch == start - 1
    np.testing.assert_array_equal(buffer.epochs, np.arange(start))
    np.testing.assert_array_equal(buffer.W[:, 1], -np.arange(start))
    np.testing.assert_array_equal(buffer.loss, 1.0 / (np.arange(start) + 1))
    with pytest.raises(ValueError):
        buffer.loss[0] = 5.0  # read-only view


def test_gap_is_refused_truncate_and_clear():
    buffer = HistoryBuffer()
    _append(buffer, 0, 10)
    with pytest.raises(ValueError, match="does not follow"):
        _append(buffer, 12, 2)
    buffer.truncate_after(4)
    assert buffer.last_epoch == 4 and len(buffer) == 5
    _append(buffer, 5, 3)
    np.testing.assert_array_equal(buffer.epochs, np.arange(8))
    buffer.clear()
    assert len(buffer) == 0
    _append(buffer, 0, 2)
    assert buffer.last_epoch == 1
