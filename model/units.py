"""Every number that enters has a range from its unit; every number that leaves is finite (issue 21, class 3).

Entry. :data:`UNITS` maps each unit the plan's tables, the actuals and the lists use to its *kind* and its bounds:
counts are whole and not negative; money, areas, lengths, masses and people are not negative and below a plausible
maximum; a value that is not zero is not below a resolution (1e-9: a figure of 5e-324 is no figure, and dividing by it
overflows) (a figure above it is a typing error, an exponent too many, or an attack on the formatting of reports);
percentages and rates lie within a plausible band. A unit the table does not know gets :data:`UNKNOWN`'s generous
band, so no unit is unbounded. :func:`problem` says why a value is refused (``… outside lo–hi unit``); the readers
(actuals, execution files, next-plan lists) name it ``file:row:column``.

Exit. :func:`output` is the one check of every number a CSV, a workbook or a document writes: NaN is a value that is
legitimately undefined (shown blank, or '—'), ±inf is never written: :class:`NonFiniteOutput` names where it came
from, and the command line reports it as bad input instead of writing ``inf`` into a file.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """What a unit measures and the values it may take."""

    kind: str  # money, percent, rate, points, count, people, area, length, mass, time, speed, size, ratio, unknown
    lo: float
    hi: float
    whole: bool = False
    resolution: float = 1e-9  # a value that is not zero is at least this large: 5e-324 亿元 is no figure (and
    # dividing by it, as growth from one year to the next does, overflows)

    def text(self, unit: str) -> str:
        return f"{self.lo:g}–{self.hi:g} {unit}".rstrip()


_COUNT = Unit("count", 0, 1e9, whole=True)
UNITS: dict[str, Unit] = {
    # money: the largest plausible sums (1e7 亿元 = 10^15 yuan, about ten times the world's yearly output)
    "亿元": Unit("money", 0, 1e7), "万元": Unit("money", 0, 1e11), "元": Unit("money", 0, 1e15),
    "亿元/年": Unit("money", 0, 1e7), "万元/亩": Unit("money per area", 0, 1e9),
    # shares, indices and changes in percent: a fall can lose at most everything, a rise is bounded plausibly
    "%": Unit("percent", -100, 1e3), "%/年": Unit("rate", -100, 1e3),
    "个百分点": Unit("points", -100, 100), "个百分点/年": Unit("points", -100, 100),
    # things counted
    **{u: _COUNT for u in ("家", "个", "项", "所", "条", "位", "座", "件", "台", "套", "列", "辆", "次", "批")},
    "人": Unit("people", 0, 1e10, whole=True), "名": Unit("people", 0, 1e10, whole=True),
    "万人": Unit("people", 0, 1e6), "万名": Unit("people", 0, 1e6),
    # areas, lengths, masses
    "亩": Unit("area", 0, 1e10), "平方公里": Unit("area", 0, 1e7), "km²": Unit("area", 0, 1e7),
    "平方米": Unit("area", 0, 1e13), "万平方米": Unit("area", 0, 1e9), "公顷": Unit("area", 0, 1e9),
    "km": Unit("length", 0, 1e6), "公里": Unit("length", 0, 1e6), "m": Unit("length", 0, 1e9),
    "米": Unit("length", 0, 1e9), "英寸": Unit("size", 0, 1e4),
    "吨": Unit("mass", 0, 1e12), "万吨": Unit("mass", 0, 1e8),
    # time and speed
    "分钟": Unit("time", 0, 1e7), "小时": Unit("time", 0, 1e6), "天": Unit("time", 0, 1e5), "年": Unit("time", 0, 1e4),
    "公里/小时": Unit("speed", 0, 1e5), "km/h": Unit("speed", 0, 1e5),
}
# things counted one by one (家, 个, 名 …): an English sentence writes the number without the Chinese measure word
COUNT_UNITS = tuple(u for u, x in UNITS.items() if x.whole)
YEAR_UNIT = "年"  # a calendar year's unit (a horizon, a peak year): a difference of two is no amount
# shares, rates and points: a target in one moves in percentage points (a share from 12 % to 20 % rises 1.6 points a
# year, not "3.92 % a year")
POINT_UNITS = tuple(u for u, x in UNITS.items() if x.kind in ("percent", "rate", "points"))
UNKNOWN = Unit("unknown", -1e12, 1e12)  # any other unit: still bounded, far from what formatting cannot handle


def normal(unit: str) -> str:
    """A unit as looked up: NFKC (full-width ％ is %), no surrounding space."""
    return unicodedata.normalize("NFKC", unit or "").strip()


def of(unit: str) -> Unit:
    """The kind and bounds of ``unit`` (:data:`UNKNOWN` for a unit the table does not know)."""
    return UNITS.get(normal(unit), UNKNOWN)


def _num(v: float) -> str:
    return f"{v:.15g}"


def problem(value: float, unit: str) -> str | None:
    """Why ``value`` (already a finite float from :mod:`model.numbers`) is not a value in ``unit``; None if it is."""
    u = of(unit)
    shown = normal(unit)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        return f"not a finite number: {value!r}"
    if value < u.lo or value > u.hi:
        what = f"negative {u.kind}" if value < 0 <= u.lo else u.kind
        return f"{what} {_num(value)} outside {u.text(shown)}"
    if value != 0 and abs(value) < u.resolution:
        return f"{_num(value)} {shown} is below the smallest figure recorded ({u.resolution:g}): write 0 or the figure"
    if u.whole and value != int(value):
        return f"{_num(value)} is not a whole number of {shown or 'items'} ({u.kind})"
    return None


# -- where numbers leave the model -------------------------------------------------------------------------

class NonFiniteOutput(ValueError):
    """A writer was handed ±inf where a number is expected; the message names the file, row and column."""


def output(value, where: str = ""):
    """A number as a writer may write it: NaN (undefined) → None, a finite value as it is; ±inf raises
    :class:`NonFiniteOutput` naming ``where`` (``file:row:column``). Anything that is not a number passes."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "dtype"):
        return value
    try:
        f = float(value)
    except (TypeError, ValueError, OverflowError):
        if isinstance(value, int):  # an int too large for a float
            raise NonFiniteOutput(f"{where or 'output'}: a number too large to write") from None
        return value
    if math.isnan(f):
        return None
    if math.isinf(f):
        raise NonFiniteOutput(f"{where or 'output'}: {'' if f > 0 else '-'}inf is not a number to write: refused")
    return value


__all__ = ["Unit", "UNITS", "UNKNOWN", "of", "normal", "problem", "NonFiniteOutput", "output"]
