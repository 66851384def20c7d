"""lrviz: a desktop visual trainer for logistic regression.

The numerical engine lives in :mod:`lrviz.core` (NumPy only); the window in
:mod:`lrviz.ui` (PySide6 + pyqtgraph).
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
