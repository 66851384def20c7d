"""`lrviz train`: read points, run the Trainer, write parameters and history, print a summary.

Defaults and ranges are SETTING_SPECS', as in the window, and the Trainer is built from a
TrainingSettings, so both train the same way.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import textwrap
import threading
from contextlib import contextmanager, nullcontext
from typing import Iterator, TextIO

import numpy as np

from lrviz.cli.parsing import OneLineErrorParser, finite_number, setting_value, whole_number
from lrviz.cli.table_options import TableOptionError, add_table_options, read_table_points, wants_table
from lrviz.cli.train_options import add_model_options, feature_map, make_trainer, optimizer_settings
from lrviz.core import STOP_DIVERGED, Trainer, accuracy
from lrviz.core.dataset import DEFAULT_CLASS_NAMES, Dataset
from lrviz.core.formats import (DataFormatError, HistoryCsvWriter, TargetError, TrainedParams, checked_target,
                                read_points_csv, write_params)
from lrviz.core.features import IDENTITY, FeatureMap
from lrviz.core.metrics import DEFAULT_THRESHOLD, ModelMetrics, TestLoss, checked_threshold, evaluate
from lrviz.core.split import checked_share, stratified_split
from lrviz.core.settings import INIT_CHOICES, SETTING_SPECS, TrainingSettings
from lrviz.core.step_size import RECENT_EPOCHS, warning_for_points
from lrviz.core.wording import counted

EXIT_OK, EXIT_BAD_INPUT, EXIT_DIVERGED, EXIT_INTERRUPTED = 0, 2, 3, 130
_CHUNK = 2000  # epochs between progress updates

TRAIN_EPILOG = "\n".join([
    "exit status:",
    f"  {EXIT_OK:<5}trained (stopped at the epoch limit, or converged)",
    f"  {EXIT_BAD_INPUT:<5}bad input (a missing or malformed file, an impossible option), with one line "
    "on stderr saying what is wrong",
    f"  {EXIT_DIVERGED:<5}training diverged (the learning rate is too large): the files then hold the "
    "last finite parameters",
    f"  {EXIT_INTERRUPTED:<5}interrupted with Ctrl+C (nothing written); 143 and 129 for SIGTERM and SIGHUP",
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
                        help=_about("seed", "seed for --init random and for --optimizer sgd's shuffles"))
    parser.add_argument("--test-share", type=_percent, default=None, metavar="P",
                        help="keep P %% of each class back as test points (0 to 50; default: the file's "
                        "split column, if any, else 0: train on every point)")
    parser.add_argument("--split-seed", type=_seed, default=0, metavar="S",
                        help="seed of the --test-share split (a whole number ≥ 0; default 0)")
    parser.add_argument("--threshold", type=_threshold, default=DEFAULT_THRESHOLD, metavar="T",
                        help="ŷ at which a point counts as class 1 in the printed accuracies (0.01 to 0.99; "
                        "default 0.5); training does not depend on it")
    add_table_options(parser)
    parser.add_argument("--out", help="write the parameters here (JSON, or CSV by the .csv suffix)")
    parser.add_argument("--history", help="write the per-epoch history CSV here")
    add_model_options(parser)  # --degree, --sin, --optimizer and its parameters (train_options.py)
    return parser


def _percent(text: str) -> float:
    value = finite_number(text)
    try:
        return 100 * checked_share(value / 100)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a percentage from 0 to 50, not {text.strip()}") from None


def _seed(text: str) -> int:
    value = whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number ≥ 0, not {text.strip()}")
    return value


def _threshold(text: str) -> float:
    try:
        return checked_threshold(finite_number(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be from 0.01 to 0.99, not {text.strip()}") from None


def run_training(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Train as the parsed options say; the exit status (see TRAIN_EPILOG).

    Ctrl+C in any phase (reading, training, writing) exits 130, and SIGTERM or SIGHUP exit
    128 + the signal's number, each with one line: the signal unwinds the with blocks, so
    no temp file is left behind and the old files stay as they were.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        with _signals_unwind():
            return _run_training(args, stdout, stderr)
    except KeyboardInterrupt:
        _end_progress_line(stderr)
        print("lrviz train: interrupted; nothing was written", file=stderr)
        return EXIT_INTERRUPTED
    except _Stopped as stopped:
        _end_progress_line(stderr)
        print(f"lrviz train: stopped by {signal.Signals(stopped.signum).name}; nothing was written", file=stderr)
        return 128 + stopped.signum


class _Stopped(BaseException):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl+C (temp files deleted), then exit 128 + signum."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _signals_unwind() -> Iterator[None]:
    """SIGTERM and SIGHUP raise _Stopped in the main thread while the block runs (the default
    would end the process at once and leave the streamed history's temp file behind)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise _Stopped(signum)

    previous = {number: signal.signal(number, stop)
                for number in (getattr(signal, name, None) for name in ("SIGTERM", "SIGHUP")) if number is not None}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _end_progress_line(stderr: TextIO) -> None:
    if stderr.isatty():
        print(file=stderr)


def _run_training(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    try:
        settings = TrainingSettings(learning_rate=args.lr, l2=args.l2, standardize=args.standardize,
                                    init=args.init, seed=args.seed, max_epochs=args.epochs, tol=args.tol)
    except ValueError as error:
        return _fail(stderr, str(error))
    refused = _refused_outputs(args)
    if refused:
        return _fail(stderr, refused)
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
    if args.test_share is not None:
        dataset = dataset.copy()
        dataset.set_split(stratified_split(dataset.y, args.test_share / 100, args.split_seed))
    X, y = dataset.snapshot()
    is_test = dataset.is_test
    try:
        phi = feature_map(args, dataset.feature_names)
        trainer = make_trainer(X[~is_test], y[~is_test], phi, optimizer_settings(args), settings.trainer_arguments())
    except ValueError as error:
        return _fail(stderr, str(error))

    try:
        params, recent = _train_and_write(args, settings, trainer, dataset, stderr, phi)
    except OSError as error:
        return _fail(stderr, f"cannot write {error.filename or 'the output'}: {error.strerror or error}")

    print(_summary(dataset, params, trainer, _metrics(dataset, params, args.threshold, phi=phi)), file=stdout)
    warning = warning_for_points(phi.transform(X[~is_test]), settings.learning_rate, settings.l2, settings.standardize, recent)
    if warning:
        print(f"lrviz train: warning: {warning}", file=stderr)
    diverged = trainer.stop is not None and trainer.stop.kind == STOP_DIVERGED
    return EXIT_DIVERGED if diverged else EXIT_OK


def _refused_outputs(args: argparse.Namespace) -> str:
    """Why --out or --history cannot be written ('' when both can), known before any training."""
    targets = {}
    for option, path in (("--out", args.out), ("--history", args.history)):
        if path is None:
            continue
        try:
            targets[option] = checked_target(path)
        except TargetError as error:
            return f"cannot write {option} {error}"
    if len(targets) == 2 and targets["--out"] == targets["--history"]:
        return f"--out and --history name the same file ({args.out}); give two names"
    return ""


def _train_and_write(args: argparse.Namespace, settings: TrainingSettings, trainer: Trainer, dataset: Dataset,
                     stderr: TextIO, phi: FeatureMap = IDENTITY) -> tuple[TrainedParams, np.ndarray]:
    """Train while streaming --history, then write --out; returns the parameters and the losses
    of the last epochs (for the learning-rate warning).

    The history file replaces the old one only when everything succeeded: Ctrl+C or an
    error anywhere (also writing --out) deletes its temp file and leaves no partial history.
    """
    names = phi.parameter_names()  # w1, w2, b for the tutorial's map; w[x1^2], … otherwise
    has_test = bool(dataset.is_test.any())
    history = HistoryCsvWriter(args.history, names, test_loss=has_test) if args.history is not None else None
    test = TestLoss(phi.transform(dataset.X[dataset.is_test]), dataset.y[dataset.is_test]) if has_test else None
    with history or nullcontext():
        recent = _run_with_progress(trainer, settings.max_epochs, stderr, history, test)
        params = _trained_params(settings, trainer, dataset, args.threshold, phi)
        if args.out is not None:
            write_params(args.out, params)
    return params, recent


def _run_with_progress(trainer: Trainer, epochs: int, stderr: TextIO,
                       history: HistoryCsvWriter | None, test: TestLoss | None = None) -> np.ndarray:
    """Train to the end, giving every epoch (epoch 0 first) to `history` and keeping none but
    the losses of the last RECENT_EPOCHS + 1 epochs, which it returns.

    Memory stays flat for any --epochs: a chunk is dropped once written, and without
    --history only the trainer's current state is kept. A progress line on stderr when it
    is a terminal. With `test` (the test points' evaluator), each row gets its test loss.
    """
    def test_columns(W: np.ndarray, b: np.ndarray) -> tuple:
        return () if test is None else (test(W, b), True)

    if history is not None:
        first = trainer.current
        row = np.append(first.w, first.b)[None, :]
        history.append([first.epoch], row, [first.loss], *test_columns(row[:, :-1], row[:, -1]))
    show = stderr.isatty()
    recent = np.array([trainer.current.loss])
    while trainer.stop is None and trainer.current.epoch < epochs:
        chunk = trainer.run(min(_CHUNK, epochs - trainer.current.epoch))
        recent = np.concatenate([recent, chunk.loss])[-(RECENT_EPOCHS + 1):]
        if history is not None:
            history.append(chunk.epochs, np.column_stack([chunk.W, chunk.b]), chunk.loss,
                           *test_columns(chunk.W, chunk.b))
        if show:
            print(f"\repoch {trainer.current.epoch:,}/{epochs:,}  loss {trainer.current.loss:.6g}",
                  end="", file=stderr, flush=True)
    if show:
        print(file=stderr)
    return recent


def _trained_params(settings: TrainingSettings, trainer: Trainer, dataset: Dataset,
                    threshold: float = DEFAULT_THRESHOLD, phi: FeatureMap = IDENTITY) -> TrainedParams:
    """The trainer's current (last finite) parameters with the run's settings, for --out and the summary:
    `accuracy` on the training points at ŷ ≥ 0.5, and both accuracies at the threshold. The weights
    are named by φ's terms (for the tutorial's map, the points' own column names)."""
    X, y = dataset.snapshot()
    X = phi.transform(X)
    train = ~dataset.is_test
    record = trainer.current
    metrics = _metrics(dataset, None, threshold, record.w, record.b, phi)
    return TrainedParams(
        weights=tuple(float(v) for v in record.w), bias=record.b, feature_names=phi.terms,
        epoch=record.epoch, loss=record.loss, accuracy=accuracy(X[train], y[train], record.w, record.b),
        learning_rate=settings.learning_rate, l2=settings.l2, standardize=settings.standardize,
        threshold=threshold, train_accuracy=metrics.train.accuracy, test_accuracy=metrics.test.accuracy,
        class_names=dataset.class_names,
    )


def _metrics(dataset: Dataset, params: TrainedParams | None, threshold: float, w=None, b=None,
             phi: FeatureMap = IDENTITY) -> ModelMetrics:
    if params is not None:
        w, b = np.array(params.weights), params.bias
    return evaluate(phi.transform(dataset.X), dataset.y, dataset.is_test, w, b, threshold)


def _summary(dataset: Dataset, params: TrainedParams, trainer: Trainer, metrics: ModelMetrics) -> str:
    w = ", ".join(f"{v:.6g}" for v in params.weights)
    reason = f"; {trainer.stop.message}" if trainer.stop is not None else ""
    train, test = metrics.train, metrics.test
    tested = f"test {test.accuracy:.4f}" if test.accuracy is not None else "test – (no test points)"
    at = "" if metrics.train.threshold == DEFAULT_THRESHOLD else f" at t = {metrics.train.threshold:g}"
    points = counted(len(dataset), "point") + (f": {train.size:,} train, {test.size:,} test" if test.size else "")
    if dataset.class_names != DEFAULT_CLASS_NAMES:  # which class p is the chance of
        n0, n1 = dataset.class_counts()
        c0, c1 = ("".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in name) for name in dataset.class_names)
        points += f"; {n0:,} {c0} (class 0), {n1:,} {c1} (class 1)"
    return (f"epoch {params.epoch:,}  loss {params.loss:.6g}  accuracy{at} train {train.accuracy:.4f} {tested}  "
            f"w ({w})  b {params.bias:.6g}  [{points}{reason}]")


def _fail(stderr: TextIO, message: str) -> int:
    one_line = " ".join(message.split())  # a file name or cell with a line break stays one line
    # a file's control characters (terminal escape sequences) are shown, not sent to the terminal
    one_line = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in one_line)
    print(f"lrviz train: {one_line}", file=stderr)
    return EXIT_BAD_INPUT


__all__ = ["EXIT_BAD_INPUT", "EXIT_DIVERGED", "EXIT_INTERRUPTED", "EXIT_OK", "TRAIN_EPILOG", "build_train_parser",
           "run_training"]
