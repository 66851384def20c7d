"""`lrviz train`'s feature-map and optimizer options: --degree, --sin, --optimizer and its
parameters, their defaults and ranges read from features.FEATURE_SPECS and optim.OPTIMIZER_SPECS
(the one definition), and the trainer they give.

Kept apart from train.py so that the command's other options and these can change separately.
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from lrviz.cli.parsing import spec_value
from lrviz.core.features import FEATURE_SPECS, FeatureMap
from lrviz.core.optim import DEFAULT_OPTIMIZER, OPTIMIZER_CHOICES, OPTIMIZER_SPECS, OptimizerSettings
from lrviz.core.optimized_trainer import OptimizedTrainer
from lrviz.core.settings import SettingSpec
from lrviz.core.trainer import Trainer

_OPTIMIZER_WORDS = {"gd": "full-batch gradient descent, the tutorial's", "sgd": "mini-batch SGD",
                    "momentum": "classical (Polyak) momentum", "nesterov": "Nesterov momentum", "adam": "Adam",
                    "newton": "Newton's method (full steps; --lr is not used)"}


def _help(spec: SettingSpec, extra: str = "") -> str:
    return f"{spec.meaning}{extra} ({spec.describe_range(with_none=False)}; default {spec.default:g})"


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Add --degree, --sin, --optimizer, --batch-size, --momentum, --beta1, --beta2, --eps."""
    features, optim = FEATURE_SPECS, OPTIMIZER_SPECS
    parser.add_argument("--degree", type=spec_value(features["degree"]), default=features["degree"].default,
                        help=_help(features["degree"]))
    parser.add_argument("--sin", action="store_true", default=features["sin"].default,
                        help="add sin(x1) and sin(x2) as inputs")
    parser.add_argument("--optimizer", choices=OPTIMIZER_CHOICES, default=DEFAULT_OPTIMIZER, metavar="NAME",
                        help="the update rule: " + "; ".join(f"{k} {v}" for k, v in _OPTIMIZER_WORDS.items())
                        + f" (default {DEFAULT_OPTIMIZER})")
    parser.add_argument("--batch-size", type=spec_value(optim["batch_size"]), default=optim["batch_size"].default,
                        help=_help(optim["batch_size"], "; an epoch is one pass over the points, shuffled by --seed"))
    for name in ("momentum", "beta1", "beta2", "eps"):
        parser.add_argument(f"--{name}", type=spec_value(optim[name]), default=optim[name].default,
                            help=_help(optim[name]))


def feature_map(args: argparse.Namespace, inputs: tuple[str, str]) -> FeatureMap:
    """The options' φ, its terms named after the points' two columns."""
    return FeatureMap(args.degree, args.sin, inputs=inputs)


def optimizer_settings(args: argparse.Namespace) -> OptimizerSettings:
    return OptimizerSettings(args.optimizer, batch_size=args.batch_size, momentum=args.momentum,
                             beta1=args.beta1, beta2=args.beta2, eps=args.eps)


def make_trainer(X: np.ndarray, y: np.ndarray, phi: FeatureMap, optimizer: OptimizerSettings,
                 trainer_arguments: dict[str, Any]) -> Trainer:
    """A Trainer on φ(X): the engine's own fast gradient descent for "gd", else an OptimizedTrainer."""
    Z = phi.transform(X)
    if not np.isfinite(Z).all():
        raise ValueError(f"the points are too large for degree {phi.degree}: their powers leave float64; "
                         "rescale them or lower --degree")
    if optimizer.name == DEFAULT_OPTIMIZER:
        return Trainer(Z, y, **trainer_arguments)
    return OptimizedTrainer(Z, y, optimizer, **trainer_arguments)


__all__ = ["add_model_options", "feature_map", "make_trainer", "optimizer_settings"]
