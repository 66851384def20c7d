"""LiveThrottle: a first request redraws at once, requests within the interval merge into
one trailing redraw, so a view always ends on the newest state."""

from __future__ import annotations

from lrviz.ui.render.throttle import LiveThrottle


def test_requests_merge_and_the_last_one_is_never_lost(qtbot):
    calls = []
    throttle = LiveThrottle(lambda: calls.append(1), 0.2)
    throttle.request()
    assert calls == [1]  # the first: at once
    for _ in range(5):
        throttle.request()
    assert calls == [1]  # within the interval: waiting
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=3000)
    assert not throttle._timer.isActive()  # one trailing redraw for the five requests
