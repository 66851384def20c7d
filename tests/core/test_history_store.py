"""A long history moves to an unnamed temp file and keeps every epoch exact (issue 18, item 8)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import lrviz.core.history_store as store
from lrviz.core.history import RunHistory, parameter_names

ROOT = Path(__file__).resolve().parents[2]


def _fill(history: RunHistory, epochs: int, seed: int = 0, batch: int = 997, tested_every: int = 0) -> None:
    rng = np.random.default_rng(seed)
    start = history.last_epoch + 1
    for first in range(start, start + epochs, batch):
        k = min(batch, start + epochs - first)
        test = None if not tested_every else rng.random(k)
        tested = None if not tested_every else (np.arange(first, first + k) % tested_every == 0)
        history.append(np.arange(first, first + k), rng.normal(size=(k, 3)), rng.random(k), rng.random(k),
                       0.1 if first < 5000 else 0.05, 0.0, first // 7000, test, tested)


@pytest.fixture
def small_spill(monkeypatch, tmp_path):
    monkeypatch.setattr(store, "SPILL_BYTES", 64 << 10)  # from ~8,000 rows on
    monkeypatch.setattr(store, "TRIM_BYTES", 16 << 10)
    monkeypatch.setenv("LRVIZ_HISTORY_DIR", str(tmp_path))
    return tmp_path


def _in_memory(epochs: int, **kwargs) -> RunHistory:
    """The same history held in memory only (as every history below SPILL_BYTES is)."""
    spill, store.SPILL_BYTES = store.SPILL_BYTES, 1 << 40
    try:
        history = RunHistory(parameter_names(2))
        _fill(history, epochs, **kwargs)
        assert not history.on_disk
        return history
    finally:
        store.SPILL_BYTES = spill


def test_a_spilled_history_holds_exactly_the_same_epochs(small_spill):
    expected = _in_memory(30_000, tested_every=3)
    history = RunHistory(parameter_names(2))
    _fill(history, 30_000, tested_every=3)
    assert history.on_disk
    assert history == expected
    for epoch in (0, 8191, 8192, 15_000, 29_999):
        got, want = history.row(epoch), expected.row(epoch)
        assert (got.epoch, got.loss, got.grad_norm, got.learning_rate, got.l2, got.data_revision, got.test_loss) == (
            want.epoch, want.loss, want.grad_norm, want.learning_rate, want.l2, want.data_revision, want.test_loss)
        assert got.theta.tobytes() == want.theta.tobytes()
    assert list(small_spill.iterdir()) == []  # the temp files have no name


def test_truncating_copying_and_growing_again_on_disk(small_spill):
    expected = _in_memory(30_000)
    history = RunHistory(parameter_names(2))
    _fill(history, 30_000)
    old_loss = history.loss  # an array handed out before the history grows and is cut
    history.truncate_after(9_999)
    expected.truncate_after(9_999)
    _fill(history, 20_000, seed=5)
    _fill(expected, 20_000, seed=5)
    assert history == expected and history.on_disk
    assert np.array_equal(old_loss[:10_000], expected.loss[:10_000])
    assert history.copy() == expected and history.tail(20_000) == expected.tail(20_000)
    history.clear()
    assert len(history) == 0 and not history.on_disk
    _fill(history, 100)
    assert history == _in_memory(100)


def test_a_full_disk_keeps_the_history_in_memory(small_spill, monkeypatch):
    def no_space(fd, offset, length):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "posix_fallocate", no_space)
    history = RunHistory(parameter_names(2))
    _fill(history, 30_000)
    assert not history.on_disk and history == _in_memory(30_000)


def test_a_spilled_history_stays_small_in_memory(tmp_path):
    """4·10^6 epochs are 224 MB of columns (106 MB of them written since the last growth, so
    mapped without a trim): resident memory grows by a fraction of that."""
    script = textwrap.dedent("""
        import sys, numpy as np
        import lrviz.core.history_store as store
        store.SPILL_BYTES, store.TRIM_BYTES = 1 << 20, 1 << 20
        from lrviz.core.history import RunHistory

        def resident_mb():
            fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
            return int(fields["VmRSS"].split()[0]) / 1024

        history = RunHistory()
        before = resident_mb()
        batch = 10_000
        theta, values = np.ones((batch, 3)), np.ones(batch)
        for first in range(0, 4_000_000, batch):
            history.append(np.arange(first, first + batch), theta * first, values, values, 0.1, 0.0, 0)
        grown = resident_mb() - before
        assert history.on_disk and history.row(3_999_999).theta[0] == 3_990_000.0
        assert float(history.loss.sum()) == 4e6  # every epoch read back
        print(grown)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "LRVIZ_HISTORY_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) < 25, done.stdout  # 224 MB held, not resident
    assert list(tmp_path.iterdir()) == []


def test_without_fallocate_and_madvise_the_history_stays_in_memory(small_spill, monkeypatch):
    monkeypatch.setattr(store, "DISK_BACKED", False)  # as on Windows and macOS
    history = RunHistory(parameter_names(2))
    _fill(history, 30_000)
    assert not history.on_disk and history == _in_memory(30_000)
