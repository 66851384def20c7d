"""Section 4 of the math panel for the optimizers beyond gradient descent (issue 14): the
optimizer's own update at the shown epoch, with its state and its numbers, and the formula's
source named. Every number comes from `core.explain_optimizer.OptimizerStep`.

Vectors have p = n + 1 entries, the weights in the order of the history's columns, then b
(the names are listed once, under the heading).
"""

from __future__ import annotations

import numpy as np

from lrviz.core.explain_optimizer import OptimizerStep
from lrviz.ui.panels.math_pieces import (
    Line,
    Piece,
    frac,
    lit,
    num,
    sub,
    sup,
    sym,
    vector,
)

THETA, ALPHA, BETA = sym("θ", r"\theta"), lit("α", r"\alpha "), lit("β", r"\beta ")
G, V, M = sym("g", "g"), sym("v", "v"), sym("m", "m")
EQ, MINUS, PLUS, TIMES = lit(" = "), lit(" − ", " - "), lit(" + "), lit("·", r" \cdot ")
GRAD = lit("∇L(θ)", r"\nabla L(\theta)")
TITLES = {"momentum": "Momentum", "nesterov": "Nesterov momentum", "adam": "Adam",
          "sgd": "Mini-batch stochastic gradient descent", "newton": "Newton's method"}
SHOWN_INDICES = 8  # of the first mini-batch's points


def _eq(piece: Piece, tag: str = "", *more: Piece) -> Line:
    """An equation; `more` are its continuation rows ("= …") on screen, one line in text."""
    return Line("equation", piece, tag, more)


def _note(text: str) -> Line:
    return Line("note", lit(text))


def _prev(base: Piece) -> Piece:
    return sub(base, "k−1", "k-1")


def optimizer_lines(step: OptimizerStep) -> list[Line]:
    """The section's lines: heading, source, the update formula by formula, the result."""
    values = step.values
    lines = [Line("heading", lit(f"4. {TITLES[step.name]}: the update of epoch {step.epoch:,}"))]
    coordinates = " (standardized: θ = (w̃, b̃), the coordinates the update uses)" if step.standardized else ""
    lines.append(_note(f"Source: {step.source}. Vectors list ∂/∂{', ∂/∂'.join(step.names)} in this order"
                       f"{coordinates}; g = ∇L(θ) is the full-data gradient (3-8), (3-10) with λ = {step.l2:g}."))
    lines += _BUILDERS[step.name](step, values)
    lines.append(_eq(lit("raw ", r"\text{raw } ") + sub(THETA, "k+1") + EQ + vector(step.next_raw)))
    lines.append(_note(_next_row_note(step)))
    return lines


def _momentum(step: OptimizerStep, values: dict) -> list[Line]:
    beta, alpha = step.hyper["momentum"], step.learning_rate
    lines = [_note(f"v is the velocity, the optimizer's memory of its past steps (v = 0 at epoch 0); "
                   f"β = {beta:g}, α = {alpha:g}.")]
    if step.name == "nesterov":
        lines.append(_eq(lit("look-ahead  ") + THETA + PLUS + BETA + _prev(V) + EQ + vector(values["look"])))
        lines.append(_eq(G + EQ + lit("∇L(θ + β v", r"\nabla L(\theta + \beta v_{k-1}") + lit(")") + EQ
                         + vector(values["g"])))
    else:
        lines.append(_eq(G + EQ + GRAD + EQ + vector(values["g"])))
    lines.append(_eq(_prev(V) + EQ + vector(values["v_prev"])))
    lines.append(_eq(V + lit(" ← ", r" \leftarrow ") + BETA + _prev(V) + MINUS + ALPHA + G + EQ + num(beta) + TIMES
                     + lit("v₋") + MINUS + num(alpha) + TIMES + lit("g") + EQ + vector(values["v"]),
                     "(Sutskever 2013, 2)" if step.name == "momentum" else "(Sutskever 2013, 3)"))
    lines.append(_eq(THETA + lit(" ← ", r" \leftarrow ") + THETA + PLUS + V + EQ + vector(step.theta), "",
                     PLUS + vector(values["v"]), EQ + vector(step.next_theta)))
    return lines


def _adam(step: OptimizerStep, values: dict) -> list[Line]:
    b1, b2, eps, alpha, t = step.hyper["beta1"], step.hyper["beta2"], step.hyper["eps"], step.learning_rate, values["t"]
    b1s, b2s = sub(BETA, "1"), sub(BETA, "2")
    return [
        _note(f"m and v are running means of the gradient and of its square (the first and second moments, "
              f"0 at epoch 0); dividing by 1 − βᵗ corrects their start at 0. β₁ = {b1:g}, β₂ = {b2:g}, "
              f"ε = {eps:g}, α = {alpha:g}; this is step t = {t:,}."),
        _eq(G + EQ + GRAD + EQ + vector(values["g"])),
        _eq(_prev(M) + EQ + vector(values["m_prev"])),
        _eq(_prev(V) + EQ + vector(values["v_prev"])),
        _eq(M + lit(" ← ", r" \leftarrow ") + b1s + _prev(M) + PLUS + lit("(1 − β₁)", r"(1 - \beta_1)") + G + EQ
            + vector(values["m"]), "(Alg. 1)"),
        _eq(V + lit(" ← ", r" \leftarrow ") + b2s + _prev(V) + PLUS + lit("(1 − β₂)", r"(1 - \beta_2)")
            + sup(G, lit("2")) + EQ + vector(values["v"]), "(Alg. 1)"),
        _eq(sym("m̂", r"\hat{m}") + EQ + frac(M, lit("1 − ", "1 - ") + sup(b1s, sym("t", "t"))) + EQ
            + frac(lit("m"), lit("1 − ", "1 - ") + num(values["beta1_t"])) + EQ + vector(values["m_hat"]), "(Alg. 1)"),
        _eq(sym("v̂", r"\hat{v}") + EQ + frac(V, lit("1 − ", "1 - ") + sup(b2s, sym("t", "t"))) + EQ
            + frac(lit("v"), lit("1 − ", "1 - ") + num(values["beta2_t"])) + EQ + vector(values["v_hat"]), "(Alg. 1)"),
        _eq(THETA + lit(" ← ", r" \leftarrow ") + THETA + MINUS + ALPHA
            + frac(sym("m̂", r"\hat{m}"), lit("√(", r"\sqrt{") + sym("v̂", r"\hat{v}") + lit(") + ε", r"} + \epsilon")) + EQ + vector(step.theta), "(Alg. 1)",
            MINUS + vector(values["step"]), EQ + vector(step.next_theta)),
    ]


def _sgd(step: OptimizerStep, values: dict) -> list[Line]:
    first = values["first_batch"]
    shown = ", ".join(str(int(i) + 1) for i in first[:SHOWN_INDICES]) + (", …" if len(first) > SHOWN_INDICES else "")
    return [
        _note(f"One epoch is one pass over the m = {values['m']:,} training points in a fresh random order "
              f"(from the seeded generator, at its position after epoch {step.epoch:,}): {values['updates']:,} "
              f"updates θ ← θ − α ĝ_B, one for each batch B of {values['batch_size']:,} points; α = {step.learning_rate:g}."),
        _note(f"The first batch holds the points {shown} ({len(first):,} points)."),
        _eq(sub(sym("ĝ", r"\hat{g}"), "B") + EQ + frac("1", lit("|B|")) + lit("Σ", r"\sum ") + lit("∇ℓᵢ(θ)", r"\nabla \ell_i(\theta)")
            + PLUS + lit("λ[w, 0]", r"\lambda [w, 0]") + EQ + vector(values["g_first"]), "(Alg. 8.1)"),
        _eq(lit("full-data ") + G + EQ + vector(values["g"])),
        _eq(THETA + lit(" ← ", r" \leftarrow ") + THETA + MINUS + ALPHA + sub(sym("ĝ", r"\hat{g}"), "B") + EQ
            + vector(step.theta), "(Alg. 8.1)", MINUS + num(step.learning_rate) + TIMES + lit("ĝ_B"),
            EQ + vector(values["after_first"])),
        _eq(lit(f"after all {values['updates']:,} batches:  ") + sub(THETA, "k+1") + EQ + vector(step.next_theta)),
    ]


def _newton(step: OptimizerStep, values: dict) -> list[Line]:
    eigenvalues = np.asarray(values["eigenvalues"], dtype=float)
    H = np.asarray(values["H"])
    lines = [
        _note("Newton's step uses the curvature: H = ∇²L = [X 1]ᵀ diag(ŷ(1 − ŷ)) [X 1]/m + λ diag(1, …, 1, 0), "
              "and steps to the minimum of the quadratic model of L; no learning rate. Where L curves little "
              "(small eigenvalues of H) it steps far, where it curves much it steps little: gradient descent "
              "takes one α for all directions."),
        _eq(G + EQ + GRAD + EQ + vector(values["g"])),
    ]
    if len(H) <= 4:
        for k, row in enumerate(H):
            lines.append(_eq(lit(f"H row {k + 1}") + EQ + vector(row)))
    if np.isfinite(eigenvalues).all() and len(eigenvalues):
        low, high = float(eigenvalues.min()), float(eigenvalues.max())
        condition = (lit(";   condition number ", r";\quad \kappa = ") + num(high / low)) if low > 0 else lit("")
        lines.append(_eq(lit("eigenvalues of H from ") + num(low) + lit(" to ") + num(high) + condition))
    how = "" if values["solved"] == "solve" else " (H is singular: the least-squares step)"
    lines.append(_eq(lit("Δ = H⁻¹g", r"\Delta = H^{-1} g") + EQ + vector(values["step"]) + lit(how), "(B&V 9.5)"))
    lines.append(_eq(THETA + lit(" ← ", r" \leftarrow ") + THETA + MINUS + lit("Δ", r"\Delta ") + EQ
                     + vector(step.theta), "(B&V 9.5)", MINUS + vector(values["step"]), EQ + vector(step.next_theta)))
    return lines


def _next_row_note(step: OptimizerStep) -> str:
    following = step.epoch + 1
    if step.next_matches is None:
        return f"Epoch {step.epoch:,} is the newest: this is the update the next epoch will make, with the settings as they are now."
    if step.points_changed:
        return (f"The points were edited before epoch {following:,}: that epoch's update used the edited points "
                "(as this one does).") + (" ✓ It is the history's next row." if step.next_matches else "")
    if step.next_matches:
        return f"✓ This is epoch {following:,} in the history: every parameter agrees to all 6 digits shown."
    held = ", ".join(f"{v:.6g}" for v in step.next_row_theta)
    return f"✗ The history's epoch {following:,} holds ({held}), which differs from this update."


_BUILDERS = {"momentum": _momentum, "nesterov": _momentum, "adam": _adam, "sgd": _sgd, "newton": _newton}

__all__ = ["TITLES", "optimizer_lines"]
