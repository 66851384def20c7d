"""No cyclic garbage collection while the window starts; the objects of the start go to the oldest generation.

Building the window makes some 50,000 objects that live as long as it does, and no garbage
cycles to speak of. Python's collector, counting allocations, still ran ~120 young-generation
collections during the start, each going over the objects made since the last (about 0.04 s of
the first paint on a quiet machine, 0.08 s on a loaded one). `pause_collection()` switches
it off; the function it returns, called once the window has painted (run_app), moves every
object tracked by then to the oldest generation in one step (gc.freeze() then gc.unfreeze():
nothing is traversed, and nothing is exempt from later full collections, so no cycle leaks)
and switches collection back on if it was on before.
"""

from __future__ import annotations

import gc
from collections.abc import Callable


def pause_collection() -> Callable[[], None]:
    """Switch the cyclic collector off; returns `resume()` (idempotent) that puts it back as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    resumed = False

    def resume() -> None:
        nonlocal resumed
        if resumed:
            return
        resumed = True
        gc.freeze()  # everything tracked now: to the permanent generation ...
        gc.unfreeze()  # ... and back into the oldest one, without a traversal
        if was_enabled:
            gc.enable()

    return resume


__all__ = ["pause_collection"]
