"""Every edit of the points is one undo step, and undo/redo restore the exact points."""

from __future__ import annotations

import numpy as np
import pytest

from lrviz.core.dataset import Dataset
from lrviz.ui.points_model import PointsModel


def test_every_edit_undoes_and_redoes(qtbot):
    model = PointsModel()
    changes = []
    model.changed.connect(lambda: changes.append(len(model.dataset)))
    model.add_point(1.0, 2.0, 0)
    model.add_point(-1.0, 0.5, 1)
    model.move_point(0, 3.0, 3.5)
    model.remove_point(1)
    stack = model.undo_stack
    assert [stack.text(i) for i in range(stack.count())] == ["Add point", "Add point", "Move point", "Delete point"]
    assert model.dataset == Dataset([[3.0, 3.5]], [0])
    stack.undo()
    assert model.dataset == Dataset([[3.0, 3.5], [-1.0, 0.5]], [0, 1])
    stack.undo()
    assert model.dataset.point(0) == (1.0, 2.0, 0)
    stack.undo()
    stack.undo()
    assert len(model.dataset) == 0
    for _ in range(4):
        stack.redo()
    assert model.dataset == Dataset([[3.0, 3.5]], [0])
    assert len(changes) == 12


def test_drag_preview_then_one_move_step(qtbot):
    model = PointsModel(Dataset([[0.0, 0.0]], [1]))
    for x in (0.5, 1.0, 1.5):
        model.preview_move(0, x, x)
    model.move_point(0, 2.0, 2.0, from_position=(0.0, 0.0))
    assert model.undo_stack.count() == 1
    model.undo_stack.undo()
    assert model.dataset.point(0) == (0.0, 0.0, 1)


def test_clear_and_replace_are_undoable(qtbot):
    original = Dataset(np.arange(6.0).reshape(3, 2), [0, 1, 1], feature_names=("a", "b"))
    model = PointsModel(original.copy())
    model.clear()
    assert len(model.dataset) == 0 and model.dataset.feature_names == ("a", "b")
    model.undo_stack.undo()
    assert model.dataset == original
    model.replace(Dataset([[9.0, 9.0]], [0]), "Load data")
    assert model.undo_stack.undoText() == "Load data"
    model.undo_stack.undo()
    assert model.dataset == original
    model.clear()
    steps = model.undo_stack.count()
    model.clear()  # clearing nothing adds no undo step
    assert model.undo_stack.undoText() == "Clear points"
    assert model.undo_stack.count() == steps


def test_an_edit_during_a_drag_puts_the_dragged_point_back_first(qtbot):
    start = Dataset([[0.0, 0.0], [1.0, 1.0]], [0, 1])
    model = PointsModel(start.copy())
    model.preview_move(1, 5.0, 5.0)
    assert model.preview_index == 1 and model.dataset.point(1) == (5.0, 5.0, 1)
    model.add_point(2.0, 2.0, 0)  # e.g. a click elsewhere before the release arrived
    assert model.preview_index is None and model.dataset.point(1) == (1.0, 1.0, 1)
    model.undo_stack.undo()
    assert model.dataset == start

    model.add_point(2.0, 2.0, 0)
    model.preview_move(0, -3.0, 4.0)
    model.undo_stack.undo()  # Ctrl+Z mid-drag
    assert model.dataset == start and model.preview_index is None
    model.undo_stack.redo()
    assert model.dataset == Dataset([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]], [0, 1, 0])

    model.undo_stack.undo()
    model.preview_move(0, -3.0, 4.0)
    model.undo_stack.redo()  # Ctrl+Shift+Z mid-drag
    assert model.dataset == Dataset([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]], [0, 1, 0])

    model.preview_move(2, 9.0, 9.0)
    model.replace(Dataset([[7.0, 7.0]], [1]))
    model.undo_stack.undo()
    assert model.dataset == Dataset([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]], [0, 1, 0])


def test_a_drag_that_ends_where_it_began_adds_no_step(qtbot):
    model = PointsModel(Dataset([[0.0, 0.0]], [1]))
    changes = []
    model.changed.connect(lambda: changes.append(model.dataset.point(0)))
    model.preview_move(0, 3.0, 3.0)
    model.move_point(0, 0.0, 0.0)
    assert model.undo_stack.count() == 0 and changes == [(3.0, 3.0, 1), (0.0, 0.0, 1)]
    model.preview_move(0, 3.0, 3.0)
    model.cancel_preview()
    assert model.undo_stack.count() == 0 and model.dataset.point(0) == (0.0, 0.0, 1)
    model.cancel_preview()  # nothing to cancel: no signal
    assert len(changes) == 4


def test_bad_edits_raise_before_reaching_the_undo_stack(qtbot):
    model = PointsModel(Dataset([[0.0, 0.0]], [1]))
    bad_edits = [
        (ValueError, lambda: model.add_point(float("nan"), 0.0, 0)),
        (ValueError, lambda: model.add_point(0.0, 0.0, 2)),
        (ValueError, lambda: model.move_point(0, float("inf"), 0.0)),
        (ValueError, lambda: model.preview_move(0, 0.0, float("nan"))),
        (IndexError, lambda: model.move_point(1, 0.0, 0.0)),
        (IndexError, lambda: model.move_point(3, 0.0, 0.0, from_position=(0.0, 0.0))),
        (IndexError, lambda: model.remove_point(1)),
        (IndexError, lambda: model.preview_move(-2, 0.0, 0.0)),
        (TypeError, lambda: model.replace([[0.0, 0.0]])),
    ]
    for error, edit in bad_edits:
        with pytest.raises(error):
            edit()
    assert model.undo_stack.count() == 0 and model.dataset == Dataset([[0.0, 0.0]], [1])


def test_a_negative_index_names_a_point_from_the_end(qtbot):
    original = Dataset([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]], [0, 1, 0])
    model = PointsModel(original.copy())
    model.remove_point(-1)
    assert model.dataset == Dataset([[0.0, 0.0], [1.0, 1.0]], [0, 1])
    model.undo_stack.undo()
    assert model.dataset == original  # back at the end, not before the last point


def test_replace_keeps_its_own_copy(qtbot):
    model = PointsModel()
    loaded = Dataset([[1.0, 2.0]], [0])
    model.replace(loaded)
    loaded.move(0, 5.0, 5.0)  # the caller's object changes later...
    model.add_point(3.0, 3.0, 1)
    model.undo_stack.undo()
    model.undo_stack.undo()
    model.undo_stack.redo()
    assert model.dataset == Dataset([[1.0, 2.0]], [0])  # ...the model's history does not
