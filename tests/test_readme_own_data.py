"""The README's sections on your own data and the Python API stay true (tests/test_readme.py keeps the rest)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from lrviz.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_estimator_example_runs(monkeypatch, tmp_path, capsys):
    code = re.search(r"## Arrays and estimators from Python.*?```python\n(.*?)```", README, re.DOTALL).group(1)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 (the README's own example)
    assert list(namespace["model"].classes_) == ["cat", "dog"] and namespace["model"].n_iter_ == 200
    assert capsys.readouterr().out.startswith("['cat' 'dog'] [[")


def test_the_train_example_runs(monkeypatch, tmp_path):
    command = re.search(r"```\n(lrviz train assets/iris\.csv.*?)\n```", README, re.DOTALL).group(1)
    args = shlex.split(command.replace("\\\n", " "))[1:]
    args[1] = str(ROOT / args[1])
    monkeypatch.chdir(tmp_path)
    assert main(args) == 0 and (tmp_path / "iris.json").exists()
