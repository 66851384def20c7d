"""The options of ``lrviz [FILE]``, which opens the window."""

from __future__ import annotations

import argparse
import math

from lrviz import __version__
from lrviz.cli.parsing import OneLineErrorParser
from lrviz.core.settings import SETTING_SPECS

MAX_QUIT_AFTER_SECONDS = 1e6  # about 11.5 days; far beyond any demo, well within Qt's int timer
_SPEED = SETTING_SPECS["epochs_per_second"]


def _speed(text: str) -> float:
    """Epochs per second in the settings' range; 'max' is infinity (as fast as the machine can)."""
    if text.strip().lower() == "max":
        return math.inf
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of epochs per second, nor 'max'") from None
    if not _SPEED.low <= value <= _SPEED.high:
        raise argparse.ArgumentTypeError(f"choose between {_SPEED.low:g} and {_SPEED.high:g} epochs per "
                                         "second, or 'max'")
    return value


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
    parser.add_argument("data", nargs="?", metavar="FILE",
                        help="a points CSV (x1,x2,label) or a session (.json) to open")
    parser.add_argument("--train", action="store_true", help="start training as soon as the window opens")
    parser.add_argument("--speed", type=_speed, metavar="EPOCHS_PER_SECOND",
                        help=f"training speed: epochs per second ({_SPEED.low:g} to {_SPEED.high:g}), "
                        "or 'max'")
    parser.add_argument("--quit-after", type=_seconds, metavar="SECONDS",
                        help=f"close the window after this many seconds (0 to {MAX_QUIT_AFTER_SECONDS:,.0f}), "
                        "discarding unsaved changes (for demos and scripted runs)")
    # The usage names the other command too: argparse's own usage line (wrapped to the
    # terminal), then `lrviz train` aligned under it.
    usage = parser.format_usage()
    start = usage.index(parser.prog)
    parser.usage = f"{usage[start:].rstrip()}\n{' ' * start}{parser.prog} train DATA.csv [options]"
    return parser


__all__ = ["MAX_QUIT_AFTER_SECONDS", "build_window_parser"]
