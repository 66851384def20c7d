"""Trained parameters as a file: JSON ("lrviz-params/1"), or a two-column CSV by the .csv suffix.

Floats are written with repr(), so reading a file back gives every value exactly; the
writer refuses what the reader would refuse (TrainedParams checks on construction).

`accuracy` is that of the training points at ŷ ≥ 0.5 (as always). The metrics at the
threshold are optional fields (files without them still read): `threshold` t,
`train_accuracy` and `test_accuracy` at ŷ ≥ t (`test_accuracy` null, or no CSV row, when
there are no test points).
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lrviz.core.dataset import DEFAULT_CLASS_NAMES, checked_class_names
from lrviz.core.formats.atomic import atomic_write_text
from lrviz.core.formats.common import (
    csv_number,
    csv_rows,
    finite,
    format_version,
    json_object,
    read_text,
    short,
    whole,
)

PARAMS_FORMAT = "lrviz-params/1"


class ParamsFormatError(ValueError):
    """A parameters file is damaged, not a parameters file, or from a newer lrviz."""


@dataclass(frozen=True)
class TrainedParams:
    """Trained parameters for the raw coordinates of the points: p = σ(w·x + b), the
    probability of class_names[1].

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
    threshold: float | None = None  # the metrics' threshold t; None: a file without metrics
    train_accuracy: float | None = None  # at ŷ ≥ t, on the training points
    test_accuracy: float | None = None  # at ŷ ≥ t, on the test points; None without test points
    class_names: tuple[str, str] = DEFAULT_CLASS_NAMES  # of class 0 and class 1

    def __post_init__(self) -> None:
        weights = tuple(finite(w, "every weight", ValueError) for w in self.weights)
        names = tuple(self.feature_names)
        if not weights:
            raise ValueError("there must be at least one weight")
        if len(names) != len(weights) or not all(isinstance(n, str) and n.strip() for n in names):
            raise ValueError(f"feature_names must be {len(weights)} non-empty names, one per weight")
        loss = finite(self.loss, "loss", ValueError)
        accuracy = finite(self.accuracy, "accuracy", ValueError)
        learning_rate = finite(self.learning_rate, "learning_rate", ValueError)
        l2 = finite(self.l2, "l2", ValueError)
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
        for name in ("threshold", "train_accuracy", "test_accuracy"):
            value = getattr(self, name)
            if value is not None:
                value = finite(value, name, ValueError)
                if not 0 <= value <= 1:
                    raise ValueError(f"{name} must be between 0 and 1, not {value!r}")
                object.__setattr__(self, name, value)
        epoch = self.epoch
        if isinstance(epoch, np.integer):
            epoch = int(epoch)
        for name, value in (("weights", weights), ("feature_names", names), ("loss", loss),
                            ("accuracy", accuracy), ("learning_rate", learning_rate), ("l2", l2),
                            ("bias", finite(self.bias, "bias", ValueError)),
                            ("epoch", whole(epoch, "epoch", ValueError)),
                            ("standardize", bool(self.standardize)),
                            ("class_names", checked_class_names(self.class_names))):
            object.__setattr__(self, name, value)

    def to_json_dict(self) -> dict[str, Any]:
        """The file's object; "class_names" only when they are not 0 and 1, so a file of 0/1
        classes stays byte for byte what earlier lrviz wrote (and reads in it)."""
        named = {} if self.class_names == DEFAULT_CLASS_NAMES else {"class_names": list(self.class_names)}
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
            **({} if self.threshold is None else {"threshold": self.threshold}),
            **({} if self.train_accuracy is None else {"train_accuracy": self.train_accuracy}),
            **({} if self.threshold is None else {"test_accuracy": self.test_accuracy}),
        } | named


_PARAM_FIELDS = ("weights", "bias", "feature_names", "epoch", "loss", "accuracy",
                 "learning_rate", "l2", "standardize")
_PARAM_NUMBERS = ("bias", "loss", "accuracy", "learning_rate", "l2")
_OPTIONAL_NUMBERS = ("threshold", "train_accuracy", "test_accuracy")  # null or absent: None


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
    rows += [(name, repr(getattr(params, name))) for name in _OPTIONAL_NUMBERS if getattr(params, name) is not None]
    if params.class_names != DEFAULT_CLASS_NAMES:  # as in JSON: only names other than 0 and 1
        rows += [("class_0", params.class_names[0]), ("class_1", params.class_names[1])]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def read_params(path: str | os.PathLike[str]) -> TrainedParams:
    """Read a parameters file (JSON, or CSV by the .csv suffix); ParamsFormatError if it is not valid."""
    text = read_text(path, ParamsFormatError)
    if Path(path).suffix.lower() == ".csv":
        return _params_from_csv(text, str(path))
    return params_from_json_dict(json_object(text, str(path), ParamsFormatError), str(path))


def params_from_json_dict(data: dict[str, Any], source: str = "the parameters") -> TrainedParams:
    err = ParamsFormatError
    format_version(data.get("format"), "lrviz-params", range(1, 2), source, "parameters", err)
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
    classes = data.get("class_names", list(DEFAULT_CLASS_NAMES))  # optional: older files have none
    if not isinstance(classes, list) or not all(isinstance(n, str) for n in classes):
        raise err(f"{source}: class_names must be a list of two names")
    values = {key: finite(data[key], f"{source}: {key}", err) for key in _PARAM_NUMBERS}
    values |= {key: finite(data[key], f"{source}: {key}", err) for key in _OPTIONAL_NUMBERS
               if data.get(key) is not None}
    return _checked_params(
        source, weights=tuple(finite(w, f"{source}: a weight", err) for w in weights),
        feature_names=tuple(names), epoch=whole(data["epoch"], f"{source}: epoch", err),
        standardize=data["standardize"], class_names=tuple(classes), **values)


def _checked_params(source: str, **fields: Any) -> TrainedParams:
    try:
        return TrainedParams(**fields)
    except ValueError as error:
        raise ParamsFormatError(f"{source}: {error}") from None


def _params_from_csv(text: str, source: str) -> TrainedParams:
    err = ParamsFormatError
    rows = list(csv_rows(text, source, err))
    if not rows or [c.strip() for c in rows[0][1]] != ["name", "value"]:
        raise err(f"{source}, line {rows[0][0] if rows else 1}: expected the header 'name,value'")
    required = {"format", "epoch", "standardize", *_PARAM_NUMBERS}
    known = required | set(_OPTIONAL_NUMBERS) | {"class_0", "class_1"}
    values: dict[str, tuple[int, str]] = {}
    names: list[str] = []
    weights: list[float] = []
    for line, row in rows[1:]:
        if len(row) != 2:
            raise err(f"{source}, line {line}: expected 2 values (name, value), found {len(row)}")
        key, value = row[0].strip(), row[1].strip()
        if key.startswith("w_") and len(key) > 2:
            names.append(key[2:])
            weights.append(csv_number(value, source, line, err))
        elif key not in known:
            raise err(f"{source}, line {line}: unknown name {short(key)}; expected w_<feature>, "
                      f"{', '.join(sorted(known))}")
        elif key in values:
            raise err(f"{source}, line {line}: {key} appears twice")
        else:
            values[key] = (line, value)
    if "format" not in values:
        raise err(f"{source}: not an lrviz parameters file (no 'format,{PARAMS_FORMAT}' row)")
    format_version(values["format"][1], "lrviz-params", range(1, 2), source, "parameters", err)
    missing = sorted(required - set(values)) + ([] if weights else ["the weights (w_<feature> rows)"])
    if missing:
        raise err(f"{source}: missing {', '.join(missing)}")
    line, flag = values["standardize"]
    if flag not in ("true", "false"):
        raise err(f"{source}, line {line}: standardize must be true or false, not {short(flag)}")
    line, epoch_text = values["epoch"]
    if not (epoch_text.isascii() and epoch_text.isdigit()) or len(epoch_text) > 19 or int(epoch_text) >= 2**63:
        raise err(f"{source}, line {line}: epoch must be a whole number ≥ 0, not {short(epoch_text)}")
    numbers = {k: csv_number(values[k][1], source, values[k][0], err) for k in (*_PARAM_NUMBERS, *_OPTIONAL_NUMBERS)
               if k in values}
    classes = tuple(values[key][1] if key in values else default
                    for key, default in zip(("class_0", "class_1"), DEFAULT_CLASS_NAMES))
    return _checked_params(source, weights=tuple(weights), feature_names=tuple(names),
                           epoch=int(epoch_text), standardize=flag == "true", class_names=classes, **numbers)


__all__ = ["PARAMS_FORMAT", "ParamsFormatError", "TrainedParams", "format_params_csv", "params_from_json_dict",
           "read_params", "write_params"]
