"""The frame-skip bound of a curved model (ui/editor/curve_skip.py) is sound: whenever it says
skip, the picture drawn from the new parameters would change no colour step (|Δσ| < half of
one of 256 steps) and move no point of the zero contour by a quarter pixel. And it is useful:
the tiny steps of late training are skipped, in the window too."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lrviz.core.dataset import make_preset
from lrviz.core.features import FeatureMap
from lrviz.core.model import sigmoid
from lrviz.ui.editor.curve_layer import grid_z, zero_contour
from lrviz.ui.editor.curve_skip import (
    COLOUR_STEP,
    CURVE_PIXELS,
    CurveFrame,
    GridFeatures,
    change_bound,
    rounding_slack,
)

XS = np.linspace(-2.0, 2.5, 61)
YS = np.linspace(-1.5, 1.5, 41)


def picture(phi, w, b):
    z = GridFeatures().z(phi, w, b, XS, YS)
    return z, sigmoid(z), zero_contour(z, XS, YS)


def moved_pixels(old, new, cell_px):
    """The largest move of a contour point, in pixels (cell_px pixels per grid step in x and y)."""
    dx, dy = XS[1] - XS[0], YS[1] - YS[0]
    return max((float(np.max(np.abs(a - b) / [dx / cell_px, dy / cell_px])) for a, b in zip(old, new)),
               default=0.0)


@settings(max_examples=300, deadline=None)
@given(degree=st.integers(1, 4), sin=st.booleans(), seed=st.integers(0, 10**6),
       scale=st.floats(-9.0, -1.0), cell_px=st.floats(1.0, 12.0))
def test_when_the_bound_says_skip_no_pixel_changes(degree, sin, seed, scale, cell_px):
    phi = FeatureMap(degree, sin)
    rng = np.random.default_rng(seed)
    w, b = rng.normal(0, 2, phi.n_terms), float(rng.normal(0, 1))
    dw, db = rng.normal(0, 10**scale, phi.n_terms), float(rng.normal(0, 10**scale))
    features = GridFeatures()
    z0 = features.z(phi, w, b, XS, YS)
    frame = CurveFrame.drawn((0, 1, 0, 1), z0, w, b, features.maxima, cell_px)
    z1, image1, pieces1 = picture(phi, w + dw, b + db)
    # the bound holds at every grid point, for the z as computed
    slack = rounding_slack(features.maxima, w, b) + rounding_slack(features.maxima, w + dw, b + db)
    assert float(np.max(np.abs(z1 - z0))) <= change_bound(features.maxima, dw, db) + slack
    if not frame.unchanged((0, 1, 0, 1), z0.shape, w + dw, b + db):
        return
    _, image0, pieces0 = picture(phi, w, b)
    assert float(np.max(np.abs(image1 - image0))) < COLOUR_STEP
    assert len(pieces1) == len(pieces0)
    assert all(a.shape == c.shape for a, c in zip(pieces0, pieces1))
    assert moved_pixels(pieces0, pieces1, cell_px) < CURVE_PIXELS


def test_grid_features_give_the_layers_z():
    phi = FeatureMap(3, True)
    w, b = np.linspace(-1, 1, phi.n_terms), 0.3
    np.testing.assert_array_equal(GridFeatures().z(phi, w, b, XS, YS), grid_z(phi, w, b, XS, YS))


def test_tiny_steps_are_skipped_and_large_ones_drawn():
    phi = FeatureMap(3)
    rng = np.random.default_rng(3)
    w, b = rng.normal(0, 2, phi.n_terms), 0.2
    features = GridFeatures()
    z = features.z(phi, w, b, XS, YS)
    frame = CurveFrame.drawn((0, 1, 0, 1), z, w, b, features.maxima, 4.0)
    assert zero_contour(z, XS, YS)  # there is a curve to keep still
    assert frame.unchanged((0, 1, 0, 1), z.shape, w + 1e-9, b)
    assert not frame.unchanged((0, 1, 0, 1), z.shape, w + 1e-2, b)
    assert not frame.unchanged((0, 1, 0, 2), z.shape, w, b)  # another view
    assert not frame.unchanged((0, 1, 0, 1), (40, 61), w, b)  # another grid
    assert CurveFrame.drawn((0, 1, 0, 1), np.full((3, 3), np.inf), w, b, features.maxima, 4.0) is None


def test_the_editor_skips_a_tiny_step_of_a_curved_model(qtbot):
    from tests.ui.window_helpers import shown_window

    win = shown_window(qtbot, make_preset("moons", n_points=40, noise=0.1, seed=2))
    editor = win.editor
    phi = FeatureMap(3)
    w = np.linspace(-1.0, 1.5, phi.n_terms)
    editor.set_parameters(w, 0.1, phi)
    editor.draw_model_now()
    drawn = editor._curves.segments
    assert editor.boundary_curves()
    editor.set_parameters(w + 1e-10, 0.1, phi)
    editor.draw_model_now()
    assert editor._curves.segments is drawn  # skipped: the very segments drawn before
    editor.set_parameters(w + 0.05, 0.1, phi)
    editor.draw_model_now()
    assert editor._curves.segments is not drawn
    z = grid_z(phi, w + 0.05, 0.1, *editor._grid(tuple(np.ravel(editor.view_box.viewRange())),
                                                   editor.view_box.sceneBoundingRect()))
    assert len(editor.boundary_curves()) == len(zero_contour(z, *editor._grid(
        tuple(np.ravel(editor.view_box.viewRange())), editor.view_box.sceneBoundingRect())))


@settings(max_examples=60, deadline=None)
@given(degree=st.integers(1, 5), seed=st.integers(0, 10**6))
def test_the_vectorized_contour_crosses_where_marching_squares_does(degree, seed):
    """zero_segments' end points are exactly the edge crossings of pyqtgraph's isocurve (the
    marching squares the layer used before), and every segment lies in one grid cell."""
    import pyqtgraph as pg

    from lrviz.ui.editor.curve_layer import zero_segments

    phi = FeatureMap(degree)
    rng = np.random.default_rng(seed)
    z = GridFeatures().z(phi, rng.normal(0, 2, phi.n_terms), float(rng.normal(0, 1)), XS, YS)
    segments = zero_segments(z, XS, YS)
    dx, dy = XS[1] - XS[0], YS[1] - YS[0]
    theirs = [np.asarray(line, dtype=float).reshape(-1, 2) for line in pg.functions.isocurve(z.T, 0.0, connected=True)]
    theirs = np.vstack([np.column_stack([XS[0] + (p[:, 0] - 0.5) * dx, YS[0] + (p[:, 1] - 0.5) * dy]) for p in theirs]) \
        if theirs else np.empty((0, 2))
    key = lambda P: {(round(float(x) / dx, 6), round(float(y) / dy, 6)) for x, y in P}
    assert key(segments.reshape(-1, 2)) == key(theirs)
    if len(segments):
        cells = np.floor((segments - [XS[0], YS[0]]) / [dx, dy] + 1e-9)
        assert np.all(np.abs(cells[:, 0] - cells[:, 1]) <= 1)
