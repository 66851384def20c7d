"""Counts in words: "1 epoch", "2 epochs", "1,000 points", the one way every message writes them.

A message built as f"{n:,} epochs" reads "1 epochs" when n is 1 (the speed label, the
max-epochs stop, "Opened 1 points"); `counted` gives the singular for exactly one.
"""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` with thousands separators and `noun`, plural (`plural`, or noun + "s") unless it is 1."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


__all__ = ["counted"]
