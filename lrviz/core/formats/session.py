"""Session files: a run's points, settings, whole history and stop reason, to reopen it as it was.

Version 2 ("lrviz-session/2") is written; version 1 is read too and upgraded (`read_session`).
One compact JSON object, floats written with repr() so every value reads back exactly::

    {"format": "lrviz-session/2",
     "points": {"feature_names": [2 names], "x1": [...], "x2": [...], "label": [0/1 ...], "revision": r,
                "class_names": [name of 0, name of 1]},   (only when not "0", "1")
     "earlier_points": [{"revision": r, "x1": [...], "x2": [...], "label": [...]}, ...],
     "settings": {"learning_rate", "l2", "standardize", "init", "seed", "max_epochs", "tol",
                  "epochs_per_second"},
     "parameters": null | {"epoch": k, "names": [...], "values": [...], "loss": L},
     "history": {"names": ["w1", "w2", "b"], "epoch": [...], "loss": [...], "grad_norm": [...],
                 "theta": {"w1": [...], "w2": [...], "b": [...]},
                 "learning_rate": {"from_epoch": [...], "value": [...]},
                 "l2": {"from_epoch": [...], "value": [...]},
                 "data_revision": {"from_epoch": [...], "value": [...]}},
     "stop": null | {"kind": "max_epochs" | "converged" | "diverged", "epoch": k, "message": text},
     "view": {"selected_epoch": k | null}}

"earlier_points" are the points of the other revisions some epoch was computed on, so every
epoch's loss can be recomputed after points were moved while training ran. α, λ and the
revision change rarely: they are runs of equal values, each starting at its "from_epoch".
"parameters" repeats the newest row for other readers (it must agree with the history).

The train/test split adds optional fields, written only when some point is a test point
(a session without them, as every earlier lrviz wrote, trains on every point)::

     "points": {..., "is_test": [true/false per point]},   "earlier_points": [{..., "is_test": [...]}]
     "history": {..., "test_loss": {"epoch": [epochs that had test points], "value": [...]}}

Runs kept for comparison (Keep Run, Race) add the optional "kept_runs" list, written only
when some run is kept (formats/kept_runs.py); a version-2 file without it has none.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lrviz.core.dataset import DEFAULT_CLASS_NAMES, Dataset
from lrviz.core.formats.atomic import atomic_write_text
from lrviz.core.formats.common import format_version, json_object, read_text, short, whole
from lrviz.core.formats.json_steps import JsonPath, NumberColumn
from lrviz.core.formats.kept_runs import check_kept_runs, kept_runs_field, kept_runs_from_json, same_kept_runs
from lrviz.core.history import COPY_ROWS, RunHistory, parameter_names
from lrviz.core.model_trainer import parameter_names as settings_columns
from lrviz.core.optim import DEFAULT_OPTIMIZER
from lrviz.core.optimized_trainer import CHECKPOINT_FORMAT
from lrviz.core.run import PointsSnapshot, Run
from lrviz.core.settings import DEFAULT_SETTINGS, SETTING_SPECS, TrainingSettings, checked_settings
from lrviz.core.trainer import STOP_CONVERGED, STOP_DIVERGED, STOP_MAX_EPOCHS, StopInfo

SESSION_FORMAT = "lrviz-session/2"
_READABLE = range(1, 3)  # the versions read_session opens
_STOP_KINDS = (STOP_MAX_EPOCHS, STOP_CONVERGED, STOP_DIVERGED)
_STEP_COLUMNS = ("learning_rate", "l2", "data_revision")
_MAX_TEXT_CHARS = 10_000  # feature names and the stop message


class SessionFormatError(ValueError):
    """A session file is damaged, not a session, or from a newer lrviz."""


@dataclass(frozen=True, eq=False)
class Session:
    """Everything needed to reopen a run as it was; checked on construction (ValueError).

    So a session that exists can be written and read back equal. It owns its points and
    history: change neither (`to_run` gives a Run of copies to work on).
    """

    points: Dataset
    revision: int = 0                               # of `points`
    earlier_points: tuple[PointsSnapshot, ...] = ()  # other revisions the history was computed on
    settings: TrainingSettings = DEFAULT_SETTINGS
    history: RunHistory = field(default_factory=RunHistory)
    stop: StopInfo | None = None                    # why the run stopped, if a stop rule fired
    selected_epoch: int | None = None               # the epoch shown; None follows the newest
    # A non-gd optimizer's checkpoint at the newest epoch (OptimizedTrainer.checkpoint()), so
    # that a reopened run continues exactly; optional (older files and gd runs have none).
    optimizer_state: dict | None = None
    kept_runs: tuple = ()  # KeptRuns (core/run_collection.py), the runs kept beside this one

    def __post_init__(self) -> None:
        if not isinstance(self.points, Dataset):
            raise ValueError(f"points must be a Dataset, not {short(self.points)}")
        if not isinstance(self.settings, TrainingSettings):
            raise ValueError(f"settings must be TrainingSettings, not {short(self.settings)}")
        history = self.history
        if not isinstance(history, RunHistory):
            raise ValueError(f"history must be a RunHistory, not {short(history)}")
        revision = whole(_python_int(self.revision), "the points' revision", ValueError)
        object.__setattr__(self, "revision", revision)
        _check_history(history, settings_columns(self.settings))
        earlier = tuple(sorted((_checked_snapshot(s) for s in self.earlier_points), key=lambda s: s.revision))
        for previous, snapshot in zip(earlier, earlier[1:]):
            if previous.revision == snapshot.revision:
                raise ValueError(f"earlier_points holds revision {snapshot.revision} twice")
        if earlier and earlier[-1].revision >= revision:
            raise ValueError(f"earlier_points holds revision {earlier[-1].revision}; earlier revisions "
                             f"come before the points' revision {revision}")
        sizes = {s.revision: len(s.y) for s in earlier} | {revision: len(self.points)}
        used = history.revisions()
        for used_revision in sorted(used):
            if used_revision not in sizes:
                raise ValueError(f"the history was computed on the points of revision {used_revision}, "
                                 "which the session does not hold")
            if sizes[used_revision] == 0:
                raise ValueError(f"the history was computed on the points of revision {used_revision}, "
                                 "which are empty")
        unused = [s.revision for s in earlier if s.revision not in used]
        if unused:
            raise ValueError(f"earlier_points holds revision {unused[0]}, which no epoch of the history "
                             "was computed on")
        object.__setattr__(self, "earlier_points", earlier)
        if self.stop is not None:
            stop = self.stop
            if not isinstance(stop, StopInfo) or stop.kind not in _STOP_KINDS or not isinstance(stop.message, str):
                raise ValueError(f"stop must be a StopInfo whose kind is one of {', '.join(_STOP_KINDS)}")
            epoch = whole(_python_int(stop.epoch), "the stop epoch", ValueError)
            _check_within(epoch, history, "the stop epoch")
            object.__setattr__(self, "stop", StopInfo(stop.kind, epoch, stop.message))
        if self.selected_epoch is not None:
            selected = whole(_python_int(self.selected_epoch), "the selected epoch", ValueError)
            _check_within(selected, history, "the selected epoch")
            object.__setattr__(self, "selected_epoch", selected)
        if self.optimizer_state is not None:
            _check_optimizer_state(self.optimizer_state, self.settings, history)
        object.__setattr__(self, "kept_runs", check_kept_runs(self.kept_runs, _check_history))

    @classmethod
    def from_run(cls, run: Run, selected_epoch: int | None) -> Session:
        """A session of copies of `run` as it is now, showing `selected_epoch` (None: the newest)."""
        return cls(**run_fields(run, selected_epoch, run.history.copy()))

    def to_run(self) -> Run:
        """A new Run of copies: these points at this revision, the earlier points, settings, history, stop."""
        run = Run(self.points, self.settings, revision=self.revision)
        for snapshot in self.earlier_points:
            run.remember_points(snapshot)
        h = self.history
        test_loss, tested = (h.test_loss, h.tested) if h.has_test_loss else (None, None)
        run.append_epochs(h.epochs, h.theta, h.loss, h.grad_norm, h.learning_rate, h.l2, h.data_revision,
                          test_loss, tested)
        run.set_stop(self.stop)
        run.optimizer_checkpoint = self.optimizer_state
        return run

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Session):
            return NotImplemented
        return (self.points == other.points and self.revision == other.revision
                and self.settings == other.settings and self.history == other.history
                and self.stop == other.stop and self.selected_epoch == other.selected_epoch
                and self.optimizer_state == other.optimizer_state
                and same_kept_runs(self.kept_runs, other.kept_runs)
                and len(self.earlier_points) == len(other.earlier_points)
                and all(a.revision == b.revision and np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y)
                        and np.array_equal(_split_of(a), _split_of(b))
                        for a, b in zip(self.earlier_points, other.earlier_points)))

    __hash__ = None  # type: ignore[assignment]


def run_fields(run: Run, selected_epoch: int | None, history: RunHistory) -> dict[str, Any]:
    """Session's fields for `run` as it is now, with `history` for its history (a copy, or a
    snapshot): taking them is cheap; checking them is Session's construction."""
    earlier = tuple(s for s in run.kept_revisions() if s.revision != run.revision)
    return {"points": run.points.copy(), "revision": run.revision, "earlier_points": earlier,
            "settings": run.settings, "history": history, "stop": run.stop, "selected_epoch": selected_epoch,
            "optimizer_state": _fitting_state(run)}


def _fitting_state(run: Run) -> dict | None:
    """The run's optimizer checkpoint when it is of its newest epoch and its optimizer."""
    state = run.optimizer_checkpoint
    try:
        _check_optimizer_state(state, run.settings, run.history)
    except ValueError:
        return None
    return state


def _check_optimizer_state(state: Any, settings: TrainingSettings, history: RunHistory) -> None:
    """A checkpoint of the settings' optimizer at the history's newest epoch, as JSON data."""
    if not isinstance(state, dict) or state.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"the optimizer state must be an object of the format {CHECKPOINT_FORMAT}")
    if state.get("optimizer") != settings.optimizer or settings.optimizer == DEFAULT_OPTIMIZER:
        raise ValueError(f"the optimizer state is of {short(state.get('optimizer'))}, "
                         f"but the settings' optimizer is {settings.optimizer}")
    if not len(history) or state.get("epoch") != history.last_epoch:
        raise ValueError("the optimizer state must be of the history's newest epoch")
    try:
        json.dumps(state, allow_nan=False)
    except (TypeError, ValueError):
        raise ValueError("the optimizer state must be plain JSON data of finite numbers") from None


def _python_int(value: Any) -> Any:
    return int(value) if isinstance(value, np.integer) else value


def _check_within(epoch: int, history: RunHistory, what: str) -> None:
    if not len(history) or not history.first_epoch <= epoch <= history.last_epoch:
        held = f"epochs {history.first_epoch} to {history.last_epoch}" if len(history) else "no epochs"
        raise ValueError(f"{what} {epoch} is not in the history ({held})")


def _check_history(history: RunHistory, names: tuple[str, ...]) -> None:
    """Values the reader accepts: the columns of the settings' feature map, epochs ≥ 0, finite
    numbers, α and λ in the settings' ranges."""
    if history.names != names:
        raise ValueError(f"the history's columns must be {', '.join(names)}, "
                         f"not {', '.join(history.names)}")
    if not len(history):
        return
    if history.first_epoch < 0:
        raise ValueError(f"the history's epochs must be ≥ 0, not {history.first_epoch}")
    # In slices: one NumPy call over 2·10^6 rows holds the GIL (and so the window) for tens of ms
    slices = [slice(start, start + COPY_ROWS) for start in range(0, len(history), COPY_ROWS)]
    finite = np.all([np.all(np.isfinite(history.theta_rows(rows.start, rows.stop)), axis=0) for rows in slices],
                    axis=0)  # theta_rows: counted as read, so a history on disk gives the pages back
    bad = np.flatnonzero(~finite)
    if len(bad):
        raise ValueError(f"the history's {history.names[bad[0]]} must hold finite numbers only")
    if not all(np.all(np.isfinite(history.loss[rows])) for rows in slices):
        raise ValueError("the history's losses must be finite numbers")
    if not all(np.all(np.isfinite(history.grad_norm[rows])) and np.all(history.grad_norm[rows] >= 0)
               for rows in slices):
        raise ValueError("the history's gradient norms must be finite numbers ≥ 0")
    for name in ("learning_rate", "l2"):
        starts, values = history.setting_runs(name)
        for start, value in zip(starts.tolist(), values.tolist()):
            try:
                SETTING_SPECS[name].check(value)
            except ValueError as error:
                raise ValueError(f"the history from epoch {history.first_epoch + start}: {error}") from None


def _checked_snapshot(snapshot: Any) -> PointsSnapshot:
    """Read-only copies of an earlier revision's points: (m, 2) finite coordinates, labels 0/1."""
    if not isinstance(snapshot, PointsSnapshot):
        raise ValueError(f"earlier_points must hold PointsSnapshots, not {short(snapshot)}")
    revision = whole(_python_int(snapshot.revision), "an earlier revision", ValueError)
    X, y = np.array(snapshot.X, dtype=float), np.array(snapshot.y)
    if X.size == 0 and y.size == 0:
        X, y = X.reshape(0, 2), y.astype(np.int64)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (len(X),):
        raise ValueError(f"the points of revision {revision} must be (m, 2) with m labels; "
                         f"got {X.shape} and {y.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"the points of revision {revision} must have finite coordinates")
    if y.size and (y.dtype.kind not in "biuf" or not np.all((y == 0) | (y == 1))):
        raise ValueError(f"every label of the points of revision {revision} must be 0 or 1")
    y = y.astype(np.int64)
    is_test = _split_of(snapshot)
    if is_test.shape != y.shape:
        raise ValueError(f"the split of the points of revision {revision} must have one value per point")
    X.flags.writeable = y.flags.writeable = is_test.flags.writeable = False
    return PointsSnapshot(revision, X, y, is_test)


def _split_of(snapshot: PointsSnapshot) -> np.ndarray:
    """The snapshot's is_test as a fresh bool array (all False when it has none)."""
    if snapshot.is_test is None:
        return np.zeros(len(snapshot.y), bool)
    return np.array(snapshot.is_test, dtype=bool).reshape(-1)


# -- writing ------------------------------------------------------------------------------------------
def session_to_json_dict(session: Session, arrays: bool = False) -> dict[str, Any]:
    """The version-2 JSON object of a session (see the module's docstring).

    With `arrays`, every list of numbers is left a 1-D NumPy array (their .tolist() gives
    the lists), for a writer that converts a long one in slices (session_stream): one
    .tolist() of 2·10^6 floats holds the GIL for a tenth of a second."""
    h, points = session.history, session.points
    first = h.first_epoch
    out = (lambda column: column) if arrays else (lambda column: column.tolist())

    def steps(name: str) -> dict[str, list]:
        starts, values = h.setting_runs(name)
        return {"from_epoch": out(starts + first), "value": out(values)}

    stop = session.stop
    return {
        "format": SESSION_FORMAT,
        "points": {"feature_names": list(points.feature_names), **_xy(points.X, points.y, out),
                   **_split_field(points.is_test, out), "revision": session.revision, **_class_names(points)},
        "earlier_points": [{"revision": s.revision, **_xy(s.X, s.y, out), **_split_field(_split_of(s), out)}
                           for s in session.earlier_points],
        "settings": session.settings.to_dict(),
        "parameters": _parameters(h),
        "history": {
            "names": list(h.names), "epoch": out(h.epochs), "loss": out(h.loss),
            "grad_norm": out(h.grad_norm),
            "theta": {name: out(h.theta[:, j]) for j, name in enumerate(h.names)},
            **{name: steps(name) for name in _STEP_COLUMNS},
            **_test_loss_field(h, out),
        },
        "stop": None if stop is None else {"kind": stop.kind, "epoch": stop.epoch, "message": stop.message},
        "view": {"selected_epoch": session.selected_epoch},
        **({"optimizer_state": session.optimizer_state} if session.optimizer_state is not None else {}),
        **kept_runs_field(session.kept_runs),
    }


def _class_names(points: Dataset) -> dict[str, list[str]]:
    """{"class_names": [...]} for named classes; nothing for 0/1, so such files stay as they were."""
    return {} if points.class_names == DEFAULT_CLASS_NAMES else {"class_names": list(points.class_names)}


def _as_list(column: np.ndarray) -> list:
    return column.tolist()


def _xy(X: np.ndarray, y: np.ndarray, out=_as_list) -> dict[str, list]:
    return {"x1": out(X[:, 0]), "x2": out(X[:, 1]), "label": out(y)}


def _split_field(is_test: np.ndarray, out=_as_list) -> dict[str, list]:
    """{"is_test": [...]} when some point is a test point; nothing otherwise (older readers' form)."""
    return {"is_test": out(is_test)} if is_test.any() else {}


def _test_loss_field(history: RunHistory, out=_as_list) -> dict[str, Any]:
    if not history.has_test_loss:
        return {}
    epochs, values = history.test_loss_series()
    return {"test_loss": {"epoch": out(epochs), "value": out(values)}}


def _parameters(history: RunHistory) -> dict[str, Any] | None:
    if not len(history):
        return None
    return {"epoch": history.last_epoch, "names": list(history.names), "values": history.theta[-1].tolist(),
            "loss": float(history.loss[-1])}


def write_session(path: str | os.PathLike[str], session: Session) -> None:
    """One compact JSON file ("lrviz-session/2"), written atomically."""
    text = json.dumps(session_to_json_dict(session), separators=(",", ":"), allow_nan=False)
    atomic_write_text(path, text + "\n")


# -- reading ------------------------------------------------------------------------------------------
def read_session(path: str | os.PathLike[str]) -> Session:
    """Read a session of version 2 or 1; SessionFormatError says what is wrong, OSError is the path's.

    A version-1 file becomes a version-2 Session: its points are revision 0 and every epoch
    was computed on them, with the α and λ of its settings. Version 1 recorded only the
    settings at saving time, so a change of α or λ while its run trained is not known.
    The shown epoch follows the newest.
    """
    text = read_text(path, SessionFormatError)
    return session_from_json_dict(json_object(text, str(path), SessionFormatError), str(path))


def session_from_json_dict(data: dict[str, Any], source: str = "the session") -> Session:
    """The Session of a parsed session file (version 2 or 1); SessionFormatError for anything wrong."""
    version = format_version(data.get("format"), "lrviz-session", _READABLE, source, "session",
                             SessionFormatError)
    return _from_v1(data, source) if version == 1 else _from_v2(data, source)


def _from_v2(data: dict[str, Any], source: str) -> Session:
    err = SessionFormatError
    part = {key: _part(data, key, source) for key in ("points", "settings", "history", "view")}
    points = part["points"]
    X, y = _points(points, "points", source)
    earlier = data.get("earlier_points")
    if not isinstance(earlier, list) or not all(isinstance(item, dict) for item in earlier):
        raise err(f"{source}: earlier_points must be a list of objects, one per earlier revision")
    snapshots = []
    for i, item in enumerate(earlier):
        where = f"earlier_points[{i}]"
        X_earlier, y_earlier = _points(item, where, source)
        snapshots.append(PointsSnapshot(whole(item.get("revision"), f"{source}: {where}.revision", err),
                                        X_earlier, y_earlier, _split_list(item, len(y_earlier), where, source)))
    history = _history_v2(part["history"], source)
    if "selected_epoch" not in part["view"]:
        raise err(f"{source}: the session is damaged (view.selected_epoch is missing)")
    selected = part["view"]["selected_epoch"]
    session = _session(
        source, points=_dataset(points, X, y, source, _split_list(points, len(y), "points", source)), revision=whole(
            points.get("revision"), f"{source}: points.revision", err),
        earlier_points=tuple(snapshots), settings=_settings(part["settings"], source), history=history,
        stop=_stop(data, source),
        selected_epoch=None if selected is None else whole(selected, f"{source}: view.selected_epoch", err),
        optimizer_state=data.get("optimizer_state"),
        kept_runs=kept_runs_from_json(data.get("kept_runs"), source, err, _settings, _history_v2))
    _check_parameters(data, _parameters(history), source)
    return session


def _history_v2(h: dict[str, Any], source: str) -> RunHistory:
    err = SessionFormatError
    names = h.get("names")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise err(f"{source}: history.names must be a list of names")
    try:
        history = RunHistory(names)
    except ValueError as error:
        raise err(f"{source}: history.names: {error}") from None
    theta = h.get("theta")
    if not isinstance(theta, dict) or set(theta) != set(names):
        raise err(f"{source}: history.theta must be an object with one list per name of history.names")
    epochs = _ints(h.get("epoch"), f"{source}: history.epoch")
    columns = {key: _floats(h.get(key), f"{source}: history.{key}") for key in ("loss", "grad_norm")}
    columns |= {f"theta.{n}": _floats(theta[n], f"{source}: history.theta.{n}") for n in names}
    _check_epochs(epochs, columns, source)
    steps = {name: _steps(h.get(name), name, epochs, source) for name in _STEP_COLUMNS}
    test_loss, tested = _test_loss(h.get("test_loss"), epochs, source)
    history.append(epochs, np.column_stack([columns[f"theta.{n}"] for n in names]), columns["loss"],
                   columns["grad_norm"], steps["learning_rate"], steps["l2"], steps["data_revision"],
                   test_loss, tested)
    return history


def _test_loss(block: Any, epochs: np.ndarray, source: str) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The optional history.test_loss ({"epoch": [...], "value": [...]}) as one value and flag per epoch."""
    if block is None:
        return None, None
    err = SessionFormatError
    what = f"{source}: history.test_loss"
    if not isinstance(block, dict):
        raise err(f"{what} must be an object {{\"epoch\": [...], \"value\": [...]}}")
    tested_epochs = _ints(block.get("epoch"), f"{what}.epoch")
    values = _floats(block.get("value"), f"{what}.value")
    if len(tested_epochs) != len(values):
        raise err(f"{what}: epoch and value have different lengths")
    if not len(epochs):
        if len(tested_epochs):
            raise err(f"{what} has values, but the history has no epochs")
        return None, None
    rows = tested_epochs - epochs[0]
    if np.any(np.diff(rows) <= 0) or (len(rows) and (rows[0] < 0 or rows[-1] >= len(epochs))):
        raise err(f"{what}.epoch must be epochs of the history, increasing")
    if np.any(values < 0):
        raise err(f"{what}.value must be losses ≥ 0")
    tested = np.zeros(len(epochs), bool)
    tested[rows] = True
    full = np.zeros(len(epochs))
    full[rows] = values
    return full, tested


def _split_list(block: dict[str, Any], m: int, where: str, source: str) -> np.ndarray:
    """The optional is_test list of a points block (all False when absent)."""
    if "is_test" not in block:
        return np.zeros(m, bool)
    values = block["is_test"]
    kinds = _column_types(values)
    if kinds is None or not kinds <= {bool} or len(values) != m:
        raise SessionFormatError(f"{source}: {where}.is_test must be a list of {m} true/false values, one per point")
    return (values.values if isinstance(values, NumberColumn) else np.array(values, dtype=bool)).reshape(-1)

def _steps(block: Any, name: str, epochs: np.ndarray, source: str) -> np.ndarray:
    """A runs column ({"from_epoch": [...], "value": [...]}) expanded to one value per epoch."""
    err = SessionFormatError
    what = f"{source}: history.{name}"
    if not isinstance(block, dict):
        raise err(f"{what} must be an object {{\"from_epoch\": [...], \"value\": [...]}}")
    starts = _ints(block.get("from_epoch"), f"{what}.from_epoch")
    values = (_ints if name == "data_revision" else _floats)(block.get("value"), f"{what}.value")
    if len(starts) != len(values):
        raise err(f"{what}: from_epoch and value have different lengths")
    k = len(epochs)
    if k == 0:
        if len(starts):
            raise err(f"{what} has runs, but the history has no epochs")
        return values
    first, last = int(epochs[0]), int(epochs[-1])
    if not len(starts) or starts[0] != first or np.any(np.diff(starts) <= 0) or starts[-1] > last:
        raise err(f"{what}.from_epoch must start at the first epoch ({first}), increase, and end "
                  f"by the last ({last})")
    return np.repeat(values, np.diff(np.append(starts - first, k)))


def _from_v1(data: dict[str, Any], source: str) -> Session:
    """A version-1 file: points, settings and a history of w1, w2, b (see read_session)."""
    part = {key: _part(data, key, source) for key in ("points", "settings", "history")}
    points, h = part["points"], part["history"]
    X, y = _points(points, "points", source)
    settings = _settings(part["settings"], source)
    epochs = _ints(h.get("epoch"), f"{source}: history.epoch")
    columns = {key: _floats(h.get(key), f"{source}: history.{key}")
               for key in ("loss", "w1", "w2", "b", "grad_norm")}
    _check_epochs(epochs, columns, source)
    history = RunHistory(parameter_names(2))
    history.append(epochs, np.column_stack([columns["w1"], columns["w2"], columns["b"]]), columns["loss"],
                   columns["grad_norm"], settings.learning_rate, settings.l2, 0)
    session = _session(source, points=_dataset(points, X, y, source), settings=settings, history=history,
                       stop=_stop(data, source, required=False))
    expected = None if not len(history) else {
        "epoch": history.last_epoch, "weights": history.W[-1].tolist(), "bias": float(history.b[-1]),
        "loss": float(history.loss[-1])}
    _check_parameters(data, expected, source)
    return session


# -- reading helpers ----------------------------------------------------------------------------------
def _session(source: str, **fields: Any) -> Session:
    try:
        return Session(**fields)
    except ValueError as error:
        raise SessionFormatError(f"{source}: {error}") from None


def _part(data: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    part = data.get(key)
    if not isinstance(part, dict):
        raise SessionFormatError(f"{source}: the session is damaged ({key} is missing or not an object)")
    return part


def _points(block: dict[str, Any], where: str, source: str) -> tuple[np.ndarray, np.ndarray]:
    """(X (m, 2), labels (m,)) of a points block: x1, x2 and label of the same length."""
    x1 = _floats(block.get("x1"), f"{source}: {where}.x1")
    x2 = _floats(block.get("x2"), f"{source}: {where}.x2")
    labels = _ints(block.get("label"), f"{source}: {where}.label")
    if not len(x1) == len(x2) == len(labels):
        raise SessionFormatError(f"{source}: {where}.x1, {where}.x2 and {where}.label have different lengths")
    return np.column_stack([x1, x2]).reshape(-1, 2), labels


def _dataset(block: dict[str, Any], X: np.ndarray, y: np.ndarray, source: str,
             is_test: np.ndarray | None = None) -> Dataset:
    names = block.get("feature_names")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise SessionFormatError(f"{source}: points.feature_names must be two names")
    if any(len(name) > _MAX_TEXT_CHARS for name in names):  # as a points CSV's header allows
        raise SessionFormatError(f"{source}: points.feature_names: a name is longer than "
                                 f"{_MAX_TEXT_CHARS:,} characters")
    classes = block.get("class_names", list(DEFAULT_CLASS_NAMES))  # optional: older files have none
    if not isinstance(classes, list) or not all(isinstance(n, str) for n in classes):
        raise SessionFormatError(f"{source}: points.class_names must be two names")
    if any(len(name) > _MAX_TEXT_CHARS for name in classes):
        raise SessionFormatError(f"{source}: points.class_names: a name is longer than "
                                 f"{_MAX_TEXT_CHARS:,} characters")
    try:
        return Dataset(X, y, feature_names=names, is_test=is_test, class_names=classes)
    except ValueError as error:
        raise SessionFormatError(f"{source}: points: {error}") from None


def _settings(block: dict[str, Any], source: str) -> TrainingSettings:
    try:
        return checked_settings(block)
    except ValueError as error:
        raise SessionFormatError(f"{source}: {error}") from None


def _check_epochs(epochs: np.ndarray, columns: dict[str, np.ndarray], source: str) -> None:
    """One value per epoch in every column, the epochs ≥ 0 and counting up by one."""
    for key, column in columns.items():
        if len(column) != len(epochs):
            raise SessionFormatError(f"{source}: history.{key} has {len(column)} values for "
                                     f"{len(epochs)} epochs")
    if len(epochs) and (epochs[0] < 0 or np.any(np.diff(epochs) != 1)):
        raise SessionFormatError(f"{source}: history.epoch must be whole numbers ≥ 0 that count up by one")


def _stop(data: dict[str, Any], source: str, required: bool = True) -> StopInfo | None:
    if required and "stop" not in data:
        raise SessionFormatError(f"{source}: the session is damaged (stop is missing)")
    stop = data.get("stop")
    if stop is None:
        return None
    if not isinstance(stop, dict) or stop.get("kind") not in _STOP_KINDS or not isinstance(stop.get("message"), str):
        raise SessionFormatError(f"{source}: stop must be null or {{\"kind\": one of "
                                 f"{', '.join(_STOP_KINDS)}, \"epoch\": k, \"message\": text}}")
    if len(stop["message"]) > _MAX_TEXT_CHARS:  # lrviz writes a short sentence; never lay out megabytes
        raise SessionFormatError(f"{source}: stop.message is {len(stop['message']):,} characters long; "
                                 f"at most {_MAX_TEXT_CHARS:,} are allowed")
    return StopInfo(stop["kind"], whole(stop.get("epoch"), f"{source}: stop.epoch", SessionFormatError),
                    stop["message"])


def _check_parameters(data: dict[str, Any], expected: dict[str, Any] | None, source: str) -> None:
    """The "parameters" block repeats the newest row for readers; it must agree, types included."""
    if "parameters" not in data:
        raise SessionFormatError(f"{source}: the session is damaged (parameters is missing)")
    block = data["parameters"]
    agrees = block is None and expected is None
    if isinstance(block, dict) and expected is not None and block == expected:  # == takes True for 1
        values = [v for key, value in block.items() if key != "names"
                  for v in (value if isinstance(value, list) else [value])]
        agrees = type(block["epoch"]) is int and not any(isinstance(v, bool) for v in values)
    if not agrees:
        raise SessionFormatError(f"{source}: the session is damaged (\"parameters\" does not match "
                                 "the newest epoch of the history)")


_POINT_COLUMNS = {"x1", "x2", "label", "is_test"}
_HISTORY_COLUMNS = {"epoch", "loss", "grad_norm", "w1", "w2", "b"}  # w1, w2, b: version 1
_RUNS_COLUMNS = {"from_epoch", "value", "epoch"}  # of the step columns and test_loss


def is_number_column(path: JsonPath) -> bool:
    """True for the paths of a session file whose lists the reader takes as columns of numbers
    (`_floats`, `_ints`, `_split_list`): json_steps may give those as NumberColumns."""
    if len(path) == 2 and path[0] == "points":
        return path[1] in _POINT_COLUMNS
    if len(path) == 3 and path[0] == "earlier_points" and isinstance(path[1], int):
        return path[2] in _POINT_COLUMNS
    if path[:1] == ("history",):
        rest = path[1:]
    elif len(path) > 3 and path[0] == "kept_runs" and isinstance(path[1], int) and path[2] == "history":
        rest = path[3:]
    else:
        return False
    if len(rest) == 1:
        return rest[0] in _HISTORY_COLUMNS
    return len(rest) == 2 and (rest[0] == "theta" or (rest[0] in (*_STEP_COLUMNS, "test_loss")
                                                      and rest[1] in _RUNS_COLUMNS))


_CONVERT_ITEMS = 1 << 16  # list items per C call below: a thread waiting for the GIL gets it between calls


def _list_types(values: list) -> set[type]:
    """The types of the items, in slices: over a 2·10^6-epoch history one call held the GIL
    (and so, with the file read in a worker thread, froze the window) for a tenth of a second."""
    kinds: set[type] = set()
    for start in range(0, len(values), _CONVERT_ITEMS):
        kinds.update(map(type, values[start:start + _CONVERT_ITEMS]))
    return kinds


def _converted(values: list, dtype) -> np.ndarray:
    """np.array(values, dtype), filled in slices (see _list_types); OverflowError as np.array's."""
    array = np.empty(len(values), dtype=dtype)
    for start in range(0, len(values), _CONVERT_ITEMS):
        array[start:start + _CONVERT_ITEMS] = values[start:start + _CONVERT_ITEMS]
    return array


def _column_types(values: Any) -> set[type] | None:
    """The types of the items of a JSON list or NumberColumn; None for anything else."""
    if isinstance(values, NumberColumn):
        return {values.kind} if len(values) else set()
    return _list_types(values) if isinstance(values, list) else None


def _floats(values: Any, what: str) -> np.ndarray:
    """A JSON list of numbers as float64, fast: the type check and conversion run in C."""
    kinds = _column_types(values)
    if kinds is None or not kinds <= {float, int}:
        raise SessionFormatError(f"{what} must be a list of numbers")
    try:
        array = np.asarray(values.values, dtype=float) if isinstance(values, NumberColumn) else _converted(values, float)
    except OverflowError:
        raise SessionFormatError(f"{what} holds a number too large for a float") from None
    if not np.all(np.isfinite(array)):
        raise SessionFormatError(f"{what} must hold finite numbers only")
    return array


def _ints(values: Any, what: str) -> np.ndarray:
    kinds = _column_types(values)
    if kinds is None or not kinds <= {int}:
        raise SessionFormatError(f"{what} must be a list of whole numbers")
    if isinstance(values, NumberColumn):
        return values.values  # int64 already
    try:
        return _converted(values, np.int64)
    except OverflowError:
        raise SessionFormatError(f"{what} holds a number too large") from None


__all__ = ["SESSION_FORMAT", "Session", "SessionFormatError", "is_number_column", "read_session", "run_fields",
           "session_from_json_dict", "session_to_json_dict", "write_session"]
