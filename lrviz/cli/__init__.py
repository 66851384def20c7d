"""Command line: ``lrviz [FILE]`` opens the window, ``lrviz train DATA.csv …`` trains headless.

Both take their defaults and ranges from lrviz.core.settings and use the same Trainer, so a
parameters file from either holds the same numbers for the same points and settings.
"""

from __future__ import annotations

import os
import sys
from typing import Sequence

from lrviz.cli.parsing import CommandLineError
from lrviz.cli.window import build_window_parser, data_file_problem, display_problem


def main(argv: Sequence[str] | None = None) -> int:
    """The `lrviz` entry point; returns the exit status (2 for a bad command line, one line on stderr)."""
    args = list(sys.argv[1:] if argv is None else argv)
    training = bool(args) and args[0] == "train"
    try:
        if training:  # imported here: the window's start does not pay for the headless trainer's modules
            from lrviz.cli.train import build_train_parser, run_training

            return run_training(build_train_parser().parse_args(args[1:]))
        window_args = build_window_parser().parse_args(args)
    except CommandLineError as error:
        prog = "lrviz train" if training else "lrviz"
        print(f"{prog}: " + " ".join(str(error).split()), file=sys.stderr)
        return 2  # bad input, as argparse does
    except KeyboardInterrupt:  # Ctrl+C before run_training handles it (parsing the options)
        print(f"{'lrviz train' if training else 'lrviz'}: interrupted; nothing was written", file=sys.stderr)
        return 130
    problem = data_file_problem(window_args.data) or display_problem()
    if problem is not None:
        print("lrviz: " + " ".join(problem.split()), file=sys.stderr)
        return 2
    from lrviz.ui.app import run_app  # Qt is imported only when a window is wanted

    return run_app(data_path=window_args.data, train=window_args.train, quit_after=window_args.quit_after,
                   speed=window_args.speed)


def entry() -> None:
    """The `lrviz` script and `python -m lrviz`: main(), then an exit that does not wait.

    Once main() has returned, every file is written (atomically, and synced), the training
    thread has stopped and the settings are saved; what is left is tearing down Python's
    and Qt's objects, which took up to 2.3 s after a session that had shown a dialog (seen
    under Xvfb). So the process ends at once, with main's status.
    """
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


__all__ = ["entry", "main"]
