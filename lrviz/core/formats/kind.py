"""Which reader a file is for: a session (a JSON object) or a points CSV, by the file's start."""

from __future__ import annotations

import re

from lrviz.core.formats.common import open_regular


def is_session_file(path: str) -> bool:
    """Sessions are JSON objects: by the file's start, so points saved under a .json name open
    as points. A .json name that starts with '{' is a session (damaged or not: its reader
    says what is wrong), and so is any file that starts like one ('{"'); by the name when the
    file cannot be read (the reader then gives its error)."""
    named = path.lower().endswith(".json")
    try:
        with open_regular(path) as handle:
            start = handle.read(64).lstrip()
    except (OSError, UnicodeDecodeError):
        return named
    if not start:
        return named
    return start.startswith("{") if named else re.match(r'\{\s*"', start) is not None


__all__ = ["is_session_file"]
