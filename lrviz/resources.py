"""Where the bundled files (data sets, icon) are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_ASSETS = Path(__file__).resolve().parent / "assets"  # inside a wheel
_CHECKOUT_ASSETS = Path(__file__).resolve().parent.parent / "assets"  # editable / source


def asset_path(name: str) -> Path:
    """Return the path of a bundled asset; raise FileNotFoundError if it is missing."""
    for folder in (_PACKAGE_ASSETS, _CHECKOUT_ASSETS):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"bundled file {name!r} is missing from the lrviz installation")
