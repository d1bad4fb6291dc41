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
    """Keys that code builds at run time (``f"seg_{name}"`` …), listed here family by family, so that a test can
    check each one is defined and that no defined key is dead."""
    from ..plan import audit, enums
    from ..plan.tables import DATA_DIR, load_schema
    from ..report.story import STEPS
    from ..scenario.fields import BASES, FIELDS, GROWTH_KEYS, PROFILES, SHOCKS, TRACK_READINGS
    from ..scenario.presets import PRESET_NAMES

    keys = {f"seg_{k}" for k in GROWTH_KEYS + ("total",)}
    keys |= {f"profile_{p}" for p in PROFILES} | {f"basis_{b}" for b in BASES}
    keys |= {f"shocks_{v}" for v in SHOCKS} | {f"track_{v}" for v in TRACK_READINGS}
    keys |= {f"reason_{r}" for r in ("unknown", "malformed", "out_of_range")}  # url.Notice.reason
    keys |= {f"preset.{p}" for p in PRESET_NAMES + ("custom",)}
    keys |= {k for f in FIELDS for k in (f.label_key, f.help_key)}
    keys |= {f"col_{c.name}" for c in load_schema(DATA_DIR)} | {"col_src_row"}
    keys |= {f"sev_{v}" for v in ("warning", "info")} | {f"audit.{c}" for c in audit.CODES}
    keys |= {f"seek_{v}" for v in ("met", "reached", "too_high", "no_effect")}
    keys |= {f"lib_{v}d" for v in ("delete", "restore")}
    keys |= {f"by_{v}" for v in ("area", "category", "owner")}
    keys |= {f"earlier_base_{v}" for v in ("user", "estimate")}
    keys |= {f"story.{k}.title" for k in STEPS} | {f"story.baseline.{v}" for v in ("plan", "user", "rebased")}
    keys |= {f"story.targets.{v}" for v in ("plan", "user")} | {f"story.gap.{v}" for v in ("above", "below", "equal")}
    keys |= {f"story.top.{v}" for v in ("baseline", "growth")} | {f"story.library.{v}" for v in ("annex", "user")}
    keys |= {f"sm.{m}" for m in SUMMARY_LABELLED}
    keys |= {k for k in table() if k.startswith(("eval.", "wb.", "mj."))} & _family_keys()
    del enums
    return keys


# Summary metrics (stable names) that carry a label, for the brief, the compare page and the workbook.
SUMMARY_LABELLED = ("baseline_rail", "baseline_total", "target_rail", "target_total", "output_rail", "output_total",
                    "gap_rail", "gap_total", "cagr_rail", "cagr_total", "required_cagr_rail", "required_cagr_total",
                    "required_cagr_nonrail", "first_year_target_rail", "first_year_target_total", "horizon",
                    "output_horizon_rail", "output_horizon_total", "project_investment_fyp",
                    "project_investment_total", "annex1_total_investment", "annex1_fyp_investment",
                    "road_investment_fyp", "road_investment_total", "peak_investment_year", "prob_target_total",
                    "prob_target_rail", "land_needed_mu", "land_available_mu", "investment_output")


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
