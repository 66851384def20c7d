"""PySide6's look at every imported module's source, made cheap (same answers; 0.05–0.1 s of the start).

Once PySide6 is imported, its import hook (shibokensupport.feature.feature_imported) asks of
every module imported after it whether its source contains "PySide6", to give modules that
use PySide6 their own `from __feature__ import …` selection (0: none) and the others -1
("ignore"). It finds out with `inspect.getsource(module)`: through linecache and tokenize it
decodes the whole file, splits it into lines, keeps them in linecache for good and joins them
again, for each of the ~450 modules of lrviz's start.

`install()` puts a function in place of that test (shibokensupport.feature._mod_uses_pyside)
that reads the same file as bytes and looks for the same word in the text decoded with the
file's own encoding (PEP 263, as tokenize finds it). For a module that is not a plain .py
file (an extension, a built-in, a frozen or zipped module) or a file that does not decode,
it asks PySide6's own test, so every answer is the one PySide6 would give
(tests/ui/test_start_imports.py checks every module of a start). Nothing in site-packages is
changed; if PySide6's hook is not the one this relies on (another version), nothing is done.
"""

from __future__ import annotations

import io
import sys
import tokenize
import types
from collections.abc import Callable

_installed: Callable[[types.ModuleType], bool] | None = None


def _feature_module() -> types.ModuleType | None:
    """PySide6's __feature__ support module, if it has the two names this relies on."""
    import PySide6  # noqa: F401  (loads shiboken's support modules, the hook among them)

    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return None
    if not isinstance(getattr(feature, "pyside_feature_dict", None), dict):
        return None
    return feature


def uses_pyside(module: types.ModuleType, fallback: Callable[[types.ModuleType], bool]) -> bool:
    """Whether `module`'s source contains "PySide6", as `fallback` (PySide6's test) says, read cheaply."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return fallback(module)
    try:
        with open(path, "rb") as file:
            data = file.read()
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return "PySide6" in data.decode(encoding)
    except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
        return fallback(module)  # PySide6 decides (and says False) as it would have


def install() -> bool:
    """Make PySide6's per-module source test cheap; True when it is in place (idempotent)."""
    global _installed
    feature = _feature_module()
    if feature is None:
        return False
    if feature._mod_uses_pyside is _installed and _installed is not None:
        return True
    original = feature._mod_uses_pyside

    def _mod_uses_pyside(module: types.ModuleType) -> bool:
        return uses_pyside(module, original)

    _mod_uses_pyside.original = original  # type: ignore[attr-defined]  (for the test and for undoing)
    feature._mod_uses_pyside = _mod_uses_pyside
    _installed = _mod_uses_pyside
    return True


__all__ = ["install", "uses_pyside"]
