"""`GradientDescentClassifier`: the tutorial's model and trainer as a scikit-learn estimator.

It is `lrviz.core.trainer.Trainer` behind scikit-learn's estimator interface, so a model
fitted in a script or notebook gives exactly the numbers the window and `lrviz train`
give for the same points and settings (a test checks it to 1e-12), and it slots into
scikit-learn's tools (`cross_val_score`, `Pipeline`, `clone`). scikit-learn is not
imported here and is not a dependency: the interface is plain Python (`get_params`,
`set_params`, `fit`, ...). Only `__sklearn_tags__`, which scikit-learn alone calls,
imports scikit-learn's tag classes, from the scikit-learn that is calling it.

Binary only, like the tutorial: `y` holds exactly two distinct values (any values:
0/1, "cat"/"dog", True/False); `classes_` is them sorted, as scikit-learn sorts them, and
`predict_proba[:, 1]` is p = σ(w·x + b), the probability of `classes_[1]`.
"""

from __future__ import annotations

import inspect
import sys
import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.model import sigmoid
from lrviz.core.settings import SETTING_SPECS, TrainingSettings
from lrviz.core.trainer import History, Trainer


class NotFittedError(ValueError, AttributeError):
    """The estimator was used before `fit` (scikit-learn's NotFittedError is both too).

    When scikit-learn is loaded already, the error raised is also an instance of its
    NotFittedError (see _not_fitted), so code written for scikit-learn catches it.
    """


class DataConversionWarning(UserWarning):
    """y was given as a column (m, 1) and is used as a 1-D array (named as scikit-learn names it)."""


_SKLEARN_NOT_FITTED: dict[type, type] = {}


def _not_fitted(message: str) -> NotFittedError:
    """NotFittedError, and scikit-learn's too when scikit-learn is imported (never imported here)."""
    exceptions = sys.modules.get("sklearn.exceptions")
    theirs = getattr(exceptions, "NotFittedError", None)
    if not isinstance(theirs, type):
        return NotFittedError(message)
    if theirs not in _SKLEARN_NOT_FITTED:
        _SKLEARN_NOT_FITTED[theirs] = type("NotFittedError", (NotFittedError, theirs), {"__module__": __name__})
    return _SKLEARN_NOT_FITTED[theirs](message)


class GradientDescentClassifier:
    """Logistic regression trained by full-batch gradient descent, epoch by epoch.

    Parameters are the window's settings (lrviz.core.settings), with its defaults:
    `learning_rate` α, `max_epochs` (None: no limit, then `tol` must be set), `l2` λ,
    `tol` (stop when the gradient norm falls below it; None or 0 is off), `standardize`
    (train on standardized features; coef_ and intercept_ are for the raw features),
    `init` ("zeros", the tutorial's start, or "random") and `seed` (of the random start).

    Fitted attributes: `coef_` (1, n_features), `intercept_` (1,), `classes_` (2,),
    `n_iter_` (epochs run), `n_features_in_`, `feature_names_in_` (for a pandas DataFrame),
    `stop_` (why training stopped: a StopInfo) and `history_`, a
    `lrviz.core.trainer.History` of every epoch from 0 (the start) to `n_iter_`: `epochs`,
    `W` (k, n_features), `b`, `loss` and `grad_norm`.
    """

    def __init__(self, learning_rate: float = SETTING_SPECS["learning_rate"].default,
                 max_epochs: int | None = SETTING_SPECS["max_epochs"].default,
                 l2: float = SETTING_SPECS["l2"].default, tol: float | None = SETTING_SPECS["tol"].default,
                 standardize: bool = SETTING_SPECS["standardize"].default,
                 init: str = SETTING_SPECS["init"].default, seed: int = SETTING_SPECS["seed"].default) -> None:
        self.learning_rate = learning_rate
        self.max_epochs = max_epochs
        self.l2 = l2
        self.tol = tol
        self.standardize = standardize
        self.init = init
        self.seed = seed

    # -- scikit-learn's estimator protocol ------------------------------------------------------------
    @classmethod
    def _param_names(cls) -> list[str]:
        return [name for name in inspect.signature(cls.__init__).parameters if name != "self"]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> GradientDescentClassifier:
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"invalid parameter {name!r} for {type(self).__name__}; "
                                 f"valid parameters are {', '.join(valid)}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = type(self)().get_params()
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if not _same(v, defaults[k])]
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "coef_")

    def __sklearn_tags__(self):  # scikit-learn's Tags, imported only when scikit-learn asks
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(estimator_type="classifier", target_tags=TargetTags(required=True),
                    classifier_tags=ClassifierTags(multi_class=False),
                    input_tags=InputTags(two_d_array=True, allow_nan=False))

    # -- fitting ------------------------------------------------------------------------------------
    def settings(self) -> TrainingSettings:
        """The parameters as the window's TrainingSettings (ValueError naming a bad one)."""
        return TrainingSettings(learning_rate=self.learning_rate, l2=self.l2, standardize=self.standardize,
                                init=self.init, seed=self.seed, max_epochs=self.max_epochs, tol=self.tol)

    def fit(self, X: ArrayLike, y: ArrayLike) -> GradientDescentClassifier:
        """Train from the start (θ = 0, or the random start) until a stop rule holds."""
        settings = self.settings()
        if settings.max_epochs is None and settings.tol is None:
            raise ValueError("max_epochs=None trains without end unless tol is set; give one of them")
        feature_names = _column_names(X)
        X = _features(X)
        classes, labels = _two_classes(y, len(X))
        trainer = Trainer(X, labels, **settings.trainer_arguments())
        first = trainer.current
        rest = trainer.run(settings.max_epochs if settings.max_epochs is not None else 2**62)
        self.history_ = History(
            epochs=np.r_[np.int64(first.epoch), rest.epochs], W=np.vstack([first.w[None, :], rest.W]),
            b=np.r_[first.b, rest.b], loss=np.r_[first.loss, rest.loss],
            grad_norm=np.r_[first.grad_norm, rest.grad_norm], stop=trainer.stop)
        last = trainer.current
        self.classes_ = classes
        self.coef_ = last.w.reshape(1, -1).copy()
        self.intercept_ = np.array([last.b])
        self.n_iter_ = int(last.epoch)
        self.n_features_in_ = X.shape[1]
        self.stop_ = trainer.stop
        # the points, for lrviz.view(estimator) to replay the history on them
        self._fit_points = (X.copy(), labels, tuple(str(c) for c in classes))
        if feature_names is not None:
            self.feature_names_in_ = feature_names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        return self

    # -- predicting ---------------------------------------------------------------------------------
    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """z = w·x + b per row (> 0: classes_[1])."""
        X = self._checked(X)
        with np.errstate(over="ignore", invalid="ignore"):
            return X @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """(n, 2): the probabilities of classes_[0] and classes_[1], p = σ(z) (1-1)."""
        z = self.decision_function(X)
        return np.column_stack([sigmoid(-z), sigmoid(z)])  # each side exact, not 1 − p

    def predict_log_proba(self, X: ArrayLike) -> np.ndarray:
        z = self.decision_function(X)
        # log σ(z) = −log(1 + e^−z), log(1 − σ(z)) = −log(1 + e^z), stably
        return np.column_stack([-np.logaddexp(0.0, z), -np.logaddexp(0.0, -z)])

    def predict(self, X: ArrayLike) -> np.ndarray:
        """classes_[1] where p ≥ 0.5 (z ≥ 0), like the window's boundary; else classes_[0]."""
        positive = self.decision_function(X) >= 0  # checks first that the estimator is fitted
        return self.classes_[positive.astype(np.intp)]

    def score(self, X: ArrayLike, y: ArrayLike) -> float:
        """The accuracy on (X, y)."""
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        return float(np.mean(self.predict(X) == y))

    def _checked(self, X: ArrayLike) -> np.ndarray:
        if not self.__sklearn_is_fitted__():
            raise _not_fitted(f"This {type(self).__name__} instance is not fitted yet; call fit first.")
        X = _features(X, allow_empty=True)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                             f"{self.n_features_in_} features as input.")
        return X


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _column_names(X: Any) -> np.ndarray | None:
    """A DataFrame's column names when they are all strings (scikit-learn's rule), else None."""
    columns = getattr(X, "columns", None)
    if columns is None or not all(isinstance(c, str) for c in columns):
        return None
    return np.asarray(list(columns), dtype=object)


def _features(X: Any, allow_empty: bool = False) -> np.ndarray:
    """X as a finite float64 (m, n) array; ValueError/TypeError saying what is wrong."""
    if hasattr(X, "tocsr") or type(X).__module__.startswith("scipy.sparse"):
        raise TypeError("sparse input is not supported; pass a dense array (X.toarray())")
    array = np.asarray(X)
    if np.iscomplexobj(array):
        raise ValueError("Complex data not supported; X must hold real numbers")
    array = np.asarray(array, dtype=float)
    if array.ndim != 2:
        raise ValueError(f"Expected 2D array, got an array of shape {array.shape}: X must be (samples, "
                         "features). Reshape your data: X.reshape(-1, 1) for a single feature, "
                         "X.reshape(1, -1) for a single sample")
    if array.shape[1] == 0:
        raise ValueError(f"X has 0 feature(s) (shape={array.shape}) while a minimum of 1 is required.")
    if array.shape[0] == 0 and not allow_empty:
        raise ValueError(f"X has 0 samples (shape {array.shape}); at least 2 samples are required")
    if not np.isfinite(array).all():
        raise ValueError("Input X contains NaN or infinity; remove or replace those values")
    return array


def _two_classes(y: Any, n_samples: int) -> tuple[np.ndarray, np.ndarray]:
    """(classes_ sorted, labels 0/1 with 1 for classes_[1]); ValueError unless y has exactly two values."""
    if y is None:
        raise ValueError("requires y to be passed, but the target y is None")
    labels = np.asarray(y)
    if labels.ndim == 2 and labels.shape[1] == 1:
        warnings.warn(DataConversionWarning("A column-vector y was passed when a 1d array was expected; "
                                            "it is used as y.ravel()"), stacklevel=3)
        labels = labels[:, 0]
    if labels.ndim != 1:
        raise ValueError(f"y should be a 1d array, got an array of shape {labels.shape}")
    if labels.shape[0] != n_samples:
        raise ValueError(f"X has {n_samples} samples but y has {labels.shape[0]}")
    if labels.dtype.kind == "f" and not np.isfinite(labels).all():
        raise ValueError("Input y contains NaN or infinity")
    if labels.dtype.kind == "O":
        labels = labels.astype(str) if all(isinstance(v, str) for v in labels) else labels
    classes, codes = np.unique(labels, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(f"y holds only one class ({classes[0] if len(classes) else 'none'}); "
                         "a classifier needs samples of two classes")
    if len(classes) > 2:
        continuous = labels.dtype.kind == "f" and not np.array_equal(classes, np.round(classes))
        kind = "Unknown label type: continuous" if continuous else "multiclass"
        raise ValueError(f"Only binary classification is supported. The type of the target is {kind}, "
                         f"with {len(classes)} classes: GradientDescentClassifier is the tutorial's binary "
                         "model; keep two classes, or one class against the rest")
    return classes, codes.reshape(-1).astype(np.int64)


__all__ = ["DataConversionWarning", "GradientDescentClassifier", "NotFittedError"]
