"""Warnings about point sets that gradient descent cannot learn well."""

from __future__ import annotations

import numpy as np
import pytest

from lrviz.core.diagnostics import data_warning


@pytest.mark.parametrize(
    "X, y, standardize, expected",
    [
        (np.empty((0, 2)), np.empty(0), False, "No points"),
        ([[1.0, 2.0]], [1], False, "Only one point"),
        ([[1.0, 2.0], [0.0, 1.0]], [0, 0], False, "Only one class"),
        ([[3.0, 3.0]] * 4, [0, 1, 1, 1], False, "one place"),
        ([[1.0, 2.0], [1.0, 2.0], [5.0, 5.0]], [0, 1, 1], False, "same place"),
        ([[1e6, 1e6], [-1e6, 2.0]], [0, 1], False, "standardize"),
        ([[1e6, 1e6], [-1e6, 2.0]], [0, 1], True, ""),
        ([[1.0, 2.0], [1.0, 2.0], [5.0, 5.0]], [1, 1, 0], False, ""),  # duplicates that agree
        ([[0.0, 0.0], [1.0, 1.0]], [0, 1], False, ""),
    ],
)
def test_warnings(X, y, standardize, expected):
    message = data_warning(np.asarray(X, float).reshape(-1, 2), np.asarray(y), standardize)
    if expected:
        assert expected in message
    else:
        assert message == ""
