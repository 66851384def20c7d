"""Exports of what the window shows: the shown epoch's parameters, the whole history, an image.

What you see is what you export: the parameters are those of the epoch on screen (the
timeline's), with that epoch's loss, the accuracy on the points it was computed on, and
the α and λ it was computed with.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from lrviz.core.formats import TrainedParams, write_params
from lrviz.core.metrics import evaluate
from lrviz.core.model import accuracy
from lrviz.core.features import FeatureMap
from lrviz.core.model_trainer import mapped
from lrviz.ui.render.image_export import image_format, save_widget_image
from lrviz.ui.state import WindowState

NOTHING_YET = ("Nothing to export yet", "Place points and press Train or Step first.")


def shown_params(state: WindowState) -> TrainedParams | None:
    """The shown epoch's parameters with their context, or None before any training state."""
    row = state.shown_row()
    if row is None:
        return None
    run = state.run
    points = run.points_at(row.data_revision)
    return TrainedParams(
        weights=tuple(float(v) for v in row.w), bias=row.b, feature_names=FeatureMap(run.settings.degree, run.settings.sin,
                                                                  inputs=run.points.feature_names).terms,
        epoch=row.epoch, loss=row.loss,
        accuracy=float(accuracy(mapped(points.train_X, run.settings), points.train_y, row.w, row.b)) if len(points.train_y) else 0.0,
        learning_rate=row.learning_rate, l2=row.l2, standardize=run.settings.standardize,
        class_names=run.points.class_names, **_metrics_fields(state, row))


def _metrics_fields(state: WindowState, row) -> dict:
    """The threshold and the accuracies at it, as the metrics views show them (the current points)."""
    points = state.run.points
    metrics = evaluate(mapped(points.X, state.run.settings), points.y, points.is_test, row.w, row.b, state.threshold)
    return {"threshold": state.threshold, "train_accuracy": metrics.train.accuracy,
            "test_accuracy": metrics.test.accuracy}


class ExportActions(QObject):
    """File ▸ Export Parameters, Export History and Export Plot Image."""

    def __init__(self, host, state: WindowState, image_source: Callable[[], QWidget]) -> None:
        """`host` makes actions, asks for paths and writes files (the main window); `image_source`
        gives the widget an image is made of."""
        super().__init__(host)
        self._host, self._state, self._image_source = host, state, image_source
        make = host.make_action
        self.export_params_action = make(
            "exportParamsAction", "Export &Parameters…", self.export_params, "Ctrl+E",
            "Write w and b of the shown epoch (JSON, or CSV by the file name)")
        self.export_history_action = make(
            "exportHistoryAction", "Export &History…", self.export_history, None,
            "Write epoch, loss and every parameter of every epoch as CSV")
        self.export_plot_action = make(
            "exportPlotAction", "Export Plot &Image…", self.export_plot, None,
            "Save the points with heatmap and boundary as PNG or SVG")

    def export_params(self) -> None:
        params = shown_params(self._state)
        if params is None:
            self._host.show_error(*NOTHING_YET)
            return
        path = self._host.documents.ask_save_path("Export parameters", "params.json", "Parameters (*.json *.csv)")
        if path and self._host.write_file(lambda: write_params(path, params), path):
            self._state.model_unsaved = False

    def export_history(self) -> None:
        history = self._state.run.history
        if not len(history):
            self._host.show_error(*NOTHING_YET)
            return
        path = self._host.documents.ask_save_path("Export history", "history.csv", "CSV (*.csv)")
        if path:
            self._host.write_file(lambda: self._host.documents.write_history(path, history), path)

    def export_plot(self) -> None:
        path = self._host.documents.ask_save_path("Export plot image", "lrviz.png",
                                                  "PNG image (*.png);;SVG image (*.svg)", check=image_format)
        if path:
            self._state.clock.flush()  # the image shows the shown epoch, drawn
            self._host.write_file(lambda: save_widget_image(self._image_source(), path), path)
