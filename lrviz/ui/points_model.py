"""The window's points with undo: every edit is a QUndoCommand on one Dataset."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from lrviz.core.dataset import Dataset


class _PointsCommand(QUndoCommand):
    def __init__(self, model: PointsModel, text: str) -> None:
        super().__init__(text)
        self._model = model

    def _changed(self) -> None:
        self._model.changed.emit()


class _AddPoint(_PointsCommand):
    def __init__(self, model: PointsModel, x1: float, x2: float, label: int) -> None:
        super().__init__(model, "Add point")
        self._point = (x1, x2, label)
        self._index = len(model.dataset)

    def redo(self) -> None:
        self._model.dataset.insert(self._index, *self._point)
        self._changed()

    def undo(self) -> None:
        self._model.dataset.remove(self._index)
        self._changed()


class _MovePoint(_PointsCommand):
    def __init__(self, model: PointsModel, index: int, old: tuple[float, float],
                 new: tuple[float, float]) -> None:
        super().__init__(model, "Move point")
        self._index, self._old, self._new = index, old, new

    def redo(self) -> None:
        self._model.dataset.move(self._index, *self._new)
        self._changed()

    def undo(self) -> None:
        self._model.dataset.move(self._index, *self._old)
        self._changed()


class _RemovePoint(_PointsCommand):
    def __init__(self, model: PointsModel, index: int) -> None:
        super().__init__(model, "Delete point")
        self._index = index
        self._point = model.dataset.point(index)

    def redo(self) -> None:
        self._model.dataset.remove(self._index)
        self._changed()

    def undo(self) -> None:
        self._model.dataset.insert(self._index, *self._point)
        self._changed()


class _ReplaceAll(_PointsCommand):
    def __init__(self, model: PointsModel, new: Dataset, text: str) -> None:
        super().__init__(model, text)
        self._old = model.dataset.copy()
        self._new = new.copy()

    def redo(self) -> None:
        self._model._set(self._new.copy())

    def undo(self) -> None:
        self._model._set(self._old.copy())


class PointsModel(QObject):
    """Owns the Dataset and its undo stack; `changed` follows every edit, undo and redo."""

    changed = Signal()

    def __init__(self, dataset: Dataset | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dataset = dataset if dataset is not None else Dataset()
        self.undo_stack = QUndoStack(self)

    @property
    def dataset(self) -> Dataset:
        """The live point set; change it only through this model's methods."""
        return self._dataset

    def add_point(self, x1: float, x2: float, label: int) -> None:
        self.undo_stack.push(_AddPoint(self, float(x1), float(x2), int(label)))

    def move_point(self, index: int, x1: float, x2: float, from_position: tuple[float, float] | None = None) -> None:
        """Move a point (one undo step). `from_position` is where a drag started, if the
        point was already moved live during the drag (see `preview_move`)."""
        old = from_position if from_position is not None else self._dataset.point(index)[:2]
        self.undo_stack.push(_MovePoint(self, index, (float(old[0]), float(old[1])), (float(x1), float(x2))))

    def preview_move(self, index: int, x1: float, x2: float) -> None:
        """Move a point while it is dragged, without an undo step; `move_point` ends the drag."""
        self._dataset.move(index, x1, x2)
        self.changed.emit()

    def remove_point(self, index: int) -> None:
        self.undo_stack.push(_RemovePoint(self, index))

    def clear(self) -> None:
        if len(self._dataset):
            self.undo_stack.push(_ReplaceAll(self, Dataset(feature_names=self._dataset.feature_names),
                                             "Clear points"))

    def replace(self, dataset: Dataset, text: str = "Load data") -> None:
        self.undo_stack.push(_ReplaceAll(self, dataset, text))

    def _set(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self.changed.emit()
