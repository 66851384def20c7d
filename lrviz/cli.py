"""Command line: ``lrviz`` opens the window, ``lrviz train …`` trains headless."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from lrviz import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lrviz",
        description="A visual trainer for logistic regression. "
        "With no command, opens the window on a built-in data set.",
    )
    parser.add_argument("--version", action="version", version=f"lrviz {__version__}")
    parser.add_argument(
        "data",
        nargs="?",
        help="a points CSV (x1,x2,label) to open in the window instead of the built-in data set",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(args_list)
    from lrviz.ui.app import run_app  # Qt is imported only when a window is wanted

    return run_app(data_path=args.data)
