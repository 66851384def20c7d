"""HistoryCsvWriter: a history streamed chunk by chunk is write_history_csv's file, written atomically."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest

from lrviz.core.formats import HistoryCsvWriter, read_history_csv, write_history_csv
from lrviz.core.history import RunHistory, parameter_names

NAMES = parameter_names(2)


def _history(k: int = 50, start: int = 0):
    """(epochs, θ, loss) whose repr is long or unusual: subnormals, negative zero, thirds, huge numbers."""
    rng = np.random.default_rng(3)
    W = rng.normal(size=(k, 2)) * 10.0 ** rng.integers(-300, 300, size=(k, 2))
    W[0, 0], W[1 % k, 1] = -0.0, 5e-324
    return np.arange(start, start + k), np.column_stack([W, rng.normal(size=k) / 3]), rng.random(k)


def _run_history(epochs, theta, loss) -> RunHistory:
    history = RunHistory(NAMES)
    history.append(epochs, theta, loss, np.zeros(len(epochs)), 0.1, 0.0, 0)
    return history


def _temp_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("cuts", [[], [1], [1, 2, 3], [0, 0, 17, 49], list(range(1, 50))])
def test_streamed_chunks_give_write_history_csvs_bytes(tmp_path, cuts):
    epochs, theta, loss = _history()
    write_history_csv(tmp_path / "whole.csv", _run_history(epochs, theta, loss))
    with HistoryCsvWriter(tmp_path / "streamed.csv", NAMES) as history:
        for rows in np.split(np.arange(len(epochs)), cuts):  # empty chunks included
            history.append(epochs[rows], theta[rows], loss[rows])
    assert (tmp_path / "streamed.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    np.testing.assert_array_equal(read_history_csv(tmp_path / "streamed.csv").theta, theta)


def test_no_rows_give_the_header_only_like_write_history_csv(tmp_path):
    write_history_csv(tmp_path / "whole.csv", RunHistory(parameter_names(3)))
    with HistoryCsvWriter(tmp_path / "streamed.csv", parameter_names(3)):
        pass
    assert (tmp_path / "streamed.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes() == b"epoch,loss,w1,w2,w3,b\n"


def test_rows_reach_the_disk_while_the_block_runs(tmp_path):
    """Streaming, not buffering: the temp file grows with the rows, the target is untouched."""
    epochs, theta, loss = _history(2000)
    (tmp_path / "h.csv").write_text("old")
    with HistoryCsvWriter(tmp_path / "h.csv", NAMES) as history:
        history.append(epochs, theta, loss)
        [temp] = _temp_files(tmp_path)
        assert (tmp_path / temp).stat().st_size > 50_000  # of ~100 kB: all but the stream's buffer
        assert (tmp_path / "h.csv").read_text() == "old"
    assert _temp_files(tmp_path) == []


@pytest.mark.parametrize("interrupt", [RuntimeError("boom"), KeyboardInterrupt()])
@pytest.mark.parametrize("old", ["old", None])
def test_an_exception_midway_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, interrupt, old):
    target = tmp_path / "h.csv"
    if old is not None:
        target.write_text(old)
    epochs, theta, loss = _history()
    with pytest.raises(type(interrupt)):
        with HistoryCsvWriter(target, NAMES) as history:
            history.append(epochs[:20], theta[:20], loss[:20])
            raise interrupt
    assert [p.name for p in tmp_path.iterdir()] == ([] if old is None else ["h.csv"])
    if old is not None:
        assert target.read_text() == old


@pytest.mark.parametrize("broken", ["replace", "fsync"])
def test_a_failed_commit_keeps_the_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch, broken):
    (tmp_path / "h.csv").write_text("old")

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, broken, fail)
    with pytest.raises(OSError, match="disk full"):
        with HistoryCsvWriter(tmp_path / "h.csv", NAMES) as history:
            history.append(*_history(5))
    assert (tmp_path / "h.csv").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["h.csv"]


def _with_column(theta, j, value):
    theta = theta.copy()
    theta[:, j] = value
    return theta


@pytest.mark.parametrize("second, message", [
    (lambda e, t, l: (e, t, l), r"increase \(epoch 0 after 9\)"),          # the same epochs again
    (lambda e, t, l: (e + 9, t, l), r"increase \(epoch 9 after 9\)"),      # overlaps by one
    (lambda e, t, l: (e[::-1] + 10, t, l), "increase"),                    # decreasing inside
    (lambda e, t, l: (e + 10, _with_column(t, 0, np.nan), l), "w1 must hold finite"),
    (lambda e, t, l: (e + 10, _with_column(t, 1, np.inf), l), "w2 must hold finite"),
    (lambda e, t, l: (e + 10, t, l * np.inf), "loss must hold finite"),
    (lambda e, t, l: (e + 10, _with_column(t, 2, -np.inf), l), "b must hold finite"),
    (lambda e, t, l: (e + 10, t[:, 1:], l), r"3 parameter columns \(w1, w2, b\), not 2"),
    (lambda e, t, l: (e + 10, t[:-1], l), "different lengths"),
    (lambda e, t, l: (e + 10, t, l[:-1]), "different lengths"),
    (lambda e, t, l: (e - 1, t, l), "whole numbers ≥ 0"),
    (lambda e, t, l: (e + 10.0, t, l), "whole numbers"),
])
def test_a_bad_chunk_raises_and_writes_none_of_its_rows(tmp_path, second, message):
    first = _history(10)
    target = tmp_path / "h.csv"
    with HistoryCsvWriter(target, NAMES) as history:
        history.append(*first)
        with pytest.raises(ValueError, match=message):
            history.append(*second(*_history(10)))
    table = read_history_csv(target)  # the good rows only, still a valid file
    np.testing.assert_array_equal(table.epochs, first[0])
    np.testing.assert_array_equal(table.theta, first[1])


def test_an_uncaught_bad_chunk_keeps_the_old_file(tmp_path):
    (tmp_path / "h.csv").write_text("old")
    with pytest.raises(ValueError, match="finite"):
        with HistoryCsvWriter(tmp_path / "h.csv", NAMES) as history:
            history.append(*_history(10))
            history.append([10], [[np.nan, 0.0, 0.0]], [1.0])
    assert [p.name for p in tmp_path.iterdir()] == ["h.csv"]
    assert (tmp_path / "h.csv").read_text() == "old"


def test_the_writer_is_used_in_a_with_block_with_at_least_one_weight(tmp_path):
    with pytest.raises(ValueError, match="with block"):
        HistoryCsvWriter(tmp_path / "h.csv", NAMES).append(*_history(3))
    for bad in ((), ("b",), ("w1", "w2"), (1, "b"), ("w1", "w1", "b")):
        with pytest.raises(ValueError, match="weight names, then 'b'"):
            HistoryCsvWriter(tmp_path / "h.csv", bad)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_streamed_file_keeps_existing_permissions_like_every_atomic_write(tmp_path):
    target = tmp_path / "h.csv"
    target.write_text("old")
    os.chmod(target, 0o640)
    with HistoryCsvWriter(target, NAMES) as history:
        history.append(*_history(3))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
