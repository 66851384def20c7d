"""`lrviz train`'s options for any table: --columns COL,COL --label COL --positive NAME [--keep A,B | --rest].

The same reader and checks as the window's importDialog (lrviz.core.formats.table), so a
file the window opens with a choice, `lrviz train` trains on with the same choice given as
options (`--rest`: one class against all the others, class 0 named "not NAME", as the
dialog's "every other value"). Every problem is one line naming the file, the line and the column, or the option.
"""

from __future__ import annotations

import argparse

from lrviz.core.dataset import Dataset
from lrviz.core.formats.table import BadRowsError, TableChoice, TableFormatError, dataset_from_table, read_table


class TableOptionError(ValueError):
    """The table options do not fit the file; the message says what to give instead."""


def add_table_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("any table")
    group.add_argument("--columns", metavar="COL,COL", help="the two feature columns (names, or numbers from 1)")
    group.add_argument("--label", metavar="COL", help="the label column")
    group.add_argument("--positive", metavar="NAME", help="the label value that is class 1 (p is its probability)")
    group.add_argument("--keep", metavar="A,B", help="with more than two label values: the two classes to keep")
    group.add_argument("--rest", action="store_true", default=None,
                       help="class 0 is every value other than --positive (one class against the rest)")


def wants_table(args: argparse.Namespace) -> bool:
    return any(getattr(args, name) is not None for name in ("columns", "label", "positive", "keep", "rest"))


def _pair(text: str, option: str) -> tuple[str, str]:
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 2 or not all(parts):
        raise TableOptionError(f"{option} takes two names separated by a comma, not {text!r}")
    return parts[0], parts[1]


def read_table_points(args: argparse.Namespace) -> Dataset:
    """The points the options choose from args.data; OSError for the path, TableOptionError for the rest."""
    missing = [f"--{name}" for name in ("columns", "label", "positive") if getattr(args, name) is None]
    if missing:
        raise TableOptionError(f"also give {' and '.join(missing)} to train on columns of {args.data} "
                               "(--columns COL,COL --label COL --positive NAME)")
    features = _pair(args.columns, "--columns")
    try:
        table = read_table(args.data)
    except TableFormatError as error:
        raise TableOptionError(str(error)) from None
    try:
        label = table.column_index(args.label)
        for name in features:
            table.column_index(name)
    except KeyError as error:
        raise TableOptionError(f"{error.args[0]} (see --columns and --label)") from None
    values = [value for value, _ in table.classes(label)]
    positive = args.positive.strip()
    if positive not in values:
        raise TableOptionError(f"--positive {positive}: the column {table.names[label]!r} of {args.data} has no "
                               f"such value; its values are {', '.join(values[:8])}")
    if args.rest and args.keep is not None:
        raise TableOptionError(f"give either --keep {args.keep} (two classes) or --rest (one against the rest), "
                               "not both")
    if args.rest:
        negative = None
        if len(values) < 2:
            raise TableOptionError(f"--rest: the column {table.names[label]!r} of {args.data} has no value other "
                                   f"than {positive}")
    elif args.keep is not None:
        keep = _pair(args.keep, "--keep")
        if positive not in keep:
            raise TableOptionError(f"--positive {positive} must be one of --keep {args.keep}")
        negative = keep[1] if keep[0] == positive else keep[0]
    elif len(values) == 2:
        negative = values[0] if values[1] == positive else values[1]
    else:
        raise TableOptionError(f"the column {table.names[label]!r} of {args.data} has {len(values)} values "
                               f"({', '.join(values[:8])}); choose two with --keep A,B, or one against the "
                               "rest with --rest")
    choice = TableChoice(features=features, label=table.names[label], positive=positive, negative=negative)
    try:
        return dataset_from_table(table, choice).dataset
    except BadRowsError as error:
        raise TableOptionError(f"{error}; fix or remove those rows") from None
    except (KeyError, ValueError) as error:
        raise TableOptionError(str(error.args[0] if isinstance(error, KeyError) else error)) from None


__all__ = ["TableOptionError", "add_table_options", "read_table_points", "wants_table"]
