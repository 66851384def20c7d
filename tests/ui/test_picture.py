"""Reading the picture: what the editor draws follows the shown epoch exactly, the arrow and
its label keep clear of the points, and exported images have no stair-steps."""

from __future__ import annotations

import numpy as np
import pytest
from window_helpers import shown_window

from lrviz.core.dataset import make_preset

POINTS = make_preset("blobs", n_points=60, seed=3)


@pytest.fixture
def window(qtbot):
    win = shown_window(qtbot, POINTS)
    qtbot.waitExposed(win)
    yield win
    win.mark_saved()
    win.close()


def _on_line(win, w, b) -> bool:
    ends = win.editor.boundary_points()
    return ends is not None and all(abs(np.dot(w, p) + b) < 1e-9 * (1 + abs(b)) for p in ends)


def test_a_start_chosen_in_the_landscape_is_drawn_at_once(window, qtbot):
    """Start Here replaces epoch 0 by another epoch 0: the editor drew the old one until the
    next epoch, as its key held only the epoch and the history's length."""
    w, b = np.array([3.0, -2.0]), 0.5
    assert window.controller.start_at(w, b)
    qtbot.waitUntil(lambda: _on_line(window, w, b))
    assert window.controller.start_at(w * 2, b)
    qtbot.waitUntil(lambda: _on_line(window, w * 2, b))
    window.undo_action.trigger()  # back to the first start
    qtbot.waitUntil(lambda: _on_line(window, w, b))


def test_the_arrow_and_its_label_go_where_they_cover_the_fewest_points():
    from lrviz.ui.editor.arrow_place import covered_points, label_centre, place_arrow

    ends = np.array([[200.0, 0.0], [200.0, 600.0]])  # a vertical boundary, w along +x
    normal, length, head, box = np.array([1.0, 0.0]), 100.0, 20.0, (120.0, 20.0)
    low, high, centre = np.array([0.0, 0.0]), np.array([800.0, 600.0]), np.array([400.0, 300.0])
    free = place_arrow(ends, normal, length, head, box, np.empty((0, 2)), low, high, centre)
    assert free.choice == (0.0, "beyond") and np.allclose(free.base, [200, 300])  # nothing in the way
    tip = free.base + length * normal
    crowd = np.array([[x, y] for x in np.arange(200, 420, 8.0) for y in np.arange(260, 340, 8.0)])
    crowd = crowd[np.all(np.abs(crowd - label_centre(tip, normal, head, box, "beyond")) < [60, 10], axis=1)]
    assert covered_points(crowd, free.base, tip, free.label, box, 0.42 * head) == len(crowd)
    moved = place_arrow(ends, normal, length, head, box, crowd, low, high, centre)
    assert moved.covered == 0 and moved.choice != (0.0, "beyond")
    again = place_arrow(ends, normal, length, head, box, crowd, low, high, centre, previous=moved.choice)
    assert again.choice == moved.choice  # no jumping between equally good places


def test_the_drawn_arrow_of_a_trained_run_covers_no_point(window, qtbot):
    from window_helpers import train_to

    from lrviz.ui.editor.arrow_place import covered_points

    train_to(qtbot, window, 300)
    window.state.clock.flush()
    editor = window.editor
    editor.draw_model_now()
    base, tip = editor.weight_arrow()
    scale = editor._pixels_per_unit()
    label = editor._arrow_label
    box = label.boundingRect()
    drawn = covered_points(window.run.points.X * scale, base * scale, tip * scale,
                           np.array([label.pos().x(), label.pos().y()]) * scale, (box.width(), box.height()), 8.0)
    assert drawn == 0


def _mean_colour(widget) -> np.ndarray:
    image = widget.grab().toImage()
    pixels = [image.pixelColor(x, y) for x in range(4, image.width() - 4, 3) for y in range(4, image.height() - 4, 3)]
    return np.array([(c.red(), c.green(), c.blue()) for c in pixels])


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_active_class_button_is_filled_with_its_colour_and_the_other_is_readable(window, qtbot, theme):
    from window_helpers import find_button

    from lrviz.ui.render.style import CLASS_COLORS

    window.theme.choose(theme)
    try:
        for active in (0, 1):
            window.state.set_active_class(active)
            on, off = find_button(window, f"classButton{active}"), find_button(window, f"classButton{1 - active}")
            filled = np.median(_mean_colour(on), axis=0)
            assert np.abs(filled - CLASS_COLORS[active]).max() < 30  # the class's colour, not a faint tint
            other = _mean_colour(off)
            assert np.abs(np.median(other, axis=0) - CLASS_COLORS[active]).max() > 60
            luminance = other.mean(axis=1)
            text_contrast = luminance.max() - np.median(luminance) if theme == "dark" else np.median(luminance) - luminance.min()
            assert text_contrast > 80  # its text stands out of its background (it was black on dark grey)
    finally:
        window.theme.choose("system")


def test_the_parameter_legend_stays_one_row_above_the_plot_when_the_plot_is_narrow(qtbot):
    from PySide6.QtWidgets import QApplication

    from lrviz.ui.plots.params_plot import ParamsPlot
    from lrviz.ui.state import WindowState

    plot = ParamsPlot(WindowState(POINTS.copy()))
    qtbot.addWidget(plot)
    plot.resize(330, 300)
    plot.show()
    qtbot.waitExposed(plot)
    for width in (600, 330, 420, 330):  # each fit follows the last: it must not shrink itself
        plot.resize(width, 300)
        for _ in range(5):
            QApplication.processEvents()
        assert plot._legend.columnCount == 3, width  # w1, w2 and b side by side (it was 2 rows, or 3)
    legend = plot._legend.sceneBoundingRect()
    data = plot.getPlotItem().getViewBox().sceneBoundingRect()
    assert legend.bottom() <= data.top() + 1  # above the curves, never on them
    plot.close()


def test_an_exported_image_draws_the_heatmap_finer_than_its_pixels(window, qtbot, tmp_path):
    """On screen bilinear scaling hides the 200 cells; an SVG viewed at zoom showed them as
    steps along a steep boundary, so exports draw the heatmap at EXPORT_HEATMAP_CELLS."""
    import base64
    import re
    import struct

    from lrviz.ui.editor.point_editor import EXPORT_HEATMAP_CELLS, HEATMAP_CELLS
    from lrviz.ui.render.image_export import save_widget_image

    assert window.controller.start_at(np.array([600.0, -350.0]), 30.0)  # a steep boundary
    qtbot.waitUntil(lambda: _on_line(window, np.array([600.0, -350.0]), 30.0))
    editor = window.editor
    assert max(editor.heatmap_image().shape) == HEATMAP_CELLS
    save_widget_image(editor, tmp_path / "steep.svg")
    first = re.search(r'<image [^>]*xlink:href="data:image/png;base64,([^"]+)"', (tmp_path / "steep.svg").read_text())
    width, height = struct.unpack(">II", base64.b64decode(first.group(1))[16:24])  # the PNG's IHDR
    assert max(width, height) == EXPORT_HEATMAP_CELLS
    assert max(editor.heatmap_image().shape) == HEATMAP_CELLS  # the screen's grid again afterwards
    save_widget_image(editor, tmp_path / "steep.png")  # a PNG export gets it too, and comes back
    assert max(editor.heatmap_image().shape) == HEATMAP_CELLS


def test_the_candidate_places_are_counted_together_exactly_as_one_by_one():
    """place_arrow counts the points under all its candidate places in one pass of NumPy:
    the same counts as covered_points place by place (no candidate's count mixes in another's)."""
    import numpy as np

    from lrviz.ui.editor.arrow_place import _covered_counts, covered_points

    rng = np.random.default_rng(3)
    points = rng.uniform(0, 500, (3000, 2))
    for _ in range(20):
        bases = rng.uniform(0, 500, (15, 2))
        tips = bases + rng.normal(size=(15, 2)) * 60
        labels = rng.uniform(0, 500, (15, 2))
        counts = _covered_counts(points, bases, tips, labels, (90.0, 18.0), 5.0)
        assert list(counts) == [covered_points(points, bases[k], tips[k], labels[k], (90.0, 18.0), 5.0)
                                for k in range(15)]
        assert counts.max() > 0  # the check sees covered points
