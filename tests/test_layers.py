"""The layering is enforced: import-linter's contracts in pyproject.toml hold, and they fail when broken.

The contracts say that lrviz.core imports no Qt, pyqtgraph, window or command line; that the
views do not import each other; and that only the main window imports the views.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(folder: Path) -> subprocess.CompletedProcess:
    """lint-imports on the lrviz package in `folder` (which holds lrviz/ and pyproject.toml)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(folder)
    return subprocess.run([str(LINT_IMPORTS), "--config", str(folder / "pyproject.toml"), "--no-cache"],
                          cwd=folder, capture_output=True, text=True, timeout=120, env=env)


def test_the_contracts_hold():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("module, line, contract", [
    ("core/model.py", "from PySide6 import QtCore", "The core knows no Qt"),
    ("core/run.py", "import lrviz.ui.state", "The core knows no Qt"),
    ("ui/plots/timeline.py", "import lrviz.ui.panels.readout", "Views do not import each other"),
    ("ui/state.py", "import lrviz.ui.plots.timeline", "Only the main window wires the views"),
])
def test_a_broken_contract_fails(tmp_path, module, line, contract):
    shutil.copytree(ROOT / "lrviz", tmp_path / "lrviz", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "lrviz" / module
    target.write_text(target.read_text() + f"\n{line}  # a violation, for this test\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout
