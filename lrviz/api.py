"""`lrviz.view`: open the window on arrays from a script or a notebook, or on a fitted estimator.

    handle = lrviz.view(X, y, feature_names=["petal length", "petal width"])
    handle.params()          # the shown epoch's parameters (a TrainedParams)

X is (m, 2): a NumPy array, a list of pairs, or a pandas DataFrame (its column names become
the feature names; pandas is not needed otherwise). y holds any two values (0/1, strings,
booleans): as in `GradientDescentClassifier`, they are sorted and the second is class 1;
`class_names` renames them. `lrviz.view(estimator)` shows a fitted
GradientDescentClassifier's points, settings and whole history, to replay epoch by epoch.

Blocking: in a plain script no Qt application exists yet, so view() creates one and runs it
until the window is closed (then `params()` gives what was shown last). When a
QApplication exists already (IPython or Jupyter after ``%gui qt``, or any Qt program),
its event loop is running or will be, so view() shows the window and returns at once.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from lrviz.core.dataset import DEFAULT_FEATURE_NAMES, Dataset
from lrviz.core.formats import Session, TrainedParams
from lrviz.core.run import Run


class ViewHandle:
    """The window view() opened; `params()` reads what it shows now."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self._last: TrainedParams | None = None

    def params(self) -> TrainedParams | None:
        """The parameters of the shown epoch (None before any), with their loss, accuracy and names."""
        from lrviz.ui.exports import shown_params

        try:
            self._last = shown_params(self.window.state)
        except RuntimeError:  # the window's Qt objects are gone: what it showed last
            pass
        return self._last

    def close(self) -> None:
        """Close the window without asking about unsaved work."""
        self.window.mark_saved()
        self.window.close()


def view(X: Any = None, y: Any = None, *, feature_names: Any = None, class_names: Any = None) -> ViewHandle:
    """Open lrviz on the points (X, y), or on a fitted GradientDescentClassifier; see the module."""
    from lrviz.estimator import GradientDescentClassifier

    session = None
    if isinstance(X, GradientDescentClassifier):
        if y is not None:
            raise TypeError("view(estimator) takes no y: it shows the points the estimator was fitted on")
        session = estimator_session(X, feature_names, class_names)
        dataset = session.points
    else:
        if X is None or y is None:
            raise TypeError("view() needs X and y (or one fitted GradientDescentClassifier)")
        dataset = as_dataset(X, y, feature_names, class_names)
    return _show(dataset, session)


def as_dataset(X: Any, y: Any, feature_names: Any = None, class_names: Any = None) -> Dataset:
    """The Dataset of arrays: two features, any two label values (ValueError saying what is wrong)."""
    if feature_names is None:
        columns = getattr(X, "columns", None)
        feature_names = [str(c) for c in columns] if columns is not None else DEFAULT_FEATURE_NAMES
    points = np.asarray(X, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"X must be (m, 2): two features per point; got shape {points.shape}")
    labels = np.asarray(y)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.shape != (points.shape[0],):
        raise ValueError(f"there are {points.shape[0]} points but y has shape {labels.shape}")
    values, codes = np.unique(labels, return_inverse=True)
    if len(values) > 2:
        raise ValueError(f"y has {len(values)} classes; lrviz shows two: keep two, or one against the rest")
    if set(values.tolist()) <= {0, 1}:
        codes = labels.astype(np.int64)  # 0/1 (or False/True) keep their meaning even with one present
        default_names = ("0", "1") if labels.dtype.kind != "b" else ("False", "True")
    else:
        default_names = tuple(str(v) for v in values) if len(values) == 2 else ("0", "1")
    if len(values) == 1 and not set(values.tolist()) <= {0, 1}:
        raise ValueError(f"y holds one value, {values[0]!r}: give 0/1 labels, or two classes")
    names = default_names if class_names is None else tuple(str(n) for n in class_names)
    return Dataset(points, np.asarray(codes, dtype=np.int64).reshape(-1), feature_names=feature_names,
                   class_names=names)


def estimator_session(estimator: Any, feature_names: Any = None, class_names: Any = None) -> Session:
    """A session of a fitted estimator: its points, settings and every epoch of its history."""
    fitted = getattr(estimator, "_fit_points", None)
    if fitted is None or not hasattr(estimator, "history_"):
        raise ValueError("the estimator is not fitted yet: call fit(X, y) first, then view(estimator)")
    X, labels, names = fitted
    if X.shape[1] != 2:
        raise ValueError(f"lrviz shows two features; the estimator was fitted on {X.shape[1]}")
    if feature_names is None and getattr(estimator, "feature_names_in_", None) is not None:
        feature_names = list(estimator.feature_names_in_)
    dataset = Dataset(X, labels, feature_names=feature_names or DEFAULT_FEATURE_NAMES,
                      class_names=class_names or names)
    settings = estimator.settings()
    h = estimator.history_
    run = Run(dataset, settings)
    run.append_epochs(h.epochs, np.column_stack([h.W, h.b]), h.loss, h.grad_norm, settings.learning_rate,
                      settings.l2, run.revision)
    run.set_stop(h.stop)
    return Session.from_run(run, selected_epoch=None)


def _show(dataset: Dataset, session: Session | None) -> ViewHandle:
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing or QApplication(sys.argv[:1] or ["lrviz"])
    if existing is None:
        app.setApplicationName("lrviz")
        app.setOrganizationName("lrviz")
    from lrviz.ui.main_window import MainWindow  # after QApplication: widgets need it

    window = MainWindow(dataset)
    if session is not None:
        window.restore_session(session)
    window.mark_saved()
    window.show()
    handle = ViewHandle(window)
    if existing is None:  # a plain script: run until the window is closed
        try:
            app.exec()
        finally:
            handle.params()
            window.controller.shutdown()
    return handle


__all__ = ["ViewHandle", "as_dataset", "estimator_session", "view"]
