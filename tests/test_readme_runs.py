"""The README's race example runs and prints what it says."""

from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_race_example_runs_and_ranks_as_the_readme_says(capsys):
    code = re.search(r"## Several runs side by side.*?```python\n(.*?)```", README, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 (the README's own example)
    final = namespace["final"]
    assert round(final["gd"], 3) == 0.335 and round(final["momentum"], 3) == 0.242
    assert round(final["adam"], 3) == 0.240
    assert str(final) in capsys.readouterr().out
