"""One rule for "is the target reached" and one for "may these two figures be compared", asked by the overview,
the projection, the evaluation, the monitoring and the next plan alike.

Comparators are the plan's words: ``>`` 突破/超过 (strictly above), ``>=`` 以上 and ``=`` 达到 (at or above),
``~`` 约/左右 (within a tolerance), ``<=`` 以内/不超过 (at or below: lower is better).
"""
from __future__ import annotations

import math
import unicodedata

ABOUT_TOLERANCE = 0.05  # ~ (约/左右): within ±5 % of the value, the evaluation's default


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def holds(actual: float, target: float, comparator: str, *, tol: float = 0.0,
          about_tolerance: float = ABOUT_TOLERANCE) -> bool:
    """Whether ``actual`` meets ``target`` by ``comparator``. ``tol`` is a relative allowance for float error (a
    path that lands on a target within it has reached it; a strict ``>`` is not met by landing on it)."""
    try:
        actual, target = float(actual), float(target)
    except (TypeError, ValueError):
        return False
    if not (_finite(actual) and _finite(target)):
        return False
    eps = tol * abs(target)
    if comparator == ">":
        return actual > target + eps
    if comparator in (">=", "="):
        return actual >= target - eps
    if comparator == "~":
        return actual >= target - about_tolerance * abs(target) - eps
    if comparator == "<=":
        return actual <= target + eps
    return False


# -- comparability: scope and measure ---------------------------------------------------------------

from ..plan.tables import SCOPES  # noqa: E402 - the one list (plan.csv's scope and an actual's)

SCOPE_ALIASES = {
    "park": "park", "园区": "park", "园": "park",
    "district": "district", "区": "district", "区级": "district", "全区": "district",
    "county": "county", "县": "county", "县级": "county", "全县": "county", "县域": "county",
    "city": "city", "市": "city", "市级": "city", "全市": "city", "city-level": "city", "city level": "city",
    "province": "province", "省": "province", "省级": "province", "全省": "province",
    "national": "national", "全国": "national", "国家": "national", "nation": "national",
}
NOT_STATED = ""  # an actual whose file gives no scope (shown as 口径未注明)


def canonical_scope(text: str) -> str:
    """A scope as compared: one of :data:`SCOPES`, or "" when not stated (unknown text is kept as written)."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    return SCOPE_ALIASES.get(t.lower(), t)


def comparable(a_scope: str, a_measure: str, b_scope: str, b_measure: str, canon_measure=None) -> tuple[bool, str]:
    """Whether two figures may enter one growth, gap, progress or completion: the same scope and the same measure.

    A figure whose scope is not stated is taken on the other's scope (files before scopes existed) but flagged by
    the caller. Returns (comparable, reason): reason ``scope`` or ``measure`` when not.
    """
    canon = canon_measure or (lambda m: unicodedata.normalize("NFKC", m or "").strip())
    sa, sb = canonical_scope(a_scope), canonical_scope(b_scope)
    if sa and sb and sa != sb:
        return False, "scope"
    ma, mb = canon(a_measure), canon(b_measure)
    if ma and mb and ma != mb:
        return False, "measure"
    return True, ""
