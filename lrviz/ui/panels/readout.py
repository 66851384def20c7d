"""The read-out of the shown epoch: its number, loss, accuracy, w, b, gradient norm, α and λ,
and a plain-language hint about the points.

A view of the window state: it redraws at every frame from the shown epoch's history row,
and its accuracy is computed on the points that epoch was trained on (its data revision),
so a past epoch reads exactly as it was. With no points or no history it shows dashes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from lrviz.core.diagnostics import SEPARABLE_HINT, data_warning
from lrviz.core.mapped_cache import MappedCache
from lrviz.core.model import accuracy
from lrviz.core.model_trainer import mapped
from lrviz.ui.latest_in_thread import BACKGROUND_POINTS, LatestInThread
from lrviz.ui.panels.vector_text import WIDEST_VALUES, named_values, values_per_row, vector_lines
from lrviz.ui.plain_text import excerpt, tooltip
from lrviz.ui.render.class_labels import class_label
from lrviz.ui.render.framed_box import FramedBox
from lrviz.ui.render.steady_label import SteadyLabel
from lrviz.ui.state import WindowState

_ROWS = (
    ("epoch", "epoch", "Number of full-batch gradient steps taken to reach the shown parameters"),
    ("loss", "loss L (2-1)", "Mean cross-entropy (2-1), plus (λ/2)‖w‖² when λ > 0"),
    ("accuracy", "accuracy", "Share of the training points with ŷ ≥ 0.5 exactly when their label is 1"),
    ("w", "w (4-2)", "Weights, for the points as placed: z = w·x + b"),
    ("b", "b (4-3)", "Bias"),
    ("grad", "‖gradient‖", "√(‖∂L/∂w‖² + (∂L/∂b)²), from (3-8) and (3-10)"),
    ("rates", "α, λ", "The learning rate of the update that reached this epoch, and λ of its loss"),
)


class ReadoutPanel(FramedBox):  # its frame a cached pixmap (render/framed_box.py)
    """The numbers of the shown epoch; `readout[key]` are the value labels."""

    def __init__(self, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__("Shown epoch", parent)
        self.setObjectName("readoutPanel")
        self._state = state
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        self.readout: dict[str, QLabel] = {}
        for key, title, tip in _ROWS:
            value = SteadyLabel("–")  # the numbers change at every step: no relayout of the window
            value.setObjectName(f"readout_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setToolTip(tip)
            caption = QLabel(title)
            caption.setToolTip(tip)
            form.addRow(caption, value)
            self.readout[key] = value
        self.hint_label = QLabel("")
        self.hint_label.setObjectName("hintLabel")
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet("color: #8a4b00;")
        self.hint_label.setVisible(False)
        outer.addWidget(self.hint_label)
        self._accuracy_key: tuple | None = None
        self._accuracy = 0.0
        self._mapped = MappedCache()  # φ of the points, kept while they stay (each epoch maps the same)
        self._accuracy_wanted: tuple | None = None  # the key a thread computes the accuracy of
        self._accuracy_thread = LatestInThread(self._take_accuracy, "lrviz-accuracy", self)
        self._warning_key: tuple | None = None
        self._warning = ""
        self._w_tip = ""  # what w means; its tooltip adds the shown values, one named row each
        self._w_shape: tuple[int, int] | None = None  # (values, rows) the w label was fitted to
        self._w_width = 0.0  # the width the rows of w were fitted to
        self._w_per_row: tuple[tuple, int] = ((), 0)  # ((values, width, font), values a row): measured once
        self._w_shown_tip = ""
        state.points.changed.connect(self._show_class_names)
        self._show_class_names()
        state.clock.frame.connect(self._on_frame)
        state.clock.slowFrame.connect(self._on_slow_frame)
        self.refresh()

    def _show_class_names(self, *_revision) -> None:
        """The accuracy and w say which class is which (ŷ is the chance of class 1: versicolor)."""
        points = self._state.points.dataset
        c0, c1 = (excerpt(class_label(points, k), 60) for k in (0, 1))
        self.readout["accuracy"].setToolTip(tooltip(
            f"Share of the training points classified right: ŷ = P({c1}) ≥ 0.5 exactly when the point is {c1}, "
            f"below 0.5 when it is {c0}"))
        self._w_tip = f"Weights, for the points as placed: z = w·x + b; w points from {c0} toward {c1}"
        self._w_shown_tip = tooltip(self._w_tip)
        self.readout["w"].setToolTip(self._w_shown_tip)
        self._w_shape = None  # the values join the tooltip at the next refresh

    def _at_every_frame(self) -> bool:
        """A selected epoch reads out at once; while following training, the numbers change
        at the slow rate (10 a second, like the plots), which leaves the GIL to training."""
        return not self._state.follow_latest or not len(self._state.run.history) > 1

    def _on_frame(self) -> None:
        if self._at_every_frame():
            self.refresh()

    def _on_slow_frame(self) -> None:
        # Every change asks for a frame before its slow frame: drawn at the frame, it is not again.
        if not self._at_every_frame():
            self.refresh()

    def refresh(self) -> None:
        state = self._state
        epoch = state.explained_epoch()
        row = None if epoch is None else state.run.row(epoch)
        if row is None:
            for label in self.readout.values():
                label.setText("–")
            if self._w_shape is not None:
                self._w_shape = None
                self.readout["w"].refit()
                self._w_shown_tip = tooltip(self._w_tip)
                self.readout["w"].setToolTip(self._w_shown_tip)
            self._show_hint(self._data_warning())
            return
        history = state.run.history
        title = "Shown epoch" if state.follow_latest else f"Shown epoch (newest: {history.last_epoch:,})"
        if self.title() != title:
            self.setTitle(title)
        self.readout["epoch"].setText(f"{row.epoch:,}")
        self.readout["loss"].setText(f"{row.loss:.6g}")
        shown_accuracy = self.accuracy_of(row)
        self.readout["accuracy"].setText("…" if shown_accuracy is None else f"{100 * shown_accuracy:.1f} %")
        self._show_w(row.w, history.names)
        self.readout["b"].setText(f"{row.b:.4g}")
        self.readout["grad"].setText(f"{row.grad_norm:.3g}")
        self.readout["rates"].setText(f"{row.learning_rate:g}, {row.l2:g}")
        hint = self._data_warning()
        if not hint and len(history) > 1 and self._accuracy == 1.0 and state.run.settings.l2 == 0:
            hint = SEPARABLE_HINT
        self._show_hint(hint)

    def _show_w(self, w, names: tuple[str, ...]) -> None:
        """w as "(w1, w2, …)" in rows as wide as the panel (vector_text.py: ten or twenty weights on
        one line pushed the side panel's right edge out of the window); the tooltip names each."""
        label = self.readout["w"]
        texts = [f"{v:.4g}" for v in w]
        self._w_width = self._value_width()
        advance = label.fontMetrics().horizontalAdvance
        key = (len(texts), self._w_width, label.font().key())
        if self._w_per_row[0] != key:
            self._w_per_row = (key, values_per_row(len(texts), advance, self._w_width))
        lines = vector_lines(texts, advance, self._w_width, self._w_per_row[1])
        label.setText("\n".join(lines))
        if self._w_shape != (len(texts), len(lines)):
            self._w_shape = (len(texts), len(lines))
            label.refit()  # fewer rows or values than before: smaller
        if len(names) < len(texts):
            names = tuple(f"w{k + 1}" for k in range(len(texts)))
        tip = tooltip(f"{self._w_tip}\n\n{named_values(names[:len(texts)], texts)}")
        if tip != self._w_shown_tip:
            self._w_shown_tip = tip
            label.setToolTip(tip)

    def _value_width(self) -> float:
        """The width the value column has (the panel's, less the captions), or, before the panel
        is laid out, that of two values (one row at degree 1; more rows than later, never wider)."""
        label = self.readout["w"]
        if label.x() <= 0:
            return label.fontMetrics().horizontalAdvance("(" + ", ".join(WIDEST_VALUES[:1] * 2) + ",") + 1.0
        right = self.contentsRect().right() + 1 - self.layout().contentsMargins().right()
        return float(right - label.x() - 2)  # 2: the label's rounding

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self._w_shape is not None and self._value_width() != self._w_width:
            self.refresh()  # the rows of w for the new width

    def accuracy_of(self, row) -> float | None:
        """Accuracy of the row's parameters on the points of its data revision (cached); None
        while a thread computes it (from BACKGROUND_POINTS points: then it shows when done)."""
        key = (id(self._state.run.history), row.epoch, row.data_revision, float(row.loss))
        if key != self._accuracy_key:
            points = self._state.run.points_at(row.data_revision)
            settings = self._state.run.settings
            if len(points.y) >= BACKGROUND_POINTS:  # a thread maps afresh: the cache is the GUI thread's
                if key != self._accuracy_wanted:
                    self._accuracy_wanted = key
                    self._accuracy_thread.submit(lambda: (key, _train_accuracy(points, settings, row, mapped)))
                return None
            self._accuracy = _train_accuracy(points, settings, row, self._mapped.get)
            self._accuracy_key = key
        return self._accuracy

    def _take_accuracy(self, result) -> None:
        if isinstance(result, Exception):
            raise result  # as if it had been computed here
        key, value = result
        if key == self._accuracy_wanted:
            self._accuracy, self._accuracy_key = value, key
            self.refresh()

    def _data_warning(self) -> str:
        run = self._state.run
        key = (run.revision, run.settings.standardize)
        if key != self._warning_key:
            self._warning_key = key
            points = run.points
            self._warning = data_warning(points.X, points.y, run.settings.standardize,
                                         points.bounds() if len(points) else None)
        return self._warning

    def _show_hint(self, text: str) -> None:
        if self.hint_label.text() != text:
            self.hint_label.setText(text)
        self.hint_label.setVisible(bool(text))


def _train_accuracy(points, settings, row, phi_of) -> float:
    """The accuracy (z ≥ 0) of the row's (w, b) on a snapshot's training points (0.0 without any);
    `phi_of(X, settings)` maps them (`mapped`, or a MappedCache's `get` on the GUI thread)."""
    if not len(points.train_y):
        return 0.0
    return accuracy(phi_of(points.train_X, settings), points.train_y, row.w, row.b)
