"""The exported script and notebook train the run again and print lrviz's w, b and loss (1e-12)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lrviz.core.dataset import Dataset, default_dataset, make_preset
from lrviz.core.formats import write_points_csv
from lrviz.core.run import Run
from lrviz.core.script_export import (
    EMBED_LIMIT,
    needs_csv,
    notebook_text,
    reproduction,
    script_text,
)
from lrviz.core.settings import TrainingSettings
from lrviz.core.trainer import Trainer

TOLERANCE = 1e-12


def _append(run: Run, history, settings: TrainingSettings, revision: int) -> None:
    run.append_epochs(history.epochs, np.c_[history.W, history.b], history.loss, history.grad_norm,
                      settings.learning_rate, settings.l2, revision)


def trained_run(dataset: Dataset, settings: TrainingSettings, epochs: int, changes: dict | None = None) -> Run:
    """A run trained by lrviz's Trainer; `changes` maps an epoch to new (α, λ) applied from the next one."""
    run = Run(dataset, settings)
    snapshot = run.snapshot()
    trainer = Trainer(snapshot.X, snapshot.y, **settings.trainer_arguments())
    first = trainer.current
    run.append_epochs([0], np.r_[first.w, first.b][None], [first.loss], [first.grad_norm],
                      settings.learning_rate, settings.l2, snapshot.revision)
    done = 0
    for at, (alpha, lam) in sorted((changes or {}).items()):
        _append(run, trainer.run(at - done), settings, snapshot.revision)
        done = at
        trainer.set_learning_rate(alpha)
        trainer.set_l2(lam)
        settings = TrainingSettings(**{**settings.to_dict(), "learning_rate": alpha, "l2": lam})
    _append(run, trainer.run(epochs - done), settings, snapshot.revision)
    return run


def printed(text: str) -> dict[str, float]:
    values = dict(re.findall(r"^(\w+) = (\S+)$", text, flags=re.MULTILINE))
    return {name: float(value) for name, value in values.items()}


def assert_matches(values: dict[str, float], run: Run, epoch: int) -> None:
    row = run.row(epoch)
    assert values["epoch"] == epoch
    expected = {"w1": row.w[0], "w2": row.w[1], "b": row.b, "loss": row.loss}
    for name, value in expected.items():
        assert abs(values[name] - value) <= TOLERANCE * max(1.0, abs(value)), (name, values[name], value)


def run_script(path: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, str(path)], check=False, capture_output=True, text=True, timeout=120, cwd=path.parent)
    assert done.returncode == 0, done.stderr
    return printed(done.stdout)


RUNNER = """
import json, sys
notebook = json.load(open(sys.argv[1], encoding="utf-8"))
namespace = {"__name__": "__main__"}
for cell in notebook["cells"]:
    if cell["cell_type"] == "code":
        exec(compile("".join(cell["source"]), "<cell>", "exec"), namespace)
"""


def run_notebook(path: Path) -> dict[str, float]:
    """The notebook's code cells executed in order in one namespace, without Jupyter."""
    done = subprocess.run([sys.executable, "-c", RUNNER, str(path)], check=False, capture_output=True, text=True, timeout=120,
                          cwd=path.parent, env={"MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return printed(done.stdout)


CASES = {
    "tutorial defaults": (default_dataset(), TrainingSettings(), 1000),
    "standardized, lambda, random start": (
        make_preset("overlapping", 300, 0.3, 1),
        TrainingSettings(standardize=True, l2=0.01, init="random", seed=3, learning_rate=0.5), 700),
    "separable, large alpha": (make_preset("separable", 60, 0.1, 2), TrainingSettings(learning_rate=5.0, max_epochs=None), 2000),
    "epoch 0 only": (default_dataset(), TrainingSettings(l2=0.3), 0),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_script_prints_lrvizs_numbers(tmp_path, case):
    dataset, settings, epochs = CASES[case]
    run = trained_run(dataset, settings, epochs)
    path = tmp_path / "train.py"
    path.write_text(script_text(reproduction(run, epochs)), encoding="utf-8")
    assert_matches(run_script(path), run, epochs)


def test_the_script_uses_numpy_only_and_names_the_equations(tmp_path):
    text = script_text(reproduction(trained_run(default_dataset(), TrainingSettings(), 5), 5))
    imports = set(re.findall(r"^\s*(?:import|from) (\w+)", text, flags=re.MULTILINE))
    assert imports == {"numpy"}
    for number in ("(1-2)", "(2-1)", "(3-5)", "(3-8)", "(3-10)", "(4-2)", "(4-3)"):
        assert number in text


def test_an_earlier_shown_epoch_is_reproduced_not_the_newest(tmp_path):
    run = trained_run(default_dataset(), TrainingSettings(), 300)
    path = tmp_path / "train.py"
    path.write_text(script_text(reproduction(run, 120)), encoding="utf-8")
    assert_matches(run_script(path), run, 120)


def test_alpha_and_lambda_changed_while_training_are_followed(tmp_path):
    run = trained_run(default_dataset(), TrainingSettings(), 600, changes={200: (0.8, 0.05), 450: (0.3, 0.0)})
    rep = reproduction(run, 600)
    assert [start for start, _a, _l in rep.schedule] == [0, 201, 451]
    path = tmp_path / "train.py"
    path.write_text(script_text(rep), encoding="utf-8")
    assert_matches(run_script(path), run, 600)


def test_points_changed_during_the_epochs_are_refused_with_a_reason():
    run = trained_run(default_dataset(), TrainingSettings(), 10)
    run.move_point(0, 0.5, 0.5)
    snapshot = run.snapshot()
    trainer = Trainer(snapshot.X, snapshot.y, w0=run.row(10).w, b0=run.row(10).b, start_epoch=10)
    _append(run, trainer.run(5), TrainingSettings(), snapshot.revision)
    reproduction(run, 10)  # the epochs before the edit are one set of points
    with pytest.raises(ValueError, match="points were changed"):
        reproduction(run, 15)


def test_no_history_is_refused():
    with pytest.raises(ValueError, match="Train or Step"):
        reproduction(Run(default_dataset()), 0)


def test_many_points_are_read_from_the_csv_beside_the_script(tmp_path):
    rng = np.random.default_rng(4)
    m = EMBED_LIMIT + 500
    y = (rng.random(m) < 0.5).astype(int)
    X = rng.normal(0, 1, (m, 2)) + 1.5 * y[:, None]
    dataset = Dataset(X, y)
    run = trained_run(dataset, TrainingSettings(), 50)
    rep = reproduction(run, 50)
    assert needs_csv(rep)
    write_points_csv(tmp_path / "train.csv", dataset)
    script = tmp_path / "train.py"
    script.write_text(script_text(rep, csv_name="train.csv"), encoding="utf-8")
    assert len(script.read_bytes()) < 20_000  # the points are not in it
    assert_matches(run_script(script), run, 50)
    notebook = tmp_path / "train.ipynb"
    notebook.write_text(notebook_text(rep, csv_name="train.csv"), encoding="utf-8")
    assert_matches(run_notebook(notebook), run, 50)


@pytest.mark.parametrize("case", ["tutorial defaults", "standardized, lambda, random start"])
def test_the_notebook_is_valid_and_its_cells_print_lrvizs_numbers(tmp_path, case):
    nbformat = pytest.importorskip("nbformat")
    dataset, settings, epochs = CASES[case]
    run = trained_run(dataset, settings, epochs)
    path = tmp_path / "train.ipynb"
    path.write_text(notebook_text(reproduction(run, epochs)), encoding="utf-8")
    notebook = nbformat.read(str(path), as_version=4)
    nbformat.validate(notebook)
    markdown = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                       if c["cell_type"] == "markdown")
    for number in ("(1\\text{-}2)", "(2\\text{-}1)", "(3\\text{-}8)", "(3\\text{-}10)", "(4\\text{-}2)"):
        assert number in markdown
    assert_matches(run_notebook(path), run, epochs)
