"""Files for parameters, histories and sessions; every write is atomic.

Floats are written with repr() (JSON does the same), so reading a file back gives every
value exactly. Writers refuse values their reader would refuse (NaN, a negative learning
rate …), so lrviz never writes a file it cannot open again. Readers check everything and
raise one error class per format whose message says what is wrong; nothing here executes
code from a file (no pickle, no eval).

Shapes::

    weights (n,);  history: epochs (k,) int64, W (k, n), b / loss / grad_norm (k,)
    session points: X (m, 2) float64, y (m,) int64 of 0/1
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import secrets
import stat
import warnings
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Iterable, Iterator, Sequence, TextIO

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.trainer import STOP_CONVERGED, STOP_DIVERGED, STOP_MAX_EPOCHS, StopInfo

PARAMS_FORMAT = "lrviz-params/1"
SESSION_FORMAT = "lrviz-session/1"
HISTORY_HEADER = ("epoch", "loss", "w1", "w2", "b")


class ParamsFormatError(ValueError):
    """A parameters file is damaged, not a parameters file, or from a newer lrviz."""


class HistoryFormatError(ValueError):
    """A history CSV is damaged."""


class SessionFormatError(ValueError):
    """A session file is damaged, not a session, or from a newer lrviz."""


# -- atomic writes -----------------------------------------------------------------------------------
def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` (UTF-8) to a temp file beside `path`, fsync it, then rename it over `path`.

    A crash or an error midway leaves the old file as it was, and no temp file behind. The
    new file gets the old one's permissions, or the usual ones (0o666 minus the umask).
    """
    with _atomic_text_file(path) as stream:
        stream.write(text)


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A new empty temp file beside `path`, to be written by name; it replaces `path` only if
    the block ends without an exception, and is deleted otherwise (Ctrl+C included).

    The one code path of every atomic write (texts, streamed histories, images). The new
    file keeps the old one's permissions, or gets the usual ones (0o666 minus the umask).
    """
    target = Path(path)
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = None
    temp, handle = _create_temp_beside(target)
    os.close(handle)
    try:
        yield temp
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


@contextmanager
def _atomic_text_file(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A UTF-8 text stream that replaces `path` atomically (see `atomic_path`), flushed to disk."""
    with atomic_path(path) as temp:
        with open(temp, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())


def _create_temp_beside(target: Path) -> tuple[Path, int]:
    # os.open with 0o666 lets the umask decide the permissions (mkstemp would force 0o600).
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp = target.with_name(f".{target.name[:80]}.{secrets.token_hex(6)}.tmp")
        try:
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


# -- shared reading helpers -----------------------------------------------------------------------------
def _read_text(path: str | os.PathLike[str], error: type[ValueError]) -> str:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not a text (UTF-8) file: {exc.reason}") from None


def _csv_rows(text: str, source: str, error: type[ValueError]) -> Iterator[tuple[int, list[str]]]:
    """(line number, row) of the non-blank rows; malformed CSV raises `error` naming the line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    end = 0
    try:
        for row in reader:
            line, end = end + 1, reader.line_num  # a quoted cell may span lines: name the first
            if any(cell.strip() for cell in row):
                yield line, row
    except csv.Error as exc:
        raise error(f"{source}, line {reader.line_num}: not valid CSV ({exc})") from None


def numeric_table(body: str, columns: int) -> np.ndarray | None:
    """Parse comma-separated numbers fast with NumPy; None if anything is unusual.

    Callers fall back to their row-by-row parser, which says what is wrong. NumPy's parser
    rounds correctly, like float(), so both give the same doubles.
    """
    if not body.strip():
        return np.empty((0, columns))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            table = np.loadtxt(io.StringIO(body, newline=None), delimiter=",", dtype=float,
                               ndmin=2, comments=None)
    except (ValueError, UserWarning):
        return None
    if table.shape[1] != columns or not np.all(np.isfinite(table)):
        return None
    return table


def _after_header(text: str) -> str:
    """The text after the first non-blank CSV row (csv.reader reads a StringIO line by line)."""
    stream = io.StringIO(text, newline="")
    for row in csv.reader(stream):
        if any(cell.strip() for cell in row):
            break
    return stream.read()


def _finite(value: Any, what: str, error: type[ValueError]) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise error(f"{what} must be a number, not {_short(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise error(f"{what} must be a finite number, not {_short(value)}")
    return number


def _whole(value: Any, what: str, error: type[ValueError]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise error(f"{what} must be a whole number ≥ 0, not {_short(value)}")
    return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _json_object(text: str, source: str, error: type[ValueError]) -> dict[str, Any]:
    def no_constants(name: str) -> float:
        raise error(f"{source}: {name} is not allowed; every number must be finite")

    try:
        data = json.loads(text, parse_constant=no_constants)
    except json.JSONDecodeError as exc:
        raise error(f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise error(f"{source}: not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer literal longer than Python's digit limit
        if isinstance(exc, error):
            raise
        raise error(f"{source}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise error(f"{source}: expected a JSON object at the top level")
    return data


def _format_version(fmt: Any, family: str, current: int, source: str, what: str,
                    error: type[ValueError]) -> None:
    """Accept `family/current`; say "newer lrviz" for a higher version, "not …" otherwise."""
    prefix = f"{family}/"
    if not isinstance(fmt, str) or not fmt.startswith(prefix):
        raise error(f"{source}: not an lrviz {what} file (expected \"format\": \"{prefix}{current}\")")
    version = fmt[len(prefix):]
    if not (version.isascii() and version.isdigit()):
        raise error(f"{source}: unknown {what} format {_short(fmt)}")
    if int(version) > current:
        raise error(f"{source} was written by a newer lrviz (format {fmt}); this lrviz reads "
                    f"{prefix}{current}. Update lrviz to open it.")
    if int(version) != current:
        raise error(f"{source}: unknown {what} format {_short(fmt)}")


# -- parameters -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrainedParams:
    """Trained parameters for the raw coordinates of the points: p = σ(w·x + b).

    Checked on construction (ValueError), so a parameters file is always readable again.
    """

    weights: tuple[float, ...]
    bias: float
    feature_names: tuple[str, ...]
    epoch: int
    loss: float
    accuracy: float
    learning_rate: float
    l2: float
    standardize: bool

    def __post_init__(self) -> None:
        weights = tuple(_finite(w, "every weight", ValueError) for w in self.weights)
        names = tuple(self.feature_names)
        if not weights:
            raise ValueError("there must be at least one weight")
        if len(names) != len(weights) or not all(isinstance(n, str) and n.strip() for n in names):
            raise ValueError(f"feature_names must be {len(weights)} non-empty names, one per weight")
        loss = _finite(self.loss, "loss", ValueError)
        accuracy = _finite(self.accuracy, "accuracy", ValueError)
        learning_rate = _finite(self.learning_rate, "learning_rate", ValueError)
        l2 = _finite(self.l2, "l2", ValueError)
        if loss < 0:
            raise ValueError(f"loss must be ≥ 0, not {loss!r}")
        if not 0 <= accuracy <= 1:
            raise ValueError(f"accuracy must be between 0 and 1, not {accuracy!r}")
        if learning_rate <= 0:
            raise ValueError(f"learning_rate must be positive, not {learning_rate!r}")
        if l2 < 0:
            raise ValueError(f"l2 must be ≥ 0, not {l2!r}")
        if not isinstance(self.standardize, (bool, np.bool_)):
            raise ValueError("standardize must be True or False")
        epoch = self.epoch
        if isinstance(epoch, np.integer):
            epoch = int(epoch)
        for name, value in (("weights", weights), ("feature_names", names), ("loss", loss),
                            ("accuracy", accuracy), ("learning_rate", learning_rate), ("l2", l2),
                            ("bias", _finite(self.bias, "bias", ValueError)),
                            ("epoch", _whole(epoch, "epoch", ValueError)),
                            ("standardize", bool(self.standardize))):
            object.__setattr__(self, name, value)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "format": PARAMS_FORMAT,
            "weights": list(self.weights),
            "bias": self.bias,
            "feature_names": list(self.feature_names),
            "epoch": self.epoch,
            "loss": self.loss,
            "accuracy": self.accuracy,
            "learning_rate": self.learning_rate,
            "l2": self.l2,
            "standardize": self.standardize,
        }


_PARAM_FIELDS = ("weights", "bias", "feature_names", "epoch", "loss", "accuracy",
                 "learning_rate", "l2", "standardize")
_PARAM_NUMBERS = ("bias", "loss", "accuracy", "learning_rate", "l2")


def write_params(path: str | os.PathLike[str], params: TrainedParams) -> None:
    """JSON ("lrviz-params/1"), or the CSV form when the file name ends in .csv."""
    if Path(path).suffix.lower() == ".csv":
        atomic_write_text(path, format_params_csv(params))
    else:
        atomic_write_text(path, json.dumps(params.to_json_dict(), indent=2, allow_nan=False) + "\n")


def format_params_csv(params: TrainedParams) -> str:
    """Two columns, name,value: the format, one w_<feature> row per weight, then the rest."""
    rows = [("name", "value"), ("format", PARAMS_FORMAT)]
    rows += [(f"w_{name}", repr(w)) for name, w in zip(params.feature_names, params.weights)]
    rows += [("bias", repr(params.bias)), ("epoch", str(params.epoch)), ("loss", repr(params.loss)),
             ("accuracy", repr(params.accuracy)), ("learning_rate", repr(params.learning_rate)),
             ("l2", repr(params.l2)), ("standardize", "true" if params.standardize else "false")]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def read_params(path: str | os.PathLike[str]) -> TrainedParams:
    """Read a parameters file (JSON, or CSV by the .csv suffix); ParamsFormatError if it is not valid."""
    text = _read_text(path, ParamsFormatError)
    if Path(path).suffix.lower() == ".csv":
        return _params_from_csv(text, str(path))
    return params_from_json_dict(_json_object(text, str(path), ParamsFormatError), str(path))


def params_from_json_dict(data: dict[str, Any], source: str = "the parameters") -> TrainedParams:
    err = ParamsFormatError
    _format_version(data.get("format"), "lrviz-params", 1, source, "parameters", err)
    missing = [key for key in _PARAM_FIELDS if key not in data]
    if missing:
        raise err(f"{source}: missing {', '.join(missing)}")
    weights, names = data["weights"], data["feature_names"]
    if not isinstance(weights, list) or not weights:
        raise err(f"{source}: weights must be a non-empty list of numbers")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise err(f"{source}: feature_names must be a list of names")
    if not isinstance(data["standardize"], bool):
        raise err(f"{source}: standardize must be true or false")
    values = {key: _finite(data[key], f"{source}: {key}", err) for key in _PARAM_NUMBERS}
    return _checked_params(
        source, weights=tuple(_finite(w, f"{source}: a weight", err) for w in weights),
        feature_names=tuple(names), epoch=_whole(data["epoch"], f"{source}: epoch", err),
        standardize=data["standardize"], **values)


def _checked_params(source: str, **fields: Any) -> TrainedParams:
    try:
        return TrainedParams(**fields)
    except ValueError as error:
        raise ParamsFormatError(f"{source}: {error}") from None


def _params_from_csv(text: str, source: str) -> TrainedParams:
    err = ParamsFormatError
    rows = list(_csv_rows(text, source, err))
    if not rows or [c.strip() for c in rows[0][1]] != ["name", "value"]:
        raise err(f"{source}, line {rows[0][0] if rows else 1}: expected the header 'name,value'")
    known = {"format", "epoch", "standardize", *_PARAM_NUMBERS}
    values: dict[str, tuple[int, str]] = {}
    names: list[str] = []
    weights: list[float] = []
    for line, row in rows[1:]:
        if len(row) != 2:
            raise err(f"{source}, line {line}: expected 2 values (name, value), found {len(row)}")
        key, value = row[0].strip(), row[1].strip()
        if key.startswith("w_") and len(key) > 2:
            names.append(key[2:])
            weights.append(_csv_number(value, source, line, err))
        elif key not in known:
            raise err(f"{source}, line {line}: unknown name {_short(key)}; expected w_<feature>, "
                      f"{', '.join(sorted(known))}")
        elif key in values:
            raise err(f"{source}, line {line}: {key} appears twice")
        else:
            values[key] = (line, value)
    if "format" not in values:
        raise err(f"{source}: not an lrviz parameters file (no 'format,{PARAMS_FORMAT}' row)")
    _format_version(values["format"][1], "lrviz-params", 1, source, "parameters", err)
    missing = sorted(known - set(values)) + ([] if weights else ["the weights (w_<feature> rows)"])
    if missing:
        raise err(f"{source}: missing {', '.join(missing)}")
    line, flag = values["standardize"]
    if flag not in ("true", "false"):
        raise err(f"{source}, line {line}: standardize must be true or false, not {_short(flag)}")
    line, epoch_text = values["epoch"]
    if not (epoch_text.isascii() and epoch_text.isdigit()) or len(epoch_text) > 19 or int(epoch_text) >= 2**63:
        raise err(f"{source}, line {line}: epoch must be a whole number ≥ 0, not {_short(epoch_text)}")
    numbers = {k: _csv_number(values[k][1], source, values[k][0], err) for k in _PARAM_NUMBERS}
    return _checked_params(source, weights=tuple(weights), feature_names=tuple(names),
                           epoch=int(epoch_text), standardize=flag == "true", **numbers)


def _csv_number(text: str, source: str, line: int, error: type[ValueError]) -> float:
    try:
        value = float(text)
    except ValueError:
        raise error(f"{source}, line {line}: {_short(text)} is not a number") from None
    if not math.isfinite(value):
        raise error(f"{source}, line {line}: {_short(text)} is not a finite number")
    return value


# -- history --------------------------------------------------------------------------------------------
_HISTORY_SLICE = 1 << 16  # rows formatted at once by write_history_csv


def _history_arrays(epochs: ArrayLike, W: ArrayLike, b: ArrayLike, loss: ArrayLike,
                    error: type[ValueError]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Checked copies: epochs increasing whole numbers ≥ 0, every value finite, one row each."""
    epochs = np.array(epochs).reshape(-1)
    k = len(epochs)
    W = np.array(W, dtype=float)
    if k == 0 and W.size == 0:
        W = W.reshape(0, W.shape[-1] if W.ndim == 2 else 2)
    b, loss = np.array(b, dtype=float).reshape(-1), np.array(loss, dtype=float).reshape(-1)
    if W.ndim != 2 or W.shape[0] != k or W.shape[1] < 1 or b.shape != (k,) or loss.shape != (k,):
        raise error(f"the history's columns have different lengths (epochs {k}, W {W.shape}, "
                    f"b {b.shape}, loss {loss.shape})")
    if k and (epochs.dtype.kind not in "iu" or epochs.min() < 0 or np.any(np.diff(epochs) <= 0)):
        raise error("the history's epochs must be whole numbers ≥ 0 that increase")
    for name, values in (("W", W), ("b", b), ("loss", loss)):
        if not np.all(np.isfinite(values)):
            raise error(f"the history's {name} must hold finite numbers only")
    return epochs.astype(np.int64), W, b, loss


def format_history_csv(epochs: ArrayLike, W: ArrayLike, b: ArrayLike, loss: ArrayLike) -> str:
    epochs, W, b, loss = _history_arrays(epochs, W, b, loss, ValueError)
    return _history_header(W.shape[1]) + _history_body(epochs, W, b, loss)


def _history_header(n_weights: int) -> str:
    return ",".join(["epoch", "loss"] + [f"w{k + 1}" for k in range(n_weights)] + ["b"]) + "\n"


def _history_body(epochs: np.ndarray, W: np.ndarray, b: np.ndarray, loss: np.ndarray) -> str:
    """The rows of checked arrays, each ending in a newline (none for no rows)."""
    # Column-wise map(repr) keeps the per-value work in C; 1e6 epochs take a few seconds.
    columns = [map(str, epochs.tolist()), map(repr, loss.tolist()),
               *(map(repr, column) for column in W.T.tolist()), map(repr, b.tolist())]
    body = "\n".join(map(",".join, zip(*columns)))
    return body + ("\n" if body else "")


def write_history_csv(path: str | os.PathLike[str], epochs: ArrayLike, W: ArrayLike, b: ArrayLike,
                      loss: ArrayLike, feature_names: Sequence[str] | None = None) -> None:
    """One row per epoch under the header epoch,loss,w1,w2,b.

    The weights are numbered, not named: w1 belongs to the first feature (the first column
    of the points file) whatever its name, so every history has the same header. Given
    `feature_names` only have to match the number of weight columns. Written in slices, so
    a long history never exists as one big string.
    """
    epochs, W, b, loss = _history_arrays(epochs, W, b, loss, ValueError)
    if feature_names is not None and len(tuple(feature_names)) != W.shape[1]:
        raise ValueError(f"{len(tuple(feature_names))} feature names for {W.shape[1]} weight columns")
    with HistoryCsvWriter(path, W.shape[1]) as history:
        for start in range(0, len(epochs), _HISTORY_SLICE):
            rows = slice(start, start + _HISTORY_SLICE)
            history.append(epochs[rows], W[rows], b[rows], loss[rows])


class HistoryCsvWriter:
    """A history CSV written chunk by chunk while training runs, atomically.

    Memory stays flat however many epochs a run has: each chunk is checked, formatted,
    written and dropped. The file equals write_history_csv's for the whole arrays, byte for
    byte. Use it in a with block: the rows go to a temp file beside `path`, which replaces
    `path` only when the block ends without an exception; otherwise (Ctrl+C included) the
    temp file is deleted and the old file stays as it was.
    """

    def __init__(self, path: str | os.PathLike[str], n_weights: int) -> None:
        if isinstance(n_weights, bool) or not isinstance(n_weights, int) or n_weights < 1:
            raise ValueError(f"a history needs at least one weight column, not {_short(n_weights)}")
        self._path, self._n = path, n_weights
        self._stream: TextIO | None = None
        self._close = ExitStack()
        self._last_epoch = -1

    def __enter__(self) -> HistoryCsvWriter:
        with ExitStack() as stack:  # a failed header write still deletes the temp file
            stream = stack.enter_context(_atomic_text_file(self._path))
            stream.write(_history_header(self._n))
            self._close = stack.pop_all()
        self._stream = stream
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> bool:
        self._stream = None
        return self._close.__exit__(exc_type, exc, traceback)

    def append(self, epochs: ArrayLike, W: ArrayLike, b: ArrayLike, loss: ArrayLike) -> None:
        """Check one chunk like write_history_csv's arrays, then write it.

        The epochs must also increase from the last chunk's, so the file always reads back.
        A ValueError writes nothing of the chunk.
        """
        if self._stream is None:
            raise ValueError("the history writer is not open; use it in a with block")
        epochs, W, b, loss = _history_arrays(epochs, W, b, loss, ValueError)
        if not len(epochs):
            return
        if W.shape[1] != self._n:
            raise ValueError(f"this history has {self._n} weight columns, not {W.shape[1]}")
        if epochs[0] <= self._last_epoch:
            raise ValueError(f"the history's epochs must be whole numbers ≥ 0 that increase "
                             f"(epoch {epochs[0]} after {self._last_epoch})")
        self._stream.write(_history_body(epochs, W, b, loss))
        self._last_epoch = int(epochs[-1])


def read_history_csv(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(epochs (k,) int64, W (k, n), b (k,), loss (k,)); HistoryFormatError names the line of a problem."""
    err = HistoryFormatError
    source = str(path)
    text = _read_text(path, err)
    rows = _csv_rows(text, source, err)
    first = next(rows, None)
    if first is None:
        raise err(f"{source} is empty: expected the header 'epoch,loss,w1,w2,b' and one row per epoch")
    header_line, header = first[0], [c.strip() for c in first[1]]
    expected = ["epoch", "loss"] + [f"w{k + 1}" for k in range(len(header) - 3)] + ["b"]
    if len(header) < 4 or header != expected:
        raise err(f"{source}, line {header_line}: expected the header 'epoch,loss,w1,w2,b', "
                  f"found {_short(','.join(header))}")
    table = numeric_table(_after_header(text), len(header))
    if table is None or np.any(table[:, 0] != np.floor(table[:, 0])) or np.any(table[:, 0] >= 2**53):
        table = _history_rows(rows, source, len(header))  # slow, but names the bad line
    try:
        epochs, W, b, loss = _history_arrays(table[:, 0].astype(np.int64), table[:, 2:-1], table[:, -1],
                                             table[:, 1], err)
    except HistoryFormatError as error:
        raise err(f"{source}: {error}") from None
    return epochs, W, b, loss


def _history_rows(rows: Iterable[tuple[int, list[str]]], source: str, width: int) -> np.ndarray:
    err = HistoryFormatError
    table: list[list[float]] = []
    for line, row in rows:
        if len(row) != width:
            raise err(f"{source}, line {line}: expected {width} values, found {len(row)}")
        epoch = row[0].strip()
        if not (epoch.isascii() and epoch.isdigit()) or len(epoch) > 15:
            raise err(f"{source}, line {line}: the epoch must be a whole number ≥ 0, not {_short(epoch)}")
        table.append([float(epoch)] + [_csv_number(cell, source, line, err) for cell in row[1:]])
    return np.array(table, dtype=float).reshape(-1, width)


# -- sessions ------------------------------------------------------------------------------------------------
DEFAULT_SESSION_SETTINGS: dict[str, Any] = {
    "learning_rate": 0.1, "l2": 0.0, "standardize": False, "init": "zeros", "seed": 0,
    "max_epochs": 1000, "tol": None, "epochs_per_second": 30.0,
}
_STOP_KINDS = (STOP_MAX_EPOCHS, STOP_CONVERGED, STOP_DIVERGED)


def checked_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The eight training settings, type- and range-checked (ValueError); other keys dropped."""
    missing = [key for key in DEFAULT_SESSION_SETTINGS if key not in settings]
    if missing:
        raise ValueError(f"the settings lack {', '.join(missing)}")
    s = {key: settings[key] for key in DEFAULT_SESSION_SETTINGS}

    def number(key: str, low: float, allow_low: bool, optional: bool = False) -> float | None:
        value = s[key]
        if value is None and optional:
            return None
        value = _finite(value if not isinstance(value, np.floating) else float(value),
                        f"the setting {key}", ValueError)
        if value < low or (value == low and not allow_low):
            raise ValueError(f"the setting {key} must be {'≥' if allow_low else '>'} {low:g}, not {value!r}")
        return value

    def whole(key: str, optional: bool = False) -> int | None:
        value = s[key]
        if value is None and optional:
            return None
        return _whole(int(value) if isinstance(value, np.integer) else value, f"the setting {key}", ValueError)

    if not isinstance(s["standardize"], (bool, np.bool_)):
        raise ValueError(f"the setting standardize must be true or false, not {_short(s['standardize'])}")
    if s["init"] not in ("zeros", "random"):
        raise ValueError(f"the setting init must be 'zeros' or 'random', not {_short(s['init'])}")
    return {
        "learning_rate": number("learning_rate", 0.0, allow_low=False),
        "l2": number("l2", 0.0, allow_low=True),
        "standardize": bool(s["standardize"]),
        "init": str(s["init"]),
        "seed": whole("seed"),
        "max_epochs": whole("max_epochs", optional=True),
        "tol": number("tol", 0.0, allow_low=True, optional=True),
        "epochs_per_second": number("epochs_per_second", 0.0, allow_low=False, optional=True),
    }


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class Session:
    """Everything needed to reopen the window as it was: points, settings, the whole history.

    Checked on construction (ValueError); the arrays are read-only copies. The current
    parameters are the last history row (`current_w`, `current_b`, `current_epoch`).
    """

    X: np.ndarray                       # (m, 2) points
    y: np.ndarray                       # (m,) labels 0/1
    feature_names: tuple[str, str] = ("x1", "x2")
    settings: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_SESSION_SETTINGS))
    epochs: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))   # (k,)
    W: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))             # (k, 2)
    b: np.ndarray = field(default_factory=lambda: np.empty(0))                  # (k,)
    loss: np.ndarray = field(default_factory=lambda: np.empty(0))               # (k,)
    grad_norm: np.ndarray = field(default_factory=lambda: np.empty(0))          # (k,)
    stop: StopInfo | None = None        # why the last run stopped, if a stop rule fired

    def __post_init__(self) -> None:
        X = np.array(self.X, dtype=float)
        y = np.array(self.y)
        if X.size == 0 and y.size == 0:
            X, y = np.empty((0, 2)), np.empty(0, np.int64)
        if X.ndim != 2 or X.shape[1] != 2 or y.shape != (len(X),):
            raise ValueError(f"the points must be (m, 2) with m labels; got {X.shape} and {y.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError("the point coordinates must be finite numbers")
        if y.size and (y.dtype.kind not in "biuf" or not np.all((y == 0) | (y == 1))):
            raise ValueError("every label must be 0 or 1")
        names = tuple(self.feature_names)
        if len(names) != 2 or not all(isinstance(n, str) and n.strip() and "\n" not in n and "\r" not in n
                                      for n in names):
            raise ValueError("feature_names must be two non-empty one-line names")
        epochs, W, b, loss = _history_arrays(self.epochs, self.W, self.b, self.loss, ValueError)
        grad_norm = np.array(self.grad_norm, dtype=float).reshape(-1)
        if W.shape[1] != 2 or grad_norm.shape != (len(epochs),):
            raise ValueError("the history needs two weights and a gradient norm per epoch")
        if not np.all(np.isfinite(grad_norm)) or np.any(grad_norm < 0):
            raise ValueError("the history's gradient norms must be finite numbers ≥ 0")
        if len(epochs) and np.any(np.diff(epochs) != 1):
            raise ValueError("the history's epochs must count up by one")
        if self.stop is not None:
            stop = self.stop
            if (not isinstance(stop, StopInfo) or stop.kind not in _STOP_KINDS
                    or not isinstance(stop.message, str)):
                raise ValueError(f"stop must be a StopInfo whose kind is one of {', '.join(_STOP_KINDS)}")
            _whole(int(stop.epoch) if isinstance(stop.epoch, np.integer) else stop.epoch,
                   "the stop epoch", ValueError)
        for name, value in (("X", X), ("y", y.astype(np.int64)), ("epochs", epochs), ("W", W), ("b", b),
                            ("loss", loss), ("grad_norm", grad_norm)):
            object.__setattr__(self, name, _read_only(value))
        object.__setattr__(self, "feature_names", (names[0], names[1]))
        object.__setattr__(self, "settings", checked_settings(dict(self.settings)))

    @property
    def current_epoch(self) -> int | None:
        return int(self.epochs[-1]) if len(self.epochs) else None

    @property
    def current_w(self) -> np.ndarray | None:
        return self.W[-1].copy() if len(self.epochs) else None

    @property
    def current_b(self) -> float | None:
        return float(self.b[-1]) if len(self.epochs) else None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Session):
            return NotImplemented
        arrays = ("X", "y", "epochs", "W", "b", "loss", "grad_norm")
        return (self.feature_names == other.feature_names and self.settings == other.settings
                and self.stop == other.stop
                and all(np.array_equal(getattr(self, a), getattr(other, a)) for a in arrays))


def session_to_json_dict(session: Session) -> dict[str, Any]:
    last = None
    if len(session.epochs):
        last = {"epoch": int(session.epochs[-1]), "weights": session.W[-1].tolist(),
                "bias": float(session.b[-1]), "loss": float(session.loss[-1])}
    stop = session.stop
    return {
        "format": SESSION_FORMAT,
        "points": {
            "feature_names": list(session.feature_names),
            "x1": session.X[:, 0].tolist(),
            "x2": session.X[:, 1].tolist(),
            "label": session.y.tolist(),
        },
        "settings": dict(session.settings),
        "parameters": last,
        "history": {
            "epoch": session.epochs.tolist(),
            "loss": session.loss.tolist(),
            "w1": session.W[:, 0].tolist(),
            "w2": session.W[:, 1].tolist(),
            "b": session.b.tolist(),
            "grad_norm": session.grad_norm.tolist(),
        },
        "stop": None if stop is None else {"kind": stop.kind, "epoch": int(stop.epoch),
                                            "message": stop.message},
    }


def write_session(path: str | os.PathLike[str], session: Session) -> None:
    """One JSON file ("lrviz-session/1"), written atomically; compact, since histories get long."""
    text = json.dumps(session_to_json_dict(session), separators=(",", ":"), allow_nan=False)
    atomic_write_text(path, text + "\n")


def read_session(path: str | os.PathLike[str]) -> Session:
    """Read a session file; SessionFormatError says what is wrong (damaged, newer, not a session)."""
    text = _read_text(path, SessionFormatError)
    return session_from_json_dict(_json_object(text, str(path), SessionFormatError), str(path))


def session_from_json_dict(data: dict[str, Any], source: str = "the session") -> Session:
    err = SessionFormatError
    _format_version(data.get("format"), "lrviz-session", 1, source, "session", err)
    parts = {key: data.get(key) for key in ("points", "settings", "history")}
    for key, part in parts.items():
        if not isinstance(part, dict):
            raise err(f"{source}: the session is damaged ({key} is missing or not an object)")
    points, history = parts["points"], parts["history"]
    names = points.get("feature_names")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise err(f"{source}: points.feature_names must be two names")
    x1, x2 = _floats(points.get("x1"), f"{source}: points.x1"), _floats(points.get("x2"), f"{source}: points.x2")
    labels = _ints(points.get("label"), f"{source}: points.label")
    if not len(x1) == len(x2) == len(labels):
        raise err(f"{source}: points.x1, points.x2 and points.label have different lengths")
    columns = {key: _floats(history.get(key), f"{source}: history.{key}")
               for key in ("loss", "w1", "w2", "b", "grad_norm")}
    epochs = _ints(history.get("epoch"), f"{source}: history.epoch")
    if any(len(column) != len(epochs) for column in columns.values()):
        raise err(f"{source}: the history's columns have different lengths")
    try:
        session = Session(
            X=np.column_stack([x1, x2]), y=labels, feature_names=tuple(names),
            settings=parts["settings"], epochs=epochs, W=np.column_stack([columns["w1"], columns["w2"]]),
            b=columns["b"], loss=columns["loss"], grad_norm=columns["grad_norm"],
            stop=_stop_from_json(data.get("stop"), source))
    except ValueError as error:
        raise err(f"{source}: {error}") from None
    _check_parameters(data.get("parameters"), session, source)
    return session


def _stop_from_json(stop: Any, source: str) -> StopInfo | None:
    if stop is None:
        return None
    if not isinstance(stop, dict) or stop.get("kind") not in _STOP_KINDS or not isinstance(stop.get("message"), str):
        raise SessionFormatError(f"{source}: stop must be null or {{\"kind\": one of "
                                 f"{', '.join(_STOP_KINDS)}, \"epoch\": k, \"message\": text}}")
    return StopInfo(stop["kind"], _whole(stop.get("epoch"), f"{source}: stop.epoch", SessionFormatError),
                    stop["message"])


def _check_parameters(parameters: Any, session: Session, source: str) -> None:
    """The "parameters" block repeats the last history row for readers; it must agree."""
    expected = session_to_json_dict(session)["parameters"]
    if parameters != expected or (parameters is not None and any(
            isinstance(parameters[k], bool) for k in ("epoch", "bias", "loss"))):
        raise SessionFormatError(f"{source}: the session is damaged (\"parameters\" does not match "
                                 "the last epoch of the history)")


def _floats(values: Any, what: str) -> np.ndarray:
    """A JSON list of numbers as float64, fast: the type check and conversion run in C."""
    if not isinstance(values, list) or not set(map(type, values)) <= {float, int}:
        raise SessionFormatError(f"{what} must be a list of numbers")
    try:
        array = np.array(values, dtype=float).reshape(-1)
    except OverflowError:
        raise SessionFormatError(f"{what} holds a number too large for a float") from None
    if not np.all(np.isfinite(array)):
        raise SessionFormatError(f"{what} must hold finite numbers only")
    return array


def _ints(values: Any, what: str) -> np.ndarray:
    if not isinstance(values, list) or not set(map(type, values)) <= {int}:
        raise SessionFormatError(f"{what} must be a list of whole numbers")
    try:
        return np.array(values, dtype=np.int64).reshape(-1)
    except OverflowError:
        raise SessionFormatError(f"{what} holds a number too large") from None


__all__ = [
    "DEFAULT_SESSION_SETTINGS", "HISTORY_HEADER", "HistoryCsvWriter", "HistoryFormatError",
    "PARAMS_FORMAT", "ParamsFormatError", "SESSION_FORMAT", "Session", "SessionFormatError",
    "TrainedParams", "atomic_write_text", "checked_settings", "format_history_csv",
    "format_params_csv", "numeric_table", "params_from_json_dict", "read_history_csv",
    "read_params", "read_session", "session_from_json_dict", "session_to_json_dict",
    "write_history_csv", "write_params", "write_session",
]
