"""Kept runs: finished (or racing) runs kept beside the current one, to compare their curves.

No Qt. A `KeptRun` is a snapshot of one run: its settings, its whole history (θ, the
full-data loss of every epoch, α, λ, data revision), why it stopped, a label (by default
naming its settings, "momentum β=0.9, α=0.1"), a colour index and whether it is shown.
A `RunCollection` holds up to `MAX_KEPT_RUNS` of them and announces every change:

    changed()        a run was added, removed, renamed, shown or hidden
    grown(kept_run)  epochs were appended to a kept run (a race in progress)

The window's loss plot and landscape draw the shown runs; sessions save them all
(formats/kept_runs.py). Colours are indices (0 … MAX_KEPT_RUNS − 1), the first one free,
so that a run keeps its colour when another is deleted.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from lrviz.core.events import Event
from lrviz.core.history import RunHistory
from lrviz.core.settings import TrainingSettings
from lrviz.core.trainer import StopInfo

MAX_KEPT_RUNS = 8
MAX_LABEL_CHARS = 200

OPTIMIZER_TITLES = {"gd": "gradient descent", "sgd": "mini-batch SGD", "momentum": "momentum",
                    "nesterov": "Nesterov momentum", "adam": "Adam", "newton": "Newton's method"}


def describe_settings(settings: TrainingSettings) -> str:
    """A short name of a run's settings for a legend: "momentum β=0.9, α=0.1"."""
    name = OPTIMIZER_TITLES.get(settings.optimizer, settings.optimizer)
    hyper = {"sgd": [f"batch {settings.batch_size}"],
             "momentum": [f"β={settings.momentum:g}"], "nesterov": [f"β={settings.momentum:g}"],
             "adam": [f"β₁={settings.beta1:g}", f"β₂={settings.beta2:g}"]}.get(settings.optimizer, [])
    head = f"{name} {', '.join(hyper)}" if hyper else name
    parts = [head, f"α={settings.learning_rate:g}"]
    if settings.l2:
        parts.append(f"λ={settings.l2:g}")
    if settings.degree > 1 or settings.sin:
        parts.append(f"degree {settings.degree}" + (" + sin" if settings.sin else ""))
    if settings.standardize:
        parts.append("standardized")
    return ", ".join(parts)


def checked_label(label: object) -> str:
    """A label as plain one-line text of at most MAX_LABEL_CHARS; ValueError when empty."""
    if not isinstance(label, str):
        raise ValueError(f"a run's name must be text, not {type(label).__name__}")  # noqa: TRY004 (bad data: a reader reports ValueError)
    text = " ".join(label.split())
    if not text:
        raise ValueError("a run's name must not be empty")
    return text[:MAX_LABEL_CHARS]


class KeptRun:
    """One kept run. Change its label and visibility through the RunCollection (it announces them)."""

    def __init__(self, settings: TrainingSettings, history: RunHistory, label: str | None = None,
                 color: int = 0, visible: bool = True, stop: StopInfo | None = None) -> None:
        if not isinstance(settings, TrainingSettings):
            raise ValueError("a kept run's settings must be TrainingSettings")  # noqa: TRY004 (bad data: a reader reports ValueError)
        if not isinstance(history, RunHistory):
            raise ValueError("a kept run's history must be a RunHistory")  # noqa: TRY004 (bad data: a reader reports ValueError)
        if isinstance(color, bool) or not isinstance(color, (int, np.integer)) or not 0 <= color < MAX_KEPT_RUNS:
            raise ValueError(f"a kept run's colour must be a whole number from 0 to {MAX_KEPT_RUNS - 1}")
        self.settings = settings
        self.history = history
        self.label = checked_label(describe_settings(settings) if label is None else label)
        self.color = int(color)
        self.visible = bool(visible)
        self.stop = stop

    @property
    def start(self) -> np.ndarray:
        """θ of the first epoch (w…, b), or an empty array without epochs."""
        return self.history.theta[0].copy() if len(self.history) else np.empty(0)

    def __repr__(self) -> str:
        return f"KeptRun({self.label!r}, {len(self.history)} epochs, colour {self.color})"


class RunCollection:
    """Up to MAX_KEPT_RUNS kept runs, in the order they were kept."""

    def __init__(self) -> None:
        self._runs: list[KeptRun] = []
        self.changed = Event("changed")
        self.grown = Event("grown")

    def __len__(self) -> int:
        return len(self._runs)

    def __iter__(self) -> Iterator[KeptRun]:
        return iter(list(self._runs))

    def __getitem__(self, index: int) -> KeptRun:
        return self._runs[index]

    def index(self, run: KeptRun) -> int:
        return next(i for i, kept in enumerate(self._runs) if kept is run)

    @property
    def is_full(self) -> bool:
        return len(self._runs) >= MAX_KEPT_RUNS

    def visible(self) -> list[KeptRun]:
        return [run for run in self._runs if run.visible]

    def free_color(self) -> int:
        """The smallest colour index no kept run has (0 when all are taken, which cannot be: ≤ 8 runs)."""
        used = {run.color for run in self._runs}
        return next((c for c in range(MAX_KEPT_RUNS) if c not in used), 0)

    def keep(self, settings: TrainingSettings, history: RunHistory, label: str | None = None,
             stop: StopInfo | None = None) -> KeptRun:
        """Keep a copy of `history` with its settings, in the first free colour; ValueError when full."""
        run = KeptRun(settings, history.copy(), label, self.free_color(), True, stop)
        self.add(run)
        return run

    def add(self, run: KeptRun, index: int | None = None) -> None:
        """Add a KeptRun as it is (a session's, or one an undo puts back); ValueError when full."""
        if self.is_full:
            raise ValueError(f"at most {MAX_KEPT_RUNS} runs can be kept; delete one in the runs list first")
        if any(kept is run for kept in self._runs):
            raise ValueError("this run is kept already")
        self._runs.insert(len(self._runs) if index is None else index, run)
        self.changed.emit()

    def remove(self, run: KeptRun) -> int:
        """Forget a kept run; returns where it was (so an undo can put it back)."""
        index = self.index(run)
        del self._runs[index]
        self.changed.emit()
        return index

    def clear(self) -> None:
        if self._runs:
            self._runs.clear()
            self.changed.emit()

    def replace_all(self, runs: list[KeptRun]) -> None:
        """These runs instead of the kept ones (a session was opened); ValueError for too many."""
        if len(runs) > MAX_KEPT_RUNS:
            raise ValueError(f"at most {MAX_KEPT_RUNS} runs can be kept, not {len(runs)}")
        self._runs = list(runs)
        self.changed.emit()

    def rename(self, run: KeptRun, label: str) -> None:
        """A new name (ValueError when empty); the legend shows it."""
        label = checked_label(label)
        if label != run.label:
            run.label = label
            self.changed.emit()

    def set_visible(self, run: KeptRun, visible: bool) -> None:
        if bool(visible) != run.visible:
            run.visible = bool(visible)
            self.changed.emit()

    def append_epochs(self, run: KeptRun, epochs, theta, loss, grad_norm, learning_rate, l2, data_revision,
                      stop: StopInfo | None = None) -> None:
        """Epochs of a kept run that is still training (a race), announced by `grown`."""
        if len(np.asarray(epochs).reshape(-1)):
            run.history.append(epochs, theta, loss, grad_norm, learning_rate, l2, data_revision)
        if stop is not None:
            run.stop = stop
        self.grown.emit(run)


__all__ = ["MAX_KEPT_RUNS", "KeptRun", "RunCollection", "checked_label", "describe_settings"]
