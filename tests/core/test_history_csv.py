"""History CSV files: the header from θ's column names, exact round trips, clear errors, version-1 files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from lrviz.core.formats import HistoryCsvWriter, HistoryFormatError, read_history_csv, write_history_csv
from lrviz.core.history import RunHistory, parameter_names

V1 = Path(__file__).parent.parent / "data" / "v1"


def _run_history(k: int = 50, start: int = 0, n_weights: int = 2) -> RunHistory:
    rng = np.random.default_rng(0)
    theta = rng.normal(size=(k, n_weights + 1))
    theta[:, -1] *= 1e-200
    history = RunHistory(parameter_names(n_weights))
    history.append(np.arange(start, start + k), theta, rng.random(k), rng.random(k), 0.1, 0.0, 0)
    return history


@pytest.mark.parametrize("n_weights, header", [(2, "epoch,loss,w1,w2,b"), (1, "epoch,loss,w1,b"),
                                               (4, "epoch,loss,w1,w2,w3,w4,b")])
def test_history_round_trip_exactly(tmp_path, n_weights, header):
    history = _run_history(50, start=7, n_weights=n_weights)
    write_history_csv(tmp_path / "h.csv", history)
    assert (tmp_path / "h.csv").read_text().splitlines()[0] == header
    table = read_history_csv(tmp_path / "h.csv")
    assert table.names == history.names
    assert table.epochs.dtype == np.int64 and table.theta.shape == (50, n_weights + 1)
    np.testing.assert_array_equal(table.epochs, history.epochs)
    np.testing.assert_array_equal(table.theta, history.theta)
    np.testing.assert_array_equal(table.W, history.W)
    np.testing.assert_array_equal(table.b, history.b)
    np.testing.assert_array_equal(table.loss, history.loss)
    assert not table.theta.flags.writeable and not table.epochs.flags.writeable


def test_the_version_1_history_csv_reads_as_its_session_holds_it():
    """tests/data/v1 was written by lrviz before the run model; its CSV and session hold the same run."""
    table = read_history_csv(V1 / "moons_gd_history.csv")
    raw = json.loads((V1 / "moons_gd.lrviz.json").read_text())["history"]
    assert table.names == ("w1", "w2", "b")
    assert table.epochs.tolist() == raw["epoch"] and table.loss.tolist() == raw["loss"]
    assert table.W.tolist() == [list(row) for row in zip(raw["w1"], raw["w2"])]
    assert table.b.tolist() == raw["b"]


def test_the_version_1_history_csv_is_rewritten_byte_for_byte(tmp_path):
    table = read_history_csv(V1 / "moons_gd_history.csv")
    history = RunHistory(table.names)
    history.append(table.epochs, table.theta, table.loss, np.zeros(len(table.epochs)), 0.5, 0.0, 0)
    write_history_csv(tmp_path / "h.csv", history)
    assert (tmp_path / "h.csv").read_bytes() == (V1 / "moons_gd_history.csv").read_bytes()


@pytest.mark.parametrize("header, names", [
    ("epoch,loss,w1,w2,b", ("w1", "w2", "b")),
    (" epoch , loss ,height,weight,b", ("height", "weight", "b")),
    ('epoch,loss,"w, one",b', ("w, one", "b")),
    ("epoch,loss,b2,w1,w7,b", ("b2", "w1", "w7", "b")),
])
def test_any_header_of_distinct_weight_names_then_b_is_read(tmp_path, header, names):
    columns = len(names) + 2
    rows = [",".join(str(v + i) for v in range(columns)) for i in range(3)]
    (tmp_path / "h.csv").write_text("\n".join([header, *rows]) + "\n")
    table = read_history_csv(tmp_path / "h.csv")
    assert table.names == names
    np.testing.assert_array_equal(table.epochs, [0, 1, 2])
    np.testing.assert_array_equal(table.theta[0], np.arange(2, columns))


def test_history_slow_path_gives_the_same_values(tmp_path):
    """A blank line and CRLF push the reader onto its row-by-row parser: same numbers."""
    with HistoryCsvWriter(tmp_path / "h.csv", parameter_names(2)) as writer:
        writer.append([3, 4, 7], [[0.1, 0.2, 0.5], [1e-310, -2.5, 1 / 3], [3.0, 4.0, 2.0]], [0.7, 0.6, 0.1])
    fast = read_history_csv(tmp_path / "h.csv")
    lines = (tmp_path / "h.csv").read_text().splitlines()
    (tmp_path / "slow.csv").write_bytes(("\r\n".join(lines[:2] + ["", " "] + lines[2:]) + "\r\n").encode())
    slow = read_history_csv(tmp_path / "slow.csv")
    for column in ("epochs", "theta", "loss"):
        np.testing.assert_array_equal(getattr(fast, column), getattr(slow, column))
    assert fast.names == slow.names
    np.testing.assert_array_equal(fast.epochs, [3, 4, 7])


def test_empty_history_round_trips(tmp_path):
    write_history_csv(tmp_path / "h.csv", RunHistory())
    table = read_history_csv(tmp_path / "h.csv")
    assert len(table.epochs) == 0 and table.theta.shape == (0, 3) and table.W.shape == (0, 2)


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("epoch,loss,b\n", "line 1: expected the header"),
    ("epoch,loss,w1,w2\n", "line 1: expected the header"),
    ("epoch,loss,w1,w1,b\n", "line 1: expected the header"),
    ("loss,epoch,w1,w2,b\n", "line 1: expected the header"),
    ("epoch,loss,w1,,b\n", "line 1: expected the header"),
    ("epoch,loss,w1,w2,b\n0,0.5,0,0,0\n1,0.4,0,0\n", "line 3: expected 5 values"),
    ("epoch,loss,w1,w2,b\n0,0.5,0,0,0\n1.5,0.4,0,0,0\n", "line 3: the epoch must be a whole number"),
    ("epoch,loss,w1,w2,b\n0,0.5,0,0,0\n\n1,nan,0,0,0\n", "line 4: 'nan' is not a finite number"),
    ("epoch,loss,w1,w2,b\n0,0.5,0,0,0\n0,0.4,0,0,0\n", "epochs must be whole numbers ≥ 0 that increase"),
])
def test_bad_history_is_rejected_clearly(tmp_path, text, message):
    (tmp_path / "h.csv").write_text(text)
    with pytest.raises(HistoryFormatError, match=message):
        read_history_csv(tmp_path / "h.csv")


def test_history_writer_refuses_what_it_could_not_read(tmp_path):
    bad = RunHistory()
    bad.append([0, 1], [[0, 0, 0], [np.nan, 0, 0]], [0, 0], [1, 1], 0.1, 0.0, 0)
    with pytest.raises(ValueError, match="w1 must hold finite"):
        write_history_csv(tmp_path / "h.csv", bad)
    for names in [("w1",), ("w1", "w2"), ("w1", "w1", "b"), ("w1 ", "b"), ("", "b"), ("loss", "b"),
                  ("a\nb", "b")]:
        with pytest.raises(ValueError, match="weight names, then 'b'"):
            HistoryCsvWriter(tmp_path / "h.csv", names)
    assert list(tmp_path.iterdir()) == []
