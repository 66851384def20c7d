"""vector_text: a vector's values in rows that fit a width, the same numbers in the same order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lrviz.ui.panels.vector_text import WIDEST_VALUES, named_values, vector_lines


def advance(text: str) -> float:
    return 7.0 * len(text)  # a monospaced font: 7 px a character


def test_a_short_vector_is_one_row_as_before():
    assert vector_lines(["1.33", "0.4345"], advance, 400) == ["(1.33, 0.4345)"]


def test_ten_values_go_into_rows_no_wider_than_the_width():
    texts = [f"{0.1 * k:.4g}" for k in range(10)]
    lines = vector_lines(texts, advance, 300)
    assert len(lines) > 1
    assert all(advance(line) <= 300 for line in lines)
    assert lines[0].startswith("(") and lines[-1].endswith(")")
    assert all(line.endswith(",") for line in lines[:-1]) and all(line.startswith(" ") for line in lines[1:])
    assert "".join(lines) == "(" + ", ".join(texts) + ")"


def test_the_rows_do_not_depend_on_the_values_shown():
    """The row count comes from the width and the widest possible value, not from the digits."""
    narrow = vector_lines(["0"] * 10, advance, 300)
    wide = vector_lines([WIDEST_VALUES[0]] * 10, advance, 300)
    assert len(narrow) == len(wide)


def test_a_value_wider_than_the_placeholder_gets_fewer_values_a_row():
    texts = ["-1.234e+100"] * 4
    lines = vector_lines(texts, advance, advance("(-1.234e+100, -1.234e+100,"))
    assert all(advance(line) <= advance("(-1.234e+100, -1.234e+100,") for line in lines)
    assert "".join(lines) == "(" + ", ".join(texts) + ")"


def test_too_narrow_a_width_gives_one_value_a_row():
    assert vector_lines(["0.5", "0.25", "-1"], advance, 1) == ["(0.5,", " 0.25,", " -1)"]


def test_no_values():
    assert vector_lines([], advance, 100) == ["()"]


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=25),
       st.integers(min_value=1, max_value=600))
def test_every_value_is_kept_in_order(values, width):
    texts = [f"{v:.4g}" for v in values]
    lines = vector_lines(texts, advance, width)
    assert "".join(lines) == "(" + ", ".join(texts) + ")"
    if advance("(" + WIDEST_VALUES[0] + ",") * 1.0 <= width and max(map(len, texts)) <= 10:
        assert all(advance(line) <= width for line in lines)


def test_named_values():
    assert named_values(["w[x1]", "w[x2]"], ["0.5", "-2"]) == "w[x1] = 0.5\nw[x2] = -2"
