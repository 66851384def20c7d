"""The kept runs of a session (core/run_collection.py), as the optional "kept_runs" field.

A session of version 2 may hold, beside its run, the runs kept for comparison (Keep Run,
Race). The field is optional: a version-2 session without it (every file before kept runs
existed) opens with no kept runs, and one with it is written only when some run is kept,
so such sessions stay as they were::

    "kept_runs": [{"label": text, "color": 0…7, "visible": true/false,
                   "settings": {... as the session's "settings" ...},
                   "history": {... as the session's "history" (test_loss included) ...},
                   "stop": null | {"kind", "epoch", "message"}}, ...]   (at most 8)

A kept run is a record of what was trained, for its loss curve and path: its rows are
kept exactly (floats written with repr()), but its points are not (the data revisions of
its rows need not be among the session's points).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from lrviz.core.history import RunHistory
from lrviz.core.model_trainer import parameter_names as settings_columns
from lrviz.core.run_collection import MAX_KEPT_RUNS, KeptRun, checked_label
from lrviz.core.trainer import STOP_CONVERGED, STOP_DIVERGED, STOP_MAX_EPOCHS, StopInfo

_STEP_COLUMNS = ("learning_rate", "l2", "data_revision")
_STOP_KINDS = (STOP_MAX_EPOCHS, STOP_CONVERGED, STOP_DIVERGED)


def check_kept_runs(runs: Sequence[KeptRun], check_history: Callable[[RunHistory, tuple[str, ...]], None]) -> tuple:
    """The runs as a tuple, each checked (ValueError): at most 8, histories that fit their settings."""
    runs = tuple(runs)
    if len(runs) > MAX_KEPT_RUNS:
        raise ValueError(f"a session keeps at most {MAX_KEPT_RUNS} runs, not {len(runs)}")
    for index, run in enumerate(runs):
        if not isinstance(run, KeptRun):
            raise ValueError(f"kept_runs must hold KeptRuns, not {type(run).__name__}")  # noqa: TRY004 (bad data: a reader reports ValueError)
        try:
            check_history(run.history, settings_columns(run.settings))
            if not len(run.history):
                raise ValueError("a kept run needs at least one epoch")
            if run.stop is not None and (run.stop.kind not in _STOP_KINDS
                                         or not run.history.first_epoch <= run.stop.epoch <= run.history.last_epoch):
                raise ValueError("its stop must be of a known kind, at an epoch of its history")
        except ValueError as error:
            raise ValueError(f"kept run {index + 1} ({run.label}): {error}") from None
    return runs


def same_kept_runs(a: Sequence[KeptRun], b: Sequence[KeptRun]) -> bool:
    return len(a) == len(b) and all(
        x.label == y.label and x.color == y.color and x.visible == y.visible and x.settings == y.settings
        and x.stop == y.stop and x.history == y.history for x, y in zip(a, b))


def kept_runs_field(runs: Sequence[KeptRun]) -> dict[str, Any]:
    """{"kept_runs": [...]} when some run is kept; nothing otherwise (the file as before)."""
    return {"kept_runs": [_kept_run_json(run) for run in runs]} if runs else {}


def _kept_run_json(run: KeptRun) -> dict[str, Any]:
    h = run.history
    first = h.first_epoch

    def steps(name: str) -> dict[str, list]:
        starts, values = h.setting_runs(name)
        return {"from_epoch": (starts + first).tolist(), "value": values.tolist()}

    stop = run.stop
    return {"label": run.label, "color": run.color, "visible": run.visible, "settings": run.settings.to_dict(),
            "history": {"names": list(h.names), "epoch": h.epochs.tolist(), "loss": h.loss.tolist(),
                        "grad_norm": h.grad_norm.tolist(),
                        "theta": {name: column for name, column in zip(h.names, h.theta.T.tolist())},
                        **{name: steps(name) for name in _STEP_COLUMNS}, **_test_loss(h)},
            "stop": None if stop is None else {"kind": stop.kind, "epoch": stop.epoch, "message": stop.message}}


def _test_loss(history: RunHistory) -> dict[str, Any]:
    """The test loss of a run kept while the points had a test set, as the session's history has it."""
    if not history.has_test_loss:
        return {}
    epochs, values = history.test_loss_series()
    return {"test_loss": {"epoch": epochs.tolist(), "value": values.tolist()}}


def kept_runs_from_json(block: Any, source: str, error: type[Exception],
                        read_settings: Callable[[dict, str], Any],
                        read_history: Callable[[dict, str], RunHistory]) -> tuple[KeptRun, ...]:
    """The kept runs of a session's "kept_runs" (None or missing: none); `error` for anything wrong.

    `read_settings` and `read_history` are the session reader's own, so a kept run's settings
    and history are checked exactly like the session's."""
    if block is None:
        return ()
    if not isinstance(block, list) or not all(isinstance(item, dict) for item in block):
        raise error(f"{source}: kept_runs must be a list of objects, one per kept run")
    if len(block) > MAX_KEPT_RUNS:
        raise error(f"{source}: kept_runs holds {len(block)} runs; at most {MAX_KEPT_RUNS} can be kept")
    runs = []
    for index, item in enumerate(block):
        where = f"{source}: kept_runs[{index}]"
        for key in ("settings", "history"):
            if not isinstance(item.get(key), dict):
                raise error(f"{where}.{key} must be an object")
        settings = read_settings(item["settings"], where)
        history = read_history(item["history"], where)
        try:
            label = checked_label(item.get("label"))
            color, visible = item.get("color"), item.get("visible", True)
            if not isinstance(visible, bool):
                raise ValueError("visible must be true or false")  # noqa: TRY004 (bad data: a reader reports ValueError)
            runs.append(KeptRun(settings, history, label, color, visible, _stop(item.get("stop"))))
        except ValueError as problem:
            raise error(f"{where}: {problem}") from None
    return tuple(runs)


def _stop(block: Any) -> StopInfo | None:
    if block is None:
        return None
    if not isinstance(block, dict):
        raise ValueError("stop must be null or an object")  # noqa: TRY004 (bad data: a reader reports ValueError)
    kind, epoch, message = block.get("kind"), block.get("epoch"), block.get("message")
    if kind not in _STOP_KINDS or isinstance(epoch, bool) or not isinstance(epoch, int) or not isinstance(message, str):
        raise ValueError(f"stop must have a kind ({', '.join(_STOP_KINDS)}), a whole epoch and a message")
    return StopInfo(kind, epoch, message[:10_000])


def copy_kept_run(run: KeptRun) -> KeptRun:
    """An independent copy (a session owns its runs; the window works on copies)."""
    return KeptRun(run.settings, run.history.copy(), run.label, run.color, run.visible, run.stop)


__all__ = ["check_kept_runs", "copy_kept_run", "kept_runs_field", "kept_runs_from_json", "same_kept_runs"]
