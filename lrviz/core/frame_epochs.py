"""Which epochs an animation of training shows, frame by frame.

Gradient descent moves fastest in its first epochs: evenly spaced frames over a run of 1000
epochs would show epoch 0 and then epoch 5, 10, … and skip the whole first swing of the
boundary. Frames evenly spaced in log(1 + epoch) give the early epochs most of the frames and
the slow end fewer. Every frame shows a different epoch (so no frame repeats one), the first is
the run's first epoch and the last the epoch asked for.
"""

from __future__ import annotations

import numpy as np

SPACINGS = {
    "log": "evenly in log(1 + epoch): the fast early epochs get most frames",
    "linear": "evenly in epochs",
}


def frame_count(first: int, last: int, wanted: int) -> int:
    """How many frames there are: `wanted`, but at most one per epoch from first to last."""
    return max(1, min(int(wanted), int(last) - int(first) + 1))


def frame_epochs(first: int, last: int, wanted: int, spacing: str = "log") -> np.ndarray:
    """The epochs of `frame_count(first, last, wanted)` frames, strictly increasing, first … last."""
    if spacing not in SPACINGS:
        raise ValueError(f"the frames are spaced {' or '.join(SPACINGS)}, not {spacing!r}")
    first, last = int(first), int(last)
    if last < first:
        raise ValueError(f"the last epoch {last} comes before the first {first}")
    count = frame_count(first, last, wanted)
    if count == 1:
        return np.array([last], dtype=np.int64)
    t = np.linspace(0.0, 1.0, count)
    span = last - first
    offsets = np.expm1(t * np.log1p(span)) if spacing == "log" else t * span
    epochs = first + np.rint(offsets).astype(np.int64)
    epochs[0], epochs[-1] = first, last
    # Rounding puts several early frames on one epoch: push them apart, one epoch at least,
    # forward from the first and back from the last (possible since count ≤ span + 1).
    epochs = np.maximum(epochs, first + np.arange(count))
    epochs = np.minimum(epochs, last - np.arange(count)[::-1])
    return np.maximum.accumulate(epochs)


__all__ = ["SPACINGS", "frame_count", "frame_epochs"]
