"""Where the w arrow and its label go: on the boundary, where they cover the fewest points.

The arrow starts on the visible boundary and points along w; its label ("w  ‖w‖ = 3.42")
sits beyond the tip or beside it. Drawn always from the boundary point nearest the view's
centre, the head and the label sat on the points a learner looks at (the points near
the boundary are the interesting ones). Here a few places along the boundary and three
places for the label are tried, and the one that covers the fewest points wins; ties go
to the place chosen last time (the arrow does not jump while training moves it), then to
the one nearest the centre. All in pixels (y up), as the editor draws the arrow.

Cost: at most MAX_POINTS points × 15 places. Each place tests only the points within its
bounding box's x-range (the points sorted by x once: a contiguous run): about half the time of
testing every point at every place in one pass of NumPy (which was 9× faster than testing
place by place every point), and the timeline pays it at every step that moves the boundary.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

MAX_POINTS = 4000  # more points are thinned evenly for the count (a density image has no markers)
MARKER_RADIUS_PX = 6.0  # a point's marker reaches this far from its centre
ALONG = (0.0, -0.18, 0.18, -0.36, 0.36)  # bases: the centre's foot, then steps along the visible line
LABEL_SIDES = ("beyond", "left", "right")
_SAMPLES = np.linspace(0.0, 1.0, 12)  # points along the arrow, to see whether the label lies on it


class ArrowPlace(NamedTuple):
    """A chosen place: the arrow's base and the label's centre (pixels), and what was chosen."""

    base: np.ndarray
    label: np.ndarray
    choice: tuple[float, str]
    covered: int


def label_centre(tip: np.ndarray, normal: np.ndarray, head: float, box: tuple[float, float], side: str) -> np.ndarray:
    """The label's centre for a tip: beyond it along w, or beside the head on either side."""
    width, height = box
    if side == "beyond":
        clearance = 6.0 + 0.5 * (abs(normal[0]) * width + abs(normal[1]) * height)
        return tip + clearance * normal
    across = np.array([-normal[1], normal[0]]) * (1.0 if side == "left" else -1.0)
    reach = 8.0 + 0.5 * (abs(across[0]) * width + abs(across[1]) * height)
    return tip - 0.5 * head * normal + reach * across


def covered_points(points: np.ndarray, base: np.ndarray, tip: np.ndarray, label: np.ndarray,
                   box: tuple[float, float], head_half_width: float) -> int:
    """How many points (pixels, (n, 2)) the arrow from `base` to `tip` or the label box covers."""
    return int(_covered_counts(points, base[None, :], tip[None, :], label[None, :], box, head_half_width)[0])


def _covered_counts(points: np.ndarray, bases: np.ndarray, tips: np.ndarray, labels: np.ndarray,
                    box: tuple[float, float], head_half_width: float) -> np.ndarray:
    """covered_points for K candidate places at once ((K, 2) each): (K,) counts.

    A place can only cover points within its bounding box (the shaft's, widened by the
    shaft's reach, and the label's). With the points sorted by x, those within a place's
    x-range (and 1 px more: the exact test decides) are one contiguous run, a view: each
    place tests only its run, with the same arithmetic per point as testing every point.
    """
    bases, tips, labels = (np.asarray(a, dtype=float).reshape(-1, 2) for a in (bases, tips, labels))
    counts = np.zeros(len(bases), dtype=int)
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    if not len(points):
        return counts
    half = np.array([box[0] / 2 + 4, box[1] / 2 + 2]) + MARKER_RADIUS_PX
    shaft_reach = MARKER_RADIUS_PX + head_half_width
    low = np.minimum(np.minimum(bases[:, 0], tips[:, 0]) - shaft_reach, labels[:, 0] - half[0]) - 1.0
    high = np.maximum(np.maximum(bases[:, 0], tips[:, 0]) + shaft_reach, labels[:, 0] + half[0]) + 1.0
    order = np.argsort(points[:, 0])
    xs, ys = points[order, 0], points[order, 1]
    starts = np.searchsorted(xs, low, side="left").tolist()
    stops = np.searchsorted(xs, high, side="right").tolist()
    axes = (tips - bases).tolist()
    reach2, half_x, half_y = shaft_reach**2, float(half[0]), float(half[1])
    for k, ((bx, by), (ax, ay), (lx, ly)) in enumerate(zip(bases.tolist(), axes, labels.tolist())):
        px, py = xs[starts[k]:stops[k]], ys[starts[k]:stops[k]]
        if not len(px):
            continue
        rx = px - bx
        ry = py - by
        t = (rx * ax + ry * ay) / max(ax * ax + ay * ay, 1e-12)
        np.minimum(np.maximum(t, 0.0, out=t), 1.0, out=t)  # np.clip, without its wrapper's cost
        rx -= t * ax
        ry -= t * ay
        near_shaft = rx * rx + ry * ry <= reach2  # np.hypot: 15 ns an element
        under_label = (np.abs(px - lx) <= half_x) & (np.abs(py - ly) <= half_y)
        counts[k] = np.count_nonzero(near_shaft | under_label)
    return counts


def place_arrow(ends: np.ndarray, normal: np.ndarray, length: float, head: float, box: tuple[float, float],
                points: np.ndarray, low: np.ndarray, high: np.ndarray, centre: np.ndarray,
                previous: tuple[float, str] | None = None) -> ArrowPlace:
    """The place covering the fewest points, for the visible boundary segment `ends` (2, 2)
    with unit normal `normal`, an arrow `length` long with a head `head` long, a label of
    `box` (width, height), the view's corners `low`, `high` and its `centre` (all pixels)."""
    if len(points) > MAX_POINTS:
        points = points[:: -(-len(points) // MAX_POINTS)]
    x, y = points[:, 0], points[:, 1]  # column by column: a reduction along axis 1 of (n, 2) is slow
    inside = ((x >= low[0] - MARKER_RADIUS_PX) & (x <= high[0] + MARKER_RADIUS_PX)
              & (y >= low[1] - MARKER_RADIUS_PX) & (y <= high[1] + MARKER_RADIUS_PX))
    points = points[inside]
    line = ends[1] - ends[0]
    foot = float(np.clip(np.dot(centre - ends[0], line) / max(float(np.dot(line, line)), 1e-300), 0.0, 1.0))
    half = np.array([box[0] / 2 + 4, box[1] / 2 + 2])
    # every candidate at once: the bases in ALONG's order, each with the LABEL_SIDES in order
    tried = [(order, step) for order, step in enumerate(ALONG)
             # off the visible line, or so near its end that the arrow may leave the view
             if not step or 0.08 <= foot + step <= 0.92]
    along = np.array([foot + step for _, step in tried])
    bases = ends[0] + along[:, None] * line
    tips = bases + length * normal
    labels = np.stack([label_centre(tips, normal, head, box, side) for side in LABEL_SIDES], axis=1).reshape(-1, 2)
    labels = np.where(low + half <= high - half, np.clip(labels, low + half, high - half), labels)
    sides = len(LABEL_SIDES)
    bases, tips = np.repeat(bases, sides, axis=0), np.repeat(tips, sides, axis=0)
    places = [(step, side, order, side_order, bases[sides * b], labels[sides * b + side_order])
              for b, (order, step) in enumerate(tried) for side_order, side in enumerate(LABEL_SIDES)]
    counts = _covered_counts(points, bases, tips, labels, box, 0.42 * head).tolist()
    # a label pushed back into the view onto its own arrow counts as covering three points
    shafts = bases[:, None, :] + _SAMPLES[None, :, None] * (tips - bases)[:, None, :]  # (K, samples, 2)
    on_arrow = np.any(np.all(np.abs(shafts - labels[:, None, :]) <= half, axis=2), axis=1).tolist()
    best: ArrowPlace | None = None
    best_rank: tuple | None = None
    for k, (step, side, order, side_order, base, label) in enumerate(places):
        choice = (step, side)
        rank = (counts[k] + 3 * on_arrow[k], choice != previous, order, side_order)
        if best_rank is None or rank < best_rank:
            best, best_rank = ArrowPlace(base, label, choice, int(counts[k])), rank
    assert best is not None  # step 0 is always tried
    return best


__all__ = ["ArrowPlace", "covered_points", "label_centre", "place_arrow"]
