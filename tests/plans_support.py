"""The plan packages the tests run over: the default plan and the synthetic packages of other shapes, and helpers to
make variants of a package (a shifted calendar, a broken file)."""
from __future__ import annotations

import csv
import io
import re
import shutil
from functools import lru_cache
from pathlib import Path

from model.plan.tables import DATA_DIR, load_plan_data

REPO = Path(__file__).resolve().parent.parent
SYNTHETIC = REPO / "tests" / "plans"
PACKAGES = {"default": DATA_DIR, "four-industries": SYNTHETIC / "four-industries",
            "one-segment": SYNTHETIC / "one-segment", "three-levels": SYNTHETIC / "three-levels",
            "sum-of-parts": SYNTHETIC / "sum-of-parts"}
YEAR_COLUMNS = {"indicators.csv": ("year",), "projects.csv": ("start_year", "end_year"),
                "roads.csv": ("start_year", "end_year"), "public_figures.csv": ("year",)}
YEAR_KEYS = ("base_year", "target_year", "plan_first_year", "plan_last_year", "horizon", "long_term_year")


def load(name: str):
    return load_plan_data(PACKAGES[name])


def read(path: Path) -> tuple[list[str], list[dict]]:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    return header, rows


def write(path: Path, header: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def copy_package(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def shift_years(folder: Path, by: int) -> Path:
    """Every year of a package moved by ``by`` (calendar, rows, annexes, periods such as 2016-2020)."""
    header, rows = read(folder / "plan.csv")
    for r in rows:
        if r["key"] in YEAR_KEYS and r["value"]:
            r["value"] = str(int(r["value"]) + by)
    write(folder / "plan.csv", header, rows)
    for file, cols in YEAR_COLUMNS.items():
        if not (folder / file).is_file():
            continue
        header, rows = read(folder / file)
        for r in rows:
            for c in cols:
                if r.get(c):
                    r[c] = str(int(r[c]) + by)
            if r.get("period") and "-" in r["period"]:
                a, b = r["period"].split("-", 1)
                if a.isdigit() and b.isdigit():
                    r["period"] = f"{int(a) + by}-{int(b) + by}"
        write(folder / file, header, rows)
    return folder


PLAN_FOLDERS = {
    "default": REPO / "data" / "plans" / "shifeng-2021-2025",
    "four": REPO / "tests" / "plans" / "four-industries",
    "one": REPO / "tests" / "plans" / "one-segment",
}
PLANS = tuple(PLAN_FOLDERS)


def plan(name: str):
    from model.plan.registry import plan_at

    return plan_at(PLAN_FOLDERS[name])


@lru_cache(maxsize=None)
def results(name: str, preset: str = "plan-targets", n_paths: int = 1000):
    """(data, results, fan) of a preset of a plan, with few paths (fast)."""
    from model.calc.analysis import simulate
    from model.calc.results import run
    from model.scenario.presets import presets

    data = plan(name)
    s = presets(data)[preset].with_(n_paths=n_paths)
    r = run(data, s)
    return data, r, simulate(s, r.projection.targets)


@lru_cache(maxsize=1)
def default_words() -> tuple[str, ...]:
    """Words that belong to the default plan only: its segments', areas' and own names (from its package, at least
    four characters, ids and keys too), its district, city and period, and a fixed list."""
    data = plan("default")
    words = set(FIXED_WORDS)
    for s in data.segments:
        words |= {s.name("zh"), s.name("en"), s.output_name("zh"), s.output_name("en"), s.id, s.key}
    for a in data.areas:
        words |= {a.name("zh"), a.name("en"), a.id}
    for key in ("name", "short_name", "district", "city", "period"):
        for lang in ("zh", "en"):
            words.add(data.meta.text(key, lang).strip("“”\""))
    return tuple(sorted(w for w in words if w and len(w) >= 4 or w in FIXED_WORDS))


# words of the default plan no other plan's document may hold, whatever its package says
FIXED_WORDS = ("石峰", "株洲", "十四五", "十三五", "轨道交通", "田心", "清水塘", "绿心", "rail_transit", "nonrail",
               "Shifeng", "Zhuzhou", "Tianxin", "附件1", "附件2")
GENERIC = {"total", "other", "Other industries", "其他产业"}  # also ordinary words of any plan's documents


def foreign_words(text: str) -> list[str]:
    """The default plan's words found in ``text`` (for another plan's documents)."""
    out = []
    for w in default_words():
        if w in GENERIC:
            continue
        if w.isascii() and re.search(r"(?<![A-Za-z0-9_])" + re.escape(w) + r"(?![A-Za-z0-9_])", text, re.I):
            out.append(w)
        elif not w.isascii() and w in text:
            out.append(w)
    return out


def cli_or_xfail() -> None:
    """Tests that run ``python -m model``: the command line must import (a failure, not a skip)."""
    import model.cli  # noqa: F401


def two_targets(rail: float, total: float):
    """Targets of the default plan's shape: its rail-transit part and its total (亿元), judged reached at the value."""
    from model.calc.growth import Targets
    from model.scenario import FrozenMap

    return Targets(FrozenMap({"rail_transit": rail, "total": total}))


def two_bases(rail: float, total: float):
    from model.scenario import FrozenMap

    return FrozenMap({"rail_transit": rail, "total": total})


def default_keys():
    """(growth keys, share segments) of the default plan."""
    t = plan("default").segments
    return t.growth_keys, t.share_children
