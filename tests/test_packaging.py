"""The package installs, reports one version, and keeps the core free of Qt."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import lrviz


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, env=env, **kwargs
    )


def test_version_from_module_and_script_agree():
    from_module = _run("-m", "lrviz", "--version")
    from_entry = _run("-c", "import sys; from lrviz.cli import main; sys.exit(main(['--version']))")
    assert from_module.returncode == 0, from_module.stderr
    assert from_module.stdout.strip() == f"lrviz {lrviz.__version__}"
    assert from_entry.stdout.strip() == from_module.stdout.strip()


def test_console_script_prints_version():
    script = os.path.join(os.path.dirname(sys.executable), "lrviz")
    result = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"lrviz {lrviz.__version__}"


def test_core_loads_no_gui_module():
    code = textwrap.dedent(
        """
        import sys
        import lrviz.core
        import pkgutil, importlib
        for info in pkgutil.walk_packages(lrviz.core.__path__, "lrviz.core."):
            importlib.import_module(info.name)
        gui = sorted(m for m in sys.modules
                     if m.split(".")[0] in {"PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6"}
                     or m.startswith("lrviz.ui"))
        print(",".join(gui))
        """
    )
    result = _run("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"lrviz.core pulled in GUI modules: {result.stdout}"


def test_many_none_returning_qt_calls_do_not_abort():
    """PySide6 6.12.0 on CPython 3.11 aborts with none_dealloc after ~1e6 such calls."""
    code = textwrap.dedent(
        """
        from PySide6.QtWidgets import QApplication, QLabel
        app = QApplication([])
        label = QLabel()
        for i in range(1_000_000):
            label.setText("x")
        print("ok")
        """
    )
    result = _run("-c", code)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-500:]}"
    assert result.stdout.strip() == "ok"
