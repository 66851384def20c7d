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


def _imports_of(path, module: str, package: bool, known: set[str]) -> set[str]:
    """The lrviz modules a module imports, anywhere in it (lazy imports inside functions too)."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's package
                parts = module.split(".")[: len(module.split(".")) - node.level + package]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # `from package import submodule`
    return {name for name in found if name in known and name != module}


def test_no_import_cycles():
    """lrviz.cli once imported lrviz.train_command, which imported lrviz.cli back, and
    lrviz.ui.documents imported lrviz.ui.main_window back; nothing may cycle now."""
    from pathlib import Path

    root = Path(lrviz.__file__).parent
    modules = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        package = parts[-1] == "__init__"
        modules[".".join(parts[:-1] if package else parts)] = (path, package)
    known = set(modules)
    graph = {}
    for name, (path, package) in modules.items():
        deps = _imports_of(path, name, package, known)
        # Importing a.b.c runs the package a.b's __init__ first (a cycle through it counts),
        # except where the importer is inside that package: its __init__ already runs.
        deps |= {".".join(d.split(".")[:i]) for d in deps for i in range(2, d.count(".") + 1)}
        own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1 + package)}
        graph[name] = {d for d in deps if d in known and d not in own}
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for dep in sorted(graph[name]):
            assert state.get(dep) != "open", "import cycle: " + " -> ".join(trail + [name, dep])
            if dep not in state:
                visit(dep, trail + [name])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert "lrviz.core.formats" in graph["lrviz.cli.train"] and "lrviz.core.dataset" in graph["lrviz.core.run"]


def test_each_module_imports_on_its_own():
    """Import order cannot matter: each of these first in a fresh interpreter."""
    for module in ("lrviz.core.dataset", "lrviz.core.formats.atomic", "lrviz.core.formats.session",
                   "lrviz.core.run", "lrviz.cli.train", "lrviz.cli.window", "lrviz.cli"):
        result = _run("-c", f"import {module}")
        assert result.returncode == 0, f"{module}: {result.stderr[-400:]}"


def test_the_window_class_is_importable_from_lrviz_ui():
    code = "from lrviz.ui import MainWindow; from lrviz.ui.main_window import MainWindow as M; print(MainWindow is M)"
    result = _run("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
