"""The README's optimizer table is optim.OPTIMIZER_SPECS, and its example is what lrviz prints."""

from __future__ import annotations

import re
from pathlib import Path

from lrviz.core.optim import markdown_table

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_optimizer_table_is_the_one_definition():
    found = re.search(r"<!-- optimizer-table -->\n(.*?)\n<!-- /optimizer-table -->", README, re.S)
    assert found is not None, "the README lost its optimizer table markers"
    assert found.group(1) == markdown_table()


def test_the_example_prints_what_the_readme_shows(tmp_path, monkeypatch, capsys):
    from lrviz.cli import main
    from lrviz.core.dataset import make_preset
    from lrviz.core.formats import write_points_csv

    section = README.split("### Feature maps and optimizers (command line)")[1]
    command, shown = re.search(r"```bash\n\.venv/bin/lrviz (.*?)\n(.*?)\n```", section, re.S).groups()
    monkeypatch.chdir(tmp_path)
    write_points_csv("moons.csv", make_preset("moons", n_points=200, seed=0))
    assert main(command.split()) == 0
    assert capsys.readouterr().out.strip() == shown
