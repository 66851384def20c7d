"""Files for parameters, histories and sessions; every write is atomic.

Floats are written with repr() (JSON does the same), so reading a file back gives every
value exactly. Readers check everything and raise one error class per format whose
message says what is wrong; nothing here executes code from a file (no pickle).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

PARAMS_FORMAT = "lrviz-params/1"
SESSION_FORMAT = "lrviz-session/1"
SESSION_VERSION = 1


class ParamsFormatError(ValueError):
    """A parameters file is damaged or not a parameters file."""


class HistoryFormatError(ValueError):
    """A history CSV is damaged."""


class SessionFormatError(ValueError):
    """A session file is damaged, not a session, or from a newer lrviz."""


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` to a temp file beside `path`, flush it to disk, then rename it over `path`.

    A crash or an error midway leaves the old file as it was, and no temp file behind.
    """
    target = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _csv_rows(text: str, source: str, error: type[ValueError]) -> list[list[str]]:
    """The non-blank rows of a CSV text; a malformed one raises `error` with its line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise error(f"{source}, line {reader.line_num}: not valid CSV ({exc})") from None


def _read_text(path: str | os.PathLike[str], error: type[ValueError]) -> str:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not a text (UTF-8) file: {exc.reason}") from None


def _finite(value: Any, what: str, error: type[ValueError]) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise error(f"{what} must be a number, not {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise error(f"{what} must be a finite number, not {value}")
    return value


def _whole(value: Any, what: str, error: type[ValueError]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise error(f"{what} must be a whole number ≥ 0, not {value!r}")
    return value


def _json_object(text: str, source: str, error: type[ValueError]) -> dict[str, Any]:
    def no_constants(name: str) -> float:
        raise error(f"{source}: {name} is not allowed; every number must be finite")

    try:
        data = json.loads(text, parse_constant=no_constants)
    except json.JSONDecodeError as exc:
        raise error(f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise error(f"{source}: the JSON is nested too deeply") from None
    if not isinstance(data, dict):
        raise error(f"{source}: expected a JSON object at the top level")
    return data


# -- parameters -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrainedParams:
    """Trained parameters for the raw coordinates of the points: p = σ(w·x + b)."""

    weights: tuple[float, ...]
    bias: float
    feature_names: tuple[str, ...] = ("x1", "x2")
    epoch: int = 0
    loss: float = math.nan
    accuracy: float = math.nan
    learning_rate: float = 0.1
    l2: float = 0.0
    standardize: bool = False

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "format": PARAMS_FORMAT,
            "weights": [float(w) for w in self.weights],
            "bias": float(self.bias),
            "feature_names": list(self.feature_names),
            "epoch": int(self.epoch),
            "loss": float(self.loss),
            "accuracy": float(self.accuracy),
            "learning_rate": float(self.learning_rate),
            "l2": float(self.l2),
            "standardize": bool(self.standardize),
        }


_PARAM_FIELDS = ("weights", "bias", "feature_names", "epoch", "loss", "accuracy",
                 "learning_rate", "l2", "standardize")


def write_params(path: str | os.PathLike[str], params: TrainedParams) -> None:
    """JSON ("lrviz-params/1"), or the CSV form when the file name ends in .csv."""
    if Path(path).suffix.lower() == ".csv":
        atomic_write_text(path, format_params_csv(params))
    else:
        atomic_write_text(path, json.dumps(params.to_json_dict(), indent=2) + "\n")


def format_params_csv(params: TrainedParams) -> str:
    """Two columns, name,value: one row per weight (w_<feature>), then bias and the context."""
    rows = [("name", "value")]
    rows += [(f"w_{name}", repr(float(w))) for name, w in zip(params.feature_names, params.weights)]
    rows += [("bias", repr(float(params.bias))), ("epoch", str(int(params.epoch))),
             ("loss", repr(float(params.loss))), ("accuracy", repr(float(params.accuracy))),
             ("learning_rate", repr(float(params.learning_rate))), ("l2", repr(float(params.l2))),
             ("standardize", "true" if params.standardize else "false")]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def read_params(path: str | os.PathLike[str]) -> TrainedParams:
    """Read a parameters file (JSON, or CSV by the name); raise ParamsFormatError if it is not valid."""
    text = _read_text(path, ParamsFormatError)
    if Path(path).suffix.lower() == ".csv":
        return _params_from_csv(text, str(path))
    return params_from_json_dict(_json_object(text, str(path), ParamsFormatError), str(path))


def params_from_json_dict(data: dict[str, Any], source: str = "the parameters") -> TrainedParams:
    err = ParamsFormatError
    if data.get("format") != PARAMS_FORMAT:
        raise err(f"{source}: not an lrviz parameters file (expected \"format\": \"{PARAMS_FORMAT}\")")
    missing = [key for key in _PARAM_FIELDS if key not in data]
    if missing:
        raise err(f"{source}: missing {', '.join(missing)}")
    weights, names = data["weights"], data["feature_names"]
    if not isinstance(weights, list) or not weights:
        raise err(f"{source}: weights must be a non-empty list of numbers")
    if not isinstance(names, list) or len(names) != len(weights) or not all(isinstance(n, str) for n in names):
        raise err(f"{source}: feature_names must be {len(weights)} names, one per weight")
    if not isinstance(data["standardize"], bool):
        raise err(f"{source}: standardize must be true or false")
    return TrainedParams(
        weights=tuple(_finite(w, f"{source}: a weight", err) for w in weights),
        bias=_finite(data["bias"], f"{source}: bias", err),
        feature_names=tuple(names),
        epoch=_whole(data["epoch"], f"{source}: epoch", err),
        loss=_finite(data["loss"], f"{source}: loss", err),
        accuracy=_finite(data["accuracy"], f"{source}: accuracy", err),
        learning_rate=_finite(data["learning_rate"], f"{source}: learning_rate", err),
        l2=_finite(data["l2"], f"{source}: l2", err),
        standardize=data["standardize"],
    )


def _params_from_csv(text: str, source: str) -> TrainedParams:
    err = ParamsFormatError
    rows = _csv_rows(text, source, err)
    if not rows or [c.strip() for c in rows[0]] != ["name", "value"]:
        raise err(f"{source}, line 1: expected the header 'name,value'")
    values: dict[str, str] = {}
    names: list[str] = []
    weights: list[float] = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != 2:
            raise err(f"{source}, line {line}: expected 2 values (name, value), found {len(row)}")
        key, value = row[0].strip(), row[1].strip()
        if key.startswith("w_"):
            names.append(key[2:])
            weights.append(_csv_number(value, source, line, err))
        else:
            values[key] = value
    missing = [k for k in ("bias", "epoch", "loss", "accuracy", "learning_rate", "l2", "standardize")
               if k not in values]
    if missing or not weights:
        raise err(f"{source}: missing {', '.join(missing or ['the weights (w_… rows)'])}")
    if values["standardize"] not in ("true", "false"):
        raise err(f"{source}: standardize must be true or false")
    try:
        epoch = int(values["epoch"])
    except ValueError:
        raise err(f"{source}: epoch must be a whole number") from None
    number = {k: _csv_number(values[k], source, 0, err) for k in ("bias", "loss", "accuracy", "learning_rate", "l2")}
    return TrainedParams(weights=tuple(weights), bias=number["bias"], feature_names=tuple(names),
                         epoch=_whole(epoch, f"{source}: epoch", err), loss=number["loss"],
                         accuracy=number["accuracy"], learning_rate=number["learning_rate"],
                         l2=number["l2"], standardize=values["standardize"] == "true")


def _csv_number(text: str, source: str, line: int, error: type[ValueError]) -> float:
    where = f"{source}, line {line}" if line else source
    try:
        value = float(text)
    except ValueError:
        raise error(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise error(f"{where}: {text} is not a finite number")
    return value


# -- history --------------------------------------------------------------------------------------------
def format_history_csv(epochs: Sequence[int], W: np.ndarray, b: Sequence[float], loss: Sequence[float]) -> str:
    W = np.asarray(W, dtype=float).reshape(len(epochs), -1)
    header = ["epoch", "loss"] + [f"w{k + 1}" for k in range(W.shape[1])] + ["b"]
    lines = [",".join(header)]
    for epoch, row_loss, row_w, row_b in zip(np.asarray(epochs).tolist(), np.asarray(loss).tolist(),
                                             W.tolist(), np.asarray(b).tolist()):
        lines.append(",".join([str(epoch), repr(row_loss), *map(repr, row_w), repr(row_b)]))
    return "\n".join(lines) + "\n"


def write_history_csv(path: str | os.PathLike[str], epochs, W, b, loss) -> None:
    """One row per epoch: epoch,loss,w1,w2,b (w_k belongs to the k-th feature, whatever its name)."""
    atomic_write_text(path, format_history_csv(epochs, W, b, loss))


def read_history_csv(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(epochs, W, b, loss) from a history CSV; HistoryFormatError names the line of a problem."""
    text = _read_text(path, HistoryFormatError)
    rows = _csv_rows(text, str(path), HistoryFormatError)
    if not rows:
        raise HistoryFormatError(f"{path} is empty")
    header = [c.strip() for c in rows[0]]
    if len(header) < 4 or header[:2] != ["epoch", "loss"] or header[-1] != "b":
        raise HistoryFormatError(f"{path}, line 1: expected the header 'epoch,loss,w1,w2,b'")
    table = np.empty((len(rows) - 1, len(header)))
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise HistoryFormatError(f"{path}, line {line}: expected {len(header)} values, found {len(row)}")
        table[line - 2] = [_csv_number(cell, str(path), line, HistoryFormatError) for cell in row]
    return table[:, 0].astype(np.int64), table[:, 2:-1], table[:, -1], table[:, 1]


# -- sessions ------------------------------------------------------------------------------------------------
@dataclass
class Session:
    """Everything needed to reopen the window as it was: points, settings, the whole history."""

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, str] = ("x1", "x2")
    settings: dict[str, Any] = field(default_factory=dict)
    epochs: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    W: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))
    b: np.ndarray = field(default_factory=lambda: np.empty(0))
    loss: np.ndarray = field(default_factory=lambda: np.empty(0))
    grad_norm: np.ndarray = field(default_factory=lambda: np.empty(0))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Session):
            return NotImplemented
        arrays = ("X", "y", "epochs", "W", "b", "loss", "grad_norm")
        return (self.feature_names == other.feature_names and self.settings == other.settings
                and all(np.array_equal(getattr(self, a), getattr(other, a)) for a in arrays))


SESSION_SETTINGS: dict[str, tuple[type, ...]] = {
    "learning_rate": (float, int), "l2": (float, int), "standardize": (bool,), "init": (str,),
    "seed": (int,), "max_epochs": (int, type(None)), "tol": (float, int, type(None)),
    "epochs_per_second": (float, int, type(None)),
}


def session_to_json_dict(session: Session) -> dict[str, Any]:
    return {
        "format": SESSION_FORMAT,
        "version": SESSION_VERSION,
        "points": {
            "feature_names": list(session.feature_names),
            "x1": np.asarray(session.X)[:, 0].tolist(),
            "x2": np.asarray(session.X)[:, 1].tolist(),
            "label": np.asarray(session.y).astype(int).tolist(),
        },
        "settings": dict(session.settings),
        "history": {
            "epoch": np.asarray(session.epochs).astype(int).tolist(),
            "loss": np.asarray(session.loss).tolist(),
            "w": np.asarray(session.W).tolist(),
            "b": np.asarray(session.b).tolist(),
            "grad_norm": np.asarray(session.grad_norm).tolist(),
        },
    }


def write_session(path: str | os.PathLike[str], session: Session) -> None:
    atomic_write_text(path, json.dumps(session_to_json_dict(session), separators=(",", ":")) + "\n")


def read_session(path: str | os.PathLike[str]) -> Session:
    """Read a session file; SessionFormatError says what is wrong (damaged, newer, not a session)."""
    text = _read_text(path, SessionFormatError)
    return session_from_json_dict(_json_object(text, str(path), SessionFormatError), str(path))


def session_from_json_dict(data: dict[str, Any], source: str = "the session") -> Session:
    err = SessionFormatError
    fmt = data.get("format")
    if not isinstance(fmt, str) or not fmt.startswith("lrviz-session/"):
        raise err(f"{source}: not an lrviz session file")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise err(f"{source}: the session has no valid format version")
    if version > SESSION_VERSION or fmt != SESSION_FORMAT:
        raise err(f"{source} was written by a newer lrviz (format version {version}); "
                  f"this lrviz reads version {SESSION_VERSION}. Update lrviz to open it.")
    points, settings, history = (data.get(k) for k in ("points", "settings", "history"))
    if not isinstance(points, dict) or not isinstance(settings, dict) or not isinstance(history, dict):
        raise err(f"{source}: the session is damaged (points, settings or history is missing)")

    names = points.get("feature_names")
    if not isinstance(names, list) or len(names) != 2 or not all(isinstance(n, str) and n for n in names):
        raise err(f"{source}: points.feature_names must be two names")
    x1 = _number_list(points.get("x1"), f"{source}: points.x1")
    x2 = _number_list(points.get("x2"), f"{source}: points.x2")
    labels = points.get("label")
    if not isinstance(labels, list) or any(isinstance(v, bool) or v not in (0, 1) for v in labels):
        raise err(f"{source}: points.label must be a list of 0 and 1")
    if not len(x1) == len(x2) == len(labels):
        raise err(f"{source}: points.x1, points.x2 and points.label have different lengths")

    clean_settings: dict[str, Any] = {}
    for key, value in settings.items():
        kinds = SESSION_SETTINGS.get(key)
        if kinds is None:
            continue  # a setting this version does not know: ignore it
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise err(f"{source}: the setting {key} has a wrong value {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise err(f"{source}: the setting {key} must be finite")
        clean_settings[key] = value

    epochs = history.get("epoch")
    if not isinstance(epochs, list) or any(isinstance(e, bool) or not isinstance(e, int) for e in epochs):
        raise err(f"{source}: history.epoch must be a list of whole numbers")
    loss = _number_list(history.get("loss"), f"{source}: history.loss")
    b = _number_list(history.get("b"), f"{source}: history.b")
    grad_norm = _number_list(history.get("grad_norm"), f"{source}: history.grad_norm")
    w_rows = history.get("w")
    if not isinstance(w_rows, list) or any(not isinstance(r, list) or len(r) != 2 for r in w_rows):
        raise err(f"{source}: history.w must be a list of [w1, w2] pairs")
    W = np.array([_number_list(r, f"{source}: history.w") for r in w_rows], dtype=float).reshape(-1, 2)
    if not len(epochs) == len(loss) == len(b) == len(grad_norm) == len(W):
        raise err(f"{source}: the history's columns have different lengths")
    epoch_array = np.array(epochs, dtype=np.int64)
    if len(epoch_array) and (np.any(np.diff(epoch_array) != 1) or epoch_array[0] < 0):
        raise err(f"{source}: history.epoch must count up by one")
    return Session(
        X=np.column_stack([x1, x2]).astype(float).reshape(-1, 2),
        y=np.array(labels, dtype=np.int64),
        feature_names=(names[0], names[1]),
        settings=clean_settings,
        epochs=epoch_array,
        W=W,
        b=np.array(b, dtype=float),
        loss=np.array(loss, dtype=float),
        grad_norm=np.array(grad_norm, dtype=float),
    )


def _number_list(values: Any, what: str) -> list[float]:
    if not isinstance(values, list):
        raise SessionFormatError(f"{what} must be a list of numbers")
    return [_finite(v, what, SessionFormatError) for v in values]


__all__ = [
    "HistoryFormatError", "PARAMS_FORMAT", "ParamsFormatError", "SESSION_FORMAT", "Session",
    "SessionFormatError", "TrainedParams", "atomic_write_text", "format_history_csv",
    "format_params_csv", "params_from_json_dict", "read_history_csv", "read_params", "read_session",
    "session_from_json_dict", "session_to_json_dict", "write_history_csv", "write_params",
    "write_session",
]
