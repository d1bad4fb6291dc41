"""Scenario <-> URL query parameters (pure: the UI keeps the URL in step, tests fuzz the decoder).

Rates are written as percent text that reads back bit-exact, so a shared link reproduces the
same numbers.  Decoding never raises: every unknown, malformed or out-of-range parameter is
skipped and reported as a :class:`Notice`; the rest of the link still applies.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from .scenario import (AREAS, CATEGORIES, SPLIT_SEGMENTS, FrozenMap, Scenario, ScenarioError, decimal_text,
                       pct_text_to_rate, rate_to_pct_text)

SEG_CODES = {"rail": "rail_transit", "non": "nonrail", "ps": "power_semiconductor", "di": "digital_intelligence",
             "ms": "modern_services", "ot": "other"}
SEG_BY_NAME = {v: k for k, v in SEG_CODES.items()}
AREA_CODES = {"tx": AREAS[0], "qst": AREAS[1]}
CATEGORY_CODES = {"kj": CATEGORIES[0], "cy": CATEGORIES[1]}
UI_KEYS = ("lang", "page", "present")  # owned by the UI, not part of the Scenario
MAX_VALUE_LEN = 2000


@dataclass(frozen=True)
class Notice:
    """A parameter that was ignored: ``reason`` is unknown | malformed | out_of_range."""

    param: str
    reason: str
    detail: str = ""


def _code_map(m, codes: dict) -> str:
    back = {v: k for k, v in codes.items()}
    return ",".join(f"{back[k]}:{v}" for k, v in sorted(m.items(), key=lambda kv: back[kv[0]]))


def encode(s: Scenario, base: Scenario) -> dict[str, str]:
    """Query parameters for ``s``; growth is always written, other fields only where they differ from ``base``."""
    q: dict[str, str] = {}
    if s.name != base.name:
        q["n"] = s.name
    for code, seg in SEG_CODES.items():
        if code in ("rail", "non") or s.growth[seg] != base.growth[seg]:
            q[code] = rate_to_pct_text(s.growth[seg])
    if s.baseline_total_yi != base.baseline_total_yi:
        q["b"] = decimal_text(s.baseline_total_yi)
    if s.baseline_rail_yi != base.baseline_rail_yi:
        q["br"] = decimal_text(s.baseline_rail_yi)
    if s.split_nonrail:
        q["split"] = "1"
    if s.shares != base.shares:
        q["sh"] = ",".join(rate_to_pct_text(s.shares[k]) for k in SPLIT_SEGMENTS)
    if s.horizon != base.horizon:
        q["h"] = str(s.horizon)
    if s.overrides:
        q["ov"] = ",".join(f"{SEG_BY_NAME[seg]}:{year}:{rate_to_pct_text(v)}"
                           for (seg, year), v in sorted(s.overrides.items()))
    if s.basis != base.basis:
        q["basis"] = s.basis
    if s.profile != base.profile:
        q["prof"] = s.profile
    if s.delay_all:
        q["d"] = str(s.delay_all)
    if s.delay_area:
        q["da"] = _code_map(s.delay_area, AREA_CODES)
    if s.delay_category:
        q["dc"] = _code_map(s.delay_category, CATEGORY_CODES)
    if s.delay_project:
        q["dp"] = ",".join(f"{k}:{v}" for k, v in sorted(s.delay_project.items()))
    if s.overrun:
        q["ovr"] = rate_to_pct_text(s.overrun)
    if s.excluded:
        q["x"] = ",".join(sorted(s.excluded))
    if s.ceiling_yi is not None:
        q["cap"] = decimal_text(s.ceiling_yi)
    if s.sd != base.sd:
        q["sd"] = ",".join(f"{code}:{rate_to_pct_text(s.sd[seg])}" for code, seg in SEG_CODES.items()
                           if s.sd[seg] != base.sd[seg])
    for key, field, text in (("rho", "correlation", decimal_text), ("seed", "seed", str), ("np", "n_paths", str),
                             ("mu", "per_mu_growth", rate_to_pct_text), ("io", "io_ratio", decimal_text),
                             ("ramp", "ramp_first", rate_to_pct_text)):
        if getattr(s, field) != getattr(base, field):
            q[key] = text(getattr(s, field))
    if s.actuals:
        q["act"] = ",".join(f"{'rail' if seg == 'rail_transit' else 'total'}:{year}:{decimal_text(v)}"
                            for (seg, year), v in sorted(s.actuals.items()))
    if s.track_record:
        q["tr"] = "1"
    return q


def _num(text: str) -> float:
    d = Decimal(text.strip())
    if not d.is_finite():
        raise ValueError
    return float(d)


def _int(text: str) -> int:
    d = Decimal(text.strip())
    if not d.is_finite() or d != d.to_integral_value():
        raise ValueError
    return int(d)


def _pairs(text: str, codes: dict | None, value) -> dict:
    out = {}
    for item in text.split(","):
        if not item.strip():
            continue
        k, v = item.split(":")
        k = k.strip()
        if codes is not None:
            k = codes[k]
        out[k] = value(v)
    return out


def _parse(key: str, text: str, s: Scenario, project_ids: frozenset[str] | None) -> dict:
    """Fields to change for one parameter (raises KeyError/ValueError/InvalidOperation when malformed)."""
    if key == "n":
        return {"name": text.strip()}
    if key in SEG_CODES:
        g = dict(s.growth)
        g[SEG_CODES[key]] = pct_text_to_rate(text)
        return {"growth": FrozenMap(g)}
    if key == "b":
        return {"baseline_total_yi": _num(text)}
    if key == "br":
        return {"baseline_rail_yi": _num(text)}
    if key == "split":
        if text not in ("0", "1"):
            raise ValueError
        return {"split_nonrail": text == "1"}
    if key == "sh":
        parts = text.split(",")
        if len(parts) != len(SPLIT_SEGMENTS):
            raise ValueError
        return {"shares": FrozenMap(zip(SPLIT_SEGMENTS, (pct_text_to_rate(p) for p in parts)))}
    if key == "h":
        return {"horizon": _int(text)}
    if key == "ov":
        ov = {}
        for item in text.split(","):
            seg, year, pct = item.split(":")
            ov[(SEG_CODES[seg], _int(year))] = pct_text_to_rate(pct)
        return {"overrides": FrozenMap(ov)}
    if key == "basis":
        return {"basis": text}
    if key == "prof":
        return {"profile": text}
    if key == "d":
        return {"delay_all": _int(text)}
    if key == "da":
        return {"delay_area": _pairs(text, AREA_CODES, _int)}
    if key == "dc":
        return {"delay_category": _pairs(text, CATEGORY_CODES, _int)}
    if key == "dp":
        dp = _pairs(text, None, _int)
        if project_ids is not None and not set(dp) <= project_ids:
            raise LookupError(", ".join(sorted(set(dp) - project_ids)))
        return {"delay_project": dp}
    if key == "ovr":
        return {"overrun": pct_text_to_rate(text)}
    if key == "x":
        ids = frozenset(i.strip() for i in text.split(",") if i.strip())
        if project_ids is not None and not ids <= project_ids:
            raise LookupError(", ".join(sorted(ids - project_ids)))
        return {"excluded": ids}
    if key == "cap":
        return {"ceiling_yi": None if text.strip() == "" else _num(text)}
    if key == "sd":
        sd = dict(s.sd)
        sd.update(_pairs(text, SEG_CODES, pct_text_to_rate))
        return {"sd": FrozenMap(sd)}
    if key == "rho":
        return {"correlation": _num(text)}
    if key in ("seed", "np"):
        return {"seed" if key == "seed" else "n_paths": _int(text)}
    if key in ("mu", "ramp"):
        return {"per_mu_growth" if key == "mu" else "ramp_first": pct_text_to_rate(text)}
    if key == "io":
        return {"io_ratio": _num(text)}
    if key == "act":
        act = {}
        for item in text.split(","):
            seg, year, value = item.split(":")
            act[({"rail": "rail_transit", "total": "total"}[seg], _int(year))] = _num(value)
        return {"actuals": FrozenMap(act)}
    if key == "tr":
        if text not in ("0", "1"):
            raise ValueError
        return {"track_record": text == "1"}
    raise NotImplementedError(key)


ORDER = ("n", "br", "b", "rail", "non", "ps", "di", "ms", "ot", "split", "sh", "h", "ov", "basis", "prof", "d",
         "da", "dc", "dp", "ovr", "x", "cap", "sd", "rho", "seed", "np", "mu", "io", "ramp", "act", "tr")
# parameters validated together: the two baselines only make sense as a pair (total ≥ rail)
GROUPS = tuple((k,) for k in ORDER if k not in ("br", "b"))
GROUPS = (("br", "b"),) + GROUPS


def decode(params: dict, base: Scenario, project_ids=None) -> tuple[Scenario, list[Notice]]:
    """Apply query parameters on top of ``base``; never raises.

    ``params`` maps names to strings (a list keeps its last value, as ``st.query_params`` does).
    """
    notices: list[Notice] = []
    ids = frozenset(project_ids) if project_ids is not None else None
    clean: dict[str, str] = {}
    for k, v in dict(params).items():
        if isinstance(v, (list, tuple)):
            v = v[-1] if v else ""
        k, v = str(k), str(v)
        if k in UI_KEYS:
            continue
        if k not in ORDER:
            notices.append(Notice(k[:40], "unknown"))
        elif len(v) > MAX_VALUE_LEN:
            notices.append(Notice(k, "malformed", "too long"))
        else:
            clean[k] = v
    s = base
    for group in GROUPS:
        keys = [k for k in group if k in clean]
        if not keys:
            continue
        change = {}
        for k in keys:
            try:
                change.update(_parse(k, clean[k], s, ids))
            except LookupError as exc:
                notices.append(Notice(k, "out_of_range", f"unknown id {exc}" if exc.args else "unknown code"))
            except (ValueError, InvalidOperation, TypeError, OverflowError, NotImplementedError):
                notices.append(Notice(k, "malformed", clean[k][:40]))
        if not change:
            continue
        try:
            s = replace(s, **change)
        except ScenarioError as exc:
            notices.append(Notice(",".join(keys), "out_of_range", exc.problems[0][:120]))
    return s, notices
