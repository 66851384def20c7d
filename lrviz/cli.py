"""Command line: ``lrviz`` opens the window, ``lrviz train …`` trains headless.

Both use the same Trainer with the same defaults, so a parameters file from either
holds the same numbers for the same points and settings.
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import Sequence

from lrviz import __version__


class CommandLineError(Exception):
    """A bad command line; its message is printed as the one line on stderr."""


class OneLineErrorParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line that says what to do, not a usage dump."""

    def error(self, message: str) -> None:
        raise CommandLineError(f"{message} (see '{self.prog} --help')")

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> object:
        """`--lr=--` is a missing value, as `--lr --` is.

        Python 3.11's argparse strips the '--' and stores an empty list, which crashed later
        (float([])) or silently meant no --out at all.
        """
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            raise argparse.ArgumentError(action, "expected one argument")
        return super()._get_values(action, arg_strings)


def _speed(text: str) -> float:
    """Epochs per second; 'max' is infinity (as fast as the machine can)."""
    if text.strip().lower() == "max":
        return float("inf")
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of epochs per second, nor 'max'") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("choose between 1 and 1000 epochs per second, or 'max'")
    return value


MAX_QUIT_AFTER_SECONDS = 1e6  # about 11.5 days; far beyond any demo, well within Qt's int timer


def _seconds(text: str) -> float:
    """Seconds before the window closes: finite and 0 to MAX_QUIT_AFTER_SECONDS (Qt's timer takes int ms)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not (math.isfinite(value) and 0 <= value <= MAX_QUIT_AFTER_SECONDS):
        raise argparse.ArgumentTypeError(f"choose between 0 and {MAX_QUIT_AFTER_SECONDS:,.0f} seconds, "
                                         f"not {text!r}")
    return value


def build_window_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(
        prog="lrviz",
        description="A visual trainer for logistic regression. With no arguments, opens the "
        "window on a built-in data set. 'lrviz train --help' shows headless training.",
    )
    parser.add_argument("--version", action="version", version=f"lrviz {__version__}")
    parser.add_argument("data", nargs="?", help="a points CSV (x1,x2,label) or a session (.json) to open")
    parser.add_argument("--train", action="store_true", help="start training as soon as the window opens")
    parser.add_argument("--speed", type=_speed, metavar="EPOCHS_PER_SECOND",
                        help="training speed: epochs per second (1 to 1000), or 'max'")
    parser.add_argument("--quit-after", type=_seconds, metavar="SECONDS",
                        help="close the window after this many seconds (0 to 1,000,000), discarding "
                        "unsaved changes (for demos and scripted runs)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] == "train":
            from lrviz.train_command import build_train_parser, run_training

            return run_training(build_train_parser().parse_args(args[1:]))
        window_args = build_window_parser().parse_args(args)
    except CommandLineError as error:
        prog = "lrviz train" if args and args[0] == "train" else "lrviz"
        print(f"{prog}: " + " ".join(str(error).split()), file=sys.stderr)
        return 2  # bad input, as argparse does
    from lrviz.ui.app import run_app  # Qt is imported only when a window is wanted

    return run_app(data_path=window_args.data, train=window_args.train, quit_after=window_args.quit_after,
                   speed=window_args.speed)

