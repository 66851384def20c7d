"""arrow_place counts the points under each candidate place exactly: checked against plain
geometry, point by point, in Python floats (no NumPy, no sorting, no bounding boxes)."""

from __future__ import annotations

import math

import numpy as np

from lrviz.ui.editor.arrow_place import MARKER_RADIUS_PX, _covered_counts, covered_points


def _covers(point, base, tip, label, box, head_half_width) -> bool:
    """The point's marker touches the shaft (a segment, widened by the head) or the label's box."""
    (px, py), (bx, by), (tx, ty), (lx, ly) = point, base, tip, label
    ax, ay = tx - bx, ty - by
    t = 0.0 if ax == ay == 0 else min(1.0, max(0.0, ((px - bx) * ax + (py - by) * ay) / (ax * ax + ay * ay)))
    distance = math.hypot(px - (bx + t * ax), py - (by + t * ay))
    under_label = (abs(px - lx) <= box[0] / 2 + 4 + MARKER_RADIUS_PX
                   and abs(py - ly) <= box[1] / 2 + 2 + MARKER_RADIUS_PX)
    return distance <= MARKER_RADIUS_PX + head_half_width or under_label


def test_the_counts_are_those_of_plain_geometry():
    rng = np.random.default_rng(11)
    box, head_half_width = (96.0, 19.0), 7.0
    for trial in range(12):
        points = rng.normal(250, rng.uniform(20, 300), (int(rng.integers(1, 1500)), 2))
        if trial % 3 == 0:
            points = np.round(points)  # on a pixel grid: many points at equal x
        bases = rng.uniform(0, 500, (15, 2))
        tips = bases + rng.normal(size=(15, 2)) * 80
        tips[0] = bases[0]  # a zero-length arrow: only its base point
        labels = rng.uniform(0, 500, (15, 2))
        counts = _covered_counts(points, bases, tips, labels, box, head_half_width)
        expected = [sum(_covers(p, bases[k], tips[k], labels[k], box, head_half_width) for p in points.tolist())
                    for k in range(15)]
        assert counts.tolist() == expected
        assert max(expected) > 0
        assert covered_points(points, bases[3], tips[3], labels[3], box, head_half_width) == expected[3]


def test_no_points_cover_nothing():
    bases = np.zeros((15, 2))
    assert _covered_counts(np.empty((0, 2)), bases, bases + 1, bases, (50.0, 10.0), 5.0).tolist() == [0] * 15
