"""Every edit of the points is one undo step, and undo/redo restore the exact points."""

from __future__ import annotations

import numpy as np

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
