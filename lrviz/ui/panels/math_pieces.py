"""Formulas written once, rendered three ways: Qt rich text (HTML tables for fractions and
sums), LaTeX, and plain Unicode text (one equation a line).

A `Piece` holds all three renderings; `+` concatenates them. Qt's rich text cannot put a
table inside a line of text, so the HTML of a piece is a list of cells: runs of inline
text, and blocks (a fraction, a sum with limits) that are each a nested table; an equation
is one table row of such cells. Everything here is built from numbers and fixed symbols,
never from strings read from files.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html import escape

DIGITS = 6  # significant digits of every number shown

_SUBSCRIPTS = str.maketrans("0123456789ikmn+−=()", "₀₁₂₃₄₅₆₇₈₉ᵢₖₘₙ₊₋₌₍₎")
_SUBSCRIPTABLE = set("0123456789ikmn+−=()")


@dataclass(frozen=True)
class Piece:
    """One formula fragment: HTML cells ((is_block, html) pairs), LaTeX and plain text."""

    cells: tuple[tuple[bool, str], ...]
    latex: str
    text: str

    def __add__(self, other: Piece | str) -> Piece:
        other = lit(other) if isinstance(other, str) else other
        cells = list(self.cells)
        for block, html in other.cells:
            if cells and not block and not cells[-1][0]:
                cells[-1] = (False, cells[-1][1] + html)
            else:
                cells.append((block, html))
        return Piece(tuple(cells), self.latex + other.latex, self.text + other.text)

    def __radd__(self, other: str) -> Piece:
        return lit(other) + self

    @property
    def html(self) -> str:
        """The piece as HTML: inline markup alone, or a one-row table around its blocks."""
        if len(self.cells) == 1 and not self.cells[0][0]:
            return self.cells[0][1]
        return _row(self.cells)


def _row(cells, trailing: str = "") -> str:
    tds = "".join(f'<td valign="middle" style="white-space:pre">{html}</td>' if not block
                  else f'<td valign="middle">{html}</td>' for block, html in cells)
    if trailing:
        tds += f'<td valign="middle" style="white-space:pre">{trailing}</td>'
    return f'<table cellspacing="0" cellpadding="0"><tr>{tds}</tr></table>'


def lit(text: str, latex: str | None = None) -> Piece:
    """Literal math text (the same symbols in HTML and text; `latex` when LaTeX spells it otherwise)."""
    return Piece(((False, escape(text)),), text if latex is None else latex, text)


def sym(text: str, latex: str) -> Piece:
    """A symbol in italics, e.g. sym("ŷ", r"\\hat{y}")."""
    return Piece(((False, f"<i>{escape(text)}</i>"),), latex, text)


def sub(base: Piece, index: str, latex_index: str | None = None) -> Piece:
    """base with a subscript index (ᵢ, ₖ, ᵢ₁ in plain text where Unicode has them, else _index)."""
    text_index = index.translate(_SUBSCRIPTS) if set(index) <= _SUBSCRIPTABLE else f"_{index}"
    return Piece(base.cells[:-1] + ((False, base.cells[-1][1] + f"<sub>{escape(index)}</sub>"),),
                 f"{base.latex}_{{{latex_index or index}}}", base.text + text_index)


def sup(base: Piece, exponent: Piece) -> Piece:
    return Piece(base.cells[:-1] + ((False, base.cells[-1][1] + f"<sup>{exponent.html}</sup>"),),
                 f"{{{base.latex}}}^{{{exponent.latex}}}", f"{base.text}^({exponent.text})")


def frac(numerator: Piece | str, denominator: Piece | str) -> Piece:
    """A stacked fraction (a two-row table with a rule under the numerator)."""
    top = lit(numerator) if isinstance(numerator, str) else numerator
    bottom = lit(denominator) if isinstance(denominator, str) else denominator
    html = ('<table cellspacing="0" cellpadding="1"><tr><td align="center" style="border-bottom: 1px solid black; '
            f'white-space:pre">{top.html}</td></tr><tr><td align="center" style="white-space:pre">{bottom.html}'
            '</td></tr></table>')
    text = f"({_grouped(top.text)}/{_grouped(bottom.text)})"
    return Piece(((True, html),), f"\\frac{{{top.latex}}}{{{bottom.latex}}}", text)


def total(lower: str = "i=1", upper: str = "m") -> Piece:
    """Σ with its limits above and below."""
    html = ('<table cellspacing="0" cellpadding="0"><tr><td align="center"><small>'
            f'{escape(upper)}</small></td></tr><tr><td align="center"><span style="font-size:17pt">Σ</span></td></tr>'
            f'<tr><td align="center"><small>{escape(lower)}</small></td></tr></table>')
    text_lower = lower.split("=")[0].translate(_SUBSCRIPTS)
    return Piece(((True, html),), f"\\sum_{{{lower}}}^{{{upper}}} ", f"Σ{text_lower} ")


def _grouped(text: str) -> str:
    """Parentheses around a fraction's part in plain text unless it is a number or one symbol."""
    plain = text.strip()
    simple = re.fullmatch(r"[−-]?[\d.,]+(e[−+-]?\d+)?|\w\u0303?[₀-₉ᵢₖₘₙ]*|\w*\([^()]*\)", plain)
    return plain if simple else f"({plain})"


def num(value: float, digits: int = DIGITS, paren: bool = False) -> Piece:
    """A number with `digits` significant digits: 1.5×10⁻⁷ style in HTML, \\times 10^{-7} in LaTeX.

    `paren` wraps a negative number in parentheses, for a number substituted after an operator.
    """
    value = float(value)
    if math.isnan(value):
        return Piece(((False, "NaN"),), r"\mathrm{NaN}", "NaN")
    if math.isinf(value):
        sign = "−" if value < 0 else ""
        return Piece(((False, f"{sign}∞"),), ("-" if value < 0 else "") + r"\infty", f"{sign}∞")
    text = f"{value:.{digits}g}"
    mantissa, _, exponent = text.partition("e")
    html_mantissa = mantissa.replace("-", "−")
    if exponent:
        power = str(int(exponent)).replace("-", "−")
        html = f"{html_mantissa}×10<sup>{power}</sup>"
        latex = f"{mantissa} \\times 10^{{{int(exponent)}}}"
    else:
        html, latex = html_mantissa, mantissa
    plain = text.replace("-", "−")
    if paren and value < 0:
        html, latex, plain = f"({html})", f"({latex})", f"({plain})"
    return Piece(((False, html),), latex, plain)


def vector(values, digits: int = DIGITS) -> Piece:
    """(v₁, v₂, …) of numbers."""
    piece = lit("(")
    for k, value in enumerate(values):
        piece = piece + (lit(", ") if k else lit("")) + num(value, digits)
    return piece + lit(")")


@dataclass(frozen=True)
class Line:
    """One line of the panel: an equation with its tutorial number, a heading, or a note."""

    kind: str  # "equation", "heading" or "note"
    piece: Piece
    tag: str = ""  # "(1-2)" for equations
    more: tuple[Piece, ...] = ()  # an equation's continuation rows on screen ("= …"); one line in text

    def html(self) -> str:
        if self.kind == "heading":
            return f"<h3>{self.piece.html}</h3>"
        if self.kind == "note":
            return f"<p>{self.piece.html}</p>"
        tag = f"     <span style='color:#555'>{escape(self.tag)}</span>" if self.tag else ""
        rows = (self.piece, *self.more)
        return "".join(_row(((False, "        "),) * bool(k) + row.cells, tag if k == len(rows) - 1 else "")
                       for k, row in enumerate(rows))

    def _whole(self) -> Piece:
        whole = self.piece
        for row in self.more:
            whole = whole + row
        return whole

    def latex(self) -> str:
        if self.kind != "equation":
            return "% " + self.piece.text.replace("\n", " ")
        tag = f" \\tag{{{self.tag.strip('()')}}}" if self.tag else ""
        return f"\\[ {self._whole().latex}{tag} \\]"

    def text(self) -> str:
        if self.kind == "equation" and self.tag:
            return f"{self._whole().text}   {self.tag}"
        return self._whole().text


def to_html(lines: list[Line]) -> str:
    return "".join(line.html() for line in lines)


def to_latex(lines: list[Line]) -> str:
    return "\n".join(line.latex() for line in lines) + "\n"


def to_text(lines: list[Line]) -> str:
    return "\n".join(line.text() for line in lines) + "\n"
