"""The epochs of an animation's frames: every one different, first … last, the early epochs dense."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrviz.core.frame_epochs import frame_count, frame_epochs


@given(first=st.integers(0, 50), span=st.integers(1, 10**7), wanted=st.integers(2, 2000),
       spacing=st.sampled_from(["log", "linear"]))
def test_frames_are_distinct_epochs_from_first_to_last(first, span, wanted, spacing):
    epochs = frame_epochs(first, first + span, wanted, spacing)
    assert len(epochs) == frame_count(first, first + span, wanted) == min(wanted, span + 1)
    assert epochs[0] == first and epochs[-1] == first + span
    assert np.all(np.diff(epochs) > 0)


def test_log_spacing_keeps_the_first_epochs_that_linear_spacing_skips():
    log = frame_epochs(0, 1000, 200, "log")
    linear = frame_epochs(0, 1000, 200, "linear")
    assert list(log[:10]) == list(range(10))
    assert linear[1] == 5
    assert np.count_nonzero(log <= 100) > 100 > np.count_nonzero(linear <= 100)


def test_a_short_run_gives_one_frame_per_epoch():
    assert list(frame_epochs(0, 7, 200)) == list(range(8))


def test_bad_requests_are_refused():
    with pytest.raises(ValueError, match="spaced"):
        frame_epochs(0, 10, 5, "cubic")
    with pytest.raises(ValueError, match="before"):
        frame_epochs(5, 3, 5)
