"""The tutorial's derivation as lines of the math panel, with the numbers of one epoch (and
one point) substituted: (1-2), (2-2)/(2-3), (2-1), (3-5), (3-7), (3-9), (3-8), (3-10),
(4-2), (4-3), in the tutorial's order and with its numbers, corrected by its errata (the
mean loss (2-1) on the left of (3-8); ∂L/∂b, with no k, in (3-10); ŷ = σ(z)).

Every number comes from `core.explain.Explanation`; nothing is computed here but sums of its
per-point terms for display.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape

import numpy as np

from lrviz.core.explain import Explanation
from lrviz.ui.panels.math_pieces import (
    Line,
    Piece,
    frac,
    lit,
    num,
    sub,
    sup,
    sym,
    total,
    vector,
)

TUTORIAL = ("Zhengxiang (Jack) Wang, “Hands-on tutorial for writing out gradient descent for logistic "
            "regression model” (2021-08-12)")
SELECT_HINT = ("No point selected: the sums over all points are shown. Click a point in the editor (or in the "
               "z view) to see its own numbers; Escape clears the selection.")

X, W, B, Z = sym("x", "x"), sym("w", "w"), sym("b", "b"), sym("z", "z")
Y, YHAT = sym("y", "y"), sym("ŷ", r"\hat{y}")
ALPHA, LAMBDA, SIGMA = lit("α", r"\alpha "), lit("λ", r"\lambda "), lit("σ", r"\sigma")
EQ, MINUS, PLUS, TIMES = lit(" = "), lit(" − ", " - "), lit(" + "), lit("·", r" \cdot ")
LARROW = lit(" ← ", r" \leftarrow ")


def _eq(piece: Piece, tag: str = "", *more: Piece) -> Line:
    return Line("equation", piece, tag, more)


def _note(text: str) -> Line:
    return Line("note", lit(text))


def _partial(of: Piece, by: Piece) -> Piece:
    """∂of/∂by: stacked on screen, ∂L/∂w₁ in plain text (the usual way to write it on one line)."""
    return replace(frac(lit("∂", r"\partial ") + of, lit("∂", r"\partial ") + by), text=f"∂{of.text}/∂{by.text}")


def _loss_i() -> Piece:
    return lit("L(") + sub(Y, "i") + lit(", ") + sub(YHAT, "i") + lit(")")


def _loss_all() -> Piece:
    return lit("L(") + sym("y", r"\mathbf{y}") + lit(", ") + sym("ŷ", r"\hat{\mathbf{y}}") + lit(")")


def _log(arg: Piece) -> Piece:
    return lit("log ", r"\log ") + arg


def _residual_i() -> Piece:
    return lit("(") + sub(YHAT, "i") + MINUS + sub(Y, "i") + lit(")")


def _w(k: int) -> Piece:
    return sub(W, str(k + 1))


def _x(k: int) -> Piece:
    return sub(X, f"i{k + 1}", f"i{k + 1}")


def derivation(ex: Explanation, point: int | None, warning: str = "", rate_now: float | None = None,
               update: list[Line] | None = None) -> list[Line]:
    """The panel's lines for `ex` and the selected point (None: sums over all points); `update`
    replaces section 4 (gradient descent's step) with another optimizer's (math_optimizer.py)."""
    lines: list[Line] = [Line("heading", lit(f"Epoch {ex.epoch:,}: the step to epoch {ex.next_epoch:,}"))]
    if warning:  # first, where it is seen; the bound itself is explained at the end
        lines.append(_warning(warning))
    m = ex.m
    if point is not None and not 0 <= point < ex.count:
        point = None
    if point is None:
        lines.append(_note(SELECT_HINT))
    else:
        pt = ex.point(point)
        role = "" if ex.trains[point] else " It is a test point: it is not in the sums below, which run over the m training points."
        lines.append(_note(f"Point i = {point + 1} of {ex.count:,} (m = {m:,} train): label y = {pt.y}, at x = "
                           f"({', '.join(f'{v:.6g}' for v in pt.x_raw)}) as placed.{role}"
                           if ex.count != m else
                           f"Point i = {point + 1} of m = {m:,}: label y = {pt.y}, at x = "
                           f"({', '.join(f'{v:.6g}' for v in pt.x_raw)}) as placed."))
    if ex.standardized:
        lines += _standardization(ex, point)
    lines.append(Line("heading", lit("1. The model")))
    lines += _model(ex, point)
    lines.append(Line("heading", lit("2. The loss")))
    lines += _loss(ex, point)
    lines.append(Line("heading", lit("3. The gradients")))
    lines += _gradients(ex, point)
    if update is None:
        lines.append(Line("heading", lit("4. Gradient descent")))
        lines += _update(ex)
    else:
        lines += update
    lines.append(Line("heading", lit("How large α can be")))
    lines += _rate(ex, warning, rate_now)
    lines.append(_note(f"Equation numbers as in {TUTORIAL}, with its errata corrected."))
    return lines


def _standardization(ex: Explanation, point: int | None) -> list[Line]:
    mu, s = ex.mean, ex.std
    lines = [_note("Standardized training: below, x and w are the standardized x̃ = (x − μ)/s and "
                   "w̃ = w·s that the update uses; the editor draws the raw w and b.")]
    lines.append(_eq(sym("μ", r"\mu") + EQ + vector(mu) + lit(",   ", r",\quad ") + sym("s", "s") + EQ + vector(s)))
    if point is not None:
        raw = ex.X_raw[point]
        piece = sub(sym("x̃", r"\tilde{x}"), "i") + EQ
        for k in range(ex.n):
            piece = piece + (lit(", ") if k else lit("(")) + frac(
                num(raw[k]) + MINUS + num(mu[k], paren=True), num(s[k]))
        lines.append(_eq(piece + lit(")") + EQ + vector(ex.X[point])))
    lines.append(_eq(sym("w̃", r"\tilde{w}") + EQ + W + TIMES + sym("s", "s") + EQ + vector(ex.w) + lit(",   ", r",\quad ")
                     + sym("b̃", r"\tilde{b}") + EQ + B + PLUS + W + TIMES + sym("μ", r"\mu") + EQ + num(ex.b)))
    lines.append(_eq(lit("raw ", r"\text{raw } ") + W + EQ + frac(sym("w̃", r"\tilde{w}"), sym("s", "s")) + EQ + vector(ex.w_raw)
                     + lit(",   ", r",\quad ") + B + EQ + sym("b̃", r"\tilde{b}") + MINUS + W + TIMES + sym("μ", r"\mu")
                     + EQ + num(ex.b_raw)))
    return lines


def _model(ex: Explanation, point: int | None) -> list[Line]:
    if point is None:
        z_range = (float(np.min(ex.z)), float(np.max(ex.z))) if ex.m else (0.0, 0.0)
        return [
            _eq(sym("z", r"\mathbf{z}") + EQ + sym("X", r"\mathbf{X}") + sym("w", r"\mathbf{w}") + PLUS + B
                + lit(",   ", r",\quad ") + W + EQ + vector(ex.w) + lit(",   ", r",\quad ") + B + EQ + num(ex.b), "(1-2)"),
            _eq(sym("ŷ", r"\hat{\mathbf{y}}") + EQ + SIGMA + lit("(") + sym("z", r"\mathbf{z}") + lit(")") + EQ
                + frac("1", lit("1 + ") + sup(lit("e"), lit("−", "-") + sym("z", r"\mathbf{z}")))
                + lit(",   element-wise, ", r",\ \text{element-wise},\ ") + lit("z from ", r"z \in [")
                + num(z_range[0]) + lit(" to ", ", ") + num(z_range[1]) + lit("", "]"), "(1-2)"),
        ]
    pt = ex.point(point)
    symbolic = sub(Z, "i") + EQ
    numbers = lit("")
    for k in range(ex.n):
        joiner = PLUS if k else lit("")
        symbolic = symbolic + joiner + _w(k) + _x(k)
        numbers = numbers + joiner + num(ex.w[k], paren=k > 0) + TIMES + num(pt.x[k], paren=True)
    numbers = numbers + PLUS + num(ex.b, paren=True)
    return [
        _eq(symbolic + PLUS + B, "(1-2)", EQ + numbers + EQ + num(pt.z)),
        _eq(sub(YHAT, "i") + EQ + SIGMA + lit("(") + sub(Z, "i") + lit(")") + EQ
            + frac("1", lit("1 + ") + sup(lit("e"), lit("−", "-") + sub(Z, "i"))) + EQ
            + frac("1", lit("1 + ") + sup(lit("e"), lit("−", "-") + num(pt.z, paren=True))) + EQ + num(pt.y_hat),
            "(1-2)"),
    ]


def _loss(ex: Explanation, point: int | None) -> list[Line]:
    lines = []
    per_point = (lit("−", "-") + sub(Y, "i") + lit(" ") + _log(sub(YHAT, "i")) + MINUS + lit("(1 − ", "(1 - ")
                 + sub(Y, "i") + lit(") ") + _log(lit("(1 − ", "(1 - ") + sub(YHAT, "i") + lit(")")))
    if point is not None:
        pt = ex.point(point)
        case = (lit("−", "-") + _log(lit("(") + num(pt.y_hat) + lit(")")) if pt.y == 1 else
                lit("−", "-") + _log(lit("(1 − ", "(1 - ") + num(pt.y_hat) + lit(")")))
        which = lit("−", "-") + (_log(sub(YHAT, "i")) if pt.y == 1 else
                                 _log(lit("(1 − ", "(1 - ") + sub(YHAT, "i") + lit(")")))
        lines.append(_eq(_loss_i() + EQ + per_point, "(2-2)"))
        lines.append(_eq(_loss_i() + EQ + which + lit(f"   (y = {pt.y})", rf"\quad (y_i = {pt.y})") + EQ + case
                         + EQ + num(pt.loss), "(2-3)"))
    with np.errstate(over="ignore"):
        loss_sum = float(ex.training_sum(ex.loss))
    mean = (lit("−", "-") + frac("1", sym("m", "m")) + total() + lit("[") + sub(Y, "i") + lit(" ")
            + _log(sub(YHAT, "i")) + PLUS + lit("(1 − ", "(1 - ") + sub(Y, "i") + lit(") ")
            + _log(lit("(1 − ", "(1 - ") + sub(YHAT, "i") + lit(")")) + lit("]"))
    piece = _loss_all() + EQ + mean
    if ex.l2:
        piece = piece + PLUS + frac(LAMBDA, "2") + lit("‖w‖²", r"\lVert w \rVert^2")
    numbers = EQ + frac(num(loss_sum), num(ex.m, 6))
    if ex.l2:
        numbers = numbers + PLUS + frac(num(ex.l2), "2") + TIMES + num(float(ex.w @ ex.w))
    lines.append(_eq(piece, "(2-1)", numbers + EQ + num(ex.total_loss)))
    return lines


def _gradients(ex: Explanation, point: int | None) -> list[Line]:
    lines = []
    n, m = ex.n, ex.m
    if point is not None:
        pt = ex.point(point)
        lines.append(_eq(_partial(_loss_i(), sub(YHAT, "i")) + lit("·", " ") + _partial(sub(YHAT, "i"), sub(Z, "i")) + EQ
                         + sub(YHAT, "i") + MINUS + sub(Y, "i") + EQ + num(pt.y_hat) + MINUS + num(pt.y)
                         + EQ + num(pt.residual), "(3-5)"))
        for k in range(n):
            lines.append(_eq(_partial(_loss_i(), _w(k)) + EQ + _residual_i() + _x(k) + EQ
                             + num(pt.residual, paren=True) + TIMES + num(pt.x[k], paren=True) + EQ
                             + num(pt.grad[k]), "(3-7)"))
        lines.append(_eq(_partial(_loss_i(), B) + EQ + sub(YHAT, "i") + MINUS + sub(Y, "i") + EQ
                         + num(pt.grad[n]), "(3-9)"))
    else:
        lines.append(_eq(total() + _residual_i() + EQ + num(float(ex.training_sum(ex.residual))), "(3-5)"))
    with np.errstate(over="ignore", invalid="ignore"):
        sums = ex.training_sum(ex.grad)
    for k in range(n):
        piece = _partial(_loss_all(), _w(k)) + EQ + frac("1", sym("m", "m")) + total() + _residual_i() + _x(k)
        if ex.l2:
            piece = piece + PLUS + LAMBDA + _w(k)
        numbers = EQ + frac(num(sums[k]), num(m))
        if ex.l2:
            numbers = numbers + PLUS + num(ex.l2) + TIMES + num(ex.w[k], paren=True)
        lines.append(_eq(piece, "(3-8)", numbers + EQ + num(ex.gradient[k])))
    lines.append(_eq(_partial(_loss_all(), B) + EQ + frac("1", sym("m", "m")) + total() + _residual_i() + EQ
                     + frac(num(sums[n]), num(m)) + EQ + num(ex.gradient[n]), "(3-10)"))
    return lines


def _update(ex: Explanation) -> list[Line]:
    n = ex.n
    lines = []
    if ex.update_l2 != ex.l2:
        lines.append(_note(f"λ changed to {ex.update_l2:g} for this step: the gradient below uses it."))
    for k in range(n):
        lines.append(_eq(_w(k) + LARROW + _w(k) + MINUS + ALPHA + _partial(lit("L", "L"), _w(k)) + EQ
                         + num(ex.w[k]) + MINUS + num(ex.learning_rate) + TIMES
                         + num(ex.update_gradient[k], paren=True) + EQ + num(ex.next_theta[k]), "(4-2)"))
    lines.append(_eq(B + LARROW + B + MINUS + ALPHA + _partial(lit("L", "L"), B) + EQ + num(ex.b) + MINUS
                     + num(ex.learning_rate) + TIMES + num(ex.update_gradient[n], paren=True) + EQ
                     + num(ex.next_theta[n]), "(4-3)"))
    if ex.standardized:
        lines.append(_eq(lit("raw ", r"\text{raw } ") + W + EQ + frac(sym("w̃", r"\tilde{w}"), sym("s", "s")) + EQ
                         + vector(ex.next_w_raw) + lit(",   ", r",\quad ") + B + EQ + sym("b̃", r"\tilde{b}") + MINUS + W
                         + TIMES + sym("μ", r"\mu") + EQ + num(ex.next_b_raw)))
    lines.append(_note(_next_row_note(ex)))
    return lines


def _next_row_note(ex: Explanation) -> str:
    if ex.next_matches is None:
        return (f"Epoch {ex.epoch:,} is the newest: this is the step the next epoch will take, with "
                f"α = {ex.learning_rate:g} and λ = {ex.update_l2:g} as set now.")
    if ex.points_changed:
        return (f"The points were edited before epoch {ex.next_epoch:,}: the history's epoch {ex.next_epoch:,} "
                f"was computed on the edited points, so it need not equal this step on epoch {ex.epoch:,}'s points.")
    if ex.next_matches:
        return (f"✓ This is epoch {ex.next_epoch:,} in the history: w and b agree to all {6} digits shown.")
    held = ", ".join(f"{v:.6g}" for v in ex.next_row_theta)
    return f"✗ The history's epoch {ex.next_epoch:,} holds ({held}), which differs from this step."


def _rate(ex: Explanation, warning: str, rate_now: float | None) -> list[Line]:
    bound = ex.bound
    largest = (bound.lipschitz - ex.update_l2) * 4 * ex.m
    top = Piece(((False, "λ<sub>max</sub>(Ã<sup>T</sup>Ã)"),), r"\lambda_{\max}(\tilde{A}^T \tilde{A})", "λmax(ÃᵀÃ)")
    piece = (sym("L", "L") + EQ + frac(top, lit("4") + sym("m", "m"))
             + PLUS + LAMBDA + EQ + frac(num(largest), lit(f"4·{ex.m:,}", rf"4 \cdot {ex.m}")) + PLUS
             + num(ex.update_l2) + EQ + num(bound.lipschitz))
    rate = ex.learning_rate if rate_now is None else rate_now
    lines = [
        _note(("Ã = [X̃ | 1], the standardized points" if ex.standardized else "Ã = [X | 1], the points") + " with the bias column."
              " Gradient descent lowers the loss at every epoch when α < 2/L (L bounds how fast the gradient can change)."),
        _eq(piece),
        _eq(lit("stable for ", r"\text{stable for } ") + ALPHA + lit(" < 2/L = ", r" < 2/L = ") + num(bound.largest_rate)
            + lit(";   now ", r";\quad \text{now } ") + ALPHA + EQ + num(rate)),
    ]
    return lines


def _warning(warning: str) -> Line:
    return Line("note", Piece(((False, f"<b style='color:#a33'>⚠ {escape(warning)}</b>"),), f"% {warning}",
                              f"⚠ {warning}"))
