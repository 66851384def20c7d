"""`lrviz train --epochs N`: peak memory does not grow with N (it once grew until the machine died)."""

from __future__ import annotations

import subprocess
import sys

import pytest

SMALL_RUN = 2_000
MARGIN_MIB = 10.0
# An epoch on 4 points takes 10-20 µs. Keeping every row cost ~85 B/epoch without --history
# and ~500 B/epoch with it, so these runs grew by about 20 and 40 MiB: well over the margin.
LONG_RUN = {False: 250_000, True: 100_000}

# The peak RSS of a direct child is useless here: on Linux a child starts with its parent's
# high-water mark (pytest's, hundreds of MiB after the Qt tests), which hides the child's own.
# A small Python in between is the parent instead, and reports its only child's peak (KiB).
_MEASURE = """\
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:]).returncode
with open(sys.argv[1], "w") as peak:
    peak.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""

pytestmark = pytest.mark.skipif(sys.platform not in ("linux", "darwin"), reason="ru_maxrss units vary")


def _peak_rss_mib(folder, epochs: int, history: bool) -> float:
    """Run `lrviz train` in a grandchild; its peak resident memory in MiB (it must finish with exit 0)."""
    train = [sys.executable, "-m", "lrviz", "train", "small.csv", "--epochs", str(epochs)]
    if history:
        train += ["--history", "h.csv"]
    result = subprocess.run([sys.executable, "-c", _MEASURE, "peak.txt", *train], cwd=folder,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"epoch {epochs:,} " in result.stdout  # it really ran every epoch
    peak = int((folder / "peak.txt").read_text())
    return peak / (2**20 if sys.platform == "darwin" else 2**10)  # bytes on macOS, KiB on Linux


@pytest.mark.parametrize("history", [False, True], ids=["no-history", "history"])
def test_peak_memory_does_not_grow_with_the_epochs(tmp_path, history):
    # Not separable (XOR): no stop rule fires and no weight runs off, so every epoch runs.
    (tmp_path / "small.csv").write_text("x1,x2,label\n0,0,0\n1,0,1\n0,1,1\n1,1,0\n")
    small = _peak_rss_mib(tmp_path, SMALL_RUN, history)
    long = _peak_rss_mib(tmp_path, LONG_RUN[history], history)
    assert long <= small + MARGIN_MIB, f"{LONG_RUN[history]:,} epochs: {long:.1f} MiB, {SMALL_RUN:,}: {small:.1f} MiB"
