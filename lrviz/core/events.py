"""A small, Qt-free event: the run announces what changed, views subscribe.

Why not psygnal: it would be the well-kept choice, but importing it pulls in
importlib.metadata (about 50 ms on these machines, on top of pyqtgraph), and the window's
first paint has a budget of 0.8 s that it already nearly uses. The run needs four events
and nothing else psygnal offers, so this is the part of it lrviz uses:

- bound methods are held by weak reference, so a subscribed view that is closed and
  freed never stays alive, nor is called, because the run still knows it (a strong
  reference would make the view → run → view cycle that only the cyclic GC breaks, at any
  moment, even in the middle of a paint);
- `blocked()` silences an event while a caller makes several changes that it announces once.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class Event:
    """Callbacks called in the order they connected, with the arguments of `emit`."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._slots: list[Callable[[], Callable[..., Any] | None]] = []
        self._blocked = 0

    def connect(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """Subscribe; a bound method is held weakly, a function or lambda strongly."""
        if hasattr(callback, "__self__") and hasattr(callback, "__func__"):
            reference: Callable[[], Callable[..., Any] | None] = weakref.WeakMethod(callback)
        else:
            reference = lambda callback=callback: callback  # noqa: E731 (a strong "reference")
        self._slots.append(reference)
        return callback

    def disconnect(self, callback: Callable[..., Any]) -> None:
        self._slots = [ref for ref in self._slots if ref() not in (None, callback)]

    def emit(self, *args: Any) -> None:
        if self._blocked:
            return
        alive = []
        for reference in list(self._slots):
            callback = reference()
            if callback is None:
                continue
            alive.append(reference)
            callback(*args)
        if len(alive) != len(self._slots):
            self._slots = [ref for ref in self._slots if ref() is not None]

    @contextmanager
    def blocked(self) -> Iterator[None]:
        self._blocked += 1
        try:
            yield
        finally:
            self._blocked -= 1

    def __len__(self) -> int:
        return sum(1 for ref in self._slots if ref() is not None)
