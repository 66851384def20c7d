"""Smaller ways a file or a command line could mislead lrviz (issue 18, items 10 and 3's reading side).

Each refusal names the file once and says what is wrong; numbers are ASCII as NumPy reads
them; a FIFO or a device is never read (a FIFO blocked forever, /dev/zero filled memory).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lrviz.core.dataset import Dataset
from lrviz.core.formats import (
    DataFormatError,
    HistoryFormatError,
    ParamsFormatError,
    Session,
    SessionFormatError,
    read_history_csv,
    read_params,
    read_points_csv,
    read_session,
    write_session,
)
from lrviz.core.history import RunHistory, parameter_names

POINTS = Dataset([[-1.0, -0.5], [-0.5, -1.5], [0.8, 0.2], [1.0, 1.5]], [0, 0, 1, 1])


def _session_data(tmp_path: Path) -> dict:
    history = RunHistory(parameter_names(2))
    history.append([0, 1], [[0.0, 0.0, 0.0], [0.1, 0.2, 0.0]], [0.69, 0.6], [0.5, 0.4], 0.1, 0.0, 0)
    path = tmp_path / "good.lrviz.json"
    write_session(path, Session(points=POINTS, history=history))
    return json.loads(path.read_text())


def _write(tmp_path: Path, data: dict | str, name: str = "s.lrviz.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("where", ["format", "seed", "epoch"])
def test_a_5000_digit_number_is_refused_naming_the_file(tmp_path, where):
    data = _session_data(tmp_path)
    digits = "9" * 5000
    if where == "format":
        text = json.dumps(data).replace('"lrviz-session/2"', f'"lrviz-session/{digits}"')
    elif where == "seed":
        text = json.dumps(data).replace('"seed": 0', f'"seed": {digits}')
    else:
        text = json.dumps(data).replace('"epoch": [0, 1]', f'"epoch": [0, {digits}]')
    path = _write(tmp_path, text)
    with pytest.raises(SessionFormatError) as caught:
        read_session(path)
    assert str(caught.value).count(str(path)) == 1 and len(str(caught.value)) < 300


@pytest.mark.parametrize("stop", [{"kind": "max_epochs", "epoch": 5, "message": "m"},
                                  {"kind": "max_epochs", "epoch": -1, "message": "m"},
                                  {"kind": "nope", "epoch": 1, "message": "m"},
                                  {"kind": "max_epochs", "epoch": 1.0, "message": "m"}])
def test_a_bad_stop_names_the_file_once(tmp_path, stop):
    data = _session_data(tmp_path)
    data["stop"] = stop
    path = _write(tmp_path, data)
    with pytest.raises(SessionFormatError) as caught:
        read_session(path)
    assert str(caught.value).count(str(path)) == 1


def test_a_key_given_twice_is_refused(tmp_path):
    text = json.dumps(_session_data(tmp_path))
    path = _write(tmp_path, '{"format": "lrviz-session/1", ' + text[1:])
    with pytest.raises(SessionFormatError, match="appears twice"):
        read_session(path)


def test_parameters_that_disagree_with_the_history_are_refused(tmp_path):
    data = _session_data(tmp_path)
    data["parameters"]["values"][0] = 5.0
    with pytest.raises(SessionFormatError, match="parameters"):
        read_session(_write(tmp_path, data))


@pytest.mark.parametrize("number", ["1_000", "\u0661\u0662", "\uff11\uff12", "1\u00a0000"])
def test_numbers_are_ascii_as_numpy_reads_them(tmp_path, number):
    """float() took '1_000' and other scripts' digits: a file read differently by its size."""
    points = _write(tmp_path, f"x1,x2,label\n{number},1,0\n", "p.csv")
    with pytest.raises(DataFormatError, match="line 2"):
        read_points_csv(points)
    label = _write(tmp_path, f"x1,x2,label\n1,1,{number}\n", "l.csv")
    with pytest.raises(DataFormatError, match="label"):
        read_points_csv(label)
    history = _write(tmp_path, f"epoch,loss,w1,w2,b\n0,{number},0,0,0\n", "h.csv")
    with pytest.raises(HistoryFormatError, match="line 2"):
        read_history_csv(history)
    params = _write(tmp_path, "format,lrviz-params/1\nw_x1,1\nw_x2,2\nb,%s\nepoch,3\nloss,0.5\naccuracy,1\n"
                    "learning_rate,0.1\nl2,0\nstandardize,false\n" % number, "pa.csv")
    with pytest.raises(ParamsFormatError):
        read_params(params)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lrviz", *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("option", [["--lr", "0_1"], ["--seed", "\u0661"], ["--epochs", "1_0"],
                                    ["--l2", "\uff10"]])
def test_command_line_numbers_are_ascii(tmp_path, option):
    points = _write(tmp_path, "x1,x2,label\n0,0,0\n1,1,1\n", "p.csv")
    done = _cli("train", str(points), *option)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1


READ_SPECIAL = """
import sys
from lrviz.core.formats import read_points_csv, read_session
for path in sys.argv[1:]:
    for read in (read_points_csv, read_session):
        try:
            read(path)
        except OSError as error:
            print(error.strerror)
"""


def test_a_fifo_or_a_device_is_refused_not_read(tmp_path):
    """A FIFO blocked the reader forever; /dev/zero grew memory until the machine ran out."""
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-c", READ_SPECIAL, str(fifo), "/dev/zero", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr
    assert len(lines) == 6 and all("regular file" in line or "directory" in line.lower() for line in lines)


def test_lrviz_train_refuses_a_fifo_as_its_data(tmp_path):
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    done = _cli("train", str(fifo))
    assert done.returncode == 2 and "regular file" in done.stderr and len(done.stderr.splitlines()) == 1


HUGE_HEADER = """
import sys
from lrviz.core.formats import DataFormatError, read_points_csv
try:
    read_points_csv(sys.argv[1])
except DataFormatError as error:
    print(len(str(error)), "line 1" in str(error))
"""


@pytest.mark.parametrize("line", ["header", "body", "blank then header"])
def test_a_huge_line_is_refused_quoting_a_short_excerpt(tmp_path, line):
    """A header of 10^6 cells froze the window for 25 s and made the CLI print 3 MB as its
    "one line": the message quotes at most a short excerpt."""
    cells = ",".join(["<td>"] * 1_000_000)
    text = {"header": cells + "\n0,0,0\n", "body": "x1,x2,label\n" + "7" * 3_000_000 + "x,1,0\n",
            "blank then header": ",,\n" + cells + "\n"}[line]
    path = _write(tmp_path, text, "huge.csv")
    done = subprocess.run([sys.executable, "-c", HUGE_HEADER, str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    length, _ = done.stdout.split()
    assert int(length) < 400 + len(str(path))
    cli = _cli("train", str(path))
    assert cli.returncode == 2 and len(cli.stderr) < 500 + len(str(path))


@pytest.mark.parametrize("field", ["message", "name"])
def test_a_session_text_too_long_to_show_is_refused(tmp_path, field):
    data = _session_data(tmp_path)
    data["stop"] = {"kind": "max_epochs", "epoch": 1, "message": "m"}
    if field == "message":
        data["stop"]["message"] = "<table>" * 100_000
    else:
        data["points"]["feature_names"][0] = "x" * 100_000
    with pytest.raises(SessionFormatError) as caught:
        read_session(_write(tmp_path, data))
    assert len(str(caught.value)) < 300
