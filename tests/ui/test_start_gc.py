"""The cyclic collector is off while the window starts and back as it was after the first paint."""

from __future__ import annotations

import gc
import weakref

from lrviz.ui.start_gc import pause_collection


class Node:
    pass


def test_resume_puts_the_collector_back_as_it_was_and_no_cycle_is_kept():
    assert gc.isenabled()
    resume = pause_collection()
    assert not gc.isenabled()
    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle made during the start ...
    gone = weakref.ref(a)
    del a, b
    resume()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # nothing is left exempt from collection
    gc.collect()
    assert gone() is None  # ... is collected later like any other
    resume()  # idempotent
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        resume = pause_collection()
        resume()
        assert not gc.isenabled()
    finally:
        gc.enable()
