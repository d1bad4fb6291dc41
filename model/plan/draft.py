"""The next plan as a plan: a next-plan scenario written as a plan PACKAGE (the format of ``data/plans/…``), so
that the draft loads like any plan (:func:`model.plan.tables.load_plan_data`), passes the whole check
(:func:`model.calc.plancheck.check_plan`) and runs its own projections, phasing, evaluation and monitoring.

What the draft holds (``draft_files`` returns file name -> bytes, CSV in UTF-8):

* ``plan.csv``: a new id (``<old id>-next``), names saying 下一规划期（草案） / next plan (draft), the scenario's
  calendar (base year, target year, plan period), the period names moved on (the old plan's next period is the
  draft's period, its period the previous one), ``drafted_from`` = the old plan's id;
* ``segments.csv``: the same tree, the scenario's assumed shares and uncertainties, each segment's base and target
  row the new ones below;
* ``indicators.csv``:
  - the base of every stated segment in the new base year: ``baseline`` where it comes from the actuals set (its
    measure and scope, the set's short ID in the quote), ``derived`` where it is user-set or follows from the
    plan's own base (the quote says which); a base the old plan states, unchanged, is its own row;
  - the targets of the new target year: the user-set ones as ``target`` rows whose quote (``composed``) says they
    are draft, user-set figures, not a plan's text (the old plan's own targets, where they are still the
    scenario's, as their own rows); the plan's other numeric targets the user set, the same way;
  - output per mu in the new base year (role ``per_mu_base``): the actuals' figure, else the old plan's figure
    grown at the scenario's rate (``derived``, with the formula);
  - carried as the old plan's own rows (their sections titled as the old plan's): developable land
    (``land_available``), tax per mu (``tax_per_mu_base``) and every ``monitoring`` row (aimed at the new target
    year; its baseline the new row where there is one);
* ``plan_sections.csv``: the draft's own sections (base, targets, derived values, lists) and the old plan's
  sections its carried rows cite;
* ``areas.csv``, ``enumerations.csv`` (the package's own values, and any a new list uses), ``presets.csv``
  (``plan-targets``: the growth the draft's targets require), ``defaults.csv`` (the old defaults with the
  scenario's values);
* ``projects.csv`` / ``roads.csv``: the next plan's lists (a list given, or the lists the data carry in place of the
  annexes); left out when there is none (a package may have no annex). The old plan's own annexes are never
  written into the draft, even when the scenario counts them (``carry_lists``): their money and years belong to
  the old plan period.

Public figures, the task register and long-term targets of the old plan are not carried: they belong to it.
"""
from __future__ import annotations

import csv
import io
import math
import re
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

from ..cleaning import neutralise
from ..numbers import decimal_text, sig15
from .tables import DataError, PlanData, engine_enumerations, load_schema

CARRIED_ROLES = ("land_available", "tax_per_mu_base")  # the old plan's stated facts a draft keeps, as its rows
INDICATOR_COLUMNS = ("indicator_id", "name_zh", "name_en", "year", "value", "value_max", "unit", "kind",
                     "comparator", "direction", "basis", "scope", "measure", "section_id", "quote", "quote_kind",
                     "period", "role", "baseline_id", "area")
LANGS = ("zh", "en")
SECTION_KEYS = {"targets": "draft.section.targets", "base": "draft.section.base", "derived": "draft.section.derived",
                "projects": "draft.section.projects", "roads": "draft.section.roads"}
ANNEX_KEYS = {"projects": "draft.annex_projects", "roads": "draft.annex_roads"}


def draft_id(data: PlanData) -> str:
    """The draft's plan id: ``<old id>-next`` (within the 64 characters a plan id may have)."""
    return (data.id[: 64 - len("-next")] or "plan") + "-next"


def _tr(key: str, lang: str, **kw) -> str:
    from ..report.text import tr

    return tr(key, lang, **kw)


def _num(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    f = float(v)
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else decimal_text(sig15(f))


def _q(v) -> str:
    """A number as a quote shows it (at most two decimals, no exponent)."""
    from ..report.labels import fmt

    text = fmt(float(v), 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell(v) -> str:
    """A cell as the package writes it: numbers exact, text guarded against spreadsheet formulas."""
    if isinstance(v, str):  # a number written as text (a setting's value, "-10") is a number, not a formula: the
        # draft's own reader refused the guarded "'-10" of a negative per-mu growth, and the package was unwritable
        return v if _DECIMAL.fullmatch(v) else neutralise(v)
    return _num(v)


_DECIMAL = re.compile(r"-?\d+(\.\d+)?")


def _csv(header, rows, raw=("comparator",)) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([("" if r.get(h) is None else str(r.get(h))) if h in raw else _cell(r.get(h)) for h in header])
    return buf.getvalue().encode("utf-8")


def _unique(stem: str, taken: set) -> str:
    out, n = stem, 2
    while out in taken:
        out, n = f"{stem}-{n}", n + 1
    taken.add(out)
    return out


def _moved_id(old_id: str, old_year: int, new_year: int, fallback: str) -> str:
    """An indicator id for the new year: the old id with its year moved (``x_2025`` → ``x_2030``), else
    ``fallback``."""
    if old_id:
        pat = re.compile(rf"(?<!\d){old_year}(?!\d)")
        if pat.search(old_id):
            return pat.sub(str(new_year), old_id)
        return f"{old_id}_{new_year}"
    return fallback


def _names(data: PlanData, seg: str, output: bool = True) -> dict:
    s = data.segments[seg]
    return {f"name_{lg}": (s.output_name(lg) if output else s.name(lg)) for lg in LANGS}


def _row_names(row: dict) -> dict:
    return {f"name_{lg}": row.get(f"name_{lg}") or row.get("name_zh") for lg in LANGS}


def _scope_name(data: PlanData, scope: str, lang: str) -> str:
    return data.label("scope", scope, lang) if scope else _tr("draft.scope_none", lang)


# -- the rows -----------------------------------------------------------------------------------------------

class _Draft:
    def __init__(self, data: PlanData, s, lists, lang: str, base, other_targets: dict | None,
                 actuals_label: str):
        from ..calc.growth import Targets

        self.data, self.s, self.lang, self.base = data, s, lang, base
        self.other_targets = dict(other_targets or {})
        self.actuals_label = actuals_label
        self.cal = data.calendar
        self.rebased = s.base_year != self.cal.base_year
        self.targets = Targets.for_scenario(s, data)
        self.taken: set[str] = set()
        self.rows: list[dict] = []
        self.carried_sections: set[str] = set()
        self.lists = self._lists(lists)
        old_sections = set(data.sections["section_id"]) if len(data.sections) else set()
        own = {}
        for key in ("targets", "base", "derived", "projects", "roads"):
            own[key] = _unique(f"draft-{key}", old_sections | set(own.values()))
        self.sec = own

    # lists ---------------------------------------------------------------------------------------------
    def _lists(self, lists) -> dict[str, pd.DataFrame | None]:
        out = {}
        given = dict(lists or {})
        for kind, frame, source in (("projects", self.data.projects, self.data.source_projects),
                                    ("roads", self.data.roads, self.data.source_roads)):
            pl = given.get(kind)
            if pl is not None:
                df = pl.frame() if hasattr(pl, "frame") else pl
            elif source != "plan":  # a next plan's list the data carry (never the old plan's own annex)
                df = frame
            else:
                df = None
            out[kind] = df if df is not None and len(df) else None
        return out

    # helpers -------------------------------------------------------------------------------------------
    def add(self, row: dict) -> dict:
        row = {c: row.get(c) for c in INDICATOR_COLUMNS}
        row["indicator_id"] = _unique(row["indicator_id"], self.taken)
        self.rows.append(row)
        return row

    def carry(self, row: dict, **changes) -> dict:
        """An old plan's row as it stands (its section carried with it)."""
        rec = {c: row.get(c) for c in INDICATOR_COLUMNS}
        rec.update(changes)
        if rec.get("section_id"):
            self.carried_sections.add(rec["section_id"])
        return self.add(rec)

    def quote(self, key: str, **kw) -> str:
        return _tr(key, self.lang, **kw)

    # segments' bases -----------------------------------------------------------------------------------
    def base_rows(self) -> dict[str, str]:
        """segment -> the id of its base row (stated segments)."""
        from ..scenario.presets import plan_bases

        data, s = self.data, self.s
        old = plan_bases(data)
        out = {}
        for seg in data.segments.stated:
            v = float(s.baselines[seg])
            old_row = data.segment_base_row(seg)
            target_row = data.segment_target_row(seg) or {}
            same_as_plan = not self.rebased and abs(v - old[seg]) <= 1e-9 * max(1.0, abs(v))
            if same_as_plan and old_row is not None:
                out[seg] = self.carry(old_row)["indicator_id"]
                continue
            new_id = _moved_id(data.segments[seg].base_id, self.cal.base_year, s.base_year,
                               f"{data.segments[seg].key}_output_{s.base_year}")
            common = dict(indicator_id=new_id, **_names(data, seg), year=s.base_year, value=sig15(v), unit="亿元",
                          scope=target_row.get("scope") or "", period="", role="", baseline_id="", area="")
            name = data.segments[seg].output_name(self.lang)
            actual = self._actual(seg, v)
            if actual is not None:
                measure, scope = actual
                ref = self.s.actuals_ref or ""
                row = self.add({**common, "kind": "baseline", "comparator": "=", "scope": scope,
                                "measure": measure or target_row.get("measure") or "",
                                "section_id": self.sec["base"], "quote_kind": "composed",
                                "quote": self.quote("draft.quote.actual", year=s.base_year, name=name,
                                                    value=_q(sig15(v)), unit="亿元", ref=self._ref(ref),
                                                    measure=measure or target_row.get("measure") or "",
                                                    scope=_scope_name(data, scope, self.lang))})
            elif same_as_plan:  # the plan's assumed base (no row of its own)
                row = self.add({**common, "kind": "derived", "comparator": "~",
                                "measure": target_row.get("measure") or "", "section_id": self.sec["derived"],
                                "quote_kind": "", "quote": self.quote("draft.quote.assumed_base", year=s.base_year,
                                                                      name=name, value=_q(sig15(v)), unit="亿元")})
            else:
                row = self.add({**common, "kind": "derived", "comparator": "~",
                                "measure": target_row.get("measure") or "", "section_id": self.sec["derived"],
                                "quote_kind": "", "quote": self.quote("draft.quote.user_base", year=s.base_year,
                                                                      name=name, value=_q(sig15(v)), unit="亿元")})
            out[seg] = row["indicator_id"]
        return out

    def _ref(self, ref: str) -> str:
        parts = [p for p in (self.actuals_label, ref) if p]
        return self.quote("draft.ref", what="，".join(parts) if self.lang == "zh" else ", ".join(parts)) \
            if parts else ""

    def _actual(self, seg: str, v: float) -> tuple[str, str] | None:
        """(measure, scope) when the base comes from the actuals of the new base year."""
        if not self.rebased:
            return None
        b = self.base
        if b is not None:
            if b.year == self.s.base_year and seg in b.values and abs(b.values[seg] - v) <= 1e-9 * max(1.0, abs(v)):
                return b.measures.get(seg, ""), b.scopes.get(seg, "")
            return None
        if self.s.actuals_ref:  # rebased on the actuals set the scenario names (not at hand to check here)
            row = self.data.segment_target_row(seg) or {}
            return row.get("measure") or "", row.get("scope") or ""
        return None

    # targets -------------------------------------------------------------------------------------------
    def target_rows(self, bases: dict[str, str]) -> dict[str, str]:
        data, s, t = self.data, self.s, self.targets
        out = {}
        for seg in data.segments.post_order():
            if seg not in t or data.segments[seg].relation in ("residual", "share"):
                continue
            old_row = data.segment_target_row(seg)
            if not t.is_user_set(seg) and old_row is not None:
                out[seg] = self.carry(old_row, baseline_id=bases.get(seg, ""))["indicator_id"]
                continue
            v = float(t[seg])
            ref = old_row or {}
            new_id = _moved_id(data.segments[seg].target_id, int(ref.get("year") or self.cal.target_year),
                               s.target_year, f"{data.segments[seg].key}_output_{s.target_year}")
            row = self.add(dict(
                indicator_id=new_id, **_names(data, seg), year=s.target_year, value=sig15(v), unit="亿元",
                kind="target", comparator=">=", direction="", basis="", scope=ref.get("scope") or "",
                measure=ref.get("measure") or "", section_id=self.sec["targets"], quote_kind="composed",
                quote=self.quote("draft.quote.target", year=s.target_year, name=data.segments[seg].output_name(
                    self.lang), value=_q(sig15(v)), unit="亿元"),
                baseline_id=bases.get(seg, "")))
            out[seg] = row["indicator_id"]
        return out

    def other_target_rows(self) -> None:
        """The plan's other numeric targets the user set for the new target year (indicator id -> value)."""
        data, s = self.data, self.s
        seg_targets = {x.target_id for x in data.segments if x.target_id}
        for iid, v in self.other_targets.items():
            if v is None or iid in seg_targets or not data.has_indicator(iid):
                continue
            old = data.indicator_row(iid)
            if old.get("kind") != "target" or old.get("comparator") == "qual":
                continue
            self.add(dict(
                indicator_id=_moved_id(iid, int(old["year"]), s.target_year, iid), **_row_names(old),
                year=s.target_year, value=sig15(float(v)), value_max=None, unit=old.get("unit"), kind="target",
                comparator=old.get("comparator"), direction=old.get("direction"), basis=old.get("basis"),
                scope=old.get("scope"), measure=old.get("measure"), section_id=self.sec["targets"],
                quote_kind="composed", area=old.get("area") if old.get("area") in data.areas else "",
                quote=self.quote("draft.quote.target", year=s.target_year, name=old.get(f"name_{self.lang}") or
                                 old.get("name_zh"), value=_q(sig15(float(v))), unit=old.get("unit") or "")))

    # output per mu, carried rows, monitoring ---------------------------------------------------------------
    def per_mu_row(self) -> str | None:
        data, s = self.data, self.s
        if not data.has_role("per_mu_base"):
            return None
        old = data.role_row("per_mu_base")
        old_year = int(old["year"])
        if s.per_mu_base is None and s.base_year == old_year:
            return self.carry(old)["indicator_id"]
        from ..calc.nextplan import per_mu_output

        v = sig15(per_mu_output(s, data, s.base_year))
        common = dict(indicator_id=_moved_id(old["indicator_id"], old_year, s.base_year,
                                             f"per_mu_{s.base_year}"), **_row_names(old), year=s.base_year,
                      value=v, unit=old.get("unit"), scope=old.get("scope"), measure=old.get("measure"),
                      role="per_mu_base", area=old.get("area") if old.get("area") in data.areas else "")
        name = old.get(f"name_{self.lang}") or old.get("name_zh")
        from_actuals = s.per_mu_base is not None and (
            self.base is None and s.actuals_ref or self.base is not None and self.base.per_mu is not None
            and abs(self.base.per_mu - v) <= 1e-9 * max(1.0, abs(v)))
        if from_actuals:  # the figure was taken on the row's scope, which an empty cell leaves as the plan's own
            scope = old.get("scope") or data.scope
            row = self.add({**common, "scope": scope, "kind": "baseline", "comparator": "=",
                            "section_id": self.sec["base"],
                            "quote_kind": "composed",
                            "quote": self.quote("draft.quote.actual", year=s.base_year, name=name, value=_q(v),
                                                unit=old.get("unit") or "", ref=self._ref(s.actuals_ref or ""),
                                                measure=old.get("measure") or "",
                                                scope=_scope_name(data, scope, self.lang))})
        elif s.per_mu_base is not None:
            row = self.add({**common, "kind": "derived", "comparator": "~", "section_id": self.sec["derived"],
                            "quote": self.quote("draft.quote.user_base", year=s.base_year, name=name, value=_q(v),
                                                unit=old.get("unit") or "")})
        else:
            row = self.add({**common, "kind": "derived", "comparator": "~", "section_id": self.sec["derived"],
                            "quote": self.quote("draft.quote.per_mu_grown", year=s.base_year, name=name,
                                                value=_q(v), unit=old.get("unit") or "", plan_year=old_year,
                                                plan_value=_q(old["value"]), g=f"{s.per_mu_growth * 100:g}%",
                                                n=s.base_year - old_year)})
        return row["indicator_id"]

    def carried_rows(self) -> dict[str, str]:
        """The old plan's stated facts a draft keeps (land, tax per mu): old id -> id in the draft."""
        out = {}
        for role in CARRIED_ROLES:
            for row in self.data.role_rows(role):
                if row.get("file") != "indicators.csv" or row["indicator_id"] in out:
                    continue
                out[row["indicator_id"]] = self.carry(row)["indicator_id"]
        return out

    def monitoring_rows(self, remap: dict[str, str]) -> None:
        ind = self.data.indicators
        for row in ind[ind["kind"] == "monitoring"].to_dict(orient="records"):
            base = row.get("baseline_id") or ""
            self.carry(row, year=self.s.target_year, baseline_id=remap.get(base, ""),
                       area=row.get("area") if row.get("area") in self.data.areas else "")

    # the files -------------------------------------------------------------------------------------------
    def files(self) -> dict[str, bytes]:
        data = self.data
        bases = self.base_rows()
        targets = self.target_rows(bases)
        self.other_target_rows()
        remap = self.carried_rows()
        per_mu = self.per_mu_row()
        if per_mu is not None:
            remap[data.role_row("per_mu_base")["indicator_id"]] = per_mu
        self.monitoring_rows(remap)
        out = {"plan.csv": self.plan_csv(), "segments.csv": self.segments_csv(bases, targets),
               "indicators.csv": _csv(INDICATOR_COLUMNS, self.rows)}
        for kind in ("projects", "roads"):
            df = self.lists[kind]
            if df is not None:
                out[f"{kind}.csv"] = self.list_csv(kind, df)
        out["plan_sections.csv"] = self.sections_csv()
        for name, payload in (("areas.csv", self.areas_csv()), ("enumerations.csv", self.enumerations_csv()),
                              ("presets.csv", self.presets_csv()), ("defaults.csv", self.defaults_csv())):
            if payload is not None:
                out[name] = payload
        return out

    def plan_csv(self) -> bytes:
        data, s = self.data, self.s
        m = data.meta
        first, last = s.plan_first_year, s.plan_last_year
        short = {lg: m.text("short_name", lg) or m.text("name", lg) or data.id for lg in LANGS}
        rows = [{"key": "id", "value": draft_id(data)}, {"key": "format", "value": "1"},
                {"key": "drafted_from", "value": data.id}]
        name = {lg: _tr("draft.name", lg, plan=short[lg], first=first, last=last) for lg in LANGS}
        sname = {lg: _tr("draft.short_name", lg, plan=short[lg]) for lg in LANGS}
        rows += [{"key": "name", **name}, {"key": "short_name", **sname},
                 {"key": "app_title", **{lg: _tr("draft.app_title", lg, plan=sname[lg]) for lg in LANGS}},
                 {"key": "app_short", **{lg: _tr("draft.app_short", lg) for lg in LANGS}}]
        for key in ("issuer", "district", "city"):
            if m.has(key):
                rows.append({"key": key, "value": m.value(key), **{lg: m.text(key, lg) for lg in LANGS}})
        rows.append({"key": "scope", "value": data.scope})
        for key, v in (("base_year", s.base_year), ("target_year", s.target_year), ("plan_first_year", first),
                       ("plan_last_year", last)):
            rows.append({"key": key, "value": str(v)})
        if m.has("next_period") and data.calendar.is_next_period(first, last):  # else the years name it
            rows.append({"key": "period", **{lg: m.text("next_period", lg) for lg in LANGS}})
        if m.has("period"):
            rows.append({"key": "previous_period", **{lg: m.text("period", lg) for lg in LANGS}})
        for kind in ("projects", "roads"):
            if self.lists[kind] is not None:
                rows.append({"key": f"{kind}_annex", "value": self.sec[kind],
                             **{lg: _tr(ANNEX_KEYS[kind], lg) for lg in LANGS}})
        for r in rows:
            for lg in LANGS:
                r.setdefault(lg, "")
            r.setdefault("value", "")
        return _csv(("key", "value", *LANGS), rows)

    def segments_csv(self, bases: dict, targets: dict) -> bytes:
        data, s = self.data, self.s
        rows = []
        for seg in data.segments:
            r = {"segment_id": seg.id, "parent": seg.parent, "relation": seg.relation, "key": seg.key,
                 "code": seg.code, "base_code": seg.base_code, "target_code": seg.target_code,
                 "base_id": bases.get(seg.id, ""), "target_id": targets.get(seg.id, ""),
                 "share_pct": sig15(float(s.shares.get(seg.id, seg.share)) * 100) if seg.relation == "share" else None,
                 "sd_pct": sig15(float(s.sd.get(seg.id, seg.sd)) * 100),
                 # a note about the old plan's base or target no longer holds: kept only for the tree's shape
                 "note": seg.note if seg.relation in ("residual", "share") else ""}
            for lg in LANGS:
                r[f"name_{lg}"] = seg.name(lg)
                r[f"output_name_{lg}"] = seg.output_name(lg)
            rows.append(r)
        header = ("segment_id", "parent", "relation", "key", "code", "base_code", "target_code", "name_zh",
                  "name_en", "output_name_zh", "output_name_en", "base_id", "target_id", "share_pct", "sd_pct", "note")
        return _csv(header, rows)

    def list_csv(self, kind: str, df: pd.DataFrame) -> bytes:
        cols = [c.name for c in load_schema() if c.file == f"{kind}.csv"]
        rows = []
        for rec in df.to_dict(orient="records"):
            rows.append({c: rec.get(c) for c in cols})
        return _csv(cols, rows)

    def _list_sections(self) -> set[str]:
        out = set()
        for kind in ("projects", "roads"):
            df = self.lists[kind]
            if df is not None and "section_id" in df.columns:
                out |= {v for v in df["section_id"] if isinstance(v, str) and v}
        return out

    def sections_csv(self) -> bytes:
        data = self.data
        titles = {r["section_id"]: r for r in data.sections.to_dict(orient="records")} if len(data.sections) else {}
        short = {lg: data.meta.text("short_name", lg) or data.meta.text("name", lg) or data.id for lg in LANGS}
        rows = []
        used = {r["section_id"] for r in self.rows}
        for key, sid in self.sec.items():
            if key in ("projects", "roads") and self.lists[key] is None:
                continue
            if key in ("base", "derived") and sid not in used:
                continue
            rows.append({"section_id": sid, **{f"title_{lg}": _tr(SECTION_KEYS[key], lg,
                                                                   base_year=self.s.base_year,
                                                                   target_year=self.s.target_year)
                                               for lg in LANGS}})
        own = {r["section_id"] for r in rows}
        for sid in sorted(self.carried_sections - own):
            old = titles.get(sid, {})
            rows.append({"section_id": sid, **{f"title_{lg}": _tr("draft.section.carried", lg, plan=short[lg],
                                                                   title=old.get(f"title_{lg}") or old.get(
                                                                       "title_zh") or sid)
                                               for lg in LANGS}})
        for sid in sorted(self._list_sections() - own - self.carried_sections):
            rows.append({"section_id": sid, **{f"title_{lg}": _tr("draft.section.list", lg, id=sid)
                                               for lg in LANGS}})
        return _csv(("section_id", "title_zh", "title_en"), rows)

    def areas_csv(self) -> bytes | None:
        if not len(self.data.areas):
            return None
        rows = [{"area_id": a.id, "parent": a.parent, "code": a.code, "note": a.note,
                 **{f"name_{lg}": a.name(lg) for lg in LANGS}} for a in self.data.areas]
        return _csv(("area_id", "parent", "code", "name_zh", "name_en", "note"), rows)

    def enumerations_csv(self) -> bytes | None:
        engine = {(r["column"], r["value"]) for r in engine_enumerations()}
        rows, seen = [], set()
        for r in self.data.enumerations:
            k = (r["column"], r["value"])
            if k in engine or k in seen:
                continue
            seen.add(k)
            rows.append({c: r.get(c) or "" for c in ("column", "value", "code", "name_zh", "name_en", "flag")})
        enum_cols = [c.name for c in load_schema() if c.type == "enum" and c.allowed[:1]
                     and c.allowed[0].startswith("@") and c.file in ("projects.csv", "roads.csv")]
        for kind in ("projects", "roads"):  # values a new list uses that the plan does not list
            df = self.lists[kind]
            if df is None:
                continue
            for col in enum_cols:
                if col not in df.columns:
                    continue
                for v in df[col]:
                    if isinstance(v, str) and v and (col, v) not in seen:
                        seen.add((col, v))
                        rows.append({"column": col, "value": v, "code": "", "name_zh": v, "name_en": v, "flag": ""})
        if not rows:
            return None
        return _csv(("column", "value", "code", "name_zh", "name_en", "flag"), rows)

    def presets_csv(self) -> bytes:
        from ..report.labels import preset_name

        return _csv(("preset", "segment", "rule", "name_zh", "name_en"), [
            {"preset": "plan-targets", "segment": "*", "rule": "required",
             **{f"name_{lg}": preset_name("plan-targets", lg, self.data) for lg in LANGS}}])

    def defaults_csv(self) -> bytes | None:
        from ..scenario.fields import fields_for

        fields = fields_for(self.data)
        params = [r["parameter"] for r in self.data.defaults.to_dict(orient="records")] if len(
            self.data.defaults) else []
        if fields["per_mu_growth"].present and "per_mu_growth" not in params:
            params.append("per_mu_growth")
        by_csv = {f.csv: f for f in fields if isinstance(f.csv, str)}
        rows = []
        for p in params:
            f = by_csv.get(p)
            if f is None:
                continue
            rows.append({"parameter": p, "value": f.kind.text(f, getattr(self.s, f.name)),
                         "note_zh": _tr("draft.default_note", "zh"), "note_en": _tr("draft.default_note", "en")})
        return _csv(("parameter", "value", "note_zh", "note_en"), rows) if rows else None


def draft_files(data: PlanData, scenario, lists=None, lang: str = "zh", *, base=None,
                other_targets: dict | None = None, actuals_label: str = "", check: bool = True) -> dict[str, bytes]:
    """The next plan of ``scenario`` (a scenario of ``data``, usually rebased on actuals with user-set targets) as a
    plan package: file name -> CSV bytes (see the module docstring for what each holds).

    Parameters
    ----------
    lists : {"projects": PlanList or frame, "roads": …} for the next plan (default: the lists ``data`` carries when
        they are not the plan's own annexes; the annexes themselves never).
    lang : the language of the quotes and notes the draft composes (names and titles are written in every language).
    base : the :class:`model.calc.nextplan.BaseActuals` of the new base year, so that bases equal to them are
        written as actuals (their measure and scope); without it, a scenario rebased on an actuals set it names
        (``actuals_ref``) is taken at its word.
    other_targets : indicator id -> the user's target for the new target year, for the plan's other numeric targets.
    actuals_label : the actuals set's name, quoted with its short ID.
    check : load the draft and run :func:`model.calc.plancheck.check_plan` on it; a draft that would not work is
        refused with ``DataError`` (its problems) instead of being returned.
    """
    if scenario.plan_data.id != data.id:
        raise ValueError(f"the scenario is for the plan {scenario.plan_data.id}, not {data.id}")
    files = _Draft(data, scenario, lists, lang if lang in LANGS else "zh", base, other_targets, actuals_label).files()
    if check:
        problems = check_draft(files)
        if problems:
            raise DataError(problems)
    return files


def load_draft(files: dict[str, bytes]) -> PlanData:
    """The draft loaded as a plan (from a temporary folder). Raises ``DataError``."""
    from .tables import load_plan_data

    with tempfile.TemporaryDirectory(prefix="draft-plan-") as tmp:
        folder = Path(tmp) / "plan"
        folder.mkdir()
        for name, payload in files.items():
            (folder / name).write_bytes(payload)
        return load_plan_data(folder)


def check_draft(files: dict[str, bytes]) -> list[str]:
    """Problems of the draft as a plan package (empty: it loads and passes the whole check)."""
    from ..calc.plancheck import check_plan

    try:
        return check_plan(load_draft(files))
    except DataError as exc:
        return list(exc.problems)


def draft_zip(files: dict[str, bytes], folder: str) -> bytes:
    """The package as a .zip of one folder (``folder/plan.csv`` …), for a download."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, files[name])
    return buf.getvalue()


def write_draft(files: dict[str, bytes], out_dir, protect=()) -> None:
    """Write the package into ``out_dir`` as its whole content, all or nothing (``model.io.files.write_folder``:
    never inside a plan's data folder or the repository; a folder holding other files is refused)."""
    from ..io.files import write_folder

    write_folder(files, Path(out_dir), "draft-plan", protect=protect)


__all__ = ["draft_files", "draft_id", "draft_zip", "check_draft", "load_draft", "write_draft"]
