"""`lrviz train`: read points, run the Trainer, write parameters and history, print a summary.

Defaults and ranges are SETTING_SPECS', as in the window, and the Trainer is built from a
TrainingSettings, so both train the same way.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from contextlib import nullcontext
from typing import TextIO

import numpy as np

from lrviz.cli.parsing import OneLineErrorParser, setting_value
from lrviz.cli.table_options import TableOptionError, add_table_options, read_table_points, wants_table
from lrviz.core import STOP_DIVERGED, Trainer, accuracy
from lrviz.core.dataset import Dataset
from lrviz.core.formats import DataFormatError, HistoryCsvWriter, TrainedParams, read_points_csv, write_params
from lrviz.core.history import parameter_names
from lrviz.core.settings import INIT_CHOICES, SETTING_SPECS, TrainingSettings

EXIT_OK, EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_INTERRUPTED = 0, 2, 3, 130
_CHUNK = 2000  # epochs between progress updates

TRAIN_EPILOG = "\n".join([
    "exit status:",
    f"  {EXIT_OK:<5}trained (stopped at the epoch limit, or converged)",
    f"  {EXIT_BAD_INPUT:<5}bad input (a missing or malformed file, an impossible option), with one line "
    "on stderr saying what is wrong",
    f"  {EXIT_DIVERGED:<5}training diverged (the learning rate is too large): the files then hold the "
    "last finite parameters",
    f"  {EXIT_INTERRUPTED:<5}interrupted with Ctrl+C (nothing written)",
])


class _ItemsFormatter(argparse.HelpFormatter):
    """Wraps the description and epilog to the terminal like the default formatter, but keeps
    each line of them a paragraph of its own (the default would run the exit codes together);
    an indented line is an item ("  2    bad input …") whose continuation lines hang under its text."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for line in text.splitlines():
            item = re.match(r"\s+\S+\s+", line)
            hang = indent + " " * (item.end() if item else 0)
            lines.append(textwrap.fill(line if item else line.strip(), width, initial_indent=indent,
                                       subsequent_indent=hang))
        return "\n".join(lines)


def _about(name: str, meaning: str) -> str:
    """An option's help: what it means, then its range and default from SETTING_SPECS."""
    spec = SETTING_SPECS[name]
    default = "off" if spec.default is None else f"{spec.default:g}" if spec.kind == "float" else spec.default
    return f"{meaning} ({spec.describe_range(with_none=False)}; default {default})"


def build_train_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(
        prog="lrviz train",
        description="Train logistic regression by full-batch gradient descent, headless, with the "
        "window's engine and defaults; print a one-line summary.",
        epilog=TRAIN_EPILOG,
        formatter_class=_ItemsFormatter,
    )
    spec = SETTING_SPECS
    parser.add_argument("data", metavar="DATA.csv", help="points CSV with the header x1,x2,label (label 0 or 1); any other CSV/TSV with "
                        "--columns, --label and --positive")
    parser.add_argument("--lr", type=setting_value("learning_rate"), default=spec["learning_rate"].default,
                        help=_about("learning_rate", "learning rate α"))
    parser.add_argument("--epochs", type=setting_value("max_epochs"), default=spec["max_epochs"].default,
                        help=_about("max_epochs", "number of epochs to train"))
    parser.add_argument("--l2", type=setting_value("l2"), default=spec["l2"].default,
                        help=_about("l2", "L2 strength λ"))
    parser.add_argument("--tol", type=setting_value("tol"), default=spec["tol"].default,
                        help=_about("tol", "stop when the gradient norm falls below this; 0 is off"))
    parser.add_argument("--standardize", action="store_true", default=spec["standardize"].default,
                        help="train on standardized features; w and b are reported for the raw points")
    parser.add_argument("--init", choices=INIT_CHOICES, default=spec["init"].default,
                        help=f"starting weights: {' or '.join(INIT_CHOICES)} (default {spec['init'].default}, "
                        "the tutorial's)")
    parser.add_argument("--seed", type=setting_value("seed"), default=spec["seed"].default,
                        help=_about("seed", "seed for --init random"))
    add_table_options(parser)
    parser.add_argument("--out", help="write the parameters here (JSON, or CSV by the .csv suffix)")
    parser.add_argument("--history", help="write the per-epoch history CSV here")
    return parser


def run_training(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Train as the parsed options say; the exit status (see TRAIN_EPILOG)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        settings = TrainingSettings(learning_rate=args.lr, l2=args.l2, standardize=args.standardize,
                                    init=args.init, seed=args.seed, max_epochs=args.epochs, tol=args.tol)
    except ValueError as error:
        return _fail(stderr, str(error))
    try:
        dataset = read_table_points(args) if wants_table(args) else read_points_csv(args.data)
    except TableOptionError as error:
        return _fail(stderr, str(error))
    except FileNotFoundError:
        return _fail(stderr, f"{args.data}: no such file; give the path of a points CSV (x1,x2,label)")
    except DataFormatError as error:
        return _fail(stderr, f"cannot read the points: {error}; for a table of other columns or labels, "
                     "give --columns COL,COL --label COL --positive NAME")
    except OSError as error:
        return _fail(stderr, f"cannot read {args.data}: {error.strerror or error}; check the path")
    if len(dataset) == 0:
        return _fail(stderr, f"{args.data} has a header but no points; add rows like '0.5,1.2,1'")
    X, y = dataset.snapshot()
    try:
        trainer = Trainer(X, y, **settings.trainer_arguments())
    except ValueError as error:
        return _fail(stderr, str(error))

    try:
        params = _train_and_write(args, settings, trainer, dataset, stderr)
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


def _train_and_write(args: argparse.Namespace, settings: TrainingSettings, trainer: Trainer, dataset: Dataset,
                     stderr: TextIO) -> TrainedParams:
    """Train while streaming --history, then write --out.

    The history file replaces the old one only when everything succeeded: Ctrl+C or an
    error anywhere (also writing --out) deletes its temp file and leaves no partial history.
    """
    names = parameter_names(trainer.current.w.size)
    history = HistoryCsvWriter(args.history, names) if args.history else None
    with history or nullcontext():
        _run_with_progress(trainer, settings.max_epochs, stderr, history)
        params = _trained_params(settings, trainer, dataset)
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


def _trained_params(settings: TrainingSettings, trainer: Trainer, dataset: Dataset) -> TrainedParams:
    """The trainer's current (last finite) parameters with the run's settings, for --out and the summary."""
    X, y = dataset.snapshot()
    record = trainer.current
    return TrainedParams(
        weights=tuple(float(v) for v in record.w), bias=record.b, feature_names=dataset.feature_names,
        epoch=record.epoch, loss=record.loss, accuracy=accuracy(X, y, record.w, record.b),
        learning_rate=settings.learning_rate, l2=settings.l2, standardize=settings.standardize,
        class_names=dataset.class_names,
    )


def _summary(dataset: Dataset, params: TrainedParams, trainer: Trainer) -> str:
    w = ", ".join(f"{v:.6g}" for v in params.weights)
    reason = f"; {trainer.stop.message}" if trainer.stop is not None else ""
    return (f"epoch {params.epoch:,}  loss {params.loss:.6g}  accuracy {params.accuracy:.4f}  "
            f"w ({w})  b {params.bias:.6g}  [{len(dataset):,} points{reason}]")


def _fail(stderr: TextIO, message: str) -> int:
    one_line = " ".join(message.split())  # a file name or cell with a line break stays one line
    print(f"lrviz train: {one_line}", file=stderr)
    return EXIT_BAD_INPUT


__all__ = ["EXIT_BAD_INPUT", "EXIT_DIVERGED", "EXIT_INTERRUPTED", "EXIT_OK", "TRAIN_EPILOG", "build_train_parser",
           "run_training"]
