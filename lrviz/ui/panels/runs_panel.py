"""The runs list: the kept runs (up to eight), each shown or hidden, renamed, or deleted.

A view of the window's RunCollection (core/run_collection.py). Each row is a kept run:
a swatch of its colour, its name (by default its settings, "momentum β=0.9, α=0.1";
double-click or F2 renames it), a check box that shows or hides its curve and path, and
a tooltip with its epochs and final loss. Delete (the key or the button) asks the window
to delete the selected run (`deleteRequested`: an undoable command there). The buttons
above the list are the window's Keep Run and Race actions.

Names are plain text everywhere (a session's names are shown, never interpreted).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lrviz.core.run_collection import MAX_KEPT_RUNS, KeptRun, RunCollection
from lrviz.ui.plain_text import tooltip
from lrviz.ui.render.run_colors import run_color

_RUN_ROLE = Qt.ItemDataRole.UserRole + 1


def _swatch(color: tuple[int, int, int]) -> QIcon:
    pixmap = QPixmap(22, 10)
    pixmap.fill(QColor(*color))
    return QIcon(pixmap)


class RunsPanel(QWidget):
    """`runsList` with the kept runs, and buttons for the actions given."""

    deleteRequested = Signal(object)  # the KeptRun to delete
    renameRefused = Signal(str)  # why a name was not taken (an empty name)

    def __init__(self, runs: RunCollection, actions: list[QAction] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsPanel")
        self._runs = runs
        self._updating = False
        buttons = QHBoxLayout()
        for action in actions or []:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("deleteRunButton")
        self.delete_button.setToolTip("Delete the selected kept run (Delete; undoable)")
        self.delete_button.clicked.connect(self._delete_selected)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        self.list = QListWidget()
        self.list.setObjectName("runsList")
        self.list.setEditTriggers(QListWidget.EditTrigger.DoubleClicked | QListWidget.EditTrigger.EditKeyPressed
                                  | QListWidget.EditTrigger.SelectedClicked)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        delete = QAction("Delete Kept Run", self.list)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self._delete_selected)
        self.list.addAction(delete)
        self.count_label = QLabel()
        self.count_label.setObjectName("runsCount")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count_label)
        # a race grows its runs ~15 times a second: their tooltips follow twice a second
        self._tooltips = QTimer(self)
        self._tooltips.setSingleShot(True)
        self._tooltips.setInterval(500)
        self._tooltips.timeout.connect(self._update_tooltips)
        runs.changed.connect(self._refill)
        runs.grown.connect(self._on_grown)
        self._refill()

    # -- what tests and the window read -----------------------------------------------------------
    def run_at(self, row: int) -> KeptRun:
        return self.list.item(row).data(_RUN_ROLE)

    def selected_run(self) -> KeptRun | None:
        item = self.list.currentItem()
        return None if item is None else item.data(_RUN_ROLE)

    # -- from the collection -------------------------------------------------------------------------
    def _refill(self) -> None:
        selected = self.selected_run()
        self._updating = True
        try:
            self.list.clear()
            for run in self._runs:
                item = QListWidgetItem(_swatch(run_color(run.color)), run.label)
                item.setData(_RUN_ROLE, run)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if run.visible else Qt.CheckState.Unchecked)
                item.setToolTip(tooltip(self._describe(run)))
                self.list.addItem(item)
                if run is selected:
                    self.list.setCurrentItem(item)
        finally:
            self._updating = False
        n = len(self._runs)
        self.count_label.setText(
            "No kept runs yet. Keep Run keeps the current run's curve and path; Race trains several "
            "optimizers from the same start." if not n else
            f"{n} of {MAX_KEPT_RUNS} runs kept. Double-click a name to rename it; the box shows or hides it.")
        self._update_buttons()

    def _on_grown(self, _run: KeptRun) -> None:
        if not self._tooltips.isActive():
            self._tooltips.start()

    def _update_tooltips(self) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setToolTip(tooltip(self._describe(item.data(_RUN_ROLE))))

    @staticmethod
    def _describe(run: KeptRun) -> str:
        history = run.history
        if not len(history):
            return run.label
        stop = f"; {run.stop.message}" if run.stop is not None else ""
        return (f"{run.label}\nepochs {history.first_epoch:,} to {history.last_epoch:,}, "
                f"final loss {float(history.loss[-1]):.6g}{stop}")

    # -- from the user ---------------------------------------------------------------------------------
    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if self._updating:
            return
        run: KeptRun = item.data(_RUN_ROLE)
        visible = item.checkState() == Qt.CheckState.Checked
        text = item.text()
        if visible != run.visible:
            self._runs.set_visible(run, visible)
        if text != run.label:
            try:
                self._runs.rename(run, text)
            except ValueError as error:
                self.renameRefused.emit(f"The name was not changed: {error}.")
                self._refill()

    def _delete_selected(self) -> None:
        run = self.selected_run()
        if run is not None:
            self.deleteRequested.emit(run)

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(self.list.currentItem() is not None)


__all__ = ["RunsPanel"]
