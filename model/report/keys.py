"""The keys of the translation table that code builds at run time (``f"story.mark.{kind}"`` …), listed family by
family, so that a test can check each one is defined and that no defined key is dead. Kept apart from
:mod:`model.report.text` (which every module reads) because it reads every module: nothing imports it but tests."""
from __future__ import annotations

from ..calc.nextplan import REBASE_WHY
from ..calc.results import LAND_AREA_METRICS
from ..io import workbook
from ..plan import audit
from ..plan.tables import load_schema
from ..scenario.fields import BASES, FIELDS, PROFILES, SHOCKS, TRACK_READINGS
from ..scenario.presets import CUSTOM, DEFAULT_PRESETS
from . import evaluation_report, monitoring_report, mujun_report
from .labels import COMPARATOR_WORDS, SEG_METRICS
from .story import BASE_MARKS, STEPS
from .text import table

def dynamic_keys() -> set[str]:
    """Keys that code builds at run time (``f"story.mark.{kind}"`` …), listed here family by family, so that a test
    can check each one is defined and that no defined key is dead."""
    keys = {f"profile_{p}" for p in PROFILES} | {f"basis_{b}" for b in BASES}
    keys |= {f"shocks_{v}" for v in SHOCKS} | {f"track_{v}" for v in TRACK_READINGS}
    keys |= {f"reason_{r}" for r in ("unknown", "malformed", "out_of_range", "not_found", "repeated")}  # url.Notice.reason
    keys |= {f"preset.{p}" for p, _ in DEFAULT_PRESETS} | {f"preset.{CUSTOM}"}  # the engine's default presets
    keys |= {k for f in FIELDS for k in (f.label_key, f.help_key)}
    keys |= {f"col_{c.name}" for c in load_schema()} | {"col_src_row"}
    keys |= {f"sev_{v}" for v in ("warning", "info")} | {f"audit.{c}" for c in audit.CODES}
    keys |= {f"seek_{v}" for v in ("met", "reached", "too_high", "no_effect")}
    keys |= {f"lib_{v}d" for v in ("delete", "restore")}
    keys |= {f"by_{v}" for v in ("area", "category", "owner")}
    keys |= {f"mon.p.{v}_due" for v in ("warning", "watch")}  # monitoring_report.problems in a target year
    keys |= {f"earlier_base_{v}" for v in ("user", "estimate")}
    keys |= {f"story.{k}.title" for k in STEPS} | {f"story.baseline.{v}" for v in ("plan", "user", "rebased")}
    keys |= {f"story.mark.{v}" for v in BASE_MARKS + ("user",)}
    keys |= {f"story.gap.{v}" for v in ("above", "below", "equal")}
    keys |= {f"story.top.{v}" for v in ("baseline", "growth")}
    keys |= {f"cmp.{w}" for w in COMPARATOR_WORDS.values()} | {"cmp.value"}
    keys |= {f"{doc}.{t}" for doc in ("brief", "wb") for t in ("title", "title_next", "title_dated")}
    keys |= {f"sm.seg.{fam}" for fam in SEG_METRICS}
    keys |= {f"sm.{m}" for m in SUMMARY_LABELLED}
    keys |= {f"sm.area.{m}" for m in LAND_AREA_METRICS}
    keys |= set(PAGE_KEYS)
    keys |= {f"pn.why.{code}" for code in REBASE_WHY}  # pages/8_nextplan.py: a year's reasons
    keys |= {f"wb.basis.{b}" for b in workbook.BASIS_KINDS}  # projection.csv's basis column in the workbook
    keys |= {k for k in table() if k.startswith(("eval.", "wb.", "mj."))} & family_keys()
    return keys


# Summary metrics (stable names) that are not per segment and carry a label (the per-segment ones are
# ``sm.seg.FAMILY``, named from the plan's segments), for the brief, the compare page and the workbook.
SUMMARY_LABELLED = ("horizon", "project_investment_fyp", "project_investment_total", "annex1_total_investment",
                    "annex1_fyp_investment", "road_investment_fyp", "road_investment_total", "peak_investment_year",
                    "land_needed_mu", "land_available_mu", "investment_output")

# Generic texts for the pages (ui/, pages/), added with the plan-as-data refactor to replace the keys that named
# the default plan's segments (RENAMED_KEYS); used by the pages once they follow.
PAGE_KEYS = ("prob_seg", "uncertainty_note_seg", "sd_item", "city_series_of", "track_values_seg", "track_item",
             "req_conditional_help", "split_chart", "needed_path", "parts_enough", "compare_seg", "gap_to_seg",
             "own_budget_burden")



def family_keys() -> set[str]:
    """Keys of the evaluation, monitoring and per-mu reports and the workbook that their modules build at run time
    (each lists them as ``DYNAMIC_KEYS``)."""
    out: set[str] = set()
    for module in (evaluation_report, workbook, mujun_report, monitoring_report):
        out |= set(getattr(module, "DYNAMIC_KEYS", ()))
    return out
