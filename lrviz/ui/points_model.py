"""The run's points with undo: every edit is a QUndoCommand on the Run's points.

Callers never mutate `dataset` directly, so the undo stack always describes it exactly, and
every edit goes through the Run, which gives it a new data revision.
The one edit outside the stack is a drag in progress (`preview_move`): the point follows
the mouse, so the view and a running training see it live, and `move_point` then records
the whole drag as one step. Any other edit, undo or redo first puts a dragged point back
where the drag began, so a drag interrupted by, say, Ctrl+Z never leaves an unrecorded
change behind.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from lrviz.core.dataset import Dataset, checked_point
from lrviz.core.run import Run


class _PointsCommand(QUndoCommand):
    def __init__(self, model: PointsModel, text: str) -> None:
        super().__init__(text)
        self._model = model

    def redo(self) -> None:
        self._model._revert_preview()
        self._apply(forward=True)
        self._model.changed.emit()

    def undo(self) -> None:
        self._model._revert_preview()
        self._apply(forward=False)
        self._model.changed.emit()

    def _apply(self, forward: bool) -> None:
        raise NotImplementedError


class _AddPoint(_PointsCommand):
    def __init__(self, model: PointsModel, point: tuple[float, float, int]) -> None:
        super().__init__(model, "Add point")
        self._point = point
        self._index = len(model.dataset)

    def _apply(self, forward: bool) -> None:
        if forward:
            self._model.run.insert_point(self._index, *self._point)
        else:
            self._model.run.remove_point(self._index)


class _MovePoint(_PointsCommand):
    def __init__(self, model: PointsModel, index: int, old: tuple[float, float],
                 new: tuple[float, float]) -> None:
        super().__init__(model, "Move point")
        self._index, self._old, self._new = index, old, new

    def _apply(self, forward: bool) -> None:
        self._model.run.move_point(self._index, *(self._new if forward else self._old))


class _RemovePoint(_PointsCommand):
    def __init__(self, model: PointsModel, index: int) -> None:
        super().__init__(model, "Delete point")
        self._index = index
        self._point = model.dataset.point(index)
        self._is_test = bool(model.dataset.is_test[index])

    def _apply(self, forward: bool) -> None:
        if forward:
            self._model.run.remove_point(self._index)
        else:
            self._model.run.insert_point(self._index, *self._point, self._is_test)


class _SetSplit(_PointsCommand):
    """A new train/test split (core/split.py), or one point moved to the other set."""

    def __init__(self, model: PointsModel, is_test, text: str) -> None:
        super().__init__(model, text)
        self._old = model.dataset.is_test.copy()
        self._new = is_test.copy()

    def _apply(self, forward: bool) -> None:
        self._model.run.set_split(self._new if forward else self._old)


class _ReplaceAll(_PointsCommand):
    def __init__(self, model: PointsModel, new: Dataset, text: str) -> None:
        super().__init__(model, text)
        self._old = model.dataset.copy()
        self._new = new.copy()

    def _apply(self, forward: bool) -> None:
        # The run keeps a copy: later commands edit the live set, these two must stay as they were.
        self._model.run.replace_points(self._new if forward else self._old)


class PointsModel(QObject):
    """Edits the Run's points with an undo stack; `changed` follows every edit, undo and redo."""

    changed = Signal()

    def __init__(self, run: Run | Dataset | None = None, parent: QObject | None = None) -> None:
        """`run` is the Run whose points are edited (a Dataset or None: a new Run on it)."""
        super().__init__(parent)
        self.run = run if isinstance(run, Run) else Run(run)
        self._preview: tuple[int, tuple[float, float]] | None = None  # (index, where the drag began)
        self.undo_stack = QUndoStack(self)

    @property
    def dataset(self) -> Dataset:
        """The live point set; change it only through this model's methods."""
        return self.run.points

    @property
    def preview_index(self) -> int | None:
        """The point being dragged (moved by `preview_move`, not yet recorded), or None."""
        return None if self._preview is None else self._preview[0]

    def add_point(self, x1: float, x2: float, label: int) -> None:
        self._revert_preview()
        # Checked before pushing: a command that fails inside QUndoStack.push stays on the stack.
        self.undo_stack.push(_AddPoint(self, checked_point(x1, x2, label)))

    def move_point(self, index: int, x1: float, x2: float,
                   from_position: tuple[float, float] | None = None) -> None:
        """Move a point as one undo step; a move to where it already is adds no step.

        After `preview_move` calls, this records the whole drag, from where it began.
        `from_position` names that start explicitly (kept for callers that track it).
        """
        index = self._checked_index(index)
        new = checked_point(x1, x2, 0)[:2]
        if self._preview is not None and self._preview[0] == index:
            old = self._preview[1]
        elif from_position is not None:
            old = (float(from_position[0]), float(from_position[1]))
        else:
            old = self.dataset.point(index)[:2]
        reverted = self._revert_preview()
        if new == old:
            if reverted:
                self.changed.emit()  # the drag ended where it began: show the point back there
            return
        self.run.move_point(index, *old)  # the step starts from `old`, whatever moved the point before
        self.undo_stack.push(_MovePoint(self, index, old, new))

    def preview_move(self, index: int, x1: float, x2: float) -> None:
        """Move a point while it is dragged, without an undo step; `move_point` ends the drag,
        `cancel_preview` abandons it."""
        index = self._checked_index(index)
        x1, x2 = checked_point(x1, x2, 0)[:2]
        if self._preview is not None and self._preview[0] != index:
            self._revert_preview()
        if self._preview is None:
            self._preview = (index, self.dataset.point(index)[:2])
        self.run.move_point(index, x1, x2)
        self.changed.emit()

    def cancel_preview(self) -> None:
        """Put a dragged point back where its drag began (no undo step)."""
        if self._revert_preview():
            self.changed.emit()

    def remove_point(self, index: int) -> None:
        self._revert_preview()
        self.undo_stack.push(_RemovePoint(self, self._checked_index(index)))

    def clear(self) -> None:
        """Remove every point (one undo step; none when there is nothing to remove)."""
        self._revert_preview()
        if len(self.dataset):
            empty = Dataset(feature_names=self.dataset.feature_names, class_names=self.dataset.class_names)
            self.undo_stack.push(_ReplaceAll(self, empty, "Clear points"))

    def replace(self, dataset: Dataset, text: str = "Load data") -> None:
        """Put a whole new point set in place, undoably (the model keeps its own copy)."""
        if not isinstance(dataset, Dataset):
            raise TypeError(f"replace() takes a Dataset, not {type(dataset).__name__}")
        self._revert_preview()
        self.undo_stack.push(_ReplaceAll(self, dataset, text))

    def set_split(self, is_test, text: str = "Split the points") -> None:
        """A new train/test split (one bool per point; True: test), undoably; no step when it is the same."""
        self._revert_preview()
        mask = np.asarray(is_test, dtype=bool)
        if mask.shape != self.dataset.is_test.shape:
            raise ValueError(f"the split must have one value per point ({len(self.dataset)})")
        if not np.array_equal(mask, self.dataset.is_test):
            self.undo_stack.push(_SetSplit(self, mask, text))

    def toggle_split(self, index: int) -> None:
        """Move one point from the training to the test set or back (one undo step)."""
        index = self._checked_index(index)
        mask = self.dataset.is_test.copy()
        mask[index] = not mask[index]
        self.set_split(mask, "Move point to the test set" if mask[index] else "Move point to the training set")

    # -- internals ----------------------------------------------------------------------------------
    def _checked_index(self, index: int) -> int:
        """The index as a non-negative int; IndexError before anything reaches the undo stack."""
        count = len(self.dataset)
        if not -count <= int(index) < count:
            raise IndexError(f"there is no point {index}: there are {count} points")
        return int(index) % count

    def _revert_preview(self) -> bool:
        """Undo a drag's unrecorded move silently; True if there was one."""
        if self._preview is None:
            return False
        index, origin = self._preview
        self._preview = None
        self.run.move_point(index, *origin)
        return True
