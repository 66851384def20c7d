"""The command line: `lrviz train` gives the Trainer's numbers and clear one-line errors; so do the window's options."""

from __future__ import annotations

import gc
import io
import json
import os
import re
import subprocess
import sys
import weakref

import numpy as np
import pytest

from lrviz.core import Trainer, accuracy
from lrviz.core.dataset import make_preset
from lrviz.core.formats import read_history_csv, read_params, write_history_csv, write_points_csv
from lrviz.core.history import RunHistory
from lrviz.core.settings import SETTING_SPECS, TrainingSettings


def lrviz(*args: str, cwd=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "lrviz", *args], capture_output=True, text=True,
                          timeout=120, env=env, cwd=cwd)


@pytest.fixture
def points(tmp_path):
    path = tmp_path / "points.csv"
    write_points_csv(path, make_preset("overlapping", n_points=80, seed=2))
    return path


def test_train_writes_the_trainers_numbers(points, tmp_path):
    out, hist = tmp_path / "params.json", tmp_path / "hist.csv"
    result = lrviz("train", str(points), "--lr", "0.3", "--epochs", "250", "--l2", "0.01",
                   "--out", str(out), "--history", str(hist))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # not a terminal: no progress indicator
    assert "epoch 250 " in result.stdout and "accuracy" in result.stdout
    data = make_preset("overlapping", n_points=80, seed=2)
    X, y = data.snapshot()
    trainer = Trainer(X, y, learning_rate=0.3, l2=0.01)
    history = trainer.run(250)
    params = read_params(out)
    np.testing.assert_array_equal(params.weights, history.W[-1])
    assert params.bias == history.b[-1] and params.loss == history.loss[-1]
    assert params.accuracy == accuracy(X, y, history.W[-1], history.b[-1])
    assert (params.epoch, params.learning_rate, params.l2, params.standardize) == (250, 0.3, 0.01, False)
    table = read_history_csv(hist)
    assert table.names == ("w1", "w2", "b")
    epochs, W, b, loss = table.epochs, table.W, table.b, table.loss
    np.testing.assert_array_equal(epochs, np.arange(251))
    np.testing.assert_array_equal(loss[1:], history.loss)
    np.testing.assert_array_equal(W[1:], history.W)
    np.testing.assert_array_equal(b[1:], history.b)
    assert (W[0].tolist(), b[0]) == ([0.0, 0.0], 0.0)  # epoch 0: the tutorial's zero start
    summary = result.stdout.strip()
    assert len(summary.splitlines()) == 1
    assert f"loss {params.loss:.6g}" in summary and f"b {params.bias:.6g}" in summary
    assert "reached the maximum of 250 epochs" in summary


def test_train_random_init_is_the_trainers(points, tmp_path):
    out = tmp_path / "p.json"
    result = lrviz("train", str(points), "--init", "random", "--seed", "7", "--epochs", "5", "--out", str(out))
    assert result.returncode == 0, result.stderr
    X, y = make_preset("overlapping", n_points=80, seed=2).snapshot()
    history = Trainer(X, y, init="random", seed=7).run(5)
    np.testing.assert_array_equal(read_params(out).weights, history.W[-1])


def test_train_csv_params_and_standardize(points, tmp_path):
    out = tmp_path / "params.csv"
    result = lrviz("train", str(points), "--standardize", "--tol", "1e-6", "--epochs", "100000",
                   "--lr", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "converged" in result.stdout or "gradient norm" in result.stdout
    assert read_params(out).standardize is True


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "missing.csv"], "no such file"),
        (["train", "{points}", "--lr", "-1"], "--lr"),
        (["train", "{points}", "--lr", "abc"], "not a number"),
        (["train", "{points}", "--epochs", "1.5"], "whole number"),
        (["train", "{points}", "--l2", "-0.5"], "--l2"),
        (["train", "{points}", "--tol", "nan"], "finite"),
        (["train", "{points}", "--seed", "-1"], "--seed"),
        (["train", "{points}", "--init", "ones"], "invalid choice"),
        (["train", "{folder}"], "cannot read"),
        (["train", "{binary}"], "not a text"),
        (["train", "{nan}"], "line 2: x2 is 'nan'"),
        (["train", "{newline}"], "line 2: x1 is"),
        (["train", "{bad}"], "line 3"),
        (["train", "{empty}"], "empty"),
        (["train", "{header_only}"], "no points"),
        (["train"], "required"),
        (["--bogus"], "unrecognized"),
    ],
)
def test_bad_input_exits_2_with_one_line(points, tmp_path, args, message):
    (tmp_path / "bad.csv").write_text("x1,x2,label\n1,2,0\n1,2,7\n")
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "header_only.csv").write_text("x1,x2,label\n")
    (tmp_path / "binary.csv").write_bytes(b"\xff\xfe\x00\x81")
    (tmp_path / "nan.csv").write_text("x1,x2,label\n1,nan,0\n")
    (tmp_path / "newline.csv").write_text('x1,x2,label\n"1\nnan",1,0\n')
    (tmp_path / "folder").mkdir()
    paths = {name: tmp_path / f"{name}.csv" for name in ("bad", "empty", "header_only", "binary", "nan",
                                                          "newline")}
    paths |= {"points": points, "folder": tmp_path / "folder"}
    result = lrviz(*[a.format(**paths) for a in args], cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr


def test_exit_codes_are_documented_in_help():
    result = lrviz("train", "--help")
    assert result.returncode == 0
    assert re.search(r"^exit status:\n  0 +trained", result.stdout, re.M)
    assert re.search(r"^  2 +bad input", result.stdout, re.M)
    assert re.search(r"^  3 +training diverged", result.stdout, re.M)
    assert re.search(r"^  130 +interrupted", result.stdout, re.M)
    assert "--lr" in result.stdout and "--history" in result.stdout


def test_version_and_window_dispatch(monkeypatch, points):
    """`lrviz` and `lrviz FILE.csv` open the window (faked here); `--version` prints and exits."""
    from lrviz import __version__
    from lrviz.cli import main

    calls = []
    from lrviz.ui import app as ui_app

    monkeypatch.setattr(ui_app, "run_app", lambda **kwargs: calls.append(kwargs) or 0)
    assert main([]) == 0 and main([str(points)]) == 0
    assert [c["data_path"] for c in calls] == [None, str(points)]
    result = lrviz("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"lrviz {__version__}")


def test_divergence_is_reported_with_exit_3(tmp_path):
    path = tmp_path / "far.csv"
    path.write_text("x1,x2,label\n1000,2000,0\n-3000,1000,1\n2500,-800,1\n")
    out = tmp_path / "p.json"
    result = lrviz("train", str(path), "--lr", "1e6", "--l2", "10", "--out", str(out))
    assert result.returncode == 3, result.stderr
    assert "diverged" in result.stdout and "lower the learning rate" in result.stdout
    assert all(np.isfinite(read_params(out).weights))


def test_unwritable_output_is_a_clear_error(points, tmp_path):
    result = lrviz("train", str(points), "--out", str(tmp_path / "no" / "such" / "dir" / "p.json"))
    assert result.returncode == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr


def _train_in_process(*argv: str) -> tuple[int, str, str]:
    """run_training as `lrviz train` runs it, in this process (to interrupt it or watch its files)."""
    from lrviz.cli.train import build_train_parser, run_training

    stdout, stderr = io.StringIO(), io.StringIO()
    code = run_training(build_train_parser().parse_args(list(argv)), stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def _expected_history(path, X, y, epochs: int, **settings) -> bytes:
    """write_history_csv's bytes for the whole run kept in memory: epoch 0, then every epoch."""
    trainer = Trainer(X, y, **settings)
    first = trainer.current
    run = trainer.run(epochs)
    history = RunHistory()
    history.append([0], np.append(first.w, first.b)[None, :], first.loss, first.grad_norm, trainer.learning_rate,
                   trainer.l2, 0)
    history.append(run.epochs, np.column_stack([run.W, run.b]), run.loss, run.grad_norm, trainer.learning_rate,
                   trainer.l2, 0)
    write_history_csv(path, history)
    return path.read_bytes()


def test_streamed_history_is_write_history_csvs_file_byte_for_byte(points, tmp_path):
    """Several progress chunks (4500 epochs), streamed: the same bytes as the whole arrays written at once."""
    hist = tmp_path / "hist.csv"
    code, stdout, stderr = _train_in_process(str(points), "--lr", "0.3", "--epochs", "4500", "--l2", "0.01",
                                             "--history", str(hist))
    assert (code, stderr) == (0, ""), stderr
    X, y = make_preset("overlapping", n_points=80, seed=2).snapshot()
    expected = _expected_history(tmp_path / "expected.csv", X, y, 4500, learning_rate=0.3, l2=0.01)
    assert hist.read_bytes() == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["expected.csv", "hist.csv", "points.csv"]


def test_a_diverged_run_streams_the_finite_epochs_and_exits_3(tmp_path):
    path, hist, out = tmp_path / "far.csv", tmp_path / "hist.csv", tmp_path / "p.json"
    path.write_text("x1,x2,label\n1000,2000,0\n-3000,1000,1\n2500,-800,1\n")
    code, stdout, _ = _train_in_process(str(path), "--lr", "1e6", "--l2", "10", "--history", str(hist),
                                        "--out", str(out))
    assert code == 3 and "diverged" in stdout
    X = np.array([[1000.0, 2000.0], [-3000.0, 1000.0], [2500.0, -800.0]])
    expected = _expected_history(tmp_path / "expected.csv", X, [0, 1, 1], 1000, learning_rate=1e6, l2=10)
    assert hist.read_bytes() == expected
    table = read_history_csv(hist)
    epochs, W, b = table.epochs, table.W, table.b
    assert epochs[-1] == read_params(out).epoch < 1000
    assert (W[-1].tolist(), b[-1]) == (list(read_params(out).weights), read_params(out).bias)


def test_ctrl_c_while_training_writes_nothing_and_leaves_no_temp_file(points, tmp_path, monkeypatch):
    hist, out = tmp_path / "hist.csv", tmp_path / "p.json"
    hist.write_text("old history")
    out.write_text("old params")
    real_run, calls = Trainer.run, []

    def run_then_interrupt(self, epochs):
        calls.append(sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_run(self, epochs)

    monkeypatch.setattr(Trainer, "run", run_then_interrupt)
    code, stdout, stderr = _train_in_process(str(points), "--epochs", "100000", "--history", str(hist),
                                             "--out", str(out))
    assert code == 130 and stdout == ""
    assert stderr == "lrviz train: interrupted; nothing was written\n"
    assert len(calls[-1]) == 1 and calls[-1][0].startswith(".hist.csv.")  # streamed to a temp file
    assert (hist.read_text(), out.read_text()) == ("old history", "old params")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hist.csv", "p.json", "points.csv"]


def test_a_failed_params_write_keeps_the_old_history(points, tmp_path):
    hist = tmp_path / "hist.csv"
    hist.write_text("old history")
    code, _, stderr = _train_in_process(str(points), "--epochs", "10", "--history", str(hist),
                                        "--out", str(tmp_path / "no" / "p.json"))
    assert code == 2 and "cannot write" in stderr
    assert hist.read_text() == "old history"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hist.csv", "points.csv"]


@pytest.mark.parametrize("history", [False, True])
def test_training_keeps_no_rows_in_memory(points, tmp_path, monkeypatch, history):
    """Every chunk run() returned before the last one is freed by the time the next one starts."""
    real_run, chunks, alive = Trainer.run, [], []

    def run_and_watch(self, epochs):
        gc.collect()
        alive.append(sum(chunk() is not None for chunk in chunks[:-1]))
        result = real_run(self, epochs)
        chunks.append(weakref.ref(result.W))
        return result

    monkeypatch.setattr(Trainer, "run", run_and_watch)
    extra = ["--history", str(tmp_path / "h.csv")] if history else []
    code, stdout, _ = _train_in_process(str(points), "--epochs", "10000", *extra)
    assert code == 0 and "epoch 10,000 " in stdout
    assert alive == [0] * 5


@pytest.mark.parametrize(
    "args, message",
    [
        (["--quit-after", "nan"], "between 0 and 1,000,000 seconds"),
        (["--quit-after", "inf"], "between 0 and 1,000,000 seconds"),
        (["--quit-after", "1e12"], "between 0 and 1,000,000 seconds"),
        (["--quit-after=-1"], "between 0 and 1,000,000 seconds"),
        (["--quit-after", "soon"], "not a number of seconds"),
        (["--speed", "nan"], "between 1 and 1000"),
        (["--speed", "inf"], "between 1 and 1000"),
        (["--speed", "1e12"], "between 1 and 1000"),
        (["--speed=-1"], "between 1 and 1000"),
        (["--speed", "0"], "between 1 and 1000"),
    ],
)
def test_bad_window_options_exit_2_with_one_line_before_any_window(monkeypatch, capsys, args, message):
    """NaN, infinity or a huge --quit-after once crashed Qt's timer with a traceback and an abort (134)."""
    from lrviz.cli import main
    from lrviz.ui import app as ui_app

    monkeypatch.setattr(ui_app, "run_app", lambda **kwargs: pytest.fail(f"the window opened with {kwargs}"))
    assert main(args) == 2
    stderr = capsys.readouterr().err
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1, stderr
    assert stderr.startswith("lrviz: ") and message in stderr


def test_bad_quit_after_in_a_real_process_is_one_line_and_exit_2():
    result = lrviz("--quit-after", "nan")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.strip().splitlines() == [
        "lrviz: argument --quit-after: choose between 0 and 1,000,000 seconds, not 'nan' (see 'lrviz --help')"]


@pytest.mark.parametrize("args, quit_after, speed", [
    (["--quit-after", "0"], 0.0, None),
    (["--quit-after", "1e6", "--speed", "1000"], 1e6, 1000.0),
    (["--quit-after", "2.5", "--speed", "MAX"], 2.5, float("inf")),
])
def test_window_options_at_their_limits_are_accepted(monkeypatch, args, quit_after, speed):
    from lrviz.cli import main
    from lrviz.ui import app as ui_app

    calls = []
    monkeypatch.setattr(ui_app, "run_app", lambda **kwargs: calls.append(kwargs) or 0)
    assert main(args) == 0
    assert (calls[0]["quit_after"], calls[0]["speed"]) == (quit_after, speed)


@pytest.mark.parametrize("args", [["--quit-after=--"], ["--speed=--"], ["train", "{points}", "--lr=--"],
                                  ["train", "{points}", "--epochs=--"], ["train", "{points}", "--out=--"]])
def test_an_option_given_double_dash_as_its_value_is_a_missing_value(points, capsys, tmp_path, args):
    """Python 3.11's argparse turned `--lr=--` into [], a traceback later or a silently ignored --out."""
    from lrviz.cli import main

    assert main([a.format(points=points) for a in args]) == 2
    stderr = capsys.readouterr().err
    assert "expected one argument" in stderr and len(stderr.strip().splitlines()) == 1, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["points.csv"]


# -- ranges and help from the settings' spec ----------------------------------------------------------
@pytest.mark.parametrize("option, value, setting", [
    ("--lr", "1e7", "learning_rate"), ("--lr", "1e-7", "learning_rate"), ("--lr", "0", "learning_rate"),
    ("--epochs", "100000001", "max_epochs"), ("--epochs", "-1", "max_epochs"),
    ("--seed", "2147483648", "seed"), ("--l2", "1000.5", "l2"), ("--l2", "-0.5", "l2"),
    ("--tol", "1.5", "tol"), ("--tol", "-1e-9", "tol"),
])
def test_train_options_outside_the_settings_range_exit_2_naming_it(points, tmp_path, capsys, option, value,
                                                                   setting):
    from lrviz.cli import main

    out = tmp_path / "p.json"
    assert main(["train", str(points), f"{option}={value}", "--out", str(out)]) == 2
    stderr = capsys.readouterr().err
    assert stderr.splitlines() == [
        f"lrviz train: argument {option}: must be {SETTING_SPECS[setting].describe_range(with_none=False)}, "
        f"not {value} (see 'lrviz train --help')"]
    assert not out.exists()


def test_the_ranges_in_words():
    """What the messages and --help say, spelled out once (the spec's numbers, readable)."""
    words = {name: SETTING_SPECS[name].describe_range(with_none=False)
             for name in ("learning_rate", "max_epochs", "seed", "l2", "tol")}
    assert words == {"learning_rate": "from 1e-06 to 1e+06", "max_epochs": "from 0 to 100,000,000",
                     "seed": "from 0 to 2,147,483,647", "l2": "from 0 to 1000", "tol": "from 0 to 1"}


@pytest.mark.parametrize("option, value, setting, expected", [
    ("--lr", "1e-6", "learning_rate", 1e-6), ("--lr", "1e6", "learning_rate", 1e6),
    ("--epochs", "0", "max_epochs", 0), ("--epochs", "100000000", "max_epochs", 100_000_000),
    ("--seed", "2147483647", "seed", 2**31 - 1), ("--l2", "1000", "l2", 1000.0), ("--l2", "0", "l2", 0.0),
    ("--tol", "1", "tol", 1.0), ("--tol", "0", "tol", None),
])
def test_train_options_at_the_ends_of_their_range_are_accepted(option, value, setting, expected):
    from lrviz.cli.train import build_train_parser

    args = build_train_parser().parse_args(["d.csv", option, value])
    settings = TrainingSettings(learning_rate=args.lr, l2=args.l2, standardize=args.standardize, init=args.init,
                                seed=args.seed, max_epochs=args.epochs, tol=args.tol)
    assert getattr(settings, setting) == expected


def test_train_defaults_are_the_settings_defaults():
    from lrviz.cli.train import build_train_parser

    args = build_train_parser().parse_args(["d.csv"])
    given = {"learning_rate": args.lr, "l2": args.l2, "standardize": args.standardize, "init": args.init,
             "seed": args.seed, "max_epochs": args.epochs, "tol": args.tol}
    assert given == {name: SETTING_SPECS[name].default for name in given}


def test_train_help_shows_the_specs_defaults_and_ranges(monkeypatch):
    from lrviz.cli.train import build_train_parser

    monkeypatch.setenv("COLUMNS", "300")  # one line per option
    text = build_train_parser().format_help()
    for option, setting, default in [("--lr LR", "learning_rate", "0.1"), ("--epochs EPOCHS", "max_epochs", "1000"),
                                     ("--l2 L2", "l2", "0"), ("--tol TOL", "tol", "off"),
                                     ("--seed SEED", "seed", "0")]:
        spec = SETTING_SPECS[setting]
        assert default == "off" if spec.default is None else float(default) == spec.default
        line = next(line for line in text.splitlines() if line.strip().startswith(option))
        assert f"({spec.describe_range(with_none=False)}; default {default})" in line, line
    assert "(default zeros, the tutorial's)" in text


@pytest.mark.parametrize("columns", [50, 70, 100])
@pytest.mark.parametrize("command", [["train", "--help"], ["--help"]])
def test_help_lines_wrap_to_the_terminal(columns, command):
    env = dict(os.environ, COLUMNS=str(columns), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "lrviz", *command], capture_output=True, text=True,
                            timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    too_long = [line for line in lines if len(line) > columns and "EPOCHS_PER_SECOND" not in line]
    assert too_long == []
    if command == ["train", "--help"]:  # each exit status starts its own line, its text hanging under it
        items = [i for i, line in enumerate(lines) if re.match(r"  (0|2|3|130) +\S", line)]
        assert [lines[i].split()[0] for i in items] == ["0", "2", "3", "130"]
        assert all(re.match(r" {7}\S", line) for line in lines[items[0] + 1:] if line and not re.match(r"  \d", line))


def test_window_help_names_the_train_command_in_its_usage():
    result = lrviz("--help")
    assert result.returncode == 0
    usage = result.stdout.split("\n\n")[0].splitlines()
    assert usage[0].startswith("usage: lrviz [-h] [--version] [--train]")
    assert "[FILE]" in " ".join(usage)
    assert usage[-1] == "       lrviz train DATA.csv [options]"  # under "lrviz" of the first line
    assert "'lrviz train --help' shows headless training" in " ".join(result.stdout.split())


# -- the window's command line: problems said before Qt starts ------------------------------------
def test_no_display_is_one_line_and_exit_2(capsys):
    from lrviz.cli.window import display_problem

    assert "DISPLAY is not set" in display_problem({}, "linux")
    assert "cannot open the display :987" in display_problem({"DISPLAY": ":987"}, "linux")
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({}, "darwin") is None


def _without_display(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return {**env, **extra}


@pytest.mark.parametrize("env, says", [
    ({}, "no display to open the window on (DISPLAY is not set)"),
    ({"DISPLAY": ":12345"}, "cannot open the display :12345"),  # no server, no socket
    ({"DISPLAY": "localhost:12345"}, "cannot open the display localhost:12345"),  # TCP, refused
    ({"DISPLAY": ":12345", "QT_QPA_PLATFORM": "xcb"}, "cannot open the display :12345"),
])
def test_lrviz_without_a_usable_display_says_so_and_exits_2(env, says):
    """Not Qt's abort (exit 134) and its misleading "xcb-cursor0 is needed"."""
    result = subprocess.run([sys.executable, "-m", "lrviz"], capture_output=True, text=True, timeout=60,
                            env=_without_display(**env))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("lrviz: ") and says in lines[0], lines
    assert "'lrviz train DATA.csv' trains headless" in lines[0] and "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert "xcb-cursor" not in result.stderr and result.stdout == ""


def test_the_x_server_is_asked_not_guessed(tmp_path):
    """libxcb is asked (Qt's own library): no server, a refused TCP port and a malformed name are no display."""
    from lrviz.cli.x_display import x_server_answers

    assert x_server_answers(":12345") is False
    assert x_server_answers("localhost:12345") is False
    assert x_server_answers("nonsense") is False


def test_missing_xcb_libraries_are_named_with_the_apt_line(monkeypatch):
    import lrviz.cli.window as window

    monkeypatch.setattr(window, "missing_xcb_libraries", lambda: ["libxcb-cursor0"])
    problem = window.display_problem({"DISPLAY": ":0"}, "linux")
    assert "needs the system libraries libxcb-cursor0" in problem and "apt-get install libxcb-cursor0" in problem


@pytest.mark.parametrize("content, expected", [
    (None, "no such file"),
    ("x1,x2,label\n0,0,0\n1,one,1\n", "line 3: x2 is 'one'"),  # (three classes open importDialog)
    ('{"format": "lrviz-session/9"}', "newer lrviz"),
])
def test_a_file_that_cannot_be_opened_is_an_error_before_the_window(tmp_path, content, expected):
    import subprocess
    import sys

    name = "session.json" if content and content.startswith("{") else "damaged.csv"
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    result = subprocess.run([sys.executable, "-m", "lrviz", str(path)], capture_output=True, text=True,
                            timeout=60, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and lines[0].startswith("lrviz: ")


def test_a_files_terminal_escape_sequences_are_printed_as_text(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n\x1b[2J\x1b]0;owned\x07,1,0\n", encoding="utf-8")
    done = lrviz("train", str(bad))
    assert done.returncode == 2
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert "\\x1b[2J" in done.stderr and len(done.stderr.splitlines()) == 1


def _special(tmp_path, kind: str) -> str:
    import os
    import stat

    if kind == "fifo":
        os.mkfifo(tmp_path / "fifo")
        return str(tmp_path / "fifo")
    if kind == "device":  # a copy of /dev/null's node: the real one must never be at risk in a test
        os.mknod(tmp_path / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        return str(tmp_path / "null")
    return {"root": "/", "dot": ".", "folder": str(tmp_path), "slash": str(tmp_path / "new") + "/",
            "no folder": str(tmp_path / "missing" / "out.json"), "empty": ""}[kind]


@pytest.mark.parametrize("option", ["--out", "--history"])
@pytest.mark.parametrize("kind", ["fifo", "device", "root", "dot", "folder", "slash", "no folder", "empty"])
def test_outputs_that_are_not_regular_files_are_refused_before_training(points, tmp_path, option, kind):
    """A FIFO or device became a regular file (as root, --out /dev/null replaced /dev/null);
    '/' and '.' ended in a traceback. 10^8 epochs would take minutes: refused at once instead."""
    import os
    import stat

    target = _special(tmp_path, kind)
    before = os.stat(target).st_mode if target and os.path.exists(target) else None
    done = subprocess.run([sys.executable, "-m", "lrviz", "train", str(points), "--epochs", "100000000",
                           option, target], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.splitlines()) == 1 and option in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
    if before is not None:
        assert os.stat(target).st_mode == before and not stat.S_ISREG(before)


def test_out_and_history_naming_one_file_are_refused(points, tmp_path):
    done = lrviz("train", str(points), "--out", str(tmp_path / "a.csv"), "--history", str(tmp_path / "a.csv"))
    assert done.returncode == 2 and "same file" in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["points.csv"]


def test_writing_through_a_symlink_replaces_the_file_it_points_to(points, tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert lrviz("train", str(points), "--epochs", "3", "--out", str(link)).returncode == 0
    assert link.is_symlink() and json.loads(real.read_text())["epoch"] == 3


def _wait_for(qtbot, condition, process, what: str) -> None:
    """Wait until `condition()` (the process is working on it), failing at once if it ended."""
    def ready() -> bool:
        assert process.poll() is None, f"ended before {what}: {process.communicate()}"
        return bool(condition())

    qtbot.waitUntil(ready, timeout=60000)


@pytest.mark.parametrize(("signal_name", "status"), [("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130)])
def test_a_signal_while_training_deletes_the_temp_file_and_keeps_the_old_one(qtbot, points, tmp_path, signal_name,
                                                                             status):
    """SIGTERM or SIGHUP left the streamed history's temp file behind (10-97 MB seen)."""
    import signal
    import stat

    hist = tmp_path / "hist.csv"
    hist.write_text("old history")
    os.chmod(hist, 0o600)
    process = subprocess.Popen([sys.executable, "-m", "lrviz", "train", str(points), "--epochs", "100000000",
                                "--history", str(hist)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        temps = lambda: [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # noqa: E731
        _wait_for(qtbot, lambda: temps() and temps()[0].stat().st_size > 0, process, "temp file")
        assert stat.S_IMODE(temps()[0].stat().st_mode) == 0o600  # never readable by others meanwhile
        process.send_signal(getattr(signal, signal_name))
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == status, stderr
    assert stderr == f"lrviz train: {'interrupted' if status == 130 else 'stopped by ' + signal_name}; " \
                     "nothing was written\n"
    assert hist.read_text() == "old history"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hist.csv", "points.csv"]


@pytest.mark.parametrize("phase", ["read_points_csv", "make_trainer", "write_params", "parse_args"])
def test_ctrl_c_in_every_phase_exits_130_with_one_line(points, tmp_path, monkeypatch, capsys, phase):
    """Ctrl+C while a large CSV was still being read gave a traceback and exit −2."""
    import lrviz.cli as cli
    import lrviz.cli.train as train

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    if phase == "parse_args":
        monkeypatch.setattr("argparse.ArgumentParser.parse_args", interrupt)
    else:
        monkeypatch.setattr(train, phase, interrupt)
    code = cli.main(["train", str(points), "--epochs", "5", "--out", str(tmp_path / "p.json")])
    captured = capsys.readouterr()
    assert code == 130 and captured.out == ""
    assert captured.err == "lrviz train: interrupted; nothing was written\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["points.csv"]


@pytest.mark.parametrize("argv, ending", [
    (["--epochs", "1"], "[80 points; reached the maximum of 1 epoch]"),
    (["--epochs", "300000", "--tol", "0.001", "--lr", "0.02"], "gradient norm 0.000999959 < 0.001 at epoch {epoch:,}]"),
])
def test_the_summary_writes_one_number_format_and_singulars(points, argv, ending):
    """Never "1 epochs", and never 300000 beside 300,000: every whole number has its commas."""
    code, stdout, stderr = _train_in_process(str(points), *argv)
    assert (code, stderr) == (0, "")
    epoch = int(re.match(r"epoch ([\d,]+) ", stdout).group(1).replace(",", ""))
    assert stdout.rstrip().endswith(ending.format(epoch=epoch)), stdout
    assert re.findall(r"(?<![\d.,e-])\d{4,}(?![\d.,])", stdout) == [], stdout


def test_the_xcb_libraries_checked_are_the_readmes_and_load_here():
    """Every library checked is installed by the README's apt line (and is installed on this machine)."""
    from pathlib import Path

    from lrviz.cli.x_display import XCB_PLUGIN_LIBRARIES, missing_xcb_libraries

    readme = Path(__file__).resolve().parent.parent.joinpath("README.md").read_text(encoding="utf-8")
    apt_line = next(line for line in readme.splitlines() if line.startswith("apt-get update && apt-get install"))
    assert set(XCB_PLUGIN_LIBRARIES) - {"libxcb1"} <= set(apt_line.split())  # libxcb1: a dependency of all
    assert missing_xcb_libraries() == []
