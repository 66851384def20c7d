"""Colours and markers shared by every view, so the two classes look the same everywhere.

The palette is Okabe & Ito's (colour-blind safe): class 0 is blue and drawn as a
circle, class 1 is vermillion and drawn as a triangle, so shape alone also tells
them apart. The probability heatmap runs from the class-0 colour (ŷ = 0) through
a neutral near-white (ŷ = 0.5) to the class-1 colour (ŷ = 1).
"""

from __future__ import annotations

import numpy as np

CLASS_COLORS: tuple[tuple[int, int, int], tuple[int, int, int]] = (
    (0, 114, 178),  # Okabe-Ito blue
    (213, 94, 0),  # Okabe-Ito vermillion
)
CLASS_SYMBOLS: tuple[str, str] = ("o", "t1")  # circle, upward triangle
CLASS_NAMES: tuple[str, str] = ("class 0", "class 1")
NEUTRAL_COLOR: tuple[int, int, int] = (247, 247, 247)
BOUNDARY_COLOR: tuple[int, int, int] = (40, 40, 40)
PARAM_COLORS: dict[str, tuple[int, int, int]] = {
    "w1": (0, 158, 115),  # Okabe-Ito bluish green
    "w2": (204, 121, 167),  # reddish purple
    "b": (86, 180, 233),  # sky blue
}
_EXTRA_PARAM_COLORS = ((230, 159, 0), (0, 114, 178), (213, 94, 0), (240, 228, 66), (0, 0, 0))


def parameter_color(name: str, index: int) -> tuple[int, int, int]:
    """The colour of a parameter's curve: w1, w2 and b as always, more columns from the palette."""
    return PARAM_COLORS.get(name, _EXTRA_PARAM_COLORS[index % len(_EXTRA_PARAM_COLORS)])


LOSS_COLOR: tuple[int, int, int] = (30, 30, 30)
TEST_LOSS_COLOR: tuple[int, int, int] = (204, 121, 167)  # Okabe-Ito reddish purple: the test set's loss
CURSOR_COLOR: tuple[int, int, int] = (230, 159, 0)  # Okabe-Ito orange: the shown epoch in every plot


def probability_lut(size: int = 256, strength: float = 0.55,
                    neutral: tuple[int, int, int] = NEUTRAL_COLOR) -> np.ndarray:
    """A (size, 4) uint8 lookup table from ŷ = 0 to ŷ = 1, diverging around 0.5.

    `strength` (0..1) keeps the ends lighter than the marker colours, so the
    points stay visible on top of the heatmap; `neutral` is the colour of ŷ = 0.5
    (a dark grey in the dark theme).
    """
    t = np.linspace(0.0, 1.0, size)
    neutral = np.array(neutral, dtype=float)
    low = neutral + strength * (np.array(CLASS_COLORS[0], dtype=float) - neutral)
    high = neutral + strength * (np.array(CLASS_COLORS[1], dtype=float) - neutral)
    toward = np.where(t[:, None] < 0.5, low, high)
    amount = np.abs(t - 0.5)[:, None] * 2.0
    rgb = neutral + amount * (toward - neutral)
    lut = np.empty((size, 4), dtype=np.uint8)
    lut[:, :3] = np.clip(np.rint(rgb), 0, 255).astype(np.uint8)
    lut[:, 3] = 255
    return lut
