"""A run as a standalone Python script or Jupyter notebook that trains it again with NumPy alone.

Teachers hand out the code behind what the window shows: the exported file holds the points
(or reads the CSV saved beside it when there are many) and the settings, implements the
tutorial's equations one line each with their numbers as comments, runs the same number of
epochs and prints the final w, b and loss, which equal lrviz's to about 1e-13: the same
model, the same stable loss (log ŷ = −log(1 + e^(−z)), never log 0), the same
standardization and λ, the same α and λ per epoch when they were changed while training ran.
The rounding differs from lrviz's fused kernel (core/model.py) only in the last bits.

`reproduction(run, epoch)` collects what the file needs (ValueError, a message to show, when a
run cannot be written as one script: the points changed during the epochs); `script_text` and
`notebook_json` write it. The notebook is nbformat 4 JSON written here (no nbformat needed to
make one): markdown cells quote the equations, code cells are the script's, and a last cell
plots with matplotlib when it is installed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from lrviz import __version__
from lrviz.core.dataset import DEFAULT_CLASS_NAMES
from lrviz.core.model_trainer import feature_map
from lrviz.core.run import Run
from lrviz.core.wording import counted

EMBED_LIMIT = 10_000  # more points than this are read from the CSV beside the file


@dataclass(frozen=True)
class Reproduction:
    """Everything the exported code needs to train the run again up to `epochs`."""

    X: np.ndarray  # (m, 2)
    y: np.ndarray  # (m,) 0/1
    feature_names: tuple[str, str]
    epochs: int
    standardize: bool
    init: str  # "zeros" or "random"
    seed: int
    schedule: tuple[tuple[int, float, float], ...]  # (first epoch, α, λ) from that epoch on
    w: tuple[float, ...]  # lrviz's result at `epochs`
    b: float
    loss: float
    class_names: tuple[str, str] = DEFAULT_CLASS_NAMES  # of label 0 and label 1 (ŷ is the chance of the second)


def reproduction(run: Run, epoch: int) -> Reproduction:
    """What it takes to train `run` again from epoch 0 to `epoch` (an epoch the history holds)."""
    history = run.history
    if not len(history):
        raise ValueError("there is no training to export yet: press Train or Step first")
    if history.first_epoch != 0:
        raise ValueError("this run's history does not start at epoch 0: press Reset and train again")
    if not feature_map(run.settings).is_identity or run.settings.optimizer != "gd":
        raise ValueError("the script reproduces the tutorial's model (x1, x2, gradient descent); this run uses "
                         "a feature map or another optimizer: choose those of the tutorial and press Reset to export")
    epoch = int(epoch)
    history.index_of(epoch)  # IndexError for an epoch not held
    # From the runs of equal values the history stores (not every row's values expanded: 10^8
    # epochs were 800 MB a column); row k is epoch k here (the history starts at epoch 0).
    revision_starts, revision_values = history.setting_runs("data_revision")
    revisions = np.unique(revision_values[revision_starts <= epoch])
    if len(revisions) > 1:
        raise ValueError("the points were changed while these epochs were trained, and a script trains on "
                         "one set of points: press Reset and train again, then export")
    points = run.points_at(int(revisions[0]))
    row = history.row(epoch)
    (alpha_starts, alphas), (l2_starts, lambdas) = history.setting_runs("learning_rate"), history.setting_runs("l2")
    # The α of row k is that of the update that made it, so epoch 0's α is not used by any update;
    # its λ is that of epoch 0's loss. A change at row 1 is just the first update's values.
    # A run starts only where its value changes, so the union of both columns' starts is every change.
    starts = np.union1d(alpha_starts, l2_starts)
    starts = starts[starts <= epoch]
    alpha_at = alphas[np.searchsorted(alpha_starts, starts, side="right") - 1]
    l2_at = lambdas[np.searchsorted(l2_starts, starts, side="right") - 1]
    schedule = tuple((int(s), float(a), float(lam)) for s, a, lam in zip(starts, alpha_at, l2_at))
    settings = run.settings
    return Reproduction(
        X=np.array(points.X, dtype=float), y=np.array(points.y, dtype=np.int64),
        feature_names=tuple(run.points.feature_names), epochs=epoch, standardize=settings.standardize,
        init=settings.init, seed=settings.seed, schedule=schedule,
        w=tuple(float(v) for v in row.w), b=row.b, loss=row.loss, class_names=tuple(run.points.class_names))


# -- the code, in sections (markdown, code): the script joins them, the notebook splits them --------

def _points_code(rep: Reproduction, csv_name: str | None) -> str:
    names = ", ".join(rep.feature_names)
    if csv_name is not None:
        return (f"# The points, {len(rep.y):,} of them, from the CSV saved beside this file ({names}, label)\n"
                "import pathlib\n"
                "# beside the script; a notebook runs in its own folder\n"
                "_here = pathlib.Path(__file__).resolve().parent if '__file__' in globals() else pathlib.Path.cwd()\n"
                f"_table = np.loadtxt(_here / {csv_name!r}, delimiter=',', skiprows=1, ndmin=2)\n"
                "X = _table[:, :2]  # one row (x1, x2) per point: m × n, n = 2\n"
                "y = _table[:, 2]  # the labels, 0 or 1\n")
    rows = ",\n".join(f"    [{x1!r}, {x2!r}]" for x1, x2 in rep.X.tolist())
    labels = ", ".join(str(int(v)) for v in rep.y.tolist())
    return (f"# The points ({names}): one row per point, X is m × n with n = 2\n"
            f"X = np.array([\n{rows},\n], dtype=float).reshape(-1, 2)\n"
            f"# The labels, 0 or 1, one per point\ny = np.array([{labels}], dtype=float)\n")


def _settings_code(rep: Reproduction) -> str:
    lines = [f"EPOCHS = {rep.epochs}  # the number of gradient-descent updates",
             f"STANDARDIZE = {rep.standardize}  # train on (x − mean)/std, report w and b for the raw x"]
    if len(rep.schedule) == 1:
        _, alpha, lam = rep.schedule[0]
        lines += [f"LEARNING_RATE = {alpha!r}  # α of the updates (4-2), (4-3)",
                  f"L2 = {lam!r}  # λ: (λ/2)‖w‖² is added to the loss (2-1); 0 is the tutorial's model",
                  "", "", "def settings_at(epoch):",
                  '    """α and λ of the update that makes `epoch` (the same for every epoch here)."""',
                  "    return LEARNING_RATE, L2"]
    else:
        entries = "".join(f"    ({start}, {alpha!r}, {lam!r}),\n" for start, alpha, lam in rep.schedule)
        lines += ["# α and λ were changed while training ran: (first epoch, α, λ) from that epoch on",
                  f"SCHEDULE = [\n{entries}]", "", "",
                  "def settings_at(epoch):",
                  '    """α and λ of the update that makes `epoch` (and λ of its loss)."""',
                  "    alpha, lam = SCHEDULE[0][1:]",
                  "    for first, a, l in SCHEDULE:",
                  "        if first <= epoch:",
                  "            alpha, lam = a, l",
                  "    return alpha, lam"]
    return "\n".join(lines) + "\n"


_SCALING_CODE = '''\
m, n = X.shape
if STANDARDIZE:
    # every feature to mean 0 and standard deviation 1; a constant feature is left unscaled
    mean, std = X.mean(axis=0), X.std(axis=0)
    constant = X.max(axis=0) == X.min(axis=0)
    mean, std = np.where(constant, X[0], mean), np.where(constant, 1.0, std)
    A = (X - mean) / std
else:
    mean, std = np.zeros(n), np.ones(n)
    A = X  # the points as they are: the tutorial's model
'''

_MODEL_CODE = '''\
def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), element-wise: ŷ, one per point (1-2), corrected as in the errata."""
    with np.errstate(over="ignore"):  # e^(−z) = inf for z < −709 gives σ = 0, as it should
        return 1.0 / (1.0 + np.exp(-z))


def loss(w, b, lam):
    """The mean loss (2-1), plus (λ/2)‖w‖²; log ŷ and log(1 − ŷ) without forming ŷ, never log 0."""
    z = A @ w + b  # z = Xw + b                                                        (1-2)
    log_y_hat = -np.logaddexp(0.0, -z)  # log ŷ = −log(1 + e^(−z))
    log_one_minus_y_hat = -np.logaddexp(0.0, z)  # log(1 − ŷ) = −log(1 + e^z)
    L = -np.mean(y * log_y_hat + (1 - y) * log_one_minus_y_hat)  # L(y, ŷ)              (2-1)
    return L + 0.5 * lam * (w @ w)  # the bias is never regularised


def gradients(w, b, lam):
    """∂L/∂w and ∂L/∂b at (w, b)."""
    y_hat = sigmoid(A @ w + b)  # ŷ = σ(Xw + b)                                        (1-2)
    dz = y_hat - y  # ∂L/∂z = ŷ − y, per point                                          (3-5)
    dw = A.T @ dz / m + lam * w  # ∂L/∂w = (1/m) Xᵀ(ŷ − y) + λw                         (3-8)
    db = np.sum(dz) / m  # ∂L/∂b = (1/m) Σ (ŷᵢ − yᵢ)                                     (3-10)
    return dw, db
'''


def _start_code(rep: Reproduction) -> str:
    if rep.init == "random":
        return (f"# The start: small random weights (seed {rep.seed}), in the coordinates trained on\n"
                f"w = np.random.default_rng({rep.seed}).normal(0.0, 0.01, n)\n"
                "b = float((w / std) @ mean)  # the raw model's bias is 0\n")
    return "# The start: w = 0, b = 0, as in the tutorial\nw = np.zeros(n)\nb = 0.0\n"


_LOOP_CODE = '''\
losses = [loss(w, b, settings_at(0)[1])]  # the loss of every epoch, epoch 0 first
for epoch in range(1, EPOCHS + 1):
    alpha, lam = settings_at(epoch)
    dw, db = gradients(w, b, lam)  # both from the old w and b
    w = w - alpha * dw  # w ← w − α ∂L/∂w                                              (4-2)
    b = b - alpha * db  # b ← b − α ∂L/∂b                                              (4-3)
    losses.append(loss(w, b, lam))
'''

_REPORT_CODE = '''\
# w and b for the points as they were placed: w·x + b = (w/std)·x + (b − Σ wₖ meanₖ/stdₖ)
w_raw = w / std
b_raw = b
for k in range(n):
    b_raw -= w_raw[k] * mean[k]
print(f"epoch = {EPOCHS}")
for k in range(n):
    print(f"w{k + 1} = {float(w_raw[k])!r}")
print(f"b = {float(b_raw)!r}")
print(f"loss = {float(losses[-1])!r}")
'''

_PLOT_CODE = '''\
try:
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
    print("matplotlib is not installed: pip install matplotlib to see the plot")
if plt is not None:
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    for label, colour, marker in ((0, "#0072B2", "o"), (1, "#D55E00", "^")):
        chosen = y == label
        left.scatter(X[chosen, 0], X[chosen, 1], c=colour, marker=marker, edgecolors="k", label=CLASSES[label])
    x_low, x_high = left.get_xlim()
    y_low, y_high = left.get_ylim()
    if abs(w_raw[1]) >= abs(w_raw[0]) and w_raw[1] != 0:  # the boundary w·x + b = 0
        xs = np.array([x_low, x_high])
        left.plot(xs, -(w_raw[0] * xs + b_raw) / w_raw[1], "k-", label="w·x + b = 0")
    elif w_raw[0] != 0:
        ys = np.array([y_low, y_high])
        left.plot(-(w_raw[1] * ys + b_raw) / w_raw[0], ys, "k-", label="w·x + b = 0")
    left.set_xlim(x_low, x_high)
    left.set_ylim(y_low, y_high)
    left.set_xlabel(FEATURES[0])
    left.set_ylabel(FEATURES[1])
    left.legend()
    right.plot(np.arange(len(losses)), losses)
    right.set_xlabel("epoch")
    right.set_ylabel("loss L (2-1)")
    plt.tight_layout()
    plt.show()
'''

_EQUATIONS_MD = (
    "## The model\n\n"
    "For the points $\\mathbf{X}$ ($m \\times n$, one row per point) and labels $y_i \\in \\{0, 1\\}$:\n\n"
    "$$\\hat{\\mathbf{y}} = \\sigma(\\mathbf{X}\\mathbf{w} + b), \\quad "
    "\\sigma(z) = \\frac{1}{1 + e^{-z}} \\quad (1\\text{-}2)$$\n\n"
    "$$L(\\mathbf{y}, \\hat{\\mathbf{y}}) = -\\frac{1}{m} \\sum_{i=1}^m [y_i \\log(\\hat{y}_i) + "
    "(1 - y_i) \\log(1 - \\hat{y}_i)] \\quad (2\\text{-}1)$$\n\n"
    "plus $\\frac{\\lambda}{2}\\lVert\\mathbf{w}\\rVert^2$ when $\\lambda > 0$ (the bias is never "
    "regularised). The chain rule gives $\\frac{\\partial L}{\\partial z_i} = \\hat{y}_i - y_i$ (3-5), so\n\n"
    "$$\\frac{\\partial L}{\\partial w_k} = \\frac{1}{m} \\sum_{i=1}^m (\\hat{y}_i - y_i)x_{ik} \\quad (3\\text{-}8)"
    "\\qquad \\frac{\\partial L}{\\partial b} = \\frac{1}{m} \\sum_{i=1}^m (\\hat{y}_i - y_i) \\quad (3\\text{-}10)$$\n\n"
    "(with $+\\lambda w_k$ for $\\lambda > 0$). The log-likelihood is computed without forming "
    "$\\hat{y}$: $\\log \\hat{y} = -\\log(1 + e^{-z})$ and $\\log(1 - \\hat{y}) = -\\log(1 + e^{z})$, "
    "so a large $|z|$ never gives $\\log 0$."
)

_UPDATES_MD = (
    "## Gradient descent\n\n"
    "Every epoch updates all parameters from the old values:\n\n"
    "$$\\mathbf{w} = \\mathbf{w} - \\frac{\\alpha}{m} \\mathbf{X}^T (\\hat{\\mathbf{y}} - \\mathbf{y}) "
    "\\quad (4\\text{-}2) \\qquad b = b - \\frac{\\alpha}{m} \\sum_{i=1}^m (\\hat{y}_i - y_i) \\quad (4\\text{-}3)$$"
)


def _sections(rep: Reproduction, csv_name: str | None) -> list[tuple[str, str]]:
    """(markdown, code) pairs in the order they run."""
    features = f"FEATURES = {list(rep.feature_names)!r}\n"
    named = rep.class_names if rep.class_names != DEFAULT_CLASS_NAMES else ("class 0", "class 1")
    features += f"CLASSES = {list(named)!r}  # the names of label 0 and label 1 (ŷ is the chance of label 1)\n"
    return [
        ("## The points and the settings\n\nExactly those of the lrviz run.",
         "import numpy as np\n\n" + _points_code(rep, csv_name) + features + "\n" + _settings_code(rep)),
        (("Standardization, when it is on, works on $(x - \\text{mean})/\\text{std}$; the result is "
          "reported for the raw points."), _SCALING_CODE),
        (_EQUATIONS_MD, _MODEL_CODE),
        (_UPDATES_MD, _start_code(rep) + "\n" + _LOOP_CODE),
        (("## The result\n\nThe final $\\mathbf{w}$, $b$ and loss, as lrviz shows them for epoch "
          f"{rep.epochs:,}: w = {list(rep.w)!r}, b = {rep.b!r}, loss = {rep.loss!r}."), _REPORT_CODE),
    ]


def _title(rep: Reproduction) -> str:
    return (f"Logistic regression by gradient descent, exported from lrviz {__version__}: "
            f"{counted(len(rep.y), 'point')}, {counted(rep.epochs, 'epoch')}")


def needs_csv(rep: Reproduction) -> bool:
    """Whether the points go into a CSV beside the file instead of into it."""
    return len(rep.y) > EMBED_LIMIT


def script_text(rep: Reproduction, csv_name: str | None = None) -> str:
    """A standalone script (NumPy only) that trains the run again and prints w, b and the loss.

    `csv_name`: the points are read from that file beside the script (see `needs_csv`).
    """
    header = (f'"""{_title(rep)}.\n\n'
              "Run it with `python <this file>`; it needs NumPy only. It prints the final w, b and loss,\n"
              "which equal lrviz's for that epoch up to rounding (about 1e-13).\n"
              "Equation numbers are those of Zhengxiang Wang's tutorial on gradient descent for\n"
              "logistic regression, with its errata corrected (see lrviz's README).\n"
              '"""\n\n')
    parts = [code for _markdown, code in _sections(rep, csv_name)]
    return header + "\n\n".join(part.rstrip("\n") + "\n" for part in parts)


def _cell(kind: str, text: str, number: int) -> dict:
    """One cell; nbformat 4.5 wants a unique id per cell."""
    lines = text.splitlines(keepends=True)
    cell = {"id": f"{kind}-{number}", "cell_type": kind, "metadata": {}, "source": lines}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def notebook_json(rep: Reproduction, csv_name: str | None = None) -> dict:
    """The same as `script_text`, as an nbformat 4 notebook (a dict to dump as JSON)."""
    intro = (f"# {_title(rep)}\n\nThe equation numbers are those of Zhengxiang Wang's tutorial on gradient "
             "descent for logistic regression, errata corrected. Run the cells in order; NumPy is all they "
             "need, matplotlib draws the plot.")
    pairs = [(intro, None), *_sections(rep, csv_name),
             ("## The points, the boundary and the loss\n\n(when matplotlib is installed)", _PLOT_CODE)]
    cells = []
    for number, (markdown, code) in enumerate(pairs):
        cells.append(_cell("markdown", markdown, number))
        if code is not None:
            cells.append(_cell("code", code, number))
    return {"nbformat": 4, "nbformat_minor": 5, "cells": cells,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                         "language_info": {"name": "python"}}}


def notebook_text(rep: Reproduction, csv_name: str | None = None) -> str:
    return json.dumps(notebook_json(rep, csv_name), indent=1, ensure_ascii=False) + "\n"


__all__ = ["EMBED_LIMIT", "Reproduction", "needs_csv", "notebook_json", "notebook_text", "reproduction",
           "script_text"]
