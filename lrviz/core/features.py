"""Feature maps φ(x): the inputs of the model z = φ(x)·w + b, from the tutorial's (x1, x2) to
every monomial of x1, x2 up to degree 6, optionally with sin(x1), sin(x2).

The model stays the tutorial's with φ(x) in place of x, so the Trainer (which takes X of any
width n) trains on φ(X) unchanged, and its standardization applies to the columns of φ(X)
(which high degrees need: x1⁶ and x1 differ by orders of magnitude).

Order of the terms (the columns of φ(X)): by degree, and within a degree by falling power of
x1 — exactly scikit-learn's ``PolynomialFeatures(degree, include_bias=False)`` on (x1, x2),
whose names ``x1^2 x2`` are ours with ``*`` for the space — then sin(x1), sin(x2)::

    degree 2:  x1, x2, x1^2, x1*x2, x2^2
    degree 3:  … x1^3, x1^2*x2, x1*x2^2, x2^3

Parameter (θ column) names: the identity map (degree 1, no sin, the default) keeps the
names every existing history, session and parameters file uses, ``w1, w2, b``
(`history.parameter_names`); any other map names each weight by its term, ``w[x1]``,
``w[x1^2]``, ``w[x1*x2]``, ``w[sin(x1)]``, …, then ``b``. So ``w1`` and ``w[x1]`` are the same
weight under the two schemes; a reader tells the schemes apart by the ``[``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.history import parameter_names as numbered_parameter_names
from lrviz.core.settings import FEATURE_SPECS, MAX_DEGREE

# FEATURE_SPECS and MAX_DEGREE are defined in settings.py (TrainingSettings holds degree and
# sin; it cannot import this module, which imports it): one definition.


def _power(name: str, k: int) -> str:
    return name if k == 1 else f"{name}^{k}"


@dataclass(frozen=True)
class FeatureMap:
    """φ for two inputs: the monomials up to `degree`, then sin of each input when `sin`.

    Checked on construction (ValueError naming the setting and its range).
    """

    degree: int = FEATURE_SPECS["degree"].default
    sin: bool = FEATURE_SPECS["sin"].default
    inputs: tuple[str, str] = ("x1", "x2")

    def __post_init__(self) -> None:
        object.__setattr__(self, "degree", FEATURE_SPECS["degree"].check(self.degree))
        object.__setattr__(self, "sin", FEATURE_SPECS["sin"].check(self.sin))
        inputs = tuple(self.inputs)
        if len(inputs) != 2 or not all(isinstance(n, str) and n.strip() for n in inputs):
            raise ValueError("a feature map takes two named inputs")
        object.__setattr__(self, "inputs", inputs)

    @property
    def is_identity(self) -> bool:
        """φ(x) = x: the tutorial's model."""
        return self.degree == 1 and not self.sin

    @property
    def exponents(self) -> tuple[tuple[int, int], ...]:
        """(power of x1, power of x2) of each monomial, in the order of the terms."""
        return tuple((d - k, k) for d in range(1, self.degree + 1) for k in range(d + 1))

    @property
    def n_terms(self) -> int:
        return len(self.exponents) + (2 if self.sin else 0)

    @property
    def terms(self) -> tuple[str, ...]:
        """The names of φ's columns: ``x1``, ``x1^2``, ``x1*x2``, …, ``sin(x1)``, ``sin(x2)``."""
        a, b = self.inputs
        names = ["*".join(part for part in (_power(a, i) if i else "", _power(b, j) if j else "") if part)
                 for i, j in self.exponents]
        if self.sin:
            names += [f"sin({a})", f"sin({b})"]
        return tuple(names)

    def parameter_names(self) -> tuple[str, ...]:
        """θ's column names: ``w1, w2, b`` for the identity map, else ``w[term]`` … then ``b``."""
        if self.is_identity:
            return numbered_parameter_names(2)
        return tuple(f"w[{term}]" for term in self.terms) + ("b",)

    def transform(self, X: ArrayLike) -> np.ndarray:
        """φ(X) (m, n_terms) for points X (m, 2); X itself (as float64) for the identity map.

        Powers are formed by repeated multiplication (x1² = x1·x1, …), as scikit-learn does;
        a huge coordinate may overflow to inf, which the Trainer refuses with a message.
        """
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != 2:
            raise ValueError(f"a feature map takes points of two coordinates, shape (m, 2); got {X.shape}")
        if self.is_identity:
            return X
        m = X.shape[0]
        out = np.empty((m, self.n_terms))
        powers = [[np.ones(m)], [np.ones(m)]]
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            for j in (0, 1):
                for _ in range(self.degree):
                    powers[j].append(powers[j][-1] * X[:, j])
            for c, (i, k) in enumerate(self.exponents):
                np.multiply(powers[0][i], powers[1][k], out=out[:, c])
        if self.sin:
            out[:, -2:] = np.sin(X)
        return out


IDENTITY = FeatureMap()

__all__ = ["FEATURE_SPECS", "IDENTITY", "MAX_DEGREE", "FeatureMap"]
