"""The colours of kept runs (up to eight), the same in the loss plot, the landscape and the runs list.

Tableau's ten colours without orange (the epoch cursor's) and pink (the test loss's), so a
kept run is never mistaken for either; the current run stays black (LOSS_COLOR).
"""

from __future__ import annotations

RUN_COLORS: tuple[tuple[int, int, int], ...] = (
    (31, 119, 180),   # blue
    (214, 39, 40),    # red
    (44, 160, 44),    # green
    (148, 103, 189),  # purple
    (140, 86, 75),    # brown
    (23, 190, 207),   # cyan
    (188, 189, 34),   # olive
    (127, 127, 127),  # grey
)


def run_color(index: int) -> tuple[int, int, int]:
    """The colour of a kept run's colour index."""
    return RUN_COLORS[index % len(RUN_COLORS)]


__all__ = ["RUN_COLORS", "run_color"]
