"""The metrics box: how good the shown epoch's model is on the training and on the test points.

Loss (the mean cross-entropy (2-1), without the λ penalty, so both columns compare),
accuracy, precision, recall and F1 of class 1, the count of each class, and the ROC area,
at the state's threshold. What is undefined (no test points, one class, nothing predicted
class 1) reads "–" and a note below says why.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from lrviz.core.metrics import ModelMetrics, SetMetrics
from lrviz.ui.plain_text import excerpt
from lrviz.ui.render.class_labels import class_label
from lrviz.ui.render.framed_box import FramedBox
from lrviz.ui.render.steady_label import SteadyLabel
from lrviz.ui.shown_metrics import ShownMetrics
from lrviz.ui.state import WindowState

_ROWS = (
    ("points", "points (class 0 + 1)", "How many points of each class the set holds"),
    ("loss", "loss (2-1)", "Mean cross-entropy (2-1) of the set's points, without the λ penalty"),
    ("accuracy", "accuracy", "Share of points whose predicted class (ŷ ≥ t: class 1) is their label"),
    ("precision", "precision", "Of the points predicted class 1, the share that are class 1: TP / (TP + FP)"),
    ("recall", "recall", "Of the points of class 1, the share predicted class 1: TP / (TP + FN)"),
    ("f1", "F1", "2 · precision · recall / (precision + recall)"),
)
SETS = ("train", "test")
_NAME_CHARS = 20  # a longer class name is cut in a caption


def _share(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


class MetricsPanel(FramedBox):  # its frame a cached pixmap (render/framed_box.py)
    """`values[(row, set)]` are the value labels; `notes_label` says what is undefined and why."""

    def __init__(self, state: WindowState, source: ShownMetrics, parent: QWidget | None = None) -> None:
        super().__init__("Model quality (threshold 0.5)", parent)
        self.setObjectName("metricsPanel")
        self._state, self._source = state, source
        outer = QVBoxLayout(self)
        grid = QGridLayout()
        outer.addLayout(grid)
        for column, title in enumerate(("training", "test"), start=1):
            header = QLabel(title)
            header.setTextFormat(Qt.TextFormat.PlainText)
            bold = header.font()
            bold.setBold(True)
            header.setFont(bold)
            header.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(header, 0, column)
        self.values: dict[tuple[str, str], QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for line, (key, title, tip) in enumerate(_ROWS, start=1):
            caption = QLabel(title)
            caption.setObjectName(f"metrics_{key}_caption")
            caption.setTextFormat(Qt.TextFormat.PlainText)  # it may hold a class name from a file
            caption.setToolTip(tip)
            grid.addWidget(caption, line, 0)
            self.captions[key] = caption
            for column, which in enumerate(SETS, start=1):
                value = SteadyLabel("–")  # changes with the shown epoch: no relayout of the window
                value.setObjectName(f"metrics_{key}_{which}")
                value.setAlignment(Qt.AlignmentFlag.AlignRight)
                value.setToolTip(tip)
                grid.addWidget(value, line, column, Qt.AlignmentFlag.AlignRight)  # fixed size: keep it right
                self.values[(key, which)] = value
        self.auc_label = QLabel("–")
        self.auc_label.setObjectName("metrics_auc")
        self.auc_label.setTextFormat(Qt.TextFormat.PlainText)
        self.auc_label.setToolTip("Area under the ROC curve: the chance that a random class-1 point gets a "
                                  "higher ŷ than a random class-0 point (1: perfect, 0.5: guessing)")
        outer.addWidget(self.auc_label)
        self.notes_label = QLabel("")
        self.notes_label.setObjectName("metricsNotes")
        self.notes_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color: #555555;")
        outer.addWidget(self.notes_label)
        self._drawn_key: tuple | None = None
        state.points.changed.connect(self._show_class_names)
        self._show_class_names()
        state.clock.frame.connect(self._on_frame)
        state.clock.slowFrame.connect(self.refresh)
        self.refresh()

    def _show_class_names(self, *_revision) -> None:
        """Counts, precision, recall and F1 say which class they are of (setosa, or class 1)."""
        points = self._state.points.dataset
        c0, c1 = (excerpt(class_label(points, k), _NAME_CHARS) for k in (0, 1))
        self.captions["points"].setText(f"points ({c0} + {c1})")
        for key in ("precision", "recall", "f1"):
            self.captions[key].setText(f"{dict((k, t) for k, t, _ in _ROWS)[key]} ({c1})")

    def _on_frame(self) -> None:
        if self._source.redraw_at_frame(self._drawn_key):
            self.refresh()

    def refresh(self) -> None:
        key = self._source.key()
        if key == self._drawn_key:
            return
        metrics = self._source.metrics()
        self._drawn_key = self._source.drawn_key(metrics, key)
        title = f"Model quality (threshold {self._state.threshold:.3g})"
        if self.title() != title:
            self.setTitle(title)
        if metrics is None:
            for label in self.values.values():
                label.setText("–")
            self.auc_label.setText("AUC –")
            self.notes_label.setText("")
            return
        for which, part in zip(SETS, (metrics.train, metrics.test)):
            self._show_set(which, part)
        roc = metrics.roc
        self.auc_label.setText(f"AUC ({roc.source} points) " + ("–" if roc.auc is None else f"{roc.auc:.4f}"))
        self.notes_label.setText(self._notes(metrics))

    def _show_set(self, which: str, part: SetMetrics) -> None:
        n0, n1 = part.class_counts
        texts = {
            "points": f"{n0:,} + {n1:,}",
            "loss": "–" if part.loss is None else f"{part.loss:.5g}",
            "accuracy": _share(part.accuracy),
            "precision": _share(part.precision),
            "recall": _share(part.recall),
            "f1": _share(part.f1),
        }
        for key, text in texts.items():
            self.values[(key, which)].setText(text)

    @staticmethod
    def _notes(metrics: ModelMetrics) -> str:
        notes = list(metrics.notes) + list(metrics.train.notes)
        notes += [n for n in metrics.test.notes if not (metrics.notes and n.startswith("there are no test"))]
        if metrics.roc.note:
            notes.append(metrics.roc.note)
        return "\n".join(f"• {n[:1].upper() + n[1:]}." for n in notes)
