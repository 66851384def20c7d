"""The options of ``lrviz [FILE]``, which opens the window."""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from lrviz import __version__
from lrviz.cli.parsing import OneLineErrorParser
from lrviz.cli.x_display import missing_xcb_libraries, x_server_answers
from lrviz.core.numbers import strict_float
from lrviz.core.settings import SETTING_SPECS

MAX_QUIT_AFTER_SECONDS = 1e6  # about 11.5 days; far beyond any demo, well within Qt's int timer
_SPEED = SETTING_SPECS["epochs_per_second"]


def _speed(text: str) -> float:
    """Epochs per second in the settings' range; 'max' is infinity (as fast as the machine can)."""
    if text.strip().lower() == "max":
        return math.inf
    try:
        value = strict_float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of epochs per second, nor 'max'") from None
    if not _SPEED.low <= value <= _SPEED.high:
        raise argparse.ArgumentTypeError(f"choose between {_SPEED.low:g} and {_SPEED.high:g} epochs per "
                                         "second, or 'max'")
    return value


def _seconds(text: str) -> float:
    """Seconds before the window closes: finite and 0 to MAX_QUIT_AFTER_SECONDS (Qt's timer takes int ms)."""
    try:
        value = strict_float(text)
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


SMALL_FILE_BYTES = 1 << 20  # files up to this size are checked before the window opens (a few ms)


def display_problem(environ: dict[str, str] | None = None, platform: str = sys.platform) -> str | None:
    """Why Qt would find no screen here, in one line, or None; no Qt is imported.

    Without a display, Qt aborts with exit 134 and a misleading "xcb-cursor0 is needed":
    this says what is wrong and how to run without one instead. An X display is asked
    through libxcb (x_display.py), so one that is set but cannot be opened is caught too.
    """
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0]
    if chosen and chosen not in ("xcb", "wayland", "wayland-egl"):
        return None  # offscreen, vnc, eglfs …: Qt needs no X display for these
    if env.get("WAYLAND_DISPLAY") and chosen != "xcb":
        return None
    display = env.get("DISPLAY", "")
    headless = ("run it on a desktop, or without a screen: 'lrviz train DATA.csv' trains headless, and "
                "QT_QPA_PLATFORM=offscreen lrviz --quit-after SECONDS runs the window unseen")
    if not display:
        return f"no display to open the window on (DISPLAY is not set); {headless}"
    missing = missing_xcb_libraries()
    if missing:
        return (f"the window on the X display {display} needs the system libraries {', '.join(missing)}: "
                f"install them (apt-get install {' '.join(missing)}; see the README), or {headless[:1].lower()}"
                f"{headless[1:]}")
    if not x_server_answers(display):
        return f"cannot open the display {display} (no X server answers there, or it refused lrviz); {headless}"
    return None


def data_file_problem(path: str | None) -> str | None:
    """Why the FILE given on the command line cannot be opened, in one line, or None.

    Checked before Qt starts, so `lrviz missing.csv` fails at once with exit 2 instead of
    opening the built-in data. Small files are read here in full (their errors name the
    line); a large one is left to the window, which reads it in the background.
    """
    if path is None:
        return None
    from lrviz.core.formats import (DataFormatError, SessionFormatError, can_give_points, read_points_csv,
                                    read_session)
    from lrviz.core.formats.kind import is_session_file

    try:
        size = os.stat(path).st_size
        if not Path(path).is_file():
            return f"{path}: not a file; give a points CSV or a session (.json)"
        if size <= SMALL_FILE_BYTES:
            (read_session if is_session_file(path) else read_points_csv)(path)
    except FileNotFoundError:
        return f"{path}: no such file; give the path of a points CSV or a session (.json)"
    except OSError as error:
        return f"{path}: cannot be read ({error.strerror or error})"
    except DataFormatError as error:
        if can_give_points(path):
            return None  # any other table: the window asks which columns and classes (importDialog)
        return f"{error} (the file was not opened)"
    except SessionFormatError as error:
        return f"{error} (the file was not opened)"
    return None


__all__ = ["MAX_QUIT_AFTER_SECONDS", "build_window_parser", "data_file_problem", "display_problem"]
