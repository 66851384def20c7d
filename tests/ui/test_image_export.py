"""Plot images: the format is the suffix typed, other names are refused, permissions like every lrviz file."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QGuiApplication


def test_gui_tests_run_headless(qtbot):
    """conftest must force offscreen: an inherited QT_QPA_PLATFORM=xcb would open real windows."""
    assert QGuiApplication.platformName() == "offscreen"


def test_conftest_overrides_an_inherited_platform(monkeypatch):
    """Load conftest as pytest does, with QT_QPA_PLATFORM=xcb inherited from the shell."""
    import importlib.util

    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    path = Path(__file__).resolve().parent.parent / "conftest.py"
    spec = importlib.util.spec_from_file_location("lrviz_conftest_copy", path)
    assert spec is not None and spec.loader is not None
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
