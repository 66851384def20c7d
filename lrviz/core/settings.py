"""The one definition of the training settings: names, defaults, ranges and checks.

The window's controls take their ranges from `SETTING_SPECS`, the worker and `lrviz train`
build a `Trainer` from a `TrainingSettings`, and the session reader checks a file's settings
with `checked_settings`; so a value that one part accepts, every part accepts and shows
the same way. The defaults are the tutorial's: α = 0.1, 1000 epochs, λ = 0, a zero start,
no standardization; the window trains at 30 epochs a second until told otherwise.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np

INIT_CHOICES = ("zeros", "random")


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its kind, its range (inclusive), whether None is allowed, and what it means."""

    name: str
    kind: str  # "float", "int", "bool" or "choice"
    default: Any
    low: float | None = None
    high: float | None = None
    optional: bool = False  # None is a value (off / no limit / as fast as possible)
    positive: bool = False  # a float that must be > low (low itself excluded)
    meaning: str = ""
    none_means: str = ""

    def check(self, value: Any) -> Any:
        """The value as its canonical Python type; ValueError naming the setting and its range."""
        if value is None:
            if self.optional:
                return None
            raise ValueError(f"the setting {self.name} needs a value ({self.describe_range()})")
        if self.kind == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise ValueError(f"the setting {self.name} must be true or false, not {_short(value)}")
            return bool(value)
        if self.kind == "choice":
            if value not in INIT_CHOICES:
                raise ValueError(f"the setting {self.name} must be one of {', '.join(INIT_CHOICES)}, "
                                 f"not {_short(value)}")
            return str(value)
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"the setting {self.name} must be a number, not {_short(value)}")
        if self.kind == "int":
            if isinstance(value, (float, np.floating)):
                raise ValueError(f"the setting {self.name} must be a whole number, not {_short(value)}")
            number: Any = int(value)
        else:
            try:
                number = float(value)
            except OverflowError:
                number = math.inf
            if not math.isfinite(number):
                raise ValueError(f"the setting {self.name} must be a finite number, not {_short(value)}")
        too_low = self.low is not None and (number < self.low or (self.positive and number == self.low))
        too_high = self.high is not None and number > self.high
        if too_low or too_high:
            raise ValueError(f"the setting {self.name} must be {self.describe_range()}, not {_short(value)}")
        return number

    def describe_range(self, with_none: bool = True) -> str:
        """The range in words, for error messages, tooltips and the README; `with_none=False`
        leaves out "or none" where none cannot be given (a command-line option)."""
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return " or ".join(INIT_CHOICES)
        low = "0" if self.low == 0 else f"{self.low:g}"
        above = f"above {low}" if self.positive else f"from {low}"
        text = f"{above} to {self.high:,}" if self.kind == "int" else f"{above} to {self.high:g}"
        return text + (f", or none ({self.none_means})" if self.optional and with_none else "")


SETTING_SPECS: dict[str, SettingSpec] = {spec.name: spec for spec in (
    SettingSpec("learning_rate", "float", 0.1, 1e-6, 1e6,
                meaning="learning rate α of the updates (4-2) and (4-3)"),
    SettingSpec("l2", "float", 0.0, 0.0, 1e3,
                meaning="L2 strength λ: (λ/2)‖w‖² is added to the loss (2-1); 0 is the tutorial's model"),
    SettingSpec("standardize", "bool", False,
                meaning="train on (x − mean)/std; w and b are reported for the raw points"),
    SettingSpec("init", "choice", "zeros", meaning="the start: zeros (the tutorial's) or small random weights"),
    SettingSpec("seed", "int", 0, 0, 2**31 - 1, meaning="seed of the random start"),
    SettingSpec("max_epochs", "int", 1000, 0, 100_000_000, optional=True, none_means="no limit",
                meaning="training stops at this epoch"),
    SettingSpec("tol", "float", None, 0.0, 1.0, optional=True, none_means="off",
                meaning="stop when the gradient norm falls below this; 0 or none is off"),
    SettingSpec("epochs_per_second", "float", 30.0, 1.0, 1000.0, optional=True,
                none_means="as fast as the machine can", meaning="the window's training speed"),
)}

MAX_DEGREE = 6

# The feature-map settings, for the command line (and later the window): one definition.
FEATURE_SPECS: dict[str, SettingSpec] = {spec.name: spec for spec in (
    SettingSpec("degree", "int", 1, 1, MAX_DEGREE,
                meaning="every monomial of x1, x2 up to this degree is an input; 1 is the tutorial's x1, x2"),
    SettingSpec("sin", "bool", False, meaning="add sin(x1) and sin(x2) as inputs"),
)}


OPTIMIZER_CHOICES = ("gd", "sgd", "momentum", "nesterov", "adam", "newton")
DEFAULT_OPTIMIZER = "gd"

OPTIMIZER_SPECS: dict[str, SettingSpec] = {spec.name: spec for spec in (
    SettingSpec("batch_size", "int", 32, 1, 100_000_000,
                meaning="points per update of mini-batch SGD (the last batch of an epoch may be smaller)"),
    SettingSpec("momentum", "float", 0.9, 0.0, 0.999999,
                meaning="momentum β of momentum and Nesterov momentum"),
    SettingSpec("beta1", "float", 0.9, 0.0, 0.999999, meaning="Adam's decay β₁ of the first moment"),
    SettingSpec("beta2", "float", 0.999, 0.0, 0.999999, meaning="Adam's decay β₂ of the second moment"),
    SettingSpec("eps", "float", 1e-8, 0.0, 1.0, positive=True, meaning="Adam's ε in the denominator"),
)}

# Smallest positive values the window's log-scale fields step to (0 sits below them).
SMALLEST_POSITIVE = {"l2": 1e-6, "tol": 1e-12}


@dataclass(frozen=True)
class TrainingSettings:
    """Everything the user sets about training; checked on construction (ValueError)."""

    learning_rate: float = SETTING_SPECS["learning_rate"].default
    l2: float = SETTING_SPECS["l2"].default
    standardize: bool = SETTING_SPECS["standardize"].default
    init: str = SETTING_SPECS["init"].default
    seed: int = SETTING_SPECS["seed"].default
    max_epochs: int | None = SETTING_SPECS["max_epochs"].default
    tol: float | None = SETTING_SPECS["tol"].default
    epochs_per_second: float | None = SETTING_SPECS["epochs_per_second"].default
    # The model's inputs φ and the optimizer (issue 14): restart settings like standardize.
    # Their specs are FEATURE_SPECS and OPTIMIZER_SPECS below (`model_specs()`); the literal
    # defaults here equal theirs (a test checks it).
    degree: int = 1
    sin: bool = False
    optimizer: str = "gd"
    batch_size: int = 32
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def __post_init__(self) -> None:
        specs = {**SETTING_SPECS, **FEATURE_SPECS, **OPTIMIZER_SPECS}
        if self.optimizer not in OPTIMIZER_CHOICES:
            raise ValueError(f"the setting optimizer must be one of {', '.join(OPTIMIZER_CHOICES)}, "
                             f"not {_short(self.optimizer)}")
        for spec_field in fields(self):
            if spec_field.name == "optimizer":
                continue
            value = specs[spec_field.name].check(getattr(self, spec_field.name))
            if spec_field.name == "tol" and value == 0:
                value = None  # a tolerance of 0 is off, like none
            object.__setattr__(self, spec_field.name, value)

    def to_dict(self) -> dict[str, Any]:
        """The settings by name; the feature map and optimizer only when one of them is not the
        tutorial's (so files of tutorial runs keep the form older readers know)."""
        values = asdict(self)
        if all(values[f.name] == f.default for f in fields(self) if f.name in MODEL_SETTINGS):
            for name in MODEL_SETTINGS:
                del values[name]
        return values

    def trainer_arguments(self) -> dict[str, Any]:
        """The keyword arguments of `Trainer` that these settings give."""
        return {"learning_rate": self.learning_rate, "l2": self.l2, "standardize": self.standardize,
                "init": self.init, "seed": self.seed, "max_epochs": self.max_epochs, "tol": self.tol}

MODEL_SETTINGS = ("degree", "sin", "optimizer", "batch_size", "momentum", "beta1", "beta2", "eps")


def model_specs() -> dict[str, SettingSpec]:
    """The specs of the feature-map and optimizer settings (all but the choice `optimizer`)."""
    return {**FEATURE_SPECS, **OPTIMIZER_SPECS}


def checked_settings(settings: dict[str, Any]) -> TrainingSettings:
    """TrainingSettings from a file's dict: every setting present and in range (ValueError); others ignored."""
    if not isinstance(settings, dict):
        raise ValueError("the settings must be an object of named values")
    missing = [name for name in SETTING_SPECS if name not in settings]
    if missing:
        raise ValueError(f"the settings lack {', '.join(missing)}")
    model = {name: settings[name] for name in MODEL_SETTINGS if name in settings}  # optional: older files lack them
    return TrainingSettings(**{name: settings[name] for name in SETTING_SPECS}, **model)


def markdown_table() -> str:
    """The settings as the README's table (tests/test_readme.py keeps the README equal to it)."""
    def shown(value: Any) -> str:
        if value is None or isinstance(value, bool):
            return {None: "none", True: "true", False: "false"}[value]
        return f"`{value}`" if isinstance(value, str) else f"{value:g}"

    rows = ["| setting | default | range | what it is |", "|---|---|---|---|"]
    rows += [f"| `{spec.name}` | {shown(spec.default)} | {spec.describe_range()} | {spec.meaning} |"
             for spec in SETTING_SPECS.values()]
    return "\n".join(rows)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


DEFAULT_SETTINGS = TrainingSettings()

__all__ = ["DEFAULT_OPTIMIZER", "DEFAULT_SETTINGS", "FEATURE_SPECS", "INIT_CHOICES", "MAX_DEGREE",
           "OPTIMIZER_CHOICES", "OPTIMIZER_SPECS", "MODEL_SETTINGS", "SETTING_SPECS", "model_specs", "SMALLEST_POSITIVE", "SettingSpec",
           "TrainingSettings", "checked_settings"]
