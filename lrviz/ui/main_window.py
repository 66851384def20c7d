"""The main window: layout, menus and the wiring of views to the window state. It relays no data.

The window state (state.py) holds the run and what is selected in it; every view binds to
it (see ARCHITECTURE in the README). The RunController trains the run in the worker
thread; documents.py opens and saves files, exports.py writes what is shown.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lrviz import __version__
from lrviz.core.dataset import IRIS_PAIRS, PRESET_NAMES, PRESET_TITLES, Dataset, default_dataset, load_iris, make_preset
from lrviz.core.formats import Session, TrainedParams
from lrviz.core.formats.kept_runs import copy_kept_run
from lrviz.core.formats.session_snapshot import SessionSnapshot
from lrviz.core.run import Run
from lrviz.core.trainer import StopInfo
from lrviz.core.wording import counted
from lrviz.ui import pyqtgraph_import  # noqa: F401  (first of the views: pyqtgraph without copying all of Qt)
from lrviz.ui.animation.export import AnimationActions
from lrviz.ui.code_exports import CodeExportActions
from lrviz.ui.documents import DocumentActions, app_settings
from lrviz.ui.editor.paste import install_paste
from lrviz.ui.editor.point_editor import PointEditor
from lrviz.ui.exports import ExportActions, shown_params
from lrviz.ui.icons import app_icon, set_run_icons, show_running
from lrviz.ui.lazy_views import landscape_dock, runs_dock, z_view_dock
from lrviz.ui.file_drop import FileDrop
from lrviz.ui.kept_runs import KeptRunsActions
from lrviz.ui.panels.controls import ControlsPanel
from lrviz.ui.panels.math_panel import MathPanel
from lrviz.ui.plain_text import ask, warn
from lrviz.ui.panels.readout import ReadoutPanel
from lrviz.ui.plots.kept_curves import KeptCurves
from lrviz.ui.plots.loss_plot import LossPlot
from lrviz.ui.plots.params_plot import ParamsPlot
from lrviz.ui.plots.timeline import Timeline
from lrviz.ui.preset_dialog import PresetDialog
from lrviz.ui.presentation import PresentationActions
from lrviz.ui.quality_views import QualityViews
from lrviz.ui.render.class_labels import class_label
from lrviz.ui.run_controller import RunController
from lrviz.ui.state import WindowState
from lrviz.ui.step_size_hints import StepSizeHints
from lrviz.ui.theme_actions import ThemeActions
from lrviz.ui.window_image import WindowImageActions


class MainWindow(QMainWindow):
    """The trainer window. `MainWindow()` opens on the built-in data set."""

    def __init__(self, dataset: Dataset | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("lrviz — logistic regression by gradient descent")
        self.setWindowIcon(app_icon())
        self.state = WindowState(dataset if dataset is not None else default_dataset(), self)
        self.controller = RunController(self.state, self)
        self.editor = PointEditor(self.state)
        self.controls = ControlsPanel(self.state)
        self.readout = ReadoutPanel(self.state)
        self.loss_plot = LossPlot(self.state)
        self.params_plot = ParamsPlot(self.state)
        self.timeline = Timeline(self.state)
        self.quality = QualityViews(self, self.state)  # split, threshold, metrics, confusion, ROC
        self._divergence_box: QMessageBox | None = None

        self._build_layout()
        self.math_panel = MathPanel(self.state, self)  # a dock beside the plots; Help ▸ The Math shows it
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.math_panel)
        self.math_panel.hide()
        self.z_view = z_view_dock(self)  # the sigmoidPlot, also beside the plots (built when first shown)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.z_view)
        self.z_view.hide()
        self.step_size_hints = StepSizeHints(self.state, self.controls.learning_rate_spin, self)
        self._build_landscape()
        self._build_actions()
        self._build_kept_runs()
        self.documents = DocumentActions(self)
        self.exports = ExportActions(self, self.state, lambda: self.editor)
        self.code_exports = CodeExportActions(self, self.state)
        self.animation_exports = AnimationActions(self, self.state, self.shown_views)
        self.window_image_exports = WindowImageActions(self, self.state, self.shown_views)
        self.theme = ThemeActions(self)
        self.presentation = PresentationActions(self, self.side_area, [self.controls.learning_rate_spin.parentWidget()])
        # a dropped file opens like File ▸ Open (the plot's viewport would take the drop itself)
        self.file_drops = [FileDrop(w, self.documents.open_path) for w in (self, self.editor.viewport())]
        self.paste_shortcut = install_paste(self.editor, self.points, self.show_error)
        self._build_menus()
        self._connect()
        self.resize(1360, 820)
        geometry = app_settings().value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._on_points_changed()
        self.reset_training()
        self.editor.fit_view()

    # -- what the views and tests reach through the window -------------------------------------
    @property
    def run(self) -> Run:
        return self.state.run

    @property
    def points(self):
        """The undoable editor of the run's points."""
        return self.state.points

    @property
    def training(self):
        """The worker thread's controller (its `finished` signal tells when a run ended)."""
        return self.controller.training

    @property
    def runs_panel(self):
        """The RunsPanel (built now if its dock was never shown)."""
        return self.runs_dock.content()

    @property
    def landscape(self):
        """The LandscapeView (built now if its dock was never shown)."""
        return self.landscape_dock.content()

    def shown_views(self) -> list[QWidget]:
        """The views a picture of the window shows: the editor, the plots and every dock shown."""
        docks = [dock.widget() for dock in self.findChildren(QDockWidget) if dock.isVisible() and dock.widget()]
        return [self.editor, self.loss_plot, self.params_plot, *docks]

    # -- construction -----------------------------------------------------------------------
    def _build_layout(self) -> None:
        side_panel = QWidget()
        side_layout = QVBoxLayout(side_panel)
        side_layout.setContentsMargins(6, 6, 6, 6)
        side_layout.addWidget(self.controls)
        side_layout.addWidget(self.readout)  # above the split: visible without scrolling at the default size
        side_layout.addWidget(self.quality.split_panel)
        side_layout.addWidget(self.quality.metrics_panel)
        side_layout.addStretch(1)
        side = QScrollArea()
        side.setWidget(side_panel)
        side.setWidgetResizable(True)
        side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side.setMinimumWidth(side_panel.sizeHint().width() + side.verticalScrollBar().sizeHint().width())
        side.setFrameShape(QScrollArea.Shape.NoFrame)
        side.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a click on a panel's button leaves the keys where they were
        self.side_area = side  # presentation mode makes it compact and keeps it wide enough

        plots = QWidget()
        plots_layout = QVBoxLayout(plots)
        plots_layout.setContentsMargins(0, 0, 0, 0)
        plots_splitter = QSplitter(Qt.Orientation.Vertical)
        plots_splitter.addWidget(self.loss_plot)
        plots_splitter.addWidget(self.params_plot)
        plots_layout.addWidget(plots_splitter, 1)
        plots_layout.addWidget(self.timeline)

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
        self.status_points.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.status_points)

    def _build_landscape(self) -> None:
        """The loss landscape in a dock beside the plots (View ▸ Loss Landscape, hidden at first)."""
        self.landscape_dock = landscape_dock(self, self._add_kept_paths)  # the LandscapeView: when first shown
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.landscape_dock)
        self.landscape_dock.hide()
        self.landscape_action = self.landscape_dock.toggleViewAction()
        self.landscape_action.setObjectName("landscapeAction")
        self.landscape_action.setText("Loss &Landscape")
        self.landscape_action.setShortcut(QKeySequence("L"))
        self.landscape_action.setStatusTip("Show the loss over two parameters, with the run's path")
        self.addAction(self.landscape_action)

    def _build_kept_runs(self) -> None:
        """Runs side by side: Keep Run and Race (kept_runs.py), the runs list in a dock (View ▸ Runs),
        the kept runs' dashed curves in the loss plot and their paths on the landscape."""
        self.kept = KeptRunsActions(self, self.state, self.controller)
        self.kept.message.connect(self.statusBar().showMessage)
        self.kept_curves = KeptCurves(self.loss_plot, self.kept.runs, self.state)
        self.kept_paths = None  # KeptPaths, made with the landscape (built when first shown)
        self._race_live = False
        if self.landscape_dock.is_built:
            self._add_kept_paths(self.landscape)
        self.log_scale_action.triggered.connect(self.kept_curves.set_log_scale)
        self.runs_dock = runs_dock(self)  # the RunsPanel: built when first shown (or asked for)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.runs_dock)
        self.runs_dock.hide()
        self.runs_action = self.runs_dock.toggleViewAction()
        self.runs_action.setObjectName("runsAction")
        self.runs_action.setText("&Runs (Kept and Raced)")
        self.kept.runs.changed.connect(self._show_runs_dock)
        self.kept.race_controller.runningChanged.connect(self._set_race_live)  # before the landscape shows
        self.kept.race_controller.runningChanged.connect(self._show_race)

    def _add_kept_paths(self, landscape) -> None:
        """The kept runs' paths on the landscape, once it exists (and the kept runs do)."""
        if self.kept_paths is not None or not hasattr(self, "kept"):
            return
        from lrviz.ui.plots.kept_paths import KeptPaths

        self.kept_paths = KeptPaths(landscape.plot, self.kept.runs, self.state)
        if self._race_live:
            self.kept_paths.set_live(True)

    def _set_race_live(self, live: bool) -> None:
        self._race_live = bool(live)
        if self.kept_paths is not None:
            self.kept_paths.set_live(live)

    def _show_runs_dock(self) -> None:
        if len(self.kept.runs) and not self.runs_dock.isVisible():
            self.runs_dock.show()

    def _show_race(self, racing: bool) -> None:
        """A race is watched on the landscape (the tutorial's three parameters only)."""
        if racing and self.run.history.n_weights == 2:
            self.landscape_dock.show()
            self.landscape_dock.raise_()
            if self.runs_dock.isVisible():  # the surface large, the list short
                self.resizeDocks([self.landscape_dock, self.runs_dock], [3, 1], Qt.Orientation.Vertical)

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
        stack = self.state.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redoAction")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([self.undo_action, self.redo_action])

        state = self.state
        make = self.make_action
        self.clear_action = make("clearAction", "C&lear Points", self.points.clear, tip="Remove every point (undoable)")
        self.fit_view_action = make("fitViewAction", "&Fit View", self.editor.fit_view, "F",
                                    "Zoom so that every point is visible")
        self.class0_action = make("class0Action", "Place Class &0", lambda: state.set_active_class(0), "1")
        self.class1_action = make("class1Action", "Place Class &1", lambda: state.set_active_class(1), "2")

        self.train_action = make("trainAction", "&Train / Pause", self._toggle_training, "Space",
                                 "Start or pause gradient descent")
        self.step_action = make("stepAction", "&Step One Epoch", self.step_training, "S")
        self.reset_action = make("resetAction", "&Reset to Epoch 0", self.reset_training, "R")
        self.train_from_here_action = make(
            "trainFromHereAction", "Train From &Here", self.train_from_here, "Ctrl+T",
            "Discard the epochs after the shown one and go on training from it (undoable)")
        self.log_scale_action = make("logScaleAction", "&Log-Scale Loss", self.loss_plot.set_log_scale,
                                     tip="Show the loss on a log axis")
        self.log_scale_action.setCheckable(True)
        self.per_point_loss_action = make("perPointLossAction", "Point Halos by &Loss", self.editor.pulls.set_loss_halos,
                                          tip="A halo around each point, the larger the higher its loss (2-2)")
        self.per_point_loss_action.setCheckable(True)
        self.gradient_arrows_action = make("gradientArrowsAction", "&Gradient Arrows", self.editor.pulls.set_arrows,
                                           tip="Each point's pull on w, −(ŷᵢ − yᵢ)·xᵢ, as a short arrow (3-7)")
        self.gradient_arrows_action.setCheckable(True)

        self.follow_latest_action = make("followLatestAction", "&Follow Training", state.set_follow_latest,
                                         tip="Show the newest epoch as training goes on (End)")
        self.follow_latest_action.setCheckable(True)
        self.follow_latest_action.setChecked(True)
        self.previous_epoch_action = make("previousEpochAction", "Previous Epoch", lambda: state.step_epoch(-1),
                                          "Left")
        self.next_epoch_action = make("nextEpochAction", "Next Epoch", lambda: state.step_epoch(1), "Right")
        self.page_back_action = make("pageBackAction", "Back a Tenth of the Run",
                                     lambda: state.step_epoch(-self._page()), "PgUp")
        self.page_forward_action = make("pageForwardAction", "Forward a Tenth of the Run",
                                        lambda: state.step_epoch(self._page()), "PgDown")
        self.first_epoch_action = make("firstEpochAction", "First Epoch",
                                       lambda: state.select_epoch(self.run.history.first_epoch), "Home")
        self.newest_epoch_action = make("newestEpochAction", "Newest Epoch (Follow)",
                                        lambda: state.set_follow_latest(True), "End")

        self.quit_action = make("quitAction", "&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.math_action = make("mathAction", "The &Math…", self._show_math, "F1")
        self.copy_math_action = make("copyMathAction", "Copy the Math as LaTeX",
                                     lambda: QApplication.clipboard().setText(self.math_panel.latex()))
        self.copy_math_text_action = make("copyMathTextAction", "Copy the Math as Text",
                                          lambda: QApplication.clipboard().setText(self.math_panel.plain_text()))
        self.math_panel_action = self.math_panel.toggleViewAction()
        self.math_panel_action.setObjectName("mathPanelAction")
        self.math_panel_action.setText("The &Math Panel")
        self.z_view_action = self.z_view.toggleViewAction()
        self.z_view_action.setObjectName("zViewAction")
        self.z_view_action.setText("The &z View (σ of every point)")
        self.about_action = make("aboutAction", "&About lrviz", self._show_about)

    def _page(self) -> int:
        history = self.run.history
        return max(1, round((history.last_epoch - history.first_epoch) / 10))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        d, e = self.documents, self.exports
        self.file_menu.addActions([d.new_action, d.open_data_action])
        self.file_menu.addMenu(d.recent_menu)
        self.file_menu.addActions([d.save_data_action, d.save_data_as_action])
        self.file_menu.addSeparator()
        self.file_menu.addActions([d.open_session_action, d.save_session_action])
        self.file_menu.addSeparator()
        self.file_menu.addActions([e.export_params_action, e.export_history_action, e.export_plot_action])
        self.file_menu.addActions([self.window_image_exports.export_window_image_action,
                                   self.animation_exports.export_animation_action,
                                   self.code_exports.export_script_action, self.code_exports.export_notebook_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addActions([self.class0_action, self.class1_action, self.clear_action])
        edit.addSeparator()
        edit.addActions([self.copy_math_action, self.copy_math_text_action])
        edit.addAction(self.quality.toggle_split_action)
        self.data_menu = bar.addMenu("&Data")
        self._build_data_menu()
        view = bar.addMenu("&View")
        view.addActions([self.fit_view_action, self.log_scale_action])
        view.addActions([self.landscape_action, self.quality.dock_action])
        view.addAction(self.runs_action)
        view.addSeparator()
        view.addActions([self.math_panel_action, self.z_view_action])
        view.addActions([self.per_point_loss_action, self.gradient_arrows_action])
        view.addSeparator()
        p = self.presentation
        view.addActions([p.presentation_action, p.zoom_in_action, p.zoom_out_action, p.zoom_reset_action])
        view.addMenu(self.theme.menu)
        view.addSeparator()
        view.addActions([self.follow_latest_action, self.previous_epoch_action, self.next_epoch_action,
                         self.page_back_action, self.page_forward_action, self.first_epoch_action,
                         self.newest_epoch_action])
        train = bar.addMenu("&Train")
        train.addActions([self.train_action, self.step_action, self.reset_action, self.train_from_here_action])
        train.addSeparator()
        train.addActions([self.kept.keep_run_action, self.kept.race_action])
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

    def _connect(self) -> None:
        c, state = self.controls, self.state
        set_run_icons(c.train_button, c.step_button, c.reset_button, False)
        self.theme.changed.connect(lambda: set_run_icons(c.train_button, c.step_button, c.reset_button,
                                                         self.controller.is_running))
        self.theme.changed.connect(lambda: c.show_theme(self.theme.theme.palette_dark))
        c.show_theme(self.theme.theme.palette_dark)
        c.train_button.toggled.connect(self._on_train_toggled)
        c.step_button.clicked.connect(self.step_training)
        c.reset_button.clicked.connect(self.reset_training)
        c.settingsChanged.connect(lambda: self.controller.apply_live_settings(c.settings()))
        c.restartSettingsChanged.connect(lambda: self.controller.apply_restart_settings(c.settings()))
        c.fieldDone.connect(self.editor.setFocus)  # Space, S and R work again after Enter in a field
        c.valueRefused.connect(self._say_refused)
        c.watch_fields(self.quality.split_panel.test_share_spin, self.quality.split_panel.split_seed_spin)
        self.controller.runningChanged.connect(self._show_running)
        self.controller.message.connect(self.statusBar().showMessage)
        self.controller.diverged.connect(self._show_divergence)
        state.followChanged.connect(self._show_follow)
        state.shownEpochChanged.connect(lambda _epoch: self._update_train_from_here())
        self.run.events.points.connect(self._on_points_changed)
        self.run.events.history.connect(self._update_train_from_here)

    # -- data ------------------------------------------------------------------------------------
    def _ask_preset(self, name: str) -> None:
        """One dialog: the set's size, and (after unsaved training) save first or discard."""
        choice = PresetDialog.ask(PRESET_TITLES[name], self, unsaved=self.has_unsaved_changes())
        if choice is None or (choice.save_first and not self.documents.save_session()):
            return
        self.load_preset(name, choice.n_points, choice.noise, choice.seed, asked=True)

    def load_preset(self, name: str, n_points: int = 200, noise: float = 0.1, seed: int = 0,
                    asked: bool = False) -> bool:
        """Replace the points by a generated set (undoable); False if the user cancelled.

        The points could be undone, but the reset loses a trained model: ask first, like Open
        (unless `asked`: the caller just did).
        """
        if not asked and not self.documents.maybe_save():
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
        self.state.undo_stack.setClean()
        self.documents.data_path = None

    def replace_points(self, dataset: Dataset, text: str) -> None:
        """New points (undoable), a fresh epoch 0 on them, and a view that shows them all."""
        self.points.replace(self.quality.prepared(dataset), text)
        self.reset_training()
        self.editor.fit_view()

    # -- sessions --------------------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        return self.state.has_unsaved_changes()

    def mark_saved(self) -> None:
        self.state.mark_saved()

    def session(self) -> Session:
        """Everything needed to reopen this window as it is now, the shown epoch included."""
        selected = None if self.state.follow_latest else self.state.shown_epoch
        kept = tuple(copy_kept_run(run) for run in self.kept.runs)
        return dataclasses.replace(Session.from_run(self.run, selected_epoch=selected), kept_runs=kept)

    def session_snapshot(self) -> SessionSnapshot:
        """This window as it is now, taken at once (the histories shared, not copied): what Save
        Session writes, its Session made off the GUI thread (core/formats/session_snapshot.py)."""
        selected = None if self.state.follow_latest else self.state.shown_epoch
        return SessionSnapshot(self.run, selected, tuple(self.kept.runs))

    def restore_session(self, session: Session, opened: Run | None = None) -> None:
        """Show a saved session: its points, settings, history and shown epoch; training goes on
        from its newest epoch. It is a new document: the undo history starts afresh.
        `opened`: the session's `to_run()` when the reading thread made it already."""
        opened = session.to_run() if opened is None else opened
        self.controller.pause()
        self.controls.apply_settings(opened.settings)
        self.kept.stop_race()
        self.kept.runs.replace_all([copy_kept_run(run) for run in session.kept_runs])
        with self.run.events.points.blocked():  # no reset: the session's history is kept as it is
            self.run.take(opened, adopt=True)  # `opened` is this call's own: no copy of its history
        self.state.select_point(None)
        self.state.undo_stack.clear()
        self.points.changed.emit()
        self._on_points_changed()
        self.editor.fit_view()
        if len(self.run.history) and len(self.run.points):
            self.controller.resume_newest()
        elif len(self.run.points):
            self.controller.reset(opened.settings)
        if session.selected_epoch is None:
            self.state.set_follow_latest(True)
        else:
            self.state.select_epoch(session.selected_epoch)
        self.state.model_unsaved = False

    def current_params(self) -> TrainedParams | None:
        """The shown epoch's parameters, as Export Parameters writes them."""
        return shown_params(self.state)

    # -- training -----------------------------------------------------------------------------
    @Slot()
    def reset_training(self) -> None:
        """Back to epoch 0 with the settings the controls show, on the current points."""
        self.statusBar().clearMessage()  # why the last run stopped no longer applies
        self.controller.reset(self.controls.settings())

    @Slot()
    def step_training(self) -> None:
        self.controller.step()

    def _toggle_training(self) -> None:
        if self.controls.train_button.isEnabled():
            self.controls.train_button.toggle()

    @Slot(bool)
    def _on_train_toggled(self, on: bool) -> None:
        if on:
            self.statusBar().showMessage("Training…")
            self.controller.start()
            if not self.controller.is_running:
                self._show_running(False)
        else:
            self.controller.pause()
        self._update_run_buttons()

    def train_from_here(self) -> None:
        """Go on training from the shown epoch, after asking to discard the epochs after it."""
        epoch, history = self.state.shown_epoch, self.run.history
        if epoch is None or epoch >= history.last_epoch:
            self.statusBar().showMessage("The shown epoch is the newest: press Train to go on.", 5000)
            return
        dropped = history.last_epoch - epoch
        answer = ask(
            self, "Train from here",
            f"Discard the {counted(dropped, 'epoch')} after epoch {epoch:,} and train on from it?\n\n"
            "Undo (Ctrl+Z) brings them back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.controller.apply_live_settings(self.controls.settings())
        if self.controller.train_from(epoch):
            self.state.set_follow_latest(True)
            self.controls.train_button.setChecked(True)

    def _show_running(self, running: bool) -> None:
        button = self.controls.train_button
        button.blockSignals(True)
        button.setChecked(running)
        button.setText("Pause" if running else "Train")
        show_running(button, running)
        button.blockSignals(False)
        self._update_run_buttons()

    def _update_run_buttons(self) -> None:
        """Train and Step need points; Step waits while training runs."""
        c = self.controls
        has_points = len(self.run.points) > 0
        c.train_button.setEnabled(has_points)
        c.step_button.setEnabled(has_points and not c.train_button.isChecked())
        why = "" if has_points else "Place some points first: click in the plot, or pick a data set in the Data menu"
        c.train_button.setToolTip(why or "Start or pause training (Space)")
        c.step_button.setToolTip(why or "Run exactly one epoch (S)")

    def _update_train_from_here(self) -> None:
        shown, history = self.state.shown_epoch, self.run.history
        self.train_from_here_action.setEnabled(shown is not None and shown < history.last_epoch)

    def _say_refused(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)  # the field shows it as a tooltip too

    def _show_follow(self, on: bool) -> None:
        self.follow_latest_action.blockSignals(True)
        self.follow_latest_action.setChecked(on)
        self.follow_latest_action.blockSignals(False)

    def _show_divergence(self, stop: StopInfo) -> None:
        if self._divergence_box is None:
            self._divergence_box = QMessageBox(QMessageBox.Icon.Warning, "Training diverged", "",
                                               QMessageBox.StandardButton.Ok, self)
            self._divergence_box.setObjectName("divergenceMessage")
            self._divergence_box.setTextFormat(Qt.TextFormat.PlainText)
            self._divergence_box.setModal(False)
        self._divergence_box.setText(
            f"Gradient descent {stop.message}.\n\nThe steps were so large that the loss or the "
            f"parameters stopped being finite numbers. The last finite parameters are kept. "
            f"Lower the learning rate α (now {self.run.settings.learning_rate:g}) and press Reset.")
        self._divergence_box.show()

    def _on_points_changed(self, *_revision) -> None:
        dataset = self.run.points
        n0, n1 = dataset.class_counts()
        self.status_points.setText(f"{counted(len(dataset), 'point')} ({n0:,} {class_label(dataset, 0)}, "
                                   f"{n1:,} {class_label(dataset, 1)})")
        if not len(dataset):
            self._show_running(False)
        self._update_run_buttons()

    # -- file helpers the documents and exports use ----------------------------------------------
    def write_file(self, write, path: str) -> bool:
        """Run `write` (an atomic write); on failure say so and what to do. True when written."""
        try:
            with self.theme.for_export(path):  # images in the light theme unless asked
                write()
        except (OSError, ValueError) as error:
            self.show_error("Could not save", f"{path} was not written: {error}\n\n"
                            "Choose another folder or file name.")
            return False
        self.statusBar().showMessage(f"Saved {path}", 5000)
        self.documents.remember_folder(path)
        return True

    def show_error(self, title: str, text: str) -> None:
        warn(self, title, text)

    # -- help --------------------------------------------------------------------------------------------
    def _show_math(self) -> None:
        """The math panel, shown and in front (undocked or tabbed, wherever the user put it)."""
        self.math_panel.show()
        self.math_panel.raise_()

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
        self.presentation.set_presenting(False)  # the geometry saved is the normal window's
        app_settings().setValue("geometry", self.saveGeometry())
        self.animation_exports.shutdown()
        self.controller.shutdown()
        self.kept.shutdown()
        super().closeEvent(event)
