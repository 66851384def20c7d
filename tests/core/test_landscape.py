"""The loss landscape's numbers: the minimum against scikit-learn, the surface and every shown
number against the Trainer, the subsample, the stepped ranges."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from lrviz.core.landscape import (
    Landscape,
    Minimum,
    NoMinimum,
    natural_units,
    stepped_range,
)
from lrviz.core.model import loss_and_gradient
from lrviz.core.trainer import Trainer


def overlapping(m: int = 200, seed: int = 1, offset=(5.0, -2.0), spread=(3.0, 0.5)) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, 2)) * spread + offset
    y = ((X[:, 0] - offset[0]) / spread[0] + (X[:, 1] - offset[1]) / spread[1] + rng.normal(size=m) > 0)
    return X, y.astype(float)


def sklearn_minimum(X: np.ndarray, y: np.ndarray, l2: float, standardize: bool) -> np.ndarray:
    """scikit-learn's fit of the same objective, in raw coordinates.

    lrviz minimises (1/m) Σ ℓᵢ + (λ/2)‖w‖²; scikit-learn minimises C Σ ℓᵢ + (1/2)‖w‖². Dividing
    lrviz's objective by λ (which keeps the minimiser) gives (1/(λm)) Σ ℓᵢ + (1/2)‖w‖², so
    C = 1/(λ·m); λ = 0 is C = ∞ (no penalty). Neither penalises the intercept. With
    standardization both penalise the weights of the standardized features, so scikit-learn
    fits the Trainer's standardized points and the result is mapped back to raw coordinates.
    """
    mean, std = Trainer(X, y, standardize=standardize).scaling
    Z = (X - mean) / std
    C = np.inf if l2 == 0 else 1.0 / (l2 * len(y))
    fit = LogisticRegression(C=C, solver="newton-cholesky", tol=1e-14, max_iter=10_000).fit(Z, y)
    w = fit.coef_[0] / std
    return np.append(w, fit.intercept_[0] - w @ mean)


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("l2", [0.0, 1e-3, 0.1, 2.0])
def test_the_minimum_is_scikit_learns(l2, standardize):
    X, y = overlapping()
    found = Landscape(X, y, l2, standardize).minimum()
    assert isinstance(found, Minimum)
    expected = sklearn_minimum(X, y, l2, standardize)
    np.testing.assert_allclose(found.theta, expected, rtol=1e-8, atol=0)
    trainer_loss = Trainer(X, y, l2=l2, standardize=standardize, w0=found.theta[:2], b0=found.theta[2]).current.loss
    assert found.loss == pytest.approx(trainer_loss, rel=1e-12)


def test_the_minimum_of_points_near_a_million():
    X, y = overlapping(offset=(1e6, -1e6), spread=(3e5, 2e5))
    found = Landscape(X, y, 0.0).minimum()
    assert isinstance(found, Minimum)
    np.testing.assert_allclose(found.theta, sklearn_minimum(X, y, 0.0, True), rtol=1e-8)


def test_separable_classes_without_l2_have_no_minimum_and_with_l2_one():
    X, _ = overlapping()
    y = (X[:, 0] > 5.0).astype(float)
    found = Landscape(X, y, 0.0).minimum()
    assert isinstance(found, NoMinimum) and "separable" in found.reason
    with_l2 = Landscape(X, y, 0.01).minimum()
    assert isinstance(with_l2, Minimum)
    np.testing.assert_allclose(with_l2.theta, sklearn_minimum(X, y, 0.01, False), rtol=1e-8)


def test_touching_classes_without_l2_have_no_minimum():
    """Quasi-complete separation: two points on the separating line, one of each class."""
    X = np.array([[-2.0, 0.0], [-1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [2.0, -1.0]])
    y = np.array([0, 0, 0, 1, 1, 1.0])
    assert isinstance(Landscape(X, y, 0.0).minimum(), NoMinimum)


def test_one_class_has_no_minimum_even_with_l2():
    X, _ = overlapping()
    for l2 in (0.0, 1.0):
        found = Landscape(X, np.ones(len(X)), l2).minimum()
        assert isinstance(found, NoMinimum) and "one class" in found.reason


def test_points_on_a_line_have_no_single_minimum_without_l2():
    X = np.column_stack([np.arange(6.0), 2.0 * np.arange(6.0)])
    y = np.array([0, 1, 0, 1, 0, 1.0])
    assert isinstance(Landscape(X, y, 0.0).minimum(), NoMinimum)
    assert isinstance(Landscape(X, y, 0.5).minimum(), Minimum)


@pytest.mark.parametrize("standardize", [False, True])
def test_exact_numbers_are_the_trainers(standardize):
    X, y = overlapping()
    landscape = Landscape(X, y, 0.3, standardize)
    rng = np.random.default_rng(4)
    for theta in rng.normal(size=(20, 3)) * [2.0, 5.0, 4.0]:
        record = Trainer(X, y, l2=0.3, standardize=standardize, w0=theta[:2], b0=theta[2]).current
        assert landscape.exact_loss(theta) == pytest.approx(record.loss, rel=1e-12, abs=0)


def test_the_step_is_the_negative_gradient_without_standardization():
    X, y = overlapping()
    theta = np.array([0.4, -1.2, 0.3])
    _, grad_w, grad_b = loss_and_gradient(X, y, theta[:2], theta[2], l2=0.2)
    np.testing.assert_allclose(Landscape(X, y, 0.2).exact_step(theta), -np.append(grad_w, grad_b), rtol=1e-13)


def test_the_step_is_the_direction_the_trainer_moves_with_standardization():
    X, y = overlapping()
    theta = np.array([0.4, -1.2, 0.3])
    rate = 1e-6  # one epoch's move divided by α is the step direction (the map back is linear)
    trainer = Trainer(X, y, learning_rate=rate, l2=0.2, standardize=True, w0=theta[:2], b0=theta[2])
    before = trainer.current
    after = trainer.step()
    moved = (np.append(after.w, after.b) - np.append(before.w, before.b)) / rate
    np.testing.assert_allclose(Landscape(X, y, 0.2, True).exact_step(theta), moved, rtol=1e-6)


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("pair", [(0, 1), (0, 2), (1, 2)])
def test_the_surface_is_the_exact_loss_at_its_nodes(pair, standardize):
    X, y = overlapping()
    landscape = Landscape(X, y, 0.05, standardize)
    held = np.array([0.7, -0.4, 1.5])
    i, j = pair
    values_i, values_j = np.linspace(-3, 3, 9), np.linspace(-2, 4, 7)
    surface = landscape.surface(held, i, values_i, j, values_j)
    assert surface.shape == (7, 9)
    for b_index, vj in enumerate(values_j):
        for a_index, vi in enumerate(values_i):
            theta = held.copy()
            theta[i], theta[j] = vi, vj
            assert surface[b_index, a_index] == pytest.approx(landscape.exact_loss(theta), rel=1e-12, abs=0)


def test_many_points_use_a_seeded_subsample_and_say_so():
    X, y = overlapping(m=250_000, seed=2)
    landscape = Landscape(X, y, 0.0)
    assert landscape.note == "surface from 10,000 of 250,000 points"
    again = Landscape(X, y, 0.0)
    values = np.linspace(-1, 1, 5)
    np.testing.assert_array_equal(landscape.surface([0, 0, 0], 0, values, 1, values),
                                  again.surface([0, 0, 0], 0, values, 1, values))
    exact = Trainer(X, y, w0=[0.5, 0.5], b0=0.0).current.loss  # the shown numbers use every point
    assert landscape.exact_loss([0.5, 0.5, 0.0]) == pytest.approx(exact, rel=1e-12)
    assert Landscape(X[:10_000], y[:10_000]).note is None


def test_a_million_on_the_axes_gives_finite_numbers():
    X, y = overlapping(offset=(1e6, -1e6), spread=(1e6, 1e6))
    landscape = Landscape(X, y, 0.0)
    surface = landscape.surface([0, 0, 0], 0, np.linspace(-1e-5, 1e-5, 8), 1, np.linspace(-1e-5, 1e-5, 8))
    assert np.isfinite(surface).all()
    assert landscape.exact_loss([1e-3, 1e-3, 0.0]) > 0


def test_no_points_are_refused_with_a_message():
    with pytest.raises(ValueError, match="no points"):
        Landscape(np.empty((0, 2)), np.empty(0))


def test_stepped_ranges_hold_the_values_and_change_in_steps():
    first = stepped_range([0.0, 0.9], 1.0)
    assert first.low <= 0.0 and first.high >= 0.9
    assert stepped_range([0.0, 0.95], 1.0) == first  # a small move keeps the range
    runaway = [stepped_range([0.0, t], 1.0) for t in np.linspace(1, 1000, 400)]
    assert len(set(runaway)) < 40  # it doubles now and then, not at every epoch
    for t, axis in zip(np.linspace(1, 1000, 400), runaway):
        assert axis.low <= 0.0 and axis.high >= t
    single = stepped_range([2.0], 0.5)
    assert single.high - single.low >= 1.0


def test_natural_units_follow_the_spread_of_the_features():
    X = np.array([[0.0, 1e6], [2.0, 3e6]])
    units = natural_units(X)
    assert units[0] == pytest.approx(1.0) and units[1] == pytest.approx(1e-6)
    assert np.isfinite(natural_units(np.ones((3, 2)))).all()


def test_a_preview_uses_a_seeded_subsample_and_says_so():
    X, y = overlapping(m=5_000, seed=5)
    landscape = Landscape(X, y, 0.1)
    assert landscape.note is None
    assert landscape.preview_note == "coarse preview from 2,000 of 5,000 points"
    values = np.linspace(-1, 1, 6)
    preview = landscape.surface([0.2, 0.1, 0.0], 0, values, 1, values, preview=True)
    full = landscape.surface([0.2, 0.1, 0.0], 0, values, 1, values)
    assert not np.array_equal(preview, full)
    np.testing.assert_allclose(preview, full, rtol=0.1)  # the same picture, roughly
    again = Landscape(X, y, 0.1).surface([0.2, 0.1, 0.0], 0, values, 1, values, preview=True)
    np.testing.assert_array_equal(preview, again)
    assert Landscape(X[:300], y[:300]).preview_note is None


# -- trained coordinates: the landscape over the parameters standardized training updates ----------------
def test_trained_coordinates_are_the_trainers_map_and_its_loss():
    X, y = overlapping()
    mean, std = Trainer(X, y, standardize=True).scaling
    landscape = Landscape(X, y, 0.3, True, trained_coordinates=True)
    assert landscape.names == ("w̃1", "w̃2", "b̃")
    rng = np.random.default_rng(5)
    raws = rng.normal(size=(20, 3)) * [2.0, 5.0, 4.0]
    shown = landscape.shown(raws)
    np.testing.assert_allclose(shown[:, :2], raws[:, :2] * std, rtol=1e-15, atol=0)
    np.testing.assert_allclose(shown[:, 2], raws[:, 2] + raws[:, :2] @ mean, rtol=1e-14, atol=1e-15)
    for raw, tilde in zip(raws, shown):
        np.testing.assert_array_equal(landscape.shown(raw), tilde)  # one row maps as the rows do
        np.testing.assert_allclose(landscape.raw(tilde), raw, rtol=1e-13, atol=1e-14)
        record = Trainer(X, y, l2=0.3, standardize=True, w0=raw[:2], b0=raw[2]).current
        assert landscape.exact_loss(tilde) == pytest.approx(record.loss, rel=1e-12, abs=0)


def test_without_standardization_trained_coordinates_are_the_raw_ones():
    X, y = overlapping()
    landscape = Landscape(X, y, 0.3, False, trained_coordinates=True)
    theta = np.array([0.4, -1.2, 0.3])
    assert landscape.names == ("w1", "w2", "b")
    np.testing.assert_array_equal(landscape.shown(theta), theta)
    np.testing.assert_array_equal(landscape.raw(theta), theta)


@pytest.mark.parametrize("l2", [0.0, 0.1])
def test_the_minimum_in_trained_coordinates_is_scikit_learns_mapped(l2):
    X, y = overlapping()
    landscape = Landscape(X, y, l2, True, trained_coordinates=True)
    found = landscape.minimum()
    assert isinstance(found, Minimum)
    np.testing.assert_allclose(landscape.raw(found.theta), sklearn_minimum(X, y, l2, True), rtol=1e-8)
    raw = landscape.raw(found.theta)
    assert found.loss == pytest.approx(
        Trainer(X, y, l2=l2, standardize=True, w0=raw[:2], b0=raw[2]).current.loss, rel=1e-12)


def test_the_step_in_trained_coordinates_is_the_update():
    X, y = overlapping()
    landscape = Landscape(X, y, 0.2, True, trained_coordinates=True)
    theta = np.array([0.4, -1.2, 0.3])
    rate = 1e-6
    trainer = Trainer(X, y, learning_rate=rate, l2=0.2, standardize=True, w0=theta[:2], b0=theta[2])
    before = landscape.shown(np.append(trainer.current.w, trainer.current.b))
    after = trainer.step()
    moved = (landscape.shown(np.append(after.w, after.b)) - before) / rate
    np.testing.assert_allclose(landscape.exact_step(before), moved, rtol=1e-6)


def test_standardization_makes_the_narrow_valley_a_round_bowl():
    """The lesson of the picture: the curvature of L over (w1, w2) is very uneven for features of
    unequal spread (a long narrow valley) and nearly even over (w̃1, w̃2) (a round bowl)."""
    X, y = overlapping(spread=(10.0, 0.5), offset=(0.0, 0.0))
    theta = np.zeros(3)

    def condition(landscape: Landscape) -> float:
        h = 1e-3
        values = np.array([-h, 0.0, h])
        s = landscape.surface(theta, 0, values, 1, values)
        hessian = np.array([[s[1, 2] - 2 * s[1, 1] + s[1, 0], (s[2, 2] - s[2, 0] - s[0, 2] + s[0, 0]) / 4],
                            [0.0, s[2, 1] - 2 * s[1, 1] + s[0, 1]]]) / h ** 2
        hessian[1, 0] = hessian[0, 1]
        eigenvalues = np.linalg.eigvalsh(hessian)
        return float(eigenvalues[-1] / eigenvalues[0])

    raw = condition(Landscape(X, y, 0.0, True))
    trained = condition(Landscape(X, y, 0.0, True, trained_coordinates=True))
    assert raw > 100.0 and trained < 3.0
