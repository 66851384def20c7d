"""A folder the tests cannot write into, also when they run as root (chmod does not stop root)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _writable(folder: Path) -> bool:
    probe = folder / ".lrviz-probe"
    try:
        probe.write_text("")
    except OSError:
        return False
    probe.unlink()
    return True


def read_only_folder(tmp_path: Path) -> Path:
    """A folder whose writes fail: a 0o555 folder, or for root the read-only /sys."""
    folder = tmp_path / "read-only"
    folder.mkdir(exist_ok=True)
    os.chmod(folder, 0o555)
    if not _writable(folder):
        return folder
    os.chmod(folder, 0o755)
    if Path("/sys").is_dir() and not _writable(Path("/sys")):
        return Path("/sys")
    pytest.skip("no read-only folder on this machine")
