"""What every lrviz command line shares: one-line errors, and parsers of numbers and settings."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import Any

from lrviz.core.numbers import strict_float, strict_int
from lrviz.core.settings import SETTING_SPECS, SettingSpec


class CommandLineError(Exception):
    """A bad command line; its message is printed as the one line on stderr."""


class OneLineErrorParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line that says what to do, not a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CommandLineError(f"{message} (see '{self.prog} --help')")

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> object:
        """`--lr=--` is a missing value, as `--lr --` is.

        Python 3.11's argparse strips the '--' and stores an empty list, which crashed later
        (float([])) or silently meant no --out at all.
        """
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            raise argparse.ArgumentError(action, "expected one argument")
        return super()._get_values(action, arg_strings)


def finite_number(text: str) -> float:
    try:
        value = strict_float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {text}")
    return value


def whole_number(text: str) -> int:
    try:
        return strict_int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def setting_value(name: str) -> Callable[[str], Any]:
    """An argparse `type` for the setting `name`: its kind of number, within SETTING_SPECS' range."""
    return spec_value(SETTING_SPECS[name])


def spec_value(spec: SettingSpec) -> Callable[[str], Any]:
    """An argparse `type` for any SettingSpec (e.g. features.FEATURE_SPECS, optim.OPTIMIZER_SPECS)."""
    number = whole_number if spec.kind == "int" else finite_number

    def parse(text: str) -> Any:
        try:
            return spec.check(number(text))
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {spec.describe_range(with_none=False)}, "
                                             f"not {text.strip()}") from None

    return parse


__all__ = ["CommandLineError", "OneLineErrorParser", "finite_number", "setting_value", "spec_value", "whole_number"]
