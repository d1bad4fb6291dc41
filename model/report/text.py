"""The one translation table: every piece of text the app, the story, the brief, the audit and the CLI show.

The table is the CSV files in ``model/report/strings/`` (``key,zh,en``; one file per concern, keys unique across
files). ``tr(key, lang, **values)`` formats the text; a key that is not in the table, or a placeholder left
unfilled, raises :class:`MissingText` (tests check every key used against the table, so this never reaches a
user). Plan figures are never typed into a text: they are placeholders filled from ``data/``.

Adding a language = one more column in each strings file, plus the ``name_xx`` columns of the data files.
"""
from __future__ import annotations

import csv
import io
import string
from functools import lru_cache
from pathlib import Path

STRINGS_DIR = Path(__file__).resolve().parent / "strings"
LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


class MissingText(KeyError):
    """A key that the translation table does not define (or a text whose placeholders were not all given)."""


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """key -> {lang: text}, from every strings file (loaded once)."""
    out: dict[str, dict[str, str]] = {}
    where: dict[str, str] = {}
    for path in sorted(STRINGS_DIR.glob("*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        header = rows[0]
        if header[0] != "key" or set(LANGS) - set(header[1:]):
            raise ValueError(f"{path.name}:1: header must be key,{','.join(LANGS)}")
        for n, row in enumerate(rows[1:], start=2):
            if not row or not row[0]:
                continue
            key = row[0]
            if key in out:
                raise ValueError(f"{path.name}:{n}: key {key!r} also defined in {where[key]}")
            texts = dict(zip(header[1:], row[1:]))
            missing = [lang for lang in LANGS if not texts.get(lang)]
            if missing:
                raise ValueError(f"{path.name}:{n}: key {key!r} has no {', '.join(missing)} text")
            out[key] = texts
            where[key] = f"{path.name}:{n}"
    return out


def has(key: str) -> bool:
    return key in table()


def tr(key: str, lang: str = DEFAULT_LANG, /, **values) -> str:
    """The text for ``key`` in ``lang`` with ``values`` filled in."""
    try:
        text = table()[key][lang if lang in LANGS else DEFAULT_LANG]
    except KeyError:
        raise MissingText(key) from None
    if not values and "{" not in text:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError) as exc:
        raise MissingText(f"{key}: placeholder {exc} not given") from None


def placeholders(key: str) -> set[str]:
    """The placeholders a text uses, in any language."""
    names = set()
    for text in table()[key].values():
        names |= {f for _, f, _, _ in string.Formatter().parse(text) if f}
    return names


def dynamic_keys() -> set[str]:
    """Keys that code builds at run time (``f"story.mark.{kind}"`` …), listed here family by family, so that a test
    can check each one is defined and that no defined key is dead."""
    from ..plan import audit
    from ..plan.tables import load_schema
    from ..report.labels import COMPARATOR_WORDS, SEG_METRICS
    from ..report.story import BASE_MARKS, STEPS
    from ..scenario.fields import BASES, FIELDS, PROFILES, SHOCKS, TRACK_READINGS
    from ..scenario.presets import CUSTOM, DEFAULT_PRESETS

    keys = {f"profile_{p}" for p in PROFILES} | {f"basis_{b}" for b in BASES}
    keys |= {f"shocks_{v}" for v in SHOCKS} | {f"track_{v}" for v in TRACK_READINGS}
    keys |= {f"reason_{r}" for r in ("unknown", "malformed", "out_of_range")}  # url.Notice.reason
    keys |= {f"preset.{p}" for p, _ in DEFAULT_PRESETS} | {f"preset.{CUSTOM}"}  # the engine's default presets
    keys |= {k for f in FIELDS for k in (f.label_key, f.help_key)}
    keys |= {f"col_{c.name}" for c in load_schema()} | {"col_src_row"}
    keys |= {f"sev_{v}" for v in ("warning", "info")} | {f"audit.{c}" for c in audit.CODES}
    keys |= {f"seek_{v}" for v in ("met", "reached", "too_high", "no_effect")}
    keys |= {f"lib_{v}d" for v in ("delete", "restore")}
    keys |= {f"by_{v}" for v in ("area", "category", "owner")}
    keys |= {f"earlier_base_{v}" for v in ("user", "estimate")}
    keys |= {f"story.{k}.title" for k in STEPS} | {f"story.baseline.{v}" for v in ("plan", "user", "rebased")}
    keys |= {f"story.mark.{v}" for v in BASE_MARKS + ("user",)}
    keys |= {f"story.gap.{v}" for v in ("above", "below", "equal")}
    keys |= {f"story.top.{v}" for v in ("baseline", "growth")}
    keys |= {f"cmp.{w}" for w in COMPARATOR_WORDS.values()} | {"cmp.value"}
    keys |= {f"{doc}.{t}" for doc in ("brief", "wb") for t in ("title", "title_next")}
    keys |= {f"sm.seg.{fam}" for fam in SEG_METRICS}
    keys |= {f"sm.{m}" for m in SUMMARY_LABELLED}
    keys |= set(PAGE_KEYS)
    keys |= {k for k in table() if k.startswith(("eval.", "wb.", "mj."))} & _family_keys()
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

# Keys removed with the plan-as-data refactor (they named the default plan's segments, annexes or period), and
# what replaces each: for the pages that still call them (tests/test_text.py lists those calls).
RENAMED_KEYS_FILE = Path(__file__).resolve().parent / "renamed_keys.csv"


def _renamed() -> dict[str, str]:
    """Keys removed with the plan-as-data refactor (they named the default plan's segments, annexes or period),
    each with what replaces it, from ``renamed_keys.csv`` (a record of old names, not texts anyone reads): for the
    pages that still call them (tests/test_text.py lists those calls)."""
    rows = list(csv.reader(io.StringIO(RENAMED_KEYS_FILE.read_text(encoding="utf-8"), newline="")))
    return {r[0]: r[1] for r in rows[1:] if r}


RENAMED_KEYS = _renamed()


def _family_keys() -> set[str]:
    """Keys of the evaluation report and the workbook that their modules build at run time (they list them)."""
    out: set[str] = set()
    try:
        from ..report import evaluation_report

        out |= set(getattr(evaluation_report, "DYNAMIC_KEYS", ()))
    except ImportError:
        pass
    try:
        from ..io import workbook

        out |= set(getattr(workbook, "DYNAMIC_KEYS", ()))
    except ImportError:
        pass
    try:
        from ..report import mujun_report

        out |= set(getattr(mujun_report, "DYNAMIC_KEYS", ()))
    except ImportError:
        pass
    return out
