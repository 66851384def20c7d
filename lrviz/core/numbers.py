"""The syntax of a number in lrviz's files and command lines: ASCII, as NumPy's parser reads it."""

from __future__ import annotations


def strict_float(text: str) -> float:
    """float(text) for a number as files and command lines write it: ASCII digits only.

    Python's float() also takes '1_000', Arabic-Indic and full-width digits; NumPy's parser
    (the fast path of every reader) does not, so a file would read differently by its size.
    """
    if not text.isascii() or "_" in text:
        raise ValueError(f"could not convert string to float: {text!r}")
    return float(text)


def strict_int(text: str) -> int:
    """int(text) with ASCII digits only (no '1_000', no other scripts' digits), as strict_float."""
    if not text.isascii() or "_" in text:
        raise ValueError(f"invalid literal for int(): {text!r}")
    return int(text)


__all__ = ["strict_float", "strict_int"]
