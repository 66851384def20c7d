"""The real application starts and closes cleanly, again and again, also while training."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

RUNS = 30
# The offscreen platform cannot propagate size hints; Qt says so once per window. Harmless.
KNOWN_HARMLESS = ("This plugin does not support propagateSizeHints()",)


def _run_app(index: int, tmp_path) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / f"config{index}"))
    args = [sys.executable, "-m", "lrviz", "--quit-after", "0.6"]
    if index % 2:  # half of the runs close while training: between paced epochs, or mid-computation
        args += ["--train", "--speed", "max" if index % 4 == 1 else "30"]
    return subprocess.run(args, capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.timeout(300)
def test_start_and_close_thirty_times_half_while_training(tmp_path):
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda i: _run_app(i, tmp_path), range(RUNS)))
    for index, result in enumerate(results):
        assert result.returncode == 0, f"run {index}: exit {result.returncode}\n{result.stderr[-2000:]}"
        lines = [line for line in result.stderr.splitlines()
                 if line.strip() and not any(known in line for known in KNOWN_HARMLESS)]
        assert not lines, f"run {index} printed: {lines}"


@pytest.mark.parametrize("content", ["x1,x2,label\n0,1,0\n2,3,1\n", "x1,x2,label\n0,1,7\n"])
def test_opening_a_file_from_the_command_line_never_hangs(tmp_path, content):
    path = tmp_path / "points.csv"
    path.write_text(content)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run([sys.executable, "-m", "lrviz", str(path), "--train", "--quit-after", "0.5"],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
