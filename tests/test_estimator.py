"""GradientDescentClassifier: the Trainer's numbers exactly, and scikit-learn's estimator checks."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest

from lrviz import GradientDescentClassifier
from lrviz.core import Trainer
from lrviz.core.dataset import make_preset
from lrviz.core.settings import TrainingSettings

# scikit-learn's checks, all of them run. Two skip themselves here, named with why:
#   check_array_api_input              needs SCIPY_ARRAY_API set and an array-API library;
#                                      the estimator is NumPy only (it converts to float64).
#   check_classifier_data_not_an_array its pandas part needs pandas, which is not installed
#                                      (not a dependency); the NumPy part of it runs.
# The estimator is binary only: its tag classifier_tags.multi_class = False makes
# scikit-learn leave out the multiclass parts of check_classifiers_train,
# check_classifiers_classes and check_classifiers_one_label_sample_weights and run
# check_classifier_not_supporting_multiclass instead, which passes: multiclass y raises
# "Only binary classification is supported ...".
SKIPPING_THEMSELVES = {"check_array_api_input", "check_classifier_data_not_an_array"}


def _checks():
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        # "does not inherit from sklearn.base.BaseEstimator": on purpose, it never imports scikit-learn
        warnings.filterwarnings("ignore", "Estimator GradientDescentClassifier does not inherit")
        return check_estimator(GradientDescentClassifier(), on_fail=None)


def test_scikit_learn_check_estimator_passes_every_check_that_applies():
    results = _checks()
    failed = [(r["check_name"], repr(r["exception"])) for r in results if r["status"] == "failed"]
    skipped = {r["check_name"] for r in results if r["status"] == "skipped"}
    assert not failed
    assert skipped <= SKIPPING_THEMSELVES
    names = {r["check_name"] for r in results}
    assert "check_classifier_not_supporting_multiclass" in names and len(names) > 40


@pytest.mark.parametrize("settings", [
    TrainingSettings(), TrainingSettings(learning_rate=0.7, l2=0.05, max_epochs=300),
    TrainingSettings(standardize=True, max_epochs=250, tol=1e-3),
    TrainingSettings(init="random", seed=4, max_epochs=100),
])
def test_fit_matches_the_trainer_to_1e_12(settings):
    data = make_preset("moons", n_points=80, seed=2)
    X, y = data.snapshot()
    trainer = Trainer(X, y, **settings.trainer_arguments())
    first, rest = trainer.current, trainer.run(settings.max_epochs)
    model = GradientDescentClassifier(**{k: v for k, v in settings.to_dict().items()
                                         if k != "epochs_per_second"}).fit(X, y)
    h = model.history_
    np.testing.assert_allclose(h.W, np.vstack([first.w, rest.W]), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h.b, np.r_[first.b, rest.b], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h.loss, np.r_[first.loss, rest.loss], rtol=1e-12, atol=1e-12)
    assert list(h.epochs) == list(range(trainer.current.epoch + 1)) and model.n_iter_ == trainer.current.epoch
    np.testing.assert_allclose(model.coef_[0], trainer.current.w, rtol=1e-12, atol=1e-12)
    assert abs(model.intercept_[0] - trainer.current.b) <= 1e-12 * max(1.0, abs(trainer.current.b))
    assert model.stop_ == trainer.stop
    z = X @ trainer.current.w + trainer.current.b
    np.testing.assert_allclose(model.decision_function(X), z, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], 1 / (1 + np.exp(-z)), rtol=1e-12)
    assert model.score(X, y) == np.mean((z >= 0) == (y == 1))


def test_any_two_label_values_and_which_is_class_1():
    data = make_preset("blobs", n_points=40, seed=0)
    X, y = data.snapshot()
    names = np.where(y == 1, "versicolor", "setosa")
    model = GradientDescentClassifier(max_epochs=200).fit(X, names)
    numeric = GradientDescentClassifier(max_epochs=200).fit(X, y)
    assert list(model.classes_) == ["setosa", "versicolor"]
    np.testing.assert_array_equal(model.coef_, numeric.coef_)
    assert set(model.predict(X)) <= {"setosa", "versicolor"}
    flipped = GradientDescentClassifier(max_epochs=200).fit(X, np.where(y == 1, "a", "b"))
    np.testing.assert_allclose(flipped.coef_, -numeric.coef_, atol=1e-12)  # class 1 is now "b"
    booleans = GradientDescentClassifier(max_epochs=200).fit(X, y == 1)
    assert list(booleans.classes_) == [False, True]


def test_multiclass_and_bad_parameters_are_refused_clearly():
    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match="Only binary classification.*3 classes.*one class against the rest"):
        GradientDescentClassifier().fit(X, [0, 1, 2, 0, 1, 2])
    with pytest.raises(ValueError, match="learning_rate"):
        GradientDescentClassifier(learning_rate=-1).fit(X, [0, 1] * 3)
    with pytest.raises(ValueError, match="max_epochs=None.*tol"):
        GradientDescentClassifier(max_epochs=None).fit(X, [0, 1] * 3)


def test_importing_lrviz_loads_neither_qt_nor_scikit_learn():
    code = ("import sys, lrviz; lrviz.GradientDescentClassifier().fit([[0.0], [1.0]], [0, 1]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'PySide6', 'pyqtgraph')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
