"""lrviz: a desktop visual trainer for logistic regression.

The numerical engine lives in :mod:`lrviz.core` (NumPy only); the window in
:mod:`lrviz.ui` (PySide6 + pyqtgraph). The public names `GradientDescentClassifier` and
`view` are imported on first use, so `import lrviz` loads neither Qt nor scikit-learn.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {"GradientDescentClassifier": "lrviz.estimator", "view": "lrviz.api"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lrviz' has no attribute {name!r}")


__all__ = ["GradientDescentClassifier", "__version__", "view"]
