"""A vector of numbers as text in rows that fit a width: the read-out's w at every degree.

A feature map of degree 3 has 10 weights, of degree 5 has 20; on one line they widened the
side panel past the window (its right edge, the class-1 button and the number fields, cut
off). The same values, as the read-out formats them, go into rows instead:

    (0.737, 0.1823, 0.002767,
     -0.07152, 0.1551)

How many values a row holds depends on the width alone, measured with a placeholder as
wide as the widest number `.4g` writes, not on the values shown: the rows stay put while
training changes the numbers, and the label keeps its size (render/steady_label.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

# as wide as the widest `.4g` text of a number between 1e-99 and 1e99 (digits are equally wide)
WIDEST_VALUES = ("-0.0008888", "-8.888e-08", "-8.888e+08")


def values_per_row(n: int, advance: Callable[[str], float], width: float) -> int:
    """How many of n values of any `.4g` width a row `width` wide holds (at least 1)."""
    slot = max(advance(text) for text in WIDEST_VALUES) + advance(", ")
    return max(1, min(n, int((width - advance("(")) // slot)))


def vector_lines(texts: Sequence[str], advance: Callable[[str], float], width: float,
                 per_row: int | None = None) -> list[str]:
    """`texts` as "(a, b," / " c)" rows, each no wider than `width` by `advance` when possible
    (a value wider than `width` gets a row of its own); one row "(a, b)" when all fit.
    `per_row`: values_per_row's answer for these, if known."""
    if not texts:
        return ["()"]
    if per_row is None:
        per_row = values_per_row(len(texts), advance, width)
    while True:  # a value wider than the placeholder (1e+100) may still overflow: fewer a row
        lines = _rows(texts, per_row)
        if per_row == 1 or all(advance(line) <= width for line in lines):
            return lines
        per_row -= 1


def _rows(texts: Sequence[str], per_row: int) -> list[str]:
    chunks = [", ".join(texts[k:k + per_row]) for k in range(0, len(texts), per_row)]
    last = len(chunks) - 1
    return [("(" if k == 0 else " ") + chunk + (")" if k == last else ",") for k, chunk in enumerate(chunks)]


def named_values(names: Sequence[str], texts: Sequence[str]) -> str:
    """One "name = value" line per value (the read-out's tooltip: which weight is which)."""
    return "\n".join(f"{name} = {text}" for name, text in zip(names, texts, strict=True))


__all__ = ["WIDEST_VALUES", "named_values", "values_per_row", "vector_lines"]
