"""Feature maps: the terms are scikit-learn's PolynomialFeatures columns, and the Trainer on φ(X)
converges to scikit-learn's LogisticRegression on them."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import PolynomialFeatures

from lrviz.core import STOP_CONVERGED, Trainer
from lrviz.core.features import FeatureMap


def _points(m: int = 60, seed: int = 5) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.5, 1.5, size=(m, 2))
    y = (X[:, 0] ** 2 + X[:, 1] ** 2 + 0.6 * rng.normal(size=m) > 1.0).astype(float)  # a ring, noisy
    return X, y


@pytest.mark.parametrize("degree", range(1, 7))
def test_terms_are_scikit_learns_polynomial_features_in_the_same_order(degree):
    X, _ = _points()
    reference = PolynomialFeatures(degree, include_bias=False).fit(X)
    phi = FeatureMap(degree)
    np.testing.assert_allclose(phi.transform(X), reference.transform(X), rtol=1e-15, atol=0)
    names = tuple(n.replace(" ", "*") for n in reference.get_feature_names_out(["x1", "x2"]))
    assert phi.terms == names
    assert phi.n_terms == len(names)


def test_sin_terms_follow_the_monomials():
    X, _ = _points()
    phi = FeatureMap(2, sin=True)
    assert phi.terms == ("x1", "x2", "x1^2", "x1*x2", "x2^2", "sin(x1)", "sin(x2)")
    np.testing.assert_array_equal(phi.transform(X)[:, -2:], np.sin(X))
    assert FeatureMap(1, sin=True).terms == ("x1", "x2", "sin(x1)", "sin(x2)")


def test_parameter_names_keep_w1_w2_b_for_the_tutorials_map_and_name_terms_otherwise():
    assert FeatureMap().parameter_names() == ("w1", "w2", "b")
    assert FeatureMap().is_identity
    assert FeatureMap(2).parameter_names() == ("w[x1]", "w[x2]", "w[x1^2]", "w[x1*x2]", "w[x2^2]", "b")
    assert FeatureMap(1, sin=True).parameter_names() == ("w[x1]", "w[x2]", "w[sin(x1)]", "w[sin(x2)]", "b")


def test_identity_map_returns_the_points():
    X, _ = _points()
    np.testing.assert_array_equal(FeatureMap().transform(X), X)


@pytest.mark.parametrize("bad", [0, 7, 2.5, True, None])
def test_degree_out_of_range_is_refused_with_its_range(bad):
    with pytest.raises(ValueError, match="degree"):
        FeatureMap(bad)


def test_points_of_other_widths_are_refused():
    with pytest.raises(ValueError, match="two coordinates"):
        FeatureMap(2).transform(np.zeros((3, 3)))


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("degree", [2, 3])
def test_trainer_on_phi_converges_to_scikit_learn_on_polynomial_features(degree, standardize):
    X, y = _points(m=80, seed=3)
    if standardize:
        X = X * np.array([4.0, 0.5]) + np.array([1.0, -0.5])
    l2, m = 0.05, len(y)
    P = PolynomialFeatures(degree, include_bias=False).fit_transform(X)
    Z = (P - P.mean(0)) / P.std(0) if standardize else P
    reference = LogisticRegression(C=1 / (l2 * m), tol=1e-14, max_iter=100_000).fit(Z, y)
    assert reference.n_iter_[0] < 100_000
    phi = FeatureMap(degree)
    trainer = Trainer(phi.transform(X), y, learning_rate=1.0 if standardize else 0.5, l2=l2,
                      standardize=standardize, tol=1e-11, max_epochs=500_000)
    trainer.run(500_000)
    assert trainer.stop is not None and trainer.stop.kind == STOP_CONVERGED
    record = trainer.current
    if standardize:  # scikit-learn's optimum for the raw φ(x)
        w_ref = reference.coef_[0] / P.std(0)
        b_ref = reference.intercept_[0] - w_ref @ P.mean(0)
    else:
        w_ref, b_ref = reference.coef_[0], reference.intercept_[0]
    np.testing.assert_allclose(record.w, w_ref, rtol=1e-6)
    assert record.b == pytest.approx(b_ref, rel=1e-6, abs=0)
