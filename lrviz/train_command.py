"""`lrviz train`: read points, run the Trainer, write parameters and history, print a summary."""

from __future__ import annotations

import argparse
import math
import sys
from contextlib import nullcontext
from typing import TextIO

import numpy as np

from lrviz.cli import OneLineErrorParser
from lrviz.core import STOP_DIVERGED, Trainer, accuracy
from lrviz.core.dataset import Dataset
from lrviz.core.formats import DataFormatError, HistoryCsvWriter, TrainedParams, read_points_csv, write_params
from lrviz.core.history import parameter_names

EXIT_OK, EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_INTERRUPTED = 0, 2, 3, 130
_CHUNK = 2000  # epochs between progress updates

TRAIN_EPILOG = f"""\
exit status: {EXIT_OK} trained (stopped at the epoch limit or converged); {EXIT_BAD_INPUT} bad input
(a missing or malformed file, an impossible option), with one line on stderr saying what is wrong;
{EXIT_DIVERGED} training diverged (the learning rate is too large): the files then hold the last
finite parameters; {EXIT_INTERRUPTED} interrupted with Ctrl+C (nothing written).
"""


def _positive(text: str) -> float:
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text}")
    return value


def _non_negative(text: str) -> float:
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or a positive number, not {text}")
    return value


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {text}")
    return value


def _whole_number(text: str) -> int:
    """A whole number ≥ 0 (epochs, seed)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def build_train_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(
        prog="lrviz train",
        description="Train logistic regression by full-batch gradient descent, headless, with the "
        "window's engine and defaults; print a one-line summary.",
        epilog=TRAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("data", help="points CSV with the header x1,x2,label (label 0 or 1)")
    parser.add_argument("--lr", type=_positive, default=0.1, help="learning rate α (default 0.1)")
    parser.add_argument("--epochs", type=_whole_number, default=1000, help="maximum number of epochs (default 1000)")
    parser.add_argument("--l2", type=_non_negative, default=0.0, help="L2 strength λ (default 0)")
    parser.add_argument("--tol", type=_non_negative, default=None,
                        help="stop when the gradient norm falls below this (default: off)")
    parser.add_argument("--standardize", action="store_true", help="train on standardized features")
    parser.add_argument("--init", choices=("zeros", "random"), default="zeros",
                        help="starting weights (default zeros, the tutorial's)")
    parser.add_argument("--seed", type=_whole_number, default=0, help="seed for --init random (default 0)")
    parser.add_argument("--out", help="write the parameters here (JSON, or CSV by the .csv suffix)")
    parser.add_argument("--history", help="write the per-epoch history CSV here")
    return parser


def run_training(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        dataset = read_points_csv(args.data)
    except FileNotFoundError:
        return _fail(stderr, f"{args.data}: no such file; give the path of a points CSV (x1,x2,label)")
    except DataFormatError as error:
        return _fail(stderr, f"cannot read the points: {error}")
    except OSError as error:
        return _fail(stderr, f"cannot read {args.data}: {error.strerror or error}; check the path")
    if len(dataset) == 0:
        return _fail(stderr, f"{args.data} has a header but no points; add rows like '0.5,1.2,1'")
    X, y = dataset.snapshot()
    try:
        trainer = Trainer(X, y, learning_rate=args.lr, l2=args.l2, standardize=args.standardize,
                          seed=args.seed, init=args.init, max_epochs=args.epochs, tol=args.tol)
    except ValueError as error:
        return _fail(stderr, str(error))

    try:
        params = _train_and_write(args, trainer, dataset, stderr)
    except KeyboardInterrupt:
        if stderr.isatty():
            print(file=stderr)  # end the progress line
        print("lrviz train: interrupted; nothing was written", file=stderr)
        return EXIT_INTERRUPTED
    except OSError as error:
        return _fail(stderr, f"cannot write {error.filename or 'the output'}: {error.strerror or error}")

    print(_summary(dataset, params, trainer), file=stdout)
    diverged = trainer.stop is not None and trainer.stop.kind == STOP_DIVERGED
    return EXIT_DIVERGED if diverged else EXIT_OK


def _train_and_write(args: argparse.Namespace, trainer: Trainer, dataset: Dataset,
                     stderr: TextIO) -> TrainedParams:
    """Train while streaming --history, then write --out.

    The history file replaces the old one only when everything succeeded: Ctrl+C or an
    error anywhere (also writing --out) deletes its temp file and leaves no partial history.
    """
    history = HistoryCsvWriter(args.history, parameter_names(trainer.current.w.size)) if args.history else None
    with history or nullcontext():
        _run_with_progress(trainer, args.epochs, stderr, history)
        params = _trained_params(args, trainer, dataset)
        if args.out:
            write_params(args.out, params)
    return params


def _run_with_progress(trainer: Trainer, epochs: int, stderr: TextIO,
                       history: HistoryCsvWriter | None) -> None:
    """Train to the end, giving every epoch (epoch 0 first) to `history` and keeping none.

    Memory stays flat for any --epochs: a chunk is dropped once written, and without
    --history only the trainer's current state is kept. A progress line on stderr when it
    is a terminal.
    """
    if history is not None:
        first = trainer.current
        history.append([first.epoch], np.append(first.w, first.b)[None, :], [first.loss])
    show = stderr.isatty()
    while trainer.stop is None and trainer.current.epoch < epochs:
        chunk = trainer.run(min(_CHUNK, epochs - trainer.current.epoch))
        if history is not None:
            history.append(chunk.epochs, np.column_stack([chunk.W, chunk.b]), chunk.loss)
        if show:
            print(f"\repoch {trainer.current.epoch:,}/{epochs:,}  loss {trainer.current.loss:.6g}",
                  end="", file=stderr, flush=True)
    if show:
        print(file=stderr)


def _trained_params(args: argparse.Namespace, trainer: Trainer, dataset: Dataset) -> TrainedParams:
    """The trainer's current (last finite) parameters with the run's settings, for --out and the summary."""
    X, y = dataset.snapshot()
    record = trainer.current
    return TrainedParams(
        weights=tuple(float(v) for v in record.w), bias=record.b, feature_names=dataset.feature_names,
        epoch=record.epoch, loss=record.loss, accuracy=accuracy(X, y, record.w, record.b),
        learning_rate=args.lr, l2=args.l2, standardize=args.standardize,
    )


def _summary(dataset: Dataset, params: TrainedParams, trainer: Trainer) -> str:
    w = ", ".join(f"{v:.6g}" for v in params.weights)
    reason = f"; {trainer.stop.message}" if trainer.stop is not None else ""
    return (f"epochs {params.epoch}  loss {params.loss:.6g}  accuracy {params.accuracy:.4f}  "
            f"w ({w})  b {params.bias:.6g}  [{len(dataset)} points{reason}]")


def _fail(stderr: TextIO, message: str) -> int:
    one_line = " ".join(message.split())  # a file name or cell with a line break stays one line
    print(f"lrviz train: {one_line}", file=stderr)
    return EXIT_BAD_INPUT
