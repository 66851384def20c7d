"""The main window: layout, menus and actions, and the wiring between the parts.

Data flow (see ARCHITECTURE.md): the window owns the points (PointsModel) and the
history (HistoryBuffer). The TrainingController trains a snapshot in its own thread
and sends every epoch back in batches; the window appends them and redraws from the
newest epoch.
"""

from __future__ import annotations

from dataclasses import asdict, fields, replace

import numpy as np
from PySide6.QtCore import QTimer, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lrviz import __version__
from lrviz.core import accuracy
from lrviz.core.diagnostics import SEPARABLE_HINT, data_warning
from lrviz.core.dataset import IRIS_PAIRS, PRESET_NAMES, PRESET_TITLES, Dataset, default_dataset, load_iris, make_preset
from lrviz.core.history_buffer import HistoryBuffer
from lrviz.core.io import Session, TrainedParams, write_history_csv, write_params
from lrviz.core.trainer import STOP_CONVERGED, STOP_DIVERGED, STOP_MAX_EPOCHS, StopInfo
from lrviz.ui.controls import ControlsPanel
from lrviz.ui.documents import DocumentActions, app_settings
from lrviz.ui.image_export import save_widget_image
from lrviz.ui.plots import LossPlot, ParamsPlot
from lrviz.ui.point_editor import PointEditor
from lrviz.ui.points_model import PointsModel
from lrviz.ui.preset_dialog import PresetDialog
from lrviz.ui.worker import EpochBatch, TrainingController, TrainingSettings

MATH_TEXT = """
<h3>The model lrviz trains</h3>
<p>For the points X (one row x<sub>i</sub> per point) and labels y<sub>i</sub> ∈ {0, 1}:</p>
<ul>
<li>z = Xw + b, ŷ = σ(z) = 1 / (1 + e<sup>−z</sup>) &nbsp; (1-2)</li>
<li>L = −(1/m) Σ<sub>i</sub> [y<sub>i</sub> log ŷ<sub>i</sub> + (1 − y<sub>i</sub>) log(1 − ŷ<sub>i</sub>)]
    &nbsp; (2-1), plus (λ/2)‖w‖² when λ &gt; 0</li>
<li>∂L/∂w = (1/m) X<sup>T</sup>(ŷ − y) + λw &nbsp; (3-8), &nbsp;
    ∂L/∂b = (1/m) Σ<sub>i</sub> (ŷ<sub>i</sub> − y<sub>i</sub>) &nbsp; (3-10)</li>
<li>w ← w − α ∂L/∂w &nbsp; (4-2), &nbsp; b ← b − α ∂L/∂b &nbsp; (4-3), both from the old w and b</li>
</ul>
<p>The decision boundary is the line w·x + b = 0 (ŷ = 0.5); the arrow is w, which points
toward class 1. The loss is computed without forming ŷ first
(log ŷ = −log(1 + e<sup>−z</sup>)), so it stays finite for any z.</p>
<p>Equation numbers refer to Zhengxiang Wang's tutorial on gradient descent for logistic
regression, with its errata corrected.</p>
"""


PLOTS_FPS = 10


class MainWindow(QMainWindow):
    """The trainer window. `MainWindow()` opens on the built-in data set."""

    def __init__(self, dataset: Dataset | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("lrviz — logistic regression by gradient descent")
        self.points = PointsModel(dataset if dataset is not None else default_dataset(), self)
        self.history = HistoryBuffer(n_features=2)
        self.training = TrainingController(self)
        self.editor = PointEditor(self.points)
        self.controls = ControlsPanel()
        self.loss_plot = LossPlot()
        self.params_plot = ParamsPlot()
        self._accuracy = 0.0
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(0)
        self._redraw_timer.timeout.connect(self._redraw)
        # The curves are secondary and cost more to paint than they change between frames:
        # they follow at most PLOTS_FPS times a second, leaving the time to training.
        self._plots_timer = QTimer(self)
        self._plots_timer.setSingleShot(True)
        self._plots_timer.setInterval(1000 // PLOTS_FPS)
        self._plots_timer.timeout.connect(self._redraw_plots)
        self._divergence_box: QMessageBox | None = None
        self._data_warning = ""
        self.model_unsaved = False  # trained parameters not yet in a saved session or export
        self.last_stop: StopInfo | None = None  # why the newest run stopped; saved in sessions
        # The settings the current trainer runs with, which exports and sessions record: the
        # controls may differ, since standardize, the start and its seed apply only at Reset.
        self.trained_settings = TrainingSettings()

        self._build_layout()
        self._build_actions()
        self.documents = DocumentActions(self)
        self._build_menus()
        self._connect()
        self.resize(1360, 820)
        geometry = app_settings().value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._on_points_changed()
        self.reset_training()
        self.editor.fit_view()

    # -- construction -----------------------------------------------------------------------
    def _build_layout(self) -> None:
        side = QScrollArea()
        side.setWidget(self.controls)
        side.setWidgetResizable(True)
        side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side.setMinimumWidth(self.controls.sizeHint().width() + side.verticalScrollBar().sizeHint().width())
        side.setFrameShape(QScrollArea.Shape.NoFrame)

        plots = QWidget()
        plots_layout = QVBoxLayout(plots)
        plots_layout.setContentsMargins(0, 0, 0, 0)
        plots_splitter = QSplitter(Qt.Orientation.Vertical)
        plots_splitter.addWidget(self.loss_plot)
        plots_splitter.addWidget(self.params_plot)
        plots_layout.addWidget(plots_splitter)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(side)
        splitter.addWidget(self.editor)
        splitter.addWidget(plots)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([side.minimumWidth(), 640, 420])
        self.setCentralWidget(splitter)
        self.status_points = QLabel()
        self.statusBar().addPermanentWidget(self.status_points)

    def make_action(self, object_name: str, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setObjectName(object_name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        return action

    def _build_actions(self) -> None:
        stack = self.points.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redoAction")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([self.undo_action, self.redo_action])

        self.clear_action = self.make_action("clearAction", "C&lear Points", self.points.clear,
                                         tip="Remove every point (undoable)")
        self.fit_view_action = self.make_action("fitViewAction", "&Fit View", self.editor.fit_view, "F",
                                            "Zoom so that every point is visible")
        self.class0_action = self.make_action("class0Action", "Place Class &0", lambda: self._set_class(0), "1")
        self.class1_action = self.make_action("class1Action", "Place Class &1", lambda: self._set_class(1), "2")

        self.train_action = self.make_action("trainAction", "&Train / Pause", self._toggle_training,
                                         "Space", "Start or pause gradient descent")
        self.step_action = self.make_action("stepAction", "&Step One Epoch", self.step_training, "S")
        self.reset_action = self.make_action("resetAction", "&Reset to Epoch 0", self.reset_training, "R")
        self.log_scale_action = self.make_action("logScaleAction", "&Log-Scale Loss",
                                             self._on_log_scale, tip="Show the loss on a log axis")
        self.log_scale_action.setCheckable(True)

        self.export_params_action = self.make_action(
            "exportParamsAction", "Export &Parameters…", self.export_params, "Ctrl+E",
            "Write w and b (JSON, or CSV by the file name)")
        self.export_history_action = self.make_action(
            "exportHistoryAction", "Export &History…", self.export_history, None,
            "Write epoch, loss, w1, w2, b of every epoch as CSV")
        self.export_plot_action = self.make_action(
            "exportPlotAction", "Export Plot &Image…", self.export_plot, None,
            "Save the points with heatmap and boundary as PNG or SVG")
        self.quit_action = self.make_action("quitAction", "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.math_action = self.make_action("mathAction", "The &Math…", self._show_math, "F1")
        self.about_action = self.make_action("aboutAction", "&About lrviz", self._show_about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        d = self.documents
        self.file_menu.addActions([d.new_action, d.open_data_action])
        self.file_menu.addMenu(d.recent_menu)
        self.file_menu.addActions([d.save_data_action, d.save_data_as_action])
        self.file_menu.addSeparator()
        self.file_menu.addActions([d.open_session_action, d.save_session_action])
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.export_params_action, self.export_history_action,
                                   self.export_plot_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addActions([self.class0_action, self.class1_action, self.clear_action])
        self.data_menu = bar.addMenu("&Data")
        self._build_data_menu()
        view = bar.addMenu("&View")
        view.addActions([self.fit_view_action, self.log_scale_action])
        train = bar.addMenu("&Train")
        train.addActions([self.train_action, self.step_action, self.reset_action])
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.math_action, self.about_action])

    def _build_data_menu(self) -> None:
        for pair in IRIS_PAIRS:
            first, second = IRIS_PAIRS[pair]
            action = self.data_menu.addAction(f"Iris: {first} vs {second} (petal length, width)")
            action.setObjectName(f"iris_{pair}")
            action.triggered.connect(lambda _checked=False, p=pair: self.load_iris(p))
        self.data_menu.addSeparator()
        for name in PRESET_NAMES:
            action = self.data_menu.addAction(f"{PRESET_TITLES[name]}…")
            action.setObjectName(f"preset_{name}")
            action.triggered.connect(lambda _checked=False, n=name: self._ask_preset(n))

    def _ask_preset(self, name: str) -> None:
        values = PresetDialog.ask(PRESET_TITLES[name], self)
        if values is not None:
            self.load_preset(name, *values)

    def load_preset(self, name: str, n_points: int = 200, noise: float = 0.1, seed: int = 0) -> bool:
        """Replace the points by a generated set (undoable); False if the user cancelled.

        The points could be undone, but the reset loses a trained model: ask first, like Open.
        """
        if not self.documents.maybe_save():
            return False
        self.replace_points(make_preset(name, n_points, noise, seed), f"Load {PRESET_TITLES[name]}")
        self._loaded_built_in()
        return True

    def load_iris(self, pair: str) -> bool:
        """Replace the points by two Iris species (undoable), asking first like load_preset."""
        if not self.documents.maybe_save():
            return False
        first, second = IRIS_PAIRS[pair]
        self.replace_points(load_iris(pair), f"Load Iris {first} vs {second}")
        self._loaded_built_in()
        return True

    def _loaded_built_in(self) -> None:
        """A built-in set is saved work as it stands (it can be made again), and no file's:
        the next preset does not ask, and Save asks for a name instead of overwriting the
        CSV opened before. Undo back to earlier points counts as unsaved again."""
        self.points.undo_stack.setClean()
        self.documents.data_path = None

    def replace_points(self, dataset: Dataset, text: str) -> None:
        """New points (undoable), a fresh epoch 0 on them, and a view that shows them all."""
        self.points.replace(dataset, text)
        self.reset_training()
        self.editor.fit_view()

    # -- saving state --------------------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        return not self.points.undo_stack.isClean() or self.model_unsaved

    def mark_saved(self) -> None:
        self.points.undo_stack.setClean()
        self.model_unsaved = False

    def session(self) -> Session:
        """Everything needed to reopen this window as it is now."""
        h = self.history
        return Session(X=self.points.dataset.X.copy(), y=self.points.dataset.y.copy(),
                       feature_names=self.points.dataset.feature_names,
                       settings=asdict(self.trained_settings), epochs=h.epochs.copy(), W=h.W.copy(),
                       b=h.b.copy(), loss=h.loss.copy(), grad_norm=h.grad_norm.copy(),
                       stop=self.last_stop if len(h) else None)

    def restore_session(self, session: Session) -> None:
        """Show a saved session: its points, settings, curves; training resumes where it stopped."""
        dataset = Dataset(session.X, session.y, session.feature_names)
        known = {f.name for f in fields(TrainingSettings)}
        settings = TrainingSettings(**{k: v for k, v in session.settings.items() if k in known})
        if settings.init not in ("zeros", "random"):
            raise ValueError(f"the session's initialisation {settings.init!r} is unknown")
        self.controls.apply_settings(settings)
        # Train with what the widgets show: their ranges clamp a damaged or hand-edited value
        # (a learning rate of 1e-9 shows as 1e-4, 1e12 epochs/s as the fastest fixed speed),
        # and training must never differ from what the user sees.
        settings = self.controls.settings()
        self.trained_settings = settings
        self.points.replace(dataset, "Open session")
        self.editor.fit_view()
        if not len(session.epochs) or not len(dataset):
            self.reset_training()
            return
        self._set_train_checked(False)
        self.history.clear()
        self.loss_plot.clear_history()
        self.params_plot.clear_history()
        self.history.append(session.epochs, session.W, session.b, session.loss, session.grad_norm)
        X, y = dataset.snapshot()
        self.training.reset(X, y, settings,
                            resume=(session.W[-1].copy(), float(session.b[-1]), int(session.epochs[-1])))
        self.last_stop = session.stop
        self._redraw()

    def _connect(self) -> None:
        c = self.controls
        c.activeClassChanged.connect(self.editor.set_active_class)
        self.editor.activeClassChanged.connect(c.set_active_class)
        c.train_button.toggled.connect(self._on_train_toggled)
        c.step_button.clicked.connect(self.step_training)
        c.reset_button.clicked.connect(self.reset_training)
        c.settingsChanged.connect(self._on_settings_changed)
        c.restartSettingsChanged.connect(self._on_restart_settings_changed)
        self.points.changed.connect(self._on_points_changed)
        self.training.batchReady.connect(self._on_batch)
        self.training.finished.connect(self._on_training_finished)
        self.training.failed.connect(self._on_training_failed)

    # -- training -----------------------------------------------------------------------------
    @Slot()
    def reset_training(self) -> None:
        """Back to epoch 0 with the chosen initialisation, on the current points."""
        self.statusBar().clearMessage()  # why the last run stopped no longer applies
        self._set_train_checked(False)
        self.history.clear()
        self.loss_plot.clear_history()
        self.params_plot.clear_history()
        self.controls.clear_state()
        self.model_unsaved = False
        self.last_stop = None
        self.trained_settings = self.controls.settings()
        if len(self.points.dataset) == 0:
            self.editor.set_parameters(None, None)
            return
        X, y = self.points.dataset.snapshot()
        self.training.reset(X, y, self.trained_settings)

    @Slot()
    def step_training(self) -> None:
        if self.training.is_running or len(self.points.dataset) == 0:
            return
        self.training.step()

    def _toggle_training(self) -> None:
        if self.controls.train_button.isEnabled():
            self.controls.train_button.toggle()

    @Slot(bool)
    def _on_train_toggled(self, on: bool) -> None:
        self._update_run_buttons()
        if on:
            self.statusBar().showMessage("Training…")
            self.last_stop = None
            self.training.start()
        else:
            self.training.pause()

    def _set_train_checked(self, on: bool) -> None:
        button = self.controls.train_button
        button.blockSignals(True)
        button.setChecked(on)
        button.setText("Pause" if on else "Train")
        button.blockSignals(False)
        self._update_run_buttons()

    def _update_run_buttons(self) -> None:
        """Train and Step need points; Step waits while training runs."""
        c = self.controls
        has_points = len(self.points.dataset) > 0
        c.train_button.setEnabled(has_points)
        c.step_button.setEnabled(has_points and not c.train_button.isChecked())
        why = "" if has_points else "Place some points first: click in the plot, or pick a data set in the Data menu"
        c.train_button.setToolTip(why or "Start or pause training (Space)")
        c.step_button.setToolTip(why or "Run exactly one epoch (S)")

    @Slot(object)
    def _on_batch(self, batch: EpochBatch) -> None:
        # Only epochs beyond those already held change the model: a session's resume batch
        # repeats its newest epoch and must not mark the session just opened as unsaved.
        held_until = int(self.history.last_epoch) if len(self.history) else 0
        if len(self.history) and batch.epochs[0] <= self.history.last_epoch:
            self.history.truncate_after(int(batch.epochs[0]) - 1)
        self.history.append(batch.epochs, batch.W, batch.b, batch.loss, batch.grad_norm)
        self._accuracy = batch.accuracy
        if batch.epochs[-1] > held_until:
            self.model_unsaved = True
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def _redraw(self) -> None:
        if not len(self.history):
            return
        h = self.history
        w, b = h.W[-1], float(h.b[-1])
        self.editor.set_parameters(w, b)
        if not self._plots_timer.isActive():
            self._plots_timer.start()
        self.controls.show_state(int(h.epochs[-1]), float(h.loss[-1]), self._accuracy, w, b,
                                 float(h.grad_norm[-1]))
        self._update_hint()

    def _redraw_plots(self) -> None:
        h = self.history
        self.loss_plot.set_history(h.epochs, h.loss)
        self.params_plot.set_history(h.epochs, h.W, h.b)

    @Slot(object)
    def _on_training_finished(self, stop: StopInfo | None) -> None:
        self._set_train_checked(False)
        if stop is not None:
            self.last_stop = stop
        if stop is None:
            self.statusBar().showMessage("Paused. Press Train (Space) to go on.")
        elif stop.kind == STOP_DIVERGED:
            self.statusBar().showMessage(stop.message)
            self._show_divergence(stop)
        elif stop.kind == STOP_CONVERGED:
            self.statusBar().showMessage(f"Converged: {stop.message}")
        elif stop.kind == STOP_MAX_EPOCHS:
            self.statusBar().showMessage(
                f"{stop.message}. Raise “max epochs” to go on, or Reset to start again.")
        else:
            self.statusBar().showMessage(stop.message)

    @Slot(str)
    def _on_training_failed(self, message: str) -> None:
        self._set_train_checked(False)
        self.statusBar().showMessage(message)

    def _show_divergence(self, stop: StopInfo) -> None:
        if self._divergence_box is None:
            self._divergence_box = QMessageBox(QMessageBox.Icon.Warning, "Training diverged", "",
                                               QMessageBox.StandardButton.Ok, self)
            self._divergence_box.setObjectName("divergenceMessage")
            self._divergence_box.setModal(False)
        self._divergence_box.setText(
            f"Gradient descent {stop.message}.\n\nThe steps were so large that the loss or the "
            f"parameters stopped being finite numbers. The last finite parameters are kept. "
            f"Lower the learning rate α (now {self.controls.settings().learning_rate:g}) and press "
            f"Reset.")
        self._divergence_box.show()

    # -- reacting to edits -------------------------------------------------------------------------
    @Slot()
    def _on_points_changed(self) -> None:
        dataset = self.points.dataset
        n0, n1 = dataset.class_counts()
        self._refresh_data_warning()
        self.status_points.setText(f"{len(dataset):,} points ({n0:,} class 0, {n1:,} class 1)")
        has_points = len(dataset) > 0
        self._update_run_buttons()
        if not has_points:
            self._set_train_checked(False)
            self.training.pause()
            self._update_hint()
            return
        X, y = dataset.snapshot()
        if len(self.history) <= 1 and not self.training.is_running:
            self.reset_training()  # nothing trained yet: epoch 0 on the new points, exactly
            return
        self.training.update_data(X, y)
        if len(self.history):
            self._accuracy = accuracy(X, y, self.history.W[-1], float(self.history.b[-1]))
            self.controls.readout["accuracy"].setText(f"{100 * self._accuracy:.1f} %")
        self._update_hint()

    @Slot()
    def _on_settings_changed(self) -> None:
        self._update_live_settings()
        self._update_hint()

    def _update_live_settings(self) -> None:
        """Hand the learning rate, λ, stop rules and speed to the trainer (they apply at the next
        epoch); standardize, the start and its seed stay as the trainer was built until Reset."""
        trained = self.trained_settings
        self.trained_settings = replace(self.controls.settings(), standardize=trained.standardize,
                                        init=trained.init, seed=trained.seed)
        self.training.update_settings(self.trained_settings)

    @Slot()
    def _on_restart_settings_changed(self) -> None:
        self._refresh_data_warning()
        self._update_hint()
        if len(self.history) <= 1 and not self.training.is_running:
            self.reset_training()
        else:
            self._update_live_settings()
            self.statusBar().showMessage("Standardization and initialisation apply when you press Reset.")

    def _update_hint(self) -> None:
        self.controls.set_hint(self._hint_text())

    def _refresh_data_warning(self) -> None:
        dataset = self.points.dataset
        self._data_warning = data_warning(dataset.X, dataset.y, self.controls.settings().standardize)

    def _hint_text(self) -> str:
        if self._data_warning:
            return self._data_warning
        trained = len(self.history) > 1
        if trained and self._accuracy == 1.0 and self.controls.settings().l2 == 0:
            return SEPARABLE_HINT
        return ""

    def _set_class(self, label: int) -> None:
        self.controls.set_active_class(label)

    def _on_log_scale(self, on: bool) -> None:
        self.loss_plot.set_log_scale(on)

    # -- export ---------------------------------------------------------------------------------------
    def current_params(self) -> TrainedParams | None:
        """The newest epoch's parameters with their context, or None before any training state."""
        if not len(self.history):
            return None
        h = self.history
        settings = self.trained_settings
        X, y = self.points.dataset.snapshot()
        w, b = h.W[-1].copy(), float(h.b[-1])
        return TrainedParams(
            weights=tuple(float(v) for v in w), bias=b,
            feature_names=tuple(self.points.dataset.feature_names), epoch=int(h.epochs[-1]),
            loss=float(h.loss[-1]), accuracy=float(accuracy(X, y, w, b)) if len(y) else 0.0,
            learning_rate=settings.learning_rate, l2=settings.l2, standardize=settings.standardize,
        )

    @Slot()
    def export_params(self) -> None:
        params = self.current_params()
        if params is None:
            self.show_error("Nothing to export yet", "Place points and press Train or Step first.")
            return
        path = self.documents.ask_save_path("Export parameters", "params.json", "Parameters (*.json *.csv)")
        if path and self.write_file(lambda: write_params(path, params), path):
            self.model_unsaved = False

    @Slot()
    def export_history(self) -> None:
        if not len(self.history):
            self.show_error("Nothing to export yet", "Place points and press Train or Step first.")
            return
        path = self.documents.ask_save_path("Export history", "history.csv", "CSV (*.csv)")
        if path:
            h = self.history
            self.write_file(lambda: write_history_csv(path, h.epochs, h.W, h.b, h.loss), path)

    @Slot()
    def export_plot(self) -> None:
        path = self.documents.ask_save_path("Export plot image", "lrviz.png", "PNG image (*.png);;SVG image (*.svg)")
        if path:
            self.write_file(lambda: save_widget_image(self.editor, path), path)

    def write_file(self, write, path: str) -> bool:
        """Run `write` (an atomic write); on failure say so and what to do. True when written."""
        try:
            write()
        except (OSError, ValueError) as error:
            self.show_error("Could not save", f"{path} was not written: {error}\n\n"
                            "Choose another folder or file name.")
            return False
        self.statusBar().showMessage(f"Saved {path}", 5000)
        self.documents.remember_folder(path)
        return True

    def show_error(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)

    # -- help --------------------------------------------------------------------------------------------
    def _show_math(self) -> None:
        QMessageBox.information(self, "The math", MATH_TEXT)

    def _show_about(self) -> None:
        QMessageBox.about(self, "About lrviz",
                          f"<b>lrviz {__version__}</b><p>A visual trainer for logistic regression: "
                          "place points, press Train, and watch gradient descent at work.</p>")

    # -- closing -----------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        # A large file still being read is given up (the points stay as they are): the
        # window must be able to close, and to ask about unsaved work, meanwhile.
        self.documents.abandon_loading()
        if not self.documents.maybe_save():
            event.ignore()
            return
        app_settings().setValue("geometry", self.saveGeometry())
        self.training.shutdown()
        super().closeEvent(event)
