"""Memory measured by tracemalloc around one call, for the tests of peak memory (issue 18)."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def traced(call: Callable[[], T]) -> tuple[T, int, int]:
    """(call(), bytes still held when it returned, the peak while it ran), as tracemalloc
    counts them: only what the call allocated (garbage from before is collected first)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = call()
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, held, peak
