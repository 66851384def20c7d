"""The README stays true to the code where the code can say what is true."""

from __future__ import annotations

import re
from pathlib import Path

from lrviz.core.settings import markdown_table

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_settings_table_is_the_one_definition():
    found = re.search(r"<!-- settings-table -->\n(.*?)\n<!-- /settings-table -->", README, re.S)
    assert found is not None, "the README lost its settings table markers"
    assert found.group(1) == markdown_table()


def test_the_readme_names_the_current_session_format():
    from lrviz.core.formats import SESSION_FORMAT

    assert f'"format": "{SESSION_FORMAT}"' in README


def test_the_python_api_example_runs(tmp_path, monkeypatch):
    code = re.search(r"## Python API.*?```python\n(.*?)```", README, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 (the README's own example)
    from lrviz.core.formats import read_session

    session = read_session(tmp_path / "moons.lrviz.json")
    assert session.selected_epoch == 120 and session.history == namespace["run"].history
